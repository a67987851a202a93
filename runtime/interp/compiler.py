"""The compiler: the host's `ast` tree -> a tree of host closures (Python/compile.c's role).

Every expression node becomes a closure `ev(f) -> handle` and every statement a closure
`ex(f) -> status`, where `f` is the Frame and status is None (fall through) or one of
frame.RETURN / BREAK / CONTINUE (the return value is left in f.retval). Scopes are resolved
at compile time (symtable.py): locals are list slots, closures use guest cells, globals
and builtins are dict lookups.

Specialised closures exist for the common shapes: local loads, constants (prebuilt
handles), int/float fast arithmetic inside space.*, attribute loads, method calls
`o.m(args)` that skip the bound-method object, calls with positional arguments, and
blocks of 1..3 statements.

Generator functions: the body is first rewritten by hoist.py so that every yield/await
sits in a statement of the form `tmp = yield x` (or `yield from`/`await`), and then
compiled a second way (gen_stmt) where statements are host generator functions;
statements with no yield inside stay plain closures. See generator.py.
"""

import ast

from runtime.errors import OperationError, oefmt, host_call_type_error
from runtime import object as _o
from runtime import space
from runtime.interp import symtable
from runtime.interp.symtable import LOCAL, CELL, FREE, GLOBAL, NAME
from runtime.interp.frame import _eval_breaker  # noqa: E402
_gil_drop = False       # the eval breaker flag, set by runtime.interp.gil (register_breaker)
from runtime.interp.frame import (Code, Frame, RETURN, BREAK, CONTINUE, cell_get, cell_set,
                                  ts, run_frame, add_traceback)

import layout as _layout                       # noqa: E402
_cast = _layout.ffi.cast
_VER_OFF = _layout.struct("PyDictObject").offset("ma_version_tag")
_VER_W = _VER_OFF // 8      # as a word index for _MEM (beale's tags are below 2**63)
_new_handle = object.__new__
_PyObj_FromPtr = _o._PyObj_FromPtr
_shared_handles = _o._shared_handles
_NO_V = object()            # "no decoded value" in a LOAD_GLOBAL cache

w_None = _o.w_None
w_True = _o.w_True
w_False = _o.w_False
W_Int = _o.W_Int
W_Float = _o.W_Float
W_Str = _o.W_Str


# --- dict helpers ---------------------------------------------------------------------------

_MISSING = []


def dict_get(w_d, w_key):
    """w_d[w_key] or None if missing (no exception on the miss path)."""
    from runtime import dictobject
    f = getattr(dictobject, "dict_get_or_none", None)
    if f is not None:
        _fast_dict_get[0] = f
        return f(w_d, w_key)
    try:
        return space.getitem(w_d, w_key)
    except OperationError as e:
        if space.exception_match(e, "KeyError"):
            return None
        raise


_fast_dict_get = [dict_get]


def dget(w_d, w_key):
    return _fast_dict_get[0](w_d, w_key)


def _name_error(name):
    from runtime.errors import with_attrs
    return with_attrs(OperationError("NameError", "name '%s' is not defined" % name),
                      name=name)


def load_global(f, w_name, name):
    w = dget(f.w_globals, w_name)
    if w is not None:
        return w
    w_b = f.w_builtins
    if w_b is None:
        w_b = f.w_builtins = builtins_of(f.w_globals)
    w = dget(w_b, w_name)
    if w is not None:
        return w
    raise _name_error(name)


def builtins_of(w_globals):
    """The builtins dict for a globals dict (its __builtins__, else the default)."""
    w = dget(w_globals, space.newtext("__builtins__"))
    if w is not None:
        if w.__class__.typedef.name == "dict":
            return w
        try:
            from runtime import moduleobject
            return moduleobject.module_dict(w)
        except Exception:
            pass
    from runtime import builtins
    return builtins.get_builtins_dict()


def _binop_fn(op):
    return {ast.Add: space.add, ast.Sub: space.sub, ast.Mult: space.mul,
            ast.Div: space.truediv, ast.FloorDiv: space.floordiv, ast.Mod: space.mod,
            ast.Pow: space.pow, ast.LShift: space.lshift, ast.RShift: space.rshift,
            ast.BitOr: space.or_, ast.BitXor: space.xor, ast.BitAnd: space.and_,
            ast.MatMult: space.matmul}[op.__class__]


def _inplace_fn(op):
    return {ast.Add: space.inplace_add, ast.Sub: space.inplace_sub,
            ast.Mult: space.inplace_mul, ast.Div: space.inplace_truediv,
            ast.FloorDiv: space.inplace_floordiv, ast.Mod: space.inplace_mod,
            ast.Pow: space.inplace_pow, ast.LShift: space.inplace_lshift,
            ast.RShift: space.inplace_rshift, ast.BitOr: space.inplace_or,
            ast.BitXor: space.inplace_xor, ast.BitAnd: space.inplace_and,
            ast.MatMult: space.inplace_matmul}[op.__class__]


def _cmp_fn(op):
    c = op.__class__
    if c is ast.Eq:
        return space.compare_eq
    if c is ast.NotEq:
        return space.compare_ne
    if c is ast.Lt:
        return space.compare_lt
    if c is ast.LtE:
        return space.compare_le
    if c is ast.Gt:
        return space.compare_gt
    if c is ast.GtE:
        return space.compare_ge
    if c is ast.Is:
        return lambda a, b: w_True if space.is_w(a, b) else w_False
    if c is ast.IsNot:
        return lambda a, b: w_False if space.is_w(a, b) else w_True
    if c is ast.In:
        return lambda a, b: w_True if space.contains(b, a) else w_False
    if c is ast.NotIn:
        return lambda a, b: w_False if space.contains(b, a) else w_True
    raise NotImplementedError(op)


def _cmp_bool(op):
    """Host-bool comparison for conditions (avoids building a bool handle)."""
    c = op.__class__
    if c is ast.Lt:
        def lt(a, b):
            ca = a.__class__
            if ca is b.__class__ and (ca is W_Int or ca is W_Float):
                return a.v < b.v
            return space.is_true(space.richcompare(a, b, "__lt__"))
        return lt
    fn = _cmp_fn(op)
    is_true = space.is_true
    # the other orderings and (in)equality: host comparison of two exact ints or two
    # exact floats (COMPARE_OP's int/float specialisations), else the guest protocol.
    # `==` calls __eq__ even on one object (COMPARE_OP has no identity shortcut: nan)
    if c is ast.Gt:
        def gt(a, b):
            ca = a.__class__
            if ca is b.__class__ and (ca is W_Int or ca is W_Float):
                return a.v > b.v
            return is_true(fn(a, b))
        return gt
    if c is ast.LtE:
        def le(a, b):
            ca = a.__class__
            if ca is b.__class__ and (ca is W_Int or ca is W_Float):
                return a.v <= b.v
            return is_true(fn(a, b))
        return le
    if c is ast.GtE:
        def ge(a, b):
            ca = a.__class__
            if ca is b.__class__ and (ca is W_Int or ca is W_Float):
                return a.v >= b.v
            return is_true(fn(a, b))
        return ge
    if c is ast.Eq:
        def eq(a, b):
            ca = a.__class__
            if ca is b.__class__ and (ca is W_Int or ca is W_Float or ca is W_Str):
                return a.v == b.v
            return is_true(fn(a, b))
        return eq
    if c is ast.NotEq:
        def ne(a, b):
            ca = a.__class__
            if ca is b.__class__ and (ca is W_Int or ca is W_Float or ca is W_Str):
                return a.v != b.v
            return is_true(fn(a, b))
        return ne
    return lambda a, b: is_true(fn(a, b))


class _Pos:
    """Where an expression is (for traceback carets)."""


def pos_of(node):
    return (node.lineno, getattr(node, "end_lineno", None), node.col_offset,
            getattr(node, "end_col_offset", None))


class PrintExpr(ast.stmt):
    """An expression statement of 'single' (interactive) mode."""
    _fields = ("value",)


