"""Structs private to CPython's Objects/*.c, declared by beale in headers/private_objects.h
(range, its iterators, the container iterators, dict views).

The C compiler checks the offsets of those declarations, not that they are still what the
.c file of the host's version says.  These tests do, on the running host: each struct's
size is the host type's tp_basicsize, and beale-built objects have the bytes the host's
own objects have for the same value (pointers compared by what they point to), so a
CPython version whose private structs changed fails here."""

import _ctypes
import itertools
import operator

import pytest
from hypothesis import given, strategies as st

import layout
from runtime import rangeobject as R

from tests.objects.conftest import compare_struct
from tests.objects.test_containers_util import same_value

from_ptr = _ctypes.PyObj_FromPtr


def host(w):
    """The host's reference to a handle's object, taken while the handle is alive (as an
    argument), so `host(new_thing())` is safe where `from_ptr(new_thing().addr)` would
    resurrect freed memory: the temporary handle is dropped before from_ptr runs."""
    return from_ptr(w.addr)

LONG_MAX = (1 << 63) - 1

# private struct -> a host object of the type it describes
PRIVATE = {
    "beale_rangeobject": range(3),
    "beale_rangeiterobject": iter(range(3)),
    "beale_longrangeiterobject": iter(range(1 << 70)),
    "beale_seqiterobject": iter([]),
    "beale_dictiterobject": iter({}),
    "beale_setiterobject": iter(set()),
    "_PyDictViewObject": {}.keys(),
}


@pytest.mark.parametrize("name", sorted(PRIVATE))
def test_private_struct_size_is_host_basicsize(name):
    assert layout.struct(name).size == type(PRIVATE[name]).__basicsize__


def test_seqiter_shape_covers_tuple_list_and_reversed_list_iterators():
    size = layout.struct("beale_seqiterobject").size
    for it in (iter(()), iter([]), reversed([])):
        assert type(it).__basicsize__ == size


def _by_value(*paths):
    return {p: (lambda ga, ha, gp, hp: same_value(gp, hp)) for p in paths}


# ranges around the C long limits, where range_iter switches iterator kinds
bounds = st.one_of(st.integers(-50, 50), st.integers(LONG_MAX - 40, LONG_MAX + 40),
                   st.integers(-LONG_MAX - 41, -LONG_MAX + 40), st.integers())
steps = st.one_of(st.integers(-7, 7), st.integers()).filter(lambda s: s != 0)


@given(bounds, bounds, steps)
def test_range_bytes_equal_host(start, stop, step):
    h = range(start, stop, step)
    w = R.new_range(start, stop, step)
    compare_struct(w.addr, id(h), "beale_rangeobject",
                   pointer_rules=_by_value("start", "stop", "step", "length"))
    g = from_ptr(w.addr)
    assert type(g) is range and g == h and hash(g) == hash(h)
    assert g.start == start and g.stop == stop and g.step == step


def _compare_iter(w_it, h_it):
    hname = type(h_it).__name__
    assert type(from_ptr(w_it.addr)) is type(h_it)
    if hname == "range_iterator":
        compare_struct(w_it.addr, id(h_it), "beale_rangeiterobject")
    else:
        assert hname == "longrange_iterator"
        fields = [f.name for f in layout.struct("beale_longrangeiterobject").fields][1:]
        compare_struct(w_it.addr, id(h_it), "beale_longrangeiterobject",
                       pointer_rules=_by_value(*fields))


@given(bounds, bounds, steps, st.integers(0, 4), st.booleans())
def test_range_iterator_bytes_equal_host(start, stop, step, advance, reverse):
    """Same iterator kind as range_iter/range_reverse pick, same fields after k steps."""
    h = range(start, stop, step)
    w = R.new_range(start, stop, step)
    h_it = reversed(h) if reverse else iter(h)
    w_it = R.range_reversed(w) if reverse else R.range_iter(w)
    _compare_iter(w_it, h_it)
    for _ in range(advance):
        hv = next(h_it, None)
        try:
            gv = R.range_iterator_typedef.methods["__next__"](w_it) \
                if isinstance(w_it, R.W_RangeIterator) else \
                R.longrange_iterator_typedef.methods["__next__"](w_it)
            gv = gv.v
        except Exception:
            gv = None
        assert gv == hv
        _compare_iter(w_it, h_it)


