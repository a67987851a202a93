"""`python -m runtime ...` is the `beale` command (runtime/cli.py)."""

from runtime.cli import main

if __name__ == "__main__":
    main()
