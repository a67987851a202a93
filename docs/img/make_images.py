"""Render a notebook diagram to PNG for the README.

    python docs/img/make_images.py

Takes the last diagram of notebooks/04_compact_dict.ipynb (the guest dict after inserts, a
delete and a resize, above the host CPython's own dict for the same value), as drawn by
runtime.svg from live memory when the notebook was executed
(`python notebooks/make_notebooks.py --execute`), writes it to docs/img/*.svg and rasterises
it with headless chromium (runtime.svg.to_png) to docs/img/*.png.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, ROOT)

from runtime import svg  # noqa: E402

NOTEBOOK = os.path.join(ROOT, "notebooks", "04_compact_dict.ipynb")
OUT = os.path.join(HERE, "dict_guest_vs_host")


def last_diagram(path):
    import nbformat
    nb = nbformat.read(path, as_version=4)
    found = None
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "image/svg+xml" in data:
                found = data["image/svg+xml"]
    if found is None:
        raise SystemExit("%s has no diagram: execute it first "
                         "(python notebooks/make_notebooks.py --execute)" % path)
    return found


def main():
    text = last_diagram(NOTEBOOK)
    with open(OUT + ".svg", "w") as f:
        f.write(text)
    svg.to_png(text, OUT + ".png")
    print(OUT + ".svg", OUT + ".png")


if __name__ == "__main__":
    main()
