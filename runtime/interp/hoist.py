"""Rewrite generator/coroutine bodies so every yield/await is in a statement of the form
`yield v`, `t = yield v`, `return (yield v)` (likewise `yield from`, `await`).

An expression containing a yield is split: the sub-expressions evaluated before the yield
are saved in fresh locals (`$h0`, `$h1`, ...) so evaluation order is kept, then the yield
becomes its own statement. Known approximation: a yield in the second operand of
`and`/`or`/`if-else` is evaluated unconditionally.
"""

import ast

_YIELDS = (ast.Yield, ast.YieldFrom, ast.Await)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.ListComp,
           ast.SetComp, ast.DictComp, ast.GeneratorExp)


def contains_yield(node):
    """True if `node` has a yield/await outside nested scopes (for a def/class statement:
    in what the enclosing scope evaluates: decorators, defaults, bases)."""
    if isinstance(node, _YIELDS):
        return True
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        parts = node.decorator_list + node.args.defaults + \
            [d for d in node.args.kw_defaults if d is not None]
        return any(contains_yield(p) for p in parts)
    if isinstance(node, ast.ClassDef):
        parts = node.decorator_list + node.bases + [k.value for k in node.keywords]
        return any(contains_yield(p) for p in parts)
    if is_async_comprehension(node):
        return True
    for child in ast.iter_child_nodes(node):
        if is_async_comprehension(child):
            return True
        if isinstance(child, _SCOPES):
            if isinstance(child, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
                if contains_yield(child.generators[0].iter):
                    return True
            continue
        if contains_yield(child):
            return True
    return False


def is_async_comprehension(node):
    """A list/set/dict comprehension with `async for` or `await`: awaited inline, so it
    behaves like an await expression in the enclosing coroutine."""
    if not isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp)):
        return False
    if any(g.is_async for g in node.generators):
        return True
    for sub in ast.walk(node):
        if isinstance(sub, ast.Await):
            return True
    return False


