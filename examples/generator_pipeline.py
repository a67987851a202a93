"""generator_pipeline.py -- generator pipelines, send(), yield from and return values.

Exercises: generator functions and expressions, send/throw/close, StopIteration.value,
yield from delegation (including return values and sent values passing through),
itertools, a coroutine-style running average, generator finalisation (finally blocks).
"""
import itertools


def read_lines(text):
    for number, line in enumerate(text.splitlines(), 1):
        yield number, line


def strip_comments(lines):
    for number, line in lines:
        code = line.split("#", 1)[0].rstrip()
        if code:
            yield number, code


def parse_records(lines):
    for number, code in lines:
        name, _, rest = code.partition("=")
        try:
            yield name.strip(), float(rest)
        except ValueError:
            print(f"  line {number}: cannot parse {rest.strip()!r}")


def running_average():
    """A coroutine: send numbers, receive the running average after each."""
    total = 0.0
    count = 0
    average = None
    while True:
        value = yield average
        if value is None:
            break
        total += value
        count += 1
        average = total / count
    return count, total


def averager_with_reset():
    """Shows throw(): a ValueError resets the state."""
    total = count = 0
    result = None
    while True:
        try:
            value = yield result
        except ValueError:
            total = count = 0
            result = "reset"
            continue
        total += value
        count += 1
        result = total / count


def chunk_sum(chunk_size):
    """Sub-generator: receives values, returns their sum once chunk_size arrived."""
    total = 0
    for _ in range(chunk_size):
        value = yield
        total += value
    return total


def chunk_collector(results, chunk_size):
    """Delegating generator: values sent to it go straight to chunk_sum."""
    while True:
        subtotal = yield from chunk_sum(chunk_size)
        results.append(subtotal)


def flatten(items):
    for item in items:
        if isinstance(item, (list, tuple)):
            yield from flatten(item)
        else:
            yield item


def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b


def tracked(name, log):
    log.append(f"{name}: start")
    try:
        for i in itertools.count():
            yield i
    finally:
        log.append(f"{name}: finally")


def countdown(n):
    while n > 0:
        yield n
        n -= 1
    return "liftoff"


def delegate():
    result = yield from countdown(3)
    yield result


DATA = """\
# sensor readings
alpha = 1.5
beta = 2.25   # tuned
gamma = oops
delta = -4
# end
epsilon = 10
"""


def main():
    pipeline = parse_records(strip_comments(read_lines(DATA)))
    records = list(pipeline)
    print("records:", records)

    avg = running_average()
    next(avg)
    for _, value in records:
        print(f"  sent {value:6.2f} -> average {avg.send(value):.4f}")
    try:
        avg.send(None)
    except StopIteration as stop:
        print("coroutine returned:", stop.value)

    r = averager_with_reset()
    next(r)
    print("reset demo:", r.send(10), r.send(20), r.throw(ValueError), r.send(5))
    r.close()
    print("closed generator send ->", end=" ")
    try:
        r.send(1)
    except StopIteration:
        print("StopIteration")

    results = []
    collector = chunk_collector(results, 3)
    next(collector)
    for value in range(1, 11):
        collector.send(value)
    print("chunk sums:", results)

    print("flatten:", list(flatten([1, [2, [3, 4], ()], (5, [6, [7]]), 8])))
    print("fib:", list(itertools.islice(fib(), 15)))
    print("even fib < 1000:", [x for x in itertools.takewhile(lambda x: x < 1000, fib()) if x % 2 == 0])
    print("delegate:", list(delegate()))

    log = []
    gen = tracked("g", log)
    first_three = [next(gen) for _ in range(3)]
    gen.close()
    print("tracked:", first_three, log)

    squares = (n * n for n in range(10))
    print("sum of odd squares:", sum(s for s in squares if s % 2))
    print("exhausted generator again:", list(squares))
    pairs = zip(countdown(4), "abcd")
    print("zip with generator:", list(pairs))
    print("accumulate:", list(itertools.accumulate(countdown(5))))
    grouped = itertools.groupby(sorted("mississippi"))
    print("groupby:", [(k, len(list(g))) for k, g in grouped])
    gen_expr_state = (x for x in [1])
    print("gi_running before:", gen_expr_state.gi_running, next(gen_expr_state))


if __name__ == "__main__":
    main()
