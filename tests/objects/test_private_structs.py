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
