"""The ``newsreader`` command line.

``newsreader`` alone (or with corpus paths) launches the app; the subcommands are headless and
never import Textual, so ``newsreader --help`` and scripted use stay fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from index.derived_db import DerivedStoreDamaged

#: Subcommand modules under ``tui.commands``; each has ``register(subparsers)``.
COMMAND_MODULES: tuple[str, ...] = (
    "index_cmd",
    "search_cmd",
    "passages_cmd",
    "related_cmd",
    "bookmarks_cmd",
    "render_cmd",
    "locate_cmd",
)


class CommandError(Exception):
    """A failure to report on stderr as one clear message, with a non-zero exit."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsreader",
        description=(
            "A keyboard-driven terminal reader for Arabic news. With no command, opens the app "
            "on PATH... (or on the bundled seed articles)."
        ),
    )
    parser.add_argument("--version", action="version", version="newsreader 0.1.0")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"tui.commands.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"tui.commands.{name}":
                raise
            continue
        module.register(subparsers)
    return parser


#: The subcommand names, known without importing the command modules: deciding whether
#: ``newsreader ARG`` launches the app must not pay for importing Whoosh and SQLite code
#: (start-up time is measured against a bare Textual app). A test keeps this equal to the
#: parser's choices.
SUBCOMMANDS: frozenset[str] = frozenset(
    {"index", "search", "passages", "related", "claims", "stories", "bookmarks", "render", "locate"}
)


def subcommand_names(parser: argparse.ArgumentParser) -> set[str]:
    """The subcommands a built parser really has."""
    for action in parser._actions:  # argparse offers no public accessor for subcommand names
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


def launches_app(argv: list[str]) -> bool:
    """Whether argv launches the app: no help/version flag and no subcommand first."""
    for arg in argv:
        if arg in ("-h", "--help", "--version"):
            return False
        if not arg.startswith("-"):
            return arg not in SUBCOMMANDS
    return True


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if launches_app(args_list):
        from tui.launch import launch  # imports Textual: only when the app really starts

        return launch(args_list)
    parser = build_parser()
    args = parser.parse_args(args_list)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # surface a closed pipe here, where it is handled
        return code
    except CommandError as error:
        print(f"newsreader: {error}", file=sys.stderr)
        return error.exit_code
    except DerivedStoreDamaged as error:  # the message says it is recomputed on the next run
        print(f"newsreader: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("newsreader: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output (e.g. `| head`) went away: not an error of ours. Point
        # stdout at /dev/null so the interpreter's final flush does not raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
