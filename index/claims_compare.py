"""Comparing claims within a story: which are about another event, which disagree, and the
numbers row under a passage.

:mod:`index.claims` reads the claims of a passage; this module judges them against the other
outlets of the story: a place or month no other outlet names guards a claim
(:func:`guard_in_story`); two figures are flagged only when they are comparable — same measure,
different outlets, the same kind of event, no different localities, both running totals or
neither, the same victims, the same event group with direct evidence — and cannot both hold
(:func:`disagreements`); a vague figure above a count ("العشرات" against 17) is not flagged.
A flag is stated plainly only when both sentences surely report one event, neither figure is
vague and both count the same group (or both people in general); else it is shown as
possible. The numbers row leaves out figures of other groups and other localities
(:func:`numbers_rows`). Each rule was measured on hand-judged SaudiNewsNet flags
(``benchmarks/claims_precision.py``, BENCHMARKS.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from index.claims import COMPARED_MEASURES, Claim, Disagreement, NumbersRow


def _outlet_key(claim: Claim) -> str:
    return claim.outlet


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


def vague_above(first: Claim, second: Claim) -> bool:
    """Whether the higher of two figures that cannot both hold is a vague one ("العشرات",
    "مئات"): it does not dispute the lower count. "Dozens of injured" and "8 injured" of one
    clash both stand when the 8 are one hospital's, one side's or the first count, and a
    plural names an order of magnitude, not a tally. The other way round, a count above the
    vague figure's range ("العشرات" against 121) is still flagged, as a possibility only
    (:func:`disagreements`)."""
    high_side = first if first.low > second.high else second
    return high_side.vague


def different_localities(first: Claim, second: Claim) -> bool:
    """Whether the two sentences name different places for their incidents: both name a
    locality and none in common ("بلدة مندلي" and "منطقة الطارمية"; "مأرب" and "تعز"). A war
    story holds the tolls of many towns; a sentence that names no locality is compatible with
    any, and a country never counts (it contains the towns)."""
    if not first.context_localities or not second.context_localities:
        return False
    return not set(first.context_localities) & set(second.context_localities)


def different_victims(first: Claim, second: Claim) -> bool:
    """Whether the two figures count different groups of people: both name one and they differ
    ("8 من الحوثيين" and "3 من المقاومة", "13 آخرون" after "مدنيان" and "18 آخرون" after
    "12 حوثيا"; :mod:`index.claims_groups`). A figure of people in general may count anyone."""
    return bool(first.victims and second.victims and first.victims != second.victims)


def may_count_the_same(first: Claim, second: Claim) -> bool:
    """Whether two figures of one measure may count the same people as far as their sentences
    say: not different groups, not different localities. Neither a flag nor the numbers row
    sets one side's dead beside the other side's, or one town's beside another's."""
    return not different_victims(first, second) and not different_localities(first, second)


def _stated(claims: Sequence[Claim]) -> set[tuple[str, str, float, float]]:
    return {(_outlet_key(c), c.measure, c.low, c.high) for c in claims}


def disagreements(claims: Iterable[Claim]) -> list[Disagreement]:
    """Pairs of comparable claims (same measure, different outlets, unguarded, compatible kinds of
    event, same places, both running totals or neither) that cannot both hold.

    An outlet that states the other's figure too does not dispute it: when a wire report lists
    several incidents ("3 in Tarmiya ... at least 4 in Zafaraniya") every outlet copying it holds
    all the figures, and pairing one outlet's first with another's second compares two
    incidents, not two accounts of one."""
    comparable = [c for c in claims if c.guarded_reason is None and c.measure in COMPARED_MEASURES]
    stated = _stated(comparable)
    out: list[Disagreement] = []
    for i, first in enumerate(comparable):
        for second in comparable[i + 1 :]:
            if first.measure != second.measure or _outlet_key(first) == _outlet_key(second):
                continue
            if not same_event_kind(first, second) or not may_count_the_same(first, second):
                continue
            if first.cumulative != second.cumulative:
                continue
            if (_outlet_key(second), first.measure, first.low, first.high) in stated or (
                _outlet_key(first),
                second.measure,
                second.low,
                second.high,
            ) in stated:
                continue
            if first.event_group != second.event_group:
                continue
            if first.event_group is not None and second.passage_id not in first.comparable_passages:
                continue
            if (
                not first.consistent_with(second)
                and _same_order(first, second)
                and not vague_above(first, second)
            ):
                close = (
                    (first.event_group is None or second.passage_id in first.close_passages)
                    # a vague figure commits to no count: never a plain "sources disagree"
                    and not (first.vague or second.vague)
                    # one group's count against everyone's may be a part against the whole
                    and first.victims == second.victims
                )
                out.append(Disagreement(first.measure, first, second, close=close))
    return out


def numbers_rows(passage_id: str, story_claims: Sequence[Claim]) -> list[NumbersRow]:
    """The numbers row(s) for a passage: for each compared measure it states (unguarded), every
    outlet's unguarded claims of that measure about the same event (same ``event_group``) in
    the story that may count the same people as one of the passage's own
    (:func:`may_count_the_same`: "2 من المقاومة" is not shown beside "12 من الحوثيين"), and the
    disagreements among them."""
    own = [
        c
        for c in story_claims
        if c.passage_id == passage_id
        and c.guarded_reason is None
        and c.measure in COMPARED_MEASURES
    ]
    rows: list[NumbersRow] = []
    for measure in sorted({c.measure for c in own}):
        mine = [c for c in own if c.measure == measure]
        groups = {c.event_group for c in mine}
        same = [
            c
            for c in story_claims
            if c.measure == measure
            and c.guarded_reason is None
            and c.event_group in groups
            and (c in mine or any(may_count_the_same(o, c) for o in mine))
        ]
        same.sort(key=lambda c: (_outlet_key(c), c.span.start))
        rows.append(NumbersRow(measure, tuple(same), tuple(disagreements(same))))
    return rows
