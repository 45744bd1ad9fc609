"""Precision of the related-passage links on a slice of SaudiNewsNet, judged by hand.

Usage::

    .venv/bin/python benchmarks/related_precision.py [--days 2015-07-22:2015-07-23] [--limit N]
        [--sample 81] [--missed 20] [--near-miss 10] [--seed 1] [--out /tmp/link_sample.txt]
        [--judgments FILE] [--tree DIR]

The seed articles are one story of five outlets; the panel's links had never been checked on a
real multi-outlet corpus, where the same formulas ("أعلن تنظيم داعش مسؤوليته", royal-decree
boilerplate, weather bulletins) recur across *different* events. This script builds links for a
slice with the same pipeline as the index (:func:`index.links_store.compute_all`) and writes, to
``--out`` (under /tmp: the corpus is CC BY-NC-SA, never copy it into the repository):

* a seeded random sample of links, stratified by label (a third each of strong / likely /
  possible) and, inside a label, spread evenly over the kinds present (same wording / same fact /
  same numbers). A link and its reverse are one pair, judged once. For each: both passages' full
  text, outlets, dates, titles, kind, score, the highlighted shared phrases, the text score's
  features (a link scoring above them was raised by a shared claim: "CLAIM LINK"), and in how
  many articles of the slice the longest highlighted phrase occurs, and how many of those lie
  outside both sides' stories (a formula recurs across stories, a wire copy inside one).
* a seeded random sample of passages WITHOUT links (at least :data:`MISSED_MIN_WORDS` words)
  from articles in a story with two or more outlets, each followed by the best-scoring passages
  (:func:`index.related.score_pair`, below the threshold) of the story's articles of other
  outlets, and those articles' titles: to check whether another outlet reports the fact
  (a missed link); and a *near-miss* sample of such passages whose best candidate scores
  :data:`NEAR_MISS_FLOOR` or more, where missed links are likeliest.

It also prints coverage: share of passages with links, links per linked passage, distribution
of labels and kinds (the links the panel shows: ranked, at most ``MAX_LINKS`` per passage).

Judging is by hand. ``--judgments FILE`` (lines ``KEY<TAB>C|P|W<TAB>cause``; KEY as printed in
the sample: ``L<n>``; C = the target reports the same core fact or quote (grade 2 of
eval/related_dev.json), P = overlaps on a secondary fact (grade 1), W = different facts) prints
precision per label and per kind, both as sampled and re-weighted by each (label, kind) cell's
share of the links shown (the sample is stratified, so as sampled it over-represents the rare
cells), and the count of W per cause (the text before ":" in the cause column). ``--tree DIR``
imports ``index`` from a copy of the repository, so that a sample judged over an hour can be
reproduced while the code moves on (copy ``index/`` to ``DIR/index`` before sampling).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from _common import (
    DAYS_HELP,
    SAUDINEWSNET,
    days_arg,
    load_articles,
    machine_line,
    slice_files,
    use_tree,
)

use_tree()  # before index is imported: the sample must not move under the judge

from index.arabic import tokens as arabic_tokens  # noqa: E402
from index.links_store import compute_all  # noqa: E402
from index.models import Article, Passage, Span  # noqa: E402
from index.related import (  # noqa: E402
    LINK_THRESHOLD,
    AnalysedPassage,
    Idf,
    Link,
    analyse_article,
    score_pair,
)

LABELS = ("strong", "likely", "possible")
KINDS = ("same wording", "same fact", "same numbers")
#: A passage without links shorter than this is a dateline or a caption: nothing to miss.
MISSED_MIN_WORDS = 10
#: Candidates printed under a passage without links.
MISSED_CANDIDATES = 3
#: A passage without links whose best candidate scores this much is a near miss worth reading.
NEAR_MISS_FLOOR = 0.15
#: How many unlinked passages the near-miss sample scores at most (CPU: a few seconds).
NEAR_MISS_SCAN = 800


def _mark(text: str, base: int, spans: list[Span]) -> str:
    """``text`` (starting at ``base`` in its article) with the shared spans bracketed ⟦…⟧."""
    out: list[str] = []
    at = 0
    for span in sorted(spans, key=lambda s: s.start):
        start, end = span.start - base, span.end - base
        if start < at or start < 0 or end > len(text):
            continue
        out.append(text[at:start] + "⟦" + text[start:end] + "⟧")
        at = end
    out.append(text[at:])
    return "".join(out)


def _side(article: Article, passage: Passage, spans: list[Span]) -> str:
    return (
        f"  {article.source} {article.date} {passage.id} «{article.title}»\n"
        f"    {_mark(passage.text, passage.start, spans)}\n"
    )


class PhraseFrequency:
    """In how many articles of the slice a shared phrase occurs, and how many of those lie
    outside the story of the linked pair: a wire copy recurs inside one story, a formula (a
    title chain, an honorific, a condolence line) across many. A diagnostic for the judged
    sample, not part of the score."""

    def __init__(self, articles: list[Article], stories: list[tuple[str, ...]]) -> None:
        self.texts = {
            a.id: " " + " ".join(t.norm for t in arabic_tokens(a.text)) + " " for a in articles
        }
        self.sources = {a.id: a.source for a in articles}
        self.story_of = {aid: n for n, ids in enumerate(stories) for aid in ids}

    def __call__(self, article: Article, span: Span, other_article_id: str) -> tuple[int, int, int]:
        """(articles, outlets, articles outside both sides' stories) holding the phrase."""
        phrase = " " + " ".join(t.norm for t in arabic_tokens(article.text[span.start : span.end]))
        phrase += " "
        holders = [aid for aid, text in self.texts.items() if phrase in text]
        own = {self.story_of.get(article.id, -1), self.story_of.get(other_article_id, -2)}
        outside = [aid for aid in holders if self.story_of.get(aid, -3) not in own]
        outside = [aid for aid in outside if aid not in (article.id, other_article_id)]
        return len(holders), len({self.sources[aid] for aid in holders}), len(outside)


def _diagnosis(link: Link, by_id: dict[str, Article], idf: Idf, frequency: PhraseFrequency) -> str:
    """The text score's features for a sampled link: a link scoring above its text score was
    raised by a shared claim (``index.related_pipeline``: same measure in one story)."""
    a_id, a_ord = link.source_passage_id.rsplit(":", 1)
    b_id, b_ord = link.target_passage_id.rsplit(":", 1)
    a = analyse_article(by_id[a_id])[int(a_ord)]
    b = analyse_article(by_id[b_id])[int(b_ord)]
    pair = score_pair(a, b, idf)
    claim = "  CLAIM LINK (above the text score)" if link.score > pair.score + 1e-3 else ""
    phrase = ""
    if link.shared:
        longest = max((s for s, _ in link.shared), key=len)
        held, outlets, outside = frequency(by_id[a_id], longest, b_id)
        phrase = (
            f"\n  longest highlighted phrase in {held} articles of {outlets} outlets, "
            f"{outside} outside both stories"
        )
    return (
        f"  text {pair.score:.3f}: stems {pair.stems:.2f} grams {pair.grams:.2f} "
        f"phrase {pair.phrase:.2f} numbers {pair.numbers:.2f} longest run {pair.longest_run}"
        f"{claim}{phrase}"
    )


def coverage(articles: list[Article], links: dict[str, list[Link]]) -> list[str]:
    """Lines of coverage statistics of the links the panel shows."""
    passages = sum(len(a.passages) for a in articles)
    linked = sum(1 for ls in links.values() if ls)
    shown = [link for ls in links.values() for link in ls]
    lines = [
        f"passages {passages}, with links {linked} ({linked / max(passages, 1):.1%}), "
        f"links shown {len(shown)} ({len(shown) / max(linked, 1):.2f} per linked passage)",
        f"articles with a linked passage: {len({p.rsplit(':', 1)[0] for p in links})}"
        f" of {len(articles)}",
    ]
    by_label = Counter(link.label for link in shown)
    by_kind = Counter(link.kind for link in shown)
    cross = Counter((link.label, link.kind) for link in shown)
    lines.append(
        "labels: "
        + ", ".join(f"{lab} {by_label[lab]} ({by_label[lab] / len(shown):.1%})" for lab in LABELS)
    )
    lines.append(
        "kinds: " + ", ".join(f"{k} {by_kind[k]} ({by_kind[k] / len(shown):.1%})" for k in KINDS)
    )
    lines.append(f"{'label x kind':14}" + "".join(f"{k:>14}" for k in KINDS))
    for lab in LABELS:
        lines.append(f"{lab:14}" + "".join(f"{cross[(lab, k)]:>14}" for k in KINDS))
    top = Counter(ls[0].label for ls in links.values() if ls)
    lines.append(
        "best link of a linked passage: "
        + ", ".join(f"{lab} {top[lab]} ({top[lab] / max(linked, 1):.1%})" for lab in LABELS)
    )
    return lines


def _pairs(links: dict[str, list[Link]]) -> list[Link]:
    """One link per unordered passage pair (the one from the smaller passage id, if shown)."""
    seen: dict[frozenset[str], Link] = {}
    for ls in links.values():
        for link in ls:
            key = frozenset((link.source_passage_id, link.target_passage_id))
            if key not in seen or link.source_passage_id < seen[key].source_passage_id:
                seen[key] = link
    return sorted(seen.values(), key=lambda x: (x.source_passage_id, x.target_passage_id))


def stratified(pairs: list[Link], size: int, rng: random.Random) -> list[Link]:
    """``size`` links, a third per label; inside a label, even over its kinds (a kind with too
    few links gives its share to the others)."""
    cells: dict[tuple[str, str], list[Link]] = defaultdict(list)
    for link in pairs:
        cells[(link.label, link.kind)].append(link)
    chosen: list[Link] = []
    per_label = size // len(LABELS)
    for label in LABELS:
        pools = {k: rng.sample(cells[(label, k)], len(cells[(label, k)])) for k in KINDS}
        want = per_label
        taken: list[Link] = []
        while want > 0 and any(pools.values()):
            open_kinds = [k for k in KINDS if pools[k]]
            share = max(1, want // len(open_kinds))
            for k in open_kinds:
                take = min(share, len(pools[k]), want)
                taken.extend(pools[k][:take])
                pools[k] = pools[k][take:]
                want -= take
                if want == 0:
                    break
        chosen.extend(taken)
    return chosen


@dataclass(frozen=True)
class Unlinked:
    """A passage without links in a multi-outlet story and its best candidates elsewhere."""

    passage: Passage
    story_title: str
    best: list[tuple[float, Passage, str]]  # (text score, passage, outlet), best first
    others: list[Article]  # the story's articles of other outlets


def unlinked_samples(
    articles: dict[str, Article],
    stories: list[tuple[str, tuple[str, ...]]],
    links: dict[str, list[Link]],
    idf: Idf,
    size: int,
    near: int,
    rng: random.Random,
) -> tuple[list[Unlinked], list[Unlinked], list[str]]:
    """A random sample of passages without links (at least :data:`MISSED_MIN_WORDS` words) of
    multi-outlet stories, and a *near-miss* sample: passages of that pool whose best candidate
    in the story's other outlets scores :data:`NEAR_MISS_FLOOR` or more, where a missed link is
    likeliest. The near-miss sample scans at most :data:`NEAR_MISS_SCAN` pool passages (in a
    seeded random order) and reports the best-score distribution over them."""
    member: dict[str, tuple[str, tuple[str, ...]]] = {}
    for title, ids in stories:
        for aid in ids:
            member[aid] = (title, ids)
    pool: list[Passage] = []
    for aid in member:
        for p in articles[aid].passages:
            if not links.get(p.id) and len(p.text.split()) >= MISSED_MIN_WORDS:
                pool.append(p)
    pool.sort(key=lambda p: p.id)
    analysed: dict[str, list[AnalysedPassage]] = {}

    def analysis(aid: str) -> list[AnalysedPassage]:
        if aid not in analysed:
            analysed[aid] = analyse_article(articles[aid])
        return analysed[aid]

    def look(p: Passage) -> Unlinked:
        title, ids = member[p.article_id]
        source = articles[p.article_id].source
        mine = analysis(p.article_id)[p.ordinal]
        others = [articles[a] for a in ids if articles[a].source != source]
        scored = [
            (score_pair(mine, theirs, idf).score, theirs.passage, theirs.source or "?")
            for other in others
            for theirs in analysis(other.id)
        ]
        scored.sort(key=lambda x: -x[0])
        return Unlinked(p, title, scored[:MISSED_CANDIDATES], others)

    picked = rng.sample(pool, min(size, len(pool)))
    random_sample = [look(p) for p in picked]
    taken = set(picked)
    rest = [p for p in pool if p not in taken]
    rng.shuffle(rest)
    scanned = [look(p) for p in rest[:NEAR_MISS_SCAN]]
    best = [u.best[0][0] if u.best else 0.0 for u in scanned]
    close = [u for u, b in zip(scanned, best, strict=True) if b >= NEAR_MISS_FLOOR]
    lines = [
        f"passages without links (>= {MISSED_MIN_WORDS} words) in multi-outlet stories: "
        f"{len(pool)}",
        f"  best candidate score over {len(scanned)} of them: "
        + ", ".join(
            f">= {lo}: {sum(b >= lo for b in best)} ({sum(b >= lo for b in best) / max(len(best), 1):.0%})"
            for lo in (0.10, NEAR_MISS_FLOOR, 0.20)
        ),
    ]
    return random_sample, close[:near], lines


def _rates(c: Counter[str]) -> tuple[float, float]:
    n = sum(c.values())
    return (c["C"] / n, (c["C"] + c["P"]) / n) if n else (0.0, 0.0)


def report_judgments(
    path: Path, sample: dict[str, Link], population: Counter[tuple[str, str]]
) -> None:
    """Precision per label and kind from hand judgments: as sampled, and re-weighted by each
    (label, kind) cell's share of the links shown (the sample is stratified, so as sampled it
    over-represents the rare cells: likely/same numbers, strong/same fact)."""
    verdicts: dict[str, tuple[str, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, verdict, *rest = line.split("\t")
        verdicts[key.strip()] = (verdict.strip(), rest[0].strip() if rest else "")
    groups: dict[str, Counter[str]] = defaultdict(Counter)
    cells: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    causes: Counter[str] = Counter()
    for key, (verdict, cause) in verdicts.items():
        link = sample.get(key)
        if link is None:
            print(f"  {key}: not in this sample (different slice or seed?)")
            continue
        for name in (f"label {link.label}", f"kind {link.kind}", "all"):
            groups[name][verdict] += 1
        cells[(link.label, link.kind)][verdict] += 1
        if verdict == "W":
            causes[cause.split(":")[0] or "?"] += 1

    def weighted(keys: list[tuple[str, str]]) -> tuple[float, float] | None:
        """Precision over ``keys`` cells weighted by their population (judged cells only)."""
        judged = [k for k in keys if cells.get(k)]
        total = sum(population[k] for k in judged)
        if not total:
            return None
        rates = [(population[k] / total, _rates(cells[k])) for k in judged]
        return sum(w * c for w, (c, _) in rates), sum(w * cp for w, (_, cp) in rates)

    print(f"judged {sum(groups['all'].values())} links ({path})")
    print(
        f"{'':22}{'n':>4}{'C':>4}{'P':>4}{'W':>4}{'C/n':>7}{'C+P/n':>7}"
        f"{'weighted C':>12}{'C+P':>6}{'links shown':>13}"
    )
    every = [(lab, k) for lab in LABELS for k in KINDS]
    rows: list[tuple[str, list[tuple[str, str]]]] = [
        *((f"label {lab}", [(lab, k) for k in KINDS]) for lab in LABELS),
        *((f"kind {k}", [(lab, k) for lab in LABELS]) for k in KINDS),
        ("all", every),
    ]
    for name, keys in rows:
        c = groups.get(name)
        if not c:
            continue
        n = sum(c.values())
        c_rate, cp_rate = _rates(c)
        w = weighted(keys)
        w_text = f"{w[0]:>12.2f}{w[1]:>6.2f}" if w else f"{'':>18}"
        shown = sum(population[k] for k in keys)
        print(
            f"{name:22}{n:>4}{c['C']:>4}{c['P']:>4}{c['W']:>4}{c_rate:>7.2f}{cp_rate:>7.2f}"
            f"{w_text}{shown:>13}"
        )
    print("cells (label, kind): n C/P/W")
    for label, kind in every:
        cell = cells.get((label, kind))
        if cell:
            print(
                f"  {label:9}{kind:14}{sum(cell.values()):>4}  {cell['C']}/{cell['P']}/{cell['W']}"
            )
    print("causes of W (text before ':' in the cause column):")
    for cause, n in causes.most_common():
        print(f"  {n:>3}  {cause}")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=SAUDINEWSNET)
    parser.add_argument("--days", type=days_arg, default="2015-07-22:2015-07-23", help=DAYS_HELP)
    parser.add_argument("--limit", type=int, default=0, help="then only the first N articles")
    parser.add_argument(
        "--sample", type=int, default=81, help="links to sample (a third per label)"
    )
    parser.add_argument("--missed", type=int, default=20, help="unlinked passages to sample")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("/tmp/link_sample.txt"))
    parser.add_argument("--judgments", type=Path, help="KEY<TAB>C|P|W<TAB>cause lines")
    parser.add_argument(
        "--near-miss", type=int, default=10, help="unlinked passages whose best candidate is close"
    )
    parser.add_argument("--tree", type=Path, help="import index/ from this copy of the repo")
    args = parser.parse_args()
    files = slice_files(args.corpus, args.days)
    if files is None:
        return 2
    started = time.perf_counter()
    articles = load_articles(files, args.limit)
    loaded = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    result, idf, _, _ = compute_all(articles)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    print(machine_line())
    print(
        f"slice: days {args.days}, limit {args.limit or 'none'}: {len(articles)} articles "
        f"of {len({a.source for a in articles})} outlets (loaded in {loaded:.1f} s)"
    )
    print(f"pipeline (compute_all) {seconds:.1f} s wall, {cpu_seconds:.1f} s CPU")
    multi = [s for s in result.stories if len(set(s.sources)) >= 2]
    print(
        f"stories {len(result.stories)}, with 2+ outlets {len(multi)} "
        f"({sum(len(s.article_ids) for s in multi)} articles); link threshold {LINK_THRESHOLD}"
    )
    for line in coverage(articles, result.links):
        print(line)

    rng = random.Random(args.seed)
    pairs = _pairs(result.links)
    chosen = stratified(pairs, args.sample, rng)
    sample = {f"L{n}": link for n, link in enumerate(chosen, start=1)}
    population = Counter((link.label, link.kind) for ls in result.links.values() for link in ls)
    by_id = {a.id: a for a in articles}
    missed, near, lines = unlinked_samples(
        by_id,
        [(s.title, s.article_ids) for s in multi],
        result.links,
        idf,
        args.missed,
        args.near_miss,
        rng,
    )
    for line in lines:
        print(line)
    frequency = PhraseFrequency(articles, [s.article_ids for s in result.stories])
    with args.out.open("w", encoding="utf-8") as out:
        out.write(
            "Judge each link: C = target reports the same core fact or quote (grade 2), "
            "P = overlaps on a secondary fact (grade 1), W = different facts.\n\n"
        )
        for key, link in sample.items():
            out.write(f"#{key} {link.label} {link.percent}% {link.kind}\n")
            out.write(_diagnosis(link, by_id, idf, frequency) + "\n")
            for pid, spans in (
                (link.source_passage_id, [a for a, _ in link.shared]),
                (link.target_passage_id, [b for _, b in link.shared]),
            ):
                article_id, ordinal = pid.rsplit(":", 1)
                article = by_id[article_id]
                out.write(_side(article, article.passages[int(ordinal)], spans))
            out.write("\n")
        for heading, prefix, group in (
            ("PASSAGES WITHOUT LINKS in multi-outlet stories (random)", "M", missed),
            (f"NEAR MISSES: unlinked, best candidate >= {NEAR_MISS_FLOOR}", "N", near),
        ):
            out.write("=" * 70 + f"\n{heading}\n\n")
            for n, u in enumerate(group, start=1):
                out.write(f"#{prefix}{n} story «{u.story_title}»\n")
                out.write(_side(by_id[u.passage.article_id], u.passage, []))
                out.write("  other outlets' articles in the story:\n")
                for other in u.others:
                    out.write(f"    {other.source} {other.date} {other.id} «{other.title}»\n")
                out.write("  best candidates:\n")
                for score, passage, source in u.best:
                    out.write(f"    {score:.3f} {source} {passage.id}: {passage.text}\n")
                out.write("\n")
    print(
        f"sample: {len(sample)} links "
        f"({', '.join(f'{k} {v}' for k, v in Counter(x.label for x in chosen).items())}; "
        f"{', '.join(f'{k} {v}' for k, v in Counter(x.kind for x in chosen).items())}), "
        f"{len(missed)} unlinked passages, {len(near)} near misses, seed {args.seed}, "
        f"written to {args.out}"
    )
    if args.judgments:
        report_judgments(args.judgments, sample, population)
    return 0


if __name__ == "__main__":
    sys.exit(main())
