"""Regression tests for the language modules of CPython's suite (test_generators,
test_exceptions, test_grammar, test_types, ...) under beale: small guest programs whose
stdout (and exit status) must equal what the host CPython prints. Same helpers as
test_conf_core.py, kept in a file of its own so branches adding tests merge cleanly."""

import pytest

from tests.guest_programs import Programs

PROGRAMS = prog = Programs()


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


prog("compile_bytes_source_with_coding")("""
for s in [b'# -*- coding: cp1251 -*-\\nPython = "\\xcf\\xb3\\xf2\\xee\\xed" +',
          b'Python = "\\xcf\\xb3\\xf2\\xee\\xed" +',
          b"\\xef\\xbb\\xbf#coding: utf8\\nprint('\\xe6\\x88\\x91')\\n",
          b'# -*- coding: iso8859-7 -*-\\n\\xe1 = 0xI']:
    try:
        compile(s, '<fragment>', 'exec')
    except SyntaxError as e:
        print(e.msg, e.lineno, e.offset)
print(eval(b"  1+2"), eval(bytearray(b"3")))
exec(b"# -*- coding: latin-1 -*-\\nprint('\\xe9')")
""")


prog("walrus_in_comprehension_errors")("""
for src in ['{i for i in range(5) if (j := 0) for j in range(5)}', '[(i := 0) for i in x]',
            '[x for x in (y := [1])]', '[[(j := 0) for i in x] for j in y]',
            'class C:\\n    [(y := 1) for x in z]', '[i for i in range(5) for j in [(k := 1)]]',
            '[(z := 1) for x in y]', '[x for x in (lambda: (y := 1))()]',
            '[x for x in [(y := 1) for q in r]]', '[lambda: (y := 1) for x in z]',
            'def f():\\n    [[(b := 1) for q in r] for s in t]']:
    try:
        compile(src, '<f>', 'exec')
        print("ok")
    except SyntaxError as e:
        print(e.msg, e.lineno, e.offset)
""")


prog("attribute_and_name_error_suggestions")("""
import sys, io
def show():
    err, sys.stderr = sys.stderr, io.StringIO()
    sys.__excepthook__(*sys.exc_info())
    text, sys.stderr = sys.stderr.getvalue(), err
    print(text.splitlines()[-1])
class A:
    blech = None
    def __getattr__(self, attr):
        raise AttributeError()
class B:
    blech = None
    def __getattr__(self, attr):
        raise AttributeError(23)
class Inner:
    bluch = 1
class C:
    def __getattribute__(self, attr):
        return Inner().blich
for o in (A(), B(), C()):
    try:
        o.bluch
    except AttributeError as e:
        print(e.name, type(e.obj).__name__)
        show()
def elimination_over_addition():
    blucha = None
    bluc = None
    print(bluch)
try:
    elimination_over_addition()
except NameError:
    show()
""")


prog("unicode_error_constructors")("""
e = UnicodeDecodeError('ascii', bytearray(b'\\xff'), 0, 1, 'ordinal not in range')
print(repr(e), e.object)
for k in (UnicodeEncodeError, UnicodeDecodeError, UnicodeTranslateError):
    print(repr(str(k.__new__(k))))
for args in [(1, b'', 0, 1, 'r'), ('a', 'str', 0, 1, 'r'), ('a', b'', 0, 1, 2)]:
    try:
        UnicodeDecodeError(*args)
    except TypeError as x:
        print(x)
try:
    UnicodeEncodeError('a', b'x', 0, 1, 'r')
except TypeError as x:
    print(x)
""")


