"""Allocation statistics for guest objects: `beale run --alloc-stats script.py`.

Counts, per type, the objects beale allocated and how many of them were freed, their bytes,
the peak of live bytes, and the guest objects handed to C functions.

How it sees each event:

* allocations: `install()` wraps beale's allocation entry points (runtime.object.malloc,
  _calloc, mem_malloc, new_from_bytes' PyObject_Malloc) wherever a runtime module holds
  them, so every block beale takes from the host allocator is recorded with its size. The
  block's type is read from its `ob_type` once the constructor has written it (at the next
  allocation or at the report); blocks without a header (a list's ob_item array, a dict's
  keys table) are named after the function that allocated them.
* frees: the host frees guest objects itself (tp_dealloc -> PyObject_Free / PyMem_Free), so
  a small C helper, compiled with cffi on first use, wraps the host's PYMEM_DOMAIN_OBJ and
  PYMEM_DOMAIN_MEM allocators (PyMem_SetAllocator, as tracemalloc does) and, when a block
  beale recorded is freed or moved by realloc, updates the counts. It keeps an open
  addressing table of beale's live blocks; host blocks pass straight through.
* objects handed to C: the arguments of runtime.foreign.call_host_callable, the boundary at
  which guest objects are passed to host callables by address.

Objects that the host's tp_dealloc keeps on a free list (float, tuple, list, dict in 3.11)
are not returned to the allocator: the report counts them apart ("free-list": the block is
still allocated but holds no live object, ob_refcnt 0 or a broken header). If the host then
reuses such a block for an object of its own (PyFloat_FromDouble pops the free list), the
block counts as live again: it is memory beale allocated, holding a live object.
"""

import os
import sys
import threading

