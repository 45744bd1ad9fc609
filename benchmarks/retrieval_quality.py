"""Retrieval quality of the Arabic analyzers on ARCD and KaifLematha (issue 2, "Quality").

Every distinct paragraph (``context``) of a reading-comprehension set becomes a document; every
question is a query whose one relevant document is the paragraph it was written about. Queries
are the question's analyzed words OR-ed together and ranked with BM25F, like a reader typing a
question into the search box. Each configuration is also run on *noisy* spellings of the same
questions (harakat sprinkled in, alef/ya/taa-marbuta variants, Persian ye/kaf), generated with
a per-question seeded RNG, so a run is reproducible and independent of ``--limit``.

All analyzers are indexed as separate fields of ONE index per set: BM25F statistics are per
field, so each configuration sees exactly the index it would see alone, and the paragraphs (and
optional SaudiNewsNet distractors) are analyzed once per field instead of once per run.

    python benchmarks/retrieval_quality.py [--sets arcd,kaif] [--limit N] [--distractors N]

Prints a markdown table (MRR@10, Recall@10, clean and noisy) and the analyzer throughput.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from _common import SAUDINEWSNET, SHARED, day_files, day_records
from light10_baseline import LuceneLight10Analyzer
from whoosh import fields as wf
from whoosh.analysis import Filter, RegexTokenizer, StandardAnalyzer
from whoosh.analysis import Token as WhooshToken
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.filedb.filestore import FileStorage
from whoosh.index import Index
from whoosh.query import Or, Query, Term
from whoosh.scoring import BM25F

from index import arabic

SETS = {
    "arcd": SHARED / "eval" / "arcd" / "arcd-train.json",
    "kaif": SHARED / "eval" / "kaiflematha" / "development.json",
}
TOP_K = 10


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class EvalQuery:
    """A question, the index of the paragraph it was asked about, and the indexes of that
    paragraph's extended or truncated copies which also hold its answer (ARCD repeats an
    article's lead paragraph as the start of a longer one)."""

    qid: str
    text: str
    relevant: int
    also_relevant: frozenset[int] = frozenset()


@dataclass
class EvalSet:
    """Distinct paragraphs of a SQuAD-format file and the questions over them."""

    name: str
    paragraphs: list[str]
    queries: list[EvalQuery]


def load_squad(name: str, path: Path) -> EvalSet:
    """Read ARCD (``data[].paragraphs[].{context,qas}``) or KaifLematha (``data[].{context,qas}``).

    Identical contexts are merged, so a question about a repeated paragraph has one answer.
    """
    raw = json.loads(path.read_text(encoding="utf-8"))
    entries: list[dict] = []
    for item in raw["data"]:
        entries.extend(item.get("paragraphs", [item]))
    index_of: dict[str, int] = {}
    pending: list[tuple[str, str, int, list[str]]] = []
    for entry in entries:
        context = entry["context"]
        ctx_id = index_of.setdefault(context, len(index_of))
        for qa in entry["qas"]:
            question = qa["question"].strip()
            answers = [a["text"] for a in qa.get("answers", []) if a.get("text")]
            if question:
                pending.append((str(qa["id"]), question, ctx_id, answers))
    paragraphs = list(index_of)
    copies = _prefix_copies(paragraphs)
    queries = [
        EvalQuery(
            qid,
            question,
            ctx_id,
            frozenset(
                other
                for other in copies.get(ctx_id, ())
                if any(answer in paragraphs[other] for answer in answers)
            ),
        )
        for qid, question, ctx_id, answers in pending
    ]
    return EvalSet(name, paragraphs, queries)


def _prefix_copies(paragraphs: Sequence[str]) -> dict[int, set[int]]:
    """Pairs of paragraphs where one is the start of the other (ARCD has 38 such pairs)."""
    by_head: dict[str, list[int]] = {}
    for i, text in enumerate(paragraphs):
        by_head.setdefault(text[:100], []).append(i)
    copies: dict[int, set[int]] = {}
    for group in by_head.values():
        for i in group:
            for j in group:
                a, b = paragraphs[i], paragraphs[j]
                if i != j and (a.startswith(b) or b.startswith(a)):
                    copies.setdefault(i, set()).add(j)
    return copies


