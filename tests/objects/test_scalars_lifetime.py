"""Shared lifetimes (acceptance 3): counts are shared with C, the host frees beale's objects
with its own deallocators, nothing is freed twice."""

import os
import subprocess
import sys
import textwrap

import _ctypes

from runtime import object as o
from runtime.intobject import new_int
from runtime.floatobject import new_float
from runtime.unicodeobject import new_str
from runtime.bytesobject import new_bytes
from runtime.complexobject import new_complex

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_handle_is_one_count():
    w = new_float(1.25)
    assert o.refcnt(w.addr) == 1
    w2 = o.wrap(w.addr)
    assert o.refcnt(w.addr) == 2
    del w2
    assert o.refcnt(w.addr) == 1


def test_host_keeps_object_after_guest_drops_it():
    keep = []
    for make, v in ((new_float, 2.5), (new_int, 10 ** 30), (new_str, "h\u20acllo"),
                    (new_bytes, b"xyz"), (new_complex, 1 + 2j)):
        w = make(v)
        keep.append(_ctypes.PyObj_FromPtr(w.addr))
        addr = w.addr
        del w
        assert o.refcnt(addr) == 1          # only the host list's reference is left
        assert keep[-1] == v
    assert keep == [2.5, 10 ** 30, "h\u20acllo", b"xyz", 1 + 2j]


def test_incref_decref_store_in_c_field():
    w = new_str("stored in a C field")
    addr = w.addr
    o.incref(addr)                          # e.g. a container slot owns a count
    del w
    assert o.refcnt(addr) == 1
    w = o.wrap(addr)
    assert w.v == "stored in a C field"
    o.decref(addr)                          # the slot lets go; the handle keeps it alive
    assert o.refcnt(addr) == 1


def test_alloc_object_gc_prefix():
    """alloc_object(gc=True) puts a zeroed, untracked PyGC_Head in front of the object."""
    import gc
    from layout import ffi
    tup_type = o.type_address("PyTuple_Type")
    addr = o.alloc_object(tup_type, ffi.sizeof("PyTupleObject") - ffi.sizeof("PyObject *"),
                          ffi.sizeof("PyObject *"), 0, gc=True)
    assert o.refcnt(addr) == 1
    head = ffi.buffer(ffi.cast("char *", addr - o.SIZEOF_GC_HEAD), o.SIZEOF_GC_HEAD)[:]
    assert head == b"\0" * o.SIZEOF_GC_HEAD
    w = o.steal(o.W_Foreign, addr)
    assert _ctypes.PyObj_FromPtr(addr) == ()
    assert not gc.is_tracked(_ctypes.PyObj_FromPtr(addr))
    del w                                   # host tupledealloc + PyObject_GC_Del


_SCRIPT = textwrap.dedent("""
    import sys, gc, _ctypes
    sys.path.insert(0, %(repo)r)
    from runtime import object as o
    from runtime.intobject import new_int
    from runtime.floatobject import new_float
    from runtime.unicodeobject import new_str, str_hash
    from runtime.bytesobject import new_bytes
    from runtime.bytearrayobject import new_bytearray, bytearray_append
    from runtime.complexobject import new_complex

    expected = []
    keep = []
    for rnd in range(3):
        for i in range(3000):
            vals = (i + 0.5, 10 ** 20 + i, "s%%d\\u20ac\\U0001F600" %% i, b"b%%d" %% i,
                    complex(i, -i))
            for make, v in zip((new_float, new_int, new_str, new_bytes, new_complex), vals):
                w = make(v)
                if i %% 2:
                    keep.append(_ctypes.PyObj_FromPtr(w.addr))   # the host keeps it
                    expected.append(v)
                elif i %% 3 == 0:
                    o.incref(w.addr)                              # a C slot keeps it...
                    a = w.addr
                    del w
                    o.decref(a)                                   # ...and drops it
            ba = new_bytearray(b"abc")
            bytearray_append(ba, new_int(i %% 256))
            h = _ctypes.PyObj_FromPtr(ba.addr)
            h.extend(b"host-side growth")
            del ba
            keep.append(h)
            expected.append(bytearray(b"abc" + bytes([i %% 256]) + b"host-side growth"))
        assert keep == expected, "values changed"
        del keep[:]
        del expected[:]
        gc.collect()
    print("OK")
""")


