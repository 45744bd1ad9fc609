"""Story quality on a slice of SaudiNewsNet: sizes, outlets, and samples to judge by reading.

Usage::

    .venv/bin/python benchmarks/story_quality.py --days 2015-07-22:2015-07-23 \
        [--limit N] [--baseline OLD_STORIES.py] [--seed 1] [--out /tmp/stories_sample.txt] \
        [--judged JUDGED.json]

Stories are built as the index builds them (:func:`index.related_pipeline.compute_all`): key-term
profiles and similarities, text links between neighbour articles, whose shared facts raise the
similarity, then grouping. The benchmark runs those stages itself so that it can time the story
stages (profiles + similarities, grouping) apart from the text links, and run them with a second
implementation of :mod:`index.stories` (``--baseline``, e.g. the file before a change) side by
side in one process; ``--check-pipeline`` also runs ``compute_all`` and checks the stories match.

Written to ``--out`` (read it and judge it; the verdicts and numbers are in BENCHMARKS.md):

* a seeded random sample of stories, stratified by size (small: 2-3 articles, large: 4+), each
  member with outlet, date, title and first sentence — PURE when every member reports one
  event, MIXED when the story groups different events of a topic (count the off-event members);
* a seeded random sample of *events* found without the stories: an article of big same-day
  coverage and its most similar articles of other outlets by title and lead wording (idf-weighted
  overlap, an independent signal), listed without their story; a key at the end of the file says
  which story each one is in. Judge which candidates report the seed's event; an event is SPLIT
  when those are not all in the seed's story.

``--judged FILE`` (JSON ``{"events": {"SEED_ID": ["SAME_EVENT_ID", ...]}}``) scores recorded event
verdicts against every implementation run: split rate (events whose same-event articles are not
all in the seed's story) and pair recall (same-event pairs that share a story).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import math
import random
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from _common import (
    DAYS_HELP,
    SAUDINEWSNET,
    days_arg,
    load_articles,
    machine_line,
    slice_files,
)

import index.stories as current_stories
from index.arabic import STOP_WORDS
from index.arabic import stems as arabic_stems
from index.models import Article
from index.related import Idf, analyse_article, link_article_pair

SENTENCE_END = re.compile(r"[.!؟?\n]")


@dataclass
class Run:
    """Stories of one implementation and what they cost."""

    name: str
    stories: list[Any]  # Story objects of that module (baseline and current differ in class)
    story_of: dict[str, str]
    seconds_profiles: float
    seconds_group: float
    seconds_links: float
    similarity: dict[tuple[str, str], float] | None = None
    shared: dict[tuple[str, str], int] | None = None


def load_module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"stories_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def build(
    module: ModuleType,
    articles: Sequence[Article],
    analysed: dict[str, list],
    idf: Idf,
) -> Run:
    """The story path of :func:`index.related_pipeline.compute_all`, timed stage by stage."""
    t = time.process_time()
    terms = {
        a.id: module.article_terms(
            a, (w.stem for p in analysed[a.id] for w in p.words if not w.stop)
        )
        for a in articles
    }
    df, n = module.document_frequencies(articles, terms)
    profiles = {a.id: module.profile(a, df, n, terms[a.id]) for a in articles}
    similarity = module.similarities(profiles)
    pairs = module.neighbour_pairs(profiles, similarity)
    seconds_profiles = time.process_time() - t
    t = time.process_time()
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for x, y in pairs:
        for _ in link_article_pair(analysed[x], analysed[y], idf):
            shared[(x, y)] += 1
        for p in (*analysed[x], *analysed[y]):
            p.drop_grams()
    seconds_links = time.process_time() - t
    t = time.process_time()
    stories = module.group(
        {a.id: a.title for a in articles},
        {a.id: a.source for a in articles},
        module.story_similarity(similarity, shared),
    )
    seconds_group = time.process_time() - t
    story_of = {a: s.id for s in stories for a in s.article_ids}
    return Run(
        module.__name__,
        stories,
        story_of,
        seconds_profiles,
        seconds_group,
        seconds_links,
        similarity,
        dict(shared),
    )


def describe(run: Run, total: int) -> list[str]:
    sizes = [len(s.article_ids) for s in run.stories]
    outlets = [len(s.sources) for s in run.stories]
    buckets = Counter(
        "2"
        if k == 2
        else "3"
        if k == 3
        else "4"
        if k == 4
        else "5-9"
        if k < 10
        else "10-19"
        if k < 20
        else "20+"
        for k in sizes
    )
    order = ["2", "3", "4", "5-9", "10-19", "20+"]
    return [
        f"[{run.name}] stories {len(run.stories)} ({sum(o >= 2 for o in outlets)} with 2+ outlets); "
        f"articles in stories {sum(sizes)} of {total}; largest {sorted(sizes, reverse=True)[:10]}",
        "  sizes: "
        + ", ".join(f"{b}: {buckets.get(b, 0)}" for b in order)
        + f"; median {statistics.median(sizes) if sizes else 0}",
        "  outlets per story: "
        + ", ".join(f"{k}: {v}" for k, v in sorted(Counter(outlets).items()))
        + "; stories with one outlet twice or more: "
        + str(sum(1 for s in run.stories if len(s.sources) < len(s.article_ids))),
        f"  CPU s: profiles+similarities+neighbours {run.seconds_profiles:.2f}, "
        f"grouping {run.seconds_group:.3f}, (text links for shared facts {run.seconds_links:.1f})",
    ]


def first_sentence(text: str, limit: int = 220) -> str:
    head = text.strip().split("\n", 1)[0]
    match = SENTENCE_END.search(head, 30)
    sentence = head[: match.start() + 1] if match else head
    return sentence[:limit]


def member_line(article: Article) -> str:
    return (
        f"    - {article.id} | {article.source} | {(article.date or '')[:10]} | "
        f"{article.title.strip()[:120]}\n        {first_sentence(article.text)}"
    )


def sample_stories(run: Run, by_id: dict[str, Article], rng: random.Random, k: int) -> list[str]:
    small = [s for s in run.stories if len(s.article_ids) <= 3]
    large = [s for s in run.stories if len(s.article_ids) >= 4]
    lines = [
        f"# STORY SAMPLE of {run.name}: {k} small (2-3 articles, of {len(small)}) + "
        f"{k} large (4+, of {len(large)})"
    ]
    for label, pool in (("small", small), ("large", large)):
        for i, story in enumerate(rng.sample(pool, min(k, len(pool))), start=1):
            lines.append(
                f"\n## {label}-{i} {story.id}: {len(story.article_ids)} articles, "
                f"{len(story.sources)} outlets — {story.title.strip()[:100]}"
            )
            lines.extend(member_line(by_id[a]) for a in story.article_ids)
    return lines


def lead_terms(article: Article) -> set[str]:
    text = f"{article.title}\n{first_sentence(article.text, 400)}"
    return {s for s in arabic_stems(text) if len(s) > 1 and not s.isdigit() and s not in STOP_WORDS}


def _day(article: Article) -> int | None:
    try:
        return dt.date.fromisoformat((article.date or "")[:10]).toordinal()
    except ValueError:
        return None


def event_candidates(
    articles: Sequence[Article], rng: random.Random, k: int, per_event: int = 8
) -> list[tuple[Article, list[tuple[float, Article]]]]:
    """Seeded events of big same-day coverage: an article whose title and lead share an
    idf-weighted 30 % with at least three articles of other outlets (within a day), with its
    best such articles. Independent of the stories."""
    terms = {a.id: lead_terms(a) for a in articles}
    df = Counter(t for ts in terms.values() for t in ts)
    n = len(articles)
    idf = {t: math.log(n / c) for t, c in df.items()}
    postings: dict[str, list[str]] = defaultdict(list)
    for a in articles:
        for t in terms[a.id]:
            if df[t] <= n // 20:
                postings[t].append(a.id)
    by_id = {a.id: a for a in articles}
    order = list(articles)
    rng.shuffle(order)
    events: list[tuple[Article, list[tuple[float, Article]]]] = []
    taken: set[str] = set()
    for seed in order:
        if len(events) >= k:
            break
        if seed.id in taken or not terms[seed.id]:
            continue
        day = _day(seed)
        candidates = {c for t in terms[seed.id] for c in postings.get(t, ())} - {seed.id}
        scored: list[tuple[float, Article]] = []
        mass = sum(idf[t] for t in terms[seed.id])
        for cid in candidates:
            other = by_id[cid]
            if other.source == seed.source:
                continue
            od = _day(other)
            if day is not None and od is not None and abs(day - od) > 1:
                continue
            shared = sum(idf[t] for t in terms[seed.id] & terms[cid])
            other_mass = sum(idf[t] for t in terms[cid])
            score = shared / math.sqrt(mass * other_mass) if mass and other_mass else 0.0
            scored.append((score, other))
        scored.sort(key=lambda x: (-x[0], x[1].id))
        if sum(1 for s, _ in scored if s >= 0.3) < 3:
            continue
        events.append((seed, scored[:per_event]))
        taken.add(seed.id)
        taken.update(o.id for s, o in scored[:per_event] if s >= 0.3)
    return events


def event_lines(events, runs: Sequence[Run]) -> tuple[list[str], list[str]]:
    lines = [
        f"# EVENT SAMPLE ({len(events)} events; candidates by lead overlap, stories in the KEY)"
    ]
    key = ["# KEY: story of each event member, per implementation"]
    for i, (seed, candidates) in enumerate(events, start=1):
        lines.append(f"\n## event-{i} seed {seed.id}")
        lines.append(member_line(seed))
        key.append(
            f"\n## event-{i} seed {seed.id}: "
            + ", ".join(f"{r.name}={r.story_of.get(seed.id, '-')}" for r in runs)
        )
        for score, other in candidates:
            lines.append(f"  ({score:.2f})" + member_line(other)[5:])
            key.append(
                f"  {other.id}: "
                + ", ".join(
                    f"{r.name}={'SAME' if r.story_of.get(other.id) and r.story_of.get(other.id) == r.story_of.get(seed.id) else r.story_of.get(other.id, '-')}"
                    for r in runs
                )
            )
    return lines, key


def score_judged(path: Path, runs: Sequence[Run]) -> list[str]:
    judged: dict[str, list[str]] = json.loads(path.read_text(encoding="utf-8"))["events"]
    out = [
        f"judged events from {path}: {len(judged)} ({sum(1 for v in judged.values() if v)} with 1+ same-event articles)"
    ]
    for run in runs:
        split = 0
        pairs = together = 0
        for seed, same in judged.items():
            if not same:
                continue
            group = [seed, *same]
            stories = {run.story_of.get(a) for a in group}
            if len(stories) > 1 or None in stories:
                split += 1
            for i, a in enumerate(group):
                for b in group[i + 1 :]:
                    pairs += 1
                    together += bool(run.story_of.get(a)) and run.story_of.get(
                        a
                    ) == run.story_of.get(b)
        events = sum(1 for v in judged.values() if v)
        out.append(
            f"  [{run.name}] split events {split}/{events} ({split / max(1, events):.0%}); "
            f"same-event pairs in one story {together}/{pairs} ({together / max(1, pairs):.0%})"
        )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=SAUDINEWSNET)
    parser.add_argument("--days", type=days_arg, help=DAYS_HELP + "; default: every day")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    parser.add_argument("--baseline", type=Path, help="another index/stories.py to compare")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stories", type=int, default=20, help="per size stratum")
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--sample-from", choices=("current", "baseline"), default="current")
    parser.add_argument("--out", type=Path, default=Path("/tmp/story_sample.txt"))
    parser.add_argument("--judged", type=Path, help="recorded event verdicts (JSON)")
    parser.add_argument("--check-pipeline", action="store_true")
    args = parser.parse_args()
    files = slice_files(args.corpus, args.days)
    if files is None:
        return 2
    print(machine_line())
    articles = load_articles(files, args.limit)
    by_id = {a.id: a for a in articles}
    print(
        f"slice: {files[0].stem}..{files[-1].stem}, {len(articles)} articles, "
        f"{len(Counter(a.source for a in articles))} outlets"
    )
    analysed = {a.id: analyse_article(a) for a in articles}
    idf = Idf.from_passages(p for ps in analysed.values() for p in ps)
    modules: list[tuple[str, ModuleType]] = [("current", current_stories)]
    if args.baseline:
        modules.insert(0, ("baseline", load_module(args.baseline)))
    runs: list[Run] = []
    for name, module in modules:
        run = build(module, articles, analysed, idf)
        run.name = name
        runs.append(run)
        print("\n".join(describe(run, len(articles))))
    if len(runs) == 2:
        base, cur = runs
        print(
            f"story-stage CPU, current / baseline: profiles+similarities "
            f"{cur.seconds_profiles / base.seconds_profiles:.2f}x, grouping "
            f"{cur.seconds_group / max(1e-9, base.seconds_group):.2f}x "
            "(one run each, noisy: shared machine)"
        )
    if args.check_pipeline:
        from index.related_pipeline import compute_all

        result, _, _, _ = compute_all(articles)
        same = {s.article_ids for s in result.stories} == {s.article_ids for s in runs[-1].stories}
        print(f"compute_all stories equal to the benchmark's current stories: {same}")
    rng = random.Random(args.seed)
    chosen = runs[0] if args.sample_from == "baseline" and len(runs) == 2 else runs[-1]
    lines = sample_stories(chosen, by_id, rng, args.stories)
    events = event_candidates(articles, random.Random(args.seed), args.events)
    more, key = event_lines(events, runs)
    args.out.write_text("\n".join([*lines, "", *more, "", *key, ""]), encoding="utf-8")
    print(f"sample written to {args.out} (seed {args.seed}, stories of {chosen.name})")
    if args.judged:
        print("\n".join(score_judged(args.judged, runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
