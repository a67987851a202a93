"""Struct layout by the x86-64 System V rules, computed from the type model.

This mirrors what gcc does for CPython's structs on x86-64 Linux:

* every scalar is aligned to its size (``long double``: 16), pointers are 8;
* a struct member goes at the next offset that is a multiple of its
  alignment; the struct's alignment is the largest member alignment and its
  size is rounded up to it;
* a union's members all sit at 0; its size is the largest member's, rounded
  up to the union's alignment;
* ``T a[n]`` is n times T, aligned as T; a flexible ``T a[]`` has size 0;
* anonymous struct/union members are laid out like any other member and their
  fields are reachable by name from the enclosing struct (C11);
* a bitfield of declared type T is packed at the current bit position unless
  it would straddle a T-aligned unit, in which case it starts the next unit; a
  zero-width bitfield skips to the next T-aligned unit; named bitfields make
  the struct at least as aligned as T, unnamed ones do not (SysV ABI 3.1.2).

No offset comes from the C compiler here; tests/layout compares these results
with the compiler's (``ffi.offsetof``) for every extracted struct.
"""

import re

#: (size, alignment) of the scalar types (x86-64 SysV, LP64).
PRIMS = {
    "void": (1, 1),  # only for sizeof(void) as gcc extension; never a member
    "_Bool": (1, 1),
    "char": (1, 1), "signed char": (1, 1), "unsigned char": (1, 1),
    "short": (2, 2), "unsigned short": (2, 2),
    "int": (4, 4), "unsigned int": (4, 4),
    "long": (8, 8), "unsigned long": (8, 8),
    "long long": (8, 8), "unsigned long long": (8, 8),
    "float": (4, 4), "double": (8, 8), "long double": (16, 16),
}
POINTER = (8, 8)


class LayoutError(Exception):
    pass


class Field:
    """One member of a :class:`Struct`.

    ``offset`` is in bytes from the start of the outermost struct the Field
    was obtained from (``Struct.field("ob_base.ob_type").offset`` is 8).
    For a bitfield, ``offset`` is that of the naturally aligned storage unit
    of its declared type containing it, ``size`` the unit's size and
    ``bit_offset`` the position of the lowest bit within that unit
    (little-endian); ``bit_width`` is None for ordinary members.
    ``name`` is None for an anonymous struct/union member (its fields are
    reachable by name through the enclosing struct) and for unnamed bitfields.
    """

    __slots__ = ("name", "ctype", "offset", "size", "align", "bit_offset", "bit_width",
                 "struct", "type")

    def __init__(self, name, ctype, offset, size, align, type, struct=None,
                 bit_offset=0, bit_width=None):
        self.name = name
        self.ctype = ctype
        self.offset = offset
        self.size = size
        self.align = align
        self.type = type  # the model type (see layout.cmodel)
        self.struct = struct
        self.bit_offset = bit_offset
        self.bit_width = bit_width

    def shifted(self, delta):
        """This field as seen from a struct that contains ours at *delta*."""
        return Field(self.name, self.ctype, self.offset + delta, self.size, self.align,
                     self.type, self.struct, self.bit_offset, self.bit_width)

    def to_json(self):
        d = {"name": self.name, "ctype": self.ctype, "offset": self.offset, "size": self.size}
        if self.bit_width is not None:
            d["bit_offset"] = self.bit_offset
            d["bit_width"] = self.bit_width
        if self.struct is not None:
            d["struct"] = self.struct.to_json()
        return d

    def __repr__(self):
        bits = "" if self.bit_width is None else ":%d@bit%d" % (self.bit_width, self.bit_offset)
        return "<Field %s %s @%d size %d%s>" % (self.name, self.ctype, self.offset, self.size, bits)


_PATH_PART = re.compile(r"^([A-Za-z_]\w*)((?:\[\d+\])*)$")


