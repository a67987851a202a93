"""Acceptance 2: reading live host objects through layout/ gives what Python says.

Nothing here assumes a CPython version: each helper looks at which fields the
parsed headers have (3.12's PyLongObject has long_value.lv_tag, 3.11's a signed
ob_size; PyASCIIObject's wstr exists up to 3.11 only, ...).
"""

import ctypes
import gc
import math
import struct as pystruct
import sys

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import layout

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def has(struct_name, path):
    try:
        layout.struct(struct_name).field(path)
        return True
    except KeyError:
        return False


def ptr_array(addr, n):
    return [int.from_bytes(ctypes.string_at(addr + 8 * i, 8), "little") for i in range(n)]


# -- object header ----------------------------------------------------------------------

@given(st.one_of(st.integers(), st.floats(), st.text(), st.binary(),
                 st.lists(st.integers()), st.tuples(st.integers(), st.text()),
                 st.dictionaries(st.text(), st.integers()), st.none(), st.booleans()))
@SETTINGS
def test_ob_type_is_type(obj):
    assert layout.read(id(obj), "PyObject", "ob_type") == id(type(obj))


def test_refcount_field():
    x = [object()]
    r = layout.read(id(x), "PyObject", "ob_refcnt")
    assert r == sys.getrefcount(x) - 1
    y = x  # noqa: F841  one more reference
    assert layout.read(id(x), "PyObject", "ob_refcnt") == r + 1


@given(st.one_of(st.lists(st.integers()), st.tuples(st.integers(), st.integers()),
                 st.binary(), st.text()))
@SETTINGS
def test_var_object_size(obj):
    if isinstance(obj, str):
        assert layout.read(id(obj), "PyASCIIObject", "length") == len(obj)
    else:
        assert layout.read(id(obj), "PyVarObject", "ob_size") == len(obj)


def test_gc_head_precedes_gc_objects():
    gch = layout.struct("PyGC_Head").size
    first = layout.struct("PyGC_Head").fields[0].name  # _gc_next
    lst = [1, 2, 3]
    assert gc.is_tracked(lst)
    assert layout.read(id(lst) - gch, "PyGC_Head", first) != 0
    t = (1, 2)  # a tuple of ints is untracked once the GC has seen it... or at creation
    d = {}
    assert gc.is_tracked(d) is (layout.read(id(d) - gch, "PyGC_Head", first) != 0)
    del t


# -- numbers ------------------------------------------------------------------------------

def read_int(addr):
    """Rebuild an int from its PyLongObject (either header layout)."""
    shift = sys.int_info.bits_per_digit
    if has("PyLongObject", "long_value.lv_tag"):
        # 3.12+: lv_tag = ndigits << 3 | sign bits (0 positive, 1 zero, 2 negative)
        tag = layout.read(addr, "PyLongObject", "long_value.lv_tag")
        ndigits, sign = tag >> 3, 1 - (tag & 3)
        prefix = "long_value.ob_digit"
    else:
        size = layout.read(addr, "PyLongObject", "ob_base.ob_size")
        ndigits, sign = abs(size), (size > 0) - (size < 0)
        prefix = "ob_digit"
    value = 0
    for i in reversed(range(ndigits)):
        value = (value << shift) | layout.read(addr, "PyLongObject", "%s[%d]" % (prefix, i))
    return sign * value if ndigits else 0


@pytest.mark.parametrize("n", [0, 1, -1, 5, 256, 257, -5, 2 ** 30 - 1, 2 ** 30, 2 ** 31,
                               -(2 ** 62), 10 ** 40, -(10 ** 100)])
def test_int_digits_known(n):
    assert read_int(id(n)) == n


@given(st.integers(min_value=-(2 ** 300), max_value=2 ** 300))
@SETTINGS
def test_int_digits(n):
    assert read_int(id(n)) == n


def test_bools_are_ints():
    assert read_int(id(True)) == 1 and read_int(id(False)) == 0


@given(st.floats(allow_nan=True, allow_infinity=True))
@SETTINGS
def test_float_value(x):
    v = layout.read(id(x), "PyFloatObject", "ob_fval")
    assert pystruct.pack("<d", v) == pystruct.pack("<d", x)


