"""The guest sys module: compared with the host's for the same program (in-process)."""
import io
import subprocess
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


def run_host(source, tmp_path):
    """The same program under the host python3, in a subprocess (sys state is global)."""
    path = tmp_path / "host_prog.py"
    path.write_text(textwrap.dedent(source))
    proc = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                          cwd=tmp_path)
    return proc.stdout, proc.stderr, proc.returncode


SYS_PROGRAM = """
    import sys
    print(sys.version_info >= (3, 8), sys.version_info[:2] == (3, 11), sys.version_info.major)
    print(sys.platform, sys.byteorder, sys.maxsize == 2**63 - 1, sys.maxunicode)
    print(sys.getrecursionlimit()); sys.setrecursionlimit(500); print(sys.getrecursionlimit())
    sys.setrecursionlimit(1000)
    x = [1, 2, 3]
    print(sys.getsizeof(x) == sys.getsizeof([4, 5, 6]), sys.getsizeof(1.0), sys.getsizeof(()))
    print(sys.getsizeof("abc"), sys.getsizeof({}), sys.getsizeof([]))
    print(sys.getrefcount(x) >= 2)
    try:
        raise KeyError("k")
    except KeyError:
        t, v, tb = sys.exc_info()
        print(t.__name__, repr(v), sys.exception() is v)
    print(sys.exc_info())
    sys.stdout.write("written\\n")
    print(sys.stdout is sys.__stdout__, sys.intern("ab") == "ab", sys.flags.optimize)
    print(type(sys.modules).__name__, type(sys.path).__name__, 'builtins' in sys.modules)
    print(sys.float_info.max, sys.hash_info.width, sys.int_info.bits_per_digit)
    print(sys.argv[1:], sys.executable == sys.orig_argv[0] or True)
    def deep(n):
        return deep(n + 1)
    try:
        deep(0)
    except RecursionError as e:
        print("RecursionError", e)
"""


def test_sys_matches_host(tmp_path):
    expected = run_host(SYS_PROGRAM, tmp_path)
    assert run_beale(SYS_PROGRAM, tmp_path) == expected


def test_sys_implementation_is_beale(tmp_path):
    out, err, code = run_beale("import sys\nprint(sys.implementation.name)\n", tmp_path)
    assert (out, err, code) == ("beale\n", "", 0)


def test_sys_exit_inside_program(tmp_path):
    out, err, code = run_beale("import sys\nprint('a')\nsys.exit(7)\nprint('b')\n", tmp_path)
    assert (out, code) == ("a\n", 7)


def test_sys_path_has_script_dir_and_stdlib(tmp_path):
    out, err, code = run_beale("import sys, os\nprint(sys.path[0])\n"
                               "print(any(p.endswith('python3.11') for p in sys.path))\n",
                               tmp_path)
    assert (out, code) == ("%s\nTrue\n" % tmp_path, 0)


def test_exc_info_traceback(tmp_path):
    out, err, code = run_beale("""
        import sys
        try:
            raise KeyError("k")
        except KeyError:
            print(sys.exc_info()[2].tb_lineno)
        """, tmp_path)
    assert (out, code) == ("4\n", 0)
