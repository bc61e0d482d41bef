//! The object header, owned references, type objects and their slots.
//!
//! Every Python object starts with an [`Object`] header:
//!
//! | build | refcount | mutex | type pointer | total |
//! | --- | --- | --- | --- | --- |
//! | nogil | 12 B (owner+flags, local, shared) | 4 B futex word | 8 B | **24 B** |
//! | gil | 8 B (count, flags) | — | 8 B | **16 B** |
//!
//! GC bits live in the four upper-layer flag bits of the refcount's flags word
//! ([`RefCount::user_flag`]), so they cost no extra bytes.
//!
//! A typed object is a `#[repr(C)]` [`PyObj<T>`]: the header followed by the payload `T`.
//! [`ObjRef`] is an owned (counted) reference; `&Object` a borrowed one.

use std::any::{Any, TypeId};
use std::fmt;
use std::ops::Deref;
use std::ptr::NonNull;
use std::sync::OnceLock;
use weft_sync::shim::atomic::{AtomicPtr, AtomicU32, Ordering};

use weft_refcount::{RcVTable, RefCount};
#[cfg(feature = "nogil")]
use weft_sync::RawMutex;

use crate::error::PyResult;

/// The header every Python object starts with.
#[repr(C)]
pub struct Object {
    rc: RefCount,
    #[cfg(feature = "nogil")]
    mutex: RawMutex,
    /// Never null. Atomic only for `__class__` assignment ([`Object::set_type`]); reads are
    /// relaxed loads, a plain `mov` on the targets weft supports.
    ty: AtomicPtr<TypeObject>,
}

// SAFETY: the header's fields are thread-safe by the refcount protocol and the mutex; `ty`
// points to a type object that outlives every instance (static, or kept alive by the
// reference each instance of a heap type holds).
unsafe impl Sync for Object {}
// SAFETY: as above.
unsafe impl Send for Object {}

/// A typed object: header then payload.
#[repr(C)]
pub struct PyObj<T> {
    head: Object,
    /// The payload.
    pub value: T,
}

impl<T> Deref for PyObj<T> {
    type Target = Object;
    fn deref(&self) -> &Object {
        &self.head
    }
}

impl<T: Payload> PyObj<T> {
    weft_sync::shim_const_fn! {
        /// A statically allocated, immortal object of `T`'s type (for singletons and small
        /// ints). `const` except under loom, where such objects are built lazily, once per
        /// model execution (see [`weft_sync::shim_static!`]).
        pub fn immortal(value: T, ty: &'static TypeObject) -> PyObj<T> {
            PyObj {
                head: Object::immortal_header(ty as *const TypeObject),
                value,
            }
        }
    }
}

impl Object {
    weft_sync::shim_const_fn! {
        /// The header of an immortal object of type `ty`. Under loom `ty` may be null, meaning
        /// `type` (see [`Object::ty`]).
        fn immortal_header(ty: *const TypeObject) -> Object {
            Object {
                rc: RefCount::immortal(),
                #[cfg(feature = "nogil")]
                mutex: RawMutex::new(),
                ty: AtomicPtr::new(ty as *mut TypeObject),
            }
        }
    }

    /// The object's type.
    #[inline]
    pub fn ty(&self) -> &TypeObject {
        let p = self.ty.load(Ordering::Relaxed);
        // Under loom the static type objects are lazy statics, and `type`'s own header cannot
        // name `type` while it is being built (nor can `object`'s, which `type` derives from):
        // their header holds null, which means `type`.
        #[cfg(weft_loom)]
        if p.is_null() {
            return &crate::types::TYPE_TYPE;
        }
        // SAFETY: never null outside loom (set from references only; under loom null is
        // handled above); the type outlives its instances (see the Sync impl).
        unsafe { &*p }
    }

    /// Changes the object's type (`obj.__class__ = cls`). Readers on other threads see the
    /// old type or the new one.
    ///
    /// # Safety
    /// `ty`'s instances must store the same payload as the current type's (the same
    /// `layout`), so that everything that downcasts or frees the object by its type stays
    /// right; and `ty` must outlive the object (types are immortal in weft).
    pub unsafe fn set_type(&self, ty: &'static TypeObject) {
        assert!(
            ty.layout == self.ty().layout,
            "set_type to a type with another layout"
        );
        self.ty.store(
            ty as *const TypeObject as *mut TypeObject,
            Ordering::Release,
        );
    }

