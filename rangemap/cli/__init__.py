"""The command line: subcommands over the library's functions, parsing and printing only."""

from rangemap.cli.main import app, main

__all__ = ["app", "main"]
