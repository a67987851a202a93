"""Printing uncaught guest exceptions exactly as CPython 3.11 does.

Mirrors Python/pythonrun.c (`_PyErr_Display`, `print_exception`, `print_exception_recursive`,
`print_error_text`) and Python/traceback.c (`tb_displayline`, `tb_printinternal` with its
"[Previous line repeated N more times]" folding, the `~~~^^^` caret anchors of 3.11).

Tracebacks
----------
CPython's traceback objects point at real frame objects, which beale does not build. A guest
exception's `__traceback__` field (PyBaseExceptionObject.traceback) therefore holds a *host*
object of the small class `Traceback` below: a linked list (`tb_next`) of entries that
looks like a traceback to guest code reading it (`tb_lineno`, `tb_frame.f_code.co_filename`,
`tb_frame.f_code.co_name`, `tb_frame.f_lineno`), reached through runtime/foreign.py. Because it
is a real host object stored in a real struct field, the host's `BaseException_dealloc` frees
it with the exception.

The interpreter records where an exception passes as `TbEntry` records (`OperationError.
traceback`, a host list, outermost frame first — the order CPython prints) and calls
`runtime.exceptions.attach_traceback(operr)` to store them in the guest object.

Pure formatting functions here work on host strings (`format_entries`, `format_syntax_error`);
`format_exception(w_exc, operr)` is the glue that asks the guest object for its class name,
message, cause and context.
"""

import linecache


class TbEntry:
    """One line of a traceback: where a frame was when the exception passed through it.

    `col_offset`/`end_col_offset` are UTF-8 byte offsets as the `ast` module gives them
    (CPython's co_positions); None when unknown (then no carets are printed)."""

    __slots__ = ("filename", "lineno", "name", "end_lineno", "col_offset", "end_col_offset",
                 "frame")

    def __init__(self, filename, lineno, name, end_lineno=None, col_offset=None,
                 end_col_offset=None):
        self.filename = filename
        self.lineno = lineno
        self.name = name
        self.end_lineno = end_lineno
        self.col_offset = col_offset
        self.end_col_offset = end_col_offset
        self.frame = None         # the interp Frame (NameError suggestions read its names)

    def __repr__(self):
        return "<TbEntry %s:%s in %s>" % (self.filename, self.lineno, self.name)


def entry_from(obj):
    """Accept a TbEntry, a tuple (filename, lineno, name[, end_lineno, col, end_col]) or an
    ast node-like object with filename/lineno/name attributes."""
    if isinstance(obj, TbEntry):
        return obj
    if isinstance(obj, tuple):
        return TbEntry(*obj)
    return TbEntry(getattr(obj, "filename", "?"), getattr(obj, "lineno", 0),
                   getattr(obj, "name", "?"), getattr(obj, "end_lineno", None),
                   getattr(obj, "col_offset", None), getattr(obj, "end_col_offset", None))


# --- the host-side objects guest code sees as tracebacks --------------------------------------

class _Code:
    """What `tb.tb_frame.f_code` shows: co_filename, co_name, and co_positions() with the
    one position the entry recorded (the stdlib's traceback module reads it at tb_lasti 0
    to draw its carets)."""

    def __init__(self, filename, name, position=(None, None, None, None)):
        self.co_filename = filename
        self.co_name = name
        self.co_qualname = name
        self.co_firstlineno = 1
        self._position = position

    def co_positions(self):
        yield self._position

    def __repr__(self):
        return '<code object %s, file "%s">' % (self.co_name, self.co_filename)


class _Frame:
    """What `tb.tb_frame` shows: f_code, f_lineno, f_globals/f_locals (empty: not tracked)."""

    def __init__(self, entry):
        self.f_code = _Code(entry.filename, entry.name,
                            (entry.lineno, entry.end_lineno, entry.col_offset,
                             entry.end_col_offset))
        if entry.frame is not None:
            self.f_code.co_firstlineno = entry.frame.code.firstlineno
        self._entry = entry
        self.f_globals = {}
        self.f_locals = {}
        self.f_back = None

    @property
    def f_lineno(self):
        """The frame's current line, as CPython's (live: the line the frame is at now, or
        was at when it finished), not the line the traceback entry recorded."""
        f = self._entry.frame
        if f is not None and f.lineno is not None:
            return f.lineno
        return self._entry.lineno

    def clear(self):
        """frame.clear(): nothing to drop (the entry holds no locals)."""

    def __repr__(self):
        return "<frame, file '%s', line %d, code %s>" % (
            self.f_code.co_filename, self.f_lineno, self.f_code.co_name)


