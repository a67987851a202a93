"""Generators, coroutines and async generators (Objects/genobject.c) on host generators.

A generator function's body is compiled (gen_block below) into statements that are HOST
generator functions: `yield` in the guest is a host `yield` of the handle, `yield from`
and `await` are host `yield from` over a delegation loop, so send/throw/close map
directly onto the host generator's. Statements without a yield stay plain closures
(wrapped). hoist.py first rewrites the tree so every yield/await sits in one of the forms
`x = yield v`, `yield v`, `x = await e`, `await e`, `return (yield v)` ...

The guest objects are beale-built types `generator`, `coroutine`, `async_generator`
(functionobject.W_DataObject subclasses) whose data is a GenState holding the host
generator. A guest `return v` ends the host generator with StopIteration(v).
"""

import ast

from runtime.errors import OperationError, oefmt
from runtime import object as _o
from runtime import space
from runtime import functionobject as _fo
from runtime import typeobject as _t
from runtime import typeslots
from runtime.interp.frame import ts, RETURN, BREAK, CONTINUE, add_traceback
from runtime.interp import hoist

w_None = _o.w_None


class AsyncGenValue:
    """What an async generator's host generator yields for a guest `yield v`."""
    __slots__ = ("w_value",)

    def __init__(self, w_value):
        self.w_value = w_value


class GenState:
    __slots__ = ("hg", "code", "frame", "running", "finished", "name", "qualname",
                 "started", "kind", "exc_state", "w_yieldfrom", "w_finalizer",
                 "__weakref__")

    def __init__(self, code, frame, hg, kind):
        self.hg = hg
        self.code = code
        self.frame = frame
        self.running = False
        self.finished = False
        self.started = False
        self.name = code.name
        self.qualname = code.qualname
        self.kind = kind
        # Exceptions the body was handling when it last yielded (CPython's gi_exc_state):
        # they are sys.exc_info() only while the generator runs, not while it is suspended.
        self.exc_state = None
        # the iterator a `yield from`/`await` in the body is delegating to (gi_yieldfrom)
        self.w_yieldfrom = None
        # async generators: the sys.set_asyncgen_hooks finalizer captured at the first
        # iteration (ag_origin_or_finalizer); False until then (ag_hooks_inited == 0)
        self.w_finalizer = False


class W_Generator(_fo.W_DataObject):
    __slots__ = ()


class W_Coroutine(_fo.W_DataObject):
    __slots__ = ()


class W_AsyncGenerator(_fo.W_DataObject):
    __slots__ = ()


class W_CoroWrapper(_fo.W_DataObject):
    __slots__ = ()


class W_AsyncGenAwaitable(_fo.W_DataObject):
    __slots__ = ()


generator_typedef = _fo.make_type("generator", W_Generator, weakref=True)
coroutine_typedef = _fo.make_type("coroutine", W_Coroutine, weakref=True)
asyncgen_typedef = _fo.make_type("async_generator", W_AsyncGenerator, weakref=True)
corowrapper_typedef = _fo.make_type("coroutine_wrapper", W_CoroWrapper)
asyncgen_awaitable_typedef = _fo.make_type("async_generator_asend", W_AsyncGenAwaitable)


def new_generator_for(code, f, fd=None):
    """Called by Code.call for generator/coroutine functions. The names are the
    function's (PyGen_NewWithQualName takes func_name/func_qualname), not the code's."""
    hg = code.gen_body(f)
    if code.is_coroutine and code.is_generator:
        hcls, st = W_AsyncGenerator, GenState(code, f, hg, "async_generator")
    elif code.is_coroutine:
        hcls, st = W_Coroutine, GenState(code, f, hg, "coroutine")
    else:
        hcls, st = W_Generator, GenState(code, f, hg, "generator")
    if fd is not None:
        st.name = fd.name
        st.qualname = fd.qualname
    return _fo.new_data_object(hcls, st)


def new_host_async_generator(code, f, hg):
    """A guest async_generator over a host generator (an async generator expression)."""
    return _fo.new_data_object(W_AsyncGenerator, GenState(code, f, hg, "async_generator"))


def new_host_generator(code, f, hg):
    """A guest generator over an arbitrary host generator of handles (genexpr)."""
    return _fo.new_data_object(W_Generator, GenState(code, f, hg, "generator"))


# --- driving ------------------------------------------------------------------------------

