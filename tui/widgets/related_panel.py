"""The related panel: where other outlets report the current passage, and where numbers differ.

The screen resolves everything (links, the target passages' text, the numbers rows) through the
services and hands the panel plain records; the panel only lays them out and posts
:class:`RelatedPanel.LinkChosen` when the user opens one. It never shows anything it was not
given: with no links it says so, and why (nothing found, or the index is not ready yet).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style as RichStyle
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.labels import MEASURE_NAMES, POSSIBLE_DISAGREEMENT, isolate, outlet_label
from tui.rtl import LayoutOptions
from tui.styles import widget_css
from tui.widgets.laid_out_label import LaidOutLabel
from tui.widgets.painting import LaidOutBlock, TextPart

if TYPE_CHECKING:  # the panel only displays these; importing them stays the screen's job
    from index.claims import Claim, NumbersRow
    from index.related import Link

#: The weakest of ``index.related.LABELS`` (a test keeps the two equal).
WEAKEST_LABEL = "possible"


@dataclass(frozen=True, slots=True)
class LinkView:
    """A link plus the target passage's text (for its snippet), resolved by the screen."""

    link: Link
    target_text: str
    target_start: int
    target_title: str = ""


class NumbersView(Widget):
    """The numbers row: each measure the story's outlets state, flagged where they disagree."""

    DEFAULT_CSS = widget_css(__name__, "numbers_view.tcss")

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "numbers--disagree",
        "numbers--possible",
        "numbers--label",
    }

    def __init__(self, options: LayoutOptions, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # one paragraph direction for the whole list: by each row's own majority, "CNN: ما لا
        # يقل عن 84" sat right and "aawsat: 32" left, a ragged list that is hard to scan. Left
        # aligned like the rest of the panel's UI text; an Arabic figure still reads as written.
        self.options = replace(options, base_direction="ltr")
        self.rows: tuple[NumbersRow, ...] = ()
        self.titles: Mapping[str, str] = {}

    def set_rows(self, rows: Sequence[NumbersRow], titles: Mapping[str, str] | None = None) -> None:
        """Show ``rows``; ``titles`` (article id -> title) name the outlet of an article that
        states none."""
        self.rows = tuple(rows)
        self.titles = dict(titles or {})
        self.display = bool(self.rows)
        self.refresh(layout=True)

    def render(self) -> LaidOutBlock:
        disagree = self.get_component_rich_style("numbers--disagree", partial=True)
        possible = self.get_component_rich_style("numbers--possible", partial=True)
        label = self.get_component_rich_style("numbers--label", partial=True)
        parts: list[TextPart] = []
        for row in self.rows:
            # a flag between sentences that surely report one event, of one group, with firm
            # figures is stated plainly; the others may be two incidents, a rough or a partial
            # count (judged on SaudiNewsNet: 64 % against 32 % true, BENCHMARKS.md), said so
            plainly = any(d.close for d in row.disagreements)
            name = MEASURE_NAMES.get(row.measure, row.measure)
            verdict = (
                "sources disagree"
                if plainly
                else POSSIBLE_DISAGREEMENT
                if row.disagreements
                else ""
            )
            parts.append(
                TextPart(
                    f"{name}: {verdict}" if verdict else f"{name}:",
                    disagree if plainly else possible if verdict else label,
                    split_lines=(f"{name}:", verdict) if verdict else (),
                )
            )
            # a figure is marked by what it says, not which of its mentions was compared: an
            # outlet stating "ما يقرب من 100" twice has both marked or neither
            against: dict[tuple[str, str, float, float], dict[str, bool]] = {}
            for d in row.disagreements:
                for one, other in ((d.first, d.second), (d.second, d.first)):
                    values = against.setdefault(_figure(one), {})
                    values[other.value_text] = values.get(other.value_text, False) or d.close
            shown: set[tuple[str, str]] = set()
            for claim in row.claims:
                outlet = outlet_label(claim.source, self.titles.get(claim.article_id, ""))
                if (outlet, claim.value_text) in shown:
                    continue  # the same outlet giving the same figure again adds nothing
                shown.add((outlet, claim.value_text))
                conflicts = against.get(_figure(claim), {})
                style = disagree if any(conflicts.values()) else possible if conflicts else label
                lines = [f"{outlet}:", claim.value_text]
                if conflicts:
                    # which figures it cannot be reconciled with ("who disagrees with whom"); a
                    # "?" where the two may be different incidents
                    lines.append(
                        "≠ "
                        + "، ".join(
                            isolate(v) + ("" if close else " ?") for v, close in conflicts.items()
                        )
                    )
                # a narrow panel breaks between the outlet, its figure and what it disputes,
                # never drops the figure
                parts.append(TextPart(" ".join(lines), style, split_lines=tuple(lines)))
        return LaidOutBlock(parts, self.options)

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return self.render().get_height(self.styles, width)


def _figure(claim: Claim) -> tuple[str, str, float, float]:
    return (claim.article_id, claim.measure, claim.low, claim.high)


class RelatedPanel(Vertical):
    """Links from the current passage to passages in other outlets, then the numbers row."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"related--meta", "related--shared", "related--weak"}

    DEFAULT_CSS = widget_css(__name__, "related_panel.tcss")

    class LinkChosen(Message):
        """Enter on a link: open the linked passage (the screen remembers where we were)."""

        def __init__(self, link: Link) -> None:
            super().__init__()
            self.link = link

    def __init__(self, options: LayoutOptions, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.layout_options = options
        self.links: tuple[LinkView, ...] = ()

    def compose(self) -> ComposeResult:
        yield LaidOutLabel(self.layout_options, id="related-status")
        yield NumbersView(self.layout_options, id="numbers")
        yield OptionList(id="links")

    def on_mount(self) -> None:
        self.show_message("Open an article to see what other outlets say about each passage.")

    @property
    def link_list(self) -> OptionList:
        return self.query_one("#links", OptionList)

    def show_message(self, message: str) -> None:
        """No links to show: say why."""
        self.links = ()
        self.query_one("#related-status", LaidOutLabel).update(message)
        self.query_one(NumbersView).set_rows(())
        self.link_list.clear_options()

    def show_links(
        self,
        links: Sequence[LinkView],
        numbers: Sequence[NumbersRow],
        titles: Mapping[str, str] | None = None,
    ) -> None:
        """Show the links of the current passage and its numbers row (``titles``: see
        :meth:`NumbersView.set_rows`)."""
        self.links = tuple(links)
        count = len(self.links)
        status = self.query_one("#related-status", LaidOutLabel)
        if count:
            found = f"{count} passage{'s' if count != 1 else ''} in other outlets."
            keys = "] [ move, Enter opens."
            status.update(f"{found} {keys}", split_lines=(found, keys))
        else:
            status.update("No other outlet in this corpus reports this passage.")
        self.query_one(NumbersView).set_rows(numbers, titles)
        link_list = self.link_list
        link_list.set_options(
            Option(self._prompt(view), id=str(number)) for number, view in enumerate(self.links)
        )
        if self.links:
            link_list.highlighted = 0

    def _prompt(self, view: LinkView) -> LaidOutBlock:
        link = view.link
        # The weakest label is shown dimmed: judged on SaudiNewsNet, a "possible" link is the
        # right fact far less often than a "likely" or "strong" one (BENCHMARKS.md).
        weak = link.label == WEAKEST_LABEL
        meta = self.get_component_rich_style("related--meta", partial=True)
        text_style = RichStyle()
        if weak:
            # only the resolved colour: a muted colour has alpha, which the partial style
            # resolves against nothing (white), and the full style brings a background
            text_style = RichStyle(color=self.get_component_rich_style("related--weak").color)
            meta = text_style
        shared = self.get_component_rich_style("related--shared", partial=True)
        # Latin first, so the header reads left to right whatever script the outlet is in.
        score = f"{link.percent}% {link.label} · {link.kind}"
        outlet = outlet_label(link.target_source, view.target_title)
        end = view.target_start + len(view.target_text)
        spans = tuple(
            (
                max(t.start, view.target_start) - view.target_start,
                min(t.end, end) - view.target_start,
                shared,
            )
            for _, t in link.shared
            if t.end > view.target_start and t.start < end
        )
        return LaidOutBlock(
            [
                TextPart(f"{score} · {outlet}", meta, split_lines=(score, outlet)),
                TextPart(
                    view.target_text,
                    text_style,
                    highlights=spans,
                    max_lines=4,
                ),
            ],
            self.layout_options,
        )

    def move(self, delta: int) -> Link | None:
        """] / [: highlight the next or previous link; returns it (None when there are none)."""
        if not self.links:
            return None
        link_list = self.link_list
        current = link_list.highlighted
        index = 0 if current is None else (current + delta) % len(self.links)
        link_list.highlighted = index
        return self.links[index].link

    @property
    def highlighted_link(self) -> Link | None:
        index = self.link_list.highlighted
        if index is None or not 0 <= index < len(self.links):
            return None
        return self.links[index].link

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.links):
            self.post_message(self.LinkChosen(self.links[event.option_index].link))
