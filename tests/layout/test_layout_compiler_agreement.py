"""Acceptance 1: layout/'s computed sizes and offsets equal the C compiler's.

cffi's API-mode module was compiled against the real headers, so ffi.sizeof /
ffi.offsetof are what gcc says (cffi checks every declared struct against the
compiler when it is first used).  layout.abi computes the same numbers from the
parsed declarations by itself; here they are compared for every extracted struct
and every field reachable in it.
"""

import pytest

import layout


def named_fields(struct, prefix=(), base=0):
    """Yield (cffi_path, dotted_path, Field) for every named field, with anonymous
    members flattened the way C (and cffi) expose them."""
    for f in struct.fields:
        g = f.shifted(base)
        if f.name is None:
            if f.struct is not None:
                for item in named_fields(f.struct, prefix, g.offset):
                    yield item
            continue
        path = prefix + (f.name,)
        yield path, ".".join(path), g
        if f.struct is not None and f.type["k"] != "arr":
            for item in named_fields(f.struct, path, g.offset):
                yield item


ALL = layout.structs()


def test_struct_list_is_not_trivial():
    # the brief's list (those present in every supported version's headers)
    for name in ("PyObject", "PyVarObject", "PyGC_Head", "PyLongObject", "PyFloatObject",
                 "PyComplexObject", "PyBytesObject", "PyByteArrayObject", "PyTupleObject",
                 "PyListObject", "PyASCIIObject", "PyCompactUnicodeObject", "PyUnicodeObject",
                 "PyDictObject", "PySetObject", "setentry", "PySliceObject", "PyCellObject",
                 "PyTypeObject", "PyHeapTypeObject", "PyNumberMethods", "PySequenceMethods",
                 "PyMappingMethods", "PyAsyncMethods", "PyBufferProcs", "PyMethodDef",
                 "PyMemberDef", "PyGetSetDef", "PyCFunctionObject", "PyModuleDef",
                 "PyModuleObject", "PyBaseExceptionObject", "PySyntaxErrorObject",
                 "PyImportErrorObject", "PyUnicodeErrorObject", "PySystemExitObject",
                 "PyOSErrorObject", "PyStopIterationObject", "PyNameErrorObject",
                 "PyAttributeErrorObject", "PyMemoryViewObject", "Py_buffer",
                 "PyFunctionObject", "PyCodeObject", "PyMethodObject", "PyDescrObject",
                 "PyMemberDescrObject", "PyWrapperDescrObject", "PyMethodDescrObject",
                 "PyGetSetDescrObject"):
        assert name in ALL, name


@pytest.mark.parametrize("name", ALL)
def test_sizeof_matches_compiler(name):
    s = layout.struct(name)
    assert s.size == layout.ffi.sizeof(name), name
    assert s.align == layout.ffi.alignof(name), name


@pytest.mark.parametrize("name", ALL)
def test_offsets_match_compiler(name):
    s = layout.struct(name)
    checked = 0
    for cpath, dotted, f in named_fields(s):
        if f.bit_width is not None:
            continue  # no offsetof for bitfields: see test_bitfields_match_compiler
        assert s.offset(dotted) == f.offset
        assert f.offset == layout.ffi.offsetof(name, *cpath), (name, dotted)
        if f.type["k"] == "arr" and f.type["n"] is None:
            assert f.size == 0  # flexible array member
        else:
            assert f.size == layout.ffi.sizeof(_cffi_field_type(name, cpath)), (name, dotted)
        checked += 1
    assert checked or not s.fields


def _cffi_field_type(name, cpath):
    """The cffi ctype of the field at cpath (anonymous members flattened)."""
    t = layout.ffi.typeof(name)
    for part in cpath:
        for fname, fld in _flat_fields(t):
            if fname == part:
                t = fld.type
                break
        else:
            raise KeyError(part)
    return t


def _flat_fields(ctype):
    for fname, fld in ctype.fields:
        if fname is None or fname == "":
            for item in _flat_fields(fld.type):
                yield item
        else:
            yield fname, fld


BITFIELDS = [(n, cpath, dotted) for n in ALL
             for cpath, dotted, f in named_fields(layout.struct(n)) if f.bit_width is not None]


def test_there_are_bitfields():
    assert any(n == "PyASCIIObject" for n, _, _ in BITFIELDS)


@pytest.mark.parametrize("name,cpath,dotted", BITFIELDS)
def test_bitfields_match_compiler(name, cpath, dotted):
    """Set a bitfield through cffi (the compiler's placement), read it back
    through layout (ours), and check neighbouring bits stay zero."""
    ffi = layout.ffi
    f = layout.struct(name).field(dotted)
    for value in (1, (1 << f.bit_width) - 1, 1 << (f.bit_width - 1)):
        obj = ffi.new(name + " *")
        target = obj
        for part in cpath[:-1]:
            target = getattr(target, part)
        unsigned = _cffi_field_type(name, cpath).cname.startswith(("unsigned", "uint", "_Bool"))
        v = value
        if not unsigned and v >> (f.bit_width - 1):
            v -= 1 << f.bit_width
        setattr(target, cpath[-1], v)
        addr = int(ffi.cast("uintptr_t", obj))
        assert layout.read(addr, name, dotted) == v, (name, dotted, value)
        raw = bytes(ffi.buffer(obj))
        unit = int.from_bytes(raw[f.offset:f.offset + f.size], "little")
        assert unit == value << f.bit_offset, (name, dotted, value)
        assert not any(raw[:f.offset]) and not any(raw[f.offset + f.size:])


