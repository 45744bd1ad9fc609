"""Quantified claims: numbers, qualifiers as intervals, measures, the event guard, disagreements."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from index.claims import (
    Claim,
    disagreements,
    extract_claims_from_text,
    guard_in_story,
    mentions_in,
)
from index.corpus import load_corpus
from index.links_store import compute_all


def only(text: str, **kwargs: object) -> Claim:
    """The one count/distance claim of ``text`` (dates and years aside)."""
    claims = [
        c
        for c in extract_claims_from_text(text, **kwargs)  # type: ignore[arg-type]
        if c.measure not in ("date", "year")
    ]
    assert len(claims) == 1, claims
    return claims[0]


def test_bare_number_is_exact_and_span_points_at_it() -> None:
    text = "وأسفر الهجوم عن سقوط 89 قتيلا."
    claim = only(text, offset=100)
    assert (claim.measure, claim.low, claim.high, claim.approximate) == ("killed", 89, 89, False)
    assert claim.value_text == "89"
    assert text[claim.span.start - 100 : claim.span.end - 100] == "89"


@pytest.mark.parametrize(
    ("text", "low", "high", "approximate"),
    [
        ("أدى إلى مقتل أكثر من 80 شخصا", 81, math.inf, False),
        ("أدى إلى مقتل ما يزيد على 80 شخصا", 81, math.inf, False),
        ("حيث قتل ما لا يقل عن 84 شخصا", 84, math.inf, False),
        ("أسفر عن مقتل 144 شخصا على الأقل", 144, math.inf, False),
        ("وتسببا بمقتل نحو 100 شخص", 90, 110, True),
        ("أسفر عن مقتل حوالي 100 شخص", 90, 110, True),
        ("أسفر عن مقتل قرابة 100 شخص", 90, 110, True),
        ("أسفرت عن مقتل ما يقرب من 100 شخص", 90, 110, True),
        ("أسفر عن مقتل 100 شخص تقريبا", 90, 110, True),
        ("أسفر عن مقتل أقل من 10 أشخاص", 0, 9, False),
    ],
)
def test_every_qualifier_becomes_an_interval(
    text: str, low: float, high: float, approximate: bool
) -> None:
    claim = only(text)
    assert claim.measure == "killed"
    assert claim.low == pytest.approx(low)
    assert claim.high == pytest.approx(high)
    assert claim.approximate is approximate


def test_arabic_indic_digits() -> None:
    claim = only("أسفر الهجوم عن مقتل ٨٤ شخصا")
    assert (claim.low, claim.high, claim.value_text) == (84, 84, "٨٤")


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("أسفر القصف عن مقتل أكثر من 26 ألف فلسطيني", 26001, math.inf),
        ("أسفر القصف عن مقتل ٢٦ ألف شخص", 26000, 26000),
        ("أدى النزاع إلى مقتل 1.5 مليون شخص", 1_500_000, 1_500_000),
        ("أدى النزاع إلى مقتل 26,000 شخص", 26000, 26000),
        ("أدى النزاع إلى مقتل ثلاثة آلاف شخص", 3000, 3000),
    ],
)
def test_multipliers_and_separators(text: str, low: float, high: float) -> None:
    claim = only(text)
    assert (claim.low, claim.high) == (low, high)


@pytest.mark.parametrize(
    ("text", "measure", "low", "high"),
    [
        ("أسفر الحادث عن مقتل ثلاثة أشخاص", "killed", 3, 3),
        ("أسفر الحادث عن مقتل ثلاث نساء", "killed", 3, 3),
        ("أسفر الحادث عن مقتل اثنين من الحراس", "killed", 2, 2),
        ("أسفر الحادث عن إصابة اثنان من المارة", "injured", 2, 2),
        ("أسفر الحادث عن مقتل واحد من الحراس", "killed", 1, 1),
        ("أسفر الحادث عن مقتل عشرة أشخاص", "killed", 10, 10),
        ("أسفر الحادث عن مقتل خمسة عشر شخصا", "killed", 15, 15),
        ("وأدى القصف إلى إصابة العشرات", "injured", 20, 99),
        ("وأدى القصف إلى إصابة مئات آخرين", "injured", 200, 999),
        ("واعتقلت الشرطة عشرات المشتبه بهم", "arrested", 20, 99),
    ],
)
def test_number_words(text: str, measure: str, low: float, high: float) -> None:
    claim = only(text)
    assert (claim.measure, claim.low, claim.high) == (measure, low, high)


def test_measures_from_the_words_around() -> None:
    claims = extract_claims_from_text(
        "حيث قُتل ما لا يقل عن 84 شخصا وأصيب 284 آخرون، واعتقلت الشرطة 35 شخصًا."
    )
    assert [(c.measure, c.low) for c in claims] == [
        ("killed", 84),
        ("injured", 284),
        ("arrested", 35),
    ]


def test_distance_units_convert_and_a_parenthesised_conversion_is_not_a_second_claim() -> None:
    claims = extract_claims_from_text(
        "وقع الهجوم على بعد حوالي 820 كيلومترا (510 ميلا) جنوب شرق طهران."
    )
    assert len(claims) == 1
    assert claims[0].measure == "distance_km"
    assert claims[0].low == pytest.approx(738) and claims[0].high == pytest.approx(902)
    miles = only("على بعد 510 ميلا من العاصمة")
    assert miles.low == pytest.approx(820.8, abs=0.1)


def test_dates_and_years_are_read_but_not_counts() -> None:
    claims = extract_claims_from_text("وقع الهجوم في 3 يناير، بعد اغتياله في عام 2020.")
    assert [(c.measure, c.low) for c in claims] == [("date", 103), ("year", 2020)]
    assert not extract_claims_from_text("وقال ثلاثة مصادر إن الوفد وصل")  # a number with no measure


def test_event_guard_another_year_before_the_number() -> None:
    claim = only(
        "وفي عام 2022، أعلن تنظيم داعش مسؤوليته عن هجوم على ضريح أدى إلى مقتل 15 شخصًا.",
        article_year=2024,
    )
    assert claim.measure == "killed"
    assert claim.guarded_reason is not None and "2022" in claim.guarded_reason
    same_year = only("وفي عام 2024، أدى الهجوم إلى مقتل 15 شخصًا.", article_year=2024)
    assert same_year.guarded_reason is None
    since = only("الهجوم الأكثر دموية منذ ثورة 1979، حيث قُتل ما لا يقل عن 84 شخصا.")
    assert since.guarded_reason is None  # "since 1979" is a reference point, not another event


def _claims(outlet: str, text: str) -> list[Claim]:
    return extract_claims_from_text(
        text, passage_id=f"{outlet}:0", article_id=outlet, source=outlet
    )


def test_story_guard_drops_numbers_about_a_place_no_other_outlet_names() -> None:
    texts = {
        "a": "وأدت التفجيرات في كرمان بإيران إلى مقتل 84 شخصا.",
        "b": "قتل 89 شخصا في كرمان جنوب إيران. وفي روسيا أسفر هجوم قرب موسكو عن مقتل 144 شخصا على الأقل.",
    }
    claims = [c for outlet, text in texts.items() for c in _claims(outlet, text)]
    guarded = guard_in_story(claims, {o: mentions_in(t) for o, t in texts.items()})
    by_value = {c.low: c for c in guarded}
    assert by_value[84].guarded_reason is None
    assert by_value[89].guarded_reason is None
    assert by_value[144].guarded_reason is not None and "روسيا" in by_value[144].guarded_reason
    flagged = {(d.first.low, d.second.low) for d in disagreements(guarded)}
    assert flagged == {(84, 89)}  # Moscow's 144 is not compared with anything


def test_interval_semantics_of_disagreement() -> None:
    more_than_80 = _claims("a", "مقتل أكثر من 80 شخصا")[0]
    exactly_84 = _claims("b", "مقتل 84 شخصا")[0]
    exactly_89 = _claims("c", "مقتل 89 شخصا")[0]
    about_100 = _claims("d", "مقتل نحو 100 شخص")[0]
    at_least_84 = _claims("e", "مقتل ما لا يقل عن 84 شخصا")[0]
    assert more_than_80.consistent_with(exactly_84) and more_than_80.consistent_with(exactly_89)
    assert at_least_84.consistent_with(exactly_89) and at_least_84.consistent_with(about_100)
    assert not exactly_84.consistent_with(exactly_89)
    assert not exactly_89.consistent_with(about_100)
    same_outlet = _claims("b", "مقتل 89 شخصا")[0]
    assert (
        disagreements([exactly_84, same_outlet]) == []
    )  # one outlet is never flagged against itself


SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def seed_result():
    articles = load_corpus([SEEDS]).articles
    result, _, _, _ = compute_all(articles)
    return articles, result


def test_seed_death_tolls_every_outlet_and_exactly_the_disagreements(seed_result) -> None:
    articles, result = seed_result
    [story] = [s for s in result.stories if len(s.article_ids) >= 4]
    claims = [c for a in story.article_ids for c in result.claims[a]]
    killed = [c for c in claims if c.measure == "killed" and c.guarded_reason is None]
    by_seed: dict[str, set[str]] = {}
    for c in killed:
        by_seed.setdefault(c.article_id[:3], set()).add(c.value_text)
    assert by_seed == {
        "000": {"أكثر من 80", "84"},
        "001": {"ما لا يقل عن 84"},
        "002": {"89"},
        "003": {"نحو 100"},
        "004": {"ما يقرب من 100"},
    }
    # Moscow's 144, the 2022 shrine attack's 15 and Gaza's 26,000 are extracted but guarded
    guarded = {c.value_text for c in claims if c.measure == "killed" and c.guarded_reason}
    assert {"144 شخصا على الأقل", "15", "أكثر من 26 ألف"} <= guarded
    pairs = {
        frozenset(
            {
                (d.first.article_id[:3], d.first.value_text),
                (d.second.article_id[:3], d.second.value_text),
            }
        )
        for d in disagreements(claims)
        if d.measure == "killed"
    }
    assert frozenset({("000", "84"), ("002", "89")}) in pairs
    assert frozenset({("002", "89"), ("003", "نحو 100")}) in pairs
    assert frozenset({("002", "89"), ("004", "ما يقرب من 100")}) in pairs
    consistent = [("000", "أكثر من 80"), ("001", "ما لا يقل عن 84")]
    assert not any(any(side in pair for side in consistent) for pair in pairs)
    texts = {a.id: a.text for a in articles}
    for c in killed:
        assert texts[c.article_id][c.span.start : c.span.end] == c.value_text