prog("syntax_and_import_error_objects")("""
import pickle, copy, sys, io
for kwargs in (dict(), dict(name='somename'), dict(path='somepath')):
    orig = ImportError('test', **kwargs)
    for proto in range(pickle.HIGHEST_PROTOCOL + 1):
        exc = pickle.loads(pickle.dumps(orig, proto))
        print(exc.args, exc.msg, exc.name, exc.path)
    exc = copy.copy(orig)
    print(exc.args, exc.msg, exc.name, exc.path)
for info in [("bad.py", 1, 2), ("bad.py", 1, 2, 4, 5, 6, 7), ("bad.py", 1, 2, "abcdefg", 1)]:
    try:
        SyntaxError("bad bad", info)
    except TypeError as e:
        print(e)
for end in (100, 3, -2):
    try:
        raise SyntaxError("bad bad", ("bad.py", 1, 2, "abcdefg", 1, end))
    except SyntaxError:
        err, sys.stderr = sys.stderr, io.StringIO()
        sys.__excepthook__(*sys.exc_info())
        text, sys.stderr = sys.stderr.getvalue(), err
        print(text.splitlines()[-4:])
""")


prog("handled_exception_released_after_handler")("""
import weakref, gc
class MyException(Exception):
    def __init__(self, obj):
        self.obj = obj
class MyObj:
    pass
def inner_raising_func():
    local_ref = obj
    raise MyException(obj)
obj = MyObj()
wr = weakref.ref(obj)
try:
    try:
        inner_raising_func()
    except:
        raise KeyError
except KeyError as e:
    e.__context__ = None
    obj = None
    gc.collect()
    print(wr() is None)
obj = MyObj()
wr = weakref.ref(obj)
try:
    inner_raising_func()
except MyException:
    try:
        try:
            raise
        finally:
            raise
    except MyException:
        pass
obj = None
print(wr() is None)
""")


prog("frame_lineno_after_raise")("""
def lines(f):
    try:
        f()
    except Exception as ex:
        t = ex.__traceback__
    out = []
    t = t.tb_next
    while t:
        out.append(t.tb_frame.f_lineno - t.tb_frame.f_code.co_firstlineno)
        t = t.tb_next
    print(f.__name__, out)
def other_except():
    try:
        1/0
    except TypeError as ex:
        pass
def in_try():
    try:
        1/0
    finally:
        pass
class ExitFails:
    def __enter__(self):
        return self
    def __exit__(self, *args):
        raise ValueError
class Noop:
    def __enter__(self):
        return self
    def __exit__(self, *args):
        pass
def after_with():
    with ExitFails():
        1/0
def after_with_noop():
    with Noop():
        1/0
        pass
for f in (other_except, in_try, after_with, after_with_noop):
    lines(f)
""")


prog("setrecursionlimit_below_depth")("""
import sys
def f(n):
    if n:
        return f(n - 1)
    try:
        sys.setrecursionlimit(3)
    except RecursionError as e:
        print("RecursionError", str(e).startswith("cannot set the recursion limit to 3"))
f(10)
print(sys.getrecursionlimit())
""")


prog("compile_time_syntax_warnings")("""
import warnings
tests = ['assert(x, "msg")', 'assert x, "msg"', 'x is 1', 'x is not "a"', 'x is None', 'x is -1',
         'x is y is 1', '[(1, 2) (3, 4)]', '[f"{x}" (3, 4)]', '[None (3, 4)]', '[{1, 2} [i, j]]',
         '[True [i, j]]', '[(lambda x, y: x) [i, j]]', '[(1, 2) [i, j]]', '["abc" [i, j]]',
         '[[1, 2] [3, 4]]', '[[1, 2] [{i: i for i in range(5)}]]', '[[1, 2] [...]]',
         '[[1, 2] [i]]', '[(1, 2) [1:2]]', '0xfor x', '1if x else y', '[0x1for x in ()]',
         'print(1) (2)']
for t in tests:
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        compile(t, '<testcase>', 'exec')
    print(repr(t), [(x.category.__name__, str(x.message), x.filename, x.lineno) for x in w])
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('error', SyntaxWarning)
        try:
            compile(t, '<testcase>', 'exec')
        except SyntaxError as e:
            print("   SyntaxError:", e.msg, e.lineno, e.offset)
    print("   leaked", w)
""")


