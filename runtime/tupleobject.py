"""Guest tuple: a real PyTupleObject (Objects/tupleobject.c) in the host's memory.

Layout: PyGC_Head prefix, PyVarObject header (ob_size = length), then the items inline
(`ob_item[n]`), exactly what PyTuple_New builds: the allocation size is the host type's
tp_basicsize + n * tp_itemsize rounded to a word (_PyObject_VAR_SIZE), so the host's
tupledealloc can free it or keep it on its per-size free list.  The empty tuple is the
host's own singleton, as PyTuple_New(0) returns it.

This module also holds the small helpers every container module shares (wrapping item
pointers, sequence indices, the repr recursion guard, sequence comparison), because the
tuple is the simplest container and every other one imports it anyway.
"""

from layout import ffi

from runtime import object as _o
from runtime.object import W_Object, wrap, incref, steal, w_NotImplemented
from runtime.errors import OperationError, oefmt
from runtime.typedef import TypeDef

_cast = ffi.cast
_MASK64 = (1 << 64) - 1


_space_module = []


def _space():
    """runtime.space, imported on first use (it imports the object modules)."""
    if _space_module:
        return _space_module[0]
    from runtime import space
    _space_module.append(space)
    return space


# ---------------------------------------------------------------------------------------
# Shared helpers for the container modules
# ---------------------------------------------------------------------------------------

class HostType(object):
    """What CPython's allocator needs to know about one of the host's built-in types:
    its address, tp_basicsize and tp_itemsize (read from the host's PyTypeObject)."""

    __slots__ = ("addr", "basicsize", "itemsize", "flags")

    def __init__(self, symbol):
        self.addr = _o.type_address(symbol)
        tp = _cast("PyTypeObject *", self.addr)
        self.basicsize = tp.tp_basicsize
        self.itemsize = tp.tp_itemsize
        self.flags = tp.tp_flags


# Raw memory views (see runtime/dictobject.py): _MEM[(a >> 3) - 1] is the word at address a.
# Word indices of fields come from the layout (ffi.offsetof), never by hand.
MEM = ffi.cast("intptr_t *", 8)
WORD = ffi.sizeof("intptr_t")


def word_index(struct, field):
    """Word index of a pointer-sized field inside a struct (from the layout)."""
    off = ffi.offsetof(struct, field)
    assert off % WORD == 0
    return off // WORD


OB_TYPE_W = word_index("PyObject", "ob_type")
OB_SIZE_W = word_index("PyVarObject", "ob_size")
_STR_HASH_W = word_index("PyASCIIObject", "hash")
_REFCNT_W = word_index("PyObject", "ob_refcnt")
MAX_ITEMS = ((1 << 63) - 1) // WORD      # PY_SSIZE_T_MAX / sizeof(PyObject *)


def incref_n(addr, n):
    """n times Py_INCREF (immortal objects of 3.12+ are left alone)."""
    i = (addr >> 3) - 1 + _REFCNT_W
    rc = MEM[i]
    if _o.IMMORTAL_REFCOUNTS and _o._is_immortal(rc):
        return
    MEM[i] = rc + n


def fill_repeated(items_addr, addrs, n):
    """Store `addrs` n times from items_addr on (the loop of list_repeat/tuplerepeat: the
    first copy item by item, then doubling memcpy), with n new references per item."""
    m = len(addrs)
    base = (items_addr >> 3) - 1
    for i in range(m):
        MEM[base + i] = addrs[i]
    done = m
    total = m * n
    while done < total:
        chunk = min(done, total - done)
        ffi.memmove(_cast("char *", items_addr + done * WORD), _cast("char *", items_addr),
                    chunk * WORD)
        done += chunk
    counts = {}
    for a in addrs:
        counts[a] = counts.get(a, 0) + n
    for a, c in counts.items():
        incref_n(a, c)


# --- GC tracking (Include/internal/pycore_object.h, Modules/gcmodule.c) -------------------
_GC_HEAD = _o.SIZEOF_GC_HEAD
_GC_NEXT = ffi.offsetof("PyGC_Head", "_gc_next")
# Include/object.h type flags (values of macros, not layout)
_Py_TPFLAGS_HEAPTYPE = 1 << 9
_Py_TPFLAGS_HAVE_GC = 1 << 14
_gc_kinds = {}      # type address -> kind (see _gc_kind)


def is_tracked(addr):
    """_PyObject_GC_IS_TRACKED: a non-zero _gc_next in the PyGC_Head before the object."""
    return MEM[((addr - _GC_HEAD + _GC_NEXT) >> 3) - 1] != 0


