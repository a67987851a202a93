"""Guest range (Objects/rangeobject.c): a real `rangeobject` in the host's memory.

CPython's `rangeobject` struct {PyObject_HEAD; start, stop, step, length} is private to
rangeobject.c; beale declares it in headers/private_objects.h as that file writes it for
the host's version (`beale_rangeobject`), so layout/ gives its offsets from the compiler
and tests/objects/test_private_structs.py checks sizeof == PyRange_Type.tp_basicsize and
byte equality with the host's ranges.  ob_type is the host's PyRange_Type, so C code
(len(), list(), iteration, `in`) accepts a guest range as its own.  The four fields are
int objects (new references); `length` is compute_range_length's result.  Not a GC type.

The iterators are the host's too: `rangeiterobject` (PyRangeIter_Type, C longs, for ranges
whose values fit in a C long, as range_iter/range_reverse decide) and `longrangeiterobject`
(PyLongRangeIter_Type, int objects), so the host's tp_iternext can drive them as well.

Behaviour follows rangeobject.c: compute_range_length, range_item/range_subscript (slices
give ranges), the O(1) `in` for exact ints (range_contains_long), range_equals/range_hash
(comparing as sequences), and the range iterators.
"""

from layout import ffi

from runtime import object as _o
from runtime.object import W_Object, W_Int, W_Bool, w_NotImplemented, wrap, incref, steal
from runtime.errors import OperationError, oefmt
from runtime.typedef import TypeDef
from runtime.tupleobject import (guard_methods, HostType, MEM, word_index, new_tuple, newstr, newint,
                                 newbool, repr_s, tuple_hash_of_lanes, is_slice, check_index)

PY_SSIZE_T_MAX = (1 << 63) - 1
LONG_MAX = (1 << 63) - 1          # C long on the LP64 hosts beale runs on (checked below)
LONG_MIN = -(1 << 63)
assert ffi.sizeof("long") == 8


_space_module = []


def _space():
    """runtime.space, imported on first use (it imports the object modules)."""
    if _space_module:
        return _space_module[0]
    from runtime import space
    _space_module.append(space)
    return space


class W_Range(W_Object):
    """Handle on a `rangeobject`.  Immutable, so `v` caches what it decodes to:
    (start, stop, step, length) as host ints."""
    __slots__ = ("v",)

    start = property(lambda self: self.v[0])
    stop = property(lambda self: self.v[1])
    step = property(lambda self: self.v[2])
    length = property(lambda self: self.v[3])


RANGE = HostType("PyRange_Type")
RANGE_TYPE_ADDR = RANGE.addr
assert ffi.sizeof("beale_rangeobject") == RANGE.basicsize   # headers/private_objects.h
# word indexes of the four PyObject * fields (offsets from the compiler, via the cdef)
_R_FIELDS_W = tuple(word_index("beale_rangeobject", f) for f in ("start", "stop", "step", "length"))


def _decode_range(addr):
    """(start, stop, step, length) of the rangeobject at addr (the ints' cached values)."""
    base = (addr >> 3) - 1
    out = []
    for i in _R_FIELDS_W:
        w = wrap(MEM[base + i])
        out.append(w.v)
    return tuple(out)


W_Range._decode = staticmethod(_decode_range)
_o.register_handle_class(RANGE_TYPE_ADDR, W_Range)


range_typedef = TypeDef("range", _o.object_typedef, "PyRange_Type", W_Range)


def compute_range_length(lo, hi, step):
    """rangeobject.c compute_range_length."""
    if step > 0:
        return (hi - lo - 1) // step + 1 if lo < hi else 0
    return (lo - hi - 1) // (-step) + 1 if hi < lo else 0


def new_range(start, stop, step=1):
    """range_new: a rangeobject of host ints start/stop/step (step != 0)."""
    if step == 0:
        raise oefmt("ValueError", "range() arg 3 must not be zero")
    return make_range(start, stop, step)