def test_lifetimes_under_debug_allocator():
    """Many objects handed to the host, kept, dropped, under -X dev + PYTHONMALLOC=debug
    (the debug allocator aborts on a double free or a foreign pointer)."""
    env = dict(os.environ, PYTHONMALLOC="debug", PYTHONDEVMODE="1")
    r = subprocess.run([sys.executable, "-X", "dev", "-c", _SCRIPT % {"repo": REPO}],
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.strip().endswith("OK")


def test_alloc_object_var_size_sets_ob_size():
    """alloc_object for a variable-size type: ob_size = nitems (PyObject_InitVar), zeroed
    items, the size rounded up like _PyObject_VAR_SIZE."""
    from layout import ffi
    bytes_type = o.type_address("PyBytes_Type")
    assert o.var_size(33, 1, 3) == 40
    addr = o.alloc_object(bytes_type, 33, 1, 3)
    assert ffi.cast("PyVarObject *", addr).ob_size == 3
    assert ffi.buffer(ffi.cast("char *", addr + 24), 16)[:] == b"\0" * 16
    o.decref(addr)                          # host frees it (object_dealloc -> PyObject_Free)


def test_singletons_are_the_hosts():
    assert o.w_None.addr == id(None)
    assert o.w_Ellipsis.addr == id(Ellipsis)
    assert o.w_NotImplemented.addr == id(NotImplemented)
    assert o.wrap(id(None)).__class__ is o.W_None
    from runtime.typedef import TYPEDEFS
    assert TYPEDEFS["NoneType"].methods["__repr__"](o.w_None).v == "None"
    assert TYPEDEFS["ellipsis"].methods["__repr__"](o.w_Ellipsis).v == "Ellipsis"


def test_wrap_unknown_type_is_foreign():
    import array
    a = array.array("i", [1, 2])
    w = o.wrap(id(a))
    # runtime.foreign, once imported, gives each host type its own W_Foreign subclass
    assert isinstance(w, o.W_Foreign) and _ctypes.PyObj_FromPtr(w.addr) is a
    assert not isinstance(w, (o.W_Int, o.W_Str, o.W_Bytes))


def test_host_frees_guest_objects_it_dropped():
    """Memory of guest objects kept only by a host list comes back when the host drops
    the list (tracemalloc sees beale's PyObject_Malloc calls and the host's frees)."""
    import gc
    import tracemalloc
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        keep = []
        for i in range(20000):
            w = new_str("guest string number %d \u20ac" % i)
            keep.append(_ctypes.PyObj_FromPtr(w.addr))
            w = new_int(10 ** 20 + i)
            keep.append(_ctypes.PyObj_FromPtr(w.addr))
        del w
        held = tracemalloc.get_traced_memory()[0] - base
        assert held > 20000 * 2 * 40            # the structs are alive, owned by the host
        del keep
        gc.collect()
        left = tracemalloc.get_traced_memory()[0] - base
        assert left < held / 20, (held, left)   # ... and freed by the host's deallocators
    finally:
        tracemalloc.stop()


def test_wrap_returns_shared_singleton_handles():
    """wrap() of a process-lifetime object (None, True, a small int, '' or a latin-1
    character) returns beale's shared handle without touching the count."""
    from runtime.intobject import small_int
    for w in (o.w_None, o.w_True, o.w_False, o.w_Ellipsis):
        assert o.wrap(w.addr) is w          # (their counts move with the host's own use)
    for w in (small_int(7), small_int(-5), new_str(""), new_str("\xe9"), new_bytes(b"x")):
        rc = o.refcnt(w.addr)
        w2 = o.wrap(w.addr)
        assert w2 is w
        assert o.refcnt(w.addr) == rc
    w = new_int(10 ** 6)
    assert o.wrap(w.addr) is not w and o.wrap(w.addr).v == 10 ** 6
