"""Guest code in several host threads (runtime/interp/gil.py: the guest interpreter lock and
per-thread thread state). Each program runs under `python -m runtime` in a subprocess (a
process of its own: threads, signals) and its output is compared with the host CPython's."""
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


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run(argv_prefix, source, tmp_path, timeout=120):
    path = tmp_path / "prog.py"
    path.write_text(textwrap.dedent(source))
    proc = subprocess.run(argv_prefix + [str(path)], capture_output=True, text=True,
                          cwd=tmp_path, env=_env(), timeout=timeout)
    return proc.returncode, proc.stdout, proc.stderr


def beale(source, tmp_path):
    return run([HOST, "-m", "runtime"], source, tmp_path)


def host(source, tmp_path):
    return run([HOST], source, tmp_path)


def same_as_host(source, tmp_path):
    b = beale(source, tmp_path)
    h = host(source, tmp_path)
    assert b == h
    return b


SHARED_CONTAINERS = """
    import threading
    N, K = 6, 3000
    for attempt in range(4):
        lst, d, s = [], {}, set()
        counts = {"n": 0}
        lock = threading.Lock()
        def work(k):
            for i in range(K):
                lst.append(i)
                d[(k, i)] = i
                s.add(k * K + i)
                with lock:
                    counts["n"] += 1
        ts = [threading.Thread(target=work, args=(k,)) for k in range(N)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        print(attempt, len(lst), sum(lst), len(d), len(s), counts["n"])
"""


def test_shared_list_dict_set_lose_nothing(tmp_path):
    """N threads append to one list, insert into one dict and one set: nothing is lost (the
    guest lock makes each of beale's multi-step struct updates atomic), four times."""
    code, out, err = same_as_host(SHARED_CONTAINERS, tmp_path)
    assert code == 0 and err == ""
    assert out.splitlines() == ["%d 18000 26991000 18000 18000 18000" % a for a in range(4)]


UNLOCKED_INCREMENTS = """
    import threading
    class Box:
        pass
    box = Box()
    box.items = []
    def work():
        for i in range(5000):
            box.items += [i]            # read-modify-write of an attribute: not atomic
    # what must hold without a lock in CPython: every list op completes; the list is sane
    ts = [threading.Thread(target=work) for _ in range(4)]
    for t in ts: t.start()
    for t in ts: t.join()
    print(len(box.items) <= 20000, all(type(x) is int for x in box.items))
"""


def test_unlocked_attribute_updates_keep_structs_sane(tmp_path):
    code, out, err = same_as_host(UNLOCKED_INCREMENTS, tmp_path)
    assert (code, out, err) == (0, "True True\n", "")


SYNC_PRIMITIVES = """
    import threading, time
    # Lock / RLock
    rl = threading.RLock()
    with rl:
        with rl:
            print("rlock nested", rl._is_owned())
    # Condition: consumers wait for items
    cond = threading.Condition()
    items, got = [], []
    def consumer():
        with cond:
            while not items:
                cond.wait()
            got.append(items.pop())
    cs = [threading.Thread(target=consumer) for _ in range(3)]
    for c in cs: c.start()
    for i in range(3):
        with cond:
            items.append(i)
            cond.notify()
    for c in cs: c.join()
    print("condition", sorted(got))
    # Semaphore: at most 2 inside at once
    sem = threading.BoundedSemaphore(2)
    inside, peak = [0], [0]
    plock = threading.Lock()
    def limited():
        with sem:
            with plock:
                inside[0] += 1
                peak[0] = max(peak[0], inside[0])
            time.sleep(0.01)
            with plock:
                inside[0] -= 1
    ts = [threading.Thread(target=limited) for _ in range(6)]
    for t in ts: t.start()
    for t in ts: t.join()
    print("semaphore peak", peak[0])
    # Barrier
    b = threading.Barrier(3)
    ids = []
    def at_barrier(k):
        b.wait()
        ids.append(k)
    ts = [threading.Thread(target=at_barrier, args=(k,)) for k in range(3)]
    for t in ts: t.start()
    for t in ts: t.join()
    print("barrier", sorted(ids))
    # Event set by a worker while main waits (main blocked in lock.acquire)
    ev = threading.Event()
    def setter():
        time.sleep(0.05)
        ev.set()
    threading.Thread(target=setter).start()
    print("event", ev.wait(30))
    # Lock.acquire with timeout while another thread holds it
    lk = threading.Lock()
    lk.acquire()
    res = []
    t = threading.Thread(target=lambda: res.append(lk.acquire(timeout=0.05)))
    t.start(); t.join()
    print("timeout acquire", res)
    lk.release()
    print("local", end=" ")
    loc = threading.local()
    loc.x = "main"
    seen = []
    def set_local(k):
        loc.x = k
        time.sleep(0.01)
        seen.append(loc.x == k)
    ts = [threading.Thread(target=set_local, args=(k,)) for k in range(4)]
    for t in ts: t.start()
    for t in ts: t.join()
    print(seen, loc.x)
    print("threads left", threading.active_count())
"""