prog("catch_warnings_records_guest_warnings")("""
import warnings
def f():
    warnings.warn("dep", DeprecationWarning)
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    f()
    warnings.warn_explicit("explicit", SyntaxWarning, "<f>", 3)
print([(x.category.__name__, str(x.message), x.lineno) for x in w])
with warnings.catch_warnings():
    warnings.simplefilter("error")
    try:
        f()
    except DeprecationWarning as e:
        print("raised", e)
""")


prog("int_conversion_deprecation_warnings")("""
import warnings
class BadIndex:
    def __index__(self):
        return True
class BadInt:
    def __int__(self):
        return True
class BadInt2(int):
    def __int__(self):
        return True
class TruncReturnsBadIndex:
    def __trunc__(self):
        return BadIndex()
class TruncReturnsBadInt:
    def __trunc__(self):
        return BadInt()
class TruncReturnsIntSubclass:
    def __trunc__(self):
        return True
import operator
for o in (BadIndex(), BadInt(), BadInt2(), TruncReturnsBadIndex(), TruncReturnsBadInt(),
          TruncReturnsIntSubclass()):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            n = int(o)
            print(type(n).__name__, n)
        except TypeError as e:
            print("TypeError", e)
    print([str(x.message)[:60] for x in w])
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    print([10, 20][BadIndex()], len(w))
""")


prog("float_conversions_and_subclasses")("""
import warnings
class Foo1:
    def __float__(self):
        return 42.
class Foo2(float):
    def __float__(self):
        return 42.
class Foo3(float):
    def __new__(cls, value=0.):
        return float.__new__(cls, 2*value)
    def __float__(self):
        return self
class Foo4(float):
    def __float__(self):
        return 42
class FooStr(str):
    def __float__(self):
        return float(str(self)) + 1
class MyIndex:
    def __index__(self):
        return 7
for o in (Foo1(), Foo2(), Foo3(21), Foo4(42), FooStr('8'), MyIndex(), "1.5", 3):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            print(float(o), [x.category.__name__ for x in w])
        except TypeError as e:
            print("TypeError", e)
x = float('nan')
print(hash(x) == object.__hash__(x), {x: 1}[x])
class subclass_with_init(float):
    def __init__(self, arg, newarg=None):
        self.newarg = newarg
u = subclass_with_init(2.5, newarg=3)
print(type(u).__name__, float(u), u.newarg)
class plain(float):
    pass
for f in (lambda: plain(x=0), lambda: float(x=1)):
    try:
        f()
    except TypeError as e:
        print("TypeError", e)
class F(float):
    def __new__(cls, value):
        return float.__new__(cls, value + 1)
f = F.fromhex((1.5).hex())
print(type(f).__name__, f)
""")


prog("builtin_slot_wrappers")("""
import types, functools
print(object.__lt__, isinstance(object.__lt__, types.WrapperDescriptorType),
      isinstance(object().__ge__, types.MethodWrapperType))
class A:
    pass
try:
    A() < A()
except TypeError as e:
    print(e)
@functools.total_ordering
class B:
    def __init__(s, v):
        s.v = v
    def __lt__(s, o):
        return s.v < o.v
    def __eq__(s, o):
        return s.v == o.v
print(B(1) <= B(2), B(3) > B(2), B(1) >= B(2))
def g():
    yield
i = g()
print(i.__next__.__doc__, iter([]).__next__.__doc__, [].__len__.__doc__, (1).__add__.__doc__)
print(i.__name__ is g().__name__, i.__qualname__ is g().__qualname__)
""")