_C_SOURCE = r"""
#include <Python.h>
#include <stdlib.h>

/* one live beale block: its address, size and kind (an index into the Python names) */
typedef struct { uintptr_t addr; size_t size; int kind; } bs_entry;

#define BS_EMPTY ((uintptr_t)0)
#define BS_TOMB  ((uintptr_t)1)
#define BS_KINDS 4096

static bs_entry *bs_table;
static size_t bs_cap, bs_fill;          /* fill counts tombstones too */
static long long bs_live_n, bs_live_bytes, bs_peak_bytes;
static long long bs_freed_n[BS_KINDS], bs_freed_bytes[BS_KINDS];
static long long bs_grown_bytes[BS_KINDS];   /* size changes by realloc, per kind */
static PyMemAllocatorEx bs_orig_obj, bs_orig_mem;
static int bs_installed;

static size_t bs_hash(uintptr_t a)
{
    a >>= 3;
    a *= (uintptr_t)0x9E3779B97F4A7C15ULL;
    return (size_t)(a ^ (a >> 31));
}

static bs_entry *bs_find(uintptr_t a)
{
    size_t m, i;
    if (!bs_cap)
        return NULL;
    m = bs_cap - 1;
    i = bs_hash(a) & m;
    for (;;) {
        bs_entry *e = &bs_table[i];
        if (e->addr == a)
            return e;
        if (e->addr == BS_EMPTY)
            return NULL;
        i = (i + 1) & m;
    }
}

static int bs_grow(void)
{
    size_t newcap = bs_cap ? bs_cap * 2 : 1024, i;
    bs_entry *old = bs_table, *t = (bs_entry *)calloc(newcap, sizeof(bs_entry));
    if (!t)
        return -1;
    for (i = 0; i < bs_cap; i++) {
        if (old[i].addr > BS_TOMB) {
            size_t j = bs_hash(old[i].addr) & (newcap - 1);
            while (t[j].addr != BS_EMPTY)
                j = (j + 1) & (newcap - 1);
            t[j] = old[i];
        }
    }
    free(old);
    bs_table = t;
    bs_cap = newcap;
    bs_fill = (size_t)bs_live_n;
    return 0;
}

static void bs_insert(uintptr_t a, size_t size, int kind)
{
    size_t i;
    bs_entry *e = bs_find(a);
    if (e) {                       /* recorded twice: keep the newer size */
        bs_live_bytes += (long long)size - (long long)e->size;
        e->size = size;
        e->kind = kind;
        return;
    }
    if ((bs_fill + 1) * 2 > bs_cap && bs_grow() < 0)
        return;
    i = bs_hash(a) & (bs_cap - 1);
    while (bs_table[i].addr > BS_TOMB)
        i = (i + 1) & (bs_cap - 1);
    if (bs_table[i].addr == BS_EMPTY)
        bs_fill++;
    bs_table[i].addr = a;
    bs_table[i].size = size;
    bs_table[i].kind = kind;
    bs_live_n++;
    bs_live_bytes += (long long)size;
    if (bs_live_bytes > bs_peak_bytes)
        bs_peak_bytes = bs_live_bytes;
}

static void bs_forget(bs_entry *e)
{
    int k = (e->kind >= 0 && e->kind < BS_KINDS) ? e->kind : 0;
    bs_freed_n[k]++;
    bs_freed_bytes[k] += (long long)e->size;
    bs_live_n--;
    bs_live_bytes -= (long long)e->size;
    e->addr = BS_TOMB;
}

static void *bs_malloc(void *ctx, size_t n)
{
    PyMemAllocatorEx *o = (PyMemAllocatorEx *)ctx;
    return o->malloc(o->ctx, n);
}

static void *bs_calloc(void *ctx, size_t n, size_t s)
{
    PyMemAllocatorEx *o = (PyMemAllocatorEx *)ctx;
    return o->calloc(o->ctx, n, s);
}

static void *bs_realloc(void *ctx, void *p, size_t n)
{
    PyMemAllocatorEx *o = (PyMemAllocatorEx *)ctx;
    bs_entry *e = (p && bs_live_n) ? bs_find((uintptr_t)p) : NULL;
    void *q = o->realloc(o->ctx, p, n);
    if (e && q) {                  /* a beale block moved or changed size: follow it */
        int kind = e->kind;
        size_t old = e->size;
        e->addr = BS_TOMB;
        bs_live_n--;
        bs_live_bytes -= (long long)old;
        if (kind >= 0 && kind < BS_KINDS)
            bs_grown_bytes[kind] += (long long)n - (long long)old;
        bs_insert((uintptr_t)q, n, kind);
    }
    return q;
}

static void bs_free(void *ctx, void *p)
{
    PyMemAllocatorEx *o = (PyMemAllocatorEx *)ctx;
    if (p && bs_live_n) {
        bs_entry *e = bs_find((uintptr_t)p);
        if (e)
            bs_forget(e);
    }
    o->free(o->ctx, p);
}

/* --- called from Python (through cffi, which drops the GIL: take it back) --- */

int bs_install(void)
{
    PyGILState_STATE g = PyGILState_Ensure();
    if (!bs_installed) {
        PyMemAllocatorEx a;
        PyMem_GetAllocator(PYMEM_DOMAIN_OBJ, &bs_orig_obj);
        PyMem_GetAllocator(PYMEM_DOMAIN_MEM, &bs_orig_mem);
        a.malloc = bs_malloc; a.calloc = bs_calloc; a.realloc = bs_realloc; a.free = bs_free;
        a.ctx = &bs_orig_obj;
        PyMem_SetAllocator(PYMEM_DOMAIN_OBJ, &a);
        a.ctx = &bs_orig_mem;
        PyMem_SetAllocator(PYMEM_DOMAIN_MEM, &a);
        bs_installed = 1;
    }
    PyGILState_Release(g);
    return 0;
}

void bs_uninstall(void)
{
    PyGILState_STATE g = PyGILState_Ensure();
    if (bs_installed) {
        PyMem_SetAllocator(PYMEM_DOMAIN_OBJ, &bs_orig_obj);
        PyMem_SetAllocator(PYMEM_DOMAIN_MEM, &bs_orig_mem);
        bs_installed = 0;
    }
    PyGILState_Release(g);
}

void bs_track(uintptr_t addr, size_t size, int kind)
{
    PyGILState_STATE g = PyGILState_Ensure();
    bs_insert(addr, size, kind);
    PyGILState_Release(g);
}

int bs_retag(uintptr_t addr, int kind)   /* kind < 0: only ask whether addr is live */
{
    PyGILState_STATE g = PyGILState_Ensure();
    bs_entry *e = bs_find(addr);
    if (e && kind >= 0)
        e->kind = kind;
    PyGILState_Release(g);
    return e != NULL;
}

void bs_counts(long long *out)     /* live_n, live_bytes, peak_bytes */
{
    PyGILState_STATE g = PyGILState_Ensure();
    out[0] = bs_live_n; out[1] = bs_live_bytes; out[2] = bs_peak_bytes;
    PyGILState_Release(g);
}

void bs_freed(long long *n, long long *bytes, long long *grown, int nkinds)
{
    int i;
    PyGILState_STATE g = PyGILState_Ensure();
    for (i = 0; i < nkinds && i < BS_KINDS; i++) {
        n[i] = bs_freed_n[i];
        bytes[i] = bs_freed_bytes[i];
        grown[i] = bs_grown_bytes[i];
    }
    PyGILState_Release(g);
}

long long bs_live(uintptr_t *addrs, int *kinds, long long max)   /* the live blocks */
{
    size_t i;
    long long n = 0;
    PyGILState_STATE g = PyGILState_Ensure();
    for (i = 0; i < bs_cap && n < max; i++) {
        if (bs_table[i].addr > BS_TOMB) {
            addrs[n] = bs_table[i].addr;
            kinds[n] = bs_table[i].kind;
            n++;
        }
    }
    PyGILState_Release(g);
    return n;
}

void bs_reset(void)
{
    PyGILState_STATE g = PyGILState_Ensure();
    free(bs_table);
    bs_table = NULL;
    bs_cap = bs_fill = 0;
    bs_live_n = bs_live_bytes = bs_peak_bytes = 0;
    memset(bs_freed_n, 0, sizeof(bs_freed_n));
    memset(bs_freed_bytes, 0, sizeof(bs_freed_bytes));
    memset(bs_grown_bytes, 0, sizeof(bs_grown_bytes));
    PyGILState_Release(g);
}
"""

