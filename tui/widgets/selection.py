"""Visual selection inside one passage: where its free end moves by word or by letter.

Offsets are logical (into the passage text). A word move stops at every word start and end in
reading order; a letter move follows the screen: in a right-to-left passage the left arrow
goes forward in the text. Pure functions, so the reader stays a view.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

WORD = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]+")
"""A word: letters and digits with their Arabic marks (harakat, Quranic annotation signs)."""


@dataclass(frozen=True, slots=True)
class Selection:
    """A selection inside one passage: ``anchor`` stays, ``cursor`` moves."""

    passage: int
    anchor: int
    cursor: int

    @property
    def span(self) -> tuple[int, int]:
        """The selected range, half-open, in passage-relative offsets."""
        return (min(self.anchor, self.cursor), max(self.anchor, self.cursor))


def first_word(text: str) -> tuple[int, int]:
    """The span of the first word (where ``v`` starts a selection)."""
    match = WORD.search(text)
    if match is None:
        return (0, min(1, len(text)))
    return match.span()


def move_by_word(text: str, cursor: int, direction: int) -> int:
    """The next (``direction > 0``) or previous word boundary from ``cursor``."""
    stops = sorted({0, len(text)} | {i for m in WORD.finditer(text) for i in m.span()})
    if direction > 0:
        return next((stop for stop in stops if stop > cursor), len(text))
    return next((stop for stop in reversed(stops) if stop < cursor), 0)


def move_by_letter(
    text: str, cursor: int, side: Literal["left", "right"], direction: Literal["rtl", "ltr"]
) -> int:
    """One letter towards ``side`` of the screen, in a paragraph of ``direction``."""
    forward = (side == "left") == (direction == "rtl")
    return max(0, min(cursor + (1 if forward else -1), len(text)))
