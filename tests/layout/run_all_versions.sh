#!/usr/bin/env bash
# Run beale's layout suite under every supported CPython on this machine.
#
# For each version present under $PYENV_ROOT/versions (default /root/.pyenv):
# install the test packages if missing, build the layout module with that
# interpreter (python build_ffi.py), then run `python -m pytest tests/layout -q`.
# Prints which versions were absent; exits non-zero if any present version fails.
# Called by .ci/run.
set -u
cd "$(dirname "$0")/../.."

PYENV_ROOT="${PYENV_ROOT:-/root/.pyenv}"
VERSIONS="${BEALE_LAYOUT_VERSIONS:-3.10.13 3.11.7 3.12.1 3.13.0}"
PACKAGES="cffi pycparser pytest hypothesis setuptools"

absent=()
passed=()
failed=()
for v in $VERSIONS; do
    py="$PYENV_ROOT/versions/$v/bin/python"
    if [ ! -x "$py" ]; then
        absent+=("$v")
        continue
    fi
    echo "== CPython $v ($py)"
    if ! "$py" -c "import cffi, pycparser, pytest, hypothesis, setuptools" >/dev/null 2>&1; then
        echo "-- installing $PACKAGES"
        if ! "$py" -m pip install -q --disable-pip-version-check $PACKAGES; then
            failed+=("$v (pip install)")
            continue
        fi
    fi
    if ! "$py" build_ffi.py; then
        failed+=("$v (build)")
        continue
    fi
    # --noconftest: the layout suite needs nothing from other parts' conftest files,
    # which may not import under every version.
    if "$py" -m pytest tests/layout -q -p no:cacheprovider --noconftest; then
        passed+=("$v")
    else
        failed+=("$v (tests)")
    fi
done

echo "== layout suite summary"
echo "passed: ${passed[*]:-none}"
if [ ${#absent[@]} -gt 0 ]; then
    echo "absent (not installed, not tested): ${absent[*]}"
else
    echo "absent: none"
fi
if [ ${#failed[@]} -gt 0 ]; then
    echo "FAILED: ${failed[*]}"
    exit 1
fi
if [ ${#passed[@]} -eq 0 ]; then
    echo "FAILED: no supported CPython found under $PYENV_ROOT/versions"
    exit 1
fi
exit 0
