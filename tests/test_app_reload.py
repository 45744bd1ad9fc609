"""The open article after ctrl+r re-indexed a corpus whose files changed.

The reader must show the article's new text at the passage the user was reading (found again by
its text: its id now names another passage), on the same screen row, with the search hits and
bookmark dots recomputed for the new text; an unchanged article must not move at all, and one
that left the corpus stays readable with a word to the user. The keys keep working afterwards,
and an Esc that arrives just after the update ended (meant for its "Esc cancels" bar) must not
go Back: that jumped to another passage and moved the focus to the search results, where ``g``
then did nothing. The corpus is a copy of the seeds in a tmp directory; the core is real.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from _app_support import QUERY, build_index, copy_of_seeds, new_app, notifications, settle
from textual.pilot import Pilot

from index.models import Article, make_passages
from tui.screens.indexing import LATE_ESCAPE_S
from tui.screens.main_screen import MainScreen
from tui.screens.navigation import carried_passage
from tui.widgets.reader import Reader
from tui.widgets.related_panel import RelatedPanel
from tui.widgets.search_pane import SearchPane

ADDED = "فقرة جديدة أضيفت في أعلى المقال بعد نشره، ثم أعيدت فهرسته."
"""A paragraph put above the passage being read: every passage after it gets a new id."""


def insert_paragraph(path: Path, before: str, paragraph: str = ADDED) -> None:
    """Put ``paragraph`` (its own line) right before the line holding ``before``."""
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(n for n, line in enumerate(lines) if before in line)
    lines[at:at] = [paragraph, ""]
    path.write_text("\n".join(lines), encoding="utf-8")


async def open_first_hit(pilot: Pilot[Any], query: str = QUERY) -> Reader:
    """From the reader, / then a query, run it (Enter skips the debounce), open the first hit."""
    screen = pilot.app.screen
    screen.query_one(Reader).focus()
    await pilot.pause()
    await pilot.press("slash", *query, "enter")
    await settle(pilot)
    pane = screen.query_one(SearchPane)
    assert pane.view is not None and pane.view.hits, pane.view
    await pilot.press("enter")
    await settle(pilot)
    reader = screen.query_one(Reader)
    assert reader.article is not None and reader.has_focus
    return reader


async def move_to(pilot: Pilot[Any], reader: Reader, index: int) -> None:
    await pilot.press("g", *["j"] * index)
    await settle(pilot)
    assert reader.current == index


def row_of_current(reader: Reader) -> int:
    """The screen row of the current passage's first line."""
    layout = reader.article_layout
    assert layout is not None
    return layout.passage_first_row[reader.current] - int(reader.scroll_offset.y)


def frozen_clock(screen: MainScreen) -> Callable[[float], None]:
    """Stop the tracker's clock (the late-Esc window is then exact); returns ``advance``."""
    now = [1000.0]
    screen._indexing.clock = lambda: now[0]

    def advance(seconds: float) -> None:
        now[0] += seconds

    return advance


async def test_ctrl_r_reloads_the_changed_article_at_the_passage_being_read(
    newsreader_home: Path, tmp_path: Path
) -> None:
    corpus = copy_of_seeds(tmp_path / "corpus")
    build_index(newsreader_home, [corpus])
    app = new_app([corpus])
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        reader = await open_first_hit(pilot)
        old = reader.article
        assert old is not None and len(old.passages) > 6
        await move_to(pilot, reader, 5)
        await pilot.press("m")  # bookmark the passage being read (the note dialog opens)
        await pilot.pause()
        await pilot.press("enter")  # no note: save
        await settle(pilot)
        reading = old.passages[5]
        assert reading.id in reader.bookmarked
        row = row_of_current(reader)
        insert_paragraph(Path(old.path), reading.text[:30])

        await pilot.press("ctrl+r")
        await settle(pilot)

        new = reader.article
        assert new is not None and new.id == old.id
        assert new.text != old.text and ADDED in new.text, "the reader shows the new text"
        assert new == app.services.article(old.id)
        passage = reader.current_passage
        assert passage is not None and passage.text == reading.text, "the same passage…"
        assert passage.id != reading.id, "…found by its text: its id moved"
        assert row_of_current(reader) == row, "…on the same screen row"
        assert reader.bookmarked == {passage.id}, "the bookmark dot follows its text"
        assert reader.hits == sorted(screen.hits_in(new), key=lambda s: s.start)
        assert all(new.text[h.start : h.end] for h in reader.hits)
        assert any("Index ready: 5 articles. 1 changed." in m for m in notifications(app))

        # every reading key works on the new text
        await pilot.press("g")
        assert reader.current == 0 and reader.scroll_offset.y == 0
        await pilot.press("G")
        assert reader.current == len(new.passages) - 1
        assert reader.scroll_offset.y == reader.max_scroll_y > 0
        await pilot.press("k")
        assert reader.current == len(new.passages) - 2
        await pilot.press("g", "j")
        assert reader.current == 1
        await pilot.press("n")
        assert reader.hit_index is not None
        hit = reader.hits[reader.hit_index]
        current = reader.current_passage
        assert current is not None and current.start <= hit.start < current.end
        await pilot.press("g")
        assert reader.current == 0 and reader.scroll_offset.y == 0 and reader.has_focus


