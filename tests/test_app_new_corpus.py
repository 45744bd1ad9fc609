"""Indexing a corpus the app has never seen, and catching its related passages up: every phase
says what is happening and what the user can do, and Esc stops what can be stopped safely.

Seen on SaudiNewsNet (4,000 articles) before these tests: the search pane said "The index is
not ready yet: run `newsreader index`" while the app was building it; the bar sat on "Saving the
index 3893/3893 (Esc cancels)" for half a minute while the related passages were computed, and
Esc did nothing; at a start with a related store behind the index, a minute of catching up
showed no progress at all and could not be stopped. Gates in the progress callbacks hold the
work at a phase until the test has looked (and pressed Esc): synchronisation on events, no
sleeping. The corpus is a copy of the seeds; the core is real.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from _app_support import (
    QUERY,
    SEEDS,
    build_index,
    copy_of_seeds,
    move_until,
    new_app,
    notifications,
    search_and_open,
    settle,
)
from textual.pilot import Pilot

from index import parallel_related
from index.links_store import STORE_NAME, RelatedStore
from index.models import Article
from index.paths import index_dir
from index.related_sync import RelatedSync
from index.store import CorpusIndex
from tui.app import NewsreaderApp
from tui.screens.main_screen import MainScreen
from tui.services import RELATED_STOPPED, Services, open_services
from tui.widgets.index_progress import IndexProgress
from tui.widgets.reader import Reader
from tui.widgets.related_panel import RelatedPanel
from tui.widgets.search_pane import SearchPane

BOUND = 30.0
"""Seconds a gate holds the work at most (a bound against a hung test, never waited out)."""


async def until(pilot: Pilot[Any], reached: Callable[[], bool]) -> None:
    """Let the app run until ``reached()`` (bounded: each pause lets the workers progress)."""
    for _ in range(2000):
        if reached():
            return
        await pilot.pause()
    raise AssertionError("the app never got there")


def status(app: NewsreaderApp) -> str:
    return str(app.screen.query_one("#search-status").text)  # type: ignore[attr-defined]


def bar(app: NewsreaderApp) -> IndexProgress:
    return app.screen.query_one(IndexProgress)


class Gate:
    """Holds a worker at the first report whose phase starts with ``phase``, until the test
    opens it (:meth:`open`) or, with ``until_cancelled``, until the job's cancel flag is set."""

    def __init__(self, phase: str, *, until_cancelled: bool = False) -> None:
        self.phase = phase
        self.until_cancelled = until_cancelled
        self.reached = threading.Event()
        self._open = threading.Event()

    def open(self) -> None:
        self._open.set()

    def hold(self, phase: str, cancel: threading.Event) -> None:
        if self.reached.is_set() or not phase.startswith(self.phase):
            return
        self.reached.set()
        (cancel if self.until_cancelled else self._open).wait(timeout=BOUND)


def gate_updates(services: Services, gate: Gate, *, in_process: bool = False) -> None:
    """Hold ``services.update_index`` at ``gate``; the update starts once the related store is
    attached (so its ChangeSet reaches the store, as in most real starts: no race in a test).
    ``in_process``: the related passages of a full build are computed in this process."""
    attached = threading.Event()
    real_open, real_update = services.open_related, services.update_index

    def open_related(**kwargs: Any) -> list[str]:
        try:
            return real_open(**kwargs)
        finally:
            if in_process and services.related_sync is not None:
                services.related_sync.parallel = False
            attached.set()

    def update(progress: Callable[[Any], None], cancel: threading.Event) -> Any:
        attached.wait(timeout=BOUND)

        def report(step: Any) -> None:
            progress(step)
            gate.hold(step.phase, cancel)

        return real_update(report, cancel)

    services.open_related = open_related  # type: ignore[method-assign]
    services.update_index = update  # type: ignore[method-assign]


