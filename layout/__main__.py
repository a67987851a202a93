"""``python -m layout ...``: the same as ``beale layout ...`` (see layout/cli.py)."""

import sys

from layout.cli import main

sys.exit(main(sys.argv[1:]))
