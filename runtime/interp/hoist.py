"""Rewrite generator/coroutine bodies so every yield/await is in a statement of the form
`yield v`, `t = yield v`, `return (yield v)` (likewise `yield from`, `await`).

An expression containing a yield is split: the sub-expressions evaluated before the yield
are saved in fresh locals (`$h0`, `$h1`, ...) so evaluation order is kept, then the yield
becomes its own statement. Operators that do not always evaluate all their operands
(`and`/`or`, `x if c else y`, chained comparisons, `assert t, msg`) become `if`
statements, so a yield in an operand that is skipped is not run (CPython's jumps in
compiler_boolop/compiler_ifexp/compiler_compare). Assignment targets are evaluated after
the value, each one just before its store, as in CPython's STORE_* order.
"""

import ast
import copy

_YIELDS = (ast.Yield, ast.YieldFrom, ast.Await)
_COMPS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef) + _COMPS
_NOT_OPERANDS = (ast.expr_context, ast.operator, ast.cmpop, ast.unaryop, ast.boolop)


def _enclosing_parts(node):
    """The sub-expressions of a scope node that the ENCLOSING scope evaluates."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        parts = [d for d in node.args.defaults] + \
            [d for d in node.args.kw_defaults if d is not None]
        if not isinstance(node, ast.Lambda):
            parts = node.decorator_list + parts
        return parts
    if isinstance(node, ast.ClassDef):
        return node.decorator_list + node.bases + [k.value for k in node.keywords]
    return [node.generators[0].iter]          # comprehensions


def contains_yield(node):
    """True if `node` has a yield/await outside nested scopes (for a def/class/lambda/
    comprehension: in what the enclosing scope evaluates: decorators, defaults, bases,
    the first iterable)."""
    if isinstance(node, _YIELDS):
        return True
    if is_async_comprehension(node):
        return True
    if isinstance(node, _SCOPES):
        return any(contains_yield(p) for p in _enclosing_parts(node))
    for child in ast.iter_child_nodes(node):
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


def _loc(new, old):
    ast.copy_location(new, old)
    ast.fix_missing_locations(new)
    return new


class _Hoister:
    def __init__(self):
        self.n = 0

    def temp(self):
        self.n += 1
        return "$h%d" % self.n

    def _assign(self, name, value, like):
        return _loc(ast.Assign([ast.Name(name, ast.Store())], value), like)

    def _load(self, name, like):
        return ast.copy_location(ast.Name(name, ast.Load()), like)

    # --- expressions ----------------------------------------------------------------------
    def expr(self, e):
        """(pre_statements, new_expr) with every yield moved into pre_statements."""
        if not contains_yield(e):
            return [], e
        if is_async_comprehension(e):
            t = self.temp()
            return [self._assign(t, e, e)], self._load(t, e)
        if isinstance(e, _YIELDS):
            pre = []
            if getattr(e, "value", None) is not None:
                p, v = self.expr(e.value)
                pre += p
                e.value = v
            t = self.temp()
            return pre + [self._assign(t, e, e)], self._load(t, e)
        if isinstance(e, ast.BoolOp):
            return self._boolop(e)
        if isinstance(e, ast.IfExp):
            return self._ifexp(e)
        if isinstance(e, ast.Compare) and any(contains_yield(c) for c in e.comparators[1:]):
            return self._compare(e)
        if isinstance(e, ast.NamedExpr):
            pre, e.value = self.expr(e.value)
            return pre, e
        if isinstance(e, _SCOPES):
            return self._slots_of(e, self._scope_slots(e)), e
        if isinstance(e, ast.Dict):
            # CPython evaluates key 1, value 1, key 2, value 2 ... (None key: `**value`)
            slots = []
            for i in range(len(e.keys)):
                if e.keys[i] is not None:
                    slots.append((e.keys, i))
                slots.append((e.values, i))
            return self._slots_of(e, slots), e
        slots = []
        for name, value in ast.iter_fields(e):
            if isinstance(value, list):
                for i, v in enumerate(value):
                    if isinstance(v, ast.AST) and not isinstance(v, _NOT_OPERANDS):
                        slots.append((value, i))
            elif isinstance(value, (ast.expr, ast.keyword)):
                slots.append((e, name))
        return self._slots_of(e, slots), e

    @staticmethod
    def _get(holder, key):
        return holder[key] if isinstance(holder, list) else getattr(holder, key)

    @staticmethod
    def _set(holder, key, value):
        if isinstance(holder, list):
            holder[key] = value
        else:
            setattr(holder, key, value)

    def _scope_slots(self, e):
        """(holder, key) of the parts of a def/class/lambda/comprehension evaluated in the
        enclosing scope, in evaluation order."""
        if isinstance(e, _COMPS):
            return [(e.generators[0], "iter")]
        slots = []
        if not isinstance(e, ast.Lambda):
            slots += [(e.decorator_list, i) for i in range(len(e.decorator_list))]
        if isinstance(e, ast.ClassDef):
            slots += [(e.bases, i) for i in range(len(e.bases))]
            slots += [(k, "value") for k in e.keywords]
            return slots
        a = e.args
        slots += [(a.defaults, i) for i in range(len(a.defaults))]
        slots += [(a.kw_defaults, i) for i in range(len(a.kw_defaults))
                  if a.kw_defaults[i] is not None]
        return slots

    def _slots_of(self, e, slots, spill_last=False):
        """Hoist the operands at `slots` (evaluation order): every operand before the last
        one holding a yield is saved in a temporary, so it is evaluated before that yield."""
        def operand_holder(holder, key):
            v = self._get(holder, key)
            if isinstance(v, (ast.keyword, ast.Starred)):
                return v, "value"
            return holder, key
        slots = [operand_holder(h, k) for h, k in slots]
        with_yield = [i for i, (h, k) in enumerate(slots) if contains_yield(self._get(h, k))]
        if not with_yield:
            return []
        last = with_yield[-1]
        pre = []
        for i, (holder, key) in enumerate(slots):
            if i > last:
                break
            p, nv = self.expr(self._get(holder, key))
            pre += p
            if i < last or spill_last:
                nv = self._spill(pre, nv)
            self._set(holder, key, nv)
        return pre

    def _spill(self, pre, e):
        if isinstance(e, ast.Constant):
            return e
        t = self.temp()
        pre.append(self._assign(t, e, e))
        return self._load(t, e)

    def _boolop(self, e):
        """`a and (yield b) and c` -> `$t = a; if $t: (pre b); $t = b; if $t: $t = c`."""
        t = self.temp()
        values = e.values
        k = next(i for i, v in enumerate(values) if contains_yield(v))
        if k == 0:
            pre, first = self.expr(values[0])
        elif k == 1:
            pre, first = [], values[0]
        else:
            pre, first = [], ast.copy_location(ast.BoolOp(e.op, values[:k]), e)
        pre.append(self._assign(t, first, e))
        body = None
        for v in reversed(values[max(k, 1):]):
            p, nv = self.expr(v)
            stmts = p + [self._assign(t, nv, v)]
            if body is not None:
                stmts.append(body)
            test = self._load(t, e)
            if isinstance(e.op, ast.Or):
                test = ast.UnaryOp(ast.Not(), test)
            body = _loc(ast.If(test, stmts, []), v)
        if body is not None:
            pre.append(body)
        return pre, self._load(t, e)

    def _ifexp(self, e):
        t = self.temp()
        pre, test = self.expr(e.test)
        pb, body = self.expr(e.body)
        po, orelse = self.expr(e.orelse)
        pre.append(_loc(ast.If(test, pb + [self._assign(t, body, e.body)],
                               po + [self._assign(t, orelse, e.orelse)]), e))
        return pre, self._load(t, e)

    def _compare(self, e):
        """`a < b < (yield)`: `$t = a < b; if $t: (pre); $t = b < $y`, each later link only
        if the previous ones held (operands evaluated once, kept in temporaries)."""
        t = self.temp()
        pre, left = self.expr(e.left)
        prev = self._spill(pre, left)
        links = []
        for op, comp in zip(e.ops, e.comparators):
            p, nv = self.expr(comp)
            right = self._spill(p, nv)
            cmp = _loc(ast.Compare(copy.copy(prev), [op], [right]), comp)
            links.append(p + [self._assign(t, cmp, comp)])
            prev = right
        nested = []
        for link in reversed(links):
            if nested:
                link = link + [_loc(ast.If(self._load(t, e), nested, []), e)]
            nested = link
        return pre + nested, self._load(t, e)

    # --- statements -----------------------------------------------------------------------
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

    def _target_slots(self, t):
        if isinstance(t, ast.Attribute):
            return [(t, "value")]
        if isinstance(t, ast.Subscript):
            return [(t, "value"), (t, "slice")]
        return []

    def _store(self, target, name, like):
        """Statements storing temporary `name` into `target`; the target's own
        sub-expressions (and their yields) are evaluated just before the store, and the
        items of a tuple/list target one after the other (CPython's UNPACK_SEQUENCE, then
        one STORE per item)."""
        if not contains_yield(target):
            return [_loc(ast.Assign([target], self._load(name, like)), like)]
        if isinstance(target, (ast.Tuple, ast.List)):
            names = [self.temp() for _ in target.elts]
            elts = []
            for n, el in zip(names, target.elts):
                st = ast.Name(n, ast.Store())
                elts.append(ast.Starred(st, ast.Store()) if isinstance(el, ast.Starred) else st)
            out = [_loc(ast.Assign([ast.Tuple(elts, ast.Store())], self._load(name, like)),
                        like)]
            for n, el in zip(names, target.elts):
                if isinstance(el, ast.Starred):
                    el = el.value
                out += self._store(el, n, like)
            return out
        pre = self._slots_of(target, self._target_slots(target))
        return pre + [_loc(ast.Assign([target], self._load(name, like)), like)]

    def _delete(self, s):
        """`del a, b[(yield)]` -> `del a`, (pre), `del b[$h]`: one target at a time."""
        out = []

        def one(t):
            if isinstance(t, (ast.Tuple, ast.List)):
                for el in t.elts:
                    one(el)
                return
            out.extend(self._slots_of(t, self._target_slots(t)))
            out.append(_loc(ast.Delete([t]), s))
        for t in s.targets:
            one(t)
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
        if not contains_yield(s):
            return [s]
        if isinstance(s, _SCOPES):
            return self._slots_of(s, self._scope_slots(s)) + [s]
        if isinstance(s, ast.Expr):
            if self.direct(s.value):
                return [s]
            pre, s.value = self.expr(s.value)
            return pre + [s]
        if isinstance(s, ast.Assign):
            if not any(contains_yield(t) for t in s.targets):
                if self.direct(s.value):
                    return [s]
                pre, s.value = self.expr(s.value)
                return pre + [s]
            pre, v = self.expr(s.value)
            t = self.temp()
            pre.append(self._assign(t, v, s))
            for target in s.targets:
                pre += self._store(target, t, s)
            return pre
        if isinstance(s, ast.Return):
            if s.value is None or self.direct(s.value):
                return [s]
            pre, s.value = self.expr(s.value)
            return pre + [s]
        if isinstance(s, ast.AugAssign):
            pre = []
            if contains_yield(s.target):
                pre += self._slots_of(s.target, self._target_slots(s.target), spill_last=True)
            if contains_yield(s.value):
                p, s.value = self.expr(s.value)
                pre += p
            return pre + [s]
        if isinstance(s, ast.AnnAssign):
            pre = []
            if s.value is not None and contains_yield(s.value):
                pre, s.value = self.expr(s.value)
            if contains_yield(s.target):
                pre += self._slots_of(s.target, self._target_slots(s.target))
            return pre + [s]
        if isinstance(s, ast.Delete):
            return self._delete(s)
        if isinstance(s, ast.Assert):
            pre, test = self.expr(s.test)
            if s.msg is not None and contains_yield(s.msg):
                pm, msg = self.expr(s.msg)
                fail = _loc(ast.Assert(ast.Constant(False), msg), s)
                pre.append(_loc(ast.If(ast.UnaryOp(ast.Not(), test), pm + [fail], []), s))
                return pre
            s.test = test
            return pre + [s]
        if isinstance(s, ast.If):
            pre, s.test = self.expr(s.test)
            return pre + [s]
        if isinstance(s, (ast.For, ast.AsyncFor)):
            pre, s.iter = self.expr(s.iter)
            return pre + [s]
        if isinstance(s, ast.While) and contains_yield(s.test):
            pre, v = self.expr(s.test)
            brk = _loc(ast.If(ast.UnaryOp(ast.Not(), v), [ast.Break()], []), s)
            s.body = pre + [brk] + s.body
            s.test = ast.copy_location(ast.Constant(True), s)
            return [s]
        if isinstance(s, ast.Raise):
            slots = [(s, k) for k in ("exc", "cause") if getattr(s, k) is not None]
            return self._slots_of(s, slots) + [s]
        if isinstance(s, (ast.With, ast.AsyncWith)):
            # `with a, (yield) as b:` enters `a` before the yield: split into nested withs
            k = next((i for i, it in enumerate(s.items) if i and
                      contains_yield(it.context_expr)), None)
            if k is not None:
                inner = _loc(s.__class__(s.items[k:], s.body), s)
                s.items = s.items[:k]
                s.body = self.stmt(inner)
            pre, s.items[0].context_expr = self.expr(s.items[0].context_expr)
            return pre + [s]
        if isinstance(s, ast.Match) and contains_yield(s.subject):
            pre, s.subject = self.expr(s.subject)
            return pre + [s]
        return [s]


def hoist_tree(tree):
    """Rewrite every generator/coroutine function in `tree` in place. A lambda whose body
    yields gets the statements `beale_body` (`return <body>`, hoisted), which the symbol
    table and the compiler use instead of its expression body."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if any(contains_yield(s) for s in node.body):
                node.body = _Hoister().stmts(node.body)
        elif isinstance(node, ast.Lambda) and contains_yield(node.body):
            ret = _loc(ast.Return(node.body), node.body)
            node.beale_body = _Hoister().stmts([ret])
    return tree
