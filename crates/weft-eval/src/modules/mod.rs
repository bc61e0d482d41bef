//! Native modules: `sys`, `time`, `math`, `os` (with `os.path`), `_thread`; and `threading`,
//! written in Python on top of `_thread` and embedded in the binary.
