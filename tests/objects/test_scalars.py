"""Scalar objects: the guest struct is the host's struct (acceptance 1) and the host agrees
that it is the value (acceptance 2)."""

import ctypes
import json
import math
import struct as hoststruct

import _ctypes
from hypothesis import given, strategies as st

import layout
from runtime import object as o
from runtime.intobject import new_int, small_int, w_True, w_False, SHIFT
from runtime.floatobject import new_float
from runtime.complexobject import new_complex
from runtime.unicodeobject import new_str, str_hash
from runtime.bytesobject import new_bytes, bytes_hash
from runtime.bytearrayobject import new_bytearray, bytearray_value, bytearray_append, \
    bytearray_extend

from tests.objects.conftest import compare_struct

host = _ctypes.PyObj_FromPtr

big_ints = st.one_of(st.integers(), st.integers(min_value=-(1 << 300), max_value=1 << 300),
                     st.integers(min_value=-300, max_value=300))
floats = st.floats(allow_nan=True, allow_infinity=True)
texts = st.one_of(st.text(), st.text(alphabet=st.characters(max_codepoint=127)),
                  st.text(alphabet=st.characters(max_codepoint=255)),
                  st.text(alphabet=st.characters(max_codepoint=0xFFFF)),
                  st.text(alphabet=st.characters(min_codepoint=0x10000)),
                  st.text(alphabet=st.characters(blacklist_categories=())))


# ---------------------------------------------------------------------------- int
def _digits(addr, n):
    path = "long_value.ob_digit" if o.LONG_HAS_LV_TAG else "ob_digit"
    off = layout.struct("PyLongObject").offset(path)
    return ctypes.string_at(addr + off, 4 * n)


def _ob_size(addr):
    """Signed digit count (3.11: ob_size; 3.12+: decoded from lv_tag)."""
    if o.LONG_HAS_LV_TAG:
        tag = layout.read(addr, "PyLongObject", "long_value.lv_tag")
        return -(tag >> 3) if tag & 3 == 2 else tag >> 3
    return layout.read(addr, "PyLongObject", "ob_base.ob_size")


@given(big_ints)
def test_int_bytes_equal_host(v):
    w = new_int(v)
    h = int(str(v))                    # a host int with the same value
    compare_struct(w.addr, id(h), "PyLongObject")
    n = max(1, abs(_ob_size(id(h))))
    assert _digits(w.addr, n) == _digits(id(h), n)


def test_int_sign_and_digit_count():
    for v, size in ((0, 0), (1, 1), (-1, -1), (1 << SHIFT, 2), (-(1 << 60), -3)):
        w = new_int(v)
        assert _ob_size(w.addr) == size


def test_small_ints_are_beale_built_and_cached():
    for v in (-5, 0, 1, 256):
        w = new_int(v)
        assert w is small_int(v)
        assert w.addr != id(int(str(v)))     # not the host's small int
        assert host(w.addr) == v
    assert new_int(257) is not new_int(257)


@given(big_ints)
def test_int_host_agrees(v):
    w = new_int(v)
    h = host(w.addr)
    assert type(h) is int and h == v and hash(h) == hash(v)
    assert json.dumps(h) == json.dumps(v)
    assert o.wrap(w.addr).v == v
    assert str(h) == str(v)


def test_bool_is_host_singleton():
    assert w_True.addr == id(True) and w_False.addr == id(False)
    assert host(w_True.addr) is True
    assert o.wrap(id(True)) .v is True and type(o.wrap(id(False))) is o.W_Bool


# ---------------------------------------------------------------------------- float
@given(floats)
def test_float_bytes_equal_host(v):
    w = new_float(v)
    h = hoststruct.unpack("d", hoststruct.pack("d", v))[0]
    compare_struct(w.addr, id(h), "PyFloatObject")


