"""Benchmark runner: beale against the host CPython and against x-python.

    python benchmarks/run.py [PROGRAM ...] [--repeat N | --quick] [--timeout S]
                             [--markdown] [--json FILE] [--only-interp NAME ...]
                             [--arg PROGRAM=SIZE ...] [--no-memory] [--cpu]

Each program in benchmarks/programs/ is a standalone deterministic script that prints a
checksum; it takes an optional size argument. The runner runs every program under

    cpython   <host python3> programs/X.py [size]
    beale     <host python3> -m runtime programs/X.py [size]
    x-python  xpython programs/X.py [size]      (PyPI package x-python, a byterun descendant)

`--repeat` times each (default 3; `--quick` for one), takes the median wall-clock time of
the whole process (start-up included; start-up is reported on its own row), and compares
every interpreter's stdout with CPython's: a mismatch is reported as WRONG, a non-zero
exit as error, a run over the per-program timeout as timeout (the child is killed).
`--cpu` takes each run's CPU time (user + system, getrusage) instead of wall-clock time: on
a machine shared with other work it does not count time spent waiting for a core.  Every
interpreter first runs `-c pass` once (a warm-up that writes .pyc files; the children keep
byte-code caching on even under PYTHONDONTWRITEBYTECODE).

The table shows the median time per interpreter, beale's slowdown against CPython
(beale / cpython) and beale's speed-up against x-python (x-python / beale), with geometric
means over the programs where both sides produced the right answer. Then memory rows:
bytes per object (sys.getsizeof inside each interpreter, for int/float/str/tuple/list/
dict/instance) and the peak RSS of `-c pass`, and the start-up time of `-c pass`.
`--markdown` prints the same as Markdown tables for the README, headed by the date and
the machine (uname, CPU model, host version).
"""
import argparse
import json
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROGRAMS_DIR = ROOT / "benchmarks" / "programs"

# The order of the table (programs found on disk but not listed here come after).
PROGRAM_ORDER = ["nbody", "richards", "spectral_norm", "fannkuch", "float", "nqueens",
                 "deltablue", "chaos", "raytrace", "generators", "unpack_sequence",
                 "json_dumps", "json_loads", "regex"]

INTERPRETERS = ["cpython", "beale", "x-python"]

# Run inside each interpreter: sizes of one object of each kind, one line of "name=value"
# pairs. Deliberately plain (no generator expression: x-python 1.5 mis-runs them on 3.11).
SIZES_SCRIPT = """\
import sys
class Instance:
    def __init__(self):
        self.a = 1
        self.b = 2
objects = [("int", 12345), ("float", 1.5), ("str", "hello"), ("tuple", (1, 2, 3)),
           ("list", [1, 2, 3]), ("dict", {"a": 1, "b": 2}), ("instance", Instance())]
parts = []
for pair in objects:
    parts.append(pair[0] + "=" + str(sys.getsizeof(pair[1])))
print(" ".join(parts))
"""


class Outcome:
    """The result of one program under one interpreter."""

    def __init__(self, status="ok", times=(), detail=""):
        self.status = status          # ok, WRONG, error, timeout, n/a
        self.times = list(times)
        self.detail = detail

    @property
    def median(self):
        return statistics.median(self.times) if self.times else None

    def cell(self):
        if self.status == "ok":
            return f"{self.median:.3f}"
        return self.status


def find_xpython():
    """The x-python command: its console script, or the module through the host python."""
    exe = shutil.which("xpython")
    if exe:
        return [exe]
    try:
        import importlib.util
        if importlib.util.find_spec("xpython") is not None:
            return [sys.executable, "-m", "xpython"]
    except (ImportError, ValueError):
        pass
    return None


def interpreter_commands(python, only=None):
    commands = {
        "cpython": [python],
        "beale": [python, "-m", "runtime"],
        "x-python": find_xpython(),
    }
    if only:
        commands = {k: (v if k in only or k == "cpython" else None) for k, v in commands.items()}
    return commands


# What a run's time is: "wall" (perf_counter around the child) or "cpu" (the child's
# user + system CPU time, from getrusage(RUSAGE_CHILDREN) around its wait): on a machine
# shared with other work, CPU time does not count the time a run waited for a core.
TIME_MODE = ["wall"]


def child_env():
    """The children's environment: fixed hash seed and encoding; byte-code caching left
    on (PYTHONDONTWRITEBYTECODE removed), so that beale, like the host's stdlib and an
    installed x-python, starts from compiled .pyc files rather than recompiling its
    sources in every run."""
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONIOENCODING="utf-8")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_once(argv, timeout, capture=True):
    """Run argv from the repository root; return (seconds, returncode, stdout, stderr) or None on timeout.

    The child gets its own process group so that a timeout kills it and anything it started.
    """
    import resource
    env = child_env()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            proc.kill()
        proc.communicate()
        return None
    seconds = time.perf_counter() - start
    if TIME_MODE[0] == "cpu":
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        seconds = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, proc.returncode, out, err


