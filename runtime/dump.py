"""`beale dump`: an object's memory, field by field, beside the host CPython's own object.

    beale dump EXPR                 evaluate EXPR in the guest and dump the result
    beale dump -f script.py NAME    run script.py in the guest, then dump its global NAME
    options: --depth N (follow pointers N levels, default 1), --json, --color/--no-color,
             --no-host (skip the host comparison), --max-items N (rows per inline array),
             --svg FILE / --png FILE (also write the diagram, runtime.svg; PNG needs chromium)

Everything here reads raw memory at an address; it never asks the object model how a value is
stored. The struct for an object is chosen from its ob_type (walking tp_base for subclasses),
and every offset, size and C type comes from `layout.struct(...)`, i.e. from the host's real
headers. Because a guest object and a host object of the same type are the same C struct, the
same code dumps both, and the comparison is a byte comparison, field by field.

The model is plain data (dicts and lists, JSON-ready), built by `dump_object(addr, depth)`:

    {"addr", "type", "struct", "size", "gc", "preview",
     "blocks": [{"key", "title", "addr", "rows": [row, ...]}, ...]}
    row = {"offset", "size", "ctype", "name", "value", "note", "raw", "ptr", "target"}

`offset` is relative to the block's `addr`. `ptr` is the address a PyObject pointer row points to
(None otherwise) and `target` the pointed-to object's own dump when the pointer was followed.
runtime.svg draws the same model; `compare(guest, host)` lists the rows whose bytes differ and
why. Mirrors, per type: Include/cpython/longintrepr.h (ob_digit), unicodeobject.h (compact
layouts and the four kinds), listobject.h/tupleobject.h (ob_item), Objects/dict-common.h
(PyDictKeysObject: dk_indices then the entries), Objects/setobject.c (table), objimpl.h
(PyGC_Head in front of GC objects).

The host twin (`host_twin`) is the decoded value as a host object, lists rebuilt as a list
display builds them; for an instance of a guest class (`instance_twin`) it is an instance of
a host class of the same name and shape holding the same attribute values, so a layout
difference shows up as "LAYOUT DIFFERS" in the closing line.
"""

import ctypes
import json
import os
import struct as _pystruct
import sys

import layout

# ------------------------------------------------------------------------------------------
# raw memory
# ------------------------------------------------------------------------------------------
_string_at = ctypes.string_at
_Q = _pystruct.Struct("<Q")
_q = _pystruct.Struct("<q")


try:
    from layout.dump import read_memory as _read_memory   # pread of /proc/self/mem: no segfault
except ImportError:                                       # pragma: no cover
    _read_memory = None


def mem(addr, size):
    """`size` bytes at `addr` (bytes). Unmapped memory raises ValueError instead of crashing
    the process (layout.dump.read_memory reads /proc/self/mem)."""
    if _read_memory is not None:
        return _read_memory(addr, size)
    return _string_at(addr, size)


def word(addr):
    """The unsigned machine word at addr."""
    return _Q.unpack(mem(addr, 8))[0]


def sword(addr):
    """The signed machine word at addr."""
    return _q.unpack(mem(addr, 8))[0]


def hexbytes(b, limit=16):
    """'01 00 ff' for bytes b, cut after `limit` bytes with a trailing '…'."""
    s = " ".join("%02x" % x for x in b[:limit])
    return s + (" …" if len(b) > limit else "")


def _cstring(addr, limit=200):
    """A NUL-terminated C string at addr, decoded as UTF-8 (None for NULL)."""
    if not addr:
        return None
    out = b""
    while len(out) < limit:
        a = addr + len(out)
        chunk = mem(a, 16 - a % 16)          # never crosses a 16-byte (so page) boundary
        if b"\0" in chunk:
            out += chunk[:chunk.index(b"\0")]
            break
        out += chunk
    return out[:limit].decode("utf-8", "replace")


# ------------------------------------------------------------------------------------------
# type objects: names, flags and which struct describes their instances
# ------------------------------------------------------------------------------------------
_TYPE = layout.struct("PyTypeObject")
_OFF_TP_NAME = _TYPE.offset("tp_name")
_OFF_TP_FLAGS = _TYPE.offset("tp_flags")
_OFF_TP_BASE = _TYPE.offset("tp_base")
_OFF_TP_BASICSIZE = _TYPE.offset("tp_basicsize")
_OFF_TP_ITEMSIZE = _TYPE.offset("tp_itemsize")
_OFF_OB_TYPE = layout.struct("PyObject").offset("ob_type")
_OFF_OB_REFCNT = layout.struct("PyObject").offset("ob_refcnt")
SIZEOF_GC_HEAD = layout.struct("PyGC_Head").size
PTR = layout.ffi.sizeof("PyObject *")          # one pointer (an item slot, a word)

# Include/object.h
Py_TPFLAGS_MANAGED_DICT = 1 << 4
Py_TPFLAGS_HEAPTYPE = 1 << 9
Py_TPFLAGS_HAVE_GC = 1 << 14


def type_of(addr):
    """Address of Py_TYPE(addr)."""
    return word(addr + _OFF_OB_TYPE)


def refcnt_of(addr):
    return sword(addr + _OFF_OB_REFCNT)


def type_name(taddr):
    """tp_name of the type object at taddr."""
    return _cstring(word(taddr + _OFF_TP_NAME)) or "?"


def type_flags(taddr):
    return word(taddr + _OFF_TP_FLAGS)


def type_base(taddr):
    return word(taddr + _OFF_TP_BASE)


def _symbols():
    """{address: C symbol} for the host's well-known type objects and singletons."""
    names = ["PyLong_Type", "PyBool_Type", "PyFloat_Type", "PyComplex_Type", "PyUnicode_Type",
             "PyBytes_Type", "PyByteArray_Type", "PyTuple_Type", "PyList_Type", "PyDict_Type",
             "PySet_Type", "PyFrozenSet_Type", "PyType_Type", "PyBaseObject_Type",
             "PySlice_Type", "PyFunction_Type", "PyModule_Type", "PyCell_Type", "PyCode_Type",
             "PyMethod_Type", "PyCFunction_Type", "PyRange_Type", "PyMemoryView_Type",
             "_PyNone_Type", "_Py_NoneStruct", "_Py_TrueStruct", "_Py_FalseStruct",
             "_Py_EllipsisObject", "_Py_NotImplementedStruct"]
    out = {}
    for n in names:
        try:
            out[layout.type_address(n)] = n
        except (KeyError, AttributeError):
            pass
    return out


SYMBOLS = _symbols()
_SINGLETON_NAMES = {"_Py_NoneStruct": "Py_None", "_Py_TrueStruct": "Py_True",
                    "_Py_FalseStruct": "Py_False", "_Py_EllipsisObject": "Py_Ellipsis",
                    "_Py_NotImplementedStruct": "Py_NotImplemented"}

# the struct that describes instances of each built-in type (by host type address)
_STRUCT_OF_TYPE = {
    id(int): "PyLongObject", id(bool): "PyLongObject", id(float): "PyFloatObject",
    id(complex): "PyComplexObject", id(str): "unicode", id(bytes): "PyBytesObject",
    id(bytearray): "PyByteArrayObject", id(tuple): "PyTupleObject", id(list): "PyListObject",
    id(dict): "PyDictObject", id(set): "PySetObject", id(frozenset): "PySetObject",
    id(slice): "PySliceObject", id(type): "type", id(type(len)): "PyCFunctionObject",
    id(type(lambda: 0)): "PyFunctionObject", id(type(sys)): "PyModuleObject",
    id(type((lambda: 0).__code__)): "PyCodeObject", id(memoryview): "PyMemoryViewObject",
    id(BaseException): "PyBaseExceptionObject", id(object): "PyObject",
}


def _type_cell():
    def f():
        return x
    x = 1
    return type(f.__closure__[0])


_STRUCT_OF_TYPE[id(_type_cell())] = "PyCellObject"


