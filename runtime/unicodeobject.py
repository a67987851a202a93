"""str: compact unicode objects built by beale (mirrors Objects/unicodeobject.c, PEP 393).

PyUnicode_New(size, maxchar) picks the narrowest of four compact forms:
    maxchar < 128      PyASCIIObject header, 1 byte/char, state.ascii = 1
    maxchar < 256      PyCompactUnicodeObject header, 1 byte/char (latin-1)
    maxchar < 65536    PyCompactUnicodeObject header, 2 bytes/char (UCS-2)
    otherwise          PyCompactUnicodeObject header, 4 bytes/char (UCS-4)
followed by the characters and a terminating NUL character. state.compact = state.ready = 1,
interned = 0, hash = -1 until somebody hashes the string. On 3.11/Linux (wchar_t is 4
bytes) a UCS-4 string's `wstr` points at its own data and `wstr_length` == length; the
other kinds have wstr = NULL, wstr_length = 0; utf8 = NULL, utf8_length = 0 (for ASCII
strings the data *is* the UTF-8).

The header of each form is prebuilt once as bytes (a "template" filled through cffi, so the
bitfield positions are the C compiler's); a new string is one malloc, one memmove of
template + characters, and one or three word writes (length; UCS-4 wstr and wstr_length).

The string methods use host str operations on the decoded value as primitives (the
implementation language) and build a new beale string for the result; the methods that
must run guest code (join over a guest iterable, format calling __format__, % calling
__str__/__repr__) go through runtime.space.
"""

import _string

import layout
from layout import ffi
from runtime import object as _o
from runtime.errors import OperationError, oefmt
from runtime.object import (W_Str, W_Int, W_Float, W_Bytes, W_ByteArray,
                            object_typedef, register_handle_class, type_address,
                            from_host_exception, w_NotImplemented, HostStaticMethod, _WORD)
from runtime.typedef import TypeDef
from runtime.object import newbool  # noqa: E402
from runtime.intobject import new_int  # noqa: E402  (intobject imports none of us at import time)

_cast = ffi.cast
from runtime.object import _IPTR_P  # noqa: E402
_memmove = ffi.memmove
_malloc = _o.malloc

ADDR_PyUnicode_Type = type_address("PyUnicode_Type")

_A = layout.struct("PyASCIIObject")
_C = layout.struct("PyCompactUnicodeObject")
_ASCII_SIZE = _A.size
_COMPACT_SIZE = _C.size
_LEN_WORD = _A.offset("length") // _WORD
_STATE_OFF = _A.offset("state")
_HASH_WORD = _A.offset("hash") // _WORD
_HAS_READY = any(f.name == "ready" for f in _A.field("state").struct.fields) \
    if _A.field("state").struct is not None else True
if _o.UNICODE_HAS_WSTR:
    _WSTR_WORD = _A.offset("wstr") // _WORD
    _WSTR_LEN_WORD = _C.offset("wstr_length") // _WORD

# sizeof(wchar_t) decides whether UCS-2 or UCS-4 strings share their data with wstr
_SIZEOF_WCHAR = ffi.sizeof("wchar_t")


def _make_template(char_size, is_ascii):
    """The header bytes PyUnicode_New writes for a string of this kind (length 0)."""
    size = _ASCII_SIZE if is_ascii else _COMPACT_SIZE
    buf = ffi.new("char[]", size)
    a = _cast("PyASCIIObject *", buf)
    a.ob_base.ob_refcnt = 0
    a.ob_base.ob_type = _cast("PyTypeObject *", ADDR_PyUnicode_Type)
    a.length = 0
    a.hash = -1
    a.state.interned = 0
    a.state.kind = char_size            # PyUnicode_1BYTE_KIND == 1, 2BYTE == 2, 4BYTE == 4
    a.state.compact = 1
    a.state.ascii = 1 if is_ascii else 0
    if _HAS_READY:
        a.state.ready = 1
    if not is_ascii:
        c = _cast("PyCompactUnicodeObject *", buf)
        c.utf8_length = 0
        c.utf8 = ffi.NULL
    return bytes(ffi.buffer(buf, size))


_T_ASCII = _make_template(1, True)
_T_LATIN1 = _make_template(1, False)
_T_UCS2 = _make_template(2, False)
_T_UCS4 = _make_template(4, False)
_SHARES_WSTR = {2: _SIZEOF_WCHAR == 2, 4: _SIZEOF_WCHAR == 4}


import struct as _hoststruct  # noqa: E402

def _state_word(template):
    return _hoststruct.unpack_from("=I", template, _STATE_OFF)[0]


_STATE_ASCII = _state_word(_T_ASCII)
_STATE = {1: _state_word(_T_LATIN1), 2: _state_word(_T_UCS2), 4: _state_word(_T_UCS4)}

_ascii_fields = [("ob_base.ob_refcnt", "q"), ("ob_base.ob_type", "Q"), ("length", "q"),
                 ("hash", "q"), ("state", "I")]
