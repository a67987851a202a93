"""Render the README's diagram: a guest dict beside the host's own dict (as in notebook 4), drawn by runtime.svg from live memory and rasterised with headless chromium.

    python docs/img/make_images.py      # writes docs/img/dict_guest_vs_host.{svg,png}
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))

from runtime import dump, svg  # noqa: E402
from runtime.ipython import run_cell, lookup  # noqa: E402


def main():
    run_cell("d = {}\nd['a'] = 1\nd['b'] = 2.5\nd['c'] = 'three'\n")
    rep = dump.dump_report(lookup("d"), "d", depth=0)
    text = svg.render_pair(rep["guest"], rep["host"], rep["compare"], rep["summary"])
    base = os.path.join(HERE, "dict_guest_vs_host")
    with open(base + ".svg", "w") as f:
        f.write(text)
    svg.to_png(text, base + ".png")
    print(base + ".svg", base + ".png")


if __name__ == "__main__":
    main()
