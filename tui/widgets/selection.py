"""Visual selection inside one passage: where its free end moves by word or by letter.

Offsets are logical (into the passage text). A word move takes in or gives back one whole word
in reading order, so a selection never ends on the space after a word; a letter move follows
the screen: in a right-to-left passage the left arrow goes forward in the text. Pure
functions, so the reader stays a view.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

WORD = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]+")
"""A word: letters and digits with their Arabic marks (harakat, Quranic annotation signs)."""

_TOKEN = re.compile(r"\S+")
"""A run of non-spaces: a word with the punctuation written against it."""


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
    """The end of the next word (``direction > 0``) or of the previous one, from ``cursor``.

    Stopping only at word ends makes one press one word: stopping at word starts too would
    spend every other press on the space between words and leave the selection ending on it.
    A word ends where its run of non-spaces does, so punctuation written against it (a
    closing «» or "." or "،") comes with it and a quote is never cut inside its marks; a lone
    dash is no stop. The text's start is one, so a selection can shrink to nothing.
    """
    ends = {match.end() for match in _TOKEN.finditer(text) if WORD.search(match.group())}
    stops = sorted({0, len(text.rstrip())} | ends)
    if direction > 0:  # the first stop that takes in a word, not only a word's punctuation
        return next(
            (stop for stop in stops if stop > cursor and WORD.search(text, cursor, stop)),
            max(cursor, stops[-1]),
        )
    return next(
        (stop for stop in reversed(stops) if stop < cursor and WORD.search(text, stop, cursor)),
        0,
    )


def move_by_letter(
    text: str, cursor: int, side: Literal["left", "right"], direction: Literal["rtl", "ltr"]
) -> int:
    """One letter towards ``side`` of the screen, in a paragraph of ``direction``."""
    forward = (side == "left") == (direction == "rtl")
    return max(0, min(cursor + (1 if forward else -1), len(text)))
