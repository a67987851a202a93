"""The guest `builtins` module (CPython's Python/bltinmodule.c).

Every built-in function is implemented by beale over handles: `fn(*args_w, **kwargs_w)`
returning a handle, raising OperationError for guest exceptions. The functions are guest
objects of the host's `builtin_function_or_method` type (runtime/foreign.py: real
`PyCFunctionObject` structs allocated by beale whose `PyMethodDef.ml_meth` is a C callback
into beale), so C code can hold and even call them; the guest calls them without any C round
trip (the handle class looks the implementation up by address).

The built-in types (int, str, list, ...) are the host's type objects; the exception classes
are the host's exception types (runtime/exceptions.py); None/True/False/Ellipsis/
NotImplemented are the host's singletons.

`make_builtins_module()` builds the guest module object (a PyModuleObject) once per process;
`get_builtins()` returns it.
"""

import builtins as _host_builtins
import sys as _host_sys

from runtime import object as _obj
from runtime import space
from runtime.errors import OperationError, oefmt
from runtime.tupleobject import hash_w as _hash_w

W_Int = _obj.W_Int
W_Float = _obj.W_Float
W_Str = _obj.W_Str
w_None = _obj.w_None

_host_isinstance = _host_builtins.isinstance

# name -> host implementation function, in definition order
BUILTIN_FUNCTIONS = {}


def builtin(name=None):
    """Decorator: register `fn` as the built-in function `name`."""
    def register(fn):
        BUILTIN_FUNCTIONS[name or fn.__name__.rstrip("_")] = fn
        return fn
    return register


def _is_none(w):
    return w is None or w is w_None or w.addr == _obj.ADDR_None


def _str_value(w):
    """Host str of a guest str or str subclass, None otherwise."""
    v = getattr(w, "v", None)
    return v if _host_isinstance(v, str) and _host_isinstance(w, W_Str) else None


def _no_kwargs(name, kwargs_w):
    if kwargs_w:
        raise oefmt("TypeError", "%s() takes no keyword arguments", name)


def _nargs(name, args_w, lo, hi=None):
    """CPython's argument-count messages for positional-only built-ins."""
    n = len(args_w)
    if hi is None:
        hi = lo
    if lo <= n <= hi:
        return
    if lo == hi:
        if lo == 1:
            raise oefmt("TypeError", "%s() takes exactly one argument (%d given)", name, n)
        raise oefmt("TypeError", "%s expected %d arguments, got %d", name, lo, n)
    if n < lo:
        raise oefmt("TypeError", "%s expected at least %d argument%s, got %d", name, lo,
                    "" if lo == 1 else "s", n)
    raise oefmt("TypeError", "%s expected at most %d argument%s, got %d", name, hi,
                "" if hi == 1 else "s", n)


# --- output and input -------------------------------------------------------------------------

def _sys_attr(name):
    from runtime import sysmodule
    return sysmodule.get_attr(name)


_stdout_cache = [None, None, None, None]   # sys dict addr, its ma_version_tag, w_file, host


def _default_stdout():
    """sys.stdout and the host stream behind it, re-read only when the sys module's dict
    changed (PyDictObject.ma_version_tag moves on every modification)."""
    from runtime import foreign, sysmodule
    import layout
    w_mod = sysmodule.get_module()
    if w_mod is None:
        return None, None
    addr = sysmodule.module_dict_addr()
    tag = layout.cast(addr, "PyDictObject").ma_version_tag
    c = _stdout_cache
    if c[0] == addr and c[1] == tag:
        return c[2], c[3]
    w_file = sysmodule.get_attr("stdout")
    host = None
    if w_file is not None and not _is_none(w_file):
        host = foreign.host_stream(w_file)
    c[0], c[1], c[2], c[3] = addr, tag, w_file, host
    return w_file, host


@builtin()
def print_(*args_w, **kwargs_w):
    """print(*objects, sep=' ', end='\\n', file=None, flush=False)."""
    w_sep = kwargs_w.pop("sep", None)
    w_end = kwargs_w.pop("end", None)
    w_file = kwargs_w.pop("file", None)
    w_flush = kwargs_w.pop("flush", None)
    if kwargs_w:
        raise oefmt("TypeError", "'%s' is an invalid keyword argument for print()",
                    next(iter(kwargs_w)))
    sep = " " if _is_none(w_sep) else _str_value(w_sep)
    if sep is None:
        raise oefmt("TypeError", "sep must be None or a string, not %s", space.typename(w_sep))
    end = "\n" if _is_none(w_end) else _str_value(w_end)
    if end is None:
        raise oefmt("TypeError", "end must be None or a string, not %s", space.typename(w_end))
    from runtime import foreign
    if _is_none(w_file):
        w_file, host_file = _default_stdout()
        if w_file is None or _is_none(w_file):
            return w_None
    else:
        host_file = foreign.host_stream(w_file)
    if host_file is not None:
        # the guest's stream is a host text stream: one write of the whole line
        parts = [w.v if w.__class__ is W_Str else space.str(w).v for w in args_w]
        foreign.host_write(host_file, sep.join(parts) + end)
        if not _is_none(w_flush) and space.is_true(w_flush):
            foreign.host_flush(host_file)
        return w_None
    w_write = space.getattr(w_file, "write")
    for i, w_arg in enumerate(args_w):
        if i:
            space.call(w_write, [space.newstr(sep)])
        space.call(w_write, [space.str(w_arg)])
    space.call(w_write, [space.newstr(end)])
    if not _is_none(w_flush) and space.is_true(w_flush):
        space.call(space.getattr(w_file, "flush"), [])
    return w_None


