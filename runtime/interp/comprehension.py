"""List/set/dict comprehensions and generator expressions.

Each is its own scope (symtable: kind "comprehension", parameter ".0"): the first
iterable is evaluated in the enclosing scope, the loops run in a new Frame. Generator
expressions run the same loops as a host generator wrapped in a guest generator object.
"""

import ast

from runtime.errors import OperationError, oefmt
from runtime import space
from runtime.interp.frame import Frame, Code, ts, add_traceback
from runtime.interp import symtable


def compile_comprehension(comp, node, kind):
    scope = comp.scopes[id(node)]
    first_iter = comp.expr(node.generators[0].iter)
    name = {"list": "<listcomp>", "set": "<setcomp>", "dict": "<dictcomp>",
            "gen": "<genexpr>"}[kind]
    qualname = comp.qualname(name)
    code = Code(scope, name, qualname, comp.filename, node.lineno)
    saved = comp.scope
    comp.scope = scope
    try:
        levels = []
        for i, g in enumerate(node.generators):
            store = comp.store(g.target)
            it = comp.expr(g.iter) if i > 0 else None
            conds = [comp.cond(c) for c in g.ifs]
            if g.is_async and kind != "gen":
                # an async comprehension the coroutine compiler did not take (one nested in
                # a synchronous comprehension, which 3.11 allows): not supported yet. Fail
                # when it runs, not when the module compiles, so the rest of the module works
                lineno = node.lineno

                def unsupported(f):
                    raise oefmt("NotImplementedError", "beale: asynchronous comprehension "
                                "nested in a synchronous comprehension (line %d)", lineno)
                return unsupported
            levels.append((store, it, conds, g.is_async))
        if kind == "dict":
            key = comp.expr(node.key)
            value = comp.expr(node.value)
        else:
            elt = comp.expr(node.elt)
        slot0 = scope.slot.get(".0")
    finally:
        comp.scope = saved
    closure_cells = [comp.cell_ref(n) for n in scope.freevars]
    ncells = len(scope.cellvars)
    nlocals = len(scope.varnames)

    def new_frame(f):
        cf = Frame(code, f.w_globals, nlocals)
        cf.w_builtins = f.w_builtins
        if ncells or closure_cells:
            cells = [space.newcell(None) for _ in range(ncells)]
            cells.extend(c(f) for c in closure_cells)
            cf.cells = cells
        return cf

    if kind == "gen" and any(lv[3] for lv in levels):
        return _async_genexpr(code, levels, elt, first_iter, new_frame)
    if kind == "gen":
        def gen_level(i):
            store, it, conds, _ = levels[i]
            last = i == len(levels) - 1
            nxt = None if last else gen_level(i + 1)

            def run(cf, w_iterable):
                for w_x in space.iterate(w_iterable):
                    store(cf, w_x)
                    ok = True
                    for c in conds:
                        if not c(cf):
                            ok = False
                            break
                    if not ok:
                        continue
                    if last:
                        yield elt(cf)
                    else:
                        yield from nxt(cf, levels[i + 1][1](cf))
            return run
        top = gen_level(0)

        def genexpr(f):
            from runtime.interp import generator
            w_it = space.iter(first_iter(f))
            cf = new_frame(f)
            return generator.new_host_generator(code, cf, top(cf, w_it))
        return genexpr

    def make_level(i, leaf):
        store, it, conds, _ = levels[i]
        last = i == len(levels) - 1
        nxt = None if last else make_level(i + 1, leaf)

        def run(cf, w_iterable, out):
            for w_x in space.iterate(w_iterable):
                store(cf, w_x)
                ok = True
                for c in conds:
                    if not c(cf):
                        ok = False
                        break
                if not ok:
                    continue
                if last:
                    leaf(cf, out)
                else:
                    nxt(cf, levels[i + 1][1](cf), out)
        return run

    if kind == "list":
        def leaf(cf, out):
            out.append(elt(cf))
        # BUILD_LIST 0 + LIST_APPEND per item: allocated as the appends leave it
        from runtime.listobject import new_list_appended as finish
    elif kind == "set":
        def leaf(cf, out):
            out.append(elt(cf))
        finish = space.newset
    else:
        def leaf(cf, out):
            w_k = key(cf)
            out.append((w_k, value(cf)))

        def finish(items):
            w_d = space.newdict()
            for w_k, w_v in items:
                space.setitem(w_d, w_k, w_v)
            return w_d
    top = make_level(0, leaf)

    def comprehension(f):
        w_iterable = first_iter(f)
        w_it = space.iter(w_iterable)
        cf = new_frame(f)
        out = []
        t = ts
        t.depth += 1
        cf.back = t.frame
        t.frame = cf
        try:
            top(cf, w_it, out)
        except OperationError as e:
            cf.lineno = f.lineno
            add_traceback(e, cf)
            raise
        finally:
            t.depth -= 1
            t.frame = cf.back
        return finish(out)
    return comprehension