def _pop_handled(e):
    """Leave an except block of a generator body. When the host finalises an abandoned
    generator (close() outside _resume), its saved exc_state was never restored: nothing to pop."""
    handled = ts.handled
    if handled and handled[-1] is e:
        handled.pop()


def _resume(st, how, arg):
    """Run the host generator one step. Returns ('yield', w) or ('return', w)."""
    if st.running:
        raise oefmt("ValueError", "%s already executing", st.kind)
    if st.finished:
        if st.kind == "coroutine":
            # gen_send_ex2: an exhausted coroutine cannot be sent to or thrown into
            raise oefmt("RuntimeError", "cannot reuse already awaited coroutine")
        if how == "throw":
            raise arg
        return "return", None
    t = ts
    if t.depth >= t.recursion_limit:
        # resuming a generator enters a frame: CPython's recursion check applies, so an
        # endless yield-from chain (json's iterencode of an endless default()) ends here
        raise oefmt("RecursionError", "maximum recursion depth exceeded")
    st.running = True
    f = st.frame
    f.back = t.frame
    t.frame = f
    t.depth += 1
    saved_gen = t.running_gen
    t.running_gen = st
    handled = t.handled
    base = len(handled)
    if st.exc_state:
        handled.extend(st.exc_state)
    st.started = True           # resumed once: started, whether it yields or returns
    try:
        if how == "send":
            w_y = st.hg.send(arg)
        else:
            w_y = st.hg.throw(arg)
        return "yield", w_y
    except StopIteration as e:
        st.finished = True
        w = e.value
        if w is None:
            w = f.retval
        return "return", w if w is not None else w_None
    except OperationError as e:
        st.finished = True
        if space.exception_match(e, "StopIteration") and st.kind != "async_generator":
            add_traceback(e, f)
            raise _error_from_cause(e, "%s raised StopIteration" % st.kind)
        if st.kind == "async_generator" and space.exception_match(e, "StopAsyncIteration"):
            add_traceback(e, f)
            raise _error_from_cause(e, "async generator raised StopAsyncIteration")
        add_traceback(e, f)
        raise
    finally:
        t.running_gen = saved_gen
        st.running = False
        st.exc_state = handled[base:] or None
        del handled[base:]
        t.depth -= 1
        t.frame = f.back


def _error_from_cause(e, message):
    """PEP 479: the RuntimeError replacing a StopIteration that escaped a generator body,
    with the StopIteration as __cause__ and __context__ (_PyErr_FormatFromCause)."""
    from runtime import exceptions
    w_stop = space.exc_value(e)
    w_err = exceptions.new_exception("RuntimeError", [space.newstr(message)])
    exceptions.set_context(w_err, w_stop)
    exceptions.set_cause(w_err, w_stop)
    return OperationError("RuntimeError", None, w_err)


def _stop_iteration(w_value):
    from runtime import exceptions
    if w_value is None or w_value.addr == _o.ADDR_None:
        return OperationError("StopIteration", None)
    w_exc = exceptions.new_exception("StopIteration", [w_value])
    return OperationError("StopIteration", None, w_exc)


def gen_send(w_g, w_value):
    st = w_g.get_data()
    if not st.started and w_value is not None and w_value.addr != _o.ADDR_None:
        raise oefmt("TypeError", "can't send non-None value to a just-started %s", st.kind)
    kind, w = _resume(st, "send", None if not st.started else w_value)
    if kind == "yield":
        return w
    raise _stop_iteration(w)


def gen_next(w_g):
    st = w_g.get_data()
    kind, w = _resume(st, "send", None)
    if kind == "yield":
        return w
    raise _stop_iteration(w)


def _host_traceback_of(w_tb):
    """The host runtime.traceback.Traceback a guest traceback object stands for, or None."""
    import _ctypes
    from runtime.traceback import Traceback
    obj = _ctypes.PyObj_FromPtr(w_tb.addr)
    return obj if isinstance(obj, Traceback) else None


