"""Guest slice: a real PySliceObject (Objects/sliceobject.c) in the host's memory.

Layout: PyGC_Head prefix, then `start`, `stop`, `step` (each a new reference, None when
omitted), as PySlice_New builds it.  `slice_adjust` is PySlice_Unpack followed by
PySlice_AdjustIndices (what list/tuple/str subscripting use); `slice.indices()` is
_PySlice_GetLongIndices, which works with unbounded ints.
"""

from layout import ffi

from runtime import object as _o
from runtime.object import W_Object, wrap, incref, steal, w_None, w_NotImplemented
from runtime.errors import oefmt
from runtime.typedef import TypeDef
from runtime.tupleobject import (guard_methods, HostType, ptr, new_tuple, newstr, newint, newbool, repr_s,
                                 compare_sequences, _CMP_OPS)

_cast = ffi.cast
PY_SSIZE_T_MAX = (1 << 63) - 1
PY_SSIZE_T_MIN = -(1 << 63)


_space_module = []


def _space():
    """runtime.space, imported on first use (it imports the object modules)."""
    if _space_module:
        return _space_module[0]
    from runtime import space
    _space_module.append(space)
    return space


class W_Slice(W_Object):
    """Handle on a PySliceObject (Include/sliceobject.h)."""
    __slots__ = ()


SLICE = HostType("PySlice_Type")
slice_typedef = TypeDef("slice", _o.object_typedef, "PySlice_Type", W_Slice)
_o.register_handle_class(SLICE.addr, W_Slice)


def _sp(addr):
    return _cast("PySliceObject *", addr)


def new_slice(w_start, w_stop, w_step=None):
    """PySlice_New: missing parts (None handles or Python None) are stored as None."""
    addr = _o.alloc_object(SLICE.addr, SLICE.basicsize, gc=True)
    sp = _sp(addr)
    parts = []
    for w in (w_start, w_stop, w_step):
        a = _o.ADDR_None if w is None else w.addr
        incref(a)
        parts.append(_cast("PyObject *", a))
    sp.start, sp.stop, sp.step = parts
    _o.gc_track(addr)
    return steal(W_Slice, addr)


def slice_parts_w(w):
    """(w_start, w_stop, w_step) handles."""
    sp = _sp(w.addr)
    return wrap(ptr(sp.start)), wrap(ptr(sp.stop)), wrap(ptr(sp.step))


def _slice_index(w, what):
    """_PyEval_SliceIndex: an index clamped to Py_ssize_t, or None for None."""
    if w is None or w.addr == _o.ADDR_None:
        return None
    space = _space()
    if space.lookup(w, "__index__") is None and not isinstance(w, _o.W_Int):
        raise oefmt("TypeError", "slice indices must be integers or None or have an __index__ method")
    v = space.index(w)
    if v > PY_SSIZE_T_MAX:
        return PY_SSIZE_T_MAX
    if v < PY_SSIZE_T_MIN:
        return PY_SSIZE_T_MIN
    return v


def slice_unpack(w):
    """PySlice_Unpack: (start, stop, step) as Py_ssize_t values."""
    w_start, w_stop, w_step = slice_parts_w(w)
    step = _slice_index(w_step, "step")
    if step is None:
        step = 1
    elif step == 0:
        raise oefmt("ValueError", "slice step cannot be zero")
    elif step < -PY_SSIZE_T_MAX:
        step = -PY_SSIZE_T_MAX
    start = _slice_index(w_start, "start")
    if start is None:
        start = PY_SSIZE_T_MAX if step < 0 else 0
    stop = _slice_index(w_stop, "stop")
    if stop is None:
        stop = PY_SSIZE_T_MIN if step < 0 else PY_SSIZE_T_MAX
    return start, stop, step


