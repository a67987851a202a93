"""Write the six teaching notebooks (notebooks/*.ipynb) from the cell lists below.

    python notebooks/make_notebooks.py            # write them, without outputs
    python notebooks/make_notebooks.py --execute  # and run them, keeping the outputs

Every picture in them is drawn at run time by runtime.svg from memory read through layout/
(`%beale_dump`, `diagram(...)`); none is drawn by hand. tests/notebooks runs them all.
"""

import os
import sys

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

SETUP = """\
%load_ext runtime.ipython
import sys, layout
from runtime import dump
from runtime.ipython import lookup, diagram, host_diagram, table, run_cell"""


def md(text):
    return new_markdown_cell(text.strip("\n"))


def code(text):
    return new_code_cell(text.strip("\n"))


NB = {}

# --------------------------------------------------------------------------------------------
NB["01_header_and_int_digits"] = [
    md("""
# 1. The object header and int's digits

Every object a beale program creates is a C struct allocated by beale with the host's
allocator, laid out exactly as CPython lays out its own. This notebook looks at the two
words every object starts with, `ob_refcnt` and `ob_type`, and at how an `int` stores its
value: a signed digit count in `ob_size` and an array of 30-bit digits, least significant
first (`Include/cpython/longintrepr.h`).

Everything below is read from live memory: the tables and diagrams come from
`runtime.dump`, which walks the struct layouts that `layout/` parsed from the host's own
headers."""),
    code(SETUP),
    md("""The layout of `PyLongObject`, as the host's headers define it (offsets in bytes):"""),
    code("""
for depth, path, f in layout.struct("PyLongObject").walk():
    print("%s%-28s %-16s offset %2d  size %d" % ("  " * depth, path, f.ctype, f.offset, f.size))"""),
    md("""Now some ints made by the guest program. `%%beale` runs the cell in beale's
interpreter; the guest `__main__` persists from cell to cell."""),
    code("""
%%beale
small = 7
big = 2**70 + 12345
neg = -(2**40)
zero = 0
print(small, big, neg, zero)"""),
    md("""The guest's `big`, beside the host CPython's own object for the same value. Rows
whose bytes differ are highlighted: only the reference count and addresses may differ; the
type pointer is the host's own `&PyLong_Type`, and the digits are byte-identical."""),
    code("%beale_dump big --host --depth 0"),
    md("""Reading the digits back by hand, with nothing but the layout and the raw memory:"""),
    code("""
w = lookup("big")
S = layout.struct("PyLongObject")
ndigits = layout.read(w.addr, "PyLongObject", "ob_base.ob_size")
digits = [layout.read(w.addr, "PyLongObject", "ob_digit[%d]" % i) for i in range(abs(ndigits))]
value = sum(d << (sys.int_info.bits_per_digit * i) for i, d in enumerate(digits))
print("ob_size =", ndigits, " digits =", digits)
print("value   =", value, " ob_type is the host's int type:",
      layout.read(w.addr, "PyLongObject", "ob_base.ob_base.ob_type") == id(int))"""),
    md("""A negative int keeps the sign in `ob_size` (the digits are the magnitude), and
zero has `ob_size == 0` but still one allocated digit:"""),
    code("table(lookup('neg'))"),
    code("diagram(lookup('zero'), depth=0)"),
    md("""## The small-int cache

CPython preallocates the ints -5..256 and hands out the same object every time. beale does
the same with its **own** structs (built by beale, not borrowed from the host), so in the
guest `n + n` with `n = 50` is the very object `100`, while `m + m` with `m = 500` builds a
new 1000 (exactly what the host prints for the same code):"""),
    code("""
%%beale
n, m = 50, 500
a = 100
b = n + n          # computed at run time: no constant folding
c = 1000
d = m + m
print("a is b:", a is b, "  c is d:", c is d)"""),
    code("""
wa, wb, wc = lookup("a"), lookup("b"), lookup("c")
print("guest 100 at 0x%x (same object for a and b: %s)" % (wa.addr, wa.addr == wb.addr))
print("host  100 at 0x%x (the host's own cache: a different struct)" % id(100))
print("guest refcount of the cached 100:", dump.refcnt_of(wa.addr))
print("guest 1000 at 0x%x, refcount %d" % (wc.addr, dump.refcnt_of(wc.addr)))"""),
    code("diagram(lookup('a'), depth=0)"),
]

