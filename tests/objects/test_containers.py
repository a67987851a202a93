"""Container types: byte equality with the host (acceptance 1) and the host agreeing that
guest containers are what they claim to be (acceptance 2)."""

import gc
import json
import math

import _ctypes
import _heapq
import pytest
from hypothesis import given, strategies as st

from runtime import object as o
from runtime import tupleobject as T, listobject as L, dictobject as D, setobject as S
from runtime import sliceobject as SL, cellobject as C, rangeobject as R
from runtime.intobject import new_int
from runtime.unicodeobject import new_str

from tests.objects.conftest import compare_struct
from tests.objects.test_containers_util import (to_guest, compare_tuple, compare_list,
                                                compare_dict, compare_set, same_value)

from_ptr = _ctypes.PyObj_FromPtr


def host(w):
    """The host's reference to a handle's object, taken while the handle is alive (as an
    argument), so `host(new_thing())` is safe where `from_ptr(new_thing().addr)` would
    resurrect freed memory: the temporary handle is dropped before from_ptr runs."""
    return from_ptr(w.addr)

# --- strategies ----------------------------------------------------------------------------
floats = st.floats(allow_nan=False)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), floats, st.text(max_size=8))
hashables = st.recursive(st.one_of(st.integers(min_value=-10 ** 20, max_value=10 ** 20),
                                   st.text(max_size=6), floats),
                         lambda inner: st.tuples(inner, inner), max_leaves=4)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=6), st.tuples(inner, inner),
    st.dictionaries(st.text(max_size=4), inner, max_size=5)), max_leaves=12)
str_keys = st.text(max_size=3)
mixed_keys = st.one_of(st.text(max_size=3), st.integers(min_value=-40, max_value=200),
                       st.tuples(st.integers(0, 3), st.text(max_size=1)))


# --- tuple -----------------------------------------------------------------------------------

@given(st.lists(scalars, max_size=30))
def test_tuple_bytes(items):
    host = tuple(items)
    w = to_guest(host)
    compare_tuple(w, host)
    assert from_ptr(w.addr) == host


def test_empty_tuple_is_the_host_singleton():
    assert T.new_tuple([]).addr == id(())


@given(st.lists(hashables, max_size=8))
def test_tuple_hash_matches_host(items):
    host = tuple(items)
    assert T.hash_w(to_guest(host)) == hash(host)


# --- list ------------------------------------------------------------------------------------

list_ops = st.lists(st.one_of(
    st.tuples(st.just("append"), scalars),
    st.tuples(st.just("pop"), st.integers(-3, 3)),
    st.tuples(st.just("insert"), st.integers(-5, 40), scalars),
    st.tuples(st.just("extend"), st.lists(scalars, max_size=12)),
    st.tuples(st.just("extend_iter"), st.lists(scalars, max_size=12)),
    st.tuples(st.just("delslice"), st.integers(-6, 6), st.integers(-6, 6)),
    st.tuples(st.just("setslice"), st.integers(-6, 6), st.integers(-6, 6),
              st.lists(scalars, max_size=9)),
    st.tuples(st.just("clear"),),
    st.tuples(st.just("imul"), st.integers(0, 3)),
    st.tuples(st.just("sort"), st.booleans()),
    st.tuples(st.just("reverse"),),
    st.tuples(st.just("delext"), st.integers(-6, 6), st.integers(-6, 6), st.sampled_from([-3, -1, 2, 3])),
    st.tuples(st.just("setitem"), st.integers(-8, 8), scalars),
), max_size=40)


