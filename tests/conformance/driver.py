"""Guest-side driver: run one module of CPython's regression suite with unittest.

This script is what runs INSIDE the interpreter under test (beale, or the host CPython
with `--host`); tests/conformance/run.py starts it once per module:

    python -m runtime tests/conformance/driver.py test_grammar

It imports `test.<name>` (or a dotted module name as given), builds the suite with
unittest's loader (which honours a module's `load_tests`), runs it, and writes
machine-readable lines to stdout, flushed one by one so that a crash or a timeout still
leaves the results so far:

    BEALE-CONFORMANCE-TEST <outcome> <test id>     one per test
    BEALE-CONFORMANCE run=N pass=P fail=F error=E skip=S xfail=X xpass=U   at the end

outcome is one of pass, fail, error, skip, xfail (an expected failure, counted as passed)
and xpass (an unexpected success, counted as failed). An import error of the module
itself is reported as one error with run=0.
Keep this file plain: it is guest code and must only need what unittest needs.
"""
import sys
import unittest

PREFIX = "BEALE-CONFORMANCE"


def emit(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class CountingResult(unittest.TestResult):
    """A TestResult that counts outcomes and reports each test as it finishes."""

    def __init__(self, stream=None, descriptions=None, verbosity=0):
        super().__init__(stream, descriptions, verbosity)
        self.counts = {"pass": 0, "fail": 0, "error": 0, "skip": 0, "xfail": 0, "xpass": 0}
        self.failed_with_subtests = set()   # ids of tests already counted through a subtest

    def record(self, outcome, test, detail="", count=True):
        if count:
            self.counts[outcome] += 1
        text = f"{PREFIX}-TEST {outcome} {test.id() if hasattr(test, 'id') else test}"
        if detail:
            text += " :: " + detail
        emit(text)

    @staticmethod
    def summarise(err):
        """The last line of the exception: 'AssertionError: 1 != 2'."""
        exc_type, exc, _ = err
        try:
            message = str(exc).strip().splitlines()
            message = message[-1] if message else ""
        except Exception:
            message = "<unprintable>"
        return f"{getattr(exc_type, '__name__', exc_type)}: {message}"[:200]

    def addSuccess(self, test):
        super().addSuccess(test)
        self.record("pass", test)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.record("fail", test, self.summarise(err))

    def addError(self, test, err):
        super().addError(test, err)
        self.record("error", test, self.summarise(err))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.record("skip", test, str(reason)[:200])

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self.record("xfail", test)

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self.record("xpass", test)

    def addSubTest(self, test, subtest, err):
        # The first failing subtest counts as the failure (or error) of its test, so the
        # counts add up to testsRun; later failing subtests of the same test are listed
        # but not counted. Passing subtests are not reported (the test's own addSuccess
        # is not called when a subtest failed).
        super().addSubTest(test, subtest, err)
        if err is not None:
            failed = issubclass(err[0], test.failureException)
            first = test.id() not in self.failed_with_subtests
            self.failed_with_subtests.add(test.id())
            self.record("fail" if failed else "error", subtest, self.summarise(err), count=first)


def summary_line(result, run, module_error=False):
    c = result.counts
    passed = c["pass"] + c["xfail"]
    failed = c["fail"] + c["xpass"]
    line = (f"{PREFIX} run={run} pass={passed} fail={failed} error={c['error']} "
            f"skip={c['skip']} xfail={c['xfail']} xpass={c['xpass']}")
    if module_error:
        line += " import_error=1"
    return line


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: driver.py MODULE\n")
        return 2
    name = argv[1]
    module_name = name if "." in name else "test." + name
    result = CountingResult()
    try:
        module = __import__(module_name, fromlist=["*"])
    except BaseException as exc:  # noqa: BLE001 -- any import failure is one error
        emit(f"{PREFIX}-TEST error {module_name} :: import failed: "
             f"{type(exc).__name__}: {exc}"[:300])
        result.counts["error"] += 1
        emit("")
        emit(summary_line(result, 0, module_error=True))
        return 1
    suite = unittest.defaultTestLoader.loadTestsFromModule(module)
    suite.run(result)
    emit("")
    emit(summary_line(result, result.testsRun))
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
