"""try/except/else/finally, except*, and with (Python/compile.c compiler_try_*,
compiler_with).

The exception being handled is pushed on `ts.handled` while an except block (or a finally
block entered by an exception) runs: bare `raise` and sys.exc_info() read it, and an
exception escaping the block gets it as __context__ (implicit chaining).
"""

import ast

from runtime.errors import OperationError, oefmt
from runtime import object as _o
from runtime import space
from runtime.interp.frame import ts, RETURN, BREAK, CONTINUE


def chain_context(e_new, e_old):
    """Implicit exception chaining: e_new.__context__ = e_old (avoiding cycles)."""
    if e_new is e_old:
        return
    from runtime import exceptions
    w_new = space.exc_value(e_new)
    w_old = space.exc_value(e_old)
    if w_new.addr == w_old.addr:
        return
    if exceptions.get_context(w_new) is not None:
        cur = exceptions.get_context(w_new)
        if cur is not None and not space.is_w(cur, _o.w_None):
            return
    # break cycles: if w_new is already in w_old's context chain, cut it there
    w = w_old
    seen = 0
    while w is not None and not space.is_w(w, _o.w_None) and seen < 100:
        w_next = exceptions.get_context(w)
        if w_next is not None and w_next.addr == w_new.addr:
            exceptions.set_context(w, None)
            break
        w = w_next
        seen += 1
    exceptions.set_context(w_new, w_old)


def set_raise_context(e):
    """__context__ as CPython sets it when `e` is raised (_PyErr_SetObject): the exception
    being handled then. Called when `e` starts being handled (an except/finally body, an
    __exit__): the handled stack there is the one at the raise, except for except blocks
    `e` left on its way, and leaving one chains `e` to it already (chain_context). Only
    the first time: later handlers of a re-raise keep it."""
    d = e.__dict__
    if "raise_context_set" in d:
        return
    d["raise_context_set"] = True
    handled = ts.handled
    if handled:
        chain_context(e, handled[-1])


def run_handler(f, e, body):
    """Run an except/finally body with `e` as the exception being handled."""
    handled = ts.handled
    set_raise_context(e)
    handled.append(e)
    try:
        return body(f)
    except OperationError as e2:
        chain_context(e2, e)
        # the host chained e2 to the OperationError beale's own except clause was
        # handling (host __context__): the guest chain is in the structs, and that host
        # link would keep `e`, its traceback, frames and locals alive as long as e2 lives
        e2.__context__ = None
        raise
    finally:
        handled.pop()


# Host exceptions escaping beale's own code (a bug, or an unconverted primitive error) are
# turned into guest exceptions where guest code could catch them: try/except and with.
# StopIteration/StopAsyncIteration are left alone (the host's iteration protocol).
_HostError = Exception


def _as_guest_error(e):
    if isinstance(e, OperationError):
        return e
    if isinstance(e, (StopIteration, StopAsyncIteration)):
        raise e
    return _o.guest_error_from_host(e)


def compile_handlers(comp, handlers):
    out = []
    for h in handlers:
        typ = comp.expr(h.type) if h.type is not None else None
        store = comp.store_name(h.name) if h.name else None
        delete = comp.delete_name(h.name) if h.name else None
        body = comp.block(h.body)
        out.append((typ, store, delete, body, h.lineno))
    return out


def match_handler(f, e, handlers):
    from runtime import exceptions
    for typ, store, delete, body, lineno in handlers:
        if typ is None:
            return store, delete, body
        f.lineno = lineno
        w_t = typ(f)
        _check_exc_class(w_t)
        if exceptions.exception_matches(e, w_t):
            return store, delete, body
    return None


def _check_exc_class(w_t):
    from runtime import exceptions, typeobject
    if typeobject.is_type(w_t):
        if exceptions.is_exception_type(w_t.addr):
            return
    elif w_t.__class__.typedef.name == "tuple":
        for w_x in space.iterate(w_t):
            _check_exc_class(w_x)
        return
    raise oefmt("TypeError", "catching classes that do not inherit from BaseException "
                "is not allowed")


def compile_try(comp, node, star=False):
    body = comp.block(node.body)
    if star:
        return compile_try_star(comp, node, body)
    handlers = compile_handlers(comp, node.handlers)
    orelse = comp.block(node.orelse) if node.orelse else None
    final = comp.block(node.finalbody) if node.finalbody else None
    lineno = node.lineno

    def try_except(f):
        try:
            r = body(f)
        except (OperationError, _HostError) as e0:
            e = _as_guest_error(e0)
            try:
                if not handlers:
                    raise
                from runtime.interp.frame import add_traceback
                add_traceback(e, f)         # the entry for this frame, at the raising line
                m = match_handler(f, e, handlers)
                if m is None:
                    if e is e0:
                        raise
                    raise e from e0
                store, delete, hbody = m
                # caught by guest code: the host frames the exception unwound through
                # (their locals hold other exceptions, handles, ...) are not needed any
                # more; keeping them would keep all that alive while it is handled
                e.__traceback__ = None
                if store is not None:
                    w_exc = space.exc_value(e)
                    from runtime import exceptions
                    exceptions.attach_traceback(e)
                    store(f, w_exc)
                try:
                    return run_handler(f, e, hbody)
                finally:
                    if store is not None:
                        try:
                            delete(f)
                        except OperationError:
                            pass
            finally:
                # the host traceback of `e` holds this frame: drop the local (as `except ..
                # as e0` does for e0), or exception -> traceback -> frame -> exception is a
                # cycle that keeps the guest exception and its arguments alive until a
                # gc.collect()
                e = None
        if orelse is not None and r is None:
            return orelse(f)
        return r

    if final is None:
        return try_except

    inner = try_except if handlers else body

    def try_finally(f):
        try:
            r = inner(f)
        except OperationError as e:
            from runtime.interp.frame import add_traceback
            add_traceback(e, f)     # at the raising line, before the finally body moves it
            r2 = run_handler(f, e, final)
            if r2 is not None:
                return r2          # return/break in finally swallows the exception
            raise
        except BaseException:
            # host-level unwinding (generator close, KeyboardInterrupt): still run finally
            final(f)
            raise
        saved = f.retval
        r2 = final(f)
        if r2 is not None:
            return r2
        f.retval = saved
        return r
    return try_finally