def _gc_kind(t):
    """How objects of type t relate to _PyObject_GC_MAY_BE_TRACKED: 0 never (not a GC
    type), 1 always, 2 a tuple (only if tracked itself), 3 a type (only heap types)."""
    if not _cast("PyTypeObject *", t).tp_flags & _Py_TPFLAGS_HAVE_GC:
        kind = 0
    elif t == _o.type_address("PyTuple_Type"):
        kind = 2
    elif t == _o.type_address("PyType_Type"):
        kind = 3
    else:
        kind = 1
    _gc_kinds[t] = kind
    return kind


def may_be_tracked(addr):
    """_PyObject_GC_MAY_BE_TRACKED: could the object at addr be part of a cycle?"""
    t = MEM[(addr >> 3) - 1 + OB_TYPE_W]
    kind = _gc_kinds.get(t)
    if kind is None:
        kind = _gc_kind(t)
    if kind < 2:
        return kind == 1
    if kind == 2:
        return is_tracked(addr)
    return bool(_cast("PyTypeObject *", addr).tp_flags & _Py_TPFLAGS_HEAPTYPE)


def type_of(addr):
    """Address of Py_TYPE(addr)."""
    return _o.type_addr_of(addr)


def ptr(cptr):
    """The address in a cffi pointer, as a host int (0 for NULL)."""
    return int(_cast("uintptr_t", cptr))


def wrap_or_none(addr):
    """wrap(addr), or None for a NULL pointer."""
    return wrap(addr) if addr else None


def to_signed64(u):
    """Reinterpret a size_t as Py_ssize_t / Py_hash_t."""
    u &= _MASK64
    return u - (1 << 64) if u >= (1 << 63) else u


def check_index(w_index):
    """A guest index as a host int (PyNumber_AsSsize_t semantics for item access)."""
    c = w_index.__class__
    if c is _o.W_Int or c is _o.W_Bool:
        return w_index.v
    space = _space()
    if space.lookup(w_index, "__index__") is None:
        return None
    return space.index(w_index)


def is_slice(w):
    from runtime.sliceobject import W_Slice
    return isinstance(w, W_Slice)


# Py_ReprEnter / Py_ReprLeave: addresses of containers whose repr is in progress.
_repr_running = set()


def new_for_type(w_type, host, td, w_value):
    """The end of a built-in __new__(w_type, ...): w_value itself for the exact type; for a
    guest subclass, the value moved into the subclass's struct (object.new_subtype_instance);
    anything else is CPython's "X.__new__(Y): Y is not a subtype of X"."""
    if w_type is None or w_type.addr == host.addr:
        return w_value
    from runtime import typeobject
    if not typeobject.is_type(w_type):
        raise oefmt("TypeError", "%s.__new__(X): X is not a type object (%s)", td.name,
                    w_type.__class__.typedef.name)
    sub_td = typeobject.typedef_of_type(w_type)
    if not typeobject.issubtype_td(sub_td, td):
        raise oefmt("TypeError", "%s.__new__(%s): %s is not a subtype of %s", td.name,
                    sub_td.name, sub_td.name, td.name)
    return _o.new_subtype_instance(w_type, w_value)


def repr_enter(w):
    """True if w's repr is already running (the caller then prints `[...]` / `{...}`)."""
    if w.addr in _repr_running:
        return True
    _repr_running.add(w.addr)
    return False


def repr_leave(w):
    _repr_running.discard(w.addr)


def repr_s(w):
    return _space().repr(w).v


def hash_w(w):
    """PyObject_Hash as a host int, with fast paths: exact strs, ints and non-NaN floats
    hash by the same functions as the host's own (same siphash key in this process, same
    numeric hash), so the host computes them from the decoded value.  A str's hash is also
    stored in its PyASCIIObject.hash field, as unicode_hash does (C code reading a
    unicode-keys dict table relies on it)."""
    c = w.__class__
    if c is _o.W_Str:
        h = hash(w.v)
        i = (w.addr >> 3) - 1 + _STR_HASH_W
        if MEM[i] == -1:
            MEM[i] = h                 # unicode_hash caches it in the object, too
        return h
    if c is _o.W_Int or c is _o.W_Bool:
        return hash(w.v)
    if c is _o.W_Float and w.v == w.v:
        return hash(w.v)
    f = FAST_HASH.get(c)
    if f is not None:
        return f(w)
    return _space().hash(w)


