"""Search a corpus index: query text → ranked articles, their best passages, highlight spans.

How a search runs:

1. :func:`index.query.check_syntax` rejects what the user must fix (``SearchResult.error``:
   a message, never an exception).
2. Article documents are searched with every word required (AND). When that finds nothing and
   the query has several words, it is run again with any word (OR) and ``SearchResult.notice``
   says so — a reader typing four words rarely wants "no results".
3. The passages of the hit articles are ranked against the same words (any of them, NOT parts
   and filters left out) in one query over the passage documents, filtered to the hit
   articles, and grouped by article: each hit keeps its best ``passages_per_hit`` passages,
   or its lead passage when the match was only in the title or a filter.
4. Highlights are computed on the text as written: :func:`index.arabic.tokens` runs over the
   title and each shown passage and a token is marked when its stem or normalized form is a
   query term, when it starts with the prefix of the last word, or when it is part of a
   query phrase in order. So تحذير highlights التحذير, بتحذير and التحذيرات where they stand.
"""

from __future__ import annotations

import pickle
import struct
import zlib
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from whoosh import query as wq
from whoosh.qparser import QueryParserError
from whoosh.query.qcore import QueryError
from whoosh.searching import Searcher

from index import fastrank
from index.arabic import Token, tokens
from index.models import Hit, HitPassage, Span
from index.query import (
    PASSAGE_FIELDS,
    LimitedPrefix,
    QuerySyntaxError,
    QueryTerms,
    any_word_fallback,
    check_syntax,
    parse,
    query_terms,
    without_negations,
)
from index.schema import KIND_ARTICLE, stored_text

if TYPE_CHECKING:
    from index.store import CorpusIndex

OR_FALLBACK_NOTICE = "No article has all of these words; showing articles with any of them."
COMMON_WORDS_NOTICE = "These words are too common to search for: add a more specific word."
NOT_BUILT_MESSAGE = "The index is not ready yet: run `newsreader index` (or wait for it to build)."
DAMAGED_MESSAGE = "The index is damaged and will be rebuilt: run `newsreader index`."
#: Passages of a hit checked for a query phrase, best-scored first (each check tokenizes one).
_PHRASE_CHECKS = 6
#: Titles and passages whose tokens are kept (a few hundred KB per thousand passages).
_TOKENS_CACHE_SIZE = 4096
#: Stored fields kept (an article's fields hold its clean text: ~5 KB each).
_STORED_CACHE_SIZE = 2048
_STORED: OrderedDict[tuple[str, int], dict[str, Any]] = OrderedDict()
_DAMAGE_ERRORS = (OSError, EOFError, struct.error, zlib.error, pickle.UnpicklingError)


@dataclass(frozen=True, slots=True)
class SearchResult:
    """Ranked hits for a query, or a user-facing ``error`` (then ``hits`` is empty)."""

    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    error: str | None = None
    notice: str | None = None
    terms: QueryTerms = field(default_factory=QueryTerms)

    @property
    def query_terms(self) -> tuple[str, ...]:
        """The normalized words, phrases and ``prefix*`` the query matched on."""
        return self.terms.words()


def highlight_spans(text: str, terms: QueryTerms, *, offset: int = 0) -> tuple[Span, ...]:
    """Spans of ``text`` (shifted by ``offset``) where the query's terms stand as written."""
    if terms.is_empty or not text:
        return ()
    toks = _tokens(text)
    stems, norms = terms.stems, terms.norms
    prefixes, stem_prefixes = terms.prefixes, terms.stem_prefixes
    marked = [t.stem in stems or t.norm in norms for t in toks]
    if prefixes or stem_prefixes:
        for i, t in enumerate(toks):
            if not marked[i] and (
                any(t.norm.startswith(p) for p in prefixes)
                or any(t.stem.startswith(p) for p in stem_prefixes)
            ):
                marked[i] = True
    if terms.stem_phrases or terms.norm_phrases:
        _mark_phrases(toks, marked, terms.stem_phrases, lambda t: t.stem)
        _mark_phrases(toks, marked, terms.norm_phrases, lambda t: t.norm)
    return tuple(
        Span(tok.start + offset, tok.end + offset)
        for tok, hit in zip(toks, marked, strict=True)
        if hit
    )


