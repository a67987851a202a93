"""runtime.svg: diagrams drawn from dump models of guest objects."""

import re
import xml.etree.ElementTree as ET

import layout
from runtime import dump, svg


def test_list_diagram_has_fields_addresses_and_arrows():
    w = dump.guest_eval("[7, 'seven', 7.5]")
    d = dump.dump_object(w.addr, 1)
    text = svg.render(d)
    assert text.startswith("<svg") and text.endswith("</svg>")
    ET.fromstring(text)
    arr = layout.read(w.addr, "PyListObject", "ob_item")
    assert "list at 0x%x" % w.addr in text
    assert "ob_item array at 0x%x" % arr in text
    for name in ("ob_refcnt", "ob_type", "ob_size", "ob_item", "allocated", "_gc_next"):
        assert name in text
    # one arrow to the ob_item buffer, one per item
    targets = re.findall(r'data-to="(0x[0-9a-f]+)"', text)
    items = [dump.word(arr + 8 * i) for i in range(3)]
    assert sorted(targets) == sorted(["0x%x" % arr] + ["0x%x" % p for p in items])
    for p in items:
        assert "at 0x%x" % p in text            # each item drawn as its own box


def test_pair_marks_differing_rows():
    w = dump.guest_eval("{'k': 1}")
    rep = dump.dump_report(w, "d", depth=0)
    text = svg.render_pair(rep["guest"], rep["host"], rep["compare"], rep["summary"])
    assert "dict at 0x%x" % w.addr in text and "dict at 0x%x" % rep["host"]["addr"] in text
    assert text.count(svg.COLORS["differ"]) >= len(rep["compare"]["differ"])
    assert "host CPython" in text


def test_diagram_escapes_text():
    w = dump.guest_eval("'<b>&'")
    text = svg.render(dump.dump_object(w.addr, 0))
    assert "U+003C" in text and "&lt;" in text and "&amp;" in text
    ET.fromstring(text)                          # well-formed XML


def test_type_diagram_draws_non_null_slots():
    from runtime import ipython
    ipython.run_cell("class Thing:\n    def __init__(self):\n        self.a = 1\n")
    w = ipython.lookup("Thing")
    d = dump.dump_object(w.addr, 0)
    assert d["struct"] == "PyHeapTypeObject" and d["type_name"] == "Thing"
    text = svg.render(d)
    ET.fromstring(text)
    assert "class Thing" in text and "tp_basicsize" in text and "fields not drawn" in text
    dealloc = layout.read(w.addr, "PyHeapTypeObject", "ht_type.tp_dealloc")
    assert dealloc and "0x%x" % dealloc in text          # function pointers in hex
