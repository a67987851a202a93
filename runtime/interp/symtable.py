"""Scope analysis at compile time (CPython's Python/symtable.c, much simplified).

`analyse(module_ast)` returns a dict {id(node): Scope} for the module and every function,
lambda, class and comprehension node. Each name used in a scope resolves to one of:

    LOCAL      a slot in the frame's `locals` list          (function scopes)
    CELL       a local captured by an inner scope: a guest cell in the frame's `cells`
    FREE       a variable of an enclosing function: a cell received in the closure
    GLOBAL     globals dict, then builtins (declared `global`, or not bound anywhere)
    NAME       module and class bodies: the namespace dict (class bodies fall back to
               globals/builtins, or to a cell when an enclosing function binds the name)
"""

import ast

LOCAL, CELL, FREE, GLOBAL, NAME = "local", "cell", "free", "global", "name"


class Scope:
    def __init__(self, node, kind, name, parent):
        self.node = node
        self.kind = kind            # "module", "class", "function", "lambda", "comprehension"
        self.name = name
        self.parent = parent
        self.children = []
        self.assigned = {}          # name -> True (insertion order = first binding)
        self.used = set()
        self.globals = set()
        self.nonlocals = set()
        self.params = []            # function parameters in order
        self.is_generator = False
        self.is_coroutine = False
        self.uses_class_cell = False   # a method mentions super or __class__
        self.needs_class_cell = False  # class scope: create the __class__ cell
        # results
        self.varnames = []          # LOCAL and CELL names get slots (params first)
        self.cellvars = []
        self.freevars = []
        self.kinds = {}             # name -> LOCAL/CELL/FREE/GLOBAL/NAME
        self.slot = {}              # LOCAL name -> index into locals
        self.cell_index = {}        # CELL/FREE name -> index into cells

    def is_function(self):
        return self.kind in ("function", "lambda", "comprehension")

    def resolve(self, name):
        return self.kinds.get(name) or (GLOBAL if self.is_function() else NAME)

    def __repr__(self):
        return "<Scope %s %s>" % (self.kind, self.name)


def _mangle(classname, name):
    if classname is None or not name.startswith("__") or name.endswith("__") or "." in name:
        return name
    return "_" + classname.lstrip("_") + name


