"""The import system (a small importlib: Lib/importlib/_bootstrap.py's _gcd_import,
_find_and_load, _handle_fromlist and resolve_name, over beale's own module objects).

Where modules come from, in order, for each entry of the guest's sys.path (or the parent
package's __path__):
  * `name/__init__.py` (a package) or `name.py`: SOURCE files, parsed with the host's `ast`
    and run by beale's evaluator (never the host's .pyc). The script's directory, the host's
    stdlib and site-packages are on sys.path, so the stdlib's pure-Python modules (textwrap,
    string, collections, json, ...) are guest code;
  * `name.cpython-311-*.so` / `name.so` in lib-dynload or site-packages, and the host's
    built-in modules (sys.builtin_module_names): modules implemented in C are imported in
    the HOST and handed to the guest as they are (PyModuleObjects; runtime/foreign.py).
`sys` and `builtins` are beale's own modules. A stdlib module with both a Python source and a
C accelerator loads the Python source, which then imports the accelerator (heapq -> _heapq).
A few accelerators that would operate on guest *classes* through the host's type machinery
are hidden (BLOCKED_C_MODULES) so the stdlib's pure-Python fallback is used.

Entry points: `import_module(name, w_globals, fromlist, level)` (the semantics of
`__import__`, used by the evaluator's import statements), `import_star(w_module, w_namespace)`
(`from m import *` with __all__), `run_module_as_main(name)` for `beale -m`.
"""

import os
import sys as _host_sys

from runtime import object as _obj
from runtime import space
from runtime.errors import OperationError, oefmt

# Accelerators replaced by their pure-Python fallbacks: they drive guest classes and
# coroutines through type slots (tp_new, tp_call, am_send, ...) that beale-built heap types
# do not provide to C yet — _abc (abstract-class caches on guest types), _asyncio
# (Future/Task stepping guest coroutines), _functools (lru_cache building a guest
# namedtuple from C). The stdlib imports each inside try/except ImportError.
# (_warnings is replaced by beale's own module instead: make_warnings_module.)
BLOCKED_C_MODULES = frozenset(["_abc", "_asyncio"])

# Packages beale cannot load, each with the reason; importing one (or a submodule) raises
# ImportError in the guest, so code that treats them as optional (`try: import numpy
# except ImportError`, CPython's pickletester) takes its fallback. numpy: its C extension
# (_multiarray_umath) imports numpy's own Python modules by name through the HOST's import
# system at init and later (numpy.dtypes, numpy._core._exceptions, ...), so the C code and
# the guest's numpy would be two different copies of the package (the guest's numpy.dtypes
# never gets the DType classes C registers).
UNLOADABLE_PACKAGES = {
    "numpy": "its C extension imports numpy's Python modules through the host's import "
             "system, which beale does not share with the guest",
}

_EXT_SUFFIXES = None


def _ext_suffixes():
    global _EXT_SUFFIXES
    if _EXT_SUFFIXES is None:
        import importlib.machinery
        _EXT_SUFFIXES = list(importlib.machinery.EXTENSION_SUFFIXES)
    return _EXT_SUFFIXES


def _moduleobject():
    from runtime import moduleobject
    return moduleobject


def _sys_modules():
    from runtime import sysmodule
    return sysmodule.modules_dict()


def _str(w):
    v = getattr(w, "v", None)
    return v if isinstance(v, str) else None


def _is_none(w):
    return w is None or w.addr == _obj.ADDR_None


def _import_error(msg, name=None, path=None, cls="ImportError"):
    from runtime import exceptions
    kwargs = {}
    if name is not None:
        kwargs["name"] = space.newstr(name)
    if path is not None:
        kwargs["path"] = space.newstr(path)
    w_exc = exceptions.new_exception(cls, [space.newstr(msg)], kwargs)
    return exceptions.operation_error(w_exc)


# --- sys.modules ------------------------------------------------------------------------------

