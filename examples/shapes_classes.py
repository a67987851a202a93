"""shapes_classes.py -- a small class hierarchy with properties and dunder methods.

Exercises: inheritance and super(), abstract-ish base methods, @property with
setters and validation, __add__/__radd__/__eq__/__hash__/__repr__/__str__/__lt__,
functools.total_ordering, sorting by __lt__ and by key, instances as dict keys,
class attributes and classmethods/staticmethods, __init_subclass__ registry.
"""
import functools


class Vector:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __add__(self, other):
        if not isinstance(other, Vector):
            return NotImplemented
        return Vector(self.x + other.x, self.y + other.y)

    def __radd__(self, other):
        if other == 0:           # lets sum() start from 0
            return self
        return NotImplemented

    def __sub__(self, other):
        return Vector(self.x - other.x, self.y - other.y)

    def __mul__(self, k):
        return Vector(self.x * k, self.y * k)

    __rmul__ = __mul__

    def __neg__(self):
        return Vector(-self.x, -self.y)

    def __abs__(self):
        return (self.x ** 2 + self.y ** 2) ** 0.5

    def __eq__(self, other):
        return isinstance(other, Vector) and (self.x, self.y) == (other.x, other.y)

    def __hash__(self):
        return hash((self.x, self.y))

    def __iter__(self):
        yield self.x
        yield self.y

    def __repr__(self):
        return f"Vector({self.x!r}, {self.y!r})"


@functools.total_ordering
class Shape:
    registry = {}
    count = 0

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        Shape.registry[cls.__name__.lower()] = cls

    def __init__(self, name, origin=Vector(0, 0)):
        self.name = name
        self.origin = origin
        Shape.count += 1

    @property
    def area(self):
        raise NotImplementedError(type(self).__name__ + ".area")

    @property
    def perimeter(self):
        raise NotImplementedError

    def __lt__(self, other):
        if not isinstance(other, Shape):
            return NotImplemented
        return (self.area, self.name) < (other.area, other.name)

    def __eq__(self, other):
        if not isinstance(other, Shape):
            return NotImplemented
        return type(self) is type(other) and self.key() == other.key()

    def __hash__(self):
        return hash((type(self).__name__,) + self.key())

    def key(self):
        return (self.name,)

    def __repr__(self):
        return f"<{type(self).__name__} {self.name} area={self.area:.2f}>"

    def __str__(self):
        return f"{self.name}: area {self.area:.3f}, perimeter {self.perimeter:.3f}"

    @classmethod
    def create(cls, kind, *args):
        return cls.registry[kind](*args)


class Rectangle(Shape):
    def __init__(self, name, width, height, origin=Vector(0, 0)):
        super().__init__(name, origin)
        self.width = width
        self.height = height

    @property
    def width(self):
        return self._width

    @width.setter
    def width(self, value):
        if value <= 0:
            raise ValueError(f"width must be positive, got {value}")
        self._width = value

    @property
    def height(self):
        return self._height

    @height.setter
    def height(self, value):
        if value <= 0:
            raise ValueError(f"height must be positive, got {value}")
        self._height = value

    @property
    def area(self):
        return self.width * self.height

    @property
    def perimeter(self):
        return 2 * (self.width + self.height)

    def key(self):
        return (self.name, self.width, self.height)

    def __add__(self, other):
        """Two rectangles side by side make a wider one."""
        if isinstance(other, Rectangle) and other.height == self.height:
            return Rectangle(self.name + "+" + other.name, self.width + other.width, self.height)
        return NotImplemented


class Square(Rectangle):
    def __init__(self, name, side, origin=Vector(0, 0)):
        super().__init__(name, side, side, origin)

    @staticmethod
    def unit():
        return Square("unit", 1)


class Circle(Shape):
    PI = 3.141592653589793

    def __init__(self, name, radius, origin=Vector(0, 0)):
        super().__init__(name, origin)
        self.radius = radius

    @property
    def area(self):
        return self.PI * self.radius ** 2

    @property
    def perimeter(self):
        return 2 * self.PI * self.radius

    @property
    def diameter(self):
        return 2 * self.radius

    @diameter.setter
    def diameter(self, value):
        self.radius = value / 2

    def key(self):
        return (self.name, self.radius)


class Triangle(Shape):
    def __init__(self, name, a, b, c):
        super().__init__(name)
        if a + b <= c or a + c <= b or b + c <= a:
            raise ValueError(f"impossible triangle {a}, {b}, {c}")
        self.sides = (a, b, c)

    @property
    def perimeter(self):
        return sum(self.sides)

    @property
    def area(self):
        a, b, c = self.sides
        s = self.perimeter / 2
        return (s * (s - a) * (s - b) * (s - c)) ** 0.5

    def key(self):
        return (self.name,) + tuple(sorted(self.sides))


def main():
    v = Vector(1, 2) + Vector(3, 4)
    print(v, -v, v * 2, 3 * v, abs(Vector(3, 4)), sum([Vector(1, 1), Vector(2, 2)]))
    x, y = v
    print("unpacked:", x, y, "equal:", v == Vector(4, 6), "hash equal:",
          hash(v) == hash(Vector(4, 6)))
    try:
        Vector(1, 1) + 5
    except TypeError as e:
        print("TypeError:", e)
    try:
        v.z = 3
    except AttributeError as e:
        print("AttributeError: slots prevent new attribute")

    shapes = [
        Rectangle("door", 1, 2),
        Square("tile", 3),
        Circle("coin", 1),
        Triangle("roof", 3, 4, 5),
        Shape.create("circle", "plate", 2),
        Shape.create("square", "box", 2),
        Square.unit(),
    ]
    for s in shapes:
        print(s)
    print("sorted:", sorted(shapes))
    print("by perimeter:", [s.name for s in sorted(shapes, key=lambda s: s.perimeter, reverse=True)])
    print("max:", max(shapes).name, "min:", min(shapes).name)
    print("tile <= box:", shapes[1] <= shapes[5], "tile > coin:", shapes[1] > shapes[2])
    print("registry:", sorted(Shape.registry))
    print("instances created:", Shape.count)

    c = shapes[2]
    c.diameter = 10
    print("circle radius after diameter=10:", c.radius, f"area={c.area:.1f}")
    r = shapes[0]
    r.width = 4
    print("door:", r.key(), r.area)
    for bad in (lambda: setattr(r, "height", -1), lambda: Triangle("bad", 1, 1, 5),
                lambda: Shape("abstract").area):
        try:
            bad()
        except (ValueError, NotImplementedError) as e:
            print(type(e).__name__ + ":", e)

    wide = Rectangle("a", 2, 3) + Rectangle("b", 5, 3)
    print("combined:", repr(wide), wide.key())
    print("isinstance:", isinstance(shapes[1], Rectangle), issubclass(Square, Shape),
          [cls.__name__ for cls in Square.__mro__])

    seen = {}
    for s in [Square("t", 2), Square("t", 2), Rectangle("t", 2, 2), Circle("t", 2)]:
        seen[s] = seen.get(s, 0) + 1
    print("distinct shapes as keys:", sorted((type(k).__name__, n) for k, n in seen.items()))


if __name__ == "__main__":
    main()
