"""Preprocess and parse CPython's headers.

This is step one of the layout layer: the host's real ``Python.h`` (plus a few
internal headers for private structs such as ``PyGC_Head``) is run through the
system C preprocessor and parsed with pycparser.  Nothing here knows any struct
offset; it only produces the C declarations (a pycparser ``FileAST``).

Two tricks keep pycparser happy with real-world headers:

* ``headers/shims.h`` is force-included to define GCC extensions away;
* the bodies of (static inline) function definitions are cut out of the
  preprocessed text before parsing (:func:`strip_function_bodies`): beale only
  needs declarations, and function bodies are where GCC builtins, statement
  expressions and inline asm live.
"""

import os
import shutil
import subprocess
import sysconfig

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
HEADERS_DIR = os.path.join(ROOT, "headers")
SHIMS = os.path.join(HEADERS_DIR, "shims.h")
#: beale's declarations of structs private to CPython's Objects/*.c (range, the container
#: iterators), written per CPython version and checked against the host by the tests.
PRIVATE_OBJECTS = os.path.join(HEADERS_DIR, "private_objects.h")

#: Internal headers (relative to the include dir) holding private structs that
#: C code reads anyway: PyGC_Head, the dict keys object, PyModuleObject.  Each is
#: used only if the version ships it (3.10 has no pycore_dict.h, for example).
INTERNAL_HEADERS = (
    "internal/pycore_gc.h",
    "internal/pycore_dict.h",
    "internal/pycore_moduleobject.h",
)


class BuildError(Exception):
    """A problem with the build environment; str() is a one-line message."""


def host_include_dir():
    """The host interpreter's include directory (the one holding Python.h)."""
    return sysconfig.get_paths()["include"]


def find_compiler():
    """Return the C compiler command (honours $CC), or raise BuildError."""
    cc = os.environ.get("CC") or sysconfig.get_config_var("CC") or "gcc"
    prog = cc.split()[0]
    if shutil.which(prog) is None:
        for alt in ("gcc", "cc", "clang"):
            if shutil.which(alt):
                return alt
        raise BuildError("beale: no C compiler found: install gcc (apt-get install gcc)")
    return cc


def check_include_dir(include_dir):
    if not os.path.isfile(os.path.join(include_dir, "Python.h")):
        raise BuildError(
            "beale: Python.h not found in %s: install the CPython development headers "
            "(apt-get install python3-dev, or rebuild with pyenv)" % include_dir)


def internal_headers(include_dir):
    """The INTERNAL_HEADERS this include dir actually has."""
    return [h for h in INTERNAL_HEADERS if os.path.isfile(os.path.join(include_dir, h))]


def wrapper_source(include_dir):
    """The C text that includes everything beale reads layouts from.

    ``Python.h`` is included as an extension module sees it; Py_BUILD_CORE is
    defined only afterwards, for the internal headers (which refuse to be
    included without it).  The same text heads the cffi module's C source, so
    the compiler checks exactly what was parsed.
    """
    lines = ["#include <Python.h>",
             "#include <structmember.h>  /* PyMemberDef on 3.10, a no-op later */"]
    internals = internal_headers(include_dir)
    if internals:
        lines.append("#ifndef Py_BUILD_CORE")
        lines.append("#define Py_BUILD_CORE 1")
        lines.append("#endif")
        # cpython/objimpl.h (seen without Py_BUILD_CORE) makes this a macro;
        # 3.12+'s pycore_gc.h then defines a function of the same name.
        lines.append("#undef _PyGC_FINALIZED")
        lines += ['#include "%s"' % h for h in internals]
    lines.append('#include "%s"' % PRIVATE_OBJECTS)
    return "\n".join(lines) + "\n"


def preprocess(include_dir, defines=(), cc=None):
    """Run the C preprocessor over :func:`wrapper_source`; return the text.

    *defines* are extra macro definitions, ``"NAME"`` or ``"NAME=VALUE"``
    (``Py_GIL_DISABLED`` to read a free-threaded layout).
    """
    check_include_dir(include_dir)
    cc = cc or find_compiler()
    cmd = cc.split() + ["-E", "-P", "-std=gnu11", "-include", SHIMS,
                        "-I", include_dir, "-I", os.path.join(include_dir, "internal")]
    cmd += ["-D" + d for d in defines]
    cmd += ["-x", "c", "-"]
    try:
        proc = subprocess.run(cmd, input=wrapper_source(include_dir), capture_output=True,
                              text=True)
    except OSError as e:
        raise BuildError("beale: cannot run the C preprocessor (%s): install gcc "
                         "(apt-get install gcc)" % e)
    if proc.returncode != 0:
        first = next((l for l in proc.stderr.splitlines() if "error" in l),
                     proc.stderr.strip().splitlines()[0] if proc.stderr.strip() else "?")
        raise BuildError("beale: preprocessing %s/Python.h failed: %s" % (include_dir, first))
    return proc.stdout


def strip_function_bodies(text):
    """Replace every top-level ``{...}`` that follows a ``)`` by ``;``.

    At file scope a brace block is a struct/union/enum body (after a tag or the
    keyword), an initializer (after ``=``) or a function body (after the
    parameter list's ``)``; attributes were defined away by the shims).  Only
    the last kind is removed, which turns definitions into prototypes.
    Comments are gone after preprocessing; string and character literals are
    skipped so braces inside them do not count.
    """
    out = []
    i, n = 0, len(text)
    depth = 0
    last_sig = ""  # last non-space character seen at depth 0
    while i < n:
        c = text[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
            last_sig = c
            continue
        if c == "{" and depth == 0 and last_sig == ")":
            # skip the function body up to its matching brace
            d = 0
            while i < n:
                ch = text[i]
                if ch == '"' or ch == "'":
                    j = i + 1
                    while j < n and text[j] != ch:
                        j += 2 if text[j] == "\\" else 1
                    i = j + 1
                    continue
                if ch == "{":
                    d += 1
                elif ch == "}":
                    d -= 1
                    if d == 0:
                        break
                i += 1
            out.append(";")
            i += 1
            last_sig = ";"
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        out.append(c)
        if not c.isspace():
            last_sig = c
        i += 1
    return "".join(out)


def parse(text):
    """Parse preprocessed C text with pycparser; return the FileAST."""
    from pycparser import c_parser
    try:
        return c_parser.CParser().parse(strip_function_bodies(text), "<Python.h>")
    except Exception as e:  # pycparser raises plain ParseError with file:line
        raise BuildError("beale: pycparser could not parse the headers: %s" % e)


def parse_headers(include_dir=None, defines=(), cc=None):
    """Preprocess and parse the headers of *include_dir* (default: the host's)."""
    include_dir = include_dir or host_include_dir()
    return parse(preprocess(include_dir, defines, cc))