class Compiler:
    def __init__(self, filename, scopes, source_mode="exec"):
        self.filename = filename
        self.scopes = scopes
        self.scope = None
        self.qualname_stack = []
        self.loop_depth = 0
        self.in_generator = False
        self.future_annotations = False     # `from __future__ import annotations` seen

    # ==== entry points =========================================================================
    def compile_module(self, tree):
        scope = self.scopes[id(tree)]
        self.scope = scope
        code = Code(scope, "<module>", "<module>", self.filename, 1)
        code.kind = "module"
        if isinstance(tree, ast.Expression):
            ev = self.expr(tree.body)

            def body(f):
                f.retval = ev(f)
                return RETURN
            code.body = body
        else:
            stmts = tree.body
            if isinstance(tree, ast.Interactive):
                stmts = [self._print_expr(s) for s in stmts]
            code.body = self.with_setup_annotations(stmts, self.block(stmts))
        return code

    def _print_expr(self, s):
        """Every expression statement of the module scope of an interactive statement,
        however deep in if/for/while/with/try blocks, prints its value (CPython's
        compiler_visit_stmt_expr: c_interactive and c_nestlevel <= 1); those of nested
        functions and classes do not."""
        if isinstance(s, ast.Expr):
            return ast.copy_location(PrintExpr(s.value), s)
        if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return s
        for field in ("body", "orelse", "finalbody"):
            block = getattr(s, field, None)
            if isinstance(block, list):
                setattr(s, field, [self._print_expr(x) for x in block])
        for h in getattr(s, "handlers", None) or ():
            h.body = [self._print_expr(x) for x in h.body]
        for c in getattr(s, "cases", None) or ():
            c.body = [self._print_expr(x) for x in c.body]
        return s

    def syntax_error(self, node, msg):
        """A compile-time SyntaxError at `node` (compiler_error: 1-based offsets)."""
        end_col = getattr(node, "end_col_offset", None)
        return SyntaxError(msg, (self.filename, node.lineno, node.col_offset + 1, None,
                                 getattr(node, "end_lineno", None),
                                 None if end_col is None else end_col + 1))

    def st_PrintExpr(self, node):
        """PRINT_EXPR: an expression statement of 'single' mode goes to sys.displayhook."""
        ev = self.expr(node.value)

        def print_expr(f):
            w = ev(f)
            from runtime import sysmodule
            w_hook = sysmodule.get_attr("displayhook")
            if w_hook is None:
                raise oefmt("RuntimeError", "lost sys.displayhook")
            space.call(w_hook, [w])
        return print_expr

    # ==== statements ===========================================================================
    def block(self, stmts):
        """One closure running `stmts` in order; it sets f.lineno before each simple
        statement itself (compound statements set their own lines), which saves the
        `simple` wrapper call per statement that stmt() adds."""
        parts = [self.stmt_parts(s) for s in stmts]
        parts = [p for p in parts if p[0] is not None]
        if not parts:
            return lambda f: None
        if len(parts) == 1:
            return self._with_lineno(*parts[0])
        if len(parts) == 2:
            (a, la), (b, lb) = parts

            def block2(f):
                if la:
                    f.lineno = la
                r = a(f)
                if r is not None:
                    return r
                if lb:
                    f.lineno = lb
                return b(f)
            return block2
        if len(parts) == 3:
            (a, la), (b, lb), (c, lc) = parts

            def block3(f):
                if la:
                    f.lineno = la
                r = a(f)
                if r is not None:
                    return r
                if lb:
                    f.lineno = lb
                r = b(f)
                if r is not None:
                    return r
                if lc:
                    f.lineno = lc
                return c(f)
            return block3
        parts = tuple((fn, ln) for fn, ln in parts)

        def blockn(f):
            for s, ln in parts:
                if ln:
                    f.lineno = ln
                r = s(f)
                if r is not None:
                    return r
        return blockn

    _COMPOUND = (ast.If, ast.While, ast.For, ast.Try, ast.With, ast.FunctionDef, ast.ClassDef,
                 ast.AsyncFunctionDef, ast.AsyncFor, ast.AsyncWith, ast.Match)

    def stmt_parts(self, node):
        """(closure, lineno) for a statement: lineno 0 when the closure sets lines itself
        (compound statements); closure None for a statement that does nothing."""
        m = getattr(self, "st_" + node.__class__.__name__, None)
        if m is None:
            raise SyntaxError("beale: unsupported statement %s" % node.__class__.__name__)
        inner = m(node)
        if inner is None:
            return None, 0
        if node.__class__ in self._COMPOUND or node.__class__.__name__ == "TryStar":
            return inner, 0     # compound statements set lines themselves
        return inner, node.lineno

    @staticmethod
    def _with_lineno(inner, lineno):
        if not lineno:
            return inner

        def simple(f):
            f.lineno = lineno
            return inner(f)
        return simple

    def stmt(self, node):
        inner, lineno = self.stmt_parts(node)
        if inner is None:
            return None
        return self._with_lineno(inner, lineno)

    def st_Pass(self, node):
        # a NOP with a line number, as CPython's: `finally: pass` moves f_lineno (PEP 626)
        return _nop

    def st_Expr(self, node):
        ev = self.expr(node.value)

        def expr_stmt(f):
            ev(f)
        return expr_stmt

    def st_Assign(self, node):
        ev = self.expr(node.value)
        if len(node.targets) == 1:
            t = node.targets[0]
            if isinstance(t, ast.Name):
                kind, idx = self.name_slot(t.id)
                if kind == LOCAL:
                    def assign_local(f):
                        f.locals[idx] = ev(f)
                    return assign_local
            v = node.value
            if isinstance(t, (ast.Tuple, ast.List)) and isinstance(v, ast.Tuple) and \
                    len(t.elts) == len(v.elts) and \
                    not any(isinstance(e, ast.Starred) for e in t.elts + v.elts):
                # `a, b = b, a`: the values are evaluated left to right, then stored left
                # to right, with no tuple built in between (as CPython's compiler does)
                values = [self.expr(e) for e in v.elts]
                stores = [self.store(e) for e in t.elts]
                pairs = list(zip(stores, range(len(stores))))

                def assign_parallel(f):
                    ws = [e(f) for e in values]
                    for s, i in pairs:
                        s(f, ws[i])
                return assign_parallel
            store = self.store(t)

            def assign1(f):
                store(f, ev(f))
            return assign1
        stores = [self.store(t) for t in node.targets]

        def assign_n(f):
            w = ev(f)
            for s in stores:
                s(f, w)
        return assign_n

    def st_AugAssign(self, node):
        op = _inplace_fn(node.op)
        ev = self.expr(node.value)
        t = node.target
        if isinstance(t, ast.Name):
            load = self.load_name(t.id)
            store = self.store(t)
            kind, idx = self.name_slot(t.id)
            if kind == LOCAL:
                def aug_local(f):
                    loc = f.locals
                    w = loc[idx]
                    if w is None:
                        load(f)
                    loc[idx] = op(w, ev(f))
                return aug_local

            def aug_name(f):
                store(f, op(load(f), ev(f)))
            return aug_name
        if isinstance(t, ast.Attribute):
            from runtime.interp import attrcache
            obj = self.expr(t.value)
            name = self.mangle(t.attr)
            load = attrcache.make_load(name)
            store = attrcache.make_store(name)

            def aug_attr(f):
                w_o = obj(f)
                store(w_o, op(load(w_o), ev(f)))
            return aug_attr
        if isinstance(t, ast.Subscript):
            obj = self.expr(t.value)
            key = self.expr(t.slice)

            def aug_item(f):
                w_o = obj(f)
                w_k = key(f)
                space.setitem(w_o, w_k, op(space.getitem(w_o, w_k), ev(f)))
            return aug_item
        raise SyntaxError("illegal expression for augmented assignment")

    def annotation(self, node):
        """The closure for an annotation: its value, or under `from __future__ import
        annotations` (PEP 563) its source text as a constant str."""
        if self.future_annotations:
            text = _simple_annotation_text(node)
            w_text = space.newstr(text if text is not None else ast.unparse(node))
            return lambda f: w_text
        return self.expr(node)

    def st_AnnAssign(self, node):
        """compiler_annassign: store the value; a simple name in a module or class body
        records its annotation; other targets without a value evaluate their object (and
        subscript); the annotation of a complex target is evaluated (module and class
        bodies only) and dropped."""
        steps = []
        if node.value is not None:
            ev = self.expr(node.value)
            store = self.store(node.target)
            steps.append(lambda f: store(f, ev(f)))
        target = node.target
        in_body = self.scope.kind in ("module", "class")
        if isinstance(target, ast.Name):
            if node.simple and in_body:
                steps.append(self._annotate(target.id, self.annotation(node.annotation)))
        elif node.value is None:
            if isinstance(target, ast.Attribute):
                steps.append(self.expr(target.value))
            elif isinstance(target, ast.Subscript):
                steps.append(self.expr(target.value))
                steps.append(self.expr(target.slice))
        if not node.simple and in_body and not self.future_annotations:
            steps.append(self.expr(node.annotation))
        if not steps:
            return None
        if len(steps) == 1:
            one = steps[0]

            def ann_assign1(f):
                one(f)
            return ann_assign1

        def ann_assign(f):
            for step in steps:
                step(f)
        return ann_assign

    def _annotate(self, name, ann):
        """`__annotations__[name] = ann` with `__annotations__` looked up as a name
        (LOAD_NAME: a NameError if the body deleted it), as CPython compiles a simple
        annotation in a module or class body."""
        load_anns = self.load_name("__annotations__")
        w_name = space.newstr(name)

        def annotate(f):
            w_ann = ann(f)
            space.setitem(load_anns(f), w_name, w_ann)
        return annotate

    def with_setup_annotations(self, body, block):
        """CPython's SETUP_ANNOTATIONS: a module or class body holding an annotated
        assignment (outside nested scopes) starts by creating `__annotations__ = {}` in its
        namespace unless it is already there. Returns `block`, wrapped if needed."""
        def has_ann(stmts):
            for st in stmts:
                if isinstance(st, ast.AnnAssign):
                    return True
                if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    continue
                for name in ("body", "orelse", "finalbody", "handlers", "cases"):
                    sub = getattr(st, name, None)
                    if isinstance(sub, list) and has_ann(sub):
                        return True
            return False
        if not has_ann(body):
            return block
        w_key = space.newtext("__annotations__")

        def setup_annotations(f):
            w_ns = f.w_ns if f.w_ns is not None else f.w_globals
            if dget(w_ns, w_key) is None:
                space.setitem(w_ns, w_key, space.newdict())
            return block(f)
        return setup_annotations

    def st_Return(self, node):
        if node.value is None:
            def ret_none(f):
                f.retval = w_None
                return RETURN
            return ret_none
        ev = self.expr(node.value)

        def ret(f):
            f.retval = ev(f)
            return RETURN
        return ret

    def st_Break(self, node):
        return lambda f: BREAK

    def st_Continue(self, node):
        return lambda f: CONTINUE

    def st_Delete(self, node):
        dels = [self.delete(t) for t in node.targets]

        def delete(f):
            for d in dels:
                d(f)
        return delete

    def st_Global(self, node):
        return None

    st_Nonlocal = st_Global

    def st_If(self, node):
        lineno = node.lineno
        test = self.cond(node.test)
        body = self.block(node.body)
        if not node.orelse:
            def if_(f):
                f.lineno = lineno
                if test(f):
                    return body(f)
            return if_
        orelse = self.block(node.orelse)

        def if_else(f):
            f.lineno = lineno
            if test(f):
                return body(f)
            return orelse(f)
        return if_else

    def st_While(self, node):
        lineno = node.lineno
        test = self.cond(node.test)
        body = self.block(node.body)
        orelse = self.block(node.orelse) if node.orelse else None

        def while_(f):
            while True:
                f.lineno = lineno
                if not test(f):
                    break
                r = body(f)
                if r is not None:
                    if r is BREAK:
                        return None
                    if r is RETURN:
                        return r
                if _gil_drop:               # back-edge: the eval breaker (interp/gil.py)
                    _eval_breaker()
            if orelse is not None:
                return orelse(f)
        return while_

    def st_For(self, node):
        lineno = node.lineno
        it = self.expr(node.iter)
        t = node.target
        store = self.store(t)
        local_idx = None
        if isinstance(t, ast.Name):
            kind, idx = self.name_slot(t.id)
            if kind == LOCAL:
                local_idx = idx
        body = self.block(node.body)
        orelse = self.block(node.orelse) if node.orelse else None

        def for_(f):
            f.lineno = lineno
            w_iterable = it(f)
            for w_x in iterate_fast(w_iterable):
                if local_idx is not None:
                    f.locals[local_idx] = w_x
                else:
                    store(f, w_x)
                r = body(f)
                if r is not None:
                    if r is BREAK:
                        return None
                    if r is RETURN:
                        return r
                if _gil_drop:               # back-edge: the eval breaker (interp/gil.py)
                    _eval_breaker()
            if orelse is not None:
                return orelse(f)
        return for_

    def st_Raise(self, node):
        exc = self.expr(node.exc) if node.exc is not None else None
        cause = self.expr(node.cause) if node.cause is not None else None

        def raise_(f):
            if exc is None:
                cur = ts.handled[-1] if ts.handled else None
                if cur is None:
                    raise OperationError("RuntimeError", "No active exception to reraise")
                try:
                    raise cur
                finally:
                    cur = None      # no cycle exception -> traceback -> this frame -> cur
            w = exc(f)
            e = make_raise(w)
            if cause is not None:
                w_c = cause(f)
                set_cause(e, w_c)
            try:
                raise e
            finally:
                # the host traceback of `e` holds this frame: dropping the local breaks the
                # cycle, so the guest exception (and what it holds) dies with its last user,
                # as in CPython, not at the next gc.collect()
                e = None
        return raise_

    def st_Assert(self, node):
        test = self.cond(node.test)
        msg = self.expr(node.msg) if node.msg is not None else None

        def assert_(f):
            if not test(f):
                from runtime import exceptions
                args = [msg(f)] if msg is not None else []
                raise OperationError("AssertionError", None,
                                     exceptions.new_exception("AssertionError", args))
        return assert_

    def st_Import(self, node):
        ops = []
        for a in node.names:
            name = a.name
            if a.asname:
                store = self.store_name(a.asname)
                top = False
            else:
                store = self.store_name(name.partition(".")[0])
                top = True
            ops.append((name, a.asname, store, top))

        def import_(f):
            from runtime import importer
            for name, asname, store, top in ops:
                w_mod = importer.import_module(name, f.w_globals, [] if top else None, 0) \
                    if top else importer.import_module(name, f.w_globals, ["*"] if False else [], 0)
                if asname and "." in name:
                    # `import a.b as c` binds the submodule a.b, with IMPORT_FROM's
                    # fallback to sys.modules["a.b"] (a circular import: a has no
                    # attribute b until a.b finished initialising)
                    for part in name.split(".")[1:]:
                        w_sub = space.findattr(w_mod, part)
                        w_mod = w_sub if w_sub is not None else \
                            _import_submodule(w_mod, part, f)
                store(f, w_mod)
        return import_

    def st_ImportFrom(self, node):
        modname = node.module or ""
        level = node.level
        names = [(a.name, a.asname) for a in node.names]
        fromlist = [n for n, _ in names]
        if fromlist == ["*"]:
            def import_star(f):
                from runtime import importer
                w_mod = importer.import_module(modname, f.w_globals, ["*"], level)
                import_all(f, w_mod)
            return import_star
        stores = [(n, self.store_name(a or n)) for n, a in names]

        def import_from(f):
            from runtime import importer
            w_mod = importer.import_module(modname, f.w_globals, fromlist, level)
            for n, store in stores:
                w_v = space.findattr(w_mod, n)
                if w_v is None:
                    w_v = _import_submodule(w_mod, n, f)
                store(f, w_v)
        return import_from

    def st_FunctionDef(self, node, is_async=False):
        lineno = node.lineno
        make = self.function(node, node.name, node.args, node.body, is_async)
        decos = [self.expr(d) for d in node.decorator_list]
        store = self.store_name(node.name)
        first = node.decorator_list[0].lineno if node.decorator_list else lineno

        def def_(f):
            f.lineno = first
            ds = [d(f) for d in decos]
            f.lineno = lineno
            w_fn = make(f)
            for w_d in reversed(ds):
                w_fn = space.call(w_d, [w_fn])
            store(f, w_fn)
        return def_

    def st_AsyncFunctionDef(self, node):
        return self.st_FunctionDef(node, is_async=True)

    def st_ClassDef(self, node):
        from runtime.interp import classdef
        return classdef.compile_class(self, node)

    def st_Try(self, node):
        from runtime.interp import trystmt
        return trystmt.compile_try(self, node)

    def st_TryStar(self, node):
        from runtime.interp import trystmt
        return trystmt.compile_try(self, node, star=True)

    def st_With(self, node):
        from runtime.interp import trystmt
        return trystmt.compile_with(self, node)

    def st_AsyncWith(self, node):
        raise self.syntax_error(node, "'async with' outside async function")

    def st_AsyncFor(self, node):
        raise self.syntax_error(node, "'async for' outside async function")

    def st_Match(self, node):
        from runtime.interp import matching
        return matching.compile_match(self, node)

    # ==== functions ============================================================================
    def qualname(self, name):
        parts = []
        s = self.scope
        while s is not None and s.kind != "module":
            if s.is_function():
                parts.append("<locals>")
            parts.append(s.name)
            s = s.parent
        parts.reverse()
        parts.append(name)
        return ".".join(parts)

    def function(self, node, name, args, body, is_async=False, is_lambda=False):
        """Compile a function body; returns `make(f) -> W_Function` run at def time."""
        from runtime import functionobject
        scope = self.scopes[id(node)]
        qualname = self.qualname(name)
        defaults = [self.expr(d) for d in args.defaults]
        kwdefaults = [(self.mangle(a.arg), self.expr(d))
                      for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None]
        code = Code(scope, name, qualname, self.filename, node.lineno)
        code.is_coroutine = is_async
        code.is_generator = scope.is_generator
        saved = self.scope, self.loop_depth, self.in_generator
        self.scope = scope
        self.loop_depth = 0
        try:
            if is_lambda:
                if scope.is_generator:
                    from runtime.interp import generator
                    stmts = getattr(node, "beale_body", None)
                    if stmts is None:
                        stmts = [ast.copy_location(ast.Return(body), body)]
                    generator.compile_generator_code(self, code, stmts)
                else:
                    ev = self.expr(body)

                    def lbody(f):
                        f.retval = ev(f)
                        return RETURN
                    code.body = lbody
            else:
                doc = ast.get_docstring(node, clean=False) if body else None
                if scope.is_generator or is_async:
                    from runtime.interp import generator
                    generator.compile_generator_code(self, code, body)
                else:
                    code.body = self.block(body)
        finally:
            self.scope, self.loop_depth, self.in_generator = saved
        code.setup_params(args)
        closure_cells = [self.cell_ref(n) for n in scope.freevars]
        w_doc = space.newstr(doc) if not is_lambda and doc is not None else None
        annotations = self._annotations(args, getattr(node, "returns", None))

        def make(f):
            dw = [d(f) for d in defaults] if defaults else None
            kw = {k: d(f) for k, d in kwdefaults} if kwdefaults else None
            closure = [c(f) for c in closure_cells] if closure_cells else None
            w_mod = dget(f.w_globals, space.newtext("__name__"))
            w_fn = functionobject.new_function(code, f.w_globals, name, qualname, dw, kw,
                                               closure, w_doc, w_mod)
            d = w_fn.get_data()
            d.w_builtins = f.w_builtins
            if annotations:
                d.w_annotations = space.newdict([(space.newstr(k), a(f))
                                                 for k, a in annotations])
            return w_fn
        return make

    def _annotations(self, args, returns):
        out = []
        for a in args.posonlyargs + args.args + ([args.vararg] if args.vararg else []) + \
                args.kwonlyargs + ([args.kwarg] if args.kwarg else []):
            if a.annotation is not None:
                out.append((self.mangle(a.arg), self.annotation(a.annotation)))
        if returns is not None:
            out.append(("return", self.annotation(returns)))
        return out

    def cell_ref(self, name):
        """Closure that returns the cell for `name` in the current scope (to pass inward)."""
        idx = self.scope.cell_index.get(name)
        if idx is None:
            raise SyntaxError("beale: no cell for %s in %s" % (name, self.scope))
        return lambda f: f.cells[idx]

    # ==== names ================================================================================
    def mangle(self, name):
        s = self.scope
        while s is not None and s.kind != "class":
            s = s.parent
        if s is None:
            return name
        return symtable._mangle(s.name, name)

    def name_slot(self, name):
        name = self.mangle(name)
        s = self.scope
        kind = s.resolve(name)
        if kind == LOCAL:
            return LOCAL, s.slot[name]
        if kind in (CELL, FREE):
            return kind, s.cell_index[name]
        if s.kind == "class" and name in s.cell_index and name not in s.assigned:
            return "classfree", s.cell_index[name]
        return kind, None

    def load_name(self, name):
        kind, idx = self.name_slot(name)
        name = self.mangle(name)
        w_name = space.newtext(name)
        if kind == LOCAL:
            def load_local(f):
                w = f.locals[idx]
                if w is None:
                    raise OperationError("UnboundLocalError",
                                         "cannot access local variable '%s' where it is not "
                                         "associated with a value" % name)
                return w
            return load_local
        if kind == CELL or kind == FREE:
            def load_deref(f):
                w = cell_get(f.cells[idx])
                if w is None:
                    if kind == FREE:
                        raise OperationError(
                            "NameError", "cannot access free variable '%s' where it is not "
                            "associated with a value in enclosing scope" % name)
                    raise OperationError("UnboundLocalError",
                                         "cannot access local variable '%s' where it is not "
                                         "associated with a value" % name)
                return w
            return load_deref
        if kind == "classfree":
            def load_classderef(f):
                w = dget(f.w_ns, w_name)
                if w is not None:
                    return w
                w = cell_get(f.cells[idx])
                if w is None:
                    raise _name_error(name)
                return w
            return load_classderef
        if kind == GLOBAL or self.scope.kind == "module":
            return self._load_global_cached(kind, name, w_name)

        def load_ns(f):
            w_ns = f.w_ns
            if w_ns is not None:
                w = dget(w_ns, w_name)
                if w is not None:
                    return w
            return load_global(f, w_name, name)
        return load_ns

    def _load_global_cached(self, kind, name, w_name):
        """LOAD_GLOBAL with a per-site cache keyed on the ma_version_tag of the globals
        (and builtins) dicts, as CPython 3.11's specialised LOAD_GLOBAL does: a hit costs
        two word reads and a new handle instead of a hash-table probe.

        Like CPython's cache the site holds no count: it keeps the value's address
        (borrowed: the dict holds a count for as long as its ma_version_tag is unchanged),
        its handle class and decoded scalar value, and makes a fresh handle on a hit, so a
        global deleted or rebound dies at once. Process-lifetime shared handles (None,
        small ints, ...) are cached as they are."""
        # globals addr, its version, builtins addr (0: found in globals), its version,
        # value address, shared handle or None, handle class, decoded value or _NO_V,
        # the host data object of a function (W_DataObject.get_data) or None
        cache = [0, 0, 0, 0, 0, None, None, _NO_V, None]
        module_level = kind != GLOBAL
        from runtime.functionobject import W_Function as _W_Function

        def fill(w):
            a = w.addr
            cache[4] = a
            shared = _shared_handles.get(a)
            cache[5] = shared
            cls = w.__class__
            cache[6] = cls
            # only values wrap() decodes from the struct (int, float, str, ...) are host
            # copies; any other `v` (handle-only bodies) is the object itself
            cache[7] = w.v if shared is None and cls._decode is not None else _NO_V
            # a function's handle keeps its data object (the struct's __data pointer
            # never changes), so calls through the fresh handle skip get_data's read
            cache[8] = w.get_data() if cls is _W_Function else None

        def load_global_cached(f):
            g = f.w_globals
            if module_level and f.w_ns is not None and f.w_ns.addr != g.addr:
                w = dget(f.w_ns, w_name)          # exec() with separate locals
                if w is not None:
                    return w
            ga = g.addr
            vg = _MEM[(ga >> 3) - 1 + _VER_W]
            if cache[0] == ga and cache[1] == vg:
                ba = cache[2]
                if ba == 0 or (_MEM[(ba >> 3) - 1 + _VER_W] == cache[3] and
                               f.w_builtins is not None and f.w_builtins.addr == ba):
                    # hit: a new handle on the cached address (inlined: the hot path)
                    w = cache[5]
                    if w is not None:
                        return w
                    a = cache[4]
                    w = _new_handle(cache[6])
                    w.addr = a
                    w.ref = _PyObj_FromPtr(a)
                    v = cache[7]
                    if v is not _NO_V:
                        w.v = v
                    elif cache[8] is not None:
                        w.data = cache[8]
                    return w
            w = dget(g, w_name)
            if w is not None:
                cache[0] = ga
                cache[1] = vg
                cache[2] = 0
                fill(w)
                return w
            b = f.w_builtins
            if b is None:
                b = f.w_builtins = builtins_of(g)
            ba = b.addr
            vb = _MEM[(ba >> 3) - 1 + _VER_W]
            w = dget(b, w_name)
            if w is None:
                raise _name_error(name)
            cache[0] = ga
            cache[1] = vg
            cache[2] = ba
            cache[3] = vb
            fill(w)
            return w
        return load_global_cached

    def store_name(self, name):
        kind, idx = self.name_slot(name)
        name = self.mangle(name)
        w_name = space.newtext(name)
        if kind == LOCAL:
            def store_local(f, w):
                f.locals[idx] = w
            return store_local
        if kind in (CELL, FREE):
            def store_deref(f, w):
                cell_set(f.cells[idx], w)
            return store_deref
        if kind == GLOBAL:
            def store_global(f, w):
                space.setitem(f.w_globals, w_name, w)
            return store_global

        def store_ns(f, w):
            space.setitem(f.w_ns if f.w_ns is not None else f.w_globals, w_name, w)
        return store_ns

    def delete_name(self, name):
        kind, idx = self.name_slot(name)
        name = self.mangle(name)
        w_name = space.newtext(name)
        if kind == LOCAL:
            def del_local(f):
                if f.locals[idx] is None:
                    raise OperationError("UnboundLocalError",
                                         "cannot access local variable '%s' where it is not "
                                         "associated with a value" % name)
                f.locals[idx] = None
            return del_local
        if kind in (CELL, FREE):
            def del_deref(f):
                if cell_get(f.cells[idx]) is None:
                    raise _name_error(name)
                cell_set(f.cells[idx], None)
            return del_deref

        def del_ns(f):
            w_ns = f.w_globals if kind == GLOBAL or f.w_ns is None else f.w_ns
            try:
                space.delitem(w_ns, w_name)
            except OperationError as e:
                if space.exception_match(e, "KeyError"):
                    raise _name_error(name)
                raise
        return del_ns

    # ==== targets ==============================================================================
    def store(self, t):
        """Closure `store(f, w_value)` for an assignment target."""
        c = t.__class__
        if c is ast.Name:
            return self.store_name(t.id)
        if c is ast.Attribute:
            from runtime.interp import attrcache
            obj = self.expr(t.value)
            name = self.mangle(t.attr)
            store = attrcache.make_store(name)

            def store_attr(f, w):
                store(obj(f), w)
            return store_attr
        if c is ast.Subscript:
            obj = self.expr(t.value)
            key = self.expr(t.slice)

            def store_item(f, w):
                w_o = obj(f)
                w_k = key(f)
                if w_o.__class__ is _W_List and w_k.__class__ is W_Int:
                    # STORE_SUBSCR_LIST_INT: list_ass_item on the item array
                    i = w_k.v
                    base = (w_o.addr >> 3) - 1
                    n = _MEM[base + _OB_SIZE_W]
                    if i < 0:
                        i += n
                    if 0 <= i < n:
                        slot = (_MEM[base + _LIST_ITEM_W] >> 3) - 1 + i
                        _o.incref(w.addr)
                        old = _MEM[slot]
                        _MEM[slot] = w.addr
                        _o.decref(old)
                        return
                space.setitem(w_o, w_k, w)
            return store_item
        if c is ast.Tuple or c is ast.List:
            return self.store_unpack(t.elts)
        if c is ast.Starred:
            raise SyntaxError("starred assignment target must be in a list or tuple")
        raise SyntaxError("cannot assign to %s" % c.__name__)

    def store_unpack(self, elts):
        star = [i for i, e in enumerate(elts) if isinstance(e, ast.Starred)]
        if len(star) > 1:
            raise SyntaxError("multiple starred expressions in assignment")
        if not star:
            stores = [self.store(e) for e in elts]
            n = len(stores)
            slots = [self.name_slot(e.id) if isinstance(e, ast.Name) else (None, None)
                     for e in elts]
            if all(kind == LOCAL for kind, _ in slots):
                # every target a fast local: the items go straight into the slots
                idxs = tuple(i for _, i in slots)

                def unpack_locals(f, w):
                    locs = f.locals
                    for i, w_x in zip(idxs, unpack_exact(w, n)):
                        locs[i] = w_x
                return unpack_locals

            def unpack(f, w):
                items = unpack_exact(w, n)
                for s, w_x in zip(stores, items):
                    s(f, w_x)
            return unpack
        i = star[0]
        before = [self.store(e) for e in elts[:i]]
        star_store = self.store(elts[i].value)
        after = [self.store(e) for e in elts[i + 1:]]
        nb, na = len(before), len(after)

        def unpack_star(f, w):
            _check_unpackable(w)
            items = space.listview(w)
            if len(items) < nb + na:
                raise oefmt("ValueError", "not enough values to unpack (expected at least %d, "
                            "got %d)", nb + na, len(items))
            for s, w_x in zip(before, items[:nb]):
                s(f, w_x)
            star_store(f, space.newlist(items[nb:len(items) - na]))
            for s, w_x in zip(after, items[len(items) - na:]):
                s(f, w_x)
        return unpack_star

    def delete(self, t):
        c = t.__class__
        if c is ast.Name:
            return self.delete_name(t.id)
        if c is ast.Attribute:
            obj = self.expr(t.value)
            name = self.mangle(t.attr)
            return lambda f: space.delattr(obj(f), name)
        if c is ast.Subscript:
            obj = self.expr(t.value)
            key = self.expr(t.slice)

            def del_item(f):
                w_o = obj(f)
                space.delitem(w_o, key(f))
            return del_item
        if c is ast.Tuple or c is ast.List:
            dels = [self.delete(e) for e in t.elts]

            def del_all(f):
                for d in dels:
                    d(f)
            return del_all
        raise SyntaxError("cannot delete %s" % c.__name__)

    # ==== expressions ==========================================================================
    def expr(self, node):
        m = getattr(self, "ex_" + node.__class__.__name__, None)
        if m is None:
            raise SyntaxError("beale: unsupported expression %s" % node.__class__.__name__)
        return m(node)

    def cond(self, node):
        """Closure returning a host bool (truth of the expression)."""
        c = node.__class__
        if c is ast.Compare and len(node.ops) == 1 and \
                node.ops[0].__class__ not in (ast.Is, ast.IsNot, ast.In, ast.NotIn):
            left = self.expr(node.left)
            right = self.expr(node.comparators[0])
            cmp = _cmp_bool(node.ops[0])

            def cond_cmp(f):
                return cmp(left(f), right(f))
            return cond_cmp
        if c is ast.Compare and len(node.ops) == 1:
            left = self.expr(node.left)
            right = self.expr(node.comparators[0])
            oc = node.ops[0].__class__
            if oc is ast.Is:
                return lambda f: space.is_w(left(f), right(f))
            if oc is ast.IsNot:
                return lambda f: not space.is_w(left(f), right(f))
            if oc is ast.In:
                def cond_in(f):
                    w_a = left(f)
                    return space.contains(right(f), w_a)
                return cond_in

            def cond_notin(f):
                w_a = left(f)
                return not space.contains(right(f), w_a)
            return cond_notin
        if c is ast.UnaryOp and node.op.__class__ is ast.Not:
            inner = self.cond(node.operand)
            return lambda f: not inner(f)
        if c is ast.BoolOp:
            parts = [self.cond(v) for v in node.values]
            if len(parts) == 2:
                p0, p1 = parts
                if node.op.__class__ is ast.And:
                    return lambda f: p0(f) and p1(f)
                return lambda f: p0(f) or p1(f)
            if node.op.__class__ is ast.And:
                def all_(f):
                    for p in parts:
                        if not p(f):
                            return False
                    return True
                return all_

            def any_(f):
                for p in parts:
                    if p(f):
                        return True
                return False
            return any_
        ev = self.expr(node)
        is_true = space.is_true
        return lambda f: is_true(ev(f))

    def ex_Constant(self, node):
        w = space.wrap_host(node.value)
        return lambda f: w

    def ex_Name(self, node):
        return self.load_name(node.id)

    def ex_NamedExpr(self, node):
        ev = self.expr(node.value)
        # the target binds in the nearest non-comprehension scope: resolved by symtable
        store = self.store_name(node.target.id)

        def walrus(f):
            w = ev(f)
            store(f, w)
            return w
        return walrus

    def ex_BinOp(self, node):
        op = _binop_fn(node.op)
        left = self.expr(node.left)
        right = self.expr(node.right)
        pos = pos_of(node)
        oc = node.op.__class__
        if oc is ast.Add:
            newint = space.newint

            def add(f):
                a = left(f)
                b = right(f)
                if a.__class__ is W_Int and b.__class__ is W_Int:
                    return newint(a.v + b.v)
                try:
                    return op(a, b)
                except OperationError:
                    f.pos = pos
                    raise
            return add
        if oc is ast.Sub:
            newint = space.newint

            def sub(f):
                a = left(f)
                b = right(f)
                if a.__class__ is W_Int and b.__class__ is W_Int:
                    return newint(a.v - b.v)
                try:
                    return op(a, b)
                except OperationError:
                    f.pos = pos
                    raise
            return sub

        def binop(f):
            a = left(f)
            b = right(f)
            try:
                return op(a, b)
            except OperationError:
                f.pos = pos
                raise
        return binop

    def ex_UnaryOp(self, node):
        operand = self.expr(node.operand)
        c = node.op.__class__
        if c is ast.Not:
            is_true = space.is_true
            return lambda f: w_False if is_true(operand(f)) else w_True
        fn = {ast.USub: space.neg, ast.UAdd: space.pos, ast.Invert: space.invert}[c]
        if c is ast.USub and isinstance(node.operand, ast.Constant) and \
                type(node.operand.value) in (int, float, complex):
            w = space.wrap_host(-node.operand.value)
            return lambda f: w
        return lambda f: fn(operand(f))

    def ex_BoolOp(self, node):
        values = [self.expr(v) for v in node.values]
        is_true = space.is_true
        if node.op.__class__ is ast.And:
            def and_(f):
                for v in values:
                    w = v(f)
                    if not is_true(w):
                        return w
                return w
            return and_

        def or_(f):
            for v in values:
                w = v(f)
                if is_true(w):
                    return w
            return w
        return or_

    def ex_Compare(self, node):
        left = self.expr(node.left)
        comps = [self.expr(c) for c in node.comparators]
        ops = [_cmp_fn(o) for o in node.ops]
        pos = pos_of(node)
        if len(ops) == 1:
            op = ops[0]
            right = comps[0]

            def compare1(f):
                a = left(f)
                b = right(f)
                try:
                    return op(a, b)
                except OperationError:
                    f.pos = pos
                    raise
            return compare1
        pairs = list(zip(ops, comps))
        is_true = space.is_true

        def compare_chain(f):
            a = left(f)
            for op, c in pairs:
                b = c(f)
                w = op(a, b)
                if not is_true(w):
                    return w
                a = b
            return w
        return compare_chain

    def ex_IfExp(self, node):
        test = self.cond(node.test)
        body = self.expr(node.body)
        orelse = self.expr(node.orelse)
        return lambda f: body(f) if test(f) else orelse(f)

    def ex_Attribute(self, node):
        from runtime.interp import attrcache
        obj = self.expr(node.value)
        name = self.mangle(node.attr)
        getattr_ = attrcache.make_load(name)
        pos = pos_of(node)

        def attr(f):
            w = obj(f)
            try:
                return getattr_(w)
            except OperationError:
                f.pos = pos
                raise
        return attr

    def ex_Subscript(self, node):
        obj = self.expr(node.value)
        sl = node.slice
        if sl.__class__ is ast.Slice and sl.step is None:
            return self._subscript_slice(node, obj, sl)
        key = self.expr(node.slice)
        getitem = space.getitem
        pos = pos_of(node)

        def subscript(f):
            w = obj(f)
            k = key(f)
            c = w.__class__
            if k.__class__ is W_Int and (c is _W_List or c is _W_Tuple):
                # BINARY_SUBSCR_LIST_INT / _TUPLE_INT: read the item array; an index out
                # of range takes the generic path, which raises the IndexError
                i = k.v
                base = (w.addr >> 3) - 1
                n = _MEM[base + _OB_SIZE_W]
                if i < 0:
                    i += n
                if 0 <= i < n:
                    if c is _W_List:
                        return _o.wrap(_MEM[(_MEM[base + _LIST_ITEM_W] >> 3) - 1 + i])
                    return _o.wrap(_MEM[base + _TUPLE_ITEM_W + i])
            try:
                return getitem(w, k)
            except OperationError:
                f.pos = pos
                raise
        return subscript

    def _subscript_slice(self, node, obj, sl):
        """`x[a:b]`: an exact list with int (or omitted) bounds is copied straight from its
        item array (list_subscript -> list_slice, with PySlice_AdjustIndices' clamping),
        without building the slice object; anything else gets the slice and getitem."""
        lo = self.expr(sl.lower) if sl.lower is not None else None
        hi = self.expr(sl.upper) if sl.upper is not None else None
        getitem = space.getitem
        newslice = space.newslice
        pos = pos_of(node)
        from runtime.listobject import new_list_from_addrs

        def subscript_slice(f):
            w = obj(f)
            w_lo = lo(f) if lo is not None else w_None
            w_hi = hi(f) if hi is not None else w_None
            if w.__class__ is _W_List and (w_lo is w_None or w_lo.__class__ is W_Int) and \
                    (w_hi is w_None or w_hi.__class__ is W_Int):
                base = (w.addr >> 3) - 1
                n = _MEM[base + _OB_SIZE_W]
                a = 0 if w_lo is w_None else w_lo.v
                b = n if w_hi is w_None else w_hi.v
                if a < 0:
                    a = max(a + n, 0)
                elif a > n:
                    a = n
                if b < 0:
                    b = max(b + n, 0)
                elif b > n:
                    b = n
                if b <= a:
                    return new_list_from_addrs([])
                items = (_MEM[base + _LIST_ITEM_W] >> 3) - 1
                return new_list_from_addrs(list(_MEM[items + a:items + b]))
            try:
                return getitem(w, newslice(w_lo, w_hi, w_None))
            except OperationError:
                f.pos = pos
                raise
        return subscript_slice

    def ex_Slice(self, node):
        lo = self.expr(node.lower) if node.lower is not None else None
        hi = self.expr(node.upper) if node.upper is not None else None
        st = self.expr(node.step) if node.step is not None else None

        def slice_(f):
            return space.newslice(lo(f) if lo else w_None, hi(f) if hi else w_None,
                                  st(f) if st else w_None)
        return slice_

    def _elts(self, elts):
        """Closure building a host list of handles from elements with possible *starred."""
        if not any(isinstance(e, ast.Starred) for e in elts):
            evs = [self.expr(e) for e in elts]
            if not evs:
                return lambda f: []
            return lambda f: [e(f) for e in evs]
        parts = []
        for e in elts:
            if isinstance(e, ast.Starred):
                parts.append((True, self.expr(e.value)))
            else:
                parts.append((False, self.expr(e)))

        def build(f):
            out = []
            for star, ev in parts:
                if star:
                    w = ev(f)
                    try:
                        out.extend(iterate_fast(w))
                    except OperationError as e:
                        if space.exception_match(e, "TypeError") and \
                                space.lookup(w, "__iter__") is None:
                            raise oefmt("TypeError", "Value after * must be an iterable, "
                                        "not %s", space.typename(w))
                        raise
                else:
                    out.append(ev(f))
            return out
        return build

    def ex_Tuple(self, node):
        if all(isinstance(e, ast.Constant) for e in node.elts):
            w = space.wrap_host(tuple(e.value for e in node.elts))
            return lambda f: w
        items = self._elts(node.elts)
        newtuple = space.newtuple
        return lambda f: newtuple(items(f))

    def ex_List(self, node):
        """A list display, allocated as CPython 3.11's code for it would (compile.c
        starunpack_helper): three or more constants -> BUILD_LIST 0 + LIST_EXTEND of the
        constant tuple (list_extend presizes exactly, rounded up to even); more than 30
        items (STACK_USE_GUIDELINE) -> BUILD_LIST 0 + LIST_APPEND each; a starred item ->
        BUILD_LIST of the items before it, then LIST_EXTEND / LIST_APPEND; otherwise
        BUILD_LIST n (PyList_New(n): allocated == n)."""
        from runtime import listobject
        elts = node.elts
        n = len(elts)
        consts = [_folded_constant(e) for e in elts] if n > 2 else None
        if consts and all(c is not _NOT_CONST for c in consts):
            w_t = space.wrap_host(tuple(consts))
            newlist, extend = space.newlist, listobject.list_extend

            def const_list(f):
                w = newlist()
                extend(w, w_t)
                return w
            return const_list
        starred = [isinstance(e, ast.Starred) for e in elts]
        if not any(starred):
            items = self._elts(elts)
            if n > 30:
                appended = listobject.new_list_appended
                return lambda f: appended(items(f))
            newlist = space.newlist
            return lambda f: newlist(items(f))
        k = 0 if n > 30 else starred.index(True)
        head = self._elts(elts[:k])
        rest = [(star, self.expr(e.value if star else e)) for star, e in zip(starred[k:], elts[k:])]
        newlist, extend = space.newlist, listobject.list_extend
        append = listobject.list_append_addr

        def build(f):
            w = newlist(head(f))
            for star, ev in rest:
                w_x = ev(f)
                if star:
                    try:
                        extend(w, w_x)
                    except OperationError as e:
                        if space.exception_match(e, "TypeError") and \
                                space.lookup(w_x, "__iter__") is None and \
                                space.lookup(w_x, "__getitem__") is None:
                            raise oefmt("TypeError", "Value after * must be an iterable, "
                                        "not %s", space.typename(w_x))
                        raise
                else:
                    append(w, w_x.addr)
            return w
        return build

    def ex_Set(self, node):
        items = self._elts(node.elts)
        return lambda f: space.newset(items(f))

    def ex_Dict(self, node):
        parts = []
        for k, v in zip(node.keys, node.values):
            parts.append((self.expr(k) if k is not None else None, self.expr(v)))

        def dict_(f):
            w_d = space.newdict()
            for k, v in parts:
                if k is None:
                    w_m = v(f)
                    dict_update(w_d, w_m)
                else:
                    w_k = k(f)
                    space.setitem(w_d, w_k, v(f))
            return w_d
        return dict_

    def ex_JoinedStr(self, node):
        parts = [self.expr(v) for v in node.values]

        def fstring(f):
            return space.newstr("".join([p(f).v for p in parts]))
        return fstring

    def ex_FormattedValue(self, node):
        value = self.expr(node.value)
        conv = node.conversion
        spec = self.expr(node.format_spec) if node.format_spec is not None else None
        w_empty = space.newstr("")

        def formatted(f):
            w = value(f)
            if conv == 115:
                w = space.str(w)
            elif conv == 114:
                w = space.repr(w)
            elif conv == 97:
                w = space.ascii(w)
            return space.format(w, spec(f) if spec is not None else w_empty)
        return formatted

    def ex_Starred(self, node):
        raise SyntaxError("can't use starred expression here")

    def ex_Lambda(self, node):
        return self.function(node, "<lambda>", node.args, node.body, is_lambda=True)

    def ex_Call(self, node):
        func = node.func
        pos = pos_of(node)
        simple_args = not any(isinstance(a, ast.Starred) for a in node.args) and \
            not node.keywords
        if simple_args and isinstance(func, ast.Attribute):
            return self._call_method(node, pos)
        fn = self.expr(func)
        if simple_args:
            args = [self.expr(a) for a in node.args]
            call = space.call
            # a guest function is called straight through its code (call_function
            # inlined); anything else through space.call
            from runtime.functionobject import W_Function
            if len(args) == 0:
                def call0(f):
                    w_f = fn(f)
                    try:
                        if w_f.__class__ is W_Function:
                            d = w_f.get_data()
                            return d.code.call(w_f, d, [], None)
                        return call(w_f, [], None)
                    except OperationError:
                        f.pos = pos
                        raise
                return call0
            if len(args) == 1:
                a0 = args[0]

                def call1(f):
                    w_f = fn(f)
                    w_a = a0(f)
                    try:
                        if w_f.__class__ is W_Function:
                            d = w_f.get_data()
                            return d.code.call(w_f, d, [w_a], None)
                        return call(w_f, [w_a], None)
                    except OperationError:
                        f.pos = pos
                        raise
                return call1
            if len(args) == 2:
                a0, a1 = args

                def call2(f):
                    w_f = fn(f)
                    args_w = [a0(f), a1(f)]
                    try:
                        if w_f.__class__ is W_Function:
                            d = w_f.get_data()
                            return d.code.call(w_f, d, args_w, None)
                        return call(w_f, args_w, None)
                    except OperationError:
                        f.pos = pos
                        raise
                return call2

            def calln(f):
                w_f = fn(f)
                args_w = [a(f) for a in args]
                try:
                    if w_f.__class__ is W_Function:
                        d = w_f.get_data()
                        return d.code.call(w_f, d, args_w, None)
                    return call(w_f, args_w, None)
                except OperationError:
                    f.pos = pos
                    raise
            return calln
        args = self._elts(node.args)
        kws = []
        for k in node.keywords:
            kws.append((k.arg, self.expr(k.value)))

        def call_kw(f):
            w_f = fn(f)
            args_w = args(f)
            kwargs = {}
            for name, ev in kws:
                w = ev(f)
                if name is None:
                    merge_kwargs(kwargs, w, w_f)
                else:
                    if name in kwargs:
                        raise oefmt("TypeError", "%s got multiple values for keyword "
                                    "argument '%s'", _fname(w_f), name)
                    kwargs[name] = w
            try:
                return space.call(w_f, args_w, kwargs)
            except OperationError:
                f.pos = pos
                raise
        return call_kw

    def _call_method(self, node, pos):
        """`o.m(args)`: call the function found on the class with o prepended, without
        building a bound method (LOAD_METHOD/CALL); built-in methods are called directly."""
        from runtime.interp import attrcache
        obj = self.expr(node.func.value)
        name = self.mangle(node.func.attr)
        args = [self.expr(a) for a in node.args]
        from runtime.typeobject import HostFunction
        from runtime import functionobject
        call_fn = functionobject.call_function
        lookup_method = attrcache.make_method_lookup(name)
        load = attrcache.make_load(name)
        call = space.call

        nargs = len(args)
        if nargs:
            a0 = args[0]
        if nargs == 2:
            a1 = args[1]
        host_methods = {}
        from runtime.typeobject import _epoch as epoch

        def call_method(f):
            w_o = obj(f)
            try:
                m = lookup_method(w_o)
                if m is not None:
                    # call_function inlined, the argument list built by arity
                    if nargs == 0:
                        args_w = [w_o]
                    elif nargs == 1:
                        args_w = [w_o, a0(f)]
                    elif nargs == 2:
                        args_w = [w_o, a0(f), a1(f)]
                    else:
                        args_w = [w_o] + [a(f) for a in args]
                    d = m.get_data()
                    return d.code.call(m, d, args_w, None)
                cls = w_o.__class__
                # a built-in method called directly: per class, the host function found
                # (or None) for the current class-attribute epoch
                e = host_methods.get(cls)
                if e is not None and e[0] == epoch[0]:
                    m = e[1]
                else:
                    m = None
                    if not getattr(cls, "dictoffset", 0) and \
                            not getattr(cls, "is_type_handle", False):
                        m = cls.typedef.lookup(name)
                        if m is None or m.__class__ is not HostFunction or \
                                cls.typedef.lookup("__getattribute__") is not \
                                _object_getattribute():
                            m = None
                    if len(host_methods) >= 8:
                        host_methods.clear()
                    host_methods[cls] = (epoch[0], m)
                if m is not None:
                    if nargs == 0:
                        args_w = ()
                    elif nargs == 1:
                        args_w = (a0(f),)
                    else:
                        args_w = [a(f) for a in args]
                    try:
                        return m(w_o, *args_w)
                    except TypeError as e:
                        operr = host_call_type_error(e, "%s.%s" % (cls.typedef.name, name))
                        if operr is None:
                            raise
                        raise operr from None
                w_m = load(w_o)
                return call(w_m, [a(f) for a in args], None)
            except OperationError:
                f.pos = pos
                raise
        return call_method

    # ==== comprehensions ======================================================================
    def _comprehension(self, node, kind):
        from runtime.interp import comprehension
        return comprehension.compile_comprehension(self, node, kind)

    def ex_ListComp(self, node):
        return self._comprehension(node, "list")

    def ex_SetComp(self, node):
        return self._comprehension(node, "set")

    def ex_DictComp(self, node):
        return self._comprehension(node, "dict")

    def ex_GeneratorExp(self, node):
        return self._comprehension(node, "gen")

    def ex_Yield(self, node):
        raise SyntaxError("beale: yield outside a generator statement (internal)")

    ex_YieldFrom = ex_Yield

    def ex_Await(self, node):
        raise self.syntax_error(node, "'await' outside async function")

    def ex_PrecomputedValue(self, node):
        """A value computed before its expression runs (comprehension.py: an `await`
        nested inside a comprehension's element)."""
        getter = node.getter
        return lambda f: getter()