def struct_for(addr, taddr=None):
    """(struct name, solid built-in base address) describing the object at addr.

    Walks tp_base from the object's type to the first built-in type we know (a guest class
    `class P: ...` ends at object: its instances start with a PyObject header)."""
    t = taddr if taddr is not None else type_of(addr)
    seen = 0
    while t and seen < 64:
        s = _STRUCT_OF_TYPE.get(t)
        if s is not None:
            if s == "unicode":
                return _unicode_struct(addr), t
            if s == "type":
                return ("PyHeapTypeObject" if type_flags(addr) & Py_TPFLAGS_HEAPTYPE
                        else "PyTypeObject"), t
            return s, t
        t = type_base(t)
        seen += 1
    return "PyObject", id(object)


# ------------------------------------------------------------------------------------------
# reading fields
# ------------------------------------------------------------------------------------------
def _scalar(f, raw):
    """Decode the bytes of a scalar Field (int, float, pointer, bitfield)."""
    t = layout.abi.resolve(layout.model, f.type)
    k = t["k"]
    if f.bit_width is not None:
        v = (int.from_bytes(raw, "little") >> f.bit_offset) & ((1 << f.bit_width) - 1)
        return v
    if k == "ptr":
        return int.from_bytes(raw, "little")
    if k == "prim" and t["n"] == "double":
        return _pystruct.unpack("<d", raw)[0]
    if k == "prim" and t["n"] == "float":
        return _pystruct.unpack("<f", raw)[0]
    if k in ("prim", "enum") and f.size in (1, 2, 4, 8):
        signed = not (k == "prim" and (t["n"].startswith("unsigned") or t["n"] == "_Bool"))
        return int.from_bytes(raw, "little", signed=signed)
    return None


def _is_object_ptr(f):
    """A field that points at a Python object (so it can be annotated and followed)."""
    c = f.ctype.replace("struct _object", "PyObject").replace("struct _typeobject",
                                                             "PyTypeObject")
    return c in ("PyObject *", "PyTypeObject *", "PyCodeObject *", "PyLongObject *",
                 "PyTupleObject *")


def field_rows(addr, struct_name, skip=(), base=None):
    """Rows for the scalar fields of `struct_name` at addr (offsets relative to `base`)."""
    base = addr if base is None else base
    rows = []
    s = layout.struct(struct_name)
    for path, f in _leaf_fields(s):
        if path.split(".")[-1] in skip or path in skip:
            continue
        raw = mem(addr + f.offset, f.size) if f.size else b""
        value = None
        if f.size and "[" not in f.ctype:
            value = _scalar(f, raw)
        name = path
        ctype = f.ctype if f.bit_width is None else "%s :%d" % (f.ctype, f.bit_width)
        r = _row(addr + f.offset - base, f.size, ctype, name, value, raw,
                 bits=(f.bit_offset, f.bit_width) if f.bit_width is not None else None,
                 objptr=_is_object_ptr(f) and value is not None)
        if f.bit_width is None and layout.abi.resolve(layout.model, f.type)["k"] == "ptr":
            r["hex"] = True             # any pointer, function pointers included
        rows.append(r)
    return rows


def _leaf_fields(s, prefix="", base=0):
    """Scalar members (and arrays) of Struct s with dotted paths, depth first."""
    for f in s.fields:
        g = f.shifted(base)
        if f.name is None and f.bit_width is not None:
            continue                                  # unnamed padding bitfield
        path = (prefix + "." + f.name) if (prefix and f.name) else (f.name or prefix)
        kind = layout.abi.resolve(layout.model, f.type)["k"]
        if f.struct is not None and kind == "agg":
            for item in _leaf_fields(f.struct, path, g.offset):
                yield item
        else:
            yield path, g


def _row(offset, size, ctype, name, value, raw, note="", bits=None, objptr=False):
    """One field: offset (from the block's address), size, C type, dotted name, decoded
    value, note, raw bytes (hex); `ptr` is set when the field is a PyObject pointer."""
    r = {"offset": offset, "size": size, "ctype": ctype, "name": name, "value": value,
         "note": note, "raw": raw.hex(), "ptr": None, "target": None}
    if bits is not None:
        r["bits"] = list(bits)
    if objptr and value:
        r["ptr"] = value
    return r


# ------------------------------------------------------------------------------------------
# short descriptions of objects (for pointer annotations) and decoding to host values
# ------------------------------------------------------------------------------------------
class Undecodable(Exception):
    pass


def describe_pointer(p):
    """One-line description of the object at p: '&PyLong_Type', 'int 42', "str 'abc'"."""
    if not p:
        return "NULL"
    sym = SYMBOLS.get(p)
    if sym is not None:
        return _SINGLETON_NAMES.get(sym) or "&" + sym
    try:
        t = type_of(p)
        tn = type_name(t)
        if t == id(type):
            return "type %s" % type_name(p)
        try:
            v = decode(p, 1)
        except Undecodable:
            return tn
        r = repr(v)
        if len(r) > 40:
            r = r[:37] + "..."
        return "%s %s" % (tn, r)
    except Exception:   # a pointer into something we cannot read as an object
        return "0x%x" % p


DECODE_MAX_ITEMS = 100000
# where each container keeps its length: (struct, field)
_LEN_FIELD = {id(tuple): ("PyTupleObject", "ob_base.ob_size"),
              id(list): ("PyListObject", "ob_base.ob_size"),
              id(dict): ("PyDictObject", "ma_used"), id(set): ("PySetObject", "used"),
              id(frozenset): ("PySetObject", "used")}
_OFF_VAR_SIZE = layout.struct("PyVarObject").offset("ob_size")


def decode(addr, depth=64):
    """The host value equal to the guest object at addr (ints, floats, strs, containers...).

    Reads memory only; raises Undecodable for objects that have no literal value."""
    if not addr:
        raise Undecodable("NULL")
    sym = SYMBOLS.get(addr)
    if sym == "_Py_NoneStruct":
        return None
    if sym == "_Py_TrueStruct":
        return True
    if sym == "_Py_FalseStruct":
        return False
    if sym == "_Py_EllipsisObject":
        return Ellipsis
    t = type_of(addr)
    s, base = struct_for(addr, t)
    if base == id(int):
        return _decode_int(addr)
    if base == id(float):
        return layout.read(addr, "PyFloatObject", "ob_fval")
    if base == id(complex):
        return complex(layout.read(addr, "PyComplexObject", "cval.real"),
                       layout.read(addr, "PyComplexObject", "cval.imag"))
    if base == id(str):
        return _unicode_info(addr)["value"]
    if base == id(bytes):
        n = layout.read(addr, "PyBytesObject", "ob_base.ob_size")
        return mem(addr + layout.struct("PyBytesObject").offset("ob_sval"), n)
    if base == id(bytearray):
        n = layout.read(addr, "PyByteArrayObject", "ob_base.ob_size")
        start = layout.read(addr, "PyByteArrayObject", "ob_start")
        return bytearray(mem(start, n)) if n > 0 else bytearray()
    if depth <= 0:
        raise Undecodable("too deep")
    if base in _LEN_FIELD and layout.read(addr, *_LEN_FIELD[base]) > DECODE_MAX_ITEMS:
        raise Undecodable("too large to decode (more than %d items)" % DECODE_MAX_ITEMS)
    if base == id(tuple):
        return tuple(decode(p, depth - 1) for p in _tuple_items(addr))
    if base == id(list):
        return [decode(p, depth - 1) for p in _list_items(addr)[0]]
    if base == id(dict):
        return {decode(k, depth - 1): decode(v, depth - 1) for k, v in _dict_items(addr)}
    if base in (id(set), id(frozenset)):
        items = [decode(k, depth - 1) for k in _set_keys(addr)]
        return frozenset(items) if base == id(frozenset) else set(items)
    raise Undecodable(type_name(t))