class Traceback:
    """A traceback as guest code sees it (CPython's PyTracebackObject: tb_next, tb_frame,
    tb_lasti, tb_lineno), plus the beale entry it was made from."""

    def __init__(self, entry, tb_next=None):
        self.entry = entry
        self.tb_next = tb_next
        self.tb_frame = _Frame(entry)
        self.tb_lineno = entry.lineno
        self.tb_lasti = 0 if entry.col_offset is not None else -1

    def entries(self):
        """The chain as a list of TbEntry, outermost first."""
        out = []
        tb = self
        while tb is not None:
            out.append(tb.entry)
            tb = tb.tb_next
        return out

    def __repr__(self):
        return "<traceback object at %#x>" % id(self)


def build_traceback(entries):
    """Host Traceback chain from TbEntry records (outermost first), or None if empty."""
    tb = None
    for entry in reversed(entries):
        tb = Traceback(entry_from(entry), tb)
    return tb


# --- formatting a stack -----------------------------------------------------------------------

RECURSIVE_CUTOFF = 3   # traceback.c: identical lines beyond this are folded


def _byte_to_char(line, offset):
    """A UTF-8 byte offset into `line` as a character offset."""
    return len(line.encode("utf-8")[:offset].decode("utf-8", "replace"))


def _caret_anchors(segment):
    """Where the `^` part lies inside the highlighted `~` range, for a binary operator or a
    subscript (Python/traceback.c extract_anchors_from_expr); None for anything else.
    Returns (left_end, right_start) character offsets into `segment`."""
    import ast
    try:
        tree = ast.parse(segment)
    except (SyntaxError, ValueError):
        return None
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Expr):
        return None
    expr = tree.body[0].value
    if isinstance(expr, ast.BinOp):
        raw = segment.encode("utf-8")
        op_start = _byte_to_char(segment, expr.left.end_col_offset)
        op_end = _byte_to_char(segment, expr.right.col_offset)
        between = segment[op_start:op_end]
        skip = len(between) - len(between.lstrip())
        left = expr.left.end_col_offset + skip
        right = left + 1
        # two-character operators (**, //, <<, >>, @= ...) get two carets
        if skip + 1 < len(between) and not between[skip + 1].isspace():
            right += 1
        # closing parentheses and comments after the left operand belong to the ~ part
        while left < len(raw) and (chr(raw[left]).isspace() or chr(raw[left]) in ")#"):
            left += 1
            right += 1
        return _byte_to_char(segment, left), _byte_to_char(segment, right)
    if isinstance(expr, ast.Subscript):
        left = _byte_to_char(segment, expr.value.end_col_offset)
        right = _byte_to_char(segment, expr.slice.end_col_offset + 1)
        while left < len(segment) and segment[left] != "[":
            left += 1
        while right < len(segment) and segment[right] != "]":
            right += 1
        if right < len(segment):
            right += 1
        return left, right
    return None


def format_entry(entry):
    """The lines CPython prints for one frame: 'File ..., line N, in f', the stripped source
    line, and the caret line when the failing expression is only part of the line."""
    entry = entry_from(entry)
    out = ['  File "%s", line %d, in %s\n' % (entry.filename, entry.lineno, entry.name)]
    line = linecache.getline(entry.filename, entry.lineno) if entry.filename else ""
    if not line:
        return out
    line = line.rstrip("\r\n")
    stripped = line.strip()
    if not stripped:
        return out
    out.append("    %s\n" % stripped)
    if entry.col_offset is None or entry.end_col_offset is None or entry.end_lineno is None:
        return out
    if entry.col_offset < 0 or entry.end_col_offset < 0:
        return out
    indent = len(line) - len(line.lstrip())
    start = _byte_to_char(line, entry.col_offset)
    end = _byte_to_char(line, entry.end_col_offset)
    anchors = None
    if entry.end_lineno == entry.lineno:
        try:
            anchors = _caret_anchors(line[start:end])
        except Exception:      # a best-effort nicety, exactly as CPython treats it
            anchors = None
    else:
        end = len(line.rstrip())
    if end <= start:
        return out
    covers_line = end - start >= len(stripped)
    if covers_line and not (anchors and anchors[1] - anchors[0] > 0):
        return out
    carets = " " * (start - indent)
    if anchors:
        left, right = anchors
        carets += "~" * left + "^" * (right - left) + "~" * (end - start - right)
    else:
        carets += "^" * (end - start)
    out.append("    %s\n" % carets)
    return out


