"""Right-to-left line layout for a terminal: wrap, reorder, shape, and map cells to text.

Every widget that shows article text goes through :func:`layout`. The order of work is the point:

1. split the paragraph at paragraph separators (each part is resolved on its own, so an RLO in one
   part can never reverse another);
2. resolve bidi levels for the whole part (:mod:`tui.bidi`, UAX #9);
3. wrap in *logical* order by cell width (break at spaces, over-long words by cells);
4. reorder each line (L1-L2), keep combining marks after their base (L3), mirror brackets at
   odd levels (L4), and shape Arabic into presentation forms (:mod:`tui.arabic_shaping`).

Reordering a whole paragraph and wrapping afterwards would put its first sentence on the bottom line.

Every visible cell knows the logical index it shows (``cell_logical``) and every logical index knows
the cell group showing it (``logical_owner``), so search hits, bookmarks, mouse clicks and copy
work on logical text. Nothing that reaches ``VisualLine.text`` is a control or format character:
bidi controls, ZWJ/ZWNJ, BOM and other Cf characters are hidden, tabs become spaces, other
controls become visible symbols (U+2400 block or U+FFFD).

No Textual import here: cell widths come from :func:`rich.cells.get_character_cell_size`, which is
what Textual measures with, and each emitted line satisfies ``cell_len(text) == width``.
The width-independent work per paragraph (levels, shaping, clusters) lives in
:mod:`tui.rtl_prepare` and is cached, so a resize only re-wraps and re-reorders.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from itertools import compress
from typing import Literal

from tui.bidi import first_strong_level, reorder_line
from tui.bidi_classes import class_string
from tui.rtl_prepare import SEPARATOR_RE, BaseDirection, LineSpan, Mode, Prepared, prepare, wrap

__all__ = [
    "BIDI_EXPLICIT_MODE_ON",
    "BIDI_EXPLICIT_MODE_RESTORE",
    "BaseDirection",
    "LayoutOptions",
    "Mode",
    "VisualLine",
    "cells_for_range",
    "copy_text",
    "layout",
    "logical_at",
    "paragraph_direction",
    "resolve_mode",
    "visual_position",
]
Align = Literal["left", "right"]

#: Put the terminal in explicit BiDi mode (it must not reorder: the app already did). Emit on start.
BIDI_EXPLICIT_MODE_ON = "\x1b[8l"
#: Back to the terminal's implicit BiDi mode. Emit on exit.
BIDI_EXPLICIT_MODE_RESTORE = "\x1b[8h"

MODES: tuple[str, ...] = ("app", "terminal", "off")


@dataclass(frozen=True, slots=True)
class LayoutOptions:
    """How to lay out.

    ``mode``: app (reorder here, the default), terminal (logical order: the terminal reorders and
    shapes), off (logical order). ``shape`` joins Arabic letters; it applies in app mode only.
    ``base_direction``: auto (UAX #9 P2-P3, first strong character), dominant (the direction of
    most strong letters: for article text, where ``(CNN)-- قال …`` must read right-to-left), or
    forced rtl/ltr.
    """

    mode: Mode = "app"
    shape: bool = True
    base_direction: BaseDirection = "auto"
    tab_size: int = 8


@dataclass(frozen=True, slots=True)
class VisualLine:
    """One screen line of a paragraph, in visual order.

    ``cell_logical[col]`` is the paragraph index shown at column ``col`` (the first character of its
    cluster: a base with its harakat, or a lam-alef pair). ``logical_owner[i - logical_start]`` is
    the cluster index showing paragraph index ``i``, or -1 when ``i`` is not shown (format
    character, removed control, paragraph separator, trailing space that overflowed the width).
    """

    text: str
    width: int
    align: Align
    logical_start: int
    logical_end: int
    cell_logical: tuple[int, ...]
    logical_owner: tuple[int, ...]


DEFAULT_OPTIONS = LayoutOptions()

# --- building visual lines ----------------------------------------------------------------------


def _visual_line(prep: Prepared, span: LineSpan, offset: int, align: Align) -> VisualLine:
    """Reorder one wrapped line (L1-L2), group clusters (L3), mirror (L4), map cells."""
    a, b = span.start, span.end
    patches = span.patches
    cluster_text = prep.cluster_text
    widths = prep.widths
    owner: list[int] = prep.owner
    levels = prep.levels
    cells_per: list[int] | None
    if not patches and (
        levels is None or prep.uniform or levels.levels.count(levels.level, a, b) == b - a
    ):
        # The common line: one direction throughout (L1 cannot change it), so the visual order
        # is the logical one, reversed for RTL; slices and compress() do it without a Python loop.
        reverse = levels is not None and prep.rtl
        span_range = range(b - 1, a - 1, -1) if reverse else range(a, b)
        texts = cluster_text[a:b]
        if reverse:
            texts.reverse()
        if 1 not in prep.special[a:b]:
            leaders = list(span_range)
            cells_per = None
        else:
            selected = prep.is_leader[a:b]
            cells_per = widths[a:b]
            if reverse:
                selected.reverse()
                cells_per.reverse()
            leaders = list(compress(span_range, selected))
            texts = list(compress(texts, selected))
            cells_per = list(compress(cells_per, selected))
        line_owner = owner[a:b]
    else:
        order = list(range(a, b)) if levels is None else reorder_line(levels, a, b)
        if patches:
            # width-dependent: hanging spaces (hidden), tabs (their spaces), too-wide characters
            owner = owner[a:b]
            retext: dict[int, str] = {}
            rewidth: dict[int, int] = {}
            for i, (text, cells, own) in patches.items():
                owner[i - a] = own
                if own >= 0:
                    retext[i] = text
                    rewidth[i] = cells
            shown = dict.fromkeys(map(owner.__getitem__, map((-a).__add__, order)))
            shown.pop(-1, None)
            leaders = list(shown)
            texts = list(map(cluster_text.__getitem__, leaders))
            cells_per = list(map(widths.__getitem__, leaders))
            for k, i in enumerate(leaders) if retext else ():
                if i in retext:
                    texts[k] = retext[i]
                    cells_per[k] = rewidth[i]
            line_owner = owner
        else:
            # members of a cluster sit next to their leader in visual order: keep the leaders
            leaders = list(compress(order, map(prep.is_leader.__getitem__, order)))
            texts = list(map(cluster_text.__getitem__, leaders))
            cells_per = list(map(widths.__getitem__, leaders))
            line_owner = owner[a:b]
    if prep.mirrored:
        keys = prep.mirror_keys
        for i in keys[bisect_left(keys, a) : bisect_left(keys, b)]:
            with suppress(ValueError):  # ValueError: not shown on this line
                texts[leaders.index(i)] = prep.mirrored[i]
    text = "".join(texts)
    if cells_per is None or cells_per.count(1) == len(cells_per):
        cell_logical = tuple(leaders) if offset == 0 else tuple(i + offset for i in leaders)
    else:
        expanded: list[int] = []
        for i, cells in zip(leaders, cells_per, strict=True):
            expanded.extend([i + offset] * cells)
        cell_logical = tuple(expanded)
    if offset:
        logical_owner = tuple(o + offset if o >= 0 else -1 for o in line_owner)
    else:
        logical_owner = tuple(line_owner)
    return VisualLine(
        text, len(cell_logical), align, a + offset, b + offset, cell_logical, logical_owner
    )


def _parts(paragraph: str) -> list[tuple[int, int, int]]:
    """(start, end, end including its separator) of each separator-free part of ``paragraph``."""
    parts: list[tuple[int, int, int]] = []
    start = 0
    for match in SEPARATOR_RE.finditer(paragraph):
        parts.append((start, match.start(), match.end()))
        start = match.end()
    if start < len(paragraph) or not parts:
        parts.append((start, len(paragraph), len(paragraph)))
    return parts


def layout(paragraph: str, width: int, options: LayoutOptions | None = None) -> list[VisualLine]:
    """Lay out one paragraph into screen lines of at most ``width`` cells (see the module doc)."""
    if width < 1:
        raise ValueError(f"layout width must be at least 1 cell, got {width}")
    opts = options or DEFAULT_OPTIONS
    if opts.mode not in MODES:
        raise ValueError(f"unknown layout mode {opts.mode!r}; expected one of {', '.join(MODES)}")
    lines: list[VisualLine] = []
    for start, end, sep_end in _parts(paragraph):
        prep = prepare(paragraph[start:end], opts.mode, opts.shape, opts.base_direction)
        align: Align = "right" if prep.rtl else "left"
        spans = wrap(prep, width, opts.tab_size)
        part_lines = [_visual_line(prep, span, start, align) for span in spans]
        if sep_end > end:  # the separator belongs to the part's last line, unseen
            last = part_lines[-1]
            part_lines[-1] = VisualLine(
                last.text,
                last.width,
                last.align,
                last.logical_start,
                sep_end,
                last.cell_logical,
                last.logical_owner + (-1,) * (sep_end - end),
            )
        lines.extend(part_lines)
    return lines


# --- mapping helpers ------------------------------------------------------------------------------


def logical_at(lines: Sequence[VisualLine], line_no: int, col: int) -> int | None:
    """The paragraph index shown at screen cell (line_no, col), or None off the text."""
    if not 0 <= line_no < len(lines):
        return None
    line = lines[line_no]
    if not 0 <= col < line.width:
        return None
    return line.cell_logical[col]


def cells_for_range(
    lines: Sequence[VisualLine], start: int, end: int
) -> list[tuple[int, int, int]]:
    """Screen segments (line_no, col_start, col_end) showing paragraph range [start, end).

    A range may cover several lines and, with mixed directions, several segments of one line.
    Segments are in line order, then column order; hidden characters contribute nothing.
    """
    segments: list[tuple[int, int, int]] = []
    for line_no, line in enumerate(lines):
        lo = max(start, line.logical_start)
        hi = min(end, line.logical_end)
        if lo >= hi:
            continue
        wanted = set(line.logical_owner[lo - line.logical_start : hi - line.logical_start])
        wanted.discard(-1)
        if not wanted:
            continue
        seg_start = -1
        for col, index in enumerate(line.cell_logical):
            if index in wanted:
                if seg_start < 0:
                    seg_start = col
            elif seg_start >= 0:
                segments.append((line_no, seg_start, col))
                seg_start = -1
        if seg_start >= 0:
            segments.append((line_no, seg_start, line.width))
    return segments


def visual_position(lines: Sequence[VisualLine], index: int) -> tuple[int, int] | None:
    """(line_no, first column) of the cell showing paragraph index ``index``, or None if unseen."""
    for line_no, line in enumerate(lines):
        if line.logical_start <= index < line.logical_end:
            leader = line.logical_owner[index - line.logical_start]
            if leader < 0:
                return None
            return line_no, line.cell_logical.index(leader)
    return None


def copy_text(paragraph: str, start: int, end: int) -> str:
    """What copying a selection gives: the logical text, never the visual cells."""
    return paragraph[max(start, 0) : max(end, 0)]


def paragraph_direction(text: str) -> Literal["rtl", "ltr"]:
    """The base direction of a paragraph by UAX #9 P2-P3 (ltr when it has no strong character)."""
    return "rtl" if first_strong_level(class_string(text)) == 1 else "ltr"


