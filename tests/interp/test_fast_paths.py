"""The interpreter's speed paths (issue 7) must not change behaviour: each program below
drives one inline cache or fast path through the cases that must invalidate it or fall
back to the generic protocol, and its output is compared with the host CPython's."""

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from tests.guest_programs import Programs  # noqa: E402 (after the path set-up)

PROGRAMS = prog = Programs()


prog("attr_cache_instance_dicts")("""
class P:
    def __init__(self, a, b):
        self.a = a
        self.b = b
    def m(self):
        return "method"
def get_b(o):
    return o.b
def call_m(o):
    return o.m()
ps = [P(i, i * 2) for i in range(5)]
print([get_b(p) for p in ps])
q = P(1, 2)
del q.a                      # b now sits at another index? no: deletion keeps the index
print(get_b(q), hasattr(q, "a"))
r = P.__new__(P)
r.b = "b first"              # another insertion order: another entry index
r.a = "a"
print(get_b(r), get_b(ps[1]), get_b(r))
for i in range(10):
    setattr(r, "x%d" % i, i)  # the table grows: another geometry
print(get_b(r), get_b(ps[2]))
q.m = lambda: "instance attribute shadows the method"
print(call_m(ps[0]), call_m(q), call_m(ps[0]))
del q.m
print(call_m(q))
P.m = lambda self: "class changed"
print(call_m(ps[0]), call_m(q))
r.__dict__ = {"b": "new dict"}
print(get_b(r))
class Prop:
    def __init__(self):
        self.__dict__["b"] = "shadowed"
    @property
    def b(self):
        return "property wins"
print(get_b(Prop()), get_b(ps[3]))
""")

prog("attr_cache_stores")("""
class C:
    def __init__(self, v):
        self.v = v
        self.w = 0
def bump(o, n):
    for _ in range(n):
        o.v += 1
        o.w = o.v * 2
    return o.v, o.w
a, b = C(1), C(100)
print(bump(a, 3), bump(b, 3), bump(a, 1))
c = C.__new__(C)
c.w = "w first"
c.v = 5
print(bump(c, 2))
del a.w
print(bump(a, 1))
class S:
    __slots__ = ("v", "w")
    def __init__(self):
        self.v = 0
        self.w = 0
s = S()
print(bump(s, 2))
class Setter(C):
    def __setattr__(self, k, val):
        object.__setattr__(self, k, ("set", val) if k == "w" else val)
print(bump(Setter(0), 2))
import gc
class Holder:
    pass
h = Holder()
h.x = 1
h.x = [h]                    # a container value: the dict must become GC-tracked
print(gc.is_tracked(h.__dict__))
""")

prog("unpack_paths")("""
t = tuple(range(4))
l = list("abcd")
a, b, c, d = t
print(a, b, c, d)
a, b, c, d = l
print(a, b, c, d)
a, b = b, a
print(a, b)
x = [1, 2]
x[0], x[1] = x[1], x[0]
print(x)
i = 0
i, x[i] = 1, 9               # the targets are stored left to right
print(i, x)
for bad in [(1, 2, 3), [1], "ab", iter([1, 2, 3])]:
    try:
        p, q = bad
        print(p, q)
    except ValueError as e:
        print(e)
class T(tuple):
    def __iter__(self):
        return iter(["sub", "class"])
p, q = T((1, 2))
print(p, q)
first, *mid, last = t
print(first, mid, last)
""")

prog("iterate_paths")("""
l = [1, 2, 3]
out = []
for x in l:
    out.append(x)
    if x < 3:
        l.append(x + 10)     # the loop sees items appended while it runs
print(out)
l = [1, 2, 3, 4]
for x in l:
    l.remove(x)              # and shrinking
print(l)
print(sum(range(10, 0, -3)), list(range(3)), [*range(2, 11, 4)], tuple(range(0)))
it = iter([5, 6, 7])
next(it)
print(list(it), list(it))
t = (1, "a", None)
print([x for x in t], list(reversed(t)), sorted(set(t) - {None}, key=str))
a, *b = range(5)
print(a, b)
class L(list):
    def __iter__(self):
        return iter("overridden")
print(list(L([1, 2])), [c for c in L()])
print(list(range(2**64, 2**64 + 3)))
""")

prog("attr_cache_slots")("""
class S:
    __slots__ = ("x", "y", "__dict__")
    def __init__(self, x):
        self.x = x
def get_x(o):
    return o.x
def set_x(o, v):
    o.x = v
a, b = S(1), S([2])
print(get_x(a), get_x(b), get_x(a))
set_x(a, "new")
print(get_x(a))
del a.x
try:
    get_x(a)
except AttributeError as e:
    print("AttributeError", e)
set_x(a, 3)
print(get_x(a))
class G(S):
    __slots__ = ()
    def __getattr__(self, name):
        return "fallback " + name
g = G(5)
print(get_x(g))
del g.x
print(get_x(g))
a.__dict__["x"] = "ignored: the slot is a data descriptor"
print(get_x(a))
class Odd:
    def __setattr__(self, k, v):
        object.__setattr__(self, k, ("odd", v))
c1, c2 = S(0), Odd()
for o in (c1, c2, c1, c2, c1):    # one site: a slot class, an uncacheable class, again
    set_x(o, 7)
    print(get_x(o))
S.x = property(lambda self: "replaced")
print(get_x(a), get_x(b))
""")

prog("attr_cache_polymorphic")("""
class Base:
    kind = "base"
    def __init__(self, i):
        self.i = i
    def who(self):
        return self.kind
classes = [type("K%d" % n, (Base,), {"kind": "k%d" % n}) for n in range(12)]
objs = [classes[n % 12](n) for n in range(40)]
def visit(o):
    o.i += 1
    return (o.i, o.who(), o.kind)
print([visit(o) for o in objs][:15])
print([visit(o) for o in objs][-5:])
classes[3].who = lambda self: "patched"
objs[3].kind = "own"
print([visit(o) for o in objs[:5]])
class WithSlots(Base):
    __slots__ = ("i",)
print(visit(WithSlots(1)), visit(objs[0]), visit(WithSlots(5)))
""")

prog("subscript_paths")("""
l = [10, 20, 30]
t = (1, "two", 3.0)
print(l[0], l[-1], l[2], t[1], t[-3], l[True])
for bad in (3, -4):
    try:
        print(l[bad])
    except IndexError as e:
        print("IndexError", e)
    try:
        print(t[bad])
    except IndexError as e:
        print("IndexError", e)
    try:
        l[bad] = 0
    except IndexError as e:
        print("IndexError", e)
l[0] = "a"
l[-1] = l
l[True] = None
print(l[0], l[1], len(l[-1]), l[2] is l)
class L(list):
    def __getitem__(self, i):
        return "sub %r" % (i,)
    def __setitem__(self, i, v):
        print("set", i, v)
s = L([1, 2])
print(s[0], s[-1])
s[0] = 5
print(list(s), l[1:], t[::2], [1, 2][0])
""")


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program(name, tmp_path, capfd, request):
    PROGRAMS.check(name, tmp_path, capfd, request)