async def test_a_new_corpus_says_it_is_being_indexed_then_searches(
    newsreader_home: Path, tmp_path: Path
) -> None:
    corpus = copy_of_seeds(tmp_path / "corpus")
    services = open_services([corpus], new_app([corpus]).config)
    gate = Gate("indexing")
    gate_updates(services, gate)
    app = new_app([corpus], services=services)
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: gate.reached.is_set() and "Indexing articles" in bar(app).text)
        assert bar(app).has_class("-running") and "Esc cancels" in bar(app).text
        await until(pilot, lambda: "first time" in status(app))
        assert "not ready yet" not in status(app) and "newsreader index" not in status(app)
        gate.open()
        await settle(pilot)
        assert not bar(app).has_class("-running")
        assert "5 articles" in status(app)
        assert any("Index ready: 5 articles" in m for m in notifications(app))


async def test_esc_during_the_first_build_leaves_a_way_forward(
    newsreader_home: Path, tmp_path: Path
) -> None:
    corpus = copy_of_seeds(tmp_path / "corpus")
    services = open_services([corpus], new_app([corpus]).config)
    real_update = services.update_index
    gate = Gate("indexing", until_cancelled=True)
    gate_updates(services, gate)
    app = new_app([corpus], services=services)
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, gate.reached.is_set)
        await pilot.press("escape")
        await settle(pilot)
        assert not services.has_index and not bar(app).has_class("-running")
        said = notifications(app)[-1]
        assert "Indexing cancelled" in said and "no index yet" in said and "ctrl+r" in said
        assert "ctrl+r" in status(app) and "no index yet" in status(app)
        services.update_index = real_update  # type: ignore[method-assign]
        app.screen.query_one(Reader).focus()
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert services.article_count() == 5 and "5 articles" in status(app)


async def test_related_passages_of_a_build_show_progress_and_esc_stops_only_them(
    newsreader_home: Path, tmp_path: Path
) -> None:
    corpus = copy_of_seeds(tmp_path / "corpus")
    services = open_services([corpus], new_app([corpus]).config)
    gate = Gate("related:", until_cancelled=True)
    gate_updates(services, gate, in_process=True)
    app = new_app([corpus], services=services)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await until(pilot, lambda: gate.reached.is_set() and "Related passages" in bar(app).text)
        assert "Esc stops" in bar(app).text and "search and read meanwhile" in bar(app).text
        # the new index is live while its related passages are computed: search and read
        await until(pilot, lambda: "5 articles" in status(app))
        pane = screen.query_one(SearchPane)
        pane.query_input.value = QUERY
        await pilot.press("enter")
        await until(pilot, lambda: pane.view is not None and bool(pane.view.hits))
        pane.results.focus()
        await pilot.press("enter")
        reader = screen.query_one(Reader)
        await until(pilot, lambda: reader.article is not None and reader.has_focus)
        panel = screen.query_one(RelatedPanel)
        await until(pilot, lambda: "being prepared" in panel.query_one("#related-status").text)  # type: ignore[attr-defined]

        await pilot.press("escape")  # stops the related passages, not the reader (no Back)
        await settle(pilot)
        assert reader.article is not None and reader.has_focus
        assert any("Index ready: 5 articles" in m for m in notifications(app))
        assert any("Related passages stopped" in m for m in notifications(app))
        assert services.has_index and services.related_stopped
        assert services.related_sync is not None and services.related_sync.behind
        assert not services.related.is_built  # type: ignore[union-attr]  # untouched, not half-written
        assert panel.query_one("#related-status").text == RELATED_STOPPED  # type: ignore[attr-defined]

        await pilot.press("ctrl+r")  # prepares them: the index is current, the store caught up
        await settle(pilot)
        assert not services.related_stopped and not services.related_sync.behind
        assert any("Related passages ready" in m for m in notifications(app))
        assert await move_until(pilot, reader, lambda: bool(panel.links))


def seeds_home_without_related(home: Path) -> Path:
    """``home`` with the seeds' index built and its related store deleted: the next start
    finds the store behind the index (as after a new store version or a damaged file)."""
    build_index(home, [SEEDS])
    store = index_dir([SEEDS.resolve()]) / STORE_NAME
    for path in store.parent.glob(f"{STORE_NAME}*"):
        path.unlink()
    return store


