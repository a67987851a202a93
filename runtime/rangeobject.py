"""Guest range (Objects/rangeobject.c) — a handle-only object; see the layout gap below.

CPython's `rangeobject` struct {PyObject_HEAD; start, stop, step, length} is private to
rangeobject.c: no header declares it, so layout/ cannot give its layout and beale does not
write offsets by hand.  A guest range is therefore a beale handle that is not a C object
(runtime.tupleobject.W_HandleOnly): its memory is a small host "body" object holding the
four fields as host ints, and `addr` is the body's address.  Its guest type is still the host's
PyRange_Type (the TypeDef names it), so `type(range(3)) is range` holds for the guest; the
C bridge must convert a guest range (e.g. to a list or a host range) before handing it to C.

Behaviour follows rangeobject.c: compute_range_length, range_item/range_subscript (slices
give ranges), the O(1) `in` for exact ints (range_contains_long), range_equals/range_hash
(comparing as sequences), and the range iterator.
"""

from runtime import object as _o
from runtime.object import W_Int, W_Bool, w_NotImplemented
from runtime.errors import OperationError, oefmt
from runtime.typedef import TypeDef
from runtime.tupleobject import (guard_methods, W_HandleOnly, handle_only_type, new_tuple, newstr, newint, newbool, repr_s,
                                 tuple_hash_of_lanes, is_slice, check_index)

PY_SSIZE_T_MAX = (1 << 63) - 1


_space_module = []


def _space():
    """runtime.space, imported on first use (it imports the object modules)."""
    if _space_module:
        return _space_module[0]
    from runtime import space
    _space_module.append(space)
    return space


@handle_only_type
class W_Range(W_HandleOnly):
    """range(start, stop, step): the body's `t` = (start, stop, step, length), host ints
    (the four fields of CPython's rangeobject)."""
    __slots__ = ()
    _fields = ("t",)

    def __init__(self, start, stop, step):
        self.t = (start, stop, step, compute_range_length(start, stop, step))

    start = property(lambda self: self.v.t[0])
    stop = property(lambda self: self.v.t[1])
    step = property(lambda self: self.v.t[2])
    length = property(lambda self: self.v.t[3])


RANGE_TYPE_ADDR = _o.type_address("PyRange_Type")


def _decode_range(addr):
    """The body of a range handle; for a range made by the host (returned by C code) a
    body is filled from the host object itself, since the struct is private."""
    import _ctypes
    r = _ctypes.PyObj_FromPtr(addr)
    if _o.type_addr_of(addr) != RANGE_TYPE_ADDR:
        return r
    body = W_Range._body()
    body.t = (r.start, r.stop, r.step, compute_range_length(r.start, r.stop, r.step))
    return body


W_Range._decode = staticmethod(_decode_range)
_o.register_handle_class(RANGE_TYPE_ADDR, W_Range)


range_typedef = TypeDef("range", _o.object_typedef, "PyRange_Type", W_Range)


def compute_range_length(lo, hi, step):
    """rangeobject.c compute_range_length."""
    if step > 0:
        return (hi - lo - 1) // step + 1 if lo < hi else 0
    return (lo - hi - 1) // (-step) + 1 if hi < lo else 0


def new_range(start, stop, step=1):
    if step == 0:
        raise oefmt("ValueError", "range() arg 3 must not be zero")
    return W_Range(start, stop, step)


def _index(w):
    return _space().index(w)


@range_typedef.method("__new__")
def range_new(w_type, *args_w):
    n = len(args_w)
    if n == 1:
        return new_range(0, _index(args_w[0]), 1)
    if n == 2:
        return new_range(_index(args_w[0]), _index(args_w[1]), 1)
    if n == 3:
        return new_range(_index(args_w[0]), _index(args_w[1]), _index(args_w[2]))
    if n == 0:
        raise oefmt("TypeError", "range expected at least 1 argument, got 0")
    raise oefmt("TypeError", "range expected at most 3 arguments, got %d", n)


@range_typedef.method("__len__")
def range_len(w):
    if w.length > PY_SSIZE_T_MAX:
        raise oefmt("OverflowError", "Python int too large to convert to C ssize_t")
    return newint(w.length)


@range_typedef.method("__bool__")
def range_bool(w):
    return newbool(w.length != 0)


def _item(w, i):
    return w.start + i * w.step


@range_typedef.method("__getitem__")
def range_subscript(w, w_index):
    i = check_index(w_index)
    if i is not None:
        if i < 0:
            i += w.length
        if i < 0 or i >= w.length:
            raise oefmt("IndexError", "range object index out of range")
        return newint(_item(w, i))
    if is_slice(w_index):
        from runtime.sliceobject import slice_indices_long
        start, stop, step = slice_indices_long(w_index, w.length)
        return W_Range(_item(w, start), _item(w, stop), w.step * step)
    raise oefmt("TypeError", "range indices must be integers or slices, not %s",
                _space().typename(w_index))