# ------------------------------------------------------------------------------------------
# int (Include/cpython/longintrepr.h)
# ------------------------------------------------------------------------------------------
_LONG = layout.struct("PyLongObject")
_LONG_LV_TAG = any(f.name == "long_value" for f in _LONG.fields)
_DIGIT_PATH = "long_value.ob_digit" if _LONG_LV_TAG else "ob_digit"
_DIGIT_OFF = _LONG.offset(_DIGIT_PATH)
_SIZE_PATH = "long_value.lv_tag" if _LONG_LV_TAG else "ob_base.ob_size"
SHIFT = sys.int_info.bits_per_digit
SIZEOF_DIGIT = sys.int_info.sizeof_digit


def _long_ndigits(addr):
    """(number of digits, sign) of the PyLongObject at addr."""
    v = sword(addr + _LONG.offset(_SIZE_PATH))
    if _LONG_LV_TAG:                    # 3.12+: lv_tag = ndigits << 3 | sign(0 +, 1 zero, 2 -)
        n, sign = v >> 3, (v & 3)
        return n, (-1 if sign == 2 else (0 if sign == 1 else 1))
    return abs(v), (v > 0) - (v < 0)


def _digits(addr):
    n, _ = _long_ndigits(addr)
    raw = mem(addr + _DIGIT_OFF, max(n, 1) * SIZEOF_DIGIT)
    fmt = "<%d%s" % (max(n, 1), "I" if SIZEOF_DIGIT == 4 else "H")
    return list(_pystruct.unpack(fmt, raw)), n


def _decode_int(addr):
    digits, n = _digits(addr)
    _, sign = _long_ndigits(addr)
    v = 0
    for d in reversed(digits[:n]):
        v = (v << SHIFT) | d
    return -v if sign < 0 else v


def _int_blocks(addr, dump, opts):
    digits, n = _digits(addr)
    _, sign = _long_ndigits(addr)
    rows = []
    for i, d in enumerate(digits[:opts["max_items"]]):
        off = _DIGIT_OFF + i * SIZEOF_DIGIT
        note = "× 2**%d" % (SHIFT * i) if i < n else "unused (zero has one digit, value 0)"
        rows.append(_row(off, SIZEOF_DIGIT, "digit", "ob_digit[%d]" % i, d,
                         mem(addr + off, SIZEOF_DIGIT), note))
    if len(digits) > opts["max_items"]:
        rows.append(_more_row(len(digits) - opts["max_items"]))
    sgn = {1: "positive", 0: "zero", -1: "negative"}[sign]
    return [{"key": "ob_digit", "addr": addr,
             "title": "ob_digit: %d %d-bit digit%s, least significant first (%s)"
                      % (n, SHIFT, "" if n == 1 else "s", sgn), "rows": rows}]


# ------------------------------------------------------------------------------------------
# str (Include/cpython/unicodeobject.h): compact ASCII, compact, and legacy layouts
# ------------------------------------------------------------------------------------------
_ASCII = layout.struct("PyASCIIObject")
_COMPACT = layout.struct("PyCompactUnicodeObject")


def _state_bit(addr, name):
    f = _ASCII.field("state." + name)
    raw = int.from_bytes(mem(addr + f.offset, f.size), "little")
    return (raw >> f.bit_offset) & ((1 << f.bit_width) - 1)


def _unicode_struct(addr):
    if _state_bit(addr, "compact"):
        return "PyASCIIObject" if _state_bit(addr, "ascii") else "PyCompactUnicodeObject"
    return "PyUnicodeObject"


def _unicode_info(addr):
    """kind, length, data address and value of a str."""
    kind = _state_bit(addr, "kind")
    length = sword(addr + _ASCII.offset("length"))
    sname = _unicode_struct(addr)
    if sname == "PyUnicodeObject":
        data = word(addr + layout.struct("PyUnicodeObject").offset("data"))
    else:
        data = addr + layout.struct(sname).size
    if kind not in (1, 2, 4) or length < 0 or not data:
        raise Undecodable("str not ready")
    raw = mem(data, length * kind)
    if kind == 1:
        value = raw.decode("latin-1")
    elif kind == 2:
        value = raw.decode("utf-16-le", "surrogatepass")
    else:
        value = raw.decode("utf-32-le", "surrogatepass")
    return {"kind": kind, "length": length, "data": data, "value": value, "struct": sname}


_KIND_NAMES = {1: "PyUnicode_1BYTE_KIND (Py_UCS1)", 2: "PyUnicode_2BYTE_KIND (Py_UCS2)",
               4: "PyUnicode_4BYTE_KIND (Py_UCS4)"}


def _str_blocks(addr, dump, opts):
    info = _unicode_info(addr)
    kind, length, data = info["kind"], info["length"], info["data"]
    ascii_ = _state_bit(addr, "ascii")
    rows = []
    shown = min(length + 1, opts["max_items"])
    for i in range(shown):
        raw = mem(data + i * kind, kind)
        cp = int.from_bytes(raw, "little")
        if i == length:
            name, note = "data[%d]" % i, "NUL terminator"
        else:
            name, note = "data[%d]" % i, "U+%04X %r" % (cp, chr(cp))
        rows.append(_row(data - addr + i * kind, kind, "Py_UCS%d" % kind, name, cp, raw, note))
    if shown < length + 1:
        rows.append(_more_row(length + 1 - shown))
    where = ("inline, right after the %s header" % info["struct"] if data != 0 and
             info["struct"] != "PyUnicodeObject" else "in a separate buffer")
    title = "characters: %d × %d byte%s, %s%s, %s" % (
        length, kind, "" if kind == 1 else "s", _KIND_NAMES[kind],
        ", ASCII" if ascii_ else "", where)
    return [{"key": "data", "addr": addr, "title": title, "rows": rows}]


def _more_row(n):
    return {"offset": None, "size": None, "ctype": "", "name": "…", "value": None,
            "note": "%d more not shown (--max-items)" % n, "raw": "", "ptr": None,
            "target": None}


# ------------------------------------------------------------------------------------------
# bytes, tuple, list
# ------------------------------------------------------------------------------------------
def _bytes_blocks(addr, dump, opts):
    n = sword(addr + layout.struct("PyBytesObject").offset("ob_base.ob_size"))
    off = layout.struct("PyBytesObject").offset("ob_sval")
    rows = []
    for i in range(0, min(n + 1, 16 * opts["max_items"]), 16):
        chunk = mem(addr + off + i, min(16, n + 1 - i))
        rows.append(_row(off + i, len(chunk), "char[%d]" % len(chunk),
                         "ob_sval[%d:%d]" % (i, i + len(chunk)), None, chunk,
                         repr(chunk)))
    return [{"key": "ob_sval", "addr": addr,
             "title": "ob_sval: %d bytes + NUL, inline" % n, "rows": rows}]


def _tuple_items(addr):
    n = sword(addr + layout.struct("PyTupleObject").offset("ob_base.ob_size"))
    off = layout.struct("PyTupleObject").offset("ob_item")
    return [word(addr + off + PTR * i) for i in range(max(n, 0))]


def _pointer_rows(base, first_off, ptrs, names, opts, used=None):
    rows = []
    for i, p in enumerate(ptrs[:opts["max_items"]]):
        live = used is None or i < used
        raw = _Q.pack(p)
        note = describe_pointer(p) if live else "unused capacity"
        r = _row(first_off + PTR * i, PTR, "PyObject *", names(i), p, raw, note,
                 objptr=live)
        rows.append(r)
    if len(ptrs) > opts["max_items"]:
        rows.append(_more_row(len(ptrs) - opts["max_items"]))
    return rows


def _tuple_blocks(addr, dump, opts):
    items = _tuple_items(addr)
    off = layout.struct("PyTupleObject").offset("ob_item")
    rows = _pointer_rows(addr, off, items, lambda i: "ob_item[%d]" % i, opts)
    return [{"key": "ob_item", "addr": addr,
             "title": "ob_item: %d item pointers, inline in the tuple" % len(items),
             "rows": rows}]