_compact_fields = [("_base." + p, c) for p, c in _ascii_fields] + [
    ("utf8_length", "q"), ("utf8", "Q")]
if _o.UNICODE_HAS_WSTR:
    _ascii_fields.append(("wstr", "Q"))
    _compact_fields += [("_base.wstr", "Q"), ("wstr_length", "q")]
_ASCII_PACKER = _o.Packer("PyASCIIObject", _ascii_fields, _ASCII_SIZE)
_COMPACT_PACKER = _o.Packer("PyCompactUnicodeObject", _compact_fields, _COMPACT_SIZE)
assert _ASCII_PACKER.size == _ASCII_SIZE and _COMPACT_PACKER.size == _COMPACT_SIZE
_pack_ascii = _ASCII_PACKER.pack
_pack_compact = _COMPACT_PACKER.pack
_new_from_bytes = _o.new_from_bytes


def str_struct_bytes(s):
    """(bytes of the whole compact unicode object PyUnicode_New + copy build for host str
    s, with ob_refcnt 0; character size). A UCS-4 string's wstr (which points at its own
    data) is left 0 here and patched once the address is known (see new_str)."""
    n = len(s)
    if s.isascii():
        if _o.UNICODE_HAS_WSTR:
            hdr = _pack_ascii(0, ADDR_PyUnicode_Type, n, -1, _STATE_ASCII, 0)
        else:
            hdr = _pack_ascii(0, ADDR_PyUnicode_Type, n, -1, _STATE_ASCII)
        return hdr + s.encode("ascii") + b"\0", 1
    m = ord(max(s))
    if m < 256:
        cs = 1
        data = s.encode("latin-1") + b"\0"
    elif m < 65536:
        cs = 2
        data = s.encode("utf-16-le", "surrogatepass") + b"\0\0"
    else:
        cs = 4
        data = s.encode("utf-32-le", "surrogatepass") + b"\0\0\0\0"
    if _o.UNICODE_HAS_WSTR:
        # utf8_length, utf8, wstr, wstr_length: 0 / NULL; wstr_length = n when shared
        wlen = n if _SHARES_WSTR.get(cs) else 0
        hdr = _pack_compact(0, ADDR_PyUnicode_Type, n, -1, _STATE[cs], 0, 0, 0, wlen)
    else:
        hdr = _pack_compact(0, ADDR_PyUnicode_Type, n, -1, _STATE[cs], 0, 0)
    return hdr + data, cs


def build_str(s):
    """Allocate the compact unicode object for host str s; its address (ob_refcnt 0)."""
    data, cs = str_struct_bytes(s)
    addr = _malloc(len(data))
    _memmove(_cast("void *", addr), data, len(data))
    if cs > 1 and _o.UNICODE_HAS_WSTR and _SHARES_WSTR[cs]:
        _cast(_IPTR_P, addr)[_WSTR_WORD] = addr + _COMPACT_SIZE
    return addr


def _build_new_str(s):
    data, cs = str_struct_bytes(s)
    w = _new_from_bytes(W_Str, data)
    if cs > 1 and _o.UNICODE_HAS_WSTR and _SHARES_WSTR[cs]:
        a = w.addr
        _cast(_IPTR_P, a)[_WSTR_WORD] = a + _COMPACT_SIZE
    w.v = s
    return w


# Like CPython's empty-string and latin-1 one-character singletons (unicode_get_empty,
# get_latin1_char): beale builds them once and hands out the same object.
_EMPTY = _o.share_handle(_build_new_str(""))
_LATIN1 = [None] * 256


def new_str(s):
    """The guest str for host str s ("" and one latin-1 character are shared singletons)."""
    if len(s) <= 1:
        if not s:
            return _EMPTY
        c = ord(s)
        if c < 256:
            w = _LATIN1[c]
            if w is None:
                w = _LATIN1[c] = _o.share_handle(_build_new_str(s))
            return w
    data, cs = str_struct_bytes(s)
    w = _new_from_bytes(W_Str, data)
    if cs > 1 and _o.UNICODE_HAS_WSTR and _SHARES_WSTR[cs]:
        a = w.addr
        _cast(_IPTR_P, a)[_WSTR_WORD] = a + _COMPACT_SIZE
    w.v = s
    return w


_CODECS = {1: "latin-1", 2: "utf-16-le", 4: "utf-32-le"}


_STATE_WORD_P = ffi.typeof("uint32_t *")
_CHAR_P = ffi.typeof("char *")
_unpack = ffi.unpack


def _bits(path):
    f = _A.field(path)
    return f.bit_offset, (1 << f.bit_width) - 1


_KIND_SHIFT, _KIND_MASK = _bits("state.kind")
_ASCII_SHIFT, _ASCII_MASK = _bits("state.ascii")
_COMPACT_SHIFT, _COMPACT_MASK = _bits("state.compact")


