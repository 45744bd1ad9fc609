"""Candidate generators for related passages, measured by ``related_candidates.py`` (issue 5).

(a) ours: the pipeline's story-neighbour passage pairs that pass the shipped prefilter;
(b) Whoosh: per passage, an OR query of its top-K tf-idf stems over the passage documents,
    filtered to other outlets within ±:data:`WINDOW_DAYS` days, BM25F (also scored by
    :mod:`index.fastrank`, for the cost only);
(c) Whoosh ``more_like`` with its defaults, given the same filter.

Kept apart from the measuring and reporting so that what is generated (and how it is timed per
passage) reads in one place; ``related_candidates.py``'s docstring says what is measured.
"""

from __future__ import annotations

import heapq
import math
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import _common  # noqa: F401  (puts this checkout's index/ first on sys.path)
from whoosh import query as wq

from index import (
    fastrank,
    related,
    stories,
)
from index.models import Article
from index.related import (
    AnalysedPassage,
    Idf,
    PairScore,
    analyse_article,
    link_article_pair,
    outlet_of,
)
from index.store import CorpusIndex
from index.stories import (
    article_terms,
    document_frequencies,
    neighbour_pairs,
    profile,
    similarities,
)

KS = (10, 20, 30)
NS = (10, 30)
WINDOW_DAYS = 1

Candidates = dict[str, set[str]]  # passage id -> candidate passage ids


@dataclass
class Corpus:
    """An indexed corpus with what both candidate generators and the rerank need."""

    index: CorpusIndex
    articles: dict[str, Article]
    analysed: dict[str, list[AnalysedPassage]]
    by_pid: dict[str, AnalysedPassage]
    idf: Idf
    docnum_of: dict[str, int]
    pid_of: dict[int, str]
    day: dict[str, int | None]
    passages: int = 0
    timings: dict[str, float] = field(default_factory=dict)


@contextmanager
def clock(timings: dict[str, float], name: str) -> Iterator[None]:
    """Record wall and CPU seconds of a block under ``name`` and ``name + " cpu"``."""
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    timings[name] = timings.get(name, 0.0) + time.perf_counter() - wall
    timings[name + " cpu"] = timings.get(name + " cpu", 0.0) + time.process_time() - cpu


def _day(date: str | None) -> int | None:
    if not date:
        return None
    try:
        import datetime as dt

        return dt.date.fromisoformat(date[:10]).toordinal()
    except ValueError:
        return None


def open_corpus(paths: Sequence[Path], root: Path) -> Corpus:
    """Build the Whoosh index of ``paths`` under ``root`` and analyse its articles as indexed."""
    timings: dict[str, float] = {}
    with clock(timings, "whoosh build"):
        index = CorpusIndex.open(list(paths), index_root=root, update=True)
    articles = {a.id: a for a in index.articles()}
    with clock(timings, "analyse passages"):
        analysed = {aid: analyse_article(a) for aid, a in articles.items()}
        idf = Idf.from_passages(p for ps in analysed.values() for p in ps)
    docnum_of: dict[str, int] = {}
    with index.searcher() as searcher:
        assert searcher is not None, index.status.message
        for docnum, fields in searcher.reader().iter_docs():
            if fields.get("kind") == "passage":
                docnum_of[fields["id"]] = docnum
    return Corpus(
        index=index,
        articles=articles,
        analysed=analysed,
        by_pid={p.passage.id: p for ps in analysed.values() for p in ps},
        idf=idf,
        docnum_of=docnum_of,
        pid_of={d: pid for pid, d in docnum_of.items()},
        day={aid: _day(a.date) for aid, a in articles.items()},
        passages=len(docnum_of),
        timings=timings,
    )


# ------------------------------------------------------------------------------ (a) ours
@dataclass
class Ours:
    """(a): the candidate pairs, the time of each step, the article pairs and similarities."""

    candidates: Candidates
    timings: dict[str, float]
    pairs: set[tuple[str, str]]
    similarity: dict[tuple[str, str], float]

    @property
    def wall(self) -> float:
        return sum(v for k, v in self.timings.items() if not k.endswith("cpu"))

    @property
    def cpu(self) -> float:
        return sum(v for k, v in self.timings.items() if k.endswith("cpu"))


