"""match statements (PEP 634; Python/compile.c compiler_pattern_*).

Each pattern compiles to `m(f, w_subject) -> bool`, binding capture names as it goes.
"""

import ast

from runtime.errors import OperationError, oefmt
from runtime import object as _o
from runtime import space


def compile_match(comp, node):
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
            if pat(f, w_s) and (guard is None or guard(f)):
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
        return lambda f, w: space.eq(w, v(f))
    if c is ast.MatchSingleton:
        w_v = space.wrap_host(p.value)
        return lambda f, w: space.is_w(w, w_v)
    if c is ast.MatchAs:
        store = comp.store_name(p.name) if p.name else None
        sub = compile_pattern(comp, p.pattern) if p.pattern is not None else None

        def match_as(f, w):
            if sub is not None and not sub(f, w):
                return False
            if store is not None:
                store(f, w)
            return True
        return match_as
    if c is ast.MatchOr:
        subs = [compile_pattern(comp, q) for q in p.patterns]
        return lambda f, w: any(s(f, w) for s in subs)
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

            def match_seq_star(f, w):
                if not _is_sequence(w):
                    return False
                n = space.len(w)
                if n < size - 1:
                    return False
                if sstore is None:          # star wildcard: index the items needed
                    for k, s in enumerate(before):
                        if s is not None and not s(f, space.getitem(w, space.newint(k))):
                            return False
                    for k, s in enumerate(after):
                        if s is not None and not s(f, space.getitem(w, space.newint(n - na + k))):
                            return False
                    return True
                items = space.listview(w)   # UNPACK_EX
                if len(items) < nb + na:
                    return False
                for s, w_x in zip(before, items):
                    if s is not None and not s(f, w_x):
                        return False
                tail = items[len(items) - na:] if na else []
                for s, w_x in zip(after, tail):
                    if s is not None and not s(f, w_x):
                        return False
                sstore(f, space.newlist(items[nb:len(items) - na]))
                return True
            return match_seq_star

        only_wildcards = all(s is None for s in subs)

        def match_seq(f, w):
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
                if s is not None and not s(f, w_x):
                    return False
            return True
        return match_seq
    if c is ast.MatchMapping:
        keys = [comp.expr(k) for k in p.keys]
        subs = [compile_pattern(comp, q) for q in p.patterns]
        rest = comp.store_name(p.rest) if p.rest else None

        def match_map(f, w):
            if not _is_mapping(w):
                return False
            used = []
            for k, s in zip(keys, subs):
                w_k = k(f)
                if not space.contains(w, w_k):
                    return False
                if not s(f, space.getitem(w, w_k)):
                    return False
                used.append(w_k)
            if rest is not None:
                w_d = space.newdict()
                for w_k in space.iterate(w):
                    if not any(space.eq(w_k, u) for u in used):
                        space.setitem(w_d, w_k, space.getitem(w, w_k))
                rest(f, w_d)
            return True
        return match_map
    if c is ast.MatchClass:
        cls = comp.expr(p.cls)
        pos = [compile_pattern(comp, q) for q in p.patterns]
        kw = [(name, compile_pattern(comp, q)) for name, q in zip(p.kwd_attrs, p.kwd_patterns)]

        def match_class(f, w):
            w_cls = cls(f)
            from runtime import typeobject
            if not typeobject.is_type(w_cls):
                raise oefmt("TypeError", "called match pattern must be a class")
            if not space.isinstance(w, w_cls):
                return False
            if pos:
                w_ma = space.findattr(w_cls, "__match_args__")
                if w_ma is None:
                    if _type_name_is_exact_builtin(w_cls) and len(pos) == 1:
                        return pos[0](f, w)
                    raise oefmt("TypeError", "%s() accepts 0 positional sub-patterns (%d given)",
                                space.str_w(space.getattr(w_cls, "__name__")), len(pos))
                names = [space.str_w(x) for x in space.iterate(w_ma)]
                if len(pos) > len(names):
                    raise oefmt("TypeError", "%s() accepts %d positional sub-patterns (%d given)",
                                space.str_w(space.getattr(w_cls, "__name__")), len(names),
                                len(pos))
                for n, s in zip(names, pos):
                    w_v = space.findattr(w, n)
                    if w_v is None or not s(f, w_v):
                        return False
            for n, s in kw:
                w_v = space.findattr(w, n)
                if w_v is None or not s(f, w_v):
                    return False
            return True
        return match_class
    raise SyntaxError("beale: unsupported pattern %s" % c.__name__)


_SELF_MATCH = ("bool", "bytearray", "bytes", "dict", "float", "frozenset", "int", "list",
               "set", "str", "tuple")


def _type_name_is_exact_builtin(w_cls):
    from runtime import typeobject
    td = typeobject.typedef_of_type(w_cls)
    return td.name in _SELF_MATCH and td.__class__ is not typeobject.GuestTypeDef
