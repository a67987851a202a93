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


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program(name, tmp_path, capfd, request):
    src, xfail = PROGRAMS[name]
    if xfail:
        request.node.add_marker(pytest.mark.xfail(reason=xfail, strict=True))
    expected, host_err, host_rc = host_run(src, tmp_path)
    out, err, rc = beale_output(src, tmp_path, capfd)
    assert out == expected, err
    assert rc == host_rc, err
