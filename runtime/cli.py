"""The `beale` command (also `python -m runtime`): CPython's command line, run by beale.

    beale script.py args...      run a script (sys.argv = ['script.py', 'args', ...])
    beale run script.py args...  the same
    beale -c CODE args...        run CODE (sys.argv[0] == '-c')
    beale -m module args...      run a module as __main__ (sys.argv[0] = its path)
    beale -i ...                 enter the REPL after running
    beale -                      read the program from stdin
    beale                        the REPL when stdin is a terminal, else read stdin
    beale layout ...             the layout tool (layout.cli.main)
    beale dump EXPR              a guest object's struct beside the host's (runtime.dump)
    beale run --alloc-stats ...  run, then print allocation statistics (runtime.allocstats)

Exit codes follow CPython (Modules/main.c, pymain_run_python / handle_system_exit): an uncaught
exception prints its traceback and exits 1, SystemExit(n) exits n (a non-int code is printed to
stderr and exits 1), a syntax error exits 1, an uncaught KeyboardInterrupt exits by SIGINT
(status 130 in a shell). Bad input never shows a host traceback: a failure inside beale itself
prints one line "beale: internal error: ..." (the host traceback only with BEALE_DEBUG=1).

The guest program runs in a host thread with a large stack (`run_with_big_stack`), so deep
guest recursion reaches the guest's RecursionError long before the host's C stack ends.
SIGINT arrives in the main thread, which forwards it into that thread as KeyboardInterrupt.
"""

import os
import signal
import sys
import threading

from runtime.errors import OperationError

USAGE = """\
usage: beale [option] ... [-c cmd | -m mod | file | -] [arg] ...
Options:
-c cmd : program passed in as string (terminates option list)
-h     : print this help message and exit (also -? or --help)
-i     : inspect interactively after running script
-m mod : run library module as a script (terminates option list)
-q     : don't print version and copyright messages on interactive startup
-u     : force the stdout and stderr streams to be unbuffered
-V     : print the Python version number and exit (also --version)
file   : program read from script file
-      : program read from stdin (default; interactive mode if a tty)
arg ...: arguments passed to program in sys.argv[1:]
Commands:
beale run file [arg] ...   : run a script
beale layout ...           : inspect the host's C struct layouts (beale layout --help)
beale dump EXPR            : show a guest object's memory beside the host's (beale dump --help)
beale run --alloc-stats f  : run f, then print objects allocated/freed per type
beale conformance ...      : run CPython's regression suite under beale (source tree only)
"""

# options that take an argument (consumed and ignored unless handled below)
_OPTS_WITH_ARG = "WX"
_FLAG_OPTS = "bBdEhiIOqsSuvVx?R"

BIG_STACK = 512 * 1024 * 1024
HOST_RECURSION_LIMIT = 200000


class Options:
    """What the command line asked for."""

    def __init__(self):
        self.command = None      # -c
        self.module = None       # -m
        self.script = None       # file, or "-" for stdin
        self.args = []           # sys.argv[1:]
        self.interactive = False
        self.quiet = False
        self.unbuffered = False
        self.version = False
        self.help = False
        self.warnoptions = []
        self.xoptions = []


class UsageError(Exception):
    pass


def parse_args(argv):
    """CPython's option rules: short flags may be grouped (-iq), -c/-m end the options."""
    opts = Options()
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            i += 1
            break
        if arg in ("--version",):
            opts.version = True
            i += 1
            continue
        if arg in ("--help",):
            opts.help = True
            i += 1
            continue
        if not arg.startswith("-") or arg == "-":
            break
        j = 1
        while j < len(arg):
            ch = arg[j]
            if ch in "cm":
                rest = arg[j + 1:]
                if not rest:
                    i += 1
                    if i >= len(argv):
                        raise UsageError("Argument expected for the -%s option" % ch)
                    rest = argv[i]
                if ch == "c":
                    opts.command = rest
                    opts.args = ["-c"] + argv[i + 1:]
                else:
                    opts.module = rest
                    opts.args = argv[i + 1:]
                return opts
            if ch in _OPTS_WITH_ARG:
                rest = arg[j + 1:]
                if not rest:
                    i += 1
                    if i >= len(argv):
                        raise UsageError("Argument expected for the -%s option" % ch)
                    rest = argv[i]
                (opts.warnoptions if ch == "W" else opts.xoptions).append(rest)
                break
            if ch not in _FLAG_OPTS:
                raise UsageError("Unknown option: -%s" % ch)
            if ch == "i":
                opts.interactive = True
            elif ch == "q":
                opts.quiet = True
            elif ch == "u":
                opts.unbuffered = True
            elif ch == "V":
                opts.version = True
            elif ch in "h?":
                opts.help = True
            j += 1
        i += 1
    if i < len(argv):
        opts.script = argv[i]
        opts.args = argv[i:]
    return opts


