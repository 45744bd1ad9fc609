"""Candidates for related passages: story neighbours (ours) against Whoosh queries (issue 5).

Usage: ``.venv/bin/python benchmarks/related_candidates.py [--limit 4000] [--sample 600]
[--no-slice] [--no-growth]``

Issue 5 asks for candidates from the Whoosh index (the passage's key terms, the own outlet
masked out, within a date window) rather than ``more_like`` with its 5 terms; the pipeline
instead takes every passage pair of *neighbour articles* (:func:`index.stories.neighbour_pairs`)
that passes :func:`index.related.link_article_pair`'s prefilter. This benchmark measures the
three side by side, in one run, on the indexes :class:`index.store.CorpusIndex` builds:

(a) ours — the prefiltered passage pairs of neighbour article pairs, recorded by running the
    pipeline's own :func:`~index.related.link_article_pair` with its scorer swapped for a
    recorder (so the prefilter is the shipped code, not a copy);
(b) Whoosh — per passage, an OR query of its top-K stems by tf-idf (passage document
    frequencies from the index) over the ``ptext`` passage documents, BM25F, filtered to the
    passages of other outlets within ±1 day (passage documents carry no source or date, so
    the filter is a docnum set built from the article documents, cached per outlet and day),
    top N hits; K = 10, 20, 30 and N = 10, 30 (N = 10 is the head of the N = 30 list);
(c) Whoosh ``more_like`` with its defaults (5 key terms, Bo1), given the same filter.

Measured:

1. candidate recall of the labelled paragraph pairs (grade 2, grade 1) of the dev set and of
   the held-out set, on the seeds alone and on the seeds inside a SaudiNewsNet slice (real
   idf, thousands of distractor passages, the neighbour step non-trivial); a Whoosh pair
   counts when either passage's query returns the other (links are stored both ways);
2. final quality when each candidate set feeds the same rerank (``score_pair``,
   ``LINK_THRESHOLD``, ``rank_links``): P@3 / R@5 / empty as benchmarks/related_quality.py;
3. cost on the slice: ms per passage (median, p95; wall and CPU), candidates per passage, the
   rerank cost those candidates imply, and extrapolations to the full corpus; plus, on the
   sampled passages, which links (score >= threshold) each candidate set finds of the union.
"""

from __future__ import annotations

import argparse
import heapq
import json
import math
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

import related_quality  # noqa: E402
from whoosh import query as wq  # noqa: E402

from index import (  # noqa: E402
    fastrank,
    related,
    stories,
)
from index.models import Article  # noqa: E402
from index.related import (  # noqa: E402
    LINK_THRESHOLD,
    AnalysedPassage,
    Idf,
    PairScore,
    analyse_article,
    link_article_pair,
    outlet_of,
    rank_links,
    score_pair,
)
from index.store import CorpusIndex  # noqa: E402
from index.stories import (  # noqa: E402
    article_terms,
    document_frequencies,
    neighbour_pairs,
    profile,
    similarities,
)

SHARED = REPO.parent / "shared"
DEFAULT_DEV = SHARED / "eval" / "related_dev.json"
DEFAULT_HELDOUT = REPO / "benchmarks" / "data" / "related_heldout_seeds.json"
DEFAULT_CORPUS = SHARED / "corpora" / "saudinewsnet"
FULL_CORPUS_PASSAGES = 267_856
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


# -------------------------------------------------------------------------- gold sets
def _paragraph(corpus: Corpus, pid: str) -> tuple[str, int]:
    aid = pid.rsplit(":", 1)[0]
    article = corpus.articles[aid]
    passage = article.passage(pid)
    assert passage is not None
    return aid, related_quality.paragraph_index(article, passage.start)


def _seed_articles(corpus: Corpus) -> dict[str, Article]:
    """The seed articles only (``related_quality.locate`` picks an article by id prefix)."""
    return {aid: a for aid, a in corpus.articles.items() if aid[:3].isdigit() and "_" in aid}