    /// The reference count word.
    #[inline]
    pub fn refcount(&self) -> &RefCount {
        &self.rc
    }

    /// The current count as seen from this thread (`usize::MAX` for immortal objects).
    pub fn count(&self) -> usize {
        weft_refcount::count_of(&self.rc)
    }

    /// The object's identity (its address), as Python's `id()`.
    #[inline]
    pub fn id(&self) -> usize {
        self as *const Object as usize
    }

    /// Whether `self` and `other` are the same object (`is`).
    #[inline]
    pub fn is(&self, other: &Object) -> bool {
        std::ptr::eq(self, other)
    }

    /// A new owned reference to this object.
    #[inline]
    pub fn to_ref(&self) -> ObjRef {
        weft_refcount::incref(&self.rc);
        ObjRef(NonNull::from(self))
    }

    /// The payload, if this object's layout is `T` (its type or a base type stores a `T`).
    #[inline]
    pub fn downcast<T: Payload>(&self) -> Option<&T> {
        if self.ty().layout == TypeId::of::<T>() {
            // SAFETY: the type's layout says this object is a `PyObj<T>`.
            Some(unsafe { &(*(self as *const Object as *const PyObj<T>)).value })
        } else {
            None
        }
    }

    /// The payload, if the object's type is exactly `T`'s own type (not a subclass): one
    /// load and one pointer compare, for fast paths that want the exact builtin type anyway.
    #[inline]
    pub fn downcast_exact<T: Payload>(&self) -> Option<&T> {
        if std::ptr::eq(self.ty(), T::type_object()) {
            // SAFETY: objects of `T::type_object()` are `PyObj<T>`s (that type stores a `T`).
            Some(unsafe { &(*(self as *const Object as *const PyObj<T>)).value })
        } else {
            None
        }
    }

    /// Whether the object's type is `ty` or a subtype of it.
    pub fn is_instance(&self, ty: &TypeObject) -> bool {
        self.ty().is_subtype(ty)
    }

    /// Runs `f` in a critical section on this object (see [`crate::critical_section`]).
    #[inline]
    pub fn with_lock<R>(&self, f: impl FnOnce() -> R) -> R {
        #[cfg(feature = "nogil")]
        {
            crate::critical_section::with_mutex(&self.mutex, f)
        }
        #[cfg(not(feature = "nogil"))]
        {
            f()
        }
    }

    /// Runs `f` in a two-object critical section on `self` and `other`.
    #[inline]
    pub fn with_lock2<R>(&self, other: &Object, f: impl FnOnce() -> R) -> R {
        #[cfg(feature = "nogil")]
        {
            crate::critical_section::with_mutex2(&self.mutex, &other.mutex, f)
        }
        #[cfg(not(feature = "nogil"))]
        {
            let _ = other;
            f()
        }
    }

    /// The per-object mutex (nogil build only; in the gil build object locks do not exist).
    #[cfg(feature = "nogil")]
    pub fn mutex(&self) -> &RawMutex {
        &self.mutex
    }

    /// `hash(obj)` through the type's slot.
    pub fn hash(&self) -> PyResult<i64> {
        match self.ty().slots.hash {
            Some(h) => h(self),
            None => Err(crate::PyErr::type_error(format!(
                "unhashable type: '{}'",
                self.ty().name
            ))),
        }
    }

    /// `repr(obj)` through the type's slot.
    pub fn repr(&self) -> PyResult<String> {
        match self.ty().slots.repr {
            Some(r) => r(self),
            None => Ok(format!("<{} object at {:#x}>", self.ty().name, self.id())),
        }
    }

    /// `str(obj)`: the `str` slot, falling back to `repr`.
    pub fn str(&self) -> PyResult<String> {
        match self.ty().slots.str {
            Some(s) => s(self),
            None => self.repr(),
        }
    }

