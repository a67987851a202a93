"""Evaluator tests: small guest programs run in-process through runtime.interp (via the
CLI Session, which sets up builtins/sys), their stdout compared with what the host
CPython prints for the same source."""

import os
import subprocess
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)


def host_run(src, tmp_path):
    p = tmp_path / "prog.py"
    p.write_text(src)
    r = subprocess.run([sys.executable, str(p)], capture_output=True, text=True,
                       cwd=str(tmp_path), timeout=60)
    return r.stdout, r.stderr, r.returncode


def beale_output(src, tmp_path, capfd):
    from runtime.cli import Session
    p = tmp_path / "prog.py"
    p.write_text(src)
    s = Session([str(p)], str(tmp_path))
    capfd.readouterr()
    from runtime import interp
    rc = interp.call_in_big_stack(lambda: s.run_source(src, str(p)))
    sys.stdout.flush()
    out, err = capfd.readouterr()
    return out, err, rc


PROGRAMS = {}


def prog(name, xfail=None):
    def register(src):
        PROGRAMS[name] = (textwrap.dedent(src), xfail)
    return register


prog("arith")("""
a, b = 7, 3
print(a + b, a - b, a * b, a / b, a // b, a % b, a ** b, -a, +a, ~a)
print(a < b, a <= b, a == b, a != b, a > b, a >= b, 1 < 2 < 3, 3 > 2 > 5)
print(2.5 * 2, 1e3, 10 // -3, -10 % 3, 2 ** 100, 1 << 10, 1024 >> 3, 6 & 3, 6 | 3, 6 ^ 3)
x = 5
x += 2; x -= 1; x *= 3; x //= 4
print(x, not x, x and 0, 0 or x, None or "d")
""")

prog("strings_fstrings")("""
name = "world"
n = 3.14159
print(f"hello {name}!", f"{n:.2f}", f"{name!r}", f"{n!s:>10}|", f"{'nested' + name}")
print(f"{name=}" if False else "x", "a" "b", "-".join(["a", "b"]), "%d-%s" % (1, "x"))
w = 8
print(f"{n:{w}.{2}f}|", f"{{literal}}", f"{3 + 4}")
""")

prog("functions_args")("""
def f(a, b=2, *args, c, d=4, **kw):
    return (a, b, args, c, d, sorted(kw.items()))
print(f(1, c=3))
print(f(1, 5, 6, 7, c=8, e=9, z=0))
def g(x, /, y, *, z):
    return x + y + z
print(g(1, 2, z=3), g(1, y=2, z=3))
args = [1, 2]
kw = {"z": 10}
print(g(*args, **kw))
print((lambda *a, **k: (a, k))(1, 2, q=3))
def h(a, b):
    return a - b
print(h(b=1, a=5))
""")

prog("call_errors")("""
def f(a, b=2):
    pass
for call in (lambda: f(), lambda: f(1, 2, 3), lambda: f(1, c=2), lambda: f(1, a=2)):
    try:
        call()
    except TypeError as e:
        print("TypeError:", e)
def g(x, /, *, y):
    pass
for call in (lambda: g(x=1, y=2), lambda: g(1), lambda: g(1, 2)):
    try:
        call()
    except TypeError as e:
        print("TypeError:", e)
""")

prog("closures_scopes")("""
x = "global"
def outer():
    x = "enclosing"
    def inner():
        return x
    return inner
print(outer()())
def counter():
    count = 0
    def inc():
        nonlocal count
        count += 1
        return count
    return inc
c = counter()
c(); c()
print(c())
def set_global():
    global x
    x = "changed"
set_global()
print(x)
adders = [lambda y, i=i: y + i for i in range(3)]
print([a(10) for a in adders])
def make():
    fs = []
    for i in range(3):
        fs.append(lambda: i)
    return [f() for f in fs]
print(make())
def unbound():
    print(v)
    v = 1
try:
    unbound()
except UnboundLocalError as e:
    print("UnboundLocalError:", e)
try:
    undefined_name
except NameError as e:
    print("NameError:", e)
""")

