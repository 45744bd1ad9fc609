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

Event guard: a number about another event must not be compared. Signals read from the text
alone set :attr:`Claim.guarded_reason`: an explicit year before the number in its sentence
("وفي عام 2022 ...") that is not the article's own year, another period ("العام الماضي"), an
earlier event the sentence recalls ("بعد أيام على مقتل"), the report's own superseded toll
("وكانت الحصيلة الأولى"). The story-level guard (places and months the other outlets never
mention, e.g. Moscow or Gaza) needs the story: :func:`index.claims_compare.guard_in_story`.

Two figures of one story are compared (:func:`index.claims_compare.disagreements`) only when
nothing says they count different things: not two localities ("بلدة مندلي" / "منطقة
الطارمية"), not a running total or a series against one incident, not two groups of people
(civilians / security forces), and not when one outlet also states the other's figure (a wire
report's list of incidents copied by both). On SaudiNewsNet these rules took the precision of
the flags from about 5 % to 33-35 % on slices not used to write them (53-59 % on those that
were; BENCHMARKS.md). The readers of a number's context live in :mod:`index.claims_context`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from index.claims_context import (
    Tok,
    clause_end,
    cumulative_markers,
    is_earlier_toll,
    lex,
    localities_in,
    month_of,
    names_another_period,
    recalls_earlier_event,
    sentence_bounds,
    still_in_hospital,
    victim_group_after,
    year_before,
)
from index.claims_lexicon import (
    AFTER_QUALIFIERS,
    AREA_VOLUME_WORDS,
    BEFORE_QUALIFIERS,
    CLAUSE_CONNECTORS,
    COUNTED_NOUNS,
    DISTANCE_UNITS,
    DURATION_UNITS,
    EXCEED_WORDS,
    KILO,
    MONTHS,
    MULTIPLIERS,
    NON_PERSON_NOUNS,
    ONE_TWO,
    PER_HOUR_WORDS,
    PERCENT_WORDS,
    POSITION_NOUNS,
    SUBSET_WORDS,
    TEEN_TAIL,
    TENS,
    UNITS,
    YEAR_PREPOSITIONS,
    N,
    event_kind,
    measure_of,
    measure_of_norm,
    number_word,
    parse_digits,
    strip_clitics,
)
from index.models import Article, Passage, Span
from index.places_lexicon import canonical_place, place_of

#: Measures whose values are compared across outlets. Dates and years are extracted (the panel
#: shows them) but not flagged: a date attaches to many events of one story (the attack, the
#: claim of responsibility, the report) and the surrounding words cannot tell them apart.
COMPARED_MEASURES: frozenset[str] = frozenset({"killed", "injured", "arrested", "distance_km"})

#: Half-width of an approximate figure's interval, relative to its value (see module docstring).
APPROXIMATION = 0.10


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
    #: Localities named as places in the claim's sentence ("منطقة الطارمية", "مأرب"; not a
    #: landmark such as "شمال بغداد"), see :func:`different_localities`.
    context_localities: tuple[str, ...] = ()
    #: A running total ("منذ بداية", "الإجمالي", "خلال عشرة أشهر"), not one incident's count.
    cumulative: bool = False
    #: Who was counted when the words after the number say it ("civilians", "security forces",
    #: "militias", "opposition fighters", "both sides"); None for people in general ("84 شخصا").
    victims: str | None = None

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


_WINDOW_BEFORE = 7
_WINDOW_AFTER = 2


