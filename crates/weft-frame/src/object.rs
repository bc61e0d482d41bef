//! Frame objects: the Python-visible `frame`, made only on demand.
//!
//! A [`FrameObject`] is made by [`DataStack::frame_object`] the first time something asks for
//! a frame (a traceback, `sys._getframe`, `inspect`), and cached in the interpreter frame so
//! the same object comes back while the frame lives. It knows which stack owns the frame
//! (the owner's [`DataStack::id`]) and where on it the frame is; it never points into the data
//! stack.
//!
//! * **Live, asked on the owner thread:** it reads the frame from the thread's own stack.
//! * **Live, asked on any other thread:** `RuntimeError: frame is executing in another
//!   thread`. Nothing of the frame is read.
//! * **Popped:** when the owner pops the frame it hands the object a copy of what the object
//!   needs afterwards (instruction pointer, bound locals, the caller's frame object), so the
//!   object outlives the frame and answers from the copy on every thread.
//!
//! Code, globals and builtins never change during a frame's life, so the object holds its
//! own references to them and gives them out from any thread.

use std::sync::{Arc, PoisonError};

use weft_object::types::OBJECT_TYPE;
use weft_object::{ExcKind, ObjRef, Object, Payload, PyErr, PyResult, Slots, TypeObject};
use weft_sync::shim::Mutex;

use crate::code::CodeInfo;
use crate::stack::{DataStack, current_stack_id, existing_stack};

/// The message of the error raised when a live frame is read from another thread.
pub const OTHER_THREAD_MSG: &str = "frame is executing in another thread";

/// The Python type `frame`.
pub static FRAME_TYPE: TypeObject = TypeObject::new_static::<FrameObject>(
    "frame",
    Some(&OBJECT_TYPE),
    Slots {
        repr: Some(frame_repr),
        ..Slots::EMPTY
    },
);

/// What a frame object keeps of its frame once the frame is popped.
pub(crate) struct FrameCopy {
    pub(crate) ip: u32,
    pub(crate) locals: Vec<(Arc<str>, ObjRef)>,
    pub(crate) back: Option<ObjRef>,
}

/// The payload of a Python `frame` object, made on demand by [`DataStack::frame_object`].
///
/// It records the owning stack's id and the frame's position, never a pointer into the stack:
/// * live, read on the owner thread: answers from the thread's own stack;
/// * live, read on any other thread: `RuntimeError: frame is executing in another thread`
///   ([`OTHER_THREAD_MSG`]), without reading anything of the frame;
/// * popped: answers, on every thread, from the copy the owner handed it at the pop
///   (instruction pointer, bound locals, the caller's frame object).
///
/// Code, globals and builtins never change during a frame's life, so they are available from
/// any thread.
pub struct FrameObject {
    owner: u64,
    index: usize,
    code: Arc<CodeInfo>,
    globals: ObjRef,
    builtins: ObjRef,
    popped: Mutex<Option<FrameCopy>>,
}

impl Payload for FrameObject {
    fn type_object() -> &'static TypeObject {
        &FRAME_TYPE
    }
}

impl FrameObject {
    pub(crate) fn new(
        owner: u64,
        index: usize,
        code: Arc<CodeInfo>,
        globals: ObjRef,
        builtins: ObjRef,
    ) -> FrameObject {
        FrameObject {
            owner,
            index,
            code,
            globals,
            builtins,
            popped: Mutex::new(None),
        }
    }

    /// The frame object of a frame that is on no stack now (a suspended generator's): it
    /// answers from `ip` and `locals` (bound fixed slots with their names) on every thread,
    /// until [`set_detached`](Self::set_detached) gives it newer ones. `f_back` is `None`.
    pub fn detached(
        code: Arc<CodeInfo>,
        globals: ObjRef,
        builtins: ObjRef,
        ip: u32,
        locals: Vec<(Arc<str>, ObjRef)>,
    ) -> FrameObject {
        let f = FrameObject::new(0, 0, code, globals, builtins);
        let none_before = f.set_detached(ip, locals);
        debug_assert!(none_before.is_empty());
        f
    }

    /// Replaces what a [detached](Self::detached) frame object answers with; returns the
    /// locals it held, for the caller to drop (a drop can run arbitrary code).
    #[must_use = "the old locals are returned to be dropped by the caller"]
    pub fn set_detached(
        &self,
        ip: u32,
        locals: Vec<(Arc<str>, ObjRef)>,
    ) -> Vec<(Arc<str>, ObjRef)> {
        let old = self
            .popped
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .replace(FrameCopy {
                ip,
                locals,
                back: None,
            });
        old.map(|c| c.locals).unwrap_or_default()
    }

    pub(crate) fn set_popped(&self, copy: FrameCopy) {
        *self.popped.lock().unwrap_or_else(PoisonError::into_inner) = Some(copy);
    }

