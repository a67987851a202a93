"""The `beale` command line against CPython's: the same small programs run under the host
`python3` and under `python -m runtime` (beale), comparing stdout, stderr and exit code.

Each case writes its script into a fresh temporary directory and runs both interpreters
with that directory as cwd, so file names in tracebacks are identical.
"""
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOST = sys.executable
TIMEOUT = 120


def _env():
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONIOENCODING="utf-8")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("PYTHONSTARTUP", None)
    return env


def run(argv, cwd, stdin=None):
    proc = subprocess.run(argv, cwd=cwd, env=_env(), capture_output=True, timeout=TIMEOUT,
                          input=stdin)
    return proc.returncode, proc.stdout.decode("utf-8", "replace"), \
        proc.stderr.decode("utf-8", "replace")


def beale(args, cwd, stdin=None):
    return run([HOST, "-m", "runtime"] + list(args), cwd, stdin)


def host(args, cwd, stdin=None):
    return run([HOST] + list(args), cwd, stdin)


def compare(tmp_path, source, args=(), name="prog.py", stdin=None):
    """Run `source` as a script under both; assert identical (code, stdout, stderr)."""
    (tmp_path / name).write_text(textwrap.dedent(source))
    expected = host([name] + list(args), tmp_path, stdin)
    got = beale([name] + list(args), tmp_path, stdin)
    assert got == expected
    return got


def test_hello_world(tmp_path):
    code, out, err = compare(tmp_path, 'print("hello, world")\nprint(1, 2.5, "x", sep="-")\n')
    assert out == "hello, world\n1-2.5-x\n" and code == 0


def test_argv(tmp_path):
    compare(tmp_path, "import sys\nprint(sys.argv)\n", args=["a", "b c"])


def test_uncaught_exception_traceback(tmp_path):
    code, out, err = compare(tmp_path, """\
        def inner(x):
            raise ValueError("bad value %d" % x)

        def outer():
            inner(42)

        print("before")
        outer()
        """)
    assert code == 1 and err.endswith("ValueError: bad value 42\n")


def test_traceback_carets(tmp_path):
    compare(tmp_path, """\
        def f(a, b):
            return a + 1 / b

        x = f(1, 0)
        """)


def test_chained_exceptions(tmp_path):
    code, out, err = compare(tmp_path, """\
        def parse(s):
            try:
                return int(s)
            except ValueError as e:
                raise RuntimeError("cannot parse") from e

        parse("x")
        """)
    assert "The above exception was the direct cause" in err


def test_context_set_at_raise_time(tmp_path):
    compare(tmp_path, """\
        def parse(s):
            try:
                return int(s)
            except ValueError as e:
                raise RuntimeError("cannot parse") from e

        try:
            {}["missing"]
        except KeyError:
            parse("x")
        """)


def test_context_exception(tmp_path):
    compare(tmp_path, """\
        try:
            1 / 0
        except ZeroDivisionError:
            [][1]
        """)


def test_custom_exception_class(tmp_path):
    compare(tmp_path, """\
        class AppError(Exception):
            pass

        raise AppError("custom", 2)
        """)


@pytest.mark.parametrize("body, status", [
    ("import sys\nsys.exit(3)\n", 3),
    ("import sys\nsys.exit('fatal: bye')\n", 1),
    ("raise SystemExit\n", 0),
    ("exit(5)\n", 5),
    ("import sys\nprint('partial')\nsys.exit(None)\n", 0),
])
def test_system_exit_codes(tmp_path, body, status):
    code, out, err = compare(tmp_path, body)
    assert code == status


def test_syntax_error(tmp_path):
    code, out, err = compare(tmp_path, "x = 1\ny = (2,\nprint(x)\n")
    assert code == 1 and "SyntaxError" in err


def test_indentation_error(tmp_path):
    code, out, err = compare(tmp_path, "def f():\n  return 1\n    x = 2\n")
    assert code == 1 and "IndentationError" in err


def test_dash_c(tmp_path):
    args = ["-c", "import sys; print(sys.argv); print(6 * 7)", "arg1"]
    expected = host(args, tmp_path)
    got = beale(args, tmp_path)
    assert got == expected and got[1].endswith("42\n")


def test_dash_c_exception(tmp_path):
    args = ["-c", "x = 1\nraise KeyError('k')"]
    assert beale(args, tmp_path) == host(args, tmp_path)


def test_dash_m(tmp_path):
    (tmp_path / "greet.py").write_text(
        "import sys\nprint('module', __name__, sys.argv[1:])\n")
    args = ["-m", "greet", "x", "y"]
    got = beale(args, tmp_path)
    assert got == host(args, tmp_path)
    assert got[1] == "module __main__ ['x', 'y']\n"


def test_run_subcommand(tmp_path):
    (tmp_path / "prog.py").write_text("print('ran')\n")
    assert beale(["run", "prog.py"], tmp_path) == (0, "ran\n", "")


def test_program_from_stdin(tmp_path):
    src = b"print(sum(range(10)))\n"
    assert beale(["-"], tmp_path, stdin=src) == host(["-"], tmp_path, stdin=src)