def _apply_list_op(h, w, op):
    kind = op[0]
    if kind == "append":
        h.append(op[1])
        L.list_append(w, to_guest(op[1]))
    elif kind == "pop":
        if len(h) > abs(op[1]) or (op[1] < 0 and len(h) >= -op[1]):
            h.pop(op[1])
            L.list_pop(w, new_int(op[1]))
    elif kind == "insert":
        h.insert(op[1], op[2])
        L.list_insert(w, new_int(op[1]), to_guest(op[2]))
    elif kind == "extend":
        h.extend(op[1])
        L.list_extend(w, to_guest(op[1]))
    elif kind == "extend_iter":
        h.extend(iter(op[1]))
        L.list_extend(w, L.list_iter(to_guest(op[1])))
    elif kind == "delslice":
        del h[op[1]:op[2]]
        L.list_delitem(w, SL.new_slice(new_int(op[1]), new_int(op[2])))
    elif kind == "setslice":
        h[op[1]:op[2]] = op[3]
        L.list_setitem(w, SL.new_slice(new_int(op[1]), new_int(op[2])), to_guest(op[3]))
    elif kind == "clear":
        h.clear()
        L.list_clear(w)
    elif kind == "imul":
        h *= op[1]
        L.list_inplace_repeat(w, new_int(op[1]))
    elif kind == "sort":
        keyed = [(str(type(x)), str(x)) for x in h]       # a total order on mixed scalars
        order = sorted(range(len(h)), key=lambda i: keyed[i], reverse=op[1])
        # sort both by the same permutation through a key function over positions
        pos = {id(x): i for i, x in enumerate(h)}
        h.sort(key=lambda x: keyed[pos[id(x)]], reverse=op[1])
        items_w = L.list_items_w(w)
        keys_w = {wi.addr: to_guest(keyed[i]) for i, wi in enumerate(items_w)}
        fn = _HostKey(keys_w)
        L.list_sort(w, key=fn, reverse=o.w_True if op[1] else o.w_False)
        assert order is not None
    elif kind == "reverse":
        h.reverse()
        L.list_reverse(w)
    elif kind == "delext":
        sl = slice(op[1], op[2], op[3])
        del h[sl]
        L.list_delitem(w, SL.new_slice(new_int(op[1]), new_int(op[2]), new_int(op[3])))
    elif kind == "setitem":
        if -len(h) <= op[1] < len(h):
            h[op[1]] = op[2]
            L.list_setitem(w, new_int(op[1]), to_guest(op[2]))


class _HostKey(object):
    """A key= callable for list_sort in these tests: maps an item (by address) to a
    precomputed guest key; called the way the interpreter calls guest callables."""

    def __init__(self, keys_w):
        self.keys_w = keys_w


def _install_host_key_call():
    """space.call_function(w_key, x) for _HostKey objects (test-only shim)."""
    from runtime import space
    orig = space.call_function
    if getattr(orig, "_host_key_shim", False):
        return

    def call_function(w_f, *args_w):
        if isinstance(w_f, _HostKey):
            return w_f.keys_w[args_w[0].addr]
        return orig(w_f, *args_w)
    call_function._host_key_shim = True
    space.call_function = call_function


@given(list_ops)
def test_list_same_ops_same_struct(ops):
    """Lists built by the same sequence of operations have the same ob_size, allocated and
    items as the host's."""
    _install_host_key_call()
    h = []
    w = L.new_list()
    for op in ops:
        _apply_list_op(h, w, op)
        compare_list(w, h)
    assert from_ptr(w.addr) == h


@given(st.lists(scalars, max_size=40))
def test_list_appends_allocated(items):
    h = []
    w = L.new_list()
    for x in items:
        h.append(x)
        L.list_append(w, to_guest(x))
        compare_list(w, h)


@given(st.lists(scalars, max_size=20))
def test_list_display_is_exact(items):
    """BUILD_LIST / PyList_New(n): allocated == n."""
    host = list(items)                 # list(list) preallocates exactly, like PyList_New
    w = to_guest(host)
    assert L.list_allocated(w) == len(items)
    assert from_ptr(w.addr) == items


# --- dict ------------------------------------------------------------------------------------

dict_ops = st.lists(st.one_of(
    st.tuples(st.just("set"), mixed_keys, scalars),
    st.tuples(st.just("del"), mixed_keys),
    st.tuples(st.just("pop"), mixed_keys),
    st.tuples(st.just("popitem"),),
    st.tuples(st.just("setdefault"), mixed_keys, scalars),
    st.tuples(st.just("clear"),),
), max_size=60)