def _contains_long(w, v):
    """range_contains_long: arithmetic membership for ints."""
    if w.step > 0:
        if not (w.start <= v < w.stop):
            return False
    else:
        if not (w.stop < v <= w.start):
            return False
    return (v - w.start) % w.step == 0


@range_typedef.method("__contains__")
def range_contains(w, w_x):
    c = w_x.__class__
    if c is W_Int or c is W_Bool:
        return newbool(_contains_long(w, w_x.v))
    space = _space()
    for i in range(w.length):
        if space.eq(newint(_item(w, i)), w_x):
            return _o.w_True
    return _o.w_False


@range_typedef.method("index")
def range_index(w, w_x):
    c = w_x.__class__
    if c is W_Int or c is W_Bool:
        if _contains_long(w, w_x.v):
            return newint((w_x.v - w.start) // w.step)
    else:
        space = _space()
        for i in range(w.length):
            if space.eq(newint(_item(w, i)), w_x):
                return newint(i)
    raise oefmt("ValueError", "%s is not in range", repr_s(w_x))


@range_typedef.method("count")
def range_count(w, w_x):
    c = w_x.__class__
    if c is W_Int or c is W_Bool:
        return newint(1 if _contains_long(w, w_x.v) else 0)
    space = _space()
    n = 0
    for i in range(w.length):
        if space.eq(newint(_item(w, i)), w_x):
            n += 1
    return newint(n)


def range_equals(a, b):
    """rangeobject.c range_equals: equal as sequences."""
    if a is b:
        return True
    if a.length != b.length:
        return False
    if a.length == 0:
        return True
    if a.start != b.start:
        return False
    if a.length == 1:
        return True
    return a.step == b.step


@range_typedef.method("__eq__")
def range_eq(w, w_other):
    if not isinstance(w_other, W_Range):
        return w_NotImplemented
    return newbool(range_equals(w, w_other))


@range_typedef.method("__ne__")
def range_ne(w, w_other):
    if not isinstance(w_other, W_Range):
        return w_NotImplemented
    return newbool(not range_equals(w, w_other))


@range_typedef.method("__hash__")
def range_hash(w):
    """rangeobject.c range_hash: hash((len, start, step)) with None for what is irrelevant."""
    from runtime.tupleobject import hash_w
    n_none = hash_w(_o.w_None)
    if w.length == 0:
        lanes = [hash(0), n_none, n_none]
    elif w.length == 1:
        lanes = [hash(1), hash(w.start), n_none]
    else:
        lanes = [hash(w.length), hash(w.start), hash(w.step)]
    return newint(tuple_hash_of_lanes(lanes))


@range_typedef.method("__repr__")
def range_repr(w):
    if w.step == 1:
        return newstr("range(%d, %d)" % (w.start, w.stop))
    return newstr("range(%d, %d, %d)" % (w.start, w.stop, w.step))


@range_typedef.method("__reduce__")
def range_reduce(w):
    from runtime.typeobject import type_of
    return new_tuple([type_of(w), new_tuple([newint(w.start), newint(w.stop), newint(w.step)])])


range_typedef.methods["start"] = _o.HostProperty(lambda w: newint(w.start), name="start")
range_typedef.methods["stop"] = _o.HostProperty(lambda w: newint(w.stop), name="stop")
range_typedef.methods["step"] = _o.HostProperty(lambda w: newint(w.step), name="step")


@range_typedef.method("__iter__")
def range_iter(w):
    return W_RangeIterator(w.start, w.step, w.length)


@range_typedef.method("__reversed__")
def range_reversed(w):
    return W_RangeIterator(w.start + (w.length - 1) * w.step, -w.step, w.length)


@handle_only_type
class W_RangeIterator(W_HandleOnly):
    """rangeiterobject / longrangeiterobject: next value, step, items left."""
    __slots__ = ()
    _fields = ("next", "step", "remaining")

    def __init__(self, start, step, length):
        self.next = start
        self.step = step
        self.remaining = length


def _rangeiter_next(w_it):
    b = w_it.v
    if b.remaining <= 0:
        raise OperationError("StopIteration", None)
    v = b.next
    b.next = v + b.step
    b.remaining -= 1
    return newint(v)


range_iterator_typedef = TypeDef("range_iterator", _o.object_typedef, "PyRangeIter_Type",
                                 W_RangeIterator)
range_iterator_typedef.methods["__iter__"] = lambda w: w
range_iterator_typedef.methods["__next__"] = _rangeiter_next
range_iterator_typedef.methods["__length_hint__"] = lambda w: newint(max(w.remaining, 0))


guard_methods(range_typedef, W_Range)
guard_methods(range_iterator_typedef, W_RangeIterator)
