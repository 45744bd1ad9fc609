"""Crash safety: kill a process with SIGKILL while it writes bookmarks, a hundred times.

Each child opens the same store and adds bookmarks in a loop (now and then editing a note),
printing each id only after its transaction committed. The parent reads a random number of
those lines, waits a random sliver of time (so the kill lands anywhere: mid-transaction, during
a checkpoint, while opening or migrating a brand-new file) and sends SIGKILL. After every kill
the database must pass ``PRAGMA integrity_check`` and hold every id the child reported; at the
end the store must open without being set aside.

The children import only ``index.bookmarks`` (no Whoosh, no Textual) so each starts in tens of
milliseconds and the whole test takes well under a minute.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.bookmarks import BookmarkStore

REPO = Path(__file__).resolve().parents[1]
KILLS = 100

CHILD = r"""
import sys
from pathlib import Path
from index.bookmarks import Bookmark, BookmarkStore

store = BookmarkStore(Path(sys.argv[1]))
tag = sys.argv[2]
n = 0
while True:
    n += 1
    quote = f"قال المتحدث إن الحصيلة بلغت {n} قتيلا ({tag})"
    bookmark = store.add(Bookmark(
        id=f"{tag}-{n}", article_id="a1", article_path="corpus/a1.txt", article_hash="h",
        passage_id="a1:0", start=0, end=len(quote), quote=quote, note="",
    ))
    print("add", bookmark.id, flush=True)
    if n % 3 == 0:
        store.update_note(bookmark.id, f"note {n}")
        print("note", bookmark.id, f"note {n}", flush=True)
"""


def _record(line: str, added: set[str], notes: dict[str, str]) -> None:
    """Note what one line from the child reports as committed (a cut-off last line is not)."""
    if not line.endswith("\n"):
        return
    kind, bookmark_id, *rest = line.rstrip("\n").split(" ", 2)
    if kind == "add":
        added.add(bookmark_id)
    else:
        notes[bookmark_id] = rest[0]


def _check(path: Path, added: set[str], notes: dict[str, str]) -> None:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        if not added:
            return
        stored = dict(conn.execute("SELECT id, note FROM bookmarks").fetchall())
    finally:
        conn.close()
    missing = added - stored.keys()
    assert not missing, f"committed bookmarks lost: {sorted(missing)[:5]}"
    for bookmark_id, note in notes.items():
        assert stored[bookmark_id] == note


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")
def test_sigkill_while_writing_loses_nothing_committed(tmp_path: Path) -> None:
    path = tmp_path / "bookmarks.sqlite"
    rng = random.Random(int(os.environ.get("CRASH_TEST_SEED", "6")))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    added: set[str] = set()
    notes: dict[str, str] = {}
    for run in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path), f"run{run}"],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        # Kill while opening (0 lines) sometimes; usually after a few committed writes.
        wanted = rng.choice([0, 1, 2, 3, 5, 8, 13, 21])
        for _ in range(wanted):
            line = child.stdout.readline()
            if not line:
                break
            _record(line, added, notes)
        time.sleep(rng.uniform(0, 0.03))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        # A child that died on its own (not from our kill) is a bug: show its stderr.
        assert child.returncode == -signal.SIGKILL, child.stderr.read() if child.stderr else ""
        # Lines already in the pipe were committed too (printed after commit).
        for line in child.stdout:
            _record(line, added, notes)
        child.stdout.close()
        if child.stderr:
            child.stderr.close()
        if path.exists():
            _check(path, added, notes)

    assert len(added) > KILLS  # the children really wrote
    with BookmarkStore(path) as store:
        assert store.warning is None
        assert added <= {b.id for b in store.list()}
