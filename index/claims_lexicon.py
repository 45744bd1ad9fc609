"""Words that quantified claims are read with: Arabic number words and multipliers, qualifiers,
measure words and units, months, places, kinds of event.

Data and cached lookups only (the reading itself is :mod:`index.claims`). Every form is
normalized with :func:`index.arabic.normalize_token`; clitics (و ف ب ل ك ال) are stripped by
:func:`strip_clitics` before lookups, so "وبمقتل" finds "مقتل".
"""

from __future__ import annotations

import re
from functools import lru_cache

from index.arabic import normalize_token


def strip_clitics(norm: str) -> list[str]:
    """The token and its forms without the proclitics و ف ب ل ك and the article ال."""
    forms = [norm]
    word = norm
    if len(word) > 3 and word[0] in "وف":
        word = word[1:]
        forms.append(word)
    if len(word) > 3 and word[0] in "بلك":
        word = word[1:]
        forms.append(word)
    for article in ("ال", "ل"):
        if len(word) > len(article) + 2 and word.startswith(article):
            forms.append(word[len(article) :])
            break
    return forms


# --- number words -----------------------------------------------------------------------------

UNITS: dict[str, int] = {}
for _value, _words in (
    (1, "واحد واحدة"),
    (2, "اثنان اثنين اثنتان اثنتين"),
    (3, "ثلاث ثلاثة"),
    (4, "أربع أربعة"),
    (5, "خمس خمسة"),
    (6, "ست ستة"),
    (7, "سبع سبعة"),
    (8, "ثمان ثماني ثمانية"),
    (9, "تسع تسعة"),
    (10, "عشر عشرة"),
):
    for _w in _words.split():
        UNITS[normalize_token(_w)] = _value
TENS: dict[str, int] = {}
for _value, _words in (
    (20, "عشرون عشرين"),
    (30, "ثلاثون ثلاثين"),
    (40, "أربعون أربعين"),
    (50, "خمسون خمسين"),
    (60, "ستون ستين"),
    (70, "سبعون سبعين"),
    (80, "ثمانون ثمانين"),
    (90, "تسعون تسعين"),
    (100, "مئة مائة"),
    (200, "مئتان مئتين مائتان مائتين"),
    (1000, "ألف"),
    (2000, "ألفان ألفين"),
):
    for _w in _words.split():
        TENS[normalize_token(_w)] = _value
#: Plural counts: "tens of", "hundreds of", "thousands of" as intervals (Arabic plurals denote
#: three or more; news usage starts at two, so the lower bound is generous).
VAGUE: dict[str, tuple[float, float]] = {
    normalize_token("عشرات"): (20, 99),
    normalize_token("مئات"): (200, 999),
    normalize_token("مئات"): (200, 999),
    normalize_token("آلاف"): (2000, 9999),
    normalize_token("الاف"): (2000, 9999),
}
MULTIPLIERS: dict[str, float] = {
    normalize_token("ألف"): 1e3,
    normalize_token("آلاف"): 1e3,
    normalize_token("الاف"): 1e3,
    normalize_token("ألفا"): 1e3,
    normalize_token("مليون"): 1e6,
    normalize_token("ملايين"): 1e6,
    normalize_token("مليونا"): 1e6,
    normalize_token("مليار"): 1e9,
    normalize_token("مليارات"): 1e9,
}
TEEN_TAIL = {normalize_token("عشر"), normalize_token("عشرة")}


@lru_cache(maxsize=100_000)
def number_word(norm: str) -> tuple[str, float, float] | None:
    """:func:`word_number` of a normalized token (cached: it runs on every word)."""
    return word_number(strip_clitics(norm))


def word_number(forms: list[str]) -> tuple[str, float, float] | None:
    """A number word among a token's clitic-stripped forms: ("unit"|"tens"|"vague", low, high)."""
    for form in forms:
        if form in UNITS:
            return "unit", UNITS[form], UNITS[form]
        if form in TENS:
            return "tens", TENS[form], TENS[form]
        if form in VAGUE:
            low, high = VAGUE[form]
            return "vague", low, high
    return None


def parse_digits(norm: str) -> float | None:
    """A digit string (already Western digits) with '.'/'٫' decimals and ','/'٬' thousands."""
    text = norm.replace("\u066c", ",").replace("\u066b", ".")
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", text):
        text = text.replace(",", "")
    elif "," in text:
        text = text.replace(",", ".", 1) if text.count(",") == 1 else text.replace(",", "")
    try:
        return float(text)
    except ValueError:
        return None


# --- qualifiers and measures ------------------------------------------------------------------

