//! Unbuffered writes to a raw file descriptor (the standard streams), so that what a write
//! reports is what reached the descriptor: `std::io::stdout()` keeps bytes in its own line
//! buffer, where a later failure (a closed pipe, a full disk) would leave them, reported or
//! not, out of the runtime's reach.

/// Writes some of `buf` to file descriptor `fd` (one `write` call): how many bytes were
/// written, or the OS error (`Interrupted` for `EINTR`: the caller retries).
pub fn write(fd: i32, buf: &[u8]) -> std::io::Result<usize> {
    // SAFETY: `buf` is valid for reads of `buf.len()` bytes for the duration of the call;
    // `write` on a descriptor that is not open reports EBADF and touches no memory of ours.
    let n = unsafe { libc::write(fd, buf.as_ptr().cast(), buf.len()) };
    if n < 0 {
        Err(std::io::Error::last_os_error())
    } else {
        Ok(n as usize)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_bad_descriptor_is_an_error() {
        let e = super::write(-1, b"x").unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::EBADF));
    }
}
