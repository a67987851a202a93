"""Guest list: a real PyListObject (Objects/listobject.c) in the host's memory.

Layout: PyGC_Head prefix, PyVarObject header (ob_size = length), `ob_item` (a PyObject*
array from PyMem_Malloc/PyMem_Realloc, through the object core's GIL-taking wrappers, so C
code such as `_heapq.heappush` can resize it with PyList_Append) and `allocated`.

The array grows and shrinks by CPython's own rules (list_resize's over-allocation
`newsize + newsize/8 + 6` rounded down to a multiple of 4, list_preallocate_exact for
extend() into an empty list, exact sizes for PyList_New), so a guest list built by the same
sequence of operations has the same `allocated` as the host's.  Every function below names
the listobject.c function it mirrors.
"""

import ctypes

from layout import ffi

from runtime import object as _o
from runtime.object import W_Object, wrap, incref, decref, steal, w_None, w_NotImplemented
from runtime.errors import OperationError, oefmt
from runtime.typedef import TypeDef
from runtime.tupleobject import (HostType, MEM, OB_SIZE_W, word_index, MAX_ITEMS, fill_repeated,
                                 guard_methods, new_for_type, W_Tuple, tuple_item_addrs, check_index, is_slice,
                                 repr_enter, repr_leave, repr_s, newstr, newint, newbool,
                                 compare_sequences, _CMP_OPS, repeat_count, _index_range,
                                 W_SeqIterator, W_SeqReverseIterator, make_iterator_typedef, _seq_iterator_class,
                                 handle_only_type,
                                 item_eq, concat_error)

_cast = ffi.cast
_WORD = ffi.sizeof("PyObject *")
_PY_SSIZE_T_MAX = (1 << 63) - 1


_space_module = []


def _space():
    """runtime.space, imported on first use (it imports the object modules)."""
    if _space_module:
        return _space_module[0]
    from runtime import space
    _space_module.append(space)
    return space


class W_List(W_Object):
    """Handle on a PyListObject (Include/cpython/listobject.h)."""
    __slots__ = ()


LIST = HostType("PyList_Type")
list_typedef = TypeDef("list", _o.object_typedef, "PyList_Type", W_List)
_o.register_handle_class(LIST.addr, W_List)


# ---------------------------------------------------------------------------------------
# Raw access
# ---------------------------------------------------------------------------------------

def _lp(addr):
    return _cast("PyListObject *", addr)


_L_ITEM = word_index("PyListObject", "ob_item")
_L_ALLOC = word_index("PyListObject", "allocated")


def list_size(w):
    """Py_SIZE(list)."""
    return MEM[(w.addr >> 3) - 1 + OB_SIZE_W]


def list_allocated(w):
    return MEM[(w.addr >> 3) - 1 + _L_ALLOC]


def _items(lp):
    """ob_item as a `uintptr_t *` (item addresses as host ints)."""
    return _cast("uintptr_t *", lp.ob_item)


def list_getitem_addr(w, i):
    return MEM[(MEM[(w.addr >> 3) - 1 + _L_ITEM] >> 3) - 1 + i]


def list_item_addrs(w):
    """Host list of the current item addresses (a snapshot)."""
    base = (w.addr >> 3) - 1
    n = MEM[base + OB_SIZE_W]
    if n == 0:
        return []
    items = (MEM[base + _L_ITEM] >> 3) - 1
    return [MEM[items + i] for i in range(n)]


def list_items_w(w):
    return [wrap(a) for a in list_item_addrs(w)]


def _set_size(lp, n):
    lp.ob_base.ob_size = n


def _memmove(dst_addr, src_addr, nbytes):
    if nbytes > 0:
        ffi.memmove(_cast("char *", dst_addr), _cast("char *", src_addr), nbytes)


# ---------------------------------------------------------------------------------------
# Allocation and resizing
# ---------------------------------------------------------------------------------------

def _alloc_list(n):
    """PyList_New(n): ob_item zero-filled array of exactly n slots (NULL when n == 0)."""
    addr = _o.alloc_object(LIST.addr, LIST.basicsize, gc=True)
    lp = _lp(addr)
    if n > 0:
        if n > _PY_SSIZE_T_MAX // _WORD:
            _o.free_object(addr, gc=True)
            raise oefmt("MemoryError", "")
        items = _o.mem_malloc(n * _WORD)
        ctypes.memset(items, 0, n * _WORD)          # PyMem_Calloc
        lp.ob_item = _cast("PyObject **", items)
    _set_size(lp, n)
    lp.allocated = n
    return addr


