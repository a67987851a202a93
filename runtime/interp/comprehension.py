"""List/set/dict comprehensions and generator expressions.

Each is its own scope (symtable: kind "comprehension", parameter ".0"): the first
iterable is evaluated in the enclosing scope, the loops run in a new Frame. Generator
expressions run the same loops as a host generator wrapped in a guest generator object.
"""

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
            if g.is_async:
                raise SyntaxError("beale: async comprehensions are not supported")
            levels.append((store, it, conds))
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

    if kind == "gen":
        def gen_level(i):
            store, it, conds = levels[i]
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
        store, it, conds = levels[i]
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
        finish = space.newlist
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