# --------------------------------------------------------------------------------------------
NB["02_str_kinds"] = [
    md("""
# 2. str: four kinds and the compact layout

A CPython `str` (PEP 393) stores its characters with the smallest fixed width that fits the
widest character: 1 byte (ASCII or Latin-1), 2 bytes (UCS-2) or 4 bytes (UCS-4). "Compact"
strings keep the characters right after the header in the same allocation: a pure-ASCII
string has the short `PyASCIIObject` header, any other compact string the longer
`PyCompactUnicodeObject` one. The `state` bitfield records `kind`, `compact` and `ascii`.
beale builds guest strings exactly so."""),
    code(SETUP),
    code("""
%%beale
s1 = 'hello'          # ASCII: kind 1, PyASCIIObject
s2 = 'h\\xe9llo'       # Latin-1: kind 1, not ASCII, PyCompactUnicodeObject
s3 = 'a\\u20acb'       # UCS-2: kind 2
s4 = 'x\\U0001F600'    # UCS-4: kind 4
print(s1, s2, s3, s4)"""),
    code("""
for name in ("s1", "s2", "s3", "s4"):
    w = lookup(name)
    d = dump.dump_object(w.addr, 0)
    info = dump._unicode_info(w.addr)
    header = layout.struct(info["struct"]).size
    print("%s %-10r %-23s kind %d, header %d bytes, characters at +%d, %d bytes in all"
          " (host sys.getsizeof of the same value: %d)"
          % (name, info["value"], info["struct"], info["kind"], header,
             info["data"] - w.addr, d["size"], sys.getsizeof(info["value"])))"""),
    md("""The ASCII string: the characters start at offset 48, right after the
`PyASCIIObject` header, with a NUL terminator after them."""),
    code("%beale_dump s1 --host --depth 0"),
    md("""A 2-byte-kind string: the longer header (UTF-8 and wchar caches, empty until
asked for), then two bytes per character."""),
    code("diagram(lookup('s3'), depth=0)"),
    code("table(lookup('s4'))"),
    md("""## The hash cache

`hash` is -1 until someone asks for the hash; then the value is stored in the struct. The
guest computes the same hash as the host (same algorithm, same per-process secret):"""),
    code("""
print("before:", layout.read(lookup("s1").addr, "PyASCIIObject", "hash"))
run_cell("h = hash(s1)")
print("after: ", layout.read(lookup("s1").addr, "PyASCIIObject", "hash"),
      " host hash('hello'):", hash("hello"))"""),
]

# --------------------------------------------------------------------------------------------
NB["03_list_growth_and_tuples"] = [
    md("""
# 3. list growth and ob_item; tuple's inline items

A `PyListObject` holds a pointer `ob_item` to a separate array of `PyObject *` and two
counts: `ob_size` (items in use) and `allocated` (capacity). Appending to a full list
grows the array with mild over-allocation (`list_resize` in `Objects/listobject.c`), so most
appends do not move anything. A tuple, being immutable, keeps its item pointers inline,
inside the object itself."""),
    code(SETUP),
    code("""
%%beale
L = []"""),
    md("""Append 20 items one at a time in the guest, and read `ob_size`, `allocated` and
`ob_item` from memory after each append; do the same with a host list:"""),
    code("""
host_L = []
rows = []
for i in range(20):
    run_cell("L.append(%d)" % i)
    host_L.append(i)
    w = lookup("L")
    g = [layout.read(w.addr, "PyListObject", f) for f in ("ob_base.ob_size", "allocated", "ob_item")]
    h = [layout.read(id(host_L), "PyListObject", f) for f in ("ob_base.ob_size", "allocated", "ob_item")]
    rows.append((g, h))
print("len  guest allocated  host allocated   guest ob_item")
prev = None
for g, h in rows:
    note = ""
    if prev is not None and prev[1] != g[1]:
        note = "grew: realloc %s the array" % ("kept" if prev[2] == g[2] else "moved")
    print("%3d  %15d  %14d   0x%x %s" % (g[0], g[1], h[1], g[2], note))
    prev = g
print("same growth pattern as the host:", [g[1] for g, h in rows] == [h[1] for g, h in rows])"""),
    md("""The list after the appends: the object, its separately allocated `ob_item` array
(with the unused capacity at the end), and the first items it points to."""),
    code("diagram(lookup('L'), depth=1, max_items=6)"),
    md("""## Tuples: items inline

`(1, 'two', 3.0)`: the three pointers sit in the tuple's own memory, starting at
`offsetof(PyTupleObject, ob_item)`:"""),
    code("""
%%beale
t = (1, 'two', 3.0)"""),
    code("""
print("ob_item starts at offset", layout.struct("PyTupleObject").offset("ob_item"))
%beale_dump t --host"""),
]

