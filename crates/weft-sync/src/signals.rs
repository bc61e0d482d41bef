//! OS signals: the process's one signal handler, what it records, and the waits that wake up
//! for it.
//!
//! The handler ([`set_disposition`] with [`Disposition::Handler`]) is async-signal-safe: it
//! sets the signal's pending flag and a global "something is pending" flag (atomics), bumps a
//! futex word and wakes its waiters (one `futex` system call), writes the signal number to the
//! wakeup file descriptor when one is set (`write`, as CPython does), and asks every thread to
//! run its eval-breaker slow path ([`crate::breaker::request_all`], one atomic increment). It
//! saves and restores `errno`. The Python handlers run later, on the main thread, from the
//! eval loop's check point (weft-eval's `signal` module reads [`begin_take`] and [`take`]).
//!
//! The *main thread* is the thread that called [`mark_main_thread`] (the interpreter thread,
//! which is not the process's first thread: the CLI runs the program on a thread with a big
//! stack). A signal may be delivered to any thread; whichever runs the handler, the main
//! thread's blocking waits notice: [`sleep`] waits on the futex word the handler wakes, and
//! other waits on the main thread are cut into slices of [`MAIN_WAIT_SLICE`] after which they
//! check [`pending`].
//!
//! Installed with `sigaction` without `SA_RESTART` (as CPython), so a system call interrupted
//! on the thread that runs the handler returns `EINTR`.
//!
//! Not modelled by loom (the handler is process state, not a Python object): plain `std`
//! atomics, like the breaker's epoch.

use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// One more than the largest signal number (`signal.NSIG`).
pub const NSIG: i32 = 65;

/// How long a wait on the main thread blocks before it looks at [`pending`] (lock waits,
/// joins, `Event.wait`, reads from stdin). [`sleep`] needs no slices.
pub const MAIN_WAIT_SLICE: Duration = Duration::from_millis(20);

#[allow(clippy::declare_interior_mutable_const)]
const NOT_PENDING: AtomicBool = AtomicBool::new(false);
/// One flag per signal number, set by the handler, cleared by [`take`].
static PENDING: [AtomicBool; NSIG as usize] = [NOT_PENDING; NSIG as usize];
/// Set by the handler after a signal's flag; cleared by [`begin_take`].
static ANY_PENDING: AtomicBool = AtomicBool::new(false);
/// Bumped and woken by the handler: [`sleep`] waits on it.
static WAKE: AtomicU32 = AtomicU32::new(0);
/// The wakeup file descriptor (`signal.set_wakeup_fd`), -1 for none.
static WAKEUP_FD: AtomicI32 = AtomicI32::new(-1);
/// The `pthread_t` of the main thread (0 before [`mark_main_thread`]).
static MAIN_PTHREAD: AtomicU64 = AtomicU64::new(0);

std::thread_local! {
    static IS_MAIN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// What the OS does on a signal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Disposition {
    /// The default action (`SIG_DFL`).
    Default,
    /// Ignored (`SIG_IGN`).
    Ignore,
    /// weft's handler (or, when queried, any handler that is not one of the two above).
    Handler,
}

/// Makes the calling thread the main thread: the one on which Python signal handlers run and
/// whose waits wake up for signals.
pub fn mark_main_thread() {
    IS_MAIN.with(|m| m.set(true));
    MAIN_PTHREAD.store(pthread_self(), Ordering::Relaxed);
}

/// Whether the calling thread is the main thread (see [`mark_main_thread`]).
#[inline]
pub fn is_main_thread() -> bool {
    IS_MAIN.try_with(|m| m.get()).unwrap_or(false)
}

/// Whether some signal arrived that [`begin_take`] has not yet taken.
#[inline]
pub fn pending() -> bool {
    ANY_PENDING.load(Ordering::Acquire)
}

/// Takes the "something is pending" flag: `true` when a signal arrived since the last call;
/// then look at each signal with [`take`].
pub fn begin_take() -> bool {
    ANY_PENDING.swap(false, Ordering::AcqRel)
}

/// Takes signal `sig`'s pending flag (`false` when it was not pending or is out of range).
pub fn take(sig: i32) -> bool {
    match usize::try_from(sig).ok().and_then(|i| PENDING.get(i)) {
        Some(f) => f.swap(false, Ordering::AcqRel),
        None => false,
    }
}