def main(argv=None):
    """Entry point of the `beale` console script. With argv=None (the real command line)
    it flushes and ends the process itself; with an explicit argv it returns the exit code."""
    real = argv is None
    if real:
        argv = sys.argv[1:]
        _tune_host_gc()
        from runtime import importer
        importer.FREEZE_GC_AFTER_IMPORT = True     # this process is the guest's
    try:
        code = _main(list(argv))
    except SystemExit as e:       # argparse-style exits from helpers
        code = e.code if isinstance(e.code, int) else 1
    if not real:
        return code
    _finish(code)


def _tune_host_gc():
    """The host's cyclic GC, at its default gen-0 threshold (700 allocations), runs over and
    over while beale compiles a large program: every AST node, code closure and handle is a
    host allocation. Importing Flask spent about a third of its time in those collections.
    Collect less often (reference counting still frees everything acyclic at once)."""
    import gc
    gc.set_threshold(100000, 20, 100)


def _main(argv):
    if argv and argv[0] == "layout":
        from layout.cli import main as layout_main
        return layout_main(argv[1:])
    if argv and argv[0] == "conformance":
        return _conformance(argv[1:])
    if argv and argv[0] == "dump":
        from runtime.dump import main as dump_main
        return dump_main(argv[1:])
    if argv and argv[0] == "run":
        argv = argv[1:]
        if argv and argv[0] == "--alloc-stats":
            from runtime.allocstats import main as allocstats_main
            return allocstats_main(argv[1:])
        if not argv:
            sys.stderr.write("beale run: missing script\n")
            return 2
    try:
        opts = parse_args(argv)
    except UsageError as e:
        sys.stderr.write("%s\n%s" % (e, "usage: beale [option] ... [-c cmd | -m mod | file | -]"
                                     " [arg] ...\nTry `beale -h' for more information.\n"))
        return 2
    if opts.help:
        sys.stdout.write(USAGE)
        return 0
    if opts.version:
        sys.stdout.write("Python %d.%d.%d (beale)\n" % sys.version_info[:3])
        return 0
    if opts.unbuffered:
        try:
            sys.stdout.reconfigure(write_through=True)
            sys.stderr.reconfigure(write_through=True)
        except (AttributeError, ValueError):
            pass
    return run_with_big_stack(lambda: _run(opts))


def _run(opts):
    """Boot the runtime and run what the options ask for; returns the exit code."""
    if opts.command is not None:
        argv, path0 = opts.args, ""
    elif opts.module is not None:
        argv, path0 = ["-m"] + opts.args, os.getcwd()
    elif opts.script is not None and opts.script != "-":
        argv = opts.args
        path0 = os.path.dirname(os.path.abspath(opts.script))
    else:
        argv, path0 = (opts.args or [""]), ""
        if argv == ["-"]:
            argv = ["-"]
    try:
        sess = Session(argv, path0)
    except OperationError as e:
        return report_internal_error("start-up failed: %s" % (e,))
    code = None
    if opts.command is not None:
        code = sess.run_source(opts.command, "<string>")
    elif opts.module is not None:
        code = sess.run_module_as_main(opts.module)
    elif opts.script is not None and opts.script != "-":
        code = sess.run_file(opts.script)
    elif opts.interactive or sys.stdin.isatty():
        from runtime import repl
        return repl.interact(sess, banner=not opts.quiet)
    else:
        code = sess.run_source(sys.stdin.read(), "<stdin>")
    if opts.interactive and not sess.exited:
        from runtime import repl
        return repl.interact(sess, banner=False)
    code2 = sess.wait_for_thread_shutdown()
    return code if code2 == 0 or code else code2