_fast_list = _o.FAST_CONSTRUCTORS.get("list")
_new = object.__new__


def new_list_from_addrs(addrs):
    """A guest list holding new references to these pointers (PyList_New + SET_ITEM),
    built by build_ffi's beale_fast_list in one call (new_list_from_addrs_py: the same
    in Python)."""
    ref = _fast_list(addrs)
    w = _new(W_List)
    w.addr = id(ref)
    w.ref = ref
    return w


def new_list_from_addrs_py(addrs):
    """new_list_from_addrs allocating through runtime.object (allocstats counts it)."""
    n = len(addrs)
    addr = _alloc_list(n)
    if n:
        items = _items(_lp(addr))
        for i in range(n):
            a = addrs[i]
            incref(a)
            items[i] = a
    _o.gc_track(addr)          # PyList_New tracks the list
    return steal(W_List, addr)


if _fast_list is None:
    new_list_from_addrs = new_list_from_addrs_py       # noqa: F811


def new_list(items_w=()):
    """A guest list of these handles (BUILD_LIST / PyList_New(n): allocated == n)."""
    return new_list_from_addrs([w.addr for w in items_w])


_appended_capacities = {}


def appended_capacity(n):
    """`allocated` of a list grown from PyList_New(0) by n PyList_Append calls: each
    append that finds the list full calls list_resize(size + 1), whose over-allocation
    rule is replayed here (a resize happens only when size == allocated, so this takes
    O(log n) steps)."""
    r = _appended_capacities.get(n)
    if r is not None:
        return r
    allocated = 0
    while allocated < n:
        newsize = allocated + 1                      # the append that overflows
        new_allocated = (newsize + (newsize >> 3) + 6) & ~3
        if newsize - allocated > new_allocated - newsize:
            new_allocated = (newsize + 3) & ~3
        allocated = new_allocated
    if n < 4096:
        _appended_capacities[n] = allocated
    return allocated


def new_list_appended(items_w):
    """The list BUILD_LIST 0 + n LIST_APPENDs builds (list comprehensions, list displays
    of more than 30 items): these items, `allocated` as n appends leave it."""
    n = len(items_w)
    if n == 0:
        return new_list_from_addrs(())
    addr = _alloc_list(appended_capacity(n))
    lp = _lp(addr)
    _set_size(lp, n)
    items = _items(lp)
    for i in range(n):
        a = items_w[i].addr
        incref(a)
        items[i] = a
    _o.gc_track(addr)
    return steal(W_List, addr)


def list_resize(lp, newsize):
    """listobject.c list_resize (3.11): grow/shrink ob_item with mild over-allocation."""
    allocated = lp.allocated
    if allocated >= newsize and newsize >= (allocated >> 1):
        _set_size(lp, newsize)
        return
    new_allocated = (newsize + (newsize >> 3) + 6) & ~3
    # Do not overallocate if the new size is closer to overallocated size than to the old.
    if newsize - lp.ob_base.ob_size > new_allocated - newsize:
        new_allocated = (newsize + 3) & ~3
    if newsize == 0:
        new_allocated = 0
    if new_allocated > _PY_SSIZE_T_MAX // _WORD:
        raise oefmt("MemoryError", "")
    old = int(_cast("uintptr_t", lp.ob_item))
    items = _o.mem_realloc(old, new_allocated * _WORD)
    lp.ob_item = _cast("PyObject **", items)
    _set_size(lp, newsize)
    lp.allocated = new_allocated


def list_preallocate_exact(lp, size):
    """listobject.c list_preallocate_exact (3.11.7 rounds the size up to even)."""
    size = (size + 1) & ~1
    if size > _PY_SSIZE_T_MAX // _WORD:
        raise oefmt("MemoryError", "")          # PyMem_New refuses: PyErr_NoMemory
    items = _o.mem_malloc(size * _WORD)
    lp.ob_item = _cast("PyObject **", items)
    lp.allocated = size


