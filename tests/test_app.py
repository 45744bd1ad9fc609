"""The app through Pilot: start-up, search → open → move → back, resize, help, palette, config.

Every test runs the real core on the bundled seeds in a private NEWSREADER_HOME, with the
index built once per session and copied in. Assertions read the rendered lines (visual order,
as the terminal gets them), not SVG snapshots.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _app_support import (
    QUERY,
    build_index,
    move_until,
    new_app,
    notifications,
    search_and_open,
    seeded_home,
    settle,
)
from rich.cells import cell_len

from tui.rtl import LayoutOptions, layout
from tui.widgets.article_layout import GUTTER
from tui.widgets.reader import Reader
from tui.widgets.search_pane import SearchPane


@pytest.fixture
def home(newsreader_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeded_home(newsreader_home, tmp_path_factory)


async def test_first_frame_shows_empty_states_and_opens_the_index(home: Path) -> None:
    app = new_app()
    async with app.run_test(size=(100, 30)) as pilot:
        reader = app.screen.query_one(Reader)
        assert reader.article is None
        await settle(pilot)
        assert app.services.index is not None and app.services.article_count() == 5
        lines = reader.rendered_text()
        assert any("press / to search" in line for line in lines)
        # before anything is typed, the pane lists the corpus, newest first (000 has a date)
        pane = app.screen.query_one(SearchPane)
        assert pane.view is not None and len(pane.view.hits) == 5
        assert pane.view.hits[0].article_id.startswith("000")
        status = app.screen.query_one("#search-status").text  # type: ignore[attr-defined]
        assert "5 articles" in status
        assert not any("Index" in m and "ready" in m for m in notifications(app))  # no rebuild


async def test_enter_in_the_empty_search_box_opens_the_newest_article(home: Path) -> None:
    app = new_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        reader = app.screen.query_one(Reader)
        assert reader.article is not None and reader.article.id.startswith("000")
        assert reader.hits == []  # nothing was searched: nothing is highlighted


async def test_search_open_move_and_back(home: Path) -> None:
    app = new_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        reader = await search_and_open(pilot)
        article = reader.article
        assert article is not None and reader.has_focus
        assert reader.hits, "the query's hits are highlighted in the article"
        layout_rows = reader.article_layout
        assert layout_rows is not None
        # The title is laid out by the RTL engine and right-aligned before the gutter.
        options = reader.layout_options
        title = layout(article.title, layout_rows.text_width, options)[0]
        first_row = reader.rendered_text()[0]
        assert first_row[: layout_rows.text_width].rstrip().endswith(title.text.rstrip())
        assert cell_len(first_row[: layout_rows.text_width].rstrip()) == layout_rows.text_width
        # The reader opens on the result's best passage, its first hit current, marked.
        current = reader.current
        pane_hit = app.screen.query_one(SearchPane).view.hits[0]  # type: ignore[union-attr]
        assert article.passages[current].id == pane_hit.passages[0].passage_id
        assert reader.hit_index is not None
        hit = reader.hits[reader.hit_index]
        assert article.passages[current].start <= hit.start < article.passages[current].end
        row = layout_rows.passage_first_row[current]
        assert reader.rendered_text()[row][-1] == "▌"
        await pilot.press("j")
        assert reader.current == current + 1
        await pilot.press("k", "k")
        assert reader.current == current - 1
        await pilot.press("G")
        assert reader.current == len(article.passages) - 1
        await pilot.press("g")
        assert reader.current == 0
        first_hit_passage = next(
            i for i, p in enumerate(article.passages) if p.start <= reader.hits[0].start < p.end
        )
        reader.hit_index = None
        await pilot.press("n")
        assert reader.hit_index == 0 and reader.current == first_hit_passage
        await pilot.press("N")
        assert reader.hit_index == len(reader.hits) - 1
        await pilot.press("space")
        assert reader.scroll_offset.y > 0
        await pilot.press("escape")
        await settle(pilot)
        pane = app.screen.query_one(SearchPane)
        assert app.focused is pane.results


async def test_search_states_say_something_useful(home: Path) -> None:
    app = new_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        pane = app.screen.query_one(SearchPane)
        await pilot.press(*"زرافةبنفسجية")
        await pilot.press("enter")
        await settle(pilot)
        status = pane.query_one("#search-status").text  # type: ignore[attr-defined]
        assert "No results" in status
        pane.query_input.value = ""
        await pilot.press("x", "backspace")
        await pilot.press("enter")
        await settle(pilot)
        assert "Type to search" in pane.query_one("#search-status").text  # type: ignore[attr-defined]
        pane.query_input.value = '"تحذير'
        await pilot.press("enter")
        await settle(pilot)
        assert pane.view is not None
        assert pane.view.error or pane.view.hits  # an unbalanced quote: a message or a repair


async def test_stale_results_are_dropped(home: Path) -> None:
    from tui.widgets.search_pane import ResultsView

    app = new_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        pane = app.screen.query_one(SearchPane)
        await pilot.press(*QUERY)
        assert pane.show_results(ResultsView("older query", (), 0)) is False
        assert pane.view is None or pane.view.query != "older query"


async def test_typing_alone_searches_after_the_debounce(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.widgets.search_pane as search_pane

    monkeypatch.setattr(search_pane, "DEBOUNCE", 0.0)  # the timer still runs; no waiting
    app = new_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*QUERY)  # the query box has the focus at start
        await settle(pilot)
        pane = app.screen.query_one(SearchPane)
        assert pane.view is not None and pane.view.query == QUERY and pane.view.hits
        echo = pane.query_one("#query-echo").text  # type: ignore[attr-defined]
        assert echo == QUERY  # the laid-out echo shows the query typed


async def test_resize_relayouts_and_keeps_the_passage(home: Path) -> None:
    app = new_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        reader = await search_and_open(pilot)
        await pilot.press("j", "j")
        current = reader.current
        before = reader.article_layout
        assert before is not None
        await pilot.resize_terminal(200, 60)
        await settle(pilot)
        after = reader.article_layout
        assert after is not None and after.width > before.width
        assert reader.current == current
        rows = after.passage_rows(current)
        top = int(reader.scroll_offset.y)
        assert top <= rows.start < top + reader.scrollable_content_region.height
        assert app.screen.has_class("-narrow") is False
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        small = reader.article_layout
        assert small is not None and small.width < before.width
        assert reader.current == current
        for line in reader.rendered_text():
            assert cell_len(line) == small.width


async def test_help_is_generated_from_bindings_and_palette_has_every_action(home: Path) -> None:
    from textual.command import CommandPalette

    from tui.keys import binding_catalog
    from tui.screens.help_screen import HelpScreen

    app = new_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("escape")  # leave the query box so ? is a key, not a letter
        app.screen.query_one(Reader).focus()
        await pilot.pause()
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text").render())
        for binding_id in (
            "search",
            "next_passage",
            "bookmark_passage",
            "visual_select",
            "next_link",
            "bookmarks",
            "help",
            "quit",
            "toggle_related",
        ):
            assert binding_id in text
        await pilot.press("escape")
        main = app.screen
        catalog = {e.binding_id for e in binding_catalog(app, main)}
        commands = {c.title for c in app.get_system_commands(main)}
        descriptions = {
            e.description for e in binding_catalog(app, main) if e.action != "command_palette"
        }
        assert descriptions <= commands  # every bound action is in the palette
        assert {"search", "back", "next_link", "previous_link", "bookmarks"} <= catalog
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Bookmarks")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        from tui.screens.bookmarks_screen import BookmarksScreen

        assert isinstance(app.screen, BookmarksScreen)


async def test_bad_config_gives_a_message_and_the_defaults(home: Path) -> None:
    config = home / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        'bidi = "sideways"\ntheme = "no-such-theme"\n[keymap]\nsearch = "ctrl+f"\nnot_a_binding = "x"\n'
    )
    app = new_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        messages = " ".join(notifications(app))
        assert "bidi" in messages and "sideways" in messages
        assert "no-such-theme" in messages
        assert "not_a_binding" in messages
        # The valid keymap entry applies: ctrl+f searches, the pane's input gets focus.
        app.screen.query_one(Reader).focus()
        await pilot.pause()
        await pilot.press("ctrl+f")
        assert app.focused is app.screen.query_one(SearchPane).query_input
    config.write_text("this is [not toml")
    app = new_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert any("not valid TOML" in m for m in notifications(app))
        assert app.screen.query_one(Reader) is not None  # the app started anyway


async def test_article_text_is_never_markup_nor_control_sequences(
    newsreader_home: Path, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "عنوان [bold]التجربة[/bold]\n\n"
        "قال المسؤول [red]إن\x1b[31m الحريق\x07 اندلع[/] في المبنى وأضاف أن الضحايا 12 شخصا.\n\n"
        "فقرة ثانية فيها كلمات أخرى عن الحريق والمبنى والسكان في المدينة.\n",
        encoding="utf-8",
    )
    build_index(newsreader_home, [corpus])
    app = new_app([corpus])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        reader = await search_and_open(pilot, "الحريق")
        lines = "\n".join(reader.rendered_text())
        assert "[red]" in lines and "[/]" in lines  # shown literally, not parsed
        assert "\x1b" not in lines and "\x07" not in lines
        for y in range(reader.size.height):
            for segment in reader.render_line(y):
                assert "\x1b" not in segment.text and "\x07" not in segment.text


def test_layout_options_follow_flags_and_config() -> None:
    from tui.app import layout_options_for
    from tui.config import Config

    assert layout_options_for(Config(), bidi_flag="app") == LayoutOptions(
        mode="app", shape=True, base_direction="dominant"
    )
    assert layout_options_for(Config(shaping=False), bidi_flag="terminal").mode == "terminal"
    assert layout_options_for(Config(), bidi_flag="app", no_shape=True).shape is False
    assert GUTTER == 2


async def test_follow_a_related_link_and_come_back(home: Path) -> None:
    from tui.widgets.related_panel import RelatedPanel

    app = new_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        reader = await search_and_open(pilot)
        panel = app.screen.query_one(RelatedPanel)
        # Walk passages until one has links in other outlets (the seeds share one story).
        assert await move_until(pilot, reader, lambda: bool(panel.links)), (
            "some passage of the seeds is reported by another outlet"
        )
        origin_article = reader.article
        origin_passage = reader.current_passage
        assert origin_article is not None and origin_passage is not None
        # Every link goes to another article, and its shared phrases are really in both texts.
        for view in panel.links:
            link = view.link
            assert link.source_passage_id == origin_passage.id
            assert link.target_article_id != origin_article.id
        # "possible" links are dimmed; the others are not
        from index.related import LABELS
        from tui.widgets.related_panel import WEAKEST_LABEL

        assert LABELS[-1][1] == WEAKEST_LABEL
        muted = panel.get_component_rich_style("related--weak").color
        plain = panel.get_component_rich_style("related--meta").bgcolor  # the panel's background
        assert muted is not None and plain is not None and muted != plain
        assert muted.triplet is not None and muted.triplet != (255, 255, 255)  # grey, not white
        for view in panel.links:
            text_style = panel._prompt(view).parts[1].style
            assert (text_style.color == muted) == (view.link.label == WEAKEST_LABEL)
        await pilot.press("right_square_bracket")
        second = panel.highlighted_link
        await pilot.press("left_square_bracket")
        first = panel.highlighted_link
        assert first is not None
        assert len(panel.links) == 1 or second != first
        await pilot.press("enter")  # in the reader: open the highlighted link
        await settle(pilot)
        assert reader.article is not None and reader.article.id == first.target_article_id
        assert reader.current_passage is not None
        assert reader.current_passage.id == first.target_passage_id
        rows = reader.article_layout.passage_rows(reader.current)  # type: ignore[union-attr]
        assert rows.start >= reader.scroll_offset.y  # the linked passage is in view
        await pilot.press("escape")
        await settle(pilot)
        assert reader.article.id == origin_article.id
        assert reader.current_passage == origin_passage


async def test_reopens_where_the_user_left_off(home: Path) -> None:
    app = new_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        reader = await search_and_open(pilot)
        await pilot.press("j")
        article_id = reader.article.id  # type: ignore[union-attr]
        passage_id = reader.current_passage.id  # type: ignore[union-attr]
        await pilot.press("q")
    assert (home / "data" / "position.json").exists()
    app = new_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        reader = app.screen.query_one(Reader)
        assert reader.article is not None and reader.article.id == article_id
        assert reader.current_passage is not None and reader.current_passage.id == passage_id


async def test_numbers_row_shows_where_outlets_disagree(home: Path) -> None:
    from tui.widgets.related_panel import NumbersView, RelatedPanel

    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        reader = await search_and_open(pilot, "قتل")
        panel = app.screen.query_one(RelatedPanel)
        numbers = panel.query_one(NumbersView)
        await move_until(pilot, reader, lambda: any(r.disagreements for r in numbers.rows))
        disputed = [row for row in numbers.rows if row.disagreements]
        assert disputed, "the seeds disagree on the death toll (84 vs more than 80 vs 100)"
        assert numbers.display
        shown = "\n".join(
            strip.text
            for strip in numbers.render().render_strips(40, None, numbers.visual_style, None)  # type: ignore[arg-type]
        )
        assert "sources disagree" in shown
        for claim in disputed[0].claims:
            visual = layout(claim.value_text, 200, reader.layout_options)[0].text
            assert visual in shown  # each outlet's figure, as written, laid out


async def test_click_selects_a_passage(home: Path) -> None:
    app = new_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        reader = await search_and_open(pilot)
        await pilot.press("g")
        await settle(pilot)
        layout_rows = reader.article_layout
        assert layout_rows is not None and reader.current == 0
        target = 1
        y = layout_rows.passage_first_row[target] - int(reader.scroll_offset.y)
        assert 0 <= y < reader.size.height
        await pilot.click(Reader, offset=(layout_rows.text_width - 2, y))
        assert reader.current == target
        assert reader.has_focus


async def test_story_view_lists_the_outlets_and_opens_one(home: Path) -> None:
    from tui.screens.story_screen import ClaimsTable, StoryScreen

    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        reader = await search_and_open(pilot)
        origin = reader.article
        assert origin is not None
        await pilot.press("s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StoryScreen)
        ids = {a.id for a in screen.view.articles}
        assert origin.id in ids and len(ids) >= 2  # the seeds are one story in five outlets
        assert len({a.source for a in screen.view.articles}) >= 2
        table = screen.query_one(ClaimsTable)
        assert any("sources disagree" in group.heading for group in table.groups)
        other = next(a for a in screen.view.articles if a.id != origin.id)
        await pilot.press("tab")  # from the figures to the articles
        options = screen.articles
        assert options.has_focus
        options.highlighted = [a.id for a in screen.view.articles].index(other.id)
        await pilot.press("enter")
        await settle(pilot)
        assert reader.article is not None and reader.article.id == other.id
        await pilot.press("escape")  # back to where the story view was opened from
        await settle(pilot)
        assert reader.article.id == origin.id


async def test_slash_in_the_search_box_selects_the_query_instead_of_typing(home: Path) -> None:
    app = new_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        pane = app.screen.query_one(SearchPane)
        await pilot.press("slash")
        assert pane.query_input.has_focus
        await pilot.press("slash", *"ايران")
        assert pane.query_input.value == "ايران"
        await pilot.press("slash", *"كرمان")
        assert pane.query_input.value == "كرمان"  # "/" selected the old query; typing replaced it