class Struct:
    """The computed layout of a struct or union: ``name, kind, size, align, fields``."""

    def __init__(self, name, kind, size, align, fields):
        self.name = name
        self.kind = kind  # "struct" or "union"
        self.size = size
        self.align = align
        self.fields = fields

    def __repr__(self):
        return "<Struct %s size %d align %d, %d fields>" % (self.name, self.size, self.align,
                                                          len(self.fields))

    def _member(self, name):
        """Direct member *name*, looking through anonymous struct/union members."""
        for f in self.fields:
            if f.name == name:
                return f
        for f in self.fields:
            if f.name is None and f.struct is not None:
                sub = f.struct._member(name)
                if sub is not None:
                    return sub.shifted(f.offset)
        return None

    def field(self, path):
        """The Field at dotted *path* (``"ob_base.ob_type"``, ``"ob_digit[1]"``).

        Offsets are relative to this struct.  Array indices give a Field for
        that element (an index past a flexible array's end is allowed: that is
        how CPython's variable-sized objects are read).
        """
        cur, base, result = self, 0, None
        parts = path.split(".")
        for i, part in enumerate(parts):
            m = _PATH_PART.match(part)
            if not m or cur is None:
                raise KeyError("%s: no field %r" % (self.name, path))
            f = cur._member(m.group(1))
            if f is None:
                raise KeyError("%s: no field %r" % (self.name, path))
            f = f.shifted(base)
            for idx in re.findall(r"\[(\d+)\]", m.group(2)):
                f = _element(f, int(idx))
            result = f
            cur, base = f.struct, f.offset
        return result

    def offset(self, path):
        return self.field(path).offset

    def walk(self, prefix="", base=0, depth=0):
        """Yield (depth, path, Field) for every member, nested structs expanded."""
        for f in self.fields:
            g = f.shifted(base)
            label = f.name if f.name is not None else ("<anonymous %s>" % (
                f.struct.kind if f.struct else "bitfield"))
            path = (prefix + "." + f.name) if (prefix and f.name) else (f.name or prefix)
            yield depth, path if f.name else label, g
            if f.struct is not None:
                sub_prefix = path if f.name else prefix
                for item in f.struct.walk(sub_prefix, g.offset, depth + 1):
                    yield item

    def to_json(self):
        return {"name": self.name, "kind": self.kind, "size": self.size, "align": self.align,
                "fields": [f.to_json() for f in self.fields]}


def _element(f, idx):
    """The Field for element *idx* of array field *f* (any index: flexible
    arrays such as ``ob_digit[1]`` are indexed past their declared end)."""
    t = f.type
    if t["k"] != "arr":
        raise KeyError("%s is not an array" % f.name)
    if t["n"]:
        esize = f.size // t["n"]
    else:  # flexible array: size 0; scalars and pointers are as big as their alignment
        esize = f.struct.size if f.struct is not None else f.align
    elem = t["of"]
    return Field("%s[%d]" % (f.name, idx), ctype_text(elem), f.offset + idx * esize,
                 esize, f.align, elem, f.struct if elem["k"] != "arr" else None, 0, None)


# -- type resolution -------------------------------------------------------------------

def resolve(model, t):
    """Strip typedef names: the model type a typedef'd type stands for."""
    seen = 0
    while t["k"] == "td":
        name = t["n"]
        if name not in model.typedefs:
            raise LayoutError("unknown typedef " + name)
        t = model.typedefs[name]
        seen += 1
        if seen > 100:
            raise LayoutError("typedef loop at " + name)
    if t["k"] == "tag":
        body = model.tags.get(t["n"])
        if body is None:
            raise LayoutError("incomplete type %s" % t["n"])
        return body
    return t


def _enum_size(items):
    lo = min((v for _, v in items), default=0)
    hi = max((v for _, v in items), default=0)
    if lo >= -2 ** 31 and hi < 2 ** 32:
        return 4
    return 8


def size_align(model, t, _cache=None):
    """(size, alignment) of model type *t*."""
    t0 = t
    t = resolve(model, t)
    k = t["k"]
    if k == "prim":
        return PRIMS[t["n"]]
    if k == "ptr":
        return POINTER
    if k == "func":
        raise LayoutError("function type has no size")
    if k == "enum":
        s = _enum_size(t["items"])
        return s, s
    if k == "arr":
        es, ea = size_align(model, t["of"])
        return es * (t["n"] or 0), ea
    if k == "agg":
        s = layout_agg(model, t, name=ctype_text(t0))
        return s.size, s.align
    raise LayoutError("cannot size %r" % (t,))


