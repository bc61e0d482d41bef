//! The specializing parts of the eval loop (PEP 659's idea, first instructions).
//!
//! Every instruction of a code object has a [`Site`] (`Code::sites`), shared by all threads
//! that run the code. An instruction that can specialize first tries its site's cached answer,
//! guarded by the type version tag of the object it runs on; on a miss it runs the generic
//! path and, when the site's countdown says so, tries to fill the site from what it just saw
//! (with exponential backoff when the operands are of a kind it does not handle). The rules
//! that make this safe with many threads are in [`weft_object::site_cache`]: seqlocked
//! entries, strong references only, replaced references released through QSBR.
//!
//! Specialized so far:
//!
//! | instruction | kind | guard | fast path |
//! | --- | --- | --- | --- |
//! | `LOAD_ATTR` | instance value | type version | the value at the cached shared-keys index |
//! | `STORE_ATTR` | instance value | type version | store at the cached index, in the instance's critical section |
//! | `LOAD_METHOD` | method | type version, shared-keys length | the cached function, unbound |
//! | `LOAD_GLOBAL` | global | the key at the cached position of the globals dict | that entry's value |
//! | `LOAD_GLOBAL` | builtin | globals contents tag; the key at the cached position of builtins | that entry's value |
//!
//! `-X specialization=0` or `WEFT_SPECIALIZATION=0` turns specialization off (sites are then
//! never filled and every instruction takes its generic path); `WEFT_LOG=weft::specialize=debug`
//! logs every site filled and every attempt given up.

use std::sync::atomic::{AtomicBool, Ordering};

use weft_containers::dict::Dict;
use weft_object::site_cache::Site;
use weft_object::{ObjRef, Object};

use crate::attr::{self, Method, instance_attrs};
use crate::core::{Result, as_str, lookup, type_ext};

static ENABLED: AtomicBool = AtomicBool::new(true);

/// Turns specialization on or off for the whole process (sites already filled stay in use
/// until their guards fail).
pub fn set_enabled(on: bool) {
    ENABLED.store(on, Ordering::Relaxed);
}

/// Whether specialization is on.
pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// Kinds of entry, in the top bits of a site's data word.
const KIND_SHIFT: u32 = 24;
const INDEX_MASK: u32 = (1 << KIND_SHIFT) - 1;
const KIND_INSTANCE_VALUE: u32 = 1;
const KIND_METHOD: u32 = 2;
const KIND_GLOBAL: u32 = 3;
const KIND_BUILTIN: u32 = 4;

/// A data word: `kind` and a 24-bit index.
fn data(kind: u32, index: usize) -> u32 {
    debug_assert!(index <= INDEX_MASK as usize);
    (kind << KIND_SHIFT) | index as u32
}

/// Whether a miss should try to specialize now.
#[inline]
fn due(site: &Site) -> bool {
    ENABLED.load(Ordering::Relaxed) && site.should_specialize()
}

fn log_filled(what: &str, obj: &Object, name: &Object) {
    log(what, obj, name, "specialized");
}

fn log_failed(site: &Site, what: &str, obj: &Object, name: &Object) {
    site.backoff();
    log(what, obj, name, "not specialized");
}

fn log(what: &str, obj: &Object, name: &Object, outcome: &str) {
    tracing::debug!(
        target: "weft::specialize",
        instr = what,
        ty = obj.ty().name,
        name = as_str(name).unwrap_or("?"),
        "{outcome}"
    );
}

/// The shared-keys index at which instances of `obj`'s type keep `name`, when a read or a
/// write of the attribute `name` on `obj` may go straight to the instance's inline values:
/// `obj` is an instance of a heap type with inline values and no dict, the type has no
/// `__getattribute__`/`__setattr__` of its own (`hook`), and no class on the MRO defines
/// `name` as a data descriptor (a non-data class attribute is fine: the instance's value
/// shadows it). With the index comes the type's version tag, read *before* the MRO was
/// looked at.
fn instance_value_index(obj: &Object, name: &Object, hook: &str) -> Result<Option<(u32, usize)>> {
    let ty = obj.ty();
    if !ty.is_heap() || ty.slots.getattr.is_some() || !name.refcount().is_immortal() {
        return Ok(None);
    }
    let Some(attrs) = instance_attrs(obj) else {
        return Ok(None);
    };
    if attrs.dict().is_some() || matches!(as_str(name), Some("__class__" | "__dict__") | None) {
        return Ok(None);
    }
    let version = ty.version_tag();
    if version == 0 || attr::user_hook(ty, hook)?.is_some() {
        return Ok(None);
    }
    match lookup(ty, name)? {
        None => {}
        Some(a) if !attr::is_data_descr(&a)? => {}
        Some(_) => return Ok(None),
    }
    let index = type_ext(ty).keys.index(name);
    Ok(index.map(|i| (version, i)))
}