def _list_items(addr):
    S = layout.struct("PyListObject")
    n = sword(addr + S.offset("ob_base.ob_size"))
    alloc = sword(addr + S.offset("allocated"))
    arr = word(addr + S.offset("ob_item"))
    if not arr or n < 0:
        return [], alloc, arr
    return [word(arr + PTR * i) for i in range(n)], alloc, arr


def _list_blocks(addr, dump, opts):
    items, alloc, arr = _list_items(addr)
    if not arr:
        return []
    n = len(items)
    ptrs = items + [word(arr + PTR * i) for i in range(n, max(alloc, n))]
    rows = _pointer_rows(arr, 0, ptrs, lambda i: "ob_item[%d]" % i, opts, used=n)
    return [{"key": "ob_item", "addr": arr,
             "title": "ob_item array at 0x%x (PyMem_Malloc): allocated %d, used %d"
                      % (arr, alloc, n), "rows": rows}]


# ------------------------------------------------------------------------------------------
# dict (Objects/dict-common.h, Objects/dictobject.c)
# ------------------------------------------------------------------------------------------
_KEYS = layout.struct("PyDictKeysObject")
DKIX_EMPTY, DKIX_DUMMY = -1, -2
_DK_KIND_NAMES = {0: "DICT_KEYS_GENERAL", 1: "DICT_KEYS_UNICODE", 2: "DICT_KEYS_SPLIT"}


