"""What a figure counts (killed, injured, arrested, a distance), and when it counts nothing.

The measure is read from the words next to the number, nearest first: a length unit after it
("15 كيلومترا"), a measure word after it ("89 قتيلا") or after its counted noun ("17 شخصا
قتلوا"), one inside the qualified expression ("30 قتيلا على الأقل"), else the nearest measure
word or two-word phrase ("أودى بحياة") before it in its clause ("قتل أكثر من 80"). The guards
say when a figure beside a measure word is still not its count: two measures counted together
("مقتل وإصابة 25"), an area or a speed, a duration, a percentage, a position, a part of another
figure ("بينهم 12 طفلا"), واحد or اثنان used as an adjective. These are the rules a wrong
measure is traced to, so they sit apart from reading the number (:mod:`index.claims_numbers`)
and from assembling the claim (:mod:`index.claims`).
"""

from __future__ import annotations

import unicodedata

from index.claims_context import Tok
from index.claims_lexicon import (
    AREA_VOLUME_WORDS,
    CLAUSE_CONNECTORS,
    COUNTED_NOUNS,
    DIMENSION_NOUNS,
    DISTANCE_UNITS,
    DURATION_UNITS,
    KILO,
    NON_PERSON_NOUNS,
    ONE_TWO,
    PER_HOUR_WORDS,
    PERCENT_WORDS,
    POSITION_NOUNS,
    PRONOUN_SUFFIXES,
    SCHEME_VICTIMS,
    SCHEME_WORDS,
    SUBSET_WORDS,
    VICTIM_NOUNS,
    N,
    has_form_in,
    measure_of,
    measure_of_norm,
    measure_of_pair,
    number_word,
    strip_clitics,
)
from index.claims_numbers import Number

_WINDOW_BEFORE = 7
_WINDOW_AFTER = 2


def find_measure(
    toks: list[Tok], first: int, last: int, numbers_at: set[int]
) -> tuple[str | None, float]:
    """The measure of the number spanning tokens [first, last] and its unit factor."""
    # A unit right after the number (possibly after the counted noun) decides distance.
    for j in range(last + 1, min(len(toks), last + 1 + _WINDOW_AFTER)):
        if toks[j].kind != "word":
            break
        unit = DISTANCE_UNITS.get(toks[j].norm)
        if (
            toks[j].norm == KILO
            and j + 1 < len(toks)
            and DISTANCE_UNITS.get(toks[j + 1].norm) == DISTANCE_UNITS[N("متر")]
        ):
            return ("distance_km", 1.0) if _is_length(toks, j + 1) else (None, 1.0)
        if unit is not None:
            return ("distance_km", unit) if _is_length(toks, j) else (None, 1.0)
    # A measure word right after the number: "89 قتيلا", "15 جريحا" (a noun, not the next
    # clause's verb: "قتل نحو 30 وأصيب العشرات").
    if (
        last + 1 < len(toks)
        and toks[last + 1].kind == "word"
        and not toks[last + 1].norm.startswith("و")
    ):
        measure = measure_of_norm(toks[last + 1].norm)
        if measure:
            return (None, 1.0) if _combined(toks, last + 1, (first, last)) else (measure, 1.0)
        # after its counted noun: "15 حالة وفاة", "17 شخصا قتلوا"
        if (
            toks[last + 1].norm in COUNTED_NOUNS
            and last + 2 < len(toks)
            and toks[last + 2].kind == "word"
            # the word as written, so "وفاة" counts and the next clause's "وأصيب" does not
            and (measure := measure_of([toks[last + 2].norm]))
        ):
            return measure, 1.0
    # A counted noun inside the expression, before an after-qualifier: "30 قتيلا على الأقل".
    for j in range(first + 1, last + 1):
        if toks[j].kind == "word" and (measure := measure_of_norm(toks[j].norm)):
            return measure, 1.0
    # Else the nearest measure word before it in the same sentence, not past another number.
    seen = 0
    j = first - 1
    while j >= 0 and seen < _WINDOW_BEFORE:
        tok = toks[j]
        if tok.kind == "stop" or j in numbers_at:
            break
        if tok.kind == "word":
            if tok.norm in CLAUSE_CONNECTORS:
                break  # "قتل قائدا كما أسرت 11 حوثيا": another clause, another verb
            seen += 1
            measure = measure_of_norm(tok.norm) or _pair_measure(toks, j)
            if measure:
                if j > 0 and j - 1 in numbers_at and not tok.norm.startswith("و"):
                    break  # "ارتفعت إلى 32 قتيلا، وأن 29 شخصا": قتيلا is the 32's noun
                return (None, 1.0) if _combined(toks, j, (first, last)) else (measure, 1.0)
        j -= 1
    return None, 1.0


