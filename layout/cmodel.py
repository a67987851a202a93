"""Turn pycparser's AST into a small, JSON-able model of C types.

The model is what the rest of the layout layer works from (layout computation
in :mod:`layout.abi`, cdef generation in :mod:`layout.cdefgen`), and what the
build caches next to the compiled module, so importing ``layout`` never needs
to re-parse the headers.

A *type* is a dict with a kind ``"k"``:

=========  ==========================================================
``prim``   ``{"k": "prim", "n": "unsigned long"}`` (canonical spelling)
``ptr``    ``{"k": "ptr", "to": T}``
``arr``    ``{"k": "arr", "of": T, "n": int or None}`` (None: ``[]``)
``func``   ``{"k": "func", "ret": T, "args": [T...], "var": bool}``
``td``     ``{"k": "td", "n": "PyObject"}`` — a typedef name
``tag``    ``{"k": "tag", "n": "struct _object"}`` — a tagged aggregate/enum
``agg``    ``{"k": "agg", "kind": "struct"|"union", "fields": [F...]}``
           — an anonymous struct/union written in place
``enum``   ``{"k": "enum", "items": [[name, value]...]}`` — anonymous enum
=========  ==========================================================

A field ``F`` is ``{"name": str or None, "type": T, "bits": int or None}``
(``name`` None: an anonymous struct/union member or an unnamed bitfield).
Types may carry ``"const": True``.

The whole model is ``{"typedefs": {name: T}, "tags": {"struct x": DEF},
"enums": {name: value}, "vars": {name: T}}`` where a tag's DEF is an ``agg``
or ``enum`` dict (tags that are only declared, never defined, are absent).
"""


class _LazyCAst(object):
    """Stands for `pycparser.c_ast` until a parse needs it: loading a cached layout
    module (Model.from_json) never touches the AST classes, and importing pycparser
    was a large part of beale's start-up.  The first attribute access imports the real
    module and puts it in this module's globals in place of this object."""

    def __getattr__(self, name):
        from pycparser import c_ast as real
        globals()["c_ast"] = real
        return getattr(real, name)


c_ast = _LazyCAst()

# -- primitive types ------------------------------------------------------

_BASES = ("void", "_Bool", "char", "short", "int", "float", "double")


def canonical_prim(names):
    """['long', 'unsigned', 'int'] -> 'unsigned long' (the spelling abi.py knows)."""
    names = [n for n in names if n not in ("__signed__",)]
    longs = names.count("long")
    unsigned = "unsigned" in names
    signed = "signed" in names
    base = next((n for n in names if n in _BASES), None)
    if base in ("void", "_Bool", "float"):
        return base
    if base == "double":
        return "long double" if longs else "double"
    if base == "char":
        return "unsigned char" if unsigned else ("signed char" if signed else "char")
    if base == "short":
        stem = "short"
    elif longs == 1:
        stem = "long"
    elif longs >= 2:
        stem = "long long"
    else:
        stem = "int"
    return ("unsigned " + stem) if unsigned else stem


def is_prim_names(names):
    return all(n in _BASES or n in ("long", "signed", "unsigned", "__signed__") for n in names)


# -- constant expressions -----------------------------------------------------

class NotConstant(Exception):
    pass


def _int_literal(text):
    t = text.rstrip("uUlL")
    if t.lower().startswith("0x"):
        return int(t, 16)
    if t.lower().startswith("0b"):
        return int(t, 2)
    if len(t) > 1 and t.startswith("0"):
        return int(t, 8)
    return int(t)


_CHAR_ESC = {"n": 10, "t": 9, "r": 13, "0": 0, "\\": 92, "'": 39, '"': 34, "a": 7,
             "b": 8, "f": 12, "v": 11}


def _char_literal(text):
    body = text[text.index("'") + 1:-1]
    if body.startswith("\\"):
        if body[1] in _CHAR_ESC and len(body) == 2:
            return _CHAR_ESC[body[1]]
        if body[1] == "x":
            return int(body[2:], 16)
        return int(body[1:], 8)
    return ord(body)


