"""Struct diagrams: the memory model of runtime.dump drawn as SVG.

Every box is one block of memory at a real address (an object, or a buffer it points to: a
list's ob_item array, a dict's PyDictKeysObject); every row is one field read from that
memory, with its offset, name and decoded value; every arrow is a pointer whose value is the
address of the box it ends at. Nothing is drawn from anything but `runtime.dump.dump_object`,
which reads the memory through `layout`.

    svg = render(dump_object(addr, depth=1))              # one object graph
    svg = render_pair(guest_dump, host_dump)              # beale's object above the host's

Layout: boxes are placed in columns by pointer distance from the root (the root in column
0, what it points to in column 1, ...), stacked top to bottom in each column; arrows are
cubic curves from the right edge of the pointer's row to the left edge of the target's title.
"""

from html import escape

FONT = 12            # px, monospace
CHAR_W = 7.3         # advance of one monospace character at FONT px
ROW_H = 17
TITLE_H = 22
SECTION_H = 16
PAD = 8
COL_GAP = 70
BOX_GAP = 18
MAX_ROWS = 24        # rows per section drawn; the rest is summarised
TYPE_MAX_ROWS = 80   # a type object's non-NULL fields

COLORS = {
    "title_guest": "#2b5797", "title_host": "#6d4c41", "title_buffer": "#455a64",
    "section": "#eceff1", "gc": "#f3e5f5", "text": "#212121", "dim": "#757575",
    "ptr": "#1565c0", "arrow": "#1565c0", "differ": "#fff3cd", "box": "#ffffff",
    "border": "#90a4ae",
}


def _fmt_value(r):
    v = r.get("value")
    if v is None:
        return ""
    if r.get("ptr") is not None or ((r.get("hex") or "*" in r.get("ctype", "") or
                                      r.get("ctype") == "uintptr_t") and isinstance(v, int)):
        return "0x%x" % v if v else "NULL"
    if isinstance(v, float):
        return repr(v)
    return str(v)


def _short_name(name):
    """'ob_base.ob_base.ob_refcnt' -> 'ob_refcnt'; 'entries[0].me_key' stays."""
    if name.startswith(("entries[", "table[")):
        return name
    return name.split(".")[-1]


class Box(object):
    """One block of memory drawn as a table."""

    def __init__(self, key, title, subtitle, addr, kind):
        self.key = key              # unique id: ("obj", addr) or ("buf", addr)
        self.title = title
        self.subtitle = subtitle
        self.addr = addr
        self.kind = kind            # "guest" | "host" | "buffer"
        self.sections = []          # [(title, [row, ...], is_gc)]
        self.col = 0
        self.x = self.y = 0
        self.w = self.h = 0
        self.row_y = {}             # id(row) -> y of the row's centre
        self.max_rows = MAX_ROWS    # rows drawn per section

    def text_rows(self):
        for title, rows, _ in self.sections:
            yield title
            for r in rows[:self.max_rows]:
                yield _row_text(r)

    def measure(self):
        n = max([len(self.title), len(self.subtitle)] + [len(t) for t in self.text_rows()])
        self.w = int(n * CHAR_W + 2 * PAD + 10)
        h = TITLE_H + (SECTION_H if self.subtitle else 0)
        for title, rows, _ in self.sections:
            h += SECTION_H + ROW_H * min(len(rows), self.max_rows)
            if len(rows) > self.max_rows:
                h += ROW_H
        self.h = h + PAD // 2


def _row_text(r):
    if r.get("offset") is None:
        return "      %s %s" % (r["name"], r.get("note", ""))
    note = r.get("note") or ""
    if len(note) > 34:
        note = note[:33] + "…"
    return "%4d  %-20s %-16s %s" % (r["offset"], _short_name(r["name"])[:20],
                                      _fmt_value(r)[:16], note)


def _type_rows(rows):
    """A type object has ~100 fields, most of them NULL slots: draw the non-NULL ones and one
    summary row for the rest (a type diagram stays readable; `beale dump` lists them all)."""
    keep = [r for r in rows if r.get("value") not in (0, None)]
    hidden = len(rows) - len(keep)
    if hidden:
        keep.append({"offset": None, "size": None, "ctype": "", "name": "…", "value": None,
                     "note": "%d NULL/zero fields not drawn" % hidden, "raw": "", "ptr": None,
                     "target": None})
    return keep


_BUFFER_NAMES = {"keys": "PyDictKeysObject", "ob_item": "ob_item array",
                 "table": "setentry table", "ma_values": "PyDictValues"}