def list_append_addr(w, a):
    """PyList_Append / _PyList_AppendTakeRef with a new reference to `a`."""
    base = (w.addr >> 3) - 1
    n = MEM[base + OB_SIZE_W]
    incref(a)
    if MEM[base + _L_ALLOC] > n:
        MEM[(MEM[base + _L_ITEM] >> 3) - 1 + n] = a
        MEM[base + OB_SIZE_W] = n + 1
        return
    try:
        list_resize(_lp(w.addr), n + 1)
    except OperationError:
        decref(a)
        raise
    MEM[(MEM[base + _L_ITEM] >> 3) - 1 + n] = a


def list_append(w, w_item):
    list_append_addr(w, w_item.addr)


def _list_clear(lp):
    """listobject.c _list_clear: drop every item, free ob_item, allocated = 0."""
    items_addr = int(_cast("uintptr_t", lp.ob_item))
    if not items_addr:
        return
    n = lp.ob_base.ob_size
    items = _cast("uintptr_t *", items_addr)
    addrs = [items[i] for i in range(n)]
    lp.ob_item = ffi.NULL
    _set_size(lp, 0)
    lp.allocated = 0
    # Decref from the end, as CPython does; items may run guest __del__ that sees an
    # empty list.
    for a in reversed(addrs):
        if a:
            decref(a)
    _o.mem_free(items_addr)


def list_ass_slice(w, ilow, ihigh, addrs):
    """listobject.c list_ass_slice: replace a[ilow:ihigh] by `addrs` (None = delete).

    `addrs` is a host list of item pointers already snapshotted by the caller (CPython's
    PySequence_Fast of the right-hand side)."""
    lp = _lp(w.addr)
    n = 0 if addrs is None else len(addrs)
    size = lp.ob_base.ob_size
    if ilow < 0:
        ilow = 0
    elif ilow > size:
        ilow = size
    if ihigh < ilow:
        ihigh = ilow
    elif ihigh > size:
        ihigh = size
    norig = ihigh - ilow
    d = n - norig
    if size + d == 0:
        _list_clear(lp)
        return
    items = _items(lp)
    recycle = [items[i] for i in range(ilow, ihigh)]
    # new references first (CPython increfs while storing, before dropping the old ones)
    if addrs:
        for a in addrs:
            incref(a)
    base = int(_cast("uintptr_t", lp.ob_item))
    if d < 0:      # delete -d items: close the gap, then shrink
        _memmove(base + (ihigh + d) * _WORD, base + ihigh * _WORD, (size - ihigh) * _WORD)
        list_resize(lp, size + d)
    elif d > 0:    # insert d items: grow, then open the gap
        list_resize(lp, size + d)
        base = int(_cast("uintptr_t", lp.ob_item))
        _memmove(base + (ihigh + d) * _WORD, base + ihigh * _WORD, (size - ihigh) * _WORD)
    items = _items(lp)
    for k in range(n):
        items[ilow + k] = addrs[k]
    for a in reversed(recycle):
        if a:
            decref(a)


def _length_hint(w_iterable, default):
    """PyObject_LengthHint: len() if the type has __len__, else __length_hint__, else default."""
    space = _space()
    if space.lookup(w_iterable, "__len__") is not None:
        try:
            return space.len(w_iterable)
        except OperationError as e:
            if not space.exception_match(e, "TypeError"):
                raise
    f = space.lookup(w_iterable, "__length_hint__")
    if f is None:
        return default
    try:
        w_r = space.call_special(f, w_iterable)
    except OperationError as e:
        if not space.exception_match(e, "TypeError"):
            raise
        return default
    if w_r is w_NotImplemented:
        return default
    if not isinstance(w_r, _o.W_Int):
        raise oefmt("TypeError", "__length_hint__ must be an integer, not %s",
                    space.typename(w_r))
    if w_r.v < 0:
        raise oefmt("ValueError", "__length_hint__() should return >= 0")
    return w_r.v


def _W_Range():
    from runtime.rangeobject import W_Range
    return W_Range


def _fast_addrs(w_other):
    """The item pointers of an exact list/tuple (PySequence_Fast without a copy), else None."""
    c = type(w_other)
    if c is W_List:
        return list_item_addrs(w_other)
    if c is W_Tuple:
        return tuple_item_addrs(w_other)
    return None