_CDEF = """
int bs_install(void);
void bs_uninstall(void);
void bs_track(uintptr_t addr, size_t size, int kind);
int bs_retag(uintptr_t addr, int kind);
void bs_counts(long long *out);
void bs_freed(long long *n, long long *bytes, long long *grown, int nkinds);
long long bs_live(uintptr_t *addrs, int *kinds, long long max);
void bs_reset(void);
"""

MAX_KINDS = 4096
_lock = threading.Lock()
_mod = None


def _cache_dir():
    import hashlib
    import sysconfig
    base = os.environ.get("BEALE_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
        "beale")
    key = hashlib.sha256((_C_SOURCE + _CDEF + sys.version +
                          sysconfig.get_paths()["include"]).encode()).hexdigest()[:16]
    return os.path.join(base, "allocstats-" + key)


def _helper():
    """The compiled C helper (built once into the cache directory, then imported)."""
    global _mod
    if _mod is not None:
        return _mod
    with _lock:
        if _mod is not None:
            return _mod
        import importlib.util
        import glob
        d = _cache_dir()
        found = glob.glob(os.path.join(d, "_beale_allocstats*.so"))
        if not found:
            import cffi
            import tempfile
            os.makedirs(os.path.dirname(d), exist_ok=True)
            work = tempfile.mkdtemp(prefix="allocstats.tmp", dir=os.path.dirname(d))
            ffi = cffi.FFI()
            ffi.cdef(_CDEF)
            ffi.set_source("_beale_allocstats", _C_SOURCE, py_limited_api=False,
                           define_macros=[("_CFFI_NO_LIMITED_API", None)])
            so = ffi.compile(tmpdir=work, verbose=False)
            os.makedirs(d, exist_ok=True)
            target = os.path.join(d, os.path.basename(so))
            os.replace(so, target)
            found = [target]
        spec = importlib.util.spec_from_file_location("_beale_allocstats", found[0])
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        _mod = mod
    return _mod


FREED_EARLY = "(freed before its type was read)"


