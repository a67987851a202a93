"""The interactive prompt (CPython's PyRun_InteractiveLoop + Lib/code.py behaviour).

Reads lines with the host's `input()` (GNU readline line editing when the terminal has it),
decides when a statement is complete the way `codeop` does (the source is PARSED with the
host's parser in "incomplete input allowed" mode — only `ast` trees are made, nothing is
compiled to bytecode), then runs it in __main__ with beale's evaluator. Expression
statements show their value through the guest's sys.displayhook (repr + builtins._).
Tracebacks print as CPython prints them; SystemExit (exit(), quit(), sys.exit) leaves the
loop with its exit code; Ctrl-D (EOF) leaves with 0; Ctrl-C discards the current input.
"""

import ast
import sys

from runtime.errors import OperationError

BANNER = ('Python %s on %s (beale: a Python interpreter over CPython\'s own structs)\n'
          'Type "help", "copyright", "credits" or "license" for more information.\n')


def _parse_interactive(source):
    """An ast.Interactive tree, None when more input is needed; raises SyntaxError."""
    import codeop
    flags = ast.PyCF_ONLY_AST | getattr(codeop, "PyCF_DONT_IMPLY_DEDENT", 0x200) | \
        getattr(codeop, "PyCF_ALLOW_INCOMPLETE_INPUT", 0x4000)

    def parse(src, filename, symbol, incomplete_input=True):
        f = flags if incomplete_input else flags & ~0x4000
        return compile(src, filename, symbol, f, True)
    maybe = getattr(codeop, "_maybe_compile", None)
    if maybe is None:      # other host versions: parse, treating EOF errors as incomplete
        try:
            return ast.parse(source, "<stdin>", "single")
        except SyntaxError as e:
            if "unexpected EOF" in str(e) or "was never closed" in str(e) or \
                    "incomplete input" in str(e):
                return None
            raise
    return maybe(parse, source, "<stdin>", "single")


def run_interactive_tree(sess, tree):
    """Run each statement; show expression values through sys.displayhook."""
    from runtime import builtins, space, sysmodule
    for stmt in tree.body:
        if isinstance(stmt, ast.Expr):
            expr = ast.Expression(stmt.value)
            ast.copy_location(expr, stmt)
            w_value = builtins.run_tree(expr, "<stdin>", "eval", sess.w_main_dict)
            w_hook = sysmodule.get_attr("displayhook")
            if w_hook is not None:
                space.call(w_hook, [w_value])
        else:
            module = ast.Module([stmt], type_ignores=[])
            builtins.run_tree(module, "<stdin>", "exec", sess.w_main_dict)


def _prompt(name, default):
    from runtime import space, sysmodule
    w = sysmodule.get_attr(name)
    if w is None:
        return default
    try:
        return space.str(w).v
    except OperationError:
        return default


def _read_piped(prompt):
    """Not a terminal: CPython writes the prompt to stderr and reads a raw line."""
    sys.stderr.write(prompt)
    sys.stderr.flush()
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\n")


def interact(sess, banner=True, read=None):
    """The read-eval-print loop over `sess` (a runtime.cli.Session); returns the exit code.
    `read(prompt)` reads one line (default: the host's input())."""
    if read is None:
        if sys.stdin.isatty():
            try:
                import readline  # noqa: F401  (line editing for input())
            except ImportError:
                pass
            read = input
        else:
            read = _read_piped
    if banner:
        sys.stderr.write(BANNER % (sys.version.split("\n")[0], sys.platform))
    from runtime import exceptions
    from runtime.cli import GuestKeyboardInterrupt
    lines = []
    while True:
        try:
            prompt = _prompt("ps2", "... ") if lines else _prompt("ps1", ">>> ")
            try:
                line = read(prompt)
            except EOFError:
                sys.stderr.write("\n")
                return 0
            lines.append(line)
            source = "\n".join(lines)
            try:
                tree = _parse_interactive(source)
            except (SyntaxError, ValueError, OverflowError) as e:
                lines = []
                sess.handle_uncaught(exceptions.from_host_exception(e))
                continue
            if tree is None:
                continue
            lines = []
            try:
                run_interactive_tree(sess, tree)
            except OperationError as e:
                code = sess.handle_uncaught(e)
                if sess.exited:
                    return code
        except (KeyboardInterrupt, GuestKeyboardInterrupt):
            # Ctrl-C while reading: CPython discards the pending input
            sys.stderr.write("\nKeyboardInterrupt\n")
            lines = []
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
