"""Tests of the conformance runner itself (tests/conformance/run.py + driver.py), under the host.

The conformance run under beale is a report, not a test; these tests check that the
runner counts, classifies (ok / crash / timeout) and reports correctly, using the host
CPython (`--host`) on a real module of the regression suite and on small fake test
modules written to a temporary directory.
"""
import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUN_PY = ROOT / "tests" / "conformance" / "run.py"


def load_runner():
    spec = importlib.util.spec_from_file_location("beale_conformance_run", RUN_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FAKE_MIXED = '''
import unittest

class Mixed(unittest.TestCase):
    def test_a_pass(self):
        self.assertEqual(1 + 1, 2)

    def test_b_pass(self):
        self.assertTrue([1])

    def test_c_fail(self):
        self.assertEqual(1, 2)

    def test_d_error(self):
        raise KeyError("boom")

    @unittest.skip("not today")
    def test_e_skip(self):
        pass

    @unittest.expectedFailure
    def test_f_expected_failure(self):
        self.assertEqual(0, 1)

    def test_g_subtests(self):
        for i in range(4):
            with self.subTest(i=i):
                self.assertLess(i, 2)
'''

FAKE_HANG = '''
import time, unittest

class Hang(unittest.TestCase):
    def test_a_quick(self):
        pass

    def test_b_hangs(self):
        time.sleep(120)
'''

FAKE_CRASH = '''
import os, unittest

class Crash(unittest.TestCase):
    def test_a_quick(self):
        pass

    def test_b_dies(self):
        os._exit(3)
'''


@pytest.fixture(scope="module")
def fake_path(tmp_path_factory):
    base = tmp_path_factory.mktemp("fakeconf")
    pkg = base / "beale_fake_conf"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "mixed.py").write_text(textwrap.dedent(FAKE_MIXED))
    (pkg / "hang.py").write_text(textwrap.dedent(FAKE_HANG))
    (pkg / "crash.py").write_text(textwrap.dedent(FAKE_CRASH))
    return base


def run_runner(args, tmp_path, extra_path=None):
    out_json = tmp_path / "result.json"
    env = dict(os.environ)
    if extra_path is not None:
        env["PYTHONPATH"] = str(extra_path) + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run([sys.executable, "-m", "tests.conformance.run", "--json", str(out_json)] + args,
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=250)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out_json.read_text())
    return proc.stdout, {m["module"]: m for m in data["modules"]}, data