/// Sets the "something is pending" flag again (a Python handler raised before the remaining
/// pending signals were handled: they run at the next check point).
pub fn retrip() {
    ANY_PENDING.store(true, Ordering::Release);
    crate::breaker::request_local();
}

/// Records signal `sig` as if it had arrived (what the OS handler does, minus the wakeup fd).
pub fn trip(sig: i32) {
    if let Some(f) = usize::try_from(sig).ok().and_then(|i| PENDING.get(i)) {
        f.store(true, Ordering::Release);
        ANY_PENDING.store(true, Ordering::Release);
        wake_sleepers();
        crate::breaker::request_all();
    }
}

fn wake_sleepers() {
    WAKE.fetch_add(1, Ordering::Release);
    atomic_wait::wake_all(&WAKE);
}

/// The OS handler. Only async-signal-safe work: atomics, a futex wake, `write`.
extern "C" fn on_signal(sig: libc::c_int) {
    let saved = errno();
    if let Some(f) = usize::try_from(sig).ok().and_then(|i| PENDING.get(i)) {
        f.store(true, Ordering::Release);
        ANY_PENDING.store(true, Ordering::Release);
    }
    let fd = WAKEUP_FD.load(Ordering::Relaxed);
    if fd >= 0 {
        let byte = sig as u8;
        // SAFETY: `write` is async-signal-safe; the buffer is one valid byte on our stack. A
        // failure (full pipe, closed fd) is ignored, as CPython does by default.
        let _ = unsafe { libc::write(fd, (&raw const byte).cast(), 1) };
    }
    wake_sleepers();
    crate::breaker::request_all();
    set_errno(saved);
}

fn errno() -> libc::c_int {
    // SAFETY: `__errno_location` returns the calling thread's errno slot, valid for the
    // thread's lifetime.
    unsafe { *libc::__errno_location() }
}

fn set_errno(v: libc::c_int) {
    // SAFETY: as in `errno`.
    unsafe { *libc::__errno_location() = v };
}

fn check_range(sig: i32) -> std::io::Result<()> {
    if (1..NSIG).contains(&sig) {
        Ok(())
    } else {
        Err(std::io::Error::from_raw_os_error(libc::EINVAL))
    }
}

/// The current disposition of `sig`.
pub fn disposition(sig: i32) -> std::io::Result<Disposition> {
    check_range(sig)?;
    // SAFETY: a zeroed `sigaction` is a valid out-parameter; a null `act` only queries.
    let mut old: libc::sigaction = unsafe { std::mem::zeroed() };
    // SAFETY: `old` is a valid, writable `sigaction`; `act` is null.
    let r = unsafe { libc::sigaction(sig, std::ptr::null(), &mut old) };
    if r != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(match old.sa_sigaction {
        libc::SIG_DFL => Disposition::Default,
        libc::SIG_IGN => Disposition::Ignore,
        _ => Disposition::Handler,
    })
}