@builtin()
def input_(*args_w, **kwargs_w):
    """input(prompt=''): write the prompt to sys.stdout, read a line from sys.stdin."""
    _no_kwargs("input", kwargs_w)
    _nargs("input", args_w, 0, 1)
    w_stdout = _sys_attr("stdout")
    w_stdin = _sys_attr("stdin")
    if w_stdin is None or _is_none(w_stdin):
        raise oefmt("RuntimeError", "input(): lost sys.stdin")
    if args_w and w_stdout is not None and not _is_none(w_stdout):
        space.call(space.getattr(w_stdout, "write"), [space.str(args_w[0])])
        try:
            space.call(space.getattr(w_stdout, "flush"), [])
        except OperationError:
            pass
    w_line = space.call(space.getattr(w_stdin, "readline"), [])
    line = _str_value(w_line)
    if line is None:
        raise oefmt("TypeError", "object.readline() returned non-string")
    if not line:
        raise oefmt("EOFError", "EOF when reading a line")
    if line.endswith("\n"):
        line = line[:-1]
    return space.newstr(line)


# --- the object protocols ---------------------------------------------------------------------

@builtin()
def len_(*args_w, **kwargs_w):
    _no_kwargs("len", kwargs_w)
    _nargs("len", args_w, 1)
    return space.newint(space.len(args_w[0]))


@builtin()
def repr_(*args_w, **kwargs_w):
    _no_kwargs("repr", kwargs_w)
    _nargs("repr", args_w, 1)
    return space.repr(args_w[0])


@builtin()
def ascii_(*args_w, **kwargs_w):
    _no_kwargs("ascii", kwargs_w)
    _nargs("ascii", args_w, 1)
    return space.ascii(args_w[0])


@builtin()
def format_(*args_w, **kwargs_w):
    _no_kwargs("format", kwargs_w)
    _nargs("format", args_w, 1, 2)
    w_spec = args_w[1] if len(args_w) > 1 else space.newtext("")
    if _str_value(w_spec) is None:
        raise oefmt("TypeError", "format() argument 2 must be str, not %s",
                    space.typename(w_spec))
    return space.format(args_w[0], w_spec)


@builtin()
def hash_(*args_w, **kwargs_w):
    _no_kwargs("hash", kwargs_w)
    _nargs("hash", args_w, 1)
    return space.newint(_hash_w(args_w[0]))


@builtin()
def id_(*args_w, **kwargs_w):
    """id(obj): the struct's address, as CPython's id() gives."""
    _no_kwargs("id", kwargs_w)
    _nargs("id", args_w, 1)
    return space.newint(args_w[0].addr)


@builtin()
def abs_(*args_w, **kwargs_w):
    _no_kwargs("abs", kwargs_w)
    _nargs("abs", args_w, 1)
    return space.abs(args_w[0])


@builtin()
def isinstance_(*args_w, **kwargs_w):
    _no_kwargs("isinstance", kwargs_w)
    _nargs("isinstance", args_w, 2)
    return space.newbool(space.isinstance(args_w[0], args_w[1]))


@builtin()
def issubclass_(*args_w, **kwargs_w):
    _no_kwargs("issubclass", kwargs_w)
    _nargs("issubclass", args_w, 2)
    return space.newbool(space.issubclass(args_w[0], args_w[1]))


@builtin()
def callable_(*args_w, **kwargs_w):
    _no_kwargs("callable", kwargs_w)
    _nargs("callable", args_w, 1)
    return space.newbool(is_callable(args_w[0]))


def is_callable(w):
    """PyCallable_Check: the type has __call__."""
    f = space.lookup(w, "__call__")
    return f is not None and not _is_none(f) if _host_isinstance(f, _obj.W_Object) else \
        f is not None


# --- attributes -------------------------------------------------------------------------------

def _attr_name(w_name, fn):
    name = _str_value(w_name)
    if name is None:
        raise oefmt("TypeError", "attribute name must be string, not '%s'",
                    space.typename(w_name))
    return name


@builtin()
def getattr_(*args_w, **kwargs_w):
    _no_kwargs("getattr", kwargs_w)
    _nargs("getattr", args_w, 2, 3)
    name = _attr_name(args_w[1], "getattr")
    if len(args_w) == 3:
        return space.getattr_default(args_w[0], name, args_w[2])
    return space.getattr(args_w[0], name)


@builtin()
def setattr_(*args_w, **kwargs_w):
    _no_kwargs("setattr", kwargs_w)
    _nargs("setattr", args_w, 3)
    space.setattr(args_w[0], _attr_name(args_w[1], "setattr"), args_w[2])
    return w_None


@builtin()
def delattr_(*args_w, **kwargs_w):
    _no_kwargs("delattr", kwargs_w)
    _nargs("delattr", args_w, 2)
    space.delattr(args_w[0], _attr_name(args_w[1], "delattr"))
    return w_None


@builtin()
def hasattr_(*args_w, **kwargs_w):
    _no_kwargs("hasattr", kwargs_w)
    _nargs("hasattr", args_w, 2)
    return space.newbool(space.hasattr(args_w[0], _attr_name(args_w[1], "hasattr")))


# --- numbers ----------------------------------------------------------------------------------

@builtin()
def divmod_(*args_w, **kwargs_w):
    _no_kwargs("divmod", kwargs_w)
    _nargs("divmod", args_w, 2)
    return space.divmod(args_w[0], args_w[1])