@given(floats)
def test_float_host_agrees(v):
    w = new_float(v)
    h = host(w.addr)
    assert type(h) is float
    assert hoststruct.pack("d", h) == hoststruct.pack("d", v)
    if not math.isnan(v):
        assert h == v and hash(h) == hash(v)
        assert json.dumps(h) == json.dumps(v)
    if v >= 0 and not math.isinf(v) and not math.isnan(v):
        assert math.sqrt(h) == math.sqrt(v)


def test_float_accepted_by_c_code():
    w = new_float(2.25)
    assert hoststruct.pack("d", host(w.addr)) == hoststruct.pack("d", 2.25)
    assert math.sqrt(host(w.addr)) == 1.5
    assert json.dumps([host(w.addr)]) == "[2.25]"


# ---------------------------------------------------------------------------- complex
@given(floats, floats)
def test_complex_bytes_equal_host(a, b):
    v = complex(a, b)
    w = new_complex(v)
    h = complex(a, b)
    compare_struct(w.addr, id(h), "PyComplexObject")
    hv = host(w.addr)
    assert type(hv) is complex
    assert hoststruct.pack("dd", hv.real, hv.imag) == hoststruct.pack("dd", a, b)


# ---------------------------------------------------------------------------- str
def _fresh_host_str(s):
    """A host str equal to s, freshly built by CPython's decoder (narrowest kind, hash -1,
    utf8/wstr as PyUnicode_New leaves them)."""
    return s.encode("utf-32-le", "surrogatepass").decode("utf-32-le", "surrogatepass")


def _kind_size(s):
    m = max(map(ord, s)) if s else 0
    return 1 if m < 256 else (2 if m < 65536 else 4)


def _str_data(addr, s):
    """(header size, data bytes incl. terminating NUL) of a compact string."""
    ascii_ = layout.read(addr, "PyASCIIObject", "state.ascii")
    hdr = layout.struct("PyASCIIObject" if ascii_ else "PyCompactUnicodeObject").size
    cs = _kind_size(s)
    return hdr, ctypes.string_at(addr + hdr, (len(s) + 1) * cs)


def _str_pointer_rules():
    def data_ptr_rule(ga, ha, gp, hp):
        # NULL in both, or each pointing at its own character data (UCS-4 wstr sharing)
        if gp == 0 or hp == 0:
            return gp == hp
        return gp - ga == hp - ha
    return {"_base.wstr": data_ptr_rule, "wstr": data_ptr_rule, "utf8": data_ptr_rule}


@given(texts)
def test_str_bytes_equal_host(s):
    singleton = len(s) <= 1 and s <= "\xff"   # empty/latin-1 singletons (CPython's too)
    w = new_str(s)
    h = _fresh_host_str(s)
    # fresh: hash -1 (the shared ""/latin-1 singletons may have been hashed already)
    assert layout.read(w.addr, "PyASCIIObject", "hash") in ((-1, hash(s)) if singleton else (-1,))
    assert layout.read(w.addr, "PyASCIIObject", "state.interned") == 0
    # hash both so the cached hash field is compared too
    assert str_hash(w) == hash(h)
    # CPython's singletons may be interned (and on 3.12+ statically allocated)
    # (3.12+ also caches utf8 in the latin-1 singletons)
    skip = {"state.interned", "_base.state.interned", "state.statically_allocated",
            "_base.state.statically_allocated", "utf8", "utf8_length"} if singleton else set()
    ascii_ = s.isascii()
    name = "PyASCIIObject" if ascii_ else "PyCompactUnicodeObject"
    compare_struct(w.addr, id(h), name, skip=skip, pointer_rules=_str_pointer_rules())
    assert _str_data(w.addr, s) == _str_data(id(h), s)


def test_empty_and_latin1_singletons():
    assert new_str("") is new_str("")
    assert new_str("\xe9") is new_str("\xe9") and new_str("a") is new_str("a")
    assert new_str("ab") is not new_str("ab")
    assert new_bytes(b"x") is new_bytes(b"x") and new_bytes(b"") is new_bytes(b"")


