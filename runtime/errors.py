"""Guest exceptions in flight through host frames.

beale's own code (object model, builtins, interpreter) signals a guest exception by raising
`OperationError`. It carries either the guest exception object itself (`w_value`, a handle)
or, until somebody needs the object, the name of a built-in exception class and a message;
`runtime.space` materialises the guest object on demand (see `OperationError.materialise`).
"""


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


def oefmt(name, fmt, *args):
    """Build an OperationError for built-in class `name` with a %-formatted message."""
    return OperationError(name, fmt % args if args else fmt)
