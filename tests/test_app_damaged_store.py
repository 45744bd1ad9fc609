"""The app with a damaged related-passages store: it says so, recomputes it, and shows links."""

from __future__ import annotations

from pathlib import Path

import pytest
from _app_support import move_until, new_app, notifications, search_and_open, seeded_home, settle

from index import paths as index_paths
from index.links_store import STORE_NAME


@pytest.fixture
def home(newsreader_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeded_home(newsreader_home, tmp_path_factory)


async def test_a_damaged_store_is_recomputed_and_the_panel_shows_links(home: Path) -> None:
    from tui.widgets.related_panel import RelatedPanel

    seeds = Path(__file__).resolve().parents[1] / "seeds"
    store_file = index_paths.index_dir([seeds.resolve()]) / STORE_NAME
    assert store_file.is_file()
    store_file.write_bytes(b"not a database" * 256)
    app = new_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        reader = await search_and_open(pilot)
        panel = app.screen.query_one(RelatedPanel)
        assert await move_until(pilot, reader, lambda: bool(panel.links)), (
            "links are back once the store is recomputed"
        )
        assert any("damaged" in n for n in notifications(app))