def list_extend(w, w_iterable):
    """listobject.c list_extend."""
    lp = _lp(w.addr)
    addrs = _fast_addrs(w_iterable)
    if addrs is not None:
        n = len(addrs)
        if n == 0:
            return
        m = lp.ob_base.ob_size
        for a in addrs:
            incref(a)
        if not int(_cast("uintptr_t", lp.ob_item)):
            list_preallocate_exact(lp, n)
            _set_size(lp, n)
        else:
            list_resize(lp, m + n)
        items = _items(lp)
        for i in range(n):
            items[m + i] = addrs[i]
        return
    space = _space()
    if type(w_iterable) is _W_Range():
        items = space.iterate(w_iterable)   # an exact range: its values, no iterator object
    else:
        items = space.iterate_iterator(space.iter(w_iterable))
    n = _length_hint(w_iterable, 8)
    m = lp.ob_base.ob_size
    if m > _PY_SSIZE_T_MAX - n:
        pass        # m + n overflows: the hint probably lied, ignore it (as list_extend)
    elif not int(_cast("uintptr_t", lp.ob_item)):
        if n:
            list_preallocate_exact(lp, n)
    else:
        list_resize(lp, m + n)
        _set_size(lp, m)
    # the list's words re-read at every step: guest code in __next__ may change the list
    mem = MEM
    base = (w.addr >> 3) - 1
    for w_item in items:
        a = w_item.addr
        size = mem[base + OB_SIZE_W]
        if size < mem[base + _L_ALLOC]:
            incref(a)
            mem[(mem[base + _L_ITEM] >> 3) - 1 + size] = a
            mem[base + OB_SIZE_W] = size + 1
        else:
            list_append_addr(w, a)
    lp = _lp(w.addr)
    if lp.ob_base.ob_size < lp.allocated:
        list_resize(lp, lp.ob_base.ob_size)


def _iterate_it(space, w_it):
    """Host generator over an already-made guest iterator."""
    while True:
        w_x = space.next(w_it)
        if w_x is None:
            return
        yield w_x


# ---------------------------------------------------------------------------------------
# Methods
# ---------------------------------------------------------------------------------------

def _check_list(w, name):
    if not isinstance(w, W_List):
        raise oefmt("TypeError", "descriptor '%s' for 'list' objects doesn't apply to a '%s' object",
                    name, _space().typename(w))


@list_typedef.method("__new__")
def list_new(w_type, /, *args_w, **kwargs_w):
    return new_for_type(w_type, LIST, list_typedef, new_list())     # class MyList(list)


@list_typedef.method("__init__")
def list_init(w, w_iterable=None, /, **kwargs_w):
    # list___init__: keywords are refused unless a subclass's own __new__ took them
    if kwargs_w and (w.__class__.typedef is list_typedef or
                     w.__class__.typedef.lookup("__new__") is list_typedef.methods["__new__"]):
        raise oefmt("TypeError", "list() takes no keyword arguments")
    lp = _lp(w.addr)
    if int(_cast("uintptr_t", lp.ob_item)):
        _list_clear(lp)
    if w_iterable is not None:
        list_extend(w, w_iterable)
    return w_None


@list_typedef.method("append")
def list_append_m(w, w_item):
    list_append_addr(w, w_item.addr)
    return w_None


@list_typedef.method("extend")
def list_extend_m(w, w_iterable):
    list_extend(w, w_iterable)
    return w_None


@list_typedef.method("insert")
def list_insert(w, w_index, w_item):
    """listobject.c ins1."""
    where = _space().index(w_index)
    lp = _lp(w.addr)
    n = lp.ob_base.ob_size
    incref(w_item.addr)
    list_resize(lp, n + 1)
    if where < 0:
        where += n
        if where < 0:
            where = 0
    if where > n:
        where = n
    base = int(_cast("uintptr_t", lp.ob_item))
    _memmove(base + (where + 1) * _WORD, base + where * _WORD, (n - where) * _WORD)
    _items(lp)[where] = w_item.addr
    return w_None


@list_typedef.method("pop")
def list_pop(w, w_index=None):
    lp = _lp(w.addr)
    n = lp.ob_base.ob_size
    if n == 0:
        raise oefmt("IndexError", "pop from empty list")
    i = -1 if w_index is None else _space().index(w_index)
    if i < 0:
        i += n
    if i < 0 or i >= n:
        raise oefmt("IndexError", "pop index out of range")
    a = _items(lp)[i]
    w_item = wrap(a)
    if i == n - 1:
        list_resize(lp, n - 1)     # the list's reference moves to us:
        decref(a)                  # the handle made by wrap() holds its own count
        return w_item
    list_ass_slice(w, i, i + 1, None)
    return w_item


