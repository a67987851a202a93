"""Regressions found while running the Flask app of examples/flask_app under beale (issue 8).

Each program runs in-process under beale and under the host CPython (exec, for the expected
output); the printed output must match.
"""
import pytest

from tests.interp.test_lib_builtins import check


PROGRAMS = {
    # ipaddress: int.from_bytes(map(cls._parse_octet, octets), 'big')
    "int_from_bytes_iterable": """
        print(int.from_bytes(map(int, ["1", "2"]), 'big'))
        print(int.from_bytes([1, 0], 'little'), int.from_bytes((255,), 'big', signed=True))
        class B:
            def __bytes__(self): return b"\\x01\\x00"
        print(int.from_bytes(B(), 'big'))
        for bad in ("ab", 5, [256]):
            try:
                int.from_bytes(bad, 'big')
            except (TypeError, ValueError) as e:
                print(type(e).__name__, e)
        """,
    # werkzeug/_internal.py: PEP 563 annotations naming names that exist only for type checkers
    "future_annotations": """
        from __future__ import annotations
        import typing as t
        def f(a: WSGIEnv | int, *args: t.Any, b: list[int] = 3, **kw: "X") -> Request: pass
        print(f.__annotations__)
        class C:
            x: Undefined[int]
            y: int = 5
        print(C.__annotations__)
        def g():
            z: Nope = 1
            return z
        print(g())
        """,
    # werkzeug.datastructures: class D(dict[K, V]) inherits __class_getitem__
    "generic_subclass_getitem": """
        import typing as t
        K = t.TypeVar("K"); V = t.TypeVar("V")
        class D(dict[K, V]): pass
        print(D[int, str])
        class E(D[K, V]): pass
        print(E.__mro__, E.__orig_bases__)
        print(dict[int, str], list[int])
        """,
    # click.types: class X(typing.TypedDict); TypedDict is a function whose __mro_entries__ is an instance attribute
    "mro_entries_instance_attr": """
        import typing as t
        class P(t.TypedDict):
            name: str
            n: int
        print(P(name="a", n=1), P.__annotations__, P.__required_keys__ == {"name", "n"})
        def f(): pass
        f.__mro_entries__ = lambda bases: (dict,)
        class Q(f): pass
        print(Q.__mro__, Q.__orig_bases__ == (f,))
        """,
    # werkzeug.routing.rules: typing.NamedTuple sets nm_tpl.__bases__ (type_set_bases)
    "bases_assignment_namedtuple": """
        import typing as t
        class W(t.NamedTuple):
            a: int
            b: str = "x"
        print(W(1), W.__bases__, W.__mro__)
        class A: pass
        class B: pass
        class C(A): pass
        class D(C): pass
        C.__bases__ = (B,)
        print(C.__mro__, D.__mro__, isinstance(D(), B), isinstance(D(), A))
        for bad in ((), [B], (D,), (int,)):
            try:
                C.__bases__ = bad
            except TypeError as e:
                print("TypeError", e)
        try:
            int.__bases__ = (object,)
        except TypeError as e:
            print("TypeError", e)
        """,
    # a metaclass __new__ returning a plain class keeps it; type() takes __module__ from the caller
    "metaclass_new_returns_plain_class": """
        class M(type):
            def __new__(cls, name, bases, ns):
                r = type(name, (tuple,), {"__module__": "zz"})
                print("made", type(r), r)
                return r
        class B(metaclass=M): pass
        print(type(B), B)
        X = type("X", (), {})
        print(type(X), X)
        """,
    # werkzeug.routing.rules: ast.parse (PyCF_ONLY_AST), guest-edited trees compiled back; isinstance of host nodes met in lists
    "ast_parse_and_compile_ast": """
        import ast
        tree = ast.parse("x = 1 + 2\\nprint(x, 'hi')")
        print(type(tree).__name__, len(tree.body), isinstance(tree.body[0], ast.Assign))
        print(ast.dump(tree.body[0]))
        exec(compile(tree, "<t>", "exec"))
        fn = ast.parse("def _(): pass").body[0]
        fn.name = "built"
        fn.args.args.append(ast.arg("a", None))
        fn.args.defaults.append(ast.Constant(""))
        fn.body = [ast.Return(ast.JoinedStr([ast.Constant("<"), ast.FormattedValue(ast.Name("a", ast.Load()), -1, None), ast.Constant(">")]))]
        mod = ast.parse("")
        mod.body = [fn]
        for node in ast.walk(mod):
            if "lineno" in node._attributes:
                node.lineno = 1
            if "end_lineno" in node._attributes:
                node.end_lineno = node.lineno
            if "col_offset" in node._attributes:
                node.col_offset = 0
            if "end_col_offset" in node._attributes:
                node.end_col_offset = node.col_offset
        ns = {}
        exec(compile(mod, "<gen>", "exec"), ns)
        print(ns["built"](5), repr(ns["built"]()))
        print(eval(compile(ast.parse("3 * 4", mode="eval"), "<e>", "eval")))
        print(ast.unparse(mod))
        print(ast.literal_eval("{'a': [1, 2.5, None]}"))
        try:
            compile(ast.parse("1"), "<x>", "eval")
        except TypeError as e:
            print("TypeError", e)
        """,
    # importlib.metadata._functools: types.MethodType(func, self)
    "method_type_new": """
        import types
        class C:
            def m(self, x): return (self.v, x)
        c = C(); c.v = 7
        bm = types.MethodType(C.m, c)
        print(bm(3), bm.__self__ is c, bm.__func__ is C.m)
        print(types.MethodType(len, [1, 2])())
        for args in ((1, c), (C.m, None), (C.m,)):
            try:
                types.MethodType(*args)
            except TypeError as e:
                print("TypeError", e)
        """,
    # jinja2.filters: await nested inside a comprehension's element and first iterable
    "await_nested_in_comprehension": """
        import asyncio
        from itertools import groupby
        async def to_list(x):
            await asyncio.sleep(0)
            return list(x)
        async def main():
            value = [("a", 1), ("b", 2), ("a", 3)]
            out = [
                (key, await to_list(values))
                for key, values in groupby(sorted(await to_list(value)), lambda t: t[0])
            ]
            print(out)
            print([str(await to_list([i])) + "!" for i in range(3) if await to_list([i])])
            print({k: len(await to_list(await to_list(k))) for k in ("ab", "c")})
        asyncio.run(main())
        """,
    # jinja2.loaders imports zipimport, which imports _frozen_importlib_external
    "frozen_importlib_aliases": """
        import zipimport, importlib
        import _frozen_importlib_external, _frozen_importlib
        print(_frozen_importlib_external is importlib._bootstrap_external, _frozen_importlib is importlib._bootstrap)
        print(zipimport.zipimporter.__name__, hasattr(_frozen_importlib_external, "SourceFileLoader"))
        """,
    # importlib.metadata._collections.FreezableDefaultDict: super().__missing__ of a guest subclass of a C type
    "guest_defaultdict_super_missing": """
        import collections
        class F(collections.defaultdict):
            def __missing__(self, key):
                return getattr(self, '_frozen', super().__missing__)(key)
            def freeze(self):
                self._frozen = lambda key: self.default_factory()
        d = F(list)
        d["a"].append(1)
        print(d)
        d.freeze()
        print(d["b"], len(d))
        class G(dict):
            def __missing__(self, key):
                return key * 2
        print(G()["ab"])
        """,
    # werkzeug.serving: importlib.metadata.version('werkzeug') needs PathFinder on sys.meta_path
    "importlib_metadata_version": """
        import sys, importlib.metadata
        print(any(hasattr(f, "find_distributions") for f in sys.meta_path), len(sys.path_hooks) > 0)
        print(importlib.metadata.version("werkzeug") == importlib.metadata.version("Werkzeug"))
        print(importlib.metadata.distribution("flask").metadata["Name"])
        """,
    # werkzeug.local._ProxyLookup: hasattr(getattr, '__get__') is False for builtin functions
    "builtin_has_no_get": """
        print(hasattr(getattr, "__get__"), hasattr(len, "__get__"), hasattr([].append, "__get__"))
        import math
        print(hasattr(math.sqrt, "__get__"))
        class C:
            f = len
        print(C().f([1, 2]))
        """,
    # enum: int.__str__ is object.__str__ (one descriptor per method), so IntEnum/ReprEnum pick the right __repr__/__str__
    "method_descriptor_identity_enum": """
        print(int.__str__ is object.__str__, int.__repr__ is int.__repr__, list.append is list.append)
        print(int.__str__, list.append, str.upper)
        import signal
        print(signal.SIGINT, repr(signal.SIGTERM), signal.Signals(2), str(signal.SIGINT), f"{signal.SIGINT}")
        import enum
        class E(enum.IntEnum):
            A = 1
        class S(str, enum.Enum):
            X = "x"
        print(repr(E.A), str(E.A), format(E.A), repr(S.X), str(S.X))
        print(getattr(E, "__repr__") == enum.Enum.__repr__, [].append == [].append, len == len)
        """,
    # werkzeug.datastructures.structures: 'from .. import http' while werkzeug.http is still initialising
    "from_import_circular_submodule": """
        import os, sys, tempfile
        d = tempfile.mkdtemp()
        os.makedirs(os.path.join(d, "circpkg_b", "sub"))
        files = {
            "circpkg_b/__init__.py": "from .http import quote\\n",
            "circpkg_b/http.py": "def quote(x):\\n    return '\\"%s\\"' % x\\nfrom .sub import structures as ds\\n",
            "circpkg_b/sub/__init__.py": "",
            "circpkg_b/sub/structures.py": "def to_header(items):\\n    return ', '.join(map(http.quote, items))\\nfrom .. import http\\n",
        }
        for name, text in files.items():
            with open(os.path.join(d, name), "w") as fp:
                fp.write(text)
        sys.path.insert(0, d)
        import circpkg_b
        from circpkg_b.sub import structures
        print(structures.to_header(["a", "b"]), structures.http.__name__)
        """,
    # flask session via werkzeug LocalProxy: operator.setitem (C) on a guest dict subclass overriding __setitem__
    "c_mapping_slots_guest_overrides": """
        import operator
        class D(dict):
            def __setitem__(self, k, v):
                print("set", k, v)
                super().__setitem__(k, v)
            def __delitem__(self, k):
                print("del", k)
                super().__delitem__(k)
            def __getitem__(self, k):
                return ("got", super().__getitem__(k))
        d = D()
        operator.setitem(d, "a", 1)
        print(operator.getitem(d, "a"), dict(d))
        operator.delitem(d, "a")
        print(d)
        class E(D): pass
        e = E(); operator.setitem(e, "b", 2); print(operator.getitem(e, "b"))
        class M:
            def __getitem__(self, k): return k * 2
        print(operator.getitem(M(), 21), operator.itemgetter(3)(M()))
        try:
            operator.setitem(M(), 1, 2)
        except TypeError as ex:
            print("TypeError", ex)
        class L(list): pass
        l = L([1, 2]); operator.setitem(l, 0, 9); print(l, operator.getitem(l, 1))
        """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program(name, tmp_path):
    check(PROGRAMS[name], tmp_path)
