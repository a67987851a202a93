"""Guest cell: a real PyCellObject (Objects/cellobject.c) in the host's memory.

Layout: PyGC_Head prefix, then `ob_ref` (the contents, NULL while empty), as PyCell_New
builds it.  The interpreter's closures store their free variables in these cells, so a
guest function's `__closure__` is made of real cells.
"""

from layout import ffi

from runtime import object as _o
from runtime.object import W_Object, wrap, incref, decref, steal, w_NotImplemented
from runtime.errors import oefmt
from runtime.typedef import TypeDef
from runtime.tupleobject import guard_methods, HostType, ptr, newstr, newbool, _CMP_OPS

_cast = ffi.cast


_space_module = []


def _space():
    """runtime.space, imported on first use (it imports the object modules)."""
    if _space_module:
        return _space_module[0]
    from runtime import space
    _space_module.append(space)
    return space


class W_Cell(W_Object):
    """Handle on a PyCellObject (Include/cpython/cellobject.h)."""
    __slots__ = ()


CELL = HostType("PyCell_Type")
cell_typedef = TypeDef("cell", _o.object_typedef, "PyCell_Type", W_Cell)
_o.register_handle_class(CELL.addr, W_Cell)


def _cp(addr):
    return _cast("PyCellObject *", addr)


def new_cell(w_value=None):
    """PyCell_New(value or NULL): tracked by the GC, as CPython does."""
    addr = _o.alloc_object(CELL.addr, CELL.basicsize, gc=True)
    if w_value is not None:
        incref(w_value.addr)
        _cp(addr).ob_ref = _cast("PyObject *", w_value.addr)
    _o.gc_track(addr)
    return steal(W_Cell, addr)


def cell_get(w):
    """PyCell_GET: a handle on the contents, or None when the cell is empty."""
    a = ptr(_cp(w.addr).ob_ref)
    return wrap(a) if a else None


def cell_set(w, w_value):
    """PyCell_Set: store a new reference (None empties the cell), drop the old one."""
    cp = _cp(w.addr)
    old = ptr(cp.ob_ref)
    if w_value is None:
        cp.ob_ref = ffi.NULL
    else:
        incref(w_value.addr)
        cp.ob_ref = _cast("PyObject *", w_value.addr)
    if old:
        decref(old)


def _get_contents(w):
    w_v = cell_get(w)
    if w_v is None:
        raise oefmt("ValueError", "Cell is empty")
    return w_v


def _set_contents(w, w_value):
    cell_set(w, w_value)


cell_typedef.methods["cell_contents"] = _o.HostProperty(_get_contents, _set_contents,
                                                       name="cell_contents")


@cell_typedef.method("__new__")
def cell_new(w_type, w_value=None):
    return new_cell(w_value)


@cell_typedef.method("__repr__")
def cell_repr(w):
    w_v = cell_get(w)
    if w_v is None:
        return newstr("<cell at 0x%x: empty>" % w.addr)
    return newstr("<cell at 0x%x: %s object at 0x%x>" % (w.addr, _space().typename(w_v), w_v.addr))


def _make_cmp(op):
    """cell_richcompare: compare contents; an empty cell sorts before a full one."""
    def cmp(w, w_other):
        if not isinstance(w_other, W_Cell):
            return w_NotImplemented
        a = cell_get(w)
        b = cell_get(w_other)
        if a is not None and b is not None:
            return _space().richcompare(a, b, op)
        x, y = int(a is not None), int(b is not None)
        return newbool({"__lt__": x < y, "__le__": x <= y, "__eq__": x == y,
                        "__ne__": x != y, "__gt__": x > y, "__ge__": x >= y}[op])
    return cmp


for _op in _CMP_OPS:
    cell_typedef.methods[_op] = _make_cmp(_op)


guard_methods(cell_typedef, W_Cell)
