"""metaclasses.py -- the class machinery: metaclasses, ABCs, MRO, super(), dir() and introspection.

Exercises: a metaclass with __prepare__/__new__/__call__, class keyword arguments,
__init_subclass__, abc.ABC with abstract methods and properties, cooperative multiple
inheritance with super() and the C3 MRO, type() with three arguments, dir() of classes
and instances, __class_getitem__, __getattr__/__getattribute__/__setattr__ hooks,
__slots__, vars(), getattr with defaults, callable instances, isinstance of virtual subclasses.
"""
import abc


class OrderedMeta(type):
    """Records the order of the class body and counts instances created through it."""

    @classmethod
    def __prepare__(mcls, name, bases, **kwargs):
        return {"_order": []}

    def __new__(mcls, name, bases, namespace, **kwargs):
        namespace["_order"] = [k for k in namespace if not k.startswith("_")]
        cls = super().__new__(mcls, name, bases, namespace)
        cls.table = kwargs.get("table", name.lower())
        return cls

    def __init__(cls, name, bases, namespace, **kwargs):
        super().__init__(name, bases, namespace)
        cls.instances = 0

    def __call__(cls, *args, **kwargs):
        instance = super().__call__(*args, **kwargs)
        cls.instances += 1
        return instance


class Model(metaclass=OrderedMeta):
    def __init__(self, **fields):
        for key, value in fields.items():
            setattr(self, key, value)


class User(Model, table="users"):
    name = "?"
    email = "?"

    def greet(self):
        return f"hi {self.name}"


class Shape(abc.ABC):
    @abc.abstractmethod
    def area(self):
        ...

    @property
    @abc.abstractmethod
    def sides(self):
        ...

    def describe(self):
        return f"{type(self).__name__} with {self.sides} sides and area {self.area():.1f}"


class Square(Shape):
    def __init__(self, side):
        self.side = side

    def area(self):
        return self.side ** 2

    @property
    def sides(self):
        return 4


class Plugin:
    registry = []

    def __init_subclass__(cls, /, priority=0, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.priority = priority
        Plugin.registry.append(cls)


class Low(Plugin, priority=1):
    pass


class High(Plugin, priority=10):
    pass


class Base:
    def hello(self):
        return ["Base"]


class Left(Base):
    def hello(self):
        return ["Left"] + super().hello()


class Right(Base):
    def hello(self):
        return ["Right"] + super().hello()


class Diamond(Left, Right):
    def hello(self):
        return ["Diamond"] + super().hello()


class Record:
    """Attribute hooks: unknown attributes come from a dict, writes are logged."""

    def __init__(self, data):
        object.__setattr__(self, "_data", dict(data))
        object.__setattr__(self, "_log", [])

    def __getattr__(self, name):
        try:
            return self._data[name]
        except KeyError:
            raise AttributeError(f"no field {name!r}") from None

    def __setattr__(self, name, value):
        self._log.append(name)
        self._data[name] = value

    def __dir__(self):
        return sorted(self._data)


class Typed:
    def __class_getitem__(cls, item):
        return f"{cls.__name__}[{getattr(item, '__name__', item)}]"


class Point:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x, self.y = x, y


class Multiplier:
    def __init__(self, k):
        self.k = k

    def __call__(self, x):
        return self.k * x


class Sized(abc.ABC):
    @classmethod
    def __subclasshook__(cls, C):
        if any("__len__" in B.__dict__ for B in C.__mro__):
            return True
        return NotImplemented


def public(names):
    return [n for n in names if not n.startswith("_")]


def main():
    u = User(name="ada", email="ada@example.org")
    User(name="bob")
    print("body order:", User._order, "table:", User.table, "instances:", User.instances)
    print("metaclass:", type(User).__name__, type(Model).__name__, isinstance(User, OrderedMeta))
    print("greet:", u.greet(), "vars:", sorted(vars(u).items()))
    print("dir(User) public:", public(dir(User)))
    print("dir(u) has greet and name:", "greet" in dir(u), "name" in dir(u))

    try:
        Shape()
    except TypeError as e:
        print("TypeError:", e)
    print(Square(3).describe(), "| abstract methods:", sorted(Shape.__abstractmethods__))

    print("plugins:", [(p.__name__, p.priority) for p in sorted(Plugin.registry, key=lambda p: -p.priority)])
    print("diamond:", Diamond().hello())
    print("mro:", [c.__name__ for c in Diamond.__mro__])

    Dynamic = type("Dynamic", (Left,), {"extra": 42, "hello": lambda self: ["Dynamic"] + super(Dynamic, self).hello()})
    d = Dynamic()
    print("type():", Dynamic.__name__, d.extra, d.hello(), [c.__name__ for c in Dynamic.__bases__])

    r = Record({"a": 1})
    r.b = 2
    print("record:", r.a, r.b, getattr(r, "c", "default"), dir(r), r._log)
    try:
        r.missing
    except AttributeError as e:
        print("AttributeError:", e)

    print("class_getitem:", Typed[int], Typed["x"])
    p = Point(1, 2)
    try:
        p.z = 3
    except AttributeError:
        print("slots: no attribute z;", "has __dict__:", hasattr(p, "__dict__"), "slots:", Point.__slots__)
    triple = Multiplier(3)
    print("callable:", callable(triple), triple(14), list(map(triple, [1, 2])))
    print("virtual subclass:", issubclass(list, Sized), isinstance("abc", Sized), isinstance(3, Sized))
    print("qualnames:", Diamond.hello.__qualname__, User.greet.__qualname__, main.__qualname__)
    print("class attrs:", User.__name__, User.__module__, User.__bases__[0].__name__,
          sorted(k for k in User.__dict__ if not k.startswith("__")))


if __name__ == "__main__":
    main()
