"""What the index-reading commands share: the ``--corpus`` option, opening its index, safe text.

``open_index`` brings the index up to date before a command reads it (building it on first
use), reporting on stderr why a rebuild happens. If another newsreader is writing the index
at that moment, a usable index is read as it is, with a warning; without one, the command
fails with the lock message.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

from index.paths import seeds_dir
from index.store import BuildProgress, CorpusIndex, IndexBusyError
from tui.cli import CommandError

# C0/C1 controls (ESC, CSI...) but not tab/newline: article text must never drive the terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe_text(text: str) -> str:
    """``text`` with terminal control characters replaced by U+FFFD."""
    return _CONTROL.sub("\ufffd", text)


def add_corpus_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--corpus",
        metavar="PATH",
        nargs="+",
        action="extend",
        default=None,
        help="corpus directories or files (repeatable; default: the bundled seed articles)",
    )


def corpus_paths(args: argparse.Namespace) -> list[Path]:
    """The corpus named by ``--corpus``, or the bundled seeds; a missing path is an error."""
    given = getattr(args, "corpus", None)
    if not given:
        return [seeds_dir()]
    paths = [Path(p).expanduser() for p in given]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise CommandError(f"corpus path not found: {', '.join(missing)}")
    return paths


def open_index(
    paths: list[Path],
    *,
    rebuild: bool = False,
    progress: Callable[[BuildProgress], None] | None = None,
) -> tuple[CorpusIndex, object | None]:
    """Open the index of ``paths`` and update it; returns it and the ``UpdateResult`` (or
    ``None`` when nothing had to be done or another process holds the lock)."""
    index = CorpusIndex.open(paths)
    if index.status.message:
        print(f"newsreader: {index.status.message}", file=sys.stderr)
    if not rebuild and not index.needs_update():
        return index, None
    try:
        result = index.update(rebuild=rebuild, progress=progress)
    except IndexBusyError as error:
        if rebuild or not index.status.usable:
            index.close()
            raise CommandError(f"{error}; try again when it has finished") from error
        print(f"newsreader: {error}; reading the index as it is", file=sys.stderr)
        return index, None
    for problem in result.hook_errors:
        print(f"newsreader: a dependent store failed to update: {problem}", file=sys.stderr)
    return index, result