class _Builder(ast.NodeVisitor):
    """Pass 1: collect bindings and uses per scope."""

    def __init__(self):
        self.scopes = {}
        self.scope = None
        self.classname = None

    def new_scope(self, node, kind, name):
        s = Scope(node, kind, name, self.scope)
        if self.scope is not None:
            self.scope.children.append(s)
        self.scopes[id(node)] = s
        return s

    def bind(self, name):
        name = _mangle(self.classname, name)
        self.scope.assigned.setdefault(name, True)

    def use(self, name):
        name = _mangle(self.classname, name)
        self.scope.used.add(name)

    # --- scopes -----------------------------------------------------------------------
    def visit_Module(self, node):
        self.scope = self.new_scope(node, "module", "<module>")
        for st in node.body:
            self.visit(st)

    visit_Interactive = visit_Module

    def visit_Expression(self, node):
        self.scope = self.new_scope(node, "module", "<module>")
        self.visit(node.body)

    def _visit_args_defaults(self, args):
        for d in args.defaults:
            self.visit(d)
        for d in args.kw_defaults:
            if d is not None:
                self.visit(d)

    def _visit_annotations(self, args, returns):
        for a in args.posonlyargs + args.args + args.kwonlyargs:
            if a.annotation is not None:
                self.visit(a.annotation)
        for a in (args.vararg, args.kwarg):
            if a is not None and a.annotation is not None:
                self.visit(a.annotation)
        if returns is not None:
            self.visit(returns)

    def _function(self, node, kind, name, body, is_async=False):
        self._visit_args_defaults(node.args)
        outer = self.scope
        s = self.new_scope(node, kind, name)
        s.is_coroutine = is_async
        self.scope = s
        a = node.args
        for arg in a.posonlyargs + a.args:
            s.params.append(_mangle(self.classname, arg.arg))
        if a.vararg:
            s.params.append(_mangle(self.classname, a.vararg.arg))
        for arg in a.kwonlyargs:
            s.params.append(_mangle(self.classname, arg.arg))
        if a.kwarg:
            s.params.append(_mangle(self.classname, a.kwarg.arg))
        for p in s.params:
            s.assigned.setdefault(p, True)
        if kind == "lambda" and not isinstance(body, list):
            self.visit(body)
        else:
            for st in body:
                self.visit(st)
        self.scope = outer

    def visit_FunctionDef(self, node):
        for d in node.decorator_list:
            self.visit(d)
        self._visit_annotations(node.args, node.returns)
        self._function(node, "function", node.name, node.body)
        self.bind(node.name)

    def visit_AsyncFunctionDef(self, node):
        for d in node.decorator_list:
            self.visit(d)
        self._visit_annotations(node.args, node.returns)
        self._function(node, "function", node.name, node.body, is_async=True)
        self.bind(node.name)

    def visit_Lambda(self, node):
        # a generator lambda has hoisted statements (hoist.hoist_tree) instead of its body
        body = getattr(node, "beale_body", None)
        self._function(node, "lambda", "<lambda>", node.body if body is None else body)

    def visit_ClassDef(self, node):
        for d in node.decorator_list:
            self.visit(d)
        for b in node.bases:
            self.visit(b)
        for k in node.keywords:
            self.visit(k.value)
        outer = self.scope
        s = self.new_scope(node, "class", node.name)
        self.scope = s
        saved = self.classname
        self.classname = node.name
        for st in node.body:
            self.visit(st)
        self.classname = saved
        self.scope = outer
        self.bind(node.name)

    def _comprehension(self, node, name, elts):
        gens = node.generators
        self.visit(gens[0].iter)          # evaluated in the enclosing scope
        outer = self.scope
        s = self.new_scope(node, "comprehension", name)
        s.params.append(".0")
        s.assigned[".0"] = True
        self.scope = s
        for i, g in enumerate(gens):
            self.visit_target(g.target)
            if i > 0:
                self.visit(g.iter)
            for c in g.ifs:
                self.visit(c)
            if g.is_async:
                s.is_coroutine = True
        for e in elts:
            self.visit(e)
        if name == "<genexpr>":
            s.is_generator = True
        self.scope = outer

    def visit_ListComp(self, node):
        self._comprehension(node, "<listcomp>", [node.elt])

    def visit_SetComp(self, node):
        self._comprehension(node, "<setcomp>", [node.elt])

    def visit_GeneratorExp(self, node):
        self._comprehension(node, "<genexpr>", [node.elt])

    def visit_DictComp(self, node):
        self._comprehension(node, "<dictcomp>", [node.key, node.value])

    # --- bindings -----------------------------------------------------------------------
    def visit_target(self, t):
        self.visit(t)

    def visit_Name(self, node):
        if isinstance(node.ctx, ast.Load):
            self.use(node.id)
            if node.id == "super":
                self._mark_class_cell()
        else:
            self.bind(node.id)
            if node.id == "__class__":
                pass

    def _mark_class_cell(self):
        s = self.scope
        if s.is_function():
            s.uses_class_cell = True

    def visit_NamedExpr(self, node):
        self.visit(node.value)
        # the target binds in the nearest enclosing non-comprehension scope
        s = self.scope
        while s.kind == "comprehension":
            s = s.parent
        name = node.target.id
        s.assigned.setdefault(name, True)
        if s is not self.scope:
            t = self.scope
            while t is not s:
                t.nonlocals.add(name) if s.kind != "module" else t.globals.add(name)
                t.used.add(name)
                t = t.parent
            if s.kind == "module":
                s.globals.add(name) if False else None

    def visit_Global(self, node):
        # CPython's symtable also records the name in the module's own symbols
        # (st_global): module-level code then uses it as an explicit global
        # (STORE_GLOBAL/LOAD_GLOBAL, which matters when exec gives separate locals)
        root = self.scope
        while root.parent is not None:
            root = root.parent
        for n in node.names:
            self.scope.globals.add(n)
            root.globals.add(n)

    def visit_Nonlocal(self, node):
        for n in node.names:
            self.scope.nonlocals.add(_mangle(self.classname, n))

    def visit_Import(self, node):
        for a in node.names:
            if a.asname:
                self.bind(a.asname)
            else:
                self.bind(a.name.partition(".")[0])

    def visit_ImportFrom(self, node):
        for a in node.names:
            if a.name != "*":
                self.bind(a.asname or a.name)

    def visit_ExceptHandler(self, node):
        if node.type is not None:
            self.visit(node.type)
        if node.name:
            self.bind(node.name)
        for st in node.body:
            self.visit(st)

    def visit_Yield(self, node):
        self.scope.is_generator = True
        self.generic_visit(node)

    def visit_YieldFrom(self, node):
        self.scope.is_generator = True
        self.generic_visit(node)

    def visit_Await(self, node):
        self.generic_visit(node)

    def visit_MatchAs(self, node):
        if node.pattern is not None:
            self.visit(node.pattern)
        if node.name:
            self.bind(node.name)

    def visit_MatchStar(self, node):
        if node.name:
            self.bind(node.name)

    def visit_MatchMapping(self, node):
        for k in node.keys:
            self.visit(k)
        for p in node.patterns:
            self.visit(p)
        if node.rest:
            self.bind(node.rest)

    def visit_AnnAssign(self, node):
        if node.value is not None:
            self.visit(node.value)
        if node.value is not None or node.simple or not isinstance(node.target, ast.Name):
            self.visit(node.target)     # `(x): int` alone does not make x local
        if self.scope.kind != "function" or True:
            self.visit(node.annotation) if self.scope.kind in ("module", "class") else None


