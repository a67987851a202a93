"""Helpers for the object tests: compare a guest struct with the host's struct for the
same value, field by field, using only the layout module (no hand-written offsets).

Rules (acceptance 1 of issue 3):
  * ob_refcnt is skipped (the counts differ by design);
  * padding (bytes no field covers) and unnamed bitfields (the upper 24 bits of a str's
    `state`) are skipped;
  * pointer fields are compared by what they point to: a `pointer_rules` entry maps a
    field path to a function (guest_addr, host_addr, guest_ptr, host_ptr) -> bool; without
    a rule, pointers must be equal (ob_type: both point at the host's type object);
  * inline data after the header is compared separately by the tests (its length depends
    on the type).
"""

import ctypes

import pytest

import layout

# Hypothesis profile: keep the object suite quick.
try:
    from hypothesis import settings, HealthCheck
    settings.register_profile("beale", max_examples=150, deadline=None,
                              suppress_health_check=[HealthCheck.too_slow])
    settings.load_profile("beale")
except ImportError:      # pragma: no cover
    pass


def leaf_fields(struct, prefix="", base=0):
    """Yield (path, Field, absolute offset) for every leaf field of `struct`."""
    for f in struct.fields:
        if f.name is None and f.struct is None:
            continue                               # unnamed bitfield padding
        path = prefix + f.name if f.name else prefix.rstrip(".")
        if f.struct is not None and not f.ctype.endswith("]"):
            yield from leaf_fields(f.struct, (path + ".") if f.name else prefix,
                                   base + f.offset)
        else:
            yield path, f, base + f.offset


def read_field(addr, f, off):
    raw = ctypes.string_at(addr + off, f.size)
    if f.bit_width:
        word = int.from_bytes(raw, "little")
        return (word >> f.bit_offset) & ((1 << f.bit_width) - 1)
    return raw


def is_pointer(f):
    return f.ctype.strip().endswith("*")


def ptr_value(raw):
    return int.from_bytes(raw, "little")


def compare_struct(guest_addr, host_addr, struct_name, skip=(), pointer_rules=None,
                   stop_before=None):
    """Assert the guest struct equals the host struct (see module docstring).
    Returns the list of compared field paths (so tests can check coverage)."""
    struct = layout.struct(struct_name)
    pointer_rules = pointer_rules or {}
    compared = []
    for path, f, off in leaf_fields(struct):
        if "ob_refcnt" in path or path in skip:      # incl. 3.12+ ob_refcnt_split
            continue
        if stop_before is not None and off >= stop_before:
            continue
        g = read_field(guest_addr, f, off)
        h = read_field(host_addr, f, off)
        if is_pointer(f) and not f.bit_width:
            rule = pointer_rules.get(path)
            gp, hp = ptr_value(g), ptr_value(h)
            if rule is not None:
                assert rule(guest_addr, host_addr, gp, hp), \
                    "%s.%s: pointer rule failed (guest 0x%x, host 0x%x)" % (
                        struct_name, path, gp, hp)
            else:
                assert gp == hp, "%s.%s: 0x%x != 0x%x" % (struct_name, path, gp, hp)
        else:
            assert g == h, "%s.%s: guest %r != host %r" % (struct_name, path, g, h)
        compared.append(path)
    return compared


@pytest.fixture
def host_addr():
    return id