def test_str_kinds_and_wstr_sharing():
    for s, kind, ascii_ in (("abc", 1, 1), ("caf\xe9", 1, 0), ("\u20ac1", 2, 0),
                            ("\U0001F600", 4, 0)):
        w = new_str(s)
        assert layout.read(w.addr, "PyASCIIObject", "state.kind") == kind
        assert layout.read(w.addr, "PyASCIIObject", "state.ascii") == ascii_
        assert layout.read(w.addr, "PyASCIIObject", "state.compact") == 1
        if o.UNICODE_HAS_WSTR and kind == 4:
            data = w.addr + layout.struct("PyCompactUnicodeObject").size
            assert layout.read(w.addr, "PyASCIIObject", "wstr") == data
            assert layout.read(w.addr, "PyCompactUnicodeObject", "wstr_length") == len(s)


@given(texts)
def test_str_host_agrees(s):
    w = new_str(s)
    h = host(w.addr)
    assert type(h) is str and h == s and len(h) == len(s)
    assert hash(h) == hash(s)
    # the host's hash() wrote the cache in the guest struct
    assert layout.read(w.addr, "PyASCIIObject", "hash") == hash(s)
    assert o.wrap(w.addr).v == s
    try:
        expected = json.dumps(s)
    except UnicodeEncodeError:        # pragma: no cover - json escapes everything
        return
    assert json.dumps(h) == expected


def test_str_used_by_host_c_code():
    w = new_str("h\xe9llo w\u20acrld \U0001F600")
    h = host(w.addr)
    assert h.encode("utf-8") == "h\xe9llo w\u20acrld \U0001F600".encode("utf-8")
    assert {h: 1}["h\xe9llo w\u20acrld \U0001F600"] == 1
    assert h.upper() == "H\xc9LLO W\u20acRLD \U0001F600"


def test_str_wrap_decodes_host_strings():
    for s in ("", "a", "abc", "\xff\xfe", "\u1234", "\U00010000\ud800"):
        assert o.wrap(id(s)).v == s


# ---------------------------------------------------------------------------- bytes
@given(st.binary())
def test_bytes_bytes_equal_host(b):
    w = new_bytes(b)
    h = bytes(bytearray(b))
    # fresh: ob_shash -1 (the shared empty and one-byte objects may be hashed already)
    assert layout.read(w.addr, "PyBytesObject", "ob_shash") in \
        ((-1, hash(b)) if len(b) <= 1 else (-1,))
    assert bytes_hash(w) == hash(h)
    compare_struct(w.addr, id(h), "PyBytesObject")
    off = layout.struct("PyBytesObject").offset("ob_sval")
    assert ctypes.string_at(w.addr + off, len(b) + 1) == ctypes.string_at(id(h) + off, len(b) + 1)


@given(st.binary())
def test_bytes_host_agrees(b):
    w = new_bytes(b)
    h = host(w.addr)
    assert type(h) is bytes and h == b and hash(h) == hash(b)
    assert o.wrap(w.addr).v == b
    assert h.decode("latin-1") == b.decode("latin-1")


# ---------------------------------------------------------------------------- bytearray
def _ba_rules():
    def buf_rule(ga, ha, gp, hp):
        if gp == 0 or hp == 0:
            return gp == hp
        n = layout.read(ha, "PyByteArrayObject", "ob_alloc")
        return ctypes.string_at(gp, n) [:layout.read(ha, "PyByteArrayObject",
                                                     "ob_base.ob_size") + 1] == \
            ctypes.string_at(hp, n)[:layout.read(ha, "PyByteArrayObject",
                                                 "ob_base.ob_size") + 1]

    def start_rule(ga, ha, gp, hp):
        gb = layout.read(ga, "PyByteArrayObject", "ob_bytes")
        hb = layout.read(ha, "PyByteArrayObject", "ob_bytes")
        return gp - gb == hp - hb
    return {"ob_bytes": buf_rule, "ob_start": start_rule}


@given(st.binary())
def test_bytearray_bytes_equal_host(b):
    w = new_bytearray(b)
    h = bytearray(b)
    compare_struct(w.addr, id(h), "PyByteArrayObject", pointer_rules=_ba_rules())
    assert host(w.addr) == h and type(host(w.addr)) is bytearray