@given(st.complex_numbers(allow_nan=False))
@SETTINGS
def test_complex_value(z):
    assert layout.read(id(z), "PyComplexObject", "cval.real") == z.real
    assert layout.read(id(z), "PyComplexObject", "cval.imag") == z.imag


# -- bytes and str ---------------------------------------------------------------------------

@given(st.binary(max_size=200))
@SETTINGS
def test_bytes_data_and_hash(b):
    off = layout.struct("PyBytesObject").offset("ob_sval")
    assert ctypes.string_at(id(b) + off, len(b) + 1) == b + b"\0"
    assert layout.read(id(b), "PyBytesObject", "ob_base.ob_size") == len(b)
    if has("PyBytesObject", "ob_shash"):
        h = hash(b)
        assert layout.read(id(b), "PyBytesObject", "ob_shash") == h


@given(st.binary(max_size=100))
@SETTINGS
def test_bytearray(b):
    ba = bytearray(b)
    start = layout.read(id(ba), "PyByteArrayObject", "ob_start")
    assert layout.read(id(ba), "PyByteArrayObject", "ob_base.ob_size") == len(b)
    assert ctypes.string_at(start, len(b)) == b
    assert layout.read(id(ba), "PyByteArrayObject", "ob_alloc") >= len(b)


def read_str(addr):
    """Decode a compact str from its PyASCIIObject/PyCompactUnicodeObject."""
    length = layout.read(addr, "PyASCIIObject", "length")
    kind = layout.read(addr, "PyASCIIObject", "state.kind")
    compact = layout.read(addr, "PyASCIIObject", "state.compact")
    ascii_ = layout.read(addr, "PyASCIIObject", "state.ascii")
    assert compact == 1
    head = layout.struct("PyASCIIObject" if ascii_ else "PyCompactUnicodeObject").size
    raw = ctypes.string_at(addr + head, (length + 1) * kind)
    assert raw[-kind:] == b"\0" * kind  # NUL-terminated
    # code units of 1, 2 or 4 bytes (UCS2 is not UTF-16: decode unit by unit)
    text = "".join(chr(int.from_bytes(raw[i:i + kind], "little"))
                   for i in range(0, kind * length, kind))
    return text, kind, ascii_


def kind_of(s):
    m = max(map(ord, s), default=0)
    return 1 if m < 256 else 2 if m < 65536 else 4


@pytest.mark.parametrize("s,kind,is_ascii", [
    ("", 1, 1), ("hello", 1, 1), ("caf\xe9", 1, 0), ("\u20ac uro", 2, 0),
    ("\U0001F600 smile", 4, 0), ("\x00nul", 1, 1)])
def test_unicode_four_kinds(s, kind, is_ascii):
    s = "".join(list(s))  # a fresh object, not an interned constant
    addr = id(s)
    assert layout.read(addr, "PyASCIIObject", "state.kind") == kind
    assert layout.read(addr, "PyASCIIObject", "state.ascii") == is_ascii
    assert layout.read(addr, "PyASCIIObject", "state.compact") == 1
    assert read_str(addr) == (s, kind, is_ascii)


@given(st.text(max_size=50))
@SETTINGS
def test_unicode_text(s):
    s = "".join(list(s)) + "!"
    got, kind, ascii_ = read_str(id(s))
    assert ascii_ == (max(map(ord, s)) < 128)
    assert kind == kind_of(s)
    assert got == s
    h = hash(s)
    assert layout.read(id(s), "PyASCIIObject", "hash") == h
    if not layout.read(id(s), "PyASCIIObject", "state.ascii"):
        # the UTF-8 cache is filled on demand; when present it holds the UTF-8 form
        if has("PyCompactUnicodeObject", "utf8_length"):
            n = layout.read(id(s), "PyCompactUnicodeObject", "utf8_length")
            p = layout.read(id(s), "PyCompactUnicodeObject", "utf8")
            if p:
                assert ctypes.string_at(p, n) == s.encode("utf-8", "surrogatepass")