def test_missing_script(tmp_path):
    code, out, err = beale(["no_such_file.py"], tmp_path)
    assert code == 2 and "can't open file" in err and "Traceback" not in err


def test_layout_subcommand(tmp_path):
    code, out, err = beale(["layout", "PyFloatObject"], tmp_path)
    assert code == 0 and "ob_fval" in out


def test_import_stdlib_and_c_module(tmp_path):
    compare(tmp_path, """\
        import textwrap, math
        print(textwrap.shorten("The quick brown fox jumps over the lazy dog", 20))
        print(math.sqrt(2.0), math.floor(3.7))
        """)


def test_keyboard_interrupt(tmp_path):
    """SIGINT in a guest loop: a guest KeyboardInterrupt traceback and death by SIGINT."""
    (tmp_path / "loop.py").write_text(
        "import sys\nprint('ready', flush=True)\nwhile True:\n    pass\n")
    proc = subprocess.Popen([HOST, "-m", "runtime", "loop.py"], cwd=tmp_path, env=_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        line = proc.stdout.readline()
        assert line == b"ready\n"
        time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    err = err.decode()
    assert proc.returncode == -signal.SIGINT
    assert err.startswith("Traceback (most recent call last):") and \
        err.endswith("KeyboardInterrupt\n")
    assert "beale" not in err


@pytest.mark.parametrize("session", [
    "1+1\nx = 5\nfor i in range(2):\n    print(i)\n\nx * 2\nraise ValueError(3)\nexit(4)\n",
    "1\nimport sys\nsys.ps1 = '$ '\n'text'\n",
    "def f(n):\n    return n * 2\n\nf(21)\nundefined_name\n[f(i) for i in range(3)]\n",
])
def test_repl_matches_cpython(tmp_path, session):
    """`-i` with piped input: prompts on stderr, values through sys.displayhook, tracebacks
    as CPython prints them, exit() ends the session with its code."""
    data = session.encode()
    assert beale(["-q", "-i"], tmp_path, stdin=data) == host(["-q", "-i"], tmp_path, stdin=data)


@pytest.mark.parametrize("files, module", [
    ({"mfail.py": "def f():\n    raise ValueError(1)\nf()\n"}, "mfail"),
    ({"msyntax.py": "def f(:\n    pass\n"}, "msyntax"),
    ({"mpkg/__init__.py": "", "mpkg/__main__.py": "print('main of', __package__)\n"}, "mpkg"),
    ({"mpkg2/__init__.py": "", "mpkg2/tool.py": "import sys\nprint(__name__, sys.argv[1:])\n"},
     "mpkg2.tool"),
])
def test_dash_m_variants(tmp_path, files, module):
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    args = ["-m", module, "arg"]
    assert beale(args, tmp_path) == host(args, tmp_path)


def test_import_error_in_imported_module_traceback(tmp_path):
    (tmp_path / "badmod.py").write_text("def f(:\n  pass\n")
    compare(tmp_path, "import badmod\n")


def test_exception_str_failure(tmp_path):
    compare(tmp_path, "class V(ValueError):\n    def __str__(self):\n        raise RuntimeError\n"
                      "raise V(1)\n")


def test_exit_after_guest_imports_threading(tmp_path):
    """The guest's threading module resets the host thread's sentinel lock: beale must
    still exit (it waits on its own completion event, not Thread.join)."""
    code, out, err = compare(tmp_path, "import threading\nprint(threading.current_thread()"
                                       ".name == threading.main_thread().name)\n")
    assert (code, out) == (0, "True\n")


def test_asyncio_run(tmp_path):
    compare(tmp_path, """\
        import asyncio, sys
        async def work(n):
            await asyncio.sleep(0)
            return n * 2
        async def main():
            return await asyncio.gather(*(work(i) for i in range(3)))
        print(asyncio.run(main()), sys.get_asyncgen_hooks() is not None)
        """)


def test_keyboard_interrupt_caught_by_guest(tmp_path):
    """SIGINT inside a guest try block: the guest's except KeyboardInterrupt and finally
    run, and the program ends normally, as under CPython."""
    (tmp_path / "loop2.py").write_text(
        "print('ready', flush=True)\ntry:\n    while True:\n        pass\n"
        "except KeyboardInterrupt:\n    print('caught')\nfinally:\n    print('finally')\n")
    proc = subprocess.Popen([HOST, "-m", "runtime", "loop2.py"], cwd=tmp_path, env=_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert proc.stdout.readline() == b"ready\n"
        time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert (proc.returncode, out, err) == (0, b"caught\nfinally\n", b"")


@pytest.mark.parametrize("data", [b'x = 1\ny = "\xff"\n', b"\x00x = 1\n",
                                  b"# -*- coding: latin-1 -*-\nprint('\xe9')\n"])
def test_source_bytes(tmp_path, data):
    """Undecodable source, null bytes, a PEP 263 declaration: CPython's messages/results."""
    (tmp_path / "enc.py").write_bytes(data)
    assert beale(["enc.py"], tmp_path) == host(["enc.py"], tmp_path)