def make_range(start, stop, step):
    """make_range_object: allocate the struct and store the four int objects."""
    length = compute_range_length(start, stop, step)
    addr = _o.alloc_object(RANGE_TYPE_ADDR, RANGE.basicsize)
    base = (addr >> 3) - 1
    for i, v in zip(_R_FIELDS_W, (start, stop, step, length)):
        w_v = newint(v)
        incref(w_v.addr)
        MEM[base + i] = w_v.addr
    w = steal(W_Range, addr)
    w.v = (start, stop, step, length)
    return w


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
        return make_range(_item(w, start), _item(w, stop), w.step * step)
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


# --- iterators ----------------------------------------------------------------------------

class W_RangeIterator(W_Object):
    """Handle on a `rangeiterobject` (PyRangeIter_Type): C longs; mutable, no cache."""
    __slots__ = ()


class W_LongRangeIterator(W_Object):
    """Handle on a `longrangeiterobject` (PyLongRangeIter_Type): int objects."""
    __slots__ = ()


RANGEITER = HostType("PyRangeIter_Type")
LONGRANGEITER = HostType("PyLongRangeIter_Type")
assert ffi.sizeof("beale_rangeiterobject") == RANGEITER.basicsize
assert ffi.sizeof("beale_longrangeiterobject") == LONGRANGEITER.basicsize
_o.register_handle_class(RANGEITER.addr, W_RangeIterator)
_o.register_handle_class(LONGRANGEITER.addr, W_LongRangeIterator)

# 3.10/3.11 iterators count an index up to len; 3.12+ advance start and count len down
# (see headers/private_objects.h).  The version difference stays in these two classes.
_ITER_HAS_INDEX = "index" in {f.name for f in __import__("layout").struct("beale_rangeiterobject").fields}


def _fields_w(struct, names):
    return tuple(word_index(struct, f) if f else None for f in names)


_RI_INDEX_W, _RI_START_W, _RI_STEP_W, _RI_LEN_W = _fields_w(
    "beale_rangeiterobject", ("index" if _ITER_HAS_INDEX else None, "start", "step", "len"))
_LRI_INDEX_W, _LRI_START_W, _LRI_STEP_W, _LRI_LEN_W = _fields_w(
    "beale_longrangeiterobject", ("index" if _ITER_HAS_INDEX else None, "start", "step", "len"))


def _fast_range_iter(start, step, length):
    """fast_range_iter: a rangeiterobject (all three fit in a C long)."""
    addr = _o.alloc_object(RANGEITER.addr, RANGEITER.basicsize)
    base = (addr >> 3) - 1
    if _ITER_HAS_INDEX:
        MEM[base + _RI_INDEX_W] = 0
    MEM[base + _RI_START_W] = start
    MEM[base + _RI_STEP_W] = step
    MEM[base + _RI_LEN_W] = length
    return steal(W_RangeIterator, addr)


def _long_range_iter(start, step, length):
    """The long_range branch of range_iter/range_reverse: a longrangeiterobject."""
    addr = _o.alloc_object(LONGRANGEITER.addr, LONGRANGEITER.basicsize)
    base = (addr >> 3) - 1
    fields = [(_LRI_START_W, start), (_LRI_STEP_W, step), (_LRI_LEN_W, length)]
    if _ITER_HAS_INDEX:
        fields.append((_LRI_INDEX_W, 0))
    for i, v in fields:
        w_v = newint(v)
        incref(w_v.addr)
        MEM[base + i] = w_v.addr
    return steal(W_LongRangeIterator, addr)


def _fits_long(v):
    return LONG_MIN <= v <= LONG_MAX


@range_typedef.method("__iter__")
def range_iter(w):
    """range_iter: the C-long iterator when start/stop/step fit and start + len * step
    cannot overflow, else the int-object one (same decisions as rangeobject.c)."""
    start, stop, step, length = w.v
    if _fits_long(start) and _fits_long(stop) and _fits_long(step) and length <= LONG_MAX:
        ok = True
        if length:
            if step > 0:
                ok = stop <= LONG_MAX - (step - 1)
            else:
                ok = stop >= LONG_MIN + (-1 - step)
        if ok:
            return _fast_range_iter(start, step, length)
    return _long_range_iter(start, step, length)


