"""``newsreader index [--corpus PATH ...] [--rebuild]``: build or update a corpus index.

Shows a progress bar on stderr (when it is a terminal), then a summary on stdout: how many
articles are indexed, what changed, and every skipped file or record with its reason, grouped
by kind. Only files that changed since the last run are read again, so their problems are
the ones reported; ``--rebuild`` reads everything again (and re-learns the boilerplate lines
that recur across a source's articles).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from index.encoding import safe_text
from index.models import LoadIssue
from index.store import BuildProgress, UpdateResult
from tui.commands.corpus_args import (
    add_corpus_argument,
    corpus_paths,
    open_index_with_related,
)

_PHASES = {
    "scanning": "Finding files",
    "reading": "Reading files",
    "indexing": "Indexing articles",
    "committing": "Writing the index",
    "done": "Done",
}
_EXAMPLES = 3


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("index", help="build or update the index of a corpus")
    add_corpus_argument(parser)
    parser.add_argument("--rebuild", action="store_true", help="rebuild from scratch")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    paths = corpus_paths(args)
    with _ProgressBar() as bar:
        index, related, result = open_index_with_related(
            paths, rebuild=args.rebuild, progress=bar.update
        )
    related.close()
    with index:
        print(format_summary(result, index.article_count()))
    return 0


def format_summary(result: UpdateResult | Any, articles: int) -> str:
    """The end-of-run summary: counts, changes, and the skipped items grouped by reason."""
    if result is None:
        return f"The index is up to date: {articles:,} article{'s' if articles != 1 else ''}."
    lines: list[str] = []
    if result.rebuilt:
        why = f" ({result.reason})" if result.reason else ""
        lines.append(f"Indexed {result.articles:,} articles from {result.files_read:,} files{why}.")
    else:
        changes = result.changes
        lines.append(
            f"Updated the index from {result.files_read:,} changed files: "
            f"{len(changes.added):,} added, {len(changes.changed):,} changed, "
            f"{len(changes.removed):,} removed; {result.articles:,} articles in all."
        )
    lines.extend(_skipped_lines(result.skipped))
    return safe_text("\n".join(lines))


def _skipped_lines(skipped: list[LoadIssue]) -> list[str]:
    """The skipped items counted as files and records ("12 records in 1 file"), then grouped
    by reason with examples: the same lines as the loader's own summary."""
    from index.corpus import skipped_lines

    return skipped_lines(skipped, examples=_EXAMPLES)


class _ProgressBar:
    """A Rich progress bar on stderr, only when stderr is a terminal."""

    def __init__(self) -> None:
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> _ProgressBar:
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("Opening the index", total=None)
        return self

    def update(self, progress: BuildProgress) -> None:
        if self._progress is None:
            return
        self._progress.update(
            self._task,
            description=_PHASES.get(progress.phase, progress.phase),
            completed=progress.done,
            total=progress.total or None,
        )

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()
