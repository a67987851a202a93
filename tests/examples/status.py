"""Print, for every examples/*.py, whether beale reproduces CPython's output, and why not.

    python tests/examples/status.py [--timeout S] [NAME ...]

A helper for keeping the XFAIL table of test_examples.py exact: for each example it
prints "pass", or the first differing line / beale's last stderr line / "timeout".
"""
import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_examples as te  # noqa: E402


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("names", nargs="*")
    p.add_argument("--timeout", type=float, default=te.TIMEOUT)
    args = p.parse_args(argv)
    te.TIMEOUT = args.timeout
    names = args.names or te.example_files()
    passed = 0
    for name in names:
        name = name if name.endswith(".py") else name + ".py"
        expected = te.run([te.HOST, f"examples/{name}"])
        actual = te.run([te.HOST, "-m", "runtime", f"examples/{name}"])
        if actual is None:
            verdict = f"timeout after {te.TIMEOUT:g} s"
        elif actual.stdout == expected.stdout and actual.returncode == expected.returncode:
            verdict = "pass"
            passed += 1
        else:
            exp = expected.stdout.decode("utf-8", "replace").splitlines()
            act = actual.stdout.decode("utf-8", "replace").splitlines()
            same = 0
            while same < min(len(exp), len(act)) and exp[same] == act[same]:
                same += 1
            err = actual.stderr.decode("utf-8", "replace").strip().splitlines()
            verdict = (f"exit {actual.returncode}, {same}/{len(exp)} lines right; "
                       f"stderr: {err[-1][:200] if err else ''}")
            if same < len(act):
                verdict += f"\n        first wrong line: {act[same][:120]!r}"
                if same < len(exp):
                    verdict += f"\n        expected:        {exp[same][:120]!r}"
        print(f"{name:<28} {verdict}", flush=True)
    print(f"{passed}/{len(names)} examples match CPython")


if __name__ == "__main__":
    main()
