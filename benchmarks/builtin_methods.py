"""Micro benchmark of built-in types' methods as guest code calls them: microseconds per
item (CPU time), under beale and under the host CPython.

    python3 benchmarks/builtin_methods.py [--only beale|cpython] [SCALE]

The operations are the pathological spots found in CPython's test_set and test_unicode:
building sets and frozensets, set algebra on big sets, hashing frozensets, list/set/join
over ranges, generators and map(), a C method of a host base reached through a guest
subclass instance (random.Random.getrandbits). Not a test: numbers depend on the machine
(run it on a quiet one; `process_time` leaves out waiting for a core, not contention).
"""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

GUEST = r'''
import sys, time, itertools, random
SCALE = int(sys.argv[1]) if len(sys.argv) > 1 else 1

def bench(name, fn, n):
    t0 = time.process_time()
    fn()
    print("%s\t%.3f" % (name, (time.process_time() - t0) / n * 1e6))

N = 50000 * SCALE
big = 10 ** 6
l = list(range(big, big + N))
s = set(range(big, big + N))
s2 = set(list(range(big + N // 2, big + N + N // 2)))
tup = (1, 2, 3, 4, 5, 6)
fz = frozenset(range(8))
words = ["ab"] * N
text = " ".join(words)
r = random.Random(1)
class R(random.Random):
    pass
rs = R(1)

def hash_frozensets():
    for i in range(N // 10):
        hash(frozenset(tup))
bench("list(range)", lambda: list(range(N)), N)
bench("list(generator)", lambda: list(i for i in range(N)), N)
bench("set(range)", lambda: set(range(N)), N)
bench("set(list of big ints)", lambda: set(l), N)
bench("set & set", lambda: s & s2, N)
bench("set | set", lambda: s | s2, N)
bench("set - set", lambda: s - s2, N)
bench("set ^ set", lambda: s ^ s2, N)
bench("x in set (equal ints)", lambda: [x in s for x in l], N)
bench("frozenset(6-tuple) + hash", hash_frozensets, N // 10)
bench("hash(frozenset) cached", lambda: [hash(fz) for i in range(N)], N)
bench("str in tuple", lambda: ["S" in ("WS", "B", "S") for i in range(N)], N)
bench("' '.join(list)", lambda: " ".join(words), N)
bench("''.join(map(chr, range))", lambda: "".join(map(chr, range(N))), N)
bench("str.split()", lambda: text.split(), N)
bench("Random.getrandbits", lambda: [r.getrandbits(8) for i in range(N // 10)], N // 10)
bench("subclass.getrandbits", lambda: [rs.getrandbits(8) for i in range(N // 10)], N // 10)
bench("subclass.randrange", lambda: [rs.randrange(20) for i in range(N // 10)], N // 10)
'''


def run(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=1800,
                         env=dict(os.environ, PYTHONPATH=ROOT))
    if out.returncode:
        sys.stderr.write(out.stderr)
        raise SystemExit("benchmark failed: %s" % " ".join(cmd))
    return dict(line.split("\t") for line in out.stdout.splitlines() if "\t" in line)


def main(argv):
    only = None
    if argv[:1] == ["--only"]:
        only, argv = argv[1], argv[2:]
    scale = argv[0] if argv else "1"
    path = os.path.join(ROOT, "benchmarks", ".builtin_methods_guest.py")
    with open(path, "w") as f:
        f.write(GUEST)
    try:
        results = {}
        if only in (None, "cpython"):
            results["cpython"] = run([sys.executable, path, scale])
        if only in (None, "beale"):
            results["beale"] = run([sys.executable, "-m", "runtime", path, scale])
    finally:
        os.unlink(path)
    names = list(next(iter(results.values())))
    print("%-28s %s" % ("us per item (CPU)", "  ".join("%10s" % k for k in results)))
    for name in names:
        print("%-28s %s" % (name, "  ".join("%10s" % results[k][name] for k in results)))


if __name__ == "__main__":
    main(sys.argv[1:])
