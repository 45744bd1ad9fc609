"""A full index build computes the related store in a second process (index.parallel_related):
same links, claims and stories as the in-process computation, a failing or killed child falls
back with a message, and a cancelled build stops the child."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from index import links_store, parallel_related
from index.links_store import RelatedStore
from index.models import Article
from index.related_sync import RelatedSync, index_token
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


def _raise_in_child(articles: Sequence[Article], path: Path) -> None:
    raise RuntimeError("simulated failure in the related-passages process")


def _die_in_child(articles: Sequence[Article], path: Path) -> None:
    os._exit(3)


def _hang_in_child(articles: Sequence[Article], path: Path) -> None:
    time.sleep(120)  # stopped by the cancellation long before


#: Held by a thread of the parent while a build starts its child (see the test below).
_HELD_BY_A_PARENT_THREAD = threading.Lock()


def _compute_needing_the_lock(articles: Sequence[Article], path: Path) -> None:
    # a plain fork of the parent would inherit the lock locked, with no thread to release it
    if not _HELD_BY_A_PARENT_THREAD.acquire(timeout=5):
        raise RuntimeError("the child inherited a lock a thread of the parent held")
    parallel_related.compute_store(articles, path)


def _start_with(monkeypatch: pytest.MonkeyPatch, compute: parallel_related.Compute) -> list[Any]:
    """Make full builds start children that run ``compute``; returns the started builds."""
    started: list[parallel_related.RelatedBuild] = []
    real_start = parallel_related.start

    def start(articles: Sequence[Article], index_dir: Path) -> Any:
        build = real_start(articles, index_dir, compute=compute)
        started.append(build)
        return build

    monkeypatch.setattr(parallel_related, "start", start)
    return started


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
    _start_with(monkeypatch, _raise_in_child if how == "raise" else _die_in_child)
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
    started = _start_with(monkeypatch, _hang_in_child)
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


def test_the_child_inherits_no_lock_held_by_another_thread(
    corpus: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    sequential_rows: dict[str, list[tuple[Any, ...]]],
) -> None:
    """The app starts full builds from a worker thread while other threads run: the child must
    not be a fork of that process, or a lock held elsewhere at that instant stays held in it."""
    _start_with(monkeypatch, _compute_needing_the_lock)
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with _HELD_BY_A_PARENT_THREAD:
            holding.set()
            release.wait(60)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(10)
        result, sync, index = full_build(corpus, tmp_path / "parallel", parallel=True)
    finally:
        release.set()
        holder.join()
    assert result.hook_errors == []
    sync.store.close()
    index.close()
    assert store_rows(tmp_path / "parallel" / links_store.STORE_NAME) == sequential_rows


_BUILD_UNDER_A_CAPTURED_STDERR = """
import io, sys
from pathlib import Path
from index.links_store import RelatedStore
from index.related_sync import RelatedSync
from index.store import CorpusIndex

class Capture(io.StringIO):  # what a running Textual app puts in sys.stderr
    def fileno(self) -> int:
        return -1

def main() -> None:
    corpus, root = Path(sys.argv[1]), Path(sys.argv[2])
    index = CorpusIndex.open([corpus], index_root=root)
    sync = RelatedSync(RelatedStore.open(root), index, parallel=True)
    index.add_change_listener(sync)
    sys.stderr = Capture()
    result = index.update(rebuild=True)
    sys.stderr = sys.__stderr__
    print("hook errors:", result.hook_errors, "built:", sync.store.is_built)

if __name__ == "__main__":
    main()
"""


def test_the_child_starts_while_an_app_has_replaced_stderr(corpus: Path, tmp_path: Path) -> None:
    """A running Textual app replaces ``sys.stderr`` with a capture whose ``fileno()`` is -1;
    the first parallel build of the process (which starts the fork server) must still work.
    Run in a fresh interpreter: this test process has started its fork server long ago."""
    script = tmp_path / "build.py"
    script.write_text(_BUILD_UNDER_A_CAPTURED_STDERR, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), str(corpus), str(tmp_path / "index")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert done.returncode == 0, done.stderr
    assert "hook errors: [] built: True" in done.stdout, done.stdout + done.stderr
