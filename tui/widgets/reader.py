"""The reader: one article as a Line-API scroll view, laid out right-to-left by the RTL engine.

Only visible rows are painted (``render_line`` indexes a prebuilt :class:`ArticleLayout` and
caches Strips in an LRU). The reader never does I/O: the screen hands it an article, the hits to
highlight and the bookmarked passages, and hears back through messages (``PassageChanged``,
``BookmarkRequested``) which passage the user is on and what they want to keep.

Visual selection (``v``) works in logical offsets inside the current passage; movement keys then
extend it by a word (j/k, in reading order) or a letter (left/right as seen on screen, so in
Arabic text left moves forward). ``m`` or Enter turns the selection into a bookmark request.

Painting a row and finding the text under the mouse are pure functions in
:mod:`tui.widgets.reader_rows`; this module keeps the widget: bindings, messages, state, caching.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip

from index.models import Article, Passage, Span
from tui.rtl import LayoutOptions, VisualLine, paragraph_direction
from tui.styles import widget_css
from tui.widgets.article_layout import ArticleLayout, build_layout
from tui.widgets.painting import paint_line
from tui.widgets.reader_rows import (
    RowState,
    empty_help_lines,
    logical_at_cell,
    paint_row,
    passage_for_offset,
    passage_index,
    top_anchor,
)
from tui.widgets.selection import Selection, first_word, move_by_letter, move_by_word


class Reader(ScrollView, can_focus=True):
    """A Line-API view of one article: title, outlet and date, then passage after passage."""

    BINDING_GROUP_TITLE = "Reader"

    ALLOW_SELECT = False
    """Textual's own text selection is off: the reader selects logical spans itself."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # "? Help" first: the footer lists the focused widget's keys first, so help stays in
        # view at 80 columns (the app's own ? binding comes last and is cut off there).
        Binding("question_mark", "app.help", "Help", id="help"),
        # Selection mode next: their check_action hides them (and lets the key fall through
        # to the passage bindings below) whenever no selection is active. The tooltip names
        # that context (the help screen lists them under it), so the descriptions stay short
        # enough for the footer to show all three at 80 columns.
        Binding(
            "j,down",
            "extend_word(1)",
            "Extend by word",
            id="select_word_next",
            tooltip="in a selection (after v)",
        ),
        Binding(
            "k,up",
            "extend_word(-1)",
            "Shrink by word",
            show=False,
            id="select_word_prev",
            tooltip="in a selection (after v)",
        ),
        Binding(
            "left,h",
            "extend_char('left')",
            "Extend letter left",
            show=False,
            id="select_left",
            tooltip="in a selection (after v)",
        ),
        Binding(
            "right,l",
            "extend_char('right')",
            "Extend letter right",
            show=False,
            id="select_right",
            tooltip="in a selection (after v)",
        ),
        Binding(
            "m,enter",
            "bookmark_selection",
            "Bookmark",
            id="bookmark_selection",
            tooltip="in a selection (after v)",
        ),
        Binding(
            "escape",
            "cancel_selection",
            "Cancel",
            id="cancel_selection",
            tooltip="in a selection (after v)",
        ),
        Binding("j,down", "move(1)", "Next passage", show=False, id="next_passage"),
        Binding("k,up", "move(-1)", "Previous passage", show=False, id="previous_passage"),
        Binding("space,pagedown", "page(1)", "Page down", show=False, id="page_down"),
        Binding("b,pageup", "page(-1)", "Page up", show=False, id="page_up"),
        Binding("g,home", "top", "Top", show=False, id="top"),
        Binding("G,end", "bottom", "Bottom", show=False, id="bottom"),
        Binding("n", "hit(1)", "Next hit", id="next_hit"),
        Binding("N", "hit(-1)", "Previous hit", show=False, id="previous_hit"),
        Binding("m", "bookmark_passage", "Bookmark passage", id="bookmark_passage"),
        Binding("v", "start_selection", "Select text", id="visual_select"),
    ]
    """Reading keys; ids let the user rebind them in the config's [keymap]."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "reader--title",
        "reader--meta",
        "reader--current",
        "reader--gutter-current",
        "reader--gutter-bookmark",
        "reader--hit",
        "reader--hit-current",
        "reader--selection",
        "reader--flash",
        "reader--empty",
    }
    """Themable parts of the view (see reader.tcss)."""

    DEFAULT_CSS = widget_css(__name__, "reader.tcss")

    class PassageChanged(Message):
        """The current passage changed (or an article was opened)."""

        def __init__(self, reader: Reader, article: Article, passage: Passage | None) -> None:
            super().__init__()
            self.reader = reader
            self.article = article
            self.passage = passage

        @property
        def control(self) -> Reader:
            return self.reader

    class BookmarkRequested(Message):
        """The user asked to bookmark a passage, or a span (article offsets) inside one."""

        def __init__(self, article: Article, passage: Passage, span: Span | None) -> None:
            super().__init__()
            self.article = article
            self.passage = passage
            self.span = span

    selection: var[Selection | None] = var(None, init=False)
    """The visual selection, when ``v`` mode is on."""

    def __init__(
        self,
        layout_options: LayoutOptions | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.layout_options = layout_options or LayoutOptions()
        self.article: Article | None = None
        self.current = 0
        """Index of the current passage in ``article.passages``."""
        self.hits: list[Span] = []
        self.hit_index: int | None = None
        self.bookmarked: set[str] = set()
        self.flash: Span | None = None
        """A span to show (a bookmark just jumped to), in article offsets."""
        self._layout: ArticleLayout | None = None
        self._strips: LRUCache[int, Strip] = LRUCache(512)
        self._empty: tuple[int, list[VisualLine]] | None = None
        self._drag_from: tuple[int, int] | None = None

    # ----------------------------------------------------------------- public API

    @property
    def current_passage(self) -> Passage | None:
        """The passage the cursor is on, if an article with passages is open."""
        if self.article is None or not self.article.passages:
            return None
        return self.article.passages[self.current]

    @property
    def article_layout(self) -> ArticleLayout | None:
        """The layout currently shown (None before the first layout)."""
        return self._layout

    def show_article(
        self,
        article: Article,
        *,
        passage_id: str | None = None,
        hits: list[Span] | None = None,
        bookmarked: set[str] | None = None,
        flash: Span | None = None,
    ) -> None:
        """Open ``article`` at ``passage_id`` (or the first hit, or the top)."""
        self.article = article
        self.hits = sorted(hits or [], key=lambda span: span.start)
        self.hit_index = None
        self.bookmarked = set(bookmarked or ())
        self.flash = flash
        self.selection = None
        self._layout = None
        self.current = 0
        index = self._passage_index(passage_id) if passage_id else None
        if index is None and flash is not None:
            index = self._passage_for_offset(flash.start)
        if index is None and self.hits:
            self.hit_index = 0
            index = self._passage_for_offset(self.hits[0].start)
        self.current = index or 0
        if self.hits and self.hit_index is None and self.article.passages:
            start = self.article.passages[self.current].start
            self.hit_index = next(
                (n for n, hit in enumerate(self.hits) if hit.end > start), len(self.hits) - 1
            )
        self._relayout()
        self.scroll_to(y=0, animate=False, immediate=True)
        self._scroll_to_current(center=index is not None)
        self._post_changed()

    def clear_article(self) -> None:
        """Show the empty state again."""
        self.article = None
        self.hits = []
        self.selection = None
        self._layout = None
        self._strips.clear()
        width = self.scrollable_content_region.width
        self.virtual_size = Size(width, len(self._empty_lines(max(width, 1))))
        self.refresh()

    def set_bookmarked(self, passage_ids: set[str]) -> None:
        """Which passages carry a bookmark dot in the gutter."""
        self.bookmarked = set(passage_ids)
        self._strips.clear()
        self.refresh()

    def rendered_text(self) -> list[str]:
        """Every row as plain text (what a user sees, in visual order); for tests and checks."""
        width = self.scrollable_content_region.width
        return [self._row_strip(y, width).text for y in range(self.virtual_size.height)]

    # ----------------------------------------------------------------- rendering

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def on_resize(self, event: events.Resize) -> None:
        width = self.scrollable_content_region.width
        if self._layout is not None and self._layout.width == width:
            return
        anchor = self._top_anchor()
        self._relayout()
        if anchor is not None and self._layout is not None:
            passage, fraction = anchor
            rows = self._layout.passage_rows(passage)
            self.scroll_to(y=rows.start + int(fraction * len(rows)), animate=False, immediate=True)

    def _relayout(self) -> None:
        self._strips.clear()
        width = self.scrollable_content_region.width
        if self.article is None or width <= 0:
            self._layout = None
            self.virtual_size = Size(max(width, 0), len(self._empty_lines(max(width, 1))))
        else:
            self._layout = build_layout(self.article, width, self.layout_options)
            self.virtual_size = Size(width, len(self._layout.rows))
        self.refresh()

    def _empty_lines(self, width: int) -> list[VisualLine]:
        """The empty-state help, wrapped to the view (UI text, laid out like the rest)."""
        if self._empty is None or self._empty[0] != width:
            self._empty = (width, empty_help_lines(width, self.layout_options))
        return self._empty[1]

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        scroll_y = int(self.scroll_offset.y)
        return self._row_strip(scroll_y + y, width)

    def _row_strip(self, y: int, width: int) -> Strip:
        base = self.rich_style
        if self.article is None or self._layout is None:
            empty = self._empty_lines(width)
            if 0 <= y < len(empty):
                style = base + self.get_component_rich_style("reader--empty")
                return paint_line(empty[y], width, style)
            return Strip.blank(width, base)
        if not 0 <= y < len(self._layout.rows):
            return Strip.blank(width, base)
        cached = self._strips.get(y)
        if cached is not None:
            return cached
        state = RowState(
            self.current, self.hits, self.hit_index, self.flash, self.selection, self.bookmarked
        )
        layout, style_of = self._layout, self.get_component_rich_style
        strip = paint_row(layout, layout.rows[y], self.article, state, base, style_of)
        self._strips[y] = strip
        return strip

    # ----------------------------------------------------------------- movement

    def _passage_index(self, passage_id: str) -> int | None:
        return None if self.article is None else passage_index(self.article, passage_id)

    def _passage_for_offset(self, offset: int) -> int | None:
        return None if self.article is None else passage_for_offset(self.article, offset)

    def _top_anchor(self) -> tuple[int, float] | None:
        """The passage at the top of the view and how far into it we are (for re-layout)."""
        if self._layout is None:
            return None
        return top_anchor(self._layout, int(self.scroll_offset.y))

    def _set_current(self, index: int, *, center: bool = False) -> None:
        if self.article is None or not self.article.passages:
            return
        index = max(0, min(index, len(self.article.passages) - 1))
        if index == self.current:
            self._scroll_to_current(center=center)
            return
        self.current = index
        self.selection = None
        self._strips.clear()
        self.refresh()
        self._scroll_to_current(center=center)
        self._post_changed()

    def _scroll_to_current(self, *, center: bool = False) -> None:
        if self._layout is None or not self._layout.passage_lines:
            return
        rows = self._layout.passage_rows(self.current)
        top = rows.start - (3 if self.current == 0 else 0)
        region = Region(0, max(0, top), 1, max(1, len(rows)))
        self.scroll_to_region(region, animate=False, center=center, immediate=True)

    def _post_changed(self) -> None:
        if self.article is not None:
            self.post_message(self.PassageChanged(self, self.article, self.current_passage))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        selecting = self.selection is not None
        if action in {"extend_word", "extend_char", "bookmark_selection", "cancel_selection"}:
            return selecting
        if action in {"move", "bookmark_passage", "start_selection"} and selecting:
            return False
        if action in {"hit"}:
            return bool(self.hits) or None
        return True

    def action_move(self, delta: int) -> None:
        """j/k: the next or previous passage."""
        self._set_current(self.current + delta)

    def action_page(self, direction: int) -> None:
        """space/b: scroll a page; the cursor follows to the first passage in view."""
        if self._layout is None:
            return
        height = max(1, self.scrollable_content_region.height - 1)
        target = max(0, min(int(self.scroll_offset.y) + direction * height, self.max_scroll_y))
        self.scroll_to(y=target, animate=False, immediate=True)
        passage = self._layout.passage_at_row(target)
        if passage is not None and passage != self.current:
            self.current = passage
            self.selection = None
            self._strips.clear()
            self.refresh()
            self._post_changed()

    def action_top(self) -> None:
        """g: the first passage."""
        self._set_current(0)
        self.scroll_to(y=0, animate=False, immediate=True)

    def action_bottom(self) -> None:
        """G: the last passage."""
        if self.article is not None:
            self._set_current(len(self.article.passages) - 1)
            self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)

    def action_hit(self, direction: int) -> None:
        """n/N: the next or previous search hit in this article."""
        if not self.hits:
            self.notify("No search hits in this article.", severity="information")
            return
        if self.hit_index is None:
            self.hit_index = 0 if direction > 0 else len(self.hits) - 1
        else:
            self.hit_index = (self.hit_index + direction) % len(self.hits)
        index = self._passage_for_offset(self.hits[self.hit_index].start)
        self._strips.clear()
        self.refresh()
        if index is not None:
            self._set_current(index, center=True)

    def action_bookmark_passage(self) -> None:
        """m: ask to bookmark the current passage."""
        passage = self.current_passage
        if self.article is None or passage is None:
            self.notify("Open an article first: there is no passage to bookmark.")
            return
        self.post_message(self.BookmarkRequested(self.article, passage, None))

    def action_start_selection(self) -> None:
        """v: start selecting inside the current passage, at its first word."""
        passage = self.current_passage
        if passage is None:
            self.notify("Open an article first: there is nothing to select.")
            return
        start, end = first_word(passage.text)
        self.selection = Selection(self.current, start, end)

    def action_extend_word(self, direction: int) -> None:
        """In selection mode: move the selection's free end by one word in reading order."""
        selection = self.selection
        passage = self.current_passage
        if selection is None or passage is None:
            return
        cursor = move_by_word(passage.text, selection.cursor, direction)
        self.selection = Selection(selection.passage, selection.anchor, cursor)

    def action_extend_char(self, side: str) -> None:
        """In selection mode: move the free end one letter, left/right as seen on screen."""
        selection = self.selection
        passage = self.current_passage
        if selection is None or passage is None:
            return
        screen_side: Literal["left", "right"] = "left" if side == "left" else "right"
        direction = paragraph_direction(passage.text)
        cursor = move_by_letter(passage.text, selection.cursor, screen_side, direction)
        self.selection = Selection(selection.passage, selection.anchor, cursor)

    def action_cancel_selection(self) -> None:
        """Esc: leave selection mode."""
        self.selection = None

    def action_bookmark_selection(self) -> None:
        """m/Enter in selection mode: ask to bookmark the selected span."""
        selection = self.selection
        passage = self.current_passage
        if selection is None or passage is None or self.article is None:
            return
        start, end = selection.span
        if not passage.text[start:end].strip():
            self.notify("The selection is empty: extend it with j or the arrows first.")
            return
        span = Span(passage.start + start, passage.start + end)
        self.selection = None
        self.post_message(self.BookmarkRequested(self.article, passage, span))

    def watch_selection(self) -> None:
        self._strips.clear()
        self.refresh()
        self.refresh_bindings()  # the footer switches to the selection keys and back

    # ----------------------------------------------------------------- mouse

    def _logical_at_event(self, event: events.MouseEvent) -> tuple[int, int] | None:
        """(passage index, logical offset in it) under the mouse, if over passage text."""
        if self._layout is None:
            return None
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        return logical_at_cell(self._layout, int(self.scroll_offset.y) + offset.y, offset.x)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """Start a drag: dragging across passage text selects a span (like v + movement)."""
        self._drag_from = self._logical_at_event(event)
        if self._drag_from is not None:
            self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._drag_from is None or not event.button:
            return
        here = self._logical_at_event(event)
        passage, anchor = self._drag_from
        if here is None or here[0] != passage or here[1] == anchor:
            return
        if passage != self.current:
            self._set_current(passage)
        start, end = sorted((anchor, here[1]))
        self.selection = Selection(passage, start, end + 1)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._drag_from is not None:
            self.release_mouse()
        self._drag_from = None

    def on_click(self, event: events.Click) -> None:
        """Click a passage to make it current; a click ending a drag keeps its selection."""
        here = self._logical_at_event(event)
        if here is None:
            return
        if self.selection is not None and self.selection.passage == here[0]:
            return
        self._set_current(here[0])