_og = []


def _object_getattribute():
    if not _og:
        from runtime import typeobject
        _og.append(typeobject._object_getattribute)
    return _og[0]


def _fname(w_f):
    w = space.findattr(w_f, "__qualname__")
    return (space.str_w(w) if w is not None else "function") + "()"


def merge_kwargs(kwargs, w_mapping, w_f):
    if w_mapping.__class__.typedef.lookup("keys") is None:
        raise oefmt("TypeError", "%s argument after ** must be a mapping, not %s",
                    _fname(w_f), space.typename(w_mapping))
    for w_k in space.iterate(space.call_method(w_mapping, "keys")):
        if not isinstance(w_k, W_Str):
            raise oefmt("TypeError", "keywords must be strings")
        k = w_k.v
        if k in kwargs:
            raise oefmt("TypeError", "%s got multiple values for keyword argument '%s'",
                        _fname(w_f), k)
        kwargs[k] = space.getitem(w_mapping, w_k)


def dict_update(w_d, w_m):
    if w_m.__class__.typedef.lookup("keys") is None:
        raise oefmt("TypeError", "'%s' object is not a mapping", space.typename(w_m))
    for w_k in space.iterate(space.call_method(w_m, "keys")):
        space.setitem(w_d, w_k, space.getitem(w_m, w_k))