def _keys_geometry(keys):
    """(log2_size, index width, first index address, entry struct, first entry address)."""
    log2 = mem(keys + _KEYS.offset("dk_log2_size"), 1)[0]
    log2_index_bytes = mem(keys + _KEYS.offset("dk_log2_index_bytes"), 1)[0]
    kind = mem(keys + _KEYS.offset("dk_kind"), 1)[0]
    size = 1 << log2
    index_bytes = 1 << log2_index_bytes
    width = max(1, index_bytes // size)
    indices = keys + _KEYS.offset("dk_indices")
    entry = "PyDictKeyEntry" if kind == 0 else "PyDictUnicodeEntry"
    return log2, width, indices, entry, indices + index_bytes, kind


def _dict_items(addr):
    """[(key addr, value addr)] in insertion order."""
    D = layout.struct("PyDictObject")
    keys = word(addr + D.offset("ma_keys"))
    values = word(addr + D.offset("ma_values"))
    log2, width, indices, entry, entries, kind = _keys_geometry(keys)
    E = layout.struct(entry)
    n = sword(keys + _KEYS.offset("dk_nentries"))
    out = []
    for i in range(max(0, min(n, 1 << 20))):
        e = entries + i * E.size
        k = word(e + E.offset("me_key"))
        v = word(values + PTR * i) if values else word(e + E.offset("me_value"))
        if k and v:
            out.append((k, v))
    return out


def _dict_blocks(addr, dump, opts):
    D = layout.struct("PyDictObject")
    keys = word(addr + D.offset("ma_keys"))
    values = word(addr + D.offset("ma_values"))
    if not keys:
        return []
    log2, width, indices, entry, entries, kind = _keys_geometry(keys)
    size = 1 << log2
    E = layout.struct(entry)
    nentries = sword(keys + _KEYS.offset("dk_nentries"))
    usable = (size << 1) // 3                                 # USABLE_FRACTION
    header = field_rows(keys, "PyDictKeysObject", skip=("dk_indices",))
    for r in header:
        if r["name"] == "dk_kind":
            r["note"] = _DK_KIND_NAMES.get(r["value"], "")
        elif r["name"] == "dk_log2_size":
            r["note"] = "%d index slots" % size
        elif r["name"] == "dk_log2_index_bytes":
            r["note"] = "%d bytes of indices, %d per slot" % (1 << r["value"], width)
        elif r["name"] == "dk_usable":
            r["note"] = "entries left before a resize"
    idx_rows = []
    for i in range(min(size, opts["max_items"] * 4)):
        raw = mem(indices + i * width, width)
        ix = int.from_bytes(raw, "little", signed=True)
        note = {DKIX_EMPTY: "DKIX_EMPTY", DKIX_DUMMY: "DKIX_DUMMY (deleted)"}.get(
            ix, "-> entries[%d]" % ix)
        idx_rows.append(_row(indices - keys + i * width, width, "int%d_t" % (8 * width),
                             "dk_indices[%d]" % i, ix, raw, note))
    if size > opts["max_items"] * 4:
        idx_rows.append(_more_row(size - opts["max_items"] * 4))
    ent_rows = []
    for i in range(min(max(nentries, 0), opts["max_items"])):
        e = entries + i * E.size
        for path, f in _leaf_fields(E):
            raw = mem(e + f.offset, f.size)
            v = _scalar(f, raw)
            note = ""
            if path in ("me_key", "me_value"):
                note = describe_pointer(v) if v else "NULL (deleted)"
            ent_rows.append(_row(e - keys + f.offset, f.size, f.ctype,
                                 "entries[%d].%s" % (i, path), v, raw, note,
                                 objptr=path != "me_hash"))
    if nentries > opts["max_items"]:
        ent_rows.append(_more_row(nentries - opts["max_items"]))
    blocks = [
        {"key": "keys", "addr": keys,
         "title": "PyDictKeysObject at 0x%x: %s, %d slots, %d/%d entries used"
                  % (keys, _DK_KIND_NAMES.get(kind, kind), size, nentries, usable),
         "rows": header},
        {"key": "dk_indices", "addr": keys,
         "title": "dk_indices: %d slots × %d byte%s (hash & %d picks the slot)"
                  % (size, width, "" if width == 1 else "s", size - 1), "rows": idx_rows},
        {"key": "dk_entries", "addr": keys,
         "title": "entries: %s[%d], in insertion order" % (entry, usable),
         "rows": ent_rows},
    ]
    if values:
        vrows = _pointer_rows(values, 0, [word(values + PTR * i) for i in range(nentries)],
                              lambda i: "values[%d]" % i, opts)
        blocks.append({"key": "ma_values", "addr": values,
                       "title": "split-table values at 0x%x" % values, "rows": vrows})
    return blocks


# ------------------------------------------------------------------------------------------
# set (Objects/setobject.c)
# ------------------------------------------------------------------------------------------
def _set_table(addr):
    S = layout.struct("PySetObject")
    mask = sword(addr + S.offset("mask"))
    table = word(addr + S.offset("table"))
    return table, mask


def _set_keys(addr):
    table, mask = _set_table(addr)
    E = layout.struct("setentry")
    out = []
    for i in range(min(mask + 1, 1 << 20)):
        k = word(table + i * E.size + E.offset("key"))
        if k and type_name(type_of(k)) != "<dummy key> type":
            out.append(k)
    return out


def _set_blocks(addr, dump, opts):
    table, mask = _set_table(addr)
    E = layout.struct("setentry")
    rows = []
    for i in range(min(mask + 1, opts["max_items"])):
        e = table + i * E.size
        k = word(e + E.offset("key"))
        h = sword(e + E.offset("hash"))
        rows.append(_row(e - table + E.offset("key"), E.field("key").size, "PyObject *",
                         "table[%d].key" % i,
                         k, _Q.pack(k), describe_pointer(k) if k else "empty", objptr=True))
        rows.append(_row(e - table + E.offset("hash"), E.field("hash").size, "Py_hash_t",
                         "table[%d].hash" % i,
                         h, _q.pack(h)))
    if mask + 1 > opts["max_items"]:
        rows.append(_more_row(mask + 1 - opts["max_items"]))
    where = "the inline smalltable" if table == addr + layout.struct(
        "PySetObject").offset("smalltable") else "a separate table"
    return [{"key": "table", "addr": table,
             "title": "table: %d setentry slots in %s" % (mask + 1, where), "rows": rows}]


# ------------------------------------------------------------------------------------------
# instances of classes: the words after the header (slots, __dict__, __weakref__)
# ------------------------------------------------------------------------------------------
_MEMBER = layout.struct("PyMemberDef")


def _type_members(taddr):
    """{offset: name} from the tp_members of taddr and its bases (slots, __dict__...)."""
    out = {}
    t, n = taddr, 0
    while t and n < 32:
        mp = word(t + _TYPE.offset("tp_members"))
        for i in range(256 if mp else 0):
            m = mp + i * _MEMBER.size
            name = word(m + _MEMBER.offset("name"))
            if not name:
                break
            out.setdefault(sword(m + _MEMBER.offset("offset")), _cstring(name))
        t = type_base(t)
        n += 1
    return out


def _instance_blocks(addr, dump, opts, taddr, struct_name):
    basic = sword(taddr + _OFF_TP_BASICSIZE)
    start = layout.struct(struct_name).size
    members = _type_members(taddr)
    dictoff = sword(taddr + _TYPE.offset("tp_dictoffset"))
    weakoff = sword(taddr + _TYPE.offset("tp_weaklistoffset"))
    rows = []
    for off in range(start, min(basic, start + PTR * 64), PTR):
        p = word(addr + off)
        name = members.get(off) or ("__dict__" if off == dictoff else
                                     "__weakref__" if off == weakoff else "word")
        note = describe_pointer(p) if p else "NULL"
        rows.append(_row(off, PTR, "PyObject *", name, p, _Q.pack(p), note, objptr=True))
    blocks = []
    if rows:
        blocks.append({"key": "slots", "addr": addr,
                       "title": "after the %s header: tp_basicsize %d (slots, __dict__, "
                                "__weakref__ pointers)" % (struct_name, basic), "rows": rows})
    if type_flags(taddr) & Py_TPFLAGS_MANAGED_DICT and sys.version_info[:2] == (3, 11):
        # 3.11 (Include/internal/pycore_object.h): two words before the PyGC_Head,
        # values at obj-4 words and dict at obj-3 words.
        pre = addr - SIZEOF_GC_HEAD - 2 * PTR
        prow = []
        for i, name in enumerate(("values (PyDictValues *)", "dict (PyObject *)")):
            p = word(pre + PTR * i)
            prow.append(_row(pre + PTR * i - addr, PTR, "PyObject *" if i else "PyDictValues *",
                             name, p, _Q.pack(p), describe_pointer(p) if (i and p) else
                             ("NULL" if not p else ""), objptr=bool(i)))
        blocks.append({"key": "preheader", "addr": addr,
                       "title": "managed-dict pre-header (before the PyGC_Head)",
                       "rows": prow})
    return blocks


# ------------------------------------------------------------------------------------------
# the whole object
# ------------------------------------------------------------------------------------------
_INLINE_SKIP = {
    "PyLongObject": ("ob_digit",), "PyTupleObject": ("ob_item",), "PyBytesObject": ("ob_sval",),
}
_BLOCKS = {
    id(int): _int_blocks, id(str): _str_blocks, id(bytes): _bytes_blocks,
    id(tuple): _tuple_blocks, id(list): _list_blocks, id(dict): _dict_blocks,
    id(set): _set_blocks, id(frozenset): _set_blocks,
}

DEFAULT_OPTS = {"max_items": 16}


def object_size(addr, struct_name, base):
    """Bytes of the object's own block (header + inline data), without the PyGC_Head."""
    t = type_of(addr)
    basic = sword(t + _OFF_TP_BASICSIZE)
    item = sword(t + _OFF_TP_ITEMSIZE)
    if base == id(int):
        n, _ = _long_ndigits(addr)
        return _DIGIT_OFF + max(n, 1) * SIZEOF_DIGIT
    if base == id(str):
        info = _unicode_info(addr)
        if info["struct"] == "PyUnicodeObject":
            return layout.struct("PyUnicodeObject").size
        return layout.struct(info["struct"]).size + (info["length"] + 1) * info["kind"]
    if item:
        n = sword(addr + _OFF_VAR_SIZE)
        return basic + max(n, 0) * item
    return basic


def dump_object(addr, depth=1, opts=None, _seen=None):
    """The memory model of the object at addr (see the module docstring).

    depth: how many levels of object pointers to follow (0: annotate only)."""
    opts = dict(DEFAULT_OPTS, **(opts or {}))
    seen = set() if _seen is None else _seen
    seen.add(addr)
    t = type_of(addr)
    sname, base = struct_for(addr, t)
    skip = _INLINE_SKIP.get(sname, ())
    rows = field_rows(addr, sname, skip=skip)
    _annotate(rows, addr, sname, base)
    blocks = [{"key": "object", "addr": addr,
               "title": "%s at 0x%x" % (sname, addr), "rows": rows}]
    gc = bool(type_flags(t) & Py_TPFLAGS_HAVE_GC)
    if gc:
        g = addr - SIZEOF_GC_HEAD
        grows = field_rows(g, "PyGC_Head", base=addr)
        for r in grows:
            r["note"] = ("tracked by the cyclic GC" if r["value"] else "untracked") \
                if r["name"] == "_gc_next" else ""
        blocks.insert(0, {"key": "gc", "addr": addr,
                          "title": "PyGC_Head at 0x%x (in front of the object)" % g,
                          "rows": grows})
    extra = _BLOCKS.get(base)
    if extra is not None:
        blocks.extend(extra(addr, None, opts))
    elif sname in ("PyObject",) or t != base:
        blocks.extend(_instance_blocks(addr, None, opts, t, sname))
    try:
        v = decode(addr, 2)
        preview = repr(v) if type(v) is not int or v.bit_length() < 4096 else \
            "<int of %d bits>" % v.bit_length()
    except Exception:
        preview = "<%s object at 0x%x>" % (type_name(t), addr)
    if len(preview) > 200:
        preview = preview[:197] + "..."
    if sname in ("PyTypeObject", "PyHeapTypeObject"):
        for r in rows:
            if r["name"].endswith("tp_name") and r["value"]:
                r["note"] = repr(_cstring(r["value"]))
    d = {"addr": addr, "type": type_name(t), "type_addr": t, "struct": sname,
         "size": object_size(addr, sname, base), "gc": gc, "refcnt": refcnt_of(addr),
         "preview": preview, "blocks": blocks}
    if sname in ("PyTypeObject", "PyHeapTypeObject"):
        d["type_name"] = type_name(addr)
    if depth > 0:
        for b in blocks:
            for r in b["rows"]:
                p = r.get("ptr")
                if p and p not in seen and r["name"].split(".")[-1] != "ob_type" \
                        and p not in SYMBOLS:
                    try:
                        r["target"] = dump_object(p, depth - 1, opts, seen)
                    except Exception as e:     # never let a bad pointer stop the dump
                        r["note"] += " (not followed: %s)" % e
    return d


def _annotate(rows, addr, sname, base):
    """Human notes for the header fields of the object's main struct."""
    for r in rows:
        name = r["name"].split(".")[-1]
        v = r["value"]
        if name == "ob_type":
            r["note"] = describe_pointer(v)
        elif name == "ob_refcnt":
            r["note"] = "references"
        elif name == "ob_size" and base == id(int):
            n, sign = _long_ndigits(addr)
            r["note"] = "%d digit%s, %s" % (n, "" if n == 1 else "s",
                                            {1: "positive", 0: "zero", -1: "negative"}[sign])
        elif name == "lv_tag":
            n, sign = _long_ndigits(addr)
            r["note"] = "%d digits << 3 | sign" % n
        elif name == "ob_size":
            r["note"] = "items" if base != id(bytes) else "bytes"
        elif name in ("hash", "ob_shash"):
            r["note"] = "not computed yet" if v == -1 else "cached hash"
        elif name == "ob_fval":
            r["note"] = repr(v)
        elif name in ("kind", "compact", "ascii", "ready", "interned") and "state" in r["name"]:
            if name == "kind":
                r["note"] = {1: "1 byte/char", 2: "2 bytes/char", 4: "4 bytes/char"}.get(v, "")
            elif name == "interned":
                r["note"] = ["not interned", "interned", "interned, immortal"][v] \
                    if v in (0, 1, 2) else ""
        elif name == "ma_used":
            r["note"] = "items"
        elif name == "allocated":
            r["note"] = "capacity of ob_item"
        elif name == "ob_item" and base == id(list):
            r["note"] = "-> array of %s" % "pointers" if v else "NULL (empty list)"
        elif name == "ma_keys":
            r["note"] = "-> keys table (below)"
        elif name == "ma_values":
            r["note"] = "NULL: combined table" if not v else "split table values"
        elif name == "table" and base in (id(set), id(frozenset)):
            r["note"] = "-> smalltable (inline)" if v == addr + layout.struct(
                "PySetObject").offset("smalltable") else "-> separate table"
        elif r["ptr"] and not r["note"]:
            r["note"] = describe_pointer(v)


# ------------------------------------------------------------------------------------------
# guest vs host
# ------------------------------------------------------------------------------------------
def host_twin(guest_addr):
    """The host CPython's own object for the value of the guest object: built in the host
    from the decoded value (small ints and single characters come from the host's caches,
    exactly as the same literal would). Undecodable raises."""
    return _as_literal(decode(guest_addr))


def _as_literal(v):
    """Lists rebuilt the way a list display builds them (BUILD_LIST: PyList_New(n), so
    allocated == n) instead of by appending; everything else as decoded."""
    if type(v) is list:
        items = [_as_literal(x) for x in v]
        api = ctypes.pythonapi
        api.PyList_New.restype = ctypes.py_object
        api.PyList_New.argtypes = [ctypes.c_ssize_t]
        api.PyList_SetItem.argtypes = [ctypes.py_object, ctypes.c_ssize_t, ctypes.py_object]
        api.Py_IncRef.argtypes = [ctypes.py_object]
        out = api.PyList_New(len(items))
        for i, x in enumerate(items):
            api.Py_IncRef(x)                   # PyList_SetItem steals a reference
            api.PyList_SetItem(out, i, x)
        return out
    if type(v) is tuple:
        return tuple(_as_literal(x) for x in v)
    if type(v) is dict:
        return {k: _as_literal(x) for k, x in v.items()}
    return v


def _reason(block, name, ctype, gv, hv, g, h):
    last = name.split(".")[-1]
    if last == "ob_type" and block == "object":
        return "class object: the host twin's class is a host-made copy of the guest class"
    if last in ("ob_refcnt", "dk_refcnt"):
        return "reference count: guest %s, host %s (each side counts its own holders)" % (gv, hv)
    if block == "gc":
        return "GC list links: addresses of neighbours in each collector list"
    if last in ("hash", "ob_shash"):
        return "hash cache (-1 until hash() is first computed): guest %s, host %s" % (gv, hv)
    if last == "ma_version_tag":
        return "dict version tag (a global counter bumped by every dict change)"
    if last == "dk_version":
        return "keys version (set when the specializer caches a lookup)"
    if last == "interned":
        return "interning: the host interns identifier-like literals"
    if last == "allocated":
        return "capacity: depends on how the list was grown (guest %s, host %s)" % (gv, hv)
    if last == "dk_usable" or last.startswith("dk_log2") or last == "dk_nentries":
        return "table size: depends on how the dict was built (guest %s, host %s)" % (gv, hv)
    if last in ("utf8", "utf8_length", "wstr", "wstr_length"):
        return "cache of another encoding (filled on demand)"
    if last == "smalltable":
        return "addresses: the inline setentry table holds item pointers (rows under table)"
    if "*" in ctype or last in ("ob_item",) or name.startswith(("ob_item", "entries",
                                                                 "values", "table")) \
            and "hash" not in last:
        return "addresses: each side allocated its own objects"
    return "VALUE DIFFERS: guest %r, host %r" % (gv, hv)


def compare(g, h):
    """Rows whose bytes differ between the guest dump g and the host dump h.

    Returns {"differ": [{"block", "name", "guest", "host", "reason"}], "same": n,
    "total": n, "only_guest": [...], "only_host": [...]}."""
    hb = {b["key"]: b for b in h["blocks"]}
    differ, same, total = [], 0, 0
    only_g, only_h = [], []
    for b in g["blocks"]:
        other = hb.get(b["key"])
        if other is None:
            only_g.append(b["key"])
            continue
        orow = {r["name"]: r for r in other["rows"]}
        for r in b["rows"]:
            if r["offset"] is None:
                continue
            o = orow.get(r["name"])
            if o is None:
                only_g.append(r["name"])
                continue
            total += 1
            gsame = (r["value"] == o["value"]) if "bits" in r else (r["raw"] == o["raw"])
            if gsame:
                same += 1
                continue
            differ.append({"block": b["key"], "name": r["name"], "guest": r["value"],
                           "host": o["value"],
                           "reason": _reason(b["key"], r["name"], r["ctype"], r["value"],
                                             o["value"], r, o)})
        names = {r["name"] for r in b["rows"]}
        only_h.extend(r["name"] for r in other["rows"] if r["name"] not in names
                      and r["offset"] is not None)
    gk = {b["key"] for b in g["blocks"]}
    only_h.extend(b["key"] for b in h["blocks"] if b["key"] not in gk)
    return {"differ": differ, "same": same, "total": total, "only_guest": only_g,
            "only_host": only_h}


def summary_line(cmp_):
    """The closing sentence: which bytes differ and why."""
    d = cmp_["differ"]
    if not d and not (cmp_.get("only_guest") or cmp_.get("only_host")):
        return "all %d compared fields are byte-identical" % cmp_["total"]
    reasons = {}
    for x in d:
        key = x["reason"].split(":")[0]
        reasons.setdefault(key, []).append(x["name"])
    parts = []
    for k, names in reasons.items():
        shown = ", ".join(names[:4]) + (", …" if len(names) > 4 else "")
        parts.append("%s (%s)" % (shown, k))
    s = "%d of %d fields differ: %s; the other %d are byte-identical" % (
        len(d), cmp_["total"], "; ".join(parts), cmp_["same"])
    if cmp_.get("only_guest") or cmp_.get("only_host"):
        s += ". LAYOUT DIFFERS: only in the guest: %s; only in the host: %s" % (
            ", ".join(cmp_["only_guest"][:6]) or "nothing",
            ", ".join(cmp_["only_host"][:6]) or "nothing")
    if any(x["reason"].startswith("VALUE DIFFERS") for x in d):
        s += " — VALUE MISMATCH, this is a bug"
    return s


# ------------------------------------------------------------------------------------------
# text rendering
# ------------------------------------------------------------------------------------------
class Colors:
    def __init__(self, on):
        self.on = on

    def _c(self, code, s):
        return "\x1b[%sm%s\x1b[0m" % (code, s) if self.on else s

    def bold(self, s):
        return self._c("1", s)

    def dim(self, s):
        return self._c("2", s)

    def cyan(self, s):
        return self._c("36", s)

    def yellow(self, s):
        return self._c("33", s)

    def green(self, s):
        return self._c("32", s)

    def red(self, s):
        return self._c("31", s)


def _fmt_value(r):
    v = r["value"]
    if v is None:
        return ""
    if r["ptr"] is not None or ((r.get("hex") or "*" in r["ctype"] or r["ctype"] == "uintptr_t")
                                and isinstance(v, int)):
        return "0x%x" % v if v else "NULL"
    if isinstance(v, float):
        return repr(v)
    return str(v)


def render_text(d, colors=None, host=None, cmp_=None, indent="", out=None):
    """The table for dump d (and, when given, the host dump's values beside it)."""
    C = colors or Colors(False)
    lines = out if out is not None else []
    hrows = {}
    if host is not None:
        for b in host["blocks"]:
            for r in b["rows"]:
                hrows[(b["key"], r["name"])] = r
    differ = {(x["block"], x["name"]) for x in (cmp_ or {}).get("differ", [])}
    lines.append(indent + C.bold("%s object at 0x%x" % (d["type"], d["addr"])) +
                 "  %s, %d bytes%s, ob_refcnt %d  = %s" % (
                     d["struct"], d["size"], " + PyGC_Head" if d["gc"] else "",
                     d["refcnt"], d["preview"]))
    head = "%5s %4s  %-18s %-28s %-24s %-23s" % ("off", "size", "C type", "field", "value",
                                                 "raw bytes")
    if host is not None:
        head += "  %-22s %s" % ("host value", "host raw bytes")
    for b in d["blocks"]:
        lines.append(indent + "  " + C.cyan(b["title"]))
        lines.append(indent + "  " + C.dim(head))
        for r in b["rows"]:
            if r["offset"] is None:
                lines.append(indent + "  " + C.dim("%5s %4s  %-18s %-28s %s" % (
                    "", "", "", r["name"], r["note"])))
                continue
            raw = hexbytes(bytes.fromhex(r["raw"]), 8)
            val = _fmt_value(r)
            line = "%5d %4d  %-18s %-28s %-24s %-23s" % (
                r["offset"], r["size"], r["ctype"][:18], r["name"][:28], val[:24], raw)
            if host is not None:
                o = hrows.get((b["key"], r["name"]))
                if o is None:
                    line += "  " + C.dim("%-22s" % "(none)")
                elif (b["key"], r["name"]) in differ:
                    line += "  " + C.yellow("%-22s %s" % (_fmt_value(o)[:22], hexbytes(
                        bytes.fromhex(o["raw"]), 8)))
                else:
                    line += "  " + C.green("%-22s" % "same")
            if (b["key"], r["name"]) in differ:
                line = line.replace(r["name"][:28], C.yellow(r["name"][:28]), 1)
            lines.append(indent + "  " + line)
            if r["note"]:
                lines[-1] += "  " + C.dim(r["note"])
            if r.get("target") is not None:
                render_text(r["target"], C, indent=indent + "      ", out=lines)
    return lines


def render_report(expr, g, h, cmp_, colors):
    C = colors
    lines = [C.bold("beale dump: %s" % expr)]
    lines.append(C.bold("guest") + " (allocated by beale) — compared field by field with "
                 + C.bold("host") + " (CPython's own object for the same value)")
    render_text(g, C, host=h, cmp_=cmp_, out=lines)
    if h is not None:
        lines.append("")
        lines.append(C.bold("host") + " object for comparison:")
        render_text(h, C, indent="", out=lines)
        lines.append("")
        lines.append(C.bold("differences: ") + summary_line(cmp_))
        for x in cmp_["differ"]:
            lines.append("  %-8s %-28s %s" % (x["block"], x["name"], x["reason"]))
    return lines


# ------------------------------------------------------------------------------------------
# evaluating in the guest
# ------------------------------------------------------------------------------------------
class DumpError(Exception):
    pass


_session = None


def guest_session():
    """One guest interpreter session (runtime.cli.Session), made on first use."""
    global _session
    if _session is None:
        from runtime.cli import Session
        _session = Session(["-c"], "")
    return _session


def in_guest_thread(fn):
    """Run fn() the way the CLI runs guest code: in a thread with a big stack (so deep guest
    recursion ends in the guest's RecursionError, never a host stack overflow). Returns
    fn's result; an exception raised by fn is re-raised here."""
    try:
        from runtime.cli import run_with_big_stack
    except ImportError:                    # pragma: no cover
        return fn()
    box = {}

    def body():
        try:
            box["value"] = fn()
        except BaseException as e:          # carried to the calling thread
            box["error"] = e
        return 0
    run_with_big_stack(body)
    if "error" in box:
        raise box["error"]
    return box.get("value")


def guest_eval(expr, session=None):
    """Evaluate EXPR in the guest; returns a handle (W_Object) that keeps it alive.

    While the evaluator cannot start (it is being built), a literal EXPR is still built in
    the guest, by `build_literal` with the object model's constructors, and a note says so."""
    from runtime.errors import OperationError
    try:
        sess = session or guest_session()
        return sess.exec_in_main(expr, "<dump>", "eval")
    except OperationError:
        raise
    except Exception as e:                  # the evaluator is not available
        try:
            w = build_literal(expr)
        except DumpError:
            raise DumpError("the guest evaluator is not available (%s: %s) and %r is not a "
                            "literal" % (type(e).__name__, e, expr))
        sys.stderr.write("beale dump: note: evaluator unavailable (%s: %s); %r was built "
                         "from its literal with the object model\n"
                         % (type(e).__name__, str(e)[:80], expr))
        return w


def build_literal(expr):
    """Build the guest object for a literal expression (numbers, str, bytes, True/False/None,
    tuples, lists, dicts, sets, unary minus) with the object model's own constructors, the
    way the evaluator's BUILD_LIST/BUILD_MAP paths do. DumpError for anything else."""
    import ast
    from runtime import object as o
    o.load_builtin_types()
    try:
        tree = ast.parse(expr.strip(), mode="eval")
    except SyntaxError as e:
        raise DumpError("syntax error: %s" % e)
    return _literal(tree.body)


def _int_ops():
    import ast
    import operator
    return {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
            ast.Pow: operator.pow, ast.LShift: operator.lshift}


_INT_OPS = _int_ops()


def _literal(node):
    import ast
    from runtime import object as o
    if isinstance(node, ast.Constant):
        v = node.value
        if v is None:
            return o.w_None
        if v is True or v is False:
            return o.w_True if v else o.w_False
        if v is Ellipsis:
            return o.w_Ellipsis
        if isinstance(v, int):
            from runtime.intobject import new_int
            return new_int(v)
        if isinstance(v, float):
            from runtime.floatobject import new_float
            return new_float(v)
        if isinstance(v, complex):
            from runtime.complexobject import new_complex
            return new_complex(v)
        if isinstance(v, str):
            from runtime.unicodeobject import new_str
            return new_str(v)
        if isinstance(v, bytes):
            from runtime.bytesobject import new_bytes
            return new_bytes(v)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and \
            isinstance(node.operand, ast.Constant) and type(node.operand.value) in (int, float):
        return _literal(ast.Constant(-node.operand.value))
    if isinstance(node, ast.BinOp) and type(node.op) in _INT_OPS:
        # constant folding, as CPython's compiler does for 2**70 or 1 << 40
        a, b = _literal(node.left), _literal(node.right)
        if type(getattr(a, "v", None)) is int and type(getattr(b, "v", None)) is int:
            if type(node.op) in (ast.Pow, ast.LShift) and abs(b.v) > 100000:
                raise DumpError("constant too large to fold")
            return _literal(ast.Constant(_INT_OPS[type(node.op)](a.v, b.v)))
    if isinstance(node, ast.Tuple):
        from runtime.tupleobject import new_tuple
        return new_tuple([_literal(e) for e in node.elts])
    if isinstance(node, ast.List):
        from runtime.listobject import new_list
        return new_list([_literal(e) for e in node.elts])
    if isinstance(node, ast.Dict) and None not in node.keys:
        from runtime.dictobject import new_dict_from_items
        return new_dict_from_items([_literal(k) for k in node.keys],
                                   [_literal(v) for v in node.values])
    if isinstance(node, ast.Set):
        from runtime import setobject
        maker = getattr(setobject, "new_set", None)
        if maker is not None:
            return maker([_literal(e) for e in node.elts])
    raise DumpError("not a literal: %s" % type(node).__name__)


def guest_run_and_get(path, name):
    """Run the script at path in a fresh guest __main__, then return its global `name`."""
    from runtime import moduleobject
    from runtime.cli import Session
    sess = Session([path], os.path.dirname(os.path.abspath(path)))
    code = sess.run_file(path)
    if code not in (0, None):
        raise DumpError("%s exited with %s" % (path, code))
    try:
        return moduleobject.get(sess.w_main, name)
    except Exception:
        raise DumpError("the script defines no global %r" % name)


# ------------------------------------------------------------------------------------------
# the command
# ------------------------------------------------------------------------------------------
USAGE = """usage: beale dump [--depth N] [--json] [--color|--no-color] [--no-host] [--max-items N]
                  [--svg FILE] [--png FILE] EXPR
       beale dump [options] -f script.py NAME
Evaluate EXPR in the guest (or run script.py and take its global NAME) and print the object's
C struct field by field beside the host CPython's own object for the same value."""


def parse(argv):
    o = {"depth": 1, "json": False, "color": None, "host": True, "max_items": 16,
         "file": None, "expr": None, "svg": None, "png": None}
    rest = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("-h", "--help"):
            raise SystemExit(USAGE)
        if a == "--depth" or a == "--max-items":
            if i + 1 >= len(argv):
                raise DumpError("%s needs a number" % a)
            try:
                o[a[2:].replace("-", "_")] = int(argv[i + 1])
            except ValueError:
                raise DumpError("%s needs a number" % a)
            i += 2
            continue
        if a.startswith("--depth="):
            o["depth"] = int(a.split("=", 1)[1])
        elif a == "--json":
            o["json"] = True
        elif a == "--color":
            o["color"] = True
        elif a == "--no-color":
            o["color"] = False
        elif a == "--no-host":
            o["host"] = False
        elif a in ("--svg", "--png"):
            if i + 1 >= len(argv):
                raise DumpError("%s needs a file name" % a)
            o[a[2:]] = argv[i + 1]
            i += 2
            continue
        elif a == "-f":
            if i + 1 >= len(argv):
                raise DumpError("-f needs a script")
            o["file"] = argv[i + 1]
            i += 2
            continue
        else:
            rest.append(a)
        i += 1
    if o["file"] is not None:
        if len(rest) != 1:
            raise DumpError("-f script.py needs exactly one NAME")
        o["name"] = rest[0]
    else:
        if not rest:
            raise DumpError("nothing to dump: give an EXPR")
        o["expr"] = " ".join(rest)
    return o


def dump_report(w, label, depth=1, max_items=16, host=True):
    """{"expr", "guest", "host", "compare", "summary"} for the guest handle w."""
    addr = w.addr if hasattr(w, "addr") else int(w)
    opts = {"max_items": max_items}
    g = dump_object(addr, depth, opts)
    rep = {"expr": label, "guest": g, "host": None, "compare": None, "summary": None}
    if host:
        try:
            twin = host_twin(addr)
        except Undecodable as e:
            twin = instance_twin(addr)
            if twin is None:
                rep["summary"] = "no host twin: %s has no literal value" % e
                return rep
        if id(twin) == addr:
            rep["summary"] = ("the guest's %s is the host's own object (0x%x): beale uses the "
                              "host's singletons and shares their reference count"
                              % (describe_pointer(addr), addr))
            return rep
        rep["host"] = dump_object(id(twin), depth, opts)
        rep["_twin"] = twin          # keeps the host object alive while the report lives
        rep["compare"] = compare(g, rep["host"])
        gt, ht = type_of(addr), type_of(id(twin))
        types = ("both have ob_type = %s" % describe_pointer(gt)) if gt == ht else (
            "ob_type: the guest's class at 0x%x, the host twin's own class at 0x%x" % (gt, ht))
        rep["summary"] = "%s. Guest object at 0x%x, host object at 0x%x (separate " \
            "allocations); %s" % (summary_line(rep["compare"]), addr, id(twin), types)
    return rep


def instance_twin(addr):
    """For an instance of a guest class deriving from object: a host instance of a host class
    of the same name and shape (__slots__, or a __dict__) holding the same decoded attribute
    values, so the layout CPython gives such an instance can be compared with beale's.
    None when the object is not such an instance or an attribute has no literal value."""
    t = type_of(addr)
    if not type_flags(t) & Py_TPFLAGS_HEAPTYPE or type_base(t) != id(object):
        return None
    sname, base = struct_for(addr, t)
    if base != id(object):
        return None
    try:
        attrs = {}
        members = _type_members(t)
        slots = [members[o] for o in sorted(members) if members[o] not in ("__dict__",
                                                                          "__weakref__")]
        for off in sorted(members):
            name = members[off]
            if name in slots:
                p = word(addr + off)
                if p:
                    attrs[name] = decode(p)
        has_dict = False
        for b in dump_object(addr, 0)["blocks"]:
            for r in b["rows"]:
                if r["name"] in ("__dict__", "dict (PyObject *)"):
                    has_dict = True
                    if r["value"]:
                        attrs.update(decode(r["value"]))
        if not all(isinstance(k, str) for k in attrs):
            return None
        ns = {} if has_dict else {"__slots__": tuple(slots)}
        cls = type(type_name(t), (object,), ns)
        obj = object.__new__(cls)
        for k, v in attrs.items():
            object.__setattr__(obj, k, _as_literal(v))
        return obj
    except (Undecodable, TypeError, ValueError, AttributeError):
        return None


def _jsonable(rep):
    return {k: v for k, v in rep.items() if not k.startswith("_")}


def _guest_error_text(e):
    """'SyntaxError: invalid syntax' for a guest exception."""
    try:
        from runtime import exceptions
        w = exceptions.materialise(e)
        msg = exceptions.exception_str(w)
        name = exceptions.type_name(w)
        return "%s: %s" % (name, msg) if msg else name
    except Exception:
        return str(e)


def main(argv):
    """`beale dump ...`; returns the exit code."""
    try:
        o = parse(list(argv))
    except DumpError as e:
        sys.stderr.write("beale dump: %s\n%s\n" % (e, USAGE))
        return 2
    except SystemExit as e:
        print(e.code)
        return 0
    from runtime.errors import OperationError
    try:
        if o["file"] is not None:
            w = in_guest_thread(lambda: guest_run_and_get(o["file"], o["name"]))
            label = "%s from %s" % (o["name"], o["file"])
        else:
            w = in_guest_thread(lambda: guest_eval(o["expr"]))
            label = o["expr"]
    except OperationError as e:
        sys.stderr.write("beale dump: the guest raised %s\n" % (_guest_error_text(e),))
        return 1
    except DumpError as e:
        sys.stderr.write("beale dump: %s\n" % e)
        return 1
    try:
        return _print_report(w, label, o)
    except (RecursionError, ValueError, OverflowError) as e:
        sys.stderr.write("beale dump: cannot read the object: %s: %s\n" % (type(e).__name__, e))
        return 1


MAX_DEPTH = 32


def _print_report(w, label, o):
    rep = dump_report(w, label, min(max(o["depth"], 0), MAX_DEPTH), max(o["max_items"], 1),
                      o["host"])
    if o["svg"] or o["png"]:
        from runtime import svg
        if rep["host"] is not None:
            text = svg.render_pair(rep["guest"], rep["host"], rep["compare"], rep["summary"])
        else:
            text = svg.render(rep["guest"])
        if o["svg"]:
            with open(o["svg"], "w") as f:
                f.write(text)
        if o["png"]:
            try:
                svg.to_png(text, o["png"])
            except (RuntimeError, OSError) as e:
                sys.stderr.write("beale dump: no PNG: %s\n" % e)
                return 1
    if o["json"]:
        json.dump(_jsonable(rep), sys.stdout, indent=1, default=str)
        sys.stdout.write("\n")
        return 0
    color = o["color"] if o["color"] is not None else (
        sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    C = Colors(color)
    if rep["host"] is None:
        lines = [C.bold("beale dump: %s" % label)]
        render_text(rep["guest"], C, out=lines)
        if rep["summary"]:
            lines.append(rep["summary"])
    else:
        lines = render_report(label, rep["guest"], rep["host"], rep["compare"], C)
        lines[-1 - len(rep["compare"]["differ"])] = C.bold("differences: ") + rep["summary"]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