def _make_thrown(w_type, w_value=None, w_tb=None):
    """The exception of gen.throw(typ[, val[, tb]]) (genobject.c _gen_throw): argument
    checks, then PyErr_NormalizeException for a class. Raises TypeError for bad arguments
    (before the generator is touched); an error of the class call itself is returned
    (CPython normalises inside the generator's frame) via the `normalised` flag."""
    from runtime import exceptions, typeobject
    from runtime.tupleobject import W_Tuple
    host_tb = None
    if w_tb is not None and w_tb.addr != _o.ADDR_None:
        host_tb = _host_traceback_of(w_tb)
        if host_tb is None:
            raise oefmt("TypeError", "throw() third argument must be a traceback object")
    if typeobject.is_type(w_type) and exceptions.is_exception_type(w_type.addr):
        if w_value is not None and w_value.addr != _o.ADDR_None and \
                space.isinstance_w(w_value, w_type):
            w_exc = w_value
        else:
            if w_value is None or w_value.addr == _o.ADDR_None:
                args_w = []
            elif isinstance(w_value, W_Tuple):
                args_w = list(space.iterate(w_value))
            else:
                args_w = [w_value]
            w_exc = space.call(w_type, args_w)
            if not exceptions.is_exception(w_exc):
                # _PyErr_CreateException's check (a __new__ returning something else)
                raise oefmt("TypeError", "calling %s should have returned an instance of "
                            "BaseException, not %s", space.repr_s(w_type),
                            space.typename(w_exc))
    elif exceptions.is_exception(w_type):
        if w_value is not None and w_value.addr != _o.ADDR_None:
            raise oefmt("TypeError", "instance exception may not have a separate value")
        w_exc = w_type
    else:
        raise oefmt("TypeError", "exceptions must be classes or instances deriving from "
                    "BaseException, not %s", space.typename(w_type))
    e = OperationError(exceptions.type_name(w_exc), None, w_exc)
    # the exception keeps the traceback it has (or the one passed in), as `raise` does
    if host_tb is not None:
        exceptions.set_traceback(w_exc, host_tb)
    old = exceptions.get_traceback_entries(w_exc)
    if old:
        e.traceback = list(old)
    return e


def _check_throw_args(w_type, w_value, w_tb):
    """The argument errors of _gen_throw that come before any exception is built."""
    from runtime import exceptions, typeobject
    if w_tb is not None and w_tb.addr != _o.ADDR_None and _host_traceback_of(w_tb) is None:
        raise oefmt("TypeError", "throw() third argument must be a traceback object")
    if typeobject.is_type(w_type) and exceptions.is_exception_type(w_type.addr):
        return
    if exceptions.is_exception(w_type):
        if w_value is not None and w_value.addr != _o.ADDR_None:
            raise oefmt("TypeError", "instance exception may not have a separate value")
        return
    raise oefmt("TypeError", "exceptions must be classes or instances deriving from "
                "BaseException, not %s", space.typename(w_type))


def gen_throw(w_g, w_type, w_value=None, w_tb=None):
    st = w_g.get_data()
    _check_throw_args(w_type, w_value, w_tb)
    try:
        e = _make_thrown(w_type, w_value, w_tb)
    except OperationError as err:
        # the class call failed: CPython normalises the exception inside the generator's
        # frame, so that error is what the body receives
        e = err
    if not st.started:
        # a just-created generator: the exception is raised at its first line
        # (gen_send_ex with the frame never run), its frame is on the traceback
        st.finished = True
        add_traceback(e, st.frame)
        raise e
    kind, w = _resume(st, "throw", e)
    if kind == "yield":
        return w
    raise _stop_iteration(w)


def gen_close(w_g):
    return _close_state(w_g.get_data())


def _close_state(st):
    """gen_close(): throw GeneratorExit in; yielding again is a RuntimeError."""
    if st.finished or not st.started:
        st.finished = True
        return w_None
    e = OperationError("GeneratorExit", None)
    try:
        kind, w = _resume(st, "throw", e)
    except OperationError as e2:
        if space.exception_match(e2, "GeneratorExit") or \
                space.exception_match(e2, "StopIteration"):
            return w_None
        raise
    if kind == "yield":
        raise oefmt("RuntimeError", "%s ignored GeneratorExit", st.kind)
    return w_None


def _repr(w_g):
    st = w_g.get_data()
    return space.newstr("<%s object %s at 0x%x>" % (st.kind, st.qualname, w_g.addr))


def _prop(td, name, fn, set=None):
    td.methods[name] = _o.HostProperty(fn, set, name)


def _set_name(attr):
    """__name__/__qualname__ setters (gen_set_name): a str, else TypeError."""
    def set_(w, w_v):
        if not isinstance(w_v, _o.W_Str):
            raise oefmt("TypeError", "%s must be set to a string object", attr)
        setattr(w.get_data(), attr.strip("_"), w_v.v)
    return set_