def test_unicode_hash_cache_starts_empty():
    s = "".join(["abc", "def", "ghi"])
    assert layout.read(id(s), "PyASCIIObject", "hash") == -1
    h = hash(s)
    assert layout.read(id(s), "PyASCIIObject", "hash") == h


# -- containers ------------------------------------------------------------------------------

@given(st.lists(st.one_of(st.integers(), st.text(), st.floats()), max_size=30))
@SETTINGS
def test_tuple_and_list_items(items):
    t = tuple(items)
    off = layout.struct("PyTupleObject").offset("ob_item")
    assert ptr_array(id(t) + off, len(t)) == [id(x) for x in t]
    lst = list(items)
    assert layout.read(id(lst), "PyListObject", "ob_base.ob_size") == len(lst)
    assert layout.read(id(lst), "PyListObject", "allocated") >= len(lst)
    arr = layout.read(id(lst), "PyListObject", "ob_item")
    assert ptr_array(arr, len(lst)) == [id(x) for x in lst]


needs_dict_keys = pytest.mark.skipif(
    "PyDictKeysObject" not in layout.structs() or not has("PyDictKeysObject", "dk_kind"),
    reason="this CPython's headers do not ship the dict keys struct (3.10: Objects/dict-common.h)")


def dict_items(d):
    """(key id, value id) pairs of a combined-table dict, in insertion order."""
    addr = id(d)
    assert layout.read(addr, "PyDictObject", "ma_values") == 0  # combined table
    keys = layout.read(addr, "PyDictObject", "ma_keys")
    k = layout.struct("PyDictKeysObject")
    log2_index_bytes = layout.read(keys, "PyDictKeysObject", "dk_log2_index_bytes")
    entries = keys + k.offset("dk_indices") + (1 << log2_index_bytes)
    general = layout.read(keys, "PyDictKeysObject", "dk_kind") == 0  # DICT_KEYS_GENERAL
    ename = "PyDictKeyEntry" if general else "PyDictUnicodeEntry"
    esize = layout.struct(ename).size
    out = []
    for i in range(layout.read(keys, "PyDictKeysObject", "dk_nentries")):
        e = entries + i * esize
        key = layout.read(e, ename, "me_key")
        if key:
            out.append((key, layout.read(e, ename, "me_value")))
            if general:
                assert layout.read(e, ename, "me_hash") == hash(ctypes.cast(
                    key, ctypes.py_object).value)
    return out


@needs_dict_keys
@given(st.dictionaries(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False)),
                       st.integers(), max_size=40))
@SETTINGS
def test_dict_entries_in_order(d):
    assert layout.read(id(d), "PyDictObject", "ma_used") == len(d)
    assert dict_items(d) == [(id(k), id(v)) for k, v in d.items()]


@needs_dict_keys
def test_dict_with_deletions_keeps_order():
    d = {str(i): i for i in range(20)}
    for i in range(0, 20, 3):
        del d[str(i)]
    d["new"] = 99
    assert layout.read(id(d), "PyDictObject", "ma_used") == len(d)
    assert dict_items(d) == [(id(k), id(v)) for k, v in d.items()]


def test_dict_used_without_keys_struct():
    d = dict.fromkeys(range(7))
    assert layout.read(id(d), "PyDictObject", "ma_used") == 7


@given(st.sets(st.one_of(st.integers(), st.text()), max_size=40))
@SETTINGS
def test_set_table(s):
    assert layout.read(id(s), "PySetObject", "used") == len(s)
    mask = layout.read(id(s), "PySetObject", "mask")
    table = layout.read(id(s), "PySetObject", "table")
    es = layout.struct("setentry")
    found = {}
    for i in range(mask + 1):
        key = layout.read(table + i * es.size, "setentry", "key")
        if key:
            found[key] = layout.read(table + i * es.size, "setentry", "hash")
    for x in s:
        assert found[id(x)] == hash(x)


