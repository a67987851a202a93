"""Acceptance 4 (and a bit of 3): layouts of headers other than the host's,
computed by parsing alone (layout/offline.py, `beale layout --headers`)."""

import json
import os
import subprocess
import sys

import pytest

from layout import cli
from layout.offline import load as HeaderLayouts  # cached: each header set is parsed once

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PY313 = "/root/.pyenv/versions/3.13.0/include/python3.13"
needs_313 = pytest.mark.skipif(not os.path.isfile(os.path.join(PY313, "Python.h")),
                               reason="CPython 3.13.0 headers not installed on this machine")


@pytest.fixture(scope="module")
def ft313():
    return HeaderLayouts(PY313, ("Py_GIL_DISABLED",))


@needs_313
def test_free_threaded_pyobject(ft313):
    s = ft313.struct("PyObject")
    assert s.offset("ob_tid") == 0
    assert s.offset("ob_ref_local") == 12
    assert s.offset("ob_ref_shared") == 16
    assert s.offset("ob_type") == 24
    assert s.size == 32


@needs_313
def test_free_threaded_sizes(ft313):
    # the table in shared/README.md (measured with gcc on these headers)
    assert ft313.struct("PyLongObject").size == 48
    assert ft313.struct("PyASCIIObject").size == 56
    assert ft313.struct("PyTypeObject").size == 432
    assert ft313.struct("PyHeapTypeObject").size == 944


@needs_313
def test_default_313_build_differs():
    s = HeaderLayouts(PY313).struct("PyObject")
    assert s.size == 16 and s.offset("ob_type") == 8
    assert s.offset("ob_refcnt") == 0  # inside an anonymous union


@needs_313
def test_cli_free_threaded(capsys):
    rc = cli.main(["--headers", PY313, "--define", "Py_GIL_DISABLED", "PyObject"])
    out = capsys.readouterr().out
    assert rc == 0
    rows = {l.split()[-1]: l.split()[0] for l in out.splitlines()[2:]}
    assert rows["ob_tid"] == "0" and rows["ob_ref_local"] == "12"
    assert rows["ob_ref_shared"] == "16" and rows["ob_type"] == "24"
    rc = cli.main(["--headers", PY313, "--define", "Py_GIL_DISABLED", "--json", "PyObject"])
    d = json.loads(capsys.readouterr().out)
    assert d["size"] == 32 and d["defines"] == ["Py_GIL_DISABLED"]


@needs_313
def test_python_dash_m_layout_free_threaded():
    p = subprocess.run([sys.executable, "-m", "layout", "--headers", PY313, "--define",
                        "Py_GIL_DISABLED", "PyObject"], cwd=ROOT, capture_output=True,
                       text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert "ob_ref_shared" in p.stdout


VERSIONS = {
    # version: (PyObject, PyLongObject, PyASCIIObject, PyTypeObject, PyHeapTypeObject)
    "3.11.7": (16, 32, 48, 408, 904),
    "3.12.1": (16, 32, 40, 416, 920),
    "3.13.0": (16, 32, 40, 416, 928),
}


@pytest.mark.parametrize("version", sorted(VERSIONS))
def test_known_sizes_per_version(version):
    short = version.rsplit(".", 1)[0]
    inc = "/root/.pyenv/versions/%s/include/python%s" % (version, short)
    if not os.path.isfile(os.path.join(inc, "Python.h")):
        pytest.skip("CPython %s headers not installed" % version)
    h = HeaderLayouts(inc)
    got = tuple(h.struct(n).size for n in ("PyObject", "PyLongObject", "PyASCIIObject",
                                           "PyTypeObject", "PyHeapTypeObject"))
    assert got == VERSIONS[version]
    if version != "3.11.7":
        assert h.struct("PyLongObject").offset("long_value.lv_tag") == 16
    else:
        assert h.struct("PyASCIIObject").field("wstr").size == 8
