"""Guest classes as real C structs: the heap type and instances seen by the host, shared
lifetimes (dropping an instance frees its dict in C), C calling guest callables."""

import gc
import os
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

import _ctypes  # noqa: E402


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    from runtime.cli import Session
    return Session(["prog.py"], str(tmp_path_factory.mktemp("types")))


def run(session, src):
    """Run src in __main__ and return the main dict (guest handle)."""
    from runtime import interp
    rc = interp.call_in_big_stack(lambda: session.run_source(textwrap.dedent(src), "prog.py"))
    assert rc == 0
    return session.w_main_dict


def get(session, name):
    from runtime import space
    return space.getitem(session.w_main_dict, space.newstr(name))


def test_class_is_a_heap_type_the_host_understands(session):
    run(session, """
        class Base:
            def hello(self):
                return "hi"
        class Point(Base):
            def __init__(self, x, y):
                self.x = x
                self.y = y
        p = Point(3, 4)
    """)
    w_p = get(session, "p")
    host_p = _ctypes.PyObj_FromPtr(w_p.addr)
    host_cls = type(host_p)
    assert host_cls.__name__ == "Point"
    assert [k.__name__ for k in host_cls.__mro__] == ["Point", "Base", "object"]
    assert host_cls.__flags__ & (1 << 9)          # Py_TPFLAGS_HEAPTYPE
    # attribute reads done by the HOST go through the guest dict in the struct
    assert host_p.x == 3 and host_p.y == 4
    assert host_p.__dict__ == {"x": 3, "y": 4}
    assert gc.is_tracked(host_p)
    import layout
    tp = layout.cast(id(host_cls), "PyTypeObject")
    # the same instance layout as the host's own class (3.11: managed dict, tp_dictoffset
    # -48, __weakref__ inline at 16, basicsize 24)
    class HBase:
        pass

    class HPoint(HBase):
        pass
    assert tp.tp_dictoffset == HPoint.__dictoffset__
    assert tp.tp_weaklistoffset == HPoint.__weakrefoffset__
    assert tp.tp_basicsize == HPoint.__basicsize__
    assert tp.tp_flags & (1 << 4) == HPoint.__flags__ & (1 << 4)   # Py_TPFLAGS_MANAGED_DICT


def test_dropping_an_instance_frees_its_dict(session):
    from runtime import object as _o, space
    run(session, """
        class Holder:
            pass
        h = Holder()
        payload = [1, 2, 3]
        h.payload = payload
    """)
    w_payload = get(session, "payload")
    before = _o.refcnt(w_payload.addr)
    # drop every guest reference to the instance: its dict (and the list's count) go too
    space.delitem(session.w_main_dict, space.newstr("h"))
    gc.collect()
    assert _o.refcnt(w_payload.addr) == before - 1


def test_slots_are_struct_members(session):
    from runtime import object as _o, space
    run(session, """
        class S:
            __slots__ = ("a", "b")
        s = S()
        s.a = [1]
        keep = s.a
    """)
    w_s = get(session, "s")
    host_s = _ctypes.PyObj_FromPtr(w_s.addr)
    assert host_s.a == [1]            # the host reads the slot through the member descriptor
    w_keep = get(session, "keep")
    before = _o.refcnt(w_keep.addr)
    space.delitem(session.w_main_dict, space.newstr("s"))
    del host_s, w_s
    gc.collect()
    assert _o.refcnt(w_keep.addr) == before - 1   # subtype_dealloc cleared the slot


def test_guest_function_called_from_c(session):
    run(session, """
        import functools
        calls = []
        @functools.lru_cache(maxsize=None)
        def square(n):
            calls.append(n)
            return n * n
        r = [square(3), square(3), square(4)]
        n_calls = len(calls)
    """)
    from runtime import space
    assert space.str_w(space.repr(get(session, "r"))) == "[9, 9, 16]"
    assert get(session, "n_calls").v == 2


def test_guest_iterator_consumed_by_c(session):
    run(session, """
        import itertools
        def gen():
            yield from range(5)
        out = list(itertools.islice(gen(), 1, 4))
    """)
    from runtime import space
    assert space.str_w(space.repr(get(session, "out"))) == "[1, 2, 3]"


def test_subclass_of_builtin_has_subclass_type_in_c(session):
    run(session, """
        class MyList(list):
            pass
        m = MyList([1, 2])
        m.append(3)
        m.tag = "x"
    """)
    w_m = get(session, "m")
    host_m = _ctypes.PyObj_FromPtr(w_m.addr)
    assert type(host_m).__name__ == "MyList"
    assert isinstance(host_m, list) and host_m == [1, 2, 3]
    assert host_m.tag == "x"
    assert sorted(host_m, reverse=True) == [3, 2, 1]


def test_exception_subclass_instances(session):
    run(session, """
        class AppError(ValueError):
            def __init__(self, code):
                super().__init__("code %d" % code)
                self.code = code
        try:
            raise AppError(7)
        except ValueError as e:
            caught = e
    """)
    w_e = get(session, "caught")
    host_e = _ctypes.PyObj_FromPtr(w_e.addr)
    assert isinstance(host_e, ValueError)
    assert type(host_e).__name__ == "AppError"
    assert host_e.args == ("code 7",) and host_e.code == 7