str_dict_ops = st.lists(st.one_of(
    st.tuples(st.just("set"), str_keys, scalars),
    st.tuples(st.just("del"), str_keys),
    st.tuples(st.just("popitem"),),
), max_size=80)


def _apply_dict_op(h, w, op):
    kind = op[0]
    if kind == "set":
        h[op[1]] = op[2]
        D.dict_setitem(w, to_guest(op[1]), to_guest(op[2]))
    elif kind == "del":
        if op[1] in h:
            del h[op[1]]
            D.dict_delitem(w, to_guest(op[1]))
    elif kind == "pop":
        hv = h.pop(op[1], None)
        wv = D.dict_pop(w, to_guest(op[1]), o.w_None)
        assert same_value(wv.addr, id(hv))
    elif kind == "popitem":
        if h:
            hk, hv = h.popitem()
            w_t = D.dict_popitem(w)
            assert from_ptr(w_t.addr) == (hk, hv)
    elif kind == "setdefault":
        h.setdefault(op[1], op[2])
        D.dict_setdefault(w, to_guest(op[1]), to_guest(op[2]))
    elif kind == "clear":
        h.clear()
        D.dict_clear(w)


@given(dict_ops)
def test_dict_same_ops_same_table(ops):
    """DICTS BUILT BY THE SAME SEQUENCE OF INSERTS AND DELETES HAVE THE SAME INDEX TABLE AND
    ENTRIES AS THE HOST'S (general tables, unicode->general conversion, dummies, resizes)."""
    h = {}
    w = D.new_dict()
    for op in ops:
        _apply_dict_op(h, w, op)
        compare_dict(w, h)
    assert from_ptr(w.addr) == h


@given(str_dict_ops)
def test_str_dict_same_ops_same_table(ops):
    """Unicode-keys tables (PyDictUnicodeEntry) across growth and deletions."""
    h = {}
    w = D.new_dict()
    for op in ops:
        _apply_dict_op(h, w, op)
    compare_dict(w, h)
    assert from_ptr(w.addr) == h


def test_dict_large_int16_indices():
    """Tables of 256+ slots use int16 indices; 65536+ slots int32."""
    for n in (200, 1000, 50000):
        h = {}
        w = D.new_dict()
        for i in range(n):
            h[i * 7] = i
            D.dict_setitem(w, new_int(i * 7), new_int(i))
        for i in range(0, n, 3):
            del h[i * 7]
            D.dict_delitem(w, new_int(i * 7))
        compare_dict(w, h)


@given(st.dictionaries(mixed_keys, scalars, max_size=20))
def test_dict_copy_and_merge_match_host(h):
    w = to_guest(h)
    compare_dict(D.dict_copy(w), h.copy())
    w2 = D.new_dict()
    D.dict_merge(w2, w)
    h2 = {}
    h2.update(h)
    compare_dict(w2, h2)


@given(st.lists(mixed_keys, max_size=20))
def test_dict_fromkeys_matches_host(keys):
    hd = dict.fromkeys(keys)
    w = D.dict_fromkeys(None, to_guest(list(keys)))
    compare_dict(w, hd)
    wd = D.dict_fromkeys(None, to_guest(hd))
    compare_dict(wd, dict.fromkeys(hd))


def test_dict_presized_display():
    """BUILD_MAP with more than 5 items presizes the table (dict_new_presized)."""
    keys = ["k%d" % i for i in range(12)]
    w = D.new_dict_from_items([new_str(k) for k in keys], [new_int(i) for i in range(12)])
    h = eval("{" + ", ".join("%r: %d" % (k, i) for i, k in enumerate(keys)) + "}")
    compare_dict(w, h)


# --- set -------------------------------------------------------------------------------------

set_ops = st.lists(st.one_of(
    st.tuples(st.just("add"), hashables),
    st.tuples(st.just("discard"), hashables),
    st.tuples(st.just("pop"),),
    st.tuples(st.just("clear"),),
), max_size=80)


