"""The import system: script-directory modules, packages, relative imports, `from x import *`
with __all__, the stdlib's pure-Python sources run as guest code, and C modules given to
the guest as the host's own module objects (zero-copy calls)."""
import io
import sys
import textwrap

import pytest


def run_beale(source, tmp_path):
    from runtime import cli
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        sess = cli.Session(["prog.py"], str(tmp_path))
        code = cli.run_with_big_stack(lambda: sess.run_source(textwrap.dedent(source),
                                                              "<prog>"))
    finally:
        sys.stdout, sys.stderr = old
    return out.getvalue(), err.getvalue(), code


def write(tmp_path, files):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def test_import_module_from_script_dir(tmp_path):
    write(tmp_path, {"helper.py": "VALUE = 41\ndef inc(x):\n    return x + 1\n"})
    out, err, code = run_beale("""
        import helper
        from helper import inc as plus_one
        print(helper.inc(helper.VALUE), plus_one(1), helper.__name__)
        import helper as again
        print(again is helper)
        """, tmp_path)
    assert (out, err, code) == ("42 2 helper\nTrue\n", "", 0)


def test_packages_and_relative_imports(tmp_path):
    write(tmp_path, {
        "pkg/__init__.py": "from .core import f\nNAME = 'pkg'\n",
        "pkg/core.py": "from . import util\ndef f():\n    return util.g() * 2\n",
        "pkg/util.py": "def g():\n    return 21\n",
        "pkg/sub/__init__.py": "",
        "pkg/sub/deep.py": "from ..util import g\nfrom .. import NAME\nVAL = (g(), NAME)\n",
    })
    out, err, code = run_beale("""
        import pkg
        import pkg.sub.deep
        from pkg.sub import deep
        print(pkg.f(), pkg.NAME, pkg.sub.deep.VAL, deep is pkg.sub.deep)
        """, tmp_path)
    assert (out, err, code) == ("42 pkg (21, 'pkg') True\n", "", 0)


def test_import_star_with_all(tmp_path):
    write(tmp_path, {"stars.py": "__all__ = ['a', '_b']\na = 1\n_b = 2\nc = 3\n",
                     "nostars.py": "a = 1\n_b = 2\nc = 3\n"})
    out, err, code = run_beale("""
        from stars import *
        print(a, _b, 'c' in globals())
        from nostars import *
        print(c, '_b' in dir())
        """, tmp_path)
    assert (out, err, code) == ("1 2 False\n3 True\n", "", 0)


def test_missing_module(tmp_path):
    out, err, code = run_beale("""
        try:
            import no_such_module_here
        except ModuleNotFoundError as e:
            print(type(e).__name__, e.name, e)
        try:
            from os import no_such_name
        except ImportError as e:
            print(type(e).__name__)
        """, tmp_path)
    assert (out, err, code) == ("ModuleNotFoundError no_such_module_here No module named "
                                "'no_such_module_here'\nImportError\n", "", 0)


def test_sys_modules_and_main(tmp_path):
    out, err, code = run_beale("""
        import sys
        print(__name__, sys.modules['__main__'].__name__, 'sys' in sys.modules)
        print(sys.modules['sys'] is sys, type(sys.argv).__name__, sys.implementation.name)
        """, tmp_path)
    assert (out, err, code) == ("__main__ __main__ True\nTrue list beale\n", "", 0)


def test_stdlib_pure_python_module_is_guest_code(tmp_path):
    """textwrap and string are loaded from the stdlib's .py sources and run by beale."""
    out, err, code = run_beale("""
        import textwrap, string
        print(textwrap.fill("aaa bbb ccc ddd", 8))
        print(string.ascii_lowercase[:5], string.capwords("hello world"))
        print(textwrap.__file__.endswith("textwrap.py"), type(textwrap).__name__)
        """, tmp_path)
    assert (out, err, code) == ("aaa bbb\nccc ddd\nabcde Hello World\nTrue module\n", "", 0)


def test_c_module_math(tmp_path):
    """math is the host's C module; guest floats/ints go to C as they are."""
    out, err, code = run_beale("""
        import math
        print(math.sqrt(16.0), math.factorial(10), math.pi, math.gcd(12, 18))
        try:
            math.sqrt(-1)
        except ValueError as e:
            print("ValueError", e)
        """, tmp_path)
    assert (out, err, code) == ("4.0 3628800 3.141592653589793 6\nValueError math domain "
                                "error\n", "", 0)


def test_c_module_receives_guest_structs(tmp_path):
    """_heapq mutates the guest list's own ob_item in place (zero copy)."""
    out, err, code = run_beale("""
        import _heapq
        h = []
        for x in [5, 1, 4, 2, 3]:
            _heapq.heappush(h, x)
        print(h)
        print([_heapq.heappop(h) for _ in range(5)], h)
        """, tmp_path)
    assert (out, err, code) == ("[1, 2, 4, 5, 3]\n[1, 2, 3, 4, 5] []\n", "", 0)


def test_stdlib_module_with_accelerator(tmp_path):
    """heapq.py is guest code that imports the C accelerator _heapq."""
    out, err, code = run_beale("""
        import heapq
        print(heapq.nsmallest(3, [9, 2, 7, 1, 8]), heapq.heappush.__module__)
        """, tmp_path)
    assert (out, err, code) == ("[1, 2, 7] _heapq\n", "", 0)


def test_dunder_import(tmp_path):
    write(tmp_path, {"p2/__init__.py": "", "p2/m.py": "X = 'm'\n"})
    out, err, code = run_beale("""
        top = __import__('p2.m')
        sub = __import__('p2.m', fromlist=['X'])
        print(top.__name__, sub.__name__, sub.X)
        """, tmp_path)
    assert (out, err, code) == ("p2 p2.m m\n", "", 0)


def test_guest_subclass_of_c_type(tmp_path):
    """random.Random subclasses the C type _random.Random: seeding and drawing go to C."""
    import random
    r = random.Random(42)
    expected = "%r %d %s\n" % (r.random(), r.randint(1, 100), r.choice("abcdef"))
    out, err, code = run_beale("""
        import random
        r = random.Random(42)
        print(repr(r.random()), r.randint(1, 100), r.choice("abcdef"))
        """, tmp_path)
    assert (out, err, code) == (expected, "", 0)


def test_c_module_objects_as_foreign(tmp_path):
    """Objects of C types (collections.deque, _struct.Struct) work through the host."""
    out, err, code = run_beale("""
        import collections, struct
        d = collections.deque([1, 2], maxlen=3)
        d.appendleft(0)
        d.append(9)
        print(d, len(d), 9 in d, list(d), type(d).__name__)
        s = struct.Struct("<hd")
        data = s.pack(7, 2.5)
        print(s.size, s.unpack(data), struct.calcsize("i"))
        """, tmp_path)
    assert (out, err, code) == ("deque([1, 2, 9], maxlen=3) 3 True [1, 2, 9] deque\n"
                                "10 (7, 2.5) 4\n", "", 0)


def test_objects_without_c_struct_reach_c(tmp_path):
    """Guest ranges and dict views have no C struct: C gets a host range / an iterator over
    the guest items."""
    out, err, code = run_beale("""
        import math, itertools
        d = {"a": 1, "b": 2}
        print(math.fsum(range(5)), list(itertools.islice(range(10), 2, 5)))
        print(list(itertools.chain(d.keys(), d.values())), math.prod(range(1, 5)))
        """, tmp_path)
    assert (out, err, code) == ("10.0 [2, 3, 4]\n['a', 'b', 1, 2] 24\n", "", 0)