async def test_an_article_the_update_left_unchanged_does_not_move(
    newsreader_home: Path, tmp_path: Path
) -> None:
    corpus = copy_of_seeds(tmp_path / "corpus")
    build_index(newsreader_home, [corpus])
    app = new_app([corpus])
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        reader = await open_first_hit(pilot)
        shown = reader.article
        assert shown is not None
        await move_to(pilot, reader, 4)
        scroll = reader.scroll_offset.y
        other = next(p for p in corpus.glob("*.txt") if p.name != Path(shown.path).name)
        insert_paragraph(other, other.read_text(encoding="utf-8").split("\n")[2][:20])
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert any("Index ready" in m for m in notifications(app))
        assert reader.article is shown, "not even re-shown"
        assert reader.current == 4 and reader.scroll_offset.y == scroll


async def test_an_article_that_left_the_corpus_stays_readable_and_is_reported(
    newsreader_home: Path, tmp_path: Path
) -> None:
    corpus = copy_of_seeds(tmp_path / "corpus")
    build_index(newsreader_home, [corpus])
    app = new_app([corpus])
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        reader = await open_first_hit(pilot)
        shown = reader.article
        assert shown is not None
        await move_to(pilot, reader, 2)
        Path(shown.path).unlink()
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.services.article(shown.id) is None
        assert sum("no longer in the corpus" in m for m in notifications(app)) == 1
        assert reader.article is shown and reader.current == 2
        panel = app.screen.query_one(RelatedPanel)
        assert not panel.links
        await pilot.press("j", "G", "g")
        await settle(pilot)
        assert reader.current == 0 and reader.scroll_offset.y == 0
        await pilot.press("ctrl+r")  # nothing changed since: said once, not again
        await settle(pilot)
        assert sum("no longer in the corpus" in m for m in notifications(app)) == 1


async def test_a_late_escape_after_an_update_keeps_the_reader_and_g_works(
    newsreader_home: Path, tmp_path: Path
) -> None:
    """The cause of "g does not go to the top" after ctrl+r: the update ends before the user's
    Esc (pressed to cancel it) arrives, and the Esc was taken as Back."""
    corpus = copy_of_seeds(tmp_path / "corpus")
    build_index(newsreader_home, [corpus])
    app = new_app([corpus])
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        advance = frozen_clock(screen)
        first = await open_first_hit(pilot)
        first_article = first.article
        assert first_article is not None
        await move_to(pilot, first, 6)
        reading = first_article.passages[6]
        reader = await open_first_hit(pilot, "بايدن")  # a jump: Back returns to `reading`
        second = reader.article
        assert second is not None and second.id != first_article.id
        await move_to(pilot, reader, 3)
        insert_paragraph(Path(first_article.path), reading.text[:30])

        await pilot.press("ctrl+r")
        await settle(pilot)
        await pilot.press("escape")  # meant for the bar, which went away meanwhile
        await settle(pilot)
        assert reader.article is second and reader.current == 3, "Esc did not go back"
        assert reader.has_focus
        assert any("already finished" in m for m in notifications(app))
        await pilot.press("g")
        assert reader.current == 0 and reader.scroll_offset.y == 0

        advance(LATE_ESCAPE_S + 1)  # later, Esc is Back again…
        await pilot.press("escape")
        await settle(pilot)
        back = reader.article
        assert back is not None and back.id == first_article.id and ADDED in back.text
        passage = reader.current_passage
        assert passage is not None and passage.text == reading.text, (
            "…to the passage read before, found by its text in the updated article"
        )
        assert passage.id != reading.id


def test_the_passage_is_carried_by_id_text_or_nearest_index() -> None:
    def article(*paragraphs: str) -> Article:
        text = "\n\n".join(paragraphs)
        spans, start = [], 0
        for ordinal, paragraph in enumerate(paragraphs):
            spans.append((ordinal, start, start + len(paragraph)))
            start += len(paragraph) + 2
        passages = make_passages("a", text, spans)
        return Article("a", "t", text, text, "a.txt", str(hash(text)), passages=passages)

    one = "قال المسؤول إن التحذير جاء بعد معلومات استخباراتية."
    two = "وأضاف أن الهجوم أسفر عن مقتل نحو مئة شخص في كرمان."
    three = "ولم ترد طهران على طلب للتعليق حتى الآن."
    old = article(one, two, three)
    assert carried_passage(old, article(one, two, three, "ذيل"), 1) == "a:1"  # same text, id
    assert carried_passage(old, article("جديد", one, two, three), 1) == "a:2"  # moved
    edited = two.replace("نحو مئة", "أكثر من مئة")
    assert carried_passage(old, article("جديد", one, edited, three), 1) == "a:2"  # edited
    assert carried_passage(old, article(one, three), 1) == "a:1"  # gone: nearest index
    assert carried_passage(old, article(one), 2) == "a:0"
    assert carried_passage(old, article(), 1) is None
