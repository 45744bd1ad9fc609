"""Bidi classes of characters (UAX #9 Table 4), one code character per class.

A paragraph's classes are kept as one ``str`` with a single character per code point (``CODE_*``
below: ``A`` for AL, ``N`` for AN, ``6``–``9`` for the isolates…), so :mod:`tui.bidi` can run its
weak and neutral rules as regular expressions over it. This module is only the lookup: the class
of each character from :mod:`unicodedata` (Unicode 14.0 in Python 3.11), the UCD default ranges
for unassigned code points (Hebrew/Arabic blocks are R/AL even when unassigned) and a small
overlay of Unicode 15.0 assignments, so the 15.0 conformance file passes. It is cached per code
point and applied with ``str.translate``; widgets that only need to know "is there
right-to-left text here" (the echoed input) use it without the algorithm.
"""

from __future__ import annotations

import unicodedata

from tui.bidi_data import DEFAULT_RANGES, MIRRORS, UNICODE_15_OVERLAY

# One character per bidi class, so a paragraph's classes are one str and rules can be regexes.
_NAME_TO_CODE: dict[str, str] = {
    "L": "L",
    "R": "R",
    "AL": "A",
    "EN": "E",
    "ES": "P",
    "ET": "T",
    "AN": "N",
    "CS": "C",
    "NSM": "M",
    "BN": "B",
    "B": "Q",
    "S": "S",
    "WS": "W",
    "ON": "O",
    "LRE": "1",
    "RLE": "2",
    "LRO": "3",
    "RLO": "4",
    "PDF": "5",
    "LRI": "6",
    "RLI": "7",
    "FSI": "8",
    "PDI": "9",
}
CODE_TO_NAME: dict[str, str] = {code: name for name, code in _NAME_TO_CODE.items()}


def _class_code(ch: str) -> str:
    """One character's bidi class code (uncached)."""
    cp = ord(ch)
    overlay = UNICODE_15_OVERLAY.get(cp)
    if overlay is not None and unicodedata.bidirectional(ch) == "":
        return overlay
    name = unicodedata.bidirectional(ch)
    if name:
        return _NAME_TO_CODE[name]
    for low, high, code in DEFAULT_RANGES:
        if low <= cp <= high:
            return code
    # Noncharacters and default-ignorable ranges are BN by default.
    if 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE or 0xE0000 <= cp <= 0xE0FFF:
        return "B"
    return "L"


_CLASS_TABLE: dict[int, str] = {cp: _class_code(chr(cp)) for cp in range(128)}


def class_string(text: str) -> str:
    """The bidi class code of every character of ``text``, as a str of the same length.

    Cached per code point and applied with ``str.translate`` (C speed). ASCII is pre-registered,
    so a result that is not all ASCII means some characters were not in the table yet.
    """
    codes = text.translate(_CLASS_TABLE)
    if codes.isascii():
        return codes
    for ch in set(text):
        if ord(ch) not in _CLASS_TABLE:
            _CLASS_TABLE[ord(ch)] = _class_code(ch)
    return text.translate(_CLASS_TABLE)


def bidi_classes(text: str) -> list[str]:
    """Bidi class names (``"L"``, ``"AL"``, ...) of each character; for tests and debugging."""
    return [CODE_TO_NAME[c] for c in class_string(text)]


def mirror(ch: str) -> str:
    """The mirrored glyph of ``ch`` for an odd (right-to-left) level (rule L4), or ``ch``."""
    return MIRRORS.get(ch, ch)
