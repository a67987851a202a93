"""Reprs and generic-alias support of the built-in types' methods, compared with the host:
`[].append` names the guest method (not beale's host function), dunders that fill a type
slot are slot wrappers / method-wrappers, and list/dict/tuple/set/frozenset have
`__class_getitem__` (PEP 585) while range, slice, ... are not subscriptable; `T.__new__(x)`
with x not a type is a TypeError."""

import re

import pytest

from tests.interp.test_eval import host_run, beale_output

PROGRAMS = {
    "method_reprs": """
print(object.__init__, int.__add__, list.append, list.__len__, str.__str__)
print(dict.__getitem__, dict.__contains__, list.__getitem__, tuple.__getitem__)
print(str.__format__, object.__reduce_ex__, float.__hash__, list.__iadd__, int.__neg__)
print([].append, object().__init__, (1).__add__, 'x'.join, {}.get)
print(dict.fromkeys, {}.fromkeys, int.from_bytes, bytes.fromhex)
""",
    "class_getitem": """
print(list[int], dict[str, int], tuple[int, ...], set[int], frozenset[str], type[int])
class D(dict[str, int]): pass
print(D[int, str], list.__class_getitem__(int), D.__class_getitem__(bytes))
for t in (range, slice, memoryview, map, int, str):
    try:
        t[int]
    except TypeError as e:
        print(e)
""",
    # X.__new__(not_a_type) was a segfault for frozenset (found by test_containers_abuse)
    "new_needs_a_type": """
for t, a in ((frozenset, frozenset()), (set, 1), (list, []), (int, 5), (tuple, ()), (dict, {}),
             (int, str), (frozenset, int)):
    try:
        t.__new__(a)
    except TypeError as e:
        print(type(e).__name__, e)
""",
}


def _no_addresses(s):
    return re.sub(r"0x[0-9a-f]+", "0x?", s)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program(name, tmp_path, capfd):
    src = PROGRAMS[name]
    expected, host_err, host_rc = host_run(src, tmp_path)
    assert host_rc == 0, host_err
    out, err, rc = beale_output(src, tmp_path, capfd)
    assert _no_addresses(out) == _no_addresses(expected), err
    assert rc == 0, err
