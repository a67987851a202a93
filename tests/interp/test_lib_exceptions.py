"""Guest exception objects: CPython's structs, attributes, str/repr, chaining, matching.

Programs run in-process under beale and under the host (for the expected output); other
tests look at the structs directly.
"""
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
    "str_repr": """
        for e in [ValueError(), ValueError("x"), ValueError("x", 2), KeyError("k"),
                  KeyError(), KeyError(1, 2), StopIteration(5), SystemExit(3),
                  OSError(2, "No such file", "f.txt"), OSError("plain"),
                  ImportError("no mod", name="m"), AttributeError("a"),
                  UnicodeDecodeError("utf-8", b"\\xff", 0, 1, "invalid start byte"),
                  SyntaxError("bad", ("f.py", 1, 2, "x y", 1, 3))]:
            print(type(e).__name__, repr(str(e)), repr(e), e.args)
        """,
    "attributes": """
        e = OSError(2, "No such file", "f.txt")
        print(type(e).__name__, e.errno, e.strerror, e.filename, e.filename2)
        s = StopIteration(1, 2)
        print(s.value, SystemExit(7).code, SystemExit().code, SystemExit(1, 2).code)
        i = ImportError("m", name="n", path="p")
        print(i.msg, i.name, i.path)
        n = NameError("x", name="q")
        print(n.name)
        u = UnicodeEncodeError("ascii", "é", 0, 1, "ordinal not in range(128)")
        print(u.encoding, u.object, u.start, u.end, u.reason, str(u))
        x = SyntaxError("msg", ("file.py", 3, 4, "text", 3, 5))
        print(x.msg, x.filename, x.lineno, x.offset, x.text, x.end_lineno, x.end_offset)
        """,
    "raise_catch": """
        def f(n):
            if n == 0:
                raise ValueError("zero")
            return 10 // n
        for n in (2, 0):
            try:
                print(f(n))
            except (TypeError, ValueError) as e:
                print("caught", type(e).__name__, e)
        try:
            {}["k"]
        except LookupError as e:
            print("lookup", repr(e))
        try:
            1 / 0
        except ArithmeticError as e:
            print("arith", e, isinstance(e, ZeroDivisionError))
        """,
    "chaining": """
        try:
            try:
                1 / 0
            except ZeroDivisionError as e:
                raise ValueError("wrapped") from e
        except ValueError as v:
            print(type(v.__cause__).__name__, v.__suppress_context__,
                  type(v.__context__).__name__)
        try:
            try:
                [][0]
            except IndexError:
                raise KeyError("inner")
        except KeyError as k:
            print(type(k.__context__).__name__, k.__cause__, k.__suppress_context__)
        e = RuntimeError("r")
        e.__cause__ = None
        print(e.__suppress_context__)
        """,
    "subclass": """
        class AppError(Exception):
            def __init__(self, code, msg):
                super().__init__(msg)
                self.code = code
            def __str__(self):
                return "[%d] %s" % (self.code, self.args[0])
        class NotFound(AppError, LookupError):
            pass
        try:
            raise NotFound(404, "missing")
        except LookupError as e:
            print(str(e), e.code, e.args, isinstance(e, AppError), repr(e))
        """,
    "notes_traceback": """
        e = ValueError("v")
        e.add_note("first")
        e.add_note("second")
        print(e.__notes__)
        try:
            raise e
        except ValueError as caught:
            print(caught.__traceback__ is not None, caught.__traceback__.tb_lineno)
        print(ValueError("x").with_traceback(None).__traceback__)
        """,
    "stdlib_traceback_module": """
        import traceback
        def f():
            return 1 / 0
        try:
            f()
        except Exception as e:
            lines = traceback.format_exception(e)
            print(lines[0], end="")
            print(lines[-1], end="")
            print([(fs.name, fs.lineno) for fs in traceback.extract_tb(e.__traceback__)])
        """,
    "exception_group": """
        eg = ExceptionGroup("many", [ValueError(1), TypeError(2), ValueError(3)])
        print(type(eg).__name__, str(eg), len(eg.exceptions))
        match, rest = eg.split(ValueError)
        print([str(x) for x in match.exceptions], [str(x) for x in rest.exceptions])
        print(type(BaseExceptionGroup("b", [KeyboardInterrupt()])).__name__)
        print(type(BaseExceptionGroup("b", [ValueError()])).__name__)
        """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_exceptions(name, tmp_path):
    check(PROGRAMS[name], tmp_path)


def test_exception_struct_is_the_hosts():
    """A guest ValueError is a PyBaseExceptionObject the host recognises as a ValueError."""
    import _ctypes
    import layout
    from runtime import space
    from runtime import exceptions as ex
    w = ex.new_exception("ValueError", [space.newstr("bad")])
    host = _ctypes.PyObj_FromPtr(w.addr)
    assert type(host) is ValueError and host.args == ("bad",) and str(host) == "bad"
    p = layout.cast(w.addr, "PyBaseExceptionObject")
    assert int(layout.ffi.cast("uintptr_t", p.ob_base.ob_type)) == id(ValueError)
    w_os = ex.new_exception("OSError", [space.newint(2), space.newstr("gone"),
                                        space.newstr("f")])
    host_os = _ctypes.PyObj_FromPtr(w_os.addr)
    assert type(host_os) is FileNotFoundError
    assert (host_os.errno, host_os.strerror, host_os.filename) == (2, "gone", "f")


def test_host_exception_adopted_without_copy():
    from runtime import exceptions as ex
    from runtime import space
    try:
        import math
        math.sqrt(-1)
    except ValueError as e:
        operr = ex.from_host_exception(e)
        assert operr.w_value.addr == id(e)
    assert space.str(operr.w_value).v == "math domain error"


def test_lazy_operation_error_matches_hierarchy():
    from runtime import exceptions as ex
    from runtime.errors import OperationError
    e = OperationError("ZeroDivisionError", "division by zero")
    assert ex.exception_matches(e, ex.w_type_of("ArithmeticError"))
    assert not ex.exception_matches(e, ex.w_type_of("LookupError"))
    w = ex.materialise(e)
    assert type(w).__name__ == "W_ZeroDivisionError" and e.w_value is w


def test_traceback_format_matches_cpython(tmp_path):
    """The printer against CPython's own output for the same frames."""
    import subprocess
    from runtime import exceptions as ex
    from runtime import space, traceback
    from runtime.errors import OperationError
    script = tmp_path / "t.py"
    script.write_text("def g():\n    d = {}\n    return d['k'] + 1\ng()\n")
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    operr = OperationError(None, None, ex.new_exception("KeyError", [space.newstr("k")]))
    operr.traceback = [traceback.TbEntry(str(script), 4, "<module>", 4, 0, 3),
                       traceback.TbEntry(str(script), 3, "g", 3, 11, 17)]
    w = ex.attach_traceback(operr)
    assert "".join(traceback.format_exception(w)) == proc.stderr


def test_syntax_error_format_matches_cpython(tmp_path):
    import subprocess
    from runtime import exceptions as ex
    from runtime import traceback
    script = tmp_path / "s.py"
    for src in ["x = (1,\n", "def f():\n  return 1\n    x\n", "a = 1 +* 2\n",
                "print 'x'\n", "if x\n    pass\n", "f(a for a in b, c)\n"]:
        script.write_text(src)
        proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
        import ast
        try:
            ast.parse(src, str(script))
        except SyntaxError as e:
            w = ex.from_host_exception(e).w_value
        assert "".join(traceback.format_exception(w)) == proc.stderr, src
