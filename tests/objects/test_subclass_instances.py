"""Instances of guest subclasses of built-in types are allocated as CPython's
PyType_GenericAlloc allocates them: a 3.11 managed dict's two words in front of the
PyGC_Head when the subclass has one, and tracked by the GC when the subclass is a GC type.

Regression: a guest subclass of `property` (abc.abstractproperty, met importing
importlib.abc) was allocated without the managed-dict words, so reading its __dict__
pointer read the previous heap block (random TypeErrors, then a segfault)."""
import subprocess
import sys
import textwrap

from tests.objects.test_containers_methods import REPO

PROGRAM = textwrap.dedent("""
    import gc
    class AP(property):
        __isabstractmethod__ = True
    def f(self): return 1
    props = [AP(f) for i in range(200)]
    junk = [{i: str(i)} for i in range(200)]
    print(sum(getattr(p, "__isabstractmethod__", False) for p in props))
    p = AP(f); p.x = 5; print(p.x, p.__dict__.get("x"))
    class B(bytearray): pass
    class S(set): pass
    class F(frozenset): pass
    class Fl(float): pass
    class I(int): pass
    class D(dict): pass
    class L(list): pass
    class T(tuple): pass
    class St(str): pass
    class By(bytes): pass
    class C(complex): pass
    class E(Exception): pass
    for cls, arg in [(B, b"ab"), (S, [1]), (F, [1]), (Fl, 1.5), (I, 7), (D, {1: 2}), (L, [1]),
                     (T, (1,)), (St, "x"), (By, b"y"), (C, 1j), (E, "e")]:
        objs = [cls(arg) for i in range(50)]
        for o in objs:
            o.attr = 1
        print(cls.__name__, objs[0], objs[-1].attr, objs[0].__dict__, gc.is_tracked(objs[0]))
    """)


def test_subclass_instances_match_host():
    host = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True,
                          timeout=120)
    guest = subprocess.run([sys.executable, "-m", "runtime", "-c", PROGRAM],
                           capture_output=True, text=True, timeout=300, cwd=REPO)
    assert host.returncode == 0, host.stderr
    assert guest.returncode == 0, guest.stderr[-3000:]
    assert guest.stdout == host.stdout