def test_slice_and_cell():
    sl = slice(1, "b", None)
    assert layout.read(id(sl), "PySliceObject", "start") == id(1)
    assert layout.read(id(sl), "PySliceObject", "stop") == id("b")
    assert layout.read(id(sl), "PySliceObject", "step") == id(None)
    v = object()
    cell = (lambda: v).__closure__[0]
    assert layout.read(id(cell), "PyCellObject", "ob_ref") == id(v)


# -- types -------------------------------------------------------------------------------------

def c_string(addr):
    return ctypes.string_at(addr).decode()


class Plain:
    pass


class WithSlots:
    __slots__ = ("a", "b")


@pytest.mark.parametrize("tp", [int, float, complex, str, bytes, bytearray, tuple, list,
                                dict, set, frozenset, slice, range, type, object, bool,
                                memoryview, BaseException, OSError, KeyError, Plain,
                                WithSlots, type(len), type(sys)])
def test_type_object_fields(tp):
    a = id(tp)
    assert c_string(layout.read(a, "PyTypeObject", "tp_name")).rsplit(".", 1)[-1] == tp.__name__
    assert layout.read(a, "PyTypeObject", "tp_basicsize") == tp.__basicsize__
    assert layout.read(a, "PyTypeObject", "tp_itemsize") == tp.__itemsize__
    assert layout.read(a, "PyTypeObject", "tp_flags") == tp.__flags__
    assert layout.read(a, "PyTypeObject", "ob_base.ob_base.ob_type") == id(type(tp))
    base = layout.read(a, "PyTypeObject", "tp_base")
    assert base == (id(tp.__base__) if tp.__base__ is not None else 0)
    assert layout.read(a, "PyTypeObject", "tp_mro") == id(tp.__mro__)


def test_heap_type_name():
    a = id(Plain)
    assert layout.read(a, "PyHeapTypeObject", "ht_name") == id(Plain.__name__)
    assert layout.read(a, "PyHeapTypeObject", "ht_qualname") == id(Plain.__qualname__)


def test_basicsize_matches_struct_sizes():
    assert float.__basicsize__ == layout.struct("PyFloatObject").size
    assert complex.__basicsize__ == layout.struct("PyComplexObject").size
    assert type.__basicsize__ == layout.struct("PyHeapTypeObject").size
    assert slice.__basicsize__ == layout.struct("PySliceObject").size
    assert set.__basicsize__ == layout.struct("PySetObject").size
    assert dict.__basicsize__ == layout.struct("PyDictObject").size
    assert list.__basicsize__ == layout.struct("PyListObject").size
    assert BaseException.__basicsize__ == layout.struct("PyBaseExceptionObject").size
    assert OSError.__basicsize__ == layout.struct("PyOSErrorObject").size
    assert SyntaxError.__basicsize__ == layout.struct("PySyntaxErrorObject").size
    assert StopIteration.__basicsize__ == layout.struct("PyStopIterationObject").size
    assert SystemExit.__basicsize__ == layout.struct("PySystemExitObject").size
    assert ImportError.__basicsize__ == layout.struct("PyImportErrorObject").size
    assert UnicodeDecodeError.__basicsize__ == layout.struct("PyUnicodeErrorObject").size
    assert NameError.__basicsize__ == layout.struct("PyNameErrorObject").size
    assert AttributeError.__basicsize__ == layout.struct("PyAttributeErrorObject").size
    assert type(sys).__basicsize__ == layout.struct("PyModuleObject").size
    assert type(len).__basicsize__ == layout.struct("PyCFunctionObject").size
    # memoryview is variable-sized: its items start at ob_array
    assert memoryview.__basicsize__ == layout.struct("PyMemoryViewObject").offset("ob_array")


def test_memoryview_itemsize_field():
    mv = memoryview(b"abcdef")
    assert layout.read(id(mv), "PyMemoryViewObject", "view.len") == 6
    assert layout.read(id(mv), "PyMemoryViewObject", "view.itemsize") == 1
    assert layout.read(id(mv), "PyMemoryViewObject", "view.readonly") == 1


# -- exceptions, functions, modules ---------------------------------------------------------------

