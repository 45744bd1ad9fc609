"""What the index-reading commands share: the ``--corpus`` option, opening its index, safe text.

A path that cannot be a corpus (missing, a file of another type such as ``/etc/passwd``, a
directory without one article file) is refused with one line saying what is wrong and what to
pass instead, before anything is created; so is a new corpus from which not one article loads
(a malformed ``.json``), with the loader's reason.

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

from index.corpus_files import CORPUS_TYPES_TEXT, CorpusPathError, check_corpus_paths
from index.paths import index_dir, seeds_dir
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


def checked_corpus(paths: list[Path]) -> list[Path]:
    """``paths`` if each can be (part of) a corpus, else :class:`CommandError` saying why;
    checked by name and type only (see :func:`index.corpus_files.check_corpus_paths`)."""
    try:
        check_corpus_paths(paths)
    except CorpusPathError as error:
        raise CommandError(str(error)) from error
    return paths


def corpus_paths(args: argparse.Namespace) -> list[Path]:
    """The corpus named by ``--corpus``, or the bundled seeds, checked by
    :func:`checked_corpus`."""
    given = getattr(args, "corpus", None)
    if not given:
        return checked_corpus([seeds_dir()])
    return checked_corpus([Path(p).expanduser() for p in given])


def refuse_unloadable(paths: list[Path]) -> None:
    """:class:`CommandError` when not one article of ``paths`` loads, with the first reason.

    Only for a corpus that has no index yet (building one is about to read it all anyway):
    an index of nothing would be made and kept for a corpus that is not one.
    """
    from index.corpus import describe_skipped, probe_corpus

    loads, issues = probe_corpus(paths)
    if loads:
        return
    first = f": {issues[0].path}: {issues[0].reason}" if issues else ""
    more = f" ({describe_skipped(issues)} skipped in all)" if len(issues) > 1 else ""
    raise CommandError(
        f"no article could be read from the corpus{first}{more}; pass files that hold "
        f"articles ({CORPUS_TYPES_TEXT}; JSON records with a 'text' or 'content') or a "
        "directory of them"
    )


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
    if not index_dir([p.resolve() for p in paths]).exists():
        refuse_unloadable(paths)
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
    from index.links_store import RelatedStore
    from index.related_sync import RelatedSync

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