/// Fills `site` (instruction `what`) with the instance-value entry for `name` on `obj`, or
/// backs off when the access cannot go straight to the inline values (`hook`: the type's
/// method that would intercept it).
fn fill_instance_value(site: &Site, what: &str, obj: &Object, name: &Object, hook: &str) {
    match instance_value_index(obj, name, hook) {
        Ok(Some((version, i))) => {
            site.fill(version, data(KIND_INSTANCE_VALUE, i), None);
            log_filled(what, obj, name);
        }
        _ => log_failed(site, what, obj, name),
    }
}

// ---------------------------------------------------------------------------------------------
// LOAD_ATTR
// ---------------------------------------------------------------------------------------------

/// `LOAD_ATTR name` on `obj` with the instruction's `site`.
#[inline]
pub(crate) fn load_attr(site: &Site, obj: &Object, name: &Object) -> Result<ObjRef> {
    if let Some(d) = site.read_data(obj.ty().version_tag())
        && d >> KIND_SHIFT == KIND_INSTANCE_VALUE
        && let Some(attrs) = instance_attrs(obj)
        && attrs.dict().is_none()
        && let Some(v) = attrs.get(obj, (d & INDEX_MASK) as usize)
    {
        return Ok(v);
    }
    load_attr_miss(site, obj, name)
}

#[inline(never)]
fn load_attr_miss(site: &Site, obj: &Object, name: &Object) -> Result<ObjRef> {
    let r = attr::getattr(obj, name)?;
    if due(site) {
        fill_instance_value(site, "LOAD_ATTR", obj, name, "__getattribute__");
    }
    Ok(r)
}

// ---------------------------------------------------------------------------------------------
// STORE_ATTR
// ---------------------------------------------------------------------------------------------

/// `STORE_ATTR name`: `obj.name = value` with the instruction's `site`.
#[inline]
pub(crate) fn store_attr(site: &Site, obj: &Object, name: &Object, value: ObjRef) -> Result<()> {
    let value = match site.read_data(obj.ty().version_tag()) {
        Some(d) if d >> KIND_SHIFT == KIND_INSTANCE_VALUE => {
            match store_inline(obj, (d & INDEX_MASK) as usize, value) {
                Ok(()) => return Ok(()),
                Err(v) => v,
            }
        }
        _ => value,
    };
    store_attr_miss(site, obj, name, value)
}

/// Stores `value` at `index` of `obj`'s inline values, unless the instance has a dict by now
/// (then `value` comes back).
#[inline]
fn store_inline(obj: &Object, index: usize, value: ObjRef) -> std::result::Result<(), ObjRef> {
    let Some(attrs) = instance_attrs(obj) else {
        return Err(value);
    };
    let r = obj.with_lock(|| {
        if attrs.dict().is_some() {
            return Err(value);
        }
        Ok(attrs.set(obj, index, Some(value)).garbage)
    });
    // The replaced value is dropped outside the critical section (a drop can run `__del__`).
    r.map(drop)
}

