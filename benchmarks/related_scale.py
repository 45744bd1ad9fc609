"""Scale of the related-passage pipeline on SaudiNewsNet (31k articles, 14 outlets, 2 months).

Usage: ``.venv/bin/python benchmarks/related_scale.py [--corpus DIR] [--limit N] [--lookups N]``

Loads the corpus (not timed as ours: the text index pays it too), then times the full
computation — profiles and similarities, text links, stories, claims and number links — with
the SQLite write (``RelatedStore.rebuild``), and ``RelatedStore.links_for`` / ``numbers_for``
lookups on random passages (p50/p95/max). CPU time is reported beside wall time: the machine
is shared, so wall time depends on the other jobs running. Also prints counts that say whether the output is sane: stories and their sizes,
passages with links, links per linked passage, disagreements.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import SAUDINEWSNET, corpus_present, load_articles, machine_line

from index.claims_compare import disagreements
from index.links_store import RelatedStore


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=SAUDINEWSNET)
    parser.add_argument("--limit", type=int, default=0, help="use only the first N articles")
    parser.add_argument("--lookups", type=int, default=2000)
    args = parser.parse_args()
    if not corpus_present(args.corpus):
        return 2
    print(machine_line())
    started = time.perf_counter()
    articles = load_articles([args.corpus], args.limit)
    passages = sum(len(a.passages) for a in articles)
    print(
        f"loaded {len(articles)} articles, {passages} passages in {time.perf_counter() - started:.1f}s (not ours)"
    )

    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = RelatedStore.open(Path(tmp))
        t = time.perf_counter()
        cpu = time.process_time()
        result = store.rebuild(articles)
        timings["rebuild (whole pipeline + SQLite write), wall"] = time.perf_counter() - t
        timings["rebuild, CPU of this process"] = time.process_time() - cpu
        linked = [pid for pid, links in result.links.items() if links]
        sizes = sorted((len(s.article_ids) for s in result.stories), reverse=True)
        multi_outlet = sum(1 for s in result.stories if len(s.sources) >= 2)
        flagged = sum(
            len(disagreements([c for a in s.article_ids for c in result.claims.get(a, [])]))
            for s in result.stories
        )
        print(
            f"stories: {len(result.stories)} ({multi_outlet} with 2+ outlets), largest {sizes[:10]}, "
            f"articles in stories {sum(sizes)}"
        )
        print(
            f"passages with links: {len(linked)} of {passages}; links per linked passage "
            f"{statistics.mean(len(result.links[p]) for p in linked):.2f}; disagreements flagged {flagged}"
        )
        rng = random.Random(7)
        all_pids = [p.id for a in articles for p in a.passages]
        sample = rng.sample(all_pids, min(args.lookups, len(all_pids)))
        lookup: list[float] = []
        numbers: list[float] = []
        for pid in sample:
            t = time.perf_counter()
            store.links_for(pid)
            lookup.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            store.numbers_for(pid)
            numbers.append((time.perf_counter() - t) * 1000)
        size = (Path(tmp) / "links.sqlite").stat().st_size
        store.close()
    for name, seconds in timings.items():
        print(f"{name:45} {seconds:8.1f} s")
    for name, xs in (("links_for", lookup), ("numbers_for", numbers)):
        xs.sort()
        print(
            f"{name:12} p50 {xs[len(xs) // 2]:.3f} ms  p95 {xs[int(len(xs) * 0.95)]:.3f} ms  max {xs[-1]:.3f} ms"
            f"  ({len(xs)} random passages)"
        )
    print(f"links.sqlite: {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