@lru_cache(maxsize=_TOKENS_CACHE_SIZE)
def _tokens(text: str) -> tuple[Token, ...]:
    """:func:`index.arabic.tokens` of a title or passage, kept: a reader typing a query
    searches again on every keystroke, and the same hits come back with the same passages."""
    return tuple(tokens(text))


def clear_caches() -> None:
    """Forget kept tokens and decoded postings: benchmarks time cold searches with it."""
    _tokens.cache_clear()
    _STORED.clear()
    fastrank.clear_caches()


def _has_phrase(text: str, terms: QueryTerms) -> bool:
    toks = _tokens(text)
    marked = [False] * len(toks)
    _mark_phrases(toks, marked, terms.stem_phrases, lambda t: t.stem)
    _mark_phrases(toks, marked, terms.norm_phrases, lambda t: t.norm)
    return any(marked)


def _mark_phrases(
    toks: Sequence[Token],
    marked: list[bool],
    phrases: Iterable[tuple[str, ...]],
    form: Any,
) -> None:
    forms = [form(t) for t in toks]
    for phrase in phrases:
        size = len(phrase)
        if not size:
            continue
        for i in range(len(forms) - size + 1):
            if tuple(forms[i : i + size]) == phrase:
                for j in range(i, i + size):
                    marked[j] = True


def search(
    index: CorpusIndex | Searcher,
    query: str,
    *,
    limit: int = 20,
    prefix_last: bool = True,
    passages_per_hit: int = 2,
) -> SearchResult:
    """Search ``index`` (a :class:`CorpusIndex` or an open Whoosh searcher) for ``query``."""
    text = query.strip() if prefix_last is False else query.lstrip()
    if not text.strip():
        return SearchResult(query=query)
    try:
        check_syntax(text)
    except QuerySyntaxError as error:
        return SearchResult(query=query, error=str(error))
    if isinstance(index, Searcher):
        return _run(index, query, text, limit, prefix_last, passages_per_hit)
    with index.searcher() as searcher:
        if searcher is None:
            return SearchResult(query=query, error=index.status.message or NOT_BUILT_MESSAGE)
        try:
            return _run(searcher, query, text, limit, prefix_last, passages_per_hit)
        except _DAMAGE_ERRORS as error:
            index.mark_corrupt(repr(error))
            return SearchResult(query=query, error=DAMAGED_MESSAGE)


def latest(index: CorpusIndex, *, limit: int = 20) -> SearchResult:
    """The newest articles, dated ones first (newest day first, by title within a day), then
    the undated ones by title: what the search pane lists before anything is typed, so the
    reader opens on the corpus rather than on an empty box. ``total`` is the article count."""
    with index.searcher() as searcher:
        if searcher is None:
            return SearchResult(query="", error=index.status.message or NOT_BUILT_MESSAGE)
        try:
            return _latest(searcher, limit)
        except _DAMAGE_ERRORS as error:
            index.mark_corrupt(repr(error))
            return SearchResult(query="", error=DAMAGED_MESSAGE)


def _latest(searcher: Searcher, limit: int) -> SearchResult:
    articles = sorted(searcher.docs_for_query(wq.Term("kind", KIND_ARTICLE)))
    chosen: list[int] = []
    days = sorted(searcher.reader().lexicon("date"), reverse=True)
    # newest days until the list is full: only those days' stored fields are read (a corpus of
    # years holds thousands of days, and a day of a big outlet hundreds of articles)
    for day in days:
        if len(chosen) >= limit:
            break
        docnums = list(searcher.docs_for_query(wq.Term("date", day.decode("utf-8"))))
        chosen.extend(_by_title(searcher, docnums)[: limit - len(chosen)])
    if len(chosen) < limit:
        # every dated article is already chosen: the rest are the undated ones
        taken = set(chosen)
        undated = [docnum for docnum in articles if docnum not in taken]
        chosen.extend(_by_title(searcher, undated)[: limit - len(chosen)])
    hits = [_make_hit(_stored_fields(searcher, docnum), 0.0, [], QueryTerms()) for docnum in chosen]
    return SearchResult(query="", hits=hits, total=len(articles))


