"""Memory behaviour of the scalar objects (issue 3, acceptance 4). Not a test.

    python benchmarks/memory.py [N]          (default N = 10,000,000)

1. Creating and dropping N guest ints and N guest floats in a loop must keep RSS flat:
   every struct beale allocates is freed by the host's deallocator when its handle dies.
   Prints RSS before/after each loop and the ratio.
2. Bytes per object, guest vs host: the struct itself is the same size as the host's
   (sys.getsizeof of the host's view); while the interpreter holds an object it also
   pays for the handle (a small host object with __slots__ addr/ref/v).
"""

import gc
import os
import sys
import time
import tracemalloc

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import _ctypes                                        # noqa: E402

from runtime.intobject import new_int                 # noqa: E402
from runtime.floatobject import new_float             # noqa: E402
from runtime.unicodeobject import new_str             # noqa: E402
from runtime.bytesobject import new_bytes             # noqa: E402


def rss_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def churn(label, make, n):
    gc.collect()
    before = rss_kb()
    t0 = time.perf_counter()
    for i in range(n):
        make(i)
    dt = time.perf_counter() - t0
    gc.collect()
    after = rss_kb()
    print("%-28s n=%d  RSS before %7d kB  after %7d kB  ratio %.3f  (%.0f ns/object)"
          % (label, n, before, after, after / before, dt / n * 1e9))
    return after / before


def per_object(label, make, host_value, count=100000):
    """Bytes per live object, measured with tracemalloc (which sees every PyObject_Malloc,
    beale's included): guest objects held through handles in a host list, and host
    objects of the same values held in a host list."""
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    held = [make(i) for i in range(count)]
    guest = (tracemalloc.get_traced_memory()[0] - base) / count
    struct_size = sys.getsizeof(_ctypes.PyObj_FromPtr(held[0].addr))
    handle_size = sys.getsizeof(held[0])
    del held
    gc.collect()
    base = tracemalloc.get_traced_memory()[0]
    held = [host_value(i) for i in range(count)]
    hostb = (tracemalloc.get_traced_memory()[0] - base) / count
    del held
    tracemalloc.stop()
    print("%-9s struct %3d B (= host's)  handle %3d B   guest %6.1f B/object   host %6.1f "
          "B/object   ratio %.2f" % (label, struct_size, handle_size, guest, hostb,
                                     guest / hostb))


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    r1 = churn("guest ints (1000 + i)", lambda i: new_int(i + 1000), n)
    r2 = churn("guest floats (i + 0.5)", lambda i: new_float(i + 0.5), n)
    print("RSS flat: %s" % ("yes" if max(r1, r2) < 1.05 else "NO"))
    print()
    per_object("int", lambda i: new_int(i + 1000), lambda i: int(str(i + 1000)))
    per_object("float", lambda i: new_float(i + 0.5), lambda i: i + 0.5)
    per_object("str(8)", lambda i: new_str("%08d" % i), lambda i: "%08d" % i)
    per_object("bytes(8)", lambda i: new_bytes(b"%08d" % i), lambda i: b"%08d" % i)


if __name__ == "__main__":
    main()
