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

The generators (a)-(c) are in ``candidate_generators.py``, the cost on the slice (3) in
``candidate_cost.py``; this script evaluates on the gold sets (1, 2) and runs it all.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import related_quality
from _common import REPO, SAUDINEWSNET, SHARED, machine_line, write_slice
from candidate_cost import print_extrapolation, slice_cost
from candidate_generators import (
    Candidates,
    Corpus,
    Ours,
    WhooshCandidates,
    open_corpus,
    ours_candidates,
    run_whoosh_on,
    symmetric,
    variants,
)

from index import related
from index.models import Article
from index.related import (
    LINK_THRESHOLD,
    AnalysedPassage,
    rank_links,
    score_pair,
)

DEFAULT_DEV = SHARED / "eval" / "related_dev.json"
DEFAULT_HELDOUT = REPO / "benchmarks" / "data" / "related_heldout_seeds.json"


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


def evaluate_gold(
    corpus: Corpus, golds: dict[str, dict], title: str, ours: Ours, show: int = 0
) -> None:
    with corpus.index.searcher() as searcher:
        w = WhooshCandidates(corpus, searcher)
        raw, _ = run_whoosh_on(seed_passages(corpus), w, fast=False)
    whoosh = {name: symmetric(d) for name, d in variants(raw).items()}
    print_gold(title, gold_rows(corpus, golds, ours.candidates, whoosh), golds, show)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV)
    parser.add_argument("--heldout", type=Path, default=DEFAULT_HELDOUT)
    parser.add_argument("--corpus", type=Path, default=SAUDINEWSNET)
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
    print(machine_line())
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
