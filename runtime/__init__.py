"""beale's runtime: the interpreter, the object model, builtins, imports, the C bridge, the CLI."""
