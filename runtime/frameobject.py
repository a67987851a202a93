"""Frame objects (Objects/frameobject.c, PyFrameObject) as guest code sees them.

beale's activations are runtime.interp.frame.Frame host objects (locals in a host list,
cells, globals); CPython's frame struct is private to the interpreter, so the guest `frame`
is a beale-built data-object type (functionobject.make_type, like `code`) whose data is the
interp Frame. One guest frame object per Frame (cached on it), so
`sys._getframe() is sys._getframe()` as in CPython. Made by `sys._getframe(depth)`
(interp.getframe), `generator.gi_frame` and `f_back`.
"""

from runtime.errors import oefmt
from runtime import object as _o
from runtime import space
from runtime import functionobject as _fo

w_None = _o.w_None


class W_FrameObject(_fo.W_DataObject):
    __slots__ = ()


frame_typedef = _fo.make_type("frame", W_FrameObject)


def frame_object(f):
    """The guest frame object of interp Frame `f` (None -> guest None)."""
    if f is None:
        return w_None
    return _fo.new_data_object(W_FrameObject, f)


def _executing(f):
    """True while `f` is on the guest call stack (frame.clear() refuses it)."""
    from runtime.interp.frame import ts
    g = ts.frame
    while g is not None:
        if g is f:
            return True
        g = g.back
    return False


def frame_locals(f):
    """f_locals: the namespace of a module/class body; for a function a fresh dict of
    its bound locals and cells (PyFrame_FastToLocals)."""
    if f.w_ns is not None:
        return f.w_ns
    w_d = space.newdict()
    code = f.code
    for name, w in zip(code.varnames, f.locals):
        if w is not None:
            space.setitem(w_d, space.newstr(name), w)
    if f.cells:
        from runtime.interp.frame import cell_get
        for name, w_cell in zip(code.cellvars + code.freevars, f.cells):
            w = cell_get(w_cell)
            if w is not None:
                space.setitem(w_d, space.newstr(name), w)
    return w_d


def _f_builtins(w):
    f = w.get_data()
    if f.w_builtins is None:
        from runtime.interp.compiler import builtins_of
        f.w_builtins = builtins_of(f.w_globals)
    return f.w_builtins


def _clear(w):
    """frame.clear(): drop the locals of a finished frame (frame_clear)."""
    f = w.get_data()
    if _executing(f):
        raise oefmt("RuntimeError", "cannot clear an executing frame")
    if f.locals:
        f.locals = [None] * len(f.locals)
    return w_None


def _repr(w):
    f = w.get_data()
    return space.newstr("<frame at 0x%x, file '%s', line %d, code %s>" % (
        w.addr, f.code.filename, f.lineno or 0, f.code.name))


def _prop(name, get, set=None):
    frame_typedef.methods[name] = _o.HostProperty(get, set, name)


_prop("f_code", lambda w: _fo.new_code_object(w.get_data().code))
_prop("f_lineno", lambda w: space.newint(w.get_data().lineno or 0))
_prop("f_globals", lambda w: w.get_data().w_globals)
_prop("f_locals", lambda w: frame_locals(w.get_data()))
_prop("f_builtins", _f_builtins)
_prop("f_back", lambda w: frame_object(w.get_data().back))
_prop("f_lasti", lambda w: space.newint(-1))
_prop("f_trace", lambda w: w_None, lambda w, v: None)
_prop("f_trace_lines", lambda w: _o.w_True, lambda w, v: None)
_prop("f_trace_opcodes", lambda w: _o.w_False, lambda w, v: None)
frame_typedef.methods.update({"clear": _clear, "__repr__": _repr})