    /// Truth value (`bool(obj)`): the `bool` slot, then `len`, else true.
    pub fn is_true(&self) -> PyResult<bool> {
        let s = &self.ty().slots;
        if let Some(b) = s.bool {
            b(self)
        } else if let Some(l) = s.len {
            Ok(l(self)? != 0)
        } else {
            Ok(true)
        }
    }

    /// Rich comparison through the slots, with Python's reflected-operand fallback;
    /// `==`/`!=` fall back to identity. Returns the result object.
    pub fn compare(&self, other: &Object, op: CompareOp) -> PyResult<ObjRef> {
        let not_impl = crate::singletons::not_implemented();
        // A subtype's reflected method goes first, as in Python.
        let reflected_first =
            !std::ptr::eq(self.ty(), other.ty()) && other.ty().is_subtype(self.ty());
        let forward = (self, other, op);
        let reflected = (other, self, op.swapped());
        let order = if reflected_first {
            [reflected, forward]
        } else {
            [forward, reflected]
        };
        for (a, b, o) in order {
            if let Some(f) = a.ty().slots.richcompare {
                let r = f(a, b, o)?;
                if !r.is(not_impl) {
                    return Ok(r);
                }
            }
        }
        match op {
            CompareOp::Eq => Ok(crate::singletons::bool_obj(self.is(other))),
            CompareOp::Ne => Ok(crate::singletons::bool_obj(!self.is(other))),
            _ => Err(crate::PyErr::type_error(format!(
                "'{}' not supported between instances of '{}' and '{}'",
                op.symbol(),
                self.ty().name,
                other.ty().name
            ))),
        }
    }

    /// `self == other` as a Rust bool (identity implies equality, as in containers).
    pub fn eq(&self, other: &Object) -> PyResult<bool> {
        if self.is(other) {
            return Ok(true);
        }
        self.compare(other, CompareOp::Eq)?.is_true()
    }
}

impl fmt::Debug for Object {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.repr() {
            Ok(s) => f.write_str(&s),
            Err(_) => write!(f, "<{} object>", self.ty().name),
        }
    }
}

/// An owned, counted reference to an object. Cloning adds a reference; dropping removes one
/// and frees the object when it was the last. `Send` and `Sync`: objects are shared between
/// threads by design.
#[repr(transparent)]
pub struct ObjRef(NonNull<Object>);

// SAFETY: the count protocol makes clone/drop safe from any thread, and every type's payload
// is Send + Sync (required by `Payload`).
unsafe impl Send for ObjRef {}
// SAFETY: as above.
unsafe impl Sync for ObjRef {}

impl ObjRef {
    /// Allocates a new object of type `T::type_object()` holding `value`.
    #[inline]
    pub fn new<T: Payload>(value: T) -> ObjRef {
        let ty = T::type_object();
        // A payload's own type stores it (`Payload`'s contract; checked in debug builds).
        debug_assert!(ty.layout == TypeId::of::<T>());
        Self::alloc(value, ty)
    }

    /// Allocates a new object of type `ty`, whose layout must be `T`.
    ///
    /// # Panics
    /// If `ty` does not store a `T`.
    pub fn with_type<T: Payload>(value: T, ty: &'static TypeObject) -> ObjRef {
        assert!(
            ty.layout == TypeId::of::<T>(),
            "type '{}' does not store a {}",
            ty.name,
            std::any::type_name::<T>()
        );
        Self::alloc(value, ty)
    }

    /// Builds the object in a reused block or a fresh allocation; `ty` stores a `T`.
    #[inline(always)]
    fn alloc<T: Payload>(value: T, ty: &'static TypeObject) -> ObjRef {
        let obj = PyObj {
            head: Object {
                rc: weft_refcount::new_count(),
                #[cfg(feature = "nogil")]
                mutex: RawMutex::new(),
                ty: AtomicPtr::new(ty as *const TypeObject as *mut TypeObject),
            },
            value,
        };
        if let Some(p) = T::reuse_block() {
            let p = p.cast::<PyObj<T>>();
            // SAFETY: a reused block is an unused allocation of `PyObj<T>`'s layout (the
            // contract of `Payload::reuse_block`), initialised whole here.
            unsafe { p.as_ptr().write(obj) };
            return ObjRef(p.cast());
        }
        let b = Box::new(obj);
        // SAFETY: Box::into_raw is never null; the header is the first field.
        ObjRef(unsafe { NonNull::new_unchecked(Box::into_raw(b) as *mut Object) })
    }