def test_sync_primitives(tmp_path):
    code, out, err = same_as_host(SYNC_PRIMITIVES, tmp_path)
    assert code == 0 and err == ""
    assert "semaphore peak 2" in out and "event True" in out


QUEUE_AND_POOL = """
    import queue, threading
    from concurrent.futures import ThreadPoolExecutor
    q = queue.Queue(maxsize=5)
    results = []
    def producer(base):
        for i in range(50):
            q.put(base + i)
    def consumer():
        while True:
            x = q.get()
            if x is None:
                q.task_done()
                return
            results.append(x * 2)
            q.task_done()
    cons = [threading.Thread(target=consumer) for _ in range(3)]
    prods = [threading.Thread(target=producer, args=(k * 1000,)) for k in range(4)]
    for t in cons + prods: t.start()
    for t in prods: t.join()
    for _ in cons: q.put(None)
    q.join()
    for t in cons: t.join()
    print(len(results), sum(results))

    class Point:
        def __init__(self, x):
            self.x = x
        def norm(self):
            return self.x * self.x
    def square(p):
        return p.norm()
    with ThreadPoolExecutor(max_workers=4) as ex:
        print(list(ex.map(square, [Point(i) for i in range(100)]))[-3:])
        futs = [ex.submit(pow, 2, k) for k in range(10)]
        print([f.result() for f in futs])
        def boom():
            raise ValueError("in pool")
        try:
            ex.submit(boom).result()
        except ValueError as e:
            print("pool error", e)
    sq = queue.SimpleQueue()
    threading.Thread(target=lambda: [sq.put(i) for i in range(5)]).start()
    print([sq.get(timeout=30) for _ in range(5)])
"""


def test_queue_and_thread_pool(tmp_path):
    code, out, err = same_as_host(QUEUE_AND_POOL, tmp_path)
    assert code == 0 and err == ""
    assert out.splitlines()[0] == "200 %d" % (2 * sum(k * 1000 + i for k in range(4)
                                                        for i in range(50)))


EXCEPTIONS_AND_FRAMES = """
    import sys, threading
    def fails():
        raise KeyError("from thread")
    t = threading.Thread(target=fails, name="worker-1")
    t.start(); t.join()
    caught = []
    old = threading.excepthook
    threading.excepthook = lambda a: caught.append((a.exc_type.__name__, str(a.exc_value),
                                                    a.thread.name))
    t = threading.Thread(target=fails, name="worker-2")
    t.start(); t.join()
    threading.excepthook = old
    print(caught)

    # sys._getframe and sys.exc_info belong to each thread
    stop = threading.Event()
    inside = threading.Event()
    seen = {}
    def handler():
        try:
            raise ValueError("handled in thread")
        except ValueError:
            inside.set()
            stop.wait(30)
            seen["thread exc"] = repr(sys.exc_info()[1])
            seen["thread frame"] = sys._getframe().f_code.co_name
    def outer():
        return inner()
    def inner():
        f = sys._getframe()
        return [f.f_code.co_name, f.f_back.f_code.co_name]
    t = threading.Thread(target=handler)
    t.start()
    inside.wait(30)
    seen["main exc"] = sys.exc_info()
    seen["main frames"] = outer()
    stop.set()
    t.join()
    for k in sorted(seen):
        print(k, seen[k])

    # recursion depth is per thread; RecursionError in a thread, not a crash
    def deep(n):
        return deep(n + 1)
    out = []
    def recurse():
        try:
            deep(0)
        except RecursionError:
            out.append("RecursionError")
    t = threading.Thread(target=recurse); t.start(); t.join()
    print(out)

    # generators started in one thread, resumed in another
    def gen():
        for i in range(3):
            yield i * 10
    g = gen()
    print(next(g))
    res = []
    t = threading.Thread(target=lambda: res.extend(g)); t.start(); t.join()
    print(res)
"""


def test_exceptions_frames_recursion_in_threads(tmp_path):
    code, out, err = same_as_host(EXCEPTIONS_AND_FRAMES, tmp_path)
    assert code == 0
    assert "KeyError: 'from thread'" in err and "worker-1" in err
    assert "thread exc ValueError('handled in thread')" in out
    assert "main exc (None, None, None)" in out


CALLBACKS = """
    import functools, heapq, threading, json, re
    class Item:
        def __init__(self, v):
            self.v = v
        def __lt__(self, other):
            return self.v < other.v
    out = {}
    def work(k):
        h = []
        for i in range(300, 0, -1):
            heapq.heappush(h, Item(i * 7 % 301))          # C calls guest __lt__
        first = [heapq.heappop(h).v for _ in range(5)]
        total = functools.reduce(lambda a, b: a + b, range(1000))
        text = json.dumps({"k": k}, default=str)
        subbed = re.sub(r"\\d", lambda m: str(int(m.group()) + 1), "a1b2c3")
        out[k] = (first, total, text, subbed)
    ts = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in ts: t.start()
    for t in ts: t.join()
    for k in sorted(out):
        print(k, out[k])
"""