def gold_pairs(corpus: Corpus, gold: dict) -> list[tuple[str, tuple[str, int], int]]:
    """(query passage id, labelled paragraph, grade) of every labelled pair."""
    seeds = _seed_articles(corpus)
    out = []
    for q in gold["queries"]:
        article, _, at = related_quality.locate(seeds, *q["query"])
        source = related_quality.passage_at(article, at).id
        for seed, snippet, grade in q["related"]:
            _, key, _ = related_quality.locate(seeds, seed, snippet)
            out.append((source, key, grade))
    return out


def recall(
    corpus: Corpus, pairs: list[tuple[str, tuple[str, int], int]], cands: Candidates
) -> dict[int, tuple[int, int]]:
    """Per grade: (labelled pairs among the candidates, labelled pairs)."""
    out: dict[int, list[int]] = {1: [0, 0], 2: [0, 0]}
    for source, key, grade in pairs:
        covered = any(_paragraph(corpus, c) == key for c in cands.get(source, ()))
        out[grade][0] += int(covered)
        out[grade][1] += 1
    return {g: (x[0], x[1]) for g, x in out.items()}


def reranked(corpus: Corpus, cands: Candidates) -> Callable[[str], list[str]]:
    """The panel of a passage when its candidates go through the shipped rerank."""

    def ranked(pid: str) -> list[str]:
        a = corpus.by_pid[pid]
        links = []
        for c in cands.get(pid, ()):
            b = corpus.by_pid[c]
            pair = score_pair(a, b, corpus.idf)
            if pair.score >= LINK_THRESHOLD:
                links.append(related._link(a, b, pair))
        return [link.target_passage_id for link in rank_links(links)]

    return ranked


def seed_passages(corpus: Corpus) -> list[AnalysedPassage]:
    return [p for aid in _seed_articles(corpus) for p in corpus.analysed[aid]]


@dataclass
class GoldRow:
    name: str
    per_passage: float
    recall: dict[str, dict[int, tuple[int, int]]]
    quality: dict[str, related_quality.Metrics]
    #: (gold set, no-counterpart passage, its first link, that link's score): panels that
    #: should be empty
    wrong: list[tuple[str, str, str, float]] = field(default_factory=list)


def gold_rows(
    corpus: Corpus, golds: dict[str, dict], ours: Candidates, whoosh: dict[str, Candidates]
) -> list[GoldRow]:
    rows = []
    seeds = _seed_articles(corpus)
    # seeds first: related_quality.locate takes the first article whose id has the seed prefix
    ordered = {**seeds, **corpus.articles}
    seed_pids = [p.passage.id for p in seed_passages(corpus)]
    for name, cands in [("ours (neighbour pairs + prefilter)", ours), *whoosh.items()]:
        per = statistics.mean(len(cands.get(pid, ())) for pid in seed_pids)
        rec = {}
        qual = {}
        wrong: list[tuple[str, str, str, float]] = []
        for gname, gold in golds.items():
            rec[gname] = recall(corpus, gold_pairs(corpus, gold), cands)
            ranked = reranked(corpus, cands)
            qual[gname] = related_quality.evaluate(ordered, gold, ranked)
            for seed, snippet in gold["no_counterpart"]:
                article, _, at = related_quality.locate(seeds, seed, snippet)
                pid = related_quality.passage_at(article, at).id
                shown = ranked(pid)
                if shown:
                    score = score_pair(corpus.by_pid[pid], corpus.by_pid[shown[0]], corpus.idf)
                    wrong.append((gname, pid, shown[0], score.score))
        rows.append(GoldRow(name, per, rec, qual, wrong))
    return rows


