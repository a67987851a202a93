"""Conformance runner: CPython's own regression suite, run inside beale, one module at a time.

    python tests/conformance/run.py [MODULE ...] [--group core|bridge] [--host] [--timeout S]
                                    [--json FILE] [-j N]
    python -m tests.conformance.run ...          (from the repository root)

For every module (default: MODULES below, or BRIDGE_MODULES with `--group bridge`, all from the host's installed `test` package,
e.g. /root/.pyenv/versions/3.11.7/lib/python3.11/test/test_grammar.py) it starts

    <python> -m runtime tests/conformance/driver.py <module>     (beale)
    <python> tests/conformance/driver.py <module>                (--host: CPython itself)

in its own subprocess (own process group) with a timeout, so the module's unittest suite
runs INSIDE the interpreter under test. driver.py prints one line per test and a summary
line; this runner parses them and prints a table per module:

    run, passed, failed, errored, skipped, pass rate, status (ok / crash / timeout), seconds

status is "ok" when the driver printed its summary line, "timeout" when the module did not
finish in time and "crash" when the process ended without a summary (a host crash, a
beale internal error, a signal). For timeouts and crashes the counts are those of the
per-test lines printed before the end (marked partial in --json).
pass rate = passed / (passed + failed + errored): skipped tests are not held against it.

The conformance run under beale is a report, not a test (tests/conformance/test_runner.py
tests this runner itself, with --host). `main(argv)` is the entry point for a
`beale conformance` sub-command.
"""
import argparse
import concurrent.futures
import json
import os
import platform
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).resolve().with_name("driver.py")

MODULES = [
    "test_grammar", "test_int", "test_float", "test_list", "test_tuple", "test_dict",
    "test_set", "test_string", "test_unicode", "test_bool", "test_scope", "test_class",
    "test_exceptions", "test_generators", "test_with", "test_contextlib", "test_fstring",
    "test_unpack", "test_types", "test_patma", "test_keywordonlyarg", "test_augassign",
    "test_opcodes", "test_richcmp",
]

#: `--group bridge`: the regression modules of the stdlib parts that run on C accelerators
#: called with guest objects (issue 5, the C bridge)
BRIDGE_MODULES = [
    "test_json", "test_re", "test_heapq", "test_bisect", "test_struct", "test_collections",
    "test_functools", "test_itertools", "test_datetime", "test_random", "test_csv",
    "test_pickle",
]

GROUPS = {"core": MODULES, "bridge": BRIDGE_MODULES}

SUMMARY_RE = re.compile(r"^BEALE-CONFORMANCE run=(\d+) pass=(\d+) fail=(\d+) error=(\d+) skip=(\d+)"
                        r"(?: xfail=(\d+) xpass=(\d+))?(.*)$")
TEST_RE = re.compile(r"^BEALE-CONFORMANCE-TEST (\w+) (.+?)(?: :: (.*))?$")
COUNTED = ("pass", "fail", "error", "skip")
MAX_PROBLEMS = 50   # failing test ids kept per module in --json


class ModuleResult:
    """The outcome of one module: counts, status and the failing tests seen."""

    def __init__(self, module):
        self.module = module
        self.run = self.passed = self.failed = self.errored = self.skipped = 0
        self.status = "crash"
        self.partial = True
        self.returncode = None
        self.seconds = 0.0
        self.problems = []      # (outcome, test id, detail)
        self.note = ""

    @property
    def pass_rate(self):
        decided = self.passed + self.failed + self.errored
        return self.passed / decided if decided else 0.0

    def as_dict(self):
        return {
            "module": self.module, "status": self.status, "partial": self.partial,
            "run": self.run, "passed": self.passed, "failed": self.failed,
            "errored": self.errored, "skipped": self.skipped,
            "pass_rate": round(self.pass_rate, 4), "seconds": round(self.seconds, 2),
            "returncode": self.returncode, "note": self.note,
            "problems": [{"outcome": o, "test": t, "detail": d} for o, t, d in self.problems],
        }


