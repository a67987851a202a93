"""Guest exceptions in flight through host frames.

beale's own code (object model, builtins, interpreter) signals a guest exception by raising
`OperationError`. It carries either the guest exception object itself (`w_value`, a handle)
or, until somebody needs the object, the name of a built-in exception class and a message;
`runtime.space` materialises the guest object on demand (see `OperationError.materialise`).
"""


import re as _re     # bound at import: a C call may show guest modules in sys.modules


class OperationError(Exception):
    """A guest exception travelling through the host's stack."""

    __slots__ = ("name", "message", "w_value", "traceback")

    def __init__(self, name=None, message=None, w_value=None):
        Exception.__init__(self, name, message)
        self.name = name          # built-in exception class name, e.g. "ValueError"
        self.message = message    # its message (str) when w_value is not built yet
        self.w_value = w_value    # the guest exception object (a handle) once it exists
        self.traceback = None     # guest traceback entries, filled by the interpreter

    def match(self, name):
        """True if this is (lazily) exactly the built-in class `name`."""
        return self.w_value is None and self.name == name

    def __str__(self):
        if self.w_value is None:
            return "%s: %s" % (self.name, self.message)
        return "guest exception %r" % (self.w_value,)


def host_call_type_error(e, name=None):
    """The guest TypeError for host TypeError `e`, caught right where a host function that
    implements a guest callable (bool_new, float_new, a method of a built-in type) was
    called, when it was raised by binding the arguments: no frame of the callee is on its
    traceback. CPython raises a TypeError from its argument parsing there (`bool(1, 2)`).
    Returns None for an error raised inside the callee (a beale bug: not disguised).
    `name` replaces the host function's name in the message ("bool_new()" -> "bool()")."""
    tb = e.__traceback__
    if tb is None or tb.tb_next is not None:
        return None
    msg = str(e)
    if name is not None:
        i = msg.find("() ")
        if i > 0 and " " not in msg[:i]:
            msg = name + msg[i:]
    # beale's parameter names carry a w_ prefix the guest never sees
    msg = _re.sub(r"'w_(\w+)'", r"'\1'", msg)
    return OperationError("TypeError", msg)


def with_attrs(operr, **attrs):
    """Give the (lazily built) guest exception of `operr` attributes beyond its args:
    NameError.name, AttributeError.name/.obj (host str or handle values). Applied by
    space.exc_value when the guest object is made."""
    operr.__dict__["exc_attrs"] = attrs
    return operr


def oefmt(name, fmt, *args):
    """Build an OperationError for built-in class `name` with a %-formatted message."""
    return OperationError(name, fmt % args if args else fmt)
