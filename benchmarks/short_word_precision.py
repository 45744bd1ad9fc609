"""Precision of stem matches for short words and place names (the over-stemming review).

For each query of :data:`QUERIES`, articles of a SaudiNewsNet slice that hold every query
word's stem are ranked by how many tokens match (ties: corpus order); in the top ``--top``
articles every token whose stem equals a query stem is a *matched word*, and it is judged
correct when its normalized form matches the query word's hand-written pattern (the word with
its clitics: و ف ب ل ك ال, and its own suffixes: مكي, إيرانية, ولايات …). Precision = correct /
matched. The schema-3 stemmer (frozen in ``retrieval_quality.py``) and the current
:func:`index.arabic.stem` are run on the same tokens, so one run gives before and after.

    python benchmarks/short_word_precision.py [--articles 3000] [--top 20]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence

from _common import SAUDINEWSNET
from retrieval_quality import load_distractors, schema3_stem

from index import arabic

_CLITICS = r"^(?:[وف]?(?:[بك]?ال|لل|[بلك])?)"
#: Query → the accepted normalized forms of each of its words.
QUERIES: dict[str, list[str]] = {
    "مكة": [r"مك(?:ه|ي|يه|يين|يون)"],
    "كرمان": [r"كرمان(?:ي|يه)?"],
    "طن": [r"(?:طن|طنا|طنان|طنين|اطنان)"],
    "الولايات المتحدة": [r"ولايات", r"متحد(?:ه|ين|ان)?"],
    "وزير": [r"(?:وزير|وزيره|وزيرا|وزيران|وزيرين|وزراء)(?:ها|ه|هم)?"],
    "إيران": [r"ايران(?:ي|يه|يين|يون|يات)?"],
    "طهران": [r"طهران(?:ي|يه)?"],
    "جدة": [r"جد(?:ه|اوي)"],
    "غزة": [r"غز(?:ه|اوي)"],
    "حلب": [r"حلب(?:ي|يه)?"],
}


def _pattern(forms: Sequence[str]) -> re.Pattern[str]:
    return re.compile(_CLITICS + "(?:" + "|".join(forms) + ")$")


def judge(
    articles: Sequence[list[str]], query: str, stemmer: Callable[[str], str], top: int
) -> tuple[int, int, int, Counter[str]]:
    """(articles matching, matched words, correct ones, wrong forms) in the top articles."""
    words = [t.norm for t in arabic.tokens(query)]
    wanted = {stemmer(w) for w in words}
    good = _pattern(QUERIES[query])
    ranked: list[tuple[int, int, list[str]]] = []
    for i, norms in enumerate(articles):
        stems = [stemmer(n) for n in norms]
        if wanted <= set(stems):
            matched = [n for n, s in zip(norms, stems, strict=True) if s in wanted]
            ranked.append((-len(matched), i, matched))
    ranked.sort()
    total = correct = 0
    wrong: Counter[str] = Counter()
    for _, _, matched in ranked[:top]:
        for norm in matched:
            total += 1
            if good.match(norm):
                correct += 1
            else:
                wrong[norm] += 1
    return len(ranked), total, correct, wrong


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=3000, help="SaudiNewsNet articles")
    parser.add_argument("--top", type=int, default=20, help="top articles judged per query")
    args = parser.parse_args(argv)
    if not SAUDINEWSNET.is_dir():
        print(f"skipping: {SAUDINEWSNET} not found", file=sys.stderr)
        return 0
    texts = load_distractors(args.articles)
    articles = [[t.norm for t in arabic.tokens(text)] for text in texts]
    stemmers = {"schema 3 (before)": schema3_stem, "current": arabic.stem}
    print(f"{len(texts)} SaudiNewsNet articles; top {args.top} articles per query\n")
    print("| query | stemmer | stems | articles | matched words | precision | top wrong forms |")
    print("|---|---|---|---|---|---|---|")
    sums = {name: [0, 0] for name in stemmers}
    for query in QUERIES:
        for name, stemmer in stemmers.items():
            n_articles, total, correct, wrong = judge(articles, query, stemmer, args.top)
            sums[name][0] += total
            sums[name][1] += correct
            stems = " ".join(stemmer(t.norm) for t in arabic.tokens(query))
            worst = ", ".join(f"{w} ×{c}" for w, c in wrong.most_common(4))
            precision = f"{correct / total:.2f}" if total else "–"
            print(
                f"| {query} | {name} | {stems} | {n_articles} | {total} | {precision} | {worst} |"
            )
    for name, (total, correct) in sums.items():
        print(f"\nall queries, {name}: {correct}/{total} = {correct / max(total, 1):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