_NOT_CONST = object()


def _folded_constant(node):
    """The value CPython's AST optimizer folds `node` to (ast_opt.c: constants, unary
    -/+/~ of a number, tuples of constants), or _NOT_CONST.  Used where the compiler
    decides by "all items constant" (list displays)."""
    c = node.__class__
    if c is ast.Constant:
        return node.value
    if c is ast.UnaryOp and node.operand.__class__ is ast.Constant:
        v = node.operand.value
        op = node.op.__class__
        if type(v) in (int, float, complex) and op in (ast.USub, ast.UAdd):
            return -v if op is ast.USub else +v
        if type(v) is int and op is ast.Invert:
            return ~v
        return _NOT_CONST
    if c is ast.Tuple:
        vals = tuple(_folded_constant(e) for e in node.elts)
        return _NOT_CONST if any(v is _NOT_CONST for v in vals) else vals
    return _NOT_CONST
from runtime import tupleobject as _tupleobject, listobject as _listobject   # noqa: E402
_W_Tuple = _tupleobject.W_Tuple
_W_List = _listobject.W_List
_MEM = _tupleobject.MEM
_OB_SIZE_W = _tupleobject.OB_SIZE_W
_TUPLE_ITEM_W = _tupleobject._ITEM_W
_LIST_ITEM_W = _listobject._L_ITEM