def _conformance(argv):
    """`beale conformance ...`: the CPython regression-suite runner of the source tree
    (tests/conformance/run.py), when beale runs from a checkout."""
    import importlib.util
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = os.path.join(root, "tests", "conformance", "run.py")
    if not os.path.isfile(path):
        sys.stderr.write("beale conformance: needs the source tree (tests/conformance/run.py)\n")
        return 2
    spec = importlib.util.spec_from_file_location("beale_conformance_run", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main(argv) or 0


class Session:
    """One running guest program: the builtins and sys modules, sys.modules, __main__.

    `run_*` methods return the process exit code and print uncaught exceptions as CPython
    does; `exec_in_main` runs code and lets OperationError through (for the REPL)."""

    def __init__(self, argv, path0, executable=None):
        from runtime import builtins, importer, moduleobject, sysmodule
        self.exited = False
        self.w_builtins = builtins.get_builtins()
        self.w_sys = sysmodule.make_sys_module(argv, path0, executable)
        importer.set_loaded("builtins", self.w_builtins)
        importer.set_loaded("sys", self.w_sys)
        self.w_main = moduleobject.new_module("__main__")
        moduleobject.set(self.w_main, "__builtins__", self.w_builtins)
        moduleobject.set(self.w_main, "__annotations__", _space().newdict())
        importer.set_loaded("__main__", self.w_main)

    @property
    def w_main_dict(self):
        from runtime import moduleobject
        return moduleobject.module_dict(self.w_main)

    def exec_in_main(self, source, filename, mode="exec"):
        """Parse and run `source` in __main__ (OperationError propagates)."""
        from runtime import builtins
        tree = builtins.parse_source(source, filename, mode)
        return builtins.run_tree(tree, filename, mode, self.w_main_dict)

    def run_source(self, source, filename):
        return self.guarded(lambda: self.exec_in_main(source, filename))

    def run_file(self, path):
        from runtime import importer, moduleobject
        abspath = os.path.abspath(path)
        if not os.path.exists(path):
            sys.stderr.write("beale: can't open file %r: [Errno 2] No such file or directory\n"
                             % abspath)
            return 2
        if os.path.isdir(path):
            main = os.path.join(path, "__main__.py")
            if not os.path.isfile(main):
                sys.stderr.write("beale: can't find '__main__' module in %r\n" % path)
                return 1
            path = main
        # CPython 3.9+ makes the script's __file__ (and so its code's filename) absolute
        path = os.path.abspath(path)
        moduleobject.set(self.w_main, "__file__", _space().newstr(path))
        moduleobject.set(self.w_main, "__cached__", _none())

        def body():
            from runtime import builtins
            tree = importer.parse_file(path)
            builtins.run_tree(tree, path, "exec", self.w_main_dict)
        return self.guarded(body)

    def run_module_as_main(self, name):
        from runtime import importer, moduleobject

        def body():
            path, package = importer.find_main_file(name)
            sp = _space()
            w_argv = self.w_sys and moduleobject.get(self.w_sys, "argv")
            sp.setitem(w_argv, sp.newint(0), sp.newstr(path))
            moduleobject.set(self.w_main, "__file__", sp.newstr(path))
            moduleobject.set(self.w_main, "__package__", sp.newstr(package))
            from runtime import builtins
            from runtime.traceback import TbEntry
            # CPython runs -m through runpy, whose frames head the traceback (3.11.7 lines)
            try:
                tree = importer.parse_file(path)
            except OperationError as e:
                e.traceback = [
                    TbEntry("<frozen runpy>", 189, "_run_module_as_main"),
                    TbEntry("<frozen runpy>", 159, "_get_module_details"),
                    TbEntry("<frozen importlib._bootstrap_external>", 1074, "get_code"),
                    TbEntry("<frozen importlib._bootstrap_external>", 1004,
                            "source_to_code"),
                    TbEntry("<frozen importlib._bootstrap>", 241,
                            "_call_with_frames_removed")] + list(e.traceback or [])
                raise
            try:
                builtins.run_tree(tree, path, "exec", self.w_main_dict)
            except OperationError as e:
                e.traceback = [TbEntry("<frozen runpy>", 198, "_run_module_as_main"),
                               TbEntry("<frozen runpy>", 88, "_run_code")] + \
                    list(e.traceback or [])
                raise

        def missing(e):
            from runtime import exceptions
            if exceptions.exception_matches(e, exceptions.w_type_of("ImportError")):
                sys.stderr.write("beale: %s\n" % exceptions.exception_str(
                    exceptions.materialise(e)))
                return 1
            return None
        return self.guarded(body, on_error=missing)

    def wait_for_thread_shutdown(self):
        """Py_FinalizeEx's wait_for_thread_shutdown: when the guest imported `threading`,
        its _shutdown() joins the non-daemon threads still running (holding the guest lock
        like any entry into guest code). Returns an exit code (0: fine)."""
        from runtime import importer
        from runtime.interp import gil
        w_threading = importer.get_loaded("threading")
        if w_threading is None:
            return 0

        def body():
            from runtime import space
            with gil.entered():
                space.call(space.getattr(w_threading, "_shutdown"), [])
        return self.guarded(body)

    def guarded(self, body, on_error=None):
        """Run body(); an uncaught guest exception is printed and becomes the exit code."""
        try:
            body()
        except OperationError as e:
            if on_error is not None:
                code = on_error(e)
                if code is not None:
                    return code
            if isinstance(e, GuestKeyboardInterrupt) and not e.traceback:
                e.traceback = list(_interrupted_at)
            return self.handle_uncaught(e)
        except RecursionError:
            return self.handle_uncaught(OperationError(
                "RecursionError", "maximum recursion depth exceeded"))
        except KeyboardInterrupt:
            # SIGINT arrived as a host exception: report it as the guest's, where it was
            operr = OperationError("KeyboardInterrupt", None)
            operr.traceback = list(_interrupted_at)
            return self.handle_uncaught(operr)
        except Exception as e:          # a bug in beale, not in the guest program
            return report_internal_error_with_guest_stack(e)
        finally:
            _flush_guest_streams()
        return 0

    def handle_uncaught(self, operr):
        """CPython's handle_system_exit / PyErr_Print for an exception that reached the top."""
        from runtime import exceptions, traceback
        try:
            w_exc = exceptions.attach_traceback(operr)
        except OperationError:
            sys.stderr.write("%s\n" % (operr,))
            return 1
        if exceptions.is_subclass_addr(exceptions.type_addr_of(w_exc), id(SystemExit)):
            self.exited = True
            return self.system_exit_code(w_exc)
        if exceptions.is_subclass_addr(exceptions.type_addr_of(w_exc), id(KeyboardInterrupt)):
            _flush_guest_streams()
            sys.stderr.write("".join(traceback.format_exception(w_exc)))
            return KEYBOARD_INTERRUPT_EXIT
        _flush_guest_streams()
        try:
            text = "".join(traceback.format_exception(w_exc))
        except OperationError as e2:
            text = "Error in sys.excepthook:\n%s\n" % (e2,)
        sys.stderr.write(text)
        sys.stderr.flush()
        return 1

    def system_exit_code(self, w_exc):
        """SystemExit: code None -> 0, an int -> it, anything else printed and 1."""
        from runtime import exceptions
        w_code = exceptions.get_field(w_exc, "code", "PySystemExitObject")
        if w_code is None or w_code.addr == _obj_addr_none():
            return 0
        v = getattr(w_code, "v", None)
        if isinstance(v, int):
            return v
        _flush_guest_streams()
        try:
            text = _space().str(w_code).v
        except OperationError:
            text = ""
        sys.stderr.write(text + "\n")
        return 1


def _space():
    from runtime import space
    return space


def _none():
    from runtime import object as _obj
    return _obj.w_None


def _obj_addr_none():
    from runtime import object as _obj
    return _obj.ADDR_None


def _flush_guest_streams():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


def guest_entries_from_host_traceback(tb):
    """The guest frames active when a host exception was raised: the evaluator's Frame
    objects found in the host frames' locals, outermost first."""
    from runtime.traceback import TbEntry
    try:
        from runtime.interp.frame import Frame
    except ImportError:
        return []
    entries = []
    seen = set()
    while tb is not None:
        for value in tb.tb_frame.f_locals.values():
            if isinstance(value, Frame) and id(value) not in seen:
                seen.add(id(value))
                code = getattr(value, "code", None)
                if code is not None:
                    entries.append(TbEntry(code.filename, value.lineno, code.name))
        tb = tb.tb_next
    return entries


def report_internal_error_with_guest_stack(e):
    """One line naming the internal error, then where the guest program was."""
    from runtime import traceback
    _flush_guest_streams()
    if os.environ.get("BEALE_DEBUG"):
        import traceback as host_traceback
        host_traceback.print_exc()
    entries = guest_entries_from_host_traceback(e.__traceback__)
    sys.stderr.write("beale: internal error: %s: %s\n" % (type(e).__name__, e))
    if entries:
        sys.stderr.write("Traceback (most recent call last):\n")
        sys.stderr.write("".join(traceback.format_entries(entries)))
    sys.stderr.flush()
    return 1


def report_internal_error(message):
    sys.stderr.write("beale: internal error: %s\n" % message)
    return 1


# --- running in a big-stack thread ------------------------------------------------------------

def run_with_big_stack(fn):
    """Run fn() in a thread with a BIG_STACK stack; SIGINT in the main thread is forwarded
    into it as KeyboardInterrupt. Returns fn's result (an exit code)."""
    result = []
    # Completion is signalled with our own Event, not Thread.join(): the guest's `threading`
    # module (stdlib source) calls the host's _thread._set_sentinel() in this thread, which
    # replaces the lock Thread.join() waits for.
    done = threading.Event()

    def body():
        from runtime.interp import gil
        outer_main = gil.main_ident
        gil.main_ident = threading.get_ident()    # SIGINT goes to this guest thread
        try:
            result.append(fn())
        except KeyboardInterrupt:
            result.append(_keyboard_interrupt_exit())
        except BaseException as e:       # a bug in beale: say so in one line
            if os.environ.get("BEALE_DEBUG"):
                import traceback as host_traceback
                host_traceback.print_exc()
            result.append(report_internal_error("%s: %s" % (type(e).__name__, e)))
        finally:
            gil.main_ident = outer_main
            done.set()

    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old_limit, HOST_RECURSION_LIMIT))
    old_size = threading.stack_size()
    try:
        threading.stack_size(BIG_STACK)
    except (ValueError, RuntimeError):
        pass
    thread = threading.Thread(target=body, name="beale-main", daemon=True)
    # SIGINT is delivered to the main thread: forward it without raising here (an exception
    # inside Thread.join can leave the thread's state inconsistent).
    old_handler = None
    if threading.current_thread() is threading.main_thread():
        try:
            old_handler = signal.signal(signal.SIGINT, lambda signum, frame: _interrupt(thread))
        except (ValueError, OSError):
            old_handler = None
    thread.start()
    threading.stack_size(old_size)
    try:
        while not done.wait(0.1):
            pass
    finally:
        if old_handler is not None:
            signal.signal(signal.SIGINT, old_handler)
    return result[0] if result else 1


