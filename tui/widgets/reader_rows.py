"""The reader's rows: painting one row of an article layout, and finding text under a cell.

Pure functions over an :class:`ArticleLayout` and the reader's state (current passage, search
hits, the flashed bookmark span, the visual selection, bookmarked passages), so the
:class:`~tui.widgets.reader.Reader` widget keeps only its bindings, messages and caching.
Highlights are logical ranges inside a passage; ``marks_for_ranges`` maps them to cells.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rich.style import Style as RichStyle
from textual.strip import Strip

from index.models import Article, Passage, Span
from tui.rtl import LayoutOptions, VisualLine, layout, logical_at
from tui.widgets.article_layout import GUTTER, ArticleLayout, Row
from tui.widgets.painting import Mark, marks_for_ranges, paint_line, plain_strip
from tui.widgets.selection import Selection

EMPTY_HELP = (
    "No article open.",
    "",
    "Enter on an article of the list opens it here;",
    "press / to search first.",
    "? shows every key.",
)
"""What the reader shows when no article is open."""

StyleOf = Callable[[str], RichStyle]
"""Looks up a component class's style (``Widget.get_component_rich_style``)."""


@dataclass(frozen=True, slots=True)
class RowState:
    """What a row's paint depends on besides the layout: the reader's current state."""

    current: int
    """Index of the current passage."""
    hits: Sequence[Span] = ()
    """Search hits, in article offsets, sorted by start."""
    hit_index: int | None = None
    """The hit ``n``/``N`` last moved to (painted stronger)."""
    flash: Span | None = None
    """A bookmark's span just jumped to, in article offsets."""
    selection: Selection | None = None
    """The visual selection, in offsets inside its passage."""
    bookmarked: set[str] = field(default_factory=set)
    """Ids of passages that carry a bookmark dot."""


def paint_row(
    layout: ArticleLayout,
    row: Row,
    article: Article,
    state: RowState,
    base: RichStyle,
    style_of: StyleOf,
) -> Strip:
    """One row of the article: title, meta, a blank, or a passage line with its gutter."""
    if row.kind == "blank":
        return Strip.blank(layout.width, base)
    lines = layout.lines_for(row)
    line = lines[row.line_no]
    marks: list[Mark] = []
    gutter = " " * GUTTER
    gutter_style = base
    line_style = base
    if row.kind == "title":
        line_style = base + style_of("reader--title")
    elif row.kind == "meta":
        line_style = base + style_of("reader--meta")
    else:
        passage = article.passages[row.passage]
        is_current = row.passage == state.current
        if is_current:
            line_style = base + style_of("reader--current")
        marks = passage_marks(row.passage, passage, lines, state, style_of).get(row.line_no, [])
        bookmark = "•" if passage.id in state.bookmarked else " "
        bar = "▌" if is_current else " "
        gutter = bookmark + bar
        if is_current:
            gutter_style = base + style_of("reader--gutter-current")
        elif bookmark != " ":
            gutter_style = base + style_of("reader--gutter-bookmark")
    text = paint_line(line, layout.text_width, line_style, marks)
    return Strip.join([text, plain_strip(gutter, gutter_style)]).crop_extend(0, layout.width, base)


def passage_marks(
    index: int,
    passage: Passage,
    lines: list[VisualLine],
    state: RowState,
    style_of: StyleOf,
) -> dict[int, list[Mark]]:
    """The highlighted cells of each of the passage's lines: hits, the flash, the selection."""
    ranges: list[tuple[int, int, RichStyle]] = []
    for number, hit in enumerate(state.hits):
        if hit.end > passage.start and hit.start < passage.end:
            name = "reader--hit-current" if number == state.hit_index else "reader--hit"
            ranges.append(
                (
                    max(hit.start, passage.start) - passage.start,
                    min(hit.end, passage.end) - passage.start,
                    style_of(name),
                )
            )
    flash = state.flash
    if flash is not None and flash.end > passage.start and flash.start < passage.end:
        ranges.append(
            (
                max(flash.start, passage.start) - passage.start,
                min(flash.end, passage.end) - passage.start,
                style_of("reader--flash"),
            )
        )
    if state.selection is not None and state.selection.passage == index:
        start, end = state.selection.span
        if end == start:
            end = start + 1
        ranges.append((start, end, style_of("reader--selection")))
    return marks_for_ranges(lines, ranges)


def logical_at_cell(layout: ArticleLayout, y: int, x: int) -> tuple[int, int] | None:
    """(passage index, logical offset in it) at row ``y``, column ``x``, if over passage text."""
    if not 0 <= y < len(layout.rows):
        return None
    row = layout.rows[y]
    if row.kind != "passage":
        return None
    lines = layout.passage_lines[row.passage]
    line = lines[row.line_no]
    pad = layout.text_width - line.width if line.align == "right" else 0
    index = logical_at(lines, row.line_no, max(0, min(x - pad, line.width - 1)))
    return None if index is None else (row.passage, index)


def passage_index(article: Article, passage_id: str) -> int | None:
    """The index of the passage with ``passage_id`` in the article, if it has one."""
    for index, passage in enumerate(article.passages):
        if passage.id == passage_id:
            return index
    return None


def passage_for_offset(article: Article, offset: int) -> int | None:
    """The index of the passage holding article offset ``offset``, if any."""
    for index, passage in enumerate(article.passages):
        if passage.start <= offset < passage.end:
            return index
    return None


def empty_help_lines(width: int, options: LayoutOptions) -> list[VisualLine]:
    """The empty-state help, wrapped to ``width`` (UI text, laid out like the rest)."""
    return [
        line for paragraph in EMPTY_HELP for line in layout(paragraph, max(1, width - 2), options)
    ]


def top_anchor(layout: ArticleLayout, scroll_y: int) -> tuple[int, float] | None:
    """The passage at row ``scroll_y`` and how far into it that row is (0 to 1)."""
    if not layout.passage_lines:
        return None
    passage = layout.passage_at_row(scroll_y)
    if passage is None:
        return None
    rows = layout.passage_rows(passage)
    into = max(0, scroll_y - rows.start)
    return passage, into / max(1, len(rows))
