"""Re-check the hand-judged SaudiNewsNet links against the current code, without judging again.

Usage: ``.venv/bin/python benchmarks/related_judged.py [--judged FILE] [--samples A,B,C]``

``benchmarks/data/related_judged_saudinewsnet.tsv`` holds link pairs that were sampled from the
links of some version of the code and judged by reading (C = the same core fact or quote, P = a
secondary fact, W = different facts; see BENCHMARKS.md). For each sample this script computes
the links of the sample's days with the current pipeline (:func:`index.links_store.compute_all`)
and reports, per verdict, how many judged pairs are still linked (in either direction) and with
which label: a change that drops W pairs and keeps C pairs made the panel more precise on those
links. It says nothing about links the judged samples never contained (new links need a new
judged sample: ``benchmarks/related_precision.py``).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

# day_files: the sampler's slicing (related_precision.py), one reading of a sample's days
from _common import REPO, SAUDINEWSNET, corpus_present, day_files, load_articles

from index.links_store import compute_all
from index.related import Link

DEFAULT_JUDGED = REPO / "benchmarks" / "data" / "related_judged_saudinewsnet.tsv"


def read_judged(path: Path) -> dict[str, list[dict[str, str]]]:
    """The judged rows of ``path``, by sample."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    by_sample: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in csv.DictReader(lines, delimiter="\t"):
        by_sample[row["sample"]].append(row)
    return by_sample


def linked(links: dict[str, list[Link]], source: str, target: str) -> Link | None:
    for a, b in ((source, target), (target, source)):
        for link in links.get(a, ()):
            if link.target_passage_id == b:
                return link
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--judged", type=Path, default=DEFAULT_JUDGED)
    parser.add_argument("--corpus", type=Path, default=SAUDINEWSNET)
    parser.add_argument("--samples", help="comma-separated sample names (default: all)")
    args = parser.parse_args()
    if not corpus_present(args.corpus):
        return 2
    judged = read_judged(args.judged)
    wanted = set(args.samples.split(",")) if args.samples else set(judged)
    links_by_days: dict[str, dict[str, list[Link]]] = {}
    for sample in sorted(wanted & set(judged)):
        rows = judged[sample]
        days = rows[0]["days"]
        if days not in links_by_days:
            started = time.process_time()
            articles = load_articles(day_files(args.corpus, days))
            result, _, _, _ = compute_all(articles)
            links_by_days[days] = result.links
            print(
                f"days {days}: {len(articles)} articles, links computed in"
                f" {time.process_time() - started:.0f} s CPU"
            )
        links = links_by_days[days]
        kept: Counter[str] = Counter()
        total: Counter[str] = Counter()
        labels: Counter[tuple[str, str]] = Counter()
        for row in rows:
            verdict = row["verdict"]
            total[verdict] += 1
            link = linked(links, row["source"], row["target"])
            if link is not None:
                kept[verdict] += 1
                labels[(verdict, link.label)] += 1
        print(f"sample {sample} (drawn from {rows[0]['code']}, {days}, {len(rows)} judged pairs)")
        for verdict in ("C", "P", "W"):
            by_label = ", ".join(
                f"{label} {labels[(verdict, label)]}"
                for label in ("strong", "likely", "possible")
                if labels[(verdict, label)]
            )
            print(
                f"  {verdict}: still linked {kept[verdict]} of {total[verdict]}"
                + (f" ({by_label})" if by_label else "")
            )
        shown = kept["C"] + kept["P"] + kept["W"]
        if shown:
            print(
                f"  of the judged pairs still shown: C {kept['C'] / shown:.2f},"
                f" C+P {(kept['C'] + kept['P']) / shown:.2f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