def get_loaded(name):
    """sys.modules[name] or None."""
    w_modules = _sys_modules()
    try:
        return space.getitem(w_modules, space.newstr(name))
    except OperationError as e:
        if space.exception_match(e, "KeyError"):
            return None
        raise


def set_loaded(name, w_mod):
    space.setitem(_sys_modules(), space.newstr(name), w_mod)


def remove_loaded(name):
    try:
        space.delitem(_sys_modules(), space.newstr(name))
    except OperationError as e:
        if not space.exception_match(e, "KeyError"):
            raise


# --- __import__ -------------------------------------------------------------------------------

def _global(w_globals, name):
    if w_globals is None or _is_none(w_globals):
        return None
    try:
        return space.getitem(w_globals, space.newstr(name))
    except OperationError as e:
        if space.exception_match(e, "KeyError"):
            return None
        raise


def resolve_name(name, w_globals, level):
    """The absolute name of a relative import (importlib._bootstrap._calc___package__ and
    _resolve_name)."""
    if level == 0:
        return name
    w_package = _global(w_globals, "__package__")
    package = None if _is_none(w_package) else _str(w_package)
    if package is None:
        w_name = _global(w_globals, "__name__")
        if w_name is None:
            raise oefmt("KeyError", "'__name__' not in globals")
        package = _str(w_name)
        if _global(w_globals, "__path__") is None:
            package = package.rpartition(".")[0]
    if not package:
        raise _import_error("attempted relative import with no known parent package")
    bits = package.rsplit(".", level - 1)
    if len(bits) < level:
        raise _import_error("attempted relative import beyond top-level package")
    base = bits[0]
    return "%s.%s" % (base, name) if name else base


def import_module(name, w_globals=None, fromlist=(), level=0):
    """__import__(name, globals, locals, fromlist, level): the module object for
    `import a.b.c` (a) or for `from a.b import c` (a.b)."""
    if level < 0:
        raise oefmt("ValueError", "level must be >= 0")
    if not name and level == 0:
        raise oefmt("ValueError", "Empty module name")
    fullname = resolve_name(name, w_globals, level)
    w_mod = find_and_load(fullname)
    if not fromlist:
        if level == 0:
            return find_and_load(fullname.partition(".")[0])
        if not name:
            return w_mod
        cut = len(name) - len(name.partition(".")[0])
        modname = _moduleobject().module_name(w_mod)
        return get_loaded(modname[:len(modname) - cut])
    return handle_fromlist(w_mod, fromlist)


def handle_fromlist(w_mod, fromlist):
    """Import the submodules named in `from package import a, b` that are not attributes."""
    mo = _moduleobject()
    if mo.get(w_mod, "__path__") is None:
        return w_mod
    modname = mo.module_name(w_mod)
    for item in fromlist:
        if item == "*":
            w_all = mo.get(w_mod, "__all__")
            if w_all is not None:
                handle_fromlist(w_mod, [_str(w) for w in space.iterate(w_all)
                                        if _str(w) is not None and _str(w) != "*"])
            continue
        if mo.get(w_mod, item) is None:
            try:
                find_and_load("%s.%s" % (modname, item))
            except OperationError as e:
                # a missing submodule is not an error here: the from-import reports it
                if not space.exception_match(e, "ModuleNotFoundError"):
                    raise
    return w_mod


def import_star(w_mod, w_namespace):
    """`from module import *`: names in __all__, else every name not starting with '_'."""
    mo = _moduleobject()
    w_all = mo.get(w_mod, "__all__")
    w_dict = mo.module_dict(w_mod) if isinstance(w_mod, mo.W_Module) else \
        space.getattr(w_mod, "__dict__")
    if w_all is not None:
        for w_name in space.iterate(w_all):
            name = _str(w_name)
            if name is None:
                raise oefmt("TypeError", "Item in %s.__all__ must be str, not %s",
                            mo.module_name(w_mod), space.typename(w_name))
            space.setitem(w_namespace, w_name, space.getattr(w_mod, name))
        return
    for w_key in list(space.iterate(w_dict)):
        name = _str(w_key)
        if name is not None and not name.startswith("_"):
            space.setitem(w_namespace, w_key, space.getitem(w_dict, w_key))