# --- choosing the mode ----------------------------------------------------------------------------

#: Environment variables set by terminals that reorder right-to-left text on their own.
_SELF_REORDERING_ENV = ("VTE_VERSION", "KONSOLE_VERSION", "KONSOLE_DBUS_SESSION", "MLTERM")


def resolve_mode(
    environ: Mapping[str, str], configured: str | None = None, flag: str | None = None
) -> Mode:
    """The layout mode: the ``--bidi`` flag, else the config, else detected from the terminal.

    ``auto`` (or None) falls through to detection: terminals that reorder each screen line
    themselves (VTE/GNOME Terminal, Konsole, mlterm, macOS Terminal) get ``terminal`` so text is
    not reversed twice; every other terminal gets ``app``.
    """
    for choice in (flag, configured):
        if choice is None or choice == "auto":
            continue
        if choice not in MODES:
            raise ValueError(f"unknown bidi mode {choice!r}; expected auto, app, terminal or off")
        return choice  # type: ignore[return-value]  # checked against MODES just above
    if any(environ.get(name) for name in _SELF_REORDERING_ENV):
        return "terminal"
    if environ.get("TERM_PROGRAM") == "Apple_Terminal":
        return "terminal"
    if environ.get("TERM", "").startswith("mlterm"):
        return "terminal"
    return "app"