def load_distractors(limit: int) -> list[str]:
    """Up to ``limit`` SaudiNewsNet article bodies (day files in date order), as a distractor pool."""
    texts: list[str] = []
    for archive in day_files(SAUDINEWSNET, None):
        for article in day_records(archive):
            content = (article.get("content") or "").strip()
            if content:
                texts.append(content)
                if len(texts) >= limit:
                    return texts
    return texts


# --------------------------------------------------------------------------- noise

_HARAKAT = [chr(c) for c in range(0x064B, 0x0653)]  # fathatan .. sukun
_ALEFS = "اأإآ"
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
_WORD = re.compile(r"[\u0621-\u064a]+")


def noisy_spelling(text: str, seed: str) -> str:
    """A deterministic misspelling of ``text`` of the kinds the normalizer must absorb.

    Per word: alef forms swapped (أ/إ/ا/آ), final ي↔ى and ه↔ة swapped, Persian ی/ک for ي/ك,
    then harakat sprinkled after letters. The RNG is seeded by ``seed`` (the question id), so the
    same question always gets the same noise.
    """
    rng = random.Random(seed)

    def misspell(match: re.Match[str]) -> str:
        letters = list(match.group(0))
        for i, ch in enumerate(letters):
            if ch in _ALEFS and rng.random() < 0.5:
                letters[i] = rng.choice(_ALEFS)
            elif ch == "ي" and rng.random() < 0.3:
                letters[i] = "ی"
            elif ch == "ك" and rng.random() < 0.3:
                letters[i] = "ک"
        last = letters[-1]
        if last in "يى" and rng.random() < 0.5:
            letters[-1] = "ى" if last == "ي" else "ي"
        elif last in "هة" and rng.random() < 0.5:
            letters[-1] = "ة" if last == "ه" else "ه"
        out: list[str] = []
        for ch in letters:
            out.append(ch)
            if _ARABIC_LETTER.match(ch) and rng.random() < 0.3:
                out.append(rng.choice(_HARAKAT))
        return "".join(out)

    return _WORD.sub(misspell, text)


# --------------------------------------------------------------------------- previous stemmer

#: The project's light stemmer as it was at index schema 3: the cross-source analysis still uses
#: it (:func:`index.arabic.link_stem`), so every run compares the search stemmer with it.
schema3_stem = arabic.link_stem


class Schema3StemFilter(Filter):
    """Normalize, drop stop words, stem with :func:`schema3_stem` (the schema-3 analyzer)."""

    def __eq__(self, other: object) -> bool:
        return other is not None and self.__class__ is other.__class__

    def __call__(self, tokens: Iterable[WhooshToken]) -> Iterator[WhooshToken]:
        for t in tokens:
            norm = arabic.normalize_token(t.text)
            if norm and norm not in arabic.STOP_WORDS:
                t.text = schema3_stem(norm)
                yield t


def Schema3Analyzer() -> CompositeAnalyzer:
    """The project's stemmed analyzer with the schema-3 stemmer (before/after in one run)."""
    return RegexTokenizer(arabic.TOKEN_PATTERN) | Schema3StemFilter()


# --------------------------------------------------------------------------- configurations


@dataclass(frozen=True)
class Config:
    """A retrieval setup: which index fields a question is analyzed for and OR-ed over."""

    name: str
    fields: dict[str, float]  # field name -> query boost


FIELD_ANALYZERS: dict[str, Callable[[], object]] = {
    "std": StandardAnalyzer,
    "l10": LuceneLight10Analyzer,
    "norm": arabic.ArabicNormalizingAnalyzer,
    "stem": arabic.ArabicAnalyzer,
    "stem3": Schema3Analyzer,
}

CONFIGS = [
    Config("(a) Whoosh StandardAnalyzer", {"std": 1.0}),
    Config("Lucene normalizer + light10 (baseline)", {"l10": 1.0}),
    Config("(b) normalizer only", {"norm": 1.0}),
    Config("(c0) schema-3 stemmer (before)", {"stem3": 1.0}),
    Config("(c) project analyzer (stemmed)", {"stem": 1.0}),
    Config("(d) stemmed + normalized fields", {"stem": 1.0, "norm": 1.0}),
    Config("(d') stemmed + normalized ×0.5", {"stem": 1.0, "norm": 0.5}),
]


