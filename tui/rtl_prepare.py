"""Per-paragraph preparation and wrapping for :mod:`tui.rtl` (internal).

A paragraph is prepared once (bidi levels, shaping, display clusters: everything that does not
depend on the width) and cached, then wrapped at any width. Both steps avoid Python work per
character: per-character facts live in strings built with ``str.translate`` (one ASCII code per
character) and are searched with regular expressions; Python only visits the rare characters
that need care (harakat, hidden format characters, controls, wide characters, lam-alef pairs) and
each line, never each letter. That is what keeps a 20,000-word article within its time budget.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass
from itertools import accumulate
from typing import Literal

from rich.cells import get_character_cell_size

from tui.arabic_shaping import ABSORBED, shape_paragraph
from tui.bidi import ParagraphLevels, first_strong_level, resolve_paragraph
from tui.bidi_classes import class_string
from tui.bidi_data import MIRRORS

Mode = Literal["app", "terminal", "off"]
BaseDirection = Literal["auto", "dominant", "rtl", "ltr"]

PARAGRAPH_SEPARATORS = "\n\r\x1c\x1d\x1e\x85\u2029"
SEPARATOR_RE = re.compile("\r\n|[" + PARAGRAPH_SEPARATORS + "]")
# Spaces that allow a line break (not U+2007 FIGURE SPACE nor U+202F NARROW NO-BREAK SPACE).
# NO-BREAK SPACE is included on purpose: Arabic news sites put it in ordinary word gaps.
BREAK_SPACES = (
    " \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u205f\u3000\u2028"
)
_TOKEN_RE = re.compile("\t|[" + BREAK_SPACES + "]+|[^\t" + BREAK_SPACES + "]+")
_INVISIBLE_RANGES = ((0xFE00, 0xFE0F), (0xE0100, 0xE01EF), (0x180B, 0x180F))
ORPHAN_BASE = "\u25cc"  # dotted circle: carries a combining mark that has no base

# Display kinds, one ASCII code per character:
#   p plain one-cell character shown as itself     " " break space shown as itself (one cell)
#   _ other break space (shown as spaces)           h hidden (format characters)
#   m zero-width mark (joins the cluster before it) w wide (two cells)
#   r control shown as a visible symbol             t tab
_KIND_TABLE: dict[int, str] = {}
_DISPLAY: dict[str, str] = {}  # replacement text of kinds "_" and "r"
_SPECIAL_RE = re.compile(r"[^p ]")
_NON_SPACE_RE = re.compile(r"[^ ]")
_MIRROR_RE = re.compile("[" + re.escape("".join(MIRRORS)) + "]")
_BREAK_MASK = str.maketrans("_", " ")


def _classify(ch: str) -> str:
    """The display kind of one character (see the table above); records its display text."""
    cp = ord(ch)
    if ch == "\t":
        return "t"
    category = unicodedata.category(ch)
    if category == "Cf" or cp == 0x034F or any(lo <= cp <= hi for lo, hi in _INVISIBLE_RANGES):
        return "h"
    if ch in BREAK_SPACES:
        if ch in " \u00a0":
            return " "
        _DISPLAY[ch] = " " * max(get_character_cell_size(ch), 1)
        return "_"
    if category == "Cc" or category in ("Cs", "Cn", "Zl", "Zp"):
        if cp < 0x20:
            _DISPLAY[ch] = chr(0x2400 + cp)
        elif cp == 0x7F:
            _DISPLAY[ch] = "\u2421"
        else:
            _DISPLAY[ch] = "\ufffd"
        return "r"
    cells = get_character_cell_size(ch)
    if cells == 0:
        return "m"
    return "w" if cells == 2 else "p"


for _cp in range(128):  # pre-registered, so a result that is not ASCII means "unknown characters"
    _KIND_TABLE[_cp] = _classify(chr(_cp))


def kinds_of(text: str) -> str:
    """One display-kind code per character of ``text``."""
    kinds = text.translate(_KIND_TABLE)
    if kinds.isascii():
        return kinds
    for ch in set(text):
        if ord(ch) not in _KIND_TABLE:
            _KIND_TABLE[ord(ch)] = _classify(ch)
    return text.translate(_KIND_TABLE)


@dataclass(slots=True)
class Prepared:
    """One separator-free paragraph part, resolved and clustered, ready to wrap at any width.

    ``cluster_text[i]``/``widths[i]`` are the text and cells of the cluster led by ``i`` (empty/0
    when ``i`` leads none); ``owner[i]`` the leader showing ``i`` or -1; ``special[i]`` is 1 where
    the simple rule "one character, one cell, itself" does not hold.
    """

    text: str
    levels: ParagraphLevels | None
    uniform: bool  # resolved levels are all the paragraph level (and nothing was removed)
    rtl: bool
    cluster_text: list[str]
    widths: list[int]
    owner: list[int]
    is_leader: bytearray  # 1 where owner[i] == i (the character leads the cluster it is in)
    special: bytearray
    mask: str  # " " at break spaces
    cum: list[int] | None  # prefix sums of widths (None: every width is 1)
    has_tabs: bool
    max_cells: int
    mirrored: dict[int, str]  # index -> mirrored glyph, for mirrorable chars at odd levels (L4)
    mirror_keys: list[int]  # sorted keys of ``mirrored``


_PREPARED: OrderedDict[tuple[str, str, bool, str], Prepared] = OrderedDict()
_PREPARED_LIMIT = 4096


def clear_caches() -> None:
    """Forget prepared paragraphs (benchmarks measure cold layouts with this)."""
    _PREPARED.clear()


def prepare(text: str, mode: Mode, shape: bool, base_direction: BaseDirection) -> Prepared:
    """The width-independent layout of one paragraph part (cached, LRU)."""
    key = (text, mode, shape, base_direction)
    cached = _PREPARED.get(key)
    if cached is not None:
        _PREPARED.move_to_end(key)
        return cached
    prepared = _prepare(text, mode, shape and mode == "app", base_direction)
    _PREPARED[key] = prepared
    if len(_PREPARED) > _PREPARED_LIMIT:
        _PREPARED.popitem(last=False)
    return prepared


def dominant_level(codes: str) -> int:
    """A higher-level protocol (UAX #9 HL1) for article text: the paragraph is right-to-left when
    its right-to-left letters outnumber its left-to-right ones.

    News paragraphs often open with a Latin tag (``(CNN)--``, ``AFP -``) before the Arabic
    sentence; by P2-P3 alone such a paragraph would be laid out left-to-right and left-aligned.
    Ties and paragraphs without strong characters fall back to the first strong character.
    Letters inside isolates (FSI/LRI/RLI … PDI) are not counted, as P2 skips them: a UI row
    "no outlet (وأعلن تنظيم داعش…)" quotes Arabic in an isolate but is an English line.
    """
    if "6" in codes or "7" in codes or "8" in codes:  # isolate initiators (tui.bidi codes)
        codes = _outside_isolates(codes)
    rtl = codes.count("R") + codes.count("A")
    ltr = codes.count("L")
    if rtl != ltr:
        return 1 if rtl > ltr else 0
    return first_strong_level(codes) or 0


def _outside_isolates(codes: str) -> str:
    """The bidi class codes of the characters outside any isolate (an unmatched initiator
    isolates to the end of the paragraph, as X6a has it)."""
    kept: list[str] = []
    depth = 0
    for code in codes:
        if code in "678":
            depth += 1
        elif code == "9":
            depth = max(0, depth - 1)
        elif depth == 0:
            kept.append(code)
    return "".join(kept)


def _prepare(text: str, mode: Mode, shape: bool, base_direction: BaseDirection) -> Prepared:
    kinds = kinds_of(text)
    codes = class_string(text)
    if "r" in kinds:
        # Controls shown as symbols are symbols (ON) to the bidi algorithm, not breaks or removed.
        code_list = list(codes)
        for match in re.finditer("r", kinds):
            code_list[match.start()] = "O"
        codes = "".join(code_list)
    if base_direction == "rtl":
        base = 1
    elif base_direction == "ltr":
        base = 0
    elif base_direction == "dominant":
        base = dominant_level(codes)
    else:
        base = first_strong_level(codes) or 0
    levels = resolve_paragraph(text, base, codes) if mode == "app" else None
    display = shape_paragraph(text) if shape else text

    n = len(text)
    cluster_text = list(display)
    widths = [1] * n
    owner = list(range(n))
    special = bytearray(n)
    positions = [m.start() for m in _SPECIAL_RE.finditer(kinds)]
    if shape and ABSORBED in display:
        positions.extend(m.start() for m in re.finditer(ABSORBED, display))
        positions.sort()
    is_leader = bytearray(b"\x01") * n
    has_tabs = False
    max_cells = 1
    previous = -2
    carry = -1  # the cluster a following mark joins, after the last special position
    for i in positions:
        special[i] = 1
        # the cluster a mark here would join: the last special's, or a plain letter just before
        leader = carry if i - 1 == previous else (i - 1 if i > 0 and kinds[i - 1] == "p" else -1)
        kind = kinds[i]
        if display[i] == ABSORBED:  # alef inside the lam-alef ligature before it
            owner[i], widths[i], cluster_text[i] = leader, 0, ""
            carry = leader
        elif kind == "h":
            owner[i], widths[i], cluster_text[i] = -1, 0, ""
            carry = leader
        elif kind == "m":
            if leader >= 0:
                cluster_text[leader] += cluster_text[i]
                owner[i], widths[i], cluster_text[i] = leader, 0, ""
                carry = leader
            else:
                cluster_text[i] = ORPHAN_BASE + cluster_text[i]
                carry = i
        elif kind == "r":
            cluster_text[i] = _DISPLAY[text[i]]
            carry = i
        elif kind == "w":
            widths[i] = max_cells = 2
            carry = i
        elif kind == "_":
            cluster_text[i] = _DISPLAY[text[i]]
            widths[i] = len(cluster_text[i])
            max_cells = max(max_cells, widths[i])
            carry = -1
        else:  # tab: one space here, expanded per line by the wrap
            cluster_text[i] = " "
            has_tabs = True
            carry = -1
        if owner[i] != i:
            is_leader[i] = 0
        previous = i
    mask = kinds.translate(_BREAK_MASK) if "_" in kinds else kinds
    cum = list(accumulate(widths, initial=0)) if positions else None
    mirrored: dict[int, str] = {}
    if levels is not None:
        odd = levels.levels
        for match in _MIRROR_RE.finditer(text):
            i = match.start()
            if odd[i] & 1 and odd[i] != 255 and owner[i] == i:
                mirrored[i] = MIRRORS[match.group()] + cluster_text[i][1:]
    return Prepared(
        text,
        levels,
        levels is not None and levels.uniform,
        bool(base & 1),
        cluster_text,
        widths,
        owner,
        is_leader,
        special,
        mask,
        cum,
        has_tabs,
        max_cells,
        mirrored,
        sorted(mirrored),
    )


# --- wrapping ------------------------------------------------------------------------------------

#: (cluster text, cells, owner) of a break space that overflows the line: it hangs, unseen.
HIDE: tuple[str, int, int] = ("", 0, -1)


@dataclass(slots=True)
class LineSpan:
    """A wrapped line in logical order, with the width-dependent display patches it needs."""

    start: int
    end: int
    patches: dict[int, tuple[str, int, int]]  # index -> (cluster text, cells, owner)


def wrap(prep: Prepared, width: int, tab_size: int) -> list[LineSpan]:
    """Greedy logical-order wrap by cells: break at spaces; words wider than a line by clusters.

    Spaces after the last word that fits stay on its line (shown while they fit, else hidden);
    a word that does not fit starts the next line; a word wider than the line is cut between
    clusters (harakat and lam-alef never leave their letter).
    """
    if prep.has_tabs or width < prep.max_cells:
        return _wrap_tokens(prep, width, tab_size)
    n = len(prep.text)
    if n == 0:
        return [LineSpan(0, 0, {})]
    mask = prep.mask
    cum = prep.cum
    lines: list[LineSpan] = []
    start = 0
    while start < n:
        limit = start + width if cum is None else bisect_right(cum, cum[start] + width, start) - 1
        if limit >= n:
            lines.append(LineSpan(start, n, {}))
            break
        if mask[limit] == " ":
            found = _NON_SPACE_RE.search(mask, limit)
            end = found.start() if found else n
            lines.append(LineSpan(start, end, dict.fromkeys(range(limit, end), HIDE)))
            start = end
            continue
        space = mask.rfind(" ", start, limit)
        end = space + 1 if space >= 0 else limit
        lines.append(LineSpan(start, end, {}))
        start = end
    return lines


def _wrap_tokens(prep: Prepared, width: int, tab_size: int) -> list[LineSpan]:
    """The general wrap, token by token: for tabs (their width depends on the column) and for
    characters wider than the line (shown as U+FFFD)."""
    lines: list[LineSpan] = []
    line = LineSpan(0, 0, {})
    col = 0
    widths = prep.widths
    for match in _TOKEN_RE.finditer(prep.text):
        start, end = match.span()
        token = match.group()
        if token == "\t":
            cells = min(tab_size - col % tab_size, width - col)
            if cells <= 0:
                lines.append(line)
                line = LineSpan(start, start, {})
                col = 0
                cells = min(tab_size, width)
            line.patches[start] = (" " * cells, cells, start)
            col += cells
            line.end = end
        elif token[0] in BREAK_SPACES:
            for i in range(start, end):
                cells = widths[i]
                if col + cells <= width:
                    col += cells
                else:
                    line.patches[i] = HIDE
                line.end = i + 1
        else:
            token_width = sum(widths[start:end])
            if col + token_width <= width:
                col += token_width
                line.end = end
                continue
            if col > 0:
                lines.append(line)
                line = LineSpan(start, start, {})
                col = 0
            if token_width <= width:
                col = token_width
                line.end = end
                continue
            for i in range(start, end):
                cells = widths[i]
                too_wide = cells > width
                if too_wide:
                    cells = 1
                if cells and col + cells > width:
                    lines.append(line)
                    line = LineSpan(i, i, {})
                    col = 0
                if too_wide:
                    line.patches[i] = ("\ufffd", 1, i)
                col += cells
                line.end = i + 1
    lines.append(line)
    return lines
