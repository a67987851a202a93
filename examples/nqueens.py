"""nqueens.py -- count and draw N-queens solutions.

Exercises: recursion, sets of ints, generators, bit operations, tuple unpacking,
list comprehensions, str.join.
"""


def solve_backtracking(n):
    """Yield every solution as a tuple of column indices, one per row."""
    cols, diag1, diag2 = set(), set(), set()
    placement = []

    def place(row):
        if row == n:
            yield tuple(placement)
            return
        for col in range(n):
            if col in cols or (row + col) in diag1 or (row - col) in diag2:
                continue
            cols.add(col)
            diag1.add(row + col)
            diag2.add(row - col)
            placement.append(col)
            yield from place(row + 1)
            placement.pop()
            cols.discard(col)
            diag1.discard(row + col)
            diag2.discard(row - col)

    yield from place(0)


def count_bitmask(n):
    """Count solutions with the classic bitmask algorithm."""
    full = (1 << n) - 1

    def go(cols, left, right):
        if cols == full:
            return 1
        total = 0
        free = full & ~(cols | left | right)
        while free:
            bit = free & -free
            free ^= bit
            total += go(cols | bit, ((left | bit) << 1) & full, (right | bit) >> 1)
        return total

    return go(0, 0, 0)


def draw(solution):
    n = len(solution)
    return "\n".join(" ".join("Q" if c == col else "." for c in range(n))
                     for col in solution)


def is_valid(solution):
    n = len(solution)
    for r1 in range(n):
        for r2 in range(r1 + 1, n):
            c1, c2 = solution[r1], solution[r2]
            if c1 == c2 or abs(c1 - c2) == r2 - r1:
                return False
    return True


def canonical(solution):
    """The smallest of the 8 symmetric variants (rotations and reflections)."""
    n = len(solution)
    variants = []
    board = [(r, c) for r, c in enumerate(solution)]
    for _ in range(4):
        board = [(c, n - 1 - r) for r, c in board]
        for b in (board, [(r, n - 1 - c) for r, c in board]):
            cols = [0] * n
            for r, c in b:
                cols[r] = c
            variants.append(tuple(cols))
    return min(variants)


def main():
    for n in range(1, 10):
        solutions = list(solve_backtracking(n))
        unique = {canonical(s) for s in solutions}
        assert all(is_valid(s) for s in solutions)
        assert len(solutions) == count_bitmask(n)
        print(f"n={n}: {len(solutions):4d} solutions, {len(unique):3d} unique")
    first = next(solve_backtracking(8))
    print("first 8-queens solution:", first)
    print(draw(first))
    print("n=10 by bitmask:", count_bitmask(10))
    sample = sorted({canonical(s) for s in solve_backtracking(6)})
    print("unique 6-queens:", sample)


if __name__ == "__main__":
    main()