def _find_measure(
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
            measure = measure_of_norm(tok.norm)
            if measure:
                if j > 0 and j - 1 in numbers_at and not tok.norm.startswith("و"):
                    break  # "ارتفعت إلى 32 قتيلا، وأن 29 شخصا": قتيلا is the 32's noun
                return (None, 1.0) if _combined(toks, j, (first, last)) else (measure, 1.0)
        j -= 1
    return None, 1.0


def _combined(toks: list[Tok], at: int, own: tuple[int, int]) -> bool:
    """Whether the measure word at ``at`` is half of a pair ("مقتل وإصابة 25", "عشرات القتلى
    والجرحى"): the number counts both together, which is neither measure."""
    here = measure_of_norm(toks[at].norm)
    for k in (at - 1, at + 1):
        if 0 <= k < len(toks) and toks[k].kind == "word":
            other = toks[k].norm
            joined = other if k > at else toks[at].norm
            if joined.startswith("و") and (m := measure_of_norm(other)) and m != here:
                # "لقي 4 أشخاص مصرعهم وأصيب 4": the first word is an earlier number's
                start = min(at, k)
                return not any(
                    toks[b].kind == "num" or (toks[b].kind == "word" and number_word(toks[b].norm))
                    for b in range(max(0, start - 3), start)
                    if not own[0] <= b <= own[1]
                )
    return False


def _is_length(toks: list[Tok], unit_at: int) -> bool:
    """Whether the length unit at ``unit_at`` measures a length: not an area or volume
    ("متر مربع"), not a speed ("كم/ساعة", "كيلومترا في الساعة")."""
    after = toks[unit_at + 1 : unit_at + 3]
    if after and after[0].kind == "word" and after[0].norm in AREA_VOLUME_WORDS:
        return False
    if len(after) == 2 and after[1].kind == "word" and after[1].norm in PER_HOUR_WORDS:
        return not (after[0].text == "/" or after[0].norm == N("في"))
    return True


def _is_not_a_count(toks: list[Tok], number: _Number) -> bool:
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
    if (
        number.first > 0
        and toks[number.first - 1].kind == "word"
        and any(f in POSITION_NOUNS for f in strip_clitics(toks[number.first - 1].norm))
    ):
        return True  # "في الدقيقة 76": a position or a time, not a count
    if (
        after is not None
        and after.kind == "word"
        and any(f in NON_PERSON_NOUNS for f in strip_clitics(after.norm))
    ):
        return True  # "مباشرة 4 فرق أرضية": teams, not the injured named before
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


def extract_claims_from_text(
    text: str,
    *,
    passage_id: str = "",
    article_id: str = "",
    source: str | None = None,
    offset: int = 0,
    article_year: int | None = None,
    toks: list[Tok] | None = None,
    previous_localities: tuple[str, ...] = (),
) -> list[Claim]:
    """The claims in ``text``; spans are shifted by ``offset`` (the passage's start in its article).
    ``toks`` is ``text`` already lexed (by :func:`article_claims_and_mentions`).
    ``previous_localities`` are the places the passage before names: a claim whose own
    sentence and passage name none happened there ("وأسفرت المعارك عن مقتل 28" after a
    paragraph on Aden)."""
    if toks is None:
        toks = lex(text)
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
    passage_localities: tuple[str, ...] | None = None
    claims: list[Claim] = []
    claim_tokens: list[tuple[int, int, int]] = []  # (first token, sentence start, sentence end)
    previous_measure: str | None = None
    previous_last = -10
    for number in numbers:
        own = set(range(number.first, number.last + 1))
        measure, factor = _find_measure(toks, number.first, number.last, numbers_at - own)
        low, high = number.low, number.high
        month = None
        nxt = number.last + 1
        if nxt < len(toks):
            month = month_of(toks, nxt)
        is_year = (
            number.kind == "digits"
            and 1900 <= number.value <= 2100
            and number.value == int(number.value)
        )
        if month is not None and number.kind == "digits" and number.value <= 31:
            measure, factor = "date", 1.0
            low = high = MONTHS[month[0]] * 100 + number.value  # MMDD, comparable within a year
        elif (
            is_year
            and number.low == number.high
            and (
                measure is None
                or measure == "distance_km"
                or (
                    number.first > 0
                    and toks[number.first - 1].kind == "word"
                    and toks[number.first - 1].norm in YEAR_PREPOSITIONS
                )
            )
        ):
            measure = "year"  # "وفاة الزعيم في 2004" is a date, not a toll of 2004
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
        sent_start, sent_end = sentence_bounds(toks, number.first)
        guarded = None
        if measure in COMPARED_MEASURES:
            year = year_before(toks, sent_start, number.first)
            if year is not None and year != article_year:
                guarded = f"another year ({year}) is stated before it"
            elif is_earlier_toll(toks, sent_start, number.first):
                guarded = "an earlier toll, superseded in the same report"
            elif names_another_period(toks, sent_start, number.first):
                guarded = "another period (last year, earlier this month) is stated before it"
            elif recalls_earlier_event(toks, sent_start, number.first):
                guarded = "an earlier event the sentence recalls (بعد أيام على, غداة)"
            elif measure == "injured" and still_in_hospital(toks, sent_start, number.first):
                guarded = "those still in hospital, a part of the injured"
        claim_tokens.append((number.first, sent_start, sent_end))
        localities = localities_in(
            toks, sent_start, clause_end(toks, number.last)
        ) or localities_in(toks, sent_start, sent_end)
        if not localities:
            if passage_localities is None:
                passage_localities = localities_in(toks, 0, len(toks) - 1)
            localities = passage_localities or previous_localities
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
                    if (m := month_of(toks, j)) is not None
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
                context_localities=localities,
                victims=victim_group_after(toks, number.last)
                if measure in ("killed", "injured", "arrested")
                else None,
            )
        )
    return _mark_cumulative(toks, claims, claim_tokens)


