"""Helpers for the C-bridge tests (issue 5 acceptance): run a guest snippet under beale and
the same snippet under the host CPython, and compare what they print.

Two ways to run guest code:
  * `beale_subprocess(source, cwd)` runs `python3 -m runtime prog.py` in a child process, so
    a crash (rule 4: no input may crash the host) is a test failure, not a dead pytest;
  * `InProcess` runs the snippet in a `runtime.cli.Session` inside pytest (docs/DESIGN.md §4/§5)
    so a test can then look at the guest's handles (`session.lookup("h").addr`) and read the
    structs with `layout` from the host side.
"""
import io
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HOST = sys.executable
TIMEOUT = 300


def env(extra=None):
    e = dict(os.environ, PYTHONHASHSEED="0", PYTHONIOENCODING="utf-8")
    e["PYTHONPATH"] = str(ROOT) + os.pathsep + e.get("PYTHONPATH", "")
    e.pop("PYTHONSTARTUP", None)
    if extra:
        e.update(extra)
    return e


def _run(argv, cwd, extra_env=None, timeout=TIMEOUT):
    proc = subprocess.run(argv, cwd=str(cwd), env=env(extra_env), capture_output=True,
                          timeout=timeout)
    return (proc.returncode, proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"))


def write_prog(source, cwd, name="prog.py"):
    path = Path(cwd) / name
    path.write_text(textwrap.dedent(source))
    return name


def beale_subprocess(source, cwd, host_flags=(), extra_env=None, timeout=TIMEOUT):
    """(returncode, stdout, stderr) of `source` run by beale in a child process."""
    name = write_prog(source, cwd)
    return _run([HOST] + list(host_flags) + ["-m", "runtime", name], cwd, extra_env, timeout)


def host_subprocess(source, cwd, host_flags=(), extra_env=None, timeout=TIMEOUT):
    """(returncode, stdout, stderr) of `source` run by the host CPython."""
    name = write_prog(source, cwd)
    return _run([HOST] + list(host_flags) + [name], cwd, extra_env, timeout)


def compare_with_host(source, cwd, timeout=TIMEOUT):
    """Run `source` under the host and under beale; assert beale exits 0 with the same
    stdout. Returns beale's stdout. (Each run gets a fresh subdirectory of cwd.)"""
    hdir, bdir = Path(cwd) / "host", Path(cwd) / "beale"
    hdir.mkdir()
    bdir.mkdir()
    hcode, hout, herr = host_subprocess(source, hdir, timeout=timeout)
    assert hcode == 0, "the snippet itself is broken on the host:\n" + herr
    try:
        code, out, err = beale_subprocess(source, bdir, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        raise AssertionError("beale did not finish in %s s; stdout so far:\n%s" %
                             (timeout, (e.stdout or b"").decode("utf-8", "replace")))
    assert code == 0 and out == hout, (
        "beale differs from the host\n--- host stdout\n%s--- beale stdout (exit %d)\n%s"
        "--- beale stderr\n%s" % (hout, code, out, err[-4000:]))
    return out


class InProcess:
    """A guest program run in this process by `runtime.cli.Session`; after `run`, guest
    globals can be looked up as handles (a new count each) for host-side inspection."""

    def __init__(self, cwd="."):
        from runtime import cli
        # the guest's sys.stdout/stderr are the host streams current when the session
        # boots, so boot it on our own buffers and keep them for every run
        self.out, self.err = io.StringIO(), io.StringIO()
        old = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = self.out, self.err
        try:
            self.session = cli.Session(["prog.py"], str(cwd))
        finally:
            sys.stdout, sys.stderr = old

    def run(self, source):
        """Run `source` in the session's __main__; return (stdout, stderr, exit code) of
        this run only."""
        from runtime import cli
        o, e = self.out.tell(), self.err.tell()
        old = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = self.out, self.err
        try:
            code = cli.run_with_big_stack(
                lambda: self.session.run_source(textwrap.dedent(source), "<prog>"))
        finally:
            sys.stdout, sys.stderr = old
        return self.out.getvalue()[o:], self.err.getvalue()[e:], code

    def lookup(self, name):
        """The guest global `name` (a handle: holds one count)."""
        from runtime import space
        return space.getitem(self.session.w_main_dict, space.newstr(name))
