//! # weft-compiler — layer 4 (being written)