#: exact handle class -> fn(w) giving the host-int hash directly (the type's own hash
#: function, as tp_hash is called by PyObject_Hash), with no guest int built for __hash__'s
#: result: tuples (tuplehash) and frozensets (frozenset_hash, cached in the struct).
FAST_HASH = {}


def newstr(s):
    return _space().newstr(s)


def newint(v):
    return _space().newint(v)


def newbool(b):
    return _o.w_True if b else _o.w_False


def items_eq(w1, w2):
    """PyObject_RichCompareBool(v, w, Py_EQ) with its identity shortcut."""
    if w1 is w2 or w1.addr == w2.addr:
        return True
    return _space().eq(w1, w2)


def addr_eq(a1, a2):
    """items_eq for two item pointers."""
    if a1 == a2:
        return True
    return _space().eq(wrap(a1), wrap(a2))


#: exact handle class -> address of its type: for two objects of one of these exact types,
#: == is the comparison of the decoded values (unicode_compare_eq, long_richcompare,
#: float_richcompare), so no handle and no guest code is needed
SCALAR_EQ_TYPES = {_o.W_Str: _o.type_address("PyUnicode_Type"),
                   _o.W_Int: _o.type_address("PyLong_Type"),
                   _o.W_Float: _o.type_address("PyFloat_Type")}


def item_eq(a, w_item):
    """PyObject_RichCompareBool(item at address a, w_item, Py_EQ) (list/tuple contains,
    index, count, remove): identity, decoded values for two objects of the same exact
    str/int/float type (the class's _decode reads the struct), else the full protocol."""
    if a == w_item.addr:
        return True
    c = w_item.__class__
    t = SCALAR_EQ_TYPES.get(c)
    if t is not None and MEM[(a >> 3) - 1 + OB_TYPE_W] == t:
        return c._decode(a) == w_item.v
    return _space().eq(wrap(a), w_item)


_CMP_OPS = ("__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__")


def compare_sequences(get1, size1, get2, size2, op):
    """tuplerichcompare / list_richcompare: compare two sequences of item addresses.

    `size1()`, `size2()` give the current lengths and `get1(i)`, `get2(i)` item pointers:
    both are re-read at every step, because comparing items runs guest code that may
    mutate (shrink) a list; each pair is wrapped (counted) before it is compared.
    Returns a host bool."""
    n1, n2 = size1(), size2()
    if (n1 != n2) and op in ("__eq__", "__ne__"):
        return op == "__ne__"
    i = 0
    w1 = w2 = None
    while i < size1() and i < size2():
        w1 = wrap(get1(i))
        w2 = wrap(get2(i))
        if not (w1.addr == w2.addr or _space().eq(w1, w2)):
            break
        i += 1
    n1, n2 = size1(), size2()
    if i >= n1 or i >= n2:
        if op == "__lt__":
            return n1 < n2
        if op == "__le__":
            return n1 <= n2
        if op == "__eq__":
            return n1 == n2
        if op == "__ne__":
            return n1 != n2
        if op == "__gt__":
            return n1 > n2
        return n1 >= n2
    if op == "__eq__":
        return False
    if op == "__ne__":
        return True
    space = _space()
    return space.is_true(space.richcompare(w1, w2, op))


# ---------------------------------------------------------------------------------------
# The tuple
# ---------------------------------------------------------------------------------------

class W_Tuple(W_Object):
    """Handle on a PyTupleObject (Include/cpython/tupleobject.h)."""
    __slots__ = ()


TUPLE = HostType("PyTuple_Type")
_ITEM_OFFSET = ffi.offsetof("PyTupleObject", "ob_item")
# PyTuple_New(0) returns the interpreter's one empty tuple; `()` in this host process is it.
ADDR_EMPTY_TUPLE = id(())

tuple_typedef = TypeDef("tuple", _o.object_typedef, "PyTuple_Type", W_Tuple)
_o.register_handle_class(TUPLE.addr, W_Tuple)


def _items(addr):
    """The ob_item array of the tuple at addr, as a cffi `PyObject **`."""
    return _cast("PyObject **", addr + _ITEM_OFFSET)


_ITEM_W = _ITEM_OFFSET // WORD


def tuple_size(w):
    return MEM[(w.addr >> 3) - 1 + OB_SIZE_W]


def tuple_item_addrs(w):
    """Host list of the item addresses (a snapshot; tuples do not change)."""
    base = (w.addr >> 3) - 1
    n = MEM[base + OB_SIZE_W]
    items = base + _ITEM_W
    return [MEM[items + i] for i in range(n)]


