"""match statements (PEP 634; Python/compile.c compiler_pattern_*).

Each pattern compiles to `m(f, w_subject, binds) -> bool`; captures are appended to `binds`
(store, value) and stored only when the case's whole pattern matched, as CPython does.
"""

import ast

from runtime.errors import OperationError, oefmt
from runtime import object as _o
from runtime import space
from runtime.object import W_Str


# --- the compiler's checks (Python/compile.c compiler_pattern_*, 3.11) ----------------------

def check_match(node):
    """Raise the host SyntaxError CPython's compiler gives for an invalid match statement:
    duplicate captures, alternatives binding different names, an irrefutable case or
    alternative before others, several starred names, bad or duplicate mapping keys,
    repeated class-pattern attributes. (The parser already rejected the rest.)"""
    last = len(node.cases) - 1
    for i, case in enumerate(node.cases):
        _check_pattern(case.pattern, [], case.guard is not None or i == last)


def check_tree(tree):
    """check_match on every match statement of a module (compile() calls this, so the
    errors appear at compile time as in CPython)."""
    for n in ast.walk(tree):
        if n.__class__ is ast.Match:
            check_match(n)


def _syntax_error(p, msg):
    e = SyntaxError(msg)
    e.lineno = getattr(p, "lineno", None)
    e.offset = getattr(p, "col_offset", -1) + 1
    return e


_NOT_FOLDED = object()


def _fold(node):
    """The value of a literal key as CPython's AST optimizer folds it (-1, 1+2j), or
    _NOT_FOLDED."""
    c = node.__class__
    if c is ast.Constant:
        return node.value
    if c is ast.UnaryOp and node.op.__class__ is ast.USub:
        v = _fold(node.operand)
        return _NOT_FOLDED if v is _NOT_FOLDED else -v
    if c is ast.BinOp and node.op.__class__ in (ast.Add, ast.Sub):
        a, b = _fold(node.left), _fold(node.right)
        if a is _NOT_FOLDED or b is _NOT_FOLDED:
            return _NOT_FOLDED
        return a + b if node.op.__class__ is ast.Add else a - b
    return _NOT_FOLDED


def _check_value(node, what):
    if node.__class__ is ast.Attribute or _fold(node) is not _NOT_FOLDED:
        return
    raise _syntax_error(node, "%s may only match literals and attribute lookups" % what)


def _check_store(p, name, names):
    if name in names:
        raise _syntax_error(p, "multiple assignments to name %r in pattern" % name)
    names.append(name)


def _check_pattern(p, names, allow_irrefutable):
    c = p.__class__
    if c is ast.MatchValue:
        _check_value(p.value, "patterns")
    elif c is ast.MatchAs:
        if p.pattern is None:
            if not allow_irrefutable:
                if p.name:
                    raise _syntax_error(p, "name capture %r makes remaining patterns "
                                           "unreachable" % p.name)
                raise _syntax_error(p, "wildcard makes remaining patterns unreachable")
        else:
            _check_pattern(p.pattern, names, allow_irrefutable)
        if p.name:
            _check_store(p, p.name, names)
    elif c is ast.MatchStar:
        if p.name:
            _check_store(p, p.name, names)
    elif c is ast.MatchSequence:
        if sum(1 for q in p.patterns if q.__class__ is ast.MatchStar) > 1:
            raise _syntax_error(p, "multiple starred names in sequence pattern")
        for q in p.patterns:
            _check_pattern(q, names, True)
    elif c is ast.MatchMapping:
        seen = []
        for k in p.keys:
            _check_value(k, "mapping pattern keys")
            v = _fold(k)
            if v is not _NOT_FOLDED:
                if any(v == u and hash(v) == hash(u) for u in seen):
                    raise _syntax_error(k, "mapping pattern checks duplicate key (%r)" % (v,))
                seen.append(v)
        for q in p.patterns:
            _check_pattern(q, names, True)
        if p.rest:
            _check_store(p, p.rest, names)
    elif c is ast.MatchClass:
        for i, a in enumerate(p.kwd_attrs):
            if a in p.kwd_attrs[:i]:
                raise _syntax_error(p, "attribute name repeated in class pattern: %s" % a)
        for q in p.patterns + p.kwd_patterns:
            _check_pattern(q, names, True)
    elif c is ast.MatchOr:
        control = None
        last = len(p.patterns) - 1
        for i, q in enumerate(p.patterns):
            alt = list(names)
            _check_pattern(q, alt, allow_irrefutable and i == last)
            bound = alt[len(names):]
            if control is None:
                control = bound
            elif sorted(bound) != sorted(control):
                raise _syntax_error(q, "alternative patterns bind different names")
        names.extend(control or [])