for _td in (generator_typedef, coroutine_typedef):
    _td.methods.update({"send": gen_send, "throw": gen_throw, "close": gen_close,
                        "__repr__": _repr})
    _prop(_td, "__name__", lambda w: space.newtext(w.get_data().name), _set_name("__name__"))
    _prop(_td, "__qualname__", lambda w: space.newtext(w.get_data().qualname),
          _set_name("__qualname__"))
generator_typedef.methods.update({"__iter__": lambda w: w, "__next__": gen_next})
_t.install_c_slots(generator_typedef.type_addr, iter=True, iternext=True)
_t.FAST_ITERNEXT[W_Generator] = gen_next


def _finalize(w_g):
    """_PyGen_Finalize (the types' tp_finalize, run when the last reference goes or the
    collector finds the generator in a cycle): close a suspended generator, so its
    `except GeneratorExit`/`finally` blocks run; an error is reported through
    sys.unraisablehook ("Exception ignored in: <generator ...>")."""
    st = w_g.get_data()
    if st.finished or not st.started or st.running:
        return
    if st.w_finalizer:
        # an async generator iterated under an event loop's hooks: the loop closes it
        try:
            space.call(st.w_finalizer, [w_g])
        except OperationError as e:
            _unraisable(e, w_g)
        return
    try:
        _close_state(st)
    except OperationError as e:
        _unraisable(e, w_g)


def _unraisable(e, w_obj):
    """PyErr_WriteUnraisable: an exception without a traceback gets the current frame's."""
    from runtime import sysmodule, exceptions
    f = ts.frame
    if not e.traceback and f is not None:
        pos = f.pos
        add_traceback(e, f)
        f.pos = pos
    try:
        exceptions.attach_traceback(e)
        sysmodule.write_unraisable(space.exc_value(e), w_obj)
    except OperationError:
        pass


for _cls, _td in ((W_Generator, generator_typedef), (W_Coroutine, coroutine_typedef),
                  (W_AsyncGenerator, asyncgen_typedef)):
    _cls.c_finalize = staticmethod(_finalize)
    _t._tp(_td.type_addr).tp_finalize = typeslots.trampoline("tp_finalize")
_t.install_c_slots(corowrapper_typedef.type_addr, iter=True, iternext=True)
_t.install_c_slots(asyncgen_awaitable_typedef.type_addr, iter=True, iternext=True)
_prop(generator_typedef, "gi_running", lambda w: space.newbool(w.get_data().running))


def _gen_frame(w):
    """gi_frame/cr_frame/ag_frame: the body's frame until the generator finishes."""
    from runtime import frameobject
    st = w.get_data()
    return w_None if st.finished else frameobject.frame_object(st.frame)


def _gen_suspended(w):
    st = w.get_data()
    return space.newbool(st.started and not st.running and not st.finished)


for _td, _p in ((generator_typedef, "gi_"), (coroutine_typedef, "cr_"),
                (asyncgen_typedef, "ag_")):
    _prop(_td, _p + "running", lambda w: space.newbool(w.get_data().running))
    _prop(_td, _p + "frame", _gen_frame)
    _prop(_td, _p + "code", lambda w: _fo.new_code_object(w.get_data().code))
    _prop(_td, _p + "suspended", _gen_suspended)
_prop(asyncgen_typedef, "__name__", lambda w: space.newtext(w.get_data().name),
      _set_name("__name__"))
_prop(asyncgen_typedef, "__qualname__", lambda w: space.newtext(w.get_data().qualname),
      _set_name("__qualname__"))


def _yieldfrom(w):
    """gi_yieldfrom/cr_await (_PyGen_yf): the delegate, only while suspended in it."""
    st = w.get_data()
    if st.running:
        return w_None
    return st.w_yieldfrom or w_None


_prop(generator_typedef, "gi_yieldfrom", _yieldfrom)
_prop(coroutine_typedef, "cr_await", _yieldfrom)
_prop(asyncgen_typedef, "ag_await", _yieldfrom)


def _coro_await(w_c):
    return _fo.new_data_object(W_CoroWrapper, _fo.WrapData(w_c))


coroutine_typedef.methods["__await__"] = _coro_await
corowrapper_typedef.methods.update({
    "__iter__": lambda w: w,
    "__next__": lambda w: gen_next(w.get_data().w_func),
    "send": lambda w, v: gen_send(w.get_data().w_func, v),
    "throw": lambda w, *a: gen_throw(w.get_data().w_func, *a),
    "close": lambda w: gen_close(w.get_data().w_func),
})


