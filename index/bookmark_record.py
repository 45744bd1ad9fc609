"""A bookmark record: what the user kept, where it is anchored, and how it is cited.

Kept apart from the store (:mod:`index.bookmarks`, which re-exports everything here) so the
record, its validation and the filter-as-you-type predicate can be read and tested without a
database. Like the store it imports neither Textual nor Whoosh at import time.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Literal

from index.anchoring import passage_at, quote_context
from index.models import Article, Span

#: ``anchored``: the quote is at its saved position; ``reanchored``: found, word for word, at a
#: new position; ``changed``: found at a new position whose text now differs from the quote
#: (edited, or re-cleaned) — the quote is kept as saved and ``current_text`` holds the article's
#: text there; ``detached``: not found at all (kept as it was, with its quote).
Status = Literal["anchored", "reanchored", "changed", "detached"]
Kind = Literal["passage", "span"]
STATUSES: tuple[str, ...] = ("anchored", "reanchored", "changed", "detached")
KINDS: tuple[str, ...] = ("passage", "span")

_TAG_SEPARATORS = str.maketrans({",": " ", "،": " ", ";": " ", "؛": " "})


def utc_now() -> str:
    """Now as ISO 8601 UTC with milliseconds, e.g. ``2026-11-23T14:16:13.123Z``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def parse_tags(text: str | Iterable[str]) -> tuple[str, ...]:
    """Tags from user input: split on commas (Latin or Arabic), semicolons and spaces, drop a
    leading ``#``, keep the first of duplicates. A tag therefore never holds a separator, which
    keeps the CSV and markdown exports unambiguous."""
    parts = [text] if isinstance(text, str) else list(text)
    tags: list[str] = []
    for part in parts:
        for word in part.translate(_TAG_SEPARATORS).split():
            tag = word.lstrip("#")
            if tag and tag not in tags:
                tags.append(tag)
    return tuple(tags)


@dataclass(frozen=True, slots=True)
class Bookmark:
    """A kept passage (``kind="passage"``) or a span inside one (``kind="span"``).

    The anchor is both a position (``start``/``end`` in the article's clean text, and the
    ``passage_id`` holding ``start``) and a quote with its context (``quote``, ``prefix``,
    ``suffix``), so it can be found again when the text changes (see :mod:`index.anchoring`).
    ``article_hash`` is the :attr:`Article.content_hash` the offsets refer to. Citation fields
    (``title``, ``source``, ``date``, ``url``) are captured at creation so an export still cites
    an article that has left the corpus.

    So are the two facts a citation adds, taken from what the loader recorded on the article:
    ``via``, the agency the outlet credits (``""``: it credits none), and ``title_composed``
    (``title`` was made from the first sentence: the text states no headline). ``None`` in
    either means not recorded: a bookmark made, or imported, before newsreader kept them. The
    export then asks the article's file, if it is still there (:func:`index.export.citation_facts`).

    ``quote`` (with its ``prefix``/``suffix``) is what the user kept and is never rewritten by
    re-anchoring; only the position follows the article. When the text at the new position
    differs from the quote (status ``"changed"``), ``current_text`` holds that text, so the app
    and exports can show both; it is ``None`` otherwise.
    """

    id: str
    article_id: str
    article_path: str
    article_hash: str
    passage_id: str
    start: int
    end: int
    quote: str
    prefix: str = ""
    suffix: str = ""
    note: str = ""
    tags: tuple[str, ...] = ()
    created_at: str = ""
    updated_at: str = ""
    title: str = ""
    source: str | None = None
    date: str | None = None
    url: str | None = None
    status: Status = "anchored"
    kind: Kind = "span"
    via: str | None = None
    title_composed: bool | None = None
    current_text: str | None = None

    @classmethod
    def for_span(
        cls,
        article: Article,
        start: int,
        end: int,
        *,
        note: str = "",
        tags: Iterable[str] = (),
        kind: Kind = "span",
    ) -> Bookmark:
        """A new bookmark of ``article.text[start:end]`` (surrounding whitespace trimmed)."""
        text = article.text
        if not 0 <= start < end <= len(text):
            raise ValueError(f"span {start}-{end} is outside the article (0-{len(text)})")
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            raise ValueError("the selection holds no text")
        prefix, suffix = quote_context(text, start, end)
        passage = passage_at(article, start)
        now = utc_now()
        return cls(
            id=uuid.uuid4().hex,
            article_id=article.id,
            article_path=article.path,
            article_hash=article.content_hash,
            passage_id=passage.id if passage else "",
            start=start,
            end=end,
            quote=text[start:end],
            prefix=prefix,
            suffix=suffix,
            note=note,
            tags=parse_tags(tags),
            created_at=now,
            updated_at=now,
            title=article.title,
            source=article.source,
            date=article.date,
            url=article.url,
            kind=kind,
            via=article.via or "",
            title_composed=article.title_composed,
        )

    @classmethod
    def for_passage(
        cls, article: Article, passage_id: str, *, note: str = "", tags: Iterable[str] = ()
    ) -> Bookmark:
        """A new bookmark of the whole passage ``passage_id`` of ``article``."""
        passage = article.passage(passage_id)
        if passage is None:
            raise ValueError(f"article {article.id} has no passage {passage_id}")
        made = cls.for_span(
            article, passage.start, passage.end, note=note, tags=tags, kind="passage"
        )
        return dataclasses.replace(made, passage_id=passage.id)

    def span(self) -> Span:
        return Span(self.start, self.end)


def check_bookmark(b: Bookmark) -> None:
    """Raise ``ValueError`` if ``b`` could not be a stored bookmark."""
    if not b.id or not b.quote:
        raise ValueError("a bookmark needs an id and a quote")
    if not 0 <= b.start <= b.end:
        raise ValueError(f"bookmark {b.id}: bad offsets {b.start}-{b.end}")
    if b.status not in STATUSES:
        raise ValueError(f"bookmark {b.id}: unknown status {b.status!r}")
    if b.kind not in KINDS:
        raise ValueError(f"bookmark {b.id}: unknown kind {b.kind!r}")


# --- filtering -------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def normalized_text(text: str) -> str:
    """``text`` Arabic-normalized with whitespace collapsed: what filters compare."""
    from index.arabic import normalize  # imports Whoosh: only when a filter is typed

    return " ".join(normalize(text).split())


def matches(bookmark: Bookmark, filter_text: str) -> bool:
    """Whether every word of ``filter_text`` occurs in the bookmark's quote, note, title, outlet
    or tags, compared after Arabic normalization (harakat, alef/ya/taa-marbuta variants, case);
    a word typed with its article also matches the bare word (الحصيلة finds the tag حصيلة)."""
    from index.arabic import without_article

    words = normalized_text(filter_text).split()
    if not words:
        return True
    haystack = normalized_text(
        "\n".join(
            (bookmark.quote, bookmark.note, bookmark.title, bookmark.source or "", *bookmark.tags)
        )
    )
    return all(word in haystack or without_article(word) in haystack for word in words)
