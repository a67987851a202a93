"""unpack_sequence -- tuple and list unpacking in a tight loop (after pyperformance's bm_unpack_sequence).

Argument: number of loop iterations (default 20000). Prints a checksum of the unpacked values.
"""
import sys


def do_unpacking(loops, to_unpack):
    s = 0
    for _ in range(loops):
        a, b, c, d, e, f, g, h, i, j = to_unpack
        s += a + j
        a, b, c, d, e, f, g, h, i, j = to_unpack
        s += b + i
        a, b, c, d, e, f, g, h, i, j = to_unpack
        s += c + h
        a, b, c, d, e, f, g, h, i, j = to_unpack
        s += d + g
        a, b, c, d, e, f, g, h, i, j = to_unpack
        s += e + f
        first, *middle, last = to_unpack
        s += first + last + len(middle)
        (a, b), (c, d) = (to_unpack[0], to_unpack[1]), (to_unpack[2], to_unpack[3])
        s += a * d - b * c
    return s


def swaps(loops):
    a, b, c = 1, 2, 3
    for _ in range(loops):
        a, b = b, a
        a, b, c = c, a, b
        a, b, c = c, b, a
    return a * 100 + b * 10 + c


def main(loops):
    t = tuple(range(10))
    lst = list(range(10, 20))
    print(do_unpacking(loops, t), do_unpacking(loops, lst), swaps(loops))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
