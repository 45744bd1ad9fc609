"""The story view (s): every outlet's article about the current event, and their figures side by
side with the disagreements flagged.

Two lists, Tab moves between them. The figures list (:class:`ClaimsTable`) holds one row per
figure, grouped by measure (what it shows and why: :mod:`tui.screens.story_figures`); it
scrolls, so no measure is cut off on a short terminal, and Enter or a click on a row opens that
figure's passage in the reader with the figure flashed. The articles list: Enter opens one. The
screen answers with a :class:`StoryChoice`; the main screen opens it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from rich.style import Style as RichStyle
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList
from textual.widgets.option_list import Option

from index.models import Span
from tui.rtl import LayoutOptions
from tui.screens.story_figures import FigureGroup, FigureRow, figure_groups, sources_summary
from tui.services import StoryView
from tui.styles import widget_css
from tui.widgets.laid_out_label import LaidOutLabel
from tui.widgets.painting import LaidOutBlock, TextPart

NO_FIGURES = "No figures to compare in this story."


class ClaimsTable(OptionList):
    """The story's figures, measure by measure, each row one outlet's figure in one passage.

    Measure headings are disabled options, so the cursor moves over figures only. Rows are laid
    out left to right with each field isolated (outlet, figure, counterparts): the list reads
    as one aligned column whatever script each outlet's name is in.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = OptionList.COMPONENT_CLASSES | {
        "claims--heading",
        "claims--disagree",
        "claims--possible",
        "claims--date",
    }

    DEFAULT_CSS = widget_css(__name__, "claims_table.tcss")

    def __init__(self, view: StoryView, options: LayoutOptions) -> None:
        super().__init__(id="story-figures")
        self.view = view
        self.layout_options = replace(options, base_direction="ltr")
        self.groups: list[FigureGroup] = figure_groups(view)
        self.rows: list[FigureRow | None] = []
        """The figure of each option (None for a heading), by option index."""
        self.border_title = "Figures by outlet · Enter opens the passage"

    @property
    def figure_rows(self) -> list[FigureRow]:
        return [row for row in self.rows if row is not None]

    def on_mount(self) -> None:
        heading = self.get_component_rich_style("claims--heading", partial=True)
        disagree = self.get_component_rich_style("claims--disagree", partial=True)
        possible = self.get_component_rich_style("claims--possible", partial=True)
        date = self.get_component_rich_style("claims--date", partial=True)
        options: list[Option] = []
        self.rows = []
        for group in self.groups:
            style = (
                heading + disagree
                if group.plainly
                else heading + possible
                if group.disputed
                else heading
            )
            options.append(Option(self._block(group.heading, style), disabled=True))
            self.rows.append(None)
            for row in group.rows:
                row_style = (
                    disagree
                    if row.plainly
                    else possible
                    if row.disputed_with
                    else (date if not group.compared else None)
                )
                options.append(Option(self._block(row.text, row_style, row.lines)))
                self.rows.append(row)
        if not options:
            options.append(Option(self._block(NO_FIGURES, heading), disabled=True))
            self.rows.append(None)
        self.add_options(options)
        first = next((n for n, row in enumerate(self.rows) if row is not None), None)
        self.highlighted = first

    def _block(
        self, text: str, style: RichStyle | None, lines: tuple[str, ...] = ()
    ) -> LaidOutBlock:
        part = TextPart(text, style or RichStyle(), split_lines=lines if len(lines) > 1 else ())
        return LaidOutBlock([part], self.layout_options)

    def row_at(self, option_index: int) -> FigureRow | None:
        return self.rows[option_index] if 0 <= option_index < len(self.rows) else None


@dataclass(frozen=True, slots=True)
class StoryChoice:
    """What the story view answers with: an article to open, and where in it (a figure's
    passage, the figure flashed), or just the article."""

    article_id: str
    passage_id: str | None = None
    flash: Span | None = None


class StoryScreen(Screen["StoryChoice | None"]):
    """The articles of one story and their figures."""

    BINDING_GROUP_TITLE = "Story view"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,s", "close", "Close", id="close_story"),
        Binding("tab,shift+tab", "switch_list", "Figures ⇄ articles", id="story_switch_list"),
        Binding("j", "cursor(1)", "Next row", show=False, id="story_next_row"),
        Binding("k", "cursor(-1)", "Previous row", show=False, id="story_previous_row"),
    ]

    DEFAULT_CSS = widget_css(__name__, "story_screen.tcss")

    def __init__(self, view: StoryView, options: LayoutOptions) -> None:
        super().__init__()
        self.view = view
        self.options = options

    def compose(self) -> ComposeResult:
        with Vertical():
            yield LaidOutLabel(self.options, self.view.title, id="story-title")
            yield LaidOutLabel(
                self.options,
                f"{sources_summary(self.view.articles)}."
                " Tab moves between the figures and the articles; j/k move.",
                id="story-summary",
            )
            yield ClaimsTable(self.view, self.options)
            articles_list = OptionList(
                *(
                    Option(
                        LaidOutBlock(
                            [
                                TextPart(article.title or "(untitled)", max_lines=2),
                                TextPart(
                                    "  ·  ".join(
                                        p
                                        for p in (
                                            article.source or "outlet not stated",
                                            article.date,
                                        )
                                        if p
                                    ),
                                    max_lines=1,
                                ),
                            ],
                            self.options,
                        ),
                        id=article.id,
                    )
                    for article in self.view.articles
                ),
                id="story-articles",
            )
            articles_list.border_title = "Articles · Enter opens one"
            yield articles_list
        yield Footer()

    @property
    def figures(self) -> ClaimsTable:
        return self.query_one(ClaimsTable)

    @property
    def articles(self) -> OptionList:
        return self.query_one("#story-articles", OptionList)

    def on_mount(self) -> None:
        # The figures are what the view is for; with none, the articles.
        (self.figures if self.figures.figure_rows else self.articles).focus()

    def action_cursor(self, delta: int) -> None:
        """j/k: the row below or above in the focused list, as the arrows do (and as j/k move
        passages in the reader)."""
        focused = self.focused
        if isinstance(focused, OptionList):
            if delta > 0:
                focused.action_cursor_down()
            else:
                focused.action_cursor_up()

    def action_switch_list(self) -> None:
        """Tab: move between the figures and the articles."""
        if self.figures.has_focus or not self.figures.figure_rows:
            self.articles.focus()
        else:
            self.figures.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_list is self.articles:
            if event.option.id is not None:
                self.dismiss(StoryChoice(event.option.id))
            return
        row = self.figures.row_at(event.option_index)
        if row is not None:
            self.open_figure(row)

    def open_figure(self, row: FigureRow) -> None:
        """Open the figure's passage in the reader, the figure flashed (the main screen opens it
        like a bookmark jump: Esc there returns to where the reader was)."""
        self.dismiss(StoryChoice(row.article_id, row.passage_id, row.span))

    def action_close(self) -> None:
        """Esc: back to the reader."""
        self.dismiss(None)
