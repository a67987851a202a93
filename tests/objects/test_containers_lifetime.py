"""Shared lifetimes of containers (acceptance 3): one count per stored pointer, exactly as
CPython keeps them; the host's own deallocators (list_dealloc, dict_dealloc with
free_keys_object, set_dealloc, tupledealloc and their free lists) free beale's memory."""

import gc
import os
import subprocess
import sys
import textwrap

import _ctypes

from runtime import object as o
from runtime import tupleobject as T, listobject as L, dictobject as D, setobject as S
from runtime import sliceobject as SL, cellobject as C
from runtime.floatobject import new_float
from runtime.intobject import new_int
from runtime.unicodeobject import new_str

from tests.objects.test_containers_util import to_guest

from_ptr = _ctypes.PyObj_FromPtr
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _makers():
    """Each maker stores the given item handle in a new guest container."""
    return [
        ("tuple", lambda w: T.new_tuple([w, w])),
        ("list", lambda w: L.new_list([w, w])),
        ("dict", lambda w: _dict_with(w)),
        ("set", lambda w: S.new_set([w])),
        ("frozenset", lambda w: S.new_frozenset([w])),
        ("slice", lambda w: SL.new_slice(w, w, w)),
        ("cell", lambda w: C.new_cell(w)),
    ]


def _dict_with(w):
    wd = D.new_dict()
    D.dict_setitem(wd, new_str("k"), w)
    D.dict_setitem(wd, w, w)
    return wd


def test_each_stored_pointer_owns_one_count():
    w_item = new_float(3.25)
    base = o.refcnt(w_item.addr)
    expected = {"tuple": 2, "list": 2, "dict": 3, "set": 1, "frozenset": 1, "slice": 3,
                "cell": 1}
    for name, make in _makers():
        w_c = make(w_item)
        assert o.refcnt(w_item.addr) == base + expected[name], name
        del w_c                                   # host tp_dealloc frees the container
        assert o.refcnt(w_item.addr) == base, name


def test_host_keeps_container_after_guest_drops_it():
    keep = []
    for v in ([1.5, "x", (1, 2)], {"a": [1], 2: "b"}, (None, 1.0), {1, 2, 3}):
        w = to_guest(v)
        keep.append(from_ptr(w.addr))
        addr = w.addr
        del w
        assert o.refcnt(addr) == 1            # the host's reference only
        assert keep[-1] == v
    gc.collect()
    assert keep == [[1.5, "x", (1, 2)], {"a": [1], 2: "b"}, (None, 1.0), {1, 2, 3}]


def test_host_drop_frees_items():
    w_item = new_float(7.5)
    base = o.refcnt(w_item.addr)
    wl = L.new_list([w_item] * 10)
    wd = D.new_dict()
    for i in range(30):                        # a malloc'd keys table, general entries
        D.dict_setitem(wd, new_int(i), w_item)
    ws = S.new_set([new_int(i) for i in range(40)] + [w_item])   # a malloc'd set table
    assert o.refcnt(w_item.addr) == base + 41
    host = [from_ptr(wl.addr), from_ptr(wd.addr), from_ptr(ws.addr)]
    del wl, wd, ws
    assert o.refcnt(w_item.addr) == base + 41  # the host keeps them alive
    del host
    assert o.refcnt(w_item.addr) == base


def test_guest_operations_keep_counts_balanced():
    w_item = new_str("balanced-" + "x" * 10)
    base = o.refcnt(w_item.addr)
    wl = L.new_list()
    for i in range(50):
        L.list_append(wl, w_item)
        L.list_insert(wl, new_int(0), w_item)
    for i in range(30):
        L.list_pop(wl)
    L.list_setitem(wl, SL.new_slice(new_int(2), new_int(20)), to_guest([1, 2]))
    n = L.list_size(wl)
    try:
        L.list_sort(wl, key=None)              # str < int raises: the list is restored
    except Exception as e:
        assert "not supported" in str(e)
    else:
        raise AssertionError("sort of str and int should fail")
    assert L.list_size(wl) == n
    L.list_reverse(wl)
    wd = D.new_dict()
    for i in range(40):
        D.dict_setitem(wd, new_int(i), w_item)
        D.dict_setitem(wd, new_str("s%d" % i), w_item)
    for i in range(0, 40, 2):
        D.dict_delitem(wd, new_int(i))
    D.dict_popitem(wd)
    ws = S.new_set([w_item])
    S.set_discard(ws, w_item)
    S.set_add_key(ws, w_item)
    del wl, wd, ws
    assert o.refcnt(w_item.addr) == base


