"""The guest `sys` module (CPython's Python/sysmodule.c).

A beale-built module object (runtime/moduleobject.py) whose values are guest objects:
argv/path/modules/meta_path/... are guest lists and dicts, version/platform/... guest strs
and ints. The standard streams are the HOST's file objects (sys.stdout is the host's
TextIOWrapper on fd 1) seen by the guest as foreign objects (runtime/foreign.py), so guest
output and host output share one buffer. Structured read-only records that CPython exposes
as struct sequences (version_info, flags, float_info, int_info, hash_info, implementation)
are the host's own objects adopted as foreign objects (attribute access, indexing and
comparison work through the host), except that `implementation.name` is 'beale'.

State the evaluator reads: `get_recursion_limit()`.
"""

import sys as _host_sys
import types as _host_types

import layout
from runtime import object as _obj
from runtime import space
from runtime.errors import oefmt

_state = {"module": None, "recursion_limit": 1000}


def get_module():
    return _state["module"]


def get_attr(name):
    """A sys attribute as a handle, or None when sys is not made yet / has no such name."""
    w_mod = _state["module"]
    if w_mod is None:
        return None
    from runtime import moduleobject
    return moduleobject.get(w_mod, name)


def module_dict_addr():
    """Address of the sys module's dict (md_dict), cached."""
    addr = _state.get("dict_addr")
    if addr is None:
        from runtime import moduleobject
        addr = _state["dict_addr"] = moduleobject.module_dict(_state["module"]).addr
    return addr


def get_recursion_limit():
    return _state["recursion_limit"]


def _set_evaluator_limit(n):
    """The evaluator counts guest depth against runtime.interp.frame.ts.recursion_limit."""
    try:
        from runtime.interp import frame
    except ImportError:
        return
    frame.ts.recursion_limit = n


def _newlist_str(items):
    return space.newlist([space.newstr(s) for s in items])


def _adopt(obj):
    from runtime import foreign
    return foreign.adopt(obj)


# --- functions --------------------------------------------------------------------------------

def sys_exit(*args_w, **kwargs_w):
    """sys.exit([status]): raise SystemExit(status)."""
    from runtime import exceptions
    if kwargs_w:
        raise oefmt("TypeError", "exit() takes no keyword arguments")
    if len(args_w) > 1:
        raise oefmt("TypeError", "exit expected at most 1 argument, got %d", len(args_w))
    raise exceptions.operation_error(exceptions.new_exception("SystemExit", list(args_w)))


def _current_exception():
    """The guest exception being handled (the evaluator's runtime.interp.frame
    .current_exception gives the OperationError), or None."""
    try:
        from runtime.interp import frame
    except ImportError:
        return None
    operr = frame.current_exception()
    if operr is None:
        return None
    from runtime import exceptions
    w_exc = exceptions.materialise(operr)
    if operr.traceback:
        exceptions.ensure_traceback(w_exc, operr)
    return w_exc


def sys_exc_info(*args_w):
    from runtime import exceptions
    w_exc = _current_exception()
    if w_exc is None or w_exc.addr == _obj.ADDR_None:
        return space.newtuple([_obj.w_None, _obj.w_None, _obj.w_None])
    w_tb = exceptions.get_field(w_exc, "traceback", "PyBaseExceptionObject") or _obj.w_None
    return space.newtuple([space.type(w_exc), w_exc, w_tb])


def sys_exception(*args_w):
    w_exc = _current_exception()
    return _obj.w_None if w_exc is None else w_exc


def sys_getrefcount(*args_w):
    """ob_refcnt of the object, read from its struct (the argument's own handle included,
    as CPython counts the argument reference)."""
    if len(args_w) != 1:
        raise oefmt("TypeError", "getrefcount() takes exactly one argument (%d given)",
                    len(args_w))
    return space.newint(_obj.refcnt(args_w[0].addr))