_interrupted_at = []    # guest stack (TbEntry list) when the last SIGINT arrived


def _snapshot_guest_stack():
    """Where the guest is now: the evaluator's frame chain as TbEntry records, outermost
    first (runtime.interp.frame.ts.frame, each frame's code filename/name and line)."""
    from runtime.traceback import TbEntry
    try:
        from runtime.interp.frame import ts
    except ImportError:
        return []
    entries = []
    f = ts.frame
    while f is not None and len(entries) < 10000:
        code = getattr(f, "code", None)
        if code is not None:
            entries.append(TbEntry(code.filename, f.lineno, code.name))
        f = getattr(f, "back", None)
    entries.reverse()
    return entries


class GuestKeyboardInterrupt(OperationError):
    """A guest KeyboardInterrupt raised asynchronously in the guest's thread: it is an
    OperationError, so the evaluator's try/except/finally handle it like any guest
    exception (`except KeyboardInterrupt:` catches it) and records its traceback."""

    def __init__(self, *args):
        OperationError.__init__(self, "KeyboardInterrupt", None)


def _interrupt(thread):
    """Raise a guest KeyboardInterrupt inside the guest's thread: at its next eval-breaker
    check when it runs guest code (runtime.interp.gil.interrupt_main: never in the middle of
    one of beale's operations or of the guest lock's hand-over), else (host code such as the
    REPL reading a line) asynchronously with PyThreadState_SetAsyncExc, which instantiates
    the class there with no arguments."""
    import ctypes
    from runtime.interp import gil
    if gil.interrupt_main():
        return
    try:
        _interrupted_at[:] = _snapshot_guest_stack()
    except Exception:
        _interrupted_at[:] = []
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident),
                                               ctypes.py_object(GuestKeyboardInterrupt))


KEYBOARD_INTERRUPT_EXIT = -2   # a marker: exit by re-raising SIGINT (see _finish)


def _keyboard_interrupt_exit():
    return KEYBOARD_INTERRUPT_EXIT


def _finish(code):
    """Flush the host's streams (the guest's sys.stdout/err are them) and end the process
    without running the host's finalisation over beale-owned memory."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    if code == KEYBOARD_INTERRUPT_EXIT:
        # as CPython does for an uncaught KeyboardInterrupt: die by SIGINT (status 130)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
        code = 130
    if code is None:
        code = 0
    os._exit(code & 0xff if isinstance(code, int) else 1)
