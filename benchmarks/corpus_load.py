"""Time loading SaudiNewsNet (31,030 records in 18 zip archives) with ``index.corpus``.

Reports the median wall-clock and CPU time over ``--runs`` runs, and splits one run into its
phases (unzip + JSON, cleaning, passages) measured side by side in the same process, so the
share of each is visible even when the machine is shared and absolute times are noisy.

    python benchmarks/corpus_load.py [--runs 3] [--corpus ../shared/corpora/saudinewsnet]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from _common import SAUDINEWSNET, day_files, day_records

from index.cleaning import clean_text
from index.corpus import format_load_summary, load_corpus
from index.passages import split_passages


def _phases(corpus: Path) -> dict[str, float]:
    """CPU seconds of each phase, run one after the other on the same records."""
    started = time.process_time()
    records = [r for archive in day_files(corpus, None) for r in day_records(archive)]
    read = time.process_time()
    cleaned = [
        clean_text(r["content"], title=r["title"] or None, scraped_page=False)
        for r in records
        if r["content"].strip()
    ]
    clean = time.process_time()
    for n, text in enumerate(c.text for c in cleaned):
        split_passages(str(n), text)
    passages = time.process_time()
    return {
        "unzip+json": read - started,
        "cleaning": clean - read,
        "passages": passages - clean,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=SAUDINEWSNET)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"{args.corpus} not found: SaudiNewsNet is not available", file=sys.stderr)
        return 1
    walls: list[float] = []
    cpus: list[float] = []
    report = None
    for _ in range(args.runs):
        wall, cpu = time.perf_counter(), time.process_time()
        report = load_corpus([args.corpus])
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    assert report is not None
    articles = len(report.articles)
    passages = sum(len(a.passages) for a in report.articles)
    print(format_load_summary(report, examples=1))
    print(f"passages: {passages:,}")
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    print(f"load_corpus wall median {wall:.2f} s ({articles / wall:,.0f} articles/s), runs {walls}")
    print(f"load_corpus CPU  median {cpu:.2f} s ({articles / cpu:,.0f} articles/s)")
    phases = _phases(args.corpus)
    total = sum(phases.values())
    print(
        "phases (CPU s): " + ", ".join(f"{k} {v:.2f} ({v / total:.0%})" for k, v in phases.items())
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