def _by_title(searcher: Searcher, docnums: Iterable[int]) -> list[int]:
    fields = {docnum: _stored_fields(searcher, docnum) for docnum in docnums}
    return sorted(fields, key=lambda d: (fields[d].get("title") or "", fields[d]["id"]))


def _run(
    searcher: Searcher,
    query: str,
    text: str,
    limit: int,
    prefix_last: bool,
    passages_per_hit: int,
) -> SearchResult:
    schema = searcher.schema
    try:
        article_query = parse(schema, text, prefix_last=prefix_last)
    except QuerySyntaxError as error:
        return SearchResult(query=query, error=str(error))
    except (QueryParserError, QueryError) as error:
        return SearchResult(query=query, error=f"This query cannot be read: {error}")
    if article_query is wq.NullQuery:
        return SearchResult(query=query, notice=COMMON_WORDS_NOTICE)
    if _has_no_positive_part(article_query):
        return SearchResult(
            query=query, error="Add a word to search for: NOT and -word only exclude articles."
        )
    ranked, total = _rank(searcher, article_query, limit)
    notice = None
    relaxed = any_word_fallback(article_query) if not ranked else None
    if relaxed is not None:
        fallback, fallback_total = _rank(searcher, relaxed, limit)
        if fallback:
            article_query, ranked, total = relaxed, fallback, fallback_total
            notice = OR_FALLBACK_NOTICE
    terms = query_terms(article_query, searcher.reader())
    if not ranked:
        return SearchResult(query=query, terms=terms, notice=notice)
    stored = [(docnum, score, _stored_fields(searcher, docnum)) for score, docnum in ranked]
    best = _best_passages(searcher, text, stored, prefix_last, passages_per_hit, terms)
    hits = [
        _make_hit(fields, score, best.get(docnum, []), terms) for docnum, score, fields in stored
    ]
    return SearchResult(query=query, hits=hits, total=total, notice=notice, terms=terms)


def _rank(searcher: Searcher, q: wq.Query, limit: int) -> tuple[list[tuple[float, int]], int]:
    """Top (score, docnum) and the match count: the fast ranker, else Whoosh itself.

    Only article documents carry the fields article queries use, so no kind filter is needed.
    """
    fast = fastrank.rank(searcher, q, limit)
    if fast is not None:
        return fast
    results = searcher.search(q, limit=limit)
    return [(hit.score, hit.docnum) for hit in results], len(results)


def _stored_fields(searcher: Searcher, docnum: int) -> dict[str, Any]:
    """Stored fields of a document, kept per (segment, document): a segment never changes
    once written, and the hits of one query come back as the reader types the next letter.
    The dict is shared: callers only read it."""
    reader = searcher.reader()
    leaves = list(reader.leaf_readers()) if hasattr(reader, "leaf_readers") else [(reader, 0)]
    for leaf, offset in reversed(leaves):
        if docnum >= offset:
            segid = getattr(leaf, "_segid", None)
            if segid is None:
                break
            key = (segid, docnum - offset)
            fields = _STORED.get(key)
            if fields is None:
                fields = leaf.stored_fields(docnum - offset)
                _STORED[key] = fields
                while len(_STORED) > _STORED_CACHE_SIZE:
                    _STORED.popitem(last=False)
            else:
                _STORED.move_to_end(key)
            return fields
    return searcher.stored_fields(docnum)


def _has_no_positive_part(q: wq.Query) -> bool:
    if q is wq.NullQuery:
        return False  # only stop words: an empty result, not an error
    if isinstance(q, wq.Not):
        return True
    if isinstance(q, (wq.And, wq.Or)):
        return all(_has_no_positive_part(c) for c in q.children())
    return False


