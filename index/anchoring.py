"""Anchors that survive edits: find a bookmark's quote again in a changed article.

A bookmark remembers where it was (a TextPositionSelector: ``start``/``end`` in the clean text)
and what it was (a TextQuoteSelector: the exact ``quote`` with ``prefix``/``suffix`` context), as
the W3C Web Annotation model does. When the article's text is unchanged the position is trusted;
when it changed (the outlet edited the article, or our cleaning rules changed) the quote is looked
for again, in three steps of decreasing strictness:

1. **exact**: every occurrence of the quote; the one whose surrounding text best matches the
   stored prefix/suffix wins, ties broken by closeness to the old position;
2. **normalized**: the same on text folded by :func:`index.arabic.normalize_token` (harakat,
   alef/ya variants, tatweel, quotation marks, runs of whitespace), mapped back to real offsets;
3. **fuzzy**: candidate places are voted for by the 8-character pieces of the quote that still
   occur verbatim (plus the best match near the old position); :class:`difflib.SequenceMatcher`
   aligns the quote at each, and the best alignment above :data:`FUZZY_THRESHOLD` wins.

Only the position follows the text: the ``quote`` (and its prefix/suffix) is what the user
kept and is never replaced. A place found by the normalized or fuzzy steps holds different
text, so the bookmark's status becomes ``"changed"`` and the text found there is kept beside
the quote (``current_text``) for the app and the exports to show. When all fail the bookmark
is kept as it was with status ``"detached"``: a citation is never silently dropped, and its
quote remains the record of what the user kept. A bookmark is matched only to the article at
its own path (:func:`same_file`), never to a same-named file of another corpus.

This module must stay cheap to import (the bookmark store imports it, and the crash-safety test
starts a hundred processes that import the store): :mod:`index.arabic` pulls in Whoosh, so it is
imported only when a normalized search is actually needed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from index.bookmark_record import Bookmark, Status
    from index.models import Article, Passage

#: Characters of context kept before and after a quote (the W3C selectors' prefix/suffix).
CONTEXT_CHARS = 32
#: Minimum similarity (``2*matched / (len(quote) + len(found))``) for a fuzzy anchor.
FUZZY_THRESHOLD = 0.75
#: Quotes shorter than this (after folding) are not matched fuzzily: too many false homes.
FUZZY_MIN_CHARS = 8

Method = Literal["hash", "exact", "normalized", "fuzzy", "none"]
#: Statuses saying the bookmark once moved: found word for word again, it says "reanchored".
_MOVED = ("reanchored", "changed")


@dataclass(frozen=True, slots=True)
class AnchorResult:
    """The outcome of re-anchoring one bookmark against an article.

    ``bookmark`` is the updated copy to store (offsets, passage id, article hash, status and
    ``current_text``; never the quote); for a detached result it is the original with only
    ``status`` changed.
    """

    bookmark: Bookmark
    status: Status
    method: Method
    score: float


def passage_at(article: Article, offset: int) -> Passage | None:
    """The passage holding ``offset``; in a gap between passages, the next one; else the last."""
    following: Passage | None = None
    for passage in article.passages:
        if passage.start <= offset < passage.end:
            return passage
        if following is None and passage.start >= offset:
            following = passage
    if following is not None:
        return following
    return article.passages[-1] if article.passages else None


def quote_context(text: str, start: int, end: int) -> tuple[str, str]:
    """The prefix and suffix (up to :data:`CONTEXT_CHARS` each) around ``text[start:end]``."""
    return text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS]


def reanchor(bookmark: Bookmark, article: Article) -> AnchorResult:
    """Find ``bookmark`` in ``article`` (which may have changed since the bookmark was made).

    Only the position moves (offsets, passage id, article hash): the quote and its context are
    what the user kept and stay as saved. A place found only by the normalized or fuzzy steps
    holds different text, so the result says ``"changed"`` and carries that text in
    ``current_text`` rather than passing it off as the quote.
    """
    text = article.text
    old = bookmark
    if article.content_hash == old.article_hash:
        here = text[old.start : old.end]
        if here == old.quote:
            # A bookmark once moved stays "reanchored" so the reader still knows its text moved.
            status: Status = "reanchored" if old.status in _MOVED else "anchored"
            return AnchorResult(
                _moved(old, article, old.start, old.end, status), status, "hash", 1.0
            )
        if old.status == "changed" and here == old.current_text:
            # Already re-anchored against this very text: nothing to search again.
            return AnchorResult(old, "changed", "hash", 1.0)

    found = _exact(text, old)
    method: Method = "exact"
    score = 1.0
    if found is None:
        found, score = _normalized_or_fuzzy(text, old)
        method = "normalized" if score == 1.0 else "fuzzy"
    if found is None:
        detached: Status = "detached"
        return AnchorResult(dataclasses.replace(old, status=detached), detached, "none", 0.0)

    start, end = found
    if text[start:end] != old.quote:
        status = "changed"
    else:
        prefix, suffix = quote_context(text, start, end)
        unmoved = start == old.start and prefix == old.prefix and suffix == old.suffix
        status = "anchored" if unmoved and old.status not in _MOVED else "reanchored"
    return AnchorResult(_moved(old, article, start, end, status), status, method, score)


def _moved(old: Bookmark, article: Article, start: int, end: int, status: Status) -> Bookmark:
    """``old`` re-pointed at ``article.text[start:end]``: the position only.

    The quote, its prefix/suffix and the article's path are kept as saved (the path is what
    ties a bookmark to its corpus; see :func:`same_file`). ``current_text`` is the text now at
    the position when it differs from the quote. The title, outlet, date and URL are kept as
    created. The loader's citation facts are taken from the article as it is now, like its id:
    ``via`` always (a bookmark made before they were kept gains it), ``title_composed`` only
    while the article's title is still the bookmark's, since the flag describes that title and
    a different one says nothing about it.
    """
    passage = passage_at(article, start)
    same_title = article.title == old.title
    here = article.text[start:end]
    return dataclasses.replace(
        old,
        via=article.via or "",
        title_composed=article.title_composed if same_title else old.title_composed,
        article_id=article.id,
        article_hash=article.content_hash,
        passage_id=passage.id if passage else old.passage_id,
        start=start,
        end=end,
        current_text=None if here == old.quote else here,
        status=status,
    )


def same_file(a: str, b: str) -> bool:
    """Whether two article paths name the same file (resolved, so ``./x`` and ``/abs/x`` agree).

    A bookmark is only ever re-anchored against the article at its own path: another corpus
    may hold a file of the same name (and so an article of the same id) with other text.
    """
    if a == b:
        return True
    try:
        return Path(a).expanduser().resolve() == Path(b).expanduser().resolve()
    except (OSError, RuntimeError):
        return False


@dataclass(slots=True)
class ReanchorReport:
    """What re-anchoring a set of bookmarks found: counts, and the bookmarks that changed."""

    anchored: int = 0
    reanchored: int = 0
    changed_text: int = 0  # status "changed": found, but the text there differs from the quote
    detached: int = 0
    missing: int = 0  # no article at the bookmark's own path: left untouched
    changed: list[Bookmark] = field(default_factory=list)
    updates: list[tuple[Bookmark, Bookmark]] = field(default_factory=list)
    """(as it was, as re-anchored) for every bookmark whose anchor moved or changed status."""

    def count(self, status: Status) -> None:
        name = "changed_text" if status == "changed" else status
        setattr(self, name, getattr(self, name) + 1)


def reanchor_many(
    bookmarks: Iterable[Bookmark], get_article: Callable[[str], Article | None]
) -> tuple[list[Bookmark], ReanchorReport]:
    """Every bookmark as re-anchored now, in memory (nothing is written), and a report.

    ``get_article`` is called with the bookmark's article id and, when that gives ``None`` or
    an article from another file, with its stored path (so a corpus whose ids changed still
    resolves). An article is used only if it lives at the bookmark's own path
    (:func:`same_file`); otherwise the bookmark is returned exactly as it is and counted as
    missing: absence from this corpus is not proof that the text is gone.
    """
    report = ReanchorReport()
    out: list[Bookmark] = []
    for bookmark in bookmarks:
        article = get_article(bookmark.article_id)
        if article is None or not same_file(article.path, bookmark.article_path):
            article = get_article(bookmark.article_path)
        if article is None or not same_file(article.path, bookmark.article_path):
            report.missing += 1
            out.append(bookmark)
            continue
        result = reanchor(bookmark, article)
        report.count(result.status)
        if result.bookmark != bookmark:
            report.updates.append((bookmark, result.bookmark))
        out.append(result.bookmark)
    return out, report


def _context_score(prefix: str, suffix: str, before: str, after: str) -> int:
    """How many characters of stored context match the text around a candidate."""
    score = 0
    for a, b in zip(reversed(prefix), reversed(before), strict=False):
        if a != b:
            break
        score += 1
    for a, b in zip(suffix, after, strict=False):
        if a != b:
            break
        score += 1
    return score


def _best_occurrence(
    text: str, quote: str, prefix: str, suffix: str, expected: int
) -> tuple[int, int] | None:
    """The occurrence of ``quote`` in ``text`` best matching the context, nearest ``expected``."""
    best: tuple[int, int] | None = None
    best_key: tuple[int, int] | None = None
    at = text.find(quote)
    while at != -1:
        end = at + len(quote)
        before = text[max(0, at - len(prefix)) : at]
        after = text[end : end + len(suffix)]
        key = (_context_score(prefix, suffix, before, after), -abs(at - expected))
        if best_key is None or key > best_key:
            best, best_key = (at, end), key
        at = text.find(quote, at + 1)
    return best


def _exact(text: str, bookmark: Bookmark) -> tuple[int, int] | None:
    if not bookmark.quote:
        return None
    return _best_occurrence(text, bookmark.quote, bookmark.prefix, bookmark.suffix, bookmark.start)


# --- folded (normalized) text with a map back to the original offsets ------------------------

_EXTRA_FOLD = str.maketrans(
    {
        "«": '"',
        "»": '"',
        "“": '"',
        "”": '"',
        "„": '"',
        "‘": "'",
        "’": "'",
        "–": "-",
        "—": "-",
        "\u200b": "",  # zero-width space
        "\u200e": "",  # LRM
        "\u200f": "",  # RLM
        "\u061c": "",  # ALM
        "\ufeff": "",
    }
)


def _folder() -> Callable[[str], str]:
    from index.arabic import normalize_token  # imports Whoosh: only when really needed

    def fold_char(ch: str) -> str:
        ch = ch.translate(_EXTRA_FOLD)
        return normalize_token(ch) if ch else ""

    return fold_char


def _fold(text: str, fold_char: Callable[[str], str]) -> tuple[str, list[int]]:
    """``text`` folded for matching, and for each folded character its index in ``text``.

    The map has one extra entry, ``len(text)``, so a folded end offset maps too.
    """
    out: list[str] = []
    where: list[int] = []
    folded_chars: dict[str, str] = {}
    in_space = False
    for i, ch in enumerate(text):
        folded = folded_chars.get(ch)
        if folded is None:
            folded = folded_chars[ch] = " " if ch.isspace() else fold_char(ch)
        if not folded:  # a stripped mark: invisible to matching, even between spaces
            continue
        if folded == " ":
            if in_space:
                continue
            in_space = True
        else:
            in_space = False
        out.append(folded)
        where.extend([i] * len(folded))
    where.append(len(text))
    return "".join(out), where


@lru_cache(maxsize=4)
def _folded_article(text: str) -> tuple[str, list[int]]:
    """:func:`_fold` of an article, kept for the next bookmark of the same article."""
    return _fold(text, _folder())


def _unfold(
    text: str, where: Sequence[int], fstart: int, fend: int, fold_char: Callable[[str], str]
) -> tuple[int, int]:
    """Map a folded range back to ``text``, taking in marks that folding had stripped."""
    start = where[fstart]
    end = where[fend - 1] + 1 if fend > fstart else start
    while end < len(text) and not text[end].isspace() and fold_char(text[end]) == "":
        end += 1
    return start, end


def _normalized_or_fuzzy(text: str, bookmark: Bookmark) -> tuple[tuple[int, int] | None, float]:
    """A normalized exact match (score 1.0), else the best fuzzy match above the threshold."""
    fold_char = _folder()
    ftext, where = _folded_article(text)
    fquote = _fold(bookmark.quote, fold_char)[0].strip()
    if not fquote:
        return None, 0.0
    fprefix = _fold(bookmark.prefix, fold_char)[0]
    fsuffix = _fold(bookmark.suffix, fold_char)[0]
    expected = _folded_offset(where, bookmark.start)
    found = _best_occurrence(ftext, fquote, fprefix, fsuffix, expected)
    if found is not None:
        return _unfold(text, where, *found, fold_char), 1.0
    fuzzy = _fuzzy(ftext, fquote, expected)
    if fuzzy is None:
        return None, 0.0
    (fstart, fend), score = fuzzy
    return _unfold(text, where, fstart, fend, fold_char), score


def _folded_offset(where: Sequence[int], offset: int) -> int:
    """The folded index of the first folded character at or after original ``offset``."""
    lo, hi = 0, len(where) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if where[mid] < offset:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _fuzzy(ftext: str, fquote: str, expected: int) -> tuple[tuple[int, int], float] | None:
    """Best approximate home of ``fquote`` in ``ftext``: candidate places first (where pieces of
    the quote still occur, and around the old position), then a character alignment at each."""
    if len(fquote) < FUZZY_MIN_CHARS or not ftext:
        return None
    candidates = set(_voted_starts(ftext, fquote))
    window = 4 * len(fquote) + 200
    near = SequenceMatcher(None, ftext, fquote, autojunk=False).find_longest_match(
        max(0, expected - window), min(len(ftext), expected + window), 0, len(fquote)
    )
    if near.size >= 3:
        candidates.add(near.a - near.b)
    best: tuple[tuple[int, int], float] | None = None
    pad = len(fquote) // 4 + 8
    for start in candidates:
        lo = max(0, start - pad)
        hi = min(len(ftext), start + len(fquote) + pad)
        aligned = _align(ftext, lo, hi, fquote)
        if aligned is not None and (best is None or aligned[1] > best[1]):
            best = aligned
    if best is None or best[1] < FUZZY_THRESHOLD:
        return None
    return best


_PIECE = 8  # characters per piece of the quote looked up verbatim
_BUCKET = 16  # alignment votes are pooled per this many characters


def _voted_starts(ftext: str, fquote: str, keep: int = 3) -> list[int]:
    """Where the quote would start, judged by where its 8-character pieces occur (a vote per
    occurrence); the few most voted places. Linear-time ``str.find`` instead of a full alignment
    of the quote against the whole article."""
    votes: dict[int, int] = {}
    step = max(1, len(fquote) // 48)
    for offset in range(0, max(1, len(fquote) - _PIECE + 1), step):
        piece = fquote[offset : offset + _PIECE]
        at = ftext.find(piece)
        seen = 0
        while at != -1 and seen < 32:
            bucket = (at - offset) // _BUCKET
            votes[bucket] = votes.get(bucket, 0) + 1
            at = ftext.find(piece, at + 1)
            seen += 1
    ranked = sorted(votes.items(), key=lambda item: -item[1])[:keep]
    return [bucket * _BUCKET for bucket, _ in ranked]


def _align(ftext: str, lo: int, hi: int, fquote: str) -> tuple[tuple[int, int], float] | None:
    region = ftext[lo:hi]
    blocks = [
        b
        for b in SequenceMatcher(None, region, fquote, autojunk=False).get_matching_blocks()
        if b.size
    ]
    # Stray one- or two-letter matches at the edges would stretch the range: drop them.
    while len(blocks) > 1 and blocks[0].size < 3:
        blocks.pop(0)
    while len(blocks) > 1 and blocks[-1].size < 3:
        blocks.pop()
    if not blocks:
        return None
    start = blocks[0].a
    end = blocks[-1].a + blocks[-1].size
    matched = sum(b.size for b in blocks)
    score = 2 * matched / (len(fquote) + (end - start))
    while start < end and region[start] == " ":
        start += 1
    return (lo + start, lo + end), score
