"""The story view (s) on the seeds: every figure reachable and opening its passage, dates as
written, who disagrees with whom, and outlets counted as the related panel counts them.

The app runs on the real core (the seeds index built once per session, see ``_app_support``);
what the screen shows is read from the rendered lines.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from _app_support import new_app, search_and_open, seeded_home, settle
from textual.pilot import Pilot
from textual.style import Style

from index.claims import COMPARED_MEASURES, extract_claims_from_text
from index.models import Article, Span
from tui.screens.story_figures import FigureRow, date_as_written, figure_groups, sources_summary
from tui.screens.story_screen import ClaimsTable, StoryScreen
from tui.services import StoryView
from tui.widgets.laid_out_label import LaidOutLabel
from tui.widgets.painting import LaidOutBlock
from tui.widgets.reader import Reader


@pytest.fixture
def home(newsreader_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeded_home(newsreader_home, tmp_path_factory)


def first_line(table: ClaimsTable, row: FigureRow) -> str:
    """The first screen line of ``row``'s option, laid out at the list's width."""
    prompt = table.get_option_at_index(table.rows.index(row)).prompt
    assert isinstance(prompt, LaidOutBlock)
    width = table.scrollable_content_region.width - 2  # the option's padding
    return prompt.render_strips(width, 1, Style(), None)[0].text.strip()  # type: ignore[arg-type]


def visible_lines(table: ClaimsTable) -> list[str]:
    """The figures list as drawn now (visual order, the scrolled window only)."""
    return [table.render_line(y).text.rstrip() for y in range(table.size.height)]


def article_id(reader: Reader) -> str | None:
    return reader.article.id if reader.article is not None else None


def passage_id(reader: Reader) -> str | None:
    passage = reader.current_passage
    return passage.id if passage is not None else None


async def open_story(pilot: Pilot[Any]) -> StoryScreen:
    await settle(pilot)
    await search_and_open(pilot, "كرمان")
    await pilot.press("s")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, StoryScreen)
    return screen


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_every_figure_can_be_reached_and_opens_its_passage(
    home: Path, size: tuple[int, int]
) -> None:
    app = new_app()
    async with app.run_test(size=size) as pilot:
        screen = await open_story(pilot)
        table = screen.figures
        assert table.has_focus  # the figures are what the view is for
        rows = table.figure_rows
        measures = {row.measure for row in rows}
        # the seeds state killed, injured and arrested figures: none may be hidden
        assert {"killed", "injured", "arrested"} <= measures
        # Walk the list with the keyboard: each figure in turn is highlighted and drawn.
        reached = []
        for step in range(len(rows)):
            if step:
                await pilot.press("down")
                await pilot.pause()
            assert table.highlighted is not None
            row = table.row_at(table.highlighted)
            assert row is not None
            reached.append(row)
            drawn = first_line(table, row)
            assert any(drawn in line for line in visible_lines(table)), (row, size)
        assert reached == rows
        target = next(row for row in rows if row.measure == "arrested")
        table.highlighted = table.rows.index(target)
        origin = screen.app.screen_stack[-2]
        reader = origin.query_one(Reader)
        before = (article_id(reader), passage_id(reader))
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is origin
        assert article_id(reader) == target.article_id
        assert passage_id(reader) == target.passage_id
        assert reader.flash == target.span
        assert reader.has_focus
        await pilot.press("escape")  # back to where the story view was opened from
        await settle(pilot)
        assert (article_id(reader), passage_id(reader)) == before


async def test_a_click_on_a_figure_opens_its_passage(home: Path) -> None:
    app = new_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_story(pilot)
        table = screen.figures
        target = next(row for row in table.figure_rows if row.measure == "injured")
        table.highlighted = table.rows.index(target)  # scrolls it into view
        await pilot.pause()
        drawn = first_line(table, target)
        y = next(y for y in range(table.size.height) if drawn in table.render_line(y).text)
        top = table.scrollable_content_region.y - table.region.y  # the border's title row
        await pilot.click(ClaimsTable, offset=(3, top + y))
        await settle(pilot)
        reader = app.screen.query_one(Reader)
        assert passage_id(reader) == target.passage_id


async def test_figures_show_dates_as_written_and_who_disagrees(home: Path) -> None:
    app = new_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_story(pilot)
        table = screen.figures
        groups = {group.measure: group for group in table.groups}
        # dates: their own group, said not to be compared, each with its month as written
        dates = groups["date"]
        assert not dates.compared and "not compared" in dates.heading
        assert dates.rows and not any(row.disputed_with for row in dates.rows)
        for row in dates.rows:
            assert not row.figure.isdigit() and re.search(r"[\u0621-\u064a]", row.figure), row
        assert any("يناير" in row.figure for row in dates.rows)
        # years alone are not listed; every other group is a compared measure
        assert set(groups) - {"date"} <= COMPARED_MEASURES
        # figures guarded as another event's (Moscow's 144, Gaza's 26 thousand) are not listed
        guarded = {(c.passage_id, c.span) for c in screen.view.claims if c.guarded_reason}
        assert guarded
        assert not guarded & {(row.passage_id, row.span) for row in table.figure_rows}
        # the flagged 89 names what it disagrees with: the 84 and the two "about 100"s
        killed = groups["killed"]
        assert killed.disputed and "sources disagree" in killed.heading
        row_89 = next(row for row in killed.rows if row.figure == "89")
        assert any("84" in other for other in row_89.disputed_with)
        assert sum("100" in other for other in row_89.disputed_with) == 2
        consistent = next(row for row in killed.rows if row.figure == "ما لا يقل عن 84")
        assert consistent.disputed_with == ()
        # one outlet's same figure in two passages is marked alike, whichever one was compared
        marks: dict[tuple[str, str], list[tuple[str, ...]]] = {}
        for row in killed.rows:
            marks.setdefault((row.article_id, row.figure), []).append(row.disputed_with)
        assert any(len(found) > 1 for found in marks.values())  # 004 gives "about 100" twice
        assert all(len(set(found)) == 1 for found in marks.values())
        assert any("≠" in line for line in visible_lines(table))


async def test_summary_counts_outlets_and_the_articles_that_name_none(home: Path) -> None:
    """An article that names no outlet is not counted as an outlet ("5 articles from 5 outlets"
    overstated the seeds' sources), and its figures are still told apart from the others'."""
    app = new_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_story(pilot)
        articles = screen.view.articles
        unsourced = [a for a in articles if not a.source]
        assert len(unsourced) >= 2  # the seeds: 000 and 004
        outlets = len({a.source for a in articles if a.source})
        summary = screen.query_one("#story-summary", LaidOutLabel)
        said = (
            f"{len(articles)} articles from {outlets} outlets and {len(unsourced)} that name none"
        )
        assert said in summary.text
        # the two unsourced articles' figures are told apart by their titles
        labels = {
            row.outlet
            for row in screen.figures.figure_rows
            if row.article_id in {a.id for a in unsourced}
        }
        assert len(labels) == len(unsourced)


async def test_tab_moves_to_the_articles_and_enter_opens_one(home: Path) -> None:
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_story(pilot)
        await pilot.press("tab")
        assert screen.articles.has_focus
        first = screen.articles.highlighted
        await pilot.press("j")
        assert screen.articles.highlighted == (first or 0) + 1  # j/k move as the arrows do
        await pilot.press("k")
        assert screen.articles.highlighted == (first or 0)
        await pilot.press("tab")
        assert screen.figures.has_focus
        await pilot.press("tab", "down", "enter")
        await settle(pilot)
        reader = app.screen.query_one(Reader)
        assert article_id(reader) == screen.view.articles[1].id


def test_a_date_is_shown_with_its_month_names_and_year() -> None:
    text = "وقع الهجوم في 3 يناير/كانون الثاني 2024، وأعلن التنظيم مسؤوليته في 4 يناير."
    claims = [
        c
        for c in extract_claims_from_text(text, passage_id="a:0", article_id="a", source=None)
        if c.measure == "date"
    ]
    assert [c.value_text for c in claims] == ["3", "4"]  # the claim keeps the day only
    assert date_as_written(text, claims[0].span) == "3 يناير/كانون الثاني 2024"
    assert date_as_written(text, claims[1].span) == "4 يناير"
    spaced = "في 22 مارس/ آذار داخل قاعة"
    start = spaced.index("22")
    assert date_as_written(spaced, Span(start, start + 2)) == "22 مارس/ آذار"
    assert date_as_written("بعد 3 أيام", Span(4, 5)) == "3"  # no month: the day as it is


def _article(article_id: str, source: str | None, title: str, text: str) -> Article:
    return Article(article_id, title, text, text, f"{article_id}.json", article_id, source=source)


def test_one_outlet_s_figures_stay_together_and_unsourced_articles_are_told_apart() -> None:
    articles = (
        _article("a", "الرياض", "تفجير في المدينة", "أسفر التفجير عن مقتل 30 شخصا."),
        _article("b", None, "حصيلة التفجير الجديدة", "أسفر التفجير عن مقتل 32 شخصا."),
        _article("c", "الرياض", "ارتفاع الحصيلة", "ارتفعت الحصيلة إلى مقتل 32 شخصا."),
        _article("d", None, "", "قالت الشرطة إن التفجير أسفر عن مقتل 32 شخصا."),
    )
    claims = tuple(
        claim
        for a in articles
        for claim in extract_claims_from_text(
            a.text, passage_id=f"{a.id}:0", article_id=a.id, source=a.source
        )
    )
    assert [c.measure for c in claims] == ["killed"] * 4
    view = StoryView("s", "تفجير", articles, claims, ())
    (killed,) = figure_groups(view)
    assert [row.article_id for row in killed.rows] == ["a", "c", "b", "d"]
    outlets = [row.outlet.replace("\u2068", "").replace("\u2069", "") for row in killed.rows]
    assert outlets[:2] == ["الرياض", "الرياض"]
    assert outlets[2] == "no outlet (حصيلة التفجير الجديدة)"
    assert outlets[3] == "no outlet (قالت الشرطة إن…)"  # untitled: its first words
    # two outlet-less articles are sources of their own, not outlets
    assert sources_summary(articles) == "4 articles from 1 outlet and 2 that name none"
    assert sources_summary([a for a in articles if a.source]) == "2 articles from 1 outlet"


def test_a_flag_between_possibly_different_incidents_is_shown_as_possible() -> None:
    from index.claims import Disagreement
    from tui.labels import POSSIBLE_DISAGREEMENT

    articles = (
        _article("a", "الرياض", "حادث", "أسفر الحادث عن إصابة خمسة أشخاص."),
        _article("b", "عكاظ", "حادث", "أدى الحادث إلى إصابة تسعة أشخاص."),
    )
    claims = tuple(
        claim
        for a in articles
        for claim in extract_claims_from_text(
            a.text, passage_id=f"{a.id}:0", article_id=a.id, source=a.source
        )
    )
    first, second = claims
    for close, heading in ((False, POSSIBLE_DISAGREEMENT), (True, "sources disagree")):
        view = StoryView(
            "s", "حادث", articles, claims, (Disagreement("injured", first, second, close),)
        )
        (injured,) = figure_groups(view)
        assert injured.heading == f"injured · {heading}"
        assert injured.plainly is close
        for row in injured.rows:
            assert len(row.disputed_with) == 1
            assert row.disputed_with[0].endswith(" ?") is not close  # "?": maybe another incident
