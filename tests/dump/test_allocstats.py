"""runtime.allocstats: per-type allocation counts for guest programs.

Each test runs in a subprocess: counting wraps the host's allocator for the whole process.
"""

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

PROGRAM = """
import _heapq
xs = []
for i in range(5000):
    xs.append(i + 0.5)
h = [5, 3, 1, 4]
for _ in range(3):
    _heapq.heapify(h)
del xs
print('done')
"""


def run_py(code, *args):
    return subprocess.run([sys.executable, "-c", code] + list(args), cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_command_prints_table_after_the_program(tmp_path):
    script = tmp_path / "prog.py"
    script.write_text(PROGRAM)
    p = subprocess.run([sys.executable, "-m", "runtime.allocstats", "run", "--alloc-stats",
                        str(script)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "done"                 # the program's output is untouched
    rows = {}
    for line in p.stderr.splitlines():
        parts = line.rsplit(None, 6)
        if len(parts) == 7 and all(x.lstrip("-").isdigit() for x in parts[1:]):
            rows[parts[0].strip()] = [int(x) for x in parts[1:]]
    allocated, freed, free_listed, live, nbytes, live_bytes = rows["float"]
    assert allocated >= 5000
    assert freed >= 5000 - 100                         # at most 100 on the float free list
    assert 0 <= free_listed <= 100                     # ... and those are seen as such
    assert live == allocated - freed - free_listed
    assert nbytes == allocated * 24                    # sizeof(PyFloatObject) each
    assert live_bytes == (allocated - freed) * 24
    assert "peak live bytes:" in p.stderr
    assert "objects handed to C: " in p.stderr
    handed = p.stderr.split("objects handed to C: ")[1]
    assert int(handed.split()[0]) >= 3 and "list" in handed


def test_snapshot_counts_frees_done_by_the_host():
    code = """
import json
from runtime import allocstats
allocstats.install()
from runtime.intobject import new_int
from runtime.listobject import new_list
before = allocstats.snapshot()
ws = [new_int(10**20 + i) for i in range(1000)]
mid = allocstats.snapshot()
lst = new_list(ws[:10])
del ws                              # the host frees 990 ints (the list keeps 10)
after = allocstats.snapshot()
del lst                             # the host's list_dealloc frees the rest
end = allocstats.snapshot()
allocstats.uninstall()
def ints(s): return s["types"].get("int", {"allocated": 0, "freed": 0})
print(json.dumps([ints(before), ints(mid), ints(after), ints(end),
                  mid["peak_bytes"], end["live_bytes"], mid["live_bytes"]]))
"""
    p = run_py(code)
    assert p.returncode == 0, p.stderr
    before, mid, after, end, peak, live_end, live_mid = json.loads(p.stdout)
    assert mid["allocated"] - before["allocated"] == 1000
    assert after["freed"] - mid["freed"] == 990
    assert end["freed"] - mid["freed"] == 1000
    assert peak >= live_mid > live_end
