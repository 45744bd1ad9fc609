"""What the index-reading commands share: the ``--corpus`` option, opening its index, safe text.

``open_index`` brings the index up to date before a command reads it (building it on first
use), reporting on stderr why a rebuild happens. If another newsreader is writing the index
at that moment, a usable index is read as it is, with a warning; without one, the command
fails with the lock message.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from index.paths import seeds_dir
from index.store import BuildProgress, CorpusIndex, IndexBusyError
from tui.cli import CommandError

if TYPE_CHECKING:
    from index.links_store import RelatedStore


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
    before_update: Callable[[CorpusIndex], None] | None = None,
) -> tuple[CorpusIndex, object | None]:
    """Open the index of ``paths`` and update it; returns it and the ``UpdateResult`` (or
    ``None`` when nothing had to be done or another process holds the lock).

    ``before_update`` runs on the opened index before it is updated: the place to register
    change listeners, so stores computed from the index (the related passages) are updated
    incrementally with the same changes, at index time.
    """
    index = CorpusIndex.open(paths)
    if before_update is not None:
        before_update(index)
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


def open_index_with_related(
    paths: list[Path],
    *,
    rebuild: bool = False,
    progress: Callable[[BuildProgress], None] | None = None,
) -> tuple[CorpusIndex, RelatedStore, object | None]:
    """:func:`open_index`, with the related-passages store kept in step: its links, claims and
    stories are computed from the same changes as the text index, and caught up when the index
    changed without it (another process, an older version)."""
    from index.links_store import RelatedStore, RelatedSync

    syncs: list[RelatedSync] = []

    def attach(index: CorpusIndex) -> None:
        sync = RelatedSync(RelatedStore.open(index.directory), index)
        index.add_change_listener(sync)
        syncs.append(sync)

    index, result = open_index(paths, rebuild=rebuild, progress=progress, before_update=attach)
    if syncs[0].store.recovered:
        print(f"newsreader: {syncs[0].store.recovered}", file=sys.stderr)
    if syncs[0].ensure():
        print("newsreader: computed related passages, claims and stories", file=sys.stderr)
    return index, syncs[0].store, result