@given(set_ops)
def test_set_same_ops_same_table(ops):
    h = set()
    w = S.new_set()
    for op in ops:
        if op[0] == "add":
            h.add(op[1])
            S.set_add_key(w, to_guest(op[1]))
        elif op[0] == "discard":
            h.discard(op[1])
            S.set_discard(w, to_guest(op[1]))
        elif op[0] == "pop":
            if h:
                h.pop()
                S.set_pop(w)
        else:
            h.clear()
            S.set_clear(w)
        compare_set(w, h)
    assert from_ptr(w.addr) == h


@given(st.sets(hashables, max_size=30), st.sets(hashables, max_size=30))
def test_set_algebra_matches_host(a, b):
    ha, hb = set(), set()
    for x in a:
        ha.add(x)
    for x in b:
        hb.add(x)
    # same adds in the same order on both sides (a set's table depends on insertion order)
    wa = S.new_set([to_guest(x) for x in a])
    wb = S.new_set([to_guest(x) for x in b])
    compare_set(wb, hb)
    compare_set(wa, ha)
    for name in ("__or__", "__and__", "__sub__", "__xor__"):
        hr = getattr(ha, name)(hb)
        wr = S.set_typedef.methods[name](wa, wb)
        compare_set(wr, hr)
    for name, fn in (("__ior__", S.set_update), ("__iand__", S.set_intersection_update),
                     ("__isub__", S.set_difference_update),
                     ("__ixor__", S.set_symmetric_difference_update_m)):
        hc = ha.copy()
        getattr(hc, name)(hb)
        wc = S.set_copy(wa)
        fn(wc, wb)
        compare_set(wc, hc)


@given(st.sets(hashables, max_size=30))
def test_frozenset_bytes_and_hash(items):
    order = list(items)
    h = frozenset(order)
    w = S.new_set_from_iterable(to_guest(order), frozen=True)
    compare_set(w, h)
    assert S.frozenset_hash_value(w) == hash(h)
    compare_set(w, h)             # the hash is now cached in both


@given(st.dictionaries(mixed_keys, scalars, max_size=30), st.lists(mixed_keys, max_size=10))
def test_set_from_dict_and_from_iterable(d, extra):
    """set_update_internal's dict path (presized, known hashes) and its iterator path."""
    w_d = to_guest(d)
    compare_set(S.new_set_from_iterable(w_d), set(d))
    hs = set(d)
    ws = S.new_set_from_iterable(w_d)
    hs.update(extra)
    S.set_update(ws, to_guest(list(extra)))
    compare_set(ws, hs)
    compare_dict(D.dict_fromkeys(None, S.new_set_from_iterable(w_d)), dict.fromkeys(set(d)))


# --- slice, cell -----------------------------------------------------------------------------

@given(st.one_of(st.none(), st.integers()), st.one_of(st.none(), st.integers()),
       st.one_of(st.none(), st.integers()))
def test_slice_bytes_and_indices(a, b, c):
    h = slice(a, b, c)
    w = SL.new_slice(to_guest(a), to_guest(b), to_guest(c))
    compare_struct(w.addr, id(h), "PySliceObject",
                   pointer_rules={p: (lambda ga, ha, gp, hp: same_value(gp, hp))
                                  for p in ("start", "stop", "step")})
    assert from_ptr(w.addr) == h
    for n in (0, 1, 5, 100):
        if c == 0:
            with pytest.raises(Exception):
                SL.slice_adjust(w, n)
            continue
        start, stop, step, length = SL.slice_adjust(w, n)
        assert [start + k * step for k in range(length)] == list(range(n))[h]
        assert SL.slice_indices_long(w, n) == h.indices(n)


def test_cell_bytes():
    host_cell = (lambda: x).__closure__[0] if (x := 12345678901) else None
    w = C.new_cell(new_int(12345678901))
    compare_struct(w.addr, id(host_cell), "PyCellObject",
                   pointer_rules={"ob_ref": lambda ga, ha, gp, hp: same_value(gp, hp)})
    assert from_ptr(w.addr).cell_contents == 12345678901
    empty = C.new_cell()
    with pytest.raises(ValueError):
        from_ptr(empty.addr).cell_contents