class Stats(object):
    """The Python half: what was allocated (per kind), pending type resolution, C calls."""

    def __init__(self):
        self.kinds = [FREED_EARLY]         # index 0: not yet resolved
        self.kind_ix = {FREED_EARLY: 0}
        self.allocated = {}                # kind index -> [count, bytes]
        self.pending = []                  # [(block address, size, code object)]
        self.to_c = {}                     # type name -> objects handed to C
        self.c_calls = 0

    def kind(self, name):
        ix = self.kind_ix.get(name)
        if ix is None:
            ix = len(self.kinds) if len(self.kinds) < MAX_KINDS else 0
            if ix:
                self.kinds.append(name)
                self.kind_ix[name] = ix
        return ix


_stats = None
_patched = []          # (module, name, original) to undo


def _is_type(t):
    """Is there a type object at address t? (its own type is `type` or a metatype)"""
    from runtime import dump
    try:
        meta = dump.type_of(t)
        if meta == id(type):
            return True
        # a metaclass: itself a type whose type is `type`, flagged Py_TPFLAGS_TYPE_SUBCLASS
        return dump.type_of(meta) == id(type) and bool(dump.type_flags(meta) & (1 << 31))
    except (ValueError, OverflowError):
        return False


def _resolve(block, code, buffer=False):
    """The kind of the block at `block`: the type name of the object in it (plain or behind a
    PyGC_Head), or, for a headerless buffer, the function that allocated it."""
    from runtime import dump
    for addr in () if buffer else (block, block + dump.SIZEOF_GC_HEAD):
        try:
            t = dump.type_of(addr)
        except (ValueError, OverflowError):
            continue
        if t > 4096 and _is_type(t):
            return dump.type_name(t)
    where = "%s.%s" % (os.path.splitext(os.path.basename(code.co_filename))[0], code.co_name) \
        if code is not None else "?"
    return "buffer (%s)" % where


def _flush_pending():
    st = _stats
    if st is None or not st.pending:
        return
    pend, st.pending = st.pending, []
    lib = _helper().lib
    for block, size, code, buffer in pend:
        # a block already freed again (a temporary) keeps kind 0: its memory may hold
        # something else by now, so it is not read
        ix = st.kind(_resolve(block, code, buffer)) if lib.bs_retag(block, -1) else 0
        if ix:
            lib.bs_retag(block, ix)
        c = st.allocated.setdefault(ix, [0, 0])
        c[0] += 1
        c[1] += size


def _record(block, size, code, buffer=False):
    st = _stats
    if st.pending:
        _flush_pending()
    _helper().lib.bs_track(block, size, 0)
    st.pending.append((block, size, code, buffer))


def _wrap_alloc(fn, size_of_args, buffer=False):
    """Wrap an allocation function; `buffer`: it allocates raw buffers (PyMem domain), never
    objects, so its blocks are named after the allocating function, not read for a type
    (an uninitialised buffer may still hold a freed object's header)."""
    def wrapper(*args):
        r = fn(*args)
        addr = r if isinstance(r, int) else getattr(r, "addr", None)
        if addr is None:
            addr = int(_ffi_cast_uintptr(r))
        if _stats is not None and addr:
            _record(addr, size_of_args(args, r), _caller_code(), buffer)
        return r
    wrapper.__wrapped__ = fn
    wrapper.__name__ = getattr(fn, "__name__", "alloc")
    return wrapper


def _caller_code():
    """The code object of the first caller outside runtime/object.py (the constructor)."""
    f = sys._getframe(2)
    while f is not None and f.f_code.co_filename.endswith(os.path.join("runtime", "object.py")):
        f = f.f_back
    return f.f_code if f is not None else None


def _ffi_cast_uintptr(p):
    from layout import ffi
    return ffi.cast("uintptr_t", p)


def _wrap_realloc(fn):
    def wrapper(addr, size):
        r = fn(addr, size)
        if _stats is not None and not addr and r:
            _record(r, size, _caller_code(), True)
        return r
    wrapper.__wrapped__ = fn
    return wrapper


