"""Guest programs whose output depends on how objects are allocated and tracked: what
sys.getsizeof / gc.is_tracked / C code report for objects the guest creates must be what
the host reports for the same source (the host CPython run in a subprocess is the oracle)."""

import textwrap

import pytest

from tests.interp.test_eval import host_run, beale_output

PROGRAMS = {
    "list_displays": """
        import sys
        a, b = 1, 2
        t = (1, 2, 3)
        cases = [[], [1], [1, 2], [1, 2, 3], [-1, 2.5, (1, -2)], [a, b], [a, b, a], [*t],
                 [*t, a], [a, *t], [a, *t, *t, b], [*t, *[4, 5]], [*range(7), *"ab"],
                 [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1, 2, a], [None, True, ...],
                 [a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a,
                  a, a, a, a, a, a, a, a],
                 [a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a,
                  a, a, a, a, a, a, *t]]
        print([sys.getsizeof(c) for c in cases])
        print(cases[10], cases[12], cases[-1][-4:])
        try:
            [a, *5]
        except TypeError as e:
            print(e)
    """,
    "list_comprehensions_and_growth": """
        import sys
        print([sys.getsizeof([i for i in range(n)]) for n in (0, 1, 3, 4, 5, 9, 17, 33, 100, 1000)])
        print([sys.getsizeof([i for i in range(n) if i % 2]) for n in (3, 17, 100)])
        print(sys.getsizeof([x * y for x in range(5) for y in range(7)]))
        l, out = [], []
        for i in range(70):
            l.append(i)
            out.append(sys.getsizeof(l))
        print(out)
        print([sys.getsizeof(list(x)) for x in ((), (1, 2, 3), [1] * 5, range(17), "abcde",
                                                 map(int, "123"), (i for i in "ab"))])
        def gen():
            return [i for i in range(6)]
        print(sys.getsizeof(gen()))
    """,
    "tuples_are_tracked_at_creation": """
        import gc
        a = 1
        t1, t2, t3 = (a, 2), (a, "x", 2.5), (a, [])
        print(gc.is_tracked(t1), gc.is_tracked(t2), gc.is_tracked(t3), gc.is_tracked(()))
        print(gc.is_tracked(tuple([a, a])), gc.is_tracked(t1 + t2), gc.is_tracked(t1 * 3))
        gc.collect()
        print(gc.is_tracked(t1), gc.is_tracked(t2), gc.is_tracked(t3))
    """,
    "range_is_a_c_range": """
        import sys, itertools, operator
        r = range(3, 40, 4)
        print(sys.getsizeof(r), sys.getsizeof(iter(r)), sys.getsizeof(iter(range(2 ** 70))))
        print(type(iter(r)).__name__, type(reversed(range(2 ** 64))).__name__)
        print(list(itertools.islice(r, 2, 6)), operator.length_hint(iter(r)), max(r), sorted(r)[:2])
        it = iter(r)
        next(it)
        print(list(zip(it, "abc")), list(it))
        print(list(range(2 ** 63 - 2, 2 ** 63 + 1)), list(reversed(range(-2 ** 63, -2 ** 63 + 2))))
        print(r == range(3, 41, 4), hash(r) == hash(range(3, 38, 4)), r[::-2], 39 in r, r.index(11))
    """,
    "managed_dict_instances": """
        import sys
        class A: pass
        class B(A): __slots__ = ("x",)
        class C: __slots__ = ("a",)
        class D(C): pass
        class L(list): pass
        class F(float): pass
        class I(int): pass
        class E(Exception): pass
        for K in (A, B, C, D, L, F, I, E):
            print(K.__name__, K.__dictoffset__, K.__basicsize__, K.__weakrefoffset__,
                  K.__flags__ & 16, K.__itemsize__)
        a = A(); a.x = 1; a.y = [a]
        b = B(); b.x = 2; b.z = 3
        d = D(); d.a = 1; d.q = 5
        l = L([1, 2]); l.attr = "l"
        f = F(1.5); f.u = 2
        print(sys.getsizeof(a), sys.getsizeof(b), sys.getsizeof(d), sys.getsizeof(l),
              sys.getsizeof(f), sys.getsizeof(I(5)), sys.getsizeof(C()))
        print(a.__dict__ == {"x": 1, "y": [a]}, b.__dict__, d.__dict__, l.__dict__, f.__dict__, vars(b))
        a.__dict__ = {"k": 9}
        print(a.k, getattr(a, "x", None))
        del a.k
        print(a.__dict__, hasattr(C(), "__dict__"))
        class W:
            def __init__(self): self.a = 1
            def m(self): return self.a
        w = W()
        print(sum(w.m() for _ in range(100)), w.__dict__)
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_matches_host(name, tmp_path, capfd):
    src = textwrap.dedent(PROGRAMS[name])
    expected = host_run(src, tmp_path)
    got = beale_output(src, tmp_path, capfd)
    assert got[0] == expected[0]
    assert got[2] == expected[2] == 0
