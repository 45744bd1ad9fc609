"""Quantified claims in news text ("more than 80 killed") and where outlets disagree on them.

A claim is a number with its *measure* (killed, injured, arrested, distance, date, year) read from
the words around it, and an interval that says what the words commit to: a bare number is exact,
``أكثر من 80`` is ``[81, inf]``, ``نحو 100`` is ``[90, 110]``. Two outlets disagree when their
intervals for the same measure cannot both be true. Intervals (not point values) are the point:
"more than 80" and "84" are consistent, "84" and "89" are not.

Approximation width: an approximate figure (نحو/حوالي/قرابة/ما يقرب من/زهاء/تقريبا) covers
±10 % of the stated value. Journalists round to one significant step, and Arabic qualifiers do
not reliably say from which side ("ما يقرب من" is used for both "nearly" and "about"), so the
interval is symmetric. With it 89 vs "about 100" is flagged while "more than 80" and "at least 84"
stay consistent with everything they should.

Event guard: a number about another event must not be compared. Two signals are read here from
the text alone (:attr:`Claim.guarded_reason`): an explicit year phrase before the number in the
same sentence ("وفي عام 2022 ...") that is not the article's own year. The story-level guard
(places and months the other outlets never mention, e.g. Moscow or Gaza) needs the story and is
applied by :func:`guard_in_story`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from index.arabic import normalize_token
from index.claims_lexicon import (
    AFTER_QUALIFIERS,
    BEFORE_QUALIFIERS,
    DISTANCE_UNITS,
    DURATION_UNITS,
    MONTHS,
    MULTIPLIERS,
    ONE_TWO,
    SINCE_WORDS,
    SUBSET_WORDS,
    TEEN_TAIL,
    TENS,
    YEAR_WORDS,
    N,
    canonical_place,
    event_kind,
    measure_of_norm,
    number_word,
    parse_digits,
    place_of,
    strip_clitics,
)
from index.models import Article, Passage, Span

#: Measures whose values are compared across outlets. Dates and years are extracted (the panel
#: shows them) but not flagged: a date attaches to many events of one story (the attack, the
#: claim of responsibility, the report) and the surrounding words cannot tell them apart.
COMPARED_MEASURES: frozenset[str] = frozenset({"killed", "injured", "arrested", "distance_km"})

#: Half-width of an approximate figure's interval, relative to its value (see module docstring).
APPROXIMATION = 0.10

_DIGITS = "0-9\u0660-\u0669\u06f0-\u06f9"
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640"
# A number (with decimal/thousands separators), a word (with harakat), or a sentence/clause mark.
_TOKEN = re.compile(
    rf"(?P<num>[{_DIGITS}]+(?:[.,\u066b\u066c][{_DIGITS}]+)*)"
    rf"|(?P<word>(?:[^\W\d_]|[{_MARKS}])+)"
    r"|(?P<stop>[.!?؟;؛\n])"
    r"|(?P<comma>[,،(){}\[\]/])"
)


@dataclass(frozen=True, slots=True)
class Claim:
    """A quantified statement of one passage: measure, interval and where it is written."""

    passage_id: str
    article_id: str
    source: str | None
    measure: str
    low: float
    high: float
    value_text: str
    span: Span
    approximate: bool
    guarded_reason: str | None = None
    #: Places and month names named in the claim's sentence (normalized), for the story guard.
    context_places: tuple[str, ...] = ()
    context_months: tuple[str, ...] = ()
    #: Kinds of event named in the claim's sentence (bombing, shelling, clashes...), see
    #: :func:`same_event_kind`.
    context_events: tuple[str, ...] = ()
    #: Claims of one story whose sentences report the same event share a group (set by the
    #: index pipeline, :mod:`index.links_store`); only claims of one group are compared.
    event_group: str | None = None
    #: Passages (of other outlets) whose claims this one may be flagged against: their text,
    #: each with the passage before it, is directly similar to this claim's (set with
    #: ``event_group``). A group is transitive, for showing every outlet's figure; a flag
    #: needs direct evidence that both sentences report the same event.
    comparable_passages: tuple[str, ...] = ()

    def consistent_with(self, other: Claim) -> bool:
        """Whether both intervals can be true at once (they overlap)."""
        return self.low <= other.high and other.low <= self.high

    @property
    def outlet(self) -> str:
        """The outlet key: the source, or the article itself when the source is unknown."""
        return self.source if self.source is not None else f"article:{self.article_id}"


@dataclass(frozen=True, slots=True)
class Disagreement:
    """Two claims of one measure from different outlets whose intervals cannot both be true."""

    measure: str
    first: Claim
    second: Claim


@dataclass(frozen=True, slots=True)
class NumbersRow:
    """What the panel shows under a passage: every outlet's figure for one measure."""

    measure: str
    claims: tuple[Claim, ...]
    disagreements: tuple[Disagreement, ...]


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # "num" | "word" | "stop" | "comma"
    start: int
    end: int
    text: str
    norm: str


