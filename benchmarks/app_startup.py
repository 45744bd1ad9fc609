"""App speed: time to first frame (vs a bare Textual hello world), keystroke to results, opening
an article. Results go in BENCHMARKS.md / notes; timings on a shared machine are noisy, so each
number is a median and p95 over many runs, and start-up is measured side by side, alternating.

    .venv/bin/python benchmarks/app_startup.py startup [--runs 15]
    .venv/bin/python benchmarks/app_startup.py interactive --corpus ../shared/corpora/saudinewsnet \
        [--home DIR]   # DIR keeps the built index between runs (a first build takes minutes)

startup: both programs run in a pseudo-terminal (100x30) and quit from ``on_ready`` — the real
``newsreader`` through ``NEWSREADER_EXIT_AFTER_FIRST_FRAME`` — so the time is process start to
first frame plus Textual's own shutdown, the same for both. Target: newsreader <= 1.3x.

interactive (service level, the debounce excluded): for every prefix a user types of a set of
news queries, the search (the worker's job) plus the result list rendered (``render_lines`` of
the visible rows); and for sampled articles, fetching the article, laying it out and rendering
the visible rows of the reader. Targets: keystroke p95 <= 100 ms, open <= 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import platform
import pty
import random
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

from _common import SAUDINEWSNET

BIN = Path(sys.executable).parent

HELLO = """
from textual.app import App
from textual.widgets import Static

class Hello(App):
    def compose(self):
        yield Static("Hello, world")
    def on_ready(self):
        self.exit()

Hello().run()
"""

QUERIES = [
    "الملك سلمان",
    "وزارة الصحة",
    "كورونا",
    "الحج",
    "الأمطار",
    "داعش",
    "اليمن",
    "الحوثيين",
    "التعليم",
    "جامعة الملك سعود",
    "سوق الأسهم",
    "أرامكو",
    "أسعار النفط",
    "المرور",
    "الدفاع المدني",
    "وزير الخارجية",
    "مكة المكرمة",
    "الهلال",
    "المنتخب السعودي",
    "البطالة",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(name: str, ms: list[float]) -> str:
    return (
        f"{name}: median {statistics.median(ms):.1f} ms, p95 {percentile(ms, 0.95):.1f} ms, "
        f"max {max(ms):.1f} ms (n={len(ms)})"
    )


# --------------------------------------------------------------------------- start-up


def run_in_pty(command: list[str], env: dict[str, str]) -> float:
    """Seconds from spawning ``command`` in a 100x30 pseudo-terminal to its exit."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))

    def drain() -> None:
        while True:
            try:
                if not os.read(master, 65536):
                    return
            except OSError:
                return

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    start = time.perf_counter()
    process = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env)
    code = process.wait(timeout=60)
    elapsed = time.perf_counter() - start
    os.close(slave)
    os.close(master)
    reader.join(timeout=2)
    if code != 0:
        raise RuntimeError(f"{command} exited with {code}")
    return elapsed