    /// `f_code` (as the frame layer's code info).
    pub fn code(&self) -> &Arc<CodeInfo> {
        &self.code
    }

    /// `f_globals`.
    pub fn globals(&self) -> &ObjRef {
        &self.globals
    }

    /// `f_builtins`.
    pub fn builtins(&self) -> &ObjRef {
        &self.builtins
    }

    /// The id of the data stack the frame runs (or ran) on.
    pub fn owner(&self) -> u64 {
        self.owner
    }

    /// The frame's position on its stack (0 = the outermost frame).
    pub fn index(&self) -> usize {
        self.index
    }

    /// Whether the frame is still on its stack.
    pub fn is_live(&self) -> bool {
        self.popped
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_none()
    }

    /// Reads the frame: from the copy once popped, from the owner's stack while live (owner
    /// thread only).
    fn read<R>(
        &self,
        popped: impl FnOnce(&FrameCopy) -> R,
        live: impl FnOnce(&DataStack) -> Option<R>,
    ) -> PyResult<R> {
        if let Some(copy) = &*self.popped.lock().unwrap_or_else(PoisonError::into_inner) {
            return Ok(popped(copy));
        }
        if current_stack_id() != Some(self.owner) {
            return Err(PyErr::new(ExcKind::RuntimeError, OTHER_THREAD_MSG));
        }
        // We are the owner and the frame was live a moment ago; only the owner pops it, and
        // it is busy here, so it is still at `index`. Check anyway rather than trust it.
        let ds = existing_stack().filter(|ds| ds.is_object_at(self.index, self));
        let ds =
            ds.ok_or_else(|| PyErr::new(ExcKind::RuntimeError, "frame is no longer on its stack"))?;
        live(&ds).ok_or_else(|| PyErr::new(ExcKind::RuntimeError, "frame is not readable"))
    }

    /// `f_lasti`: the instruction the frame is executing (or last executed).
    ///
    /// # Errors
    /// `RuntimeError` if the frame is live on another thread.
    pub fn lasti(&self) -> PyResult<u32> {
        self.read(|c| c.ip, |ds| ds.ip_at(self.index))
    }

    /// `f_lineno`: the frame's current line.
    ///
    /// # Errors
    /// `RuntimeError` if the frame is live on another thread.
    pub fn lineno(&self) -> PyResult<u32> {
        self.read(|c| self.code.line_for(c.ip), |ds| ds.line(self.index))
    }

    /// `f_locals`, as a list of (name, value) pairs of the bound locals (cell and free
    /// variables as their cell objects), in slot order. A fresh snapshot on every call; the
    /// dict view comes with the containers layer.
    ///
    /// # Errors
    /// `RuntimeError` if the frame is live on another thread.
    pub fn locals(&self) -> PyResult<Vec<(Arc<str>, ObjRef)>> {
        self.read(|c| c.locals.clone(), |ds| ds.locals(self.index))
    }

    /// `f_back`: the caller's frame object (`None` for the outermost frame).
    ///
    /// # Errors
    /// `RuntimeError` if the frame is live on another thread.
    pub fn back(&self) -> PyResult<Option<ObjRef>> {
        self.read(
            |c| c.back.clone(),
            |ds| match self.index.checked_sub(1) {
                None => Some(None),
                Some(i) => ds.frame_object(i).map(Some),
            },
        )
    }
}

impl FrameObject {
    /// `frame.clear()`: drops the locals a popped frame's object kept (breaking reference
    /// cycles through them, e.g. a local holding its own frame object).
    ///
    /// # Errors
    /// `RuntimeError: cannot clear an executing frame` while the frame is live.
    pub fn clear(&self) -> PyResult<()> {
        let locals = {
            let mut g = self.popped.lock().unwrap_or_else(PoisonError::into_inner);
            match &mut *g {
                Some(copy) => std::mem::take(&mut copy.locals),
                None => {
                    return Err(PyErr::new(
                        ExcKind::RuntimeError,
                        "cannot clear an executing frame",
                    ));
                }
            }
        };
        // Dropped outside the lock: a drop can run arbitrary code.
        drop(locals);
        Ok(())
    }
}

impl std::fmt::Debug for FrameObject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FrameObject")
            .field("owner", &self.owner)
            .field("index", &self.index)
            .field("code", &self.code.name())
            .field("live", &self.is_live())
            .finish()
    }
}

fn frame_repr(o: &Object) -> PyResult<String> {
    let f = o
        .downcast::<FrameObject>()
        .ok_or_else(|| PyErr::type_error("not a frame"))?;
    let line = match f.lineno() {
        Ok(n) => format!(", line {n}"),
        Err(_) => String::new(),
    };
    Ok(format!(
        "<frame at {:#x}, file '{}'{line}, code {}>",
        o.id(),
        f.code.filename(),
        f.code.name()
    ))
}
