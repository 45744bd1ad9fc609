"""The Unicode Bidirectional Algorithm (UAX #9) up to rule L2, with L4 mirroring data.

Why our own: python-bidi exposes neither the resolved levels nor an index map, and the reader must
know, for every screen cell, which logical character it shows (search hits, mouse, copy). So levels
are resolved once per paragraph here (P2-P3, X1-X10, W1-W7, N0-N2, I1-I2) and each wrapped line is
reordered separately (L1-L2) by :func:`reorder_line`.

Speed matters (a 20,000-word article is laid out on every resize), so bidi classes are kept as one
character per code point in a ``str`` (see ``CODE_*``) and the weak/neutral rules run as regular
expression substitutions over that string: the per-character work happens in C, Python only sees
the rare places where a rule changes something. Explicit embeddings take the exact per-character
path (they are rare in news text).

The classes of characters (and their one-character codes) come from :mod:`tui.bidi_classes`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tui.bidi_classes import class_string
from tui.bidi_data import (
    CANONICAL_BRACKET,
    CLOSING_TO_OPENING,
    OPENING_TO_CLOSING,
)

MAX_DEPTH = 125

#: Characters removed by rule X9 (embeddings, overrides, PDF and boundary neutrals).
REMOVED_CODES = frozenset("12345B")
_ISOLATE_INITIATORS = frozenset("678")
_EXPLICIT_RE = re.compile(r"[1-9]")


# --- paragraph level (P2, P3) -----------------------------------------------------------------


def _matching_pdis(codes: str) -> dict[int, int]:
    """BD9: isolate initiator index -> index of its matching PDI (initiators without one absent)."""
    matches: dict[int, int] = {}
    if not _EXPLICIT_RE.search(codes):
        return matches
    stack: list[int] = []
    for i, c in enumerate(codes):
        if c in _ISOLATE_INITIATORS:
            stack.append(i)
        elif c == "9" and stack:
            matches[stack.pop()] = i
        elif c == "Q":
            stack.clear()
    return matches


_FIRST_STRONG_RE = re.compile(r"[LRA]")


def first_strong_level(codes: str, start: int = 0, end: int | None = None) -> int | None:
    """P2-P3: 0 or 1 from the first strong character in [start, end), skipping isolates."""
    stop = len(codes) if end is None else end
    if not _EXPLICIT_RE.search(codes, start, stop):
        found = _FIRST_STRONG_RE.search(codes, start, stop)
        return None if found is None else (0 if found.group() == "L" else 1)
    depth = 0
    for i in range(start, stop):
        c = codes[i]
        if c in _ISOLATE_INITIATORS:
            depth += 1
        elif c == "9":
            if depth:
                depth -= 1
        elif c == "Q":
            break
        elif depth == 0 and c in "LRA":
            return 0 if c == "L" else 1
    return None


def paragraph_level(text: str) -> int:
    """The paragraph embedding level of ``text`` by P2-P3 (0 when it has no strong character)."""
    level = first_strong_level(class_string(text))
    return 0 if level is None else level


# --- weak and neutral resolution of one isolating run sequence --------------------------------

_NSM_RE = re.compile(r"([^M])(M+)")
_W2_RE = re.compile(r"A[^LR]*")
_W4_EN_RE = re.compile(r"(?<=E)[PC](?=E)")
_W4_AN_RE = re.compile(r"(?<=N)C(?=N)")
_W5_RE = re.compile(r"T+(?=E)|(?<=E)T+")
_W6_TABLE = str.maketrans("PTC", "OOO")
_W7_RE = re.compile(r"L[^R]*")
_N1_L_RE = re.compile(r"(?<=L)[QSWO6789]+(?=L)")
_N1_R_RE = re.compile(r"(?<=[RNE])[QSWO6789]+(?=[RNE])")
_NI_TO_L = str.maketrans("QSWO6789", "LLLLLLLL")
_NI_TO_R = str.maketrans("QSWO6789", "RRRRRRRR")
_STRONG_AS_R = str.maketrans("NE", "RR")


def _w1(match: re.Match[str]) -> str:
    prev = match.group(1)
    run = match.group(2)
    return prev + ("O" if prev in "6789" else prev) * len(run)


def _to_en(match: re.Match[str]) -> str:
    return "E" * len(match.group())


def _to_l(match: re.Match[str]) -> str:
    return "L" * len(match.group())


def _to_r(match: re.Match[str]) -> str:
    return "R" * len(match.group())


def _w2(match: re.Match[str]) -> str:
    return match.group().replace("E", "N")


def _w7(match: re.Match[str]) -> str:
    return match.group().replace("E", "L")


_BRACKET_RE = re.compile(
    "[" + re.escape("".join(OPENING_TO_CLOSING) + "".join(CLOSING_TO_OPENING)) + "]"
)


def _bracket_pairs(types: str, chars: Sequence[str]) -> list[tuple[int, int]]:
    """BD16: the bracket pairs of a run sequence, sorted by opening position."""
    stack: list[tuple[str, int]] = []
    pairs: list[tuple[int, int]] = []
    text = chars if isinstance(chars, str) else "".join(chars)
    for match in _BRACKET_RE.finditer(text):
        i = match.start()
        ch = match.group()
        if types[i] != "O":
            continue
        ch = CANONICAL_BRACKET.get(ch, ch)
        closing = OPENING_TO_CLOSING.get(ch)
        if closing is not None:
            if len(stack) == 63:
                break
            stack.append((CANONICAL_BRACKET.get(closing, closing), i))
            continue
        if ch in CLOSING_TO_OPENING:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == ch:
                    pairs.append((stack[depth][1], i))
                    del stack[depth:]
                    break
    pairs.sort()
    return pairs


def _resolve_brackets(
    types: str, original: str, chars: Sequence[str], sos: str, embedding: str
) -> str:
    """N0: brackets of a pair take the direction of what they enclose (or of their context)."""
    pairs = _bracket_pairs(types, chars)
    if not pairs:
        return types
    resolved = types
    opposite = "R" if embedding == "L" else "L"
    for opening, closing in pairs:
        inside = resolved[opening + 1 : closing].translate(_STRONG_AS_R)
        if embedding in inside:
            direction = embedding
        elif opposite in inside:
            last_l = resolved.rfind("L", 0, opening)
            last_r = max(resolved.rfind(c, 0, opening) for c in "REN")
            context = sos if last_l == last_r else ("L" if last_l > last_r else "R")
            direction = opposite if context == opposite else embedding
        else:
            continue
        for pos in (opening, closing):
            end = pos + 1
            while end < len(original) and original[end] == "M":
                end += 1  # NSMs after a bracket follow it (they were ON by W1)
            resolved = resolved[:pos] + direction * (end - pos) + resolved[end:]
    return resolved


def resolve_sequence(types: str, chars: Sequence[str], level: int, sos: str, eos: str) -> bytes:
    """W1-W7, N0-N2 and I1-I2 for one isolating run sequence; returns its resolved levels.

    ``types`` holds the class codes after the explicit rules (overrides applied), ``chars`` the
    characters (for bracket pairs), ``sos``/``eos`` are ``"L"`` or ``"R"``.
    """
    original = types
    s = types
    if "M" in s:
        s = _NSM_RE.sub(_w1, sos + s)[1:]
    if "A" in s:
        if "E" in s:
            s = _W2_RE.sub(_w2, s)
        s = s.replace("A", "R")
    if "P" in s or "C" in s:
        s = _W4_EN_RE.sub("E", s)
        s = _W4_AN_RE.sub("N", s)
    if "T" in s and "E" in s:
        s = _W5_RE.sub(_to_en, s)
    s = s.translate(_W6_TABLE)
    if "E" in s:
        s = _W7_RE.sub(_w7, sos + s)[1:]
    embedding = "R" if level & 1 else "L"
    if "O" in s and _BRACKET_RE.search(chars if isinstance(chars, str) else "".join(chars)):
        s = _resolve_brackets(s, original, chars, sos, embedding)
    framed = sos + s + eos
    if embedding == "R":
        framed = _N1_L_RE.sub(_to_l, framed).translate(_NI_TO_R)
    else:
        framed = _N1_R_RE.sub(_to_r, framed).translate(_NI_TO_L)
    s = framed[1:-1]
    return s.translate(_level_table(level)).encode("latin-1")


_LEVEL_TABLES: dict[int, dict[int, int]] = {}


def _level_table(level: int) -> dict[int, int]:
    """I1-I2 as a translate table: resolved type code -> chr(resolved level)."""
    table = _LEVEL_TABLES.get(level)
    if table is None:
        if level & 1:
            table = {ord("L"): level + 1, ord("E"): level + 1, ord("N"): level + 1, ord("R"): level}
        else:
            table = {ord("L"): level, ord("R"): level + 1, ord("E"): level + 2, ord("N"): level + 2}
        _LEVEL_TABLES[level] = table
    return table


# --- explicit levels (X1-X8) and run sequences (X9-X10) ----------------------------------------

#: Level given to characters removed by X9 in :class:`ParagraphLevels.levels`.
REMOVED = 255


@dataclass(frozen=True, slots=True)
class ParagraphLevels:
    """The resolved embedding levels of one paragraph.

    ``levels[i]`` is the level of character ``i`` (``REMOVED`` for characters removed by X9);
    ``codes`` the original class codes, which L1 needs per line.
    """

    level: int
    levels: bytearray
    codes: str

    @property
    def uniform(self) -> bool:
        """Every character at the paragraph level (then every line reads in one direction)."""
        return self.levels.count(self.level) == len(self.levels)


def _explicit(codes: str, base: int, matches: dict[int, int]) -> tuple[bytearray, list[str]]:
    """X1-X8: explicit embedding levels and override-adjusted types for every character."""
    n = len(codes)
    levels = bytearray(n)
    types = list(codes)
    stack: list[tuple[int, str, bool]] = [(base, "", False)]
    overflow_isolates = 0
    overflow_embeddings = 0
    valid_isolates = 0
    for i, c in enumerate(codes):
        level, override, _isolate = stack[-1]
        if c in "1234":
            new_level = (level + 2) & ~1 if c in "13" else (level + 1) | 1
            levels[i] = level
            if new_level <= MAX_DEPTH and overflow_isolates == 0 and overflow_embeddings == 0:
                stack.append((new_level, "L" if c == "3" else "R" if c == "4" else "", False))
            elif overflow_isolates == 0:
                overflow_embeddings += 1
        elif c in "678":
            levels[i] = level
            if override:
                types[i] = override
            rtl = c == "7"
            if c == "8":
                end = matches.get(i, n)
                rtl = first_strong_level(codes, i + 1, end) == 1
            new_level = (level + 1) | 1 if rtl else (level + 2) & ~1
            if new_level <= MAX_DEPTH and overflow_isolates == 0 and overflow_embeddings == 0:
                valid_isolates += 1
                stack.append((new_level, "", True))
            else:
                overflow_isolates += 1
        elif c == "9":
            if overflow_isolates > 0:
                overflow_isolates -= 1
            elif valid_isolates:
                overflow_embeddings = 0
                while not stack[-1][2]:
                    stack.pop()
                stack.pop()
                valid_isolates -= 1
            level, override, _isolate = stack[-1]
            levels[i] = level
            if override:
                types[i] = override
        elif c == "5":
            levels[i] = level
            if overflow_isolates > 0:
                pass
            elif overflow_embeddings > 0:
                overflow_embeddings -= 1
            elif not stack[-1][2] and len(stack) >= 2:
                stack.pop()
        elif c == "Q":
            levels[i] = base
        elif c == "B":
            levels[i] = level
        else:
            levels[i] = level
            if override:
                types[i] = override
    return levels, types


def _run_sequences(codes: str, levels: bytearray, matches: dict[int, int]) -> list[list[int]]:
    """X10 (BD13): isolating run sequences as lists of kept (non-X9-removed) indices."""
    runs: list[list[int]] = []
    current: list[int] = []
    current_level = -1
    for i, c in enumerate(codes):
        if c in REMOVED_CODES:
            continue
        if levels[i] != current_level and current:
            runs.append(current)
            current = []
        current_level = levels[i]
        current.append(i)
    if current:
        runs.append(current)
    run_of_start = {run[0]: k for k, run in enumerate(runs)}
    consumed: set[int] = set()
    sequences: list[list[int]] = []
    for k, run in enumerate(runs):
        if k in consumed:
            continue
        sequence = list(run)
        while codes[sequence[-1]] in _ISOLATE_INITIATORS and sequence[-1] in matches:
            nxt = run_of_start.get(matches[sequence[-1]])
            if nxt is None:
                break
            consumed.add(nxt)
            sequence.extend(runs[nxt])
        sequences.append(sequence)
    return sequences


def resolve_paragraph(
    text: str, base_level: int | None = None, codes: str | None = None
) -> ParagraphLevels:
    """Resolve every character's embedding level in one paragraph (P2-P3, X1-I2).

    ``codes`` may override the class codes of ``text`` (the layout shows control characters as
    visible symbols, which then act as ON). ``base_level`` None means P2-P3.
    """
    if codes is None:
        codes = class_string(text)
    if base_level is None:
        found = first_strong_level(codes)
        base_level = 0 if found is None else found
    base = base_level
    e = "R" if base & 1 else "L"
    if not _EXPLICIT_RE.search(codes) and "Q" not in codes:
        if "B" not in codes:
            return ParagraphLevels(
                base, bytearray(resolve_sequence(codes, text, base, e, e)), codes
            )
        kept = [i for i, c in enumerate(codes) if c != "B"]
        levels = bytearray([REMOVED]) * len(codes)
        resolved = resolve_sequence(codes.replace("B", ""), [text[i] for i in kept], base, e, e)
        for i, lv in zip(kept, resolved, strict=True):
            levels[i] = lv
        return ParagraphLevels(base, levels, codes)

    matches = _matching_pdis(codes)
    explicit, types = _explicit(codes, base, matches)
    levels = bytearray([REMOVED]) * len(codes)
    n = len(codes)
    for sequence in _run_sequences(codes, explicit, matches):
        first, last = sequence[0], sequence[-1]
        level = explicit[first]
        prev = first - 1
        while prev >= 0 and codes[prev] in REMOVED_CODES:
            prev -= 1
        before = explicit[prev] if prev >= 0 else base
        if codes[last] in _ISOLATE_INITIATORS and last not in matches:
            after = base
        else:
            nxt = last + 1
            while nxt < n and codes[nxt] in REMOVED_CODES:
                nxt += 1
            after = explicit[nxt] if nxt < n else base
            if codes[last] in _ISOLATE_INITIATORS:
                after = base
        sos = "R" if max(level, before) & 1 else "L"
        eos = "R" if max(level, after) & 1 else "L"
        seq_types = "".join(types[i] for i in sequence)
        resolved = resolve_sequence(seq_types, [text[i] for i in sequence], level, sos, eos)
        for i, lv in zip(sequence, resolved, strict=True):
            levels[i] = lv
    return ParagraphLevels(base, levels, codes)


# --- per line: L1 and L2 -----------------------------------------------------------------------

_L1_RE = re.compile(r"[W1-9B]*[SQ]|[W1-9B]+\Z")
_RUN_RES: dict[int, re.Pattern[bytes]] = {}


def _runs_at_least(level: int) -> re.Pattern[bytes]:
    pattern = _RUN_RES.get(level)
    if pattern is None:
        pattern = re.compile(b"[" + re.escape(bytes([level])) + b"-\x7e]+")
        _RUN_RES[level] = pattern
    return pattern


def line_levels(par: ParagraphLevels, start: int, end: int) -> bytearray:
    """The levels of characters [start, end) as one line, after rule L1."""
    levels = par.levels[start:end]
    base = par.level
    for match in _L1_RE.finditer(par.codes, start, end):
        a, b = match.start() - start, match.end() - start
        if REMOVED in levels[a:b]:
            for i in range(a, b):
                if levels[i] != REMOVED:
                    levels[i] = base
        else:
            levels[a:b] = bytes((base,)) * (b - a)
    return levels


def reorder_line(par: ParagraphLevels, start: int, end: int) -> list[int]:
    """L1-L2: paragraph indices of line [start, end) in visual order, X9-removed chars skipped."""
    levels = line_levels(par, start, end)
    if REMOVED in levels:
        order = [start + i for i, lv in enumerate(levels) if lv != REMOVED]
        levels = bytearray(lv for lv in levels if lv != REMOVED)
    else:
        order = list(range(start, end))
    if not levels:
        return order
    lowest = min(levels)
    if levels.count(lowest) == len(levels):  # one direction: nothing or everything reverses
        if lowest & 1:
            order.reverse()
        return order
    highest = max(levels)
    lowest_odd = lowest | 1
    for level in range(highest, lowest_odd - 1, -1):
        if level == lowest:  # every character is at this level or above: reverse the line
            order.reverse()
            break
        for match in _runs_at_least(level).finditer(levels):
            a, b = match.span()
            order[a:b] = order[a:b][::-1]
    return order


def visual_order(text: str, base_level: int | None = None) -> tuple[int, list[int], list[int]]:
    """Whole text as one line: (paragraph level, levels with REMOVED, visual order). For tests."""
    par = resolve_paragraph(text, base_level)
    return par.level, list(line_levels(par, 0, len(text))), reorder_line(par, 0, len(text))


Reorderer = Callable[[ParagraphLevels, int, int], list[int]]
