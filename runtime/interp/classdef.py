"""`class` statements (Python/bltinmodule.c builtin___build_class__).

Order as CPython: decorators, bases (with *args), keywords (metaclass=...), the most
derived metaclass, __prepare__, the body run as a function-like scope whose namespace is
the prepared mapping (f.w_ns), __classcell__ filled for zero-argument super(), then
metaclass(name, bases, ns, **kw), then the decorators.
"""

import ast

from runtime.errors import OperationError, oefmt
from runtime import object as _o
from runtime import space
from runtime.interp.frame import Frame, Code, cell_set, cell_get, ts, add_traceback


def compile_class(comp, node):
    scope = comp.scopes[id(node)]
    lineno = node.lineno
    qualname = comp.qualname(node.name)
    decos = [comp.expr(d) for d in node.decorator_list]
    bases = comp._elts(node.bases)
    kws = [(k.arg, comp.expr(k.value)) for k in node.keywords]
    code = Code(scope, node.name, qualname, comp.filename, lineno)
    code.kind = "class"
    saved = comp.scope, comp.loop_depth
    comp.scope = scope
    try:
        code.body = comp.with_setup_annotations(node.body, comp.block(node.body))
    finally:
        comp.scope, comp.loop_depth = saved
    closure_cells = [comp.cell_ref(n) for n in scope.freevars]
    store = comp.store_name(node.name)
    name = node.name
    w_name = space.newstr(name)
    w_qualname = space.newstr(qualname)
    doc = ast.get_docstring(node, clean=False)
    first = node.decorator_list[0].lineno if node.decorator_list else lineno

    def class_(f):
        from runtime import typeobject
        f.lineno = first
        ds = [d(f) for d in decos]
        f.lineno = lineno
        bases_w = bases(f)
        kwargs = {}
        for k, ev in kws:
            if k is None:
                from runtime.interp.compiler import merge_kwargs
                merge_kwargs(kwargs, ev(f), None)
            else:
                kwargs[k] = ev(f)
        orig_bases_w = bases_w
        bases_w = resolve_mro_entries(bases_w)
        changed = len(bases_w) != len(orig_bases_w) or \
            any(a is not b for a, b in zip(bases_w, orig_bases_w))
        w_meta = kwargs.pop("metaclass", None)
        if w_meta is None:
            w_meta = space.type(bases_w[0]) if bases_w else \
                typeobject.w_type_for_addr(typeobject.ADDR_PyType_Type)
            is_class = True
        else:
            is_class = typeobject.is_type(w_meta)
        if is_class:
            w_meta = typeobject.calculate_metaclass(w_meta, bases_w)
        w_bases = space.newtuple(list(bases_w))
        w_prep = space.findattr(w_meta, "__prepare__")
        if w_prep is not None:
            w_ns = space.call(w_prep, [w_name, w_bases], kwargs or None)
            if space.lookup(w_ns, "__getitem__") is None:     # PyMapping_Check
                raise oefmt("TypeError", "%s.__prepare__() must return a mapping, not %s",
                            typeobject.typedef_of_type(w_meta).name if is_class
                            else "<metaclass>", space.typename(w_ns))
        else:
            w_ns = space.newdict()
        if changed:
            space.setitem(w_ns, space.newtext("__orig_bases__"),
                          space.newtuple(list(orig_bases_w)))
        # run the body
        bf = Frame(code, f.w_globals, 0)
        bf.w_builtins = f.w_builtins
        bf.w_ns = w_ns
        cells = []
        if scope.cellvars:
            cells = [space.newcell(None) for _ in scope.cellvars]
        if closure_cells:
            cells.extend(c(f) for c in closure_cells)
        bf.cells = cells
        w_modname = space.findattr_dict(f.w_globals, "__name__") if hasattr(space, "findattr_dict") else None
        from runtime.interp.compiler import dget
        w_mod = dget(f.w_globals, space.newtext("__name__"))
        if w_mod is not None:
            space.setitem(w_ns, space.newtext("__module__"), w_mod)
        space.setitem(w_ns, space.newtext("__qualname__"), w_qualname)
        if doc is not None:
            space.setitem(w_ns, space.newtext("__doc__"), space.newstr(doc))
        t = ts
        if t.depth >= t.recursion_limit:
            raise OperationError("RecursionError", "maximum recursion depth exceeded")
        t.depth += 1
        bf.back = t.frame
        t.frame = bf
        try:
            code.body(bf)
        except OperationError as e:
            add_traceback(e, bf)
            raise
        finally:
            t.depth -= 1
            t.frame = bf.back
        if scope.cellvars and "__class__" in scope.cell_index:
            space.setitem(w_ns, space.newtext("__classcell__"),
                          cells[scope.cell_index["__class__"]])
        w_cls = space.call(w_meta, [w_name, w_bases, w_ns], kwargs or None)
        if scope.cellvars and "__class__" in scope.cell_index:
            cell_set(cells[scope.cell_index["__class__"]], w_cls)
        for w_d in reversed(ds):
            w_cls = space.call(w_d, [w_cls])
        store(f, w_cls)
    return class_


def resolve_mro_entries(bases_w):
    """PEP 560: replace non-class bases that define __mro_entries__."""
    from runtime import typeobject
    out = []
    changed = False
    for w_b in bases_w:
        if not typeobject.is_type(w_b):
            # an attribute lookup, as CPython's _PyObject_LookupAttr: typing.TypedDict is a
            # function with __mro_entries__ set in its __dict__
            f = space.findattr(w_b, "__mro_entries__")
            if f is not None:
                w_r = space.call(f, [space.newtuple(list(bases_w))])
                out.extend(space.iterate(w_r))
                changed = True
                continue
        out.append(w_b)
    return out
