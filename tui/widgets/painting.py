"""Turning laid-out lines into Strips and Visuals: the one place text meets the screen.

Every piece of article text the app shows (titles, outlets, snippets, passages, quotes, notes)
goes through ``tui.rtl.layout`` and then through :func:`paint_line`, which builds Rich
``Segment``s from plain strings: nothing here parses markup, and a last guard drops any control
or bidi-format character the layout engine might have let through, so article text can never
reach the terminal as an escape sequence.

Highlights (search hits, the selection, a bookmarked span) arrive as *logical* ranges and are
mapped to cells with ``cells_for_range``; painting works in cells only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.cells import cell_len, get_character_cell_size
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from tui.rtl import LayoutOptions, VisualLine, cells_for_range, layout

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
"""C0/C1 controls and bidi formatting characters: never sent to the terminal."""

Mark = tuple[int, int, RichStyle]
"""A styled cell range ``(col_start, col_end, style)`` inside one visual line."""


def safe(text: str) -> str:
    """``text`` without control or bidi-format characters (a guard; layout already drops them)."""
    return _UNSAFE.sub("", text)


def paint_line(line: VisualLine, width: int, base: RichStyle, marks: Sequence[Mark] = ()) -> Strip:
    """A Strip exactly ``width`` cells wide: the line aligned as the layout says, marks applied.

    Mark columns are relative to the line's own text; right-aligned (RTL) lines are padded on
    the left, so the marks move with the text.
    """
    text = safe(line.text)
    pad = max(0, width - line.width) if line.align == "right" else 0
    if not marks:  # the common row: one segment, no per-character work
        used = pad + cell_len(text)
        fast = [Segment(" " * pad, base)] if pad else []
        fast.append(Segment(text, base))
        if used < width:
            fast.append(Segment(" " * (width - used), base))
        return Strip(fast, max(width, used)).crop(0, width)
    segments: list[Segment] = []
    if pad:
        segments.append(Segment(" " * pad, base))
    run: list[str] = []
    run_style = base
    col = 0
    last_col = 0
    for char in text:
        size = get_character_cell_size(char)
        char_col = col if size else last_col
        style = base
        for start, end, mark_style in marks:
            if start <= char_col < end:
                style = style + mark_style
        if style != run_style and run:
            segments.append(Segment("".join(run), run_style))
            run = []
        run_style = style
        run.append(char)
        if size:
            last_col = col
            col += size
    if run:
        segments.append(Segment("".join(run), run_style))
    used = pad + col
    if used < width:
        segments.append(Segment(" " * (width - used), base))
    return Strip(segments, max(width, used)).crop(0, width)


def plain_strip(text: str, style: RichStyle) -> Strip:
    """A one-segment Strip of UI text (gutter marks, labels): never article text."""
    return Strip([Segment(text, style)], cell_len(text))


def marks_for_ranges(
    lines: Sequence[VisualLine], ranges: Sequence[tuple[int, int, RichStyle]]
) -> dict[int, list[Mark]]:
    """Logical ranges ``(start, end, style)`` -> cell marks per line number."""
    by_line: dict[int, list[Mark]] = {}
    for start, end, style in ranges:
        if end <= start:
            continue
        for line_no, col_start, col_end in cells_for_range(lines, start, end):
            by_line.setdefault(line_no, []).append((col_start, col_end, style))
    return by_line


@dataclass(frozen=True, slots=True)
class TextPart:
    """One paragraph of a :class:`LaidOutBlock`: plain text, its style, highlighted ranges.

    ``split_lines``: when ``text`` does not fit on one line, these lines are shown instead, each
    wrapped on its own. A header such as "42% possible · same fact · outlet not stated" then
    breaks between its fields, not inside the outlet's name.
    """

    text: str
    style: RichStyle = field(default_factory=RichStyle)
    highlights: tuple[tuple[int, int, RichStyle], ...] = ()
    max_lines: int | None = None
    split_lines: tuple[str, ...] = ()


class LaidOutBlock(Visual):
    """A Textual Visual of plain-text parts laid out by the RTL engine at whatever width it gets.

    Used as OptionList prompts (search results, related links, bookmarks): the list asks for
    strips at its current width, so a resize re-lays-out the Arabic instead of cropping it.
    """

    def __init__(self, parts: Sequence[TextPart], options: LayoutOptions) -> None:
        self.parts = tuple(parts)
        self.options = options
        self._by_width: dict[int, list[tuple[VisualLine, TextPart, list[Mark]]]] = {}

    def _lines(self, width: int) -> list[tuple[VisualLine, TextPart, list[Mark]]]:
        if (cached := self._by_width.get(width)) is not None:
            return cached
        rows: list[tuple[VisualLine, TextPart, list[Mark]]] = []
        for part in self.parts:
            lines = layout(part.text, max(1, width), self.options)
            marks = marks_for_ranges(lines, part.highlights)
            if len(lines) > 1 and part.split_lines:
                # highlights are offsets into ``text``: split lines carry none
                lines = [
                    line
                    for text in part.split_lines
                    for line in layout(text, max(1, width), self.options)
                ]
                marks = {}
            if part.max_lines is not None and len(lines) > part.max_lines and not part.split_lines:
                lines, marks = self._cut(part, lines, max(1, width), part.max_lines)
            elif part.max_lines is not None and len(lines) > part.max_lines:
                lines = lines[: part.max_lines]
            rows.extend((line, part, marks.get(no, [])) for no, line in enumerate(lines))
        if len(self._by_width) > 8:
            self._by_width.clear()
        self._by_width[width] = rows
        return rows

    def _cut(
        self, part: TextPart, lines: list[VisualLine], width: int, max_lines: int
    ) -> tuple[list[VisualLine], dict[int, list[Mark]]]:
        """The first ``max_lines`` lines of ``part``, the last one ending in "…" so a reader
        knows the text goes on (a preview that stops at "أسفرت عن" looks complete otherwise).
        The text is cut in logical order at a word boundary and laid out again."""
        text = part.text
        cut = lines[max_lines - 1].logical_end
        for _ in range(8):  # each round drops a word until text and "…" fit
            cut = len(text[:cut].rstrip())
            shortened = layout(text[:cut] + " …", width, self.options)
            if len(shortened) <= max_lines or cut == 0:
                break
            space = text.rfind(" ", 0, cut)
            cut = space if space > 0 else max(0, cut - width)
        highlights = tuple((a, min(b, cut), st) for a, b, st in part.highlights if a < cut)
        shortened = shortened[:max_lines]
        return shortened, marks_for_ranges(shortened, highlights)

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        base = style.rich_style
        strips = [
            paint_line(line, width, base + part.style, marks)
            for line, part, marks in self._lines(width)
        ]
        return strips[:height] if height is not None else strips

    def get_optimal_width(self, rules: object, container_width: int) -> int:
        return container_width

    def get_height(self, rules: object, width: int) -> int:
        return len(self._lines(width))
