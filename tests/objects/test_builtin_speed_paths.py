"""The fast paths of the built-in types' methods (set tables read as words, hashes of
tuples/frozensets without a guest int, int/float/str key comparison without a handle,
list.extend over an iterator, C method descriptors bound through the attribute cache)
must not change behaviour: each guest program below drives one path through the cases
that must fall back to the generic protocol, and its output is compared with the host
CPython's."""

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from tests.guest_programs import Programs  # noqa: E402 (after the path set-up)

PROGRAMS = prog = Programs()


prog("set_tables_and_algebra")("""
big = 10 ** 6
a = set(range(big, big + 300))
b = set(list(range(big + 150, big + 450)))      # equal values, distinct int objects
print(len(a & b), len(a | b), len(a - b), len(a ^ b), a <= b, (a & b) <= a, a == set(a))
print(sorted(a & b)[:3], sorted(b - a)[-3:])
fa = {float(i) + 0.5 for i in range(100)}
fb = {i + 0.5 for i in range(50, 150)}
print(len(fa & fb), sorted(fa - fb)[:2])
nan = float("nan")
s = {nan, 1.5}
print(nan in s, float("nan") in s, 1.5 in s, len({nan, float("nan")}))
sa = {"k%d" % i for i in range(200)}
sb = {"".join(["k", str(i)]) for i in range(100, 300)}
print(len(sa & sb), len(sa - sb), "k150" in sa & sb)
print({1, 2} == {1.0, 2.0}, {True, 2} & {1, 2}, 1 in {True}, {1.0} | {1})
class Eq:
    def __init__(self, v): self.v = v
    def __hash__(self): return hash(self.v)
    def __eq__(self, o): return isinstance(o, Eq) and o.v == self.v or o == self.v
e = {Eq(3), Eq(4)}
print(len(e & {Eq(3)}), 3 in e, len(e | {Eq(4), Eq(5)}))
t = set(range(20))
for i in range(0, 20, 2):
    t.discard(i)
t |= set(range(100, 140))                       # a resize over a table with dummies
print(sorted(t)[:5], len(t), sorted(iter(t)) == sorted(t))
u = set()
u.update(a)                                     # set_merge into an empty set
print(len(u), u == a, len(frozenset(a) & b))
it = iter(a)
next(it)
a.add(-1)
try:
    next(it)
except RuntimeError as err:
    print("RuntimeError", err)
""")

prog("tuple_and_frozenset_hashes")("""
fs = [frozenset(), frozenset([1]), frozenset([1, 2, 3]), frozenset(["a", (1, 2)])]
nested = frozenset([frozenset([1]), frozenset([frozenset([2])])])
print([hash(f) == hash(frozenset(f)) for f in fs], hash(frozenset()) , hash(frozenset([1, 2, 3])))
print(hash((1, 2, (3, 4))), hash((1, frozenset([2]))) == hash((1, frozenset([2]))))
print(len({nested, frozenset(nested)}), nested in {nested}, hash(nested) == hash(frozenset(nested)))
class F(frozenset):
    def __hash__(self):
        return 42
print(hash(F([1])), F([1]) == frozenset([1]), len({F([1]), frozenset([1])}))
class T(tuple):
    pass
print(hash(T((1, 2))) == hash((1, 2)), hash((2 ** 62, -2 ** 62, 2 ** 90)))
class NF(float):
    def __hash__(self):
        return super().__hash__()
x = NF("nan")
nan = float("nan")
print(hash(x) == object.__hash__(x), hash(nan) == object.__hash__(nan), nan in {nan: 1})
try:
    hash((1, [2]))
except TypeError as err:
    print("TypeError", err)
try:
    hash(frozenset([1])) ; hash({1})
except TypeError as err:
    print("TypeError", err)
""")

prog("list_extend_iterators")("""
print(list(range(5, 20, 3)), list(range(0)), list(iter([1, 2, 3])), list(i * i for i in range(6)))
print(list(reversed([1, 2, 3])), list({"a": 1, "b": 2}), list({"a": 1}.items()), list("abc"))
l = [1, 2]
l.extend(l)                                      # itself: the items before the call
l.extend(iter((5, 6)))
print(l)
m = [0]
def gen():
    for i in range(4):
        m.append(i)                              # the list grows while extend runs
        yield i * 10
m.extend(gen())
print(m)
class It:
    def __init__(self): self.i = 0
    def __iter__(self): return self
    def __next__(self):
        self.i += 1
        if self.i > 3:
            raise StopIteration
        return self.i
    def __length_hint__(self): return 100
print(list(It()), tuple(It()), set(It()))
class Bad:
    def __iter__(self): return self
    def __next__(self): raise ValueError("boom")
try:
    list(Bad())
except ValueError as err:
    print("ValueError", err)
print(len(list(range(10 ** 5))), sum(list(range(1000))))
""")

