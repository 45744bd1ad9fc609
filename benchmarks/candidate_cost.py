"""Cost of the candidate generators on a SaudiNewsNet slice, for ``related_candidates.py``.

(a) is timed on the whole slice, every Whoosh method per passage on a seeded sample; each
candidate set then goes through the shipped rerank (``related._score`` at ``LINK_THRESHOLD``), to
count which links each finds of the union and why ours misses the ones only Whoosh finds.
:func:`print_extrapolation` scales the CPU seconds to the full corpus. The machine is shared:
wall times are noisy, CPU times say how much work was done.
"""

from __future__ import annotations

import math
import random
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from candidate_generators import (
    KS,
    NS,
    WINDOW_DAYS,
    Corpus,
    Ours,
    WhooshCandidates,
    ours_candidates,
    run_whoosh_on,
    variants,
)

from index import related, stories
from index.related import LINK_THRESHOLD

#: Passages of all of SaudiNewsNet, what the extrapolation scales to.
FULL_CORPUS_PASSAGES = 267_856


def _pct(xs: Sequence[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(q * len(s)))]


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
