"""async_producer_consumer.py -- asyncio producers and consumers around an asyncio.Queue.

Exercises: async def / await, asyncio.run, asyncio.Queue (bounded, join/task_done),
asyncio.gather, create_task, asyncio.sleep(0) for cooperative switching,
async generators and async for, async context managers, cancellation,
asyncio.wait_for with a timeout on an event that is never set.
No wall-clock timing is printed, so the output is deterministic.
"""
import asyncio


class Stats:
    def __init__(self):
        self.produced = 0
        self.consumed = {}
        self.events = []


class Resource:
    """An async context manager that records when it is opened and closed."""

    def __init__(self, name, stats):
        self.name = name
        self.stats = stats

    async def __aenter__(self):
        self.stats.events.append(f"open {self.name}")
        await asyncio.sleep(0)
        return self

    async def __aexit__(self, exc_type, exc, tb):
        self.stats.events.append(f"close {self.name} ({exc_type.__name__ if exc_type else 'ok'})")
        return False


async def numbers(start, stop):
    """An async generator."""
    for n in range(start, stop):
        await asyncio.sleep(0)
        yield n


async def producer(name, queue, start, stop, stats):
    async for n in numbers(start, stop):
        item = (name, n, n * n)
        await queue.put(item)
        stats.produced += 1
    return f"{name} produced {stop - start}"


async def consumer(name, queue, stats, results):
    async with Resource(name, stats):
        while True:
            item = await queue.get()
            try:
                if item is None:
                    return name
                source, n, square = item
                results.append((source, n, square))
                stats.consumed[name] = stats.consumed.get(name, 0) + 1
                if n % 4 == 0:
                    await asyncio.sleep(0)    # give others a turn
            finally:
                queue.task_done()


async def forever(stats):
    try:
        while True:
            await asyncio.sleep(0)
    except asyncio.CancelledError:
        stats.events.append("forever cancelled")
        raise


async def compute(x):
    await asyncio.sleep(0)
    if x == 3:
        raise ValueError(f"bad input {x}")
    return x * 10


async def main():
    stats = Stats()
    queue = asyncio.Queue(maxsize=3)
    results = []
    consumers = [asyncio.create_task(consumer(f"c{i}", queue, stats, results)) for i in range(3)]
    produced = await asyncio.gather(
        producer("p1", queue, 0, 10, stats),
        producer("p2", queue, 100, 105, stats),
    )
    await queue.join()
    for _ in consumers:
        await queue.put(None)
    finished = await asyncio.gather(*consumers)
    print("producers:", produced)
    print("consumers finished:", finished)
    print("produced:", stats.produced, "consumed total:", sum(stats.consumed.values()))
    print("results sorted:", sorted(results)[:6], "...")
    print("sum of squares:", sum(r[2] for r in results))
    print("events:", sorted(stats.events))

    task = asyncio.create_task(forever(stats))
    await asyncio.sleep(0)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("task cancelled:", task.cancelled(), stats.events[-1])

    outcomes = await asyncio.gather(*(compute(x) for x in range(5)), return_exceptions=True)
    print("gather with exceptions:", [repr(o) for o in outcomes])

    event = asyncio.Event()
    try:
        await asyncio.wait_for(event.wait(), timeout=0.01)
    except asyncio.TimeoutError:
        print("wait_for timed out as expected")

    squares = [n * n async for n in numbers(0, 6)]
    print("async comprehension:", squares)
    return len(results)


if __name__ == "__main__":
    count = asyncio.run(main())
    print("asyncio.run returned", count)
