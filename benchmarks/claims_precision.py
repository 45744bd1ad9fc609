"""Precision of the flagged number disagreements on a slice of SaudiNewsNet.

Usage::

    .venv/bin/python benchmarks/claims_precision.py [--days 2015-07-22:2015-07-24] [--limit N]
        [--sample 60] [--seed 1] [--out /tmp/claims_sample.txt]
        [--judgments [FILE]] [--compare-tree DIR]

Builds links, stories and claims for the slice with the same pipeline as the index
(:func:`index.links_store.compute_all`), collects every disagreement of every story
(:func:`index.claims_compare.disagreements`, what the story view and the numbers row flag), and writes a
seeded random sample of them — measure, both figures with their intervals, the sentence around
each number (with the passage before it), outlets, dates, story title — to ``--out`` for a human
to judge. A disagreement is TRUE when both sentences report the same event, the same measure, and
values that cannot both be true; anything else (two incidents, another measure, a cumulative toll
against a day's, a number that is not the count) is FALSE.

``--judgments [FILE]`` (lines ``KEY<TAB>T|F<TAB>cause``, KEY as printed in the sample; default
``benchmarks/data/claims_judged_saudinewsnet.tsv``, the flags judged so far) reports
which judged disagreements are still flagged by the code run now: whether the true ones stayed
and the false ones went. ``--skip-cause PREFIX`` leaves out the judged rows whose cause starts
with PREFIX (``s4#``: rows judged by the author of the rules they measure, left out for the
independent counts). ``--compare-tree DIR`` runs this script again in a subprocess with
``DIR`` (a copy of an older ``index/`` package's parent) first on ``sys.path`` and prints both
trees' flagged counts side by side: the before/after comparison on one slice in one run.
Judging is done by reading each flag in its Arabic context; this script only counts and prints. The corpus is CC BY-NC-SA: the sample
file goes to /tmp, never into the repository.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from _common import (
    DAYS_HELP,
    REPO,
    SAUDINEWSNET,
    corpus_present,
    days_arg,
    load_articles,
    machine_line,
    parse_days,
    use_tree,
)

use_tree()  # --tree DIR (the --compare-tree subprocess) must take effect before index is imported

from index.claims import Claim, Disagreement  # noqa: E402
from index.claims_compare import disagreements  # noqa: E402
from index.links_store import compute_all  # noqa: E402
from index.models import Article  # noqa: E402

#: The flags judged so far, by reading them (see its header for who judged which).
JUDGED = REPO / "benchmarks" / "data" / "claims_judged_saudinewsnet.tsv"
_SENTENCE_END = re.compile(r"[.!?؟\n]")


def key_of(d: Disagreement) -> str:
    """A stable name for a disagreement: both claims' passage and character offset, sorted."""
    sides = sorted(f"{c.passage_id}@{c.span.start}" for c in (d.first, d.second))
    return "|".join(sides)


def _interval(c: Claim) -> str:
    high = "inf" if c.high == float("inf") else f"{c.high:g}"
    return f"[{c.low:g}, {high}]"


def _sentence(article: Article, claim: Claim, width: int = 320) -> str:
    """The sentence holding the number, marked ⟦…⟧, and the passage before the claim's."""
    text = article.text
    start, end = claim.span.start, claim.span.end
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    right_match = _SENTENCE_END.search(text, end)
    right = right_match.start() if right_match else len(text)
    left = max(left, start - width)
    right = min(right, end + width)
    sentence = f"{text[left:start]}⟦{text[start:end]}⟧{text[end:right]}".strip()
    ordinal = int(claim.passage_id.rsplit(":", 1)[1])
    before = ""
    if ordinal > 0:
        prev = article.passages[ordinal - 1].text
        before = prev if len(prev) <= width else "…" + prev[-width:]
    return f"    sentence: {sentence}\n    passage before: {before}"