class Model:
    """Collects typedefs, tagged definitions, enum constants and variables."""

    def __init__(self):
        self.typedefs = {}
        self.tags = {}
        self.enums = {}
        self.vars = {}
        self._anon = 0

    # -- JSON round trip
    def to_json(self):
        return {"typedefs": self.typedefs, "tags": self.tags, "enums": self.enums,
                "vars": self.vars}

    @classmethod
    def from_json(cls, data):
        m = cls()
        m.typedefs = data["typedefs"]
        m.tags = data["tags"]
        m.enums = data["enums"]
        m.vars = data.get("vars", {})
        return m

    # -- constant folding (array sizes, bitfield widths, enum values)
    def const(self, node):
        """Evaluate an integer constant expression node."""
        from . import abi
        if isinstance(node, c_ast.Constant):
            if node.type == "char":
                return _char_literal(node.value)
            if node.type in ("int", "unsigned int", "long int", "unsigned long int",
                             "long long int", "unsigned long long int") or node.type.endswith("int"):
                return _int_literal(node.value)
            raise NotConstant(node.value)
        if isinstance(node, c_ast.ID):
            if node.name in self.enums:
                return self.enums[node.name]
            raise NotConstant(node.name)
        if isinstance(node, c_ast.Cast):
            return self.const(node.expr)
        if isinstance(node, c_ast.UnaryOp):
            if node.op == "sizeof":
                if isinstance(node.expr, c_ast.Typename):
                    return abi.sizeof(self, self.type_of(node.expr.type))
                raise NotConstant("sizeof expr")
            if node.op == "_Alignof":
                return abi.alignof(self, self.type_of(node.expr.type))
            v = self.const(node.expr)
            return {"-": lambda: -v, "+": lambda: v, "~": lambda: ~v,
                    "!": lambda: int(not v)}[node.op]()
        if isinstance(node, c_ast.BinaryOp):
            a, b = self.const(node.left), self.const(node.right)
            op = node.op
            if op == "/":
                return int(a / b)
            if op == "%":
                return a - int(a / b) * b
            ops = {"+": a + b, "-": a - b, "*": a * b, "<<": a << b if b >= 0 else 0,
                   ">>": a >> b if b >= 0 else 0, "&": a & b, "|": a | b, "^": a ^ b,
                   "<": int(a < b), ">": int(a > b), "<=": int(a <= b), ">=": int(a >= b),
                   "==": int(a == b), "!=": int(a != b), "&&": int(bool(a and b)),
                   "||": int(bool(a or b))}
            return ops[op]
        if isinstance(node, c_ast.TernaryOp):
            return self.const(node.iftrue) if self.const(node.cond) else self.const(node.iffalse)
        raise NotConstant(type(node).__name__)

    # -- AST -> model types
    def type_of(self, node):
        """Model type for a pycparser type node (TypeDecl, PtrDecl, ...)."""
        if isinstance(node, c_ast.TypeDecl):
            t = self.base_type(node.type)
            if "const" in (node.quals or []):
                t = dict(t, const=True)
            return t
        if isinstance(node, c_ast.PtrDecl):
            t = {"k": "ptr", "to": self.type_of(node.type)}
            if "const" in (node.quals or []):
                t["const"] = True  # "T *const": the pointer itself is const
            return t
        if isinstance(node, c_ast.ArrayDecl):
            n = None
            if node.dim is not None:
                n = self.const(node.dim)
            return {"k": "arr", "of": self.type_of(node.type), "n": n}
        if isinstance(node, c_ast.FuncDecl):
            args, var = [], False
            for p in (node.args.params if node.args else []):
                if isinstance(p, c_ast.EllipsisParam):
                    var = True
                    continue
                pt = self.type_of(p.type)
                if pt.get("k") == "prim" and pt["n"] == "void" and not args:
                    continue
                if pt["k"] == "arr":  # parameters decay
                    pt = {"k": "ptr", "to": pt["of"]}
                args.append(pt)
            return {"k": "func", "ret": self.type_of(node.type), "args": args, "var": var}
        if isinstance(node, c_ast.Typename):
            return self.type_of(node.type)
        if isinstance(node, (c_ast.Struct, c_ast.Union, c_ast.Enum)):
            return self.base_type(node)  # an anonymous struct/union member
        raise NotConstant("type node " + type(node).__name__)

    def base_type(self, node):
        if isinstance(node, c_ast.IdentifierType):
            names = node.names
            if len(names) == 1 and not is_prim_names(names):
                return {"k": "td", "n": names[0]}
            return {"k": "prim", "n": canonical_prim(names)}
        if isinstance(node, (c_ast.Struct, c_ast.Union)):
            kind = "struct" if isinstance(node, c_ast.Struct) else "union"
            body = None
            if node.decls is not None:
                body = {"k": "agg", "kind": kind, "fields": self.fields_of(node.decls)}
            if node.name:
                tag = "%s %s" % (kind, node.name)
                if body is not None:
                    self.tags[tag] = body
                return {"k": "tag", "n": tag}
            if body is None:  # "struct;" - cannot happen in valid C
                body = {"k": "agg", "kind": kind, "fields": []}
            return body
        if isinstance(node, c_ast.Enum):
            body = None
            if node.values is not None:
                items, v = [], -1
                for e in node.values.enumerators:
                    v = self.const(e.value) if e.value is not None else v + 1
                    self.enums[e.name] = v
                    items.append([e.name, v])
                body = {"k": "enum", "items": items}
            if node.name:
                tag = "enum " + node.name
                if body is not None:
                    self.tags[tag] = body
                return {"k": "tag", "n": tag}
            return body or {"k": "enum", "items": []}
        raise NotConstant("base type " + type(node).__name__)

    def fields_of(self, decls):
        out = []
        for d in decls:
            bits = self.const(d.bitsize) if d.bitsize is not None else None
            out.append({"name": d.name, "type": self.type_of(d.type), "bits": bits})
        return out

    def add_ext(self, node):
        """Record one top-level declaration of the translation unit."""
        if isinstance(node, c_ast.Typedef):
            self.typedefs[node.name] = self.type_of(node.type)
        elif isinstance(node, c_ast.Decl):
            if node.name is None:  # "struct x {...};" or "enum {...};"
                self.base_type(node.type)
            elif "extern" in (node.storage or []) and not isinstance(node.type, c_ast.FuncDecl):
                self.vars[node.name] = self.type_of(node.type)
            elif isinstance(node.type, c_ast.FuncDecl):
                self.vars[node.name] = self.type_of(node.type)
            else:
                self.type_of(node.type)  # still registers tags defined inline


