"""What an index update reports: its progress, its outcome and the articles it changed.

These types are the contract between :class:`index.store.CorpusIndex` and everything that
watches it — the command line's progress lines, the app's progress bar, and the stores that
follow the index (related passages, claims, stories) through :class:`ChangeSet`. They live
apart from the index so a listener can name them without the index's Whoosh machinery, and
so "what counts as a changed article" is decided in one place (:func:`article_signature`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.models import Article, LoadIssue

LOCK_NAME = "write.lock"
BUSY_MESSAGE = "another newsreader is indexing this corpus"


class IndexBusyError(RuntimeError):
    """Another process holds the write lock of this corpus index."""


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """Article ids an index commit added, changed and removed (see the module docstring)."""

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    full_rebuild: bool = False
    index_dir: Path | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.removed or self.full_rebuild)


@dataclass(frozen=True, slots=True)
class BuildProgress:
    """Where a build or update is: ``phase`` is scanning, reading, indexing, committing or done.

    ``done``/``total`` count files while reading and articles while indexing.
    """

    phase: str
    done: int
    total: int
    message: str = ""


@dataclass(slots=True)
class UpdateResult:
    """What :meth:`CorpusIndex.update` did."""

    changes: ChangeSet = field(default_factory=ChangeSet)
    skipped: list[LoadIssue] = field(default_factory=list)
    files_read: int = 0
    articles: int = 0  # articles in the index afterwards
    rebuilt: bool = False
    reason: str | None = None  # why a full rebuild happened (corrupt, outdated, asked...)
    cancelled: bool = False
    hook_errors: list[str] = field(default_factory=list)


ProgressCallback = Callable[[BuildProgress], None]
ChangeCallback = Callable[[ChangeSet], None]


def article_signature(article: Article) -> tuple[Any, ...]:
    """What ChangeSet.changed compares: text, title, source, date and passage layout."""
    spans = tuple((p.ordinal, p.start, p.end) for p in article.passages)
    date = article.date[:10] if article.date else None
    return (article.content_hash, article.title, article.source, date, spans)


def stored_signature(fields: dict[str, Any]) -> tuple[Any, ...]:
    """:func:`article_signature` of an article as the index stored it (no rebuild of it)."""
    spans = tuple(tuple(s) for s in fields.get("passages") or ())
    return (
        fields.get("content_hash"),
        fields.get("title"),
        fields.get("source_name"),
        fields.get("date"),
        spans,
    )
