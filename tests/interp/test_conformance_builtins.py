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
