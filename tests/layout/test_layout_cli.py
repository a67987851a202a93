"""The `beale layout` command (layout/cli.py, python -m layout) and layout/dump.py."""

import json
import os
import subprocess
import sys

import pytest

import layout
from layout import cli, dump

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run_main(capsys, *argv):
    rc = cli.main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def table_rows(out):
    """(offset, field name) pairs of a printed table."""
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        rows.append((parts[0], parts[-1]))
    return rows


def test_table_float(capsys):
    rc, out, _ = run_main(capsys, "PyFloatObject")
    assert rc == 0
    s = layout.struct("PyFloatObject")
    assert ("%d" % s.offset("ob_fval"), "ob_fval") in table_rows(out)
    assert ("%d" % s.offset("ob_base.ob_type"), "ob_type") in table_rows(out)
    assert out.splitlines()[0].startswith("PyFloatObject")
    assert "size %d" % s.size in out.splitlines()[0]


@pytest.mark.skipif(sys.version_info[:2] != (3, 11), reason="the brief's fixed number is for 3.11")
def test_table_float_311_ob_fval_at_16(capsys):
    rc, out, _ = run_main(capsys, "PyFloatObject")
    assert ("16", "ob_fval") in table_rows(out)


def test_table_nested_is_indented(capsys):
    rc, out, _ = run_main(capsys, "layout", "PyListObject")  # leading "layout" is accepted
    assert rc == 0
    lines = out.splitlines()
    ob_type = next(l for l in lines if l.endswith("ob_type"))
    ob_item = next(l for l in lines if l.endswith("ob_item"))
    # the C type column starts after "offset(6)  size(7)  "; nesting indents it
    indent = lambda l: len(l[17:]) - len(l[17:].lstrip(" "))  # noqa: E731
    # ob_type sits two levels deep (PyListObject > PyVarObject > PyObject)
    assert indent(ob_type) == 4 and indent(ob_item) == 0


def test_json(capsys):
    rc, out, _ = run_main(capsys, "--json", "PyFloatObject")
    assert rc == 0
    d = json.loads(out)
    assert d["name"] == "PyFloatObject"
    assert d["size"] == layout.ffi.sizeof("PyFloatObject")
    fval = next(f for f in d["fields"] if f["name"] == "ob_fval")
    assert fval["offset"] == layout.ffi.offsetof("PyFloatObject", "ob_fval")
    base = next(f for f in d["fields"] if f["name"] == "ob_base")
    assert [f["name"] for f in base["struct"]["fields"]][-1] == "ob_type"


def test_list(capsys):
    rc, out, _ = run_main(capsys, "--list")
    assert rc == 0
    names = out.splitlines()
    assert names == layout.structs()
    assert "PyTypeObject" in names and "PyGC_Head" in names
    rc, out, _ = run_main(capsys, "--list", "--json")
    assert json.loads(out) == layout.structs()


def test_unknown_struct(capsys):
    rc, out, err = run_main(capsys, "NoSuchStruct")
    assert rc == 1 and "NoSuchStruct" in err and len(err.strip().splitlines()) == 1


def test_define_without_headers(capsys):
    rc, out, err = run_main(capsys, "--define", "Py_GIL_DISABLED", "PyObject")
    assert rc == 2 and "--headers" in err


def test_bad_headers_dir(capsys, tmp_path):
    rc, out, err = run_main(capsys, "--headers", str(tmp_path), "PyObject")
    assert rc == 1
    assert len(err.strip().splitlines()) == 1 and "Python.h" in err


def test_python_dash_m_layout():
    p = subprocess.run([sys.executable, "-m", "layout", "PyFloatObject"], cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert any(l.split()[-1] == "ob_fval" for l in p.stdout.splitlines()[2:])


# -- dump -----------------------------------------------------------------------------------

def test_hexdump_shows_bytes():
    b = b"hello, beale!"
    off = layout.struct("PyBytesObject").offset("ob_sval")
    text = dump.hexdump(id(b) + off, len(b))
    assert "68 65 6c 6c 6f" in text and "|hello, beale!|" in text
    assert text.startswith("%016x" % (id(b) + off))


def test_describe_float():
    x = 3.75
    rows = dump.describe(id(x), "PyFloatObject")
    by_path = {r[3]: r for r in rows}
    assert by_path["ob_fval"][4] == 3.75
    assert by_path["ob_base.ob_type"][4] == "0x%x" % id(float)
    assert by_path["ob_fval"][0] == layout.struct("PyFloatObject").offset("ob_fval")
    assert by_path["ob_fval"][5] == __import__("struct").pack("<d", 3.75)


def test_describe_bitfields():
    s = "".join(["\u20ac", "x"])
    rows = {r[3]: r for r in dump.describe(id(s), "PyASCIIObject")}
    assert rows["state.kind"][4] == 2
    assert rows["state.ascii"][4] == 0
    assert rows["length"][4] == 2


def test_unreadable_memory_is_an_error_not_a_crash():
    with pytest.raises(ValueError):
        dump.hexdump(8, 16)
    with pytest.raises(ValueError):
        dump.describe(16, "PyFloatObject")