    /// Makes the object immortal and returns a `'static` borrow of it (interning).
    pub fn into_immortal(self) -> &'static Object {
        self.rc.make_immortal();
        let p = self.0;
        std::mem::forget(self);
        // SAFETY: immortal objects are never freed.
        unsafe { p.as_ref() }
    }

    /// The raw pointer (the reference stays owned by `self`).
    pub fn as_ptr(&self) -> *const Object {
        self.0.as_ptr()
    }

    /// Gives up the reference as a raw pointer (for storage in atomics); undo with
    /// [`ObjRef::from_raw`].
    pub fn into_raw(self) -> NonNull<Object> {
        let p = self.0;
        std::mem::forget(self);
        p
    }

    /// Takes back a reference given up by [`ObjRef::into_raw`].
    ///
    /// # Safety
    /// `p` came from `into_raw` and its reference has not been taken back already.
    pub unsafe fn from_raw(p: NonNull<Object>) -> ObjRef {
        ObjRef(p)
    }
}

impl Deref for ObjRef {
    type Target = Object;
    #[inline]
    fn deref(&self) -> &Object {
        // SAFETY: we hold a reference, so the object is alive.
        unsafe { self.0.as_ref() }
    }
}

impl Clone for ObjRef {
    #[inline]
    fn clone(&self) -> ObjRef {
        self.to_ref()
    }
}

impl Drop for ObjRef {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: the header (and so the RefCount) is at offset 0; OBJECT_VT frees through the
        // object's own type; we give up the reference this ObjRef held.
        unsafe { weft_refcount::decref(self.0.cast(), &OBJECT_VT) }
    }
}

impl fmt::Debug for ObjRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

static OBJECT_VT: RcVTable = RcVTable {
    free: free_object,
    type_name: object_type_name,
};

/// # Safety
/// `p` is an object with no references left (RcVTable's contract).
unsafe fn free_object(p: NonNull<RefCount>) {
    let obj = p.cast::<Object>();
    // SAFETY: the object is alive until its type's dealloc runs.
    let dealloc = unsafe { obj.as_ref() }.ty().dealloc;
    // SAFETY: forwarded; dealloc matches the object's layout.
    unsafe { dealloc(obj) }
}

/// # Safety
/// `p` is a live object.
unsafe fn object_type_name(p: NonNull<RefCount>) -> String {
    // SAFETY: per the contract.
    unsafe { p.cast::<Object>().as_ref() }.ty().name.to_owned()
}

/// # Safety
/// `p` was allocated by [`ObjRef::with_type`] as a `PyObj<T>` and nothing references it.
unsafe fn dealloc_box<T>(p: NonNull<Object>) {
    // SAFETY: per the contract; `free_box` is `drop(Box::from_raw(..))` outside loom (under
    // loom the memory is kept until the execution ends, see `weft_sync::shim::dealloc`).
    unsafe { weft_sync::shim::free_box(p.cast::<PyObj<T>>().as_ptr()) };
}

/// A Rust type that is the payload of a Python type.
pub trait Payload: Send + Sync + 'static {
    /// The Python type of objects created with [`ObjRef::new`]: a type declared to store
    /// `Self` (`TypeObject::new_static::<Self>` or a heap type of that layout). [`ObjRef::new`]
    /// relies on it (checked in debug builds); [`ObjRef::with_type`] checks any other type.
    fn type_object() -> &'static TypeObject;

    /// A block to build a new object of this payload in, from a per-thread free list, for the
    /// types that keep one (see [`crate::free_list`]); `None` (the default): a fresh
    /// allocation. A block returned must be an unused allocation with the layout of a
    /// `PyObj<Self>`.
    #[inline(always)]
    fn reuse_block() -> Option<NonNull<u8>> {
        None
    }
}