class PrecomputedValue(ast.expr):
    """An expression whose value was computed before the enclosing expression runs:
    node.getter() returns it (compiler.ex_PrecomputedValue)."""
    _fields = ()


def _outer_awaits(e):
    """The `await` nodes of expression e outside nested scopes and other awaits, in
    evaluation (source) order."""
    out = []

    def walk(n):
        for child in ast.iter_child_nodes(n):
            if isinstance(child, ast.Await):
                out.append(child)
            elif not isinstance(child, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp,
                                        ast.GeneratorExp)):
                walk(child)
    walk(e)
    return out


def _replace(root, old, new):
    """Replace node `old` under `root` by `new` (in place)."""
    for parent in ast.walk(root):
        for name, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, name, new)
                return
            if isinstance(value, list):
                for i, x in enumerate(value):
                    if x is old:
                        value[i] = new
                        return


def compile_async_comprehension(comp, node, kind):
    """A comprehension with `async for`/`await`, run inline by the enclosing coroutine:
    returns a host generator function run(f) whose return value is the result."""
    from runtime.interp import generator
    scope = comp.scopes[id(node)]
    code = Code(scope, "<%scomp>" % kind, comp.qualname("<%scomp>" % kind), comp.filename,
                node.lineno)

    def maybe_await(e):
        """Host generator function evaluating e, awaiting if e is `await x`."""
        if isinstance(e, ast.Await):
            inner = maybe_await(e.value)

            def aw(cf):
                w_x = yield from inner(cf)
                return (yield from generator.delegate(generator.get_awaitable_iter(w_x)))
            return aw
        awaits = _outer_awaits(e)
        if awaits:
            # `f(key, await g(x))`: the awaits run first, in order, then the expression is
            # evaluated with their values in place (the approximation hoist.py makes too)
            stack = []
            for i, a in enumerate(awaits):
                _replace(e, a, ast.copy_location(
                    PrecomputedValue(getter=lambda i=i: stack[-1][i]), a))
            awaiters = [maybe_await(a) for a in awaits]
            ev_rest = comp.expr(e)

            def aw_inside(cf):
                vals = []
                for a in awaiters:
                    vals.append((yield from a(cf)))
                stack.append(vals)
                try:
                    return ev_rest(cf)
                finally:
                    stack.pop()
            return aw_inside
        ev = comp.expr(e)

        def plain(cf):
            return ev(cf)
            yield
        return plain

    first_iter = maybe_await(node.generators[0].iter)    # in the enclosing scope
    saved = comp.scope
    comp.scope = scope
    try:
        levels = []
        for i, g in enumerate(node.generators):
            store = comp.store(g.target)
            it = maybe_await(g.iter) if i > 0 else None
            conds = [maybe_await(c) for c in g.ifs]
            levels.append((store, it, conds, g.is_async))
        if kind == "dict":
            key = maybe_await(node.key)
            value = maybe_await(node.value)
        else:
            elt = maybe_await(node.elt)
    finally:
        comp.scope = saved
    closure_cells = [comp.cell_ref(n) for n in scope.freevars]
    ncells = len(scope.cellvars)
    nlocals = len(scope.varnames)

    def items_of(w_iterable, is_async):
        """Host generator yielding ("item", w) and passing awaited values through."""
        if not is_async:
            for w_x in space.iterate(w_iterable):
                yield w_x
            return
        fa = space.lookup(w_iterable, "__aiter__")
        if fa is None:
            raise OperationError("TypeError", "'async for' requires an object with "
                                 "__aiter__ method, got %s" % space.typename(w_iterable))
        w_ait = space.call_special(fa, w_iterable)
        while True:
            try:
                w_aw = space.call_special(space.lookup(w_ait, "__anext__"), w_ait)
                w_x = yield from generator.delegate(generator.get_awaitable_iter(w_aw))
            except OperationError as e:
                if space.exception_match(e, "StopAsyncIteration"):
                    return
                raise
            yield _Item(w_x)

    def level(i, cf, w_iterable, out):
        store, it, conds, is_async = levels[i]
        last = i == len(levels) - 1
        src = items_of(w_iterable, is_async)
        w_sent = None
        while True:
            try:
                x = src.send(w_sent)
            except StopIteration:
                return
            if is_async and x.__class__ is not _Item:
                w_sent = yield x           # an awaited value passing through
                continue
            w_sent = None
            w_x = x.w if is_async else x
            store(cf, w_x)
            ok = True
            for c in conds:
                if not space.is_true((yield from c(cf))):
                    ok = False
                    break
            if not ok:
                continue
            if last:
                if kind == "dict":
                    w_k = yield from key(cf)
                    out.append((w_k, (yield from value(cf))))
                else:
                    out.append((yield from elt(cf)))
            else:
                yield from level(i + 1, cf, (yield from levels[i + 1][1](cf)), out)

    def run(f):
        w_iterable = yield from first_iter(f)
        cf = Frame(code, f.w_globals, nlocals)
        cf.w_builtins = f.w_builtins
        if ncells or closure_cells:
            cells = [space.newcell(None) for _ in range(ncells)]
            cells.extend(c(f) for c in closure_cells)
            cf.cells = cells
        out = []
        yield from level(0, cf, w_iterable, out)
        if kind == "list":
            from runtime.listobject import new_list_appended
            return new_list_appended(out)
        if kind == "set":
            return space.newset(out)
        w_d = space.newdict()
        for w_k, w_v in out:
            space.setitem(w_d, w_k, w_v)
        return w_d
    return run