N = normalize_token
# Qualifier phrases before the number, as normalized token tuples -> kind.
BEFORE_QUALIFIERS: tuple[tuple[tuple[str, ...], str], ...] = tuple(
    (tuple(N(w) for w in phrase.split()), kind)
    for phrase, kind in (
        ("ما لا يقل عن", "at_least"),
        ("لا يقل عن", "at_least"),
        ("على الأقل", "at_least"),
        ("ما يزيد على", "more_than"),
        ("ما يزيد عن", "more_than"),
        ("يزيد على", "more_than"),
        ("يزيد عن", "more_than"),
        ("أكثر من", "more_than"),
        ("أزيد من", "more_than"),
        ("ما يقرب من", "about"),
        ("يقرب من", "about"),
        ("ما يناهز", "about"),
        ("يناهز", "about"),
        ("نحو", "about"),
        ("حوالي", "about"),
        ("حوالى", "about"),
        ("قرابة", "about"),
        ("زهاء", "about"),
        ("أقل من", "less_than"),
        ("ما يصل إلى", "up_to"),
    )
)
AFTER_QUALIFIERS: tuple[tuple[tuple[str, ...], str], ...] = tuple(
    (tuple(N(w) for w in phrase.split()), kind)
    for phrase, kind in (
        ("على الأقل", "at_least"),
        ("على الاقل", "at_least"),
        ("تقريبا", "about"),
        ("تقريباً", "about"),
        ("أو أكثر", "at_least"),
    )
)

MEASURE_PREFIXES: tuple[tuple[str, str], ...] = (
    ("killed", "مقتل"),
    ("killed", "قتيل"),
    ("killed", "قتلي"),
    ("killed", "قتل"),
    ("killed", "يقتل"),
    ("killed", "مصرع"),
    ("killed", "وفاه"),
    ("killed", "شهيد"),
    ("killed", "شهداء"),
    ("killed", "استشهاد"),
    ("killed", "ضحايا"),
    ("injured", "اصاب"),
    ("injured", "اصيب"),
    ("injured", "مصاب"),
    ("injured", "جريح"),
    ("injured", "جرح"),
    ("injured", "جرحي"),
    ("arrested", "اعتقال"),
    ("arrested", "اعتقل"),
    ("arrested", "معتقل"),
    ("arrested", "توقيف"),
    ("arrested", "موقوف"),
    ("arrested", "احتجاز"),
    ("arrested", "محتجز"),
)
DISTANCE_UNITS: dict[str, float] = {
    N("كيلومتر"): 1.0,
    N("كيلومترا"): 1.0,
    N("كيلومترات"): 1.0,
    N("كلم"): 1.0,
    N("كم"): 1.0,
    N("ميل"): 1.609344,
    N("ميلا"): 1.609344,
    N("أميال"): 1.609344,
    N("متر"): 0.001,
    N("مترا"): 0.001,
    N("أمتار"): 0.001,
}
MONTHS: dict[str, int] = {}
for _value, _words in enumerate(
    (
        "يناير كانون_الثاني",
        "فبراير شباط",
        "مارس آذار",
        "أبريل إبريل نيسان",
        "مايو أيار",
        "يونيو يونيه حزيران",
        "يوليو يوليه تموز",
        "أغسطس آب",
        "سبتمبر أيلول",
        "أكتوبر تشرين_الأول",
        "نوفمبر تشرين_الثاني",
        "ديسمبر كانون_الأول",
    ),
    start=1,
):
    for _w in _words.split():
        MONTHS[N(_w.split("_")[0]) if "_" not in _w else "_".join(N(p) for p in _w.split("_"))] = (
            _value
        )
YEAR_WORDS = {N("عام"), N("سنة"), N("العام"), N("لعام")}
SINCE_WORDS = {N("منذ"), N("قبل"), N("بعد"), N("حتى")}


@lru_cache(maxsize=100_000)
def measure_of_norm(norm: str) -> str | None:
    return measure_of(strip_clitics(norm))


def measure_of(forms: list[str]) -> str | None:
    for form in forms:
        for measure, prefix in MEASURE_PREFIXES:
            if form.startswith(prefix):
                return measure
    return None


# --- places (for the story-level event guard) -----------------------------------------------