/// The comparison operators of rich comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareOp {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CompareOp {
    /// The operator with its operands swapped (`a < b` is `b > a`).
    pub fn swapped(self) -> CompareOp {
        match self {
            CompareOp::Lt => CompareOp::Gt,
            CompareOp::Le => CompareOp::Ge,
            CompareOp::Eq => CompareOp::Eq,
            CompareOp::Ne => CompareOp::Ne,
            CompareOp::Gt => CompareOp::Lt,
            CompareOp::Ge => CompareOp::Le,
        }
    }

    /// The operator's spelling.
    pub fn symbol(self) -> &'static str {
        match self {
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Eq => "==",
            CompareOp::Ne => "!=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
        }
    }

    /// Applies the operator to an ordering.
    pub fn test(self, ord: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::*;
        match self {
            CompareOp::Lt => ord == Less,
            CompareOp::Le => ord != Greater,
            CompareOp::Eq => ord == Equal,
            CompareOp::Ne => ord != Equal,
            CompareOp::Gt => ord == Greater,
            CompareOp::Ge => ord != Less,
        }
    }
}

/// `fn(obj) -> hash`
pub type HashFn = fn(&Object) -> PyResult<i64>;
/// `fn(obj) -> text` (repr / str)
pub type TextFn = fn(&Object) -> PyResult<String>;
/// `fn(a, b, op) -> result` (may return NotImplemented)
pub type RichCompareFn = fn(&Object, &Object, CompareOp) -> PyResult<ObjRef>;
/// `fn(a, b) -> result` (binary number slots; may return NotImplemented)
pub type BinaryFn = fn(&Object, &Object) -> PyResult<ObjRef>;
/// `fn(a) -> result`
pub type UnaryFn = fn(&Object) -> PyResult<ObjRef>;
/// `fn(obj, name) -> value`
pub type GetAttrFn = fn(&Object, &Object) -> PyResult<ObjRef>;
/// `fn(obj, name, value)`; `None` deletes
pub type SetAttrFn = fn(&Object, &Object, Option<&Object>) -> PyResult<()>;
/// `fn(callable, positional args, keyword names) -> result` (vectorcall-like: the last
/// `kwnames.len()` args are keyword values)
pub type CallFn = fn(&Object, &[ObjRef], &[ObjRef]) -> PyResult<ObjRef>;
/// `fn(iterator) -> next item` (`None` when exhausted)
pub type NextFn = fn(&Object) -> PyResult<Option<ObjRef>>;
/// `fn(obj) -> len`
pub type LenFn = fn(&Object) -> PyResult<usize>;
/// `fn(obj) -> truth`
pub type BoolFn = fn(&Object) -> PyResult<bool>;
/// `fn(container, key) -> item`
pub type GetItemFn = fn(&Object, &Object) -> PyResult<ObjRef>;
/// `fn(container, key, value)`; `None` deletes
pub type SetItemFn = fn(&Object, &Object, Option<&Object>) -> PyResult<()>;
/// `fn(container, item) -> contains`
pub type ContainsFn = fn(&Object, &Object) -> PyResult<bool>;

/// Number protocol slots.
#[derive(Clone, Copy, Debug, Default)]
pub struct NumberSlots {
    /// `+`
    pub add: Option<BinaryFn>,
    /// `-`
    pub sub: Option<BinaryFn>,
    /// `*`
    pub mul: Option<BinaryFn>,
    /// `/`
    pub truediv: Option<BinaryFn>,
    /// `//`
    pub floordiv: Option<BinaryFn>,
    /// `%`
    pub modulo: Option<BinaryFn>,
    /// `**` (two-argument form)
    pub pow: Option<BinaryFn>,
    /// `<<`
    pub lshift: Option<BinaryFn>,
    /// `>>`
    pub rshift: Option<BinaryFn>,
    /// `&`
    pub and: Option<BinaryFn>,
    /// `|`
    pub or: Option<BinaryFn>,
    /// `^`
    pub xor: Option<BinaryFn>,
    /// unary `-`
    pub neg: Option<UnaryFn>,
    /// unary `+`
    pub pos: Option<UnaryFn>,
    /// `abs()`
    pub abs: Option<UnaryFn>,
    /// `~`
    pub invert: Option<UnaryFn>,
    /// `int()`
    pub int: Option<UnaryFn>,
    /// `float()`
    pub float: Option<UnaryFn>,
}