def _wrap_call_host(fn):
    def wrapper(callable_, args_w, kwargs_w=None):
        st = _stats
        if st is not None:
            st.c_calls += 1
            for w in list(args_w) + list((kwargs_w or {}).values()):
                try:
                    from runtime import dump
                    name = dump.type_name(dump.type_of(w.addr))
                except Exception:
                    name = "?"
                st.to_c[name] = st.to_c.get(name, 0) + 1
        return fn(callable_, args_w, kwargs_w)
    wrapper.__wrapped__ = fn
    return wrapper


def _patch_everywhere(original, replacement):
    """Rebind every runtime module global that holds `original` to `replacement`."""
    for modname, mod in list(sys.modules.items()):
        if not modname.startswith("runtime") or mod is None:
            continue
        for name, value in list(vars(mod).items()):
            if value is original:
                setattr(mod, name, replacement)
                _patched.append((mod, name, original))


def install():
    """Start counting (idempotent). Imports the object model so every allocator is bound."""
    global _stats
    if _stats is not None:
        return _stats
    from runtime import object as o
    o.load_builtin_types()
    for extra in ("runtime.space", "runtime.typeobject", "runtime.functionobject",
                  "runtime.foreign", "runtime.interp.frame", "runtime.exceptions",
                  "runtime.moduleobject"):
        try:
            __import__(extra)
        except ImportError:
            pass
    lib = _helper().lib
    lib.bs_reset()
    _stats = Stats()
    lib.bs_install()
    # the allocation entry points; sizes from their arguments
    # the lowest entry points (malloc() and new_from_bytes() both call _malloc, so
    # wrapping it, not them, counts each block once)
    targets = [
        (getattr(o, "_malloc", None), lambda a, r: a[0]),
        (getattr(o, "_calloc", None), lambda a, r: a[0]),
    ]
    for fn, size in targets:
        if fn is not None:
            _patch_everywhere(fn, _wrap_alloc(fn, size))
    # the C allocate-and-fill constructors bypass object._malloc: count their Python
    # twins instead
    from runtime import floatobject, intobject, tupleobject, typeobject, listobject
    for mod, fast, packed in ((floatobject, "new_float", "new_float_packed"),
                              (intobject, "new_int", "new_int_packed"),
                              (tupleobject, "new_tuple_from_addrs", "new_tuple_from_addrs_py"),
                              (typeobject, "alloc_instance", "alloc_instance_py"),
                              (listobject, "new_list_from_addrs", "new_list_from_addrs_py"),
                              (o, "new_from_bytes", "new_from_bytes_py")):
        if getattr(mod, fast) is not getattr(mod, packed):
            _patch_everywhere(getattr(mod, fast), getattr(mod, packed))
    fn = getattr(o, "mem_malloc", None)
    if fn is not None:
        _patch_everywhere(fn, _wrap_alloc(fn, lambda a, r: a[0], buffer=True))
    # PyMem_Realloc(NULL, n) is a fresh allocation (list_resize grows ob_item from NULL);
    # a realloc of a block already recorded is followed by the C hook
    fn = getattr(o, "mem_realloc", None)
    if fn is not None:
        _patch_everywhere(fn, _wrap_realloc(fn))
    from runtime import foreign
    fn = getattr(foreign, "call_host_callable", None)
    if fn is not None:
        _patch_everywhere(fn, _wrap_call_host(fn))
    return _stats


def uninstall():
    """Stop counting and restore the original functions (the C hooks are removed too)."""
    global _stats
    for mod, name, original in reversed(_patched):
        setattr(mod, name, original)
    del _patched[:]
    if _mod is not None:
        _mod.lib.bs_uninstall()
    _stats = None


