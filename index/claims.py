"""Quantified claims in news text ("more than 80 killed") and where outlets disagree on them.

A claim is a number with its *measure* (killed, injured, arrested, distance, date, year) read from
the words around it, and an interval that says what the words commit to: a bare number is exact,
``أكثر من 80`` is ``[81, inf]``, ``نحو 100`` is ``[90, 110]``. Two outlets disagree when their
intervals for the same measure cannot both be true. Intervals (not point values) are the point:
"more than 80" and "84" are consistent, "84" and "89" are not.

This module holds the claim types and assembles claims from a passage; the two readings it
builds on are modules of their own: the figure and its qualifier's interval (including the
±10 % of an approximate figure) in :mod:`index.claims_numbers`, what the figure counts and
when it counts nothing in :mod:`index.claims_measures`.

Event guard: a number about another event must not be compared. Signals read from the text
alone set :attr:`Claim.guarded_reason`: an explicit year before the number in its sentence
("وفي عام 2022 ...") that is not the article's own year, a total since an earlier year ("قتلت
نحو 40 ألف شخص منذ عام 1984"), another period ("العام الماضي"), an
earlier event the sentence recalls ("بعد أيام على مقتل"), the report's own superseded toll
("وكانت الحصيلة الأولى"). The story-level guard (places and months the other outlets never
mention, e.g. Moscow or Gaza) needs the story: :func:`index.claims_compare.guard_in_story`.

Two figures of one story are compared (:func:`index.claims_compare.disagreements`) only when
nothing says they count different things: not two localities ("بلدة مندلي" / "منطقة
الطارمية", "جبهة البلق" / "تعز"), not a running total or a series against one incident, not two
groups of people (civilians / security forces / one side of a battle, read by
:mod:`index.claims_groups`), and not when one outlet also states the other's figure (a wire
report's list of incidents copied by both). A vague figure ("العشرات", :attr:`Claim.vague`) is
never a plainly stated disagreement, and one above a count does not dispute it. On SaudiNewsNet these rules took the precision of
the flags from about 5 % to 33-35 % on slices not used to write them (53-59 % on those that
were; BENCHMARKS.md). The readers of a number's context live in :mod:`index.claims_context`.
"""

from __future__ import annotations

import unicodedata
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
    since_year,
    still_in_hospital,
    year_before,
)
from index.claims_groups import victims_of
from index.claims_lexicon import (
    MONTHS,
    YEAR_PREPOSITIONS,
    event_kind,
    word_number,
)
from index.claims_measures import find_measure, is_not_a_count, names_a_dimension, word_at_in
from index.claims_numbers import APPROXIMATION, numbers_in
from index.models import Article, Passage, Span
from index.places_lexicon import canonical_place, place_of

__all__ = [
    "APPROXIMATION",
    "COMPARED_MEASURES",
    "Claim",
    "Disagreement",
    "NumbersRow",
    "article_claims",
    "article_claims_and_mentions",
    "extract_claims",
    "extract_claims_from_text",
    "mentions_in",
]


#: Measures whose values are compared across outlets. Dates and years are extracted (the panel
#: shows them) but not flagged: a date attaches to many events of one story (the attack, the
#: claim of responsibility, the report) and the surrounding words cannot tell them apart.
COMPARED_MEASURES: frozenset[str] = frozenset({"killed", "injured", "arrested", "distance_km"})


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
    #: Of those, the passages that surely report the same event (their contexts score as a link
    #: does, or name one place): a flag against them is stated plainly, the others as possible.
    close_passages: tuple[str, ...] = ()
    #: Localities named as places in the claim's sentence ("منطقة الطارمية", "مأرب"; not a
    #: landmark such as "شمال بغداد"), see :func:`different_localities`.
    context_localities: tuple[str, ...] = ()
    #: A running total ("منذ بداية", "الإجمالي", "خلال عشرة أشهر"), not one incident's count.
    cumulative: bool = False
    #: Who was counted when the words around the number say it ("civilians", "security forces",
    #: "militias", "opposition fighters", "coalition", "both sides"; :mod:`index.claims_groups`);
    #: None for people in general ("84 شخصا").
    victims: str | None = None
    #: The figure is a plural of an order of magnitude ("العشرات", "مئات"), not a count: it may
    #: be flagged against a count outside its interval, never stated plainly as a disagreement.
    vague: bool = False

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
    #: Whether the flag is stated plainly ("sources disagree"): the two sentences surely report
    #: one event (see ``Claim.close_passages``), neither figure is vague and both count the same
    #: group (:func:`index.claims_compare.disagreements`). If not, the figures may be two
    #: incidents', a vague word's or a part against the whole: shown as a possibility.
    close: bool = True


@dataclass(frozen=True, slots=True)
class NumbersRow:
    """What the panel shows under a passage: every outlet's figure for one measure."""

    measure: str
    claims: tuple[Claim, ...]
    disagreements: tuple[Disagreement, ...]


# --- extraction -------------------------------------------------------------------------------


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
    numbers = numbers_in(toks)
    numbers_at = {k for n in numbers for k in range(n.first, n.last + 1)}
    passage_localities: tuple[str, ...] | None = None
    claims: list[Claim] = []
    claim_tokens: list[tuple[int, int, int]] = []  # (first token, sentence start, sentence end)
    previous_measure: str | None = None
    previous_last = -10
    for number in numbers:
        own = set(range(number.first, number.last + 1))
        measure, factor = find_measure(toks, number.first, number.last, numbers_at - own)
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
                or word_at_in(toks, number.first - 1, YEAR_PREPOSITIONS)
            )
        ):
            measure = "year"  # "وفاة الزعيم في 2004" is a date, not a toll of 2004
        if measure is None:
            continue
        if measure in COMPARED_MEASURES and is_not_a_count(toks, number):
            continue
        if measure in _COUNTS and names_a_dimension(toks, number):
            continue
        # A parenthesised conversion right after a claim ("820 كيلومترا (510 ميلا)") repeats it.
        if measure == previous_measure and number.first - previous_last <= 3:
            between = toks[previous_last + 1 : number.first]
            if any(t.text == "(" for t in between):
                continue
        previous_measure, previous_last = measure, number.last
        low, high = low * factor, high * factor
        span_start = _after_conjunction(text, toks[number.first])
        span_end = toks[number.last].end
        sent_start, sent_end = sentence_bounds(toks, number.first)
        guarded = None
        if measure in COMPARED_MEASURES:
            year = year_before(toks, sent_start, number.first)
            since = since_year(toks, number.first, number.last)
            if year is not None and year != article_year:
                guarded = f"another year ({year}) is stated before it"
            elif (
                since is not None
                and measure in _COUNTS
                and (article_year is None or since < article_year)
            ):
                guarded = f"a total since {since}: another period than the story's"
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
                victims=victims_of(toks, number.first, number.last, sent_start)
                if measure in _COUNTS
                else None,
                vague=number.vague,
            )
        )
    return _mark_cumulative(toks, claims, claim_tokens)


def _after_conjunction(text: str, first: Tok) -> int:
    """Where the figure starts in ``text``: after the conjunction و of its first word ("30 قتيلا
    ومئة جريح" shows "مئة", "ونحو 100" shows "نحو 100"), not in واحد/واحدة, where و is the
    word's own letter."""
    if first.kind != "word" or not first.norm.startswith("و") or word_number([first.norm]):
        return first.start
    start = first.start + 1
    while start < first.end and unicodedata.category(text[start]) == "Mn":
        start += 1  # the conjunction's own haraka ("وَمئة")
    return start


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