impl NumberSlots {
    /// No number slots.
    pub const EMPTY: NumberSlots = NumberSlots {
        add: None,
        sub: None,
        mul: None,
        truediv: None,
        floordiv: None,
        modulo: None,
        pow: None,
        lshift: None,
        rshift: None,
        and: None,
        or: None,
        xor: None,
        neg: None,
        pos: None,
        abs: None,
        invert: None,
        int: None,
        float: None,
    };
}

/// A type's slots: the operations the runtime calls directly, without a method lookup.
#[derive(Clone, Copy, Debug)]
pub struct Slots {
    /// `__hash__`; `None` means unhashable.
    pub hash: Option<HashFn>,
    /// `__repr__`
    pub repr: Option<TextFn>,
    /// `__str__` (defaults to repr)
    pub str: Option<TextFn>,
    /// `__eq__`, `__lt__`, ...
    pub richcompare: Option<RichCompareFn>,
    /// `__bool__`
    pub bool: Option<BoolFn>,
    /// `__len__`
    pub len: Option<LenFn>,
    /// `__getattribute__` / `__getattr__`
    pub getattr: Option<GetAttrFn>,
    /// `__setattr__` / `__delattr__`
    pub setattr: Option<SetAttrFn>,
    /// `__call__`
    pub call: Option<CallFn>,
    /// `__iter__`
    pub iter: Option<UnaryFn>,
    /// `__next__`
    pub next: Option<NextFn>,
    /// `__getitem__`
    pub getitem: Option<GetItemFn>,
    /// `__setitem__` / `__delitem__`
    pub setitem: Option<SetItemFn>,
    /// `__contains__`
    pub contains: Option<ContainsFn>,
    /// The number protocol.
    pub number: NumberSlots,
}

impl Slots {
    /// No slots at all.
    pub const EMPTY: Slots = Slots {
        hash: None,
        repr: None,
        str: None,
        richcompare: None,
        bool: None,
        len: None,
        getattr: None,
        setattr: None,
        call: None,
        iter: None,
        next: None,
        getitem: None,
        setitem: None,
        contains: None,
        number: NumberSlots::EMPTY,
    };
}

/// A type object. Itself a Python object (of type `type`).
///
/// Besides its name, base and slots, a type owns what every attribute lookup needs to be fast
/// and right: its MRO, its heap/static flag, the list of its direct subclasses and a **version
/// tag** (see [`TypeObject::version_tag`]) that [`crate::type_cache`] keys its lookups on.
/// The type's `__dict__` is a container of a higher layer, so it lives in `ext`.
#[repr(C)]
pub struct TypeObject {
    head: Object,
    /// The type's `__name__`.
    pub name: &'static str,
    /// The base type (`None` only for `object`).
    pub base: Option<&'static TypeObject>,
    /// The slots.
    pub slots: Slots,
    /// Frees an instance: drops the payload and the allocation.
    dealloc: unsafe fn(NonNull<Object>),
    /// The Rust payload type instances store (a field, not a function, so that a downcast is
    /// a compare of two words against a constant).
    layout: TypeId,
    /// The version tag: 0 = none assigned (or invalidated since); otherwise a value no other
    /// state of any type ever had. See [`TypeObject::version_tag`].
    version: AtomicU32,
    /// [`TypeFlags`] bits.
    flags: AtomicU32,
    /// The method resolution order, the type itself first. Set once for heap types
    /// ([`TypeObject::set_mro`]); static types compute it from the `base` chain on first use.
    mro: OnceLock<Box<[&'static TypeObject]>>,
    /// The direct subclasses (types are never freed, so plain references), for invalidating
    /// their version tags when this type changes and for `__subclasses__()`.
    subclasses: weft_sync::Mutex<Vec<&'static TypeObject>>,
    /// Data the upper layers attach to the type, once (the eval layer's `__dict__` and
    /// class-statement data). Lower layers never look at it.
    pub ext: OnceLock<Box<dyn Any + Send + Sync>>,
}

/// Flag bits of a [`TypeObject`].
pub struct TypeFlags;

impl TypeFlags {
    /// Made by a class statement (or `type(name, bases, dict)`).
    pub const HEAP: u32 = 1;
}

weft_sync::shim_static! {
    /// The next version tag to hand out. Tags are never reused: when the 32-bit space runs
    /// out, types stop getting tags and lookups stop being cached (correct, only slower).
    static NEXT_VERSION: AtomicU32 = AtomicU32::new(1);
}

// SAFETY: the fields are immutable after construction except the header (Sync), the atomics,
// the OnceLocks of Send + Sync values and the mutex-guarded subclass list.
unsafe impl Sync for TypeObject {}
// SAFETY: as above.
unsafe impl Send for TypeObject {}

impl TypeObject {
    weft_sync::shim_const_fn! {
        /// A static (immortal) type whose instances store a `T`. `const` except under loom (see
        /// [`weft_sync::shim_static!`]).
        pub fn new_static<T: 'static>(
            name: &'static str,
            base: Option<&'static TypeObject>,
            slots: Slots,
        ) -> TypeObject {
            TypeObject {
                #[cfg(not(weft_loom))]
                head: Object::immortal_header(&crate::types::TYPE_TYPE),
                // `type`, resolved by `Object::ty` (see there).
                #[cfg(weft_loom)]
                head: Object::immortal_header(std::ptr::null()),
                name,
                base,
                slots,
                dealloc: dealloc_box::<T>,
                layout: TypeId::of::<T>(),
                version: AtomicU32::new(0),
                flags: AtomicU32::new(0),
                mro: OnceLock::new(),
                subclasses: weft_sync::Mutex::from_raw(weft_sync::RawMutex::new(), Vec::new()),
                ext: OnceLock::new(),
            }
        }
    }

