"""Conformance runs: modules of CPython's own regression suite executed inside beale."""