def snapshot():
    """{"types": {name: {"allocated", "freed", "live", "bytes", "freed_bytes",
    "live_bytes"}}, "live", "live_bytes", "peak_bytes", "to_c", "c_calls"}."""
    st = _stats
    if st is None:
        raise RuntimeError("allocstats is not installed")
    _flush_pending()
    h = _helper()
    ffi, lib = h.ffi, h.lib
    n = len(st.kinds)
    fn = ffi.new("long long[]", n)
    fb = ffi.new("long long[]", n)
    fg = ffi.new("long long[]", n)
    lib.bs_freed(fn, fb, fg, n)
    out = ffi.new("long long[3]")
    lib.bs_counts(out)
    cached = _free_listed(ffi, lib, out[0], st.kinds)
    types = {}
    for ix, name in enumerate(st.kinds):
        a, b = st.allocated.get(ix, [0, 0])
        b += fg[ix]                    # bytes added (or removed) later by realloc
        if not (a or fn[ix]):
            continue
        types[name] = {"allocated": a, "freed": fn[ix], "live": a - fn[ix], "bytes": b,
                       "freed_bytes": fb[ix], "live_bytes": b - fb[ix],
                       "free_listed": cached.get(ix, 0)}
    return {"types": types, "live": out[0], "live_bytes": out[1], "peak_bytes": out[2],
            "to_c": dict(st.to_c), "c_calls": st.c_calls}


def _free_listed(ffi, lib, nlive, kinds):
    """{kind index: blocks still allocated but dead}: objects the host's tp_dealloc put on a
    free list (3.11 float/tuple/list/dict...). Such a block no longer holds a live object of
    its kind: its ob_refcnt is 0, or (float) its ob_type word links the free list."""
    from runtime import dump
    n = max(int(nlive), 0)
    addrs = ffi.new("uintptr_t[]", n + 1)
    ks = ffi.new("int[]", n + 1)
    got = lib.bs_live(addrs, ks, n)
    out = {}
    for i in range(got):
        k = ks[i]
        name = kinds[k] if 0 < k < len(kinds) else None
        if name is None or name.startswith("buffer ("):
            continue
        live = False
        for addr in (addrs[i], addrs[i] + dump.SIZEOF_GC_HEAD):
            try:
                t = dump.type_of(addr)
                if t > 4096 and _is_type(t) and dump.type_name(t) == name:
                    live = dump.refcnt_of(addr) > 0
                    break
            except (ValueError, OverflowError):
                continue
        if not live:
            out[k] = out.get(k, 0) + 1
    return out


def report(snap=None):
    """The table printed after `beale run --alloc-stats`."""
    s = snap or snapshot()
    rows = sorted(s["types"].items(), key=lambda kv: (-kv[1]["bytes"], kv[0]))
    lines = ["beale allocation stats (blocks beale allocated with the host allocator)",
             "%-42s %10s %10s %10s %10s %14s %12s" % ("type", "allocated", "freed",
                                                      "free-list", "live", "bytes",
                                                      "live bytes")]
    keys = ("allocated", "freed", "free_listed", "live", "bytes", "live_bytes")
    tot = [0] * len(keys)
    for name, r in rows:
        vals = [r["allocated"], r["freed"], r["free_listed"], r["live"] - r["free_listed"],
                r["bytes"], r["live_bytes"]]
        lines.append("%-42s %10d %10d %10d %10d %14d %12d" % tuple([name[:42]] + vals))
        for i, v in enumerate(vals):
            tot[i] += v
    lines.append("%-42s %10d %10d %10d %10d %14d %12d" % tuple(["total"] + tot))
    lines.append("peak live bytes: %d   live now: %d blocks, %d bytes" % (
        s["peak_bytes"], s["live"], s["live_bytes"]))
    to_c = ", ".join("%s %d" % kv for kv in sorted(s["to_c"].items(), key=lambda kv: -kv[1]))
    lines.append("objects handed to C: %d in %d calls%s" % (
        sum(s["to_c"].values()), s["c_calls"], (" (" + to_c + ")") if to_c else ""))
    lines.append("(free-list: freed by the host's tp_dealloc onto its free lists, memory not "
                 "returned yet; live bytes include them)")
    return "\n".join(lines)


def main(argv):
    """`beale run --alloc-stats script.py args...` (also `python -m runtime.allocstats ...`):
    run the program with counting on, then print the table on stderr."""
    argv = [a for a in argv if a != "--alloc-stats"]
    if argv and argv[0] == "run":
        argv = argv[1:]
    install()
    from runtime import cli
    code = 1
    try:
        code = cli.main(argv)
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
    finally:
        try:
            sys.stdout.flush()
        except Exception:
            pass
        sys.stderr.write(report() + "\n")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
