"""Regression tests for the language core, found by running CPython's own test modules
(test_grammar, test_generators, test_exceptions, test_with, ...) under beale: small guest
programs whose stdout (and traceback) must equal what the host CPython prints."""

import pytest

from tests.guest_programs import Programs

PROGRAMS = prog = Programs()


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


prog("builtin_new_of_builtin_subtype_refused")("""
for i in range(3):
    for args in ((int, bool, 0), (int, str, 1), (float, bool, 1.0)):
        try:
            args[0].__new__(*args[1:])
        except TypeError as e:
            print("TypeError", e)
""")


prog("frames_getframe_clear_gi_frame")("""
import sys
def f(a, b=2):
    c = 3
    fr = sys._getframe()
    print(sorted(fr.f_locals), fr.f_code.co_name, fr.f_lineno, fr.f_back.f_code.co_name, fr.f_globals is globals())
    print(sys._getframe(1).f_code.co_name, type(fr).__name__)
    try:
        fr.clear()
    except RuntimeError as e: print(e)
    return fr
fr = f(1)
fr.clear()
print(fr.f_locals)
try:
    sys._getframe(50)
except ValueError as e: print(e)
try:
    1/0
except ZeroDivisionError as e:
    print(callable(e.__traceback__.tb_frame.clear))
from collections import namedtuple
P = namedtuple("P", "x y")
print(P.__module__)
def g():
    x = 1
    yield x
it = g()
print(it.gi_code.co_name, it.gi_frame.f_locals, it.gi_running, it.gi_suspended)
next(it)
print(it.gi_frame.f_locals, it.gi_suspended, it.gi_frame.f_lineno)
list(it)
print(it.gi_frame)
async def c(): pass
co = c(); print(co.cr_code.co_name, co.cr_frame is not None); co.close()
""")


prog("compile_time_syntax_errors")("""
for src in ["return 1", "yield", "class C: yield 1", "def g(): [(yield x) for x in ()]",
            "def g(): {x: (yield x) for x in ()}", "def g(): ((yield x) for x in ())",
            "def g(): [x for x in [(yield 1)]]", "break", "def f():\\n for x in y:\\n  def g(): continue",
            "while x:\\n  break\\nelse:\\n  continue", "def f(): from os import *", "nonlocal x",
            "def f():\\n global x\\n x: int = 1", "def f(a, a): pass", "async def f():\\n yield 1\\n return 2",
            "async def f(): yield from x", "lambda: (yield)", "for x in y:\\n if x: break\\n else: continue"]:
    try:
        compile(src, "<s>", "exec")
        print("ok", repr(src))
    except SyntaxError as e:
        print("SyntaxError", e.msg, e.lineno, e.offset)
for src in ["f(1, x=2, *(3,4), x=5)", "f(x=1, **k, x=2)"]:
    try:
        compile(src, "<s>", "eval")
        print("ok", repr(src))
    except SyntaxError as e:
        print("SyntaxError", e.msg, e.lineno, e.offset)
for src in ['def f(x):\\n  nonlocal x', 'def f(x):\\n  x = 1\\n  global x', 'def f():\\n  global x\\n  nonlocal x',
            'from __future__ import doesnt_exist', 'from __future__ import braces', 'x=1\\nfrom __future__ import division',
            '"doc"\\nfrom __future__ import annotations\\nfrom __future__ import division\\nx: int',
            'try:\\n  pass\\nexcept:\\n  pass\\nexcept ValueError:\\n  pass', 'def f():\\n  print(x)\\n  global x',
            'def f():\\n  x: int\\n  global x', 'def g():\\n  def f(): pass\\n  global f', 'def g():\\n  import os\\n  global os',
            'def f():\\n  global x\\n  x = 1\\n  def g():\\n    nonlocal y\\n  y = 2']:
    try:
        compile(src, "<s>", "exec")
        print("ok", repr(src))
    except SyntaxError as e:
        print("SyntaxError", e.msg, e.lineno, e.offset)
""")