def test_range_bytes():
    """A guest range is a rangeobject (headers/private_objects.h; more in
    test_private_structs.py)."""
    w, h = R.new_range(0, 10, 2), range(0, 10, 2)
    assert from_ptr(w.addr) == h
    compare_struct(w.addr, id(h), "beale_rangeobject",
                   pointer_rules={p: (lambda ga, ha, gp, hp: same_value(gp, hp))
                                  for p in ("start", "stop", "step", "length")})


# --- the host agrees (acceptance 2) ----------------------------------------------------------

@given(values)
def test_host_sees_equal_value(v):
    w = to_guest(v)
    assert from_ptr(w.addr) == v


@given(values)
def test_json_dumps_nested_guest_containers(v):
    w = to_guest(v)
    assert json.dumps(from_ptr(w.addr)) == json.dumps(v)


@given(st.lists(st.one_of(st.integers(), floats), max_size=50))
def test_host_sorted_of_guest_list(items):
    w = to_guest(items)
    assert sorted(from_ptr(w.addr)) == sorted(items)


@given(st.dictionaries(mixed_keys, scalars, max_size=30), mixed_keys)
def test_host_dict_get_on_guest_dict(h, probe):
    """dict.get (C: the host's own lookup over beale's index table)."""
    w = to_guest(h)
    hd = from_ptr(w.addr)
    for k, v in h.items():
        assert dict.get(hd, k) == v
    assert dict.get(hd, probe, "missing") == h.get(probe, "missing")


def test_heappush_changes_guest_list_in_place():
    w = to_guest([1, 3, 5, 7])
    old_items = L.list_item_addrs(w)
    host_view = from_ptr(w.addr)
    for x in (4, 0, 9, 2, 8, 6):
        _heapq.heappush(host_view, x)     # PyList_Append -> list_resize -> PyMem_Realloc
    del host_view
    assert L.list_size(w) == 10
    got = [from_ptr(a) for a in L.list_item_addrs(w)]
    h = [1, 3, 5, 7]
    for x in (4, 0, 9, 2, 8, 6):
        _heapq.heappush(h, x)
    assert got == h
    assert L.list_allocated(w) == 16           # 4 -> 8 -> 16 by list_resize, in the host
    assert old_items[0] in L.list_item_addrs(w)
    # and the guest keeps working on the host-resized array
    L.list_append(w, new_int(42))
    assert from_ptr(w.addr)[-1] == 42


def test_host_mutates_guest_dict_and_set():
    wd = to_guest({"a": 1})
    hd = from_ptr(wd.addr)
    for i in range(20):
        hd["k%d" % i] = i                    # host insertdict + dictresize on our table
    del hd["a"]
    assert D.dict_size(wd) == 20
    assert from_ptr(D.dict_getitem(wd, new_str("k7")).addr) == 7
    assert D.dict_getitem(wd, new_str("a")) is None
    D.dict_setitem(wd, new_str("z"), new_int(5))
    assert from_ptr(wd.addr)["z"] == 5
    ws = to_guest({1, 2})
    hs = from_ptr(ws.addr)
    hs.update(range(50))
    assert S.set_size(ws) == 50
    assert S.set_contains_key(ws, new_int(49))


def test_guest_tuple_as_c_args():
    import operator
    w = to_guest((3.0, 4.0))
    assert math.hypot(*from_ptr(w.addr)) == 5.0
    assert operator.add(*host(to_guest((2, 5)))) == 7


def test_containers_are_gc_tracked_like_cpython():
    assert gc.is_tracked(host(to_guest([1])))
    assert gc.is_tracked(host(to_guest({1})))
    # every new tuple is tracked, as PyTuple_New does (the host says so for (1, 2) too)
    assert gc.is_tracked((1, int("2"))) and gc.is_tracked(host(to_guest((1, "a"))))
    assert gc.is_tracked(host(to_guest((1, [2]))))
    assert gc.is_tracked(host(to_guest((1, ((), [2])))))
    wd = to_guest({"a": 1})                  # dicts of atomic values stay untracked
    assert not gc.is_tracked(from_ptr(wd.addr))
    D.dict_setitem(wd, new_str("b"), to_guest([1]))
    assert gc.is_tracked(from_ptr(wd.addr))