# --- finding and loading ----------------------------------------------------------------------

def find_and_load(fullname):
    """sys.modules[fullname], importing it (and its parents) first if needed."""
    w_mod = get_loaded(fullname)
    if w_mod is not None:
        if _is_none(w_mod):
            raise _import_error("import of %s halted; None in sys.modules" % fullname,
                                fullname, cls="ModuleNotFoundError")
        return w_mod
    if fullname in _FROZEN_ALIASES:
        return _load_frozen_alias(fullname)
    mo = _moduleobject()
    parent, _, child = fullname.rpartition(".")
    if parent:
        w_parent = find_and_load(parent)
        w_mod = get_loaded(fullname)     # the parent's import may have loaded us
        if w_mod is not None:
            return w_mod
        w_path = mo.get(w_parent, "__path__")
        if w_path is None:
            raise _import_error("No module named '%s'; '%s' is not a package"
                                % (fullname, parent), fullname, cls="ModuleNotFoundError")
        search = [_str(w) for w in space.iterate(w_path) if _str(w) is not None]
    else:
        search = None
    w_mod = load(fullname, search)
    if parent:
        mo.set(w_parent, child, w_mod)
    if fullname == "importlib":
        _install_path_finder()
    return w_mod


def _install_path_finder():
    """What CPython's startup does with the frozen importlib (_install_external_importers):
    PathFinder on sys.meta_path, FileFinder's hook on sys.path_hooks. beale's own importer
    does not consult them, but the library does: importlib.metadata finds distributions
    through the meta_path finders' find_distributions (werkzeug asks its version)."""
    w_ext = get_loaded("importlib._bootstrap_external")
    w_boot = get_loaded("importlib._bootstrap")
    if w_ext is None or w_boot is None:
        return
    from runtime import sysmodule
    w_meta_path = sysmodule.get_attr("meta_path")
    if w_meta_path is None or space.len(w_meta_path):
        return
    space.call(space.getattr(w_ext, "_install"), [w_boot])


# CPython freezes importlib's bootstrap modules under these names (zipimport imports
# _frozen_importlib_external); beale has nothing frozen: they are the guest's own
# importlib._bootstrap modules, which `import importlib` sets up (_bootstrap._setup).
_FROZEN_ALIASES = {"_frozen_importlib": "importlib._bootstrap",
                   "_frozen_importlib_external": "importlib._bootstrap_external"}


def _load_frozen_alias(fullname):
    target = _FROZEN_ALIASES[fullname]
    if get_loaded("importlib") is None:
        find_and_load("importlib")
    w_mod = get_loaded(target)
    if w_mod is None:
        # importlib/__init__.py is itself asking (it falls back to importlib._bootstrap)
        raise _import_error("No module named '%s'" % fullname, fullname,
                            cls="ModuleNotFoundError")
    set_loaded(fullname, w_mod)
    return w_mod


def find_spec(fullname, search=None):
    """(kind, location) for a module: ("builtin", None), ("source", path, is_package),
    ("extension", path) or None when not found."""
    name = fullname.rpartition(".")[2]
    if search is None:
        if fullname in ("sys", "builtins", "_imp", "_warnings"):
            return ("beale", None, False)
        if fullname in _host_sys.builtin_module_names:
            if fullname in BLOCKED_C_MODULES:
                return None
            return ("host", None, False)
        w_path = _sys_path()
        search = [_str(w) for w in space.iterate(w_path) if _str(w) is not None]
    for entry in search:
        base = os.path.join(entry or os.getcwd(), name)
        init = os.path.join(base, "__init__.py")
        if os.path.isfile(init):
            return ("source", init, True)
        if os.path.isfile(base + ".py"):
            return ("source", base + ".py", False)
        for suffix in _ext_suffixes():
            if os.path.isfile(base + suffix):
                if fullname in BLOCKED_C_MODULES:
                    return None
                return ("host", base + suffix, False)
        if os.path.isdir(base) and not search_is_stdlib_only(entry):
            # a namespace package portion (PEP 420), kept simple: one directory
            return ("namespace", base, True)
    return None