def last_line(data):
    lines = data.decode("utf-8", "replace").strip().splitlines()
    return lines[-1][:120] if lines else ""


def first_difference(expected, actual):
    """'line 2: got '...', expected '...'' for the first line where two outputs differ."""
    exp = expected.decode("utf-8", "replace").splitlines()
    act = actual.decode("utf-8", "replace").splitlines()
    for number, (e, a) in enumerate(zip(exp, act), 1):
        if e != a:
            return f"line {number}: got {a[:60]!r}, expected {e[:60]!r}"
    return f"printed {len(act)} lines, expected {len(exp)}"


def bench_program(path, size, commands, repeat, timeout, log):
    """Run one program under every interpreter; CPython first (its stdout is the reference)."""
    args = [str(path.relative_to(ROOT))] + ([str(size)] if size is not None else [])
    outcomes = {}
    reference = None
    for name in INTERPRETERS:
        cmd = commands.get(name)
        if cmd is None:
            outcomes[name] = Outcome("n/a", detail="not installed or not selected")
            continue
        outcome = Outcome()
        for _ in range(repeat):
            result = run_once(cmd + args, timeout)
            if result is None:
                outcome = Outcome("timeout", detail=f"over {timeout:g} s")
                break
            seconds, rc, out, err = result
            if rc != 0:
                outcome = Outcome("error", detail=f"exit {rc}: {last_line(err)}")
                break
            if name == "cpython":
                reference = out if reference is None else reference
            elif reference is not None and out != reference:
                outcome = Outcome("WRONG", detail=first_difference(reference, out))
                break
            elif reference is None:
                outcome = Outcome("error", detail="no CPython reference output")
                break
            outcome.times.append(seconds)
        outcomes[name] = outcome
        log(f"  {path.stem:<16} {name:<9} {outcome.cell():>8}  {outcome.detail}")
    return outcomes


def ratio(numerator, denominator):
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return numerator / denominator


def geomean(values):
    values = [v for v in values if v is not None and v > 0]
    if not values:
        return None
    return math.exp(sum(math.log(v) for v in values) / len(values))


def fmt_ratio(value, suffix="x"):
    return "-" if value is None else f"{value:.1f}{suffix}"


def measure_sizes(commands, timeout):
    """sys.getsizeof of each kind of object, as seen inside each interpreter."""
    sizes = {}
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(SIZES_SCRIPT)
        script = f.name
    try:
        for name in INTERPRETERS:
            cmd = commands.get(name)
            if cmd is None:
                continue
            result = run_once(cmd + [script], timeout)
            if result is None or result[1] != 0:
                sizes[name] = None
                continue
            pairs = {}
            for item in result[2].decode("utf-8", "replace").split():
                key, _, value = item.partition("=")
                if value.isdigit():
                    pairs[key] = int(value)
            sizes[name] = pairs or None
    finally:
        os.unlink(script)
    return sizes


