"""closures_decorators.py -- closures, nonlocal, decorators with and without arguments.

Exercises: closures over loop variables (and the late-binding trap), nonlocal and global,
function attributes, functools.wraps/lru_cache/partial/reduce/singledispatch,
decorators with arguments, class decorators, decorators implemented as classes
(__call__), stacked decorators (application order), property-like descriptors
(__get__/__set__/__set_name__), contextlib.contextmanager, lambda defaults, *args/**kwargs.
"""
import contextlib
import functools

CALL_LOG = []
counter_global = 0


def make_counter(start=0, step=1):
    count = start

    def increment():
        nonlocal count
        count += step
        return count

    def reset():
        nonlocal count
        count = start

    increment.reset = reset
    return increment


def bump_global():
    global counter_global
    counter_global += 1
    return counter_global


def logged(func):
    """Record every call and its result in CALL_LOG."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in sorted(kwargs.items())]
        result = func(*args, **kwargs)
        CALL_LOG.append(f"{func.__name__}({', '.join(parts)}) -> {result!r}")
        return result
    return wrapper


def repeat(times):
    """A decorator factory: call the function `times` times, return all results."""
    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            return [func(*args, **kwargs) for _ in range(times)]
        wrapper.times = times
        return wrapper
    return decorator


def validate(**checks):
    def decorator(func):
        names = func.__code__.co_varnames[:func.__code__.co_argcount]

        @functools.wraps(func)
        def wrapper(*args):
            for name, arg in zip(names, args):
                check = checks.get(name)
                if check is not None and not check(arg):
                    raise ValueError(f"{func.__name__}: bad {name}={arg!r}")
            return func(*args)
        return wrapper
    return decorator


def tag(label):
    def decorator(func):
        def wrapper(*args):
            return f"<{label}>{func(*args)}</{label}>"
        return wrapper
    return decorator


class CountCalls:
    """A decorator implemented as a class."""

    def __init__(self, func):
        functools.update_wrapper(self, func)
        self.func = func
        self.calls = 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.func(*args, **kwargs)


def singleton(cls):
    instances = {}

    @functools.wraps(cls, updated=())
    def get(*args, **kwargs):
        if cls not in instances:
            instances[cls] = cls(*args, **kwargs)
        return instances[cls]
    return get


class Positive:
    """A data descriptor validating an attribute; __set_name__ learns its name."""

    def __set_name__(self, owner, name):
        self.private = "_" + name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return getattr(obj, self.private)

    def __set__(self, obj, value):
        if value <= 0:
            raise ValueError(f"{self.private[1:]} must be positive")
        setattr(obj, self.private, value)


@singleton
class Config:
    def __init__(self, name="default"):
        self.name = name


class Order:
    quantity = Positive()
    price = Positive()

    def __init__(self, quantity, price):
        self.quantity = quantity
        self.price = price

    @property
    def total(self):
        return self.quantity * self.price


@logged
def add(a, b=0):
    """Add two numbers."""
    return a + b


@repeat(3)
def roll(counter):
    return counter()


@validate(n=lambda n: isinstance(n, int) and n >= 0)
def factorial(n):
    return functools.reduce(lambda acc, k: acc * k, range(1, n + 1), 1)


@tag("b")
@tag("i")
def text(s):
    return s


@CountCalls
def square(x):
    return x * x


@functools.lru_cache(maxsize=None)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


@functools.singledispatch
def describe(value):
    return f"object {value!r}"


@describe.register
def _(value: int):
    return f"int {value}"


@describe.register(list)
def _(value):
    return f"list of {len(value)}"


@contextlib.contextmanager
def indented(log, level):
    log.append(">" * level + " enter")
    try:
        yield level * 2
    finally:
        log.append("<" * level + " exit")


def main():
    c = make_counter(10, 5)
    print("counter:", c(), c(), c())
    c.reset()
    print("after reset:", c(), "closure cells:", [cell.cell_contents for cell in c.__closure__])
    print("global bump:", bump_global(), bump_global(), counter_global)

    late = [lambda: i for i in range(3)]
    early = [lambda i=i: i for i in range(3)]
    print("late binding:", [f() for f in late], "default binding:", [f() for f in early])

    def make_adders():
        return [functools.partial(lambda k, x: k + x, k) for k in range(3)]
    print("partials:", [f(10) for f in make_adders()])

    print("add:", add(1, 2), add(5), add(a=3, b=4), add.__name__, add.__doc__, add.__wrapped__(1, 1))
    print("log:", CALL_LOG)
    counter = make_counter()
    print("repeat:", roll(counter), roll.times, roll.__name__)
    print("factorial:", factorial(10), factorial(25))
    try:
        factorial(-1)
    except ValueError as e:
        print("ValueError:", e)
    print("stacked:", text("hi"))
    print("square:", [square(n) for n in range(5)], "calls:", square.calls, square.__name__)
    print("fib(80):", fib(80), fib.cache_info())
    print("singledispatch:", describe(3), describe([1, 2]), describe("s"), describe(True))
    a, b = Config("first"), Config("second")
    print("singleton:", a is b, a.name, Config.__name__)

    order = Order(3, 25)
    print("order total:", order.total, "descriptor on class:", type(Order.__dict__["price"]).__name__)
    try:
        order.price = 0
    except ValueError as e:
        print("ValueError:", e)

    log = []
    with indented(log, 1) as x:
        with indented(log, 2) as y:
            log.append(f"inside {x} {y}")
    try:
        with indented(log, 3):
            raise KeyError("boom")
    except KeyError:
        log.append("caught")
    print("context log:", log)

    compose = lambda *fs: functools.reduce(lambda f, g: lambda x: g(f(x)), fs)
    pipeline = compose(lambda x: x + 1, lambda x: x * 10, str, len)
    print("compose:", pipeline(41), compose(str.strip, str.upper)("  shout "))

    def outer():
        x = "outer"

        def middle():
            def inner():
                return x
            return inner
        x = "rebound"
        return middle()()
    print("nested closure sees rebinding:", outer())


if __name__ == "__main__":
    main()
