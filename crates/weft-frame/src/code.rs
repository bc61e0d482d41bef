//! The code-object interface the frame layer needs.
//!
//! There is no compiler yet (it is layer 4). What a frame needs from a code object is small
//! and fixed, so it lives here as a plain immutable struct, [`CodeInfo`], shared by `Arc`:
//! the compiler builds one per code object and keeps it (next to its bytecode and constants)
//! in its own code type; every frame running that code holds a clone.
//!
//! * names: `co_name`, `co_qualname`, `co_filename`, `co_firstlineno`;
//! * the frame layout: how many local variables, cell variables and free variables the code
//!   has (with their names, for `f_locals`), and the most values its value stack ever holds;
//! * a [`LineTable`] mapping an instruction index to a source line ([`CodeInfo::line_for`]).
//!
//! A frame's slots are laid out as `[locals | cells | free vars | value stack]`, so
//! [`CodeInfo::n_slots`] is the sum of the four counts.

use std::sync::Arc;

/// Maps instruction indices to source lines.
///
/// The table is a sorted list of `(first_ip, line)` entries: instruction `ip` belongs to the
/// line of the last entry whose `first_ip <= ip`. Instructions before the first entry belong
/// to the code's first line. This is the simplest form a compiler can emit; a compact
/// encoding can replace it without changing [`LineTable::lookup`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineTable {
    entries: Box<[(u32, u32)]>,
}

impl LineTable {
    /// A table from `(first_ip, line)` entries, in any order (they are sorted by `first_ip`;
    /// for equal `first_ip` the later entry wins).
    pub fn new(mut entries: Vec<(u32, u32)>) -> LineTable {
        // Stable: of entries with the same first_ip, the one given last stays last, and the
        // lookup (last entry <= ip) picks it.
        entries.sort_by_key(|&(ip, _)| ip);
        LineTable {
            entries: entries.into_boxed_slice(),
        }
    }

    /// The line of instruction `ip`, or `None` when `ip` comes before every entry.
    pub fn lookup(&self, ip: u32) -> Option<u32> {
        let n = self.entries.partition_point(|&(first, _)| first <= ip);
        n.checked_sub(1).map(|i| self.entries[i].1)
    }

    /// The entries, sorted by first instruction.
    pub fn entries(&self) -> &[(u32, u32)] {
        &self.entries
    }

    /// The smallest and largest line in the table (`None` when it is empty).
    pub fn line_range(&self) -> Option<(u32, u32)> {
        let lines = self.entries.iter().map(|&(_, l)| l);
        Some((lines.clone().min()?, lines.max()?))
    }
}

/// The most slots a frame may have (so slot offsets fit in 32 bits).
pub const MAX_SLOTS: usize = (u32::MAX / 2) as usize;

/// What the frame layer knows about a code object. Immutable; shared with `Arc`.
///
/// # Panics
/// The `with_*` methods panic if the frame would need more than [`MAX_SLOTS`] slots.
///
/// Built with [`CodeInfo::new`] and the `with_*` methods:
///
/// ```
/// use weft_frame::{CodeInfo, LineTable};
/// let code = CodeInfo::new("f", "m.py", 10)
///     .with_locals(["x", "y"])
///     .with_cells(["z"])
///     .with_stack_size(4)
///     .with_lines(LineTable::new(vec![(0, 10), (6, 11)]));
/// assert_eq!(code.n_slots(), 2 + 1 + 4);
/// assert_eq!(code.line_for(7), 11);
/// ```
#[derive(Clone, Debug)]
pub struct CodeInfo {
    name: Arc<str>,
    qualname: Arc<str>,
    filename: Arc<str>,
    first_line: u32,
    local_names: Box<[Arc<str>]>,
    cell_names: Box<[Arc<str>]>,
    free_names: Box<[Arc<str>]>,
    stack_size: u32,
    lines: LineTable,
    /// Cached `n_locals + n_cells + n_free` (read on every push).
    n_fixed: usize,
}

impl CodeInfo {
    /// A code object named `name` (also its qualified name) from `filename`, starting at
    /// `first_line`, with no variables, an empty value stack and an empty line table.
    pub fn new(name: &str, filename: &str, first_line: u32) -> CodeInfo {
        let name: Arc<str> = Arc::from(name);
        CodeInfo {
            qualname: name.clone(),
            name,
            filename: Arc::from(filename),
            first_line,
            local_names: Box::new([]),
            cell_names: Box::new([]),
            free_names: Box::new([]),
            stack_size: 0,
            lines: LineTable::default(),
            n_fixed: 0,
        }
    }

    fn resized(mut self) -> CodeInfo {
        self.n_fixed = self.local_names.len() + self.cell_names.len() + self.free_names.len();
        self.check_size();
        self
    }

    /// A frame's slot offsets are `u32`s.
    fn check_size(&self) {
        let fits = self
            .n_fixed
            .checked_add(self.stack_size as usize)
            .is_some_and(|n| n <= MAX_SLOTS);
        assert!(fits, "code object too large for a frame");
    }

    /// Sets the qualified name (`co_qualname`).
    pub fn with_qualname(mut self, qualname: &str) -> CodeInfo {
        self.qualname = Arc::from(qualname);
        self
    }

