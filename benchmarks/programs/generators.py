"""generators -- generator-heavy code: recursive tree walks with yield from, pipelines, send.

Argument: tree depth (default 13). Prints node counts and sums computed three ways.
"""
import sys


class Tree:
    __slots__ = ("left", "value", "right")

    def __init__(self, left, value, right):
        self.left = left
        self.value = value
        self.right = right

    def __iter__(self):
        if self.left is not None:
            yield from self.left
        yield self.value
        if self.right is not None:
            yield from self.right


def build(lo, hi):
    if lo >= hi:
        return None
    mid = (lo + hi) // 2
    return Tree(build(lo, mid), mid, build(mid + 1, hi))


def walk_explicit(tree):
    """In-order walk without yield from (a stack of nodes)."""
    stack = []
    node = tree
    while stack or node is not None:
        while node is not None:
            stack.append(node)
            node = node.left
        node = stack.pop()
        yield node.value
        node = node.right


def evens(values):
    for v in values:
        if v % 2 == 0:
            yield v


def scaled(values, k):
    for v in values:
        yield v * k


def accumulator():
    total = 0
    while True:
        value = yield total
        if value is None:
            return total
        total += value


def main(depth):
    size = 2 ** depth - 1
    tree = build(0, size)
    a = sum(tree)
    b = sum(walk_explicit(tree))
    c = sum(scaled(evens(tree), 3))
    acc = accumulator()
    next(acc)
    last = 0
    for v in walk_explicit(tree):
        last = acc.send(v)
    try:
        acc.send(None)
    except StopIteration as stop:
        final = stop.value
    squares = sum(x * x for x in range(size) if x % 3)
    print(size, a, b, c, last, final, squares)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 13)
