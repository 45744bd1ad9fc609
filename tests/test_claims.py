"""Quantified claims: numbers, qualifiers as intervals, measures, the event guard, disagreements."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from index.claims import Claim, article_claims, extract_claims_from_text, mentions_in
from index.claims_compare import disagreements, guard_in_story
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
        ("متحف باردو قتل فيه ما يربو على 20 شخصا", 21, math.inf, False),
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
        ("وأدى القصف إلى إصابة العشرات", "injured", 10, 99),
        ("وأدى القصف إلى إصابة مئات آخرين", "injured", 100, 999),
        ("واعتقلت الشرطة عشرات المشتبه بهم", "arrested", 10, 99),
        ("وأدى القصف إلى إصابة عشرات الآلاف", "injured", 10_000, 99_000),
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
    # all three are stated plainly: each pair of sentences names Kerman
    assert all(d.close for d in disagreements(claims) if d.measure == "killed")


def test_a_flag_between_sentences_that_may_be_two_incidents_is_only_possible() -> None:
    """Figures that cannot both hold, in sentences only loosely alike (no shared place, a text
    score under a link's): shown as "figures differ (maybe other incidents)", not as a
    disagreement of sources."""
    from dataclasses import replace

    a = _claims("a", "وأسفر الحادث عن إصابة خمسة أشخاص.")[0]
    b = _claims("b", "وأدى الحادث إلى إصابة تسعة أشخاص.")[0]
    grouped = [
        replace(a, event_group="g", comparable_passages=("b:0",)),
        replace(b, event_group="g", comparable_passages=("a:0",)),
    ]
    [loose] = disagreements(grouped)
    assert not loose.close
    close = [
        replace(c, close_passages=c.comparable_passages) for c in grouped
    ]  # as the pipeline sets them for sentences that read as one event
    [plain] = disagreements(close)
    assert plain.close


# --- rules from the SaudiNewsNet precision check (benchmarks/claims_precision.py) ------------


@pytest.mark.parametrize(
    "text",
    [
        "ويضم المنتزه 4 مجمعات مواقف سيارات بمساحة 29200 متر مربع",
        "بحيرة مائية تبلغ مساحتها 13 ألف متر مكعب",
        "والرياح السطحية شمالية غربية بسرعة 15-35 كم/ساعة",
        "وتسير القطارات بسرعة 300 كيلومتر في الساعة",
    ],
)
def test_areas_volumes_and_speeds_are_not_distances(text: str) -> None:
    assert not [c for c in extract_claims_from_text(text) if c.measure == "distance_km"]


def test_a_distance_is_still_a_distance() -> None:
    assert only("وتقع البلدة على بعد 57 كم شمال شرقي بغداد").measure == "distance_km"


def test_hundreds_joined_by_waw() -> None:
    claim = only("وقد تم القبض عليهم وعددهم مائة وتسعون موقوفاً")
    assert (claim.measure, claim.low, claim.high) == ("arrested", 190, 190)


def test_exceeding_verb_is_more_than() -> None:
    claim = only("وأفاد مراسلنا بأن عدد المصابين تجاوز 30 شخصا")
    assert (claim.measure, claim.low, claim.high) == ("injured", 31, math.inf)


def test_a_qualifier_stays_with_its_own_number() -> None:
    claims = extract_claims_from_text("الهجوم الذي أوقع 30 قتيلاً على الأقل ومئة جريح")
    by_measure = {c.measure: c for c in claims}
    assert (by_measure["killed"].low, by_measure["killed"].high) == (30, math.inf)
    assert (by_measure["injured"].low, by_measure["injured"].high) == (100, 100)


def test_a_count_of_things_is_not_a_count_of_people() -> None:
    text = "وأن جميع المصابين حالتهم خطيرة، مشيراً إلى مباشرة 4 فرق أرضية للموقع"
    assert not [c for c in extract_claims_from_text(text) if c.measure == "injured"]


def test_a_year_after_fi_is_a_year_even_next_to_a_death() -> None:
    claims = extract_claims_from_text("لم تتوضح بعد أسباب وفاة الزعيم التاريخي في 2004")
    assert [(c.measure, c.low) for c in claims] == [("year", 2004)]


@pytest.mark.parametrize(
    "text",
    [
        "وكانت الحصيلة الأولى أشارت إلى سقوط تسعة قتلى",
        "وكانت حصيلة غير نهائية للتفجير أفادت عن مقتل 17 شخصا على الأقل",
        "وكانت الشرطة ومصادر طبية أعلنت في وقت سابق مصرع 21 شخصًا",
        "فيما أعلنت مصادر طبية سابقاً مصرع 21 شخصاً",
    ],
)
def test_an_earlier_toll_of_the_same_report_is_not_compared(text: str) -> None:
    claim = only(text)
    assert claim.guarded_reason is not None and "earlier toll" in claim.guarded_reason


def test_an_event_that_happened_earlier_is_not_an_earlier_toll() -> None:
    claim = only("الهجوم الذي أدى في وقت سابق من هذا الشهر إلى مقتل أكثر من 80 إيرانياً")
    assert claim.guarded_reason is None
    assert only("وقالت الشرطة إن حصيلة الهجوم بلغت 32 قتيلا").guarded_reason is None


@pytest.mark.parametrize(
    "text",
    [
        "وفي مطلع العام الماضي قتل 119 شخصا في اشتباكات دامت نحو أسبوعين",
        "وفي مطلع الشهر الحالي، قتل 33 شخصا في هجوم انتحاري",
        "وخلال الشهر الماضي قتل 40 شخصا في المدينة",
    ],
)
def test_another_period_before_the_number_is_another_event(text: str) -> None:
    claim = only(text)
    assert claim.guarded_reason is not None and "another period" in claim.guarded_reason


@pytest.mark.parametrize(
    ("text", "cumulative"),
    [
        ("قتل 30 شخصا على الأقل في سلسلة تفجيرات استهدفت مناطق مختلفة في العراق", True),
        ("تفجيرات في أنحاء العراق أدت الى مقتل 32 شخصا على الاقل", True),
        ("وقتلت جماعة بوكو حرام حوالي عشرة آلاف شخص منذ عام 2009", True),
        ("ادى تمردها المستمر منذ ست سنوات الى مقتل 15 الف شخص على الاقل", True),
        ("قتلت طائرات التحالف 3042 من تنظيم داعش خلال عشرة أشهر", True),
        ("وأصيب 12 شخصا في حادثين منفصلين شهدتهما منطقة الرياض", True),
        ("وفي حادثة منفصلة، قتل جندي تركي وجرح اربعة آخرون عندما انفجر لغم ارضي", False),
        ("وأشار المرصد إلى ارتفاع العدد الإجمالي للقتلى إلى 3216", True),
        ("انفجرت سيارة ملغومة في حي بغداد الجديدة ما تسبب في مقتل 16 شخصا", False),
        ("المعارك التي دارت خلال الـ24 ساعة الماضية أسفرت عن مقتل 28 من المتمردين", False),
        ("الهجوم الأكثر دموية منذ ثورة 1979، حيث قُتل ما لا يقل عن 84 شخصا", False),
    ],
)
def test_running_totals_and_series(text: str, cumulative: bool) -> None:
    assert only(text).cumulative is cumulative


def test_a_total_marker_belongs_to_the_nearest_count() -> None:
    claims = extract_claims_from_text(
        "قتل 5 أشخاص اليوم في القصف، ليرتفع عدد القتلى منذ بداية الحرب إلى 3000 شخص"
    )
    assert [(c.low, c.cumulative) for c in claims] == [(5, False), (3000, True)]


def test_a_total_is_not_compared_with_one_incident() -> None:
    series = _claims("a", "قتل 30 شخصا على الأقل في سلسلة تفجيرات في العراق")
    single = _claims("b", "وأسفر التفجير عن مقتل 18 شخصا في بغداد")
    assert disagreements([*series, *single]) == []
    other_total = _claims("c", "قتل 25 شخصا في سلسلة تفجيرات في العراق")
    assert len(disagreements([*series, *other_total])) == 1


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("قتل ثمانية أشخاص عندما انفجرت سيارة في بلدة مندلي", ("مندلي",)),
        ("قتل 3 عناصر في تفجير عند نقطة تفتيش في منطقة الطارمية شمال بغداد", ("طارميه",)),
        ("قتل نحو 7 في هجوم على مواقع للحوثيين جنوبي مأرب", ("مارب",)),
        ("مقتل عشرين من الحوثيين في منطقة جبل المعاشيق", ("معاشيق",)),
        ("قتل 26 شخصا في غارات على مدينة منبج بريف حلب الشرقي", ("ريف حلب", "منبج")),
        ("قتل 17 حوثياً في مواجهات بمناطق متفرقة من تعز", ("تعز",)),
        ("أعلن تنظيم داعش - ولاية خراسان مسؤوليته عن مقتل 15 شخصا", ()),
    ],
)
def test_localities_of_a_claim(text: str, places: tuple[str, ...]) -> None:
    assert only(text).context_localities == places


def test_different_localities_are_different_incidents() -> None:
    mandali = _claims("a", "وقتل ثمانية أشخاص عندما انفجرت سيارة ملغومة في بلدة مندلي")
    tarmiya = _claims("b", "قتل ثلاثة أشخاص في تفجير سيارة مفخخة في منطقة الطارمية شمال بغداد")
    assert disagreements([*mandali, *tarmiya]) == []
    # a sentence that names no locality is compatible with any
    unnamed = _claims("c", "وأسفر تفجير سيارة مفخخة عن مقتل خمسة أشخاص")
    assert len(disagreements([*mandali, *unnamed])) == 1
    # and one place named in both keeps the figures comparable
    mandali_too = _claims("d", "قتل عشرة أشخاص في تفجير سيارة ملغومة بسوق بلدة مندلي")
    assert len(disagreements([*mandali, *mandali_too])) == 1


def test_the_previous_passage_names_the_place_of_an_unplaced_claim(tmp_path: Path) -> None:
    path = tmp_path / "aden.txt"
    path.write_text(
        "يواصل مقاتلو المقاومة الشعبية في عدن مطاردة بقايا الميليشيات في الأحياء الجنوبية.\n\n"
        "وأشارت مصادر ميدانية إلى أن المعارك أسفرت عن مقتل 28 من المتمردين بحسب المصادر.\n",
        encoding="utf-8",
    )
    [article] = load_corpus([path]).articles
    [claim] = [c for c in article_claims(article) if c.measure == "killed"]
    assert claim.passage_id.endswith(":1")
    assert claim.context_localities == ("عدن",)


def test_counts_of_different_groups_are_not_compared() -> None:
    houthis = _claims("a", "وأكدت المصادر مقتل 8 من الحوثيين وقوات صالح خلال مواجهات")
    resistance = _claims("b", "وأشارت مصادر إلى مقتل 3 من المقاومة الشعبية خلال مواجهات")
    assert houthis[0].victims == "militias" and resistance[0].victims == "opposition fighters"
    assert disagreements([*houthis, *resistance]) == []
    people = _claims("c", "وأسفرت المواجهات عن مقتل 12 شخصا")
    assert people[0].victims is None
    assert len(disagreements([*houthis, *people])) == 1


def test_an_outlet_stating_the_other_figure_too_does_not_dispute_it() -> None:
    # one wire report, two incidents, copied by both outlets
    a = _claims("a", "قتل ثلاثة أشخاص في تفجير. كما أدى انفجار سيارة إلى مقتل أربعة أشخاص.")
    b = _claims("b", "وقتل أربعة أشخاص في انفجار سيارة. وقتل ثلاثة أشخاص في تفجير آخر.")
    assert disagreements([*a, *b]) == []
    c = _claims("c", "وقتل خمسة أشخاص في انفجار سيارة.")
    assert {(d.first.low, d.second.low) for d in disagreements([*a, *c])} == {(3, 5), (4, 5)}


@pytest.mark.parametrize(
    "text",
    [
        "ويأتي هجوم أمس الخميس بعد أيام على مقتل سبعة جنود في هجوم على نقطة تفتيش",
        "هذه التفجيرات التي أتت غداة مقتل 23 شخصا على الاقل في تفجير سيارتين مفخختين",
    ],
)
def test_a_recalled_earlier_event_is_not_compared(text: str) -> None:
    claim = only(text)
    assert claim.guarded_reason is not None and "earlier event" in claim.guarded_reason


def test_the_day_after_the_event_is_not_a_recalled_event() -> None:
    assert only("وغداة الهجوم، أعلنت الشرطة مقتل 30 شخصا").guarded_reason is None


def test_bullets_are_not_the_injured() -> None:
    text = "فقد أصابته من مسافة قصيرة ثلاث رصاصات حية اخترقت إحداها صدره"
    assert not [c for c in extract_claims_from_text(text) if c.measure == "injured"]


def test_the_measure_after_a_counted_noun() -> None:
    claims = extract_claims_from_text("استقبلت الطوارئ يوم أمس 40 مصاباً، و15 حالة وفاة")
    assert [(c.measure, c.low) for c in claims] == [("injured", 40), ("killed", 15)]
    # a measure word that opens the next clause is not this number's
    first = extract_claims_from_text("حيث قُتل ما لا يقل عن 84 شخصا وأصيب 284 آخرون")[0]
    assert (first.measure, first.low) == ("killed", 84)


@pytest.mark.parametrize(
    "text",
    [
        "وكان أطباء ذكروا أن الوالدة مصابة بحروق على 90% من جسدها",
        "والوالد مصاب بحروق على 80 بالمئة من جسده",
        "والشقيق مصاب بحروق على 60 في المائة من جسده",
        "اضطر اللاعب لترك الملعب في الدقيقة 76 لإصابته في الفخذ",
    ],
)
def test_percentages_and_positions_are_not_counts(text: str) -> None:
    assert not [c for c in extract_claims_from_text(text) if c.measure == "injured"]


def test_kilo_metre_in_two_words_is_a_kilometre() -> None:
    claim = only("ويتضمن المشروع مجرى ملاحيًا جديدًا بطول 35 كيلو مترًا")
    assert (claim.measure, claim.low) == ("distance_km", 35)


@pytest.mark.parametrize(
    "text",
    [
        "وكان قائد شرطة كابول قد صرح قبلها بأنهم أحصوا ثمانية قتلى",
        "وفي وقت سابق اشارت مصادر عسكرية الى مقتل ثمانية اشخاص",
    ],
)
def test_earlier_announcements_with_the_verb_before_or_after(text: str) -> None:
    claim = only(text)
    assert claim.guarded_reason is not None and "earlier toll" in claim.guarded_reason


def test_after_the_killing_of_recalls_an_earlier_event() -> None:
    claim = only("ويأتي تحطم المروحية بعد مقتل ستة أشخاص في عملية انتحارية")
    assert claim.guarded_reason is not None and "earlier event" in claim.guarded_reason


def test_those_still_in_hospital_are_not_the_injured_toll() -> None:
    claim = only("وتم نقل المصابين، بينما لازال 24 مصاباً يتلقون الخدمة الصحية")
    assert claim.guarded_reason is not None and "still in hospital" in claim.guarded_reason
    assert only("وأسفر الحادث عن إصابة 24 شخصا").guarded_reason is None


@pytest.mark.parametrize(
    "text",
    [
        "أسفرت غارات للطيران التركي على قرية عن مقتل وإصابة نحو 25 قرويا",
        "بعد معارك دامية سقط فيها عشرات القتلى والجرحى من الجانبين",
        "مصرع وإصابة 10 أشخاص في حادث تصادم",
    ],
)
def test_killed_and_injured_together_is_neither(text: str) -> None:
    assert not [c for c in extract_claims_from_text(text) if c.measure in ("killed", "injured")]


def test_killed_then_injured_are_two_measures() -> None:
    claims = extract_claims_from_text("قتل 3 أشخاص وإصابة 5 في الهجوم")
    assert [(c.measure, c.low) for c in claims] == [("killed", 3), ("injured", 5)]


def test_a_clause_connector_ends_the_search_for_a_measure() -> None:
    text = "تمكنت المقاومة من قتل قائد ميداني للمليشيا كما أسرت 11 حوثيا في جبهة جبل صبر"
    assert not [c for c in extract_claims_from_text(text) if c.measure == "killed"]


def test_a_measure_pair_across_two_numbers_is_not_combined() -> None:
    claims = extract_claims_from_text("لقي 4 أشخاص مصرعهم وأصيب 4 آخرون في حادث مروري")
    assert [(c.measure, c.low) for c in claims] == [("killed", 4), ("injured", 4)]


def test_a_total_marker_covers_every_count_of_its_clause() -> None:
    claims = extract_claims_from_text(
        "قتل 44 شخصاً على الأقل وجرح مئات آخرون في كابول في سلسلة من الهجمات"
    )
    assert [(c.measure, c.cumulative) for c in claims] == [("killed", True), ("injured", True)]


def test_a_total_marker_in_a_clause_of_its_own_goes_to_the_nearest_count() -> None:
    claims = extract_claims_from_text(
        "قتل 5 أشخاص في الصباح، وقتل 30 شخصا في المساء، ضمن حصيلة إجمالية للأسبوع"
    )
    assert [(c.low, c.cumulative) for c in claims] == [(5, False), (30, True)]


def test_a_distance_is_never_a_running_total() -> None:
    claim = only("وكان مركز الزلزال في سلسلة جبال مارجلا وعلى بعد 15 كيلومترا شمال شرق المدينة")
    assert (claim.measure, claim.cumulative) == ("distance_km", False)


def test_the_counted_noun_of_another_number_is_not_this_numbers_measure() -> None:
    claims = extract_claims_from_text(
        "وأوضح أن حصيلة الهجوم بلغت 32 قتيلا، وأن 29 شخصا لا يزالون في المستشفيات"
    )
    assert [(c.measure, c.low) for c in claims] == [("killed", 32)]


# --- review s3: totals since a year, killed phrases, the conjunction, nationalities ----------


@pytest.mark.parametrize(
    "text",
    [
        # Suruç (alriyadh 2015-07-22): the Kurdish insurgency's toll, not the bombing's 32
        "قد تعيد إشعال الانتفاضة الانفصالية الكردية التي قتلت نحو 40 ألف شخص منذ عام 1984.",
        "وقتل أكثر من 250 ألف شخص منذ 2011 في سوريا",
    ],
)
def test_a_total_since_an_earlier_year_is_another_period(text: str) -> None:
    claim = only(text, article_year=2015)
    assert claim.measure == "killed"
    assert claim.guarded_reason is not None and "since" in claim.guarded_reason


def test_since_a_year_is_not_another_period_after_a_superlative_or_in_the_same_year() -> None:
    # "the worst attack since 1979" is a reference point: the count is this attack's
    worst = only("قتل 84 شخصا في أسوأ هجوم تشهده البلاد منذ عام 1979", article_year=2024)
    assert worst.guarded_reason is None
    deadliest = only("الهجوم الأكثر دموية منذ عام 1979 حيث قتل 84 شخصا", article_year=2024)
    assert deadliest.guarded_reason is None
    this_year = only("قتل 40 شخصا في المحافظة منذ عام 2015", article_year=2015)
    assert this_year.guarded_reason is None and this_year.cumulative  # a total, still this year's
    # a length is not a count over years: the border is as long as it was
    border = only(
        "على امتداد حدود يبلغ طولها نحو 800 كلم ساهمت في نمو الحركات المسلحة منذ عام 2011",
        article_year=2015,
    )
    assert (border.measure, border.guarded_reason) == ("distance_km", None)


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("وفي 2013، وقع تفجير في بلدة ريحانلي وذهب ضحيته 51 شخصًا.", 2013),
        ("وفي 11 أكتوبر (تشرين الأول) 2014، سقطت شاحنة وراح ضحية الحادث 26 شخصًا", 2014),
    ],
)
def test_a_bare_year_or_a_date_before_the_number_is_another_year(text: str, year: int) -> None:
    claim = only(text, article_year=2015)
    assert claim.guarded_reason is not None and str(year) in claim.guarded_reason
    assert only(text, article_year=year).guarded_reason is None


@pytest.mark.parametrize("death", ["حتفهما", "مصرعهما"])
def test_a_measure_word_with_a_pronoun_is_not_half_of_a_pair(death: str) -> None:
    # "حتفهما" is the death of the two already named; the three are injured
    claims = extract_claims_from_text(f"كما لقي شخصان {death} وأصيب ثلاثة آخرون في حادث مروري")
    assert [(c.measure, c.low) for c in claims] == [("injured", 3)]
    assert [
        (c.measure, c.low) for c in extract_claims_from_text("أسفر الحادث عن مقتل وإصابة 25")
    ] == []


def test_a_year_after_since_with_a_conjunction_is_a_year() -> None:
    claims = extract_claims_from_text("ومنذ 2011 قتل أكثر من 250 ألف شخص")
    assert "killed" not in {c.measure for c in claims if c.low == 2011}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # alwatan 2015-07-22, the Suruç lead
        ("وضرب مدينة سوروتش، ما أودى بحياة 32 شخصا على الأقل.", "32 شخصا على الأقل"),
        ("وقع انفجار أودت بحياة 12 شخصا", "12"),
        ("حادث مروري مروع راح ضحيته 5 أشخاص", "5"),
        ("هجوم راحت ضحيتها 7 نساء", "7"),
        ("ولقي 4 أشخاص حتفهم في الحادث", "4"),
    ],
)
def test_phrases_of_death_are_killed(text: str, value: str) -> None:
    claim = only(text)
    assert (claim.measure, claim.value_text) == ("killed", value)


@pytest.mark.parametrize(
    "text",
    [
        "وتمكن المسعفون من إنقاذ حياة 5 أشخاص",  # life alone is not death
        "جريان الأودية في 3 مناطق",  # valleys
        "وطرحت أودي 3 طرازات جديدة",  # the car maker
    ],
)
def test_the_words_of_a_death_phrase_alone_are_not_killed(text: str) -> None:
    assert not [c for c in extract_claims_from_text(text) if c.measure == "killed"]


def test_a_figure_joined_by_waw_is_shown_without_the_conjunction() -> None:
    text = "الهجوم الذي أوقع أمس 30 قتيلاً على الأقل ومئة جريح في مدينة سوروتش"
    injured = [c for c in extract_claims_from_text(text, offset=10) if c.measure == "injured"]
    assert [(c.value_text, c.low) for c in injured] == [("مئة", 100)]
    assert text[injured[0].span.start - 10 : injured[0].span.end - 10] == "مئة"
    one = [c for c in extract_claims_from_text("وقتل واحد من الجنود") if c.measure == "killed"]
    assert [c.value_text for c in one] == ["واحد"]  # here و is the word's own letter


def test_a_nationality_is_not_a_group_of_victims() -> None:
    # "84 إيرانيًا" and "نحو 100 شخص" count the same people: only soldiers against civilians,
    # militants against police... are different groups
    iranians = _claims("a", "وأدت التفجيرات إلى مقتل 84 إيرانيًا")
    people = _claims("b", "وأدت التفجيرات إلى مقتل نحو 100 شخص")
    assert iranians[0].victims is None and people[0].victims is None
    assert len(disagreements([*iranians, *people])) == 1
    civilians = _claims("c", "وأدت التفجيرات إلى مقتل نحو 100 مدني")
    soldiers = _claims("d", "وأدت التفجيرات إلى مقتل 120 جنديا")
    assert (civilians[0].victims, soldiers[0].victims) == ("civilians", "security forces")
    assert disagreements([*civilians, *soldiers]) == []


# --- vague figures, victim groups and places (a Yemen story's numbers row, SaudiNewsNet) -----


def _same_event(*claims: Claim, close: bool = True) -> list[Claim]:
    """The claims as the pipeline groups them when their sentences surely report one event
    (one event group, each other's comparable and close passages)."""
    from dataclasses import replace

    ids = tuple(c.passage_id for c in claims)
    return [
        replace(
            c,
            event_group="g",
            comparable_passages=tuple(p for p in ids if p != c.passage_id),
            close_passages=tuple(p for p in ids if p != c.passage_id) if close else (),
        )
        for c in claims
    ]


def test_a_vague_plural_is_its_whole_decade_and_marked_vague() -> None:
    """ "العشرات" names an order of magnitude: 17 injured and "dozens" of one clash both stand
    (aawsat 2015-07-27#140 "أصيب عشرات" against alwatan #926 "إصابة 18")."""
    dozens = _claims("a", "وأصيب العشرات من المصلين بحالات اختناق")[0]
    seventeen = _claims("b", "وأدت المواجهات إلى إصابة 17 مصليا")[0]
    assert (dozens.low, dozens.high, dozens.vague) == (10, 99, True)
    assert not seventeen.vague and dozens.consistent_with(seventeen)
    assert disagreements(_same_event(dozens, seventeen)) == []
    assert not _claims("c", "وأدى الانفجار إلى إصابة 3 آلاف شخص")[0].vague  # 3,000 is a count


def test_a_vague_figure_above_a_count_does_not_dispute_it() -> None:
    """ "Dozens" against 8 of one battle: the 8 may be one side's, one hospital's or the first
    count (aawsat 2015-07-26#103 "وقوع عشرات القتلى" against almadina 2015-07-27#516 "ثمانية")."""
    dozens = _claims("a", "وأشارت المصادر إلى وقوع عشرات القتلى في المعارك")[0]
    eight = _claims("b", "وأدت المعارك إلى مقتل ثمانية أشخاص")[0]
    assert not dozens.consistent_with(eight)  # the intervals alone would flag it
    assert disagreements(_same_event(dozens, eight)) == []


def test_a_count_above_a_vague_figure_is_only_possible() -> None:
    """121 injured against "العشرات" is flagged (judged true on SaudiNewsNet), never as a plain
    disagreement of sources: the vague word commits to no count."""
    dozens = _claims("a", "وأسفرت المواجهات عن إصابة العشرات")[0]
    many = _claims("b", "وأسفرت المواجهات عن إصابة 121 شخصا")[0]
    [flag] = disagreements(_same_event(dozens, many))
    assert not flag.close
    exact = _claims("c", "وأسفرت المواجهات عن إصابة 80 شخصا")[0]
    [plain] = disagreements(_same_event(exact, many))
    assert plain.close  # two counts of sentences that surely report one event: stated plainly


@pytest.mark.parametrize(
    ("text", "victims"),
    [
        # the ranks of a group after the number
        ("وسط أنباء عن سقوط 15 قتيلا في صفوف الحوثيين", "militias"),
        ("وأشارت إلى وقوع عشرات القتلى بين صفوف المتمردين", "militias"),
        ("وأصيب 7 من رجال حرس الحدود", "security forces"),
        ("وراح ضحيته 15 رجل أمن", "security forces"),
        ("ونتج عنه استشهاد 12 من منسوبي قوات الطوارئ", "security forces"),
        ("وقتل 5 من جماعة الحوثي", "militias"),
        ("وجرح العشرات من الجانبين", "both sides"),
        # forces by whose side they fight
        ("أسفرت عن مقتل 44 من قوات التمرد", "militias"),
        ("وقتل 10 من قوات صالح", "militias"),
        ("وأفادت مصادر طبية بمقتل سبعة بين صفوف القوات الموالية للرئيس هادي", "security forces"),
        ("قتل 10 من قوات التحالف", "coalition"),
        ("أسفرت عن سقوط 16 قتيلا من ميلشيات الحوثي", "militias"),  # a common misspelling
        # the group before the number, after a preposition
        ("فيما قتل من جانب المقاومة ثمانية أشخاص", "opposition fighters"),
        ("وقتل من الحوثيين 12 مسلحا", "militias"),
        ("وأكدت مصادر من المقاومة مقتل 8 أشخاص", None),  # the source, not the dead
        # a bare number joined to the next count shares its group
        ("ومقتل 8 وإصابة 35 من المقاومة في الاشتباكات", "opposition fighters"),
        ("خلف الحادث وفاة أربعة أشخاص وإصابة ثلاثة أطفال", None),  # its own noun: people
    ],
)
def test_the_group_a_count_is_of(text: str, victims: str | None) -> None:
    claim = next(c for c in extract_claims_from_text(text) if c.measure in ("killed", "injured"))
    assert claim.victims == victims


@pytest.mark.parametrize(
    ("text", "victims"),
    [
        ("كما قتل مدنيان اثنان وأصيب 13 آخرون بينهم طفلان", "civilians"),
        ("مقتل مدني وإصابة 4 آخرين في قصف على الأحياء السكنية", "civilians"),
        ("وقتل 12 حوثيا، فيما أصيب 18 آخرون بجروح", "militias"),
        ("استشهد ثلاثة من رجال المقاومة وأصيب 15 آخرون", "opposition fighters"),
        # the previous count has no group: neither have the others
        ("ما أدى إلى إصابة 18 مصليا واعتقال ستة آخرين", None),
        # the reporter is not the group
        ("وأعلنت الشرطة إصابة 4 آخرين", None),
        ("وذكرت مصادر أمنية إصابة 4 آخرين", None),
        # a part of the earlier count is not its kind
        ("قتل 17 شخصا بينهم القيادي الحوثي البارز وأصيب ثمانية آخرون", None),
    ],
)
def test_others_are_of_the_group_of_the_count_they_continue(text: str, victims: str | None) -> None:
    """ "وأصيب 13 آخرون" after "قتل مدنيان" counts civilians: alriyadh 2015-08-09#693's 13
    injured civilians in Taiz were compared with alwatan #774's 18 injured Houthis."""
    *_, others = [c for c in extract_claims_from_text(text) if c.measure != "date"]
    assert others.victims == victims


def test_others_of_different_sides_are_not_compared() -> None:
    civilians = _claims("a", "كما قتل مدنيان اثنان وأصيب 13 آخرون في قصف على تعز")
    houthis = _claims("b", "وأضافت أن 12 حوثيا قتلوا في تعز، فيما أصيب 18 آخرون بجروح")
    injured = [c for c in [*civilians, *houthis] if c.measure == "injured"]
    assert [c.victims for c in injured] == ["civilians", "militias"]
    assert disagreements(_same_event(*injured)) == []


def test_one_groups_count_against_everyones_is_only_possible() -> None:
    """5 Malian soldiers against 4 people killed in the hotel attack: a group's count may be a
    part of everyone's, so the flag is a possibility, not a plain disagreement."""
    soldiers = _claims("a", "وأسفر الهجوم على الفندق عن مقتل خمسة جنود")[0]
    people = _claims("b", "وأسفر الهجوم على الفندق عن مقتل أربعة أشخاص")[0]
    assert (soldiers.victims, people.victims) == ("security forces", None)
    [flag] = disagreements(_same_event(soldiers, people))
    assert not flag.close
    more_soldiers = _claims("c", "وأسفر الهجوم على الفندق عن مقتل سبعة جنود")[0]
    [plain] = disagreements(_same_event(soldiers, more_soldiers))
    assert plain.close


def test_the_numbers_row_leaves_out_other_groups_and_places() -> None:
    """Beside "12 من الحوثيين" the row shows every outlet's figure that may count the same
    people, not the resistance's 2 nor another town's 9."""
    from index.claims_compare import numbers_rows

    houthis = _claims("a", "وأسفرت المواجهات عن مقتل 12 من الحوثيين في تعز")
    resistance = _claims("b", "وأسفرت المواجهات عن مقتل 2 من المقاومة في تعز")
    people = _claims("c", "وأسفرت المواجهات عن مقتل 10 أشخاص في تعز")
    elsewhere = _claims("d", "وأسفرت المواجهات عن مقتل 9 من الحوثيين في مأرب")
    story = _same_event(*houthis, *resistance, *people, *elsewhere)
    [row] = numbers_rows("a:0", story)
    assert sorted(c.low for c in row.claims) == [10, 12]
    [row_b] = numbers_rows("b:0", story)
    assert sorted(c.low for c in row_b.claims) == [2, 10]


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("وقتل 3 من الحوثيين في غارة على تجمع لهم في جبهة الجفينة", ("جفينه",)),
        ("وقتل 8 في غارة على جبهة البلق", ("بلق",)),
        # a front that is an organisation or the fighting itself is not a place
        ("وقتل 11 من عناصر جبهة النصرة في اشتباكات", ()),
        ("وقتل 15 حوثيا في عدد من جبهات القتال", ()),
    ],
)
def test_a_front_of_the_war_is_a_locality(text: str, places: tuple[str, ...]) -> None:
    """ "جبهة البلق" and "الكمب غرب مدينة تعز" are two incidents (aleqtisadiya 2015-08-02#347
    against alyaum #948); "جبهة النصرة" is a group, not a place."""
    claim = next(c for c in extract_claims_from_text(text) if c.measure == "killed")
    assert claim.context_localities == places


