"""Layout speed of tui.rtl: a whole article laid out at width 80, median of N runs.

Targets (issue 3): a 2,000-word article <= 10 ms, a 20,000-word article <= 100 ms (median).

Articles: the bundled seeds concatenated to 2,000 words, and SaudiNewsNet's longest articles
(from ../shared, skipped when absent) concatenated to 2,000 and 20,000 words, each paragraph
distinct. Three conditions are timed side by side in one run:

* cold: every cache emptied before each run (first time an article is ever shown);
* new width: caches warm but the width changes each run (a terminal resize);
* warm: the same article and width again (a re-render).

Usage: .venv/bin/python benchmarks/layout_speed.py [--runs N] [--width W]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from _common import REPO, SAUDINEWSNET, day_files, day_records

from tui import arabic_shaping, rtl, rtl_prepare


def _words(paragraphs: list[str]) -> int:
    return sum(len(p.split()) for p in paragraphs)


def _take(paragraphs: list[str], words: int) -> list[str]:
    taken: list[str] = []
    for paragraph in paragraphs:
        if _words(taken) >= words:
            break
        taken.append(paragraph)
    return taken


def seed_article(words: int) -> list[str]:
    paragraphs: list[str] = []
    for path in sorted((REPO / "seeds").glob("*.txt")):
        paragraphs.extend(p for p in path.read_text(encoding="utf-8").splitlines() if p.strip())
    result: list[str] = []
    copy = 0
    while _words(result) < words:
        # trailing spaces (invisible, bidi-neutral) keep each copy distinct: no cache reuse
        result.extend(p + " " * copy for p in paragraphs)
        copy += 1
    return _take(result, words)


def saudi_article(words: int) -> list[str] | None:
    zips = day_files(SAUDINEWSNET, None)
    if not zips:
        return None
    articles = [r.get("content") or "" for archive in zips[:4] for r in day_records(archive)]
    articles.sort(key=len, reverse=True)
    paragraphs: list[str] = []
    seen: set[str] = set()
    for article in articles:
        for paragraph in article.splitlines():
            if paragraph.strip() and paragraph not in seen:
                seen.add(paragraph)
                paragraphs.append(paragraph)
        if _words(paragraphs) >= words:
            break
    return _take(paragraphs, words)


def clear_caches() -> None:
    rtl_prepare.clear_caches()
    arabic_shaping._SHAPED_WORDS.clear()


def time_runs(
    run: Callable[[int], object], runs: int, before: Callable[[int], None]
) -> tuple[float, float]:
    """Median wall-clock and median CPU milliseconds of ``runs`` calls.

    CPU time (``process_time``) is reported beside wall time because the benchmark machine is
    shared: wall time there includes waiting for a core, CPU time does not.
    """
    wall: list[float] = []
    cpu: list[float] = []
    for k in range(runs):
        before(k)
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        run(k)
        wall.append((time.perf_counter() - start_wall) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def bench(name: str, paragraphs: list[str], width: int, runs: int) -> None:
    def lay(w: int) -> int:
        return sum(len(rtl.layout(p, w)) for p in paragraphs)

    lines = lay(width)
    cold = time_runs(lambda k: lay(width), runs, lambda k: clear_caches())
    lay(width)
    resize = time_runs(lambda k: lay(width - 1 - k % 20), runs, lambda k: None)
    warm = time_runs(lambda k: lay(width), runs, lambda k: None)
    chars = sum(len(p) for p in paragraphs)
    print(
        f"{name:<20} {_words(paragraphs):>6} words {len(paragraphs):>4} paras {chars:>7} chars "
        f"{lines:>5} lines | median ms wall/cpu: cold {cold[0]:6.1f}/{cold[1]:6.1f}  "
        f"new width {resize[0]:6.1f}/{resize[1]:6.1f}  warm {warm[0]:6.1f}/{warm[1]:6.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--width", type=int, default=80)
    args = parser.parse_args()
    bench("seeds x2000w", seed_article(2000), args.width, args.runs)
    bench("seeds x20000w", seed_article(20000), args.width, max(5, args.runs // 3))
    for words, runs in ((2000, args.runs), (20000, max(5, args.runs // 3))):
        article = saudi_article(words)
        if article is None:
            print(f"saudinewsnet {words}w: skipped ({SAUDINEWSNET} not found)")
            continue
        bench(f"saudinewsnet {words}w", article, args.width, runs)


if __name__ == "__main__":
    main()
