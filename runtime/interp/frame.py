"""Frames, code objects, argument binding and the call depth (Python/ceval.c, funcobject.c).

A `Frame` holds a function activation: `locals` (a host list of handles, one slot per
LOCAL name, None = unbound), `cells` (guest cell handles: the frame's own cellvars then the
closure's freevars), the globals dict, the namespace dict of module/class bodies, the
current line (for tracebacks) and the return value.

A `Code` is the compiled body of a function, lambda, comprehension, class body or module:
its `body(frame)` closure returns None or a status (see compiler.py), and `call()` binds
arguments exactly as CPython's _PyEval_MakeFrame... does, with the same TypeError messages.
"""

from runtime.errors import OperationError, oefmt
from runtime import object as _o
from runtime import space

RETURN = 1
BREAK = 2
CONTINUE = 3


class Frame:
    __slots__ = ("locals", "cells", "w_globals", "w_builtins", "w_ns", "code", "lineno",
                 "retval", "pos", "w_func", "back", "__weakref__")

    def __init__(self, code, w_globals, nlocals):
        self.code = code
        self.w_globals = w_globals
        self.w_builtins = None
        self.w_ns = None
        self.locals = [None] * nlocals if nlocals else []
        self.cells = None
        self.lineno = code.firstlineno
        self.retval = None
        self.pos = None
        self.w_func = None
        self.back = None


class ThreadState:
    """Execution state of one host thread running guest code (PyThreadState). `ts` below is
    the state of the thread holding the guest interpreter lock: runtime.interp.gil swaps
    these fields (not `recursion_limit`, which is interpreter-wide) when the lock changes
    hands, so the hot paths load one global."""

    def __init__(self):
        self.depth = 0
        self.recursion_limit = 1000
        self.frame = None            # innermost guest frame
        self.handled = []            # stack of OperationErrors being handled (sys.exc_info)
        self.running_gen = None      # GenState of the innermost running generator body


ts = ThreadState()

_gil_drop = False   # eval breaker: set by runtime.interp.gil when another thread waits


def _eval_breaker():
    """A thread waits for the guest lock (or a SIGINT is pending): hand over (gil.py)."""
    from runtime.interp import gil
    gil.yield_now()


def current_exception():
    """The exception being handled (sys.exc_info()[1]) as an OperationError, or None."""
    return ts.handled[-1] if ts.handled else None