def bench_startup(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        hello = Path(tmp) / "hello.py"
        hello.write_text(HELLO)
        env = dict(os.environ, TERM="xterm-256color", NEWSREADER_HOME=str(Path(tmp) / "home"))
        env["NEWSREADER_EXIT_AFTER_FIRST_FRAME"] = "1"
        commands = {
            "hello": [sys.executable, str(hello)],
            "newsreader": [str(BIN / "newsreader"), "--bidi", "app"],
            # The same app without tui.cli, whose parser imports every subcommand module
            # (and with them Whoosh and the stores) before it knows no subcommand was given.
            "tui.launch direct": [
                sys.executable,
                "-c",
                "import sys; from tui.launch import launch; sys.exit(launch(['--bidi', 'app']))",
            ],
        }
        for command in commands.values():  # warm the file cache once
            run_in_pty(command, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, command in commands.items():
                times[name].append(run_in_pty(command, env) * 1000)
    for name, ms in times.items():
        print(summary(f"first frame, {name}", ms))
    hello_median = statistics.median(times["hello"])
    for name in ("newsreader", "tui.launch direct"):
        ratio = statistics.median(times[name]) / hello_median
        print(f"ratio of medians {name}/hello: {ratio:.2f}x (target <= 1.3x)")


# --------------------------------------------------------------------------- interactive


def prefixes(query: str) -> list[str]:
    """What the search box holds after each keystroke (from two characters on)."""
    return [query[:n] for n in range(2, len(query) + 1) if not query[:n].endswith(" ")]


async def bench_interactive(corpus: Path, home: Path, samples: int) -> None:
    os.environ["NEWSREADER_HOME"] = str(home)
    from textual.geometry import Region

    from tui.app import make_app
    from tui.config import Config
    from tui.services import open_services
    from tui.widgets.reader import Reader
    from tui.widgets.search_pane import ResultsView, SearchPane

    services = open_services([corpus], Config())
    services.open()
    if services.needs_update():
        print("building the index (once; kept in --home)…", flush=True)
        started = time.perf_counter()
        services.update_index(lambda _p: None, threading.Event())
        print(f"built in {time.perf_counter() - started:.0f} s", flush=True)
    print(f"{services.article_count()} articles", flush=True)
    from index.links_store import RelatedStore

    # Open the related store as it is, without catching up: computing the links of the whole
    # corpus is the indexer's job (minutes), not part of what is measured here.
    assert services.index is not None
    services.related = RelatedStore.open(services.index.directory)
    app = make_app(services, Config(), bidi_flag="app")
    keystroke: list[float] = []
    search_only: list[float] = []
    render_only: list[float] = []
    opening: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        pane = screen.query_one(SearchPane)
        results = pane.results
        reader = screen.query_one(Reader)
        for query in QUERIES:  # warm-up: first searches load Whoosh readers
            services.search(query)
        for query in QUERIES:
            for typed in prefixes(query):
                pane.query_input.value = typed
                await pilot.pause()
                region = results.scrollable_content_region
                started = time.perf_counter()
                result = services.search(typed)
                searched = time.perf_counter()
                pane.show_results(
                    ResultsView(typed, tuple(result.hits), result.total, result.error)
                )
                results.render_lines(Region(0, 0, region.width, region.height))
                done = time.perf_counter()
                keystroke.append((done - started) * 1000)
                search_only.append((searched - started) * 1000)
                render_only.append((done - searched) * 1000)
        ids = services.index.article_ids() if services.index else []
        rng = random.Random(7)
        await pilot.press("escape")
        for article_id in rng.sample(ids, min(samples, len(ids))):
            services._articles.clear()  # measure the fetch from the index too
            region = reader.scrollable_content_region
            started = time.perf_counter()
            article = services.article(article_id)
            assert article is not None
            reader.show_article(article)
            reader.render_lines(Region(0, 0, region.width, region.height))
            opening.append((time.perf_counter() - started) * 1000)
    print(summary("keystroke to results (search + list render)", keystroke))
    print(summary("  of which the core search (services.search)", search_only))
    print(summary("  of which the result list (show_results + render_lines)", render_only))
    print(summary("open an article (fetch + layout + visible rows)", opening))
    services.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    startup = sub.add_parser("startup")
    startup.add_argument("--runs", type=int, default=15)
    interactive = sub.add_parser("interactive")
    interactive.add_argument("--corpus", type=Path, default=SAUDINEWSNET)
    interactive.add_argument(
        "--home", type=Path, default=Path(tempfile.gettempdir()) / "nr-bench-home"
    )
    interactive.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cpus, python {platform.python_version()}"
    )
    if args.what == "startup":
        bench_startup(args.runs)
    else:
        if not args.corpus.exists():
            sys.exit(f"{args.corpus} not found: the SaudiNewsNet corpus lives in ../shared")
        asyncio.run(bench_interactive(args.corpus, args.home, args.samples))


if __name__ == "__main__":
    main()
