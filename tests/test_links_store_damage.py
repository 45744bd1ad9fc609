"""A damaged related-passages store (links.sqlite) is recomputed, never trusted or fatal."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.corpus import load_corpus
from index.derived_db import DAMAGED_SUFFIX, DerivedStoreDamaged
from index.links_store import STORE_NAME, RelatedStore
from index.models import Article
from index.paths import index_dir
from tui.cli import main


@pytest.fixture(scope="module")
def seeds(seeds_dir: Path) -> list[Article]:
    return load_corpus([seeds_dir]).articles


def _a_linked_passage(store: RelatedStore, seeds: list[Article]) -> str:
    for article in seeds:
        for passage in article.passages:
            if store.links_for(passage.id):
                return passage.id
    raise AssertionError("the seeds have linked passages")


def test_a_file_that_is_not_a_database_is_started_afresh(tmp_path: Path, seeds) -> None:
    (tmp_path / STORE_NAME).write_bytes(b"this is not SQLite" * 100)
    (tmp_path / (STORE_NAME + "-wal")).write_bytes(b"junk")
    with RelatedStore.open(tmp_path) as store:
        assert store.recovered is not None and "damaged" in store.recovered
        assert not store.is_built
        store.rebuild(seeds)
        assert store.is_built and _a_linked_passage(store, seeds)
    with RelatedStore.open(tmp_path) as store:  # healthy now: nothing to report
        assert store.recovered is None and store.is_built


def test_damage_found_while_reading_is_reported_and_repaired_on_the_next_open(
    tmp_path: Path, seeds
) -> None:
    path = tmp_path / STORE_NAME
    with RelatedStore.open(tmp_path) as store:
        store.rebuild(seeds)
        passage = _a_linked_passage(store, seeds)
    store = RelatedStore.open(tmp_path)
    try:
        assert store.is_built  # the first page is read while the rest is still intact
        with path.open("r+b") as handle:  # every page but the first overwritten in place
            size = path.stat().st_size
            handle.seek(4096)
            handle.write(b"\xa5" * (size - 4096))
        with pytest.raises(DerivedStoreDamaged, match="computed again"):
            store.links_for(passage)
    finally:
        store.close()
    assert path.with_name(STORE_NAME + DAMAGED_SUFFIX).is_file()
    with RelatedStore.open(tmp_path) as store:
        assert store.recovered is not None
        assert not store.is_built and store.links_for(passage) == []
    assert not path.with_name(STORE_NAME + DAMAGED_SUFFIX).exists()


def test_a_busy_database_is_not_mistaken_for_damage(tmp_path: Path) -> None:
    import sqlite3

    from index.derived_db import is_damage

    assert not is_damage(sqlite3.OperationalError("database is locked"))
    assert is_damage(sqlite3.DatabaseError("file is not a database"))


def test_the_commands_recompute_a_damaged_store_and_say_so(
    newsreader_home: Path, seeds_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["index"]) == 0
    store_file = index_dir([seeds_dir.resolve()]) / STORE_NAME
    assert store_file.is_file()
    capsys.readouterr()
    store_file.write_bytes(b"\x00garbage" * 512)
    assert main(["stories", "--json"]) == 0
    captured = capsys.readouterr()
    assert "damaged" in captured.err and "Traceback" not in captured.err
    assert '"article_ids"' in captured.out  # the stories were computed again


def test_the_app_services_drop_a_store_found_damaged_and_reopen_it(
    newsreader_home: Path, seeds_dir: Path
) -> None:
    import threading

    from tui.config import Config
    from tui.services import open_services

    services = open_services([seeds_dir], Config())
    try:
        services.open()
        services.open_related()
        assert services.update_index(lambda _p: None, threading.Event()).articles
        passage = next(
            p
            for a in services.index.articles()  # type: ignore[union-attr]
            for p in a.passages
            if services.related_for(p).links
        )
        path = index_dir([seeds_dir.resolve()]) / STORE_NAME
        services.related.close()  # type: ignore[union-attr]  # reopened: only page 1 cached
        services.related = None
        assert services.open_related() == []
        assert services.related is not None and services.related.is_built  # type: ignore[attr-defined]
        with path.open("r+b") as handle:
            handle.seek(4096)
            handle.write(b"\xa5" * (path.stat().st_size - 4096))
        damaged = services.related_for(passage)
        assert damaged.reopen and damaged.message and "damaged" in damaged.message
        assert services.related is None
        notices = services.open_related()  # what the app does on `reopen`
        assert notices and "damaged" in notices[0]
        assert services.related_for(passage).links
    finally:
        services.close()
