"""Looking at raw memory: hex dumps and field-by-field struct descriptions.

Used by ``beale dump``.  Memory is read through ``/proc/self/mem`` (a plain
``pread``), so an unmapped address gives an error instead of a segfault.
"""

import os
import struct as pystruct

import layout
from . import abi

_mem_fd = None


def read_memory(addr, size):
    """*size* bytes at *addr*; ValueError if any of it is not mapped."""
    global _mem_fd
    if size <= 0:
        return b""
    if addr <= 0 or addr + size > 1 << 64:
        raise ValueError("address 0x%x is not readable" % max(addr, 0))
    try:
        if _mem_fd is None:
            _mem_fd = os.open("/proc/self/mem", os.O_RDONLY)
        data = os.pread(_mem_fd, size, addr)
    except OSError:
        data = b""
    except OverflowError:
        data = b""
    if len(data) != size:
        raise ValueError("address 0x%x (%d bytes) is not readable" % (addr, size))
    return data


def hexdump(addr, size):
    """Classic hex dump: one line per 16 bytes, address, hex bytes, ASCII."""
    data = read_memory(addr, size)
    lines = []
    for i in range(0, len(data), 16):
        chunk = data[i:i + 16]
        hexes = " ".join("%02x" % b for b in chunk)
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        lines.append("%016x  %-47s  |%s|" % (addr + i, hexes, text))
    return "\n".join(lines)


def leaf_fields(struct, prefix="", base=0):
    """(dotted path, Field) for every scalar/array leaf of *struct*; anonymous
    members are flattened (their fields are addressed as C does, by name)."""
    for f in struct.fields:
        g = f.shifted(base)
        if f.name is None and f.struct is None:
            continue  # unnamed padding bitfield
        path = prefix if f.name is None else (prefix + "." + f.name if prefix else f.name)
        if f.struct is not None and f.type["k"] != "arr":
            for item in leaf_fields(f.struct, path, g.offset):
                yield item
        else:
            yield path, g


def _value(data, f, model):
    t = abi.resolve(model, f.type)
    raw = data
    if f.bit_width is not None:
        v = (int.from_bytes(raw, "little") >> f.bit_offset) & ((1 << f.bit_width) - 1)
        return v
    fmt = layout._scalar_format(t, f.size)
    if fmt is None or len(raw) != pystruct.calcsize("<" + fmt):
        return None
    v = pystruct.unpack("<" + fmt, raw)[0]
    if t["k"] == "ptr":
        return "0x%x" % v if v else "NULL"
    return v


def describe(addr, struct_name, model=None, struct=None):
    """Rows ``(offset, size, ctype, path, value, raw)`` for the struct at *addr*.

    ``value`` is an int/float (pointers as ``"0x..."``/``"NULL"``), or None for
    arrays and other aggregates, whose bytes are in ``raw``.
    """
    s = struct or layout.struct(struct_name)
    model = model or layout.model
    rows = []
    for path, f in leaf_fields(s):
        raw = read_memory(addr + f.offset, f.size)
        ctype = f.ctype if f.bit_width is None else "%s :%d" % (f.ctype, f.bit_width)
        rows.append((f.offset, f.size, ctype, path, _value(raw, f, model), raw))
    return rows


def format_rows(rows):
    out = ["offset  size  %-28s %-32s value" % ("C type", "field")]
    for off, size, ctype, path, value, raw in rows:
        shown = value if value is not None else (raw.hex() if raw else "")
        out.append("%6d  %4d  %-28s %-32s %s" % (off, size, ctype, path, shown))
    return "\n".join(out)
