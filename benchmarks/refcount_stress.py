"""Refcount discipline under stress: a GUEST program (run it with beale) that passes guest
objects through C functions which store, return and drop them, with callbacks that raise in
the middle, then checks every guest object was freed exactly once.

    python3 -m runtime benchmarks/refcount_stress.py [CROSSINGS] [--no-compare] [--no-raise]
    PYTHONMALLOC=debug python3 -X dev -m runtime benchmarks/refcount_stress.py 200000

CROSSINGS defaults to 1,000,000. By default C compares guest instances (heapq calls
Tok.__lt__ back through the type's tp_richcompare slot) and guest callbacks raise while C
holds references (an accumulate callback half-way through, a __lt__ half-way through a heapify).
--no-compare puts (key, seq, token) tuples on the heaps instead, so C only compares ints;
--no-raise leaves out the raising callbacks. Each part can so be checked on its own.

A "crossing" is one guest object handed to one C function (as an argument, as an element of
a container the C function walks, or as a callback argument the C code passes back).

How freeing is checked:
  * every token (instance of a guest class) has a weakref whose callback counts it: the host
    calls the callback from the instance's tp_dealloc (subtype_dealloc ->
    PyObject_ClearWeakRefs), so `freed == created` says each was deallocated, and no
    callback can run twice for one object;
  * a few shared objects (a token, a float, a str, a big int) go through every operation:
    sys.getrefcount of each must be the same after every round (one lost or extra
    incref/decref anywhere shows up immediately, on the object it happened to);
  * under PYTHONMALLOC=debug an object freed twice, or freed by the wrong allocator, is a
    fatal error of the debug allocator (the process aborts), so exit status 0 says none was.
Prints one line per check and "OK" at the end; exits 1 on a failed check.
"""
import _collections
import _heapq
import _operator
import gc
import itertools
import math
import sys
import weakref

_args = [a for a in sys.argv[1:] if not a.startswith("--")]
TARGET = int(_args[0]) if _args else 1000000
COMPARE = "--no-compare" not in sys.argv
RAISE = "--no-raise" not in sys.argv
BATCH = 100

created = 0
freed = 0
refs = {}                      # id(weakref) -> weakref: keeps the weakrefs (and callbacks) alive


def on_free(r):
    global freed
    freed += 1
    del refs[id(r)]


class Tok:
    __slots__ = ("v", "__weakref__")

    def __init__(self, v):
        global created
        self.v = v
        created += 1
        r = weakref.ref(self, on_free)
        refs[id(r)] = r

    def __lt__(self, other):
        return self.v < other.v


class Boom(Exception):
    pass


def raise_at(k):
    """An accumulate callback that raises on its k-th call, while C holds the accumulator."""
    calls = [0]

    def f(a, b):
        calls[0] += 1
        if calls[0] == k:
            raise Boom(a, b)
        return b if a < b else a
    return f


class BadLt(Tok):
    __slots__ = ()

    def __lt__(self, other):
        raise Boom(self)


SHARED_TOK = Tok(-1)
SHARED = [SHARED_TOK, 2.5, "shared string", 2 ** 100]
getters = [_operator.itemgetter(*range(0, BATCH, 7)), _operator.attrgetter("v")]


def one_round(r):
    """Returns the number of crossings made."""
    n = 0
    batch = [Tok((i * 7919 + r) % 1009) for i in range(BATCH)]
    batch.append(SHARED_TOK)
    # _heapq stores pointers in the guest list and calls Tok.__lt__ back from C
    h = []
    if COMPARE:
        for t in batch:
            _heapq.heappush(h, t)
        out = [_heapq.heappop(h) for _ in range(len(h) // 2)]
        _heapq.heapify(batch[:])
    else:
        for i, t in enumerate(batch):
            _heapq.heappush(h, (t.v, i, t))
        out = [_heapq.heappop(h)[2] for _ in range(len(h) // 2)]
        _heapq.heapify([(t.v, i, t) for i, t in enumerate(batch)])
    n += 2 * len(batch) + len(out)
    # accumulate: C holds an accumulator and passes pairs to a guest lambda
    # (the C reduce, _functools.reduce, is hidden from the guest by runtime/importer.py)
    for best in itertools.accumulate(batch, lambda a, b: b if a < b else a):
        pass
    n += len(batch)
    # ... and a callback raising in the middle, with C holding references
    if RAISE:
        try:
            for _ in itertools.accumulate(batch, raise_at(BATCH // 2), initial=SHARED_TOK):
                pass
        except Boom as e:
            assert isinstance(e.args[0], Tok)
        n += BATCH // 2
    # itemgetter builds a C tuple of guest objects; attrgetter reads a slot
    picked = getters[0](batch)
    n += len(picked)
    vals = [getters[1](t) for t in batch]
    n += len(batch)
    # deque stores then drops (maxlen) guest objects; rotate/clear release them
    d = _collections.deque(batch, maxlen=BATCH // 3)
    d.rotate(5)
    d.extend(SHARED)
    d.clear()
    n += len(batch) + len(SHARED)
    # itertools: C iterators returning guest objects, groupby with a guest key function
    chained = list(itertools.chain(batch, SHARED, picked))
    n += len(chained)
    groups = [(k, len(list(g))) for k, g in itertools.groupby(out, key=getters[1])]
    n += len(out)
    pairs = list(itertools.islice(itertools.zip_longest(batch, SHARED), 20))
    n += 20 + len(SHARED)
    # a heap with a comparison that raises half-way through heapify
    if COMPARE and RAISE:
        bad = batch[:30] + [BadLt(0)] + batch[30:60]
        try:
            _heapq.heapify(bad)
        except Boom:
            pass
        n += len(bad)
    else:
        bad = None
    # floats into C
    s = math.fsum([t.v * 0.5 for t in batch] + [SHARED[1]])
    n += len(batch) + 1
    del batch, h, out, best, picked, vals, d, chained, groups, pairs, bad, s
    return n


def counts():
    return [sys.getrefcount(o) for o in SHARED]


def main():
    # one warm-up round first: caches the interpreter may keep (a LOAD_GLOBAL site cache
    # holding the value last loaded, say) are filled before the base counts are taken
    crossings = one_round(0)
    rounds = 1
    gc.collect()
    base = counts()
    failures = []
    while crossings < TARGET:
        crossings += one_round(rounds)
        rounds += 1
        if rounds % 50 == 0 or crossings >= TARGET:
            now = counts()
            if now != base:
                failures.append("round %d: shared refcounts %s, expected %s" % (rounds, now, base))
                break
    gc.collect()
    print("crossings", crossings, "rounds", rounds, "compare", COMPARE, "raise", RAISE)
    print("created", created, "freed", freed, "still referenced", len(refs))
    print("shared refcounts", counts() == base)
    if created - 1 != freed:            # SHARED_TOK is alive on purpose
        failures.append("created %d tokens, %d freed (1 is kept)" % (created, freed))
    if len(refs) != 1:
        failures.append("%d weakrefs still have a live referent" % len(refs))
    for f in failures:
        print("FAIL", f)
    if failures:
        sys.exit(1)
    print("OK")


main()
