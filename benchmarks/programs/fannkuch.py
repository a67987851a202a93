"""fannkuch -- the Benchmarks Game fannkuch-redux: pancake flips over all permutations.

List slicing and reversal, integer loops, list index/assignment.
Argument: n (default 7). Prints the checksum and the maximum number of flips.
"""
import sys


def fannkuch(n):
    count = list(range(1, n + 1))
    perm1 = list(range(n))
    perm = list(range(n))
    max_flips = 0
    checksum = 0
    permutation_index = 0
    m = n - 1
    r = n
    while True:
        while r != 1:
            count[r - 1] = r
            r -= 1
        perm[:] = perm1
        flips = 0
        k = perm[0]
        while k:
            perm[:k + 1] = perm[k::-1]
            flips += 1
            k = perm[0]
        max_flips = max(max_flips, flips)
        checksum += flips if permutation_index % 2 == 0 else -flips
        # next permutation in the counting order of the original program
        while r != n:
            perm1.insert(r, perm1.pop(0))
            count[r] -= 1
            if count[r] > 0:
                break
            r += 1
        else:
            return checksum, max_flips
        permutation_index += 1


def main(n):
    checksum, flips = fannkuch(n)
    print(checksum)
    print(f"Pfannkuchen({n}) = {flips}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