def parse_output(result, text):
    """Fill `result` from the driver's stdout (summary line, or the per-test lines)."""
    tallies = dict.fromkeys(("pass", "fail", "error", "skip", "xfail", "xpass"), 0)
    summary = None
    for line in text.splitlines():
        m = TEST_RE.match(line)
        if m:
            outcome, test_id, detail = m.group(1), m.group(2), m.group(3) or ""
            if outcome in tallies:
                tallies[outcome] += 1
            if outcome in ("fail", "error", "xpass") and len(result.problems) < MAX_PROBLEMS:
                result.problems.append((outcome, test_id, detail))
            continue
        m = SUMMARY_RE.match(line)
        if m:
            summary = m
    if summary is not None:
        run, passed, failed, errored, skipped = (int(summary.group(i)) for i in range(1, 6))
        result.run, result.passed, result.failed = run, passed, failed
        result.errored, result.skipped = errored, skipped
        result.partial = False
        if "import_error=1" in (summary.group(8) or ""):
            result.note = "module import failed"
            if result.problems:
                result.note += ": " + result.problems[0][2].replace("import failed: ", "")[:160]
        elif run == 0 and errored == 0:
            result.note = "no tests collected"
        return True
    # No summary: count what the per-test lines say (subtests may overcount slightly).
    result.passed = tallies["pass"] + tallies["xfail"]
    result.failed = tallies["fail"] + tallies["xpass"]
    result.errored = tallies["error"]
    result.skipped = tallies["skip"]
    result.run = result.passed + result.failed + result.errored + result.skipped
    return False


EXCEPTION_LINE_RE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt|Warning|Iteration)\b")


def crash_reason(stderr):
    """The most telling line of a crashed child's stderr: beale's internal-error line if there
    is one, else the last line that names an exception, else the last line."""
    lines = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
    for line in lines:
        if line.startswith("beale: internal error"):
            return line
    for line in reversed(lines):
        if EXCEPTION_LINE_RE.match(line):
            return line
    return lines[-1] if lines else ""


def command(module, host, python):
    if host:
        return [python, str(DRIVER), module]
    return [python, "-m", "runtime", str(DRIVER), module]