/// Sets the disposition of `sig`: the default action, ignored, or weft's recording handler.
/// `SIGKILL` and `SIGSTOP` fail with `EINVAL`, as `sigaction` answers.
pub fn set_disposition(sig: i32, d: Disposition) -> std::io::Result<()> {
    check_range(sig)?;
    // SAFETY: a zeroed `sigaction` is valid (empty mask, no flags).
    let mut act: libc::sigaction = unsafe { std::mem::zeroed() };
    act.sa_sigaction = match d {
        Disposition::Default => libc::SIG_DFL,
        Disposition::Ignore => libc::SIG_IGN,
        Disposition::Handler => on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t,
    };
    // No SA_RESTART: interrupted system calls return EINTR, as in CPython. SA_ONSTACK: the
    // handler may run on the alternate stack std sets up for stack-overflow reports.
    act.sa_flags = libc::SA_ONSTACK;
    // SAFETY: `act.sa_mask` is a valid sigset owned by `act`.
    unsafe { libc::sigemptyset(&mut act.sa_mask) };
    // SAFETY: `act` is fully initialised; the handler is async-signal-safe (see `on_signal`);
    // the old action is not wanted (null).
    let r = unsafe { libc::sigaction(sig, &act, std::ptr::null_mut()) };
    if r != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// Sends `sig` to the calling thread (`raise`).
pub fn raise_signal(sig: i32) -> std::io::Result<()> {
    // SAFETY: `raise` takes any int and reports a bad one with -1/errno.
    let r = unsafe { libc::raise(sig) };
    if r != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// Arranges for `SIGALRM` in `secs` seconds (0 cancels); returns the seconds that were left
/// on the previous alarm.
pub fn alarm(secs: u32) -> u32 {
    // SAFETY: `alarm` has no preconditions.
    unsafe { libc::alarm(secs) }
}

/// The calling thread's `pthread_t`, as an integer.
pub fn pthread_self() -> u64 {
    // SAFETY: `pthread_self` has no preconditions.
    unsafe { libc::pthread_self() as u64 }
}

/// The main thread's `pthread_t` (0 before [`mark_main_thread`]).
pub fn main_pthread() -> u64 {
    MAIN_PTHREAD.load(Ordering::Relaxed)
}

/// Sends `sig` to the thread `thread` (a `pthread_t` of a live thread of this process, as
/// registered by the caller; 0 for `sig` only checks).
pub fn pthread_kill(thread: u64, sig: i32) -> std::io::Result<()> {
    // SAFETY: callers pass the `pthread_t` of a thread they know to be alive (weft's thread
    // registry keeps entries only while their thread runs); `pthread_kill` reports a bad
    // signal number with an error code.
    let r = unsafe { libc::pthread_kill(thread as libc::pthread_t, sig) };
    if r != 0 {
        return Err(std::io::Error::from_raw_os_error(r));
    }
    Ok(())
}

/// Sets the wakeup file descriptor (-1: none) and returns the previous one. The descriptor
/// must be non-blocking: a blocking one gives `Err(None)` (CPython's `ValueError`), a bad one
/// the OS error.
pub fn set_wakeup_fd(fd: i32) -> Result<i32, Option<std::io::Error>> {
    if fd >= 0 {
        // SAFETY: `fcntl(F_GETFL)` on any int reports a bad descriptor with -1/errno.
        let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
        if flags < 0 {
            return Err(Some(std::io::Error::last_os_error()));
        }
        if flags & libc::O_NONBLOCK == 0 {
            return Err(None);
        }
    }
    Ok(WAKEUP_FD.swap(fd.max(-1), Ordering::AcqRel))
}

/// The signals this system accepts (`signal.valid_signals()`): every member of a full
/// signal set.
pub fn valid_signals() -> Vec<i32> {
    // SAFETY: a zeroed sigset is a valid out-parameter for `sigfillset`.
    let mut set: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: `set` is a valid sigset.
    unsafe { libc::sigfillset(&mut set) };
    (1..NSIG)
        // SAFETY: `set` is initialised; `sigismember` rejects bad numbers with -1.
        .filter(|&s| unsafe { libc::sigismember(&set, s) } == 1)
        .collect()
}

/// glibc's descriptions of signals 1 to 31 (`strsignal`), kept here because `strsignal`
/// itself is not thread-safe.
const DESCRIPTIONS: [&str; 31] = [
    "Hangup",
    "Interrupt",
    "Quit",
    "Illegal instruction",
    "Trace/breakpoint trap",
    "Aborted",
    "Bus error",
    "Floating point exception",
    "Killed",
    "User defined signal 1",
    "Segmentation fault",
    "User defined signal 2",
    "Broken pipe",
    "Alarm clock",
    "Terminated",
    "Stack fault",
    "Child exited",
    "Continued",
    "Stopped (signal)",
    "Stopped",
    "Stopped (tty input)",
    "Stopped (tty output)",
    "Urgent I/O condition",
    "CPU time limit exceeded",
    "File size limit exceeded",
    "Virtual timer expired",
    "Profiling timer expired",
    "Window changed",
    "I/O possible",
    "Power failure",
    "Bad system call",
];

/// The description of `sig` (`signal.strsignal`): `None` for 32 and 33 (reserved by the C
/// library); real-time signals are `Real-time signal N`.
pub fn strsignal(sig: i32) -> Option<String> {
    let rtmin = libc::SIGRTMIN();
    match sig {
        1..=31 => Some(DESCRIPTIONS[(sig - 1) as usize].to_owned()),
        s if s >= rtmin && s < NSIG => Some(format!("Real-time signal {}", s - rtmin)),
        _ => None,
    }
}

/// Sleeps for `d` on the calling thread; on the main thread a signal cuts it short. Returns
/// `true` when it woke up because a signal is pending (the caller runs the handlers and, when
/// none raised, sleeps the rest).
pub fn sleep(d: Duration) -> bool {
    if !is_main_thread() {
        std::thread::sleep(d);
        return false;
    }
    let deadline = Instant::now() + d;
    loop {
        let seen = WAKE.load(Ordering::Acquire);
        if pending() {
            return true;
        }
        let now = Instant::now();
        if now >= deadline {
            return false;
        }
        futex_wait(&WAKE, seen, deadline - now);
    }
}

/// Waits until `word` is no longer `expected`, a wake, or `timeout` (whichever first; spurious
/// returns allowed).
fn futex_wait(word: &AtomicU32, expected: u32, timeout: Duration) {
    let ts = libc::timespec {
        tv_sec: timeout.as_secs().min(i64::MAX as u64) as libc::time_t,
        tv_nsec: timeout.subsec_nanos() as libc::c_long,
    };
    // SAFETY: `word` is a valid, aligned 32-bit atomic that outlives the call; `ts` is a valid
    // relative timeout; FUTEX_WAIT only reads both.
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG,
            expected,
            &raw const ts,
        );
    }
}