def print_gold(title: str, rows: list[GoldRow], golds: dict[str, dict], show: int = 0) -> None:
    print(f"\n## {title}")
    head = f"{'candidates':38} {'cand/psg':>8}"
    for g in golds:
        head += f" | {g}: g2 rec  g1 rec   P@3   R@5 empty"
    print(head)
    for row in rows:
        line = f"{row.name:38} {row.per_passage:8.1f}"
        for g in golds:
            (c2, t2), (c1, t1) = row.recall[g][2], row.recall[g][1]
            m = row.quality[g]
            line += (
                f" | {g:>{len(g)}}  {c2:>2}/{t2:<3} {c1:>2}/{t1:<3}"
                f" {m.p_at_3:5.3f} {m.r_at_5:5.3f} {m.empty:>2}/{m.empty_total}"
            )
        print(line)
    for row in rows if show else ():
        for gname, pid, target, score in row.wrong:
            seed = "SaudiNewsNet" if "#" in target else "seed"
            print(f"  {row.name}: {gname} no-counterpart {pid} -> {target} ({seed}) {score:.3f}")


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


def evaluate_gold(
    corpus: Corpus, golds: dict[str, dict], title: str, ours: Ours, show: int = 0
) -> None:
    with corpus.index.searcher() as searcher:
        w = WhooshCandidates(corpus, searcher)
        raw, _ = run_whoosh_on(seed_passages(corpus), w, fast=False)
    whoosh = {name: symmetric(d) for name, d in variants(raw).items()}
    print_gold(title, gold_rows(corpus, golds, ours.candidates, whoosh), golds, show)


# -------------------------------------------------------------------------- slice cost
def _pct(xs: Sequence[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(q * len(s)))]


def write_slice(corpus_dir: Path, limit: int, out: Path) -> int:
    """The first ``limit`` SaudiNewsNet articles (in load order) as day JSON files in ``out``
    (a temporary directory: the corpus is never copied into the repo). Same ids as the zips."""
    written = 0
    for archive in sorted(corpus_dir.glob("*.zip")):
        if written >= limit:
            break
        with zipfile.ZipFile(archive) as z:
            member = next(m for m in z.namelist() if m.endswith(".json"))
            records = json.loads(z.read(member))
        records = records[: limit - written]
        (out / f"{archive.stem}.json").write_text(json.dumps(records, ensure_ascii=False), "utf-8")
        written += len(records)
    return written


def _article_pair(x: str, y: str) -> tuple[str, str]:
    a, b = x.rsplit(":", 1)[0], y.rsplit(":", 1)[0]
    return (a, b) if a < b else (b, a)


def missed_breakdown(
    corpus: Corpus, ours: Ours, missed: dict[tuple[str, str], float], show: int = 0
) -> None:
    """Why links some Whoosh method finds are not among ours' candidates: where their article
    pair stands in the neighbour step, and how strong the links are (``show`` examples each)."""
    kinds: Counter[str] = Counter()
    labels: Counter[str] = Counter()
    examples: dict[str, list[tuple[float, str, str]]] = defaultdict(list)
    for (x, y), score in sorted(missed.items()):
        key = _article_pair(x, y)
        sim = ours.similarity.get(key)
        if key in ours.pairs:
            kind = "neighbour article pair, passage pair under the prefilter"
        elif sim is not None and sim >= stories.NEIGHBOUR_FLOOR:
            kind = (
                f"similar articles (>= {stories.NEIGHBOUR_FLOOR}), "
                f"not top-{stories.MAX_NEIGHBOURS} for either"
            )
        elif sim is not None:
            kind = f"article cosine {stories.MIN_SIMILARITY}-{stories.NEIGHBOUR_FLOOR}"
        else:
            kind = f"article cosine < {stories.MIN_SIMILARITY} (or outside the window)"
        kinds[kind] += 1
        labels[related.label_for(score)] += 1
        examples[kind].append((score, x, y))
    print(f"links found by a Whoosh method and not among ours' candidates: {len(missed)}")
    for kind, count in kinds.most_common():
        print(f"  {count:5}  {kind}")
    print("  by label: " + ", ".join(f"{k} {v}" for k, v in labels.most_common()))
    if missed:
        scores = sorted(missed.values())
        print(
            f"  score p50 {_pct(scores, 0.5):.3f}  p90 {_pct(scores, 0.9):.3f}  max {scores[-1]:.3f}"
        )
    rng = random.Random(11)
    for kind, found in examples.items() if show else ():
        print(f"  examples: {kind}")
        for score, x, y in rng.sample(found, min(show, len(found))):
            a, b = corpus.by_pid[x].passage.text, corpus.by_pid[y].passage.text
            print(f"    {score:.3f} {x} <-> {y}\n      {a[:160]!r}\n      {b[:160]!r}")