def analyse(tree):
    b = _Builder()
    b.visit(tree)
    root = b.scopes[id(tree)]
    _resolve(root)
    return b.scopes


def _resolve(scope):
    """Pass 2: decide each name's kind, top down."""
    if scope.kind == "class":
        for n in scope.assigned:
            scope.kinds[n] = NAME
        for n in scope.globals:
            scope.kinds[n] = GLOBAL
        for n in scope.nonlocals:
            # `nonlocal x` in a class body: x is the enclosing function's cell (DEREF)
            if not _bind_free(scope, n):
                raise SyntaxError("no binding for nonlocal '%s' found" % n)
            scope.kinds[n] = FREE
    elif scope.kind == "module":
        for n in scope.assigned:
            scope.kinds[n] = NAME
        for n in scope.globals:
            scope.kinds[n] = GLOBAL
    else:
        for n in scope.globals:
            scope.kinds[n] = GLOBAL
        for n in scope.assigned:
            if n not in scope.globals and n not in scope.nonlocals:
                scope.kinds[n] = LOCAL
        for n in scope.nonlocals:
            if not _bind_free(scope, n):
                raise SyntaxError("no binding for nonlocal '%s' found" % n)
        if scope.uses_class_cell:
            _bind_free(scope, "__class__")
    for child in scope.children:
        _resolve(child)
    # uses not bound here: free if an enclosing function binds them
    if scope.kind != "module":
        for n in scope.used:
            if n in scope.kinds:
                continue
            if not _bind_free(scope, n, implicit=True):
                if scope.is_function():
                    scope.kinds[n] = GLOBAL
    _assign_slots(scope)


def _enclosing_functions(scope):
    p = scope.parent
    while p is not None:
        yield p
        p = p.parent


def _bind_free(scope, name, implicit=False):
    """Find `name` in an enclosing function scope (or the __class__ cell of a class scope);
    mark it CELL there and FREE in every scope in between. False if not found."""
    chain = [scope]
    p = scope.parent
    while p is not None:
        if p.kind == "module":
            return False
        if p.kind == "class":
            if name == "__class__" and not implicit:
                p.needs_class_cell = True
                p.kinds.setdefault("__class__.cell", CELL)
                for s in chain:
                    if s.kinds.get(name) not in (LOCAL, CELL):
                        s.kinds[name] = FREE
                return True
            if name == "__class__" and implicit and p.needs_class_cell:
                for s in chain:
                    if s.kinds.get(name) not in (LOCAL, CELL):
                        s.kinds[name] = FREE
                return True
            chain.append(p)
            p = p.parent
            continue
        k = p.kinds.get(name)
        if k in (LOCAL, CELL) or (k is None and name in p.assigned and
                                  name not in p.globals and name not in p.nonlocals):
            p.kinds[name] = CELL
            for s in chain:
                if s.kind == "class":
                    s.class_free = getattr(s, "class_free", set())
                    s.class_free.add(name)
                    continue
                if s.kinds.get(name) not in (LOCAL, CELL):
                    s.kinds[name] = FREE
                elif s is scope and s.kinds.get(name) == LOCAL and implicit:
                    pass
            return True
        if k == FREE:
            for s in chain:
                if s.kind == "class":
                    s.class_free = getattr(s, "class_free", set())
                    s.class_free.add(name)
                    continue
                if s.kinds.get(name) not in (LOCAL, CELL):
                    s.kinds[name] = FREE
            return True
        if k == GLOBAL:
            return False
        chain.append(p)
        p = p.parent
    return False