def ours_candidates(corpus: Corpus, max_neighbours: int | None = None) -> Ours:
    """The pipeline's candidate passage pairs (symmetric). Steps as
    :func:`index.related_pipeline.compute_all` runs them; passage analysis is not counted (the
    rerank needs it whatever the candidates). ``max_neighbours`` overrides
    :data:`index.stories.MAX_NEIGHBOURS` for this call (what more neighbours would cost/find)."""
    timings: dict[str, float] = {}
    articles = list(corpus.articles.values())
    analysed = corpus.analysed
    with clock(timings, "profiles"):
        terms = {
            a.id: article_terms(a, (w.stem for p in analysed[a.id] for w in p.words if not w.stop))
            for a in articles
        }
        df, n = document_frequencies(articles, terms)
        profiles = {a.id: profile(a, df, n, terms[a.id]) for a in articles}
    with clock(timings, "similarities"):
        similarity = similarities(profiles)
    shipped = stories.MAX_NEIGHBOURS
    stories.MAX_NEIGHBOURS = shipped if max_neighbours is None else max_neighbours
    try:
        with clock(timings, "neighbour pairs"):
            pairs = neighbour_pairs(profiles, similarity)
    finally:
        stories.MAX_NEIGHBOURS = shipped
    found: list[tuple[str, str]] = []

    def record(
        a: AnalysedPassage, b: AnalysedPassage, idf: Idf, threshold: float | None
    ) -> PairScore | None:
        found.append((a.passage.id, b.passage.id))
        return None

    original = related._score
    related._score = record  # the shipped prefilter runs; the pairs it passes are recorded
    try:
        with clock(timings, "prefilter"):
            for x, y in pairs:
                link_article_pair(analysed[x], analysed[y], corpus.idf)
    finally:
        related._score = original
    candidates: Candidates = defaultdict(set)
    for x, y in found:
        candidates[x].add(y)
        candidates[y].add(x)
    return Ours(candidates, timings, set(pairs), similarity)


# ------------------------------------------------------------------------- (b), (c) Whoosh
class WhooshCandidates:
    """Per-passage queries over the passage documents of a :class:`CorpusIndex`."""

    def __init__(self, corpus: Corpus, searcher: Any) -> None:
        self.corpus = corpus
        self.searcher = searcher
        self.n_docs = max(1, corpus.passages)
        self._df: dict[str, int] = {}
        self._allowed: dict[tuple[str, int | None], set[int]] = {}
        self.by_day: dict[int | None, list[tuple[str, int]]] = defaultdict(list)
        for aid, article in corpus.articles.items():
            outlet = outlet_of(article)
            for p in article.passages:
                self.by_day[corpus.day[aid]].append((outlet, corpus.docnum_of[p.id]))
        self.known_days = sorted(d for d in self.by_day if d is not None)

    def allowed(self, p: AnalysedPassage) -> set[int]:
        """Passage docnums of other outlets within the date window (any day when a date is
        unknown), cached per (outlet, day)."""
        day = self.corpus.day[p.passage.article_id]
        key = (p.outlet, day)
        found = self._allowed.get(key)
        if found is None:
            days: Iterable[int | None]
            if day is None:
                days = [None, *self.known_days]
            else:
                days = [None, *range(day - WINDOW_DAYS, day + WINDOW_DAYS + 1)]
            found = {
                docnum
                for d in days
                for outlet, docnum in self.by_day.get(d, ())
                if outlet != p.outlet
            }
            self._allowed[key] = found
        return found

    def key_terms(self, p: AnalysedPassage, k: int) -> list[str]:
        """The passage's ``k`` stems with the highest tf-idf, passage df read from the index."""
        counts = Counter(w.stem for w in p.words if not w.stop)
        weights: list[tuple[float, str]] = []
        for term, tf in counts.items():
            df = self._df.get(term)
            if df is None:
                df = self._df[term] = self.searcher.doc_frequency("ptext", term)
            weights.append(((1 + math.log(tf)) * math.log(1 + self.n_docs / max(1, df)), term))
        weights.sort(key=lambda wt: (-wt[0], wt[1]))
        return [term for _, term in weights[:k]]

    def query(self, p: AnalysedPassage, k: int, n: int) -> list[str]:
        terms = self.key_terms(p, k)
        allowed = self.allowed(p)
        if not terms or not allowed:  # Whoosh reads an empty filter set as "no filter"
            return []
        q = wq.Or([wq.Term("ptext", t) for t in terms])
        results = self.searcher.search(q, limit=n, filter=allowed)
        return [self.corpus.pid_of[docnum] for _, docnum in results.top_n]

    def fast_query(self, p: AnalysedPassage, k: int, n: int) -> list[str]:
        """:meth:`query` scored by :mod:`index.fastrank` (the search's posting-block reader,
        same BM25F) instead of Whoosh's matchers: what the query costs at best on this index."""
        terms = self.key_terms(p, k)
        if not terms:
            return []
        scores = fastrank._evaluate(
            fastrank._Context(self.searcher), wq.Or([wq.Term("ptext", t) for t in terms])
        )
        allowed = self.allowed(p)
        best = heapq.nlargest(n, ((s, -d) for d, s in scores.items() if d in allowed))
        return [self.corpus.pid_of[-d] for _, d in best]

    def more_like(self, p: AnalysedPassage, n: int) -> list[str]:
        allowed = self.allowed(p)
        if not allowed:
            return []
        results = self.searcher.more_like(
            self.corpus.docnum_of[p.passage.id],
            "ptext",
            text=p.passage.text,
            top=n,
            filter=allowed,
        )
        return [self.corpus.pid_of[docnum] for _, docnum in results.top_n]


