"""The story view (s): every outlet's article about the current event, and their numbers side by
side with the disagreements flagged. Enter opens an article; the screen answers with its id.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, OptionList
from textual.widgets.option_list import Option

from tui.rtl import LayoutOptions
from tui.services import StoryView
from tui.styles import widget_css
from tui.widgets.laid_out_label import LaidOutLabel
from tui.widgets.painting import LaidOutBlock, TextPart
from tui.widgets.related_panel import MEASURE_NAMES


class ClaimsTable(Widget):
    """Per measure, what each outlet states (as written), disputed figures flagged."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"claims--disagree", "claims--label"}

    DEFAULT_CSS = widget_css(__name__, "claims_table.tcss")

    def __init__(self, view: StoryView, options: LayoutOptions) -> None:
        super().__init__()
        self.view = view
        self.options = options

    def render(self) -> LaidOutBlock:
        disagree = self.get_component_rich_style("claims--disagree", partial=True)
        label = self.get_component_rich_style("claims--label", partial=True)
        disputed = {id(c) for d in self.view.disagreements for c in (d.first, d.second)}
        parts: list[TextPart] = []
        measures: dict[str, list] = {}
        for claim in self.view.claims:
            if claim.guarded_reason is None:
                measures.setdefault(claim.measure, []).append(claim)
        if not measures:
            parts.append(TextPart("No comparable figures in this story.", label))
        for measure, claims in measures.items():
            differs = any(id(c) in disputed for c in claims)
            name = MEASURE_NAMES.get(measure, measure)
            parts.append(
                TextPart(
                    f"{name}: sources disagree" if differs else f"{name}:",
                    disagree if differs else label,
                )
            )
            for claim in claims:
                text = f"{claim.source or 'outlet not stated'}: {claim.value_text}"
                parts.append(
                    TextPart(text, disagree if id(claim) in disputed else label, max_lines=2)
                )
        return LaidOutBlock(parts, self.options)

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return self.render().get_height(self.styles, width)


class StoryScreen(Screen["str | None"]):
    """The articles of one story and their numbers."""

    BINDING_GROUP_TITLE = "Story view"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,s", "close", "Close", id="close_story"),
    ]

    DEFAULT_CSS = widget_css(__name__, "story_screen.tcss")

    def __init__(self, view: StoryView, options: LayoutOptions) -> None:
        super().__init__()
        self.view = view
        self.options = options

    def compose(self) -> ComposeResult:
        outlets = len({a.source for a in self.view.articles})
        with Vertical():
            yield LaidOutLabel(self.options, self.view.title, id="story-title")
            yield LaidOutLabel(
                self.options,
                f"{len(self.view.articles)} articles from {outlets} outlets. Enter opens one.",
            )
            yield ClaimsTable(self.view, self.options)
            yield OptionList(
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
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        """Esc: back to the reader."""
        self.dismiss(None)