@builtin()
def pow_(*args_w, **kwargs_w):
    """pow(base, exp, mod=None)."""
    names = ("base", "exp", "mod")
    args = list(args_w)
    for i, key in enumerate(names):
        if key in kwargs_w:
            if i < len(args):
                raise oefmt("TypeError", "argument for pow() given by name ('%s') and "
                            "position (%d)", key, i + 1)
            while len(args) < i:
                args.append(None)
            args.append(kwargs_w.pop(key))
    if kwargs_w:
        raise oefmt("TypeError", "'%s' is an invalid keyword argument for pow()",
                    next(iter(kwargs_w)))
    if len(args) < 2 or None in args[:2]:
        raise oefmt("TypeError", "pow() missing required argument '%s' (pos %d)",
                    "base" if not args or args[0] is None else "exp",
                    1 if not args or args[0] is None else 2)
    if len(args) > 3:
        raise oefmt("TypeError", "pow() takes at most 3 arguments (%d given)", len(args))
    w_mod = args[2] if len(args) == 3 else None
    if w_mod is not None and _is_none(w_mod):
        w_mod = None
    return space.pow(args[0], args[1], w_mod)


@builtin()
def round_(*args_w, **kwargs_w):
    """round(number, ndigits=None): number.__round__(ndigits)."""
    args = list(args_w)
    if "number" in kwargs_w:
        args.insert(0, kwargs_w.pop("number"))
    if "ndigits" in kwargs_w:
        args.append(kwargs_w.pop("ndigits"))
    if kwargs_w:
        raise oefmt("TypeError", "'%s' is an invalid keyword argument for round()",
                    next(iter(kwargs_w)))
    if not args:
        raise oefmt("TypeError", "round() missing required argument 'number' (pos 1)")
    if len(args) > 2:
        raise oefmt("TypeError", "round() takes at most 2 arguments (%d given)", len(args))
    w_num = args[0]
    f = space.lookup(w_num, "__round__")
    if f is None:
        raise oefmt("TypeError", "type %s doesn't define __round__ method",
                    space.typename(w_num))
    if len(args) == 1 or _is_none(args[1]):
        return space.call_special(f, w_num)
    return space.call_special(f, w_num, args[1])


@builtin()
def bin_(*args_w, **kwargs_w):
    _no_kwargs("bin", kwargs_w)
    _nargs("bin", args_w, 1)
    return space.newstr(_host_builtins.bin(space.index(args_w[0])))


@builtin()
def oct_(*args_w, **kwargs_w):
    _no_kwargs("oct", kwargs_w)
    _nargs("oct", args_w, 1)
    return space.newstr(_host_builtins.oct(space.index(args_w[0])))


@builtin()
def hex_(*args_w, **kwargs_w):
    _no_kwargs("hex", kwargs_w)
    _nargs("hex", args_w, 1)
    return space.newstr(_host_builtins.hex(space.index(args_w[0])))


@builtin()
def chr_(*args_w, **kwargs_w):
    _no_kwargs("chr", kwargs_w)
    _nargs("chr", args_w, 1)
    w = args_w[0]
    if not _host_isinstance(w, W_Int):
        if space.lookup(w, "__index__") is None:
            raise oefmt("TypeError", "'%s' object cannot be interpreted as an integer",
                        space.typename(w))
    i = space.index(w)
    if not 0 <= i <= 0x10ffff:
        if i > (1 << 31) - 1 or i < -(1 << 31):
            raise oefmt("OverflowError", "Python int too large to convert to C int")
        raise oefmt("ValueError", "chr() arg not in range(0x110000)")
    return space.newstr(_host_builtins.chr(i))


@builtin()
def ord_(*args_w, **kwargs_w):
    _no_kwargs("ord", kwargs_w)
    _nargs("ord", args_w, 1)
    w = args_w[0]
    v = getattr(w, "v", None)
    if _host_isinstance(v, (str, bytes)):
        if len(v) != 1:
            kind = "string" if _host_isinstance(v, str) else "byte string"
            raise oefmt("TypeError", "ord() expected a character, but %s of length %d found",
                        kind, len(v))
        return space.newint(_host_builtins.ord(v))
    if _host_isinstance(w, _obj.W_ByteArray):
        data = space.listview(w)
        if len(data) != 1:
            raise oefmt("TypeError", "ord() expected a character, but byte string of length "
                        "%d found", len(data))
        return data[0]
    raise oefmt("TypeError", "ord() expected string of length 1, but %s found",
                space.typename(w))


@builtin()
def sum_(*args_w, **kwargs_w):
    """sum(iterable, /, start=0) with CPython's int and float fast paths."""
    args = list(args_w)
    if "start" in kwargs_w:
        if len(args) > 1:
            raise oefmt("TypeError", "argument for sum() given by name ('start') and "
                        "position (2)")
        args.append(kwargs_w.pop("start"))
    if kwargs_w:
        raise oefmt("TypeError", "'%s' is an invalid keyword argument for sum()",
                    next(iter(kwargs_w)))
    if not args:
        raise oefmt("TypeError", "sum() takes at least 1 positional argument (0 given)")
    if len(args) > 2:
        raise oefmt("TypeError", "sum() takes at most 2 arguments (%d given)", len(args))
    w_acc = args[1] if len(args) == 2 else space.newint(0)
    v = getattr(w_acc, "v", None)
    if _host_isinstance(w_acc, W_Str):
        raise oefmt("TypeError", "sum() can't sum strings [use ''.join(seq) instead]")
    if _host_isinstance(v, bytes):
        raise oefmt("TypeError", "sum() can't sum bytes [use b''.join(seq) instead]")
    if _host_isinstance(w_acc, _obj.W_ByteArray):
        raise oefmt("TypeError", "sum() can't sum bytearray [use b''.join(seq) instead]")
    for w_item in space.iterate(args[0]):
        c1 = w_acc.__class__
        c2 = w_item.__class__
        if c1 is W_Int and c2 is W_Int:
            w_acc = space.newint(w_acc.v + w_item.v)
        elif c1 is W_Float and (c2 is W_Float or c2 is W_Int):
            w_acc = space.newfloat(w_acc.v + w_item.v)
        else:
            w_acc = space.add(w_acc, w_item)
    return w_acc