def test_markdown_table(tmp_path):
    stdout, modules, _ = run_runner(["--host", "--markdown", "test_augassign"], tmp_path)
    rows = [line for line in stdout.splitlines() if line.startswith("| test_augassign |")]
    assert len(rows) == 1
    cells = [c.strip() for c in rows[0].strip("|").split("|")]
    assert cells[1] == str(modules["test_augassign"]["run"]) and cells[7] == "ok"
    assert "| **total** |" in stdout
    again = subprocess.run([sys.executable, "-m", "tests.conformance.run", "--from-json",
                            str(tmp_path / "result.json"), "--markdown"],
                           cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0, again.stderr
    again_rows = [line for line in again.stdout.splitlines() if line.startswith("| test_augassign |")]
    again_cells = [c.strip() for c in again_rows[0].strip("|").split("|")]
    assert again_cells[:8] == cells[:8]      # seconds are rounded in the JSON


def test_host_run_of_a_real_module(tmp_path):
    stdout, modules, data = run_runner(["--host", "test_augassign"], tmp_path)
    m = modules["test_augassign"]
    assert m["status"] == "ok" and not m["partial"]
    assert m["run"] >= 5                       # CPython 3.11's file has 7 tests
    assert m["passed"] + m["skipped"] == m["run"]
    assert m["failed"] == m["errored"] == 0
    assert m["pass_rate"] == 1.0
    assert data["interpreter"] == "host CPython"
    assert "test_augassign" in stdout and "TOTAL" in stdout and "100.0%" in stdout


def test_counts_every_kind_of_outcome(tmp_path, fake_path):
    stdout, modules, data = run_runner(["--host", "beale_fake_conf.mixed"], tmp_path, fake_path)
    m = modules["beale_fake_conf.mixed"]
    assert m["status"] == "ok"
    # 7 tests: 2 pass + 1 expected failure (counted as passed), 1 fail, 1 error,
    # 1 skip, and one test whose two failing subtests count as one failure.
    assert (m["run"], m["passed"], m["failed"], m["errored"], m["skipped"]) == (7, 3, 2, 1, 1)
    assert m["pass_rate"] == pytest.approx(3 / 6, abs=1e-4)
    failing = sorted(p["test"].split(".")[-1].split(" ")[0] for p in m["problems"])
    assert "test_c_fail" in failing and "test_d_error" in failing
    assert sum("test_g_subtests (i=" in p["test"] for p in m["problems"]) == 2
    details = " ".join(p["detail"] for p in m["problems"])
    assert "AssertionError" in details and "KeyError" in details
    assert data["total"]["run"] == 7


def test_timeout_keeps_partial_counts(tmp_path, fake_path):
    stdout, modules, _ = run_runner(["--host", "--timeout", "5", "beale_fake_conf.hang"],
                                    tmp_path, fake_path)
    m = modules["beale_fake_conf.hang"]
    assert m["status"] == "timeout"
    assert m["partial"] is True
    assert m["passed"] == 1 and m["run"] == 1
    assert "timeout" in stdout


def test_crash_is_reported(tmp_path, fake_path):
    stdout, modules, _ = run_runner(["--host", "beale_fake_conf.crash"], tmp_path, fake_path)
    m = modules["beale_fake_conf.crash"]
    assert m["status"] == "crash"
    assert m["returncode"] == 3
    assert m["passed"] == 1
    assert "crash" in stdout


def test_import_error_is_one_error(tmp_path):
    _, modules, _ = run_runner(["--host", "test_no_such_module_xyz"], tmp_path)
    m = modules["test_no_such_module_xyz"]
    assert m["status"] == "ok"
    assert (m["run"], m["errored"], m["passed"]) == (0, 1, 0)
    assert "import" in m["note"]


def test_parse_output_without_summary_counts_test_lines():
    runner = load_runner()
    result = runner.ModuleResult("m")
    text = "\n".join([
        "noise printed by a test",
        "BEALE-CONFORMANCE-TEST pass test.m.A.test_1",
        "BEALE-CONFORMANCE-TEST fail test.m.A.test_2 :: AssertionError: 1 != 2",
        "BEALE-CONFORMANCE-TEST skip test.m.A.test_3 :: later",
        "BEALE-CONFORMANCE-TEST xfail test.m.A.test_4",
    ])
    assert runner.parse_output(result, text) is False
    assert (result.run, result.passed, result.failed, result.skipped) == (4, 2, 1, 1)
    assert result.problems == [("fail", "test.m.A.test_2", "AssertionError: 1 != 2")]


def test_parse_output_prefers_the_summary_line():
    runner = load_runner()
    result = runner.ModuleResult("m")
    text = ("BEALE-CONFORMANCE-TEST pass x\n\n"
            "BEALE-CONFORMANCE run=10 pass=6 fail=2 error=1 skip=1 xfail=0 xpass=0\n")
    assert runner.parse_output(result, text) is True
    assert (result.run, result.passed, result.failed, result.errored, result.skipped) == (10, 6, 2, 1, 1)
    assert result.pass_rate == pytest.approx(6 / 9)
    assert result.note == ""


def test_an_empty_run_is_flagged():
    runner = load_runner()
    result = runner.ModuleResult("m")
    text = "BEALE-CONFORMANCE run=0 pass=0 fail=0 error=0 skip=0 xfail=0 xpass=0\n"
    assert runner.parse_output(result, text) is True
    assert result.run == 0 and result.note == "no tests collected"


def test_default_module_list_is_installed():
    runner = load_runner()
    assert len(runner.MODULES) == 24
    import test  # the host's regression-suite package
    test_dir = Path(test.__file__).parent
    missing = [m for m in runner.MODULES if not (test_dir / (m + ".py")).exists()
               and not (test_dir / m).is_dir()]
    assert missing == []


def test_beale_command_line_uses_the_runtime_module():
    runner = load_runner()
    argv = runner.command("test_grammar", host=False, python="PY")
    assert argv[:3] == ["PY", "-m", "runtime"]
    assert argv[-1] == "test_grammar" and argv[-2].endswith("driver.py")
    assert runner.command("test_grammar", host=True, python="PY")[1].endswith("driver.py")


def test_crash_reason_picks_the_telling_line():
    runner = load_runner()
    err = ("beale: internal error: SyntaxError: unexpected yield form\n"
           "Traceback (most recent call last):\n  File \"x.py\", line 3, in <module>\n    import y\n")
    assert runner.crash_reason(err).startswith("beale: internal error: SyntaxError")
    err = "Traceback (most recent call last):\n  File \"x.py\", line 3\n    f()\nRecursionError: too deep\n"
    assert runner.crash_reason(err) == "RecursionError: too deep"
    assert runner.crash_reason("Segmentation fault\n") == "Segmentation fault"
    assert runner.crash_reason("") == ""


def test_module_groups():
    """--group picks the module list; the default stays the core list."""
    runner = load_runner()
    assert runner.parse_args([]).group == "core"
    assert runner.GROUPS["core"] is runner.MODULES
    bridge = runner.GROUPS[runner.parse_args(["--group", "bridge"]).group]
    assert "test_json" in bridge and "test_pickle" in bridge and "test_json" not in runner.MODULES
    for name in bridge:     # every module of the group exists in the host's test package
        assert importlib.util.find_spec("test." + name) is not None, name
