"""Layouts from any include directory, by parsing alone (nothing is compiled).

``beale layout --headers DIR --define Py_GIL_DISABLED PyObject`` uses this to
show, say, the free-threaded 3.13 PyObject on a machine whose interpreter is
not free-threaded: the headers are preprocessed with the extra defines,
parsed, and :mod:`layout.abi` computes the layouts as it does for the host.

Parsing a full set of headers takes a few seconds, so the resulting type model
is kept as JSON in the beale cache (``<cache>/headers/<key>.json``, the key
covering the headers' contents, the defines and the parser's sources).
"""

import functools
import hashlib
import json
import os
import tempfile

from . import abi, cmodel, cparse


class HeaderLayouts:
    """The structs of the headers in *include_dir* under *defines*."""

    def __init__(self, include_dir, defines=(), model=None):
        self.include_dir = include_dir
        self.defines = tuple(defines)
        if model is None:
            model = cmodel.build_model(cparse.parse_headers(include_dir, self.defines))
        self.model = model
        self._cache = {}

    def struct(self, name):
        s = self._cache.get(name)
        if s is None:
            s = self._cache[name] = abi.struct_of(self.model, name)
        return s

    def structs(self, roots=None):
        """Sorted names of the structs reachable from headers/structs.txt."""
        if roots is None:
            roots = read_struct_list()
        found = [r for r in (cmodel.resolve_root(self.model, n) for n in roots) if r]
        tds, tags = cmodel.closure(self.model, found)
        names = set()
        for n in tds:
            try:
                if abi.resolve(self.model, self.model.typedefs[n])["k"] == "agg":
                    names.add(n)
            except abi.LayoutError:
                pass
        names.update(t for t in tags if self.model.tags.get(t, {}).get("k") == "agg")
        return sorted(names)


@functools.lru_cache(maxsize=8)
def load(include_dir, defines=()):
    """A :class:`HeaderLayouts`, cached in this process and on disk."""
    cparse.check_include_dir(include_dir)
    defines = tuple(defines)
    path = _cache_path(include_dir, defines)
    if path and os.path.isfile(path):
        try:
            with open(path) as f:
                return HeaderLayouts(include_dir, defines, cmodel.Model.from_json(json.load(f)))
        except (OSError, ValueError, KeyError):
            pass  # unreadable cache entry: parse again
    h = HeaderLayouts(include_dir, defines)
    if path:
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
            with os.fdopen(fd, "w") as f:
                json.dump(h.model.to_json(), f)
            os.replace(tmp, path)  # atomic
        except OSError:
            pass  # no cache, no problem
    return h


def _cache_path(include_dir, defines):
    """Where the parsed model of (include_dir, defines) is kept.

    The key covers what the parse depends on (the headers, the defines, the
    parser's own sources and pycparser's version) but not the interpreter
    running it, so every Python version on the machine shares the entry.
    """
    try:
        from . import _build_ffi_module
        root = _build_ffi_module().cache_root()
        import pycparser
        h = hashlib.sha256()
        h.update(("pycparser %s;%r;%s;" % (pycparser.__version__, sorted(defines),
                                          include_dir)).encode())
        for dirpath, dirnames, filenames in os.walk(include_dir):
            dirnames.sort()
            for name in sorted(filenames):
                p = os.path.join(dirpath, name)
                h.update(os.path.relpath(p, include_dir).encode())
                with open(p, "rb") as f:
                    h.update(f.read())
        here = os.path.dirname(os.path.abspath(__file__))
        for p in (os.path.join(here, "cparse.py"), os.path.join(here, "cmodel.py"),
                  cparse.SHIMS, cparse.PRIVATE_OBJECTS):
            with open(p, "rb") as f:
                h.update(f.read())
    except Exception:  # the cache is an optimisation only
        return None
    return os.path.join(root, "headers", h.hexdigest()[:24] + ".json")


def read_struct_list():
    names = []
    with open(os.path.join(cparse.HEADERS_DIR, "structs.txt")) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                names.append(line)
    return names