def _decode_str(addr):
    """Read a (ready) unicode object: compact ASCII, compact, or legacy PyUnicodeObject.
    The state bits are read from one 32-bit word with shifts/masks taken from the
    layout's bitfield positions."""
    n = _cast(_IPTR_P, addr)[_LEN_WORD]
    st = _cast(_STATE_WORD_P, addr + _STATE_OFF)[0]
    kind = (st >> _KIND_SHIFT) & _KIND_MASK
    if (st >> _COMPACT_SHIFT) & _COMPACT_MASK:
        if (st >> _ASCII_SHIFT) & _ASCII_MASK:
            return _unpack(_cast(_CHAR_P, addr + _ASCII_SIZE), n).decode("ascii")
        data = addr + _COMPACT_SIZE
    else:
        data = int(_cast("uintptr_t", _cast("PyUnicodeObject *", addr).data.any))
        if not data:
            raise OperationError("SystemError", "beale: unicode object is not ready")
    raw = _unpack(_cast(_CHAR_P, data), n * kind)
    if kind == 1:
        return raw.decode("latin-1")
    return raw.decode(_CODECS[kind], "surrogatepass")


W_Str._decode = staticmethod(_decode_str)
register_handle_class(ADDR_PyUnicode_Type, W_Str)
str_typedef = TypeDef("str", object_typedef, "PyUnicode_Type", W_Str)



def str_hash(w):
    """unicode_hash: the cached `hash` field, computed (host hash of the equal str, which is
    CPython's siphash with the process's seed) and stored on first use."""
    p = _cast(_IPTR_P, w.addr)
    h = p[_HASH_WORD]
    if h == -1:
        h = hash(w.v)
        p[_HASH_WORD] = h
    return h


from runtime.object import (_typename, str_w, _is_none, _index, _REQUIRED,  # noqa: E402
                            _tuple_items, _binder, slice_w, is_slice)


# ---------------------------------------------------------------- methods: host primitives
_NOARGS = ("capitalize casefold lower upper swapcase title isalnum isalpha isascii isdecimal "
           "isdigit isidentifier islower isnumeric isprintable isspace istitle isupper").split()
for _n in _NOARGS:
    _binder(str_typedef, _n, (), getattr(str, _n))

_P = _REQUIRED
_WITH_ARGS = [
    # name, params (name, conversion, host default), accepts keywords
    ("center", (("width", "i", _P), ("fillchar", "s", " ")), False),
    ("ljust", (("width", "i", _P), ("fillchar", "s", " ")), False),
    ("rjust", (("width", "i", _P), ("fillchar", "s", " ")), False),
    ("zfill", (("width", "i", _P),), False),
    ("count", (("sub", "s", _P), ("start", "I", None), ("end", "I", None)), False),
    ("find", (("sub", "s", _P), ("start", "I", None), ("end", "I", None)), False),
    ("rfind", (("sub", "s", _P), ("start", "I", None), ("end", "I", None)), False),
    ("index", (("sub", "s", _P), ("start", "I", None), ("end", "I", None)), False),
    ("rindex", (("sub", "s", _P), ("start", "I", None), ("end", "I", None)), False),
    ("startswith", (("prefix", "T", _P), ("start", "I", None), ("end", "I", None)), False),
    ("endswith", (("suffix", "T", _P), ("start", "I", None), ("end", "I", None)), False),
    ("expandtabs", (("tabsize", "i", 8),), True),
    ("split", (("sep", "S", None), ("maxsplit", "i", -1)), True),
    ("rsplit", (("sep", "S", None), ("maxsplit", "i", -1)), True),
    ("splitlines", (("keepends", "i", False),), True),
    ("strip", (("chars", "S", None),), False),
    ("lstrip", (("chars", "S", None),), False),
    ("rstrip", (("chars", "S", None),), False),
    ("partition", (("sep", "s", _P),), False),
    ("rpartition", (("sep", "s", _P),), False),
    ("removeprefix", (("prefix", "s", _P),), False),
    ("removesuffix", (("suffix", "s", _P),), False),
    ("replace", (("old", "s", _P), ("new", "s", _P), ("count", "i", -1)), False),
    ("encode", (("encoding", "s", "utf-8"), ("errors", "s", "strict")), True),
]
for _n, _params, _kw in _WITH_ARGS:
    _binder(str_typedef, _n, _params, getattr(str, _n), kw_ok=_kw)


# ---------------------------------------------------------------- methods calling guest code
@str_typedef.method("join")
def str_join(w_self, w_iterable):
    """unicode_join: items must be str ("sequence item 0: expected str instance, int found")."""
    from runtime import space
    parts = []
    for i, w_x in enumerate(space.iterate(w_iterable)):
        if not isinstance(w_x, W_Str):
            raise oefmt("TypeError", "sequence item %d: expected str instance, %s found",
                        i, _typename(w_x))
        parts.append(w_x.v)
    if len(parts) == 1 and type(w_x) is W_Str:
        return w_x
    return new_str(w_self.v.join(parts))