def adjust_indices(length, start, stop, step):
    """PySlice_AdjustIndices: clip to the sequence, return (start, stop, slicelength)."""
    if start < 0:
        start += length
        if start < 0:
            start = -1 if step < 0 else 0
    elif start >= length:
        start = length - 1 if step < 0 else length
    if stop < 0:
        stop += length
        if stop < 0:
            stop = -1 if step < 0 else 0
    elif stop >= length:
        stop = length - 1 if step < 0 else length
    if step < 0:
        if stop < start:
            return start, stop, (start - stop - 1) // (-step) + 1
    elif start < stop:
        return start, stop, (stop - start - 1) // step + 1
    return start, stop, 0


def slice_adjust(w, length):
    """(start, stop, step, slicelength) of slice w applied to a sequence of `length`."""
    start, stop, step = slice_unpack(w)
    start, stop, n = adjust_indices(length, start, stop, step)
    return start, stop, step, n


def slice_indices_long(w, length):
    """sliceobject.c _PySlice_GetLongIndices with host ints (no clamping to Py_ssize_t)."""
    space = _space()
    w_start, w_stop, w_step = slice_parts_w(w)
    if w_step.addr == _o.ADDR_None:
        step = 1
    else:
        step = space.index(w_step)
        if step == 0:
            raise oefmt("ValueError", "slice step cannot be zero")
    if step < 0:
        lower, upper = -1, length - 1
    else:
        lower, upper = 0, length

    def clip(w_x, default):
        if w_x.addr == _o.ADDR_None:
            return default
        x = space.index(w_x)
        if x < 0:
            x += length
            if x < lower:
                x = lower
        elif x > upper:
            x = upper
        return x

    start = clip(w_start, upper if step < 0 else lower)
    stop = clip(w_stop, lower if step < 0 else upper)
    return start, stop, step


@slice_typedef.method("indices")
def slice_indices(w, w_length):
    length = _space().index(w_length)
    if length < 0:
        raise oefmt("ValueError", "length should not be negative")
    start, stop, step = slice_indices_long(w, length)
    return new_tuple([newint(start), newint(stop), newint(step)])


slice_typedef.methods["start"] = _o.HostProperty(lambda w: slice_parts_w(w)[0], name="start")
slice_typedef.methods["stop"] = _o.HostProperty(lambda w: slice_parts_w(w)[1], name="stop")
slice_typedef.methods["step"] = _o.HostProperty(lambda w: slice_parts_w(w)[2], name="step")
slice_typedef.methods["__hash__"] = w_None          # slices are unhashable before 3.12


@slice_typedef.method("__repr__")
def slice_repr(w):
    a, b, c = slice_parts_w(w)
    return newstr("slice(%s, %s, %s)" % (repr_s(a), repr_s(b), repr_s(c)))


@slice_typedef.method("__new__")
def slice_new(w_type, *args_w):
    if not 1 <= len(args_w) <= 3:
        raise oefmt("TypeError", "slice expected at least 1 argument, got %d" % len(args_w)
                    if not args_w else "slice expected at most 3 arguments, got %d" % len(args_w))
    if len(args_w) == 1:
        return new_slice(None, args_w[0], None)
    if len(args_w) == 2:
        return new_slice(args_w[0], args_w[1], None)
    return new_slice(args_w[0], args_w[1], args_w[2])


@slice_typedef.method("__reduce__")
def slice_reduce(w):
    from runtime.typeobject import type_of
    return new_tuple([type_of(w), new_tuple(list(slice_parts_w(w)))])


def _make_cmp(op):
    def cmp(w, w_other):
        if not isinstance(w_other, W_Slice):
            return w_NotImplemented
        a = [x.addr for x in slice_parts_w(w)]
        b = [x.addr for x in slice_parts_w(w_other)]
        return newbool(compare_sequences(lambda i: a[i], lambda: 3, lambda i: b[i], lambda: 3, op))
    return cmp


for _op in _CMP_OPS:
    slice_typedef.methods[_op] = _make_cmp(_op)


guard_methods(slice_typedef, W_Slice)