@list_typedef.method("remove")
def list_remove(w, w_item):
    i = 0
    while i < list_size(w):
        a = list_getitem_addr(w, i)
        if item_eq(a, w_item):
            list_ass_slice(w, i, i + 1, None)
            return w_None
        i += 1
    raise oefmt("ValueError", "list.remove(x): x not in list")


@list_typedef.method("index")
def list_index(w, w_item, w_start=None, w_stop=None):
    start, stop = _index_range(w_start, w_stop, list_size(w))
    i = start
    while i < stop and i < list_size(w):
        if item_eq(list_getitem_addr(w, i), w_item):
            return newint(i)
        i += 1
    raise oefmt("ValueError", "%s is not in list", repr_s(w_item))


@list_typedef.method("count")
def list_count(w, w_item):
    c = 0
    i = 0
    while i < list_size(w):
        if item_eq(list_getitem_addr(w, i), w_item):
            c += 1
        i += 1
    return newint(c)


@list_typedef.method("reverse")
def list_reverse(w):
    lp = _lp(w.addr)
    n = lp.ob_base.ob_size
    items = _items(lp) if n else None
    lo, hi = 0, n - 1
    while lo < hi:
        items[lo], items[hi] = items[hi], items[lo]
        lo += 1
        hi -= 1
    return w_None


@list_typedef.method("copy")
def list_copy(w):
    return new_list_from_addrs(list_item_addrs(w))


@list_typedef.method("clear")
def list_clear(w):
    _list_clear(_lp(w.addr))
    return w_None


@list_typedef.method("__len__")
def list_len(w):
    return newint(list_size(w))


@list_typedef.method("__contains__")
def list_contains(w, w_item):
    i = 0
    while i < list_size(w):
        if item_eq(list_getitem_addr(w, i), w_item):
            return _o.w_True
        i += 1
    return _o.w_False


@list_typedef.method("__getitem__")
def list_getitem(w, w_index):
    c = w_index.__class__
    i = w_index.v if (c is _o.W_Int or c is _o.W_Bool) else check_index(w_index)
    if i is not None:
        base = (w.addr >> 3) - 1
        n = MEM[base + OB_SIZE_W]
        if i < 0:
            i += n
        if i < 0 or i >= n:
            raise oefmt("IndexError", "list index out of range")
        return wrap(MEM[(MEM[base + _L_ITEM] >> 3) - 1 + i])
    if is_slice(w_index):
        from runtime.sliceobject import slice_adjust
        start, stop, step, length = slice_adjust(w_index, list_size(w))
        addrs = list_item_addrs(w)
        return new_list_from_addrs([addrs[start + k * step] for k in range(length)])
    raise oefmt("TypeError", "list indices must be integers or slices, not %s",
                _space().typename(w_index))


def _rhs_addrs(w, w_value):
    """PySequence_Fast(v, "can only assign an iterable"): item pointers of the rhs.

    Returns (addrs, keep): `keep` holds handles that keep the items alive meanwhile."""
    addrs = _fast_addrs(w_value)
    if addrs is not None:
        return addrs, None
    space = _space()
    try:
        w_it = space.iter(w_value)
    except OperationError as e:
        if space.exception_match(e, "TypeError"):
            raise oefmt("TypeError", "can only assign an iterable")
        raise
    keep = list(_iterate_it(space, w_it))
    return [x.addr for x in keep], keep


