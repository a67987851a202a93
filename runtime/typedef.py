"""TypeDef: what beale knows about a guest-visible type.

Every type a guest program can see has one TypeDef. For a built-in type the TypeDef names
the host's type object (its ob_type is what the structs point at) and holds beale's own
implementation of the type's methods; for a guest class the TypeDef is made by
runtime/typeobject.py and also holds the guest-built PyTypeObject.

Methods are plain host functions taking and returning handles (runtime.object.W_Object):
    fn(w_self, *args_w, **kwargs_w) -> W_Object
Operators are dunder methods (`__add__`, `__radd__`, `__eq__`, ...) that return a handle or
`w_NotImplemented`. Constructors are `__new__(w_type, *args_w, **kwargs_w)` and `__init__`.
Guest exceptions are raised as runtime.errors.OperationError.
"""

TYPEDEFS = {}   # type name -> TypeDef, for the built-in types


class TypeDef:
    """A guest-visible type: its name, base, methods and (for built-ins) the host type object."""

    def __init__(self, name, base=None, host_symbol=None, handle_class=None, doc=None):
        self.name = name                  # __name__ as the guest sees it
        self.base = base                  # TypeDef of the base type (None for object)
        self.host_symbol = host_symbol    # e.g. "PyFloat_Type": the host's type object
        self.handle_class = handle_class  # W_Object subclass for exact instances
        self.methods = {}                 # name -> host function implementing it
        self.doc = doc
        if host_symbol is not None:
            TYPEDEFS[name] = self
        if handle_class is not None:
            handle_class.typedef = self

    def method(self, name=None):
        """Decorator: register `fn` as the method `name` (default: the function's name)."""
        def register(fn):
            self.methods[name or fn.__name__] = fn
            return fn
        return register

    def lookup(self, name):
        """Find `name` along the base chain, or None. Guest classes override this (MRO)."""
        td = self
        while td is not None:
            fn = td.methods.get(name)
            if fn is not None:
                return fn
            td = td.base
        return None

    def __repr__(self):
        return "<TypeDef %s>" % self.name