def test_free_lists_reuse_beale_memory():
    """Host deallocation pushes beale's tuples/lists/dicts onto the host's free lists; the
    host then builds its own objects in that memory."""
    addrs = set()
    for i in range(50):
        w = to_guest([i, (i, str(i)), {"k": i}])
        addrs.add(w.addr)
        del w
    made = [[j] for j in range(200)] + [{"a": j} for j in range(200)] + \
           [(j, j + 1) for j in range(200)]
    assert sum(made[k][0] for k in range(200)) == sum(range(200))
    gc.collect()


def test_reference_cycles_are_collected_by_the_host_gc():
    w_a = L.new_list()
    w_b = L.new_list([w_a])
    L.list_append(w_a, w_b)                     # a <-> b
    w_marker = new_float(99.5)
    L.list_append(w_a, w_marker)
    base = o.refcnt(w_marker.addr)
    del w_a, w_b
    gc.collect()
    assert o.refcnt(w_marker.addr) == base - 1   # the cycle (and its count) is gone


def test_debug_allocator_subprocess():
    """The whole life cycle under `python -X dev` with PYTHONMALLOC=debug: the debug hooks
    check that every block is freed by the allocator domain that made it (PyMem for ob_item
    and set tables, PyObject for objects and dict keys) and catch writes past the end."""
    script = textwrap.dedent("""
        import gc, json, _heapq, _ctypes, sys
        sys.path.insert(0, %r)
        from runtime import listobject as L, dictobject as D, setobject as S
        from runtime import tupleobject as T
        from runtime.intobject import new_int
        from runtime.unicodeobject import new_str
        fp = _ctypes.PyObj_FromPtr
        keep = []
        for r in range(30):
            wl = L.new_list([new_int(i) for i in range(r)])
            for i in range(r * 3):
                L.list_append(wl, new_str("v%%d" %% i))
            for i in range(r):
                L.list_pop(wl)
            _heapq.heappush(fp(wl.addr), "zz")
            wd = D.new_dict()
            for i in range(r * 5):
                D.dict_setitem(wd, new_str("k%%d" %% i), wl)
                D.dict_setitem(wd, new_int(i), new_int(-i))
            for i in range(0, r * 5, 3):
                D.dict_delitem(wd, new_int(i))
            fp(wd.addr)["host"] = 1
            ws = S.new_set([new_int(i) for i in range(r * 7)])
            for i in range(0, r * 7, 2):
                S.set_discard(ws, new_int(i))
            fp(ws.addr).add(-1)
            wt = T.new_tuple([wl, wd, ws])
            json.dumps(fp(wd.addr), default=str)
            if r %% 3 == 0:
                keep.append(fp(wt.addr))
            D.dict_clear(wd)
            del wl, wd, ws, wt
        gc.collect()
        del keep
        gc.collect()
        print("OK")
    """ % REPO)
    env = dict(os.environ, PYTHONMALLOC="debug")
    r = subprocess.run([sys.executable, "-X", "dev", "-c", script], capture_output=True,
                       text=True, env=env, timeout=600, cwd=REPO)
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.strip().endswith("OK")


def test_repeat_counts():
    """list/tuple repetition stores n pointers per item and owns n counts for them."""
    w_item = new_float(0.125)
    base = o.refcnt(w_item.addr)
    wl = L.new_list([w_item, w_item])
    w3 = L.list_repeat(wl, new_int(3))
    assert o.refcnt(w_item.addr) == base + 2 + 6
    L.list_inplace_repeat(wl, new_int(4))
    assert o.refcnt(w_item.addr) == base + 8 + 6
    wt = T.tuple_mul(T.new_tuple([w_item]), new_int(5))
    assert o.refcnt(w_item.addr) == base + 8 + 6 + 5
    assert from_ptr(wt.addr) == (0.125,) * 5 and from_ptr(w3.addr) == [0.125] * 6
    L.list_inplace_repeat(wl, new_int(0))
    del w3, wt
    assert o.refcnt(w_item.addr) == base