def tuple_items_w(w):
    """Host list of handles on the items."""
    return [wrap(a) for a in tuple_item_addrs(w)]


def alloc_tuple(n):
    """tuple_alloc(): an untracked tuple of n NULL items (refcount 1, not yet a handle)."""
    return _o.alloc_object(TUPLE.addr, TUPLE.basicsize, TUPLE.itemsize, n, gc=True)


_fast_tuple = _o.FAST_CONSTRUCTORS.get("tuple")
_new = object.__new__


def new_tuple_from_addrs(addrs):
    """PyTuple_New + PyTuple_SET_ITEM with new references: a W_Tuple of these pointers
    (built by build_ffi's beale_fast_tuple in one call; new_tuple_from_addrs_py is the
    same in Python)."""
    if not addrs:
        return wrap(ADDR_EMPTY_TUPLE)
    ref = _fast_tuple(addrs)
    w = _new(W_Tuple)
    w.addr = id(ref)
    w.ref = ref
    return w


def new_tuple_from_addrs_py(addrs):
    """new_tuple_from_addrs allocating through object._malloc (allocstats counts it)."""
    n = len(addrs)
    if n == 0:
        return wrap(ADDR_EMPTY_TUPLE)
    addr = alloc_tuple(n)
    items = (addr >> 3) - 1 + _ITEM_W
    for i in range(n):
        a = addrs[i]
        incref(a)
        MEM[items + i] = a
    # PyTuple_New tracks every new tuple; only a collection untracks those holding
    # atomic objects (_PyTuple_MaybeUntrack, gcmodule.c move_unreachable), so a fresh
    # tuple is tracked whatever it holds, as gc.is_tracked((1, 2)) says on the host.
    _o.gc_track(addr)
    return steal(W_Tuple, addr)


if _fast_tuple is None:
    new_tuple_from_addrs = new_tuple_from_addrs_py     # noqa: F811


def new_tuple(items_w):
    """A guest tuple of the given handles (the count each slot owns is a new one)."""
    return new_tuple_from_addrs([w.addr for w in items_w])


def tuple_getitem_addr(w, i):
    return MEM[(w.addr >> 3) - 1 + _ITEM_W + i]


# --- tuplehash (xxHash-based, Objects/tupleobject.c) ---------------------------------------
_XXPRIME_1 = 11400714785074694791
_XXPRIME_2 = 14029467366897019727
_XXPRIME_5 = 2870177450012600261


def tuple_hash_of_lanes(lanes):
    """tuplehash() over the items' hashes (host ints)."""
    acc = _XXPRIME_5
    for lane in lanes:
        acc = (acc + (lane & _MASK64) * _XXPRIME_2) & _MASK64
        acc = ((acc << 31) | (acc >> 33)) & _MASK64
        acc = (acc * _XXPRIME_1) & _MASK64
    acc = (acc + (len(lanes) ^ (_XXPRIME_5 ^ 3527539))) & _MASK64
    if acc == _MASK64:
        return 1546275796
    return to_signed64(acc)


# --- methods -----------------------------------------------------------------------------

def _as_tuple(w, what="descriptor"):
    if not isinstance(w, W_Tuple):
        raise oefmt("TypeError", "descriptor '%s' requires a 'tuple' object but received a '%s'",
                    what, _space().typename(w))
    return w


@tuple_typedef.method("__len__")
def tuple_len(w):
    return newint(tuple_size(w))


def _normalize_index(i, n, what):
    if i < 0:
        i += n
    if i < 0 or i >= n:
        raise oefmt("IndexError", "%s index out of range", what)
    return i


@tuple_typedef.method("__getitem__")
def tuple_getitem(w, w_index):
    c = w_index.__class__
    i = w_index.v if (c is _o.W_Int or c is _o.W_Bool) else check_index(w_index)
    base = (w.addr >> 3) - 1
    n = MEM[base + OB_SIZE_W]
    if i is not None:
        if i < 0:
            i += n
        if i < 0 or i >= n:
            raise oefmt("IndexError", "tuple index out of range")
        return wrap(MEM[base + _ITEM_W + i])
    if is_slice(w_index):
        from runtime.sliceobject import slice_adjust
        start, stop, step, length = slice_adjust(w_index, n)
        if start == 0 and step == 1 and length == n and type(w) is W_Tuple:
            return w
        addrs = tuple_item_addrs(w)
        return new_tuple_from_addrs([addrs[start + k * step] for k in range(length)])
    raise oefmt("TypeError", "tuple indices must be integers or slices, not %s",
                _space().typename(w_index))