#: Countries, capitals and large cities often in Arabic news, with their nisba adjectives. A
#: claim whose sentence names a place that the story's other outlets never mention is about
#: another event. Normalized forms; clitics are stripped before lookup.
PLACE_NAMES = """
إيران ايران طهران إيراني إيرانية كرمان روسيا روسي روسية موسكو كروكوس أوكرانيا أوكراني كييف
غزة إسرائيل إسرائيلي إسرائيلية فلسطين فلسطيني الضفة رفح خانيونس لبنان لبناني بيروت
سوريا سورية سوري دمشق حلب إدلب العراق عراقي بغداد الموصل أربيل البصرة اليمن يمني صنعاء عدن
السعودية سعودي الرياض جدة مكة الكويت كويتي قطر قطري الدوحة الإمارات إماراتي دبي أبوظبي
البحرين بحريني عمان مسقط الأردن أردني عمّان مصر مصري القاهرة الإسكندرية ليبيا ليبي طرابلس بنغازي
تونس تونسي الجزائر جزائري المغرب مغربي الرباط السودان سوداني الخرطوم الصومال مقديشو تركيا
أنقرة إسطنبول باكستان باكستاني إسلام_آباد كابول أفغانستان أفغاني الهند هندي نيودلهي الصين صيني
بكين اليابان طوكيو كوريا فرنسا فرنسي باريس ألمانيا ألماني برلين بريطانيا بريطاني لندن إيطاليا
روما إسبانيا مدريد بلجيكا بروكسل نيجيريا النيجر طاجيكستان طاجيكي أوزبكستان الشيشان
واشنطن نيويورك كاليفورنيا تكساس فلوريدا كندا المكسيك البرازيل الفلبين إندونيسيا ماليزيا
"""
PLACES: frozenset[str] = frozenset(N(w) for w in PLACE_NAMES.split())


@lru_cache(maxsize=100_000)
def place_of(norm: str) -> str | None:
    for form in strip_clitics(norm):
        if form in PLACES:
            return form
        if len(form) > 4 and form.endswith("ه") and form[:-1] in PLACES:  # نسبة feminine: روسيه
            return form[:-1]
        if len(form) > 4 and form.endswith("يه") and form[:-2] in PLACES:
            return form[:-2]
        if len(form) > 4 and form.endswith("يين") and form[:-3] in PLACES:
            return form[:-3]
    return None


PLACE_ALIASES = {
    N(a): N(b)
    for a, b in (
        ("ايران", "إيران"),
        ("إيراني", "إيران"),
        ("طهران", "إيران"),
        ("روسي", "روسيا"),
        ("موسكو", "روسيا"),
        ("كروكوس", "روسيا"),
        ("إسرائيلي", "إسرائيل"),
        ("فلسطيني", "فلسطين"),
        ("غزة", "غزة"),
        ("عراقي", "العراق"),
        ("سوري", "سوريا"),
        ("سورية", "سوريا"),
        ("طاجيكي", "طاجيكستان"),
        ("أفغاني", "أفغانستان"),
        ("كييف", "أوكرانيا"),
        ("أوكراني", "أوكرانيا"),
    )
}


def canonical_place(place: str) -> str:
    """One name per country for a nisba or a city we map to it (الروسية, موسكو → روسيا).

    Gaza stays Gaza: a strike on Gaza is another event than one in Israel even though both
    names appear in the same stories.
    """
    if place in PLACE_ALIASES:
        return PLACE_ALIASES[place]
    if place.endswith("ه") and place[:-1] in PLACE_ALIASES:
        return PLACE_ALIASES[place[:-1]]
    return place


DURATION_UNITS = frozenset(
    N(w)
    for w in [
        "ساعة",
        "ساعات",
        "ساعتين",
        "يوم",
        "يوما",
        "أيام",
        "يومين",
        "أسبوع",
        "أسبوعا",
        "أسابيع",
        "أسبوعين",
        "شهر",
        "شهرا",
        "أشهر",
        "شهور",
        "شهرين",
        "سنة",
        "سنوات",
        "سنين",
        "عام",
        "عاما",
        "أعوام",
        "عامين",
        "دقيقة",
        "دقائق",
    ]
)
SUBSET_WORDS = frozenset(N(w) for w in ["بينهم", "بينهن", "منهم", "منهن", "بينها", "منها"])
ONE_TWO = frozenset(N(w) for w in ["واحد", "واحدة", "اثنان", "اثنين", "اثنتان", "اثنتين"])

EVENT_PREFIXES: tuple[tuple[str, str], ...] = tuple(
    (N(prefix), kind)
    for prefix, kind in (
        ("تفجير", "bombing"),
        ("انفجار", "bombing"),
        ("مفخخ", "bombing"),
        ("ناسف", "bombing"),
        ("انتحاري", "bombing"),
        ("قصف", "shelling"),
        ("غاره", "airstrike"),
        ("غارات", "airstrike"),
        ("معارك", "clashes"),
        ("اشتباك", "clashes"),
        ("مواجهات", "clashes"),
        ("حادث", "accident"),
        ("انقلاب", "accident"),
        ("تصادم", "accident"),
        ("حريق", "fire"),
        ("زلزال", "quake"),
        ("فيضان", "flood"),
        ("سيول", "flood"),
        ("إطلاق النار", "shooting"),
        ("مسلح", "shooting"),
    )
)


@lru_cache(maxsize=100_000)
def event_kind(norm: str) -> str | None:
    for form in strip_clitics(norm):
        for prefix, kind in EVENT_PREFIXES:
            if form.startswith(prefix):
                return kind
    return None