def sys_getsizeof(*args_w, **kwargs_w):
    """_PySys_GetSizeOf: __sizeof__() plus the PyGC_Head of GC types."""
    if not args_w or len(args_w) > 2:
        raise oefmt("TypeError", "getsizeof() takes at most 2 arguments (%d given)",
                    len(args_w))
    w_obj = args_w[0]
    w_default = args_w[1] if len(args_w) > 1 else kwargs_w.get("default")
    f = space.lookup(w_obj, "__sizeof__")
    if f is None:
        if w_default is not None:
            return w_default
        raise oefmt("TypeError", "Type %s doesn't define __sizeof__", space.typename(w_obj))
    size = space.index(space.call_special(f, w_obj))
    if size < 0:
        raise oefmt("ValueError", "__sizeof__() should return >= 0")
    tp = layout.cast(_obj.type_addr_of(w_obj.addr), "PyTypeObject")
    if tp.tp_flags & (1 << 14):       # Py_TPFLAGS_HAVE_GC
        size += _obj.SIZEOF_GC_HEAD
    if tp.tp_flags & _obj.PREHEADER_FLAGS:             # _PyType_PreHeaderSize
        size += _obj.MANAGED_DICT_PRE
    return space.newint(size)


def sys_getrecursionlimit(*args_w):
    return space.newint(_state["recursion_limit"])


def sys_setrecursionlimit(*args_w):
    if len(args_w) != 1:
        raise oefmt("TypeError", "setrecursionlimit() takes exactly one argument (%d given)",
                    len(args_w))
    w = args_w[0]
    if not isinstance(w, _obj.W_Int) or isinstance(w, _obj.W_Bool) and False:
        raise oefmt("TypeError", "'%s' object cannot be interpreted as an integer",
                    space.typename(w))
    n = space.index(w)
    if n < 1:
        raise oefmt("ValueError", "recursion limit must be greater or equal than 1")
    # sys_setrecursionlimit_impl: a limit at or below the current depth is refused
    from runtime.interp.frame import ts
    if ts.depth >= n:
        raise oefmt("RecursionError", "cannot set the recursion limit to %d at the "
                    "recursion depth %d: the limit is too low", n, ts.depth)
    _state["recursion_limit"] = n
    _set_evaluator_limit(n)
    return _obj.w_None


def sys_intern(*args_w):
    if len(args_w) != 1 or not isinstance(args_w[0], _obj.W_Str):
        raise oefmt("TypeError", "intern() argument must be str")
    return space.newtext(args_w[0].v)


def sys_getframe(*args_w):
    try:
        from runtime import interp
    except ImportError:
        interp = None
    f = getattr(interp, "getframe", None) if interp else None
    if f is None:
        raise oefmt("ValueError", "call stack is not deep enough")
    depth = space.index(args_w[0]) if args_w else 0
    return f(depth)


def sys_displayhook(*args_w):
    """Print repr(value) to sys.stdout and store it in builtins._ (sys.displayhook)."""
    w_value = args_w[0]
    if w_value.addr == _obj.ADDR_None:
        return _obj.w_None
    from runtime import builtins, moduleobject
    moduleobject.set(builtins.get_builtins(), "_", _obj.w_None)
    builtins.print_(space.repr(w_value))
    moduleobject.set(builtins.get_builtins(), "_", w_value)
    return _obj.w_None


def sys_excepthook(*args_w):
    from runtime import traceback
    w_stderr = get_attr("stderr")
    text = "".join(traceback.format_exception(args_w[1]))
    from runtime import builtins
    builtins.print_(space.newstr(text), end=space.newstr(""), file=w_stderr)
    return _obj.w_None


def sys_get_asyncgen_hooks(*args_w):
    """(firstiter, finalizer) as set by set_asyncgen_hooks (None by default)."""
    hooks = _state.setdefault("asyncgen_hooks", [_obj.w_None, _obj.w_None])
    return space.newtuple(list(hooks))


def sys_set_asyncgen_hooks(*args_w, **kwargs_w):
    hooks = _state.setdefault("asyncgen_hooks", [_obj.w_None, _obj.w_None])
    names = ("firstiter", "finalizer")
    for i, w in enumerate(args_w[:2]):
        kwargs_w.setdefault(names[i], w)
    for i, name in enumerate(names):
        if name in kwargs_w:
            w = kwargs_w[name]
            if w.addr != _obj.ADDR_None and not _callable(w):
                raise oefmt("TypeError", "callable %s expected, got %s", name,
                            space.typename(w))
            hooks[i] = w
    return _obj.w_None


def _callable(w):
    from runtime import builtins
    return builtins.is_callable(w)


