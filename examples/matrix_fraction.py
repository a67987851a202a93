"""matrix_fraction.py -- exact rational matrices with operator overloading.

A Fraction class written here (not fractions.Fraction) and a Matrix class over it:
Gaussian elimination, determinant, inverse, solving linear systems exactly.
Exercises: __add__/__sub__/__mul__/__truediv__/__pow__/__neg__/__r*__ methods,
__eq__ across types, __hash__, __bool__, __float__, __int__, __getitem__ with tuple
keys, __matmul__, __iter__, __len__, __format__, big-int arithmetic, math.gcd.
"""
import math


class Fraction:
    __slots__ = ("num", "den")

    def __init__(self, num, den=1):
        if isinstance(num, Fraction):
            num, den = num.num, num.den * den
        if den == 0:
            raise ZeroDivisionError(f"Fraction({num}, 0)")
        if den < 0:
            num, den = -num, -den
        g = math.gcd(num, den)
        self.num = num // g
        self.den = den // g

    @staticmethod
    def coerce(x):
        if isinstance(x, Fraction):
            return x
        if isinstance(x, int):
            return Fraction(x)
        return NotImplemented

    def __add__(self, other):
        other = Fraction.coerce(other)
        if other is NotImplemented:
            return other
        return Fraction(self.num * other.den + other.num * self.den, self.den * other.den)

    __radd__ = __add__

    def __neg__(self):
        return Fraction(-self.num, self.den)

    def __sub__(self, other):
        other = Fraction.coerce(other)
        if other is NotImplemented:
            return other
        return self + (-other)

    def __rsub__(self, other):
        return (-self) + other

    def __mul__(self, other):
        other = Fraction.coerce(other)
        if other is NotImplemented:
            return other
        return Fraction(self.num * other.num, self.den * other.den)

    __rmul__ = __mul__

    def __truediv__(self, other):
        other = Fraction.coerce(other)
        if other is NotImplemented:
            return other
        return Fraction(self.num * other.den, self.den * other.num)

    def __rtruediv__(self, other):
        return Fraction.coerce(other) / self

    def __pow__(self, exponent):
        if not isinstance(exponent, int):
            return NotImplemented
        if exponent >= 0:
            return Fraction(self.num ** exponent, self.den ** exponent)
        return Fraction(self.den ** -exponent, self.num ** -exponent)

    def __abs__(self):
        return Fraction(abs(self.num), self.den)

    def __eq__(self, other):
        other = Fraction.coerce(other)
        if other is NotImplemented:
            return other
        return self.num == other.num and self.den == other.den

    def __lt__(self, other):
        other = Fraction.coerce(other)
        return self.num * other.den < other.num * self.den

    def __hash__(self):
        return hash(self.num) if self.den == 1 else hash((self.num, self.den))

    def __bool__(self):
        return self.num != 0

    def __float__(self):
        return self.num / self.den

    def __int__(self):
        return int(self.num / self.den) if abs(self.num) < 2 ** 52 else self.num // self.den

    def __repr__(self):
        return f"Fraction({self.num}, {self.den})"

    def __str__(self):
        return str(self.num) if self.den == 1 else f"{self.num}/{self.den}"

    def __format__(self, spec):
        return format(str(self), spec)