# --- async generators --------------------------------------------------------------------------

class AsendData:
    __slots__ = ("w_agen", "w_value", "mode", "done")

    def __init__(self, w_agen, w_value, mode):
        self.w_agen = w_agen
        self.w_value = w_value
        self.mode = mode        # "send" or ("throw", e) or "close"
        self.done = False


def _asend_step(w_aw, how, arg):
    d = w_aw.get_data()
    st = d.w_agen.get_data()
    if d.done:
        raise OperationError("StopIteration", None)
    if how == "send" and d.mode is not None:
        mode = d.mode
        d.mode = None
        if mode == "close":
            how, arg = "throw", OperationError("GeneratorExit", None)
        elif mode.__class__ is tuple:
            how, arg = "throw", mode[1]
        else:
            arg = d.w_value if st.started else None
    try:
        kind, w = _resume(st, how, arg)
    except OperationError as e:
        d.done = True
        if d.mode is None and space.exception_match(e, "GeneratorExit"):
            raise OperationError("StopIteration", None)
        raise
    if kind == "return":
        d.done = True
        raise OperationError("StopAsyncIteration", None)
    if w.__class__ is AsyncGenValue:
        d.done = True
        raise _stop_iteration(w.w_value)
    return w


def _agen_init_hooks(w_ag):
    """async_gen_init_hooks: at the first __anext__/asend/athrow/aclose remember the
    current finalizer hook and call the firstiter hook with the generator."""
    st = w_ag.get_data()
    if st.w_finalizer is not False:
        return
    from runtime import sysmodule
    w_hooks = sysmodule.sys_get_asyncgen_hooks()
    w_first, w_fin = list(space.iterate(w_hooks))
    st.w_finalizer = None if w_fin.addr == _o.ADDR_None else w_fin
    if w_first.addr != _o.ADDR_None:
        space.call(w_first, [w_ag])


def _agen_anext(w_ag):
    _agen_init_hooks(w_ag)
    return _fo.new_data_object(W_AsyncGenAwaitable, AsendData(w_ag, w_None, "send"))


def _agen_asend(w_ag, w_v):
    _agen_init_hooks(w_ag)
    return _fo.new_data_object(W_AsyncGenAwaitable, AsendData(w_ag, w_v, "send"))


def _agen_athrow(w_ag, w_type, w_value=None, w_tb=None):
    _agen_init_hooks(w_ag)
    return _fo.new_data_object(W_AsyncGenAwaitable,
                               AsendData(w_ag, None, ("throw", _make_thrown(w_type, w_value))))


def _agen_aclose(w_ag):
    _agen_init_hooks(w_ag)
    st = w_ag.get_data()
    if not st.started or st.finished:
        st.finished = True
        return _fo.new_data_object(W_AsyncGenAwaitable, AsendData(w_ag, None, "send"))
    return _fo.new_data_object(W_AsyncGenAwaitable, AsendData(w_ag, None, "close"))


asyncgen_typedef.methods.update({
    "__aiter__": lambda w: w, "__anext__": _agen_anext, "asend": _agen_asend,
    "athrow": _agen_athrow, "aclose": _agen_aclose, "__repr__": _repr,
})
asyncgen_awaitable_typedef.methods.update({
    "__await__": lambda w: w, "__iter__": lambda w: w,
    "__next__": lambda w: _asend_step(w, "send", None),
    "send": lambda w, v: _asend_step(w, "send", v),
    "throw": lambda w, *a: _asend_step(w, "throw", _make_thrown(*a)),
    "close": lambda w: w_None,
})


# --- delegation: yield from / await ---------------------------------------------------------------

def _yield_from_iter(w, f):
    """GET_YIELD_FROM_ITER: a coroutine only in a coroutine or a @types.coroutine
    generator (CO_ITERABLE_COROUTINE); a generator as is; anything else through iter()."""
    c = w.__class__
    if c is W_Coroutine:
        code = f.code
        if not (code.is_coroutine or code.flags & 0x100):
            raise oefmt("TypeError", "cannot 'yield from' a coroutine object in a "
                        "non-coroutine generator")
        return w
    if c is W_Generator:
        return w
    return space.iter(w)


def delegate(w_iter):
    """Host generator implementing `yield from w_iter` (PEP 380); returns the result.
    The delegating generator's gi_yieldfrom is w_iter meanwhile."""
    st = ts.running_gen
    if st is None:
        return (yield from _delegate(w_iter))
    st.w_yieldfrom = w_iter
    try:
        return (yield from _delegate(w_iter))
    finally:
        st.w_yieldfrom = None


