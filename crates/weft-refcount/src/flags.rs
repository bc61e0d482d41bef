//! The flag bits every count carries: deferred, and four bits for upper layers (GC bits).
//! They live in the nogil build's owner word (above the 24-bit tid and the immortal bit) and in
//! the gil build's flags word, at the same positions.

use weft_sync::shim::atomic::{AtomicU32, Ordering};

use crate::RefCount;

/// The deferred flag.
pub(crate) const FLAG_DEFERRED: u32 = 1 << 25;
/// First of the four flag bits left to upper layers.
const USER_FLAG_SHIFT: u32 = 28;

fn user_flag_mask(bit: u32) -> u32 {
    assert!(bit < 4, "user flag bit out of range");
    1 << (USER_FLAG_SHIFT + bit)
}

fn set(word: &AtomicU32, flag: u32, on: bool) {
    if on {
        word.fetch_or(flag, Ordering::Relaxed);
    } else {
        word.fetch_and(!flag, Ordering::Relaxed);
    }
}

impl RefCount {
    /// Whether the deferred flag is set (the eval loop may skip counting stack references to
    /// such objects; they are reclaimed by the cycle collector).
    #[inline]
    pub fn is_deferred(&self) -> bool {
        self.flag_word().load(Ordering::Relaxed) & FLAG_DEFERRED != 0
    }

    /// Sets or clears the deferred flag.
    pub fn set_deferred(&self, on: bool) {
        set(self.flag_word(), FLAG_DEFERRED, on);
    }

    /// One of the four flag bits reserved for upper layers (`bit < 4`).
    pub fn user_flag(&self, bit: u32) -> bool {
        self.flag_word().load(Ordering::Relaxed) & user_flag_mask(bit) != 0
    }

    /// Sets or clears one of the four upper-layer flag bits (`bit < 4`).
    pub fn set_user_flag(&self, bit: u32, on: bool) {
        set(self.flag_word(), user_flag_mask(bit), on);
    }
}