# --------------------------------------------------------------------------------------------
NB["04_compact_dict"] = [
    md("""
# 4. The compact dict

Since CPython 3.6 a dict keeps two arrays in its `PyDictKeysObject`: a small **index
table** `dk_indices` (hash & mask picks a slot; the slot holds an index into the entries,
or -1 for empty, -2 for a deleted slot) and the **entries** themselves, in insertion order.
Here we watch a guest dict through inserts, a delete and a resize, and compare its index
table with the host's for the same operations."""),
    code(SETUP),
    code("""
def keys_summary(addr):
    keys = layout.read(addr, "PyDictObject", "ma_keys")
    f = {n: layout.read(keys, "PyDictKeysObject", n)
         for n in ("dk_log2_size", "dk_usable", "dk_nentries", "dk_kind")}
    return "ma_keys 0x%x  size %d  usable %d  nentries %d  kind %d" % (
        keys, 1 << f["dk_log2_size"], f["dk_usable"], f["dk_nentries"], f["dk_kind"])

def indices(addr):
    d = dump.dump_object(addr, 0, {"max_items": 64})
    return [r["value"] for b in d["blocks"] if b["key"] == "dk_indices" for r in b["rows"]]"""),
    md("""An empty dict shares the static empty keys object (`Py_EMPTY_KEYS`):"""),
    code("""
%%beale
d = {}"""),
    code("print(keys_summary(lookup('d').addr))"),
    md("""Three inserts: the keys table gets 8 slots and room for 5 entries."""),
    code("""
%%beale
d['a'] = 1
d['b'] = 2
d['c'] = 3"""),
    code("""
host_d = {}
host_d['a'] = 1; host_d['b'] = 2; host_d['c'] = 3
print(keys_summary(lookup('d').addr))
print("guest indices:", indices(lookup('d').addr))
print("host  indices:", indices(id(host_d)))"""),
    code("diagram(lookup('d'), depth=0)"),
    md("""Deleting `'b'` leaves a DKIX_DUMMY (-2) in its index slot and NULLs in its entry;
the entry is not reused."""),
    code("""
%%beale
del d['b']"""),
    code("""
del host_d['b']
print(keys_summary(lookup('d').addr))
print("guest indices:", indices(lookup('d').addr))
print("host  indices:", indices(id(host_d)))
table(lookup('d'))"""),
    md("""Five more inserts exceed `dk_usable`: the dict builds a new, larger keys object
(the old one is freed), reinserts the live entries in order and drops the dummy."""),
    code("""
%%beale
for k in 'defgh':
    d[k] = ord(k)"""),
    code("""
for k in 'defgh':
    host_d[k] = ord(k)
print(keys_summary(lookup('d').addr))
print("guest indices:", indices(lookup('d').addr))
print("host  indices:", indices(id(host_d)))
print("same index table as the host:", indices(lookup('d').addr) == indices(id(host_d)))"""),
    code("%beale_dump d --host --depth 0"),
]