def select(articles: list[Article], days: str | None, limit: int) -> list[Article]:
    """The articles dated (``Article.date``, not the zip's day) within ``days``, then the first
    ``limit``."""
    if days:
        first, last = parse_days(days)
        articles = [a for a in articles if a.date and first <= a.date[:10] <= last]
    return articles[:limit] if limit else articles


def flagged_in(articles: list[Article]) -> tuple[list[tuple[Disagreement, str]], dict[str, int]]:
    """Every disagreement of every story (with its story title) and sanity counts."""
    result, _, _, _ = compute_all(articles)
    out: list[tuple[Disagreement, str]] = []
    for story in result.stories:
        claims = [c for a in story.article_ids for c in result.claims.get(a, [])]
        out.extend((d, story.title) for d in disagreements(claims))
    counts = {
        "stories": len(result.stories),
        "claims (compared measures, unguarded)": sum(
            1
            for cs in result.claims.values()
            for c in cs
            if c.guarded_reason is None and c.measure in ("killed", "injured", "arrested")
        ),
        "disagreements flagged": len(out),
    }
    for measure, n in Counter(d.measure for d, _ in out).most_common():
        counts[f"  of which {measure}"] = n
    return out, counts


def write_sample(
    flagged: list[tuple[Disagreement, str]],
    articles: list[Article],
    size: int,
    seed: int,
    out_path: Path,
) -> None:
    """A seeded random sample of the disagreements, each with what a judge needs to read."""
    rng = random.Random(seed)
    sample = rng.sample(flagged, min(size, len(flagged)))
    by_id = {a.id: a for a in articles}
    with out_path.open("w", encoding="utf-8") as out:
        for n, (d, title) in enumerate(sample, start=1):
            out.write(f"#{n} KEY {key_of(d)}\n  measure {d.measure}; story: {title}\n")
            for c in (d.first, d.second):
                article = by_id[c.article_id]
                out.write(
                    f"  {c.outlet} {article.date} {c.article_id} «{article.title}»\n"
                    f"    value «{c.value_text}» {_interval(c)} group {c.event_group} "
                    f"events {','.join(c.context_events) or '-'} "
                    f"places {','.join(c.context_places) or '-'} "
                    f"localities {','.join(getattr(c, 'context_localities', ())) or '-'} "
                    f"victims {getattr(c, 'victims', None) or '-'} "
                    f"total {getattr(c, 'cumulative', False)} "
                    f"vague {getattr(c, 'vague', False)}\n"
                )
                out.write(_sentence(article, c) + "\n")
            out.write("\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=SAUDINEWSNET)
    parser.add_argument("--days", type=days_arg, default="2015-07-22:2015-07-24", help=DAYS_HELP)
    parser.add_argument("--limit", type=int, default=0, help="then only the first N articles")
    parser.add_argument("--sample", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("/tmp/claims_sample.txt"))
    parser.add_argument(
        "--judgments",
        type=Path,
        nargs="?",
        const=JUDGED,
        help=f"KEY<TAB>T|F<TAB>cause lines (no FILE: {JUDGED.relative_to(REPO)}); only the"
        " keys of --days count",
    )
    parser.add_argument(
        "--skip-cause",
        action="append",
        default=[],
        metavar="PREFIX",
        help="leave out judged rows whose cause starts with PREFIX (s4#: judged by the author of the rules)",
    )
    parser.add_argument("--compare-tree", type=Path, help="an older tree to count side by side")
    parser.add_argument("--tree", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--counts-json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not corpus_present(args.corpus):
        return 2
    articles = select(load_articles([args.corpus]), args.days, args.limit)
    started = time.perf_counter()
    flagged, counts = flagged_in(articles)
    seconds = time.perf_counter() - started
    if args.counts_json:
        write_sample(flagged, articles, args.sample, args.seed, args.out)
        print(json.dumps({"counts": counts, "keys": [key_of(d) for d, _ in flagged]}))
        return 0
    print(machine_line())
    print(f"slice: days {args.days}, limit {args.limit or 'none'}: {len(articles)} articles")
    print(f"pipeline (compute_all) {seconds:.1f} s wall")
    before: dict[str, Any] | None = None
    if args.compare_tree:
        command = [sys.executable, __file__, "--tree", str(args.compare_tree), "--counts-json"]
        command += ["--corpus", str(args.corpus), "--days", args.days, "--limit", str(args.limit)]
        before_out = args.out.with_name(args.out.stem + ".compare-tree" + args.out.suffix)
        command += [
            "--sample",
            str(args.sample),
            "--seed",
            str(args.seed),
            "--out",
            str(before_out),
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        before = json.loads(done.stdout.strip().splitlines()[-1])
    now_keys = {key_of(d) for d, _ in flagged}
    if before is not None:
        old_counts = before["counts"]
        assert isinstance(old_counts, dict)
        print(f"{'':45} {'compare-tree':>12} {'this tree':>10}")
        for name in dict.fromkeys([*old_counts, *counts]):
            print(f"{name:45} {old_counts.get(name, 0):>12} {counts.get(name, 0):>10}")
        old_keys = set(before["keys"])
        print(
            f"flagged by both {len(old_keys & now_keys)}, only by compare-tree "
            f"{len(old_keys - now_keys)}, only by this tree {len(now_keys - old_keys)}"
        )
    else:
        for name, n in counts.items():
            print(f"{name:45} {n:>8}")
    if args.judgments:
        first_day, last_day = parse_days(args.days)
        verdicts = [
            line.split("\t")
            for line in args.judgments.read_text(encoding="utf-8").splitlines()
            if line.strip()
            and not line.startswith("#")
            # a flag belongs to the slice when both its articles' days are in it
            and all(first_day <= side[:10] <= last_day for side in line.split("\t")[0].split("|"))
        ]
        verdicts = [
            v
            for v in verdicts
            if not any(v[2:3] and v[2].startswith(prefix) for prefix in args.skip_cause)
        ]
        tally: Counter[tuple[str, bool]] = Counter()
        for key, verdict, *_ in verdicts:
            tally[(verdict.strip(), key in now_keys)] += 1
        print(f"judged ({args.judgments}): still flagged / dropped now")
        for verdict, name in (("T", "true disagreements"), ("F", "false disagreements")):
            print(f"  {name:22} {tally[(verdict, True)]:>4} / {tally[(verdict, False)]:>4}")
        kept_true = tally[("T", True)]
        kept_all = kept_true + tally[("F", True)]
        if kept_all:
            print(f"  precision of the judged ones still flagged: {kept_true}/{kept_all}")
        # flags stated plainly ("sources disagree") vs shown as possible (maybe two incidents)
        close = {key_of(d): getattr(d, "close", True) for d, _ in flagged}
        for plainly, name in ((True, "stated plainly"), (False, "shown as possible")):
            judged = Counter(v.strip() for k, v, *_ in verdicts if close.get(k) is plainly)
            n = judged["T"] + judged["F"] + judged["U"]
            if n:
                print(
                    f"  {name:22} T {judged['T']} F {judged['F']} U {judged['U']}:"
                    f" {judged['T']}/{n} true"
                )
        if before is not None:
            # recall against the compare tree: judged true flags it has and this tree lost
            lost = [k for k, v, *_ in verdicts if v.strip() == "T" and k in old_keys - now_keys]
            kept = sum(1 for k, v, *_ in verdicts if v.strip() == "T" and k in old_keys & now_keys)
            print(f"  true ones flagged by compare-tree: {kept} kept, {len(lost)} lost {lost[:5]}")
    write_sample(flagged, articles, args.sample, args.seed, args.out)
    if before is not None:
        print(f"compare-tree's sample (same seed) written to {before_out}")
    print(f"sample of {min(args.sample, len(flagged))} (seed {args.seed}) written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