class _Hoister:
    def __init__(self):
        self.n = 0

    def temp(self):
        self.n += 1
        return "$h%d" % self.n

    def expr(self, e):
        """(pre_statements, new_expr) with every yield moved into pre_statements."""
        if not contains_yield(e):
            return [], e
        if is_async_comprehension(e):
            t = self.temp()
            a = ast.Assign([ast.Name(t, ast.Store())], e)
            ast.copy_location(a, e)
            ast.fix_missing_locations(a)
            return [a], ast.copy_location(ast.Name(t, ast.Load()), e)
        if isinstance(e, _YIELDS):
            pre = []
            if getattr(e, "value", None) is not None:
                p, v = self.expr(e.value)
                pre += p
                e.value = v
            t = self.temp()
            a = ast.Assign([ast.Name(t, ast.Store())], e)
            ast.copy_location(a, e)
            ast.fix_missing_locations(a)
            load = ast.copy_location(ast.Name(t, ast.Load()), e)
            return pre + [a], load
        pre = []
        fields = list(ast.iter_fields(e))
        # children in evaluation order (fields order is close enough)
        slots = []
        for name, value in fields:
            if isinstance(value, list):
                for i, v in enumerate(value):
                    if isinstance(v, ast.AST) and not isinstance(v, (ast.expr_context,
                                                                     ast.operator, ast.cmpop,
                                                                     ast.unaryop, ast.boolop)):
                        slots.append((value, i, v))
            elif isinstance(value, ast.AST) and isinstance(value, (ast.expr, ast.keyword,
                                                                   ast.comprehension)):
                slots.append((e, name, value))
        last_yield = max(i for i, s in enumerate(slots) if contains_yield(s[2]))
        for i, (holder, key, v) in enumerate(slots):
            if i > last_yield:
                break
            if isinstance(v, ast.keyword):
                p, nv = self.expr(v.value)
                pre += p
                v.value = self._spill(pre, nv) if i < last_yield else nv
                continue
            if not isinstance(v, ast.expr) or isinstance(v, ast.Starred):
                if isinstance(v, ast.Starred):
                    p, nv = self.expr(v.value)
                    pre += p
                    v.value = self._spill(pre, nv) if i < last_yield else nv
                continue
            p, nv = self.expr(v)
            pre += p
            if i < last_yield:
                nv = self._spill(pre, nv)
            if isinstance(holder, list):
                holder[key] = nv
            else:
                setattr(holder, key, nv)
        return pre, e

    def _spill(self, pre, e):
        if isinstance(e, ast.Constant):
            return e
        t = self.temp()
        a = ast.Assign([ast.Name(t, ast.Store())], e)
        ast.copy_location(a, e)
        ast.fix_missing_locations(a)
        pre.append(a)
        return ast.copy_location(ast.Name(t, ast.Load()), e)

    def direct(self, e):
        if is_async_comprehension(e):
            return True
        return isinstance(e, _YIELDS) and not (getattr(e, "value", None) is not None and
                                               contains_yield(e.value))

    def stmts(self, body):
        out = []
        for s in body:
            out.extend(self.stmt(s))
        return out

    def stmt(self, s):
        for name in ("body", "orelse", "finalbody"):
            if isinstance(getattr(s, name, None), list) and not isinstance(s, _SCOPES):
                setattr(s, name, self.stmts(getattr(s, name)))
        if isinstance(s, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            for h in s.handlers:
                h.body = self.stmts(h.body)
        if isinstance(s, ast.Match):
            for c in s.cases:
                c.body = self.stmts(c.body)
        if isinstance(s, _SCOPES):
            return [s]
        if isinstance(s, ast.Expr):
            if self.direct(s.value) or not contains_yield(s.value):
                return [s]
            pre, v = self.expr(s.value)
            s.value = v
            return pre + [s]
        if isinstance(s, ast.Assign):
            if self.direct(s.value) and not any(contains_yield(t) for t in s.targets):
                return [s]
            pre, v = self.expr(s.value)
            s.value = v
            return pre + [s]
        if isinstance(s, ast.Return):
            if s.value is None or self.direct(s.value) or not contains_yield(s.value):
                return [s]
            pre, v = self.expr(s.value)
            s.value = v
            return pre + [s]
        if isinstance(s, (ast.AugAssign, ast.AnnAssign)):
            if s.value is not None and contains_yield(s.value):
                pre, v = self.expr(s.value)
                s.value = v
                return pre + [s]
            return [s]
        if isinstance(s, (ast.If, ast.Assert)):
            if contains_yield(s.test):
                pre, v = self.expr(s.test)
                s.test = v
                return pre + [s]
            return [s]
        if isinstance(s, (ast.For, ast.AsyncFor)):
            if contains_yield(s.iter):
                pre, v = self.expr(s.iter)
                s.iter = v
                return pre + [s]
            return [s]
        if isinstance(s, ast.While) and contains_yield(s.test):
            pre, v = self.expr(s.test)
            brk = ast.If(ast.UnaryOp(ast.Not(), v), [ast.Break()], [])
            ast.copy_location(brk, s)
            ast.fix_missing_locations(brk)
            s.body = pre + [brk] + s.body
            s.test = ast.copy_location(ast.Constant(True), s)
            return [s]
        if isinstance(s, ast.Raise) and s.exc is not None and contains_yield(s.exc):
            pre, v = self.expr(s.exc)
            s.exc = v
            return pre + [s]
        if isinstance(s, (ast.With, ast.AsyncWith)):
            pre = []
            for item in s.items:
                if contains_yield(item.context_expr):
                    p, v = self.expr(item.context_expr)
                    pre += p
                    item.context_expr = v
            return pre + [s]
        if isinstance(s, ast.Match) and contains_yield(s.subject):
            pre, v = self.expr(s.subject)
            s.subject = v
            return pre + [s]
        return [s]


def hoist_tree(tree):
    """Rewrite every generator/coroutine function in `tree` in place."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if any(contains_yield(s) for s in node.body):
                node.body = _Hoister().stmts(node.body)
        elif isinstance(node, ast.Lambda) and contains_yield(node.body):
            pass
    return tree