def iterate_fast(w):
    """Host iterator over a guest iterable (space.iterate, with container fast paths)."""
    return space.iterate(w)


def _check_unpackable(w):
    """ceval.c unpack_iterable: an object with neither __iter__ nor __getitem__ is
    "cannot unpack non-iterable X object" (not iter()'s message)."""
    td = w.__class__.typedef
    if td.lookup("__iter__") is None and td.lookup("__getitem__") is None:
        raise oefmt("TypeError", "cannot unpack non-iterable %s object", td.name)


def unpack_exact(w, n):
    """UNPACK_SEQUENCE: n handles from w, CPython's ValueErrors otherwise.  An exact tuple
    or list is read straight from its item array (ceval.c's UNPACK_SEQUENCE_TUPLE/LIST)."""
    cls = w.__class__
    if cls is _W_Tuple or cls is _W_List:
        mem = _MEM
        base = (w.addr >> 3) - 1
        size = mem[base + _OB_SIZE_W]
        if size == n:
            items = base + _TUPLE_ITEM_W if cls is _W_Tuple else (mem[base + _LIST_ITEM_W] >> 3) - 1
            return list(map(_o.wrap, mem[items:items + n]))
        if size > n:
            raise oefmt("ValueError", "too many values to unpack (expected %d)", n)
        raise oefmt("ValueError", "not enough values to unpack (expected %d, got %d)", n, size)
    _check_unpackable(w)
    items = []
    for w_x in iterate_fast(w):
        if len(items) == n:
            raise oefmt("ValueError", "too many values to unpack (expected %d)", n)
        items.append(w_x)
    if len(items) < n:
        raise oefmt("ValueError", "not enough values to unpack (expected %d, got %d)",
                    n, len(items))
    return items


