"""Typed records shared across the core: articles, passages, load reports and search hits.

All offsets are character offsets into an article's *clean* text (``Article.text``), in
logical Unicode order. Only the reader's final line layout produces visual order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` in an article's clean text."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Passage:
    """A paragraph, or a sentence of a long paragraph: the unit that is linked and bookmarked.

    ``id`` is ``"{article_id}:{ordinal}"`` and stays the same while the article's text does.
    ``start``/``end`` locate ``text`` inside the article's clean text.
    """

    id: str
    article_id: str
    ordinal: int
    start: int
    end: int
    text: str


def make_passages(
    article_id: str, text: str, spans: Iterable[tuple[int, int, int]]
) -> tuple[Passage, ...]:
    """The passages of an article's clean ``text`` from ``(ordinal, start, end)`` spans: one
    place that fixes the passage id scheme, for segmentation and for reading an index back."""
    return tuple(
        Passage(
            id=f"{article_id}:{ordinal}",
            article_id=article_id,
            ordinal=ordinal,
            start=start,
            end=end,
            text=text[start:end],
        )
        for ordinal, start, end in spans
    )


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as loaded from the corpus.

    ``text`` is the cleaned article body (chrome, captions and "read also" tails removed);
    ``raw`` is the text as decoded from the file, kept so nothing is lost. ``source``,
    ``date``, ``url`` and ``author`` are ``None`` when the text or its catalog does not state
    them: a source is never invented.

    Two facts a citation needs are recorded by the loader, which is the only place that knows
    them, so nothing has to guess them later from a file that may be gone: ``via``, the news
    agency the outlet credits (a catalog's or a record's ``via``; ``None``: none stated), and
    ``title_composed``, ``True`` when the text states no headline and the loader made
    ``title`` from its first sentence (so it is not the outlet's title).
    """

    id: str
    title: str
    text: str
    raw: str
    path: str
    content_hash: str
    source: str | None = None
    date: str | None = None  # ISO 8601 date, "YYYY-MM-DD"
    url: str | None = None
    author: str | None = None
    passages: tuple[Passage, ...] = ()
    via: str | None = None
    title_composed: bool = False

    def passage(self, passage_id: str) -> Passage | None:
        """The passage with ``passage_id``, or ``None``."""
        for passage in self.passages:
            if passage.id == passage_id:
                return passage
        return None


@dataclass(frozen=True, slots=True)
class LoadIssue:
    """A file (or a record inside one) that was skipped, and why, in words for the user."""

    path: str
    reason: str


@dataclass(slots=True)
class LoadReport:
    """What loading a corpus produced: the articles, and everything skipped with its reason."""

    articles: list[Article] = field(default_factory=list)
    skipped: list[LoadIssue] = field(default_factory=list)
    files_read: int = 0


@dataclass(frozen=True, slots=True)
class HitPassage:
    """A passage of a hit article that matched, with the hit spans inside it.

    ``spans`` are offsets in the article's clean text (not relative to the passage).
    """

    passage_id: str
    start: int
    end: int
    text: str
    spans: tuple[Span, ...]
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class Hit:
    """One ranked search result: an article, its best passages and where the query matched."""

    article_id: str
    title: str
    source: str | None
    date: str | None
    score: float
    passages: tuple[HitPassage, ...]
    title_spans: tuple[Span, ...] = ()