/// Waits until fd `fd` is readable, for at most `timeout`: `true` when it is (or has an error
/// or hang-up to report, which the read that follows will).
pub fn wait_readable(fd: i32, timeout: Duration) -> bool {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    let ms = timeout.as_millis().min(i32::MAX as u128) as libc::c_int;
    // SAFETY: `p` is one valid pollfd.
    let r = unsafe { libc::poll(&mut p, 1, ms) };
    r != 0
}

/// Ends the process the way signal `sig` would with its default action (CPython's exit after
/// an uncaught `KeyboardInterrupt`: the parent sees "killed by SIGINT"). Falls back to exit
/// status `128 + sig` if the signal does not end the process.
pub fn die_by_signal(sig: i32) -> ! {
    let _ = set_disposition(sig, Disposition::Default);
    // SAFETY: a zeroed sigset is valid; `sigaddset` with a valid number; unblocking a signal
    // in the calling thread has no memory-safety preconditions.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, sig);
        libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
        libc::kill(libc::getpid(), sig);
    }
    std::process::exit(128 + sig)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_and_valid_signals() {
        assert_eq!(strsignal(2).as_deref(), Some("Interrupt"));
        assert_eq!(strsignal(31).as_deref(), Some("Bad system call"));
        assert_eq!(strsignal(32), None);
        assert_eq!(strsignal(34).as_deref(), Some("Real-time signal 0"));
        assert_eq!(strsignal(65), None);
        let v = valid_signals();
        assert_eq!(v.len(), 62);
        assert!(!v.contains(&32) && v.contains(&64));
    }

    #[test]
    fn a_raised_signal_is_recorded_and_wakes_the_main_threads_sleep() {
        set_disposition(libc::SIGUSR2, Disposition::Handler).unwrap();
        assert_eq!(disposition(libc::SIGUSR2).unwrap(), Disposition::Handler);
        raise_signal(libc::SIGUSR2).unwrap();
        assert!(pending());
        assert!(begin_take());
        assert!(take(libc::SIGUSR2));
        assert!(!take(libc::SIGUSR2));
        // A sleeping main thread wakes up when another thread's signal arrives.
        let t = std::thread::spawn(|| {
            mark_main_thread();
            let start = Instant::now();
            let woke = sleep(Duration::from_secs(20));
            (woke, start.elapsed())
        });
        std::thread::sleep(Duration::from_millis(100));
        raise_signal(libc::SIGUSR2).unwrap();
        let (woke, took) = t.join().unwrap();
        assert!(woke);
        assert!(took < Duration::from_secs(10));
        assert!(begin_take() && take(libc::SIGUSR2));
        set_disposition(libc::SIGUSR2, Disposition::Default).unwrap();
        assert!(set_disposition(libc::SIGKILL, Disposition::Ignore).is_err());
        assert!(disposition(0).is_err() && disposition(NSIG).is_err());
    }
}