def search_is_stdlib_only(entry):
    return False


def _sys_path():
    from runtime import sysmodule
    return sysmodule.get_attr("path")


def load(fullname, search=None):
    """Find and execute a module, registering it in sys.modules."""
    top = fullname.partition(".")[0]
    if top in UNLOADABLE_PACKAGES:
        raise _import_error("beale cannot load %s: %s" % (top, UNLOADABLE_PACKAGES[top]),
                            fullname)
    spec = find_spec(fullname, search)
    if spec is None:
        raise _import_error("No module named '%s'" % fullname, fullname,
                            cls="ModuleNotFoundError")
    kind = spec[0]
    if kind == "beale":
        from runtime import builtins, sysmodule
        if fullname == "_imp":
            w_mod = make_imp_module()
        elif fullname == "_warnings":
            w_mod = make_warnings_module()
        else:
            w_mod = sysmodule.get_module() if fullname == "sys" else builtins.get_builtins()
        set_loaded(fullname, w_mod)
        return w_mod
    if kind == "host":
        return load_host_module(fullname)
    mo = _moduleobject()
    w_mod = mo.new_module(fullname)
    path, is_package = spec[1], spec[2]
    if kind == "namespace":
        mo.set(w_mod, "__path__", space.newlist([space.newstr(path)]))
        mo.set(w_mod, "__package__", space.newstr(fullname))
        set_loaded(fullname, w_mod)
        return w_mod
    init_module_attrs(w_mod, fullname, path, is_package)
    set_loaded(fullname, w_mod)
    try:
        exec_source_file(path, mo.module_dict(w_mod))
    except BaseException:
        remove_loaded(fullname)
        raise
    if fullname == "_py_abc":
        # ABCMeta.register must also set Py_TPFLAGS_SEQUENCE/MAPPING, as C _abc does
        from runtime import typeobject
        w_meta = mo.get(w_mod, "ABCMeta")
        if w_meta is not None:
            typeobject.install_abc_register_hook(w_meta)
    # the module may have replaced itself in sys.modules
    return get_loaded(fullname) or w_mod


def init_module_attrs(w_mod, fullname, path, is_package):
    from runtime import builtins
    mo = _moduleobject()
    mo.set(w_mod, "__file__", space.newstr(path))
    mo.set(w_mod, "__cached__", _obj.w_None)
    mo.set(w_mod, "__builtins__", builtins.get_builtins())
    if is_package:
        mo.set(w_mod, "__path__", space.newlist([space.newstr(os.path.dirname(path))]))
        mo.set(w_mod, "__package__", space.newstr(fullname))
    else:
        mo.set(w_mod, "__package__", space.newstr(fullname.rpartition(".")[0]))


def load_host_module(fullname):
    """Import a C module in the host and give the guest that very module object."""
    import importlib
    try:
        host_mod = importlib.import_module(fullname)
    except ImportError as e:
        raise _import_error(str(e), fullname, cls="ModuleNotFoundError"
                            if isinstance(e, ModuleNotFoundError) else "ImportError")
    from runtime import foreign
    foreign.register_module_types(host_mod)
    foreign.register_guest_imports(fullname, host_mod)
    hidden = HIDDEN_C_ATTRIBUTES.get(fullname)
    if hidden is not None:
        w_mod = _guest_copy_of_module(fullname, host_mod, hidden)
    else:
        w_mod = _obj.wrap(id(host_mod))
    set_loaded(fullname, w_mod)
    return w_mod


# C functions that cannot serve the guest, hidden so the stdlib takes its Python fallback:
# _thread._excepthook prints with the host's PyTraceBack_Print, which needs real traceback
# objects (threading.py then defines excepthook with traceback.print_exception).
HIDDEN_C_ATTRIBUTES = {"_thread": ("_excepthook", "_ExceptHookArgs")}


