"""BM25F ranking straight from Whoosh's posting blocks, for the query shapes people type.

Whoosh scores a query by walking a tree of matcher objects, several Python calls per posting;
its block-max skipping rarely skips on news text, so a common word (10,000 of 30,000
SaudiNewsNet articles) took 60-140 ms. The ranker here reads each term's posting blocks whole
(ids and term frequencies come back as arrays) and scores them in one tight loop with the
same BM25F formula, idf and field-length bytes Whoosh uses, so scores match Whoosh's to
rounding. Measured on SaudiNewsNet: see benchmarks/scale.py.

A posting list is read from the segment in one piece (not a seek and two reads per block
through Whoosh's compound-file layer) and kept decoded in a process-wide LRU, as are the
per-term score dicts: search as you type re-runs the same words on every keystroke. Keys name
immutable things (segment id, term, extent; idf, average length, segment layout), so an
index update never serves stale entries. Passage ranking decodes only the blocks that hold
the hit articles' passages.

It handles queries built from terms with AND, OR and AND NOT (words, their fields, prefix
completions, ``source:``). A query with anything else — phrases, date ranges — returns
``None`` from :func:`rank` and the caller lets Whoosh run it.

The ranker relies on Whoosh 2.7's W3 codec internals (block arrays, the length column); an
unexpected shape raises ``_Unsupported`` internally and the caller falls back to Whoosh.
"""

from __future__ import annotations

import heapq
import io
import pickle
import struct
import zlib
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from index.query import LimitedPrefix

K1 = 1.2  # Whoosh's BM25F defaults
B = 0.75
_LENGTHS = [byte_to_length(b) for b in range(256)]


class _Unsupported(Exception):
    pass


#: Postings kept decoded across searches, counted in postings (16 bytes each: ~32 MB).
#: Search as you type repeats the same words keystroke after keystroke, and a common word's
#: posting list (10,000 documents) costs ~10 ms to read, unpickle and decompress each time.
POSTINGS_CACHE_BUDGET = 2_000_000
_INT = struct.Struct("!i")
#: ids (segment-local, ascending), weights, and values (positions) or None
_Postings = tuple[array, array, list[Any] | None]


class _SizedLRU:
    """An LRU of decoded posting lists (or per-term scores) with a budget in postings.

    Keys name immutable things — a segment's posting list by (segment, field, term, extent);
    scores by term, idf, average length and segment layout — so an entry never goes stale
    (deletions live apart, see :func:`rank`); a rebuilt index has new segment ids."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.size = 0
        self._entries: OrderedDict[tuple[Any, ...], Any] = OrderedDict()

    def get(self, key: tuple[Any, ...]) -> Any:
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def put(self, key: tuple[Any, ...], value: Any) -> None:
        count = _size(value)
        if count > self.budget:
            return
        if key in self._entries:
            self.size -= _size(self._entries.pop(key))
        self._entries[key] = value
        self.size += count
        while self.size > self.budget:
            _, dropped = self._entries.popitem(last=False)
            self.size -= _size(dropped)

    def clear(self) -> None:
        self._entries.clear()
        self.size = 0


def _size(value: Any) -> int:
    """Budget units of a cache entry: postings (ids + weights ~16 bytes), four per posting
    that also keeps its positions (a bytes object each)."""
    if isinstance(value, tuple):
        return len(value[0]) * (4 if len(value) > 2 and value[2] is not None else 1)
    return len(value)


_CACHE = _SizedLRU(POSTINGS_CACHE_BUDGET)
#: Block directories of posting lists with their raw (compressed) bytes: budget in bytes.
_DIRECTORIES = _SizedLRU(12_000_000)
#: Single decoded blocks, for ranking the passages of a few articles.
_BLOCKS = _SizedLRU(250_000)
#: Per-term score dicts (~100 bytes an entry): repeated words skip the scoring loop.
_SCORES = _SizedLRU(200_000)
_LENGTHS_CACHE: OrderedDict[tuple[str, str], bytes] = OrderedDict()
_LENGTHS_CACHE_SIZE = 16


def clear_caches() -> None:
    """Forget decoded postings and length columns (benchmarks use it to time cold searches)."""
    _CACHE.clear()
    _DIRECTORIES.clear()
    _BLOCKS.clear()
    _SCORES.clear()
    _LENGTHS_CACHE.clear()


@dataclass(frozen=True, slots=True)
class _Block:
    """Where one posting block's data lies in the raw posting list, and its header."""

    count: int
    max_id: int
    start: int
    end: int
    compression: int