def test_host_collector_untracks_atomic_guest_tuples():
    """A collection untracks a tuple of atomic items (_PyTuple_MaybeUntrack) and keeps a
    tuple holding a container tracked: the host's collector walks beale's tuples."""
    atomic, nested = to_guest((1, "a", 2.5)), to_guest((1, [2]))
    assert gc.is_tracked(from_ptr(atomic.addr)) and gc.is_tracked(from_ptr(nested.addr))
    gc.collect()
    assert not gc.is_tracked(from_ptr(atomic.addr))
    assert gc.is_tracked(from_ptr(nested.addr))


@given(st.dictionaries(mixed_keys, scalars, max_size=40), st.text(max_size=3))
def test_interpreter_lookup_helpers(h, probe):
    """dict_get_or_none and getitem_str (the name-lookup paths) agree with the host."""
    w = to_guest(h)
    for k, v in h.items():
        got = D.dict_get_or_none(w, to_guest(k))
        assert got is not None and from_ptr(got.addr) == v
        if type(k) is str:
            assert from_ptr(D.getitem_str(w, k).addr) == v
    got = D.getitem_str(w, probe)
    assert (got is None) == (probe not in h)
    if got is not None:
        assert from_ptr(got.addr) == h[probe]


def test_split_table_from_the_host_is_combined_first():
    """An instance __dict__ made by the host shares its keys (a split table, ma_values set);
    beale's operations make it combined first (through the host) and then work on it."""
    class C:
        pass
    for op in ("get", "set", "del", "iter", "clear", "copy", "popitem"):
        c = C()
        c.a, c.b = 1, 2
        other = C()
        other.a, other.b = 10, 20                     # shares the keys table with c
        d = c.__dict__
        assert D._MEM[(id(d) >> 3) - 1 + D._D_VALUES] != 0
        w = o.wrap(id(d))
        if op == "get":
            assert from_ptr(D.dict_getitem(w, new_str("b")).addr) == 2
        elif op == "set":
            D.dict_setitem(w, new_str("z"), new_int(26))
            assert d == {"a": 1, "b": 2, "z": 26}
        elif op == "del":
            D.dict_delitem(w, new_str("a"))
            assert d == {"b": 2}
        elif op == "iter":
            assert [from_ptr(ka) for ka, va, h in D.dict_entries(w)] == ["a", "b"]
        elif op == "clear":
            D.dict_clear(w)
            assert d == {}
        elif op == "copy":
            assert host(D.dict_copy(w)) == {"a": 1, "b": 2}
        else:
            assert host(D.dict_popitem(w)) == ("b", 2)
        assert D._MEM[(id(d) >> 3) - 1 + D._D_VALUES] == 0
        assert other.__dict__ == {"a": 10, "b": 20} and other.a == 10
        c.q = 5
        assert c.q == 5 and vars(c)["q"] == 5


def _host_like_to_guest(v):
    """The host value built the way to_guest builds the guest one (PyList_New(n) for
    lists, inserts in order for dicts and sets), so sizes are comparable."""
    t = type(v)
    if t is list:
        return v[:]                      # list_slice: PyList_New(n)
    if t is dict:
        h = {}
        for k in v:
            h[k] = v[k]
        return h
    if t is set:
        h = set()
        for x in v:
            h.add(x)
        return h
    return v


@given(values)
def test_sizeof_matches_host(v):
    w = to_guest(v)
    h = _host_like_to_guest(v)
    fn = type(w).typedef.lookup("__sizeof__")
    if fn is not None and type(v) in (list, tuple, dict, set, frozenset):
        assert fn(w).v == h.__sizeof__()
    for x in (set(range(50)), frozenset("abc"), {"k": 1, 2: 3}, [1] * 17, (1, 2)):
        wx = to_guest(x)
        assert type(wx).typedef.lookup("__sizeof__")(wx).v == _host_like_to_guest(x).__sizeof__()
