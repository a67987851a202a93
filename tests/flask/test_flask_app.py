"""End to end: the Flask app of examples/flask_app served by an interpreter, driven by a host client.

The same checks run against the host CPython (which shows the test itself is right) and against
beale (issue 8's acceptance).
"""
import http.cookiejar
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
APP = os.path.join(ROOT, "examples", "flask_app", "app.py")

INTERPRETERS = {
    "cpython": [sys.executable],
    "beale": [sys.executable, "-m", "runtime"],
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(interp, port, timeout):
    proc = subprocess.Popen(INTERPRETERS[interp] + [APP, str(port)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail("server exited with %s before serving:\n%s\n%s" % (proc.returncode, out, err[-3000:]))
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    out, err = proc.communicate()
    pytest.fail("server did not listen within %ss:\n%s" % (timeout, err[-3000:]))


EXPECTED_INDEX = """<!doctype html>
<html>
<head><title>Books</title></head>
<body>
<h1>READING LIST!</h1>

<ul>
  <li>1. Structure and Interpretation of Computer Programs (1985)</li>
  <li>2. Crafting Interpreters (2021)</li>
  <li>3. The Garbage Collection Handbook (2011)</li>
</ul>
<p>visits: %d</p>
<p>guestbook: %s</p>
<form method="post" action="/sign"><input name="name"><button>sign</button></form>

<footer>served by flask</footer>
</body>
</html>"""

EXPECTED_404 = """<!doctype html>
<html>
<head><title>Not found</title></head>
<body>
<h1>404</h1>
<p>nothing at /no/such/page</p>
<footer>served by flask</footer>
</body>
</html>"""


def run_session(port):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = "http://127.0.0.1:%d" % port

    with opener.open(base + "/", timeout=60) as r:
        assert r.status == 200
        assert r.headers["Content-Type"] == "text/html; charset=utf-8"
        assert r.read().decode() == EXPECTED_INDEX % (1, "empty")
    assert [c.name for c in jar] == ["session"]

    with opener.open(base + "/api/books/2", timeout=60) as r:
        assert r.headers["Content-Type"] == "application/json"
        body = json.loads(r.read())
    # The session cookie survived: this is the browser's second request.
    assert body == {"book": {"id": 2, "title": "Crafting Interpreters", "year": 2021}, "visits": 2}

    data = urllib.parse.urlencode({"name": "Ada"}).encode()
    with opener.open(base + "/sign", data=data, timeout=60) as r:   # POST, then follows the redirect
        assert r.status == 200
        assert r.read().decode() == EXPECTED_INDEX % (4, "Ada")

    with pytest.raises(urllib.error.HTTPError) as info:
        opener.open(base + "/no/such/page", timeout=60)
    assert info.value.code == 404
    assert info.value.read().decode() == EXPECTED_404

    with pytest.raises(urllib.error.HTTPError) as info:
        opener.open(base + "/api/books/99", timeout=60)
    assert info.value.code == 404
    assert json.loads(info.value.read()) == {"error": "no book 99"}


def stop(proc):
    proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("server did not stop on SIGINT")
    assert proc.returncode == 0, err[-3000:]
    assert "Traceback" not in err, err[-3000:]


@pytest.mark.parametrize("interp", ["cpython", "beale"])
def test_flask_app_end_to_end(interp):
    port = free_port()
    proc = start(interp, port, timeout=30 if interp == "cpython" else 600)
    try:
        run_session(port)
    except BaseException:
        proc.kill()
        proc.communicate()
        raise
    stop(proc)


def run_concurrent_sessions(port, n=8):
    """n browsers at once (host threads released together by a barrier), each with its own
    session cookie: every response is the one its own session should get."""
    import threading
    base = "http://127.0.0.1:%d" % port
    barrier = threading.Barrier(n)
    errors = []

    def browser(k):
        try:
            jar = http.cookiejar.CookieJar()
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
            book = k % 3 + 1
            barrier.wait(timeout=120)
            with opener.open(base + "/api/books/%d" % book, timeout=300) as r:
                body = json.loads(r.read())
            assert body["book"]["id"] == book and body["visits"] == 1, body
            with opener.open(base + "/", timeout=300) as r:
                assert r.read().decode() == EXPECTED_INDEX % (2, "empty")
            with pytest.raises(urllib.error.HTTPError) as info:
                opener.open(base + "/no/such/page", timeout=300)
            assert info.value.code == 404 and info.value.read().decode() == EXPECTED_404
        except BaseException as e:      # reported by the main thread
            errors.append("browser %d: %r" % (k, e))

    threads = [threading.Thread(target=browser, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


@pytest.mark.parametrize("interp", ["cpython", "beale"])
def test_flask_app_concurrent_requests(interp):
    """The example serves with threaded=True: 8 requests in flight at once, each handled in
    its own server thread (under beale: guest threads taking turns on the guest lock)."""
    port = free_port()
    proc = start(interp, port, timeout=30 if interp == "cpython" else 600)
    try:
        run_concurrent_sessions(port)
    except BaseException:
        proc.kill()
        proc.communicate()
        raise
    stop(proc)