@list_typedef.method("__setitem__")
def list_setitem(w, w_index, w_value):
    i = check_index(w_index)
    if i is not None:
        lp = _lp(w.addr)
        n = lp.ob_base.ob_size
        if i < 0:
            i += n
        if i < 0 or i >= n:
            raise oefmt("IndexError", "list assignment index out of range")
        incref(w_value.addr)
        items = _items(lp)
        old = items[i]
        items[i] = w_value.addr
        decref(old)
        return w_None
    if not is_slice(w_index):
        raise oefmt("TypeError", "list indices must be integers or slices, not %s",
                    _space().typename(w_index))
    from runtime.sliceobject import slice_adjust
    start, stop, step, length = slice_adjust(w_index, list_size(w))
    if step == 1:
        if w_value.addr == w.addr:
            addrs, keep = list_item_addrs(w), None
        else:
            addrs, keep = _rhs_addrs(w, w_value)
        list_ass_slice(w, start, stop, addrs)
        return w_None
    # extended slice: the right-hand side must have exactly `length` items
    if w_value.addr == w.addr:
        addrs, keep = list_item_addrs(w), None
    else:
        addrs, keep = _rhs_addrs(w, w_value)
    if len(addrs) != length:
        raise oefmt("ValueError", "attempt to assign sequence of size %d to extended slice of size %d",
                    len(addrs), length)
    if length == 0:
        return w_None
    for a in addrs:
        incref(a)
    items = _items(_lp(w.addr))
    garbage = []
    for k in range(length):
        j = start + k * step
        garbage.append(items[j])
        items[j] = addrs[k]
    for a in garbage:
        decref(a)
    return w_None


@list_typedef.method("__delitem__")
def list_delitem(w, w_index):
    i = check_index(w_index)
    if i is not None:
        n = list_size(w)
        if i < 0:
            i += n
        if i < 0 or i >= n:
            raise oefmt("IndexError", "list assignment index out of range")
        list_ass_slice(w, i, i + 1, None)
        return w_None
    if not is_slice(w_index):
        raise oefmt("TypeError", "list indices must be integers or slices, not %s",
                    _space().typename(w_index))
    from runtime.sliceobject import slice_adjust
    start, stop, step, length = slice_adjust(w_index, list_size(w))
    if step == 1:
        list_ass_slice(w, start, stop, None)
        return w_None
    if length <= 0:
        return w_None
    if step < 0:                 # walk the deleted items upwards, as list_ass_subscript
        start = start + step * (length - 1)
        step = -step
    lp = _lp(w.addr)
    n = lp.ob_base.ob_size
    items = _items(lp)
    old = [items[i] for i in range(n)]
    doomed = set(range(start, start + step * length, step))
    garbage = [old[i] for i in sorted_range(start, step, length)]
    kept = [old[i] for i in range(n) if i not in doomed]
    for i, a in enumerate(kept):
        items[i] = a
    list_resize(lp, n - length)
    for a in garbage:
        decref(a)
    return w_None


def sorted_range(start, step, length):
    return range(start, start + step * length, step)


@list_typedef.method("__iter__")
def list_iter(w):
    return W_ListIterator.new(w)


@list_typedef.method("__reversed__")
def list_reversed(w):
    return W_ListReverseIterator.new(w)


@list_typedef.method("__add__")
def list_concat(w, w_other):
    if not isinstance(w_other, W_List):
        err = concat_error(w, w_other)
        if err is None:
            return w_NotImplemented
        raise err
    return new_list_from_addrs(list_item_addrs(w) + list_item_addrs(w_other))


@list_typedef.method("__iadd__")
def list_inplace_concat(w, w_other):
    list_extend(w, w_other)
    return w


@list_typedef.method("__mul__")
def list_repeat(w, w_n):
    n = repeat_count(w_n)
    if n is None:
        return w_NotImplemented
    addrs = list_item_addrs(w)
    if n <= 0 or not addrs:
        return new_list_from_addrs([])
    if len(addrs) > MAX_ITEMS // n:
        raise oefmt("MemoryError", "")
    addr = _alloc_list(len(addrs) * n)        # PyList_New(size * n)
    fill_repeated(MEM[(addr >> 3) - 1 + _L_ITEM], addrs, n)
    _o.gc_track(addr)
    return steal(W_List, addr)


list_typedef.methods["__rmul__"] = list_repeat


@list_typedef.method("__imul__")
def list_inplace_repeat(w, w_n):
    """listobject.c list_inplace_repeat."""
    n = repeat_count(w_n)
    if n is None:
        return w_NotImplemented
    lp = _lp(w.addr)
    size = lp.ob_base.ob_size
    if size == 0 or n == 1:
        return w
    if n < 1:
        _list_clear(lp)
        return w
    if size > MAX_ITEMS // n:
        raise oefmt("MemoryError", "")
    addrs = list_item_addrs(w)
    list_resize(lp, size * n)
    # the first copy is in place already: it keeps its references, the others get new ones
    fill_repeated(MEM[(w.addr >> 3) - 1 + _L_ITEM], addrs, n)
    for a in addrs:
        decref(a)
    return w


