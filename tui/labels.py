"""How the app names things in lists that compare outlets: bidi-isolated fields, outlets, measures.

Plain strings (no Textual): the related panel, the story view and the bookmarks list build their
rows from these, so one outlet is called the same everywhere.

Isolates: a row such as "كويت نيوز: 89 ≠ 84" is one bidi paragraph; unisolated, an Arabic
outlet pulls the figure after it to the wrong side and an Arabic tag pulls a comma before "just
now". Each field wrapped in FSI … PDI (UAX #9 isolates, resolved by :mod:`tui.bidi` and never
drawn) is laid out in its own direction in its own slot.
"""

from __future__ import annotations

FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"

#: What an article whose outlet is not stated is called, followed by its first title words: two
#: such articles are two sources, and the same words twice would read as one.
UNKNOWN_OUTLET = "no outlet"
SHORT_TITLE_WORDS = 3

#: What a measure's flags are called when none is stated plainly (``Disagreement.close`` is
#: False): the sentences may report two incidents, or one figure is rough («عشرات») or may count
#: one group of the other's total — the figures differ, and both may still be right.
POSSIBLE_DISAGREEMENT = "figures differ (maybe other incidents, or a rough or partial count)"

#: What the rows call each measure a claim can have.
MEASURE_NAMES = {
    "killed": "killed",
    "injured": "injured",
    "arrested": "arrested",
    "distance_km": "distance (km)",
    "date": "date",
    "year": "year",
}


def isolate(text: str) -> str:
    """``text`` as a bidi isolate: its direction comes from its own first letter, and neither
    it nor its neighbours reorder across its boundary."""
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"


def field_line(*fields: str, separator: str = " · ") -> str:
    """The non-empty ``fields`` joined by ``separator``, each isolated."""
    return separator.join(isolate(field) for field in fields if field)


def outlet_label(source: str | None, title: str = "", text: str = "") -> str:
    """The outlet as a row names it: the stated source, or "no outlet (first title words…)"
    (the first words of ``text`` when there is no title)."""
    if source:
        return source
    words = (title or text).split()
    short = " ".join(words[:SHORT_TITLE_WORDS]).rstrip(":،,.؛")
    if not short:
        return UNKNOWN_OUTLET
    if len(words) > SHORT_TITLE_WORDS:
        short += "…"
    return f"{UNKNOWN_OUTLET} ({isolate(short)})"
