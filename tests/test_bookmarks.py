"""The bookmarks store: add, edit, delete and undo, filtering, migrations, unreadable files."""

from __future__ import annotations

import dataclasses
import hashlib
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _bookmark_articles import PARAGRAPHS, make_article

from index.bookmarks import (
    MIGRATIONS,
    SCHEMA_VERSION,
    Bookmark,
    BookmarkNotFound,
    BookmarkStore,
    BookmarkStoreError,
    parse_tags,
)
from index.models import Article


@pytest.fixture
def store(tmp_path: Path) -> Iterator[BookmarkStore]:
    opened = BookmarkStore(tmp_path / "bookmarks.sqlite")
    yield opened
    opened.close()


def _span(article: Article, needle: str, **kw: Any) -> Bookmark:
    start = article.text.index(needle)
    return Bookmark.for_span(article, start, start + len(needle), **kw)


def test_add_then_get_and_list(store: BookmarkStore) -> None:
    article = make_article()
    passage = store.add(Bookmark.for_passage(article, "a1:0", note="أول", tags=["حريق"]))
    span = store.add(_span(article, "بلغت 12 قتيلا", tags="ضحايا, أرقام"))

    assert store.get(passage.id) == passage
    assert passage.kind == "passage" and passage.quote == PARAGRAPHS[0]
    assert (span.kind, span.quote, span.passage_id) == ("span", "بلغت 12 قتيلا", "a1:1")
    assert span.tags == ("ضحايا", "أرقام")
    assert span.prefix == article.text[span.start - 32 : span.start]
    assert (span.title, span.source, span.date, span.url) == (
        article.title,
        article.source,
        article.date,
        article.url,
    )
    assert [b.id for b in store.list()] == [span.id, passage.id]  # newest first
    assert store.passages_marked("a1") == {"a1:0", "a1:1"}
    assert [b.id for b in store.for_article("a1")] == [passage.id, span.id]  # text order


def test_span_selection_is_trimmed_and_must_hold_text() -> None:
    article = make_article()
    end_of_first = article.passages[0].end
    trimmed = Bookmark.for_span(article, end_of_first - 5, end_of_first + 2)
    assert trimmed.end == end_of_first and not trimmed.quote[-1].isspace()
    with pytest.raises(ValueError, match="no text"):
        Bookmark.for_span(article, end_of_first, end_of_first + 2)
    with pytest.raises(ValueError, match="outside"):
        Bookmark.for_span(article, 0, len(article.text) + 1)


def test_adding_an_existing_id_is_refused(store: BookmarkStore) -> None:
    bookmark = store.add(Bookmark.for_passage(make_article(), "a1:0"))
    with pytest.raises(ValueError, match="already exists"):
        store.add(bookmark)


def test_edit_note_and_tags(store: BookmarkStore) -> None:
    added = store.add(Bookmark.for_passage(make_article(), "a1:1", note="قديم"))
    noted = store.update_note(added.id, "ملاحظة جديدة")
    tagged = store.set_tags(added.id, ["#أرقام", "حريق", "أرقام"])

    again = store.get(added.id)
    assert again == tagged
    assert again is not None
    assert again.note == noted.note == "ملاحظة جديدة"
    assert again.tags == ("أرقام", "حريق")
    assert again.created_at == added.created_at
    assert again.updated_at >= noted.updated_at >= added.updated_at
    with pytest.raises(BookmarkNotFound):
        store.update_note("no-such-id", "x")


def test_delete_returns_the_record_and_restore_undoes_it(store: BookmarkStore) -> None:
    kept = store.add(Bookmark.for_passage(make_article(), "a1:2", note="للاستشهاد", tags=["x"]))
    deleted = store.delete(kept.id)
    assert deleted == kept
    assert store.get(kept.id) is None
    assert store.list() == []
    assert store.passages_marked("a1") == set()

    store.restore(deleted)
    assert store.get(kept.id) == kept
    with pytest.raises(BookmarkNotFound):
        store.delete("no-such-id")