prog("control_flow")("""
for i in range(10):
    if i == 2:
        continue
    if i == 5:
        break
    print(i)
else:
    print("no break")
n = 0
while n < 3:
    n += 1
else:
    print("while else", n)
for i in []:
    pass
else:
    print("empty else")
r = [x if x % 2 else -x for x in range(5)]
print(r)
""")

prog("unpacking")("""
a, (b, c), *d = 1, (2, 3), 4, 5
print(a, b, c, d)
*e, f = "xyz"
print(e, f)
first, *mid, last = range(6)
print(first, mid, last)
print([*range(3), *"ab"], (*[1], 2), {**{"a": 1}, "b": 2}, {*"aab"} == {"a", "b"})
try:
    p, q = [1, 2, 3]
except ValueError as e:
    print(e)
try:
    p, q, r = [1]
except ValueError as e:
    print(e)
x = y = [0]
print(x is y)
if (m := 10) > 5:
    print("walrus", m)
print([z for w in range(4) if (z := w * 2) > 2], z)
""")

prog("slicing")("""
s = list(range(10))
print(s[2:5], s[::2], s[::-1], s[-3:], s[:-7:-2], "hello"[1:4], "hello"[::-1])
s[2:4] = ["a", "b", "c"]
print(s)
del s[::3]
print(s)
t = (1, 2, 3)
print(t[1:], t[-1])
""")

prog("comprehensions")("""
print([x * y for x in range(3) for y in range(3) if x != y])
print({x: x ** 2 for x in range(4)}, {c for c in "hello"} == set("helo"))
g = (i for i in range(3))
print(next(g), list(g))
print(sum(i * i for i in range(10)), max(len(w) for w in ["a", "abc", "ab"]))
class K:
    vals = [1, 2, 3]
    doubled = [v * 2 for v in vals]
print(K.doubled)
""")

prog("classes_basic")("""
class Point:
    count = 0
    def __init__(self, x, y):
        self.x, self.y = x, y
        Point.count += 1
    def __repr__(self):
        return f"Point({self.x}, {self.y})"
    def __eq__(self, other):
        return isinstance(other, Point) and (self.x, self.y) == (other.x, other.y)
    def __add__(self, other):
        return Point(self.x + other.x, self.y + other.y)
    def __lt__(self, other):
        return (self.x, self.y) < (other.x, other.y)
p = Point(1, 2)
print(p, p + Point(3, 4), p == Point(1, 2), p != Point(0, 0), Point.count)
print(sorted([Point(2, 1), Point(1, 5), Point(1, 2)]))
print(Point.__name__, Point.__qualname__, type(p) is Point, p.__class__.__name__)
print(Point.__hash__ is None)
try:
    hash(p)
except TypeError as e:
    print("TypeError:", e)
p.z = 9
print(p.__dict__)
print(getattr(p, "missing", "dflt"), hasattr(p, "x"))
try:
    p.missing
except AttributeError as e:
    print("AttributeError:", e)
""")

prog("inheritance_super_mro")("""
class A:
    def who(self):
        return "A"
class B(A):
    def who(self):
        return "B" + super().who()
class C(A):
    def who(self):
        return "C" + super().who()
class D(B, C):
    def who(self):
        return "D" + super().who()
print(D().who(), [k.__name__ for k in D.__mro__])
print(issubclass(D, A), isinstance(D(), C), issubclass(A, D))
class Base:
    def __init__(self, v):
        self.v = v
class Child(Base):
    def __init__(self, v, w):
        super().__init__(v)
        self.w = w
c = Child(1, 2)
print(c.v, c.w)
class E(A):
    pass
print(E().who(), E.__bases__[0].__name__)
""")

prog("properties_descriptors")("""
class Temp:
    def __init__(self):
        self._c = 0
    @property
    def c(self):
        return self._c
    @c.setter
    def c(self, v):
        if v < -273:
            raise ValueError("too cold")
        self._c = v
    @staticmethod
    def unit():
        return "C"
    @classmethod
    def make(cls):
        return cls()
t = Temp.make()
t.c = 25
print(t.c, Temp.unit(), t.unit())
try:
    t.c = -300
except ValueError as e:
    print(e)
class Desc:
    def __set_name__(self, owner, name):
        self.name = name
    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return obj.__dict__.get(self.name, 0) * 10
    def __set__(self, obj, value):
        obj.__dict__[self.name] = value
class H:
    d = Desc()
h = H()
h.d = 4
print(h.d, type(H.d).__name__)
""")

