"""Bookmarks in the app: m, the v selection, the M list, jump, d delete with undo, e edit."""

from __future__ import annotations

from pathlib import Path

import pytest
from _app_support import new_app, search_and_open, seeded_home, settle

from tui.screens.bookmarks_screen import BookmarksScreen
from tui.screens.note_dialog import NoteDialog
from tui.widgets.reader import Reader


@pytest.fixture
def home(newsreader_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeded_home(newsreader_home, tmp_path_factory)


async def test_m_bookmarks_the_passage_with_a_note(home: Path) -> None:
    app = new_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        reader = await search_and_open(pilot)
        passage = reader.current_passage
        assert passage is not None
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, NoteDialog)
        await pilot.press(*"للمقارنة")
        await pilot.press("tab", *"iran, warning")
        await pilot.press("enter")
        await settle(pilot)
        store = app.services.bookmarks
        assert store is not None
        [saved] = store.list()
        assert saved.passage_id == passage.id and saved.quote == passage.text
        assert saved.note == "للمقارنة" and saved.tags == ("iran", "warning")
        # The passage carries the bookmark dot in the gutter.
        row = reader.article_layout.passage_first_row[reader.current]  # type: ignore[union-attr]
        assert reader.rendered_text()[row][-2:] == "•▌"
        # Esc in the dialog cancels: nothing more is stored.
        await pilot.press("j", "m")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert len(store.list()) == 1


async def test_v_selection_bookmarks_a_span(home: Path) -> None:
    app = new_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        reader = await search_and_open(pilot)
        passage = reader.current_passage
        assert passage is not None
        await pilot.press("v")
        assert reader.selection is not None
        first_word = passage.text[slice(*reader.selection.span)]
        assert first_word and " " not in first_word.strip()
        await pilot.press("j", "j")  # two more words in reading order
        start, end = reader.selection.span
        selected = passage.text[start:end]
        assert selected.startswith(first_word) and len(selected) > len(first_word)
        await pilot.press("left")  # in Arabic text, left on screen is forward in reading
        assert reader.selection.span == (start, end + 1)
        await pilot.press("right")
        assert reader.selection.span == (start, end)
        # The selection is painted: its cells differ in style from the rest of the row.
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, NoteDialog)
        await pilot.press("enter")
        await settle(pilot)
        [saved] = app.services.bookmarks.list()  # type: ignore[union-attr]
        assert saved.kind == "span"
        assert saved.quote == passage.text[start:end]
        assert (saved.start, saved.end) == (passage.start + start, passage.start + end)
        assert reader.selection is None


async def test_bookmarks_list_jump_delete_undo_and_edit(home: Path) -> None:
    app = new_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        reader = await search_and_open(pilot)
        for _ in range(2):
            await pilot.press("m")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            await pilot.press("j")
        bookmarked = {b.passage_id for b in app.services.bookmarks.list()}  # type: ignore[union-attr]
        assert len(bookmarked) == 2
        await pilot.press("g")
        await pilot.press("M")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BookmarksScreen)
        assert len(screen.shown) == 2
        newest = screen.shown[0]
        # Filter as you type: a word of the newest quote keeps it, nonsense keeps nothing.
        await pilot.press("slash", *"zzzzqqq")
        await settle(pilot)
        assert screen.shown == []
        screen.query_one("#filter").value = ""  # type: ignore[attr-defined]
        await settle(pilot)
        assert len(screen.shown) == 2
        screen.bookmark_list.focus()
        await pilot.pause()
        # d deletes, u brings it back with the same id.
        screen.bookmark_list.highlighted = 0
        await pilot.press("d")
        await settle(pilot)
        assert [b.id for b in screen.shown] != [newest.id] and len(screen.shown) == 1
        await pilot.press("u")
        await settle(pilot)
        assert newest.id in {b.id for b in screen.shown} and len(screen.shown) == 2
        # e edits the note and the tags.
        screen.bookmark_list.highlighted = 0
        tags_before = screen.shown[0].tags
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, NoteDialog)
        await pilot.press(*"edited")
        await pilot.press("tab", *"،مراجعة")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        edited = app.services.bookmarks.get(screen.shown[0].id)  # type: ignore[union-attr]
        assert edited.note.endswith("edited")
        assert edited.tags == (*tags_before, "مراجعة")
        # Enter jumps to the passage and highlights the span.
        target = screen.shown[0]
        await pilot.press("enter")
        await settle(pilot)
        main_reader = app.screen.query_one(Reader)
        assert main_reader.current_passage is not None
        assert main_reader.current_passage.id == target.passage_id
        assert main_reader.flash is not None
        assert (main_reader.flash.start, main_reader.flash.end) == (target.start, target.end)
        assert main_reader is reader


async def test_bookmarks_survive_a_restart(home: Path) -> None:
    app = new_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await search_and_open(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("q")
    app = new_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.screen.query_one(Reader).focus()
        await pilot.pause()
        await pilot.press("M")
        await settle(pilot)
        assert isinstance(app.screen, BookmarksScreen)
        assert len(app.screen.shown) == 1


async def test_mouse_drag_selects_a_span_to_bookmark(home: Path) -> None:
    app = new_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        reader = await search_and_open(pilot)
        layout_rows = reader.article_layout
        assert layout_rows is not None
        index = reader.current
        passage = reader.current_passage
        assert passage is not None
        y = layout_rows.passage_first_row[index] - int(reader.scroll_offset.y)
        first_line = layout_rows.passage_lines[index][0]
        right = layout_rows.text_width - 1  # an RTL line starts at the right edge
        await pilot.mouse_down(Reader, offset=(right, y))
        await pilot.hover(Reader, offset=(right - 10, y))
        await pilot.mouse_up(Reader, offset=(right - 10, y))
        await pilot.pause()
        assert reader.selection is not None and reader.selection.passage == index
        start, end = reader.selection.span
        assert first_line.align == "right" and start == 0 < end <= 12
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        [saved] = app.services.bookmarks.list()  # type: ignore[union-attr]
        assert saved.quote == passage.text[start:end]