def _build(d, kind, boxes, edges, col, differ):
    """Boxes for dump d (and, recursively, its targets); returns the object's box."""
    key = ("obj", d["addr"])
    if key in boxes:
        return boxes[key]
    sub = "%s, %d bytes, refcnt %d" % (d["struct"], d["size"], d["refcnt"])
    title = "%s at 0x%x" % (d["type"], d["addr"])
    is_type = d["struct"] in ("PyTypeObject", "PyHeapTypeObject")
    if is_type and d.get("type_name"):
        title += " — class %s" % d["type_name"]
    box = Box(key, title, sub, d["addr"], kind)
    if is_type:
        box.max_rows = TYPE_MAX_ROWS
    box.col = col
    box.preview = d.get("preview", "")
    boxes[key] = box
    buffers = {}
    for b in d["blocks"]:
        rows = b["rows"]
        if d["struct"] in ("PyTypeObject", "PyHeapTypeObject") and b["key"] == "object":
            rows = _type_rows(rows)
        if b["addr"] != d["addr"]:
            bkey = ("buf", b["addr"])
            bb = buffers.get(bkey)
            if bb is None:
                what = _BUFFER_NAMES.get(b["key"], "buffer")
                bb = buffers[bkey] = Box(bkey, "%s at 0x%x" % (what, b["addr"]), "", b["addr"],
                                         "buffer")
                bb.col = col + 1
                boxes[bkey] = bb
            bb.sections.append((b["title"], rows, False))
        else:
            box.sections.append((b["title"], rows, b["key"] == "gc"))
    # pointer rows whose value is a buffer's address point at that buffer
    for bx in [box] + list(buffers.values()):
        for sec in bx.sections:
            for r in sec[1]:
                v = r.get("value")
                if isinstance(v, int) and ("buf", v) in buffers and r.get("ptr") is None \
                        and bx is box:
                    edges.append((bx, r, buffers[("buf", v)]))
                t = r.get("target")
                if t is not None:
                    tb = _build(t, kind, boxes, edges, bx.col + 1, differ)
                    edges.append((bx, r, tb))
    return box


def layout_boxes(boxes, x0=0, y0=0):
    """Give every box its x, y (columns by `col`, stacked)."""
    cols = {}
    for b in boxes:
        b.measure()
        cols.setdefault(b.col, []).append(b)
    x = x0
    height = 0
    for c in sorted(cols):
        y = y0
        wmax = 0
        for b in cols[c]:
            b.x, b.y = x, y
            y += b.h + BOX_GAP
            wmax = max(wmax, b.w)
        height = max(height, y - y0)
        x += wmax + COL_GAP
    return x - x0 - COL_GAP, height


def _draw_box(out, b, differ_names):
    kind_color = {"guest": COLORS["title_guest"], "host": COLORS["title_host"]}.get(
        b.kind, COLORS["title_buffer"])
    out.append('<g class="box" data-addr="0x%x">' % b.addr)
    out.append('<rect x="%d" y="%d" width="%d" height="%d" rx="4" fill="%s" stroke="%s"/>'
               % (b.x, b.y, b.w, b.h, COLORS["box"], COLORS["border"]))
    out.append('<rect x="%d" y="%d" width="%d" height="%d" rx="4" fill="%s"/>'
               % (b.x, b.y, b.w, TITLE_H, kind_color))
    out.append('<text x="%d" y="%d" fill="#fff" font-weight="bold">%s</text>'
               % (b.x + PAD, b.y + TITLE_H - 6, escape(b.title)))
    y = b.y + TITLE_H
    if b.subtitle:
        out.append('<text x="%d" y="%d" fill="%s">%s</text>'
                   % (b.x + PAD, y + SECTION_H - 4, COLORS["dim"], escape(b.subtitle)))
        y += SECTION_H
    for title, rows, is_gc in b.sections:
        out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>'
                   % (b.x + 1, y, b.w - 2, SECTION_H, COLORS["gc"] if is_gc
                      else COLORS["section"]))
        t = title if len(title) * CHAR_W < b.w - 2 * PAD else \
            title[:int((b.w - 2 * PAD) / CHAR_W) - 1] + "…"
        out.append('<text x="%d" y="%d" fill="%s" font-style="italic">%s</text>'
                   % (b.x + PAD, y + SECTION_H - 4, COLORS["dim"], escape(t)))
        y += SECTION_H
        for r in rows[:b.max_rows]:
            if r.get("name") in differ_names:
                out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>'
                           % (b.x + 1, y, b.w - 2, ROW_H, COLORS["differ"]))
            color = COLORS["ptr"] if r.get("ptr") or r.get("target") else COLORS["text"]
            out.append('<text x="%d" y="%d" fill="%s" xml:space="preserve">%s</text>'
                       % (b.x + PAD, y + ROW_H - 5, color, escape(_row_text(r))))
            b.row_y[id(r)] = y + ROW_H / 2.0
            y += ROW_H
        if len(rows) > b.max_rows:
            out.append('<text x="%d" y="%d" fill="%s">… %d more rows</text>'
                       % (b.x + PAD, y + ROW_H - 5, COLORS["dim"], len(rows) - b.max_rows))
            y += ROW_H
    out.append("</g>")