def test_victims_of_a_fraud_are_not_killed() -> None:
    """ "راح ضحيته" is "killed" only of violence: a scheme's buyers or investors "fell its
    victims" too, and a count of them is no death toll."""
    assert not _claims("a", "كشفت التحقيقات عن احتيال عقاري راح ضحيته 900 ألف مشترٍ.")
    assert not _claims("a", "مخطط راح ضحيته آلاف المستثمرين في البورصة.")
    [toll] = _claims("a", "وقع تفجير راح ضحيته 15 شخصا في السوق.")
    assert (toll.measure, toll.low, toll.high) == ("killed", 15, 15)


def test_a_number_naming_a_model_or_series_is_not_a_count() -> None:
    """ "فورمولا 1", "بوينغ 737": the number is part of a name, not how many died."""
    assert not _claims("a", "لقي سائق فورمولا 1 حتفه بعد حادث في سباق اليابان.")
    [toll] = _claims("a", "سقطت طائرة من طراز بوينغ 737 ولقي 132 شخصا حتفهم.")
    assert (toll.measure, toll.low) == ("killed", 132)


def test_a_number_after_a_dimension_is_not_a_toll() -> None:
    """ "عن مسافة 100" beside "قتل" is a distance with its unit left out (seen in a SaudiNewsNet
    story of one death, shown as "killed: 100"); a distance with its unit is still read."""
    assert not _claims("a", "تتهم العائلة الجنود في قتل الشاب بدم بارد وعن مسافة 100.")
    claims = _claims("a", "قتل 5 أشخاص في انفجار على مسافة 100 كيلومتر من العاصمة.")
    assert [(c.measure, c.low) for c in claims] == [("killed", 5), ("distance_km", 100)]