def _lex(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "word"
        raw = m.group(0)
        norm = normalize_token(raw) if kind in ("word", "num") else raw
        out.append(_Tok(kind, m.start(), m.end(), raw, norm))
    return out


def _month_of(toks: list[_Tok], i: int) -> tuple[str, int] | None:
    """The month named at token ``i`` (two-word Levantine names included): (name, tokens used)."""
    if toks[i].kind != "word":
        return None
    for form in strip_clitics(toks[i].norm):
        if i + 1 < len(toks) and toks[i + 1].kind == "word":
            pair = f"{form}_{toks[i + 1].norm}"
            if pair in MONTHS:
                return pair, 2
        if form in MONTHS and form not in (N("كانون"), N("تشرين")):
            return form, 1
    return None


# --- extraction -------------------------------------------------------------------------------


@dataclass(slots=True)
class _Number:
    first: int  # token index of the first token of the number expression (qualifier included)
    last: int  # token index of the last token
    low: float
    high: float
    approximate: bool
    kind: str  # "digits" | "word"
    value: float


def _match_phrase(toks: list[_Tok], i: int, phrase: tuple[str, ...]) -> bool:
    if i < 0 or i + len(phrase) > len(toks):
        return False
    return all(toks[i + k].kind == "word" and toks[i + k].norm == w for k, w in enumerate(phrase))


def _read_number(toks: list[_Tok], i: int) -> tuple[float, float, int, bool] | None:
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
    if i + used < len(toks) and toks[i + used].kind == "word":
        mult = MULTIPLIERS.get(toks[i + used].norm) or MULTIPLIERS.get(
            toks[i + used].norm[2:] if toks[i + used].norm.startswith("ال") else ""
        )
        if mult and not (kind == "tens" and low >= 1000):
            low, high = low * mult, high * mult
            used += 1
    return low, high, used, kind == "vague"


def _qualify(
    toks: list[_Tok], first: int, last: int, low: float, high: float
) -> tuple[int, int, float, float, bool]:
    """Widen [low, high] by the qualifier before (or after) the number; returns new bounds."""
    approximate = False
    kind = None
    for phrase, qkind in BEFORE_QUALIFIERS:
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


def _match_phrase_stripped(toks: list[_Tok], i: int, phrase: tuple[str, ...]) -> bool:
    """Like :func:`_match_phrase`, the first token allowed a leading و (ونحو, وأكثر من)."""
    if i + len(phrase) > len(toks) or toks[i].kind != "word" or toks[i].norm[1:] != phrase[0]:
        return False
    return _match_phrase(toks, i + 1, phrase[1:]) if len(phrase) > 1 else True


_WINDOW_BEFORE = 7
_WINDOW_AFTER = 2


def _find_measure(
    toks: list[_Tok], first: int, last: int, numbers_at: set[int]
) -> tuple[str | None, float]:
    """The measure of the number spanning tokens [first, last] and its unit factor."""
    # A unit right after the number (possibly after the counted noun) decides distance.
    for j in range(last + 1, min(len(toks), last + 1 + _WINDOW_AFTER)):
        if toks[j].kind != "word":
            break
        unit = DISTANCE_UNITS.get(toks[j].norm)
        if unit is not None:
            return "distance_km", unit
    # A measure word right after the number: "89 قتيلا", "15 جريحا" (a noun, not the next
    # clause's verb: "قتل نحو 30 وأصيب العشرات").
    if (
        last + 1 < len(toks)
        and toks[last + 1].kind == "word"
        and not toks[last + 1].norm.startswith("و")
    ):
        measure = measure_of_norm(toks[last + 1].norm)
        if measure:
            return measure, 1.0
    # Else the nearest measure word before it in the same sentence, not past another number.
    seen = 0
    j = first - 1
    while j >= 0 and seen < _WINDOW_BEFORE:
        tok = toks[j]
        if tok.kind == "stop" or j in numbers_at:
            break
        if tok.kind == "word":
            seen += 1
            measure = measure_of_norm(tok.norm)
            if measure:
                return measure, 1.0
        j -= 1
    return None, 1.0


def _is_not_a_count(toks: list[_Tok], number: _Number) -> bool:
    """A number near a measure word that is not the count of that measure: a duration ("خلال 3
    أشهر"), a part of another figure ("بينهم 12 طفلا"), or واحد/اثنان after a noun, where they
    are adjectives ("عائلة واحدة") — counted one and two read "واحد من ..."."""
    after = toks[number.last + 1] if number.last + 1 < len(toks) else None
    if (
        after is not None
        and after.kind == "word"
        and any(f in DURATION_UNITS for f in strip_clitics(after.norm))
    ):
        return True
    before = toks[number.first - 1] if number.first > 0 else None
    if (
        before is not None
        and before.kind == "word"
        and any(f in SUBSET_WORDS for f in strip_clitics(before.norm))
    ):
        return True
    first = toks[number.first]
    if first.kind == "word" and any(f in ONE_TWO for f in strip_clitics(first.norm)):
        return not (after is not None and after.norm == N("من"))
    return False


def _sentence_bounds(toks: list[_Tok], i: int) -> tuple[int, int]:
    start = i
    while start > 0 and toks[start - 1].kind != "stop":
        start -= 1
    end = i
    while end + 1 < len(toks) and toks[end + 1].kind != "stop":
        end += 1
    return start, end


def _year_before(toks: list[_Tok], sent_start: int, first: int) -> int | None:
    """An explicit year phrase ("في عام 2022", "عام 2017") before the number in its sentence."""
    for j in range(sent_start, first):
        tok = toks[j]
        if tok.kind != "num" or len(tok.norm) != 4 or not tok.norm.isdigit():
            continue
        year = int(tok.norm)
        if not 1900 <= year <= 2100:
            continue
        prev = [t.norm for t in toks[max(sent_start, j - 2) : j] if t.kind == "word"]
        if any(w in SINCE_WORDS for w in prev):
            continue  # "منذ ثورة 1979": a reference point, not the time of the event
        if prev and (
            prev[-1] in YEAR_WORDS or any(f in YEAR_WORDS for f in strip_clitics(prev[-1]))
        ):
            return year
    return None


def extract_claims_from_text(
    text: str,
    *,
    passage_id: str = "",
    article_id: str = "",
    source: str | None = None,
    offset: int = 0,
    article_year: int | None = None,
    toks: list[_Tok] | None = None,
) -> list[Claim]:
    """The claims in ``text``; spans are shifted by ``offset`` (the passage's start in its article).
    ``toks`` is ``text`` already lexed (by :func:`article_claims_and_mentions`)."""
    if toks is None:
        toks = _lex(text)
    numbers: list[_Number] = []
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
        numbers.append(_Number(first, last, low, high, approximate or vague, kind, value))
        i += used
    numbers_at = {k for n in numbers for k in range(n.first, n.last + 1)}
    claims: list[Claim] = []
    previous_measure: str | None = None
    previous_last = -10
    for number in numbers:
        own = set(range(number.first, number.last + 1))
        measure, factor = _find_measure(toks, number.first, number.last, numbers_at - own)
        low, high = number.low, number.high
        month = None
        nxt = number.last + 1
        if nxt < len(toks):
            month = _month_of(toks, nxt)
        is_year = (
            number.kind == "digits"
            and 1900 <= number.value <= 2100
            and number.value == int(number.value)
        )
        if month is not None and number.kind == "digits" and number.value <= 31:
            measure, factor = "date", 1.0
            low = high = MONTHS[month[0]] * 100 + number.value  # MMDD, comparable within a year
        elif (
            is_year and (measure is None or measure == "distance_km") and number.low == number.high
        ):
            measure = "year"
        if measure is None:
            continue
        if measure in COMPARED_MEASURES and _is_not_a_count(toks, number):
            continue
        # A parenthesised conversion right after a claim ("820 كيلومترا (510 ميلا)") repeats it.
        if measure == previous_measure and number.first - previous_last <= 3:
            between = toks[previous_last + 1 : number.first]
            if any(t.text == "(" for t in between):
                continue
        previous_measure, previous_last = measure, number.last
        low, high = low * factor, high * factor
        span_start = toks[number.first].start
        span_end = toks[number.last].end
        sent_start, sent_end = _sentence_bounds(toks, number.first)
        guarded = None
        if measure in COMPARED_MEASURES:
            year = _year_before(toks, sent_start, number.first)
            if year is not None and year != article_year:
                guarded = f"another year ({year}) is stated before it"
        places = tuple(
            sorted(
                {
                    canonical_place(p)
                    for t in toks[sent_start : sent_end + 1]
                    if t.kind == "word" and (p := place_of(t.norm)) is not None
                }
            )
        )
        months = tuple(
            sorted(
                {
                    m[0]
                    for j in range(sent_start, sent_end + 1)
                    if (m := _month_of(toks, j)) is not None
                }
            )
        )
        claims.append(
            Claim(
                passage_id=passage_id,
                article_id=article_id,
                source=source,
                measure=measure,
                low=low,
                high=high,
                value_text=text[span_start:span_end],
                span=Span(offset + span_start, offset + span_end),
                approximate=number.approximate,
                guarded_reason=guarded,
                context_places=places,
                context_months=tuple(f"month:{MONTHS[m]}" for m in months),
                context_events=tuple(
                    sorted(
                        {
                            event
                            for t in toks[sent_start : sent_end + 1]
                            if t.kind == "word" and (event := event_kind(t.norm)) is not None
                        }
                    )
                ),
            )
        )
    return claims


def _article_year(article: Article) -> int | None:
    if article.date and len(article.date) >= 4 and article.date[:4].isdigit():
        return int(article.date[:4])
    return None


def extract_claims(passage: Passage, article: Article) -> list[Claim]:
    """The claims of one passage of ``article`` (spans in the article's clean text)."""
    return extract_claims_from_text(
        passage.text,
        passage_id=passage.id,
        article_id=article.id,
        source=article.source,
        offset=passage.start,
        article_year=_article_year(article),
    )


def article_claims(article: Article) -> list[Claim]:
    """The claims of every passage of ``article``."""
    return [claim for passage in article.passages for claim in extract_claims(passage, article)]


def article_claims_and_mentions(article: Article) -> tuple[list[Claim], frozenset[str]]:
    """:func:`article_claims` and :func:`mentions_in` of the article's passages, lexed once."""
    claims: list[Claim] = []
    named: set[str] = set()
    year = _article_year(article)
    for passage in article.passages:
        toks = _lex(passage.text)
        claims.extend(
            extract_claims_from_text(
                passage.text,
                passage_id=passage.id,
                article_id=article.id,
                source=article.source,
                offset=passage.start,
                article_year=year,
                toks=toks,
            )
        )
        named |= _mentions(toks)
    return claims, frozenset(named)


# --- story-level comparison -------------------------------------------------------------------


def _outlet_key(claim: Claim) -> str:
    return claim.outlet


def mentions_in(text: str) -> frozenset[str]:
    """Places (canonical) and months ("month:N") named anywhere in ``text``: what an outlet
    mentions, for :func:`guard_in_story`."""
    return frozenset(_mentions(_lex(text)))


def _mentions(toks: list[_Tok]) -> set[str]:
    found: set[str] = set()
    for j, tok in enumerate(toks):
        if tok.kind != "word":
            continue
        place = place_of(tok.norm)
        if place is not None:
            found.add(canonical_place(place))
        month = _month_of(toks, j)
        if month is not None:
            found.add(f"month:{MONTHS[month[0]]}")
    return found


def guard_in_story(claims: Sequence[Claim], mentions: Mapping[str, frozenset[str]]) -> list[Claim]:
    """Mark claims about another event, judged against the story's other outlets.

    ``mentions`` maps each outlet of the story to what its articles name (:func:`mentions_in`).
    A place or month named in a claim's sentence that no *other* outlet of the story names
    anywhere points at another event: Moscow's 144 in a story about Kerman, Gaza's 26,000. Only
    the story's outlets vote, so a single-outlet story guards nothing.
    """
    if len(mentions) < 2:
        return list(claims)
    out: list[Claim] = []
    for claim in claims:
        if claim.guarded_reason is not None or claim.measure not in COMPARED_MEASURES:
            out.append(claim)
            continue
        own = _outlet_key(claim)
        others: set[str] = set()
        for outlet, named in mentions.items():
            if outlet != own:
                others |= named
        reason = None
        foreign = [p for p in claim.context_places if p not in others]
        if foreign:
            reason = f"names a place no other outlet mentions ({', '.join(foreign)})"
        elif any(m not in others for m in claim.context_months):
            reason = "names a month no other outlet mentions"
        out.append(replace(claim, guarded_reason=reason) if reason else claim)
    return out


def same_event_kind(first: Claim, second: Claim) -> bool:
    """Whether two claims can be about one event as far as their sentences say: an ongoing
    story (a war, a season of accidents) holds many incidents, and "5 killed" in a car bomb is
    not comparable with "28 killed" in street battles. Sentences that name no kind of event
    ("the attack", "which killed") are compatible with any."""
    if not first.context_events or not second.context_events:
        return True
    return bool(set(first.context_events) & set(second.context_events))


#: Figures further apart than this factor are different quantities (a day's toll and the war's,
#: one town's and the country's), not one quantity reported differently: not flagged.
MAX_DISAGREEMENT_RATIO = 3.0


def _same_order(first: Claim, second: Claim) -> bool:
    low_side, high_side = (first, second) if first.high < second.low else (second, first)
    if low_side.high <= 0:
        return False
    return high_side.low / low_side.high <= MAX_DISAGREEMENT_RATIO


def disagreements(claims: Iterable[Claim]) -> list[Disagreement]:
    """Pairs of comparable claims (same measure, different outlets, unguarded, compatible kinds of
    event) that cannot both hold."""
    comparable = [c for c in claims if c.guarded_reason is None and c.measure in COMPARED_MEASURES]
    out: list[Disagreement] = []
    for i, first in enumerate(comparable):
        for second in comparable[i + 1 :]:
            if first.measure != second.measure or _outlet_key(first) == _outlet_key(second):
                continue
            if not same_event_kind(first, second):
                continue
            if first.event_group != second.event_group:
                continue
            if first.event_group is not None and second.passage_id not in first.comparable_passages:
                continue
            if not first.consistent_with(second) and _same_order(first, second):
                out.append(Disagreement(first.measure, first, second))
    return out


def numbers_rows(passage_id: str, story_claims: Sequence[Claim]) -> list[NumbersRow]:
    """The numbers row(s) for a passage: for each compared measure it states (unguarded), every
    outlet's unguarded claims of that measure about the same event (same ``event_group``) in
    the story, and the disagreements among them."""
    own = [
        c
        for c in story_claims
        if c.passage_id == passage_id
        and c.guarded_reason is None
        and c.measure in COMPARED_MEASURES
    ]
    rows: list[NumbersRow] = []
    for measure in sorted({c.measure for c in own}):
        groups = {c.event_group for c in own if c.measure == measure}
        same = [
            c
            for c in story_claims
            if c.measure == measure and c.guarded_reason is None and c.event_group in groups
        ]
        same.sort(key=lambda c: (_outlet_key(c), c.span.start))
        rows.append(NumbersRow(measure, tuple(same), tuple(disagreements(same))))
    return rows