def _noop(*args_w, **kwargs_w):
    return _obj.w_None


def sys_getswitchinterval():
    """The guest interpreter lock's switch interval (runtime/interp/gil.py)."""
    from runtime.interp import gil
    return space.newfloat(gil.SWITCH_INTERVAL)


def sys_setswitchinterval(w_interval):
    from runtime.interp import gil
    v = space.float_w(w_interval)
    if not v > 0.0:
        raise oefmt("ValueError", "switch interval must be strictly positive")
    gil.SWITCH_INTERVAL = v
    return _obj.w_None


def _returns(value):
    def f(*args_w, **kwargs_w):
        return space.wrap_host(value)
    return f


def sys_get_int_max_str_digits():
    """The limit is the host's: beale converts ints to and from str with host ints."""
    return space.newint(_host_sys.get_int_max_str_digits())


def sys_set_int_max_str_digits(*args_w, **kwargs_w):
    if len(args_w) + len(kwargs_w) != 1 or (kwargs_w and "maxdigits" not in kwargs_w):
        raise oefmt("TypeError", "set_int_max_str_digits() takes exactly one argument "
                    "'maxdigits'")
    w = args_w[0] if args_w else kwargs_w["maxdigits"]
    try:
        _host_sys.set_int_max_str_digits(space.index(w))
    except ValueError as e:
        raise oefmt("ValueError", "%s", str(e))
    return _obj.w_None


def sys_unraisablehook(w_args):
    """The default sys.unraisablehook (Python/errors.c write_unraisable_exc): print
    "Exception ignored in: <object>" and the traceback on sys.stderr."""
    from runtime import traceback, builtins
    w_stderr = get_attr("stderr")
    w_msg = space.findattr(w_args, "err_msg")
    w_obj = space.findattr(w_args, "object")
    w_exc = space.findattr(w_args, "exc_value")
    msg = space.str_w(w_msg) if w_msg is not None and w_msg.addr != _obj.ADDR_None else \
        "Exception ignored in"
    text = msg
    if w_obj is not None and w_obj.addr != _obj.ADDR_None:
        text += ": " + space.repr(w_obj).v
    text += "\n"
    if w_exc is not None and w_exc.addr != _obj.ADDR_None:
        text += "".join(traceback.format_exception(w_exc))
    builtins.print_(space.newstr(text), end=space.newstr(""), file=w_stderr)
    return _obj.w_None


def write_unraisable(w_exc, w_obj, err_msg=None):
    """PyErr_WriteUnraisable: hand the exception to the guest's sys.unraisablehook with an
    UnraisableHookArgs-like object (exc_type, exc_value, exc_traceback, err_msg, object)."""
    import types
    w_hook = get_attr("unraisablehook")
    if w_hook is None:
        return
    ref = lambda w: None if w is None else w.ref      # noqa: E731  host view of a guest object
    w_tb = space.findattr(w_exc, "__traceback__")
    args = types.SimpleNamespace(exc_type=ref(space.type(w_exc)), exc_value=ref(w_exc),
                                 exc_traceback=ref(w_tb), err_msg=err_msg, object=ref(w_obj))
    space.call(w_hook, [_obj.wrap(id(args))])


FUNCTIONS = {
    "unraisablehook": sys_unraisablehook,
    "get_int_max_str_digits": sys_get_int_max_str_digits,
    "set_int_max_str_digits": sys_set_int_max_str_digits,
    "exit": sys_exit,
    "exc_info": sys_exc_info,
    "exception": sys_exception,
    "getrefcount": sys_getrefcount,
    "getsizeof": sys_getsizeof,
    "getrecursionlimit": sys_getrecursionlimit,
    "setrecursionlimit": sys_setrecursionlimit,
    "intern": sys_intern,
    "_getframe": sys_getframe,
    "displayhook": sys_displayhook,
    "excepthook": sys_excepthook,
    "get_asyncgen_hooks": sys_get_asyncgen_hooks,
    "set_asyncgen_hooks": sys_set_asyncgen_hooks,
    "get_coroutine_origin_tracking_depth": _returns(0),
    "set_coroutine_origin_tracking_depth": _noop,
    "settrace": _noop,
    "setprofile": _noop,
    "gettrace": _returns(None),
    "getprofile": _returns(None),
    "getdefaultencoding": _returns("utf-8"),
    "getfilesystemencoding": _returns(_host_sys.getfilesystemencoding()),
    "getfilesystemencodeerrors": _returns(_host_sys.getfilesystemencodeerrors()),
    "getswitchinterval": lambda: sys_getswitchinterval(),
    "setswitchinterval": lambda *a, **k: sys_setswitchinterval(*a, **k),
    "is_finalizing": _returns(False),
    "audit": _noop,
    "addaudithook": _noop,
    "getallocatedblocks": _returns(0),
    "call_tracing": lambda w_f, w_args: space.call(w_f, space.listview(w_args)),
}