prog("nondata_descriptor_get_gets_owner")("""
# PyObject_GenericGetAttr calls __get__(obj, type(obj)) for a non-data descriptor found on
# the class (functools.partialmethod.__get__ reads its `cls=None` parameter)
class NonData:
    def __get__(self, obj, cls=None):
        return (type(obj).__name__, cls.__name__ if cls is not None else cls)
class K:
    nd = NonData()
print(K().nd, K.nd)
import functools
class A:
    def f(self, *args):
        return args
    g = functools.partialmethod(f, 1)
    h = functools.partialmethod(classmethod(lambda cls, x: (cls.__name__, x)), 2)
print(A().g(2), A().h())
""")

prog("yield_from_chain_counts_recursion_depth")("""
import sys, json
# each generator a `yield from` runs counts as a level of recursion (its frame does in
# CPython): an ever deeper delegation chain ends in RecursionError at the guest's limit
def deeper(k):
    yield k
    yield from deeper(k + 1)
g = deeper(0)
old = sys.getrecursionlimit()
sys.setrecursionlimit(200)
try:
    for x in g:
        pass
except RecursionError:
    print("RecursionError", 50 < x < 200)
class Endless(json.JSONEncoder):
    def default(self, o):
        return [o]
try:
    Endless(check_circular=False).encode(5j)
except RecursionError:
    print("RecursionError from the pure-Python encoder")
finally:
    sys.setrecursionlimit(old)
def inner():
    try:
        r = yield 1
    except KeyError:
        r = yield "caught"
    return r
def outer():
    return (yield from inner())
g = outer()
print(next(g), g.throw(KeyError))
try:
    g.send("value")
except StopIteration as e:
    print("returned", e.value)
""")

prog("condition_eq_has_no_identity_shortcut")("""
# `if a == b:` compares (PyObject_RichCompare); only containers use the identity shortcut
nan = float("nan")
for val in (1.0, nan):
    if val == val:
        print("equal", val)
    else:
        print("not equal", val)
class Never:
    def __eq__(self, other):
        return False
n = Never()
print("eq" if n == n else "ne", [nan] == [nan], n in [n])
while nan == nan:
    print("unreachable")
    break
""")

prog("function_builtins_attribute")("""
import builtins
from collections import namedtuple
def f():
    pass
print(f.__builtins__ is builtins.__dict__)
g = {"__builtins__": {"len": len}}
exec("def h(): pass", g)
print(g["h"].__builtins__, namedtuple("C", ()).__new__.__builtins__)
""")

prog("dunder_protocols")("""
class Seq:
    def __init__(self, n):
        self.n = n
    def __len__(self):
        return self.n
    def __getitem__(self, i):
        if i >= self.n:
            raise IndexError(i)
        return i * i
    def __contains__(self, x):
        return x == 42
    def __bool__(self):
        return self.n > 0
    def __call__(self, a):
        return a + self.n
print(len(Seq(3)), list(Seq(4)), 42 in Seq(1), 3 in Seq(1), bool(Seq(0)), Seq(2)(5))
class It:
    def __init__(self):
        self.i = 0
    def __iter__(self):
        return self
    def __next__(self):
        self.i += 1
        if self.i > 3:
            raise StopIteration
        return self.i
print(list(It()), [x for x in It()])
class Num:
    def __init__(self, v):
        self.v = v
    def __radd__(self, other):
        return Num(other + self.v)
    def __mul__(self, o):
        return NotImplemented
    def __rmul__(self, o):
        return "rmul"
    def __neg__(self):
        return Num(-self.v)
    def __index__(self):
        return self.v
print((1 + Num(2)).v, 3 * Num(1), (-Num(4)).v, [0, 1, 2, 3][Num(2)])
try:
    Num(1) + Num(2)
except TypeError as e:
    print(e)
class Ctx:
    def __enter__(self):
        print("enter")
        return "val"
    def __exit__(self, t, v, tb):
        print("exit", t.__name__ if t else None, v)
        return True
with Ctx() as v:
    print(v)
    raise KeyError("k")
print("after")
""")