def _delegate(w_iter):
    c = w_iter.__class__
    if c is W_Generator or c is W_Coroutine:
        # resume the inner guest generator directly (_resume also gives a finished one's
        # answer, or "already executing")
        return (yield from _drive(w_iter.get_data()))
    w_it = w_iter
    send = space.lookup(w_it, "send")
    try:
        w_y = space.next_or_raise(w_it)
    except OperationError as e:
        return _stop_value(e)
    while True:
        try:
            w_sent = yield w_y
        except OperationError as e:
            if space.exception_match(e, "GeneratorExit"):
                f_close = space.lookup(w_it, "close")
                if f_close is not None:
                    space.call_special(f_close, w_it)
                raise
            f_throw = space.lookup(w_it, "throw")
            if f_throw is None:
                raise
            try:
                w_y = space.call_special(f_throw, w_it, space.exc_value(e))
            except OperationError as e2:
                return _stop_value(e2)
            continue
        try:
            if w_sent is None or w_sent.addr == _o.ADDR_None:
                w_y = space.next_or_raise(w_it)
            elif send is None:
                # CPython's gen_send_ex2 calls the iterator's `send` method: a missing
                # one is an AttributeError raised at the `yield from`
                raise oefmt("AttributeError", "'%s' object has no attribute 'send'",
                            space.typename(w_it))
            else:
                w_y = space.call_special(send, w_it, w_sent)
        except OperationError as e:
            return _stop_value(e)


def _drive(st):
    """Run another guest generator inside ours (yield from): each send/throw resumes it
    with _resume, so its frame sits on top of ours while it runs (f_back, tracebacks)
    and it is suspended, not running, while we are (gi_running, gi_yieldfrom)."""
    how, arg = "send", None
    while True:
        kind, w = _resume(st, how, arg)
        if kind == "return":
            return w
        try:
            arg = yield w
            how = "send"
        except OperationError as e:
            if space.exception_match(e, "GeneratorExit"):
                # close(): the delegate is closed first, then GeneratorExit goes on up
                # (gen_close_iter)
                _close_state(st)
                raise
            how, arg = "throw", e


def _stop_value(e):
    """The value of a StopIteration ending a delegation, or re-raise."""
    if not space.exception_match(e, "StopIteration"):
        raise e
    if e.w_value is None:
        return w_None
    w = space.findattr(e.w_value, "value")
    return w if w is not None else w_None


def get_awaitable_iter(w):
    """`await w`: the iterator to delegate to (_PyCoro_GetAwaitableIter)."""
    if w.__class__ is W_Coroutine:
        return w
    if w.__class__ is W_Generator and w.get_data().code.flags & 0x100:
        return w              # a @types.coroutine generator (CO_ITERABLE_COROUTINE)
    f = space.lookup(w, "__await__")
    if f is None:
        raise oefmt("TypeError", "object %s can't be used in 'await' expression",
                    space.typename(w))
    w_it = space.call_special(f, w)
    if w_it.__class__ is W_Coroutine or space.lookup(w_it, "__next__") is None:
        raise oefmt("TypeError", "__await__() returned non-iterator of type '%s'",
                    space.typename(w_it))
    return w_it


# --- compiling generator bodies -------------------------------------------------------------------

def compile_generator_code(comp, code, body):
    """Give `code` a gen_body(f) -> host generator, from the (hoisted) body statements."""
    is_async_gen = code.is_coroutine and code.is_generator
    code.is_async_generator = is_async_gen
    gc = GenCompiler(comp, is_async_gen)
    gblock = gc.block(body)

    def gen_body(f):
        r = yield from gblock(f)
        if r is RETURN:
            return f.retval
        return w_None
    code.gen_body = gen_body
    code.body = None


def _wrap_plain(fn):
    def g(f):
        return fn(f)
        yield      # noqa: unreachable: makes this a generator function
    return g


def has_yield(node):
    """Does the statement suspend the body: a yield/await, or an `async with`/`async for`
    anywhere in its blocks (they await implicitly)?"""
    return hoist.contains_yield(node) or _contains_async_stmt(node)


def _contains_async_stmt(node):
    for child in ast.iter_child_nodes(node):
        if child.__class__ in (ast.AsyncWith, ast.AsyncFor):
            return True
        if isinstance(child, ast.stmt) and child.__class__ not in (
                ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef) or \
                isinstance(child, (ast.excepthandler, ast.match_case)):
            if _contains_async_stmt(child):
                return True
    return False