def slice_cost(
    corpus: Corpus,
    sample_size: int,
    label: str,
    ours: Ours,
    neighbours: Sequence[int],
    show: int = 0,
) -> dict[str, Any]:
    """Times of (a) on the whole slice and of every Whoosh method on a passage sample, the
    candidates each yields, and which links (rerank at the threshold) each finds."""
    print(f"\n## cost on {label}: {len(corpus.articles)} articles, {corpus.passages} passages")
    variants_a: dict[str, Ours] = {f"ours (MAX_NEIGHBOURS {stories.MAX_NEIGHBOURS}, shipped)": ours}
    for m in neighbours:
        variants_a[f"ours, MAX_NEIGHBOURS {m}"] = ours_candidates(corpus, m)
    for name, o in variants_a.items():
        steps = ", ".join(f"{k} {v:.2f}s" for k, v in o.timings.items() if not k.endswith("cpu"))
        n_pairs = sum(len(v) for v in o.candidates.values()) // 2
        print(
            f"(a) {name}: {len(o.pairs)} neighbour article pairs; {steps}; total {o.wall:.2f}s "
            f"wall / {o.cpu:.2f}s CPU = {o.wall / corpus.passages * 1000:.3f} ms wall, "
            f"{o.cpu / corpus.passages * 1000:.3f} ms CPU per passage; {n_pairs} candidate "
            f"pairs, {2 * n_pairs / corpus.passages:.1f} per passage"
        )
    rng = random.Random(7)
    every = [p for ps in corpus.analysed.values() for p in ps]
    sample = rng.sample(every, min(sample_size, len(every)))
    with corpus.index.searcher() as searcher:
        w = WhooshCandidates(corpus, searcher)
        t = time.perf_counter()
        for p in sample:
            w.allowed(p)
        masks = time.perf_counter() - t
        raw, times = run_whoosh_on(sample, w)
    print(
        f"(b) filters (other outlets, ±{WINDOW_DAYS} day) for {len(w._allowed)} outlet-days: "
        f"{masks:.2f}s (once); {len(sample)} sampled passages, each method in turn"
    )
    result: dict[str, Any] = {
        "articles": len(corpus.articles),
        "passages": corpus.passages,
        "ours": {name: (o.wall, o.cpu) for name, o in variants_a.items()},
        "whoosh": {},
    }
    print(
        f"{'method (ms/passage)':22} {'wall p50':>9} {'p95':>7} {'mean':>7} {'cpu p50':>8} {'p95':>7} {'mean':>7}"
    )
    for name, xs in times.items():
        walls = [x[0] for x in xs]
        cpus = [x[1] for x in xs]
        result["whoosh"][name] = {"mean": statistics.mean(walls), "cpu_mean": statistics.mean(cpus)}
        print(
            f"{name:22} {statistics.median(walls):9.2f} {_pct(walls, 0.95):7.2f} "
            f"{statistics.mean(walls):7.2f} {statistics.median(cpus):8.2f} {_pct(cpus, 0.95):7.2f} "
            f"{statistics.mean(cpus):7.2f}"
        )
    for k in KS:
        whoosh_k, fast_k = raw[f"K{k}"], raw[f"fastrank K{k}"]
        same = [
            len(set(whoosh_k[pid]) & set(fast_k[pid])) / len(whoosh_k[pid])
            for pid in whoosh_k
            if whoosh_k[pid]
        ]
        if same:
            print(
                f"  fastrank K{k} returns {statistics.mean(same):.1%} of Whoosh K{k}'s top "
                f"{max(NS)} (ties broken differently)"
            )
    # links (rerank at the threshold) each candidate set finds for the sampled passages
    directed = {k: v for k, v in variants(raw).items() if "fastrank" not in k}
    score_cache: dict[tuple[str, str], float | None] = {}
    score_time = [0.0, 0]

    def link(a: str, b: str) -> bool:
        key = (a, b)
        if key not in score_cache:
            t0 = time.process_time()
            pair = related._score(corpus.by_pid[a], corpus.by_pid[b], corpus.idf, LINK_THRESHOLD)
            score_time[0] += time.process_time() - t0
            score_time[1] += 1
            score_cache[key] = pair.score if pair is not None else None
        s = score_cache[key]
        return s is not None and s >= LINK_THRESHOLD

    found: dict[str, set[tuple[str, str]]] = {}
    per_passage: dict[str, float] = {}
    for name, o in variants_a.items():
        found[name] = {
            (p.passage.id, c)
            for p in sample
            for c in o.candidates.get(p.passage.id, ())
            if link(p.passage.id, c)
        }
        per_passage[name] = statistics.mean(len(o.candidates.get(p.passage.id, ())) for p in sample)
    for name, lists in directed.items():
        found[name] = {(pid, c) for pid, hits in lists.items() for c in hits if link(pid, c)}
        per_passage[name] = statistics.mean(len(v) for v in lists.values())
    union = set().union(*found.values())
    per_pair_ms = score_time[0] / max(1, score_time[1]) * 1000
    print(
        f"\nlinks (score >= {LINK_THRESHOLD}) from the {len(sample)} sampled passages: union of all "
        f"methods {len(union)}; rerank {per_pair_ms:.3f} ms CPU per candidate pair"
    )
    print(f"{'candidates':40} {'cand/psg':>8} {'links':>6} {'of union':>8} {'only this':>9}")
    for name, links in found.items():
        others = set().union(*(v for k, v in found.items() if k != name))
        print(
            f"{name:40} {per_passage[name]:8.1f} {len(links):6} "
            f"{len(links) / max(1, len(union)):8.1%} {len(links - others):9}"
        )
    shipped = found[next(iter(variants_a))]
    whoosh_links = set().union(*(v for k, v in found.items() if k.startswith("whoosh")))
    missed = {pair: score_cache[pair] or 0.0 for pair in whoosh_links - shipped}
    missed_breakdown(corpus, ours, missed, show)
    rng = random.Random(13)
    if show:
        print(f"  examples: links among ours' candidates ({len(shipped)})")
    for x, y in rng.sample(sorted(shipped), min(show, len(shipped))):
        a, b = corpus.by_pid[x].passage.text, corpus.by_pid[y].passage.text
        print(
            f"    {score_cache[(x, y)] or 0.0:.3f} {x} <-> {y}\n      {a[:160]!r}\n      {b[:160]!r}"
        )
    kept = sorted(score_cache[pair] or 0.0 for pair in shipped)
    if kept:
        print(f"  (ours' links: score p50 {_pct(kept, 0.5):.3f}, p90 {_pct(kept, 0.9):.3f})")
    result["per_pair_ms"] = per_pair_ms
    result["per_passage"] = per_passage
    return result


