"""Helpers for the app's Pilot tests: a seeds index built once per session, app construction,
waiting for workers, and reading what the screen shows.

The index is built with the real core into a session directory and copied into each test's
private ``NEWSREADER_HOME`` (the index location depends only on that variable and the corpus
paths), so every test starts from a real, ready index without paying for a build.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from index import paths as index_paths
from tui.app import NewsreaderApp, make_app
from tui.config import Config, load_config
from tui.services import Services, open_services
from tui.widgets.reader import Reader
from tui.widgets.search_pane import SearchPane

QUERY = "تحذير"
"""A word of the seeds' shared story (the secret US warning to Iran)."""

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"


def copy_of_seeds(where: Path, *, catalog: bool = False) -> Path:
    """A copy of the seed articles in ``where`` (made here), to edit, add to or delete from;
    with ``catalog`` their catalog too (outlets, dates, agencies), else the texts alone."""
    where.mkdir(parents=True)
    for path in SEEDS.glob("*.txt"):
        shutil.copy2(path, where / path.name)
    if catalog:
        for path in SEEDS.glob("*.toml"):
            shutil.copy2(path, where / path.name)
    return where


def build_index(home: Path, corpus: list[Path]) -> None:
    """Build the index of ``corpus`` under ``home`` with the real core."""
    from index.store import CorpusIndex

    previous = os.environ.get("NEWSREADER_HOME")
    os.environ["NEWSREADER_HOME"] = str(home)
    try:
        services = open_services(corpus, Config())
        services.open()
        services.open_related()
        cancel = __import__("threading").Event()
        result = services.update_index(lambda _p: None, cancel)
        assert not result.cancelled and result.articles > 0
        services.close()
        assert isinstance(services.index, CorpusIndex)
    finally:
        if previous is None:
            os.environ.pop("NEWSREADER_HOME", None)
        else:
            os.environ["NEWSREADER_HOME"] = previous


_BUILT: dict[str, Path] = {}


def seeds_index_home(factory: pytest.TempPathFactory) -> Path:
    """A home holding the built seeds index: built on first use, then reused by every test."""
    if "seeds" not in _BUILT:
        home = factory.mktemp("seeds-home")
        build_index(home, [SEEDS])
        _BUILT["seeds"] = home
    return _BUILT["seeds"]


def seeded_home(newsreader_home: Path, factory: pytest.TempPathFactory) -> Path:
    """The test's private NEWSREADER_HOME with the seeds index already built in it."""
    install_index(seeds_index_home(factory), newsreader_home)
    return newsreader_home


def install_index(built_home: Path, home: Path) -> None:
    """Copy a built cache (indexes and related stores) into a test's home."""
    shutil.copytree(built_home / "cache", home / "cache", dirs_exist_ok=True)


def new_app(paths: list[Path] | None = None, services: Services | None = None) -> NewsreaderApp:
    """The app as the command line builds it, on the seeds unless told otherwise."""
    loaded = load_config(index_paths.config_file())
    services = services or open_services(paths or [SEEDS], loaded.config)
    return make_app(services, loaded.config, bidi_flag="app", config_problems=loaded.problems)


async def search_and_open(pilot: Pilot[Any], query: str = QUERY) -> Reader:
    """From the reader, / then a query, run it (Enter skips the debounce), open the first result."""
    pilot.app.screen.query_one(Reader).focus()
    await pilot.pause()
    await pilot.press("slash", *query)
    await pilot.press("enter")
    await settle(pilot)
    pane = pilot.app.screen.query_one(SearchPane)
    assert pane.view is not None and pane.view.hits, pane.view
    await pilot.press("enter")
    await settle(pilot)
    return pilot.app.screen.query_one(Reader)


async def settle(pilot: Pilot[Any]) -> None:
    """Let timers, messages and every worker finish (workers may start more workers)."""
    for _ in range(6):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def notifications(app: NewsreaderApp) -> list[str]:
    """Messages of the notifications shown so far."""
    return list(app.notification_log)


async def move_until(pilot: Pilot[Any], reader: Reader, reached: Callable[[], bool]) -> bool:
    """From the article's first passage, press ``j`` passage by passage until ``reached()``
    (what the related panel shows for the current passage, say); whether it was reached."""
    article = reader.article
    assert article is not None
    await pilot.press("g")
    for _ in range(len(article.passages)):
        await settle(pilot)
        if reached():
            return True
        await pilot.press("j")
    await settle(pilot)
    return reached()