@tuple_typedef.method("__contains__")
def tuple_contains(w, w_item):
    for a in tuple_item_addrs(w):
        if item_eq(a, w_item):
            return _o.w_True
    return _o.w_False


@tuple_typedef.method("count")
def tuple_count(w, w_item):
    n = 0
    for a in tuple_item_addrs(w):
        if item_eq(a, w_item):
            n += 1
    return newint(n)


@tuple_typedef.method("index")
def tuple_index(w, w_item, w_start=None, w_stop=None):
    addrs = tuple_item_addrs(w)
    start, stop = _index_range(w_start, w_stop, len(addrs))
    for i in range(start, min(stop, len(addrs))):
        a = addrs[i]
        if item_eq(a, w_item):
            return newint(i)
    raise oefmt("ValueError", "tuple.index(x): x not in tuple")


def _index_range(w_start, w_stop, n):
    """The start/stop arguments of index(): clipped like _PyEval_SliceIndex + adjust."""
    space = _space()
    start = 0 if w_start is None else space.index(w_start)
    stop = n if w_stop is None else space.index(w_stop)
    if start < 0:
        start = max(start + n, 0)
    if stop < 0:
        stop = max(stop + n, 0)
    return start, stop


@tuple_typedef.method("__hash__")
def tuple_hash(w):
    return newint(tuple_hash_value(w))


def tuple_hash_value(w):
    """tuplehash() as a host int."""
    return tuple_hash_of_lanes([hash_w(wrap(a)) for a in tuple_item_addrs(w)])


FAST_HASH[W_Tuple] = tuple_hash_value


@tuple_typedef.method("__add__")
def tuple_add(w, w_other):
    if not isinstance(w_other, W_Tuple):
        err = concat_error(w, w_other)
        if err is None:
            return w_NotImplemented
        raise err
    if tuple_size(w_other) == 0 and type(w) is W_Tuple:
        return w
    if tuple_size(w) == 0 and type(w_other) is W_Tuple:
        return w_other
    return new_tuple_from_addrs(tuple_item_addrs(w) + tuple_item_addrs(w_other))


_BUILTIN_SEQUENCES = ("str", "bytes", "bytearray", "list", "tuple", "range")


def _defers_to(w_other, rname):
    """True if w_other's type offers the reflected method `rname` that CPython would try
    before the sequence slot (a user type, not a built-in sequence)."""
    td = w_other.__class__.typedef
    return td.name not in _BUILTIN_SEQUENCES and td.lookup(rname) is not None


def repeat_count(w_n):
    """The int of a sequence repeat count (sq_repeat); None -> NotImplemented when the other
    operand has its own __rmul__; TypeError as CPython words it otherwise."""
    c = w_n.__class__
    if c is _o.W_Int or c is _o.W_Bool:
        return w_n.v
    space = _space()
    if space.lookup(w_n, "__index__") is None:
        if _defers_to(w_n, "__rmul__"):
            return None
        raise oefmt("TypeError", "can't multiply sequence by non-int of type '%s'",
                    space.typename(w_n))
    return space.index(w_n)


def concat_error(w_self, w_other):
    """sq_concat's complaint, or None (-> NotImplemented) if w_other has an __radd__."""
    if _defers_to(w_other, "__radd__"):
        return None
    name = w_self.__class__.typedef.name
    return oefmt("TypeError", 'can only concatenate %s (not "%s") to %s', name,
                 _space().typename(w_other), name)


@tuple_typedef.method("__mul__")
def tuple_mul(w, w_n):
    n = repeat_count(w_n)
    if n is None:
        return w_NotImplemented
    addrs = tuple_item_addrs(w)
    if n <= 0 or not addrs:
        return wrap(ADDR_EMPTY_TUPLE)
    if n == 1 and type(w) is W_Tuple:
        return w
    if len(addrs) > MAX_ITEMS // n:
        raise oefmt("MemoryError", "")
    total = len(addrs) * n
    addr = alloc_tuple(total)
    fill_repeated(addr + _ITEM_OFFSET, addrs, n)
    _o.gc_track(addr)           # tuple_repeat tracks the result whatever it holds
    return steal(W_Tuple, addr)


tuple_typedef.methods["__rmul__"] = tuple_mul


def _make_cmp(op):
    def cmp(w, w_other):
        if not isinstance(w_other, W_Tuple):
            return w_NotImplemented
        return newbool(compare_sequences(
            lambda i: tuple_getitem_addr(w, i), lambda: tuple_size(w),
            lambda i: tuple_getitem_addr(w_other, i), lambda: tuple_size(w_other), op))
    cmp.__name__ = "tuple" + op
    return cmp