# --------------------------------------------------------------------------------------------
NB["05_zero_copy"] = [
    md("""
# 5. Zero copy: guest objects handed to C

Because a guest list *is* a `PyListObject`, beale can pass its address straight to a C
extension function: `_heapq.heapify` rearranges the pointers in the guest list's own
`ob_item` array, and `zlib.compress` reads the guest bytes' own `ob_sval`. Nothing is
converted or copied. Reference counts are shared too: a reference taken by the host is
visible to the guest's `sys.getrefcount`, and the other way round."""),
    code(SETUP),
    code("""
%%beale
import _heapq, zlib, sys
h = [50, 10, 40, 20, 30]
data = b'beale ' * 20"""),
    code("""
w = lookup("h")
before_array = layout.read(w.addr, "PyListObject", "ob_item")
before = [dump.word(before_array + 8 * i) for i in range(5)]     # the five item pointers
print("ob_item array at 0x%x holds" % before_array, [hex(p) for p in before])"""),
    code("diagram(lookup('h'), depth=1, max_items=5)"),
    md("""Now the C function runs on the guest list:"""),
    code("""
%%beale
_heapq.heapify(h)
print(h)"""),
    code("""
after_array = layout.read(w.addr, "PyListObject", "ob_item")
after = [dump.word(after_array + 8 * i) for i in range(5)]
print("same list object:", lookup("h").addr == w.addr, "  same ob_item array:", after_array == before_array)
print("same item objects, reordered in place:", sorted(after) == sorted(before))
print([dump.decode(p) for p in after])"""),
    code("diagram(lookup('h'), depth=1, max_items=5)"),
    md("""## bytes to zlib, refcounts from both sides

The guest's `data` is a `PyBytesObject`; `zlib.compress` reads its `ob_sval` in place. We
watch its reference count from the guest (`sys.getrefcount`) and from the host (reading
`ob_refcnt` in memory), then let the host take a reference of its own."""),
    code("""
%%beale
c = zlib.compress(data)
print(len(data), "->", len(c), "bytes;", "guest sees refcount", sys.getrefcount(data))"""),
    code("""
import _ctypes, zlib
wd = lookup("data")
print("host reads ob_refcnt:", dump.refcnt_of(wd.addr))
host_ref = _ctypes.PyObj_FromPtr(wd.addr)       # the host now holds the guest's bytes
print("after the host took a reference:", dump.refcnt_of(wd.addr))
print("host sees a real bytes object:", type(host_ref) is bytes, host_ref[:12])
print("host zlib on the same memory gives the guest's result:",
      zlib.compress(host_ref) == dump.decode(lookup("c").addr))"""),
    md("""The guest's count includes the host's reference. (The host's numbers also include
`wd`, the notebook's own handle on `data`: a handle is exactly one count.)"""),
    code("""
%%beale
print("guest sees refcount", sys.getrefcount(data))"""),
    code("""
del host_ref
print("host dropped its reference:", dump.refcnt_of(wd.addr))
run_cell("print('guest sees refcount', sys.getrefcount(data))")"""),
    code("diagram(lookup('data'), depth=0, host=True)"),
]