def test_host_c_code_accepts_guest_range():
    w = R.new_range(2, 30, 3)
    g = from_ptr(w.addr)
    assert len(g) == 10                         # range_length in C
    assert list(g) == list(range(2, 30, 3))     # list_extend -> the host's range_iter
    assert 29 in g and 5 in g and 6 not in g    # range_contains in C
    assert g[3] == 11 and g[::-1] == range(29, -1, -3)
    assert operator.length_hint(iter(g)) == 10
    assert list(itertools.islice(g, 1, 4)) == [5, 8, 11]


def test_host_drives_guest_range_iterator():
    """The host's tp_iternext runs on beale's iterator struct, and the guest sees the
    progress it made (one object, shared state)."""
    for r in (range(10), range(1 << 70, (1 << 70) + 10)):
        w = R.new_range(r.start, r.stop, r.step)
        w_it = R.range_iter(w)
        h_it = from_ptr(w_it.addr)
        assert next(h_it) == r[0] and next(h_it) == r[1]
        nxt = w_it.typedef.methods["__next__"]
        assert nxt(w_it).v == r[2]
        assert list(h_it) == list(r[3:])
        del h_it


def test_range_from_host_decodes():
    """A range built by the host (returned by C code) is read through the same struct."""
    from runtime import object as o
    h = range(-5, 1 << 65, 7)
    w = o.wrap(id(h))
    assert isinstance(w, R.W_Range)
    assert w.v == (h.start, h.stop, h.step, len(h))


# --- tuple / list iterators ------------------------------------------------------------

from runtime import tupleobject as T, listobject as L, dictobject as D  # noqa: E402
from tests.objects.test_containers_util import to_guest  # noqa: E402

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=4))


def _seq_iter_rules():
    return _by_value("it_seq")


@given(st.lists(scalars, max_size=8), st.integers(0, 10), st.sampled_from(["tuple", "list", "reversed"]))
def test_seq_iterator_bytes_equal_host(items, advance, kind):
    if kind == "tuple":
        h_seq = tuple(items)
        w_seq = to_guest(h_seq)
        h_it, w_it = iter(h_seq), T.tuple_iter(w_seq)
    else:
        h_seq = list(items)
        w_seq = to_guest(h_seq)
        if kind == "list":
            h_it, w_it = iter(h_seq), L.list_iter(w_seq)
        else:
            h_it, w_it = reversed(h_seq), L.list_reversed(w_seq)
    assert type(from_ptr(w_it.addr)) is type(h_it)
    for k in range(advance + 1):
        compare_struct(w_it.addr, id(h_it), "beale_seqiterobject", pointer_rules=_seq_iter_rules())
        h = next(h_it, None)
        a = w_it.next_addr()
        assert (from_ptr(a) if a else None) == h
    assert w_it.length() == operator.length_hint(h_it)


def test_host_drives_guest_list_iterator():
    w_l = to_guest([1, 2, 3, 4])
    w_it = L.list_iter(w_l)
    h_it = from_ptr(w_it.addr)
    assert next(h_it) == 1                        # listiter_next in C
    assert from_ptr(w_it.next_addr()) == 2        # the guest continues where C stopped
    assert list(zip(h_it, "ab")) == [(3, "a"), (4, "b")]
    assert w_it.next_addr() == 0 and w_it.w_seq is None   # exhausted: it_seq dropped


# --- dict iterators and views ------------------------------------------------------------

str_keys = st.text(max_size=3)


@given(st.dictionaries(st.one_of(str_keys, st.integers(-5, 300)), scalars, max_size=12),
       st.integers(0, 14), st.sampled_from(range(6)))
def test_dict_iterator_bytes_equal_host(h, advance, which):
    w_d = to_guest(h)
    views = [(h.keys, D.dict_keys), (h.values, D.dict_values), (h.items, D.dict_items)]
    hview, gview = views[which % 3]
    w_view, h_view = gview(w_d), hview()
    compare_struct(w_view.addr, id(h_view), "_PyDictViewObject",
                   pointer_rules=_by_value("dv_dict"))
    if which < 3:
        h_it, w_it = iter(hview()), D.dictview_iter(w_view)
    else:
        h_it, w_it = reversed(hview()), D.dictview_reversed(w_view)
    assert type(from_ptr(w_it.addr)) is type(h_it)
    for k in range(advance + 1):
        # di_result: the host reuses its (None, None) pair for the items it returns
        skip = ("di_result",) if which % 3 == 2 and k else ()
        compare_struct(w_it.addr, id(h_it), "beale_dictiterobject", skip=skip,
                       pointer_rules=_by_value("di_dict", "di_result"))
        hv = next(h_it, None)
        try:
            gv = host(D._dictiter_next(w_it))
        except Exception:
            gv = None
        assert gv == hv
    assert w_it.length() == operator.length_hint(h_it)


