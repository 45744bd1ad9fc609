"""The search pane: a query input, the query laid out right-to-left, a status line, the results.

Terminals draw an Input's Arabic in logical order (letters unjoined, words reversed), so the
query is echoed above the results through the RTL engine (:class:`EchoedInput`). The pane
never searches itself: it debounces typing (``DEBOUNCE`` seconds of quiet) and posts
:class:`SearchPane.QueryChanged`; the screen runs the search in a worker and hands results back
with :meth:`show_results`, which drops any result whose query is no longer the one typed (a
stale worker's answer).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style as RichStyle
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from index.models import Hit, HitPassage, Span
from tui.rtl import LayoutOptions
from tui.styles import widget_css
from tui.widgets.echoed_input import EchoedInput
from tui.widgets.laid_out_label import LaidOutLabel
from tui.widgets.painting import LaidOutBlock, TextPart

DEBOUNCE = 0.15
"""Seconds of no typing before a search starts."""

SNIPPET_CHARS = 180


@dataclass(frozen=True, slots=True)
class ResultsView:
    """What the screen hands back: hits for a query, or a message for the user."""

    query: str
    hits: tuple[Hit, ...] = ()
    total: int = 0
    error: str | None = None


def snippet(passage: HitPassage, limit: int = SNIPPET_CHARS) -> tuple[str, list[Span]]:
    """A window of the passage around its first hit, and the hit spans relative to it."""
    text = passage.text
    relative = [Span(s.start - passage.start, s.end - passage.start) for s in passage.spans]
    relative = [s for s in relative if 0 <= s.start < s.end <= len(text)]
    if len(text) <= limit:
        return text, relative
    focus = relative[0].start if relative else 0
    start = max(0, focus - limit // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < focus else start
    end = min(len(text), start + limit)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    shift = len(prefix) - start
    spans = [
        Span(max(s.start, start) + shift, min(s.end, end) + shift)
        for s in relative
        if s.end > start and s.start < end
    ]
    return prefix + text[start:end] + suffix, spans


class QueryInput(Input):
    """The search box. ``/`` is the search key everywhere, so pressing it here selects the
    query (typing then replaces it) instead of inserting a slash the syntax has no use for."""

    async def _on_key(self, event: events.Key) -> None:
        if event.character == "/":
            event.stop()
            event.prevent_default()
            self.select_all()
            return
        await super()._on_key(event)


class SearchPane(Vertical):
    """Query input, laid-out query, status line and result list."""

    BINDING_GROUP_TITLE = "Search"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "to_results", "To results", show=False, id="to_results"),
    ]
    """Down from the input goes to the results."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"search--title", "search--hit", "search--meta"}
    """Themable parts of a result: its title, the highlighted hits, outlet and date."""

    DEFAULT_CSS = widget_css(__name__, "search_pane.tcss")

    class QueryChanged(Message):
        """The user stopped typing; search for ``query`` (empty: list the newest articles)."""

        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class ResultChosen(Message):
        """Enter (or a click) on a result: open its article at its best passage."""

        def __init__(self, hit: Hit, query: str) -> None:
            super().__init__()
            self.hit = hit
            self.query = query

    def __init__(self, options: LayoutOptions, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.layout_options = options
        self.view: ResultsView | None = None
        self.article_count: int | None = None
        self._debounce: Timer | None = None

    def compose(self) -> ComposeResult:
        query = QueryInput(placeholder="Search…  (/)", id="query")
        yield EchoedInput(query, self.layout_options, id="query-box")
        yield LaidOutLabel(self.layout_options, id="search-status")
        yield OptionList(id="results")

    def on_mount(self) -> None:
        self.show_empty_state()

    @property
    def query_input(self) -> Input:
        return self.query_one("#query", Input)

    @property
    def results(self) -> OptionList:
        return self.query_one("#results", OptionList)

    @property
    def current_query(self) -> str:
        """The query as typed (a trailing space kept: it marks the last word as complete)."""
        value = self.query_input.value.lstrip()
        return value if value.strip() else ""

    def focus_input(self) -> None:
        """Put the cursor in the query box (the / key)."""
        self.query_input.focus()

    def action_to_results(self) -> None:
        if self.results.option_count:
            self.results.focus()
            if self.results.highlighted is None:
                self.results.highlighted = 0

    def set_status(self, text: str) -> None:
        """One line for the user under the query (counts, empty and error states)."""
        self.query_one("#search-status", LaidOutLabel).update(text)

    def show_empty_state(self) -> None:
        count = f" the {self.article_count} articles" if self.article_count is not None else ""
        self.set_status(
            f"Type to search{count}. Alef, ya and ta marbuta variants and harakat all match. "
            "Enter opens a result."
        )
        self.results.clear_options()
        self.view = None

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._debounce is not None:
            self._debounce.stop()
        if DEBOUNCE > 0:
            self._debounce = self.set_timer(DEBOUNCE, self._fire)
        else:
            self.call_later(self._fire)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._debounce is not None:
            self._debounce.stop()
        if self.view is not None and self.view.query == self.current_query and self.view.hits:
            self.results.highlighted = 0
            self._choose(0)
        else:
            self._fire()

    def _fire(self) -> None:
        self._debounce = None
        query = self.current_query
        if not query:
            self.show_empty_state()
        self.post_message(self.QueryChanged(query))

    def show_results(self, view: ResultsView) -> bool:
        """Show results for ``view.query``; returns False (and shows nothing) if it is stale."""
        if view.query != self.current_query:
            return False
        self.view = view
        results = self.results
        if view.error:
            results.clear_options()
            self.set_status(view.error)
            return True
        if not view.hits:
            results.clear_options()
            self.set_status(
                f"No results for this query ({view.query!r}). Try fewer words, another form "
                "of the word, or check the spelling."
                if view.query
                else "No articles yet: the corpus is empty or still being indexed."
            )
            return True
        shown = len(view.hits)
        if view.query:
            more = f" (showing {shown})" if view.total > shown else ""
            self.set_status(f"{view.total} result{'s' if view.total != 1 else ''}{more}.")
        else:  # nothing typed: the newest articles (see MainScreen.search_worker)
            more = f", the newest {shown} listed" if view.total > shown else ", newest first"
            self.set_status(
                f"{view.total} article{'s' if view.total != 1 else ''}{more}. Type to search: "
                "alef, ya and ta marbuta variants and harakat all match."
            )
        results.set_options(
            Option(self._prompt(hit), id=f"{number}") for number, hit in enumerate(view.hits)
        )
        results.highlighted = 0
        return True

    def _prompt(self, hit: Hit) -> LaidOutBlock:
        style_of = self.get_component_rich_style
        title_style = style_of("search--title", partial=True)
        hit_style = style_of("search--hit", partial=True)
        meta_style = style_of("search--meta", partial=True)
        parts = [
            TextPart(
                hit.title or "(untitled)",
                title_style,
                tuple((s.start, s.end, hit_style) for s in hit.title_spans),
                max_lines=2,
            ),
            TextPart(
                "  ·  ".join(p for p in (hit.source or "outlet not stated", hit.date) if p),
                meta_style,
                max_lines=1,
            ),
        ]
        if hit.passages:
            text, spans = snippet(hit.passages[0])
            parts.append(
                TextPart(text, RichStyle(), tuple((s.start, s.end, hit_style) for s in spans), 3)
            )
        return LaidOutBlock(parts, self.layout_options)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option_index)

    def _choose(self, index: int) -> None:
        if self.view is None or not 0 <= index < len(self.view.hits):
            return
        self.post_message(self.ResultChosen(self.view.hits[index], self.view.query))
