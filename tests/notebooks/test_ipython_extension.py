"""The IPython extension in an in-process IPython shell (no kernel)."""

import pytest

pytest.importorskip("IPython")

import layout  # noqa: E402
from runtime import ipython as ext  # noqa: E402


@pytest.fixture(scope="module")
def ip():
    from IPython.core.interactiveshell import InteractiveShell
    shell = InteractiveShell.instance()
    ext.reset()
    shell.run_line_magic("load_ext", "runtime.ipython")
    return shell


def test_cell_magic_persists_guest_state(ip, capsys):
    ip.run_cell_magic("beale", "", "xs = [1, 2]\nxs.append(3)\n")
    ip.run_cell_magic("beale", "", "print(len(xs), sum(xs))\nxs")
    out = capsys.readouterr().out
    assert "3 6" in out and "[1, 2, 3]" in out     # print, then the trailing expression


def test_guest_error_is_a_guest_traceback(ip, capsys):
    ip.run_cell_magic("beale", "", "1 / 0")
    err = capsys.readouterr().err
    assert "ZeroDivisionError" in err


def test_beale_dump_returns_svg_of_the_guest_object(ip):
    ip.run_cell_magic("beale", "", "d = {'k': 'v'}")
    pic = ip.run_line_magic("beale_dump", "d --depth 0")
    w = ext.lookup("d")
    data, meta = pic._repr_svg_()
    assert data.startswith("<svg") and "dict at 0x%x" % w.addr in data
    assert meta["beale"] == [{"addr": "0x%x" % w.addr, "type": "dict",
                              "struct": "PyDictObject", "side": "object"}]
    keys = layout.read(w.addr, "PyDictObject", "ma_keys")
    assert "PyDictKeysObject at 0x%x" % keys in data


def test_beale_dump_with_host_and_host_names(ip, capsys):
    ip.run_cell_magic("beale", "", "n = 2**80")
    pic = ip.run_line_magic("beale_dump", "n --host")
    sides = [c["side"] for c in pic.claims()]
    assert sides == ["guest", "host"]
    ip.user_ns["hostlist"] = [1, 2]
    pic = ip.run_line_magic("beale_dump", "host:hostlist")
    assert "list at 0x%x" % id(ip.user_ns["hostlist"]) in pic.data
    ip.run_line_magic("beale_dump", "n --text")
    assert "ob_digit[2]" in capsys.readouterr().out


def test_deep_guest_recursion_is_a_guest_error(ip, capsys):
    ip.run_cell_magic("beale", "", "def f(n):\n    return f(n + 1)\nf(0)\n")
    err = capsys.readouterr().err
    assert "RecursionError" in err