def format_entries(entries):
    """All frames, folding runs of more than three identical (file, line, name) entries into
    '  [Previous line repeated N more times]' as tb_printinternal does."""
    out = []
    last = None
    count = 0
    for entry in entries:
        entry = entry_from(entry)
        key = (entry.filename, entry.lineno, entry.name)
        if key != last:
            if count > RECURSIVE_CUTOFF:
                _repeated(out, count - RECURSIVE_CUTOFF)
            last = key
            count = 0
        count += 1
        if count <= RECURSIVE_CUTOFF:
            out.extend(format_entry(entry))
    if count > RECURSIVE_CUTOFF:
        _repeated(out, count - RECURSIVE_CUTOFF)
    return out


def _repeated(out, n):
    out.append("  [Previous line repeated %d more time%s]\n" % (n, "s" if n > 1 else ""))


def format_syntax_error(type_name, msg, filename, lineno, offset, text, end_lineno=None,
                        end_offset=None):
    """The lines CPython prints for a SyntaxError (pythonrun.c print_exception +
    print_error_text): the location, the source line and the carets, then 'Type: msg'."""
    out = []
    suffix = ""
    if lineno is not None:
        out.append('  File "%s", line %d\n' % (filename or "<string>", lineno))
    elif filename is not None:
        suffix = " (%s)" % filename
    if text is not None:
        rtext = text.rstrip("\n")
        ltext = rtext.lstrip(" \n\f\t")
        spaces = len(rtext) - len(ltext)
        out.append("    %s\n" % ltext)
        if offset is not None:
            if end_offset in (None, 0):
                end_offset = offset
            if offset == end_offset or end_offset == -1:
                end_offset = offset + 1
            if end_lineno is not None and lineno is not None and end_lineno > lineno:
                end_offset = len(rtext) + 1
            end_offset = min(end_offset, len(rtext) + 1)     # no carets past the line
            col = offset - 1 - spaces
            end_col = end_offset - 1 - spaces
            if col >= 0:
                pad = "".join(c if c.isspace() else " " for c in ltext[:col])
                out.append("    %s%s\n" % (pad, "^" * max(end_col - col, 1)))
    out.append("%s: %s%s\n" % (type_name, msg if msg else "<no detail available>", suffix))
    return out


CAUSE_MESSAGE = "\nThe above exception was the direct cause of the following exception:\n\n"
CONTEXT_MESSAGE = "\nDuring handling of the above exception, another exception occurred:\n\n"


# --- glue with guest exception objects -------------------------------------------------------

def format_exception(w_exc, entries=None):
    """All the lines CPython prints for the uncaught guest exception `w_exc`, with its
    chained __cause__/__context__ sections first (print_exception_recursive).
    `entries` overrides the traceback stored in the object (e.g. OperationError.traceback)."""
    from runtime import exceptions
    seen = set()
    return _format_recursive(exceptions, w_exc, entries, seen)


def _format_recursive(exceptions, w_exc, entries, seen):
    out = []
    seen.add(w_exc.addr)
    w_cause = exceptions.get_cause(w_exc)
    w_context = exceptions.get_context(w_exc)
    if w_cause is not None:
        if w_cause.addr not in seen and exceptions.is_exception(w_cause):
            out.extend(_format_recursive(exceptions, w_cause, None, seen))
            out.append(CAUSE_MESSAGE)
    elif w_context is not None and not exceptions.get_suppress_context(w_exc):
        if w_context.addr not in seen and exceptions.is_exception(w_context):
            out.extend(_format_recursive(exceptions, w_context, None, seen))
            out.append(CONTEXT_MESSAGE)
    if entries is None:
        entries = exceptions.get_traceback_entries(w_exc)
    if entries:
        out.append("Traceback (most recent call last):\n")
        out.extend(format_entries(entries))
    out.extend(format_exception_only(w_exc, entries))
    return out


# --- "Did you mean" (Python/suggestions.c, 3.11) ------------------------------------------------

_MAX_CANDIDATE_ITEMS = 750
_MAX_STRING_SIZE = 40
_MOVE_COST = 2
_CASE_COST = 1


def _substitution_cost(a, b):
    if (ord(a) & 31) != (ord(b) & 31):
        return _MOVE_COST
    if a == b:
        return 0
    return _CASE_COST if a.lower() == b.lower() else _MOVE_COST