def _assign_slots(scope):
    if scope.is_function():
        order = list(scope.params) + [n for n in scope.assigned if n not in scope.params]
        for n in order:
            k = scope.kinds.get(n)
            if k == LOCAL:
                scope.slot[n] = len(scope.varnames)
                scope.varnames.append(n)
            elif k == CELL:
                scope.cell_index[n] = len(scope.cellvars)
                scope.cellvars.append(n)
        for n, k in scope.kinds.items():
            if k == CELL and n not in scope.cell_index:
                scope.cell_index[n] = len(scope.cellvars)
                scope.cellvars.append(n)
    else:
        if scope.kind == "class" and scope.needs_class_cell:
            scope.cell_index["__class__"] = 0
            scope.cellvars.append("__class__")
    frees = [n for n, k in scope.kinds.items() if k == FREE]
    frees += sorted(getattr(scope, "class_free", ()))
    for n in frees:
        if n not in scope.cell_index:
            scope.cell_index[n] = len(scope.cellvars) + len(scope.freevars)
            scope.freevars.append(n)


# --- compile-time errors the host's parser does not raise -------------------------------------
#
# ast.parse accepts some programs that CPython's compiler rejects afterwards (Python/
# symtable.c and Python/compile.c): `return`/`yield` outside a function, `yield` inside a
# comprehension, `break`/`continue` outside a loop, `import *` in a function, `nonlocal` at
# module level, annotated global names, ... check_syntax raises the same SyntaxError.

_COMP_NAMES = {ast.ListComp: "list comprehension", ast.SetComp: "set comprehension",
               ast.DictComp: "dict comprehension", ast.GeneratorExp: "generator expression"}


