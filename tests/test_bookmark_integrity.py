"""Bookmarks survive; nothing is lost: the user review's findings, each as a test.

1. Re-anchoring (after an article changed) rewrote the stored quote with the article's new
   text ("89 killed" became "95 killed" in the export *and* in the store). The saved quote is
   now never replaced: the status says ``changed`` and the new text is shown beside it.
2. ``export --corpus B`` re-anchored bookmarks made in corpus A onto B's file of the same name
   and rewrote their path. A bookmark is now matched only to the file it was made on.
3. A passage deleted from its article never showed as detached in the app: after ctrl+r the
   store was not re-anchored. The app now re-anchors the changed articles' bookmarks (position
   and status only) when the index changes, and the bookmarks screen says so on the row.
4. Bookmarking the same passage twice asks first instead of silently keeping two.

The corpora are copies of the seeds in tmp directories; the core and the CLI are real.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from _app_support import build_index, copy_of_seeds, new_app, settle
from _bookmark_articles import PARAGRAPHS, make_article
from textual.pilot import Pilot

from index.anchoring import reanchor
from index.bookmarks import MIGRATIONS, SCHEMA_VERSION, Bookmark, BookmarkStore
from index.export import export_csv, export_json, export_markdown, parse_json
from index.models import Article
from tui.cli import main
from tui.screens.bookmarks_screen import BookmarksScreen
from tui.screens.main_screen import MainScreen
from tui.screens.note_dialog import NoteDialog
from tui.widgets.reader import Reader

KEPT = "سقوط 89 قتيلا"
EDITED = "سقوط 95 قتيلا"


def seed_002(corpus: Path) -> tuple[Path, Article]:
    from index.corpus import load_corpus

    [file] = corpus.glob("002_*.txt")
    [article] = [a for a in load_corpus([corpus]).articles if Path(a.path).name == file.name]
    return file, article


def bookmark_the_89(corpus: Path) -> tuple[Path, Bookmark]:
    """Bookmark, with a note, the passage of seed 002 that says 89 were killed."""
    file, article = seed_002(corpus)
    [passage] = [p for p in article.passages if KEPT in p.text]
    with BookmarkStore.open_default() as store:
        saved = store.add(Bookmark.for_passage(article, passage.id, note="the toll"))
    return file, saved


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new), encoding="utf-8")


def stored(bookmark_id: str) -> Bookmark:
    with BookmarkStore.open_default() as store:
        found = store.get(bookmark_id)
    assert found is not None
    return found


# --- 1. the saved quote is never replaced ------------------------------------------------------


def test_export_quotes_what_was_saved_and_says_the_text_changed(
    newsreader_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = copy_of_seeds(tmp_path / "corpus", catalog=True)
    file, saved = bookmark_the_89(corpus)
    edit(file, KEPT, EDITED)

    assert main(["bookmarks", "export", "--format", "md", "--corpus", str(corpus)]) == 0
    captured = capsys.readouterr()
    markdown = captured.out
    quote_lines = [line for line in markdown.splitlines() if line.startswith("> ")]
    assert quote_lines and KEPT in quote_lines[0] and EDITED not in quote_lines[0]
    assert "The article's text here has changed since this was saved:" in markdown
    changed_line = next(line for line in markdown.splitlines() if "has changed since" in line)
    assert EDITED in changed_line
    assert "1 found where the article's text has changed" in captured.err

    # Export only reads: the store still holds the bookmark exactly as it was saved.
    assert stored(saved.id) == saved

    assert main(["bookmarks", "export", "--format", "json", "--corpus", str(corpus)]) == 0
    [exported] = parse_json(capsys.readouterr().out)
    assert exported.quote == saved.quote and KEPT in exported.quote
    assert exported.status == "changed"
    assert exported.current_text is not None and EDITED in exported.current_text
    assert exported.note == "the toll"

    assert main(["bookmarks", "export", "--format", "csv", "--corpus", str(corpus)]) == 0
    csv_text = capsys.readouterr().out
    assert ",changed," in csv_text and EDITED in csv_text and KEPT in csv_text


def test_reanchoring_stores_the_new_position_but_never_the_new_text(
    newsreader_home: Path, tmp_path: Path
) -> None:
    corpus = copy_of_seeds(tmp_path / "corpus", catalog=True)
    file, saved = bookmark_the_89(corpus)
    edit(file, KEPT, EDITED)
    _, article = seed_002(corpus)

    with BookmarkStore.open_default() as store:
        report = store.reanchor_all({article.id: article}.get)
        after = store.get(saved.id)
        assert after is not None
        assert (after.quote, after.prefix, after.suffix) == (
            saved.quote,
            saved.prefix,
            saved.suffix,
        )
        assert after.status == "changed" and report.changed_text == 1
        assert after.current_text == article.text[after.start : after.end]
        assert EDITED in after.current_text and after.article_hash == article.content_hash
        assert after.note == saved.note and after.article_path == saved.article_path
        # Again against the same text: nothing to write, nothing moves.
        again = store.reanchor_all({article.id: article}.get)
        assert again.changed == [] and store.get(saved.id) == after
        # The outlet puts the old figure back: the quote is found word for word again.
        edit(file, EDITED, KEPT)
        _, restored = seed_002(corpus)
        store.reanchor_all({restored.id: restored}.get)
        back = store.get(saved.id)
        assert back is not None and back.current_text is None
        assert back.status == "reanchored" and back.quote == saved.quote


def test_a_fuzzy_match_keeps_the_quote_and_carries_the_new_text() -> None:
    article = make_article()
    start = article.text.index("أخمدت")
    end = article.text.index("12 قتيلا") + len("12 قتيلا")
    bookmark = Bookmark.for_span(article, start, end)
    edited = make_article(
        (PARAGRAPHS[0], PARAGRAPHS[1].replace("12 قتيلا", "14 قتيلا"), *PARAGRAPHS[2:])
    )
    result = reanchor(bookmark, edited)
    assert result.status == result.bookmark.status == "changed"
    assert result.bookmark.quote == bookmark.quote
    assert result.bookmark.current_text is not None
    assert "14 قتيلا" in result.bookmark.current_text


def test_every_format_shows_the_saved_quote_and_the_text_now() -> None:
    article = make_article()
    saved = Bookmark.for_passage(article, "a1:1")
    changed = dataclasses.replace(
        saved, status="changed", current_text=PARAGRAPHS[1].replace("12", "14")
    )
    markdown = export_markdown([changed])
    assert f"> {PARAGRAPHS[1]}" in markdown
    assert "*The article's text here has changed since this was saved:* «" in markdown
    assert "14 قتيلا" in markdown
    assert export_markdown([saved]).count("has changed since") == 0
    record = json.loads(export_json([changed]))["bookmarks"][0]
    assert record["quote"] == PARAGRAPHS[1] and "14" in record["current_text"]
    assert parse_json(export_json([changed])) == [changed]  # lossless
    assert "14 قتيلا" in export_csv([changed]).splitlines()[1]


def test_a_v3_database_opens_and_keeps_every_bookmark(tmp_path: Path) -> None:
    """Databases made before ``current_text`` existed migrate in place, rows intact."""
    path = tmp_path / "bookmarks.sqlite"
    conn = sqlite3.connect(path)
    for step in MIGRATIONS[:3]:
        step(conn)
    conn.execute("PRAGMA user_version = 3")
    conn.execute(
        "INSERT INTO bookmarks (id, article_id, article_path, article_hash, passage_id, "
        "start_offset, end_offset, quote, prefix, suffix, created_at, updated_at, status, kind) "
        "VALUES ('old', 'a1', 'corpus/a1.txt', 'h', 'a1:0', 0, 4, 'قال', '', '', "
        "'2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z', 'reanchored', 'passage')"
    )
    conn.commit()
    conn.close()
    with BookmarkStore(path) as store:
        old = store.get("old")
        assert old is not None and store.warning is None
        assert (old.quote, old.status, old.current_text) == ("قال", "reanchored", None)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


# --- 2. a bookmark stays with its own corpus ---------------------------------------------------


def test_export_against_another_corpus_leaves_the_bookmark_where_it_was(
    newsreader_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus_a = copy_of_seeds(tmp_path / "a", catalog=True)
    _, saved = bookmark_the_89(corpus_a)
    corpus_b = copy_of_seeds(tmp_path / "b", catalog=True)
    [file_b] = corpus_b.glob("002_*.txt")
    edit(file_b, KEPT, "سقوط 77 قتيلا")  # same file name, same article id, other text

    assert main(["bookmarks", "export", "--format", "json", "--corpus", str(corpus_b)]) == 0
    [exported] = parse_json(capsys.readouterr().out)
    assert exported == saved  # exported as it is: not moved, not "changed"
    assert stored(saved.id) == saved

    _, article_b = seed_002(corpus_b)
    assert article_b.id == saved.article_id and article_b.path != saved.article_path
    with BookmarkStore.open_default() as store:
        report = store.reanchor_all({article_b.id: article_b, article_b.path: article_b}.get)
        assert report.missing == 1 and report.changed == []
        assert store.get(saved.id) == saved


# --- 3. a deleted quote shows as detached in the app -------------------------------------------


async def test_a_deleted_sentence_shows_detached_after_ctrl_r(
    newsreader_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = copy_of_seeds(tmp_path / "corpus", catalog=True)
    build_index(newsreader_home, [corpus])
    file, saved = bookmark_the_89(corpus)
    sentence = saved.quote
    app = new_app([corpus])
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        edit(file, sentence, "")  # the outlet removed the sentence
        await pilot.press("ctrl+r")
        await settle(pilot)
        after = stored(saved.id)
        assert after.status == "detached" and after.quote == sentence
        await open_bookmarks(pilot)
        screen = app.screen
        assert isinstance(screen, BookmarksScreen)
        assert [b.status for b in screen.shown] == ["detached"]
        row = screen.bookmark_list.get_option_at_index(0).prompt
        assert "detached: the article changed" in _plain(row)
    assert main(["bookmarks", "list"]) == 0
    assert "[detached]" in capsys.readouterr().out


async def test_a_changed_figure_shows_on_its_row_after_ctrl_r(
    newsreader_home: Path, tmp_path: Path
) -> None:
    corpus = copy_of_seeds(tmp_path / "corpus", catalog=True)
    build_index(newsreader_home, [corpus])
    file, saved = bookmark_the_89(corpus)
    app = new_app([corpus])
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        edit(file, KEPT, EDITED)
        await pilot.press("ctrl+r")
        await settle(pilot)
        after = stored(saved.id)
        assert after.status == "changed" and after.quote == saved.quote
        await open_bookmarks(pilot)
        screen = app.screen
        assert isinstance(screen, BookmarksScreen)
        shown = _plain(screen.bookmark_list.get_option_at_index(0).prompt)
        assert "changed: the article's text here now reads" in shown


async def open_bookmarks(pilot: Pilot[Any]) -> None:
    """M from the reader (the search box would take the letter as typing)."""
    pilot.app.screen.query_one(Reader).focus()
    await pilot.pause()
    await pilot.press("M")
    await settle(pilot)


def _plain(prompt: object) -> str:
    """The texts of an option's prompt (a StackedBlocks of laid-out blocks), in logical order."""
    from tui.widgets.field_line import StackedBlocks

    assert isinstance(prompt, StackedBlocks)
    return "\n".join(part.text for block in prompt.blocks for part in block.parts)


# --- 4. the same passage twice ------------------------------------------------------------------


async def test_m_on_a_bookmarked_passage_asks_before_keeping_a_second(
    newsreader_home: Path, tmp_path: Path
) -> None:
    corpus = copy_of_seeds(tmp_path / "corpus", catalog=True)
    build_index(newsreader_home, [corpus])
    app = new_app([corpus])
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        from _app_support import search_and_open

        await search_and_open(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        store = app.services.bookmarks
        assert store is not None and len(store.list()) == 1
        await pilot.press("m")  # again: a warning, no dialog, nothing stored
        await settle(pilot)
        assert not isinstance(app.screen, NoteDialog)
        assert any("already bookmarked" in n for n in app.notification_log)
        assert len(store.list()) == 1
        await pilot.press("m")  # pressed again: the user means it
        await settle(pilot)
        assert isinstance(app.screen, NoteDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert len(store.list()) == 2