def child_peak_rss(argv, timeout):
    """Peak resident set size (bytes) of a child process, from wait4's rusage."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            break
        if time.monotonic() > deadline:
            proc.kill()
            os.wait4(proc.pid, 0)
            return None, "timeout"
        time.sleep(0.005)
    if proc.returncode != 0:
        return None, "error"
    return usage.ru_maxrss * 1024, ""      # ru_maxrss is in KiB on Linux


def measure_startup(commands, repeat, timeout):
    """Median wall time and peak RSS of `<interp> -c pass`."""
    startup = {}
    for name in INTERPRETERS:
        cmd = commands.get(name)
        if cmd is None:
            continue
        argv = cmd + ["-c", "pass"]
        times = []
        status = "ok"
        for _ in range(max(repeat, 3)):
            result = run_once(argv, timeout)
            if result is None:
                status = "timeout"
                break
            if result[1] != 0:
                status = "error"
                break
            times.append(result[0])
        rss, rss_note = child_peak_rss(argv, timeout) if status == "ok" else (None, status)
        startup[name] = {"status": status, "seconds": statistics.median(times) if status == "ok" else None,
                         "rss": rss, "rss_note": rss_note}
    return startup


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def machine_description(python):
    u = platform.uname()
    try:
        version = subprocess.run([python, "-c", "import sys; print(sys.version.split()[0])"],
                                 capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        version = platform.python_version()
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "uname": f"{u.system} {u.release} {u.machine}",
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "host_python": version,
    }


def build_rows(results):
    rows = []
    for program, outcomes in results.items():
        c, b, x = (outcomes[n].median if outcomes[n].status == "ok" else None for n in INTERPRETERS)
        rows.append({
            "program": program,
            "cells": [outcomes[n].cell() for n in INTERPRETERS],
            "slowdown": ratio(b, c),          # beale / cpython
            "speedup": ratio(x, b),           # x-python / beale
            "xpython_slowdown": ratio(x, c),
        })
    return rows


def render_text(rows, sizes, startup, repeat):
    lines = [f"median {TIME_LABEL[TIME_MODE[0]]} in seconds over {repeat} run(s), start-up included"]
    header = f"{'program':<16} {'cpython':>9} {'beale':>9} {'x-python':>9} {'beale/cpy':>10} {'xpy/beale':>10}"
    lines += [header, "-" * len(header)]
    for r in rows:
        c, b, x = r["cells"]
        lines.append(f"{r['program']:<16} {c:>9} {b:>9} {x:>9} "
                     f"{fmt_ratio(r['slowdown']):>10} {fmt_ratio(r['speedup']):>10}")
    lines.append("-" * len(header))
    lines.append(f"{'geometric mean':<16} {'':>9} {'':>9} {'':>9} "
                 f"{fmt_ratio(geomean(r['slowdown'] for r in rows)):>10} "
                 f"{fmt_ratio(geomean(r['speedup'] for r in rows)):>10}")
    lines.append("beale/cpy: how many times slower beale is than CPython; "
                 "xpy/beale: how many times faster beale is than x-python")
    if sizes or startup:
        lines += ["", *render_memory_text(sizes, startup)]
    return "\n".join(lines)


def size_cell(sizes, name, kind):
    entry = sizes.get(name)
    if not entry or kind not in entry:
        return "n/a"
    return str(entry[kind])


def render_memory_text(sizes, startup):
    names = [n for n in INTERPRETERS if n in startup or n in sizes]
    lines = ["memory: bytes per object (sys.getsizeof) and peak RSS of `-c pass`; start-up time",
             f"{'':<22}" + "".join(f"{n:>12}" for n in names)]
    for kind in ["int", "float", "str", "tuple", "list", "dict", "instance"]:
        lines.append(f"{'sizeof ' + kind:<22}" + "".join(f"{size_cell(sizes, n, kind):>12}" for n in names))
    lines.append(f"{'RSS of -c pass (MiB)':<22}" + "".join(
        f"{fmt_mib(startup.get(n)):>12}" for n in names))
    lines.append(f"{'start-up -c pass (s)':<22}" + "".join(
        f"{fmt_startup(startup.get(n)):>12}" for n in names))
    return lines


def fmt_mib(entry):
    if not entry or entry["rss"] is None:
        return (entry or {}).get("rss_note") or "n/a"
    return f"{entry['rss'] / 2 ** 20:.1f}"


def fmt_startup(entry):
    if not entry or entry["seconds"] is None:
        return (entry or {}).get("status") or "n/a"
    return f"{entry['seconds']:.3f}"


TIME_LABEL = {"wall": "wall time", "cpu": "CPU time (user + system of the process)"}


def render_markdown(rows, sizes, startup, repeat, machine, outcomes):
    lines = [f"Measured {machine['date']} on {machine['uname']}, {machine['cpu']} "
             f"({machine['cores']} cores), host CPython {machine['host_python']}; "
             f"median of {repeat} run(s), {TIME_LABEL[TIME_MODE[0]]} in seconds including "
             f"start-up.", "",
             "| program | CPython | beale | x-python | beale slowdown vs CPython | beale speed-up vs x-python |",
             "|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        c, b, x = r["cells"]
        lines.append(f"| {r['program']} | {c} | {b} | {x} | {fmt_ratio(r['slowdown'])} | {fmt_ratio(r['speedup'])} |")
    lines.append(f"| **geometric mean** | | | | {fmt_ratio(geomean(r['slowdown'] for r in rows))} | "
                 f"{fmt_ratio(geomean(r['speedup'] for r in rows))} |")
    notes = [f"- {prog} under {name}: {o.status} ({o.detail})"
             for prog, per in outcomes.items() for name, o in per.items()
             if o.status not in ("ok", "n/a")]
    if notes:
        lines += ["", "Runs that did not produce CPython's output:", *notes]
    names = [n for n in INTERPRETERS if n in startup or n in sizes]
    if not names:
        return "\n".join(lines)
    lines += ["", "| memory / start-up | " + " | ".join(names) + " |",
              "|---|" + "---:|" * len(names)]
    for kind in ["int", "float", "str", "tuple", "list", "dict", "instance"]:
        lines.append(f"| sys.getsizeof({kind}) | " + " | ".join(size_cell(sizes, n, kind) for n in names) + " |")
    lines.append("| peak RSS of `-c pass` (MiB) | " + " | ".join(fmt_mib(startup.get(n)) for n in names) + " |")
    lines.append("| start-up of `-c pass` (s) | " + " | ".join(fmt_startup(startup.get(n)) for n in names) + " |")
    return "\n".join(lines)


def discover(selected):
    on_disk = {p.stem: p for p in sorted(PROGRAMS_DIR.glob("*.py"))}
    order = [n for n in PROGRAM_ORDER if n in on_disk] + [n for n in on_disk if n not in PROGRAM_ORDER]
    if selected:
        unknown = [s for s in selected if s not in on_disk]
        if unknown:
            raise SystemExit(f"unknown program(s): {', '.join(unknown)}; have: {', '.join(order)}")
        order = [n for n in order if n in selected]
    return [(n, on_disk[n]) for n in order]


def parse_args(argv):
    p = argparse.ArgumentParser(description="Run beale's benchmarks against CPython and x-python.")
    p.add_argument("programs", nargs="*", help="program names (default: all in benchmarks/programs/)")
    p.add_argument("--repeat", type=int, default=3, help="runs per program and interpreter (default 3)")
    p.add_argument("--quick", action="store_true", help="one run each (same as --repeat 1)")
    p.add_argument("--timeout", type=float, default=300.0, help="seconds per run before it counts as timeout")
    p.add_argument("--markdown", action="store_true", help="print Markdown tables (for the README)")
    p.add_argument("--json", metavar="FILE", help="also write all results as JSON")
    p.add_argument("--only-interp", action="append", choices=INTERPRETERS, metavar="NAME",
                   help="an interpreter to run besides cpython (repeatable; default: all)")
    p.add_argument("--arg", action="append", default=[], metavar="PROGRAM=SIZE",
                   help="size argument for a program, e.g. --arg nbody=5000")
    p.add_argument("--no-memory", action="store_true", help="skip the memory and start-up rows")
    p.add_argument("--cpu", action="store_true",
                   help="time each run by its CPU time (user + system) instead of wall time")
    p.add_argument("--python", default=sys.executable, help="the host CPython (also runs beale)")
    p.add_argument("--flask", type=int, nargs="?", const=50, metavar="N",
                   help="add issue 8's rows: the Flask app's time to first response and req/s "
                        "over N sequential JSON requests (default 50; benchmarks/flask_bench.py)")
    args = p.parse_args(argv)
    if args.quick:
        args.repeat = 1
    if args.repeat < 1:
        p.error("--repeat must be at least 1")
    args.sizes = {}
    for item in args.arg:
        name, sep, value = item.partition("=")
        if not sep or not value.isdigit():
            p.error(f"--arg wants PROGRAM=SIZE, got {item!r}")
        args.sizes[name] = int(value)
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    commands = interpreter_commands(args.python, args.only_interp)

    def log(text):
        print(text, file=sys.stderr, flush=True)

    if commands["x-python"] is None and (not args.only_interp or "x-python" in args.only_interp):
        log("x-python not found (pip install x-python); its column will read n/a")
    if args.cpu:
        TIME_MODE[0] = "cpu"
    for name, cmd in commands.items():      # warm-up: .pyc files written, caches built
        if cmd is not None:
            run_once(cmd + ["-c", "pass"], args.timeout)
    results = {}
    for name, path in discover(args.programs):
        results[name] = bench_program(path, args.sizes.get(name), commands, args.repeat, args.timeout, log)
    sizes, startup = {}, {}
    if not args.no_memory:
        log("  measuring object sizes, RSS and start-up ...")
        sizes = measure_sizes(commands, args.timeout)
        startup = measure_startup(commands, args.repeat, args.timeout)
    flask = None
    if args.flask:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        import flask_bench
        flask = flask_bench.run(args.python, args.flask, max(args.timeout, 600.0),
                                args.only_interp, log)
    rows = build_rows(results)
    machine = machine_description(args.python)
    if args.markdown:
        print(render_markdown(rows, sizes, startup, args.repeat, machine, results))
        if flask is not None:
            print("\n" + flask_bench.render_markdown(flask, args.flask))
    else:
        print(render_text(rows, sizes, startup, args.repeat))
        if flask is not None:
            print("\n" + flask_bench.render_text(flask, args.flask))
    if args.json:
        data = {
            "machine": machine, "repeat": args.repeat, "timeout": args.timeout,
            "programs": {prog: {n: {"status": o.status, "times": o.times, "median": o.median,
                                    "detail": o.detail} for n, o in per.items()}
                         for prog, per in results.items()},
            "slowdown_geomean": geomean(r["slowdown"] for r in rows),
            "speedup_vs_xpython_geomean": geomean(r["speedup"] for r in rows),
            "sizes": sizes, "startup": startup, "flask": flask,
        }
        Path(args.json).write_text(json.dumps(data, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