def _guest_copy_of_module(fullname, host_mod, hidden):
    """A guest module holding the host C module's attributes except `hidden` (the host's
    module object is left as it is)."""
    mo = _moduleobject()
    w_mod = mo.new_module(fullname, getattr(host_mod, "__doc__", None))
    for name, value in list(vars(host_mod).items()):
        if name not in hidden and name not in ("__name__", "__doc__"):
            mo.set(w_mod, name, _obj.wrap(id(value)))
    return w_mod


# --- running source -------------------------------------------------------------------------

_source_cache = {}


def read_source(path):
    """The text of a source file, decoded as PEP 263 says (tokenize.detect_encoding)."""
    import tokenize
    try:
        with open(path, "rb") as f:
            encoding, _ = tokenize.detect_encoding(f.readline)
            f.seek(0)
            data = f.read()
    except OSError as e:
        from runtime import exceptions
        raise exceptions.from_host_exception(e)
    except SyntaxError as e:
        from runtime import exceptions
        raise exceptions.from_host_exception(e)
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise _syntax_error("source code cannot contain null bytes", path, line, "")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        # the tokenizer's message (Parser/tokenizer.c, PEP 263), without a location
        line = data.count(b"\n", 0, e.start) + 1
        msg = ("Non-UTF-8 code starting with '\\x%02x' in file %s on line %d, but no "
               "encoding declared; see https://peps.python.org/pep-0263/ for details"
               % (data[e.start], path, line)) if encoding == "utf-8" else \
            "(unicode error) %s" % (e,)
        raise _syntax_error(msg)


def _syntax_error(msg, filename=None, lineno=None, text=None):
    """A guest SyntaxError(msg[, (filename, lineno, None, text)])."""
    from runtime import exceptions
    args = [space.newstr(msg)]
    if filename is not None:
        args.append(space.newtuple([space.newstr(filename), space.newint(lineno),
                                    _obj.w_None, space.newstr(text)]))
    return exceptions.operation_error(exceptions.new_exception("SyntaxError", args))


def parse_file(path):
    """The parsed `ast` tree of a source file (cached by path and mtime)."""
    import ast
    try:
        mtime = os.stat(path).st_mtime_ns
    except OSError:
        mtime = None
    key = (path, mtime)
    tree = _source_cache.get(key)
    if tree is None:
        source = read_source(path)
        try:
            tree = ast.parse(source, path, "exec")
        except (SyntaxError, ValueError) as e:
            from runtime import exceptions
            raise exceptions.from_host_exception(e)
        _source_cache[key] = tree
    return tree


# When beale runs as the process's program (cli), everything the host holds after a module
# body ran -- mostly its compiled closures, cells and cached AST, about a million host
# objects once unittest is imported -- is moved to the host collector's permanent
# generation (gc.freeze), so a guest gc.collect() does not traverse it each time (seconds
# per call otherwise). The price: garbage cycles alive at that moment are never collected.
# Off for in-process sessions (tests), whose modules die with the session.
FREEZE_GC_AFTER_IMPORT = False


def exec_source_file(path, w_dict):
    from runtime import builtins
    tree = parse_file(path)
    builtins.run_tree(tree, path, "exec", w_dict)
    if FREEZE_GC_AFTER_IMPORT:
        import gc
        gc.freeze()


# --- beale -m ---------------------------------------------------------------------------------

def find_main_file(name):
    """The file `python -m name` runs: name.py, or name/__main__.py for a package."""
    parent = name.rpartition(".")[0]
    search = None
    if parent:
        w_parent = find_and_load(parent)
        w_path = _moduleobject().get(w_parent, "__path__")
        if w_path is None:
            raise _import_error("No module named %s" % name, name)
        search = [_str(w) for w in space.iterate(w_path)]
    spec = find_spec(name, search)
    if spec is None:
        raise _import_error("No module named %s" % name, name, cls="ModuleNotFoundError")
    if spec[0] != "source":
        raise _import_error("No code object available for %s" % name, name)
    if spec[2]:
        main = os.path.join(os.path.dirname(spec[1]), "__main__.py")
        if not os.path.isfile(main):
            raise _import_error("No module named %s.__main__; '%s' is a package and cannot "
                                "be directly executed" % (name, name), name)
        find_and_load(name)
        return main, name
    return spec[1], parent


