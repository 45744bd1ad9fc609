"""Typed Arabic is shown laid out, mixed-direction lines keep their fields in place, and the
keys are discoverable: the footer's help key, the selection keys, the help screen's context.

Assertions read the screen as drawn (the compositor's cells, in visual order), so a layout
that never reaches the terminal does not count.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from _app_support import new_app, search_and_open, seeded_home, settle
from textual.pilot import Pilot

from tui.app import NewsreaderApp
from tui.rtl import layout
from tui.screens.bookmarks_screen import BookmarksScreen
from tui.screens.help_screen import HelpScreen
from tui.screens.note_dialog import NoteDialog
from tui.widgets.reader import Reader

NOTE = "حصيلة 89 قتيلا"
TAGS = "kerman, أرقام"


@pytest.fixture
def home(newsreader_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeded_home(newsreader_home, tmp_path_factory)


def screen_lines(app: NewsreaderApp) -> list[str]:
    """Every row of the terminal as drawn (visual order: what the user reads)."""
    update = app.screen._compositor.render_full_update()
    return ["".join(segment.text for segment in row) for row in update.strips]


def drawn(app: NewsreaderApp, text: str) -> str:
    """``text`` as the RTL engine draws it on one line (shaped, in visual order)."""
    [line] = layout(text, 200, app.layout_options)
    return line.text


@asynccontextmanager
async def reading(
    size: tuple[int, int],
) -> AsyncIterator[tuple[NewsreaderApp, Pilot[Any], Reader]]:
    """The app at ``size`` with the first search result open in the reader."""
    app = new_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        yield app, pilot, await search_and_open(pilot)


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """Press ``keys`` and let the screens, messages and workers they start finish."""
    await pilot.press(*keys)
    await settle(pilot)


async def bookmark_with_note(pilot: Pilot[Any], note: str, tags: str) -> None:
    """m on the current passage, type ``note`` and ``tags``, Enter."""
    await press(pilot, "m")
    assert isinstance(pilot.app.screen, NoteDialog)
    await pilot.press(*note)
    await pilot.press("tab", *tags)
    await press(pilot, "enter")


async def test_arabic_typed_in_note_and_tags_is_shown_laid_out(home: Path) -> None:
    async with reading((100, 30)) as (app, pilot, _reader):
        await press(pilot, "m")
        dialog = app.screen
        assert isinstance(dialog, NoteDialog)
        rows_before = screen_lines(app)
        await pilot.press(*"zebra")  # left-to-right text: no echo line, the dialog keeps its size
        await pilot.pause()
        assert not dialog.query_one("#note-echo").display
        assert sum("zebra" in row for row in screen_lines(app)) == 1
        await pilot.press(*["backspace"] * 5, *NOTE)
        await pilot.press("tab", *TAGS)
        await pilot.pause()
        rows = screen_lines(app)
        assert rows != rows_before
        note_drawn, tags_drawn = drawn(app, NOTE), drawn(app, TAGS)
        assert note_drawn != NOTE and "89" in note_drawn
        assert any(note_drawn in row for row in rows), rows
        assert any(tags_drawn in row for row in rows), rows
        # Editing still happens in logical order: the saved note is what was typed.
        await press(pilot, "enter")
        [saved] = app.services.bookmarks.list()  # type: ignore[union-attr]
        assert saved.note == NOTE and saved.tags == ("kerman", "أرقام")


async def test_arabic_typed_in_the_bookmark_filter_is_shown_laid_out(home: Path) -> None:
    async with reading((100, 30)) as (app, pilot, _reader):
        await bookmark_with_note(pilot, NOTE, "")
        await press(pilot, "M")
        screen = app.screen
        assert isinstance(screen, BookmarksScreen)
        typed = "قتيل"  # part of a word of the note: its last letter takes the final form
        await press(pilot, "slash", *typed)
        assert len(screen.shown) == 1  # the filter found the note
        assert drawn(app, typed) not in drawn(app, NOTE)  # the echo, not the note's line
        assert any(drawn(app, typed) in row for row in screen_lines(app))


async def test_bookmark_meta_line_keeps_each_field_in_its_place(home: Path) -> None:
    async with reading((160, 30)) as (app, pilot, _reader):  # wide: the line does not wrap
        await bookmark_with_note(pilot, "", TAGS)
        await press(pilot, "M")
        screen = app.screen
        assert isinstance(screen, BookmarksScreen)
        [bookmark] = screen.shown
        rows = screen_lines(app)
        metas = [row for row in rows if "just now" in row]
        assert len(metas) == 1, rows
        meta = metas[0]
        # One left-to-right line: outlet · title · age · tags, each laid out on its own.
        outlet = drawn(app, bookmark.source or "outlet not stated")
        tags = "#kerman, " + drawn(app, "#أرقام")
        assert meta.strip("▊▎ ").startswith(outlet), meta  # (▊ ▎: the highlight bar)
        assert meta.index(outlet) < meta.index("just now") < meta.index(tags), meta
        assert ",just now" not in meta and "just now · #kerman, " in meta


def footer_row(app: NewsreaderApp) -> str:
    return screen_lines(app)[-1]


@pytest.mark.parametrize("width", [80, 120])
async def test_footer_shows_help_and_switches_to_the_selection_keys(home: Path, width: int) -> None:
    async with reading((width, 30)) as (app, pilot, reader):
        footer = footer_row(app)
        assert "? Help " in footer and "v Select text" in footer, footer
        await pilot.press("v")
        await pilot.pause()
        footer = footer_row(app)
        for shown in ("? Help", "Extend by word", "m Bookmark ", "esc Cancel "):
            assert shown in footer, footer
        assert "Select text" not in footer and "Bookmark passage" not in footer
        await pilot.press("escape")
        await pilot.pause()
        assert reader.selection is None
        assert "v Select text" in footer_row(app) and "Extend" not in footer_row(app)


async def test_one_j_in_a_selection_takes_one_whole_word(home: Path) -> None:
    async with reading((100, 30)) as (_app, pilot, reader):
        passage = reader.current_passage
        assert passage is not None
        words = passage.text.split()  # words with the punctuation written against them
        await pilot.press("v")  # the first word, without its punctuation
        assert reader.selection is not None
        assert words[0].startswith(passage.text[slice(*reader.selection.span)])
        for count in range(2, 6):
            await pilot.press("j")
            assert reader.selection is not None
            selected = passage.text[slice(*reader.selection.span)]
            assert selected.split() == words[:count] and not selected[-1].isspace(), selected
        await pilot.press("k", "k")
        assert reader.selection is not None
        assert passage.text[slice(*reader.selection.span)].split() == words[:3]


async def test_help_lists_selection_keys_under_their_own_heading(home: Path) -> None:
    async with reading((120, 60)) as (app, pilot, _reader):
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.query_one("#help-text").render().plain  # type: ignore[attr-defined]
        lines = text.splitlines()
        heading = lines.index("Reader, in a selection (after v)")
        extend = next(i for i, line in enumerate(lines) if "Extend by word" in line)
        next_passage = next(i for i, line in enumerate(lines) if "Next passage" in line)
        assert lines.index("Reader") < next_passage < heading < extend
        # "? Help" is repeated on the reader and the main screen for the footer: listed once.
        assert sum(" help" in line and "Help" in line for line in lines) == 1


def test_isolated_fields_keep_their_order_whatever_script_they_are_in() -> None:
    from dataclasses import replace

    from tui.labels import field_line, isolate
    from tui.rtl import LayoutOptions

    options = replace(LayoutOptions(), base_direction="ltr")
    fields = (
        "كويت نيوز",
        "عنوان",
        "just now",
        ", ".join(isolate(t) for t in ("#kerman", "#أرقام")),
    )
    [line] = layout(field_line(*fields), 200, options)
    [outlet] = layout("كويت نيوز", 200, options)
    [title] = layout("عنوان", 200, options)
    [tag] = layout("#أرقام", 200, LayoutOptions(base_direction="rtl"))
    assert line.text == f"{outlet.text} · {title.text} · just now · #kerman, {tag.text}"
    # Joined without isolates the same fields reorder: the comma lands before "just now".
    [plain] = layout(" · ".join(("كويت نيوز", "عنوان", "just now", "#kerman, #أرقام")), 200)
    assert ",just now · #kerman" in plain.text  # what the review saw


async def test_escape_leaves_a_search_box_with_text_in_it(home: Path) -> None:
    """The footer says "esc Back": with a query typed, Esc must leave the box (to the open
    article), so the next ? is a key and not a letter."""
    from tui.widgets.search_pane import SearchPane

    async with reading((100, 30)) as (app, pilot, reader):
        pane = app.screen.query_one(SearchPane)
        await press(pilot, "slash")
        assert app.focused is pane.query_input
        await pilot.press(*"ايران")
        await press(pilot, "escape")
        assert app.focused is reader
        assert pane.query_input.value == "ايران"  # leaving the box keeps the query
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