@dataclass(frozen=True, slots=True)
class _Directory:
    """A posting list read in one piece (one read through Whoosh's compound file instead of
    a seek and two reads per block) and its block headers."""

    key: tuple[Any, ...]
    raw: bytes
    blocks: tuple[_Block, ...]

    def __len__(self) -> int:  # the cache budget counts raw bytes
        return len(self.raw)


def _read_directory(key: tuple[Any, ...], raw: bytes) -> _Directory:
    if raw[:4] != WHOOSH3_HEADER_MAGIC:
        raise _Unsupported("posting header")
    blocks: list[_Block] = []
    stream = io.BytesIO(raw)
    position = 4
    while position < len(raw):
        (length,) = _INT.unpack_from(raw, position)
        following = position + _INT.size + abs(length)
        stream.seek(position + _INT.size)
        count, max_id, _maxweight, compression, _minlen, _maxlen = pickle.load(stream)
        blocks.append(_Block(count, max_id, stream.tell(), following, compression))
        position = following
        if length < 0:  # the last block
            break
    return _Directory(key, raw, tuple(blocks))


def _decode_block(directory: _Directory, block: _Block) -> tuple[Any, Any, Any]:
    """(ids, weights, values) of one block, as Whoosh's ``W3LeafMatcher`` reads them."""
    data = directory.raw[block.start : block.end]
    if block.compression:
        data = zlib.decompress(data)
    block_ids, block_weights, block_values = pickle.loads(data)
    ids = list(accumulate(block_ids))
    if block_weights is None:
        weights: Any = [1.0] * block.count
    elif isinstance(block_weights, float):  # Whoosh widens it through a float32 array
        weights = [array("f", (block_weights,))[0]] * block.count
    else:
        weights = block_weights
    return ids, weights, block_values


def _directory(leaf: Any, fieldname: str, text: Any) -> _Directory | _Postings | None:
    """The block directory of ``text`` in one segment, its inlined postings (a term in one
    document), or ``None`` when absent."""
    try:
        terms = leaf._terms
        text = leaf._text_to_bytes(fieldname, text)
        info = terms.term_info(fieldname, text)
    except TermNotFound:
        return None
    except AttributeError as error:  # Whoosh internals moved: let Whoosh rank
        raise _Unsupported(str(error)) from error
    if info.is_inlined():
        inline_ids, inline_weights, inline_values = info.inlined_postings()
        return array("q", inline_ids), array("d", inline_weights), list(inline_values)
    offset, length = info.extent()
    if isinstance(length, tuple):  # Whoosh 2.7 reads the length back as a 1-tuple
        length = length[0]
    key = (leaf._segid, fieldname, text, offset, length)
    found = _DIRECTORIES.get(key)
    if found is None:
        found = _read_directory(key, terms._postfile.get(offset, length))
        _DIRECTORIES.put(key, found)
    return found


def _postings(
    leaf: Any, fieldname: str, text: Any, *, with_values: bool = False
) -> _Postings | None:
    """(ids, weights, values or None) of ``text`` in one segment (``None`` when absent),
    decoded whole and cached; values (positions) only ``with_values``."""
    directory = _directory(leaf, fieldname, text)
    if directory is None or isinstance(directory, tuple):
        return directory
    found = _CACHE.get(directory.key)
    if found is None or (with_values and found[2] is None):
        ids = array("q")
        weights = array("d")
        values: list[Any] | None = [] if with_values else None
        for block in directory.blocks:
            block_ids, block_weights, block_values = _decode_block(directory, block)
            ids.extend(block_ids)
            weights.extend(block_weights)
            if values is not None:  # variable-size values (positions) are stored as a tuple
                values.extend(block_values)
        found = (ids, weights, values)
        _CACHE.put(directory.key, found)
    return found