class _SyntaxChecker(ast.NodeVisitor):
    def __init__(self, filename):
        self.filename = filename
        self.scopes = [("module", None)]     # (kind, node); kind: module/class/function/comp
        self.loops = [0]                     # loop nesting per scope (reset by def/class)
        self.in_finally_or_loop_else = 0
        self.comp_iter_depth = 0             # inside a comprehension's iterable expression
        self.comp_names = {}                 # id(comprehension) -> (itervars, walrus targets)

    def error(self, node, msg):
        e = SyntaxError(msg, (self.filename, getattr(node, "lineno", 1),
                              getattr(node, "col_offset", 0) + 1, None,
                              getattr(node, "end_lineno", None),
                              (getattr(node, "end_col_offset", -1) or 0) + 1))
        raise e

    def _scope(self, kind, node, body_visit):
        self.scopes.append((kind, node))
        self.loops.append(0)
        # (comp_iter_depth carries into the new scope: symtable_enter_block copies
        # ste_comp_iter_expr from the enclosing block, so a lambda or comprehension inside
        # a comprehension's iterable cannot use a walrus either)
        try:
            body_visit()
        finally:
            self.scopes.pop()
            self.loops.pop()

    # scopes
    def _function(self, node):
        for d in getattr(node, "decorator_list", []):
            self.visit(d)
        self.visit(node.args)
        if getattr(node, "returns", None) is not None:
            self.visit(node.returns)
        seen = set()
        a = node.args
        for arg in a.posonlyargs + a.args + ([a.vararg] if a.vararg else []) + \
                a.kwonlyargs + ([a.kwarg] if a.kwarg else []):
            if arg.arg in seen:
                self.error(arg, "duplicate argument '%s' in function definition" % arg.arg)
            seen.add(arg.arg)
        body = node.body if isinstance(node.body, list) else [node.body]
        if isinstance(node.body, list):
            self._check_declarations(node, seen)
        self._scope("function", node, lambda: [self.visit(s) for s in body])

    def _check_declarations(self, node, params):
        """symtable_visit_stmt's Global/Nonlocal checks: a declared name must not be a
        parameter, used, annotated or assigned before its declaration; not both global and
        nonlocal (reported at its first declaration, error_at_directive)."""
        uses = []           # (lineno, col, name, what) in the function's own scope
        decls = {}          # name -> (kind, node) of its first declaration

        def scan(n):
            for child in ast.iter_child_nodes(n):
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    parts = child.decorator_list + (child.bases if isinstance(
                        child, ast.ClassDef) else child.args.defaults +
                        [d for d in child.args.kw_defaults if d is not None])
                    for part in parts:
                        scan_expr(part)
                    uses.append((child.lineno, child.col_offset, child.name, "assign"))
                    continue
                if isinstance(child, (ast.Lambda,) + tuple(_COMP_NAMES)):
                    if not isinstance(child, ast.Lambda):
                        scan_expr(child.generators[0].iter)
                    continue
                if isinstance(child, (ast.Global, ast.Nonlocal)):
                    kind = "global" if isinstance(child, ast.Global) else "nonlocal"
                    for name in child.names:
                        what = None
                        if name in params:
                            what = "parameter"
                        else:
                            before = [u for u in uses if u[2] == name and
                                      (u[0], u[1]) < (child.lineno, child.col_offset)]
                            kinds = {u[3] for u in before}
                            if "use" in kinds:
                                what = "use"
                            elif "annot" in kinds:
                                what = "annot"
                            elif "assign" in kinds:
                                what = "assign"
                        if what == "parameter":
                            self.error(child, "name '%s' is parameter and %s" % (name, kind))
                        if what == "use":
                            self.error(child, "name '%s' is used prior to %s declaration"
                                       % (name, kind))
                        if what == "annot":
                            self.error(child, "annotated name '%s' can't be %s"
                                       % (name, kind))
                        if what == "assign":
                            self.error(child, "name '%s' is assigned to before %s "
                                       "declaration" % (name, kind))
                        first = decls.setdefault(name, (kind, child))
                        if first[0] != kind:
                            self.error(first[1], "name '%s' is nonlocal and global" % name)
                    continue
                if isinstance(child, ast.Name):
                    what = "use" if isinstance(child.ctx, ast.Load) else "assign"
                    uses.append((child.lineno, child.col_offset, child.id, what))
                elif isinstance(child, ast.AnnAssign) and isinstance(child.target, ast.Name) \
                        and child.simple:
                    uses.append((child.target.lineno, child.target.col_offset,
                                 child.target.id, "annot"))
                scan(child)

        def scan_expr(e):
            scan(ast.Expr(e)) if isinstance(e, ast.expr) else None
        for st in node.body:
            scan(ast.Module([st], []))

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def visit_arguments(self, node):
        for d in node.defaults + [d for d in node.kw_defaults if d is not None]:
            self.visit(d)
        for arg in node.posonlyargs + node.args + node.kwonlyargs + \
                [a for a in (node.vararg, node.kwarg) if a is not None]:
            if arg.annotation is not None:
                self.visit(arg.annotation)

    def visit_ClassDef(self, node):
        for e in node.decorator_list + node.bases + [k.value for k in node.keywords]:
            self.visit(e)
        self._scope("class", node, lambda: [self.visit(s) for s in node.body])

    def _comp_iter(self, e):
        """A comprehension's iterable expression (st_comp_iter_expr): no walrus there."""
        self.comp_iter_depth += 1
        try:
            self.visit(e)
        finally:
            self.comp_iter_depth -= 1

    def _comprehension(self, node):
        gens = node.generators
        self._comp_iter(gens[0].iter)
        # per comprehension: its iteration variables and its walrus targets (symtable.c's
        # DEF_COMP_ITER flag and the names symtable_extend_namedexpr_scope binds)
        itervars, walrus = set(), set()
        self.comp_names[id(node)] = (itervars, walrus)

        def inner():
            for i, g in enumerate(gens):
                for t in ast.walk(g.target):
                    if isinstance(t, ast.Name):
                        if t.id in walrus:
                            self.error(t, "comprehension inner loop cannot rebind "
                                       "assignment expression target '%s'" % t.id)
                        itervars.add(t.id)
                self.visit(g.target)
                if i:
                    self._comp_iter(g.iter)
                for c in g.ifs:
                    self.visit(c)
            for e in ((node.key, node.value) if isinstance(node, ast.DictComp) else
                      (node.elt,)):
                self.visit(e)
        self._scope("comp", node, inner)
        del self.comp_names[id(node)]

    def visit_NamedExpr(self, node):
        """symtable_handle_namedexpr / symtable_extend_namedexpr_scope's errors."""
        if self.comp_iter_depth:
            self.error(node, "assignment expression cannot be used in a comprehension "
                       "iterable expression")
        name = node.target.id if isinstance(node.target, ast.Name) else None
        if name is not None and self.scopes[-1][0] == "comp":
            for kind, scope_node in reversed(self.scopes):
                if kind != "comp":
                    if kind == "class":
                        self.error(node, "assignment expression within a comprehension "
                                   "cannot be used in a class body")
                    break
                itervars, walrus = self.comp_names[id(scope_node)]
                if name in itervars:
                    self.error(node, "assignment expression cannot rebind comprehension "
                               "iteration variable '%s'" % name)
                walrus.add(name)
        self.generic_visit(node)

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _comprehension

    # statements
    def visit_Return(self, node):
        kind, fn = self.scopes[-1]
        if kind != "function":
            self.error(node, "'return' outside function")
        if node.value is not None and isinstance(fn, ast.AsyncFunctionDef) and \
                _has_yield(fn):
            self.error(node, "'return' with value in async generator")
        self.generic_visit(node)

    def _yield(self, node):
        kind, fn = self.scopes[-1]
        if kind == "comp":
            self.error(node, "'yield' inside %s" % _COMP_NAMES[fn.__class__])
        if kind != "function":
            self.error(node, "'yield' outside function")
        if isinstance(node, ast.YieldFrom) and isinstance(fn, ast.AsyncFunctionDef):
            self.error(node, "'yield from' inside async function")
        self.generic_visit(node)

    visit_Yield = visit_YieldFrom = _yield

    def _loop(self, node):
        self.visit(node.target if hasattr(node, "target") else node.test)
        if hasattr(node, "iter"):
            self.visit(node.iter)
        self.loops[-1] += 1
        for s in node.body:
            self.visit(s)
        self.loops[-1] -= 1
        for s in node.orelse:
            self.visit(s)

    visit_For = visit_AsyncFor = visit_While = _loop

    def visit_Break(self, node):
        if not self.loops[-1]:
            self.error(node, "'break' outside loop")

    def visit_Continue(self, node):
        if not self.loops[-1]:
            self.error(node, "'continue' not properly in loop")

    def visit_ImportFrom(self, node):
        if node.module == "__future__":
            if node not in self.future_ok:
                self.error(node, "from __future__ imports must occur at the beginning of "
                           "the file")
            import __future__
            for a in node.names:
                if a.name == "braces":
                    self.error(node, "not a chance")
                if a.name not in __future__.all_feature_names:
                    self.error(node, "future feature %s is not defined" % a.name)
        for a in node.names:
            if a.name == "*" and self.scopes[-1][0] != "module":
                self.error(a, "import * only allowed at module level")

    def visit_Try(self, node):
        for h in node.handlers[:-1]:
            if h.type is None:
                self.error(h, "default 'except:' must be last")
        self.generic_visit(node)

    def visit_Call(self, node):
        seen = set()
        for k in node.keywords:
            if k.arg is not None:
                if k.arg in seen:
                    self.error(k, "keyword argument repeated: %s" % k.arg)
                seen.add(k.arg)
        self.generic_visit(node)

    def visit_Nonlocal(self, node):
        if self.scopes[-1][0] == "module":
            self.error(node, "nonlocal declaration not allowed at module level")

    def visit_AnnAssign(self, node):
        if isinstance(node.target, ast.Name):
            kind, scope_node = self.scopes[-1]
            body = scope_node.body if scope_node is not None else self.module_body
            for decl in _declarations(body):
                if node.target.id in decl.names:
                    what = "global" if isinstance(decl, ast.Global) else "nonlocal"
                    self.error(node, "annotated name '%s' can't be %s" % (node.target.id,
                                                                            what))
        self.generic_visit(node)