def test_exception_fields():
    e = OSError(2, "nope", "f.txt")
    assert layout.read(id(e), "PyBaseExceptionObject", "args") == id(e.args)
    assert layout.read(id(e), "PyOSErrorObject", "myerrno") == id(e.errno)
    assert layout.read(id(e), "PyOSErrorObject", "strerror") == id(e.strerror)
    assert layout.read(id(e), "PyOSErrorObject", "filename") == id(e.filename)
    s = StopIteration(42)
    assert layout.read(id(s), "PyStopIterationObject", "value") == id(s.value)
    x = SystemExit(3)
    assert layout.read(id(x), "PySystemExitObject", "code") == id(x.code)
    n = NameError("n", name="zz")
    assert layout.read(id(n), "PyNameErrorObject", "name") == id(n.name)


def test_function_and_code():
    def f(a, b=2):
        return a + b
    assert layout.read(id(f), "PyFunctionObject", "func_code") == id(f.__code__)
    assert layout.read(id(f), "PyFunctionObject", "func_globals") == id(f.__globals__)
    assert layout.read(id(f), "PyFunctionObject", "func_defaults") == id(f.__defaults__)
    c = f.__code__
    assert layout.read(id(c), "PyCodeObject", "co_argcount") == c.co_argcount == 2
    assert layout.read(id(c), "PyCodeObject", "co_flags") == c.co_flags
    assert layout.read(id(c), "PyCodeObject", "co_firstlineno") == c.co_firstlineno


def test_module_and_builtin_function():
    assert layout.read(id(math), "PyModuleObject", "md_dict") == id(math.__dict__)
    assert layout.read(id(len), "PyCFunctionObject", "m_self") == id(sys.modules["builtins"])
    ml = layout.read(id(len), "PyCFunctionObject", "m_ml")
    assert c_string(layout.read(ml, "PyMethodDef", "ml_name")) == "len"


def test_method_and_descriptors():
    class C:
        def m(self):
            pass
    o = C()
    bm = o.m
    assert layout.read(id(bm), "PyMethodObject", "im_self") == id(o)
    assert layout.read(id(bm), "PyMethodObject", "im_func") == id(C.__dict__["m"])
    d = str.__dict__["upper"]  # method_descriptor
    assert layout.read(id(d), "PyDescrObject", "d_type") == id(str)
    assert layout.read(id(d), "PyDescrObject", "d_name") == id(d.__name__)
    md = layout.read(id(d), "PyMethodDescrObject", "d_method")
    assert c_string(layout.read(md, "PyMethodDef", "ml_name")) == "upper"
    w = int.__dict__["__add__"]  # wrapper_descriptor
    base = layout.read(id(w), "PyWrapperDescrObject", "d_base")
    assert c_string(layout.read(base, "struct wrapperbase", "name")) == "__add__"
    mem = type(o).__dict__.get("__weakref__") or Plain.__dict__["__weakref__"]
    assert layout.read(id(mem), "PyDescrObject", "d_name") == id(mem.__name__)
    gs = type.__dict__["__dict__"]  # getset_descriptor
    gdef = layout.read(id(gs), "PyGetSetDescrObject", "d_getset")
    assert c_string(layout.read(gdef, "PyGetSetDef", "name")) == "__dict__"
    slot = WithSlots.__dict__["a"]  # member_descriptor
    mdef = layout.read(id(slot), "PyMemberDescrObject", "d_member")
    assert c_string(layout.read(mdef, "PyMemberDef", "name")) == "a"


def test_traceback_fields():
    try:
        def inner():
            raise ValueError("x")
        inner()
    except ValueError as e:
        tb = e.__traceback__
    assert layout.read(id(tb), "PyTracebackObject", "tb_next") == id(tb.tb_next)
    assert layout.read(id(tb), "PyTracebackObject", "tb_frame") == id(tb.tb_frame)
    assert layout.read(id(tb), "PyTracebackObject", "tb_lasti") == tb.tb_lasti
    # tb_lineno is computed lazily from tb_lasti on 3.12+ (-1 until asked for)
    assert layout.read(id(tb), "PyTracebackObject", "tb_lineno") in (tb.tb_lineno, -1)
