"""Helpers shared by the container tests: build guest values from host values, and compare a
guest container's C structs with the host's for the same value (acceptance 1 of issue 3).

Pointers are compared by what they point to (`==` of the host objects at both addresses);
ob_refcnt, PyGC_Head links and padding are never compared (conftest.compare_struct)."""

import ctypes

import _ctypes

import layout
from layout import ffi

from runtime import object as o
from runtime.intobject import new_int
from runtime.floatobject import new_float
from runtime.unicodeobject import new_str
from runtime import tupleobject as T, listobject as L, dictobject as D, setobject as S

from tests.objects.conftest import compare_struct

from_ptr = _ctypes.PyObj_FromPtr


def to_guest(x):
    """A guest object for a host value, built with beale's constructors only.
    Dicts and sets are built by inserting in the host value's iteration order."""
    if x is None:
        return o.w_None
    if x is True:
        return o.w_True
    if x is False:
        return o.w_False
    t = type(x)
    if t is int:
        return new_int(x)
    if t is float:
        return new_float(x)
    if t is str:
        return new_str(x)
    if t is tuple:
        return T.new_tuple([to_guest(v) for v in x])
    if t is list:
        return L.new_list([to_guest(v) for v in x])
    if t is dict:
        w = D.new_dict()
        for k, v in x.items():
            D.dict_setitem(w, to_guest(k), to_guest(v))
        return w
    if t is set:
        return S.new_set([to_guest(v) for v in x])
    if t is frozenset:
        return S.new_frozenset([to_guest(v) for v in x])
    raise TypeError(t)


def same_value(ga, ha):
    """Pointer rule: both point at equal objects of the same type (or both NULL)."""
    if ga == 0 or ha == 0:
        return ga == ha
    g, h = from_ptr(ga), from_ptr(ha)
    return type(g) is type(h) and g == h


def _ptr_at(addr):
    return ctypes.c_void_p.from_address(addr).value or 0


def compare_tuple(w, host):
    n = len(host)
    compare_struct(w.addr, id(host), "PyTupleObject", skip=("ob_item",))
    base = layout.struct("PyTupleObject").offset("ob_item")
    word = ffi.sizeof("PyObject *")
    for i in range(n):
        assert same_value(_ptr_at(w.addr + base + i * word), _ptr_at(id(host) + base + i * word))


def list_items_equal(ga, ha, gp, hp):
    n = len(from_ptr(ha))
    word = ffi.sizeof("PyObject *")
    return all(same_value(_ptr_at(gp + i * word), _ptr_at(hp + i * word)) for i in range(n)) \
        and ((gp == 0) == (hp == 0) or n == 0)


def compare_list(w, host):
    compare_struct(w.addr, id(host), "PyListObject",
                   pointer_rules={"ob_item": list_items_equal})


def keys_snapshot(keys_addr):
    """A PyDictKeysObject as comparable data: header (no dk_refcnt), the whole index table
    (raw bytes), and every entry slot (hash raw, key/value as host values or None)."""
    k = D.Keys(keys_addr)
    p = k.p
    nidx_bytes = 1 << p.dk_log2_index_bytes
    header = (p.dk_log2_size, p.dk_log2_index_bytes, p.dk_kind, p.dk_version,
              p.dk_usable, p.dk_nentries)
    indices = ctypes.string_at(keys_addr + D._KEYS_HEADER, nidx_bytes)
    entries = []
    for i in range(D.USABLE_FRACTION(1 << p.dk_log2_size)):
        e = k.entries[i]
        ka, va = D.ptr(e.me_key), D.ptr(e.me_value)
        key = from_ptr(ka) if ka else None
        val = from_ptr(va) if va else None
        entries.append((None if k.unicode else e.me_hash, type(key), key, type(val), val))
    return header, indices, entries


def dict_keys_equal(ga, ha, gp, hp):
    return keys_snapshot(gp) == keys_snapshot(hp)


def compare_dict(w, host):
    compare_struct(w.addr, id(host), "PyDictObject", skip=("ma_version_tag",),
                   pointer_rules={"ma_keys": dict_keys_equal})
    g = keys_snapshot(D.ptr(D._dp(w.addr).ma_keys))
    h = keys_snapshot(D.ptr(D._dp(id(host)).ma_keys))
    assert g == h


def set_snapshot(addr):
    so = S._so(addr)
    t = S._table(so)
    out = []
    for i in range(so.mask + 1):
        ka = S.ptr(t[i].key)
        if ka == 0:
            key = ("NULL",)
        elif ka == S.ADDR_DUMMY:
            key = ("DUMMY",)
        else:
            key = (type(from_ptr(ka)), from_ptr(ka))
        out.append((key, t[i].hash))
    uses_small = S.ptr(so.table) == addr + S._SMALLTABLE
    return out, uses_small


def set_table_equal(ga, ha, gp, hp):
    return set_snapshot(ga) == set_snapshot(ha)


def compare_set(w, host):
    compare_struct(w.addr, id(host), "PySetObject", skip=("smalltable",),
                   pointer_rules={"table": set_table_equal})
    assert set_snapshot(w.addr) == set_snapshot(id(host))
