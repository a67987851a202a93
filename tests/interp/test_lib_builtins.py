"""The guest builtins module: each program runs in-process under beale (runtime.cli.Session)
and under the host CPython (exec, for the expected output); the printed output must match.
"""
import io
import sys
import textwrap

import pytest


def run_beale(source, tmp_path):
    """Run `source` as __main__ under beale; returns (stdout, stderr, exit code)."""
    from runtime import cli
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        sess = cli.Session(["prog.py"], str(tmp_path))
        code = cli.run_with_big_stack(lambda: sess.run_source(source, "<prog>"))
    finally:
        sys.stdout, sys.stderr = old
    return out.getvalue(), err.getvalue(), code


def run_host(source):
    out = io.StringIO()
    old = sys.stdout
    sys.stdout = out
    try:
        exec(compile(source, "<prog>", "exec"), {"__name__": "__main__"})
    finally:
        sys.stdout = old
    return out.getvalue()


def check(source, tmp_path):
    source = textwrap.dedent(source)
    expected = run_host(source)
    out, err, code = run_beale(source, tmp_path)
    assert (out, err, code) == (expected, "", 0)


PROGRAMS = {
    "print": """
        print("a", 1, 2.5, None, True, sep="|", end="!\\n")
        print()
        print("x", end="")
        print("y")
        print(*[1, 2, 3])
        """,
    "len_repr_ascii": """
        print(len([1, 2, 3]), len("héllo"), len({}), len((1,)))
        print(repr("a'b"), ascii("é"), repr(1.5), repr(None))
        """,
    "isinstance": """
        print(isinstance(1, int), isinstance(True, int), isinstance(1, (str, float)))
        print(issubclass(bool, int), issubclass(int, (str, object)))
        class A: pass
        class B(A): pass
        print(isinstance(B(), A), issubclass(B, A), issubclass(A, B))
        """,
    "numbers": """
        print(abs(-3), abs(2.5), divmod(17, 5), divmod(-7, 2), pow(2, 10), pow(3, 4, 5))
        print(round(2.675, 2), round(3.5), round(-0.5), round(1234, -2))
        print(bin(10), oct(64), hex(255), hex(-1))
        print(chr(65), chr(0x1F600) == "\\U0001F600", ord("a"), ord("€"))
        print(sum([1, 2, 3]), sum([0.5, 0.25]), sum([[1], [2]], []), sum(range(5), 10))
        """,
    "minmax": """
        print(min(3, 1, 2), max([4, 9, 2]), min("bca"), max([], default=7))
        print(max(["aa", "b", "cccc"], key=len), min([(2, 'b'), (1, 'z')]))
        """,
    "iteration": """
        print(list(enumerate("abc", 1)), list(zip([1, 2], "xy", (True, False))))
        print(list(map(lambda x, y: x * y, [1, 2, 3], [4, 5, 6])))
        print(list(filter(None, [0, 1, "", "a"])), list(filter(lambda x: x > 1, [1, 2, 3])))
        print(list(reversed([1, 2, 3])), list(reversed(range(4))))
        print(sorted([3, 1, 2]), sorted("hello", reverse=True), sorted([-3, 2, -1], key=abs))
        print(any([0, 0, 1]), all([1, 1, 0]), any([]), all([]))
        it = iter([1, 2])
        print(next(it), next(it), next(it, "done"))
        """,
    "zip_strict": """
        try:
            list(zip([1, 2], [1], strict=True))
        except ValueError as e:
            print("ValueError:", e)
        """,
    "iter_sentinel": """
        data = [1, 2, 3, 0, 5]
        pos = [0]
        def take():
            pos[0] += 1
            return data[pos[0] - 1]
        print(list(iter(take, 0)))
        """,
    "attributes": """
        class P:
            pass
        p = P()
        setattr(p, "x", 5)
        print(getattr(p, "x"), getattr(p, "y", "dflt"), hasattr(p, "x"), hasattr(p, "y"))
        delattr(p, "x")
        print(hasattr(p, "x"), callable(p), callable(print), callable(P))
        print(sorted(vars(P()).items()))
        """,
    "hash_id_format": """
        print(hash(1), hash("a") == hash("a"), hash((1, 2)) == hash((1, 2)))
        x = [1]
        print(id(x) == id(x), format(3.14159, ".2f"), format(42, "08b"), format("s", ">4"))
        """,
    "exec_eval": """
        ns = {"a": 2}
        exec("b = a * 21", ns)
        print(ns["b"], eval("a + b", ns), eval("[i * i for i in range(4)]"))
        code = compile("1 + 2", "<expr>", "eval")
        print(eval(code))
        """,
    "c_code_iterates_beale_iterators": """
        import functools, itertools
        print(functools.reduce(lambda a, b: a * b, map(int, "1234")))
        print(list(itertools.islice(zip(range(10), "abcdefghij"), 3)))
        print(list(itertools.chain(filter(None, [0, 1, 2]), enumerate("xy"))))
        """,
    "iterator_types": """
        print(type(zip()).__name__, type(map(abs, [])).__name__, isinstance(zip(), zip))
        print(type(enumerate([])) is enumerate, iter(reversed([])) is not None)
        """,
    "print_follows_sys_stdout": """
        import sys, io
        class Cap:
            def __init__(self): self.parts = []
            def write(self, s): self.parts.append(s)
        old = sys.stdout
        cap = Cap()
        sys.stdout = cap
        print("hidden", 1)
        buf = io.StringIO()
        sys.stdout = buf
        print("in", "buffer", sep="-")
        sys.stdout = old
        print(cap.parts, repr(buf.getvalue()))
        """,
    "types_exposed": """
        print(int("42") + 1, float("1.5"), str(12), bool(0), list((1, 2)), tuple([3]))
        print(dict(a=1), set([1, 1]), frozenset([2]) == {2}, type(3) is int, type(type))
        print(bytes([65, 66]), bytearray(b"x"), complex(1, 2), range(3), slice(1, 2))
        """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_builtins(name, tmp_path):
    check(PROGRAMS[name], tmp_path)


def test_builtins_module_has_every_host_name(tmp_path):
    """Every public name of CPython's builtins exists in the guest's builtins module."""
    import builtins
    names = sorted(n for n in dir(builtins) if not n.startswith("_") or n in
                   ("__import__", "__build_class__"))
    source = "import builtins\nprint(sorted(n for n in %r if not hasattr(builtins, n)))\n" \
        % (names,)
    out, err, code = run_beale(source, tmp_path)
    missing = eval(out) if out else None
    assert (code, missing) == (0, []), (out, err)


def test_id_is_struct_address(tmp_path):
    out, err, code = run_beale("import sys\nx = 12345678901\nprint(id(x))\n", tmp_path)
    assert code == 0
    addr = int(out)
    import _ctypes
    assert _ctypes.PyObj_FromPtr(addr) == 12345678901


def test_breakpoint_is_clear_error(tmp_path):
    out, err, code = run_beale("breakpoint()\n", tmp_path)
    assert code == 1 and "NotImplementedError" in err and "breakpoint" in err


def test_input_reads_stdin(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("first line\nsecond\n"))
    out, err, code = run_beale("a = input('> ')\nb = input()\nprint(repr(a), repr(b))\n",
                               tmp_path)
    assert (out, code) == ("> 'first line' 'second'\n", 0), err


def test_print_to_file_and_flush(tmp_path):
    source = textwrap.dedent("""
        import sys
        class W:
            def __init__(self): self.parts = []
            def write(self, s): self.parts.append(s)
            def flush(self): self.parts.append("<flush>")
        w = W()
        print("a", "b", sep=",", file=w, flush=True)
        print(w.parts)
        print("to stderr", file=sys.stderr)
        """)
    out, err, code = run_beale(source, tmp_path)
    assert out == "['a', ',', 'b', '\\n', '<flush>']\n" and err == "to stderr\n"
