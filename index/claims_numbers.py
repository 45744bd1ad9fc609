"""Reading a figure from lexed tokens: its value, and the interval its qualifier commits to.

A figure is digits ("89", "1,200"), number words ("ثلاثة عشر", "مائة وتسعون", "عشرات"), either
with a multiplier ("3 آلاف", "مليون"); a qualifier before or after it turns the value into an
interval: ``أكثر من 80`` is ``[81, inf]``, ``على الأقل 30`` is ``[30, inf]``, ``أقل من 10`` is
``[0, 9]``, ``نحو 100`` is ``[90, 110]``. What the figure counts is another question
(:mod:`index.claims_measures`); this module is only the arithmetic of the words, kept apart so
"how is نحو 100 read" has one short place to look.

Approximation width: an approximate figure (نحو/حوالي/قرابة/ما يقرب من/زهاء/تقريبا) covers
±10 % of the stated value. Journalists round to one significant step, and Arabic qualifiers do
not reliably say from which side ("ما يقرب من" is used for both "nearly" and "about"), so the
interval is symmetric. With it 89 vs "about 100" is flagged while "more than 80" and "at least 84"
stay consistent with everything they should.

Vague plurals: "عشرات" (tens), "مئات", "آلاف" name an order of magnitude, read as their whole
decade (عشرات 10–99, :data:`index.claims_lexicon.VAGUE`) and marked :attr:`Number.vague`: the
comparison never states a disagreement with them plainly. "بضعة" and "عدد من" are not read as
figures at all (no interval a reader would commit to), so they are never compared.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from index.claims_context import Tok
from index.claims_lexicon import (
    AFTER_QUALIFIERS,
    BEFORE_QUALIFIERS,
    EXCEED_WORDS,
    MULTIPLIERS,
    TEEN_TAIL,
    TENS,
    UNITS,
    number_word,
    parse_digits,
)

#: Half-width of an approximate figure's interval, relative to its value (see module docstring).
APPROXIMATION = 0.10


@dataclass(slots=True)
class Number:
    """A figure found in the tokens: where it is written and the interval it stands for."""

    first: int  # token index of the first token of the number expression (qualifier included)
    last: int  # token index of the last token
    low: float
    high: float
    approximate: bool
    kind: str  # "digits" | "word"
    value: float  # the value as written, before a qualifier widens it (for years and dates)
    #: A plural of an order of magnitude ("عشرات", "مئات", "آلاف", "بضعة"): the words commit
    #: to no count, so a disagreement with it is never stated plainly (see
    #: :func:`index.claims_compare.disagreements`).
    vague: bool = False


def _match_phrase(toks: list[Tok], i: int, phrase: tuple[str, ...]) -> bool:
    if i < 0 or i + len(phrase) > len(toks):
        return False
    return all(toks[i + k].kind == "word" and toks[i + k].norm == w for k, w in enumerate(phrase))


def _read_number(toks: list[Tok], i: int) -> tuple[float, float, int, bool] | None:
    """The number starting at token ``i``: (low, high, tokens used, is_vague)."""
    tok = toks[i]
    if tok.kind == "num":
        value = parse_digits(tok.norm)
        if value is None:
            return None
        used = 1
        if i + 1 < len(toks) and toks[i + 1].kind == "word":
            mult = MULTIPLIERS.get(toks[i + 1].norm)
            if mult:
                value *= mult
                used = 2
        return value, value, used, False
    if tok.kind != "word":
        return None
    found = number_word(tok.norm)
    if found is None:
        return None
    kind, low, high = found
    used = 1
    if kind == "unit" and i + 1 < len(toks) and toks[i + 1].kind == "word":
        nxt = toks[i + 1].norm
        if nxt in TEEN_TAIL and low < 10:
            low = high = low + 10
            used = 2
        elif nxt.startswith("و") and nxt[1:] in TENS and TENS[nxt[1:]] < 100:
            low = high = low + TENS[nxt[1:]]
            used = 2
    elif kind == "tens" and low in (100, 200):
        # "مائة وتسعون" is 190: a hundred joined by و to a unit and/or a ten
        while i + used < len(toks) and toks[i + used].kind == "word":
            nxt = toks[i + used].norm
            part = UNITS.get(nxt[1:]) or TENS.get(nxt[1:]) if nxt.startswith("و") else None
            if part is None or part >= 100:
                break
            low = high = low + part
            used += 1
    if i + used < len(toks) and toks[i + used].kind == "word":
        mult = MULTIPLIERS.get(toks[i + used].norm) or MULTIPLIERS.get(
            toks[i + used].norm[2:] if toks[i + used].norm.startswith("ال") else ""
        )
        if mult and not (kind == "tens" and low >= 1000):
            low, high = low * mult, high * mult
            used += 1
    return low, high, used, kind == "vague"


def _qualify(
    toks: list[Tok], first: int, last: int, low: float, high: float
) -> tuple[int, int, float, float, bool]:
    """Widen [low, high] by the qualifier before (or after) the number; returns new bounds."""
    approximate = False
    kind = None
    # "30 قتيلا على الأقل ومئة جريح": a number joined by و starts a new item, the qualifier
    # before the و belongs to the previous one
    joined = toks[first].kind == "word" and toks[first].norm.startswith("و")
    if first > 0 and toks[first - 1].kind == "word" and toks[first - 1].norm in EXCEED_WORDS:
        kind = "more_than"  # "عدد المصابين تجاوز 30"
        first -= 1
    for phrase, qkind in () if joined or kind else BEFORE_QUALIFIERS:
        start = first - len(phrase)
        if _match_phrase(toks, start, phrase) or (
            start >= 0
            and toks[start].norm.startswith("و")
            and _match_phrase_stripped(toks, start, phrase)
        ):
            kind = qkind
            first = start
            break
    if kind is None:
        for phrase, qkind in AFTER_QUALIFIERS:
            # the qualifier may follow the counted noun: "144 شخصا على الأقل"
            for gap in (0, 1):
                if _match_phrase(toks, last + 1 + gap, phrase):
                    kind = qkind
                    last = last + gap + len(phrase)
                    break
            if kind:
                break
    if kind == "more_than":
        low = math.floor(low) + 1 if low == int(low) else math.nextafter(low, math.inf)
        high = math.inf
    elif kind == "at_least":
        high = math.inf
    elif kind == "less_than":
        high = math.ceil(high) - 1 if high == int(high) else math.nextafter(high, 0.0)
        low = 0.0
    elif kind == "up_to":
        low = 0.0
    elif kind == "about":
        approximate = True
        low, high = low * (1 - APPROXIMATION), high * (1 + APPROXIMATION)
    return first, last, low, high, approximate


def _match_phrase_stripped(toks: list[Tok], i: int, phrase: tuple[str, ...]) -> bool:
    """Like :func:`_match_phrase`, the first token allowed a leading و (ونحو, وأكثر من)."""
    if i + len(phrase) > len(toks) or toks[i].kind != "word" or toks[i].norm[1:] != phrase[0]:
        return False
    return _match_phrase(toks, i + 1, phrase[1:]) if len(phrase) > 1 else True


def numbers_in(toks: list[Tok]) -> list[Number]:
    """Every figure of ``toks``, left to right, each with its qualifier applied."""
    numbers: list[Number] = []
    i = 0
    while i < len(toks):
        read = _read_number(toks, i)
        if read is None:
            i += 1
            continue
        low, high, used, vague = read
        first, last = i, i + used - 1
        first, last, low, high, approximate = _qualify(toks, first, last, low, high)
        value = float(read[0])
        kind = "digits" if toks[i].kind == "num" else "word"
        numbers.append(Number(first, last, low, high, approximate or vague, kind, value, vague))
        i += used
    return numbers