for _op in _CMP_OPS:
    tuple_typedef.methods[_op] = _make_cmp(_op)


@tuple_typedef.method("__repr__")
def tuple_repr(w):
    addrs = tuple_item_addrs(w)
    if not addrs:
        return newstr("()")
    if repr_enter(w):
        return newstr("(...)")
    try:
        parts = [repr_s(wrap(a)) for a in addrs]
    finally:
        repr_leave(w)
    if len(parts) == 1:
        return newstr("(%s,)" % parts[0])
    return newstr("(%s)" % ", ".join(parts))


@tuple_typedef.method("__sizeof__")
def tuple_sizeof(w):
    """object.__sizeof__ for a var-sized object: tp_basicsize + ob_size * tp_itemsize."""
    return newint(TUPLE.basicsize + tuple_size(w) * TUPLE.itemsize)


@tuple_typedef.method("__getnewargs__")
def tuple_getnewargs(w):
    return new_tuple([new_tuple_from_addrs(tuple_item_addrs(w))])


@tuple_typedef.method("__new__")
def tuple_new(w_type, w_iterable=None, /, **kwargs_w):
    """tuple(iterable); for a guest subclass the value is moved into the subclass's struct
    by the type system (object.new_subtype_instance). Keyword arguments are refused unless
    the subclass has its own __init__ to take them (tuple_new_impl)."""
    if kwargs_w:
        td = _t_typedef_of_type(w_type)
        if td is tuple_typedef or td.lookup("__init__") is \
                _o.object_typedef.lookup("__init__"):
            raise oefmt("TypeError", "tuple() takes no keyword arguments")
    if w_iterable is None:
        w = wrap(ADDR_EMPTY_TUPLE)
    elif type(w_iterable) is W_Tuple:
        w = w_iterable
    else:
        w = new_tuple(list(_space().iterate(w_iterable)))
    return new_for_type(w_type, TUPLE, tuple_typedef, w)


# ---------------------------------------------------------------------------------------
# Iterators over index-addressable sequences (tuple, list, str-like)
# ---------------------------------------------------------------------------------------
#
# (No built-in type uses this any more: range, the container iterators and dict views are
# real structs declared by headers/private_objects.h.  Kept for objects that may need it.)
# CPython's iterator structs (tupleiterobject, listiterobject, ...), its dict views and
# its range object are private to Objects/*.c: no header gives their layout, and beale
# writes no offsets by hand.  beale builds these objects as *bodies*: small host objects
# (a class with __slots__ per type) holding the state, with one `W_...` handle class per
# type.  A body is a real PyObject, so everything the object model does with addresses
# works unchanged: `addr` is the body's address (the guest's id()), a handle owns one
# count on it, a guest container stores its address and counts it, and wrap(addr) (keyed
# on the body class's address, like any ob_type) makes a handle whose `v` is the body.
# They are not CPython's structs, though: C code given such an object sees an opaque host
# object, so the C bridge should convert them (e.g. to a list) before passing them on.

_PyObj_FromPtr = _o._PyObj_FromPtr


class W_HandleOnly(W_Object):
    """A handle on a beale-built object with no C struct (see the note above): `v` is the
    body.  Subclasses list the body's fields in `_fields` and are finished by
    `handle_only_type`; calling the class builds a new body and returns a handle on it."""
    __slots__ = ("v",)
    _fields = ()
    _body = None

    def __new__(cls, *args, **kwargs):
        if not args and not kwargs:
            return W_Object.__new__(cls)      # wrap() making a handle on an existing body
        body = cls._body()
        return wrap(id(body))                 # then __init__(*args) fills the body


def _body_field(name):
    return property(lambda self: getattr(self.v, name),
                    lambda self, value: setattr(self.v, name, value))


def handle_only_type(cls):
    """Class decorator: make the body class for `cls._fields`, forward those attributes of
    the handle to the body, and register the handle class for the body's type."""
    body_cls = type(cls.__name__[2:] + "Body", (object,), {"__slots__": tuple(cls._fields)})
    for name in cls._fields:
        setattr(cls, name, _body_field(name))
    cls._body = body_cls
    cls._decode = staticmethod(_PyObj_FromPtr)
    _o.register_handle_class(id(body_cls), cls)
    return cls