prog("c_method_descriptors_on_guest_instances")("""
import random, collections
class R(random.Random):
    pass
r = R(5)
def bits(o, k):
    return o.getrandbits(k)
def load(o):
    return o.getrandbits
print([bits(r, 8) for i in range(3)], load(r)(4), r.random() < 1.0)
r2 = random.Random(5)
print([bits(r2, 8) for i in range(3)])
r.getrandbits = lambda k: "instance attribute"    # the instance dict shadows the descriptor
print(bits(r, 3), load(r)(3))
del r.getrandbits
print(type(bits(r, 3)).__name__)
R.getrandbits = lambda self, k: "class attribute"  # the class changed: the cache must see it
print(bits(r, 3), bits(R(1), 2))
del R.getrandbits
print(type(bits(r, 3)).__name__)
class D(collections.deque):
    pass
d = D()
def app(o, x):
    o.append(x)
for i in range(4):
    app(d, i)
print(list(d), d.pop(), load.__name__)
try:
    random.Random.getrandbits(d, 3)
except TypeError as err:
    print("TypeError", err)
""")


# test_set's test_keywords_in_subclass: set_new/frozenset_new refuse keywords unless a
# subclass has its own __init__; at most one positional argument, named after the type
prog("set_constructor_keywords")("""
class subclass(frozenset): pass
class subclass_with_init(frozenset):
    def __init__(self, arg, newarg=None):
        self.newarg = newarg
class subclass_with_new(frozenset):
    def __new__(cls, arg, newarg=None):
        self = super().__new__(cls, arg)
        self.newarg = newarg
        return self
class sset(set): pass
class sset_init(set):
    def __init__(self, arg, newarg=None):
        super().__init__(arg)
        self.newarg = newarg
class sset_new(set):
    def __new__(cls, arg, newarg=None):
        self = super().__new__(cls, arg)
        self.newarg = newarg
        return self
for f in [lambda: subclass(sequence=()), lambda: frozenset(a=1), lambda: frozenset(1, 2), lambda: subclass(1, 2),
          lambda: set(a=1), lambda: set(1, 2), lambda: sset(sequence=()), lambda: sset([1], [2]),
          lambda: subclass_with_init([1, 2], newarg=3), lambda: subclass_with_new([1, 2], newarg=3),
          lambda: sset_init([1, 2], newarg=3), lambda: sset_new([1, 2], newarg=3),
          lambda: set.__init__(set(), a=1), lambda: frozenset([1]), lambda: set([1, 2])]:
    try:
        u = f()
        print(type(u).__name__, sorted(u), getattr(u, "newarg", None))
    except TypeError as e:
        print("TypeError", e)
""")


prog("map_and_join_iterators")("""
print("".join(map(chr, range(945, 950))), "-".join(map(str, [1, 2, 3])), list(map(abs, (-1, 2))))
m = map(str.upper, iter(["a", "b", "c"]))
print(next(m), list(m), list(m), next(m, "done"))
print(list(map(pow, [2, 3], [5, 6, 7])), list(map(lambda x: x * 2, (i for i in range(3)))))
def bad():
    yield 1
    raise KeyError("inner")
m = map(str, bad())
try:
    print("".join(m))
except KeyError as err:
    print("KeyError", err, list(m))
print("".join(map(chr, list(range(0, 200)) + list(range(0x10000, 0x10040)))) == "".join(chr(i) for i in list(range(200)) + list(range(0x10000, 0x10040))))
print(sorted(set(map(len, ["a", "bb", "cc"]))), dict(zip("ab", map(ord, "ab"))), list(enumerate(map(str, range(3)))))
try:
    "".join(map(int, "12"))
except TypeError as err:
    print("TypeError", err)
""")


# list/tuple contains, index, count, remove compare exact str/int/float items by value
prog("sequence_item_equality")("""
big = 10 ** 7
t = ("WS", "B", "S", big, 2.5, float("nan"))
print("B" in t, "b" in t, big + 0 in t, 2.5 in t, float("nan") in t, t[5] in t, 10 ** 7 + 1 in t, True in (1,), 1.0 in (1,), 1 in (1.0,))
l = list(t)
print("S" in l, l.index(big + 0), l.count("B"), t.count(2.5), t.index("S"), l.index(2.5, 1))
l.remove(big + 0)
print(l[:3], len(l))
class S(str):
    def __eq__(self, o): return True
    __hash__ = str.__hash__
print(S("zz") in t, "zz" in (S("q"),), t.count(S("x")))
try:
    l.index("nope")
except ValueError as e:
    print("ValueError", e)
""")


