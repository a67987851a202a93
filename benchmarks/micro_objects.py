"""Micro benchmark of the object core's hot paths: prints nanoseconds per operation.

    python benchmarks/micro_objects.py [N]

Not a test: numbers depend on the machine. Compare against the host doing the same
(e.g. `float(x)` allocation) to see the cost of building structs from Python.
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from runtime import object as o                       # noqa: E402
from runtime.intobject import new_int, int_typedef    # noqa: E402
from runtime.floatobject import new_float, float_typedef  # noqa: E402
from runtime.unicodeobject import new_str, str_hash   # noqa: E402
from runtime.bytesobject import new_bytes             # noqa: E402


def bench(label, fn, n):
    t0 = time.perf_counter()
    fn(n)
    dt = time.perf_counter() - t0
    print("%-40s %8.1f ns/op" % (label, dt / n * 1e9))


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200000

    def host_float(n):
        x = 0.5
        for i in range(n):
            float(x + i)

    def guest_float(n):
        for i in range(n):
            new_float(i + 0.5)

    def guest_int_small(n):
        for i in range(n):
            new_int(i & 127)

    def guest_int(n):
        for i in range(n):
            new_int(i + 1000)

    def guest_bigint(n):
        for i in range(n):
            new_int(i + (1 << 100))

    def guest_str(n):
        for i in range(n):
            new_str("abcdefgh")

    def guest_str_ucs2(n):
        for i in range(n):
            new_str("abc\u20acdefgh")

    def guest_bytes(n):
        for i in range(n):
            new_bytes(b"abcdefgh")

    w_a = new_int(123456)
    w_f = new_float(1.5)
    w_s = new_str("hello world")

    def wrap_int(n):
        a = w_a.addr
        for i in range(n):
            o.wrap(a)

    def incref_decref(n):
        a = w_a.addr
        for i in range(n):
            o.incref(a)
            o.decref(a)

    add = int_typedef.methods["__add__"]
    fadd = float_typedef.methods["__add__"]

    def int_add(n):
        for i in range(n):
            add(w_a, w_a)

    def float_add(n):
        for i in range(n):
            fadd(w_f, w_f)

    def hash_str(n):
        for i in range(n):
            str_hash(w_s)

    bench("host float() allocation", host_float, n)
    bench("new_float", guest_float, n)
    bench("new_int small (cache)", guest_int_small, n)
    bench("new_int 1 digit", guest_int, n)
    bench("new_int 4 digits", guest_bigint, n)
    bench("new_str ascii (8)", guest_str, n)
    bench("new_str ucs2 (9)", guest_str_ucs2, n)
    bench("new_bytes (8)", guest_bytes, n)
    bench("wrap(int addr)", wrap_int, n)
    bench("incref+decref", incref_decref, n)
    bench("int.__add__ (non-small result)", int_add, n)
    bench("float.__add__", float_add, n)
    bench("str_hash (cached)", hash_str, n)


if __name__ == "__main__":
    main()