@str_typedef.method("translate")
def str_translate(w_self, w_table):
    """unicode_translate: table[ord(c)] -> None (delete), int (code point) or str;
    LookupError leaves the character unchanged."""
    from runtime import space
    out = []
    for ch in w_self.v:
        try:
            w_r = space.getitem(w_table, new_int(ord(ch)))
        except OperationError as e:
            if space.exception_match(e, "LookupError"):
                out.append(ch)
                continue
            raise
        if _is_none(w_r):
            continue
        if isinstance(w_r, W_Int):
            c = w_r.v
            if not 0 <= c < 0x110000:
                raise oefmt("ValueError", "character mapping must be in range(0x110000)")
            out.append(chr(c))
        elif isinstance(w_r, W_Str):
            out.append(w_r.v)
        else:
            raise oefmt("TypeError", "character mapping must return integer, None or str")
    return new_str("".join(out))


def _maketrans(*args_w):
    """str.maketrans(x[, y[, z]]) -> a guest dict {int: int/str/None}."""
    from runtime import space
    if not 1 <= len(args_w) <= 3:
        raise oefmt("TypeError", "maketrans expected at most 3 arguments, got %d", len(args_w))
    w_d = space.newdict()
    if len(args_w) == 1:
        w_x = args_w[0]
        if type(w_x).typedef is None or not _is_dict(w_x):
            raise oefmt("TypeError", "if you give only one argument to maketrans it must be a dict")
        for w_k in list(space.iterate(w_x)):
            w_v = space.getitem(w_x, w_k)
            if isinstance(w_k, W_Str):
                if len(w_k.v) != 1:
                    raise oefmt("ValueError", "string keys in translate table must be of length 1")
                space.setitem(w_d, new_int(ord(w_k.v)), w_v)
            elif isinstance(w_k, W_Int):
                space.setitem(w_d, w_k, w_v)
            else:
                raise oefmt("TypeError", "keys in translate table must be strings or integers")
        return w_d
    x = str_w(args_w[0], "maketrans() argument 1")
    y = str_w(args_w[1], "maketrans() argument 2")
    if len(x) != len(y):
        raise oefmt("ValueError", "the first two maketrans arguments must have equal length")
    for a, b in zip(x, y):
        space.setitem(w_d, new_int(ord(a)), new_int(ord(b)))
    if len(args_w) == 3:
        for c in str_w(args_w[2], "maketrans() argument 3"):
            space.setitem(w_d, new_int(ord(c)), _o.w_None)
    return w_d


def _is_dict(w):
    td = type(w).typedef
    while td is not None:
        if td.name == "dict":
            return True
        td = td.base
    return False


str_typedef.methods["maketrans"] = HostStaticMethod(_maketrans)


# ---------------------------------------------------------------- str.format
def _ascii_of(w):
    from runtime import space
    return space.ascii(w).v


def vformat(fmt, args_w, get_kw, depth=2, state=None):
    """Objects/stringlib/unicode_format.h: parse with the host's _string.formatter_parser
    (a pure parser), resolve fields through guest getattr/getitem, format through guest
    __format__. `get_kw(name)` returns the handle for a keyword field; args_w is None for
    format_map (positional fields are then a ValueError, as get_field_object says)."""
    from runtime import space
    if depth <= 0:
        raise oefmt("ValueError", "Max string recursion exceeded")
    if state is None:
        state = [0, None]      # next auto index, mode: None / "auto" / "manual"
    out = []
    try:
        parsed = list(_string.formatter_parser(fmt))
    except ValueError as e:
        raise from_host_exception(e)
    for literal, field, spec, conv in parsed:
        if literal:
            out.append(literal)
        if field is None:
            continue
        try:
            # `rest` stays a lazy iterator: as FieldNameIterator, a malformed attribute
            # or index ("{0.}") is found only after the first part was looked up
            first, rest = _string.formatter_field_name_split(field)
        except ValueError as e:
            raise from_host_exception(e)
        if first == "":
            if state[1] == "manual":
                raise oefmt("ValueError", "cannot switch from manual field specification "
                            "to automatic field numbering")
            state[1] = "auto"
            first = state[0]
            state[0] += 1
        elif isinstance(first, int):
            if state[1] == "auto":
                raise oefmt("ValueError", "cannot switch from automatic field numbering "
                            "to manual field specification")
            state[1] = "manual"
        if isinstance(first, int):
            if args_w is None:
                raise oefmt("ValueError", "Format string contains positional fields")
            if first >= len(args_w):
                raise oefmt("IndexError", "Replacement index %d out of range for positional "
                            "args tuple", first)
            w_obj = args_w[first]
        else:
            w_obj = get_kw(first)
        for is_attr, key in _field_rest(rest):
            if is_attr:
                w_obj = space.getattr(w_obj, key)
            else:
                w_key = new_int(key) if isinstance(key, int) else new_str(key)
                w_obj = space.getitem(w_obj, w_key)
        if conv:
            if conv == "r":
                w_obj = space.repr(w_obj)
            elif conv == "s":
                w_obj = space.str(w_obj)
            elif conv == "a":
                w_obj = new_str(_ascii_of(w_obj))
            else:
                raise oefmt("ValueError", "Unknown conversion specifier %s", conv)
        if spec and "{" in spec:
            spec = vformat(spec, args_w, get_kw, depth - 1, state)
        out.append(space.format(w_obj, new_str(spec) if spec else _EMPTY).v)
    return "".join(out)