def run_module(module, host=False, timeout=300.0, python=sys.executable):
    """Run one module in its own process group; never raises for a bad child."""
    result = ModuleResult(module)
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    start = time.monotonic()
    try:
        proc = subprocess.Popen(command(module, host, python), cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    except OSError as exc:
        result.note = f"could not start: {exc}"
        return result
    timed_out = False
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        try:
            os.killpg(proc.pid, signal.SIGKILL)   # the child and anything it started
        except (ProcessLookupError, PermissionError):
            proc.kill()
        out, err = proc.communicate()
    result.seconds = time.monotonic() - start
    result.returncode = proc.returncode
    finished = parse_output(result, out.decode("utf-8", "replace"))
    if timed_out:
        result.status = "timeout"
        result.partial = True
        result.note = result.note or f"no result after {timeout:g} s"
    elif finished and proc.returncode is not None and proc.returncode >= 0:
        result.status = "ok"
    else:
        result.status = "crash"
        tail = [crash_reason(err.decode("utf-8", "replace"))]
        reason = f"exit code {proc.returncode}"
        if proc.returncode is not None and proc.returncode < 0:
            try:
                reason = f"killed by {signal.Signals(-proc.returncode).name}"
            except ValueError:
                pass
        result.note = f"{reason}: {tail[0][:160]}"
    return result


def format_table(results, title):
    header = f"{'module':<22} {'run':>6} {'passed':>7} {'failed':>7} {'errored':>8} " \
             f"{'skipped':>8} {'rate':>7} {'status':<8} {'secs':>7}"
    lines = [title, header, "-" * len(header)]
    total = ModuleResult("TOTAL")
    total.status = ""
    for r in results:
        lines.append(f"{r.module:<22} {r.run:>6} {r.passed:>7} {r.failed:>7} {r.errored:>8} "
                     f"{r.skipped:>8} {r.pass_rate:>7.1%} {r.status:<8} {r.seconds:>7.1f}"
                     + (f"  {r.note}" if r.note else ""))
        for name in ("run", "passed", "failed", "errored", "skipped", "seconds"):
            setattr(total, name, getattr(total, name) + getattr(r, name))
    lines.append("-" * len(header))
    statuses = [r.status for r in results]
    status_text = " ".join(f"{s}={statuses.count(s)}" for s in ("ok", "crash", "timeout")
                           if statuses.count(s))
    lines.append(f"{'TOTAL':<22} {total.run:>6} {total.passed:>7} {total.failed:>7} "
                 f"{total.errored:>8} {total.skipped:>8} {total.pass_rate:>7.1%} "
                 f"{status_text:<8} {total.seconds:>7.1f}")
    return "\n".join(lines), total


def format_markdown(results, title):
    """The same table as Markdown (for a results file or the README)."""
    lines = [title, "", "| module | run | passed | failed | errored | skipped | pass rate | status | seconds | note |",
             "|---|---:|---:|---:|---:|---:|---:|---|---:|---|"]
    total = ModuleResult("TOTAL")
    for r in results:
        note = r.note.replace("|", "\\|")
        lines.append(f"| {r.module} | {r.run} | {r.passed} | {r.failed} | {r.errored} | {r.skipped} | "
                     f"{r.pass_rate:.1%} | {r.status} | {r.seconds:.1f} | {note} |")
        for name in ("run", "passed", "failed", "errored", "skipped", "seconds"):
            setattr(total, name, getattr(total, name) + getattr(r, name))
    statuses = [r.status for r in results]
    status_text = ", ".join(f"{s} {statuses.count(s)}" for s in ("ok", "crash", "timeout") if statuses.count(s))
    lines.append(f"| **total** | {total.run} | {total.passed} | {total.failed} | {total.errored} | "
                 f"{total.skipped} | {total.pass_rate:.1%} | {status_text} | {total.seconds:.1f} | |")
    return "\n".join(lines)


def parse_args(argv):
    p = argparse.ArgumentParser(prog="conformance", description=__doc__.split("\n\n")[0])
    p.add_argument("modules", nargs="*", help="modules of the `test` package (default: the --group list)")
    p.add_argument("--group", choices=sorted(GROUPS), default="core",
                   help="the module list run when no module is named (default core; bridge: "
                        "the C-accelerated stdlib modules)")
    p.add_argument("--host", action="store_true", help="run the driver under the host CPython instead of beale")
    p.add_argument("--timeout", type=float, default=300.0, help="seconds per module (default 300)")
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    p.add_argument("-j", "--jobs", type=int, default=1, help="modules run in parallel (default 1)")
    p.add_argument("--python", default=sys.executable, help="the host python that runs beale/the driver")
    p.add_argument("-q", "--quiet", action="store_true", help="print only the table")
    p.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    p.add_argument("--from-json", metavar="FILE", help="print the table of an earlier --json run, run nothing")
    return p.parse_args(argv)


def results_from_json(path):
    """ModuleResults and the interpreter name back from a file written by --json."""
    data = json.loads(Path(path).read_text())
    results = []
    for m in data["modules"]:
        r = ModuleResult(m["module"])
        for key in ("status", "partial", "run", "passed", "failed", "errored", "skipped",
                    "seconds", "returncode", "note"):
            setattr(r, key, m[key])
        r.problems = [(p["outcome"], p["test"], p["detail"]) for p in m.get("problems", [])]
        results.append(r)
    return results, data


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.from_json:
        results, data = results_from_json(args.from_json)
        title = f"CPython regression suite under {data['interpreter']} " \
                f"(test package of Python {data['host_version']}, {data['date']})"
        print(format_markdown(results, title) if args.markdown else format_table(results, title)[0])
        return 0
    modules = args.modules or GROUPS[args.group]
    interpreter = "host CPython" if args.host else "beale"
    results = {}

    def one(module):
        r = run_module(module, host=args.host, timeout=args.timeout, python=args.python)
        if not args.quiet:
            print(f"  {module:<22} {r.status:<8} {r.passed}/{r.run} in {r.seconds:.1f} s",
                  file=sys.stderr, flush=True)
        return r

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for module, r in zip(modules, pool.map(one, modules)):
            results[module] = r
    ordered = [results[m] for m in modules]
    title = f"CPython regression suite under {interpreter} " \
            f"(test package of Python {platform.python_version()})"
    table, total = format_table(ordered, title)
    print(format_markdown(ordered, title) if args.markdown else table)
    if args.json:
        data = {
            "interpreter": interpreter, "host_version": platform.python_version(),
            "timeout": args.timeout,
            "date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
            "modules": [r.as_dict() for r in ordered],
            "total": {k: v for k, v in total.as_dict().items()
                      if k in ("run", "passed", "failed", "errored", "skipped", "pass_rate", "seconds")},
        }
        Path(args.json).write_text(json.dumps(data, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