#[inline(never)]
fn store_attr_miss(site: &Site, obj: &Object, name: &Object, value: ObjRef) -> Result<()> {
    attr::setattr(obj, name, value)?;
    if due(site) {
        fill_instance_value(site, "STORE_ATTR", obj, name, "__setattr__");
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// LOAD_METHOD
// ---------------------------------------------------------------------------------------------

/// `LOAD_METHOD name` on `obj` with the instruction's `site`.
#[inline]
pub(crate) fn load_method(site: &Site, obj: &Object, name: &Object) -> Result<Method> {
    let ty = obj.ty();
    if let Some(hit) = site.read(ty.version_tag())
        && hit.data >> KIND_SHIFT == KIND_METHOD
        && let Some(f) = hit.value
    {
        // The instance does not shadow the method: its class's shared keys had
        // `data & INDEX_MASK` names when the site was filled, none of them `name`, and still
        // have that many; and it has no dict.
        match instance_attrs(obj) {
            None => return Ok(Method::Unbound(f)),
            Some(a)
                if a.dict().is_none()
                    && type_ext(ty).keys.len() == (hit.data & INDEX_MASK) as usize =>
            {
                return Ok(Method::Unbound(f));
            }
            Some(_) => {}
        }
    }
    load_method_miss(site, obj, name)
}

#[inline(never)]
fn load_method_miss(site: &Site, obj: &Object, name: &Object) -> Result<Method> {
    let m = attr::load_method(obj, name)?;
    if due(site) {
        match method_entry(obj, name, &m) {
            Ok(Some((version, d, f))) => {
                site.fill(version, d, Some(f));
                log_filled("LOAD_METHOD", obj, name);
            }
            _ => log_failed(site, "LOAD_METHOD", obj, name),
        }
    }
    Ok(m)
}

/// The entry for a `LOAD_METHOD` that found `m`: a plain method of a heap type, not shadowed
/// by the instance (whose class's shared keys do not hold `name`).
fn method_entry(obj: &Object, name: &Object, m: &Method) -> Result<Option<(u32, u32, ObjRef)>> {
    let Method::Unbound(f) = m else {
        return Ok(None);
    };
    let ty = obj.ty();
    if !ty.is_heap() || ty.slots.getattr.is_some() || !name.refcount().is_immortal() {
        return Ok(None);
    }
    let version = ty.version_tag();
    if version == 0 || attr::user_hook(ty, "__getattribute__")?.is_some() {
        return Ok(None);
    }
    // The class attribute must be the very object found (read after the version).
    match lookup(ty, name)? {
        Some(a) if a.is(f) && attr::is_plain_method(&a) => {}
        _ => return Ok(None),
    }
    let keys_len = match instance_attrs(obj) {
        None => 0,
        Some(a) => {
            // The length first: a name added after it was read is not among the first `n`,
            // and the fast path checks that there are still exactly `n`.
            let keys = &type_ext(ty).keys;
            let n = keys.len();
            if a.dict().is_some() || keys.index(name).is_some_and(|i| i < n) {
                return Ok(None);
            }
            n
        }
    };
    Ok(Some((version, data(KIND_METHOD, keys_len), f.clone())))
}

// ---------------------------------------------------------------------------------------------
// LOAD_GLOBAL
// ---------------------------------------------------------------------------------------------

/// The version a `LOAD_GLOBAL` site of kind global is filled with: any non-zero value (the
/// kind needs no version; its guard is the key found at the cached position).
const ANY_VERSION: u32 = 1;

/// `LOAD_GLOBAL name` with the instruction's `site`. The site remembers *where* the name was
/// found, never the value (so it keeps nothing alive): a global at position `ix` of the
/// globals dict (guard: the entry there still has `name` as its key), or a builtin at position
/// `ix` of the builtins dict (guards: the globals dict's contents tag is the one read before
/// the fill found `name` absent from it, and the builtins entry still has `name`). The value
/// is read from the dict each time, so rebinding a global or a builtin needs no refill.
/// `lookup` is the generic path (globals, then builtins); `None` when the name is in neither.
#[inline]
pub(crate) fn load_global(
    site: &Site,
    globals: Dict<'_>,
    builtins: Option<Dict<'_>>,
    name: &Object,
    lookup: impl FnOnce() -> Result<Option<ObjRef>>,
) -> Result<Option<ObjRef>> {
    if let Some((version, d)) = site.read_entry() {
        let ix = (d & INDEX_MASK) as usize;
        match d >> KIND_SHIFT {
            KIND_GLOBAL => {
                if let Some(v) = globals.get_at(ix, name) {
                    return Ok(Some(v));
                }
            }
            KIND_BUILTIN => {
                if let Some(b) = builtins
                    && version == globals.version_tag()
                    && let Some(v) = b.get_at(ix, name)
                {
                    return Ok(Some(v));
                }
            }
            _ => {}
        }
    }
    load_global_miss(site, globals, builtins, name, lookup)
}

#[inline(never)]
fn load_global_miss(
    site: &Site,
    globals: Dict<'_>,
    builtins: Option<Dict<'_>>,
    name: &Object,
    lookup: impl FnOnce() -> Result<Option<ObjRef>>,
) -> Result<Option<ObjRef>> {
    if due(site) {
        match global_entry(globals, builtins, name) {
            Ok(Some((version, d))) => {
                site.fill(version, d, None);
                tracing::debug!(target: "weft::specialize", instr = "LOAD_GLOBAL", "specialized");
            }
            _ => site.backoff(),
        }
    }
    lookup()
}

/// Where `name` is: `(version, data)` for a `LOAD_GLOBAL` site, when it is found with `name`
/// itself as the key (a cached position is checked by identity).
fn global_entry(
    globals: Dict<'_>,
    builtins: Option<Dict<'_>>,
    name: &Object,
) -> Result<Option<(u32, u32)>> {
    // The tag before the lookups: a write after this makes it stale.
    let gv = globals.version_tag();
    if let Some(ix) = globals.entry_index(name)? {
        let usable = ix <= INDEX_MASK as usize && globals.get_at(ix, name).is_some();
        return Ok(usable.then(|| (ANY_VERSION, data(KIND_GLOBAL, ix))));
    }
    let Some(b) = builtins else {
        return Ok(None);
    };
    match b.entry_index(name)? {
        Some(ix) if gv != 0 && ix <= INDEX_MASK as usize && b.get_at(ix, name).is_some() => {
            Ok(Some((gv, data(KIND_BUILTIN, ix))))
        }
        _ => Ok(None),
    }
}
