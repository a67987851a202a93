"""beale's layout layer: CPython's struct layouts, read from the host's headers.

    import layout
    layout.ffi, layout.lib                 # the compiled cffi API-mode module
    s = layout.struct("PyFloatObject")      # computed layout: s.size, s.fields
    s.offset("ob_base.ob_type")             # 8
    layout.read(id(1.5), "PyFloatObject", "ob_fval")   # 1.5
    layout.cast(addr, "PyListObject").ob_item           # typed cffi pointer
    layout.type_address("PyFloat_Type")     # == id(float)

``ffi``/``lib`` (and everything that needs them) are built on first use by
``build_ffi.build()`` and cached (see build_ffi.py); a build prints a line on
stderr only when it actually compiles.  Struct layouts are computed by
:mod:`layout.abi` from the parsed declarations, never taken from the
compiler; the tests check both agree.
"""

import ctypes as _ctypes
import importlib.util
import os
import threading as _threading
import struct as _pystruct
import sys

from . import abi as _abi

__all__ = ["ffi", "lib", "struct", "structs", "cdef_text", "read", "write", "cast",
           "type_address", "missing", "Struct", "Field", "model"]

Struct = _abi.Struct
Field = _abi.Field

_built = None
_build_lock = _threading.Lock()
_struct_cache = {}


def _build_ffi_module():
    """Import the top-level build_ffi.py (by path if the repo root is not on sys.path)."""
    try:
        import build_ffi
        return build_ffi
    except ImportError:
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        spec = importlib.util.spec_from_file_location("build_ffi",
                                                      os.path.join(root, "build_ffi.py"))
        mod = importlib.util.module_from_spec(spec)
        sys.modules["build_ffi"] = mod
        spec.loader.exec_module(mod)
        return mod


def _get():
    global _built
    if _built is None:
        with _build_lock:
            if _built is None:
                bf = _build_ffi_module()
                try:
                    _built = bf.build()
                except bf.cparse.BuildError as e:
                    raise ImportError(str(e)) from None
    return _built


def __getattr__(name):
    # PEP 562: ffi and lib are materialised on first access.
    if name == "ffi":
        return _get().ffi
    if name == "lib":
        return _get().lib
    if name == "model":
        return _get().model
    raise AttributeError("module 'layout' has no attribute %r" % name)


def struct(name):
    """The computed :class:`Struct` for a typedef name (``"PyFloatObject"``) or
    ``"struct _object"``.  KeyError if the headers have no such struct."""
    s = _struct_cache.get(name)
    if s is None:
        s = _struct_cache[name] = _abi.struct_of(_get().model, name)
    return s


def structs():
    """Sorted names of the extracted structs (typedef names and struct tags)."""
    m = _get().model
    names = set()
    for n, t in m.typedefs.items():
        try:
            if _abi.resolve(m, t)["k"] == "agg":
                names.add(n)
        except _abi.LayoutError:
            pass
    names.update(n for n, t in m.tags.items() if t["k"] == "agg")
    return sorted(names)


def missing():
    """Names from headers/structs.txt that this version's headers do not define."""
    return list(_get().meta.get("missing", []))


def cdef_text():
    """The cffi cdef the module was built from."""
    return _get().cdef


# -- raw memory access ---------------------------------------------------------------

def _scalar_format(t, size):
    """struct-module format for a resolved scalar model type, or None."""
    k = t["k"]
    if k == "ptr":
        return "Q"
    if k == "enum":
        return "i" if size == 4 else "q"
    if k == "prim":
        n = t["n"]
        if n in ("float", "double"):
            return "f" if n == "float" else "d"
        if n in ("long double", "void"):
            return None
        if n == "_Bool":
            return "?"
        code = {1: "b", 2: "h", 4: "i", 8: "q"}[size]  # plain char is signed on x86-64
        return code.upper() if n.startswith("unsigned") else code
    return None