def test_committed_bookmarks_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "bookmarks.sqlite"
    with BookmarkStore(path) as first:
        added = first.add(Bookmark.for_passage(make_article(), "a1:3"))
    with BookmarkStore(path) as second:
        assert second.warning is None
        assert second.get(added.id) == added
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_filter_ignores_harakat_and_alef_variants(store: BookmarkStore) -> None:
    article = make_article(
        ("قَالَ الرَّئِيسُ إنّ الأزمة انتهت.", "أعلنت إسرائيل الحصيلة.", "لا شيء هنا."),
        title="مؤتمر صحفي",
        source="العربية",
    )
    vowelled = store.add(Bookmark.for_passage(article, "a1:0"))
    hamza = store.add(Bookmark.for_passage(article, "a1:1", note="أرقام مهمة"))
    store.add(Bookmark.for_passage(article, "a1:2", tags=["ثانوي"]))

    assert [b.id for b in store.list("قال الرئيس")] == [vowelled.id]
    assert [b.id for b in store.list("اعلنت اسرائيل")] == [hamza.id]
    assert [b.id for b in store.list("ارقام")] == [hamza.id]  # in the note
    assert len(store.list("مؤتمر")) == 3  # the title
    assert len(store.list("العربيه")) == 3  # the outlet, taa marbuta typed as ha
    assert store.list("غير موجود") == []
    secondary = store.list("ثانوي")
    assert store.list("الثانوي") == secondary  # typed with the article: the bare tag matches
    assert [b.quote for b in store.list(tag="#ثانوي")] == ["لا شيء هنا."]


def test_parse_tags_splits_on_latin_and_arabic_separators() -> None:
    assert parse_tags("حريق، ضحايا, #أرقام حريق") == ("حريق", "ضحايا", "أرقام")
    assert parse_tags(["a b", "c"]) == ("a", "b", "c")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _kept_files(path: Path) -> list[Path]:
    return sorted(path.parent.glob(path.name + ".unreadable-*"))


def test_garbage_file_is_kept_aside_and_a_new_store_started(tmp_path: Path) -> None:
    path = tmp_path / "bookmarks.sqlite"
    path.write_bytes(b"these are not the bookmarks you are looking for\x00" * 200)
    before = _sha(path)

    with BookmarkStore(path) as store:
        assert store.warning is not None
        kept = store.warning.kept_at
        assert _kept_files(path) == [kept]
        assert _sha(kept) == before  # not one byte changed
        assert str(kept) in store.warning.message
        assert "could not be read" in store.warning.message
        assert "a new one was started" in store.warning.message
        added = store.add(Bookmark.for_passage(make_article(), "a1:0"))
    with BookmarkStore(path) as reopened:
        assert reopened.warning is None
        assert reopened.get(added.id) == added


def test_corrupted_pages_are_kept_aside(tmp_path: Path) -> None:
    path = tmp_path / "bookmarks.sqlite"
    with BookmarkStore(path) as store:
        for n in range(60):
            store.add(Bookmark.for_passage(make_article(), f"a1:{n % 4}", note="x" * 500))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    data = bytearray(path.read_bytes())
    assert len(data) > 3 * 4096
    data[4096 + 8 : 4096 * 3] = b"\xff" * (4096 * 2 - 8)  # trash pages 2 and 3, keep the header
    path.write_bytes(bytes(data))

    with BookmarkStore(path) as store:
        assert store.warning is not None
        assert store.list() == []
    assert len(_kept_files(path)) == 1


def test_newer_schema_is_kept_aside_not_downgraded(tmp_path: Path) -> None:
    path = tmp_path / "bookmarks.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE bookmarks (id TEXT PRIMARY KEY, future_field TEXT)")
    conn.execute("INSERT INTO bookmarks VALUES ('x', 'from the future')")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    before = _sha(path)

    with BookmarkStore(path) as store:
        assert store.warning is not None
        assert "newer newsreader" in store.warning.message
        kept = store.warning.kept_at
        assert store.list() == []
    assert _sha(kept) == before
    check = sqlite3.connect(kept)
    assert check.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 5
    assert check.execute("SELECT future_field FROM bookmarks").fetchall() == [("from the future",)]


def test_foreign_sqlite_database_is_kept_aside(tmp_path: Path) -> None:
    path = tmp_path / "bookmarks.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    with BookmarkStore(path) as store:
        assert store.warning is not None
        assert "not a newsreader" in store.warning.message


def test_a_busy_database_is_an_error_not_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "bookmarks.sqlite"
    with BookmarkStore(path) as store:
        added = store.add(Bookmark.for_passage(make_article(), "a1:0"))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=DELETE")
    holder.execute("BEGIN EXCLUSIVE")  # another process in the middle of a long write
    try:
        with pytest.raises(BookmarkStoreError, match="locked"):
            BookmarkStore(path, busy_timeout=0.1)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert _kept_files(path) == []
    with BookmarkStore(path) as store:
        assert store.warning is None
        assert store.get(added.id) == added


def test_two_stores_on_one_file_see_each_others_writes(tmp_path: Path) -> None:
    path = tmp_path / "bookmarks.sqlite"
    with BookmarkStore(path) as app, BookmarkStore(path) as cli:
        from_app = app.add(Bookmark.for_passage(make_article(), "a1:0"))
        from_cli = cli.add(Bookmark.for_passage(make_article(), "a1:1"))
        assert (
            {b.id for b in app.list()}
            == {b.id for b in cli.list()}
            == {
                from_app.id,
                from_cli.id,
            }
        )