def _mark_cumulative(
    toks: list[Tok], claims: list[Claim], claim_tokens: list[tuple[int, int, int]]
) -> list[Claim]:
    """A running-total marker belongs to every count of its clause ("قتل 44 وجرح مئات في
    سلسلة من الهجمات": both), else to the count of its sentence nearest to it: "قتل 5 اليوم،
    ليرتفع عدد القتلى منذ بداية الحرب إلى 3000" makes only the 3000 cumulative."""
    cumulative: set[int] = set()
    sentences = {(start, end) for _, start, end in claim_tokens}
    for start, end in sentences:
        counts = [
            (k, first)
            for k, (first, s, _) in enumerate(claim_tokens)
            if s == start and claims[k].measure in _COUNTS
        ]
        if not counts:
            continue
        for mark in cumulative_markers(toks, start, end):
            clause = _clause_of(toks, mark)
            same_clause = [k for k, first in counts if _clause_of(toks, first) == clause]
            cumulative.update(same_clause or [min(counts, key=lambda kc: abs(kc[1] - mark))[0]])
    return [replace(c, cumulative=True) if k in cumulative else c for k, c in enumerate(claims)]


#: Measures that count people: running totals and series apply to them, not to distances
#: ("على بعد 15 كيلومترا في سلسلة جبال مارجلا" is one distance, not a series).
_COUNTS = frozenset({"killed", "injured", "arrested"})


def _clause_of(toks: list[Tok], i: int) -> int:
    """The index of the first token of the clause holding token ``i`` (after a comma or stop)."""
    while i > 0 and toks[i - 1].kind not in ("stop", "comma"):
        i -= 1
    return i


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
    return article_claims_and_mentions(article)[0]


def article_claims_and_mentions(article: Article) -> tuple[list[Claim], frozenset[str]]:
    """:func:`article_claims` and :func:`mentions_in` of the article's passages, lexed once."""
    claims: list[Claim] = []
    named: set[str] = set()
    year = _article_year(article)
    previous: tuple[str, ...] = ()
    for passage in article.passages:
        toks = lex(passage.text)
        claims.extend(
            extract_claims_from_text(
                passage.text,
                passage_id=passage.id,
                article_id=article.id,
                source=article.source,
                offset=passage.start,
                article_year=year,
                toks=toks,
                previous_localities=previous,
            )
        )
        named |= _mentions(toks)
        previous = localities_in(toks, 0, len(toks) - 1) if toks else ()
    return claims, frozenset(named)


# --- what an outlet mentions (the story-level guard in index.claims_compare uses it) ----------


def mentions_in(text: str) -> frozenset[str]:
    """Places (canonical) and months ("month:N") named anywhere in ``text``: what an outlet
    mentions, for :func:`guard_in_story`."""
    return frozenset(_mentions(lex(text)))


def _mentions(toks: list[Tok]) -> set[str]:
    found: set[str] = set()
    for j, tok in enumerate(toks):
        if tok.kind != "word":
            continue
        place = place_of(tok.norm)
        if place is not None:
            found.add(canonical_place(place))
        month = month_of(toks, j)
        if month is not None:
            found.add(f"month:{MONTHS[month[0]]}")
    return found
