"""Issue 8's benchmark rows: the Flask app of examples/flask_app served by an interpreter.

    python benchmarks/flask_bench.py [--requests N] [--timeout S] [--json FILE]
                                     [--only-interp cpython|beale ...]

For each interpreter (the host CPython and beale, in the same run) it starts
`examples/flask_app/app.py PORT` on a free loopback port and measures

  * time to first response: from the process start (just before Popen) to the end of the
    first successful `GET /api/books/1` (the client polls every 50 ms until the server
    answers: import time of Flask/Werkzeug/Jinja2, app set-up, the first request);
  * requests per second for the JSON route: N sequential `GET /api/books/2` on loopback
    (default 50; one connection per request, as Werkzeug's dev server closes each one),
    after one warm-up request; every body is checked against the expected JSON.

The server is then stopped with SIGINT, as a user would. `run.py --flask` puts the two rows
under its table; this script alone prints them as text (or --json).
"""
import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "examples" / "flask_app" / "app.py"
INTERPRETERS = ("cpython", "beale")
EXPECTED = {"book": {"id": 2, "title": "Crafting Interpreters", "year": 2021}}


def commands(python):
    return {"cpython": [python], "beale": [python, "-m", "runtime"]}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path, timeout):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def bench_one(argv, n_requests, timeout):
    """{"first_response": s, "rps": r, "status": "ok"} for one interpreter, or a status."""
    port = free_port()
    env = dict(os.environ, PYTHONHASHSEED="0")
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv + [str(APP), str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        first = None
        while time.perf_counter() - t0 < timeout:
            if proc.poll() is not None:
                return {"status": "error", "detail": proc.stderr.read()[-500:]}
            try:
                status, _ = get(port, "/api/books/1", timeout)
            except OSError:
                time.sleep(0.05)
                continue
            if status != 200:
                return {"status": "error", "detail": "first response: HTTP %d" % status}
            first = time.perf_counter() - t0
            break
        if first is None:
            return {"status": "timeout"}
        get(port, "/api/books/2", timeout)                  # warm-up
        t1 = time.perf_counter()
        for i in range(n_requests):
            try:
                status, body = get(port, "/api/books/2", timeout)
            except (OSError, http.client.HTTPException) as e:
                return {"status": "error", "detail": "request %d: %r" % (i, e)}
            data = json.loads(body)
            data.pop("visits", None)
            if status != 200 or data != EXPECTED:
                return {"status": "WRONG", "detail": body[:200].decode("utf-8", "replace")}
        elapsed = time.perf_counter() - t1
        return {"status": "ok", "first_response": first, "rps": n_requests / elapsed,
                "requests": n_requests, "seconds": elapsed}
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        proc.stderr.close()


def run(python=sys.executable, n_requests=50, timeout=600.0, only=None, log=None):
    results = {}
    for name, argv in commands(python).items():
        if only and name != "cpython" and name not in only:
            continue
        if log:
            log("  flask app under %s ..." % name)
        results[name] = bench_one(argv, n_requests, timeout)
    return results


def _cell(entry, key, fmt):
    if entry is None:
        return "n/a"
    if entry.get("status") != "ok":
        return entry.get("status", "n/a")
    return fmt % entry[key]


def rows(results):
    """[(label, cpython cell, beale cell, beale/cpython ratio text)] for the two rows."""
    c, b = results.get("cpython"), results.get("beale")
    out = []
    for label, key, fmt, slower in (("flask: first response (s)", "first_response", "%.2f", "%.1fx"),
                                    ("flask: JSON route (req/s)", "rps", "%.1f", "%.1fx")):
        ratio = "n/a"
        if c and b and c.get("status") == "ok" and b.get("status") == "ok":
            # how many times slower beale is, for both rows
            r = b[key] / c[key] if key == "first_response" else c[key] / b[key]
            ratio = slower % r
        out.append((label, _cell(c, key, fmt), _cell(b, key, fmt), ratio))
    return out


def render_text(results, n_requests):
    lines = ["Flask app (examples/flask_app): time to first response, and req/s over %d "
             "sequential GET /api/books/2 on loopback" % n_requests,
             "%-28s %10s %10s %10s" % ("", "cpython", "beale", "beale/cpy")]
    for label, c, b, r in rows(results):
        lines.append("%-28s %10s %10s %10s" % (label, c, b, r))
    return "\n".join(lines)


def render_markdown(results, n_requests):
    lines = ["| Flask app (%d sequential JSON requests) | CPython | beale | beale slowdown |"
             % n_requests, "|---|---:|---:|---:|"]
    for label, c, b, r in rows(results):
        lines.append("| %s | %s | %s | %s |" % (label, c, b, r))
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--requests", type=int, default=50, help="sequential JSON requests (default 50)")
    p.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for the server")
    p.add_argument("--only-interp", action="append", choices=INTERPRETERS)
    p.add_argument("--markdown", action="store_true")
    p.add_argument("--json", metavar="FILE")
    p.add_argument("--python", default=sys.executable)
    args = p.parse_args(argv)
    results = run(args.python, args.requests, args.timeout, args.only_interp,
                  log=lambda t: print(t, file=sys.stderr, flush=True))
    print(render_markdown(results, args.requests) if args.markdown
          else render_text(results, args.requests))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    return 0 if all(r.get("status") == "ok" for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
