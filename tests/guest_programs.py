"""Guest programs whose output must equal the host CPython's: the registry and the one check
shared by the regression-test files built from them (tests/interp/test_conf_core.py,
test_conf_lang.py, test_fast_paths.py, tests/objects/test_builtin_speed_paths.py).

    PROGRAMS = Programs()
    PROGRAMS("name")('''print(1)''')          # or PROGRAMS("name", xfail="why")(...)

    @pytest.mark.parametrize("name", sorted(PROGRAMS))
    def test_program(name, tmp_path, capfd, request):
        PROGRAMS.check(name, tmp_path, capfd, request)
"""

import textwrap

import pytest

from tests.interp.test_eval import host_run, beale_output


class Programs(dict):
    """name -> (dedented source, xfail reason or None)."""

    def __call__(self, name, xfail=None):
        def register(src):
            self[name] = (textwrap.dedent(src), xfail)
            return src
        return register

    def check(self, name, tmp_path, capfd, request, stderr=False):
        """Run the program under the host and under beale (in this process): the same
        stdout and exit status; with stderr=True also the same traceback when it fails."""
        src, xfail = self[name]
        if xfail:
            request.node.add_marker(pytest.mark.xfail(reason=xfail, strict=True))
        expected, host_err, host_rc = host_run(src, tmp_path)
        out, err, rc = beale_output(src, tmp_path, capfd)
        assert out == expected, err
        assert rc == host_rc, err
        if stderr and host_rc:
            assert err.replace(str(tmp_path), "") == host_err.replace(str(tmp_path), "")