# --------------------------------------------------------------------------------------------
NB["06_guest_class"] = [
    md("""
# 6. A guest class: its PyTypeObject, its slots, C calling back

A `class` statement in the guest makes a real heap type: a `PyHeapTypeObject` allocated by
beale, readied so that the host's C code can use it. Its instances are structs whose
`ob_type` points at it. C code reaches the class's methods through the type's slots
(`tp_richcompare`, `tp_call`, `tp_hash`, ...): when `_heapq` compares two instances it calls
`tp_richcompare`, which has to call back into the guest's `__lt__`."""),
    code(SETUP),
    code("""
%%beale
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def __lt__(self, other):
        return (self.x, self.y) < (other.x, other.y)
    def __repr__(self):
        return 'Point(%d, %d)' % (self.x, self.y)

class Pair:
    __slots__ = ('a', 'b')

p = Point(3, 4)
q = Pair()
q.a = 'left'
q.b = 'right'
print(p, type(p).__name__)"""),
    md("""The type object: a selection of its fields, read from memory (the whole
`PyHeapTypeObject` has well over a hundred)."""),
    code("""
class HostPoint:                      # the same class in the host, for comparison
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __lt__(self, other):
        return (self.x, self.y) < (other.x, other.y)
    def __repr__(self):
        return 'HostPoint(%d, %d)' % (self.x, self.y)

wt = lookup("Point")
T = "PyHeapTypeObject"
for f in ("ht_type.tp_name", "ht_type.tp_basicsize", "ht_type.tp_itemsize", "ht_type.tp_flags",
          "ht_type.tp_dictoffset", "ht_type.tp_base", "ht_type.tp_mro", "ht_type.tp_dict",
          "ht_type.tp_richcompare", "ht_type.tp_repr", "ht_type.tp_init", "ht_type.tp_new",
          "ht_type.tp_dealloc", "ht_name", "ht_qualname"):
    v = layout.read(wt.addr, T, f)
    if f.endswith("tp_name"):
        note = dump._cstring(v)
    elif f.endswith(("tp_base", "tp_mro", "tp_dict", "ht_name", "ht_qualname")):
        note = dump.describe_pointer(v)
    elif f.endswith("tp_flags"):
        note = "HEAPTYPE %s, HAVE_GC %s, READY %s" % (bool(v & (1 << 9)), bool(v & (1 << 14)), bool(v & (1 << 12)))
    elif f.endswith(("tp_richcompare", "tp_repr", "tp_init", "tp_new", "tp_dealloc")):
        slot = f.split(".")[-1]
        same = [n for n, t in (("object", object), ("HostPoint-like class", HostPoint))
                if layout.read(id(t), "PyTypeObject", slot) == v]
        note = "NULL" if v == 0 else ("same C function as " + same[0] if same else "C function")
    else:
        note = ""
    print("%-24s %-20s %s" % (f.split(".")[-1], v if isinstance(v, int) and v < 1 << 32 else hex(v), note))"""),
    md("""The same type object drawn from memory (its NULL slots are counted, not drawn):"""),
    code("diagram(lookup('Point'), depth=0)"),
    md("""An instance: the `PyObject` header, `ob_type` pointing at the class above, and
after the header the pointer to its `__dict__` (followed one level):"""),
    code("%beale_dump p --depth 1"),
    md("""With `__slots__` there is no `__dict__`: the slot values live in the instance
itself, at the offsets the type's member descriptors give (`tp_members`):"""),
    code("diagram(lookup('q'), depth=1)"),
    md("""### Beside CPython's own instances

`--host` builds, in the host, a class of the same name and shape and an instance holding
the same attribute values, and compares the two structs field by field. For the
`__slots__` class the slot offsets must match. For a plain class, CPython 3.11 does not
put a `__dict__` pointer after the header: it keeps the instance's dict (or its values) in
a *pre-header* before the `PyGC_Head` (`Py_TPFLAGS_MANAGED_DICT`). The closing line says
whether beale's instance has the same layout (`LAYOUT DIFFERS` names what is only on one
side)."""),
    code("%beale_dump q --host --depth 0"),
    code("""
rep = dump.dump_report(lookup("p"), "p", depth=0)
print(rep["summary"])"""),
    md("""## C calling back into guest methods

The same class defined in the host has `tp_richcompare` set to CPython's
`slot_tp_richcompare`, which looks `__lt__` up and calls it. The guest class's slot is
shown next to it. The cell below then asks the C function `_heapq.heapify` to order guest
`Point`s: it can only do so by calling the guest `__lt__` through that slot. The cell prints
what happened, so this notebook shows the current state of beale truthfully: either the
ordered heap, or the error C reported because the slot is not (yet) wired to the guest
method."""),
    code("""
print("host class  tp_richcompare = 0x%x" % layout.read(id(HostPoint), "PyTypeObject", "tp_richcompare"))
print("guest class tp_richcompare = 0x%x" % layout.read(lookup("Point").addr, "PyTypeObject", "tp_richcompare"))"""),
    code("""
%%beale
pts = [Point(3, 1), Point(1, 2), Point(2, 0), Point(0, 5)]
try:
    _heapq = __import__('_heapq')
    _heapq.heapify(pts)
    print('C ordered the guest objects by calling __lt__:', pts[0])
except TypeError as e:
    print('C could not call back into the guest (slot not wired yet):', e)"""),
]


def build(execute=False):
    out = []
    for name, cells in NB.items():
        nb = new_notebook(cells=cells)
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        if execute:
            from nbclient import NotebookClient
            NotebookClient(nb, timeout=600, kernel_name="python3",
                           resources={"metadata": {"path": ROOT}}).execute()
        path = os.path.join(HERE, name + ".ipynb")
        nbformat.write(nb, path)
        out.append(path)
    return out


if __name__ == "__main__":
    for p in build("--execute" in sys.argv):
        print(p)