# --- _warnings: forwarding to the guest's warnings.py -----------------------------------------

def make_warnings_module():
    """beale's `_warnings`: only warn() and warn_explicit(), which call the guest's own
    `warnings` module. Without `filters` there, warnings.py's `from _warnings import
    (filters, ...)` fails and it keeps its pure-Python implementation, whose filters are
    the ones catch_warnings()/simplefilter() change (the host's C _warnings reads the
    HOST's warnings.filters). importlib._bootstrap calls _warnings.warn()."""
    from runtime import functionobject
    mo = _moduleobject()
    w_mod = mo.new_module("_warnings", None)

    def forward(name):
        def fn(*args_w, **kwargs_w):
            w_warnings = import_module("warnings", None, None, 0)
            return space.call(space.getattr(w_warnings, name), list(args_w), kwargs_w)
        return functionobject.new_builtin_function(name, fn)

    for name in ("warn", "warn_explicit"):
        mo.set(w_mod, name, forward(name))
    return w_mod


# --- _imp: the import machinery's C helpers, as beale sees them --------------------------------

def make_imp_module():
    """beale's `_imp` (Python/import.c's module): the stdlib's importlib runs on top of it
    as guest code. Nothing is frozen for the guest (every stdlib module it has comes from
    its source), built-in and extension modules are the host's (load_host_module)."""
    import _imp as host_imp
    from runtime import functionobject
    mo = _moduleobject()
    w_mod = mo.new_module("_imp", host_imp.__doc__)

    def name_of(w_spec):
        return space.str_w(space.getattr(w_spec, "name"))

    def create_builtin(w_spec):
        name = name_of(w_spec)
        if name == "_warnings":
            return import_module("_warnings", None, None, 0)
        return load_host_module(name)

    def create_dynamic(w_spec, w_file=None):
        return load_host_module(name_of(w_spec))

    def is_builtin(w_name):
        name = space.str_w(w_name)
        if name in ("sys", "builtins", "_imp", "_warnings"):
            return space.newint(-1)
        return space.newint(0 if name in BLOCKED_C_MODULES else host_imp.is_builtin(name))

    def zero(*args_w):
        return space.newint(0)

    def false(*args_w):
        return _obj.w_False

    def none(*args_w, **kwargs_w):
        return _obj.w_None

    def not_frozen(*args_w, **kwargs_w):
        raise _import_error("No such frozen object named %s" % space.str_w(args_w[0]))

    def extension_suffixes():
        return space.newlist([space.newstr(x) for x in _ext_suffixes()])

    def source_hash(w_key, w_source):
        return space.newbytes(host_imp.source_hash(space.int_w(w_key), w_source.v))

    functions = {
        "create_builtin": create_builtin, "create_dynamic": create_dynamic,
        "exec_builtin": zero, "exec_dynamic": zero, "is_builtin": is_builtin,
        "is_frozen": false, "is_frozen_package": false, "find_frozen": none,
        "get_frozen_object": not_frozen, "init_frozen": not_frozen,
        "acquire_lock": none, "release_lock": none, "lock_held": false,
        "extension_suffixes": extension_suffixes, "_fix_co_filename": none,
        "source_hash": source_hash,
        "_frozen_module_names": lambda *a: space.newtuple([]),
        "_override_frozen_modules_for_tests": none,
    }
    for name, fn in functions.items():
        mo.set(w_mod, name, functionobject.new_builtin_function(name, fn))
    mo.set(w_mod, "check_hash_based_pycs", space.newstr("never"))
    return w_mod
