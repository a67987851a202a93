"""Regression tests for what the CPython suite (test_patma, test_dict, test_unicode, ...)
found in the built-in types: each guest script prints what it observes, and beale must
print exactly what the host CPython prints for the same script."""

import os
import subprocess
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SCRIPTS = {
    "match_sequences_and_flags": """
        import collections, collections.abc
        match range(1 << 30):              # a wildcard star indexes: no 2**30 unpacking
            case x, y, *_:
                print("big", x, y)
        match range(10):
            case [a, *rest, b]:
                print(a, rest, b)
        for subject in ("ab", b"ab", {"a": 1}, collections.deque([1, 2]), [1, 2]):
            match subject:
                case [*_]:
                    print(type(subject).__name__, "seq")
                case {}:
                    print(type(subject).__name__, "map")
                case _:
                    print(type(subject).__name__, "neither")
        class P: pass
        class Pre(P): pass
        collections.abc.Mapping.register(P)
        class Post(P): pass
        class M1(collections.UserDict, collections.abc.Sequence): pass
        class S4(collections.UserList, dict): pass
        class Seq(collections.abc.Sequence):
            __getitem__ = None
            def __len__(self): return 0
        for k in (P, Pre, Post, M1, S4, Seq):
            match k():
                case {}:
                    print(k.__name__, "map")
                case [*_]:
                    print(k.__name__, "seq")
        print(type(range(3)) is range)
    """,
    "match_binding_and_classes": """
        def f(x):
            match x:
                case (a, b, 9) | (b, a, 10):
                    w = 0
            return sorted(locals())
        print(f((1, 2, 9)), f((1, 2, 10)), f((1, 2, 11)))
        class MyInt(int): pass
        match MyInt(5):
            case int(v):
                print("self", v)
        class C:
            __match_args__ = ["a"]
            a = 1
        for pat in ("C(x)", "C(a=x, a=y)"):
            try:
                exec("match C():\\n case %s: pass" % pat)
            except (TypeError, SyntaxError) as e:
                print(type(e).__name__, e)
        class D:
            __match_args__ = ("a", "a")
            a = 1
        try:
            match D():
                case D(x, y): pass
        except TypeError as e:
            print("TypeError", e)
        class Weird(dict):
            def get(self, k, default=None):
                return "got-" + k
        match Weird(k=0, j=1):
            case {"k": v, **rest}:
                print(v, rest)
        try:
            k = "a"
            class K: v = "a"
            match {"a": 1, "b": 2}:
                case {"a": 1, K.v: 2}: pass
        except ValueError as e:
            print("ValueError", e)
    """,
    "match_syntax_errors": """
        sources = [
            'case a | "a": pass', 'case {0: _, -0: _}: pass', 'case [a, [b] | [c]]: pass',
            'case C(a=_, a=_): pass', 'case f"": pass', 'case (None | _) | _: pass',
            'case _ | (True | False): pass', 'case {0: _, 0j: _}: pass',
            'case [a, *_] | [*_, a]: pass', 'case a, a: pass', 'case *a, *b: pass',
            'case {f"": _}: pass', 'case x: pass\\n case y: pass',
            'case (1 | 2) as y: pass\\n case {"a": 1, **r}: pass\\n case z: pass',
        ]
        for src in sources:
            try:
                compile("match x:\\n " + src, "<t>", "exec")
                print("ok")
            except SyntaxError as e:
                print("SyntaxError", e.msg)
    """,
    "dict_and_builtin_methods": """
        class D(dict): pass
        print(type(D().fromkeys("ab")).__name__, {}.fromkeys("ab", 1), D.fromkeys([1]))
        for call in (lambda: dict.fromkeys(), lambda: {}.fromkeys(3)):
            try:
                call()
            except TypeError:
                print("TypeError")
        print(dict(w=1, w_arg=2), "{w_self}{w}".format(w_self=1, w=2))
        import types
        print(types.SimpleNamespace(w=1))
        print(int.from_bytes(map(int, [1, 2]), "big"), int.from_bytes([1, 0], "little"))
        for x in (5, "ab"):
            try:
                int.from_bytes(x, "big")
            except TypeError as e:
                print(e)
    """,
    "union_repr": """
        import typing
        for _ in range(200):                # used to read a GenericAlias as a type: SIGSEGV
            r = repr(int | typing.GenericAlias(list, int))
        print(r, repr(int | None), repr((int | str) | list[str]))
    """,
    "dict_views_and_iteration": """
        class Hashed(object):
            def __init__(self):
                self.hash_count = self.eq_count = 0
            def __hash__(self):
                self.hash_count += 1
                return 42
            def __eq__(self, other):
                self.eq_count += 1
                return id(self) == id(other)
        h1, h2 = Hashed(), Hashed()
        y = {h1: 5}
        y.setdefault(h2, [])            # one __hash__, one __eq__
        print(h1.hash_count, h2.hash_count, h1.eq_count + h2.eq_count, len(y))
        d = {0: 0}
        try:
            for i in d:
                del d[0]
                d[0] = 0
        except RuntimeError as e:
            print(e)
        class C:
            def __eq__(self, other):
                raise RuntimeError
        d1, d2, d3 = {1: C()}, {1: C()}, {1: C(), 2: C()}
        for f in (lambda: d1.items() == d2.items(), lambda: d2.items() < d3.items(),
                  lambda: d3.items() > d2.items()):
            try:
                f()
            except RuntimeError:
                print("RuntimeError")
        print({1: 2}.keys() == {1}, {1: 2}.items() <= {(1, 2), 3}, {1: 2}.keys().mapping)
    """,
    "subclass_keywords": """
        for base in (list, tuple):
            class subclass(base): pass
            try:
                subclass(sequence=())
            except TypeError as e:
                print("TypeError", e)
            class with_init(base):
                def __init__(self, seq, newarg=None):
                    if base is list:
                        super().__init__(seq)
                    self.newarg = newarg
            u = with_init([1, 2], newarg=3)
            print(type(u).__name__, list(u), u.newarg)
            class with_new(base):
                def __new__(cls, seq, newarg=None):
                    self = super().__new__(cls, seq)
                    self.newarg = newarg
                    return self
            u = with_new([1, 2], newarg=3)
            print(type(u).__name__, list(u), u.newarg)
    """,
    "mappingproxy": """
        import types, collections
        mp = types.MappingProxyType
        print(sorted(set(dir(mp({}))) - set(dir(object()))))
        for bad in (10, ("a", "t"), ["a"]):
            try:
                mp(bad)
            except TypeError as e:
                print(e)
        print(mp(collections.ChainMap({'x': 1}, {'y': 2})) == {'x': 1, 'y': 2})
        p = mp({1: 2, 3: 4})
        print(list(reversed(p)), p | {5: 6}, {0: 1} | p, str(p), mp[int])
        try:
            p |= {}
        except TypeError as e:
            print(e)
    """,
    "object_new_init_messages": """
        class C: pass
        class D:
            def __new__(cls, *args, **kwargs):
                return super().__new__(cls, *args, **kwargs)
        class E:
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
        for f in (lambda: C(42), lambda: C.__new__(C, 42), lambda: C().__init__(42),
                  lambda: object.__init__(C(), 42), lambda: D(42), lambda: E(42),
                  lambda: object.__new__(D, 42)):
            try:
                f()
            except TypeError as e:
                print(e)
        def booh(self):
            raise AttributeError("booh")
        class P:
            __eq__ = property(booh)
        p = P()
        print(p == p, P() == P())
        class A:
            def f(self): pass
            def __eq__(self, other): return True
            def __hash__(self): raise TypeError
        a = A()
        print(hash(a.f) == hash(a.f), a.f == a.f, a.f == A().f)
    """,
    "type_machinery": """
        import collections.abc, typing
        class M(type): pass
        class N(type, metaclass=M): pass
        for f in (lambda: M(5), lambda: N(5)):
            try:
                f()
            except TypeError as e:
                print(e)
        class BadMeta(type):
            @classmethod
            def __prepare__(*args): return None
        class BadMeta2:
            @classmethod
            def __prepare__(*args): return None
        for meta in (BadMeta, BadMeta2()):
            try:
                class Foo(metaclass=meta): pass
            except TypeError as e:
                print(e)
        print(hash(int | str) == hash(str | int), hash(int | str) == hash(typing.Union[int, str]))
        print(object.__basicsize__, tuple.__itemsize__, list.__basicsize__)
        print(bool(list.__flags__ & 32), bool(dict.__flags__ & 64), bool(range.__flags__ & 32),
              bool(collections.abc.Sequence.__flags__ & 32))
        print("__abc_tpflags__" in collections.abc.Sequence.__dict__)
    """,
    "pickle_and_copy_builtins": """
        import pickle, copy
        for x in ({1, 2}, frozenset({3}), [1, [2]], {1: {2: 3}}, (1, 2), "s", b"b",
                  bytearray(b"x"), 1.5, 2**70, 3j, range(3), slice(1, 2)):
            for proto in (0, 2, 4):
                y = pickle.loads(pickle.dumps(x, proto))
                assert y == x and type(y) is type(x), (x, y)
            print(type(x).__name__, copy.copy(x) == x, copy.deepcopy(x) == x,
                  type(x.__reduce_ex__(2)[0]).__name__)
        class S(set): pass
        s = S([1]); s.a = 1
        t = copy.deepcopy(s)
        print(type(t).__name__, sorted(t), t.a)
        class Slotted:
            __slots__ = ("a", "b")
        o = Slotted(); o.a = 1
        print(copy.copy(o).a, Slotted().__reduce_ex__(2)[2])
        for f in (lambda: set().difference(123), lambda: set().difference_update(123)):
            try:
                f()
            except TypeError as e:
                print(e)
    """,
    "subclass_of_beale_built_types": """
        import types, gc
        class P(property): pass
        p = P(lambda s: 1)
        p.x = 5
        print(type(p).__name__, p.x)
        del p
        class Q(staticmethod): pass
        q = Q(len); q.y = 1
        del q
        class S(types.GenericAlias): pass
        for i in range(200):        # instances with a managed __dict__: freed by the host
            d = S(list, float); d.z = i
            del d
        gc.collect()
        print(S(list, int), list[int] == S(list, int))
    """,
    "str_subclass_results": """
        class S(str): pass
        class O(str): pass
        class W:
            def __init__(self, r): self.r = r
            def __str__(self): return self.r
            def __repr__(self): return self.r
        class SW(str):
            def __str__(self): return S(self + "!")
        for x in (str(S("abc")), str(W("abc")), str(W(S("abc"))), S(W("abc")), S(W(S("abc"))),
                  S(W(O("abc"))), str(SW("a")), S(SW("a")), ascii(S("abc")), ascii(W(S("<a>"))),
                  ascii(W(S("<\U0001f40d>"))), ascii("\xe9")):
            print(type(x).__name__, x)
    """,
    "repr_deep_recursion": """
        import sys
        for make in (lambda x: [x], lambda x: {1: x}, lambda x: (x,)):
            l = []
            for i in range(sys.getrecursionlimit() + 100):
                l = make(l)
            try:
                repr(l)
                print("no error")
            except RecursionError:
                print("RecursionError")
        print(repr([[1, (2, {3: 4})]]))
    """,
    "unpack_messages_and_view_mapping": """
        import types
        for src in ("a, b, c = 7", "() = 42", "a, *b = 3", "a, b = None", "[a] = 1.5"):
            try:
                exec(src)
            except TypeError as e:
                print(e)
        class G:
            def __getitem__(self, i):
                if i < 2:
                    return i
                raise IndexError
        a, b = G()
        x, *y = "abc"
        print(a, b, x, y)
        m = {1: 2}.keys().mapping
        print(m, isinstance(m, types.MappingProxyType), m[1])
    """,
}


def _run(argv, src, tmp_path):
    path = tmp_path / "prog.py"
    path.write_text(textwrap.dedent(src))
    env = dict(os.environ, PYTHONPATH=ROOT)
    r = subprocess.run(argv + [str(path)], capture_output=True, text=True, timeout=120,
                       env=env, cwd=str(tmp_path))
    return r.returncode, r.stdout, r.stderr


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_same_output_as_cpython(name, tmp_path):
    src = SCRIPTS[name]
    rc_h, out_h, err_h = _run([sys.executable], src, tmp_path)
    assert rc_h == 0, err_h
    rc_b, out_b, err_b = _run([sys.executable, "-m", "runtime"], src, tmp_path)
    assert (rc_b, out_b) == (0, out_h), err_b
