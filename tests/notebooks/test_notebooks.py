"""Execute every notebook top to bottom in a real Jupyter kernel and check its diagrams.

A notebook fails when a cell raises, when a guest cell prints a traceback, or when a
diagram does not show what it claims: every SVG output carries (in its metadata) the
objects it draws, and the SVG must contain each one's address, type name and the name of
every field of its struct as the host's headers define it (layout.struct).
"""

import glob
import os
import re
import sys

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

import layout  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NOTEBOOKS = sorted(glob.glob(os.path.join(ROOT, "notebooks", "*.ipynb")))

# arrays that runtime.dump shows as inline data (a section of their own), not as one field
INLINE = {"ob_digit", "ob_item", "ob_sval", "dk_indices"}


def struct_field_names(struct_name):
    """Last path component of every scalar field of the struct (as runtime.svg prints it)."""
    names = set()

    def walk(s):
        for f in s.fields:
            if f.name is None and f.struct is None:
                continue
            kind = layout.abi.resolve(layout.model, f.type)["k"]
            if f.struct is not None and kind == "agg":
                walk(f.struct)
            elif f.name is not None and f.name not in INLINE:
                names.add(f.name)
    walk(layout.struct(struct_name))
    return names


def execute(path):
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": ROOT}})
    client.execute()
    return nb


def test_there_are_six_notebooks():
    assert len(NOTEBOOKS) == 6, NOTEBOOKS


def test_notebooks_match_their_generator():
    sys.path.insert(0, os.path.join(ROOT, "notebooks"))
    try:
        import make_notebooks
    finally:
        sys.path.pop(0)
    for name, cells in make_notebooks.NB.items():
        nb = nbformat.read(os.path.join(ROOT, "notebooks", name + ".ipynb"), as_version=4)
        assert [c.source for c in nb.cells] == [c.source for c in cells], name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[os.path.basename(p) for p in NOTEBOOKS])
def test_notebook_runs_and_diagrams_show_their_objects(path):
    nb = execute(path)                    # raises CellExecutionError if a cell fails
    diagrams = 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                assert "Traceback (most recent call last)" not in out["text"], out["text"]
            data = out.get("data", {})
            if "image/svg+xml" not in data:
                continue
            svg = data["image/svg+xml"]
            claims = out.get("metadata", {}).get("image/svg+xml", {}).get("beale")
            assert claims, "a diagram without claims: %s" % svg[:200]
            for c in claims:
                assert re.fullmatch(r"0x[0-9a-f]+", c["addr"])
                assert "%s at %s" % (c["type"], c["addr"]) in svg, c
                assert c["struct"] in svg
                if c["struct"] in ("PyTypeObject", "PyHeapTypeObject"):
                    # type diagrams draw the non-NULL fields and count the others
                    assert "tp_name" in svg and "tp_flags" in svg and "fields not drawn" in svg
                    continue
                missing = [n for n in struct_field_names(c["struct"]) if n not in svg]
                assert not missing, (c, missing)
            diagrams += 1
    assert diagrams >= 2, "%s draws %d diagrams" % (path, diagrams)
