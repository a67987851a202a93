"""The IPython extension: run cells in a beale guest and draw guest objects' memory.

    %load_ext runtime.ipython

    %%beale                      run the cell in the guest interpreter (one guest __main__
    x = [1, 2, 3]                that persists across cells; a last expression is shown
    x                            as the guest's repr, as IPython shows the host's)

    %beale_dump x                SVG diagram of the guest object bound to x: boxes for the
    %beale_dump x --depth 2      structs (fields, offsets, values read from memory), arrows
    %beale_dump x --host         for pointers; --host draws the host CPython's own object for
    %beale_dump host:y           the same value below it; host:NAME draws a host object from
    %beale_dump x --text         the IPython namespace; --text prints `beale dump`'s table

For notebooks that build objects without the evaluator, `diagram(w_or_addr, ...)` returns
the same SVG for a handle (anything with `.addr`), a host object (`host=obj`) or an address.
"""

import ast
import shlex
import sys

from runtime import dump, svg

_session = None


def session():
    """The notebook's guest interpreter session (runtime.cli.Session), made on first use."""
    global _session
    if _session is None:
        from runtime.cli import Session
        _session = Session(["ipython"], "")
    return _session


def reset():
    """Forget the guest session (a fresh __main__ on the next %%beale)."""
    global _session
    _session = None


class SVG(object):
    """A displayable SVG (IPython calls _repr_svg_), usable without IPython too."""

    def __init__(self, text, model=None):
        self.data = text
        self.model = model           # the dump model(s) the picture was drawn from

    def claims(self):
        """What the picture claims to show: [{"addr", "type", "struct", "side"}] for its root
        objects (stored in the notebook output's metadata; tests/notebooks checks them)."""
        m = self.model or {}
        if "guest" in m:
            pairs = [("guest", m["guest"]), ("host", m.get("host"))]
        else:
            pairs = [("object", m)]
        return [{"addr": "0x%x" % d["addr"], "type": d["type"], "struct": d["struct"],
                 "side": side} for side, d in pairs if d]

    def _repr_svg_(self):
        return self.data, {"beale": self.claims()}

    def __str__(self):
        return self.data


def diagram(obj=None, depth=1, host=False, addr=None, max_items=12):
    """SVG of an object's memory: obj is a guest handle (has .addr); with addr= an address.

    host=True draws the host CPython's own object for the same value below the guest's."""
    if addr is None:
        addr = obj.addr
    if host:
        rep = dump.dump_report(addr, "", depth=depth, max_items=max_items)
        if rep["host"] is not None:
            text = svg.render_pair(rep["guest"], rep["host"], rep["compare"], rep["summary"])
            out = SVG(text, rep)
            out._keep = rep                    # keeps the host twin alive with the picture
            return out
    d = dump.dump_object(addr, depth, {"max_items": max_items})
    return SVG(svg.render(d), d)


def table(obj=None, depth=0, addr=None, max_items=12):
    """Print `beale dump`'s table for a guest handle (or address, or host object via id())."""
    if addr is None:
        addr = obj.addr
    d = dump.dump_object(addr, depth, {"max_items": max_items})
    print("\n".join(dump.render_text(d)))


def host_diagram(obj, depth=1, max_items=12):
    """SVG of a host object (drawn with the same code: the bytes have the same layout)."""
    d = dump.dump_object(id(obj), depth, {"max_items": max_items})
    out = SVG(svg.render(d, kind="host", label="host object: %s" % d["preview"]), d)
    out._keep = obj
    return out


def run_cell(source, sess=None):
    """Run source in the guest __main__; returns the guest handle of a trailing expression's
    value (or None). Guest exceptions are printed as the guest's traceback."""
    from runtime.errors import OperationError
    sess = sess or session()
    try:
        tree = ast.parse(source)
    except SyntaxError as e:
        sys.stderr.write("  File \"<cell>\", line %s\n%s: %s\n"
                         % (e.lineno, type(e).__name__, e.msg))
        return None
    body, last = source, None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        node = tree.body[-1]
        lines = source.splitlines(True)
        body = "".join(lines[:node.lineno - 1]) + lines[node.lineno - 1][:node.col_offset]
        last = ast.get_source_segment(source, node)
    def run():
        if body.strip():
            sess.exec_in_main(body, "<cell>", "exec")
        if last is not None:
            return sess.exec_in_main(last, "<cell>", "eval")
        return None
    try:
        # as the CLI does: a big-stack thread, so deep guest recursion is the guest's
        # RecursionError and never overflows the kernel's C stack
        return dump.in_guest_thread(run)
    except OperationError as e:
        sess.handle_uncaught(e)
        return None
    finally:
        sys.stdout.flush()


def guest_repr(w):
    from runtime import space
    return space.repr(w).v


def lookup(name, sess=None):
    """The guest object bound to `name` in __main__, or the value of a guest expression."""
    sess = sess or session()
    return dump.in_guest_thread(lambda: sess.exec_in_main(name, "<beale_dump>", "eval"))


def _parse_dump_args(line):
    args = shlex.split(line)
    o = {"depth": 1, "host": False, "text": False, "max_items": 12, "name": None}
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("--depth", "--max-items") and i + 1 < len(args):
            o[a[2:].replace("-", "_")] = int(args[i + 1])
            i += 2
            continue
        if a == "--host":
            o["host"] = True
        elif a == "--text":
            o["text"] = True
        else:
            o["name"] = a if o["name"] is None else o["name"] + " " + a
        i += 1
    if o["name"] is None:
        raise ValueError("usage: %beale_dump NAME [--depth N] [--host] [--text]")
    return o


def load_ipython_extension(ip):
    """Register %%beale and %beale_dump (called by %load_ext runtime.ipython)."""
    def beale(line, cell):
        w = run_cell(cell)
        if w is not None and not _is_none(w):
            print(guest_repr(w))

    def beale_dump(line):
        o = _parse_dump_args(line)
        name = o["name"]
        if name.startswith("host:"):
            value = ip.user_ns[name[5:]]
            if o["text"]:
                d = dump.dump_object(id(value), o["depth"], {"max_items": o["max_items"]})
                print("\n".join(dump.render_text(d)))
                return None
            return host_diagram(value, o["depth"], o["max_items"])
        from runtime.errors import OperationError
        try:
            w = lookup(name)
        except OperationError as e:
            session().handle_uncaught(e)
            return None
        if o["text"]:
            rep = dump.dump_report(w, name, o["depth"], o["max_items"], o["host"])
            if rep["host"] is not None:
                lines = dump.render_report(name, rep["guest"], rep["host"], rep["compare"],
                                           dump.Colors(False))
            else:
                lines = dump.render_text(rep["guest"])
            print("\n".join(lines))
            return None
        return diagram(w, o["depth"], o["host"], max_items=o["max_items"])

    ip.register_magic_function(beale, magic_kind="cell", magic_name="beale")
    ip.register_magic_function(beale_dump, magic_kind="line", magic_name="beale_dump")


def unload_ipython_extension(ip):
    pass


def _is_none(w):
    from runtime.object import ADDR_None
    return w.addr == ADDR_None