def _minmax(name, args_w, kwargs_w, better):
    """min()/max(): one iterable or several arguments, key= and default=."""
    w_key = kwargs_w.pop("key", None)
    w_default = kwargs_w.pop("default", None)
    if kwargs_w:
        raise oefmt("TypeError", "'%s' is an invalid keyword argument for %s()",
                    next(iter(kwargs_w)), name)
    if not args_w:
        raise oefmt("TypeError", "%s expected at least 1 argument, got 0", name)
    if len(args_w) == 1:
        items = space.iterate(args_w[0])
    else:
        if w_default is not None:
            raise oefmt("TypeError", "Cannot specify a default for %s() with multiple "
                        "positional arguments", name)
        items = iter(args_w)
    if w_key is not None and _is_none(w_key):
        w_key = None
    w_best = w_best_key = None
    for w_item in items:
        w_k = space.call(w_key, [w_item]) if w_key is not None else w_item
        if w_best is None or better(w_k, w_best_key):
            w_best, w_best_key = w_item, w_k
    if w_best is None:
        if w_default is not None:
            return w_default
        raise oefmt("ValueError", "%s() arg is an empty sequence", name)
    return w_best


@builtin()
def min_(*args_w, **kwargs_w):
    return _minmax("min", args_w, kwargs_w, space.lt)


@builtin()
def max_(*args_w, **kwargs_w):
    return _minmax("max", args_w, kwargs_w, lambda a, b: space.lt(b, a))


# --- iteration --------------------------------------------------------------------------------

@builtin()
def iter_(*args_w, **kwargs_w):
    """iter(iterable) / iter(callable, sentinel)."""
    _no_kwargs("iter", kwargs_w)
    _nargs("iter", args_w, 1, 2)
    if len(args_w) == 1:
        return space.iter(args_w[0])
    w_callable, w_sentinel = args_w
    if not is_callable(w_callable):
        raise oefmt("TypeError", "iter(v, w): v must be callable")
    from runtime import functionobject
    return functionobject.new_callable_iter(w_callable, w_sentinel)


@builtin()
def next_(*args_w, **kwargs_w):
    _no_kwargs("next", kwargs_w)
    _nargs("next", args_w, 1, 2)
    w_it = args_w[0]
    f = space.lookup(w_it, "__next__")
    if f is None:
        raise oefmt("TypeError", "'%s' object is not an iterator", space.typename(w_it))
    if len(args_w) == 1:
        return space.call_special(f, w_it)
    try:
        return space.call_special(f, w_it)
    except OperationError as e:
        if space.exception_match(e, "StopIteration"):
            return args_w[1]
        raise


@builtin()
def any_(*args_w, **kwargs_w):
    _no_kwargs("any", kwargs_w)
    _nargs("any", args_w, 1)
    for w_item in space.iterate(args_w[0]):
        if space.is_true(w_item):
            return _obj.w_True
    return _obj.w_False


@builtin()
def all_(*args_w, **kwargs_w):
    _no_kwargs("all", kwargs_w)
    _nargs("all", args_w, 1)
    for w_item in space.iterate(args_w[0]):
        if not space.is_true(w_item):
            return _obj.w_False
    return _obj.w_True


@builtin()
def sorted_(*args_w, **kwargs_w):
    """sorted(iterable, /, *, key=None, reverse=False): a new list sorted by list.sort."""
    if len(args_w) != 1:
        if not args_w:
            raise oefmt("TypeError", "sorted expected 1 argument, got 0")
        raise oefmt("TypeError", "sorted expected 1 argument, got %d", len(args_w))
    for key in kwargs_w:
        if key not in ("key", "reverse"):
            raise oefmt("TypeError", "'%s' is an invalid keyword argument for sort()", key)
    from runtime.listobject import list_from_iterable
    w_list = list_from_iterable(args_w[0])       # PySequence_List, sized as CPython's
    space.call(space.getattr(w_list, "sort"), [], dict(kwargs_w))
    return w_list


@builtin()
def enumerate_(*args_w, **kwargs_w):
    """enumerate(iterable, start=0)."""
    args = list(args_w)
    if "iterable" in kwargs_w:
        args.insert(0, kwargs_w.pop("iterable"))
    if "start" in kwargs_w:
        args.append(kwargs_w.pop("start"))
    if kwargs_w:
        raise oefmt("TypeError", "'%s' is an invalid keyword argument for enumerate()",
                    next(iter(kwargs_w)))
    if not args:
        raise oefmt("TypeError", "enumerate() missing required argument 'iterable' (pos 1)")
    if len(args) > 2:
        raise oefmt("TypeError", "enumerate() takes at most 2 arguments (%d given)",
                    len(args))
    start = space.index(args[1]) if len(args) == 2 else 0
    w_it = space.iter(args[0])
    from runtime import foreign

    def gen():
        i = start
        for w_item in _iter_items(w_it):
            yield space.newtuple([space.newint(i), w_item])
            i += 1
    return foreign.new_iterator("enumerate", gen())