    /// Sets the local variables (`co_varnames`; arguments first).
    pub fn with_locals<S: AsRef<str>>(mut self, names: impl IntoIterator<Item = S>) -> CodeInfo {
        self.local_names = names.into_iter().map(|s| Arc::from(s.as_ref())).collect();
        self.resized()
    }

    /// Sets the cell variables (`co_cellvars`: locals captured by inner functions).
    pub fn with_cells<S: AsRef<str>>(mut self, names: impl IntoIterator<Item = S>) -> CodeInfo {
        self.cell_names = names.into_iter().map(|s| Arc::from(s.as_ref())).collect();
        self.resized()
    }

    /// Sets the free variables (`co_freevars`: variables of enclosing functions).
    pub fn with_free<S: AsRef<str>>(mut self, names: impl IntoIterator<Item = S>) -> CodeInfo {
        self.free_names = names.into_iter().map(|s| Arc::from(s.as_ref())).collect();
        self.resized()
    }

    /// Sets the value stack's size (`co_stacksize`).
    pub fn with_stack_size(mut self, n: u32) -> CodeInfo {
        self.stack_size = n;
        self.check_size();
        self
    }

    /// Sets the line table.
    pub fn with_lines(mut self, lines: LineTable) -> CodeInfo {
        self.lines = lines;
        self
    }

    /// `co_name`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `co_qualname`.
    pub fn qualname(&self) -> &str {
        &self.qualname
    }

    /// `co_filename`.
    pub fn filename(&self) -> &str {
        &self.filename
    }

    /// `co_firstlineno`.
    pub fn first_line(&self) -> u32 {
        self.first_line
    }

    /// Number of local variables.
    pub fn n_locals(&self) -> usize {
        self.local_names.len()
    }

    /// Number of cell variables.
    pub fn n_cells(&self) -> usize {
        self.cell_names.len()
    }

    /// Number of free variables.
    pub fn n_free(&self) -> usize {
        self.free_names.len()
    }

    /// Most values the value stack holds at once.
    pub fn stack_size(&self) -> usize {
        self.stack_size as usize
    }

    /// Slots before the value stack: locals, cells and free variables.
    #[inline]
    pub fn n_fixed(&self) -> usize {
        self.n_fixed
    }

    /// Slots a frame of this code takes on the data stack.
    #[inline]
    pub fn n_slots(&self) -> usize {
        self.n_fixed() + self.stack_size()
    }

    /// The local variable names.
    pub fn local_names(&self) -> &[Arc<str>] {
        &self.local_names
    }

    /// The cell variable names.
    pub fn cell_names(&self) -> &[Arc<str>] {
        &self.cell_names
    }

    /// The free variable names.
    pub fn free_names(&self) -> &[Arc<str>] {
        &self.free_names
    }

    /// The name of fixed slot `i` (locals, then cells, then free variables).
    pub fn slot_name(&self, i: usize) -> Option<&Arc<str>> {
        let (nl, nc) = (self.n_locals(), self.n_cells());
        if i < nl {
            Some(&self.local_names[i])
        } else if i < nl + nc {
            Some(&self.cell_names[i - nl])
        } else {
            self.free_names.get(i - nl - nc)
        }
    }

    /// The line table.
    pub fn lines(&self) -> &LineTable {
        &self.lines
    }

    /// The source line of instruction `ip` (the first line when the table has none for it).
    pub fn line_for(&self, ip: u32) -> u32 {
        self.lines.lookup(ip).unwrap_or(self.first_line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_table_lookup() {
        let t = LineTable::new(vec![(10, 3), (0, 1), (4, 2)]);
        assert_eq!(t.lookup(0), Some(1));
        assert_eq!(t.lookup(3), Some(1));
        assert_eq!(t.lookup(4), Some(2));
        assert_eq!(t.lookup(9), Some(2));
        assert_eq!(t.lookup(10), Some(3));
        assert_eq!(t.lookup(u32::MAX), Some(3));
        assert_eq!(t.line_range(), Some((1, 3)));
        let late = LineTable::new(vec![(5, 7)]);
        assert_eq!(late.lookup(4), None);
        assert_eq!(LineTable::default().line_range(), None);
    }

    #[test]
    fn equal_first_ip_later_entry_wins() {
        let t = LineTable::new(vec![(0, 1), (2, 5), (2, 6)]);
        assert_eq!(t.lookup(2), Some(6));
    }

    #[test]
    fn layout_and_names() {
        let c = CodeInfo::new("f", "m.py", 4)
            .with_qualname("C.f")
            .with_locals(["a", "b"])
            .with_cells(["c"])
            .with_free(["d", "e"])
            .with_stack_size(3);
        assert_eq!((c.n_locals(), c.n_cells(), c.n_free()), (2, 1, 2));
        assert_eq!(c.n_fixed(), 5);
        assert_eq!(c.n_slots(), 8);
        assert_eq!(c.qualname(), "C.f");
        let names: Vec<&str> = (0..5).map(|i| &**c.slot_name(i).unwrap()).collect();
        assert_eq!(names, ["a", "b", "c", "d", "e"]);
        assert!(c.slot_name(5).is_none());
        assert_eq!(c.line_for(100), 4);
    }
}