def _field_rest(rest):
    """The (is_attr, key) pairs of a field name's host iterator, its ValueError a guest one."""
    while True:
        try:
            item = next(rest)
        except StopIteration:
            return
        except ValueError as e:
            raise from_host_exception(e)
        yield item


@str_typedef.method("format")
def str_format(w_self, /, *args_w, **kwargs_w):
    def get_kw(name):
        try:
            return kwargs_w[name]
        except KeyError:
            pass
        from runtime.dictobject import _key_error
        raise _key_error(new_str(name))         # KeyError(name), as the dict lookup
    return new_str(vformat(w_self.v, args_w, get_kw))


@str_typedef.method("format_map")
def str_format_map(w_self, w_mapping):
    from runtime import space

    def get_kw(name):
        return space.getitem(w_mapping, new_str(name))
    return new_str(vformat(w_self.v, None, get_kw))


@str_typedef.method("__format__")
def str_format_spec(w_self, w_spec):
    spec = str_w(w_spec, "__format__() argument")
    if spec == "":
        # _PyUnicode_FormatAdvancedWriter: an empty spec writes an exact str as it is and
        # anything else (a subclass) as PyObject_Str(obj)
        if type(w_self) is W_Str:
            return w_self
        from runtime import space
        return space.str(w_self)
    try:
        return new_str(format(w_self.v, spec))
    except (ValueError, TypeError, MemoryError) as e:
        raise from_host_exception(e)


# ---------------------------------------------------------------- printf-style formatting
def percent_format(fmt, w_values, is_bytes=False):
    """PyUnicode_Format / _PyBytes_FormatEx: `fmt % values`. fmt is a host str (or bytes
    when is_bytes); conversions call guest __str__/__repr__/__index__/__float__ through
    runtime.space, the padding/precision/number formatting uses host % on primitives."""
    from runtime import space
    items = _tuple_items(w_values)
    if items is not None:
        args = items
    else:
        args = [w_values]
    w_dict = None
    if items is None and not isinstance(w_values, (W_Str,)) and \
            not (is_bytes and isinstance(w_values, (W_Bytes, W_ByteArray))) and \
            space.lookup(w_values, "__getitem__") is not None:
        w_dict = w_values
    if is_bytes:
        fmt = fmt.decode("latin-1")
    argidx = 0
    out = []
    i = 0
    n = len(fmt)
    while i < n:
        j = fmt.find("%", i)
        if j < 0:
            out.append(fmt[i:])
            break
        out.append(fmt[i:j])
        i = j + 1
        if i >= n:
            raise oefmt("ValueError", "incomplete format")
        w_arg = None
        if fmt[i] == "(":
            if w_dict is None:
                raise oefmt("TypeError", "format requires a mapping")
            depth = 1
            k = i + 1
            while k < n and depth:
                if fmt[k] == "(":
                    depth += 1
                elif fmt[k] == ")":
                    depth -= 1
                k += 1
            if depth:
                raise oefmt("ValueError", "incomplete format key")
            key = fmt[i + 1:k - 1]
            if is_bytes:
                from runtime.bytesobject import new_bytes
                w_key = new_bytes(key.encode("latin-1"))
            else:
                w_key = new_str(key)
            w_arg = space.getitem(w_dict, w_key)
            i = k
        flags = ""
        while i < n and fmt[i] in "-+ #0":
            flags += fmt[i]
            i += 1
        width = ""
        if i < n and fmt[i] == "*":
            if argidx >= len(args):
                raise oefmt("TypeError", "not enough arguments for format string")
            w_w = args[argidx]
            argidx += 1
            if not isinstance(w_w, W_Int):
                raise oefmt("TypeError", "* wants int")
            if not -(1 << 63) <= w_w.v < (1 << 63):          # PyLong_AsSsize_t
                raise oefmt("OverflowError", "Python int too large to convert to C ssize_t")
            width = str(w_w.v)
            i += 1
        else:
            while i < n and fmt[i].isdigit():
                width += fmt[i]
                i += 1
        prec = ""
        if i < n and fmt[i] == ".":
            i += 1
            if i < n and fmt[i] == "*":
                if argidx >= len(args):
                    raise oefmt("TypeError", "not enough arguments for format string")
                w_p = args[argidx]
                argidx += 1
                if not isinstance(w_p, W_Int):
                    raise oefmt("TypeError", "* wants int")
                if not -(1 << 31) <= w_p.v < (1 << 31):      # _PyLong_AsInt
                    raise oefmt("OverflowError", "Python int too large to convert to C int")
                prec = "." + str(w_p.v)
                i += 1
            else:
                p = ""
                while i < n and fmt[i].isdigit():
                    p += fmt[i]
                    i += 1
                prec = "." + (p or "0")
        while i < n and fmt[i] in "hlL":
            i += 1
        if i >= n:
            raise oefmt("ValueError", "incomplete format")
        c = fmt[i]
        i += 1
        if c == "%":
            out.append("%")
            continue
        if w_arg is None:
            if argidx >= len(args):
                raise oefmt("TypeError", "not enough arguments for format string")
            w_arg = args[argidx]
            argidx += 1
        spec = "%" + flags + width + prec
        out.append(_format_one(spec, c, w_arg, is_bytes, i - 1))
    if argidx < len(args) and w_dict is None:
        if is_bytes:
            raise oefmt("TypeError", "not all arguments converted during bytes formatting")
        raise oefmt("TypeError", "not all arguments converted during string formatting")
    res = "".join(out)
    return res.encode("latin-1") if is_bytes else res