class GenCompiler:
    def __init__(self, comp, is_async_gen):
        self.c = comp
        self.is_async_gen = is_async_gen

    def block(self, stmts):
        fns = [self.stmt(s) for s in stmts]
        fns = [fn for fn in fns if fn is not None]

        def gblock(f):
            for s in fns:
                r = yield from s(f)
                if r is not None:
                    return r
        return gblock

    def stmt(self, node):
        if node.__class__ in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef) or \
                (not has_yield(node) and node.__class__ not in (ast.AsyncFor, ast.AsyncWith)):
            fn = self.c.stmt(node)
            if fn is None:
                return None
            return _wrap_plain(fn)
        m = getattr(self, "g_" + node.__class__.__name__, None)
        if m is None:
            raise SyntaxError("beale: yield inside %s is not supported" %
                              node.__class__.__name__)
        inner = m(node)
        lineno = node.lineno

        def g(f):
            f.lineno = lineno
            return (yield from inner(f))
        return g

    # --- the yield forms -----------------------------------------------------------------
    def yield_expr(self, node):
        """Host generator function ev(f) -> handle for Yield/YieldFrom/Await nodes."""
        c = node.__class__
        if c is ast.Yield:
            value = self.c.expr(node.value) if node.value is not None else None
            wrap = self.is_async_gen

            def y(f):
                w = value(f) if value is not None else w_None
                w_sent = yield (AsyncGenValue(w) if wrap else w)
                return w_sent if w_sent is not None else w_None
            return y
        if c is ast.YieldFrom:
            value = self.c.expr(node.value)

            def yf(f):
                return (yield from delegate(_yield_from_iter(value(f), f)))
            return yf
        if c is ast.Await:
            value = self.c.expr(node.value)

            def aw(f):
                w_it = get_awaitable_iter(value(f))
                return (yield from delegate(w_it))
            return aw
        if hoist.is_async_comprehension(node):
            from runtime.interp import comprehension
            kind = {ast.ListComp: "list", ast.SetComp: "set", ast.DictComp: "dict"}[c]
            return comprehension.compile_async_comprehension(self.c, node, kind)
        raise SyntaxError("beale: unexpected yield form")

    def g_Expr(self, node):
        ev = self.yield_expr(node.value)

        def expr(f):
            yield from ev(f)
        return expr

    def g_Assign(self, node):
        ev = self.yield_expr(node.value)
        stores = [self.c.store(t) for t in node.targets]

        def assign(f):
            w = yield from ev(f)
            for s in stores:
                s(f, w)
        return assign

    def g_Return(self, node):
        ev = self.yield_expr(node.value)

        def ret(f):
            f.retval = yield from ev(f)
            return RETURN
        return ret

    # --- compound statements ------------------------------------------------------------
    def g_If(self, node):
        test = self.c.cond(node.test)
        body = self.block(node.body)
        orelse = self.block(node.orelse)

        def if_(f):
            if test(f):
                return (yield from body(f))
            return (yield from orelse(f))
        return if_

    def g_While(self, node):
        test = self.c.cond(node.test)
        body = self.block(node.body)
        orelse = self.block(node.orelse)

        def while_(f):
            while test(f):
                r = yield from body(f)
                if r is not None:
                    if r is BREAK:
                        return None
                    if r is RETURN:
                        return r
            return (yield from orelse(f))
        return while_

    def g_For(self, node):
        it = self.c.expr(node.iter)
        store = self.c.store(node.target)
        body = self.block(node.body)
        orelse = self.block(node.orelse)

        def for_(f):
            for w_x in space.iterate(it(f)):
                store(f, w_x)
                r = yield from body(f)
                if r is not None:
                    if r is BREAK:
                        return None
                    if r is RETURN:
                        return r
            return (yield from orelse(f))
        return for_

    def g_AsyncFor(self, node):
        it = self.c.expr(node.iter)
        store = self.c.store(node.target)
        body = self.block(node.body)
        orelse = self.block(node.orelse)

        def async_for(f):
            w_aiterable = it(f)
            fa = space.lookup(w_aiterable, "__aiter__")
            if fa is None:
                raise oefmt("TypeError", "'async for' requires an object with __aiter__ "
                            "method, got %s", space.typename(w_aiterable))
            w_ait = space.call_special(fa, w_aiterable)
            while True:
                fn = space.lookup(w_ait, "__anext__")
                try:
                    w_aw = space.call_special(fn, w_ait)
                    w_x = yield from delegate(get_awaitable_iter(w_aw))
                except OperationError as e:
                    if space.exception_match(e, "StopAsyncIteration"):
                        break
                    raise
                store(f, w_x)
                r = yield from body(f)
                if r is not None:
                    if r is BREAK:
                        return None
                    if r is RETURN:
                        return r
            return (yield from orelse(f))
        return async_for

    def g_Try(self, node):
        from runtime.interp import trystmt
        body = self.block(node.body)
        handlers = []
        for h in node.handlers:
            typ = self.c.expr(h.type) if h.type is not None else None
            store = self.c.store_name(h.name) if h.name else None
            delete = self.c.delete_name(h.name) if h.name else None
            handlers.append((typ, store, delete, self.block(h.body), h.lineno))
        orelse = self.block(node.orelse)
        final = self.block(node.finalbody) if node.finalbody else None

        def try_(f):
            try:
                try:
                    r = yield from body(f)
                except OperationError as e:
                    if handlers:
                        add_traceback(e, f)
                    m = trystmt.match_handler(f, e, handlers) if handlers else None
                    if m is None:
                        raise
                    store, delete, hbody = m
                    if store is not None:
                        store(f, space.exc_value(e))
                    trystmt.set_raise_context(e)
                    ts.handled.append(e)
                    try:
                        r = yield from hbody(f)
                    except OperationError as e2:
                        trystmt.chain_context(e2, e)
                        raise
                    finally:
                        _pop_handled(e)
                        if store is not None:
                            try:
                                delete(f)
                            except OperationError:
                                pass
                    return r
                if r is None:
                    r = yield from orelse(f)
                return r
            finally:
                if final is not None:
                    saved = f.retval
                    r2 = yield from final(f)
                    f.retval = saved
                    if r2 is not None:
                        return r2
        return try_

    def g_Match(self, node):
        from runtime.interp import matching
        subject = self.c.expr(node.subject)
        cases = []
        for c in node.cases:
            pat = matching.compile_pattern(self.c, c.pattern)
            guard = self.c.cond(c.guard) if c.guard is not None else None
            cases.append((pat, guard, self.block(c.body)))

        def match(f):
            w_s = subject(f)
            for pat, guard, body in cases:
                if matching.match_case(pat, f, w_s) and (guard is None or guard(f)):
                    return (yield from body(f))
        return match

    def g_With(self, node, is_async=False):
        body = self.block(node.body)
        for item in reversed(node.items):
            body = self._with_one(item, body, is_async)
        return body

    def g_AsyncWith(self, node):
        return self.g_With(node, is_async=True)

    def _with_one(self, item, body, is_async):
        from runtime.interp import trystmt
        ctx = self.c.expr(item.context_expr)
        store = self.c.store(item.optional_vars) if item.optional_vars is not None else None
        enter_name, exit_name = ("__aenter__", "__aexit__") if is_async else \
            ("__enter__", "__exit__")

        def with_(f):
            w_mgr = ctx(f)
            enter = space.lookup(w_mgr, enter_name)
            exit_ = space.lookup(w_mgr, exit_name)
            if enter is None or exit_ is None:
                raise oefmt("TypeError", "'%s' object does not support the %scontext manager "
                            "protocol", space.typename(w_mgr),
                            "asynchronous " if is_async else "")
            w_v = space.call_special(enter, w_mgr)
            if is_async:
                w_v = yield from delegate(get_awaitable_iter(w_v))
            if store is not None:
                store(f, w_v)
            try:
                r = yield from body(f)
            except OperationError as e:
                w_exc = space.exc_value(e)
                trystmt.set_raise_context(e)
                ts.handled.append(e)
                try:
                    w_r = space.call_special(exit_, w_mgr, space.type(w_exc), w_exc, w_None)
                    if is_async:
                        w_r = yield from delegate(get_awaitable_iter(w_r))
                except OperationError as e2:
                    trystmt.chain_context(e2, e)
                    raise
                finally:
                    _pop_handled(e)
                if space.is_true(w_r):
                    return None
                raise
            w_r = space.call_special(exit_, w_mgr, w_None, w_None, w_None)
            if is_async:
                yield from delegate(get_awaitable_iter(w_r))
            return r
        return with_