def _iter_items(w_it):
    """Host generator over an already-made guest iterator."""
    f = space.lookup(w_it, "__next__")
    while True:
        try:
            w = space.call_special(f, w_it)
        except OperationError as e:
            if space.exception_match(e, "StopIteration"):
                return
            raise
        yield w


@builtin()
def zip_(*args_w, **kwargs_w):
    """zip(*iterables, strict=False)."""
    w_strict = kwargs_w.pop("strict", None)
    if kwargs_w:
        raise oefmt("TypeError", "zip() got an unexpected keyword argument '%s'",
                    next(iter(kwargs_w)))
    strict = w_strict is not None and space.is_true(w_strict)
    its = [space.iter(w) for w in args_w]
    from runtime import foreign

    def gen():
        if not its:
            return
        while True:
            items = []
            for i, w_it in enumerate(its):
                w_item = space.next(w_it)
                if w_item is None:
                    if strict:
                        if i:
                            plural = " " if i == 1 else "s 1-"
                            raise oefmt("ValueError", "zip() argument %d is shorter than "
                                        "argument%s%d", i + 1, plural, i)
                        for j in range(1, len(its)):
                            if space.next(its[j]) is not None:
                                plural = " " if j == 1 else "s 1-"
                                raise oefmt("ValueError", "zip() argument %d is longer than "
                                            "argument%s%d", j + 1, plural, j)
                    return
                items.append(w_item)
            yield space.newtuple(items)
    return foreign.new_iterator("zip", gen())


@builtin()
def map_(*args_w, **kwargs_w):
    _no_kwargs("map", kwargs_w)
    if len(args_w) < 2:
        raise oefmt("TypeError", "map() must have at least two arguments.")
    w_func = args_w[0]
    its = [space.iter(w) for w in args_w[1:]]
    from runtime import foreign

    def gen1():
        # one iterable (the common case): its items straight from space.iterate_iterator
        for w_item in space.iterate_iterator(its[0]):
            yield space.call(w_func, [w_item])

    def gen():
        while True:
            items = []
            for w_it in its:
                w_item = space.next(w_it)
                if w_item is None:
                    return
                items.append(w_item)
            yield space.call(w_func, items)
    return foreign.new_iterator("map", gen1() if len(its) == 1 else gen())


@builtin()
def filter_(*args_w, **kwargs_w):
    _no_kwargs("filter", kwargs_w)
    _nargs("filter", args_w, 2)
    w_func, w_iterable = args_w
    w_it = space.iter(w_iterable)
    from runtime import foreign
    identity = _is_none(w_func)

    def gen():
        for w_item in _iter_items(w_it):
            w_ok = w_item if identity else space.call(w_func, [w_item])
            if space.is_true(w_ok):
                yield w_item
    return foreign.new_iterator("filter", gen())


@builtin()
def reversed_(*args_w, **kwargs_w):
    """reversed(seq): __reversed__, or the sequence protocol backwards."""
    _no_kwargs("reversed", kwargs_w)
    _nargs("reversed", args_w, 1)
    w_seq = args_w[0]
    f = space.lookup(w_seq, "__reversed__")
    if f is not None and not (_host_isinstance(f, _obj.W_Object) and _is_none(f)):
        return space.call_special(f, w_seq)
    if space.lookup(w_seq, "__getitem__") is None or space.lookup(w_seq, "__len__") is None:
        raise oefmt("TypeError", "'%s' object is not reversible", space.typename(w_seq))
    n = space.len(w_seq)
    from runtime import foreign

    def gen():
        i = n - 1
        while i >= 0:
            try:
                yield space.getitem(w_seq, space.newint(i))
            except OperationError as e:
                if space.exception_match(e, "IndexError") or \
                        space.exception_match(e, "StopIteration"):
                    return
                raise
            i -= 1
    return foreign.new_iterator("reversed", gen())


@builtin()
def aiter_(*args_w, **kwargs_w):
    _no_kwargs("aiter", kwargs_w)
    _nargs("aiter", args_w, 1)
    f = space.lookup(args_w[0], "__aiter__")
    if f is None:
        raise oefmt("TypeError", "'%s' object is not an async iterable",
                    space.typename(args_w[0]))
    return space.call_special(f, args_w[0])


@builtin()
def anext_(*args_w, **kwargs_w):
    _no_kwargs("anext", kwargs_w)
    _nargs("anext", args_w, 1, 2)
    f = space.lookup(args_w[0], "__anext__")
    if f is None:
        raise oefmt("TypeError", "'%s' object is not an async iterator",
                    space.typename(args_w[0]))
    if len(args_w) == 2:
        raise oefmt("NotImplementedError", "anext() with a default is not supported by beale")
    return space.call_special(f, args_w[0])


# these built-ins are types in CPython: the guest gets beale iterator types whose __new__
# runs the function above (runtime/foreign.py iterator_typedef)
ITERATOR_TYPES = ("enumerate", "zip", "map", "filter", "reversed")


# --- namespaces, code -------------------------------------------------------------------------

def _interp():
    from runtime import interp
    return interp


def _current_globals():
    f = getattr(_interp(), "current_globals", None)
    if f is None:
        raise oefmt("NotImplementedError", "globals() needs the evaluator's current frame")
    return f()


def _current_locals():
    f = getattr(_interp(), "current_locals", None)
    if f is None:
        return _current_globals()
    return f()


@builtin()
def globals_(*args_w, **kwargs_w):
    _no_kwargs("globals", kwargs_w)
    _nargs("globals", args_w, 0)
    return _current_globals()