def _format_one(spec, c, w_arg, is_bytes, pos):
    from runtime import space
    try:
        if c in "sra" and not is_bytes or c in "rab" and is_bytes or (c == "s" and is_bytes):
            if is_bytes:
                if c in "sb":
                    from runtime.bytesobject import bytes_for_percent_b
                    text = bytes_for_percent_b(w_arg).decode("latin-1")
                else:
                    text = _ascii_of(w_arg)
            elif c == "s":
                text = space.str(w_arg).v
            elif c == "r":
                text = space.repr(w_arg).v
            else:
                text = _ascii_of(w_arg)
            return (spec + "s") % text
        if c in "diu":
            if isinstance(w_arg, W_Int):
                v = int(w_arg.v)
            elif isinstance(w_arg, W_Float):
                v = int(w_arg.v)
            else:
                from runtime.intobject import call_special
                if space.lookup(w_arg, "__index__") is not None:
                    v = space.index(w_arg)
                elif space.lookup(w_arg, "__int__") is not None:
                    v = call_special(w_arg, "__int__").v
                else:
                    raise oefmt("TypeError", "%%%s format: a real number is required, not %s",
                                c, _typename(w_arg))
            return (spec + "d") % v
        if c in "xXo":
            if isinstance(w_arg, W_Int):
                v = int(w_arg.v)
            elif space.lookup(w_arg, "__index__") is not None:
                v = space.index(w_arg)
            else:
                raise oefmt("TypeError", "%%%s format: an integer is required, not %s",
                            c, _typename(w_arg))
            return (spec + c) % v
        if c in "eEfFgG":
            if isinstance(w_arg, W_Float):
                v = w_arg.v
            elif isinstance(w_arg, W_Int):
                v = float(w_arg.v)
            else:
                from runtime.floatobject import float_from_object
                if isinstance(w_arg, (W_Str, W_Bytes, W_ByteArray)):
                    raise oefmt("TypeError", "must be real number, not %s", _typename(w_arg))
                v = float_from_object(w_arg)
            return (spec + c) % v
        if c == "c":
            spec = spec.split(".")[0]         # %c ignores a precision
            v = None
            if isinstance(w_arg, W_Int):
                v = w_arg.v
            elif not isinstance(w_arg, (W_Str, W_Bytes, W_ByteArray)):
                from runtime import space
                if space.lookup(w_arg, "__index__") is not None:
                    v = space.index(w_arg)      # PyLong_AsLong / _PyNumber_Index
            if v is not None:
                if is_bytes:
                    if not 0 <= v < 256:
                        raise oefmt("OverflowError", "%c arg not in range(256)")
                elif not 0 <= v < 0x110000:
                    raise oefmt("OverflowError", "%c arg not in range(0x110000)")
                return (spec + "s") % chr(v)
            if is_bytes and isinstance(w_arg, (W_Bytes, W_ByteArray)):
                from runtime.bytesobject import bytes_like_w
                b = bytes_like_w(w_arg)
                if len(b) == 1:
                    return (spec + "s") % b.decode("latin-1")
                raise oefmt("TypeError", "%c requires an integer in range(256) or a single byte")
            if not is_bytes and isinstance(w_arg, W_Str) and len(w_arg.v) == 1:
                return (spec + "s") % w_arg.v
            if is_bytes:
                raise oefmt("TypeError", "%c requires an integer in range(256) or a single byte")
            raise oefmt("TypeError", "%c requires int or char")
    except (ValueError, OverflowError, TypeError, MemoryError) as e:
        raise from_host_exception(e)
    raise oefmt("ValueError", "unsupported format character '%s' (0x%x) at index %d",
                c, ord(c), pos)


