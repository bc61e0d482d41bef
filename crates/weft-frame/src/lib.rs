//! # weft-frame — layer 3: per-thread data stacks and frames (being written)