def test_write_then_read_roundtrip():
    ffi = layout.ffi
    obj = ffi.new("PyFloatObject *")
    addr = int(ffi.cast("uintptr_t", obj))
    layout.write(addr, "PyFloatObject", "ob_fval", 2.25)
    assert obj.ob_fval == 2.25
    layout.write(addr, "PyFloatObject", "ob_base.ob_type", layout.type_address("PyFloat_Type"))
    assert int(ffi.cast("uintptr_t", obj.ob_base.ob_type)) == id(float)
    assert layout.read(addr, "PyFloatObject", "ob_base.ob_type") == id(float)
    layout.write(addr, "PyFloatObject", "ob_base.ob_refcnt", -1)
    assert layout.read(addr, "PyFloatObject", "ob_base.ob_refcnt") == -1


def test_bitfield_write_keeps_neighbours():
    ffi = layout.ffi
    obj = ffi.new("PyASCIIObject *")
    addr = int(ffi.cast("uintptr_t", obj))
    layout.write(addr, "PyASCIIObject", "state.kind", 4)
    layout.write(addr, "PyASCIIObject", "state.ascii", 1)
    layout.write(addr, "PyASCIIObject", "state.compact", 1)
    assert (obj.state.kind, obj.state.ascii, obj.state.compact) == (4, 1, 1)
    layout.write(addr, "PyASCIIObject", "state.kind", 1)
    assert (obj.state.kind, obj.state.ascii, obj.state.compact) == (1, 1, 1)


def test_cast_gives_typed_pointer():
    x = 12.5
    p = layout.cast(id(x), "PyFloatObject")
    assert p.ob_fval == 12.5
    assert layout.ffi.typeof(p) is layout.ffi.typeof("PyFloatObject *")


def test_type_addresses():
    assert layout.type_address("PyFloat_Type") == id(float)
    assert layout.type_address("PyLong_Type") == id(int)
    assert layout.type_address("PyExc_TypeError") == id(TypeError)
    assert layout.type_address("_Py_NoneStruct") == id(None)
    assert layout.type_address("_Py_TrueStruct") == id(True)
    assert layout.type_address("_Py_FalseStruct") == id(False)
    assert layout.type_address("_Py_EllipsisObject") == id(Ellipsis)
    assert layout.type_address("_Py_NotImplementedStruct") == id(NotImplemented)
    for sym, obj in [("PyBool_Type", bool), ("PyComplex_Type", complex),
                     ("PyUnicode_Type", str), ("PyBytes_Type", bytes),
                     ("PyByteArray_Type", bytearray), ("PyTuple_Type", tuple),
                     ("PyList_Type", list), ("PyDict_Type", dict), ("PySet_Type", set),
                     ("PyFrozenSet_Type", frozenset), ("PySlice_Type", slice),
                     ("PyRange_Type", range), ("PyType_Type", type),
                     ("PyBaseObject_Type", object), ("PyMemoryView_Type", memoryview),
                     ("PyModule_Type", type(layout)), ("PyCFunction_Type", type(len)),
                     ("PyCell_Type", type((lambda: x).__closure__[0])),
                     ("PyExc_BaseException", BaseException),
                     ("PyExc_StopIteration", StopIteration)]:
        x = 1
        assert layout.type_address(sym) == id(obj), sym
    with pytest.raises(KeyError):
        layout.type_address("NoSuchThing_Type")


def test_unknown_struct_and_field():
    with pytest.raises(KeyError):
        layout.struct("NoSuchStruct")
    with pytest.raises(KeyError):
        layout.struct("PyFloatObject").field("ob_nothing")
    with pytest.raises(KeyError):
        layout.struct("PyFloatObject").field("ob_fval.x")


def test_allocator_wrappers():
    lib, ffi = layout.lib, layout.ffi
    p = lib.beale_object_malloc(100)
    assert p != ffi.NULL
    p = lib.beale_object_realloc(p, 1000)
    assert p != ffi.NULL
    lib.beale_object_free(p)
    q = lib.beale_mem_malloc(10)
    q = lib.beale_mem_realloc(q, 20)
    lib.beale_mem_free(q)
    c = lib.beale_object_calloc(4, 8)
    assert bytes(ffi.buffer(c, 32)) == bytes(32)
    lib.beale_object_free(c)


def test_gc_wrappers_do_not_abort():
    lib, ffi = layout.lib, layout.ffi
    import gc
    lst = [1, 2]
    addr = ffi.cast("void *", id(lst))
    assert gc.is_tracked(lst)
    assert lib.beale_gc_track(addr) == 0  # already tracked: no abort, no-op
    assert lib.beale_gc_untrack(addr) == 1
    assert not gc.is_tracked(lst)
    assert lib.beale_gc_untrack(addr) == 0
    assert lib.beale_gc_track(addr) == 1
    assert gc.is_tracked(lst)
    assert lib.beale_gc_track(ffi.cast("void *", id(1.5))) == 0  # float: not a GC type
    assert lib.beale_gc_is_tracked(addr) == 1


def test_cdef_has_no_libc_typedefs():
    text = layout.cdef_text()
    for name in ("size_t", "ssize_t", "uintptr_t", "uint32_t", "wchar_t", "int64_t"):
        assert ("typedef" not in "".join(l for l in text.splitlines()
                                         if l.rstrip(";").endswith(" " + name)
                                         and l.startswith("typedef"))), name


def test_null_address_is_an_error_not_a_crash():
    with pytest.raises(ValueError):
        layout.read(0, "PyObject", "ob_type")
    with pytest.raises(ValueError):
        layout.write(0, "PyFloatObject", "ob_fval", 1.0)
    with pytest.raises(ValueError):
        layout.read(16, "PyFloatObject", "ob_fval")