def build_index(paragraphs: Sequence[str], distractors: Sequence[str], where: Path) -> Index:
    """One index in ``where`` with a field per analyzer; ``pid`` = paragraph index, -1 = distractor.

    On disk, not ``RamStorage``: Whoosh's RAM storage spills sort runs to a fixed ``/tmp/MAIN.tmp``
    shared by every process on the machine, which breaks when two runs overlap.
    """
    schema = wf.Schema(
        pid=wf.NUMERIC(stored=True),
        **{name: wf.TEXT(analyzer=make()) for name, make in FIELD_ANALYZERS.items()},
    )
    ix = FileStorage(str(where)).create_index(schema)
    with ix.writer() as writer:
        for pid, text in enumerate(paragraphs):
            writer.add_document(pid=pid, **dict.fromkeys(FIELD_ANALYZERS, text))
        for text in distractors:
            writer.add_document(pid=-1, **dict.fromkeys(FIELD_ANALYZERS, text))
    return ix


def build_query(text: str, config: Config, analyzers: dict[str, object]) -> Query:
    """OR of the question's distinct terms in every field of ``config`` (boosted per field)."""
    clauses: list[Query] = []
    for fieldname, boost in config.fields.items():
        seen: set[str] = set()
        for token in analyzers[fieldname](text, mode="query"):  # type: ignore[operator]
            if token.text not in seen:
                seen.add(token.text)
                clauses.append(Term(fieldname, token.text, boost=boost))
    return Or(clauses)


@dataclass
class Scores:
    """MRR@10 and Recall@10 over first-relevant ranks (None = not in the top 10).

    ``ranks`` counts only the question's own paragraph (the issue's definition); ``dup_ranks``
    also accepts a prefix copy of it that holds the answer.
    """

    ranks: list[int | None] = field(default_factory=list)
    dup_ranks: list[int | None] = field(default_factory=list)

    @staticmethod
    def _mrr(ranks: list[int | None]) -> float:
        return sum(1.0 / r for r in ranks if r) / max(len(ranks), 1)

    @property
    def mrr(self) -> float:
        return self._mrr(self.ranks)

    @property
    def dup_mrr(self) -> float:
        return self._mrr(self.dup_ranks)

    @property
    def recall(self) -> float:
        return sum(1 for r in self.ranks if r) / max(len(self.ranks), 1)


def evaluate(
    ix: Index, queries: Iterable[EvalQuery], configs: Sequence[Config]
) -> dict[tuple[str, bool], Scores]:
    """Rank of the relevant paragraph for every (config, clean/noisy) and question."""
    analyzers = {name: ix.schema[name].analyzer for name in FIELD_ANALYZERS}
    results: dict[tuple[str, bool], Scores] = {}
    with ix.searcher(weighting=BM25F()) as searcher:
        for q in queries:
            variants = {False: q.text, True: noisy_spelling(q.text, q.qid)}
            for config in configs:
                for noisy, text in variants.items():
                    hits = searcher.search(build_query(text, config, analyzers), limit=TOP_K)
                    pids = [hit["pid"] for hit in hits]
                    scores = results.setdefault((config.name, noisy), Scores())
                    scores.ranks.append(_first_rank(pids, {q.relevant}))
                    scores.dup_ranks.append(_first_rank(pids, {q.relevant} | q.also_relevant))
    return results


def _first_rank(pids: Sequence[int], relevant: set[int]) -> int | None:
    return next((i + 1 for i, pid in enumerate(pids) if pid in relevant), None)


# --------------------------------------------------------------------------- throughput


