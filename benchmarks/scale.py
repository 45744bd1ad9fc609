"""Scale benchmark: the whole SaudiNewsNet corpus (31,030 records) in the newsreader index.

Measures, in one run on one machine:

* full build of the Whoosh index (articles + passages): wall time, index size, peak RSS;
* adding one article to the built index (an incremental update) and removing it again;
* search latency p50/p95 over the fixed QUERIES below, for ``index.search.search`` (hits with
  best passages and highlights, what the app and CLI use) and for the article ranking alone;
* the same queries on SQLite FTS5 (stdlib ``sqlite3``, ``unicode61 remove_diacritics 2``)
  over the same clean texts, with ``bm25`` ranking and a ``snippet()``, as the yardstick.

Queries are interleaved (one Whoosh run, one FTS5 run, per query) so both see the same machine
load; each query's latency is the median of ``--repeat`` runs after a warm-up pass. The last
word of a query is a prefix in both engines (``word*`` in FTS5), as newsreader searches by
default; phrases stay phrases.

QUERIES were drawn once, with ``random.Random(20150721)``, from the 300 most frequent title
bigrams (75, every fifth as a quoted phrase) and the 300 most frequent title words (25) of the
corpus, each in its most frequent written form; they are fixed here so runs compare.

    .venv/bin/python benchmarks/scale.py [--corpus ../shared/corpora/saudinewsnet]
        [--work DIR] [--repeat 3] [--out ../notes/bench_scale.md] [--reuse]

The corpus is CC BY-NC-SA: it is read from ``../shared``, never copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from _common import SAUDINEWSNET

from index import fastrank
from index.query import parse
from index.search import clear_caches, search
from index.store import CorpusIndex

QUERIES = (
    '"رجال الأمن"',
    "القتل قصاصاً",
    "العمال الكردستاني",
    "أمير عسير",
    "عيد طيبة",
    '"تصريحات المالكي"',
    "بعيد الفطر",
    "سعود الفيصل",
    "مليون يورو",
    "اليوم الوطني",
    '"أبها يجمعنا"',
    "ينقل تعازي",
    "مجلس الوزراء",
    "ألف ريال",
    "الأسبوع القادم",
    '"الشرق الأوسط"',
    "عين اليوم",
    "رئيس وزراء",
    "تحت أشعة",
    "المسجد الأقصى",
    '"التواصل الاجتماعي"',
    "السوبر السعودي",
    "هيئة السياحة",
    "السويس الجديدة",
    "الطوارئ بعسير",
    '"العهد يوجه"',
    "الطائرة الماليزية",
    "الذهب يتراجع",
    "للوظائف التعليمية",
    "وصول طائرة",
    '"بحفر الباطن"',
    "قناة السويس",
    "أوضاع اليمنيين",
    "رفع الفائدة",
    "الفيصل شاهد",
    '"إطلاق نار"',
    "جنوب السودان",
    "ولي العهد",
    "البلدية والقروية",
    "مستوى سنوات",
    '"وزير الدفاع"',
    "ألف حبة",
    "الاتفاق النووي",
    "يواصل فعالياته",
    "سفراء الحزم",
    '"بجامعة الملك"',
    "يحتفل بزفاف",
    "الملك خالد",
    "الملك سعود",
    "أمير نجران",
    '"مطار عدن"',
    "مهرجان صيف",
    "للانتخابات البلدية",
    "سقوط مقذوف",
    "الرياض يستقبل",
    '"مركزاً انتخابياً"',
    "لرئاسة الفيفا",
    "القطاع الخاص",
    "تنظيم داعش",
    "رعاية الشباب",
    '"الأسهم السعودية"',
    "المقاومة الشعبية",
    "نائب الملك",
    "أبها للتسوق",
    "مقتل شخصاً",
    '"أمانة المدينة"',
    "مهرجان أبها",
    "الخارجية المصري",
    "النووي الإيراني",
    "الفيصل يفتتح",
    '"المقابلات الشخصية"',
    "إجازة خاصة",
    "كأس العالم",
    "الأمم المتحدة",
    "الاتحاد الأوروبي",
    "لجنة",
    "العربي",
    "أحد",
    "الشريفين",
    "يدعو",
    "استشهاد",
    "معرض",
    "ألف",
    "جامعة",
    "يبدأ",
    "واشنطن",
    "مدني",
    "داخل",
    "قوات",
    "حالة",
    "الشؤون",
    "دول",
    "المصري",
    "العراق",
    "الأمنية",
    "عمر",
    "العالم",
    "الباطن",
    "انخفاض",
    "الجيش",
)


@dataclass
class Latency:
    name: str
    samples: list[float]
    hits: list[int]

    def pct(self, q: float) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000

    def row(self) -> str:
        return (
            f"| {self.name} | {self.pct(0.5):.1f} | {self.pct(0.95):.1f} | "
            f"{max(self.samples) * 1000:.1f} | {statistics.mean(self.hits):.1f} |"
        )


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def machine() -> str:
    model = "unknown"
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        model = next(
            (line.split(":", 1)[1].strip() for line in out.splitlines() if "Model name" in line),
            model,
        )
    except OSError:
        pass
    import importlib.metadata

    return (
        f"{os.cpu_count()} CPUs (nproc), {model}; Python {platform.python_version()}, "
        f"Whoosh-Reloaded {importlib.metadata.version('whoosh-reloaded')}, SQLite {sqlite3.sqlite_version}"
    )


_PHRASE = re.compile(r'"([^"]*)"|(\S+)')


def fts5_query(query: str) -> str:
    """The same query in FTS5 syntax: phrases kept, words ANDed, the last word a prefix."""
    parts: list[str] = []
    matches = list(_PHRASE.finditer(query))
    for n, match in enumerate(matches):
        if match.group(1) is not None:
            parts.append(f'"{match.group(1)}"')
        else:
            star = "*" if n == len(matches) - 1 and not query.endswith(" ") else ""
            parts.append(f'"{match.group(2)}"{star}')
    return " ".join(parts)


def build_fts5(db_path: Path, index: CorpusIndex) -> tuple[float, int]:
    started = time.perf_counter()
    db = sqlite3.connect(db_path)
    db.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(aid UNINDEXED, title, body, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )
    count = 0
    batch: list[tuple[str, str, str]] = []
    for article in index.articles():
        batch.append((article.id, article.title, article.text))
        count += 1
        if len(batch) >= 2000:
            db.executemany("INSERT INTO docs VALUES (?, ?, ?)", batch)
            batch.clear()
    db.executemany("INSERT INTO docs VALUES (?, ?, ?)", batch)
    db.commit()
    db.close()
    return time.perf_counter() - started, count


def timed(
    fn: Callable[[str], int], query: str, repeat: int, before: Callable[[], None] | None = None
) -> tuple[float, int]:
    runs = []
    hits = 0
    for _ in range(repeat):
        if before is not None:
            before()  # not timed
        started = time.perf_counter()
        hits = fn(query)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs), hits


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=SAUDINEWSNET)
    parser.add_argument(
        "--work", type=Path, default=None, help="scratch directory (default: a temp dir)"
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None, help="write the Markdown report here")
    parser.add_argument("--reuse", action="store_true", help="reuse a built index in --work")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"{args.corpus} not found: the SaudiNewsNet corpus is in ../shared", file=sys.stderr)
        return 2
    work = args.work or Path(tempfile.mkdtemp(prefix="newsreader-scale-"))
    extra = work / "extra"  # a second corpus directory, for the add-one-article measurement
    if not args.reuse:
        shutil.rmtree(work / "whoosh", ignore_errors=True)
        shutil.rmtree(extra, ignore_errors=True)
    extra.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    command = " ".join([Path(sys.executable).name, *sys.argv])
    lines = [
        "# Scale benchmark: SaudiNewsNet",
        "",
        f"- Machine: {machine()}",
        f"- Command: `{command}`",
        f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        f"- Load average at start (1/5/15 min): {load_before[0]:.1f} / {load_before[1]:.1f} / {load_before[2]:.1f}",
        "",
    ]

    # --- full build -----------------------------------------------------------------
    phases: dict[str, float] = {}
    started = time.perf_counter()

    def progress(p: object) -> None:
        phase = getattr(p, "phase", "")
        phases.setdefault(phase, time.perf_counter() - started)

    index = CorpusIndex.open([args.corpus, extra], index_root=work / "whoosh")
    reused = args.reuse and index.status.usable and not index.needs_update()
    result = None
    if not reused:
        result = index.update(progress=progress)
    build_s = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_s = usage.ru_utime + usage.ru_stime
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size_mb = dir_size(work / "whoosh") / 1e6
    articles = index.article_count()
    lines += ["## Full build (Whoosh, articles + passages)", ""]
    if reused:
        lines.append("Index reused from an earlier run (no build timed).")
    else:
        assert result is not None
        reading = phases.get("indexing", 0.0)
        committing = phases.get("committing", build_s)
        lines += [
            f"- Articles indexed: {articles:,} (records skipped by the loader: {len(result.skipped):,})",
            f"- Build time: **{build_s:.0f} s** ({build_s / 60:.1f} min) — reading/cleaning "
            f"{reading:.0f} s, adding documents {committing - reading:.0f} s, "
            f"commit {build_s - committing:.0f} s",
            f"- CPU time of the process up to here (user + system): **{cpu_s:.0f} s** — "
            "what the build costs on an idle core; the wall time above includes waiting for "
            "the CPU on a shared machine",
            f"- Peak RSS of the process after the build: {rss_mb:.0f} MB",
        ]
    lines += [f"- Index size on disk: {size_mb:.0f} MB", ""]

    # --- add one article ------------------------------------------------------------
    sample = index.article(index.article_ids()[0])
    assert sample is not None
    record = {
        "title": "خبر مضاف للقياس " + sample.title,
        "content": sample.text.replace("\n\n", "\n") + "\nكلمةفريدةللقياس",
        "source": sample.source or "bench",
        "date": "2015-09-01",
    }
    added = extra / "added.json"
    added.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    started = time.perf_counter()
    needs = index.needs_update()
    plan_s = time.perf_counter() - started
    started = time.perf_counter()
    add_result = index.update()
    add_s = time.perf_counter() - started
    found = search(index, "كلمةفريدةللقياس", prefix_last=False).hits
    added.unlink()
    started = time.perf_counter()
    remove_result = index.update()
    remove_s = time.perf_counter() - started
    lines += [
        "## Incremental update",
        "",
        f"- Noticing the new file (stat of every corpus file): {plan_s * 1000:.0f} ms (needs update: {needs})",
        f"- Adding one article to the built index: **{add_s * 1000:.0f} ms** "
        f"(added {len(add_result.changes.added)}, searchable: {bool(found)})",
        f"- Removing it again: {remove_s * 1000:.0f} ms (removed {len(remove_result.changes.removed)})",
        "",
    ]

    # --- FTS5 ------------------------------------------------------------------------
    db_path = work / "fts5.sqlite"
    db_path.unlink(missing_ok=True)
    fts_build_s, fts_count = build_fts5(db_path, index)
    lines += [
        "## SQLite FTS5 yardstick",
        "",
        f"- Built from the same {fts_count:,} clean texts in {fts_build_s:.0f} s (not comparable: "
        "no analysis in Python, no passages); size {:.0f} MB".format(db_path.stat().st_size / 1e6),
        "",
    ]

    # --- latency ---------------------------------------------------------------------
    db = sqlite3.connect(db_path)
    sql = (
        "SELECT aid, title, snippet(docs, 2, '[', ']', '…', 12) FROM docs "
        "WHERE docs MATCH ? ORDER BY rank LIMIT 20"
    )

    def run_fts(query: str) -> int:
        return len(db.execute(sql, (fts5_query(query),)).fetchall())

    def run_full(query: str) -> int:
        outcome = search(index, query)
        assert outcome.error is None, (query, outcome.error)
        return len(outcome.hits)

    def run_articles(query: str) -> int:
        with index.searcher() as searcher:
            assert searcher is not None
            ranked = fastrank.rank(searcher, parse(searcher.schema, query), 20)
            if ranked is None:  # a query shape the fast ranker leaves to Whoosh
                return len(searcher.search(parse(searcher.schema, query), limit=20).top_n)
            return len(ranked[0])

    full_name = "newsreader search (hits + best passages + highlights)"
    cold_name = "same, caches cleared before each run (decoded postings, scores, tokens)"
    engines = {
        full_name: run_full,
        cold_name: run_full,
        "article ranking only (no passages, no highlights)": run_articles,
        "SQLite FTS5 (bm25 + snippet)": run_fts,
    }
    for query in QUERIES:  # warm-up: OS cache, Whoosh caches, SQLite pages
        for fn in engines.values():
            fn(query)
    results = {name: Latency(name, [], []) for name in engines}
    for query in QUERIES:
        for name, fn in engines.items():
            before = clear_caches if name == cold_name else None
            seconds, hits = timed(fn, query, args.repeat, before)
            results[name].samples.append(seconds)
            results[name].hits.append(hits)
    db.close()
    whoosh_full = results[full_name]
    cold = results[cold_name]
    fts = results["SQLite FTS5 (bm25 + snippet)"]
    load_after = os.getloadavg()
    lines += [
        f"## Search latency ({len(QUERIES)} fixed queries, median of {args.repeat} runs each, ms)",
        "",
        "| engine | p50 | p95 | max | mean hits (≤ 20) |",
        "|---|---|---|---|---|",
        *[r.row() for r in results.values()],
        "",
        f"- Ratio newsreader search / FTS5: p50 **{whoosh_full.pct(0.5) / fts.pct(0.5):.1f}x**, "
        f"p95 **{whoosh_full.pct(0.95) / fts.pct(0.95):.1f}x**; with cold caches p50 "
        f"{cold.pct(0.5) / fts.pct(0.5):.1f}x, p95 {cold.pct(0.95) / fts.pct(0.95):.1f}x",
        "- Each query runs its repeats back to back (like search as you type re-running the "
        "same words), so the first row is served mostly from the per-process caches of "
        "index/fastrank.py and index/search.py; the cold row clears them before every run.",
        "- FTS5 matches tokens as written (no Arabic normalization, no clitic stripping, no "
        "passage ranking): it does less per query; this compares engines, not result quality.",
        f"- Load average at end: {load_after[0]:.1f} / {load_after[1]:.1f} / {load_after[2]:.1f}",
        "",
    ]
    report = "\n".join(lines)
    print(report)
    if args.out:
        args.out.write_text(report + "\n", encoding="utf-8")
    index.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