def _make_cmp(op):
    def cmp(w, w_other):
        if not isinstance(w_other, W_List):
            return w_NotImplemented
        return newbool(compare_sequences(
            lambda i: list_getitem_addr(w, i), lambda: list_size(w),
            lambda i: list_getitem_addr(w_other, i), lambda: list_size(w_other), op))
    cmp.__name__ = "list" + op
    return cmp


for _op in _CMP_OPS:
    list_typedef.methods[_op] = _make_cmp(_op)

list_typedef.methods["__hash__"] = w_None      # lists are unhashable


@list_typedef.method("__repr__")
def list_repr(w):
    if list_size(w) == 0:
        return newstr("[]")
    if repr_enter(w):
        return newstr("[...]")
    try:
        parts = []
        i = 0
        while i < list_size(w):     # the list may change while items run their __repr__
            parts.append(repr_s(wrap(list_getitem_addr(w, i))))
            i += 1
    finally:
        repr_leave(w)
    return newstr("[" + ", ".join(parts) + "]")


# ---------------------------------------------------------------------------------------
# sort(): a stable sort over (key, item) calling the guest's `<` (space.lt); runs found as
# timsort finds them, merged without galloping
# ---------------------------------------------------------------------------------------

def _merge_compute_minrun(n):
    """listobject.c merge_compute_minrun: n itself below 64, else a length in [32, 64]."""
    r = 0
    while n >= 64:
        r |= n & 1
        n >>= 1
    return n + r


def _count_run(keys, order, lo, hi, lt):
    """listobject.c count_run: length of the run at order[lo:hi] and whether it is strictly
    descending (comparing each element with its predecessor, as CPython does)."""
    if lo + 1 == hi:
        return 1, False
    n = 2
    i = lo + 1
    if lt(keys[order[i]], keys[order[i - 1]]):
        i += 1
        while i < hi and lt(keys[order[i]], keys[order[i - 1]]):
            i += 1
            n += 1
        return n, True
    i += 1
    while i < hi and not lt(keys[order[i]], keys[order[i - 1]]):
        i += 1
        n += 1
    return n, False


def _binarysort(keys, order, lo, hi, start, lt):
    """listobject.c binarysort: binary insertion of order[start:hi] into the sorted
    order[lo:start] (the same comparisons, pivot on the left)."""
    if start == lo:
        start += 1
    while start < hi:
        pivot = order[start]
        kp = keys[pivot]
        left, right = lo, start
        while left < right:
            p = left + ((right - left) >> 1)
            if lt(kp, keys[order[p]]):
                right = p
            else:
                left = p + 1
        order[left + 1:start + 1] = order[left:start]
        order[left] = pivot
        start += 1


def _merge(keys, a, b, lt):
    """Stable merge of two sorted lists of positions (b's element goes first only when it
    is strictly less)."""
    out = []
    i = j = 0
    while i < len(a) and j < len(b):
        if lt(keys[b[j]], keys[a[i]]):
            out.append(b[j])
            j += 1
        else:
            out.append(a[i])
            i += 1
    out.extend(a[i:])
    out.extend(b[j:])
    return out


def _sort_positions(keys, lt, order):
    """A stable sort of positions 0..n-1 by keys, calling only lt(a, b).

    The runs are found exactly as CPython's timsort finds them (count_run, descending runs
    reversed, short runs extended to minrun by binarysort), so lists shorter than 64 see
    the very comparisons CPython makes (same results, same first failing comparison); the
    runs are then merged pairwise without galloping.  `order` (the identity permutation) is
    permuted in place while the runs are built, so after a failing comparison it holds the
    partial state CPython's array would hold."""
    n = len(keys)
    if n < 2:
        return order
    minrun = _merge_compute_minrun(n)
    runs = []
    lo = 0
    while lo < n:
        run, descending = _count_run(keys, order, lo, n, lt)
        if descending:
            order[lo:lo + run] = order[lo:lo + run][::-1]
        if run < minrun:
            force = min(minrun, n - lo)
            _binarysort(keys, order, lo, lo + force, lo + run, lt)
            run = force
        runs.append(order[lo:lo + run])
        lo += run
    while len(runs) > 1:
        merged = []
        for k in range(0, len(runs) - 1, 2):
            merged.append(_merge(keys, runs[k], runs[k + 1], lt))
        if len(runs) % 2:
            merged.append(runs[-1])
        runs = merged
        order[:] = [x for run in runs for x in run]
    return order


