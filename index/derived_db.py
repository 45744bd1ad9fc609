"""SQLite files that hold only derived data (``links.sqlite``): a damaged one is recomputed.

The related-passages store is computed from the text index, which is computed from the corpus:
nothing in it is the user's. So a file that SQLite cannot read ("file is not a database", a
malformed page) is never trusted or patched: it is removed with its journal files and created
empty, and the next catch-up recomputes it (``RelatedSync.ensure``). Bookmarks are user data and
are handled differently (moved aside, never removed: :mod:`index.bookmarks`).

Damage found while reading (after a healthy open) cannot be repaired under a reader's feet: the
reader leaves a marker file beside the store, and the next open removes the store.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

#: Beside ``links.sqlite``: "links.sqlite.damaged" says the next open must start afresh.
DAMAGED_SUFFIX = ".damaged"
_JOURNALS = ("-wal", "-shm", "-journal")


class DerivedStoreDamaged(RuntimeError):
    """A derived store could not be read; the message says what happens next."""


def _remove(path: Path) -> None:
    for suffix in ("", *_JOURNALS, DAMAGED_SUFFIX):
        with contextlib.suppress(FileNotFoundError):
            path.with_name(path.name + suffix).unlink()


def open_derived(
    path: Path, setup: Callable[[sqlite3.Connection], None], what: str
) -> tuple[sqlite3.Connection, str | None]:
    """Connect to ``path`` and run ``setup`` (pragmas, schema, version check) on it.

    Returns the connection and, when the file was damaged (or marked damaged by a reader) and
    so removed and created again, a sentence for the user saying so; else ``None``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    recovered: str | None = None
    marker = path.with_name(path.name + DAMAGED_SUFFIX)
    if marker.exists():
        reason = marker.read_text(encoding="utf-8", errors="replace").strip() or "damaged"
        _remove(path)
        recovered = f"The {what} was damaged ({reason}); it is computed again"
    try:
        return _connect(path, setup), recovered
    except sqlite3.DatabaseError as error:
        if not is_damage(error):
            raise
        _remove(path)
        return _connect(path, setup), f"The {what} was damaged ({error}); it is computed again"


def is_damage(error: sqlite3.DatabaseError) -> bool:
    """Whether ``error`` says the file is unreadable (not a database, malformed), as opposed to
    busy or locked by another process (an ``OperationalError``), which is no reason to remove it."""
    return not isinstance(error, sqlite3.OperationalError)


def _connect(path: Path, setup: Callable[[sqlite3.Connection], None]) -> sqlite3.Connection:
    db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    try:
        setup(db)
    except BaseException:
        db.close()
        raise
    return db


def mark_damaged(path: Path, error: BaseException, what: str) -> DerivedStoreDamaged:
    """Record that ``path`` failed to read (the next open starts afresh) and return the error to
    raise, worded for the user."""
    with contextlib.suppress(OSError):
        path.with_name(path.name + DAMAGED_SUFFIX).write_text(str(error), encoding="utf-8")
    return DerivedStoreDamaged(
        f"The {what} is damaged ({error}); it is computed again when newsreader next opens this"
        " corpus (or now: `newsreader index`)"
    )
