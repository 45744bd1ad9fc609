"""Subcommands of the ``newsreader`` command line, one module each.

Each module defines ``register(subparsers)`` that adds its parser and sets ``func`` to a
function taking the parsed ``argparse.Namespace`` and returning an exit code. None of them
imports Textual.
"""
