"""Compile-time warnings (CPython's compiler_warn / _PyErr_EmitSyntaxWarning, Python/compile.c
3.11) and the tokenizer's warnings, issued through the guest's `warnings` module.

- `parse(source, filename, mode)`: the host's ast.parse with the warnings its tokenizer and
  parser emit (invalid escape sequences, "invalid decimal literal" before a keyword, ...)
  recorded, then re-issued to the guest.
- `check(tree, filename)`: the compiler's own SyntaxWarnings: `assert (x, "msg")`,
  `x is 1`, `(1, 2) (3, 4)` / `{1, 2} [i]` / `[1, 2] [i, j]` ("perhaps you missed a
  comma?").
- A SyntaxWarning the guest's filters turn into an error becomes a SyntaxError at the
  warning's location, as in CPython.
- `warn(category, message, stacklevel)`: a run-time warning from beale's own code.
"""

import ast

from runtime.errors import OperationError


# --- issuing -------------------------------------------------------------------------------------

def _warnings_module():
    from runtime import importer
    return importer.import_module("warnings", None, None, 0)


def _category(name):
    from runtime import exceptions
    return exceptions.w_type_of(name)


def warn(category, message, stacklevel=1):
    """warnings.warn(message, category, stacklevel) in the guest (PyErr_WarnEx)."""
    from runtime import space
    w_warnings = _warnings_module()
    space.call(space.getattr(w_warnings, "warn"),
               [space.newstr(message), _category(category), space.newint(stacklevel)])


def _warn_explicit(category, message, filename, lineno, node=None, text=None,
                   on_error=None):
    """PyErr_WarnExplicitObject; a SyntaxWarning raised as an error (the 'error' action)
    becomes a SyntaxError at the same place (`on_error()` raises it, if given)."""
    from runtime import space, exceptions
    w_warnings = _warnings_module()
    try:
        space.call(space.getattr(w_warnings, "warn_explicit"),
                   [space.newstr(message), _category(category), space.newstr(filename),
                    space.newint(lineno)])
    except OperationError as e:
        if category != "SyntaxWarning" or not space.exception_match(e, "SyntaxWarning"):
            raise
        if on_error is not None:
            on_error()
        col = getattr(node, "col_offset", None)
        end_col = getattr(node, "end_col_offset", None)
        err = SyntaxError(message, (filename, lineno, None if col is None else col + 1,
                                    text, getattr(node, "end_lineno", None),
                                    None if end_col is None else end_col + 1))
        raise exceptions.from_host_exception(err)


# --- the tokenizer's and parser's warnings ---------------------------------------------------------

def parse(source, filename, mode):
    """ast.parse, with the host parser's warnings handed to the guest afterwards (CPython
    emits them while tokenizing: the source of the guest program is the guest's business)."""
    import warnings
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tree = ast.parse(source, filename, mode)
    def as_error():
        # the host parser raises the SyntaxError itself, with its exact location, when
        # its warnings are errors
        with warnings.catch_warnings():
            warnings.simplefilter("error", SyntaxWarning)
            ast.parse(source, filename, mode)

    for w in caught:
        _warn_explicit(w.category.__name__, str(w.message), filename, w.lineno or 1,
                       on_error=as_error)
    return tree


# --- the compiler's warnings -----------------------------------------------------------------------

_TYPE_OF_NODE = {ast.Tuple: "tuple", ast.List: "list", ast.ListComp: "list",
                 ast.Dict: "dict", ast.DictComp: "dict", ast.Set: "set", ast.SetComp: "set",
                 ast.GeneratorExp: "generator", ast.Lambda: "function",
                 ast.JoinedStr: "str", ast.FormattedValue: "str"}


def _infer_type(e):
    """compile.c infer_type(): the type name of a display/literal expression, else None."""
    if isinstance(e, ast.Constant):
        return type(e.value).__name__
    return _TYPE_OF_NODE.get(type(e))


def _is_literal(e):
    """The operand of `is` that check_is_arg() rejects: a constant other than None, True,
    False and Ellipsis (after constant folding: -1 and (1, 2) are constants too)."""
    if isinstance(e, ast.Constant):
        v = e.value
        return not (v is None or v is True or v is False or v is Ellipsis)
    if isinstance(e, ast.UnaryOp) and isinstance(e.operand, ast.Constant) and \
            type(e.operand.value) in (int, float, complex):
        return True
    if isinstance(e, ast.Tuple) and isinstance(e.ctx, ast.Load):
        return all(isinstance(x, ast.Constant) or _is_literal(x) for x in e.elts)
    return False


class _Checker(ast.NodeVisitor):
    """Walks a tree in the order the compiler visits it and collects its warnings."""

    def __init__(self):
        self.found = []             # (message, node)

    def _warn(self, node, message):
        self.found.append((message, node))

    def visit_Assert(self, node):
        if isinstance(node.test, ast.Tuple) and node.test.elts:
            self._warn(node, "assertion is always true, perhaps remove parentheses?")
        self.generic_visit(node)

    def visit_Compare(self, node):
        left = node.left
        for op, right in zip(node.ops, node.comparators):
            if isinstance(op, (ast.Is, ast.IsNot)) and (_is_literal(left) or
                                                       _is_literal(right)):
                self._warn(node, '"is" with a literal. Did you mean "=="?'
                           if isinstance(op, ast.Is) else
                           '"is not" with a literal. Did you mean "!="?')
            left = right
        self.generic_visit(node)

    def visit_Call(self, node):
        # check_caller
        f = node.func
        if isinstance(f, (ast.Constant, ast.Tuple, ast.List, ast.ListComp, ast.Dict,
                          ast.DictComp, ast.Set, ast.SetComp, ast.GeneratorExp,
                          ast.JoinedStr, ast.FormattedValue)):
            self._warn(node, "'%s' object is not callable; perhaps you missed a comma?"
                       % _infer_type(f))
        self.generic_visit(node)

    def visit_Subscript(self, node):
        if isinstance(node.ctx, ast.Load):
            v = node.value
            # check_subscripter
            bad = isinstance(v, (ast.Set, ast.SetComp, ast.GeneratorExp, ast.Lambda))
            if isinstance(v, ast.Constant) and (v.value is None or v.value is Ellipsis or
                                                type(v.value) in (int, bool, float, complex,
                                                                  frozenset)):
                bad = True
            if bad:
                self._warn(node, "'%s' object is not subscriptable; perhaps you missed a "
                           "comma?" % _infer_type(v))
            else:
                # check_index
                index_type = _infer_type(node.slice)
                if index_type is not None and index_type not in ("int", "bool", "slice"):
                    indexable = isinstance(v, (ast.Tuple, ast.List, ast.ListComp,
                                               ast.JoinedStr, ast.FormattedValue)) or \
                        (isinstance(v, ast.Constant) and
                         type(v.value) in (str, bytes, tuple))
                    if indexable:
                        self._warn(node, "%s indices must be integers or slices, not %s; "
                                   "perhaps you missed a comma?"
                                   % (_infer_type(v), index_type))
        self.generic_visit(node)


def check(tree, filename):
    """Issue the compiler's SyntaxWarnings for `tree` (before it is compiled)."""
    c = _Checker()
    c.visit(tree)
    for message, node in c.found:
        _warn_explicit("SyntaxWarning", message, filename, getattr(node, "lineno", 1), node)