# --- tuple/list iterators: real structs --------------------------------------------------
#
# tupleiterobject, listiterobject and listreviterobject {PyObject_HEAD; Py_ssize_t
# it_index; it_seq} are private to Objects/*.c in 3.11; headers/private_objects.h declares
# their common shape (`beale_seqiterobject`), checked against the host's tp_basicsize by
# tests/objects/test_private_structs.py.  beale builds them as those structs with ob_type
# = the host's PyTupleIter_Type / PyListIter_Type / PyListRevIter_Type (GC types, tracked
# at creation as tuple_iter/list_iter do, since their deallocators untrack them), so C code
# can drive them with its own tp_iternext, and the guest sees the progress C made.

_SI_INDEX_W = word_index("beale_seqiterobject", "it_index")
_SI_SEQ_W = word_index("beale_seqiterobject", "it_seq")


class W_SeqIterator(W_Object):
    """Handle on a tuple/list iterator struct.  Subclasses set `_type` (HostType), and
    `_size(seq_addr)` / `_item(seq_addr, i)` reading the sequence's struct."""
    __slots__ = ()
    _type = None
    _reverse = False

    @classmethod
    def new(cls, w_seq):
        """tuple_iter / list_iter (listreviter: list_reversed starts at the last index)."""
        t = cls._type
        addr = _o.alloc_object(t.addr, t.basicsize, gc=True)
        base = (addr >> 3) - 1
        a = w_seq.addr
        incref(a)
        MEM[base + _SI_INDEX_W] = cls._size(a) - 1 if cls._reverse else 0
        MEM[base + _SI_SEQ_W] = a
        _o.gc_track(addr)
        return steal(cls, addr)

    @property
    def w_seq(self):
        a = MEM[(self.addr >> 3) - 1 + _SI_SEQ_W]
        return wrap(a) if a else None

    @property
    def index(self):
        return MEM[(self.addr >> 3) - 1 + _SI_INDEX_W]

    def next_addr(self):
        """tupleiter_next / listiter_next: the next item's address (a borrowed pointer),
        or 0 when exhausted (then it_seq is dropped and set to NULL)."""
        base = (self.addr >> 3) - 1
        a = MEM[base + _SI_SEQ_W]
        if not a:
            return 0
        i = MEM[base + _SI_INDEX_W]
        if i < self._size(a):
            MEM[base + _SI_INDEX_W] = i + 1
            return self._item(a, i)
        MEM[base + _SI_SEQ_W] = 0
        _o.decref(a)
        return 0

    def length(self):
        """tupleiter_len / listiter_len."""
        base = (self.addr >> 3) - 1
        a = MEM[base + _SI_SEQ_W]
        if a:
            n = self._size(a) - MEM[base + _SI_INDEX_W]
            if n >= 0:
                return n
        return 0


class W_SeqReverseIterator(W_SeqIterator):
    """listreviterobject: walks down from the end; stops when the index leaves the list."""
    __slots__ = ()
    _reverse = True

    def next_addr(self):
        """listreviter_next."""
        base = (self.addr >> 3) - 1
        a = MEM[base + _SI_SEQ_W]
        if not a:
            return 0
        i = MEM[base + _SI_INDEX_W]
        if 0 <= i < self._size(a):
            MEM[base + _SI_INDEX_W] = i - 1
            return self._item(a, i)
        MEM[base + _SI_INDEX_W] = -1
        MEM[base + _SI_SEQ_W] = 0
        _o.decref(a)
        return 0

    def length(self):
        """listreviter_len."""
        base = (self.addr >> 3) - 1
        a = MEM[base + _SI_SEQ_W]
        n = MEM[base + _SI_INDEX_W] + 1
        if not a or self._size(a) < n:
            return 0
        return n


def _seq_iterator_class(name, base, symbol, size, item):
    """A handle class for one host iterator type, registered for wrap()."""
    t = HostType(symbol)
    assert ffi.sizeof("beale_seqiterobject") == t.basicsize      # headers/private_objects.h
    cls = type(name, (base,), {"__slots__": (), "_type": t, "_size": staticmethod(size),
                               "_item": staticmethod(item)})
    _o.register_handle_class(t.addr, cls)
    return cls


def _tuple_size_at(a):
    return MEM[(a >> 3) - 1 + OB_SIZE_W]


def _tuple_item_at(a, i):
    return MEM[(a >> 3) - 1 + _ITEM_W + i]


W_TupleIterator = _seq_iterator_class("W_TupleIterator", W_SeqIterator, "PyTupleIter_Type",
                                      _tuple_size_at, _tuple_item_at)