@str_typedef.method("__mod__")
def str_mod(w_self, w_values):
    return new_str(percent_format(w_self.v, w_values))


@str_typedef.method("__rmod__")
def str_rmod(w_self, w_other):
    return w_NotImplemented


# ---------------------------------------------------------------- sequence and operators
@str_typedef.method("__add__")
def str_add(w_self, w_other):
    if not isinstance(w_other, W_Str):
        if _o.reflected_may_handle(w_other, "__radd__"):
            return w_NotImplemented
        raise oefmt("TypeError", 'can only concatenate str (not "%s") to str',
                    _typename(w_other))
    a = w_self.v
    b = w_other.v
    if not b and type(w_self) is W_Str:
        return w_self
    if not a and type(w_other) is W_Str:
        return w_other
    return new_str(a + b)


@str_typedef.method("__mul__")
def str_mul(w_self, w_times, _reflected=False):
    from runtime import space
    if space.lookup(w_times, "__index__") is None:
        if _o.reflected_may_handle(w_times, "__rmul__" if not _reflected else "__mul__"):
            return w_NotImplemented
        raise oefmt("TypeError", "can't multiply sequence by non-int of type '%s'",
                    _typename(w_times))
    n = _index(w_times)
    try:
        r = w_self.v * n
        if r is w_self.v and type(w_self) is W_Str:      # s * 1 is s
            return w_self
        return new_str(r)
    except (OverflowError, MemoryError) as e:
        raise from_host_exception(e)


str_typedef.methods["__rmul__"] = lambda w_self, w_times: str_mul(w_self, w_times, True)


@str_typedef.method("__len__")
def str_len(w_self):
    return new_int(len(w_self.v))


@str_typedef.method("__contains__")
def str_contains(w_self, w_sub):
    if not isinstance(w_sub, W_Str):
        raise oefmt("TypeError", "'in <string>' requires string as left operand, not %s",
                    _typename(w_sub))
    return newbool(w_sub.v in w_self.v)


@str_typedef.method("__getitem__")
def str_getitem(w_self, w_index):
    s = w_self.v
    if type(w_index) is W_Int:                   # fast path: s[i]
        try:
            return new_str(s[w_index.v])
        except IndexError:
            raise oefmt("IndexError", "string index out of range")
    if is_slice(w_index):
        sl = slice_w(w_index)
        return new_str(s[sl])
    from runtime import space
    if not isinstance(w_index, W_Int) and space.lookup(w_index, "__index__") is None:
        raise oefmt("TypeError", "string indices must be integers, not '%s'",
                    _typename(w_index))
    i = _index(w_index)
    try:
        return new_str(s[i])
    except IndexError:
        raise oefmt("IndexError", "string index out of range")


def _cmpop(name, op):
    def fn(w_self, w_other):
        if not isinstance(w_other, W_Str):
            return w_NotImplemented
        return newbool(op(w_self.v, w_other.v))
    fn.__name__ = "str" + name
    str_typedef.methods[name] = fn


import operator as _op   # noqa: E402

for _n, _f in (("__eq__", _op.eq), ("__ne__", _op.ne), ("__lt__", _op.lt),
               ("__le__", _op.le), ("__gt__", _op.gt), ("__ge__", _op.ge)):
    _cmpop(_n, _f)


@str_typedef.method("__hash__")
def str_hash_method(w_self):
    return new_int(str_hash(w_self))


@str_typedef.method("__repr__")
def str_repr(w_self):
    return new_str(str.__repr__(w_self.v))


@str_typedef.method("__str__")
def str_str(w_self):
    return w_self if type(w_self) is W_Str else new_str(w_self.v)


@str_typedef.method("__getnewargs__")
def str_getnewargs(w_self):
    from runtime import space
    return space.newtuple([new_str(w_self.v)])


@str_typedef.method("__sizeof__")
def str_sizeof(w_self):
    """unicode___sizeof__ for a compact string (utf8/wstr not counted when shared)."""
    s = w_self.v
    if s.isascii():
        size = _ASCII_SIZE + len(s) + 1
    else:
        m = ord(max(s))
        cs = 1 if m < 256 else (2 if m < 65536 else 4)
        size = _COMPACT_SIZE + (len(s) + 1) * cs
    return new_int(size)