@builtin()
def locals_(*args_w, **kwargs_w):
    _no_kwargs("locals", kwargs_w)
    _nargs("locals", args_w, 0)
    return _current_locals()


@builtin()
def vars_(*args_w, **kwargs_w):
    _no_kwargs("vars", kwargs_w)
    _nargs("vars", args_w, 0, 1)
    if not args_w:
        return _current_locals()
    try:
        return space.getattr(args_w[0], "__dict__")
    except OperationError as e:
        if space.exception_match(e, "AttributeError"):
            raise oefmt("TypeError", "vars() argument must have __dict__ attribute")
        raise


@builtin()
def dir_(*args_w, **kwargs_w):
    _no_kwargs("dir", kwargs_w)
    _nargs("dir", args_w, 0, 1)
    if not args_w:
        w_names = space.newlist(list(space.iterate(_current_locals())))
    elif _is_plain_type(args_w[0]):
        w_names = space.newlist(type_dir(args_w[0]))
    else:
        f = space.lookup(args_w[0], "__dir__")
        if f is None:
            raise oefmt("TypeError", "object does not provide __dir__")
        w_names = space.newlist(list(space.iterate(space.call_special(f, args_w[0]))))
    space.call(space.getattr(w_names, "sort"), [])
    return w_names


def _is_plain_type(w):
    """A class whose metaclass does not define its own __dir__."""
    from runtime import typeobject
    if not typeobject.is_type(w):
        return False
    f = space.lookup(w, "__dir__")
    return not isinstance(f, _obj.W_Object)


def type_dir(w_type):
    """type.__dir__ (Objects/typeobject.c merge_class_dict): the names in the __dict__ of
    the class and of every class in its MRO, as guest strs."""
    seen = {}
    for w_cls in space.iterate(space.getattr(w_type, "__mro__")):
        w_dict = space.getattr(w_cls, "__dict__")
        for w_key in space.iterate(w_dict):
            key = _str_value(w_key)
            if key is not None and key not in seen:
                seen[key] = w_key
    return list(seen.values())


class CodeObject:
    """What guest `compile()` returns: the parsed tree and where it came from. Held by the
    guest as a foreign (host) object; `exec`/`eval` hand it back to beale's compiler."""

    def __init__(self, tree, source, filename, mode):
        self.tree = tree
        self.source = source
        self.co_filename = filename
        self.mode = mode
        self.co_name = "<module>"
        self.co_qualname = "<module>"
        self.co_firstlineno = 1

    def __repr__(self):
        return '<code object <module> at %#x, file "%s", line 1>' % (id(self), self.co_filename)


def _source_text(w_source, fn_name):
    v = getattr(w_source, "v", None)
    if _host_isinstance(v, str):
        return v
    # bytes go to the parser undecoded: it honours a coding cookie and a BOM and reports
    # undecodable source as a SyntaxError, as CPython's tokenizer does
    if _host_isinstance(v, bytes):
        return v
    if _host_isinstance(w_source, _obj.W_ByteArray):
        return bytes(space.int_w(w) for w in space.listview(w_source))
    from runtime import foreign
    code = foreign.host_object(w_source)
    if _host_isinstance(code, CodeObject):
        return code
    if fn_name == "compile":
        import ast
        if _host_isinstance(code, ast.AST):
            return code
    raise oefmt("TypeError", "%s() arg 1 must be a string, bytes or code object", fn_name)


_AST_FOR_MODE = {"exec": "Module", "eval": "Expression", "single": "Interactive",
                 "func_type": "FunctionType"}


def _copy_ast(node):
    """A structural copy of an AST (nodes and lists; leaf values shared) for compile():
    beale's compiler rewrites the trees it compiles, CPython's compile() leaves the
    caller's tree alone."""
    import ast
    if _host_isinstance(node, ast.AST):
        new = node.__class__()
        for name in node._fields + node._attributes:
            if _hb_hasattr(node, name):
                setattr(new, name, _copy_ast(getattr(node, name)))
        return new
    if _host_isinstance(node, list):
        return [_copy_ast(x) for x in node]
    return node


def _hb_hasattr(obj, name):
    try:
        getattr(obj, name)
    except AttributeError:
        return False
    return True


def parse_source(source, filename, mode, compiler_warnings=True):
    """ast.parse with a guest SyntaxError on failure; the parser's warnings and (unless
    only the AST is wanted) the compiler's SyntaxWarnings go to the guest's warnings."""
    from runtime.interp import syntaxwarn
    try:
        tree = syntaxwarn.parse(source, filename, mode)
        if not isinstance(source, str) or "match" in source:
            from runtime.interp.matching import check_tree
            check_tree(tree)            # the compiler's match-statement SyntaxErrors
        if compiler_warnings:
            syntaxwarn.check(tree, filename)
        return tree
    except (SyntaxError, ValueError) as e:
        from runtime import exceptions
        if isinstance(e, SyntaxError) and e.filename is None:
            e.filename = filename
        raise exceptions.from_host_exception(e)