prog("single_mode_uses_sys_displayhook")("""
exec(compile("1+1", "<x>", "single"), {})
exec(compile("x = 5\\nx", "<x>", "exec"), {})
g = {"__builtins__": {}}
import sys
sys.displayhook = lambda v: print("hook", v)
exec(compile("'a'", "<x>", "single"), g)
""")


prog("throw_and_raise_check_constructed_exception")("""
class E(Exception):
    def __new__(cls, *args, **kwargs):
        return cls
def boring_generator():
    yield
gen = boring_generator()
print("a")
try:
    gen.throw(E)
except TypeError as e: print("TE", e)
try:
    raise E
except TypeError as e: print("TE", e)
""")


prog("int_max_str_digits")("""
import sys
print(sys.get_int_max_str_digits(), sys.flags.int_max_str_digits)
sys.set_int_max_str_digits(1000)
try:
    int("1" * 1001)
except ValueError as e: print("VE", e)
try:
    str(10 ** 1001)
except ValueError as e: print("VE", e)
try:
    sys.set_int_max_str_digits(5)
except ValueError as e: print("VE", e)
sys.set_int_max_str_digits(maxdigits=0)
print(len(str(10 ** 5000)))
sys.set_int_max_str_digits(4300)
""")


prog("int_float_of_buffers")("""
import array
print(int(memoryview(b'1234')[1:3]), int(array.array('b', b'42')), float(memoryview(b'1.5')))
for x in (memoryview(b'12\\x00'), memoryview(b'abc')):
    try: int(x)
    except ValueError as e: print("VE", e)
    try: float(x)
    except ValueError as e: print("VE float")
""")


prog("context_set_at_raise_time")("""
def parse(s):
    try:
        return int(s)
    except ValueError as e:
        print("ctx", repr(e.__context__))
        return -1
try:
    {}["missing"]
except KeyError:
    parse("x")
class A(Exception): pass
class B(Exception): pass
class C(Exception): pass
# test_raise_does_not_create_context_chain_cycle
try:
    try:
        raise A
    except A as a_:
        a = a_
        try:
            raise B
        except B as b_:
            b = b_
            try:
                raise C
            except C as c_:
                c = c_
                raise a
except A as e:
    print(e.__context__ is c, c.__context__ is b, b.__context__ is None)
# no_hang cycle3
try:
    raise A
except A as a:
    try:
        raise B
    except B as b:
        try:
            raise C
        except C as c:
            c.__context__ = a
            try:
                raise a
            except A as x: print(repr(x.__context__))
# explicit None context
try:
    try:
        raise IndexError
    except IndexError:
        e = ValueError(); e.__context__ = None
        try: raise e
        except ValueError as v: print(repr(v.__context__))
except Exception: pass
""")


prog("stopiteration_in_generator_has_cause")("""
from contextlib import contextmanager
@contextmanager
def woohoo():
    yield
for stop_exc in (StopIteration('spam'), RuntimeError("x")):
    try:
        with woohoo():
            raise stop_exc
    except Exception as ex:
        print(ex is stop_exc, repr(ex))
def g():
    yield 1
    raise StopIteration(5)
try:
    list(g())
except RuntimeError as e:
    print(repr(e), repr(e.__cause__), repr(e.__context__), e.__suppress_context__)
def outer():
    yield from g()
try:
    list(outer())
except RuntimeError as e:
    print(repr(e), repr(e.__cause__))
""")


prog("global_marks_module_name_nonlocal_in_class")("""
x = 7
def f():
    x = 1
    def g():
        global x
        def i():
            def h():
                return x
            return h()
        return i()
    return g()
print(f(), x)
def f2(x):
    class c:
        nonlocal x
        x += 1
        def get(self):
            return x
    return c()
c = f2(0)
print(c.get(), "x" in c.__class__.__dict__)
local_ns = {}
global_ns = {}
exec('''if 1:
    def f():
        y = 1
        def g():
            global y
            return y
        def h():
            return y + 1
        return g, h
    y = 9
    g, h = f()
    result9 = g()
    result2 = h()
    ''', local_ns, global_ns)
print(global_ns["result2"], global_ns["result9"])
""")