# test_unicode test_format / test_format_map / test_format_subclass / test_formatting:
# field lookup before the rest of a field name is parsed, recursion depth, positional
# fields in format_map, a str subclass with an empty spec is str(obj), `*` width/precision
# overflow, %c through __index__
prog("str_format_rules")("""
class S(str):
    def __str__(self):
        return '__str__ overridden'
class PseudoInt:
    def __init__(self, v): self.v = v
    def __index__(self): return self.v
class PseudoFloat:
    def __int__(self): return 3
s = S('xxx')
print("{}".format(s), "{:}".format(s), format(s), "{0!s}".format(s), "{:>5}".format(s), "%s" % s)
for f, args in [("{0.}", ()), ("{0.}", (1,)), ("{0[}", ()), ("{0:{1:{2}}}", ('abc', 's', '')),
                ("{0:{1}}", ('abc', 's')), ("{}", ()), ("{a.}", ())]:
    try:
        print(repr(f.format(*args)))
    except (IndexError, ValueError, KeyError) as e:
        print(type(e).__name__, e)
for f, m in [("{}", {'a': 2}), ("{a}", {'a': 2}), ("{0}", {}), ("{a.real}", {'a': 3})]:
    try:
        print(repr(f.format_map(m)))
    except (IndexError, ValueError, KeyError) as e:
        print(type(e).__name__, e)
import sys
for f, v in [('%*s', (sys.maxsize + 1, '')), ('%.*f', (sys.maxsize + 1, 1. / 7)), ('%.*f', (2 ** 31, 1.0)),
             ('%*s', (-5, 'ab')), ('%.*f', (3, 1. / 7)), ('%c', PseudoInt(109)), ('%c', 109), ('%c', 'q'),
             ('%c', PseudoFloat()), ('%c', 2.5), ('%c', 0x110000), ('%x', PseudoInt(255))]:
    try:
        print(repr(f % v))
    except (OverflowError, ValueError, TypeError) as e:
        print(type(e).__name__, e)
for f, v in [(b'%c', PseudoInt(65)), (b'%c', 300), (b'%c', b'z'), (b'%*d', (2 ** 63, 1))]:
    try:
        print(repr(f % v))
    except (OverflowError, ValueError, TypeError) as e:
        print(type(e).__name__, e)
""")

# str/bytes/bytearray iterators reduce as CPython's (iter, (seq,), index) and __setstate__
prog("str_iterator_reduce")("""
import copy
for s in ['abc', 'é', '🚀🚀', b'ab', bytearray(b'ab'), '']:
    it = iter(s)
    print(it.__reduce__(), list(copy.copy(it)))
    if s:
        next(it)
        print(it.__reduce__(), list(copy.copy(it)))
    list(it)
    print(it.__reduce__(), list(copy.copy(it)))
it = iter('abc'); it.__setstate__(5); print(list(it)); it = iter('abc'); it.__setstate__(-3); print(list(it))
it = iter(b'abc'); it.__setstate__(2); print(list(it)); it = iter(bytearray(b'xyz')); it.__setstate__(1); print(list(it))
it = iter('abc'); list(it); it.__setstate__(1); print(list(it))
""")


# test.support.check_free_after_iterating (test_unicode, test_bytes): a str/bytes iterator
# keeps the iterated object (a subclass instance with __del__) alive until it is exhausted
prog("str_iterator_keeps_its_string")("""
import gc
def check(cls, args=()):
    class A(cls):
        def __del__(self):
            nonlocal done
            try:
                next(it)
            except StopIteration:
                pass
            done = True
    done = False
    it = iter(A(*args))
    try:
        next(it); next(it); next(it); next(it)
    except StopIteration:
        print("StopIteration")
    gc.collect()
    print(cls.__name__, done)
check(str, ("abc",))
check(str, ("é€",))
check(bytes, (b"ab",))
class T(str): pass
it = iter(T("xy"))
print(type(it.__reduce__()[1][0]).__name__, list(it))
""")


# test_list test_extend (issue1621): a __length_hint__ that overflows the size is ignored;
# one that cannot be allocated is a MemoryError, never a host error
prog("list_extend_length_hint_overflow")("""
import sys
class CustomIter:
    def __iter__(self): return self
    def __next__(self): raise StopIteration
    def __length_hint__(self): return sys.maxsize
a = [1, 2, 3, 4]
a.extend(CustomIter())
print(a)
try:
    [].extend(CustomIter())
except MemoryError:
    print("MemoryError")
""")


# set.__new__ / frozenset.__new__ given a non-type (read as a PyTypeObject, it crashed)
prog("set_new_not_a_type")("""
for f in [lambda: frozenset.__new__(5), lambda: frozenset.__new__(5, [1]), lambda: set.__new__(5, a=1),
          lambda: set.__new__("x"), lambda: frozenset.__new__(list, [1]), lambda: set.__new__(int, a=1)]:
    try:
        print(f())
    except TypeError as e:
        print("TypeError", e)
""")


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program(name, tmp_path, capfd, request):
    PROGRAMS.check(name, tmp_path, capfd, request)