class _Context:
    """Per-search caches: segments, field statistics and length bytes."""

    def __init__(self, searcher: Any) -> None:
        self.searcher = searcher
        reader = searcher.reader()
        leaves = reader.leaf_readers() if hasattr(reader, "leaf_readers") else [(reader, 0)]
        self.leaves: list[tuple[Any, int]] = [(leaf, offset) for leaf, offset in leaves]
        self.layout = tuple((getattr(leaf, "_segid", None), offset) for leaf, offset in leaves)
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
            lengths = _segment_lengths(leaf, fieldname, column)
            average = self.searcher.avg_field_length(fieldname) or 1.0
            table = [K1 * ((1 - B) + B * length / average) for length in _LENGTHS]
            cached = (lengths, table)
            self._norms[key] = cached
        return cached


def _segment_lengths(leaf: Any, fieldname: str, column: Any) -> bytes:
    """The length column of a segment's field, read once per segment (segments are immutable)."""
    if column is None:
        return b""
    key = (leaf._segid, fieldname)
    found = _LENGTHS_CACHE.get(key)
    if found is None or len(found) != column._count:
        found = column._dbfile.get(column._basepos, column._count)
        _LENGTHS_CACHE[key] = found
        while len(_LENGTHS_CACHE) > _LENGTHS_CACHE_SIZE:
            _LENGTHS_CACHE.popitem(last=False)
    else:
        _LENGTHS_CACHE.move_to_end(key)
    return found


def _term_scores(ctx: _Context, fieldname: str, text: Any, boost: float) -> dict[int, float]:
    """docnum → BM25F score of one term. The dict may come from a cache: callers copy it
    before changing it."""
    searcher = ctx.searcher
    try:
        idf = searcher.idf(fieldname, text)
    except Exception:  # term not in the field
        return {}
    # Everything the scores depend on: the term, its idf, the field's average length and the
    # segments (immutable) with their place in the index.
    key = (fieldname, text, boost, idf, searcher.avg_field_length(fieldname), ctx.layout)
    scores = _SCORES.get(key)
    if scores is None:
        scores = _score_term(ctx, fieldname, text, idf * boost * (K1 + 1))
        _SCORES.put(key, scores)
    return scores