def sizeof(model, t):
    return size_align(model, t)[0]


def alignof(model, t):
    return size_align(model, t)[1]


def _round_up(x, a):
    return (x + a - 1) // a * a


def layout_agg(model, agg, name=""):
    """Compute the :class:`Struct` for an ``agg`` model type."""
    is_union = agg["kind"] == "union"
    fields = []
    bitpos = 0  # current position in bits (struct); unions restart at 0
    size_bits = 0
    align = 1
    for fd in agg["fields"]:
        ft = fd["type"]
        rt = resolve(model, ft)
        sub = None  # the nested Struct of a struct/union member (or array element)
        if rt["k"] == "agg":
            sub = layout_agg(model, rt, name=ctype_text(ft))
            fsize, falign = sub.size, sub.align
        else:
            fsize, falign = size_align(model, ft)
        if rt["k"] == "arr":
            et = resolve(model, rt["of"])
            while et["k"] == "arr":
                et = resolve(model, et["of"])
            if et["k"] == "agg":
                sub = layout_agg(model, et, name=ctype_text(rt["of"]))
        if is_union:
            bitpos = 0
        if fd["bits"] is not None:
            width = fd["bits"]
            if width == 0:
                # pads to the next unit boundary, and that padding counts in the
                # size even at the end of the struct ({char c; int :0;} is 4 bytes)
                bitpos = _round_up(bitpos, falign * 8)
                size_bits = max(size_bits, bitpos)
                continue
            # start a new storage unit if the field would straddle one
            if bitpos // (falign * 8) != (bitpos + width - 1) // (falign * 8):
                bitpos = _round_up(bitpos, falign * 8)
            unit_start = bitpos // (falign * 8) * (falign * 8)
            if fd["name"] is not None:
                align = max(align, falign)
            fields.append(Field(fd["name"], ctype_text(ft), unit_start // 8, fsize, falign, ft,
                                None, bitpos - unit_start, width))
            bitpos += width
        else:
            bitpos = _round_up(bitpos, falign * 8)
            fields.append(Field(fd["name"], ctype_text(ft), bitpos // 8, fsize, falign, ft, sub))
            align = max(align, falign)
            bitpos += fsize * 8
        size_bits = max(size_bits, bitpos)
    size = _round_up(_round_up(size_bits, 8) // 8, align)
    return Struct(name, agg["kind"], size, align, fields)


def struct_of(model, name):
    """The :class:`Struct` for a typedef name or ``"struct tag"``."""
    from .cmodel import resolve_root
    root = resolve_root(model, name)
    if root is None:
        raise KeyError("no struct named %r in the headers" % name)
    try:
        t = resolve(model, root)
    except LayoutError as e:  # declared but never defined (PyInterpreterState)
        raise KeyError("%r is an incomplete type: %s" % (name, e)) from None
    if t["k"] != "agg":
        raise KeyError("%r is not a struct or union" % name)
    return layout_agg(model, t, name=name)


# -- C text of a model type -------------------------------------------------------------

def ctype_text(t, name=""):
    """C declaration text for model type *t* declaring *name* ("" for a type name).

    Anonymous aggregates print as ``struct {...}`` (their fields are listed
    by Struct, not here).
    """
    k = t["k"]
    const = "const " if t.get("const") else ""
    if k == "ptr":
        inner = ("*const " + name if name else "*const") if t.get("const") else "*" + name
        if t["to"]["k"] in ("arr", "func"):
            inner = "(" + inner + ")"
        return ctype_text(t["to"], inner)
    if k == "arr":
        return ctype_text(t["of"], "%s[%s]" % (name, "" if t["n"] is None else t["n"]))
    if k == "func":
        args = [ctype_text(a) for a in t["args"]]
        if t["var"]:
            args.append("...")
        return ctype_text(t["ret"], "%s(%s)" % (name, ", ".join(args) or "void"))
    if k in ("prim", "td", "tag"):
        base = t["n"]
    elif k == "agg":
        base = t["kind"] + " {...}"
    elif k == "enum":
        base = "enum {...}"
    else:
        base = "?"
    base = const + base
    if not name:
        return base
    if name.startswith("["):
        return base + name
    return base + " " + name
