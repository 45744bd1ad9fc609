"""A full index build computes the related store in a second process (index.parallel_related):
same links, claims and stories as the in-process computation, a failing or killed child falls
back with a message, and a cancelled build stops the child."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from index import links_store, parallel_related
from index.links_store import RelatedStore, RelatedSync, index_token
from index.models import Article
from index.store import BuildProgress, CorpusIndex, UpdateResult

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

pytestmark = pytest.mark.skipif(
    not parallel_related.fork_available(), reason="processes cannot be forked on this platform"
)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(SEEDS, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def store_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, the index token aside (it names the index generation)."""
    db = sqlite3.connect(str(path))
    try:
        tables = [
            row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        rows = {table: sorted(db.execute(f"SELECT * FROM {table}").fetchall()) for table in tables}
    finally:
        db.close()
    rows["meta"] = [row for row in rows["meta"] if row[0] != "index_token"]
    return rows


def full_build(
    corpus: Path, index_root: Path, *, parallel: bool, **update: Any
) -> tuple[UpdateResult, RelatedSync, CorpusIndex]:
    index = CorpusIndex.open([corpus], index_root=index_root)
    sync = RelatedSync(RelatedStore.open(index_root), index, parallel=parallel)
    index.add_change_listener(sync)
    return index.update(rebuild=True, **update), sync, index


@pytest.fixture
def sequential_rows(corpus: Path, tmp_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    result, sync, index = full_build(corpus, tmp_path / "sequential", parallel=False)
    assert result.hook_errors == []
    sync.store.close()
    index.close()
    return store_rows(tmp_path / "sequential" / links_store.STORE_NAME)


def leftovers(index_root: Path) -> list[str]:
    return sorted(p.name for p in index_root.glob("links.sqlite.build-*"))


def test_parallel_build_equals_the_sequential_one(
    corpus: Path, tmp_path: Path, sequential_rows: dict[str, list[tuple[Any, ...]]]
) -> None:
    root = tmp_path / "parallel"
    root.mkdir()
    (root / "links.sqlite.build-1-2.tmp").write_bytes(b"left by a killed build")
    index = CorpusIndex.open([corpus], index_root=root)
    store = RelatedStore.open(root)

    def no_in_process_computation(*args: object, **kwargs: object) -> None:
        raise AssertionError("the parent computed the store: the second process was not used")

    store.apply_changes = no_in_process_computation  # type: ignore[method-assign]
    store.rebuild = no_in_process_computation  # type: ignore[method-assign]
    sync = RelatedSync(store, index)
    index.add_change_listener(sync)
    result = index.update(rebuild=True)
    assert result.rebuilt and result.hook_errors == []
    assert store.index_token() == index_token(root)
    assert store.is_built
    assert not sync.ensure()  # up to date: nothing recomputed
    assert leftovers(root) == []
    assert store.links_for(next(iter(sequential_rows["links"]))[0])  # the live connection sees it
    store.close()
    index.close()
    parallel_rows = store_rows(root / links_store.STORE_NAME)
    assert parallel_rows["links"], "the seeds have links"
    assert parallel_rows["claims"] and parallel_rows["stories"]
    assert parallel_rows == sequential_rows


def _fail_in_child(parent: int, how: str) -> Any:
    real = links_store.compute_all

    def compute_all(articles: Sequence[Article]) -> Any:
        if os.getpid() != parent:
            if how == "raise":
                raise RuntimeError("simulated failure in the related-passages process")
            if how == "die":
                os._exit(3)
            time.sleep(120)  # "slow": stopped by the cancellation long before
        return real(articles)

    return compute_all


@pytest.mark.parametrize(
    ("how", "said"),
    [
        ("raise", "simulated failure in the related-passages process"),
        ("die", "exit code 3"),
    ],
)
def test_a_failing_child_falls_back_with_a_message(
    corpus: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    sequential_rows: dict[str, list[tuple[Any, ...]]],
    how: str,
    said: str,
) -> None:
    monkeypatch.setattr(links_store, "compute_all", _fail_in_child(os.getpid(), how))
    root = tmp_path / "parallel"
    result, sync, index = full_build(corpus, root, parallel=True)
    assert len(result.hook_errors) == 1
    assert said in result.hook_errors[0]
    assert "computed them in this process instead" in result.hook_errors[0]
    assert sync.store.index_token() == index_token(root)
    assert not sync.ensure()
    assert leftovers(root) == []
    sync.store.close()
    index.close()
    assert store_rows(root / links_store.STORE_NAME) == sequential_rows


def test_cancelling_the_build_stops_the_child(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(links_store, "compute_all", _fail_in_child(os.getpid(), "slow"))
    started: list[parallel_related.RelatedBuild] = []
    real_start = parallel_related.start

    def recording_start(articles: Sequence[Article], index_dir: Path) -> Any:
        build = real_start(articles, index_dir)
        started.append(build)
        return build

    monkeypatch.setattr(parallel_related, "start", recording_start)
    cancel = threading.Event()

    def progress(step: BuildProgress) -> None:
        if step.phase == "indexing":
            cancel.set()

    root = tmp_path / "parallel"
    result, sync, index = full_build(corpus, root, parallel=True, progress=progress, cancel=cancel)
    assert result.cancelled
    assert len(started) == 1
    assert not started[0].process.is_alive()
    assert started[0].process.exitcode == -signal.SIGTERM
    assert leftovers(root) == []
    assert not sync.store.is_built  # nothing half-written reached the store
    sync.store.close()
    index.close()


def test_incremental_updates_keep_the_listener_path(corpus: Path, tmp_path: Path) -> None:
    root = tmp_path / "parallel"
    result, sync, index = full_build(corpus, root, parallel=True)
    assert result.hook_errors == []
    gone = next(corpus.glob("002_*.txt"))
    removed_id = next(a.id for a in index.articles() if a.id.startswith("002"))
    assert sync.store.claims_for_article(removed_id)

    def no_fork(*args: object) -> None:
        raise AssertionError("an incremental update started the second process")

    sync.begin_full_build = no_fork  # type: ignore[method-assign]
    gone.unlink()
    result = index.update()
    assert not result.rebuilt and result.hook_errors == []
    assert sync.store.claims_for_article(removed_id) == []
    assert sync.store.index_token() == index_token(root)
    sync.store.close()
    index.close()