prog("exceptions")("""
class MyError(Exception):
    def __init__(self, msg, code):
        super().__init__(msg)
        self.code = code
try:
    raise MyError("boom", 42)
except MyError as e:
    print(type(e).__name__, e, e.code, e.args, isinstance(e, Exception))
def f():
    try:
        return "try"
    finally:
        print("finally runs")
print(f())
try:
    try:
        {}["x"]
    except KeyError as e:
        raise ValueError("wrapped") from e
except ValueError as e:
    print(e, repr(e.__cause__), e.__suppress_context__)
try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise TypeError("during")
except TypeError as e:
    print(e, type(e.__context__).__name__)
try:
    pass
except Exception:
    pass
else:
    print("else")
def reraiser():
    try:
        int("x")
    except ValueError:
        raise
try:
    reraiser()
except ValueError as e:
    print("re:", e)
try:
    assert 1 == 2, "math"
except AssertionError as e:
    print("assert", e)
for exc in (IndexError, KeyError, (TypeError, ValueError)):
    try:
        raise ValueError("v")
    except exc:
        print("caught by", exc)
    except Exception:
        print("fallthrough", exc)
""")

prog("generators")("""
def gen(n):
    for i in range(n):
        x = yield i
        if x is not None:
            print("sent", x)
    return "end"
g = gen(3)
print(next(g), g.send("hi"), next(g))
try:
    next(g)
except StopIteration as e:
    print("done", e.value)
def deleg():
    r = yield from gen(2)
    yield r
print(list(deleg()))
def closing():
    try:
        yield 1
        yield 2
    finally:
        print("closed")
c = closing()
print(next(c))
c.close()
def thrower():
    try:
        yield 1
    except ValueError as e:
        yield "caught " + str(e)
t = thrower()
next(t)
print(t.throw(ValueError("x")))
def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
f = fib()
print([next(f) for _ in range(10)])
def expr_yield():
    x = (yield 1) + (yield 2)
    yield x
e = expr_yield()
print(next(e), e.send(10), e.send(20))
""")

prog("coroutines_manual")("""
class Fut:
    def __await__(self):
        v = yield "suspend"
        return v
async def inner():
    return await Fut() + 1
async def outer():
    a = await inner()
    return a * 2
c = outer()
print(c.send(None))
try:
    c.send(20)
except StopIteration as e:
    print("result", e.value)
async def agen():
    for i in range(3):
        yield i
async def use():
    out = []
    async for v in agen():
        out.append(v)
    return out
u = use()
try:
    u.send(None)
except StopIteration as e:
    print(e.value)
""")

prog("class_features")("""
class Meta(type):
    def __new__(mcls, name, bases, ns, **kw):
        ns["tag"] = name.lower()
        return super().__new__(mcls, name, bases, ns)
class Tagged(metaclass=Meta):
    pass
print(Tagged.tag, type(Tagged).__name__)
class Reg:
    subclasses = []
    def __init_subclass__(cls, **kw):
        super().__init_subclass__()
        Reg.subclasses.append(cls.__name__)
class R1(Reg): pass
class R2(Reg): pass
print(Reg.subclasses)
class Slotted:
    __slots__ = ("a", "b")
    def __init__(self):
        self.a = 1
s = Slotted()
print(s.a)
try:
    s.c = 3
except AttributeError as e:
    print("AttributeError")
try:
    s.b
except AttributeError as e:
    print("unset slot")
class G:
    def __class_getitem__(cls, item):
        return f"G[{item.__name__}]"
print(G[int])
class Dyn:
    def __getattr__(self, name):
        return name.upper()
print(Dyn().hello)
class Both:
    def __getattribute__(self, name):
        if name == "x":
            return "intercepted"
        return object.__getattribute__(self, name)
b = Both()
b.y = 5
print(b.x, b.y)
T = type("T", (object,), {"v": 3})
print(T().v, T.__name__)
""")