def _has_yield(fn):
    """A yield in function `fn` itself (not in nested scopes)."""
    todo = list(fn.body)
    while todo:
        n = todo.pop()
        if isinstance(n, (ast.Yield, ast.YieldFrom)):
            return True
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        todo.extend(ast.iter_child_nodes(n))
    return False


def _declarations(body):
    """global/nonlocal statements of a scope body (outside nested scopes)."""
    todo = list(body) if isinstance(body, list) else [body]
    while todo:
        n = todo.pop()
        if isinstance(n, (ast.Global, ast.Nonlocal)):
            yield n
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        todo.extend(ast.iter_child_nodes(n))


def check_syntax(tree, filename="<unknown>"):
    """Raise the host SyntaxError CPython's compiler raises for `tree`, if any."""
    c = _SyntaxChecker(filename)
    c.module_body = getattr(tree, "body", [])
    c.future_ok = []              # the future imports at the start of the module
    for i, st in enumerate(c.module_body if isinstance(c.module_body, list) else []):
        if i == 0 and isinstance(st, ast.Expr) and isinstance(st.value, ast.Constant) and \
                isinstance(st.value.value, str):
            continue
        if not (isinstance(st, ast.ImportFrom) and st.module == "__future__"):
            break
        c.future_ok.append(st)
    if isinstance(tree, ast.Expression):
        c.visit(tree.body)
    else:
        for s in c.module_body:
            c.visit(s)