def test_host_uses_guest_dict_views_and_iterators():
    w_d = to_guest({"a": 1, "b": 2, "c": 3})
    keys = host(D.dict_keys(w_d))
    items = host(D.dict_items(w_d))
    assert len(keys) == 3 and "b" in keys and ("c", 3) in items     # dictkeys_contains in C
    assert keys & {"a", "z"} == {"a"} and sorted(items) == [("a", 1), ("b", 2), ("c", 3)]
    assert keys.mapping["c"] == 3
    w_it = D.dictview_iter(D.dict_values(w_d))
    h_it = from_ptr(w_it.addr)
    assert next(h_it) == 1                                        # dictiter_iternextvalue
    assert host(D._dictiter_next(w_it)) == 2
    assert list(h_it) == [3]


def test_dict_iterator_detects_size_change():
    w_d = to_guest({1: 1, 2: 2})
    w_it = D.dict_iter(w_d)
    D._dictiter_next(w_it)
    D.dict_setitem(w_d, to_guest(3), to_guest(3))
    with pytest.raises(Exception, match="changed size"):
        D._dictiter_next(w_it)
    with pytest.raises(RuntimeError):         # the host sees the same sticky state
        next(from_ptr(w_it.addr))


# --- set iterators -------------------------------------------------------------------------

from runtime import setobject as S  # noqa: E402


@given(st.lists(st.one_of(st.integers(-5, 1000), st.text(max_size=3)), max_size=20),
       st.integers(0, 22))
def test_set_iterator_bytes_equal_host(items, advance):
    w_s = to_guest(set(items))               # inserts in that set's iteration order
    h = set()
    for x in set(items):
        h.add(x)                             # the same inserts on the host
    assert list(host(w_s)) == list(h)        # same table, same order
    h_it, w_it = iter(h), S.set_iter(w_s)
    for k in range(advance + 1):
        compare_struct(w_it.addr, id(h_it), "beale_setiterobject",
                       pointer_rules=_by_value("si_set"))
        hv = next(h_it, None)
        try:
            gv = host(S._setiter_next(w_it))
        except Exception:
            gv = None
        assert gv == hv
    assert type(host(w_it)) is type(h_it)
    assert operator.length_hint(h_it) == S._setiter_length_hint(w_it).v


# --- instances of guest classes: 3.11's managed dict ---------------------------------------

def test_guest_instance_dict_is_managed_like_the_host(tmp_path, capfd):
    """A plain guest instance keeps its __dict__ pointer two words before its PyGC_Head
    (Py_TPFLAGS_MANAGED_DICT), where the host's C code looks for it: the host's generic
    __dict__ getter and vars() find the guest's attributes, and the host frees it."""
    from runtime import object as o
    if not o.MANAGED_DICT:
        pytest.skip("managed dicts are built for 3.11 hosts only")
    from runtime.cli import Session
    from runtime import interp
    s = Session(["x.py"], str(tmp_path))
    w_obj = interp.call_in_big_stack(lambda: s.exec_in_main(
        "(lambda: [K := type('K', (), {}), k := K(), setattr(k, 'a', [1]), k][-1])()",
        "<t>", "eval"))
    h = host(w_obj)
    assert type(h).__flags__ & o.Py_TPFLAGS_MANAGED_DICT
    assert object.__getattribute__(h, "__dict__") == {"a": [1]}   # PyObject_GenericGetDict
    assert vars(h)["a"] == [1]
    import ctypes
    dict_word = ctypes.c_void_p.from_address(w_obj.addr + o.MANAGED_DICT_OFFSET).value
    values_word = ctypes.c_void_p.from_address(w_obj.addr + o.MANAGED_DICT_OFFSET - ctypes.sizeof(ctypes.c_void_p)).value
    assert dict_word == id(vars(h)) and not values_word
    del h