def match_case(pat, f, w_subject):
    """Run a case's pattern; on success store its captures (before the guard runs)."""
    binds = []
    if not pat(f, w_subject, binds):
        return False
    for store, w_v in binds:
        store(f, w_v)
    return True


def compile_match(comp, node):
    check_match(node)
    subject = comp.expr(node.subject)
    cases = []
    for c in node.cases:
        pat = compile_pattern(comp, c.pattern)
        guard = comp.cond(c.guard) if c.guard is not None else None
        cases.append((pat, guard, comp.block(c.body)))
    lineno = node.lineno

    def match(f):
        f.lineno = lineno
        w_s = subject(f)
        for pat, guard, body in cases:
            if match_case(pat, f, w_s) and (guard is None or guard(f)):
                return body(f)
    return match


# Py_TPFLAGS_SEQUENCE / Py_TPFLAGS_MAPPING (Include/object.h): MATCH_SEQUENCE and
# MATCH_MAPPING test these bits of type(subject)->tp_flags. Built-in types carry them in
# the host's type objects; guest classes inherit them from their tp_base and get them from
# collections.abc through __abc_tpflags__ / ABCMeta.register (runtime.typeobject).
Py_TPFLAGS_SEQUENCE = 1 << 5
Py_TPFLAGS_MAPPING = 1 << 6
_Py_TPFLAGS_MATCH_SELF = 1 << 22


def _type_flags(w):
    from runtime import typeobject
    return typeobject._tp(space.type(w).addr).tp_flags


def _is_sequence(w):
    return bool(_type_flags(w) & Py_TPFLAGS_SEQUENCE)


def _is_mapping(w):
    return bool(_type_flags(w) & Py_TPFLAGS_MAPPING)


def _is_wildcard(q):
    return q.__class__ is ast.MatchAs and q.pattern is None and q.name is None