def _best_passages(
    searcher: Searcher,
    text: str,
    stored: list[tuple[int, float, dict[str, Any]]],
    prefix_last: bool,
    per_hit: int,
    terms: QueryTerms,
) -> dict[int, list[tuple[float, list[int]]]]:
    """Up to ``per_hit`` best passages per hit: article docnum → [(score, [ord, start, end])].

    An article's passage documents were added right after it, so they are the documents
    ``docnum + 1 ... docnum + len(passages)``; only those ranges of each posting list are read.
    """
    passage_query = without_negations(
        parse(
            searcher.schema, text, fields=PASSAGE_FIELDS, conjunctive=False, prefix_last=prefix_last
        )
    )
    best: dict[int, list[tuple[float, list[int]]]] = {}
    if passage_query is wq.NullQuery:
        return best
    spans_of = {docnum: fields.get("passages") or [] for docnum, _, fields in stored}
    ranges = sorted((d + 1, d + len(spans)) for d, spans in spans_of.items() if spans)
    scores = fastrank.range_scores(searcher, _scoring_terms(searcher, passage_query), ranges)
    phrases = terms.stem_phrases or terms.norm_phrases
    for docnum, _, fields in stored:
        spans = spans_of[docnum]
        candidates = [
            (scores[d], d - docnum - 1)
            for d in range(docnum + 1, docnum + len(spans) + 1)
            if d in scores
        ]
        candidates.sort(reverse=True)
        if phrases:  # only passages holding the phrase itself, when some of the best do
            clean = stored_text(fields)
            holding = [
                (score, o)
                for score, o in candidates[:_PHRASE_CHECKS]
                if _has_phrase(clean[spans[o][1] : spans[o][2]], terms)
            ]
            candidates = holding or candidates
        ranked = candidates[:per_hit]
        chosen: list[tuple[float, list[int]]] = []
        for score, ordinal in ranked:
            passage_fields = _stored_fields(searcher, docnum + 1 + ordinal)
            if passage_fields.get("id") != f"{fields['id']}:{ordinal}":
                chosen = []  # layout not as expected (should not happen): show the lead
                break
            chosen.append((score, spans[ordinal]))
        best[docnum] = chosen
    return best


def _scoring_terms(searcher: Searcher, q: wq.Query) -> list[tuple[str, Any, float]]:
    """(field, term, boost) of every term of ``q``: prefixes expanded, phrases as words."""
    found: list[tuple[str, Any, float]] = []

    def walk(node: wq.Query) -> None:
        if isinstance(node, LimitedPrefix):
            found.extend((node.fieldname, t, node.boost) for t in node._btexts(searcher.reader()))
        elif isinstance(node, wq.Phrase):
            found.extend((node.fieldname, w, node.boost) for w in node.words)
        elif isinstance(node, wq.Term):
            found.append((node.fieldname, node.text, node.boost))
        else:
            for child in node.children():
                walk(child)

    walk(q)
    return found


def _make_hit(
    fields: dict[str, Any],
    score: float,
    best: list[tuple[float, list[int]]],
    terms: QueryTerms,
) -> Hit:
    clean = stored_text(fields)
    if not best and fields.get("passages"):
        best = [(0.0, fields["passages"][0])]
    article_id = fields["id"]
    passages = tuple(
        HitPassage(
            passage_id=f"{article_id}:{ordinal}",
            start=start,
            end=end,
            text=clean[start:end],
            spans=highlight_spans(clean[start:end], terms, offset=start),
            score=passage_score,
        )
        for passage_score, (ordinal, start, end) in best
    )
    title = fields.get("title") or ""
    return Hit(
        article_id=article_id,
        title=title,
        source=fields.get("source_name"),
        date=fields.get("date"),
        score=score,
        passages=passages,
        title_spans=highlight_spans(title, terms),
    )