@builtin()
def compile_(*args_w, **kwargs_w):
    """compile(source, filename, mode, flags=0, dont_inherit=False, optimize=-1)."""
    names = ("source", "filename", "mode", "flags", "dont_inherit", "optimize",
             "_feature_version")
    args = dict(zip(names, args_w))
    for key, w in kwargs_w.items():
        if key not in names:
            raise oefmt("TypeError", "compile() got an unexpected keyword argument '%s'", key)
        args[key] = w
    for key in ("source", "filename", "mode"):
        if key not in args:
            raise oefmt("TypeError", "compile() missing required argument '%s'", key)
    source = _source_text(args["source"], "compile")
    filename = space.str_w(space.fspath(args["filename"])) if hasattr(space, "fspath") \
        else _str_value(args["filename"])
    mode = _str_value(args["mode"])
    if mode not in ("exec", "eval", "single", "func_type"):
        raise oefmt("ValueError", "compile() mode must be 'exec', 'eval' or 'single'")
    flags = space.index(args["flags"]) if "flags" in args else 0
    import ast
    if _host_isinstance(source, CodeObject):
        code = source
    elif _host_isinstance(source, ast.AST):
        # an AST built or edited by the guest: the host's own _ast node objects (the guest
        # imports the C module _ast), whose fields hold guest structs the host reads as-is
        if flags & ast.PyCF_ONLY_AST:
            return args["source"]
        want = _AST_FOR_MODE[mode]
        if source.__class__.__name__ != want:
            raise oefmt("TypeError", "expected %s node, got %s", want,
                        source.__class__.__name__)
        tree = ast.fix_missing_locations(_copy_ast(source))
        code = CodeObject(tree, None, filename, mode)
    else:
        tree = parse_source(source, filename, mode,
                            compiler_warnings=not flags & ast.PyCF_ONLY_AST)
        if not flags & ast.PyCF_ONLY_AST:
            from runtime.interp import symtable
            try:
                symtable.check_syntax(tree, filename)
            except SyntaxError as e:
                from runtime import exceptions
                raise exceptions.from_host_exception(e)
        if flags & ast.PyCF_ONLY_AST:
            # the guest's ast module is the host's C module _ast: host nodes are its nodes
            from runtime import foreign
            return foreign.adopt(tree)
        code = CodeObject(tree, source, filename, mode)
    from runtime import foreign
    return foreign.adopt(code)


def _exec_namespaces(fn_name, args_w, kwargs_w):
    for key in kwargs_w:
        if key not in ("globals", "locals", "closure"):
            raise oefmt("TypeError", "%s() got an unexpected keyword argument '%s'",
                        fn_name, key)
    args = list(args_w)
    if not args:
        raise oefmt("TypeError", "%s expected at least 1 argument, got 0", fn_name)
    if len(args) > 3:
        raise oefmt("TypeError", "%s expected at most 3 arguments, got %d", fn_name, len(args))
    w_globals = args[1] if len(args) > 1 else kwargs_w.get("globals")
    w_locals = args[2] if len(args) > 2 else kwargs_w.get("locals")
    if w_globals is not None and _is_none(w_globals):
        w_globals = None
    if w_locals is not None and _is_none(w_locals):
        w_locals = None
    if w_globals is None:
        w_globals = _current_globals()
        if w_locals is None:
            w_locals = _current_locals()
    elif w_locals is None:
        w_locals = w_globals
    from runtime import dictobject  # noqa: F401  (W_Dict)
    if space.typename(w_globals) != "dict" and not _is_dict(w_globals):
        raise oefmt("TypeError", "%s() globals must be a dict, not %s", fn_name,
                    space.typename(w_globals))
    w_key = space.newtext("__builtins__")
    if not space.contains(w_globals, w_key):
        space.setitem(w_globals, w_key, get_builtins())
    return args[0], w_globals, w_locals


def _is_dict(w):
    return space.isinstance(w, _obj.wrap(id(dict)))


@builtin()
def exec_(*args_w, **kwargs_w):
    """exec(source, globals=None, locals=None, /, *, closure=None) through beale's compiler."""
    w_source, w_globals, w_locals = _exec_namespaces("exec", args_w, kwargs_w)
    source = _source_text(w_source, "exec")
    if _host_isinstance(source, CodeObject):
        tree, filename = source.tree, source.co_filename
    else:
        tree, filename = parse_source(source, "<string>", "exec"), "<string>"
    run_tree(tree, filename, "exec", w_globals, w_locals)
    return w_None


@builtin()
def eval_(*args_w, **kwargs_w):
    """eval(source, globals=None, locals=None) through beale's compiler."""
    w_source, w_globals, w_locals = _exec_namespaces("eval", args_w, kwargs_w)
    source = _source_text(w_source, "eval")
    if _host_isinstance(source, CodeObject):
        tree, filename, mode = source.tree, source.co_filename, source.mode
    else:
        tree, filename, mode = parse_source(
            source.lstrip(b" \t" if _host_isinstance(source, bytes) else " \t"),
            "<string>", "eval"), \
            "<string>", "eval"
    return run_tree(tree, filename, mode, w_globals, w_locals)


def run_tree(tree, filename, mode, w_globals, w_locals=None):
    """Hand a parsed tree to the evaluator (runtime.interp.run_tree); returns the value of
    an 'eval' tree, None otherwise."""
    interp = _interp()
    w_res = interp.run_tree(tree, filename, mode, w_globals, w_locals)
    return w_None if w_res is None else w_res


@builtin("__import__")
def import_(*args_w, **kwargs_w):
    """__import__(name, globals=None, locals=None, fromlist=(), level=0)."""
    names = ("name", "globals", "locals", "fromlist", "level")
    args = dict(zip(names, args_w))
    for key, w in kwargs_w.items():
        if key not in names:
            raise oefmt("TypeError", "__import__() got an unexpected keyword argument '%s'",
                        key)
        args[key] = w
    if "name" not in args:
        raise oefmt("TypeError", "__import__() missing required argument 'name' (pos 1)")
    name = _str_value(args["name"])
    if name is None:
        raise oefmt("TypeError", "__import__() argument 1 must be str, not %s",
                    space.typename(args["name"]))
    w_globals = args.get("globals")
    w_fromlist = args.get("fromlist")
    fromlist = []
    if w_fromlist is not None and not _is_none(w_fromlist):
        fromlist = [space.str_w(w) for w in space.iterate(w_fromlist)]
    level = space.index(args["level"]) if "level" in args else 0
    from runtime import importer
    return importer.import_module(name, w_globals, fromlist, level)