def _pair_measure(toks: list[Tok], j: int) -> str | None:
    """The measure of the two-word phrase ending at token ``j`` ("أودى بحياة", "راح ضحيتها");
    "راح ضحيته" of a fraud or of its buyers and clients is no death (see SCHEME_WORDS)."""
    if j == 0 or toks[j - 1].kind != "word":
        return None
    measure = measure_of_pair(toks[j - 1].norm, toks[j].norm)
    if measure and has_form_in(toks[j].norm, VICTIM_NOUNS):
        around = [
            t for t in (*toks[max(0, j - 8) : j - 1], *toks[j + 1 : j + 6]) if t.kind == "word"
        ]
        if any(
            f in SCHEME_WORDS or f in SCHEME_VICTIMS for t in around for f in strip_clitics(t.norm)
        ):
            return None
    return measure


def _combined(toks: list[Tok], at: int, own: tuple[int, int]) -> bool:
    """Whether the measure word at ``at`` is half of a pair ("مقتل وإصابة 25", "عشرات القتلى
    والجرحى"): the number counts both together, which is neither measure."""
    here = measure_of_norm(toks[at].norm)
    for k in (at - 1, at + 1):
        if 0 <= k < len(toks) and toks[k].kind == "word":
            other = toks[k].norm
            joined = other if k > at else toks[at].norm
            if joined.startswith("و") and (m := measure_of_norm(other)) and m != here:
                start = min(at, k)
                if _has_pronoun(toks[start]):
                    return False  # "لقي شخصان حتفهما وأصيب ثلاثة": حتفهما is theirs
                # "لقي 4 أشخاص مصرعهم وأصيب 4": the first word is an earlier number's
                return not any(
                    toks[b].kind == "num" or (toks[b].kind == "word" and number_word(toks[b].norm))
                    for b in range(max(0, start - 3), start)
                    if not own[0] <= b <= own[1]
                )
    return False


def _has_pronoun(tok: Tok) -> bool:
    """Whether the word ends in an attached pronoun ("حتفهم", "مصرعه"): it refers to people
    counted before it, so it cannot share a number after it with the next measure word. Read on
    the written text, where the pronoun ه is not the ة of "إصابة"."""
    bare = "".join(c for c in tok.text if unicodedata.category(c) != "Mn")
    return bare.endswith(PRONOUN_SUFFIXES)


def _is_length(toks: list[Tok], unit_at: int) -> bool:
    """Whether the length unit at ``unit_at`` measures a length: not an area or volume
    ("متر مربع"), not a speed ("كم/ساعة", "كيلومترا في الساعة")."""
    after = toks[unit_at + 1 : unit_at + 3]
    if after and after[0].kind == "word" and after[0].norm in AREA_VOLUME_WORDS:
        return False
    if len(after) == 2 and after[1].kind == "word" and after[1].norm in PER_HOUR_WORDS:
        return not (after[0].text == "/" or after[0].norm == N("في"))
    return True


def word_at_in(toks: list[Tok], k: int, words: frozenset[str]) -> bool:
    """Whether token ``k`` exists, is a word, and is one of ``words`` (:func:`has_form_in`):
    the word just before or after a number, which the count guards look at."""
    return 0 <= k < len(toks) and toks[k].kind == "word" and has_form_in(toks[k].norm, words)


def names_a_dimension(toks: list[Tok], number: Number) -> bool:
    """Whether the number follows a dimension noun ("عن مسافة 100", "على ارتفاع 300"): a
    distance, height or age, so never a count of people — whatever measure word is near."""
    return word_at_in(toks, number.first - 1, DIMENSION_NOUNS)


def is_not_a_count(toks: list[Tok], number: Number) -> bool:
    """A number near a measure word that is not the count of that measure: a duration ("خلال 3
    أشهر"), a part of another figure ("بينهم 12 طفلا"), or واحد/اثنان after a noun, where they
    are adjectives ("عائلة واحدة") — counted one and two read "واحد من ..."."""
    after = toks[number.last + 1] if number.last + 1 < len(toks) else None
    if word_at_in(toks, number.last + 1, DURATION_UNITS):
        return True
    if after is not None and (
        after.kind == "pct"
        or after.norm in PERCENT_WORDS
        or (
            after.norm == N("في")
            and number.last + 2 < len(toks)
            and toks[number.last + 2].norm in PERCENT_WORDS
        )
    ):
        return True  # "حروق على 90% من جسدها": a percentage
    if word_at_in(toks, number.first - 1, POSITION_NOUNS):
        return True  # "في الدقيقة 76": a position or a time, not a count
    if word_at_in(toks, number.last + 1, NON_PERSON_NOUNS):
        return True  # "مباشرة 4 فرق أرضية": teams, not the injured named before
    if word_at_in(toks, number.first - 1, SUBSET_WORDS):
        return True
    first = toks[number.first]
    if first.kind == "word" and has_form_in(first.norm, ONE_TWO):
        return not (after is not None and after.norm == N("من"))
    return False