@str_typedef.method("__new__")
def str_new(w_type, w_object=None, w_encoding=None, w_errors=None, /, **kwargs_w):
    """unicode_new_impl: str(), str(obj) (guest __str__), str(bytes, encoding, errors)."""
    from runtime import space
    if "object" in kwargs_w:
        w_object = kwargs_w.pop("object")
    if "encoding" in kwargs_w:
        w_encoding = kwargs_w.pop("encoding")
    if "errors" in kwargs_w:
        w_errors = kwargs_w.pop("errors")
    if kwargs_w:
        raise oefmt("TypeError", "'%s' is an invalid keyword argument for str()",
                    next(iter(kwargs_w)))
    if w_object is None:
        w_res = _EMPTY
    elif w_encoding is None and w_errors is None:
        w_res = space.str(w_object)
    else:
        from runtime.bytesobject import bytes_like_w
        encoding = "utf-8" if w_encoding is None else str_w(
            w_encoding, "str() argument 'encoding'")
        errors = "strict" if w_errors is None else str_w(w_errors, "str() argument 'errors'")
        if isinstance(w_object, W_Str):
            raise oefmt("TypeError", "decoding str is not supported")
        try:
            data = bytes_like_w(w_object)
        except OperationError:
            raise oefmt("TypeError", "decoding to str: need a bytes-like object, %s found",
                        _typename(w_object))
        try:
            w_res = new_str(str(data, encoding, errors))
        except (UnicodeError, LookupError, MemoryError) as e:
            raise from_host_exception(e)
    if w_type is None or w_type.addr == ADDR_PyUnicode_Type:
        return w_res        # PyObject_Str's result as it is (a __str__ may return a subclass)
    return _o.new_subtype_instance(w_type, new_str(w_res.v))


# ---------------------------------------------------------------- iteration
class _IterState(object):
    """Host-side state of a sequence iterator (CPython's unicodeiterobject /
    striterobject / bytearrayiterobject: it_seq + it_index). `seq` is the host value for
    immutable sequences, the handle for a bytearray; None once exhausted. `owner` is the
    handle of the str/bytes object itself (it_seq's reference: a subclass instance stays
    alive while it is iterated, as CPython's iterator keeps it), dropped at exhaustion."""
    __slots__ = ("seq", "index", "owner")

    def __init__(self, seq, owner=None):
        self.seq = seq
        self.index = 0
        self.owner = owner


_iter_classes = {}


def iterator_class(name, next_fn, length_fn, seq_w=None, empty_w=None):
    """The handle class of the iterator type `name` (a beale-built type, made on first use
    through runtime.functionobject's data-object types, whose structs C code can hold).
    next_fn(state) -> handle or None when exhausted; length_fn(state) -> remaining.
    With seq_w(state.seq) -> handle of the sequence and empty_w() -> what an exhausted
    iterator reduces to, the type also pickles as CPython's unicodeiter_reduce /
    striter_reduce: `(iter, (seq,), index)`, `(iter, (empty,))`, and __setstate__ sets
    the index (clipped to the sequence)."""
    cls = _iter_classes.get(name)
    if cls is not None:
        return cls
    from runtime import functionobject as fo
    cls = type("W_" + name, (fo.W_DataObject,), {"__slots__": ()})
    td = fo.make_type(name, cls)

    def it_next(w_it):
        d = w_it.get_data()
        w = next_fn(d)
        if w is None:
            d.owner = None              # exhausted: it_seq is cleared
            raise OperationError("StopIteration", None)
        return w

    def it_length_hint(w_it):
        return new_int(length_fn(w_it.get_data()))

    td.methods["__iter__"] = lambda w_it: w_it
    td.methods["__next__"] = it_next
    td.methods["__length_hint__"] = it_length_hint
    if seq_w is not None:
        def it_reduce(w_it):
            from runtime import builtins, dictobject, space
            w_iter = dictobject.getitem_str(builtins.get_builtins_dict(), "iter")
            d = w_it.get_data()
            if d.seq is None:
                return space.newtuple([w_iter, space.newtuple([empty_w()])])
            w_seq = d.owner if d.owner is not None else seq_w(d.seq)
            return space.newtuple([w_iter, space.newtuple([w_seq]), new_int(d.index)])

        def it_setstate(w_it, w_state):
            from runtime import space
            index = space.index(w_state)
            d = w_it.get_data()
            if d.seq is not None:
                old, d.index = d.index, 0
                size = length_fn(d)             # the whole sequence
                d.index = old
                d.index = 0 if index < 0 else min(index, size)
            return _o.w_None
        td.methods["__reduce__"] = it_reduce
        td.methods["__setstate__"] = it_setstate
    _iter_classes[name] = cls
    return cls


def _str_iter_next(d):
    s = d.seq
    if s is None:
        return None
    i = d.index
    if i < len(s):
        d.index = i + 1
        return new_str(s[i])
    d.seq = None
    return None


def _str_iter_length(d):
    return 0 if d.seq is None else max(len(d.seq) - d.index, 0)


@str_typedef.method("__iter__")
def str_iter(w_self):
    """unicode_iter: a str_ascii_iterator (ASCII) or str_iterator over the characters."""
    from runtime import functionobject as fo
    name = "str_ascii_iterator" if w_self.v.isascii() else "str_iterator"
    cls = iterator_class(name, _str_iter_next, _str_iter_length, new_str, lambda: _EMPTY)
    return fo.new_data_object(cls, _IterState(w_self.v, w_self))
