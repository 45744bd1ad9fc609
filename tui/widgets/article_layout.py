"""The reader's document model: an article laid out into screen rows for one width.

Kept apart from the widget so it can be built (and tested) without a running app, and so the
reader's ``render_line`` only indexes a list. Each passage is laid out as its own block by the
RTL engine; a blank row separates paragraphs (a passage that begins after a line break in the
article text), while sentences of one long paragraph follow each other directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from index.models import Article
from tui.rtl import LayoutOptions, VisualLine, layout

RowKind = Literal["title", "meta", "blank", "passage"]

GUTTER = 2
"""Cells on the right of every row for the bookmark dot and the current-passage bar."""

MIN_TEXT_WIDTH = 8


@dataclass(frozen=True, slots=True)
class Row:
    """One screen row: which block it belongs to and the laid-out line it shows."""

    kind: RowKind
    passage: int = -1
    """Index into ``Article.passages`` (``-1`` for title, meta and blank rows)."""
    line_no: int = 0
    """Line number inside its block's layout (for mapping logical ranges to cells)."""


@dataclass(slots=True)
class ArticleLayout:
    """All rows of one article at one width, with the per-block visual lines."""

    width: int
    text_width: int
    rows: list[Row]
    title_lines: list[VisualLine]
    meta_lines: list[VisualLine]
    passage_lines: list[list[VisualLine]]
    passage_first_row: list[int]

    def lines_for(self, row: Row) -> list[VisualLine]:
        """The block (title, meta or passage lines) a row belongs to."""
        if row.kind == "title":
            return self.title_lines
        if row.kind == "meta":
            return self.meta_lines
        if row.kind == "passage":
            return self.passage_lines[row.passage]
        return []

    def passage_rows(self, index: int) -> range:
        """The row numbers a passage occupies."""
        first = self.passage_first_row[index]
        return range(first, first + len(self.passage_lines[index]))

    def passage_at_row(self, y: int) -> int | None:
        """The passage shown on row ``y``, or the next one below when ``y`` is a gap."""
        if not self.rows:
            return None
        y = max(0, min(y, len(self.rows) - 1))
        for row in self.rows[y:]:
            if row.kind == "passage":
                return row.passage
        for row in reversed(self.rows[:y]):
            if row.kind == "passage":
                return row.passage
        return None


def meta_text(article: Article) -> str:
    """Outlet and date as the corpus states them; nothing is invented when they are missing."""
    parts = [article.source or "outlet not stated"]
    if article.date:
        parts.append(article.date)
    return "  ·  ".join(parts)


def build_layout(article: Article, width: int, options: LayoutOptions) -> ArticleLayout:
    """Lay out the whole article for a widget ``width`` cells wide (gutter included)."""
    text_width = max(MIN_TEXT_WIDTH, width - GUTTER)
    rows: list[Row] = []
    title_lines = layout(article.title or "(untitled)", text_width, options)
    rows.extend(Row("title", line_no=n) for n in range(len(title_lines)))
    meta_lines = layout(meta_text(article), text_width, options)
    rows.extend(Row("meta", line_no=n) for n in range(len(meta_lines)))
    rows.append(Row("blank"))
    passage_lines: list[list[VisualLine]] = []
    first_rows: list[int] = []
    previous_end: int | None = None
    for index, passage in enumerate(article.passages):
        if previous_end is not None and "\n" in article.text[previous_end : passage.start]:
            rows.append(Row("blank"))
        lines = layout(passage.text, text_width, options)
        first_rows.append(len(rows))
        rows.extend(Row("passage", index, n) for n in range(len(lines)))
        passage_lines.append(lines)
        previous_end = passage.end
    return ArticleLayout(
        width, text_width, rows, title_lines, meta_lines, passage_lines, first_rows
    )
