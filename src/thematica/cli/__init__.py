"""The ``thematica`` command line. See README.md for its import rule."""

from thematica.cli.app import main

__all__ = ["main"]
