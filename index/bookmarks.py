"""The bookmarks store: passages and spans the user keeps, in SQLite, safe against crashes.

Durability: the database runs in WAL mode with ``synchronous=FULL``, and every write is one
``BEGIN IMMEDIATE … COMMIT`` transaction. A bookmark whose ``add`` returned is on disk: it
survives the process being killed (WAL alone guarantees that) *and*, because FULL fsyncs the
WAL at each commit, a power cut too (as far as the disk honours fsync). Bookmarks are written
one user action at a time, so the extra fsync costs nothing anyone notices.

A database that cannot be read — not SQLite, corrupted, or written by a newer newsreader — is
never overwritten, downgraded or deleted: it is renamed to ``<name>.unreadable-<UTC time>``
(with its ``-wal``/``-shm`` companions) and a fresh store is started; :attr:`BookmarkStore.warning`
then carries the message to show. A database that is merely busy (locked by another process) is
an error, not a reason to move it.

This module imports neither Textual nor Whoosh (Arabic normalization for the filter is imported
when first used), so short-lived processes start fast.
"""

from __future__ import annotations

import builtins
import dataclasses
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from index.anchoring import ReanchorReport, reanchor_many
from index.bookmark_record import (
    KINDS,
    STATUSES,
    Bookmark,
    Kind,
    Status,
    check_bookmark,
    matches,
    normalized_text,
    parse_tags,
    utc_now,
)
from index.models import Article

__all__ = [
    "DEFAULT_FILENAME",
    "KINDS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "STATUSES",
    "Bookmark",
    "BookmarkNotFound",
    "BookmarkStore",
    "BookmarkStoreError",
    "Kind",
    "MergeReport",
    "ReanchorReport",
    "Status",
    "StoreWarning",
    "check_bookmark",
    "matches",
    "parse_tags",
    "utc_now",
]

DEFAULT_FILENAME = "bookmarks.sqlite"


@dataclass(frozen=True, slots=True)
class StoreWarning:
    """Why the store the user had is not the one open now, in words to show them."""

    message: str
    kept_at: Path


class BookmarkStoreError(Exception):
    """The store cannot be opened or written (busy, permissions): a message for the user."""


class BookmarkNotFound(KeyError):
    """No bookmark has this id (it may have been deleted)."""


@dataclass(slots=True)
class MergeReport:
    """What :meth:`BookmarkStore.merge` did with each incoming bookmark."""

    added: int = 0
    updated: int = 0  # same id, the incoming copy was edited later
    skipped: int = 0  # same id, the stored copy is the same or newer


# --- schema ----------------------------------------------------------------------------------


