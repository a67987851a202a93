"""Layouts from any include directory, by parsing alone (nothing is compiled).

``beale layout --headers DIR --define Py_GIL_DISABLED PyObject`` uses this to
show, say, the free-threaded 3.13 PyObject on a machine whose interpreter is
not free-threaded: the headers are preprocessed with the extra defines,
parsed, and :mod:`layout.abi` computes the layouts as it does for the host.
"""

import functools

from . import abi, cmodel, cparse


@functools.lru_cache(maxsize=8)
def load(include_dir, defines=()):
    """A (process-wide cached) :class:`HeaderLayouts`; parsing takes a second or two."""
    return HeaderLayouts(include_dir, tuple(defines))


class HeaderLayouts:
    """The structs of the headers in *include_dir* under *defines*."""

    def __init__(self, include_dir, defines=()):
        self.include_dir = include_dir
        self.defines = tuple(defines)
        self.model = cmodel.build_model(cparse.parse_headers(include_dir, self.defines))
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


def read_struct_list():
    import os
    names = []
    with open(os.path.join(cparse.HEADERS_DIR, "structs.txt")) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                names.append(line)
    return names
