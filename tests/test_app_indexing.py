"""Indexing from the app: a first build with progress, Esc cancelling an update while the old
index stays in use, and an Esc while the index is being saved (which cannot be interrupted)
saying so instead of cancelling what follows. The corpus is a copy of the seeds in a tmp
directory (so a file can be added); the core is real. A gate in the progress callback holds the
update until the test has pressed Esc — synchronisation on events, no sleeping.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _app_support import QUERY, build_index, copy_of_seeds, new_app, notifications, settle
from textual.pilot import Pilot

from tui.screens.main_screen import MainScreen
from tui.services import Services, open_services
from tui.widgets.index_progress import IndexProgress
from tui.widgets.search_pane import ResultsView, SearchPane

NEW_ARTICLE = "زرافة بنفسجية في حديقة الحيوان\n\nقال مدير الحديقة إن الزرافة البنفسجية وصلت أمس.\n"


async def wait_until_indexing(pilot: Pilot[Any], screen: MainScreen) -> None:
    for _ in range(500):  # bounded: each pause lets the start-up workers make progress
        if screen.indexing:
            return
        await pilot.pause()
    raise AssertionError("indexing never started")


async def search(pilot: Pilot[Any], query: str) -> ResultsView:
    pane = pilot.app.screen.query_one(SearchPane)
    pane.query_input.value = query
    pane.query_input.focus()
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)
    assert pane.view is not None and pane.view.query == query
    return pane.view


async def test_first_build_runs_after_the_first_frame(
    newsreader_home: Path, tmp_path: Path
) -> None:
    corpus = copy_of_seeds(tmp_path / "corpus")
    app = new_app([corpus])
    opened_after_first_frame: list[bool] = []
    real_open = app.services.open

    def open_and_record() -> list[str]:
        opened_after_first_frame.append(app.first_frame_at is not None)
        return real_open()

    app.services.open = open_and_record  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await settle(pilot)
        assert opened_after_first_frame == [True]  # nothing heavy before the first frame
        assert not screen.indexing
        assert any("Index ready: 5 articles" in m for m in notifications(app))
        assert (await search(pilot, QUERY)).hits


async def test_escape_cancels_an_update_and_the_old_index_stays(
    newsreader_home: Path, tmp_path: Path
) -> None:
    corpus = copy_of_seeds(tmp_path / "corpus")
    build_index(newsreader_home, [corpus])
    (corpus / "zz_new.txt").write_text(NEW_ARTICLE, encoding="utf-8")

    services = open_services([corpus], new_app([corpus]).config)
    reached = threading.Event()
    real_update = services.update_index

    def gated_update(progress: Callable[[Any], None], cancel: threading.Event) -> Any:
        def gate(report: Any) -> None:
            if not reached.is_set():
                reached.set()
                cancel.wait(timeout=30)  # hold the build until the test presses Esc
            progress(report)

        return real_update(gate, cancel)

    services.update_index = gated_update  # type: ignore[method-assign]
    app = new_app([corpus], services=services)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await wait_until_indexing(pilot, screen)
        assert screen.query_one(IndexProgress).has_class("-running")
        assert reached.wait(timeout=30)
        await pilot.press("escape")
        await settle(pilot)
        assert not screen.indexing
        assert not screen.query_one(IndexProgress).has_class("-running")
        assert any("Indexing cancelled" in m for m in notifications(app))
        assert app.services.article_count() == 5
        assert (await search(pilot, QUERY)).hits  # the old index answers
        assert not (await search(pilot, "زرافة")).hits  # the new file was not indexed
        # ctrl+r resumes: the new article becomes searchable.
        services.update_index = real_update  # type: ignore[method-assign]
        screen.query_one("#reader").focus()
        await pilot.pause()
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.services.article_count() == 6
        assert (await search(pilot, "زرافة")).hits


def gated_at(services: Services, phase: str) -> tuple[threading.Event, threading.Event]:
    """Hold ``services``' updates at their first ``phase`` report until ``release`` is set;
    returns (reached, release)."""
    reached, release = threading.Event(), threading.Event()
    real_update = services.update_index

    def gated_update(progress: Callable[[Any], None], cancel: threading.Event) -> Any:
        def gate(report: Any) -> None:
            progress(report)
            if report.phase == phase and not reached.is_set():
                reached.set()
                release.wait(timeout=30)

        return real_update(gate, cancel)

    services.update_index = gated_update  # type: ignore[method-assign]
    return reached, release


async def test_escape_while_the_index_is_saved_says_it_cannot_be_interrupted(
    newsreader_home: Path, tmp_path: Path
) -> None:
    """Whoosh's commit cannot be stopped: Esc then must not claim to cancel, nor stop the
    related passages of the change (a small update would leave them to a full catch-up)."""
    from textual.widgets import ProgressBar

    corpus = copy_of_seeds(tmp_path / "corpus")
    build_index(newsreader_home, [corpus])
    (corpus / "zz_new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    services = open_services([corpus], new_app([corpus]).config)
    reached, release = gated_at(services, "committing")
    app = new_app([corpus], services=services)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await wait_until_indexing(pilot, screen)
        for _ in range(500):
            if reached.is_set() and "Saving the index" in screen.query_one(IndexProgress).text:
                break
            await pilot.pause()
        bar = screen.query_one(IndexProgress)
        assert "cannot be cancelled" in bar.text
        assert bar.query_one(ProgressBar).total is None, "no count: the bar moves on its own"
        await pilot.press("escape")
        await pilot.pause()
        assert "cannot be interrupted" in notifications(app)[-1]
        release.set()
        await settle(pilot)
        said = notifications(app)
        assert any("Index ready: 6 articles. 1 added." in m for m in said)  # what ctrl+r took
        assert not any("cancelled" in m or "stopped" in m for m in said)
        assert not services.related_stopped and not services.related_behind()
        assert (await search(pilot, "زرافة")).hits


async def test_the_ready_notice_counts_skipped_records_and_files_apart(
    newsreader_home: Path, tmp_path: Path
) -> None:
    """Twelve empty records in one JSON-lines file are twelve records in one file, not
    "12 file(s)": the notice says what it counts."""
    import json

    corpus = copy_of_seeds(tmp_path / "corpus")
    records = [{"title": f"t{i}", "content": ""} for i in range(12)]
    (corpus / "feed.jsonl").write_text(
        "\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8"
    )
    app = new_app([corpus])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        [ready] = [m for m in notifications(app) if "Index ready" in m]
        assert "Skipped 12 records in 1 file" in ready
        assert "file(s)" not in ready