class _Item:
    __slots__ = ("w",)

    def __init__(self, w):
        self.w = w


def _async_genexpr(code, levels, elt, first_iter, new_frame):
    """An asynchronous generator expression, `(x async for x in aiter)`: an async_generator
    object (Python/compile.c compiler_comprehension with IS_ASYNC_GENERATOR). Its host
    generator awaits `__anext__()` for the `async for` levels (yielding the awaitable's
    steps, as `await` does in a coroutine body) and yields each element wrapped in
    AsyncGenValue, as a guest `yield` in an async generator body does."""
    from runtime.interp import generator

    def level(i):
        store, it, conds, is_async = levels[i]
        last = i == len(levels) - 1
        nxt = None if last else level(i + 1)

        def items(w_iterable):
            if not is_async:
                for w_x in space.iterate(w_iterable):
                    yield w_x
                return
            while True:
                w_aw = space.call_method(w_iterable, "__anext__")
                try:
                    w_x = yield ("await", w_aw)
                except OperationError as e:
                    if not space.exception_match(e, "StopAsyncIteration"):
                        raise
                    return
                yield w_x

        def run(cf, w_iterable):
            it = items(w_iterable)
            w_send = None
            while True:
                try:
                    step = it.send(w_send)
                except StopIteration:
                    return
                w_send = None
                if step.__class__ is tuple:
                    # await the __anext__() awaitable, then hand its result back
                    try:
                        w_send = yield from generator.delegate(
                            generator.get_awaitable_iter(step[1]))
                    except OperationError as e:
                        try:
                            step = it.throw(e)
                        except StopIteration:
                            return
                        # items() only re-raises or ends: a value here is a bug
                        raise
                    continue
                store(cf, step)
                if not all(c(cf) for c in conds):
                    continue
                if last:
                    yield generator.AsyncGenValue(elt(cf))
                else:
                    w_next = levels[i + 1][1](cf)
                    if levels[i + 1][3]:
                        w_next = _aiter(w_next)
                    yield from nxt(cf, w_next)
        return run
    top = level(0)

    def async_genexpr(f):
        w_first = first_iter(f)
        w_it = _aiter(w_first) if levels[0][3] else space.iter(w_first)
        cf = new_frame(f)
        return generator.new_host_async_generator(code, cf, top(cf, w_it))
    return async_genexpr


def _aiter(w):
    """GET_AITER: `__aiter__()` of the iterable of an `async for`."""
    f = space.lookup(w, "__aiter__")
    if f is None:
        raise oefmt("TypeError", "'async for' requires an object with __aiter__ method, "
                    "got %s", space.typename(w))
    return space.call_special(f, w)
