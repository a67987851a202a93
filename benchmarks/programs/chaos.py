"""chaos -- the chaos game: iterated function systems drawn into a grid (after pyperformance's bm_chaos).

The original draws a fractal through splines; this version keeps its character (a
GVector-like point class, weighted random choice among affine transforms, clipping into
a pixel grid) with a linear congruential generator written here, so every interpreter
draws the same picture.
Argument: number of points per fractal (default 6000). Prints counts and a checksum.
"""
import sys


class GVector:
    __slots__ = ("x", "y")

    def __init__(self, x=0.0, y=0.0):
        self.x = x
        self.y = y

    def __add__(self, other):
        return GVector(self.x + other.x, self.y + other.y)

    def __mul__(self, k):
        return GVector(self.x * k, self.y * k)

    def linear_combination(self, other, l1, l2=None):
        if l2 is None:
            l2 = 1 - l1
        return GVector(self.x * l1 + other.x * l2, self.y * l1 + other.y * l2)


class Random:
    """Park-Miller minimal standard generator."""

    def __init__(self, seed):
        self.state = seed

    def random(self):
        self.state = (self.state * 16807) % 2147483647
        return self.state / 2147483647


class Affine:
    def __init__(self, a, b, c, d, e, f, weight):
        self.a, self.b, self.c, self.d, self.e, self.f = a, b, c, d, e, f
        self.weight = weight

    def apply(self, p):
        return GVector(self.a * p.x + self.b * p.y + self.e, self.c * p.x + self.d * p.y + self.f)


FERN = [Affine(0.0, 0.0, 0.0, 0.16, 0.0, 0.0, 0.01),
        Affine(0.85, 0.04, -0.04, 0.85, 0.0, 1.6, 0.85),
        Affine(0.2, -0.26, 0.23, 0.22, 0.0, 1.6, 0.07),
        Affine(-0.15, 0.28, 0.26, 0.24, 0.0, 0.44, 0.07)]

TRIANGLE = [GVector(0.0, 0.0), GVector(1.0, 0.0), GVector(0.5, 0.866)]


class Chaosgame:
    def __init__(self, transforms, width, height, seed):
        self.transforms = transforms
        total = sum(t.weight for t in transforms)
        self.cumulative = []
        running = 0.0
        for t in transforms:
            running += t.weight / total
            self.cumulative.append(running)
        self.rng = Random(seed)
        self.width = width
        self.height = height
        self.grid = [[0] * width for _ in range(height)]

    def choose(self):
        r = self.rng.random()
        for transform, limit in zip(self.transforms, self.cumulative):
            if r <= limit:
                return transform
        return self.transforms[-1]

    def plot(self, p, minx, maxx, miny, maxy):
        x = int((p.x - minx) / (maxx - minx) * (self.width - 1))
        y = int((maxy - p.y) / (maxy - miny) * (self.height - 1))
        if 0 <= x < self.width and 0 <= y < self.height:
            self.grid[y][x] += 1
            return True
        return False

    def run_fern(self, n):
        p = GVector()
        plotted = 0
        for i in range(n):
            p = self.choose().apply(p)
            if i > 20 and self.plot(p, -2.2, 2.7, 0.0, 10.0):
                plotted += 1
        return plotted

    def run_triangle(self, n):
        p = GVector(0.3, 0.3)
        plotted = 0
        for _ in range(n):
            corner = TRIANGLE[int(self.rng.random() * 3) % 3]
            p = p.linear_combination(corner, 0.5)
            if self.plot(p, 0.0, 1.0, 0.0, 0.866):
                plotted += 1
        return plotted

    def checksum(self):
        h = 0
        for row in self.grid:
            for v in row:
                h = (h * 31 + v) % 1000000007
        return h


def main(n):
    fern = Chaosgame(FERN, 40, 60, seed=1234)
    plotted = fern.run_fern(n)
    tri = Chaosgame([Affine(1, 0, 0, 1, 0, 0, 1)], 48, 40, seed=99)
    plotted_tri = tri.run_triangle(n)
    filled = sum(1 for row in fern.grid for v in row if v)
    print(plotted, filled, fern.checksum(), plotted_tri, tri.checksum())
    for row in tri.grid[::4]:
        print("".join("#" if v else "." for v in row[::2]))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 6000)