@given(st.lists(st.one_of(st.integers(0, 255), st.binary(max_size=20)), max_size=60))
def test_bytearray_growth_matches_host(ops):
    """The same appends/extends give the same ob_alloc (PyByteArray_Resize's rule)."""
    w = new_bytearray(b"")
    h = bytearray()
    for op in ops:
        if isinstance(op, int):
            bytearray_append(w, new_int(op))
            h.append(op)
        else:
            bytearray_extend(w, new_bytes(op))
            h.extend(op)
        compare_struct(w.addr, id(h), "PyByteArrayObject", pointer_rules=_ba_rules())
    assert bytearray_value(w) == bytes(h)


def test_bytearray_mutated_by_host_is_seen_by_guest():
    w = new_bytearray(b"abc")
    h = host(w.addr)
    h.extend(b"defgh")              # host bytearray_extend resizes beale's buffer
    h[0] = ord("A")
    assert bytearray_value(w) == b"Abcdefgh"
    del h


_BA_OPS = st.lists(st.one_of(
    st.tuples(st.just("append"), st.integers(0, 255)),
    st.tuples(st.just("extend"), st.binary(max_size=12)),
    st.tuples(st.just("pop"), st.integers(-3, 3)),
    st.tuples(st.just("insert"), st.integers(-5, 5), st.integers(0, 255)),
    st.tuples(st.just("delslice"), st.integers(-6, 6), st.integers(-6, 6)),
    st.tuples(st.just("setslice"), st.integers(-6, 6), st.integers(-6, 6),
              st.binary(max_size=8)),
    st.tuples(st.just("delitem"), st.integers(-4, 4)),
    st.tuples(st.just("iadd"), st.binary(max_size=12)),
    st.tuples(st.just("clear"),)), max_size=40)


@given(st.binary(max_size=20), _BA_OPS)
def test_bytearray_mutations_keep_host_layout(init, ops):
    """After any sequence of mutations the guest bytearray has the host's ob_alloc,
    ob_start offset and contents (PyByteArray_Resize, bytearray_setslice_linear)."""
    from runtime.bytearrayobject import bytearray_typedef as td
    from runtime import space
    w = new_bytearray(init)
    h = bytearray(init)

    def g(x):
        return new_int(x)

    for op in ops:
        name = op[0]
        try:
            if name == "append":
                h.append(op[1])
            elif name == "extend":
                h.extend(op[1])
            elif name == "pop":
                h.pop(op[1])
            elif name == "insert":
                h.insert(op[1], op[2])
            elif name == "delslice":
                del h[op[1]:op[2]]
            elif name == "setslice":
                h[op[1]:op[2]] = op[3]
            elif name == "delitem":
                del h[op[1]]
            elif name == "iadd":
                h += op[1]
            elif name == "clear":
                h.clear()
            host_ok = True
        except IndexError:
            host_ok = False
        try:
            m = td.methods
            if name == "append":
                m["append"](w, g(op[1]))
            elif name == "extend":
                m["extend"](w, new_bytes(op[1]))
            elif name == "pop":
                m["pop"](w, g(op[1]))
            elif name == "insert":
                m["insert"](w, g(op[1]), g(op[2]))
            elif name == "delslice":
                m["__delitem__"](w, space.newslice(g(op[1]), g(op[2]), o.w_None))
            elif name == "setslice":
                m["__setitem__"](w, space.newslice(g(op[1]), g(op[2]), o.w_None),
                                 new_bytes(op[3]))
            elif name == "delitem":
                m["__delitem__"](w, g(op[1]))
            elif name == "iadd":
                m["__iadd__"](w, new_bytes(op[1]))
            elif name == "clear":
                m["clear"](w)
            guest_ok = True
        except o.OperationError as e:
            assert e.name == "IndexError"
            guest_ok = False
        assert guest_ok == host_ok, op
        compare_struct(w.addr, id(h), "PyByteArrayObject", pointer_rules=_ba_rules())
        assert bytearray_value(w) == bytes(h)