prog("match_statement", xfail=None)("""
def describe(x):
    match x:
        case 0:
            return "zero"
        case int(n) if n < 0:
            return f"negative {n}"
        case [a, b]:
            return f"pair {a} {b}"
        case [first, *rest]:
            return f"list starting {first} rest {rest}"
        case {"k": v, **others}:
            return f"dict k={v} others={others}"
        case str() | bytes():
            return "text"
        case (1 | 2) as small:
            return f"small {small}"
        case Point(x=0, y=yy):
            return f"on y axis {yy}"
        case None:
            return "none"
        case _:
            return "other"
class Point:
    __match_args__ = ("x", "y")
    def __init__(self, x, y):
        self.x, self.y = x, y
for v in [0, -5, [1, 2], [1, 2, 3], {"k": 1, "z": 2}, "s", 2, Point(0, 7), None, 3.5]:
    print(describe(v))
match Point(1, 2):
    case Point(a, b):
        print("positional", a, b)
""")

prog("recursion_limit")("""
def down(n):
    return down(n + 1)
try:
    down(0)
except RecursionError as e:
    print("RecursionError caught")
def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)
print(fact(200) % 1000007)
""")

prog("misc_builtins_interplay")("""
print(sorted({"b": 1, "a": 2}.items()), list(map(lambda x: x * 2, [1, 2])))
print(list(zip([1, 2], "ab")), list(enumerate("xy", 1)), any([0, 1]), all([]))
print(isinstance(True, int), type(1.0).__name__, int("42") + 1, str(12) + "!")
d = {}
d.setdefault("k", []).append(1)
print(d, len(d), "k" in d)
del d["k"]
print(d)
print(repr(None), repr(...), 1 if [] else 2)
""")


prog("generator_exc_state")("""
import sys
def g():
    try:
        raise ValueError("inside")
    except ValueError:
        yield sys.exc_info()[0].__name__
        yield sys.exc_info()[0].__name__
it = g()
print(next(it), sys.exc_info())
try:
    raise KeyError("outer")
except KeyError:
    print(next(it), sys.exc_info()[0].__name__)
print(sys.exc_info(), next(it, "done"))
""")

prog("asyncio_basics")("""
import sys
if not hasattr(sys, "get_asyncgen_hooks"):      # beale's sys lacks them for now
    sys.get_asyncgen_hooks = lambda: (None, None)
    sys.set_asyncgen_hooks = lambda *a, **k: None
import asyncio
async def work(x):
    await asyncio.sleep(0)
    if x == 2:
        raise ValueError(x)
    return x * 10
async def agen(n):
    for i in range(n):
        await asyncio.sleep(0)
        yield i
class Res:
    async def __aenter__(self):
        print("enter")
        return self
    async def __aexit__(self, *exc):
        print("exit", exc[0])
        return False
async def main():
    print(await work(1))
    print(await asyncio.gather(work(0), work(1), work(2), return_exceptions=True))
    print([x async for x in agen(3)])
    async with Res() as r:
        print("inside", type(r).__name__)
    total = 0
    async for v in agen(4):
        total += v
    print("total", total)
    t = asyncio.create_task(work(5))
    print(await t)
    return "done"
print(asyncio.run(main()))
""")

prog("except_star")("""
def f():
    raise ExceptionGroup("grp", [ValueError(1), TypeError(2), ValueError(3)])
try:
    f()
except* ValueError as eg:
    print("values", [str(e) for e in eg.exceptions])
except* TypeError as eg:
    print("types", [str(e) for e in eg.exceptions])
try:
    try:
        f()
    except* TypeError:
        print("handled types")
except ExceptionGroup as rest:
    print("rest", [type(e).__name__ for e in rest.exceptions])
""")