    weft_sync::shim_const_fn! {
        /// [`TypeObject::new_static`] for a pooled payload type: instances are freed into the
        /// thread's free list (see [`crate::free_list`]).
        pub fn new_static_pooled<T: crate::free_list::Pooled>(
            name: &'static str,
            base: Option<&'static TypeObject>,
            slots: Slots,
        ) -> TypeObject {
            let mut t = TypeObject::new_static::<T>(name, base, slots);
            t.dealloc = crate::free_list::dealloc::<T>;
            t
        }
    }

    /// A type made at run time (a Python `class` statement), whose instances store a `T`.
    ///
    /// The type is leaked and immortal, like the static ones: it may be referenced from any
    /// thread's objects without counting, and `base` must be `'static` anyway. Programs create
    /// classes a bounded number of times, so the leak is bounded by the program text.
    ///
    /// `mro` is the method resolution order without the type itself (the caller computed it,
    /// C3 for a class statement) and `bases` the direct bases: the new type registers as a
    /// subclass of each. It is flagged [`TypeFlags::HEAP`].
    pub fn new_heap<T: 'static>(
        name: &str,
        base: Option<&'static TypeObject>,
        slots: Slots,
        ext: Box<dyn Any + Send + Sync>,
        mro_tail: &[&'static TypeObject],
        bases: &[&'static TypeObject],
    ) -> &'static TypeObject {
        Self::new_heap_of::<T>(
            &crate::types::TYPE_TYPE,
            name,
            base,
            slots,
            ext,
            mro_tail,
            bases,
        )
    }

    /// [`new_heap`](Self::new_heap) for a class whose type (metaclass) is `meta`, `type` or a
    /// subclass of it: the new type object's header names `meta` as its type.
    pub fn new_heap_of<T: 'static>(
        meta: &'static TypeObject,
        name: &str,
        base: Option<&'static TypeObject>,
        slots: Slots,
        ext: Box<dyn Any + Send + Sync>,
        mro_tail: &[&'static TypeObject],
        bases: &[&'static TypeObject],
    ) -> &'static TypeObject {
        assert!(
            meta.is_subtype(&crate::types::TYPE_TYPE),
            "a metaclass must derive from type"
        );
        let name: &'static str = Box::leak(name.to_owned().into_boxed_str());
        let mut t = TypeObject::new_static::<T>(name, base, slots);
        t.head = Object::immortal_header(meta as *const TypeObject);
        let _ = t.ext.set(ext);
        t.flags.store(TypeFlags::HEAP, Ordering::Relaxed);
        let t: &'static TypeObject = Box::leak(Box::new(t));
        let mut mro = Vec::with_capacity(mro_tail.len() + 1);
        mro.push(t);
        mro.extend_from_slice(mro_tail);
        let _ = t.mro.set(mro.into_boxed_slice());
        for b in bases {
            b.subclasses.lock().push(t);
        }
        t
    }