def whoosh_methods(w: WhooshCandidates) -> dict[str, Callable[[AnalysedPassage], list[str]]]:
    """Query runners, one per (K, max N) and more_like; N = 10 is read off the N = 30 list."""

    def query_with(k: int) -> Callable[[AnalysedPassage], list[str]]:
        return lambda p: w.query(p, k, max(NS))

    def fast_with(k: int) -> Callable[[AnalysedPassage], list[str]]:
        return lambda p: w.fast_query(p, k, max(NS))

    methods = {f"K{k}": query_with(k) for k in KS}
    methods.update({f"fastrank K{k}": fast_with(k) for k in KS})
    methods["more_like"] = lambda p: w.more_like(p, max(NS))
    return methods


def variants(raw: dict[str, dict[str, list[str]]]) -> dict[str, dict[str, list[str]]]:
    """Directed candidate lists per reported method name ("whoosh K20 N10", ...)."""
    out: dict[str, dict[str, list[str]]] = {}
    for method, lists in raw.items():
        for n in NS:
            name = f"whoosh more_like N{n}" if method == "more_like" else f"whoosh {method} N{n}"
            out[name] = {pid: hits[:n] for pid, hits in lists.items()}
    return out


def symmetric(directed: dict[str, list[str]]) -> Candidates:
    out: Candidates = defaultdict(set)
    for pid, hits in directed.items():
        for hit in hits:
            out[pid].add(hit)
            out[hit].add(pid)
    return out


def run_whoosh_on(
    passages: Sequence[AnalysedPassage], w: WhooshCandidates, *, fast: bool = True
) -> tuple[dict[str, dict[str, list[str]]], dict[str, list[tuple[float, float]]]]:
    """Every method's directed hits for ``passages`` and per-passage (wall ms, cpu ms).
    ``fast=False`` leaves out the fastrank runs (same ranking as Whoosh's, cost only)."""
    raw: dict[str, dict[str, list[str]]] = defaultdict(dict)
    times: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for name, method in whoosh_methods(w).items():
        if name.startswith("fastrank") and not fast:
            continue
        for p in passages:
            wall, cpu = time.perf_counter(), time.process_time()
            raw[name][p.passage.id] = method(p)
            times[name].append(
                ((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000)
            )
    return raw, times