def _v1_create(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE bookmarks (
            id TEXT PRIMARY KEY,
            article_id TEXT NOT NULL,
            article_path TEXT NOT NULL,
            article_hash TEXT NOT NULL,
            passage_id TEXT NOT NULL,
            start_offset INTEGER NOT NULL,
            end_offset INTEGER NOT NULL,
            quote TEXT NOT NULL,
            prefix TEXT NOT NULL,
            suffix TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            tags TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            source TEXT,
            date TEXT,
            url TEXT
        )"""
    )
    conn.execute("CREATE INDEX bookmarks_by_article ON bookmarks(article_id)")


def _v2_status_and_kind(conn: sqlite3.Connection) -> None:
    """v2: anchors can be re-found or detached, and passage bookmarks are told from spans."""
    conn.execute("ALTER TABLE bookmarks ADD COLUMN status TEXT NOT NULL DEFAULT 'anchored'")
    conn.execute("ALTER TABLE bookmarks ADD COLUMN kind TEXT NOT NULL DEFAULT 'span'")


def _v3_citation_facts(conn: sqlite3.Connection) -> None:
    """v3: the agency the outlet credits and whether the title was composed are kept, so a
    citation no longer depends on the article's file; existing rows get NULL (not recorded)."""
    conn.execute("ALTER TABLE bookmarks ADD COLUMN via TEXT")
    conn.execute("ALTER TABLE bookmarks ADD COLUMN title_composed INTEGER")


def _v4_current_text(conn: sqlite3.Connection) -> None:
    """v4: re-anchoring no longer rewrites the quote; the text found at a changed place is
    kept beside it (status ``changed``). Existing rows get NULL: nothing differs yet."""
    conn.execute("ALTER TABLE bookmarks ADD COLUMN current_text TEXT")


_Migration = Callable[[sqlite3.Connection], None]
#: ``MIGRATIONS[i]`` takes a database from ``user_version`` i to i + 1. Append, never edit.
MIGRATIONS: tuple[_Migration, ...] = (
    _v1_create, _v2_status_and_kind, _v3_citation_facts, _v4_current_text
)  # fmt: skip
SCHEMA_VERSION = len(MIGRATIONS)

_COLUMNS = (
    "id, article_id, article_path, article_hash, passage_id, start_offset, end_offset, quote, "
    "prefix, suffix, note, tags, created_at, updated_at, title, source, date, url, status, kind, "
    "via, title_composed, current_text"
)
_PLACEHOLDERS = ", ".join("?" * len(_COLUMNS.split(",")))


def _row(b: Bookmark) -> tuple[object, ...]:
    return (
        b.id, b.article_id, b.article_path, b.article_hash, b.passage_id, b.start, b.end,
        b.quote, b.prefix, b.suffix, b.note, json.dumps(list(b.tags), ensure_ascii=False),
        b.created_at, b.updated_at, b.title, b.source, b.date, b.url, b.status, b.kind,
        b.via, b.title_composed, b.current_text,
    )  # fmt: skip


def _bookmark(row: tuple[Any, ...]) -> Bookmark:
    (id_, article_id, path, hash_, passage_id, start, end, quote, prefix, suffix, note, tags,
     created, updated, title, source, date, url, status, kind, via, composed, current) = row  # fmt: skip
    return Bookmark(
        id=id_, article_id=article_id, article_path=path, article_hash=hash_,
        passage_id=passage_id, start=start, end=end, quote=quote, prefix=prefix, suffix=suffix,
        note=note, tags=tuple(json.loads(tags)), created_at=created, updated_at=updated,
        title=title, source=source, date=date, url=url, status=status, kind=kind, via=via,
        title_composed=None if composed is None else bool(composed), current_text=current,
    )  # fmt: skip


# --- the store -------------------------------------------------------------------------------


class _Unreadable(Exception):
    """The database file is not one this version can use; it must be kept aside."""


class BookmarkStore:
    """Bookmarks in one SQLite file. Safe to share between threads (calls are serialized)."""

    def __init__(self, path: Path, *, busy_timeout: float = 10.0) -> None:
        self.path = Path(path)
        self._busy_timeout = busy_timeout
        self.warning: StoreWarning | None = None
        self._lock = threading.RLock()
        try:
            self._conn = self._connect()
        except _Unreadable as why:
            kept = self._move_aside()
            self.warning = StoreWarning(
                f"Your bookmarks database could not be read ({why}); it was kept at {kept}; "
                "a new one was started.",
                kept,
            )
            self._conn = self._connect()

    @classmethod
    def open_default(cls) -> BookmarkStore:
        """The user's store, in the data directory (``NEWSREADER_HOME`` moves it)."""
        from index.paths import data_dir

        return cls(data_dir(ensure=True) / DEFAULT_FILENAME)

    # -- opening ------------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                self.path,
                isolation_level=None,
                check_same_thread=False,
                timeout=self._busy_timeout,
            )
        except (OSError, sqlite3.Error) as error:
            raise BookmarkStoreError(f"cannot open {self.path}: {error}") from error
        try:
            self._prepare(conn)
        except BaseException as error:
            conn.close()
            if isinstance(error, sqlite3.DatabaseError) and _is_corruption(error):
                raise _Unreadable(str(error)) from error
            if isinstance(error, sqlite3.Error):
                raise BookmarkStoreError(f"cannot open {self.path}: {error}") from error
            raise
        return conn

    def _prepare(self, conn: sqlite3.Connection) -> None:
        # Read before writing anything: a newer or foreign database must stay untouched.
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise _Unreadable(
                f"it was written by a newer newsreader (schema {version}, this one reads up to "
                f"{SCHEMA_VERSION})"
            )
        if version == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise _Unreadable("it is an SQLite database, but not a newsreader bookmarks one")
        check = conn.execute("PRAGMA quick_check").fetchall()
        if check != [("ok",)]:
            raise _Unreadable(f"integrity check failed: {check[0][0]}")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        if version < SCHEMA_VERSION:
            self._migrate(conn)

    @staticmethod
    def _migrate(conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read inside the write lock: another process may have migrated meanwhile.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for step in range(version, SCHEMA_VERSION):
                MIGRATIONS[step](conn)
            if version != SCHEMA_VERSION:
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _move_aside(self) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = self.path.with_name(f"{self.path.name}.unreadable-{stamp}")
        n = 1
        while kept.exists():
            kept = self.path.with_name(f"{self.path.name}.unreadable-{stamp}-{n}")
            n += 1
        try:
            os.rename(self.path, kept)
            for companion in ("-wal", "-shm", "-journal"):
                extra = Path(f"{self.path}{companion}")
                if extra.exists():
                    os.rename(extra, Path(f"{kept}{companion}"))
        except OSError as error:
            raise BookmarkStoreError(
                f"{self.path} cannot be read and could not be moved aside: {error}"
            ) from error
        return kept

    # -- plumbing -----------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction; the lock is taken at BEGIN so concurrent writers wait, not fail."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise BookmarkStoreError(f"cannot write {self.path}: {error}") from error
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException as error:
                with suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")
                if isinstance(error, sqlite3.Error):
                    raise BookmarkStoreError(f"cannot write {self.path}: {error}") from error
                raise

    def _rows(self, sql: str, params: Iterable[object] = ()) -> builtins.list[tuple[Any, ...]]:
        """Rows of a read; a damaged file found only now is reported, never a raw traceback."""
        with self._lock:
            try:
                return self._conn.execute(sql, tuple(params)).fetchall()
            except sqlite3.Error as error:
                raise BookmarkStoreError(f"cannot read {self.path}: {error}") from error

    def _query(self, sql: str, params: Iterable[object] = ()) -> builtins.list[Bookmark]:
        return [_bookmark(row) for row in self._rows(sql, params)]

    def _replace(self, conn: sqlite3.Connection, bookmark: Bookmark) -> None:
        conn.execute(f"INSERT OR REPLACE INTO bookmarks ({_COLUMNS}) VALUES ({_PLACEHOLDERS})",
                     _row(bookmark))  # fmt: skip

    # -- the API ------------------------------------------------------------------------------

    def add(self, bookmark: Bookmark) -> Bookmark:
        """Store a new bookmark (timestamps filled in if empty); ``ValueError`` on a known id."""
        check_bookmark(bookmark)
        now = utc_now()
        stored = dataclasses.replace(
            bookmark,
            created_at=bookmark.created_at or now,
            updated_at=bookmark.updated_at or bookmark.created_at or now,
            tags=parse_tags(bookmark.tags),
        )
        with self._write() as conn:
            try:
                conn.execute(f"INSERT INTO bookmarks ({_COLUMNS}) VALUES ({_PLACEHOLDERS})",
                             _row(stored))  # fmt: skip
            except sqlite3.IntegrityError as error:
                raise ValueError(f"a bookmark with id {bookmark.id} already exists") from error
        return stored

    def get(self, bookmark_id: str) -> Bookmark | None:
        found = self._query(f"SELECT {_COLUMNS} FROM bookmarks WHERE id = ?", (bookmark_id,))
        return found[0] if found else None

    def _edit(self, bookmark_id: str, **changes: object) -> Bookmark:
        with self._write() as conn:
            row = _row_or_raise(conn, bookmark_id)
            edited = dataclasses.replace(_bookmark(row), updated_at=utc_now(), **changes)  # type: ignore[arg-type]
            self._replace(conn, edited)
        return edited

    def update_note(self, bookmark_id: str, note: str) -> Bookmark:
        return self._edit(bookmark_id, note=note)

    def set_tags(self, bookmark_id: str, tags: Iterable[str]) -> Bookmark:
        return self._edit(bookmark_id, tags=parse_tags(tags))

    def delete(self, bookmark_id: str) -> Bookmark:
        """Remove a bookmark and return it, so the caller can offer undo (:meth:`restore`)."""
        with self._write() as conn:
            row = _row_or_raise(conn, bookmark_id)
            conn.execute("DELETE FROM bookmarks WHERE id = ?", (bookmark_id,))
        return _bookmark(row)

    def restore(self, bookmark: Bookmark) -> None:
        """Put a deleted bookmark back exactly as it was (same id, timestamps, everything)."""
        check_bookmark(bookmark)
        with self._write() as conn:
            self._replace(conn, bookmark)

    def list(self, filter_text: str = "", tag: str | None = None) -> builtins.list[Bookmark]:
        """Bookmarks, newest first, narrowed by :func:`matches` and an exact tag."""
        found = self._query(
            f"SELECT {_COLUMNS} FROM bookmarks ORDER BY created_at DESC, rowid DESC"
        )
        if tag is not None:
            wanted = normalized_text(tag.lstrip("#"))
            found = [b for b in found if any(normalized_text(t) == wanted for t in b.tags)]
        if filter_text.strip():
            found = [b for b in found if matches(b, filter_text)]
        return found

    def for_article(self, article_id: str) -> builtins.list[Bookmark]:
        """The bookmarks of one article in text order, for marking them in the reader."""
        return self._query(
            f"SELECT {_COLUMNS} FROM bookmarks WHERE article_id = ? "
            "ORDER BY start_offset, end_offset",
            (article_id,),
        )

    def passages_marked(self, article_id: str) -> set[str]:
        """Ids of the passages of ``article_id`` holding an anchored bookmark."""
        rows = self._rows(
            "SELECT DISTINCT passage_id FROM bookmarks WHERE article_id = ? "
            "AND status != 'detached'",
            (article_id,),
        )
        return {row[0] for row in rows}

    def reanchor_all(self, get_article: Callable[[str], Article | None]) -> ReanchorReport:
        """Re-anchor every bookmark against the current articles and store the new positions.

        See :func:`index.anchoring.reanchor_many`: a bookmark is matched only to the article
        at its own path, and one whose article is not found is left exactly as it is. What is
        written is the position alone (article id and hash, passage, offsets, status, the
        text now there when it differs, and the article's citation facts): never the quote,
        its context, the note or the path, so nothing the user kept can be lost.
        """
        return self.save_anchors(
            reanchor_many(
                self._query(f"SELECT {_COLUMNS} FROM bookmarks ORDER BY rowid"), get_article
            )[1]
        )

    def save_anchors(self, report: ReanchorReport) -> ReanchorReport:
        """Write the re-anchored positions of ``report.updates`` in one transaction; the ones
        written are appended to ``report.changed``."""
        if not report.updates:
            return report
        with self._write() as conn:
            for old, new in report.updates:
                # Only if nobody moved the anchor meanwhile: a note edited in the app while
                # this ran is in other columns and is not overwritten either.
                changed = conn.execute(
                    "UPDATE bookmarks SET article_id = ?, article_hash = ?, passage_id = ?, "
                    "start_offset = ?, end_offset = ?, status = ?, current_text = ?, via = ?, "
                    "title_composed = ? WHERE id = ? AND article_hash = ? "
                    "AND start_offset = ? AND end_offset = ? AND status = ?",
                    (
                        new.article_id, new.article_hash, new.passage_id, new.start, new.end,
                        new.status, new.current_text, new.via, new.title_composed,
                        old.id, old.article_hash, old.start, old.end, old.status,
                    ),
                ).rowcount  # fmt: skip
                if changed:
                    report.changed.append(new)
        return report

    def merge(self, bookmarks: Iterable[Bookmark]) -> MergeReport:
        """Import bookmarks in one transaction: new ids are added; for a known id the copy with
        the later ``updated_at`` wins (so re-importing an export changes nothing)."""
        incoming = builtins.list(bookmarks)
        for bookmark in incoming:
            check_bookmark(bookmark)
        report = MergeReport()
        with self._write() as conn:
            for bookmark in incoming:
                row = conn.execute(
                    f"SELECT {_COLUMNS} FROM bookmarks WHERE id = ?", (bookmark.id,)
                ).fetchone()
                if row is None:
                    report.added += 1
                elif bookmark.updated_at > _bookmark(row).updated_at:
                    report.updated += 1
                else:
                    report.skipped += 1
                    continue
                self._replace(conn, bookmark)
        return report

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> BookmarkStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _is_corruption(error: sqlite3.DatabaseError) -> bool:
    """Whether SQLite says the file is not a database or is damaged (not merely busy)."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
    return not isinstance(error, sqlite3.OperationalError)


def _row_or_raise(conn: sqlite3.Connection, bookmark_id: str) -> Any:
    """The stored row of ``bookmark_id`` inside a write transaction, or BookmarkNotFound."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM bookmarks WHERE id = ?", (bookmark_id,)).fetchone()
    if row is None:
        raise BookmarkNotFound(bookmark_id)
    return row
