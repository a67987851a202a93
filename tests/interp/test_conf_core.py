"""Regression tests for the language core, found by running CPython's own test modules
(test_grammar, test_generators, test_exceptions, test_with, ...) under beale: small guest
programs whose stdout (and traceback) must equal what the host CPython prints."""

import pytest

from tests.interp.test_eval import host_run, beale_output

PROGRAMS = {}


def prog(name, xfail=None):
    import textwrap

    def register(src):
        PROGRAMS[name] = (textwrap.dedent(src), xfail)
    return register


prog("yield_in_any_expression")("""
def f(*a): return a
def g(): rest = 4, 5, 6; yield 1, 2, 3, *rest
print(list(g()))
def g(): 1, (yield 1)
print(list(g()))
def g(): f((yield 1), 1)
print(list(g()))
def g(): [x for x in [(yield 1)]]
print(list(g()))
def g(): x: int = yield
print(list(g()))
l = lambda: (yield 5)
print(list(l()))
print(list((lambda: [(yield 1), (yield 2)])()))
def g():
    d = {}
    d[(yield 1)] = (yield 2)
    yield d
x = g(); print(next(x), x.send('k'), x.send('v'))
""")

prog("yield_short_circuits")("""
def g(x):
    a = x and (yield "and")
    b = x or (yield "or")
    c = (yield "t") if x else (yield "f")
    d = 1 < (yield "c1") < (yield "c2")
    e = 5 < (yield "c3") < (yield "never")
    yield (a, b, c, d, e)
for x in (0, 1):
    it = g(x); out = [next(it)]
    try:
        while True: out.append(it.send(len(out)))
    except StopIteration: pass
    print(out)
""")

prog("yield_in_statements")("""
def g2():
    l = [1, 2, 3]
    del l[(yield "del")]
    assert l, (yield "never")
    try:
        assert not l, (yield "msg")
    except AssertionError as e:
        print("assert", e)
    a, (b, *c) = (yield "tup"), [5, 6, 7]
    x = y = (yield "multi")
    print(l, a, b, c, x, y)
    l[(yield "aug")] += 10
    print(l)
    f = (yield "ff") or (yield "gg")
    print(f)
    yield (n := (yield "walrus")) + n
it = g2(); v = next(it); res = []
try:
    while True:
        res.append(v); v = it.send({"del": 0, "msg": "M", "tup": 4, "multi": 9, "aug": 0, "ff": 0, "gg": 8, "walrus": 21}.get(v))
except StopIteration: pass
print(res)
class CM:
    def __init__(s, n): s.n = n
    def __enter__(s): print("enter", s.n); return s.n
    def __exit__(s, *a): print("exit", s.n)
def g3():
    with CM(1) as a, CM((yield "w")) as b:
        print(a, b)
    print({(yield "k1"): (yield "v1"), (yield "k2"): (yield "v2")})
    print(f"{(yield 'fs')}!")
    print((lambda q=(yield "dflt"): q)())
    @(yield "deco")
    def h(): pass
    print(h)
    yield from [(yield "yf")]
it = g3(); v = next(it); res = []
try:
    while True:
        res.append(v); v = it.send(str(v) if v != "deco" else (lambda fn: "decorated"))
except Exception as e: print(type(e).__name__, e)
print(res)
""")


prog("annotations_setup_and_future")("""
x: int = 3
y: "str"
(z): int = 4
print(__annotations__)
class C:
    a: int
    b: list = []
    if True:
        c: float
print(C.__annotations__)
def f():
    z: undefined_name = 5
    return z
print(f())
ns = {'__annotations__': {1: 2}}
exec('x: int', ns)
print(ns['__annotations__'])
try:
    class D:
        del __annotations__
        x: int
except NameError as e: print("NameError", e)
class E:
    def m(self, __p: int) -> str: pass
print(E.m.__annotations__)
import types
m = types.ModuleType("m")
exec("from __future__ import annotations\nx: List[int] = 1\ndef g(a: Foo[1]) -> Bar: pass\nclass K:\n    q: Z | None\n", m.__dict__)
print(m.__annotations__, m.g.__annotations__, m.K.__annotations__)
""")


prog("builtin_wrong_arguments_are_type_errors")("""
for f in (lambda: bool(42, 42), lambda: float(x=2), lambda: int.bit_length(1, 2),
          lambda: (1).bit_length(3), lambda: [].append(), lambda: {}.get(), lambda: complex(1, 2, 3)):
    try:
        print(f())
    except TypeError as e:
        print("TypeError")
""")


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program(name, tmp_path, capfd, request):
    src, xfail = PROGRAMS[name]
    if xfail:
        request.node.add_marker(pytest.mark.xfail(reason=xfail, strict=True))
    expected, host_err, host_rc = host_run(src, tmp_path)
    out, err, rc = beale_output(src, tmp_path, capfd)
    assert out == expected, err
    assert rc == host_rc, err
    if host_rc:
        assert err.replace(str(tmp_path), "") == host_err.replace(str(tmp_path), "")