def test_c_callbacks_in_threads(tmp_path):
    """C code (heapq, functools.reduce, json, re) calling back into guest code in several
    threads at once: callbacks enter holding the guest lock, re-entrant in the caller."""
    code, out, err = same_as_host(CALLBACKS, tmp_path)
    assert code == 0 and err == "" and len(out.splitlines()) == 4


SLEEPERS_DO_NOT_BLOCK = """
    import threading, time
    lock = threading.Lock()
    lock.acquire()
    blocked = threading.Thread(target=lock.acquire, daemon=True)   # waits forever
    blocked.start()
    sleeper = threading.Thread(target=time.sleep, args=(5,), daemon=True)
    sleeper.start()
    t0 = time.monotonic()
    n = 0
    for i in range(20000):
        n += i
    ev = threading.Event()
    threading.Thread(target=ev.set).start()
    print(n, ev.wait(30), time.monotonic() - t0 < 4.5)
"""


def test_blocked_threads_do_not_block_others(tmp_path):
    """A thread blocked in lock.acquire and one in time.sleep release the guest lock: main
    computes and its Event wait ends well before the sleeper wakes."""
    code, out, err = same_as_host(SLEEPERS_DO_NOT_BLOCK, tmp_path)
    assert (code, out, err) == (0, "199990000 True True\n", "")


SWITCHING = """
    import sys, threading, time
    print(sys.getswitchinterval())
    sys.setswitchinterval(0.002)
    print(sys.getswitchinterval())
    stop = False
    ticks = [0, 0]
    def spin(k):
        while not stop:
            ticks[k] += 1
    ts = [threading.Thread(target=spin, args=(k,)) for k in range(2)]
    for t in ts: t.start()
    time.sleep(0.5)
    stop = True
    for t in ts: t.join()
    print(ticks[0] > 0 and ticks[1] > 0)
"""


def test_busy_threads_take_turns(tmp_path):
    """Two busy loops and a sleeping main: the switch interval hands the lock over, so both
    make progress and main wakes up to stop them."""
    code, out, err = same_as_host(SWITCHING, tmp_path)
    assert (code, out, err) == (0, "0.005\n0.002\nTrue\n", "")


def _interrupt_program(tmp_path, source):
    (tmp_path / "loop.py").write_text(textwrap.dedent(source))
    proc = subprocess.Popen([HOST, "-m", "runtime", "loop.py"], cwd=tmp_path, env=_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert proc.stdout.readline() == b"ready\n"
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    return proc.returncode, out.decode(), err.decode()


def test_keyboard_interrupt_with_busy_threads(tmp_path):
    """SIGINT reaches the main guest thread while daemon threads keep the guest lock busy."""
    code, out, err = _interrupt_program(tmp_path, """
        import threading
        def spin():
            while True:
                pass
        for _ in range(2):
            threading.Thread(target=spin, daemon=True).start()
        print('ready', flush=True)
        try:
            while True:
                pass
        except KeyboardInterrupt:
            print('caught')
    """)
    assert (code, out, err) == (0, "caught\n", "")


def test_keyboard_interrupt_while_waiting(tmp_path):
    """SIGINT while the main thread waits for an Event nobody sets (a blocking lock acquire):
    KeyboardInterrupt traceback and death by SIGINT, as CPython."""
    code, out, err = _interrupt_program(tmp_path, """
        import threading
        ev = threading.Event()
        threading.Thread(target=ev.wait, daemon=True).start()
        print('ready', flush=True)
        ev.wait()
    """)
    assert code == -signal.SIGINT
    assert err.startswith("Traceback (most recent call last):")
    assert err.endswith("KeyboardInterrupt\n")


def test_exit_waits_for_non_daemon_threads(tmp_path):
    """The end of the main module joins the non-daemon threads (threading._shutdown, as
    Py_FinalizeEx's wait_for_thread_shutdown), then exits with the main code's status."""
    code, out, err = same_as_host("""
        import sys, threading, time
        out = threading.Lock()
        def late(k):
            time.sleep(0.2 + k * 0.1)
            with out:                   # (CPython's print is not atomic either)
                print("late", k, flush=True)
        for k in range(2):
            threading.Thread(target=late, args=(k,)).start()
        threading.Thread(target=time.sleep, args=(60,), daemon=True).start()
        print("main done", flush=True)
        sys.exit(3)
    """, tmp_path)
    assert code == 3 and out.splitlines()[0] == "main done" and len(out.splitlines()) == 3


def test_fork_while_threads_run(tmp_path):
    """os.fork from guest code while another guest thread spins: the child keeps the guest
    lock and runs alone (the other threads' waits are gone, as _PyEval_ReInitThreads)."""
    code, out, err = same_as_host("""
        import os, threading, time
        stop = False
        def spin():
            while not stop:
                pass
        t = threading.Thread(target=spin)
        t.start()
        time.sleep(0.05)
        pid = os.fork()
        if pid == 0:
            total = 0
            for i in range(100000):
                total += i
            print("child", total, flush=True)
            os._exit(0)
        os.waitpid(pid, 0)
        stop = True
        t.join()
        print("parent done")
    """, tmp_path)
    assert (code, out) == (0, "child 4999950000\nparent done\n")
