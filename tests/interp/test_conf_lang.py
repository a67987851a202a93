"""Regression tests for the language modules of CPython's suite (test_generators,
test_exceptions, test_grammar, test_types, ...) under beale: small guest programs whose
stdout (and exit status) must equal what the host CPython prints. Same helpers as
test_conf_core.py, kept in a file of its own so branches adding tests merge cleanly."""

import textwrap

import pytest

from tests.interp.test_eval import host_run, beale_output

PROGRAMS = {}


def prog(name, xfail=None):
    def register(src):
        PROGRAMS[name] = (textwrap.dedent(src), xfail)
    return register


prog("generator_finalized_with_generator_exit")("""
import sys, gc
def gen():
    try:
        yield 1
    except GeneratorExit:
        print("GeneratorExit", sys.exc_info()[0].__name__)
        raise
    finally:
        print("finally")
g = gen(); next(g); del g
print("after del")
def inner():
    try:
        yield 1
    except GeneratorExit:
        print("inner closed"); raise
def outer():
    try:
        yield from inner()
    except GeneratorExit:
        print("outer closed"); raise
g = outer(); next(g); del g
def cyc():
    try:
        g = yield
        yield 1
    finally:
        print("cycle finalized")
g = cyc(); next(g); g.send(g); del g
gc.collect()
print("garbage", gc.garbage)
def unstarted():
    try: yield
    finally: print("never printed")
g = unstarted(); del g
print("end")
""")


prog("generator_ignoring_exit_is_unraisable")("""
import sys
def f():
    try: yield
    except GeneratorExit:
        yield "foo!"
seen = []
sys.unraisablehook = lambda u: seen.append(u)
g = f(); next(g); del g
u = seen[0]
print(u.exc_type.__name__, u.exc_value, u.exc_traceback is not None, u.object.__name__)
""")


prog("weakref_to_generators_and_functions")("""
import weakref
def f(): yield
g = f()
r = weakref.ref(g)
print(r() is g)
del g
print(r())
def h(): pass
print(weakref.ref(h)() is h)
class C:
    def m(self): pass
print(weakref.ref(C.m)() is C.m)
""")


prog("generator_names_and_code")("""
def func():
    yield 1
func.__qualname__ = "func_qualname"
func.__name__ = "func_name"
g = func()
print(g.__name__, g.__qualname__)
print(g.gi_code is func.__code__, func.__code__ is func.__code__)
try:
    del g.__name__
except TypeError as e:
    print("TypeError")
""")


prog("generator_throw_arguments")("""
import sys
def f():
    while True:
        try:
            print((yield))
        except ValueError as v:
            print("caught ValueError (%s)" % v)
g = f(); next(g)
g.throw(ValueError)
g.throw(ValueError("xyz"))
g.throw(ValueError, ValueError(1))
g.throw(ValueError, TypeError(1))
g.throw(ValueError, ValueError(1), None)
for args in [(ValueError(1), "foo"), (ValueError, "foo", 23), ("abc",), (0,), (list,)]:
    try:
        g.throw(*args)
    except TypeError as e:
        print("TypeError:", e)
def throw(g, exc):
    try:
        raise exc
    except:
        g.throw(*sys.exc_info())
throw(g, ValueError)
print(g.send(1))
def h():
    try:
        yield
    except:
        raise
g = h()
try:
    1/0
except ZeroDivisionError as v:
    try:
        g.throw(v)
    except Exception as w:
        tb = w.__traceback__
levels = 0
while tb:
    levels += 1
    tb = tb.tb_next
print("levels", levels)
""")


prog("frames_through_yield_from")("""
import sys
def names():
    f, out = sys._getframe(1), []
    while f and f.f_code.co_name != "<module>":
        out.append(f.f_code.co_name)
        f = f.f_back
    return out
def f():
    print(names())
    try:
        yield
    except Exception:
        pass
    print(names())
def g():
    print(names())
    yield from f()
    print(names())
for how in ("send", "throw"):
    gen = g()
    gen.send(None)
    try:
        gen.send(None) if how == "send" else gen.throw(RuntimeError)
    except StopIteration:
        pass
def a():
    print("running a, b.gi_yieldfrom:", gen_b.gi_yieldfrom, gen_b.gi_running)
    yield
def b():
    yield from a()
gen_b = b()
next(gen_b)
print(gen_b.gi_yieldfrom.__name__)
""")


prog("interactive_prints_nested_expression_statements")("""
def f():
    yield
exec(compile("if 1:\\n    5\\n    for i in range(2):\\n        i\\n", "<s>", "single"))
exec(compile("with open('/dev/null') as fh:\\n    'w'\\n", "<s>", "single"))
exec(compile("try:\\n    1/0\\nexcept ZeroDivisionError:\\n    'caught'\\n", "<s>", "single"))
exec(compile("def g():\\n    42\\n", "<s>", "single"))
g()
""")


prog("async_generator_hooks")("""
import sys
async def agen():
    yield 1
    yield 2
firsts = []
sys.set_asyncgen_hooks(firstiter=firsts.append, finalizer=lambda g: print("finalizer", g.__name__))
a = agen()
print(firsts)
try:
    a.__anext__().send(None)
except StopIteration as e:
    print("value", e.value)
print(firsts == [a])
del a
print("end")
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