prog("compile_runs_the_compiler")("""
for src in ["async with x: pass", "def f():\\n    await x", "async def f():\\n    async for x in y: pass",
            "x = 1\\nprint(x + 1)"]:
    try:
        c = compile(src, "<s>", "exec")
        print("ok")
    except SyntaxError as e:
        print("SyntaxError", e.msg, e.lineno, e.offset)
c = compile("y = 5\\nprint(y)", "<s>", "exec")
exec(c); exec(c)
d = {}
exec(c, d)
print(d["y"])
print(eval(compile("2 + 3", "<e>", "eval")))
exec(compile("7\\n", "<i>", "single"))
import ast
exec(compile(ast.parse("print('from ast')"), "<a>", "exec"))
def f():
    z = 3
    return eval(compile("z * 2", "<e>", "eval"))
print(f())
""")


prog("async_statements_nested_in_blocks")("""
class CM:
    async def __aenter__(self):
        print("enter")
    async def __aexit__(self, *a):
        print("exit")
class AI:
    def __init__(self):
        self.i = 0
    def __aiter__(self):
        return self
    async def __anext__(self):
        self.i += 1
        if self.i > 2:
            raise StopAsyncIteration
        return self.i
async def bar(flag):
    if flag:
        async with CM():
            print("body")
    else:
        try:
            async for i in AI():
                print("item", i)
        finally:
            print("finally")
for c in (bar(True), bar(False)):
    try:
        c.send(None)
    except StopIteration:
        print("done")
""")


prog("walrus_global_in_comprehension")("""
GLOBAL_VAR = None
def f():
    global GLOBAL_VAR
    [GLOBAL_VAR := n for n in range(3)]
    return GLOBAL_VAR
print(f(), GLOBAL_VAR)
def g():
    [(local := n) for n in range(2)]
    return local
print(g())
""")


prog("async_generator_expressions")("""
def run(c):
    try:
        while True:
            c.send(None)
    except StopIteration as e:
        return e.value
async def f(it):
    for i in it:
        yield i
async def run_gen():
    gen = (i + 1 async for i in f([10, 20]))
    print(type(gen).__name__)
    return [g + 100 async for g in gen]
print(run(run_gen()))
async def nested():
    gen = (i * j async for i in f([1, 2]) for j in [10, 100] if j > 5)
    return [x async for x in gen]
print(run(nested()))
async def failing():
    gen = (1 / i async for i in f([1, 0]))
    try:
        return [x async for x in gen]
    except ZeroDivisionError as e:
        return "ZeroDivisionError"
print(run(failing()))
""")


prog("coroutine_reuse_and_yield_from_rules")("""
import types
async def bar(): return 10
coro = bar()
def foo(): yield from coro
try: list(foo())
except TypeError as e: print(e)
coro.close()
@types.coroutine
def bar2(): return (yield from coro2)
async def foo2(): return 'spam'
coro2 = foo2()
try: bar2().send(None)
except StopIteration as e: print("stop", e.value)
coro2.close()
async def spammer(): return 'spam'
async def reader(c): return await c
sc = spammer()
try: reader(sc).send(None)
except StopIteration as e: print("stop", e.value)
try: reader(sc).send(None)
except RuntimeError as e: print(e)
c = spammer()
try: c.send(None)
except StopIteration as e: print("stop", e.value)
for m in (lambda: c.send(None), lambda: c.throw(Exception('wat'))):
    try: m()
    except RuntimeError as e: print(e)
c.close(); c.close()
def g(): yield 1
x = g(); list(x); print(next(x, "exhausted"))
""")


prog("generators_cannot_be_pickled")("""
import pickle, copy
def f(): yield 1
g = f()
for p in range(pickle.HIGHEST_PROTOCOL+1):
    try: pickle.dumps(g, p); print("pickled!", p)
    except (TypeError, pickle.PicklingError) as e: print(type(e).__name__, e)
try: copy.copy(g)
except TypeError as e: print(e)
import pickle
class P(property): pass
print(type(lambda:0).__flags__ & 512, P.__flags__ & 512, int.__flags__ & 512)
""")


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program(name, tmp_path, capfd, request):
    PROGRAMS.check(name, tmp_path, capfd, request)