def compile_try_star(comp, node, body):
    """except* (PEP 654): split the group by each handler's type."""
    handlers = compile_handlers(comp, node.handlers)
    orelse = comp.block(node.orelse) if node.orelse else None
    final = comp.block(node.finalbody) if node.finalbody else None

    def try_star(f):
        from runtime import exceptions
        try:
            r = body(f)
        except OperationError as e:
            w_exc = space.exc_value(e)
            rest = w_exc
            raised = []
            is_group = exceptions.is_exception(w_exc) and _is_group(w_exc)
            for typ, store, delete, hbody, lineno in handlers:
                if rest is None:
                    break
                f.lineno = lineno
                w_t = typ(f)
                if is_group or _is_group(rest):
                    w_split = space.call_method(rest, "split", w_t)
                    w_match, w_rest = space.listview(w_split)
                    match = None if space.is_w(w_match, _o.w_None) else w_match
                    rest = None if space.is_w(w_rest, _o.w_None) else w_rest
                else:
                    if exceptions.exception_matches(rest, w_t):
                        match = space.call(exceptions.w_type_of("ExceptionGroup"),
                                           [space.newstr(""), space.newlist([rest])])
                        rest = None
                    else:
                        match = None
                if match is None:
                    continue
                if store is not None:
                    store(f, match)
                try:
                    run_handler(f, OperationError(exceptions.type_name(match), None, match), hbody)
                except OperationError as e2:
                    raised.append(space.exc_value(e2))
            if raised:
                if rest is not None:
                    raised.append(rest)
                if len(raised) == 1:
                    raise OperationError(exceptions.type_name(raised[0]), None, raised[0])
                w_g = space.call(exceptions.w_type_of("ExceptionGroup"),
                                 [space.newstr(""), space.newlist(raised)])
                raise OperationError("ExceptionGroup", None, w_g)
            if rest is not None:
                if rest.addr == w_exc.addr:
                    raise
                raise OperationError(exceptions.type_name(rest), None, rest)
            r = None
            if final is not None:
                r2 = final(f)
                return r2
            return r
        except BaseException:
            raise
        finally:
            pass
        if orelse is not None and r is None:
            r = orelse(f)
        if final is not None:
            r2 = final(f)
            if r2 is not None:
                return r2
        return r
    return try_star


def _is_group(w):
    from runtime import exceptions
    from runtime.typeobject import isinstance_w
    return isinstance_w(w, exceptions.w_type_of("BaseExceptionGroup"))


def compile_with(comp, node):
    """with a as x, b as y: body  ==  nested single-item withs."""
    body = comp.block(node.body)
    lineno = node.lineno
    for item in reversed(node.items):
        body = _with_one(comp, item, body, lineno)
    return body


def _with_one(comp, item, body, lineno):
    ctx = comp.expr(item.context_expr)
    store = comp.store(item.optional_vars) if item.optional_vars is not None else None

    def with_(f):
        f.lineno = lineno
        w_mgr = ctx(f)
        enter = space.lookup(w_mgr, "__enter__")
        exit_ = space.lookup(w_mgr, "__exit__")
        if enter is None:
            raise oefmt("TypeError", "'%s' object does not support the context manager "
                        "protocol", space.typename(w_mgr))
        if exit_ is None:
            raise oefmt("TypeError", "'%s' object does not support the context manager "
                        "protocol (missed __exit__ method)", space.typename(w_mgr))
        w_v = space.call_special(enter, w_mgr)
        if store is not None:
            store(f, w_v)
        try:
            r = body(f)
        except (OperationError, _HostError) as e0:
            from runtime import exceptions
            e = _as_guest_error(e0)
            try:
                w_exc = space.exc_value(e)
                # this frame's traceback entry, at the failing line, before the frame
                # moves back to the `with` line to call __exit__ (PEP 626)
                from runtime.interp.frame import add_traceback
                add_traceback(e, f)
                exceptions.attach_traceback(e)
                w_tb = space.getattr(w_exc, "__traceback__")
                set_raise_context(e)
                ts.handled.append(e)
                failed_at = f.lineno
                f.lineno = lineno
                try:
                    w_r = space.call_special(exit_, w_mgr, space.type(w_exc), w_exc, w_tb)
                except OperationError as e2:
                    chain_context(e2, e)
                    e2.__context__ = None       # no host link to `e` (see run_handler)
                    raise
                finally:
                    ts.handled.pop()
                if space.is_true(w_r):
                    return None
                f.lineno = failed_at        # RERAISE goes back to the failing line
                if e is e0:
                    raise
                raise e from e0
            finally:
                e = w_exc = w_tb = None     # no exception -> traceback -> frame cycle
        f.lineno = lineno
        space.call_special(exit_, w_mgr, _o.w_None, _o.w_None, _o.w_None)
        return r
    return with_