#: Linux never maps the first 64 KiB (vm.mmap_min_addr): a NULL (or NULL + offset)
#: address is refused with ValueError instead of crashing the process.
_MIN_ADDR = 65536


def _mem(addr, size):
    if addr < _MIN_ADDR:
        raise ValueError("layout: refusing to read at address 0x%x (NULL?)" % addr)
    return _ctypes.string_at(addr, size)


_accessors = {}


def _accessor(struct_name, path):
    """(offset, size, struct format or None, bit_offset, bit_width) for a field,
    cached: read()/write() are called in loops by the runtime and the tests."""
    key = (struct_name, path)
    a = _accessors.get(key)
    if a is None:
        f = struct(struct_name).field(path)
        fmt = _scalar_format(_abi.resolve(_get().model, f.type), f.size)
        a = _accessors[key] = (f.offset, f.size, fmt and "<" + fmt, f.bit_offset, f.bit_width)
    return a


def read(addr, struct_name, path):
    """Read the field at dotted *path* of the *struct_name* at address *addr*.

    Integers and enums give ints, floats floats, pointers ints (addresses),
    bitfields ints; a nested struct or an array gives its raw bytes.
    The address is trusted (this is ``*(T *)(addr + offset)``); use
    layout.dump.read_memory to probe memory that may not be mapped.
    """
    offset, size, fmt, bit_offset, bit_width = _accessor(struct_name, path)
    if bit_width is not None:
        raw = int.from_bytes(_mem(addr + offset, size), "little")
        v = (raw >> bit_offset) & ((1 << bit_width) - 1)
        if fmt[1:].islower() and v >> (bit_width - 1):  # signed bitfield
            v -= 1 << bit_width
        return v
    if fmt is None:
        return _mem(addr + offset, size)
    return _pystruct.unpack(fmt, _mem(addr + offset, size))[0]


def write(addr, struct_name, path, value):
    """Store *value* into the field at *path* (see :func:`read`); integers wrap
    as a C assignment would; bitfields are merged into their storage unit,
    neighbouring bits untouched; a struct or array field takes bytes."""
    offset, size, fmt, bit_offset, bit_width = _accessor(struct_name, path)
    if bit_width is not None:
        mask = ((1 << bit_width) - 1) << bit_offset
        raw = int.from_bytes(_mem(addr + offset, size), "little")
        raw = (raw & ~mask) | ((int(value) << bit_offset) & mask)
        data = raw.to_bytes(size, "little")
    elif fmt is None:
        data = bytes(value)
        if len(data) != size:
            raise ValueError("%s.%s needs %d bytes" % (struct_name, path, size))
    else:
        if fmt[1] in "bhiqBHIQ":
            bits = 8 * size
            value = int(value) & ((1 << bits) - 1)
            if fmt[1].islower() and value >> (bits - 1):
                value -= 1 << bits
        data = _pystruct.pack(fmt, value)
    if addr < _MIN_ADDR:
        raise ValueError("layout: refusing to write at address 0x%x (NULL?)" % addr)
    _ctypes.memmove(addr + offset, data, len(data))


def cast(addr, struct_name):
    """``ffi.cast("<struct_name> *", addr)``: a typed pointer for fast field access."""
    return _get().ffi.cast(struct_name + " *", addr)


def type_address(symbol):
    """Address (int) of a host data symbol: ``"PyFloat_Type"``, ``"_Py_NoneStruct"``.
    For a ``PyExc_*`` variable this is the address of the exception type object
    it points to."""
    b = _get()
    ffi, lib = b.ffi, b.lib
    t = b.model.vars.get(symbol)
    if t is None:
        raise KeyError("host symbol %r is not declared in the layout module" % symbol)
    if t["k"] == "ptr":
        return int(ffi.cast("uintptr_t", getattr(lib, symbol)))
    return int(ffi.cast("uintptr_t", ffi.addressof(lib, symbol)))