def compile_pattern(comp, p):
    c = p.__class__
    if c is ast.MatchValue:
        v = comp.expr(p.value)
        return lambda f, w, b: space.eq(w, v(f))
    if c is ast.MatchSingleton:
        w_v = space.wrap_host(p.value)
        return lambda f, w, b: space.is_w(w, w_v)
    if c is ast.MatchAs:
        store = comp.store_name(p.name) if p.name else None
        sub = compile_pattern(comp, p.pattern) if p.pattern is not None else None

        def match_as(f, w, b):
            if sub is not None and not sub(f, w, b):
                return False
            if store is not None:
                b.append((store, w))
            return True
        return match_as
    if c is ast.MatchOr:
        subs = [compile_pattern(comp, q) for q in p.patterns]

        def match_or(f, w, b):
            for s in subs:
                mark = len(b)
                if s(f, w, b):
                    return True
                del b[mark:]                # a failed alternative binds nothing
            return False
        return match_or
    if c is ast.MatchSequence:
        # compiler_pattern_sequence: MATCH_SEQUENCE, GET_LEN, then subscripts when the star
        # is a wildcard (so `case [x, *_]` never iterates range(1 << 30)), else unpacking.
        star = [i for i, q in enumerate(p.patterns) if isinstance(q, ast.MatchStar)]
        subs = [compile_pattern(comp, q) if not isinstance(q, ast.MatchStar)
                and not _is_wildcard(q) else None for q in p.patterns]
        size = len(p.patterns)
        if star:
            i = star[0]
            sname = p.patterns[i].name
            sstore = comp.store_name(sname) if sname else None
            before, after = subs[:i], subs[i + 1:]
            nb, na = len(before), len(after)

            def match_seq_star(f, w, b):
                if not _is_sequence(w):
                    return False
                n = space.len(w) if size > 1 else 0    # `[*_]`, `[*rest]`: no GET_LEN
                if n < size - 1:
                    return False
                if sstore is None:          # star wildcard: index the items needed
                    for k, s in enumerate(before):
                        if s is not None and not s(f, space.getitem(w, space.newint(k)), b):
                            return False
                    for k, s in enumerate(after):
                        if s is not None and not s(f, space.getitem(w, space.newint(n - na + k)), b):
                            return False
                    return True
                items = space.listview(w)   # UNPACK_EX
                if len(items) < nb + na:
                    return False
                for s, w_x in zip(before, items):
                    if s is not None and not s(f, w_x, b):
                        return False
                tail = items[len(items) - na:] if na else []
                for s, w_x in zip(after, tail):
                    if s is not None and not s(f, w_x, b):
                        return False
                b.append((sstore, space.newlist(items[nb:len(items) - na])))
                return True
            return match_seq_star

        only_wildcards = all(s is None for s in subs)

        def match_seq(f, w, b):
            if not _is_sequence(w):
                return False
            if space.len(w) != size:
                return False
            if only_wildcards:
                return True
            items = space.listview(w)       # UNPACK_SEQUENCE
            if len(items) != size:
                return False
            for s, w_x in zip(subs, items):
                if s is not None and not s(f, w_x, b):
                    return False
            return True
        return match_seq
    if c is ast.MatchMapping:
        # MATCH_MAPPING, GET_LEN >= nkeys, MATCH_KEYS (ceval.c match_keys: the values come
        # from type(subject).get(key, dummy); a key seen twice is a ValueError), then the
        # rest is dict(subject) minus the keys.
        keys = [comp.expr(k) for k in p.keys]
        subs = [compile_pattern(comp, q) for q in p.patterns]
        rest = comp.store_name(p.rest) if p.rest else None
        nkeys = len(keys)

        def match_map(f, w, b):
            if not _is_mapping(w):
                return False
            if not nkeys and rest is None:
                return True
            if nkeys and space.len(w) < nkeys:
                return False
            keys_w = [k(f) for k in keys]
            values_w = []
            if nkeys:
                w_get = space.getattr(w, "get")
                w_dummy = space.newlist([])     # a fresh object: "not found"
                seen = space.newset([])
                for w_k in keys_w:
                    if space.contains(seen, w_k):
                        raise oefmt("ValueError", "mapping pattern checks duplicate key (%s)",
                                    space.repr_s(w_k))
                    space.call_method(seen, "add", w_k)
                    w_v = space.call_function(w_get, w_k, w_dummy)
                    if w_v.addr == w_dummy.addr:
                        return False
                    values_w.append(w_v)
            for s, w_v in zip(subs, values_w):
                if not s(f, w_v, b):
                    return False
            if rest is not None:
                from runtime import dictobject
                w_d = space.newdict()
                dictobject.dict_update_arg(w_d, w)
                for w_k in keys_w:
                    space.delitem(w_d, w_k)
                b.append((rest, w_d))
            return True
        return match_map
    if c is ast.MatchClass:
        # MATCH_CLASS (ceval.c match_class): the attributes are all looked up first
        # (AttributeError means no match), then the sub-patterns run.
        cls = comp.expr(p.cls)
        pos = [compile_pattern(comp, q) for q in p.patterns]
        kw_names = list(p.kwd_attrs)
        kw = [compile_pattern(comp, q) for q in p.kwd_patterns]

        def match_class(f, w, b):
            w_cls = cls(f)
            from runtime import typeobject
            if not typeobject.is_type(w_cls):
                raise oefmt("TypeError", "called match pattern must be a class")
            if not space.isinstance(w, w_cls):
                return False
            seen = []
            attrs_w = []
            if pos:
                w_ma = space.findattr(w_cls, "__match_args__")
                tname = typeobject.typedef_of_type(w_cls).name
                if w_ma is not None:
                    if space.type(w_ma).addr != _TUPLE_TYPE:
                        raise oefmt("TypeError", "%s.__match_args__ must be a tuple (got %s)",
                                    tname, space.typename(w_ma))
                    names_w = space.listview(w_ma)
                    allowed = len(names_w)
                    match_self = False
                else:
                    names_w = []
                    match_self = bool(typeobject._tp(w_cls.addr).tp_flags &
                                      _Py_TPFLAGS_MATCH_SELF)
                    allowed = 1 if match_self else 0
                if allowed < len(pos):
                    raise oefmt("TypeError", "%s() accepts %d positional sub-pattern%s "
                                "(%d given)", tname, allowed, "" if allowed == 1 else "s",
                                len(pos))
                if match_self:
                    attrs_w.append(w)
                else:
                    for w_n in names_w[:len(pos)]:
                        if w_n.__class__ is not W_Str:
                            raise oefmt("TypeError", "__match_args__ elements must be "
                                        "strings (got %s)", space.typename(w_n))
                        w_v = _class_attr(w, w_cls, w_n.v, seen)
                        if w_v is None:
                            return False
                        attrs_w.append(w_v)
            for n in kw_names:
                w_v = _class_attr(w, w_cls, n, seen)
                if w_v is None:
                    return False
                attrs_w.append(w_v)
            for s, w_v in zip(pos + kw, attrs_w):
                if not s(f, w_v, b):
                    return False
            return True
        return match_class
    raise SyntaxError("beale: unsupported pattern %s" % c.__name__)


_TUPLE_TYPE = _o.type_address("PyTuple_Type")


def _class_attr(w, w_cls, name, seen):
    """ceval.c match_class_attr: getattr(subject, name), None on AttributeError; a name
    given twice is a TypeError."""
    if name in seen:
        from runtime import typeobject
        raise oefmt("TypeError", "%s() got multiple sub-patterns for attribute %s",
                    typeobject.typedef_of_type(w_cls).name, space.repr_s(space.newstr(name)))
    seen.append(name)
    return space.findattr(w, name)
