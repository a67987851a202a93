"""Memory of a guest list of floats vs the host's (issue 3, acceptance 4). Not a test.

    python benchmarks/memory_list.py [N]          (default N = 1,000,000)

Builds a list of N floats by N appends, once as a host list and once as a guest list
(runtime.listobject: a PyListObject whose ob_item grows by list_resize, holding
PyFloatObjects allocated by beale), and measures what each costs with tracemalloc, which
sees every PyObject_Malloc/PyMem_Malloc block, the host's and beale's alike.  The guest's
handles are dropped as the loop goes (the list owns its items), so what remains is the
structs themselves.  Acceptance: guest <= 1.2 x host.
"""

import gc
import os
import sys
import time
import tracemalloc

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import _ctypes                                        # noqa: E402

from runtime import listobject as L                   # noqa: E402
from runtime.floatobject import new_float             # noqa: E402


def measure(build):
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    t0 = time.perf_counter()
    keep = build()
    elapsed = time.perf_counter() - t0
    gc.collect()
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return keep, used, elapsed


def build_host(n):
    def build():
        lst = []
        for i in range(n):
            lst.append(i + 0.5)
        return lst
    return build


def build_guest(n):
    def build():
        w = L.new_list()
        for i in range(n):
            L.list_append(w, new_float(i + 0.5))
        return w
    return build


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
    host, host_bytes, host_t = measure(build_host(n))
    guest, guest_bytes, guest_t = measure(build_guest(n))
    view = _ctypes.PyObj_FromPtr(guest.addr)
    assert len(view) == n and view[-1] == n - 0.5 and view == host
    assert L.list_allocated(guest) == _allocated(host)
    print("list of %d floats built by appends" % n)
    print("  host : %12d bytes  (%.1f bytes/item)  %.2fs" % (host_bytes, host_bytes / n, host_t))
    print("  guest: %12d bytes  (%.1f bytes/item)  %.2fs" % (guest_bytes, guest_bytes / n, guest_t))
    ratio = guest_bytes / host_bytes
    print("  ratio guest/host: %.3f  (acceptance: <= 1.2) %s" % (ratio, "OK" if ratio <= 1.2 else "FAIL"))
    return 0 if ratio <= 1.2 else 1


def _allocated(host_list):
    """`allocated` of a host list, read with the layout (no hand-written offset)."""
    import layout
    return layout.cast(id(host_list), "PyListObject").allocated


if __name__ == "__main__":
    sys.exit(main())
