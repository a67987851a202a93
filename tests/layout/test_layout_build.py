"""build_ffi.py: cache keying, quiet cached loads, one-line environment errors,
and the header parsing helpers it relies on."""

import os
import shutil
import subprocess
import sys

import pytest

import build_ffi
import layout
from layout import cdefgen, cmodel, cparse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_cache_dir_is_keyed_on_version_and_headers():
    b = layout._get()
    key = build_ffi.cache_key(cparse.host_include_dir())
    assert os.path.basename(b.directory) == key
    assert key.startswith(sys.implementation.cache_tag)
    assert b.meta["python"] == ".".join(map(str, sys.version_info[:3]))


def test_cache_key_follows_header_contents(tmp_path):
    inc = tmp_path / "include"
    inc.mkdir()
    (inc / "Python.h").write_text("/* a */\n")
    k1 = build_ffi.cache_key(str(inc))
    assert build_ffi.cache_key(str(inc)) == k1
    (inc / "Python.h").write_text("/* b */\n")
    assert build_ffi.cache_key(str(inc)) != k1
    (inc / "extra.h").write_text("")
    assert build_ffi.cache_key(str(inc)) not in (k1,)


def test_cache_root_override(monkeypatch, tmp_path):
    monkeypatch.setenv("BEALE_CACHE", str(tmp_path / "c"))
    assert build_ffi.cache_root() == str(tmp_path / "c")
    monkeypatch.delenv("BEALE_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert build_ffi.cache_root() == os.path.join(str(tmp_path / "x"), "beale")


def test_fresh_build_then_quiet_load(tmp_path):
    """Two processes building into an empty cache at once both succeed (saying
    so on stderr, nothing extra on stdout) and leave exactly one complete entry;
    a third process then loads it silently."""
    env = dict(os.environ, BEALE_CACHE=str(tmp_path))
    code = "import layout; print(layout.ffi.sizeof('PyObject'))"
    procs = [subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    errs = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        assert out.strip() == str(layout.ffi.sizeof("PyObject"))
        errs.append(err)
    assert any("building" in e for e in errs)
    p3 = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                        text=True, timeout=300)
    assert p3.returncode == 0 and p3.stderr == ""
    entries = os.listdir(str(tmp_path))
    assert entries == [os.path.basename(layout._get().directory)]
    assert os.path.isfile(os.path.join(str(tmp_path), entries[0], "meta.json"))


def test_no_compiler_is_one_line(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(cparse.BuildError) as e:
        cparse.find_compiler()
    msg = str(e.value)
    assert "\n" not in msg and "install gcc" in msg and msg.startswith("beale:")


def test_missing_headers_is_one_line(tmp_path):
    with pytest.raises(cparse.BuildError) as e:
        cparse.check_include_dir(str(tmp_path))
    msg = str(e.value)
    assert "\n" not in msg and "Python.h" in msg and "install" in msg


def test_build_script_reports_missing_compiler(tmp_path):
    """`python build_ffi.py` with no compiler on PATH: exit 1, one line on stderr."""
    env = dict(os.environ, BEALE_CACHE=str(tmp_path), PATH=str(tmp_path), CC="no-such-cc")
    p = subprocess.run([sys.executable, os.path.join(ROOT, "build_ffi.py")], env=env,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 1
    assert p.stderr.strip().count("\n") == 0 and "install gcc" in p.stderr


def test_strip_function_bodies():
    src = ('struct s { int a; };\nstatic inline int f(int x) { if (x) { return "}"[0]; } '
           'return 1; }\nint g[2] = {1, 2};\n')
    out = cparse.strip_function_bodies(src)
    assert "return" not in out
    assert "struct s { int a; };" in out and "{1, 2}" in out
    assert "static inline int f(int x) ;" in out


def test_model_constants_and_prims():
    from pycparser import c_parser
    ast = c_parser.CParser().parse(
        "enum { N = 3 + 1 }; typedef unsigned long int UL;"
        "struct t { char c[N * 2]; long unsigned x; signed char y : 3; int z[sizeof(UL)]; };")
    m = cmodel.build_model(ast)
    fields = m.tags["struct t"]["fields"]
    assert fields[0]["type"]["n"] == 8
    assert fields[1]["type"] == {"k": "prim", "n": "unsigned long"}
    assert fields[2]["bits"] == 3
    assert fields[3]["type"]["n"] == 8
    assert m.typedefs["UL"] == {"k": "prim", "n": "unsigned long"}


def test_abi_rules_against_cffi():
    """Tricky layouts (bitfields straddling units, zero-width bitfields, unions,
    nested anonymous members, long double) computed by layout.abi versus cffi's
    own gcc-compatible layout of the same declarations."""
    import cffi
    from pycparser import c_parser
    from layout import abi
    src = """
    struct a { char c; int i : 3; int j : 30; char d; };
    struct b { char c; unsigned int : 0; char d; };
    struct c { short s; union { char x; double y; }; char t; };
    struct d { char c; long double ld; };
    struct e { unsigned char a : 4; unsigned char b : 6; unsigned short c : 9; };
    struct f { char c; struct { int x; char y; } in; char z[3]; };
    struct g { long long q : 40; int r : 20; };
    """
    m = cmodel.build_model(c_parser.CParser().parse(src))
    ffi = cffi.FFI()
    ffi.cdef(src)
    for tag in ("struct a", "struct b", "struct c", "struct d", "struct e", "struct f",
                "struct g"):
        s = abi.struct_of(m, tag)
        assert (s.size, s.align) == (ffi.sizeof(tag), ffi.alignof(tag)), tag
    s = abi.struct_of(m, "struct c")
    assert s.offset("y") == ffi.offsetof("struct c", "y")
    assert s.offset("t") == ffi.offsetof("struct c", "t")
    s = abi.struct_of(m, "struct f")
    assert s.offset("in.y") == ffi.offsetof("struct f", "in", "y")
    assert s.offset("z[2]") == ffi.offsetof("struct f", "z") + 2
    # bitfield placement, through cffi's buffer
    for tag, name, value in (("struct a", "j", 5), ("struct e", "b", 33), ("struct e", "c", 300),
                             ("struct g", "r", 77), ("struct g", "q", 2 ** 38)):
        o = ffi.new(tag + " *")
        setattr(o, name, value)
        f = abi.struct_of(m, tag).field(name)
        raw = bytes(ffi.buffer(o))
        unit = int.from_bytes(raw[f.offset:f.offset + f.size], "little")
        assert unit == value << f.bit_offset, (tag, name)


def test_cdef_never_redeclares_cffi_types():
    for line in layout.cdef_text().splitlines():
        if line.startswith("typedef "):
            declared = line.rstrip(";").replace("(", " ").replace(")", " ").replace("*", " ")
            name = declared.split()[-1]
            assert name not in cdefgen.CFFI_KNOWN or "(" in line, line


@pytest.mark.parametrize("package", ["cffi", "pycparser"])
def test_missing_python_package_is_one_line(package, tmp_path):
    code = ("import sys; sys.modules[%r] = None; sys.path.insert(0, %r); import build_ffi; "
            "sys.exit(build_ffi.main())" % (package, ROOT))
    env = dict(os.environ, BEALE_CACHE=str(tmp_path))
    p = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                       timeout=300)
    assert p.returncode == 1
    assert p.stderr.strip().count("\n") == 0, p.stderr
    assert package in p.stderr and "pip install" in p.stderr