def _draw_edge(out, src, row, dst):
    y1 = src.row_y.get(id(row))
    if y1 is None:           # the row was cut by MAX_ROWS: start at the box's bottom
        y1 = src.y + src.h - 4
    x1 = src.x + src.w
    x2, y2 = dst.x, dst.y + TITLE_H / 2.0
    if dst.x <= src.x:       # target is in this or an earlier column: loop around the right
        x2 = dst.x + dst.w
        c = max(x1, x2) + 40
        d = "M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f" % (x1, y1, c, y1, c, y2, x2, y2)
    else:
        dx = (x2 - x1) / 2.0
        d = "M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f" % (x1, y1, x1 + dx, y1, x2 - dx, y2,
                                                            x2, y2)
    out.append('<path d="%s" fill="none" stroke="%s" stroke-width="1.3" '
               'marker-end="url(#arrow)" data-from="%s" data-to="0x%x"/>'
               % (d, COLORS["arrow"], escape(row.get("name", "")), dst.addr))


_HEAD = ('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
         'font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="%d">'
         '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
         'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
         'fill="%s"/></marker></defs>'
         '<rect width="100%%" height="100%%" fill="#fafafa"/>')


def _panel(d, kind, x0, y0, differ_names, out, label=None):
    boxes, edges = {}, []
    _build(d, kind, boxes, edges, 0, differ_names)
    bl = list(boxes.values())
    top = y0 + (24 if label else 0)
    w, h = layout_boxes(bl, x0, top)
    if label:
        out.append('<text x="%d" y="%d" font-size="%d" font-weight="bold" fill="%s">%s</text>'
                   % (x0, y0 + 16, FONT + 2, COLORS["text"], escape(label)))
    for b in bl:
        _draw_box(out, b, differ_names)
    for src, row, dst in edges:
        _draw_edge(out, src, row, dst)
    return w + 50, h + (24 if label else 0)


def render(d, kind="guest", label=None, differ_names=()):
    """SVG text for one dump (runtime.dump.dump_object)."""
    body = []
    w, h = _panel(d, kind, 10, 10, set(differ_names), body, label)
    W, H = int(w + 20), int(h + 20)
    return (_HEAD % (W, H, W, H, FONT, COLORS["arrow"])) + "".join(body) + "</svg>"


def render_pair(g, h, cmp_=None, summary=None):
    """beale's object (top) and the host CPython's object for the same value (bottom);
    rows whose bytes differ are highlighted in both."""
    differ = {x["name"] for x in (cmp_ or {}).get("differ", [])}
    body = []
    w1, h1 = _panel(g, "guest", 10, 10, differ, body,
                    "guest object, allocated by beale: %s" % g.get("preview", ""))
    w2, h2 = _panel(h, "host", 10, 10 + h1 + 20, differ, body,
                    "host CPython's own object for the same value")
    H = h1 + h2 + 40
    for line in _wrap(summary or "", int(max(w1, w2) / CHAR_W) - 4):
        body.append('<text x="10" y="%d" fill="%s">%s</text>'
                    % (H, COLORS["dim"], escape(line)))
        H += ROW_H
    H += 10
    W = int(max(w1, w2) + 20)
    return (_HEAD % (W, int(H), W, int(H), FONT, COLORS["arrow"])) + "".join(body) + "</svg>"


def _wrap(text, width):
    """Split text into lines of at most `width` characters at spaces."""
    lines, cur = [], ""
    for word in text.split(" "):
        if cur and len(cur) + 1 + len(word) > max(width, 40):
            lines.append(cur)
            cur = word
        else:
            cur = (cur + " " + word) if cur else word
    if cur:
        lines.append(cur)
    return lines


def size_of(svg_text):
    """(width, height) in px from the root element's attributes."""
    import re
    m = re.match(r'<svg[^>]* width="(\d+)" height="(\d+)"', svg_text)
    return int(m.group(1)), int(m.group(2))


def to_png(svg_text, png_path, browser=None, timeout=120):
    """Rasterise an SVG with headless chromium (`apt-get install chromium`). Returns the path;
    RuntimeError when no browser is installed or it fails."""
    import os
    import shutil
    import subprocess
    import tempfile
    browser = browser or shutil.which("chromium") or shutil.which("chromium-browser") \
        or shutil.which("google-chrome")
    if not browser:
        raise RuntimeError("no chromium found to rasterise the SVG")
    w, h = size_of(svg_text)
    with tempfile.TemporaryDirectory() as tmp:
        page = os.path.join(tmp, "page.html")
        with open(page, "w") as f:
            f.write('<!doctype html><html><body style="margin:0">%s</body></html>' % svg_text)
        out = os.path.abspath(png_path)
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                        "--hide-scrollbars", "--user-data-dir=" + os.path.join(tmp, "profile"),
                        "--window-size=%d,%d" % (w, h), "--screenshot=" + out, "file://" + page],
                       capture_output=True, timeout=timeout)
    if not os.path.exists(out):
        raise RuntimeError("chromium did not write %s" % out)
    return out