    /// The upper-layer data of type `E`, if set and of that type.
    #[inline]
    pub fn ext<E: Any>(&self) -> Option<&E> {
        self.ext.get().and_then(|b| b.downcast_ref::<E>())
    }

    /// Whether `self` is `other` (the same type object). `ty.is(&INT_TYPE)` reads as
    /// `std::ptr::eq(ty, &INT_TYPE)` and also compiles under loom, where the static types are
    /// lazy statics that coerce to `&TypeObject` only at coercion sites.
    #[inline]
    pub fn is(&self, other: &TypeObject) -> bool {
        std::ptr::eq(self, other)
    }

    /// Whether instances store a `T`.
    #[inline]
    pub fn stores<T: 'static>(&self) -> bool {
        self.layout == TypeId::of::<T>()
    }

    /// The type as an object.
    pub fn as_object(&self) -> &Object {
        &self.head
    }

    /// Whether the type was made by a class statement.
    #[inline]
    pub fn is_heap(&self) -> bool {
        self.flags.load(Ordering::Relaxed) & TypeFlags::HEAP != 0
    }

    /// The method resolution order, `self` first.
    #[inline]
    pub fn mro(&'static self) -> &'static [&'static TypeObject] {
        match self.mro.get() {
            Some(m) => m,
            None => self.static_mro(),
        }
    }

    #[cold]
    fn static_mro(&'static self) -> &'static [&'static TypeObject] {
        self.mro.get_or_init(|| {
            let mut mro = Vec::new();
            let mut t = Some(self);
            while let Some(x) = t {
                mro.push(x);
                t = x.base;
            }
            mro.into_boxed_slice()
        })
    }

    /// The direct subclasses alive (types are never freed, so all that were made).
    pub fn subclasses(&self) -> Vec<&'static TypeObject> {
        self.subclasses.lock().clone()
    }

    /// Whether `self` is `other` or derives from it, along the MRO (so multiple inheritance
    /// counts: with `class C(A, B)`, `C` is a subtype of `B`).
    pub fn is_subtype(&self, other: &TypeObject) -> bool {
        if std::ptr::eq(self, other) {
            return true;
        }
        match self.mro.get() {
            Some(m) => m.iter().any(|t| std::ptr::eq(*t, other)),
            None => {
                let mut t = self.base;
                while let Some(x) = t {
                    if std::ptr::eq(x, other) {
                        return true;
                    }
                    t = x.base;
                }
                false
            }
        }
    }

    /// The type's version tag, assigning a fresh one when it has none: a tag names one state
    /// of the type and of every class on its MRO (their dicts and bases). 0 when tags ran out.
    ///
    /// Protocol (what makes caches keyed by a tag sound, see ARCHITECTURE.md "Type version
    /// tags"): a change to a type's dict is made *first*, then [`TypeObject::modified`] resets
    /// the tags of the type and its subclasses to 0 (Release). A reader reads the tag *before*
    /// it reads the dicts; a tag assigned after a reset is new, so it can only be paired with
    /// dict contents read after the change.
    #[inline]
    pub fn version_tag(&self) -> u32 {
        let v = self.version.load(Ordering::Acquire);
        if v != 0 { v } else { self.assign_version() }
    }

    #[cold]
    fn assign_version(&self) -> u32 {
        let mut next = NEXT_VERSION.load(Ordering::Relaxed);
        loop {
            if next == u32::MAX {
                return 0;
            }
            match NEXT_VERSION.compare_exchange_weak(
                next,
                next + 1,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => break,
                Err(n) => next = n,
            }
        }
        match self
            .version
            .compare_exchange(0, next, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) => next,
            Err(current) => current,
        }
    }

    /// Records that the type's dict (or bases) changed: invalidates the version tags of the
    /// type and of every subclass, transitively. Call *after* making the change.
    pub fn modified(&self) {
        self.version.store(0, Ordering::Release);
        for sub in self.subclasses() {
            sub.modified();
        }
    }
}

impl fmt::Debug for TypeObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<class '{}'>", self.name)
    }
}
