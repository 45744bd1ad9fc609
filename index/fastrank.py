"""BM25F ranking straight from Whoosh's posting blocks, for the query shapes people type.

Whoosh scores a query by walking a tree of matcher objects, several Python calls per posting;
its block-max skipping rarely skips on news text, so a common word (10,000 of 30,000
SaudiNewsNet articles) took 60-140 ms. The ranker here reads each term's posting blocks whole
(ids and term frequencies come back as arrays) and scores them in one tight loop with the
same BM25F formula, idf and field-length bytes Whoosh uses, so scores match Whoosh's to
rounding. Measured on SaudiNewsNet: see benchmarks/scale.py.

It handles queries built from terms with AND, OR and AND NOT (words, their fields, prefix
completions, ``source:``). A query with anything else — phrases, date ranges — returns
``None`` from :func:`rank` and the caller lets Whoosh run it.

The ranker relies on Whoosh 2.7's W3 codec internals (block arrays, the length column); an
unexpected shape raises ``_Unsupported`` internally and the caller falls back to Whoosh.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from typing import Any

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.matching.wrappers import FilterMatcher
from whoosh.util.numeric import byte_to_length

from index.query import LimitedPrefix

K1 = 1.2  # Whoosh's BM25F defaults
B = 0.75
_LENGTHS = [byte_to_length(b) for b in range(256)]


class _Unsupported(Exception):
    pass


class _Context:
    """Per-search caches: segments, field statistics and length bytes."""

    def __init__(self, searcher: Any) -> None:
        self.searcher = searcher
        reader = searcher.reader()
        leaves = reader.leaf_readers() if hasattr(reader, "leaf_readers") else [(reader, 0)]
        self.leaves: list[tuple[Any, int]] = [(leaf, offset) for leaf, offset in leaves]
        self._norms: dict[tuple[int, str], tuple[bytes, list[float]]] = {}

    def norms(self, leaf_index: int, fieldname: str) -> tuple[bytes, list[float]]:
        """The length byte of every document of a segment, and BM25's length term per byte."""
        key = (leaf_index, fieldname)
        cached = self._norms.get(key)
        if cached is None:
            leaf = self.leaves[leaf_index][0]
            try:
                column = leaf._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
            except Exception as error:  # Whoosh internals moved: let Whoosh rank
                raise _Unsupported(str(error)) from error
            lengths = b"" if column is None else column._dbfile.get(column._basepos, column._count)
            average = self.searcher.avg_field_length(fieldname) or 1.0
            table = [K1 * ((1 - B) + B * length / average) for length in _LENGTHS]
            cached = (lengths, table)
            self._norms[key] = cached
        return cached


def _leaf_matcher(leaf: Any, fieldname: str, text: Any) -> Any:
    """The raw W3 posting matcher (deleted documents are dropped later, in :func:`rank`)."""
    matcher = leaf.postings(fieldname, text)
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    if not hasattr(matcher, "_read_ids"):
        raise _Unsupported(type(matcher).__name__)
    return matcher


def _blocks(matcher: Any, *, values: bool = False) -> Iterator[tuple[Any, Any, Any]]:
    """(ids, weights, values or None) of each posting block of a W3 leaf matcher."""
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        if values:
            matcher._read_values()
        yield matcher._ids, matcher._weights, (matcher._values if values else None)
        matcher._next_block()


def _term_scores(ctx: _Context, fieldname: str, text: Any, boost: float) -> dict[int, float]:
    searcher = ctx.searcher
    scores: dict[int, float] = {}
    try:
        idf = searcher.idf(fieldname, text)
    except Exception:  # term not in the field
        return scores
    factor = idf * boost * (K1 + 1)
    for index, (leaf, offset) in enumerate(ctx.leaves):
        if (fieldname, text) not in leaf:
            continue
        lengths, table = ctx.norms(index, fieldname)
        size = len(lengths)
        get = scores.get
        for ids, weights, _ in _blocks(_leaf_matcher(leaf, fieldname, text)):
            for docnum, weight in zip(ids, weights, strict=True):
                norm = table[lengths[docnum]] if docnum < size else table[0]
                key = docnum + offset
                scores[key] = get(key, 0.0) + factor * weight / (weight + norm)
    return scores


def _evaluate(ctx: _Context, q: wq.Query) -> dict[int, float]:
    if isinstance(q, wq.Term):
        return _term_scores(ctx, q.fieldname, q.text, q.boost)
    if isinstance(q, wq.Phrase):
        if q.slop != 1 or not q.words:
            raise _Unsupported("phrase with slop")
        return _phrase_scores(ctx, q.fieldname, list(q.words), q.boost)
    if isinstance(q, wq.TermRange):  # date ranges score a constant, as in Whoosh
        terms = list(q._btexts(ctx.searcher.reader()))
        docs = _union(_term_scores(ctx, q.fieldname, t, 1.0) for t in terms)
        return dict.fromkeys(docs, float(q.boost))
    if isinstance(q, LimitedPrefix):
        completions = list(q._btexts(ctx.searcher.reader()))
        return _union(_term_scores(ctx, q.fieldname, t, q.boost) for t in completions)
    if isinstance(q, wq.Or) and not isinstance(q, wq.DisjunctionMax):
        return _union(_evaluate(ctx, sub) for sub in q.subqueries)
    if isinstance(q, wq.And):
        negated = [sub.query for sub in q.subqueries if isinstance(sub, wq.Not)]
        parts = sorted(
            (_evaluate(ctx, sub) for sub in q.subqueries if not isinstance(sub, wq.Not)), key=len
        )
        if not parts:
            raise _Unsupported("only negations")
        result = dict(parts[0])
        for part in parts[1:]:
            result = {d: s + part[d] for d, s in result.items() if d in part}
        for sub in negated:  # Whoosh adds a NOT's constant score (its boost, 1) to each hit
            excluded = _evaluate(ctx, sub)
            result = {d: s + 1.0 for d, s in result.items() if d not in excluded}
        return result
    if isinstance(q, wq.AndNot):
        positive = _evaluate(ctx, q.a)
        excluded = _evaluate(ctx, q.b)
        return {d: s for d, s in positive.items() if d not in excluded}
    raise _Unsupported(type(q).__name__)


