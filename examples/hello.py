"""hello.py -- the smallest beale example (used by the README).

Run it with the host CPython and with beale; the output is identical:

    python3 examples/hello.py
    python -m runtime examples/hello.py
"""


def greet(name):
    return f"Hello, {name}!"


print(greet("world"))
squares = [n * n for n in range(1, 6)]
print("squares:", squares, "sum =", sum(squares))
print("pi is about", round(355 / 113, 6))
print(" ".join(word.capitalize() for word in "objects are c structs".split()))