class Matrix:
    def __init__(self, rows):
        self.rows = [[Fraction(x) for x in row] for row in rows]
        self.n = len(self.rows)
        self.m = len(self.rows[0]) if self.rows else 0
        if any(len(r) != self.m for r in self.rows):
            raise ValueError("ragged matrix")

    @classmethod
    def identity(cls, n):
        return cls([[1 if i == j else 0 for j in range(n)] for i in range(n)])

    def __getitem__(self, key):
        i, j = key
        return self.rows[i][j]

    def __setitem__(self, key, value):
        i, j = key
        self.rows[i][j] = Fraction(value)

    def __len__(self):
        return self.n

    def __iter__(self):
        return iter(self.rows)

    def __eq__(self, other):
        return isinstance(other, Matrix) and self.rows == other.rows

    def __add__(self, other):
        return Matrix([[a + b for a, b in zip(r1, r2)] for r1, r2 in zip(self, other)])

    def __sub__(self, other):
        return Matrix([[a - b for a, b in zip(r1, r2)] for r1, r2 in zip(self, other)])

    def __mul__(self, k):
        return Matrix([[a * k for a in row] for row in self])

    __rmul__ = __mul__

    def __matmul__(self, other):
        if self.m != other.n:
            raise ValueError(f"shape mismatch {self.n}x{self.m} @ {other.n}x{other.m}")
        cols = list(zip(*other.rows))
        return Matrix([[sum((a * b for a, b in zip(row, col)), Fraction(0)) for col in cols]
                       for row in self])

    def __pow__(self, k):
        result = Matrix.identity(self.n)
        base = self
        while k:
            if k & 1:
                result = result @ base
            base = base @ base
            k >>= 1
        return result

    def transpose(self):
        return Matrix([list(col) for col in zip(*self.rows)])

    def _eliminate(self, augment):
        """Gauss-Jordan elimination on [self | augment]; returns (det, reduced augment)."""
        rows = [list(r) + list(a) for r, a in zip(self.rows, augment.rows)]
        n = self.n
        det = Fraction(1)
        for col in range(n):
            pivot = next((r for r in range(col, n) if rows[r][col]), None)
            if pivot is None:
                return Fraction(0), None
            if pivot != col:
                rows[col], rows[pivot] = rows[pivot], rows[col]
                det = -det
            p = rows[col][col]
            det = det * p
            rows[col] = [x / p for x in rows[col]]
            for r in range(n):
                if r != col and rows[r][col]:
                    factor = rows[r][col]
                    rows[r] = [x - factor * y for x, y in zip(rows[r], rows[col])]
        return det, Matrix([row[n:] for row in rows])

    def determinant(self):
        return self._eliminate(Matrix.identity(self.n))[0]

    def inverse(self):
        det, inv = self._eliminate(Matrix.identity(self.n))
        if not det:
            raise ZeroDivisionError("singular matrix")
        return inv

    def solve(self, vector):
        det, sol = self._eliminate(Matrix([[v] for v in vector]))
        if not det:
            raise ZeroDivisionError("singular system")
        return [row[0] for row in sol]

    def __str__(self):
        cells = [[str(x) for x in row] for row in self]
        width = max((len(c) for row in cells for c in row), default=1)
        return "\n".join("[ " + "  ".join(f"{c:>{width}}" for c in row) + " ]" for row in cells)


def hilbert(n):
    return Matrix([[Fraction(1, i + j + 1) for j in range(n)] for i in range(n)])


def main():
    a, b = Fraction(1, 3), Fraction(3, 4)
    print(a + b, a - b, a * b, a / b, -a, a ** 3, b ** -2, 1 - a, 2 / b, abs(-b))
    print(repr(Fraction(6, -8)), Fraction(10, 5) == 2, float(b), int(Fraction(-7, 2)),
          bool(Fraction(0)), sorted([b, a, Fraction(-1, 2), Fraction(2)]))
    print(f"[{a:>6}] [{b:<6}]", hash(Fraction(4, 2)) == hash(2))
    try:
        Fraction(1, 0)
    except ZeroDivisionError as e:
        print("ZeroDivisionError:", e)

    m = Matrix([[2, 1, -1], [-3, -1, 2], [-2, 1, 2]])
    print("m =\n" + str(m))
    print("det(m) =", m.determinant())
    print("solve m x = [8, -11, -3]:", [str(x) for x in m.solve([8, -11, -3])])
    inv = m.inverse()
    print("inverse =\n" + str(inv))
    print("m @ inverse == I:", m @ inv == Matrix.identity(3))
    print("m^5 =\n" + str(m ** 5))
    print("2*m - m == m:", 2 * m - m == m, "transpose twice:", m.transpose().transpose() == m)

    h = hilbert(6)
    hinv = h.inverse()
    print("det(H6) =", h.determinant())
    print("H6^-1 first row:", [str(x) for x in hinv.rows[0]])
    print("H6 @ H6^-1 == I:", h @ hinv == Matrix.identity(6))

    fib = Matrix([[1, 1], [1, 0]]) ** 90
    print("fib(90) via matrix power:", fib[0, 1])

    singular = Matrix([[1, 2], [2, 4]])
    try:
        singular.inverse()
    except ZeroDivisionError as e:
        print("singular:", e)
    try:
        Matrix([[1, 2]]) @ Matrix([[1, 2]])
    except ValueError as e:
        print("ValueError:", e)


if __name__ == "__main__":
    main()