prog("generator_protocol")("""
def averager():
    total = 0.0
    count = 0
    avg = None
    while True:
        try:
            v = yield avg
        except GeneratorExit:
            print("closing")
            raise
        total += v
        count += 1
        avg = total / count
a = averager()
next(a)
print(a.send(10), a.send(20), a.send(60))
a.close()
def g():
    yield 1
    return 5
gen = g()
print(list(gen), gen.gi_running)
def inner():
    x = yield 1
    print("inner got", x)
    return "ret"
def outer():
    r = yield from inner()
    print("outer got", r)
o = outer()
next(o)
try:
    o.send("hello")
except StopIteration:
    print("finished")
def bad():
    yield 1
    raise StopIteration
try:
    list(bad())
except RuntimeError as e:
    print("RuntimeError:", e)
squares = (x * x for x in range(4))
print(sum(squares), sum(squares))
""")

prog("class_machinery")("""
class Meta(type):
    @classmethod
    def __prepare__(mcls, name, bases, **kw):
        print("prepare", name, kw)
        return {"injected": 1}
    def __new__(mcls, name, bases, ns, **kw):
        return super().__new__(mcls, name, bases, ns)
    def __init__(cls, name, bases, ns, **kw):
        super().__init__(name, bases, ns)
class A(metaclass=Meta, flag=True):
    pass
print(A.injected)
class Plugin:
    registry = {}
    def __init_subclass__(cls, key=None, **kw):
        super().__init_subclass__(**kw)
        Plugin.registry[key] = cls.__name__
class P1(Plugin, key="one"): pass
class P2(Plugin, key="two"): pass
print(sorted(Plugin.registry.items()))
class Base:
    def hello(self):
        return "base " + type(self).__name__
    @classmethod
    def make(cls):
        return cls()
class Child(Base):
    def hello(self):
        return "child+" + super().hello()
    @classmethod
    def make(cls):
        obj = super().make()
        obj.made = True
        return obj
    def cls_name(self):
        return __class__.__name__
c = Child.make()
print(c.hello(), c.made, c.cls_name())
print(Child.__mro__ == (Child, Base, object), Child.__bases__, Child.__qualname__)
def factory():
    class Local:
        pass
    return Local
print(factory().__qualname__)
class WithEq:
    def __init__(self, v):
        self.v = v
    def __eq__(self, o):
        return self.v == o.v
    __hash__ = object.__hash__
print(WithEq(1) == WithEq(1), hash(WithEq(1)) is not None)
class Abstract:
    def area(self):
        raise NotImplementedError
try:
    Abstract().area()
except NotImplementedError:
    print("not implemented")
from abc import ABC, abstractmethod
class Shape(ABC):
    @abstractmethod
    def area(self): ...
class Sq(Shape):
    def area(self):
        return 4
try:
    Shape()
except TypeError as e:
    print("TypeError:", e)
print(Sq().area(), isinstance(Sq(), Shape))
""")

prog("dataclass_and_enum")("""
from dataclasses import dataclass, field
from enum import Enum, auto
@dataclass(order=True)
class Item:
    name: str
    qty: int = 0
    tags: list = field(default_factory=list)
a = Item("apple", 3)
b = Item("banana")
print(a, b, a < b, a == Item("apple", 3))
class Color(Enum):
    RED = auto()
    GREEN = auto()
print(Color.RED, Color.GREEN.value, Color["RED"] is Color.RED, [c.name for c in Color])
""")

prog("uncaught_exception_exit")("""
def inner():
    return 1 / 0
def outer():
    inner()
print("before")
outer()
""")


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program(name, tmp_path, capfd, request):
    src, xfail = PROGRAMS[name]
    if xfail and "not run" in xfail:
        pytest.xfail(xfail)
    if xfail:
        request.node.add_marker(pytest.mark.xfail(reason=xfail, strict=False))
    expected, host_err, host_rc = host_run(src, tmp_path)
    out, err, rc = beale_output(src, tmp_path, capfd)
    assert out == expected, err
    assert rc == host_rc, err
    if host_rc:
        # an uncaught exception: the same traceback text as CPython's
        assert err.replace(str(tmp_path), "") == host_err.replace(str(tmp_path), "")