def build_model(ast):
    """Model of every declaration in *ast*; declarations the model cannot express
    (non-constant array sizes in some unrelated header, say) are skipped."""
    m = Model()
    for node in ast.ext:
        if isinstance(node, c_ast.FuncDef):
            continue
        try:
            m.add_ext(node)
        except (NotConstant, KeyError, ZeroDivisionError, ValueError, TypeError):
            pass
    return m


# -- closure ----------------------------------------------------------------------

def resolve_root(model, name):
    """'PyObject' / 'struct _object' -> ('td'|'tag', name) or None if unknown."""
    if name in model.typedefs:
        return {"k": "td", "n": name}
    if name in model.tags:
        return {"k": "tag", "n": name}
    for kind in ("struct ", "union "):
        if kind + name in model.tags:
            return {"k": "tag", "n": kind + name}
    return None


def closure(model, roots):
    """The typedef names and tags reachable from *roots* (model types).

    Returns (typedef_names, tag_names), both in first-reached order.  Pointers
    are followed too (a struct reached only through a pointer is still
    declared in full when its definition is in the headers); tags that are
    never defined stay opaque.
    """
    tds, tags = {}, {}
    stack = list(roots)
    while stack:
        t = stack.pop()
        k = t["k"]
        if k == "td":
            if t["n"] in tds or t["n"] not in model.typedefs:
                continue
            tds[t["n"]] = True
            stack.append(model.typedefs[t["n"]])
        elif k == "tag":
            if t["n"] in tags:
                continue
            tags[t["n"]] = True
            if t["n"] in model.tags:
                stack.append(model.tags[t["n"]])
        elif k == "ptr":
            stack.append(t["to"])
        elif k == "arr":
            stack.append(t["of"])
        elif k == "func":
            stack.append(t["ret"])
            stack.extend(t["args"])
        elif k == "agg":
            stack.extend(f["type"] for f in t["fields"])
    return list(tds), list(tags)