# --- the module -------------------------------------------------------------------------------

def host_paths():
    """The stdlib and site-packages directories of the host (sources only are loaded)."""
    import sysconfig
    paths = sysconfig.get_paths()
    out = []
    for key in ("stdlib", "platstdlib"):
        p = paths.get(key)
        if p and p not in out:
            out.append(p)
    dynload = [p for p in _host_sys.path if p.endswith("lib-dynload")]
    out.extend(p for p in dynload if p not in out)
    for key in ("purelib", "platlib"):
        p = paths.get(key)
        if p and p not in out:
            out.append(p)
    return out


def make_sys_module(argv, path0, executable=None):
    """Build the guest sys module. `argv` host strs, `path0` the first sys.path entry."""
    from runtime import builtins, functionobject, moduleobject
    w_mod = moduleobject.new_module("sys", _host_sys.__doc__)
    _state["module"] = w_mod
    _state["dict_addr"] = None
    _state["dict"] = moduleobject.module_dict(w_mod)     # keeps the address valid

    def put(name, w_value):
        moduleobject.set(w_mod, name, w_value)

    for name, fn in FUNCTIONS.items():
        put(name, functionobject.new_builtin_function(name, fn))
    put("argv", _newlist_str(argv))
    put("orig_argv", _newlist_str([executable or _host_sys.executable] + list(argv)))
    put("path", _newlist_str([path0] + host_paths()))
    put("modules", space.newdict())
    put("meta_path", space.newlist([]))
    put("path_hooks", space.newlist([]))
    put("path_importer_cache", space.newdict())
    put("warnoptions", space.newlist([]))
    put("_xoptions", space.newdict())
    for std in ("stdin", "stdout", "stderr"):
        w_stream = _adopt(getattr(_host_sys, std))
        put(std, w_stream)
        put("__%s__" % std, w_stream)
    for name in ("version", "hexversion", "api_version", "platform", "byteorder", "maxsize",
                 "maxunicode", "prefix", "exec_prefix", "base_prefix", "base_exec_prefix",
                 "platlibdir", "float_repr_style", "copyright", "abiflags", "pycache_prefix",
                 "dont_write_bytecode"):
        if hasattr(_host_sys, name):
            put(name, space.wrap_host(getattr(_host_sys, name)))
    put("dont_write_bytecode", _obj.w_True)
    put("executable", space.newstr(executable or _host_sys.executable))
    put("_base_executable", space.newstr(executable or _host_sys.executable))
    put("builtin_module_names", space.wrap_host(tuple(_host_sys.builtin_module_names)))
    put("stdlib_module_names", space.wrap_host(frozenset(_host_sys.stdlib_module_names)))
    for name in ("version_info", "flags", "float_info", "int_info", "hash_info",
                 "thread_info"):
        put(name, _adopt(getattr(_host_sys, name)))
    impl = _host_types.SimpleNamespace(
        name="beale", cache_tag=None, version=_host_sys.version_info,
        hexversion=_host_sys.hexversion, _multiarch=getattr(_host_sys.implementation,
                                                            "_multiarch", ""))
    _state["implementation"] = impl     # keep the host object alive with the module
    put("implementation", _adopt(impl))
    put("ps1", space.newstr(">>> "))
    put("ps2", space.newstr("... "))
    put("__displayhook__", moduleobject.get(w_mod, "displayhook"))
    put("__excepthook__", moduleobject.get(w_mod, "excepthook"))
    put("__unraisablehook__", moduleobject.get(w_mod, "unraisablehook"))
    builtins.get_builtins()
    return w_mod


def modules_dict():
    """sys.modules (the guest dict)."""
    return get_attr("modules")