def _levenshtein(a, b, max_cost):
    """levenshtein_distance of suggestions.c (on the UTF-8 bytes there; str here)."""
    if a == b:
        return 0
    while a and b and a[0] == b[0]:
        a, b = a[1:], b[1:]
    while a and b and a[-1] == b[-1]:
        a, b = a[:-1], b[:-1]
    if not a or not b:
        return (len(a) + len(b)) * _MOVE_COST
    if len(a) > _MAX_STRING_SIZE or len(b) > _MAX_STRING_SIZE:
        return max_cost + 1
    if len(b) < len(a):
        a, b = b, a
    if (len(b) - len(a)) * _MOVE_COST > max_cost:
        return max_cost + 1
    buf = [(i + 1) * _MOVE_COST for i in range(len(a))]
    result = 0
    for bi, code in enumerate(b):
        distance = result = bi * _MOVE_COST
        minimum = None
        for i, ca in enumerate(a):
            substitute = distance + _substitution_cost(code, ca)
            distance = buf[i]
            insert_delete = min(result, distance) + _MOVE_COST
            result = min(insert_delete, substitute)
            buf[i] = result
            if minimum is None or result < minimum:
                minimum = result
        if minimum > max_cost:
            return max_cost + 1
    return result


def calculate_suggestion(names, name):
    """The closest of host strs `names` to `name`, or None (calculate_suggestions)."""
    if len(names) >= _MAX_CANDIDATE_ITEMS:
        return None
    best, best_distance = None, None
    for item in names:
        if item == name:
            continue
        max_distance = (len(name) + len(item) + 3) * _MOVE_COST // 6
        if best_distance is not None:
            max_distance = min(max_distance, best_distance - 1)
        d = _levenshtein(name, item, max_distance)
        if d > max_distance:
            continue
        if best is None or d < best_distance:
            best, best_distance = item, d
    return best


def _suggestion(w_exc, entries):
    """_Py_Offer_Suggestions: for an AttributeError the names in dir(obj), for a NameError
    those of the innermost frame's locals, globals, then builtins."""
    from runtime import space, typeobject
    try:
        if typeobject.exc_instance_of_name(w_exc, "AttributeError"):
            w_name = space.findattr(w_exc, "name")
            w_obj = space.findattr(w_exc, "obj")
            if w_name is None or w_obj is None or w_name.__class__.typedef.name != "str":
                return None
            names = [space.str_w(w) for w in space.iterate(space.call_function(
                _builtin("dir"), w_obj)) if w.__class__.typedef.name == "str"]
            return calculate_suggestion(sorted(names), space.str_w(w_name))
        if typeobject.exc_instance_of_name(w_exc, "NameError"):
            w_name = space.findattr(w_exc, "name")
            if w_name is None or w_name.__class__.typedef.name != "str" or not entries:
                return None
            f = entries[-1].frame
            if f is None:
                return None
            from runtime.interp.compiler import builtins_of
            name = space.str_w(w_name)
            # in CPython's order, unsorted (the first of equally close names wins): the
            # code's co_varnames, then the globals' and the builtins' keys
            candidates = [list(f.code.varnames)]
            for w_d in (f.w_globals, f.w_builtins or builtins_of(f.w_globals)):
                candidates.append([space.str_w(w) for w in space.iterate(w_d)
                                   if w.__class__.typedef.name == "str"])
            for names in candidates:
                found = calculate_suggestion(names, name)
                if found is not None:
                    return found
    except Exception:
        return None
    return None


def _builtin(name):
    from runtime import builtins, dictobject
    return dictobject.getitem_str(builtins.get_builtins_dict(), name)


def format_exception_only(w_exc, entries=None):
    """The last lines: 'module.Type: message' (module omitted for builtins and __main__),
    or the SyntaxError block; then any __notes__ (3.11). A NameError/AttributeError gets
    CPython's ". Did you mean: 'x'?" (`entries`: its traceback, innermost frame last)."""
    from runtime import exceptions
    type_name = exceptions.qualified_type_name(w_exc)
    syn = exceptions.syntax_error_info(w_exc)
    if syn is not None:
        out = format_syntax_error(type_name, *syn)
    else:
        # print_exception: "Type", ": str(value)" unless empty, then the suggestion
        try:
            msg = exceptions.exception_str(w_exc)
            line = "%s: %s" % (type_name, msg) if msg else type_name
        except Exception:
            line = "%s: <exception str() failed>" % type_name
        try:
            suggestion = _suggestion(w_exc, entries)
        except Exception:
            suggestion = None
        if suggestion is not None:
            line += ". Did you mean: '%s'?" % suggestion
        out = [line + "\n"]
    for note in exceptions.get_notes(w_exc):
        out.append(note + "\n")
    return out