def _score_term(ctx: _Context, fieldname: str, text: Any, factor: float) -> dict[int, float]:
    scores: dict[int, float] = {}
    for index, (leaf, offset) in enumerate(ctx.leaves):
        postings = _postings(leaf, fieldname, text)
        if postings is None:
            continue
        lengths, table = ctx.norms(index, fieldname)
        size = len(lengths)
        ids, weights, _values = postings
        if not scores and ids and ids[-1] < size:  # the usual case: one dict build, no merge
            scores = {
                docnum + offset: factor * weight / (weight + table[lengths[docnum]])
                for docnum, weight in zip(ids, weights, strict=True)
            }
            continue
        get = scores.get
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

    Positions are looked at only for documents that hold every word. Each posting list is
    decoded once, with its positions (they are in the same pickled blocks as the weights)."""
    for word in words:
        for leaf, _offset in ctx.leaves:
            _postings(leaf, fieldname, word, with_values=True)
    scores = [_term_scores(ctx, fieldname, word, boost) for word in words]
    candidates: set[int] = set(scores[0])
    for part in scores[1:]:
        candidates &= part.keys()
    if not candidates:
        return {}
    field_format = ctx.searcher.schema[fieldname].format
    decode = field_format.decode_positions
    fixed = field_format.fixed_value_size()
    if fixed is not None and fixed >= 0:
        raise _Unsupported("fixed-size values")
    positions: list[dict[int, Any]] = []
    for word in words:
        found: dict[int, Any] = {}
        for leaf, offset in ctx.leaves:
            postings = _postings(leaf, fieldname, word, with_values=True)
            if postings is None:
                continue
            for docnum, value in zip(postings[0], postings[2] or (), strict=True):
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
    copied = False
    for leaf, offset in ctx.leaves:
        if leaf.has_deletions():
            if not copied:  # it may be a cached term's dict
                scores, copied = dict(scores), True
            for local in leaf.deleted_docs_set or ():
                scores.pop(local + offset, None)
    best = heapq.nlargest(limit, scores.items(), key=lambda item: (item[1], -item[0]))
    return [(score, docnum) for docnum, score in best], len(scores)


def _range_blocks(
    leaf: Any, fieldname: str, text: Any, ranges: list[tuple[int, int]]
) -> Iterator[tuple[Any, Any]]:
    """(ids, weights) of the parts of a posting list that may hold documents in ``ranges``:
    the whole list when it is decoded already, else only the blocks that overlap a range
    (a common word's passage postings run to hundreds of blocks; a page of hits needs few)."""
    directory = _directory(leaf, fieldname, text)
    if directory is None:
        return
    if isinstance(directory, tuple):
        yield directory[0], directory[1]
        return
    whole = _CACHE.get(directory.key)
    if whole is not None:
        yield whole[0], whole[1]
        return
    r = 0
    first_id = 0  # no block starts before the previous one's max id + 1
    for block in directory.blocks:
        while r < len(ranges) and ranges[r][1] < first_id:
            r += 1
        if r == len(ranges):
            return
        if ranges[r][0] <= block.max_id:
            key = (directory.key, block.start)
            decoded = _BLOCKS.get(key)
            if decoded is None:
                decoded = _decode_block(directory, block)
                _BLOCKS.put(key, decoded)
            yield decoded[0], decoded[1]
        first_id = block.max_id + 1


def _score_ranges(
    parts: Iterable[tuple[Any, Any]],
    ranges: list[tuple[int, int]],
    offset: int,
    factor: float,
    lengths: bytes,
    table: list[float],
    scores: dict[int, float],
) -> None:
    """Add the postings inside ``ranges`` (segment-local, sorted, inclusive) to ``scores``."""
    size = len(lengths)
    for ids, weights in parts:
        low = 0
        for start, end in ranges:
            low = bisect_left(ids, start, low)
            high = bisect_right(ids, end, low)
            for i in range(low, high):
                local, weight = ids[i], weights[i]
                norm = table[lengths[local]] if local < size else table[0]
                key = local + offset
                scores[key] = scores.get(key, 0.0) + factor * weight / (weight + norm)
            low = high


def range_scores(
    searcher: Any, terms: Iterable[tuple[str, Any, float]], ranges: list[tuple[int, int]]
) -> dict[int, float]:
    """BM25F scores of the documents inside ``ranges`` (inclusive docnum ranges, sorted) for
    any of ``terms`` (field, text, boost): ranks the passages of the hit articles without
    decoding the rest of each posting list (blocks outside the ranges are skipped unread)."""
    ctx = _Context(searcher)
    scores: dict[int, float] = {}
    for fieldname, text, boost in terms:
        try:
            idf = searcher.idf(fieldname, text)
        except Exception:
            continue
        factor = idf * boost * (K1 + 1)
        for index, (leaf, offset) in enumerate(ctx.leaves):
            local_ranges = [
                (max(start - offset, 0), end - offset)
                for start, end in ranges
                if end >= offset and start - offset < leaf.doc_count_all()
            ]
            if not local_ranges:
                continue
            parts = _range_blocks(leaf, fieldname, text, local_ranges)
            lengths, table = ctx.norms(index, fieldname)
            _score_ranges(parts, local_ranges, offset, factor, lengths, table, scores)
    return scores
