"""``beale layout``: show CPython struct layouts.

    beale layout PyFloatObject                 # table: offset, size, C type, field
    beale layout --json PyFloatObject          # the same as JSON
    beale layout --list                        # the extracted structs
    beale layout --headers DIR --define Py_GIL_DISABLED PyObject
                                               # another include dir, parse only

Also ``python -m layout ...``.  runtime/cli.py calls :func:`main` for the
``layout`` subcommand (with or without the leading ``"layout"`` in argv).
"""

import argparse
import json
import sys


def _parser():
    p = argparse.ArgumentParser(prog="beale layout",
                                description="Show CPython struct layouts computed from the headers.")
    p.add_argument("name", nargs="?", help="struct: a typedef name (PyObject) or 'struct tag'")
    p.add_argument("--list", action="store_true", help="list the extracted structs")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument("--headers", metavar="DIR",
                   help="parse this include dir instead of the host's (nothing is compiled)")
    p.add_argument("--define", "-D", metavar="MACRO[=VALUE]", action="append", default=[],
                   help="extra preprocessor definition (repeatable), e.g. Py_GIL_DISABLED")
    return p


def format_table(s):
    """The struct as a table, nested structs expanded and indented."""
    lines = ["%s  (%s, size %d, align %d)" % (s.name, s.kind, s.size, s.align),
             "offset     size  %-32s field" % "C type"]
    for depth, path, f in s.walk():
        indent = "  " * depth
        if f.bit_width is not None:
            off = "%d:%d" % (f.offset, f.bit_offset)  # byte offset of the unit : bit
            size = "%d bit%s" % (f.bit_width, "" if f.bit_width == 1 else "s")
            label = (f.name or "<unnamed bitfield>")
        else:
            off, size = str(f.offset), str(f.size)
            label = f.name or path
        ctype = f.ctype if f.struct is None or f.name is not None else f.struct.kind
        lines.append("%6s  %7s  %-32s %s%s" % (off, size, indent + ctype, indent, label))
    return "\n".join(lines)


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "layout":
        argv = argv[1:]
    args = _parser().parse_args(argv)
    try:
        if args.headers:
            from .offline import load
            from .cparse import BuildError
            try:
                source = load(args.headers, tuple(args.define))
            except BuildError as e:
                print(str(e), file=sys.stderr)
                return 1
            struct_fn, names_fn = source.struct, source.structs
            where = args.headers
        else:
            if args.define:
                print("beale layout: --define needs --headers DIR (the host module is "
                      "compiled with the host's own configuration)", file=sys.stderr)
                return 2
            import layout
            struct_fn, names_fn = layout.struct, layout.structs
            where = None
        if args.list:
            names = names_fn()
            if args.json:
                print(json.dumps(names))
            else:
                print("\n".join(names))
            return 0
        if not args.name:
            _parser().print_usage(sys.stderr)
            return 2
        try:
            s = struct_fn(args.name)
        except KeyError:
            print("beale layout: no struct named %r in the headers (see --list)" % args.name,
                  file=sys.stderr)
            return 1
        if args.json:
            d = s.to_json()
            if where:
                d["headers"] = where
                d["defines"] = list(args.define)
            print(json.dumps(d, indent=1))
        else:
            print(format_table(s))
        return 0
    except ImportError as e:  # layout could not be built: one line says why
        print(str(e), file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
