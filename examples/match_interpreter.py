"""match_interpreter.py -- structural pattern matching: shapes and a tiny AST interpreter.

Exercises every kind of pattern of the match statement: literal, capture, wildcard,
value (dotted names), sequence (with *rest), mapping (with **rest), class patterns with
positional (__match_args__) and keyword sub-patterns, OR patterns, AS patterns and guards.
"""
import math
from dataclasses import dataclass


class Color:
    RED = "red"
    GREEN = "green"
    BLUE = "blue"


class Point:
    __match_args__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __repr__(self):
        return f"Point({self.x}, {self.y})"


@dataclass
class Circle:
    center: Point
    radius: float


@dataclass
class Rect:
    corner: Point
    width: float
    height: float


@dataclass
class Polygon:
    points: list


def area(shape):
    match shape:
        case Circle(radius=r) if r < 0:
            raise ValueError("negative radius")
        case Circle(_, r):
            return math.pi * r * r
        case Rect(_, w, h) if w == h:
            return w * w
        case Rect(width=w, height=h):
            return w * h
        case Polygon(points=[_, _]) | Polygon(points=[_]) | Polygon(points=[]):
            return 0.0
        case Polygon(points=[Point(x0, y0), *rest]):
            pts = [(x0, y0)] + [(p.x, p.y) for p in rest]
            s = 0
            for (xa, ya), (xb, yb) in zip(pts, pts[1:] + pts[:1]):
                s += xa * yb - xb * ya
            return abs(s) / 2
        case _:
            raise TypeError(f"not a shape: {shape!r}")


def describe_point(p):
    match p:
        case Point(0, 0):
            return "origin"
        case Point(0, y):
            return f"on the y axis at {y}"
        case Point(x, 0):
            return f"on the x axis at {x}"
        case Point(x, y) if x == y:
            return f"on the diagonal at {x}"
        case Point():
            return f"somewhere else {p}"
        case (x, y):
            return f"a tuple point ({x}, {y})"
        case _:
            return "not a point"


def describe(value):
    match value:
        case None:
            return "nothing"
        case True | False as flag:
            return f"a bool {flag}"
        case 0:
            return "zero"
        case int(n) if n < 0:
            return "a negative int"
        case int() | float() as number:
            return f"the number {number}"
        case "":
            return "an empty string"
        case str(s):
            return f"the string {s!r} of length {len(s)}"
        case Color.RED | Color.GREEN:
            return "unreachable: strs matched above"
        case []:
            return "an empty list"
        case [x]:
            return f"a one-element sequence of {describe(x)}"
        case [first, *_, last] if first == last:
            return f"a sequence starting and ending with {first!r}"
        case (a, b, *rest):
            return f"a sequence of {2 + len(rest)} starting {a!r}, {b!r}"
        case {"type": "user", "name": str(name), **extra}:
            return f"user {name} with extra keys {sorted(extra)}"
        case {"type": kind}:
            return f"a record of type {kind}"
        case {}:
            return "a mapping"
        case _:
            return f"something of type {type(value).__name__}"


def paint(color):
    match color:
        case Color.RED:
            return "stop"
        case Color.GREEN:
            return "go"
        case Color.BLUE as c:
            return f"calm {c}"
        case other:
            return f"unknown colour {other}"


# ---- a tiny expression language as nested tuples/lists, evaluated by match ----

def evaluate(node, env):
    match node:
        case int() | float():
            return node
        case str(name):
            try:
                return env[name]
            except KeyError:
                raise NameError(f"unbound {name}") from None
        case ["+", *args]:
            return sum(evaluate(a, env) for a in args)
        case ["*", *args]:
            result = 1
            for a in args:
                result *= evaluate(a, env)
            return result
        case ["-", x]:
            return -evaluate(x, env)
        case ["-", x, y]:
            return evaluate(x, env) - evaluate(y, env)
        case ["/", x, y]:
            return evaluate(x, env) / evaluate(y, env)
        case ["<", x, y]:
            return evaluate(x, env) < evaluate(y, env)
        case ["if", cond, then, otherwise]:
            return evaluate(then if evaluate(cond, env) else otherwise, env)
        case ["let", [str(name), value], body]:
            return evaluate(body, {**env, name: evaluate(value, env)})
        case ["lambda", [*params], body]:
            return ("closure", params, body, env)
        case ["call", fn, *args]:
            match evaluate(fn, env):
                case ("closure", params, body, closure_env) if len(params) == len(args):
                    values = [evaluate(a, env) for a in args]
                    return evaluate(body, {**closure_env, **dict(zip(params, values))})
                case ("closure", params, *_):
                    raise TypeError(f"expected {len(params)} arguments, got {len(args)}")
                case other:
                    raise TypeError(f"not callable: {other!r}")
        case {"op": op, "args": [*args]}:
            return evaluate([op, *args], env)
        case _:
            raise SyntaxError(f"bad node {node!r}")


PROGRAMS = [
    ["+", 1, 2, ["*", 3, 4]],
    ["let", ["x", 5], ["*", "x", ["-", "x", 1]]],
    ["if", ["<", 1, 2], "yes", "no"],
    {"op": "+", "args": [10, {"op": "*", "args": [2, 3]}]},
    ["let", ["sq", ["lambda", ["n"], ["*", "n", "n"]]], ["call", "sq", 12]],
    ["let", ["add", ["lambda", ["a", "b"], ["+", "a", "b"]]], ["call", "add", 1]],
    ["/", 1, 4],
    ["call", 3, 4],
    ["unknown", 1],
    "missing",
]


def main():
    shapes = [Circle(Point(0, 0), 1), Rect(Point(1, 1), 2, 3), Rect(Point(0, 0), 4, 4),
              Polygon([Point(0, 0), Point(4, 0), Point(4, 3)]), Polygon([Point(0, 0)]),
              Circle(Point(0, 0), -1), "hexagon"]
    for shape in shapes:
        try:
            print(f"area of {shape!r}: {area(shape):.4f}")
        except (ValueError, TypeError) as e:
            print(f"error for {shape!r}: {type(e).__name__}: {e}")

    for p in [Point(0, 0), Point(0, 5), Point(3, 0), Point(2, 2), Point(1, 2), (7, 8), "p"]:
        print(f"{p!r}: {describe_point(p)}")

    values = [None, True, 0, -3, 42, 2.5, "", "hello", [], [7], [1, 2, 1], (1, 2, 3, 4),
              {"type": "user", "name": "ada", "age": 36, "admin": True},
              {"type": "order"}, {"x": 1}, {1, 2}, b"bytes"]
    for v in values:
        print(f"{v!r:<55} -> {describe(v)}")

    print([paint(c) for c in (Color.RED, Color.GREEN, Color.BLUE, "mauve")])

    for program in PROGRAMS:
        try:
            print(f"{program!r} => {evaluate(program, {'yes': 'Y', 'no': 'N'})!r}")
        except (NameError, TypeError, SyntaxError) as e:
            print(f"{program!r} => {type(e).__name__}: {e}")


if __name__ == "__main__":
    main()