@builtin()
def open_(*args_w, **kwargs_w):
    """open(...): the stdlib's io.open (the C `_io.open`, called with the guest arguments)."""
    import _io
    from runtime import foreign
    return foreign.call_host_callable(_io.open, list(args_w), dict(kwargs_w))


@builtin()
def breakpoint_(*args_w, **kwargs_w):
    raise oefmt("NotImplementedError", "breakpoint() is not supported by beale "
                "(no guest debugger yet)")


@builtin()
def help_(*args_w, **kwargs_w):
    if not args_w:
        print_(space.newstr("Type help(object) for help about object. (beale has no "
                            "interactive help browser.)"))
        return w_None
    w_doc = space.getattr_default(args_w[0], "__doc__", w_None)
    print_(w_doc if not _is_none(w_doc) else space.newstr("No documentation."))
    return w_None


def _quitter(name):
    def quit_(*args_w, **kwargs_w):
        """exit(code=None) / quit(code=None): raise SystemExit(code)."""
        from runtime import exceptions
        w_stdin = _sys_attr("stdin")
        if w_stdin is not None and not _is_none(w_stdin):
            try:
                space.call(space.getattr(w_stdin, "close"), [])
            except OperationError:
                pass
        w_exc = exceptions.new_exception("SystemExit", list(args_w[:1]))
        raise exceptions.operation_error(w_exc)
    quit_.__name__ = name
    return quit_


BUILTIN_FUNCTIONS["exit"] = _quitter("exit")
BUILTIN_FUNCTIONS["quit"] = _quitter("quit")


@builtin("__build_class__")
def build_class(*args_w, **kwargs_w):
    from runtime import typeobject
    f = getattr(typeobject, "build_class", None)
    if f is None:
        raise oefmt("NotImplementedError", "__build_class__ is not available")
    return f(*args_w, **kwargs_w)


# --- the module -------------------------------------------------------------------------------

# built-in types exposed by name: the host's type objects (guest `int` is PyLong_Type)
BUILTIN_TYPE_NAMES = ("bool", "bytearray", "bytes", "classmethod", "complex", "dict",
                      "float", "frozenset", "int", "list", "memoryview", "object",
                      "property", "range", "set", "slice", "staticmethod", "str", "super",
                      "tuple", "type")

_module = []


def get_builtins():
    """The guest builtins module (made on first use)."""
    if not _module:
        _module.append(make_builtins_module())
    return _module[0]


def get_builtins_dict():
    from runtime import moduleobject
    return moduleobject.module_dict(get_builtins())


def _type_handle(name):
    """The guest type object for a built-in type name: typeobject's if it has one, else a
    handle on the host's type object."""
    try:
        from runtime import typeobject
    except ImportError:
        typeobject = None
    f = getattr(typeobject, "builtin_type", None) if typeobject else None
    if f is not None:
        w = f(name)
        if w is not None:
            return w
    from runtime import functionobject
    beale_types = {"property": "property_typedef", "classmethod": "classmethod_typedef",
                   "staticmethod": "staticmethod_typedef", "super": "super_typedef"}
    if name in beale_types and hasattr(functionobject, beale_types[name]):
        return typeobject.w_type_of_td(getattr(functionobject, beale_types[name]))
    return typeobject.w_type_for_addr(id(getattr(_host_builtins, name)))


def make_builtins_module():
    from runtime import exceptions, foreign, moduleobject
    w_mod = moduleobject.new_module("builtins", _host_builtins.__doc__)
    w_dict = moduleobject.module_dict(w_mod)

    def put(name, w_value):
        space.setitem(w_dict, space.newtext(name), w_value)

    from runtime import functionobject, typeobject
    for name, fn in BUILTIN_FUNCTIONS.items():
        if name in ITERATOR_TYPES:
            td = foreign.iterator_typedef(name)
            td.methods["__new__"] = typeobject.HostStaticMethod(_type_new_from(fn))
            put(name, typeobject.w_type_of_td(td))
        else:
            put(name, functionobject.new_builtin_function(name, fn))
    for name in BUILTIN_TYPE_NAMES:
        put(name, _type_handle(name))
    for name in sorted(exceptions.HOST_EXCEPTIONS):
        put(name, exceptions.w_type_of(name))
    put("None", w_None)
    put("Ellipsis", _obj.w_Ellipsis)
    put("NotImplemented", _obj.w_NotImplemented)
    put("True", _obj.w_True)
    put("False", _obj.w_False)
    put("__debug__", _obj.w_True)
    # site's _Printer objects (repr: "Type license() to see the full license text"),
    # the host's own: calling one prints host text to the shared stdout
    for name in ("copyright", "credits", "license"):
        printer = getattr(_host_builtins, name, None)
        put(name, foreign.adopt(printer) if printer is not None
            else space.newstr(_host_sys.copyright))
    return w_mod


def _type_new_from(fn):
    """`__new__(cls, *args)` of an iterator type made from its built-in function."""
    def new(w_type, /, *args_w, **kwargs_w):
        return fn(*args_w, **kwargs_w)
    return new