def test_version_1_database_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "bookmarks.sqlite"
    conn = sqlite3.connect(path)
    MIGRATIONS[0](conn)
    conn.execute(
        "INSERT INTO bookmarks (id, article_id, article_path, article_hash, passage_id, "
        "start_offset, end_offset, quote, prefix, suffix, note, tags, created_at, updated_at) "
        "VALUES ('old', 'a1', 'corpus/a1.txt', 'h', 'a1:0', 0, 5, 'قال ا', '', ' لمت', 'ن', "
        "'[\"t\"]', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')"
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()

    with BookmarkStore(path) as store:
        assert store.warning is None
        old = store.get("old")
    assert old is not None
    assert (old.status, old.kind, old.tags, old.note) == ("anchored", "span", ("t",), "ن")
    assert (old.via, old.title_composed) == (None, None)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def _version_2_database(path: Path, rows: int) -> None:
    """A store as newsreader wrote it before bookmarks kept ``via`` and ``title_composed``."""
    conn = sqlite3.connect(path)
    for migration in MIGRATIONS[:2]:
        migration(conn)
    for n in range(rows):
        conn.execute(
            "INSERT INTO bookmarks (id, article_id, article_path, article_hash, passage_id, "
            "start_offset, end_offset, quote, prefix, suffix, note, tags, created_at, "
            "updated_at, title, source, date, url, status, kind) VALUES (?, 'a1', "
            "'corpus/a1.txt', 'h', 'a1:0', 0, 5, 'قال ا', '', ' لمت', ?, '[\"t\"]', ?, ?, "
            "'حريق', 'كويت نيوز', NULL, NULL, 'reanchored', 'passage')",
            (
                f"old-{n}",
                f"ملاحظة {n}",
                f"2025-01-0{n + 1}T00:00:00.000Z",
                "2025-02-01T00:00:00.000Z",
            ),
        )
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()


def test_version_2_database_gains_the_citation_columns_and_keeps_every_bookmark(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bookmarks.sqlite"
    _version_2_database(path, rows=3)

    with BookmarkStore(path) as store:
        assert store.warning is None
        kept = store.list()
        made_now = store.add(
            Bookmark.for_passage(dataclasses.replace(make_article(), via="واس"), "a1:0")
        )
    assert [b.id for b in kept] == ["old-2", "old-1", "old-0"]
    for n, old in enumerate(reversed(kept)):
        assert (old.note, old.tags, old.title, old.source, old.status, old.kind) == (
            f"ملاحظة {n}",
            ("t",),
            "حريق",
            "كويت نيوز",
            "reanchored",
            "passage",
        )
        assert (old.via, old.title_composed) == (None, None)  # NULL: not recorded
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    with BookmarkStore(path) as reopened:
        assert len(reopened.list()) == 4
        assert reopened.get(made_now.id) == made_now
        assert (made_now.via, made_now.title_composed) == ("واس", False)


def test_a_failed_migration_leaves_the_old_database_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bookmarks.sqlite"
    _version_2_database(path, rows=2)

    def failing(conn: sqlite3.Connection) -> None:
        MIGRATIONS[2](conn)
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr("index.bookmarks.MIGRATIONS", (*MIGRATIONS[:2], failing))
    with pytest.raises(BookmarkStoreError):
        BookmarkStore(path)
    assert not list(tmp_path.glob("*.unreadable-*"))  # an error, not a reason to move it
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    assert conn.execute("SELECT count(*) FROM bookmarks").fetchone()[0] == 2
    columns = {row[1] for row in conn.execute("PRAGMA table_info(bookmarks)")}
    assert "via" not in columns  # rolled back with the rest
    monkeypatch.undo()
    with BookmarkStore(path) as store:
        assert len(store.list()) == 2


def test_a_bookmark_keeps_the_agency_and_the_composed_title_flag(tmp_path: Path) -> None:
    """They are the article's as the loader recorded them, kept so the citation no longer needs
    the file; an article crediting no agency gives "" (known), never None (not recorded)."""
    path = tmp_path / "bookmarks.sqlite"
    wire = dataclasses.replace(make_article(), via="أ ف ب", title_composed=True)
    with BookmarkStore(path) as store:
        from_wire = store.add(_span(wire, "بلغت 12 قتيلا"))
        own = store.add(Bookmark.for_passage(make_article(), "a1:0"))
    with BookmarkStore(path) as store:
        assert store.get(from_wire.id) == from_wire
        assert store.get(own.id) == own
    assert (from_wire.via, from_wire.title_composed) == ("أ ف ب", True)
    assert (own.via, own.title_composed) == ("", False)


def test_reanchor_all_fills_in_the_facts_of_an_old_bookmark(store: BookmarkStore) -> None:
    article = dataclasses.replace(make_article(), via="واس", title_composed=True)
    old = store.add(
        dataclasses.replace(Bookmark.for_passage(article, "a1:1"), via=None, title_composed=None)
    )
    report = store.reanchor_all({"a1": article}.get)
    found = store.get(old.id)
    assert found is not None and report.changed == [found]
    assert (found.via, found.title_composed, found.status) == ("واس", True, "anchored")


def test_open_default_lives_in_the_data_dir(newsreader_home: Path) -> None:
    with BookmarkStore.open_default() as store:
        assert store.path == newsreader_home / "data" / "bookmarks.sqlite"
        store.add(Bookmark.for_passage(make_article(), "a1:0"))
    assert (newsreader_home / "data" / "bookmarks.sqlite").is_file()


def test_reanchor_all_moves_detaches_and_leaves_missing_alone(store: BookmarkStore) -> None:
    article = make_article()
    other = make_article(article_id="b2", path="corpus/b2.txt")
    moved = store.add(_span(article, "بلغت 12 قتيلا"))
    lost = store.add(Bookmark.for_passage(article, "a1:2"))
    absent = store.add(Bookmark.for_passage(other, "b2:0"))
    inserted = "فقرة جديدة في أول المقال."
    edited = make_article((inserted, PARAGRAPHS[0], PARAGRAPHS[1], PARAGRAPHS[3]))

    report = store.reanchor_all({"a1": edited}.get)

    assert (report.reanchored, report.detached, report.missing) == (1, 1, 1)
    now_moved = store.get(moved.id)
    assert now_moved is not None
    assert now_moved.status == "reanchored" and now_moved.passage_id == "a1:2"
    assert edited.text[now_moved.start : now_moved.end] == "بلغت 12 قتيلا"
    now_lost = store.get(lost.id)
    assert now_lost == dataclasses.replace(lost, status="detached")
    assert store.get(absent.id) == absent
    assert lost.id in [b.id for b in store.list()]  # detached, still listed with its quote
    assert [b.quote for b in store.list("الدخان")] == [PARAGRAPHS[2]]
    assert store.passages_marked("a1") == {"a1:2"}  # a detached bookmark marks no passage


def test_reanchor_all_keeps_a_note_edited_meanwhile(store: BookmarkStore) -> None:
    article = make_article()
    bookmark = store.add(_span(article, "بلغت 12 قتيلا"))
    shifted = make_article(("فقرة جديدة.", *PARAGRAPHS))

    def get_article(key: str) -> Article | None:
        store.update_note(bookmark.id, "edited in the app while re-anchoring ran")
        return shifted

    report = store.reanchor_all(get_article)
    found = store.get(bookmark.id)
    assert found is not None
    assert found.note == "edited in the app while re-anchoring ran"
    assert found.status == "reanchored" and report.changed[0].start == found.start


def test_reanchor_all_finds_an_article_whose_id_changed_by_its_path(store: BookmarkStore) -> None:
    article = make_article()
    bookmark = store.add(Bookmark.for_passage(article, "a1:1"))
    renamed = make_article(article_id="new-id")
    store.reanchor_all({renamed.path: renamed}.get)
    found = store.get(bookmark.id)
    assert found is not None
    assert (found.article_id, found.passage_id, found.status) == ("new-id", "new-id:1", "anchored")


def test_merge_adds_new_skips_same_and_takes_later_edits(store: BookmarkStore) -> None:
    article = make_article()
    mine = store.add(Bookmark.for_passage(article, "a1:0", note="mine"))
    theirs_newer = dataclasses.replace(
        mine, note="edited later", updated_at="2999-01-01T00:00:00.000Z"
    )
    fresh = Bookmark.for_passage(article, "a1:1")

    report = store.merge([mine, fresh])
    assert (report.added, report.updated, report.skipped) == (1, 0, 1)
    report = store.merge([theirs_newer, dataclasses.replace(mine, note="older")])
    assert (report.added, report.updated, report.skipped) == (0, 1, 1)
    assert store.get(mine.id) == theirs_newer


def test_one_store_shared_by_threads_keeps_every_write(store: BookmarkStore) -> None:
    article = make_article()
    added: list[str] = []

    def writer(n: int) -> None:
        for i in range(20):
            bookmark = store.add(Bookmark.for_passage(article, f"a1:{(n + i) % 4}"))
            store.update_note(bookmark.id, f"{n}-{i}")
            added.append(bookmark.id)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = {b.id: b.note for b in store.list()}
    assert set(added) == set(stored) and len(stored) == 80
    assert all(note for note in stored.values())