@range_typedef.method("__reversed__")
def range_reversed(w):
    """range_reverse: iterate from the last item down by -step."""
    start, stop, step, length = w.v
    if _fits_long(start) and _fits_long(stop) and _fits_long(step) and step != LONG_MIN:
        ok = start >= LONG_MIN + step if step > 0 else start <= LONG_MAX + step
        if ok and length <= LONG_MAX:
            return _fast_range_iter(start - step + length * step, -step, length)
    return _long_range_iter(start + (length - 1) * step, -step, length)


if _ITER_HAS_INDEX:
    def _rangeiter_next(w_it):
        """rangeiter_next (3.10/3.11): start + index * step while index < len."""
        base = (w_it.addr >> 3) - 1
        i = MEM[base + _RI_INDEX_W]
        if i < MEM[base + _RI_LEN_W]:
            MEM[base + _RI_INDEX_W] = i + 1
            return newint(MEM[base + _RI_START_W] + i * MEM[base + _RI_STEP_W])
        raise OperationError("StopIteration", None)

    def _rangeiter_left(base):
        return MEM[base + _RI_LEN_W] - MEM[base + _RI_INDEX_W]

    def _longrangeiter_next(w_it):
        """longrangeiter_next (3.10/3.11): index is an int object, replaced on each step."""
        base = (w_it.addr >> 3) - 1
        i = wrap(MEM[base + _LRI_INDEX_W]).v
        if i >= wrap(MEM[base + _LRI_LEN_W]).v:
            raise OperationError("StopIteration", None)
        v = wrap(MEM[base + _LRI_START_W]).v + i * wrap(MEM[base + _LRI_STEP_W]).v
        _replace_field(base + _LRI_INDEX_W, i + 1)
        return newint(v)

    def _longrangeiter_left(base):
        return wrap(MEM[base + _LRI_LEN_W]).v - wrap(MEM[base + _LRI_INDEX_W]).v
else:
    def _rangeiter_next(w_it):
        """rangeiter_next (3.12+): yield start, advance it, count len down."""
        base = (w_it.addr >> 3) - 1
        n = MEM[base + _RI_LEN_W]
        if n > 0:
            v = MEM[base + _RI_START_W]
            MEM[base + _RI_START_W] = v + MEM[base + _RI_STEP_W]
            MEM[base + _RI_LEN_W] = n - 1
            return newint(v)
        raise OperationError("StopIteration", None)

    def _rangeiter_left(base):
        return MEM[base + _RI_LEN_W]

    def _longrangeiter_next(w_it):
        base = (w_it.addr >> 3) - 1
        n = wrap(MEM[base + _LRI_LEN_W]).v
        if n <= 0:
            raise OperationError("StopIteration", None)
        v = wrap(MEM[base + _LRI_START_W]).v
        _replace_field(base + _LRI_START_W, v + wrap(MEM[base + _LRI_STEP_W]).v)
        _replace_field(base + _LRI_LEN_W, n - 1)
        return newint(v)

    def _longrangeiter_left(base):
        return wrap(MEM[base + _LRI_LEN_W]).v


def _replace_field(word, v):
    """Store a new int object in a PyObject * field, dropping the old one (Py_SETREF)."""
    old = MEM[word]
    w_v = newint(v)
    incref(w_v.addr)
    MEM[word] = w_v.addr
    _o.decref(old)


def _length_hint(left):
    return lambda w: newint(max(left((w.addr >> 3) - 1), 0))


range_iterator_typedef = TypeDef("range_iterator", _o.object_typedef, "PyRangeIter_Type",
                                 W_RangeIterator)
range_iterator_typedef.methods["__iter__"] = lambda w: w
range_iterator_typedef.methods["__next__"] = _rangeiter_next
range_iterator_typedef.methods["__length_hint__"] = _length_hint(_rangeiter_left)

longrange_iterator_typedef = TypeDef("longrange_iterator", _o.object_typedef,
                                     "PyLongRangeIter_Type", W_LongRangeIterator)
longrange_iterator_typedef.methods["__iter__"] = lambda w: w
longrange_iterator_typedef.methods["__next__"] = _longrangeiter_next
longrange_iterator_typedef.methods["__length_hint__"] = _length_hint(_longrangeiter_left)


guard_methods(range_typedef, W_Range)
guard_methods(range_iterator_typedef, W_RangeIterator)
guard_methods(longrange_iterator_typedef, W_LongRangeIterator)