@list_typedef.method("sort")
def list_sort(w, *, key=None, reverse=None):
    """list.sort(*, key=None, reverse=False) (listobject.c list_sort_impl's protocol: the
    list is emptied during the sort and a change made meanwhile is an error)."""
    space = _space()
    w_key = key
    rev = reverse is not None and space.is_true(reverse)
    lp = _lp(w.addr)
    saved_n = lp.ob_base.ob_size
    saved_items = int(_cast("uintptr_t", lp.ob_item))
    saved_alloc = lp.allocated
    items_w = [wrap(a) for a in list_item_addrs(w)]
    # Empty the list while sorting (ob_size 0, ob_item NULL, allocated -1).
    _set_size(lp, 0)
    lp.ob_item = ffi.NULL
    lp.allocated = -1
    error = None
    order = None
    keys = None
    n = len(items_w)
    idx = None
    try:
        if w_key is not None and w_key is not w_None:
            keys = [space.call_function(w_key, x) for x in items_w]
        else:
            keys = items_w
        idx = list(range(n))         # from here on a failure leaves a partial permutation
        if rev:
            # CPython reverses the list, sorts, and reverses back: stable for equal keys
            _sort_positions(keys[::-1], space.lt, idx)
        else:
            _sort_positions(keys, space.lt, idx)
    except OperationError as e:
        error = e
    if idx is not None:
        order = [n - 1 - i for i in idx][::-1] if rev else idx
    lp = _lp(w.addr)
    modified = lp.allocated != -1 or int(_cast("uintptr_t", lp.ob_item)) != 0
    if modified:
        # the guest appended meanwhile: drop what it added (CPython does the same)
        _list_clear(lp)
    lp.ob_item = _cast("PyObject **", saved_items)
    _set_size(lp, saved_n)
    lp.allocated = saved_alloc
    if not modified and order is not None:
        items = _items(lp)
        addrs = [x.addr for x in items_w]
        for i in range(saved_n):
            items[i] = addrs[order[i]]
    if error is not None:
        # drop our handles before raising: the traceback keeps this frame alive
        items_w = keys = None
        try:
            raise error
        finally:
            error = None
    if modified:
        raise oefmt("ValueError", "list modified during sort")
    return w_None


# ---------------------------------------------------------------------------------------
# Iterators (listiterobject / listreviterobject structs: see tupleobject)
# ---------------------------------------------------------------------------------------

def _list_size_at(a):
    return MEM[(a >> 3) - 1 + OB_SIZE_W]


def _list_item_at(a, i):
    return MEM[(MEM[(a >> 3) - 1 + _L_ITEM] >> 3) - 1 + i]


W_ListIterator = _seq_iterator_class("W_ListIterator", W_SeqIterator, "PyListIter_Type",
                                     _list_size_at, _list_item_at)
W_ListReverseIterator = _seq_iterator_class("W_ListReverseIterator", W_SeqReverseIterator,
                                            "PyListRevIter_Type", _list_size_at, _list_item_at)


list_iterator_typedef = make_iterator_typedef("list_iterator", W_ListIterator,
                                              "PyListIter_Type")
list_reverseiterator_typedef = make_iterator_typedef("list_reverseiterator",
                                                     W_ListReverseIterator, "PyListRevIter_Type")


def list_from_iterable(w_iterable):
    """list(iterable) as the builtin does it (PySequence_List: new list + list_extend)."""
    w = new_list()
    list_extend(w, w_iterable)
    return w


@list_typedef.method("__sizeof__")
def list_sizeof(w):
    """list___sizeof___impl: the struct plus the allocated ob_item array."""
    # _PyObject_SIZE(Py_TYPE(self)): a subclass's own tp_basicsize
    return newint(_cast("PyTypeObject *", _o.type_addr_of(w.addr)).tp_basicsize
                  + list_allocated(w) * _WORD)


guard_methods(list_typedef, W_List)
guard_methods(list_iterator_typedef, W_ListIterator)
guard_methods(list_reverseiterator_typedef, W_ListReverseIterator)