def import_all(f, w_mod):
    w_ns = f.w_ns if f.w_ns is not None else f.w_globals
    w_all = space.findattr(w_mod, "__all__")
    if w_all is not None:
        names = [space.str_w(x) for x in space.iterate(w_all)]
    else:
        w_d = space.getattr(w_mod, "__dict__")
        names = [space.str_w(x) for x in space.iterate(w_d) if not space.str_w(x).startswith("_")]
    for n in names:
        space.setitem(w_ns, space.newstr(n), space.getattr(w_mod, n))


def _import_submodule(w_mod, n, f):
    w_name = space.findattr(w_mod, "__name__")
    modname = space.str_w(w_name) if w_name is not None else "?"
    from runtime import importer
    try:
        # IMPORT_FROM's fallback: sys.modules["pkg.n"] (a submodule still initialising, in
        # a circular import), not the top-level package import_module returns
        return importer.find_and_load(modname + "." + n)
    except OperationError as e:
        if not space.exception_match(e, "ImportError"):
            raise
    raise OperationError("ImportError", "cannot import name '%s' from '%s'" % (n, modname))


# --- raising --------------------------------------------------------------------------------------

def _nop(f):
    return None


def make_raise(w):
    """The OperationError for `raise w` (w a class or an instance)."""
    from runtime import exceptions, typeobject
    if typeobject.is_type(w):
        if not exceptions.is_exception_type(w.addr):
            raise oefmt("TypeError", "exceptions must derive from BaseException")
        w_cls = w
        w = space.call(w, [])
        if not exceptions.is_exception(w):
            raise oefmt("TypeError", "calling %s should have returned an instance of "
                        "BaseException, not %s", space.repr_s(w_cls),
                        space.repr_s(space.type(w)))
    elif not exceptions.is_exception(w):
        raise oefmt("TypeError", "exceptions must derive from BaseException")
    e = OperationError(exceptions.type_name(w), None, w)
    try:
        old = exceptions.get_traceback_entries(w)
    except Exception:
        old = None
    if old:
        e.traceback = list(old)
    return e


