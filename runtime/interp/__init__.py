"""beale's evaluator: the host's `ast` compiled into host closures (see compiler.py).

Entry points (docs/DESIGN.md §4):
    run_module_source(source, filename, w_module_dict)  parse + run a module body
    run_tree(tree, filename, mode, w_globals, w_locals=None)
        run an ast.Module ("exec"), ast.Expression ("eval", returns the value) or
        ast.Interactive ("single") in the given namespaces
    current_globals() / current_locals()   for the builtins globals()/locals()
    call_in_big_stack(fn)   run fn() in a host thread with a 512 MB stack

Guest exceptions propagate as runtime.errors.OperationError with `traceback` (a host list
of runtime.traceback.TbEntry, outermost first) filled on the way out.
"""

import ast
import sys
import threading

from runtime.errors import OperationError
from runtime import space
from runtime.interp.frame import Frame, ts, add_traceback
from runtime.interp import compiler
from runtime.interp import gil

_code_cache = {}


def compile_source(source, filename, mode="exec"):
    """Parse with the host's ast module (raises the host SyntaxError) and compile."""
    tree = ast.parse(source, filename, mode)
    return compiler.compile_tree(tree, filename)


def run_code(code, w_globals, w_locals=None):
    """Run a compiled module-level Code in the given namespaces; returns the result of an
    expression code, else None."""
    f = Frame(code, w_globals, 0)
    f.w_ns = w_locals if w_locals is not None else w_globals
    f.w_builtins = compiler.builtins_of(w_globals)
    if code.scope is not None and code.scope.cellvars:
        f.cells = [space.newcell(None) for _ in code.scope.cellvars]
    me = gil.get_ident()
    took = gil.holder != me           # host code entering guest code: take the guest lock
    if took:
        gil.take(me)
    t = ts
    f.back = t.frame
    t.frame = f
    try:
        code.body(f)
    except OperationError as e:
        add_traceback(e, f)
        raise
    finally:
        t.frame = f.back
        if took:
            gil._leave(me)
    return f.retval


def run_tree(tree, filename, mode, w_globals, w_locals=None):
    try:
        code = compiler.compile_tree(tree, filename)
    except SyntaxError as e:
        # a compile-time error of the guest program (symtable.check_syntax)
        from runtime import exceptions
        raise exceptions.from_host_exception(e)
    if mode == "eval":
        return run_code(code, w_globals, w_locals)
    run_code(code, w_globals, w_locals)
    return None


def run_module_source(source, filename, w_module_dict):
    """Run `source` as the body of the module whose dict is w_module_dict."""
    code = compile_source(source, filename, "exec")
    run_code(code, w_module_dict)


def current_globals():
    f = ts.frame
    if f is None:
        from runtime.errors import oefmt
        raise oefmt("SystemError", "no current frame")
    return f.w_globals


def current_locals():
    """locals(): the namespace of module/class bodies; a fresh dict for functions."""
    f = ts.frame
    if f is None:
        return current_globals()
    from runtime.frameobject import frame_locals
    return frame_locals(f)


def getframe(depth=0):
    """sys._getframe(depth): the guest frame object `depth` calls up the stack."""
    from runtime.errors import oefmt
    from runtime import frameobject
    f = ts.frame
    while depth > 0 and f is not None:
        f = f.back
        depth -= 1
    if f is None:
        raise oefmt("ValueError", "call stack is not deep enough")
    return frameobject.frame_object(f)


def set_recursion_limit(n):
    ts.recursion_limit = n


def get_recursion_limit():
    return ts.recursion_limit


def call_in_big_stack(fn, stack_mb=512):
    """Run fn() in a host thread with a big C stack and a high host recursion limit, so
    deep guest recursion reaches the guest RecursionError long before the host overflows.
    Returns fn()'s result or re-raises its exception."""
    result = []
    error = []

    # Completion is signalled with an Event, not Thread.join(): a guest `import threading`
    # (stdlib source) calls the host's _thread._set_sentinel() in this thread, which
    # replaces the lock that Thread.join() waits for.
    done = threading.Event()

    def runner():
        try:
            result.append(fn())
        except BaseException as e:      # handed back to the calling thread
            error.append(e)
        finally:
            done.set()

    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old_limit, 200000))
    old_size = threading.stack_size()
    threading.stack_size(stack_mb * 1024 * 1024)
    try:
        # daemon: at exit the host must not join it (its join lock may have been replaced)
        t = threading.Thread(target=runner, name="beale-guest", daemon=True)
        t.start()
    finally:
        threading.stack_size(old_size)
    done.wait()
    if error:
        raise error[0]
    return result[0] if result else None