prog("annotated_names_local_only_when_simple")("""
def fbad():
    x: int
    print(x)
try: fbad()
except NameError as e: print(type(e).__name__)
def f2bad():
    (no_such_global): int
    print(no_such_global)
try: f2bad()
except NameError as e: print(type(e).__name__)
""")


prog("unraisablehook")("""
import sys
class A:
    def __del__(self):
        raise ValueError("in del")
seen = []
sys.unraisablehook = lambda u: seen.append((u.exc_type.__name__, str(u.exc_value), u.object.__name__))
a = A()
del a
print(seen)
sys.unraisablehook = sys.__unraisablehook__
""")


prog("generator_name_yieldfrom_throw")("""
def a():
    yield 1
def b():
    yield from a()
g = b()
print(g.gi_yieldfrom)
next(g)
print(g.gi_yieldfrom.__name__, g.gi_yieldfrom.gi_yieldfrom)
g.__name__ = "renamed"; g.__qualname__ = "Q.renamed"
print(g.__name__, g.__qualname__, repr(g)[:30])
try: g.__name__ = 1
except TypeError as e: print(e)
list(g)
print(g.gi_yieldfrom)
class E(Exception):
    def __new__(cls, *args, **kwargs):
        return cls
def boring():
    yield
gen = boring()
try: gen.throw(E)
except TypeError as e: print("TE", e)
try: next(gen)
except StopIteration: print("stopped")
def generator():
    try:
        yield
    except TypeError as e:
        print("inside", e)
gen = generator()
next(gen)
try: gen.throw(E)
except StopIteration: print("stopped")
""")


prog("class_and_module_annotations_are_own")("""
class C: pass
print(C.__annotations__, "__annotations__" in C.__dict__)
class A:
    x: int
class B(A): pass
print(B.__annotations__, A.__annotations__)
B.__annotations__ = {"y": 1}
print(B.__annotations__)
del B.__annotations__
print(B.__annotations__)
import types
m = types.ModuleType("m")
print(m.__annotations__)
try: int.__annotations__
except AttributeError as e: print("AE", e)
print(compile("x = 1", "<s>", "exec").co_firstlineno)
""")


prog("name_attribute_errors_name_obj_suggestions")("""
try:
    bluch
except NameError as exc:
    print(exc.name)
class A: pass
a = A()
try:
    a.bluch
except AttributeError as exc:
    print(exc.name, exc.obj is a)
try:
    a.bluch()
except AttributeError as exc:
    print(exc.name, exc.obj is a)
import sys
class A:
    blech = 1
def f():
    bluch = 1
    blech
for fn in (lambda: A().bluch, f, lambda: ZeroDivisionErrorr, lambda: A().zzzzzzzzzzz):
    try:
        fn()
    except Exception:
        t, v, tb = sys.exc_info()
        import io
        err, sys.stderr = sys.stderr, io.StringIO()
        sys.__excepthook__(t, v, tb)
        text, sys.stderr = sys.stderr.getvalue(), err
        print(text.splitlines()[-1])
class B:
    spam = 1
B().spma
""")


prog("notes_and_mangled_kwonly_defaults")("""
for e in [BaseException(1), ValueError(3)]:
    e.add_note("My Note")
    try: e.add_note(42)
    except TypeError as x: print("TE", x)
    e.__notes__ = 42
    try: e.add_note("w")
    except TypeError as x: print("TE", x)
    print(e.__notes__)
class X:
    def f(self, *, __a=42):
        return __a
print(X().f())
""")


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program(name, tmp_path, capfd, request):
    PROGRAMS.check(name, tmp_path, capfd, request, stderr=True)