def set_cause(e, w_cause):
    from runtime import exceptions, typeobject
    w_exc = space.exc_value(e)
    if w_cause.addr == _o.ADDR_None:
        exceptions.set_cause(w_exc, None)
        return
    if typeobject.is_type(w_cause):
        w_cause = space.call(w_cause, [])
    if not exceptions.is_exception(w_cause):
        raise oefmt("TypeError", "exception causes must derive from BaseException")
    exceptions.set_cause(w_exc, w_cause)


def _simple_annotation_text(node):
    """ast.unparse(node) for the common annotation shapes (names, dotted names, None,
    plain strings, X[...] and X | Y of those) without building an _Unparser: typed
    libraries annotate everything, and unparsing was a tenth of Flask's import time.
    None for any other shape (the caller unparses)."""
    c = node.__class__
    if c is ast.Name:
        return node.id
    if c is ast.Attribute:
        if node.value.__class__ not in (ast.Name, ast.Attribute):
            return None
        base = _simple_annotation_text(node.value)
        return None if base is None else base + "." + node.attr
    if c is ast.Constant:
        v = node.value
        if v is None:
            return "None"
        if v is Ellipsis:
            return "..."
        if v.__class__ is str and v.isascii() and v.isprintable() and "'" not in v \
                and '"' not in v and "\\" not in v:
            return "'" + v + "'"
        return None
    if c is ast.Subscript:
        if node.value.__class__ not in (ast.Name, ast.Attribute):
            return None
        base = _simple_annotation_text(node.value)
        sl = node.slice
        items = sl.elts if sl.__class__ is ast.Tuple and sl.elts else [sl]
        if base is None or any(x.__class__ is ast.Tuple for x in items):
            return None
        parts = [_simple_annotation_text(x) for x in items]
        return None if None in parts else base + "[" + ", ".join(parts) + "]"
    if c is ast.BinOp and node.op.__class__ is ast.BitOr and node.right.__class__ is not ast.BinOp:
        left = _simple_annotation_text(node.left)
        right = _simple_annotation_text(node.right)
        return None if left is None or right is None else left + " | " + right
    if c is ast.List:
        parts = [_simple_annotation_text(x) for x in node.elts]
        return None if None in parts else "[" + ", ".join(parts) + "]"
    return None


def has_future_annotations(tree):
    """`from __future__ import annotations` among the future imports opening a module
    (after its docstring)."""
    body = getattr(tree, "body", None)
    if not isinstance(body, list):
        return False
    for i, st in enumerate(body):
        if i == 0 and isinstance(st, ast.Expr) and isinstance(st.value, ast.Constant) and \
                isinstance(st.value.value, str):
            continue
        if not (isinstance(st, ast.ImportFrom) and st.module == "__future__"):
            return False
        if any(a.name == "annotations" for a in st.names):
            return True
    return False


def compile_tree(tree, filename):
    from runtime.interp import hoist
    symtable.check_syntax(tree, filename)
    hoist.hoist_tree(tree)
    scopes = symtable.analyse(tree)
    c = Compiler(filename, scopes)
    c.future_annotations = has_future_annotations(tree)
    return c.compile_module(tree)