def _stop_iteration():
    return OperationError("StopIteration", None)


def iterator_next(w_it):
    a = w_it.next_addr()
    if not a:
        raise _stop_iteration()
    return wrap(a)


def iterator_self(w_it):
    return w_it


def _length_hint(w_it):
    return newint(w_it.length())


def make_iterator_typedef(name, handle_class, host_symbol=None):
    """A TypeDef for a handle-only iterator class with __iter__/__next__/__length_hint__
    (host_symbol: the host's type object of that name, e.g. PyListIter_Type)."""
    td = TypeDef(name, _o.object_typedef, host_symbol, handle_class)
    td.methods["__iter__"] = iterator_self
    td.methods["__next__"] = iterator_next
    td.methods["__length_hint__"] = _length_hint
    return td


tuple_iterator_typedef = make_iterator_typedef("tuple_iterator", W_TupleIterator,
                                               "PyTupleIter_Type")


@tuple_typedef.method("__iter__")
def tuple_iter(w):
    return W_TupleIterator.new(w)


# ---------------------------------------------------------------------------------------
# descr_check: methods reached through the type (`list.append(5, 1)`) get any object as
# self; they read the struct at its address, so the type must be checked first.
# ---------------------------------------------------------------------------------------

_FunctionType = type(lambda: None)


def _checked(fn, name, tname, classes):
    # the two wordings of CPython: slot wrappers (dunders) and method descriptors
    if name.startswith("__") and name.endswith("__"):
        fmt = "descriptor '%s' requires a '%s' object but received a '%s'"
    else:
        fmt = "descriptor '%s' for '%s' objects doesn't apply to a '%s' object"

    def method(w_self, /, *args_w, **kwargs_w):
        if not isinstance(w_self, classes):
            raise oefmt("TypeError", fmt, name, tname, w_self.__class__.typedef.name)
        try:
            return fn(w_self, *args_w, **kwargs_w)
        except TypeError as e:
            if e.__traceback__.tb_next is not None:
                raise                 # raised inside fn: a bug, not the caller's arguments
            raise _arity_error(e, fn.__name__, name)
    method.__name__ = fn.__name__
    method.__doc__ = fn.__doc__
    method.__wrapped__ = fn
    return method


def _t_typedef_of_type(w_type):
    from runtime.typeobject import typedef_of_type
    return typedef_of_type(w_type)


def _arity_error(e, host_name, name):
    """The host's complaint about the arguments of a method's implementation, as the guest
    TypeError CPython gives ("append() takes ...", argument names without the w_)."""
    msg = str(e).replace(host_name + "()", name + "()")
    return OperationError("TypeError", msg.replace("'w_", "'"))


def _arity_checked(fn, tname):
    """__new__(w_type, ...): only the argument-count complaint is translated."""
    def new(w_type, /, *args_w, **kwargs_w):
        try:
            return fn(w_type, *args_w, **kwargs_w)
        except TypeError as e:
            if e.__traceback__.tb_next is not None:
                raise
            raise _arity_error(e, fn.__name__, tname)
    new.__name__ = fn.__name__
    new.__doc__ = fn.__doc__
    new.__wrapped__ = fn
    return new


def _checked_property(prop, tname, classes):
    fget, fset = prop.fget, prop.fset
    return _o.HostProperty(_checked(fget, prop.name, tname, classes),
                           _checked(fset, prop.name, tname, classes) if fset else None,
                           name=prop.name)


def guard_methods(td, classes):
    """Make every instance method (and property) of td check that self is one of
    `classes` (CPython's descr_check) before it touches memory.  Call once, after all
    methods are registered."""
    for name, fn in list(td.methods.items()):
        if name == "__new__":
            if isinstance(fn, _FunctionType) and not hasattr(fn, "__wrapped__"):
                td.methods[name] = _arity_checked(fn, td.name)
            continue
        if isinstance(fn, _FunctionType) and not hasattr(fn, "__wrapped__"):
            td.methods[name] = _checked(fn, name, td.name, classes)
        elif isinstance(fn, _o.HostProperty):
            td.methods[name] = _checked_property(fn, td.name, classes)


guard_methods(tuple_typedef, W_Tuple)
guard_methods(tuple_iterator_typedef, W_TupleIterator)


# Register the other container types as soon as any of them is in use: handle-only types
# (range, the iterators) are never met through wrap(), so nothing else would import them.
# (Bottom of the module: they import the names above.)
from runtime import listobject, dictobject, setobject, sliceobject, rangeobject, cellobject  # noqa: E402,F401,E501