def print_extrapolation(small: dict[str, Any] | None, large: dict[str, Any]) -> None:
    """Full-corpus CPU time of candidate generation: (a) per passage x passages; Whoosh per
    passage x passages, flat and with the per-query cost growing with the index as measured
    between the two slices (a power law through the two points)."""
    n_full = FULL_CORPUS_PASSAGES
    print(f"\n## extrapolation to {n_full:,} passages: candidate generation, CPU seconds")
    for name, (_, cpu) in large["ours"].items():
        print(f"(a) {name:38} {cpu / large['passages'] * n_full:8.0f} s (linear in passages)")
    for name, t in large["whoosh"].items():
        flat = t["cpu_mean"] * n_full / 1000
        line = f"(b) {name:38} {flat:8.0f} s flat"
        if small is not None:
            t_small = small["whoosh"][name]["cpu_mean"]
            ratio = large["passages"] / small["passages"]
            exponent = math.log(max(1e-9, t["cpu_mean"] / t_small)) / math.log(ratio)
            grown = t["cpu_mean"] * (n_full / large["passages"]) ** max(0.0, exponent)
            line += f"; query cost ~ size^{exponent:.2f} -> {grown * n_full / 1000:8.0f} s"
        print(line)
    per_pair = large["per_pair_ms"]
    print(f"rerank of the candidates ({per_pair:.3f} ms CPU per pair), full corpus:")
    for name, per in large["per_passage"].items():
        print(f"  {name:40} {per:5.1f} per passage -> {per * per_pair * n_full / 1000:6.0f} s")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV)
    parser.add_argument("--heldout", type=Path, default=DEFAULT_HELDOUT)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument(
        "--limit", type=int, default=4000, help="SaudiNewsNet articles in the slice"
    )
    parser.add_argument("--sample", type=int, default=500, help="passages timed per method")
    parser.add_argument("--no-slice", action="store_true", help="seeds only, no SaudiNewsNet")
    parser.add_argument(
        "--neighbours", type=int, nargs="*", default=[10, 20], help="MAX_NEIGHBOURS variants of (a)"
    )
    parser.add_argument("--examples", type=int, default=0, help="missed links shown per kind")
    parser.add_argument("--no-growth", action="store_true", help="skip the half-size slice")
    args = parser.parse_args(argv)
    if not args.dev.is_file():
        print(f"{args.dev} not found: the dev set lives in ../shared/eval/", file=sys.stderr)
        return 2
    golds = {"dev": json.loads(args.dev.read_text(encoding="utf-8"))}
    if args.heldout.is_file():
        golds["heldout"] = json.loads(args.heldout.read_text(encoding="utf-8"))
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        os.environ["NEWSREADER_HOME"] = str(tmp / "home")
        seeds = open_corpus([REPO / "seeds"], tmp / "ix-seeds")
        evaluate_gold(
            seeds,
            golds,
            f"seeds alone ({len(seeds.articles)} articles, {seeds.passages} passages)",
            ours_candidates(seeds),
            args.examples,
        )
        seeds.index.close()
        if args.no_slice or not args.corpus.exists():
            return 0
        results: list[dict[str, Any]] = []
        sizes = [args.limit] if args.no_growth else [args.limit // 2, args.limit]
        for size in sizes:
            slice_dir = tmp / f"slice-{size}"
            slice_dir.mkdir()
            written = write_slice(args.corpus, size, slice_dir)
            corpus = open_corpus([REPO / "seeds", slice_dir], tmp / f"ix-{size}")
            print(
                f"\nindexed seeds + {written} SaudiNewsNet articles: Whoosh build "
                f"{corpus.timings['whoosh build']:.1f}s, passage analysis "
                f"{corpus.timings['analyse passages']:.1f}s (not counted: both need it)"
            )
            ours = ours_candidates(corpus)
            if size == args.limit:
                evaluate_gold(
                    corpus,
                    golds,
                    f"seeds inside the SaudiNewsNet slice ({len(corpus.articles)} articles, "
                    f"{corpus.passages} passages)",
                    ours,
                    args.examples,
                )
            neighbours = args.neighbours if size == args.limit else []
            label = f"seeds + {written} SaudiNewsNet"
            show = args.examples if size == args.limit else 0
            results.append(slice_cost(corpus, args.sample, label, ours, neighbours, show))
            corpus.index.close()
        print_extrapolation(results[0] if len(results) > 1 else None, results[-1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