def _argnames(names):
    names = ["'%s'" % n for n in names]
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return "%s and %s" % tuple(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


class Code:
    """Compiled code of one scope, plus what binding arguments needs."""

    def __init__(self, scope, name, qualname, filename, firstlineno):
        self.name = name
        self.qualname = qualname
        self.filename = filename
        self.firstlineno = firstlineno
        self.scope = scope
        self.varnames = list(scope.varnames) if scope else []
        self.cellvars = list(scope.cellvars) if scope else []
        self.freevars = list(scope.freevars) if scope else []
        self.nlocals = len(self.varnames)
        self.ncells = len(self.cellvars)
        self.params = []             # names
        self.argcount = 0            # positional (incl. positional-only)
        self.posonlyargcount = 0
        self.kwonlyargcount = 0
        self.has_varargs = False
        self.has_varkw = False
        self.param_targets = []      # per param: (is_cell, index)
        self.simple_args = False     # all params LOCAL in slots 0..n-1, no */**
        self.body = None
        self.gen_body = None
        self.is_generator = False
        self.is_coroutine = False
        self.is_async_generator = False
        self.flags = 0
        self.kind = "function"
        self.fast_nargs = -1         # see setup_params
        self.locals_pad = []

    def setup_params(self, args):
        s = self.scope
        self.posonlyargcount = len(args.posonlyargs)
        self.argcount = len(args.posonlyargs) + len(args.args)
        self.kwonlyargcount = len(args.kwonlyargs)
        self.has_varargs = args.vararg is not None
        self.has_varkw = args.kwarg is not None
        self.params = list(s.params)
        self.pos_names = self.params[:self.argcount]
        self.kwonly_names = self.params[self.argcount + self.has_varargs:
                                        self.argcount + self.has_varargs + self.kwonlyargcount]
        self.param_targets = []
        for n in self.params:
            if n in s.cell_index and s.kinds.get(n) == "cell":
                self.param_targets.append((True, s.cell_index[n]))
            else:
                self.param_targets.append((False, s.slot[n]))
        self.simple_args = (not self.has_varargs and not self.has_varkw and
                            not self.kwonlyargcount and
                            all(not c and i == k for k, (c, i) in enumerate(self.param_targets)))
        self.flags = (0x20 if self.is_generator else 0) | (0x80 if self.is_coroutine else 0) | \
            (0x04 if self.has_varargs else 0) | (0x08 if self.has_varkw else 0)
        # call()'s fast path (CPython's _PyFunction_Vectorcall of a plain function): a
        # call with exactly `fast_nargs` positional arguments, no keywords, no closure, into
        # a function without cells that is not a generator/coroutine makes its locals as
        # the arguments followed by `locals_pad`
        if self.simple_args and not self.ncells and not self.is_generator and \
                not self.is_coroutine:
            self.fast_nargs = self.argcount
            self.locals_pad = [None] * (self.nlocals - self.argcount)

    # --- argument binding (Python/ceval.c: initialize_locals) -----------------------------
    def bind(self, fd, args_w, kwargs_w):
        """List of handles, one per parameter, in `params` order."""
        n = self.argcount
        nargs = len(args_w)
        values = [None] * len(self.params)
        qn = fd.qualname
        if nargs > n and not self.has_varargs:
            ndef = len(fd.defaults_w or ())
            kwonly_given = sum(1 for k in (kwargs_w or ()) if k in self.kwonly_names)
            if ndef:
                expect = "from %d to %d" % (n - ndef, n)
            else:
                expect = "%d" % n
            if kwonly_given:
                raise oefmt("TypeError", "%s() takes %s positional argument%s but %d "
                            "positional argument%s (and %d keyword-only argument%s) were given",
                            qn, expect, "" if n == 1 and not ndef else "s", nargs,
                            "" if nargs == 1 else "s", kwonly_given,
                            "" if kwonly_given == 1 else "s")
            raise oefmt("TypeError", "%s() takes %s positional argument%s but %d %s given",
                        qn, expect, "" if (n == 1 and not ndef) else "s", nargs,
                        "was" if nargs == 1 else "were")
        for i in range(min(n, nargs)):
            values[i] = args_w[i]
        idx_after = n
        if self.has_varargs:
            values[n] = space.newtuple(list(args_w[n:]))
            idx_after = n + 1
        w_kw = None
        if self.has_varkw:
            w_kw = space.newdict()
            values[-1] = w_kw
        if kwargs_w:
            params = self.params
            for k, w_v in kwargs_w.items():
                try:
                    i = params.index(k)
                except ValueError:
                    i = -1
                if i < self.posonlyargcount or (self.has_varargs and i == n) or \
                        (self.has_varkw and i == len(params) - 1) or i < 0:
                    if w_kw is not None:
                        space.setitem(w_kw, space.newstr(k), w_v)
                        continue
                    if 0 <= i < self.posonlyargcount:
                        raise oefmt("TypeError", "%s() got some positional-only arguments "
                                    "passed as keyword arguments: '%s'", qn, k)
                    raise oefmt("TypeError", "%s() got an unexpected keyword argument '%s'",
                                qn, k)
                if values[i] is not None:
                    raise oefmt("TypeError", "%s() got multiple values for argument '%s'",
                                qn, k)
                values[i] = w_v
        # defaults for missing positionals
        defaults = fd.defaults_w or ()
        ndef = len(defaults)
        missing = []
        for i in range(n):
            if values[i] is None:
                j = i - (n - ndef)
                if j >= 0:
                    values[i] = defaults[j]
                else:
                    missing.append(self.params[i])
        if missing:
            raise oefmt("TypeError", "%s() missing %d required positional argument%s: %s",
                        qn, len(missing), "" if len(missing) == 1 else "s",
                        _argnames(missing))
        kwdefaults = fd.kwdefaults_w or {}
        for k, name in enumerate(self.kwonly_names):
            i = idx_after + k
            if values[i] is None:
                w_d = kwdefaults.get(name)
                if w_d is not None:
                    values[i] = w_d
                else:
                    missing.append(name)
        if missing:
            raise oefmt("TypeError", "%s() missing %d required keyword-only argument%s: %s",
                        qn, len(missing), "" if len(missing) == 1 else "s",
                        _argnames(missing))
        return values

    def new_frame(self, w_func, fd, args_w, kwargs_w):
        f = Frame(self, fd.w_globals, self.nlocals)
        f.w_func = w_func
        f.w_builtins = fd.w_builtins
        if self.simple_args and not kwargs_w and len(args_w) == self.argcount:
            f.locals[:self.argcount] = args_w
        else:
            values = self.bind(fd, args_w, kwargs_w)
            if self.ncells:
                f.cells = [space.newcell(None) for _ in range(self.ncells)]
            locs = f.locals
            for (is_cell, i), w_v in zip(self.param_targets, values):
                if is_cell:
                    cell_set(f.cells[i], w_v)
                else:
                    locs[i] = w_v
        if f.cells is None and (self.ncells or fd.closure):
            f.cells = [space.newcell(None) for _ in range(self.ncells)]
        if fd.closure:
            f.cells.extend(fd.closure)
        return f

    def call(self, w_func, fd, args_w, kwargs_w):
        if len(args_w) == self.fast_nargs and not kwargs_w and not fd.closure:
            f = Frame(self, fd.w_globals, 0)
            f.locals = [*args_w, *self.locals_pad]
            f.w_func = w_func
            f.w_builtins = fd.w_builtins
            return run_frame(f)
        f = self.new_frame(w_func, fd, args_w, kwargs_w)
        if self.is_generator or self.is_coroutine:
            from runtime.interp import generator
            return generator.new_generator_for(self, f, fd)
        return run_frame(f)


def run_frame(f):
    """Execute a function frame's body; returns the result handle."""
    if _gil_drop:
        _eval_breaker()
    t = ts
    if t.depth >= t.recursion_limit:
        raise OperationError("RecursionError", "maximum recursion depth exceeded")
    t.depth += 1
    f.back = t.frame
    t.frame = f
    try:
        f.code.body(f)
    except OperationError as e:
        add_traceback(e, f)
        raise
    finally:
        t.depth -= 1
        t.frame = f.back
    w = f.retval
    return w if w is not None else _o.w_None


def add_traceback(e, f):
    """Record that guest exception `e` passed through frame `f` (outermost first)."""
    from runtime.traceback import TbEntry
    d = e.__dict__
    if d.get("tb_last_frame") is f:
        return                      # this frame's entry is already there
    d["tb_last_frame"] = f
    tb = e.traceback
    if tb is None:
        tb = e.traceback = []
    pos = f.pos
    if pos is not None and pos[0] == f.lineno:
        entry = TbEntry(f.code.filename, f.lineno, f.code.name, pos[1], pos[2], pos[3])
    else:
        entry = TbEntry(f.code.filename, f.lineno, f.code.name)
    entry.frame = f
    f.pos = None
    tb.insert(0, entry)


def zero_arg_super():
    """super() with no arguments: __class__ cell and first argument of the current frame."""
    f = ts.frame
    if f is None:
        raise oefmt("RuntimeError", "super(): no current frame")
    code = f.code
    if "__class__" not in code.freevars:
        raise oefmt("RuntimeError", "super(): __class__ cell not found")
    w_cell = f.cells[code.ncells + code.freevars.index("__class__")]
    w_cls = cell_get(w_cell)
    if w_cls is None:
        raise oefmt("RuntimeError", "super(): empty __class__ cell")
    if not code.params:
        raise oefmt("RuntimeError", "super(): no arguments")
    is_cell, i = code.param_targets[0]
    w_self = cell_get(f.cells[i]) if is_cell else f.locals[i]
    if w_self is None:
        raise oefmt("RuntimeError", "super(): arg[0] deleted")
    from runtime import functionobject
    return functionobject.new_super(w_cls, w_self)


# --- cells (PyCellObject.ob_ref read and written in place) --------------------------------

from layout import ffi as _ffi      # noqa: E402
_cast = _ffi.cast
import layout as _layout            # noqa: E402
_CELL_REF = _layout.struct("PyCellObject").offset("ob_ref")


def cell_get(w_cell):
    """The cell's content as a new handle, or None when empty."""
    a = _cast("uintptr_t *", w_cell.addr + _CELL_REF)[0]
    if not a:
        return None
    return _o.wrap(a)


def cell_set(w_cell, w_value):
    p = _cast("uintptr_t *", w_cell.addr + _CELL_REF)
    old = p[0]
    if w_value is None:
        p[0] = 0
    else:
        _o.incref(w_value.addr)
        p[0] = w_value.addr
    if old:
        _o.decref(old)


class W_CellFallback(_o.W_Object):
    """Handle on a PyCellObject built here while runtime.cellobject is missing."""
    __slots__ = ()


_CELL_SIZE = _layout.struct("PyCellObject").size
_CELL_TYPE = _o.type_address("PyCell_Type")
if _o.handle_class_for(_CELL_TYPE) is _o.W_Foreign:
    _o.register_handle_class(_CELL_TYPE, W_CellFallback)


def new_cell_fallback(w_value=None):
    addr = _o.alloc_object(_CELL_TYPE, _CELL_SIZE, gc=True)
    if w_value is not None:
        _o.incref(w_value.addr)
        _cast("uintptr_t *", addr + _CELL_REF)[0] = w_value.addr
    w = _o.steal(_o.handle_class_for(_CELL_TYPE), addr)
    _o.gc_track(addr)
    return w