async def test_catching_up_at_start_shows_progress_and_esc_stops_it_until_next_start(
    newsreader_home: Path,
) -> None:
    store_file = seeds_home_without_related(newsreader_home)
    services = open_services([SEEDS], new_app().config)
    gate = Gate("", until_cancelled=True)
    real_catch_up = services.catch_up_related

    def catch_up(report: Callable[[str, int, int], None], cancel: threading.Event) -> bool:
        def held(phase: str, done: int, total: int) -> None:
            report(phase, done, total)
            gate.hold(phase, cancel)

        return real_catch_up(held, cancel)

    services.catch_up_related = catch_up  # type: ignore[method-assign]
    app = new_app(services=services)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        await until(pilot, lambda: gate.reached.is_set() and "Related passages" in bar(app).text)
        assert "Esc stops" in bar(app).text
        assert not any("Index ready" in m for m in notifications(app)), "the index was current"
        # the reader works meanwhile
        pane = screen.query_one(SearchPane)
        pane.query_input.value = QUERY
        pane.query_input.focus()
        await pilot.press("enter")
        await until(pilot, lambda: pane.view is not None and bool(pane.view.hits))
        await pilot.press("enter")
        reader = screen.query_one(Reader)
        await until(pilot, lambda: reader.article is not None and reader.has_focus)
        await pilot.press("j", "g")
        await pilot.press("escape")
        await settle(pilot)
        assert reader.article is not None and reader.has_focus, "Esc stopped, it did not go back"
        assert not bar(app).has_class("-running")
        assert any("Related passages stopped" in m for m in notifications(app))
        panel = screen.query_one(RelatedPanel)
        assert panel.query_one("#related-status").text == RELATED_STOPPED  # type: ignore[attr-defined]
        assert services.related is not None and not services.related.is_built  # type: ignore[attr-defined]
        assert not list(store_file.parent.glob("*.tmp")), "nothing half-written left behind"

    app = new_app()  # the next start catches up again, to the end this time
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert any("Related passages ready" in m for m in notifications(app))
        reader = await search_and_open(pilot)
        panel = app.screen.query_one(RelatedPanel)
        assert await move_until(pilot, reader, lambda: bool(panel.links))


def _never_done(articles: Sequence[Article], path: Path) -> None:
    time.sleep(120)  # the second process of a full build, still computing when Esc comes


@pytest.mark.skipif(not parallel_related.fork_available(), reason="processes cannot be forked")
def test_stopping_the_second_process_of_a_build_keeps_the_store_and_ensure_resumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wait for the second process (phase ``computing``) is where a new corpus's build
    spends its last half minute: Esc must end the child and leave the store as it was."""
    started: list[parallel_related.RelatedBuild] = []
    real_start = parallel_related.start

    def start(articles: Sequence[Article], directory: Path) -> Any:
        build = real_start(articles, directory, compute=_never_done)
        started.append(build)
        return build

    monkeypatch.setattr(parallel_related, "start", start)
    corpus = copy_of_seeds(tmp_path / "corpus")
    root = tmp_path / "index"
    index = CorpusIndex.open([corpus], index_root=root)
    sync = RelatedSync(RelatedStore.open(root), index)
    index.add_change_listener(sync)
    cancel = threading.Event()
    phases: list[str] = []

    def report(phase: str, done: int, total: int) -> None:
        phases.append(phase)
        cancel.set()  # Esc, as soon as the wait is reported

    sync.watch(report, cancel)
    result = index.update()
    sync.watch(None, None)
    assert not result.cancelled and result.articles == 5, "the index itself is built"
    assert result.hook_errors == [], "a stop is not an error"
    assert phases == ["computing"] and sync.stopped and sync.behind
    assert len(started) == 1 and not started[0].process.is_alive()
    assert not sync.store.is_built and not list(root.glob("*.tmp"))
    assert sync.needs_catch_up()
    assert sync.ensure() and sync.store.is_built and not sync.needs_catch_up()
    sync.store.close()
    index.close()