def _phrase_scores(
    ctx: _Context, fieldname: str, words: list[Any], boost: float
) -> dict[int, float]:
    """Documents holding ``words`` at consecutive positions, scored as the sum of the words.

    Positions are decoded only for documents that hold every word."""
    scores = [_term_scores(ctx, fieldname, word, boost) for word in words]
    candidates: set[int] = set(scores[0])
    for part in scores[1:]:
        candidates &= part.keys()
    if not candidates:
        return {}
    decode = ctx.searcher.schema[fieldname].format.decode_positions
    positions: list[dict[int, Any]] = []
    for word in words:
        found: dict[int, Any] = {}
        for leaf, offset in ctx.leaves:
            if (fieldname, word) not in leaf:
                continue
            for ids, _weights, values in _blocks(_leaf_matcher(leaf, fieldname, word), values=True):
                for docnum, value in zip(ids, values, strict=True):
                    if docnum + offset in candidates:
                        found[docnum + offset] = value
        positions.append(found)
    result: dict[int, float] = {}
    for docnum in candidates:
        starts = set(decode(positions[0][docnum]))
        for i, found in enumerate(positions[1:], start=1):
            starts &= {p - i for p in decode(found[docnum])}
            if not starts:
                break
        if starts:
            result[docnum] = sum(part[docnum] for part in scores)
    return result


def _union(parts: Iterable[dict[int, float]]) -> dict[int, float]:
    result: dict[int, float] = {}
    for part in parts:
        if len(part) > len(result):
            part, result = result, dict(part)
        get = result.get
        for docnum, score in part.items():
            result[docnum] = get(docnum, 0.0) + score
    return result


def rank(searcher: Any, query: wq.Query, limit: int) -> tuple[list[tuple[float, int]], int] | None:
    """The ``limit`` best (score, docnum) for ``query`` and the number of matching documents,
    or ``None`` when the query has a part this ranker does not handle."""
    ctx = _Context(searcher)
    try:
        scores = _evaluate(ctx, query)
    except _Unsupported:
        return None
    for leaf, offset in ctx.leaves:
        if leaf.has_deletions():
            for local in leaf.deleted_docs_set or ():
                scores.pop(local + offset, None)
    best = heapq.nlargest(limit, scores.items(), key=lambda item: (item[1], -item[0]))
    return [(score, docnum) for docnum, score in best], len(scores)


def _score_ranges(
    matcher: Any,
    ranges: list[tuple[int, int]],
    offset: int,
    factor: float,
    lengths: bytes,
    table: list[float],
    scores: dict[int, float],
) -> None:
    """Add the postings of ``matcher`` inside ``ranges`` (segment-local, sorted) to ``scores``.
    Blocks that end before the next range are skipped without being decoded."""
    size = len(lengths)
    r = 0
    while matcher.is_active() and r < len(ranges):
        if matcher.block_max_id() < ranges[r][0]:
            matcher._next_block()
            continue
        matcher._read_ids()
        matcher._read_weights()
        ids, weights = matcher._ids, matcher._weights
        last = ids[-1]
        while r < len(ranges) and ranges[r][0] <= last:
            start, end = ranges[r]
            for i in range(bisect_left(ids, start), bisect_right(ids, end)):
                local, weight = ids[i], weights[i]
                norm = table[lengths[local]] if local < size else table[0]
                key = local + offset
                scores[key] = scores.get(key, 0.0) + factor * weight / (weight + norm)
            if end > last:
                break  # the range goes on in the next block
            r += 1
        matcher._next_block()


def range_scores(
    searcher: Any, terms: Iterable[tuple[str, Any, float]], ranges: list[tuple[int, int]]
) -> dict[int, float]:
    """BM25F scores of the documents inside ``ranges`` (inclusive docnum ranges, sorted) for
    any of ``terms`` (field, text, boost): ranks the passages of the hit articles without
    decoding the rest of each posting list (blocks before a range are skipped unread)."""
    ctx = _Context(searcher)
    scores: dict[int, float] = {}
    for fieldname, text, boost in terms:
        try:
            idf = searcher.idf(fieldname, text)
        except Exception:
            continue
        factor = idf * boost * (K1 + 1)
        for index, (leaf, offset) in enumerate(ctx.leaves):
            if (fieldname, text) not in leaf:
                continue
            lengths, table = ctx.norms(index, fieldname)
            local_ranges = [
                (max(start - offset, 0), end - offset)
                for start, end in ranges
                if end >= offset and start - offset < leaf.doc_count_all()
            ]
            _score_ranges(
                _leaf_matcher(leaf, fieldname, text),
                local_ranges,
                offset,
                factor,
                lengths,
                table,
                scores,
            )
    return scores