def analyzer_throughput(texts: Sequence[str], repeats: int = 3) -> dict[str, float]:
    """Tokens per second of ``arabic.tokens`` and the Whoosh analyzers, cold and warm caches.

    Cold = caches cleared before the first pass (what a first index build sees for new words);
    warm = median of later passes. Timings on a shared machine are noisy.
    """
    n_tokens = sum(1 for text in texts for _ in arabic.tokens(text, keep_stop_words=True))
    out: dict[str, float] = {"tokens": float(n_tokens)}
    runners: dict[str, Callable[[str], object]] = {
        "arabic.tokens()": lambda t: sum(1 for _ in arabic.tokens(t)),
        "ArabicAnalyzer": lambda t: sum(1 for _ in stem_analyzer(t)),
        "ArabicNormalizingAnalyzer": lambda t: sum(1 for _ in norm_analyzer(t)),
        "StandardAnalyzer": lambda t: sum(1 for _ in std_analyzer(t)),
    }
    stem_analyzer = arabic.ArabicAnalyzer()
    norm_analyzer = arabic.ArabicNormalizingAnalyzer()
    std_analyzer = StandardAnalyzer()
    for name, run in runners.items():
        clear = getattr(arabic, "clear_caches", None)
        if clear:
            clear()
        timings = []
        for _ in range(repeats):
            start = time.perf_counter()
            for text in texts:
                run(text)
            timings.append(time.perf_counter() - start)
        out[f"{name} cold"] = n_tokens / timings[0]
        out[f"{name} warm"] = n_tokens / statistics.median(timings[1:])
    return out


# --------------------------------------------------------------------------- CLI


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default="arcd,kaif", help="comma-separated: arcd, kaif")
    parser.add_argument("--limit", type=int, default=0, help="first N questions per set (0 = all)")
    parser.add_argument(
        "--distractors", type=int, default=0, help="add N SaudiNewsNet articles to every pool"
    )
    parser.add_argument(
        "--throughput-articles",
        type=int,
        default=2000,
        help="SaudiNewsNet articles to time the analyzers on (0 = skip; falls back to the "
        "eval paragraphs when the corpus is missing)",
    )
    args = parser.parse_args(argv)

    distractors = load_distractors(args.distractors) if args.distractors else []
    rows: list[str] = []
    all_paragraphs: list[str] = []
    for set_name in [s.strip() for s in args.sets.split(",") if s.strip()]:
        path = SETS.get(set_name)
        if path is None:
            parser.error(f"unknown set {set_name!r}; choose from {', '.join(SETS)}")
        if not path.is_file():
            print(f"skipping {set_name}: {path} not found", file=sys.stderr)
            continue
        evalset = load_squad(set_name, path)
        all_paragraphs.extend(evalset.paragraphs)
        queries = evalset.queries[: args.limit] if args.limit else evalset.queries
        start = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="retrieval-quality-") as where:
            ix = build_index(evalset.paragraphs, distractors, Path(where))
            built = time.perf_counter() - start
            results = evaluate(ix, queries, CONFIGS)
            ix.close()
        took = time.perf_counter() - start
        print(
            f"{set_name}: {len(evalset.paragraphs)} paragraphs + {len(distractors)} distractors, "
            f"{len(queries)} questions; index {built:.1f}s, total {took:.1f}s",
            file=sys.stderr,
        )
        for config in CONFIGS:
            clean, noisy = results[(config.name, False)], results[(config.name, True)]
            rows.append(
                f"| {set_name} | {config.name} | {clean.mrr:.3f} | {clean.recall:.3f} "
                f"| {noisy.mrr:.3f} | {noisy.recall:.3f} | {noisy.mrr - clean.mrr:+.3f} "
                f"| {clean.dup_mrr:.3f} |"
            )
    print(
        f"Pool: paragraphs of each set + {len(distractors)} SaudiNewsNet distractors; BM25F; OR of terms.\n"
    )
    print(
        "| set | analyzer | MRR@10 | R@10 | noisy MRR@10 | noisy R@10 | Δ MRR "
        "| MRR@10, prefix copies relevant |"
    )
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    if args.throughput_articles:
        texts = load_distractors(args.throughput_articles) if SAUDINEWSNET.is_dir() else []
        source = f"{len(texts)} SaudiNewsNet articles" if texts else "the eval paragraphs"
        tp = analyzer_throughput(texts or all_paragraphs)
        print(
            f"\nAnalyzer throughput on {source}, {int(tp.pop('tokens')):,} tokens "
            "(tokens/s, one process; shared machine, so timings are noisy):\n"
        )
        print("| analyzer | cold cache | warm cache |")
        print("|---|---|---|")
        for name in (
            "arabic.tokens()",
            "ArabicAnalyzer",
            "ArabicNormalizingAnalyzer",
            "StandardAnalyzer",
        ):
            print(f"| {name} | {tp[name + ' cold']:,.0f} | {tp[name + ' warm']:,.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
