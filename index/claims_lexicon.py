"""Words that quantified claims are read with: Arabic number words and multipliers, qualifiers,
measure words and units, months, places, kinds of event.

Data and cached lookups only (the reading itself is :mod:`index.claims_numbers`,
:mod:`index.claims_measures` and :mod:`index.claims`). Every form is normalized with
:func:`index.arabic.normalize_token`; clitics (و ف ب ل ك ال) are stripped by :func:`strip_clitics`
before lookups, so "وبمقتل" finds "مقتل".
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


def has_form_in(norm: str, words: frozenset[str] | set[str]) -> bool:
    """Whether the token or one of its forms without proclitics (:func:`strip_clitics`) is one
    of ``words``: how every word list here is looked up ("وبينهم" is in SUBSET_WORDS)."""
    return any(form in words for form in strip_clitics(norm))


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
#: Plural counts: "tens of", "hundreds of", "thousands of" as intervals. They name an order of
#: magnitude, not a count: grammar makes a plural three or more, but news writes "العشرات" for
#: the injured of a clash whatever the tally (17 and "dozens" of one event both stand when one
#: is a hospital's count or written before the rest came in), so each covers its whole decade:
#: عشرات 10–99, مئات 100–999, آلاف 1,000–9,999.
VAGUE: dict[str, tuple[float, float]] = {
    normalize_token("عشرات"): (10, 99),
    normalize_token("مئات"): (100, 999),
    normalize_token("آلاف"): (1000, 9999),
    normalize_token("الاف"): (1000, 9999),
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
        ("ما يربو على", "more_than"),
        ("ما يربو عن", "more_than"),
        ("يربو على", "more_than"),
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
    ("killed", "حتف"),  # "لقي 5 أشخاص حتفهم"
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
SINCE = N("منذ")
#: "وفي 2013": a bare year after في is the time of the event.
IN_WORDS = frozenset(N(w) for w in ["في", "وفي"])
#: Superlatives that make "منذ عام 1979" a reference point ("أسوأ هجوم منذ عام 1979"): the
#: worst since then, not a count over the years since.
SUPERLATIVE_WORDS = frozenset(
    N(w)
    for w in [
        "أكثر",
        "الأكثر",
        "أسوأ",
        "الأسوأ",
        "أعنف",
        "الأعنف",
        "أكبر",
        "الأكبر",
        "أشد",
        "الأشد",
        "أخطر",
        "الأخطر",
        "أدمى",
        "الأدمى",
        "أول",
        "الأول",
        "الأولى",
    ]
)


@lru_cache(maxsize=100_000)
def measure_of_norm(norm: str) -> str | None:
    return measure_of(strip_clitics(norm))


def measure_of(forms: list[str]) -> str | None:
    for form in forms:
        for measure, prefix in MEASURE_PREFIXES:
            if form.startswith(prefix):
                return measure
    return None


#: Two-word phrases that say "killed" with words that do not alone: "أودى بحياة 32 شخصا" (took
#: the lives of), "راح ضحيتها 5 أشخاص" (fell its victims). Neither word is a measure by itself:
#: أودي is also the car maker and أودية are valleys, حياة is life and ضحية any victim. Pairs
#: of clitic-stripped normalized forms (verb, noun); :func:`measure_of_pair` reads them.
#: "Its victim(s)": the noun of "راح ضحيته", also what :data:`VICTIM_NOUNS` recognises.
_VICTIM_FORMS = ["ضحيته", "ضحيتها", "ضحيتهم", "ضحيتهما", "ضحية"]
MEASURE_PAIRS: dict[tuple[str, str], str] = {
    (N(verb), N(noun)): "killed"
    for verbs, nouns in (
        (
            ["أودى", "أودت", "يودي", "تودي", "أوديا", "أودتا"],
            ["حياة", "حياتهم", "حياتها", "حياته", "حياتهما"],
        ),
        (
            ["راح", "راحت", "ذهب", "ذهبت"],
            _VICTIM_FORMS,
        ),
    )
    for verb in verbs
    for noun in nouns
}


#: "راح ضحيته" says "killed" only of violence: the victims of a fraud fell too ("احتيال راح ضحيته
#: 900 ألف مشترٍ"). Words of such a scheme before the phrase, and the roles its victims have
#: after it, make the phrase no measure (``_pair_measure`` in :mod:`index.claims_measures`).
SCHEME_WORDS = frozenset(
    N(w)
    for w in ["احتيال", "نصب", "تحايل", "غش", "خداع", "اختراق", "قرصنة", "تسريب", "مخطط", "ابتزاز"]
)
SCHEME_VICTIMS = frozenset(
    N(w)
    for w in [
        "مشتر",
        "مشترين",
        "مشترون",
        "مستثمر",
        "مستثمرين",
        "مستثمرون",
        "عميل",
        "عملاء",
        "مودع",
        "مودعين",
        "مستهلك",
        "مستهلكين",
        "مساهم",
        "مساهمين",
        "مشترك",
        "مشتركين",
        "مستخدم",
        "مستخدمين",
        "حساب",
        "حسابات",
    ]
)
VICTIM_NOUNS = frozenset(N(w) for w in _VICTIM_FORMS)


@lru_cache(maxsize=100_000)
def measure_of_pair(before: str, norm: str) -> str | None:
    """The measure of the phrase ``before norm`` (normalized tokens) from :data:`MEASURE_PAIRS`."""
    for verb in strip_clitics(before):
        for noun in strip_clitics(norm):
            if (measure := MEASURE_PAIRS.get((verb, noun))) is not None:
                return measure
    return None


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


# --- units that are not lengths ----------------------------------------------------------------

#: A length unit followed by one of these is an area or a volume ("18 ألف متر مربع"), not a
#: distance: a park's lawn and its car park are not two outlets' distances to one place.
AREA_VOLUME_WORDS = frozenset(N(w) for w in ["مربع", "مربعا", "مربعة", "مكعب", "مكعبا", "مكعبة"])
#: "كم/ساعة", "كيلومترا في الساعة": a speed (wind, vehicles), not a distance.
PER_HOUR_WORDS = frozenset(N(w) for w in ["ساعة", "الساعة", "س"])


# --- superseded and cumulative figures --------------------------------------------------------

#: A toll word ("حصيلة") in a sentence that frames it as past — "وكانت الحصيلة الأولى أشارت
#: إلى سقوط تسعة قتلى" — is the report's own earlier figure, superseded by its current one.
TOLL_WORDS = frozenset(N(w) for w in ["حصيلة", "الحصيلة", "حصيلته", "حصيلتها"])
EARLIER_WORDS = frozenset(N(w) for w in ["الأولى", "الاولى", "أولى", "السابقة", "سابقة", "سابق"])
WAS_WORDS = frozenset(N(w) for w in ["كانت", "وكانت", "كان", "وكان"])
#: Words that make a figure a running total ("since the start of the war", "in total") rather
#: than one day's or one incident's count: the two are different quantities.
SINCE_START_WORDS = frozenset(N(w) for w in ["بداية", "بدء", "اندلاع", "انطلاق", "مطلع", "بدايه"])
TOTAL_WORDS = frozenset(
    N(w) for w in ["إجمالي", "الإجمالي", "إجمالية", "الإجمالية", "إجمالا", "المجموع", "مجموع"]
)
#: "وكانت حصيلة أولية / غير نهائية": a preliminary toll the report itself has replaced.
PRELIMINARY_WORDS = frozenset(N(w) for w in ["أولية", "الأولية", "غير"])
#: Durations after "خلال"/"منذ" that make a figure a period's total ("خلال عشرة أشهر", "منذ
#: أسبوع"); hours and days are one incident's reporting window ("خلال الـ24 ساعة الماضية").
LONG_DURATIONS = frozenset(
    N(w)
    for w in [
        "شهر",
        "شهرا",
        "أشهر",
        "شهور",
        "شهرين",
        "عام",
        "عاما",
        "أعوام",
        "عامين",
        "سنة",
        "سنوات",
        "سنين",
        "سنتين",
        "الشهر",
        "العام",
        "السنة",
        "الأشهر",
        "أسبوع",
        "أسبوعا",
        "أسابيع",
        "أسبوعين",
        "الأسبوع",
    ]
)
#: Words that make a figure the total of several incidents ("في سلسلة تفجيرات", "هجمات
#: متفرقة", "في أنحاء العراق", "موجة عنف"): not comparable with one incident's count.
AGGREGATE_WORDS = frozenset(
    N(w) for w in ["سلسلة", "متفرقة", "أنحاء", "انحاء", "موجة", "منفصلين", "منفصلتين", "متعددة"]
)
#: Relative times that place a figure in another period than the story's: "وفي مطلع العام
#: الماضي قتل 119 شخصا", "وفي مطلع الشهر الحالي، قتل 33".
PERIOD_WORDS = frozenset(N(w) for w in ["العام", "السنة", "الشهر", "عام", "سنة", "شهر"])
PAST_WORDS = frozenset(N(w) for w in ["الماضي", "الماضية", "المنصرم", "المنصرمة", "الفائت"])
START_WORDS = frozenset(N(w) for w in ["مطلع", "بداية", "أوائل", "اوائل"])
#: "أعلنت مصادر طبية سابقا مصرع 21": the report's own earlier figure.
EARLIER_ADVERBS = frozenset(N(w) for w in ["سابقا", "سابقاً", "قبلها", "قبله"])
#: Verbs of exceeding, read as "more than": "عدد المصابين تجاوز 30".
EXCEED_WORDS = frozenset(
    N(w) for w in ["تجاوز", "يتجاوز", "تخطى", "يتخطى", "فاق", "يفوق", "جاوز", "تعدى", "يتعدى"]
)
#: Counted nouns that are not people: "مباشرة 4 فرق أرضية" counts teams, not the injured
#: named before it.
NON_PERSON_NOUNS = frozenset(
    N(w)
    for w in [
        "فرق",
        "فرقة",
        "فريق",
        "فرقا",
        "سيارة",
        "سيارات",
        "مركبة",
        "مركبات",
        "آلية",
        "آليات",
        "طائرة",
        "طائرات",
        "منزل",
        "منازل",
        "مبنى",
        "مباني",
        "موقع",
        "مواقع",
        "غارة",
        "غارات",
        "ضربة",
        "ضربات",
        "قذيفة",
        "قذائف",
        "صاروخ",
        "صواريخ",
        "عبوة",
        "عبوات",
        "بلاغ",
        "بلاغات",
        "بلاغا",
        "مرة",
        "مرات",
        "دولة",
        "دول",
        "طلعة",
        "طلعات",
        "عملية",
        "عمليات",
        "وكر",
        "أوكار",
        "عربة",
        "عربات",
        "ريال",
        "دولار",
        "مستشفى",
        "مستشفيات",
        "رصاصة",
        "رصاصات",
        "طلقة",
        "طلقات",
    ]
)
#: Words before a year-shaped number that make it a year even next to a measure word ("وفاة
#: الزعيم في 2004").
YEAR_PREPOSITIONS = frozenset(N(w) for w in ["في", "عام", "العام", "سنة", "لعام", "منذ", "حتى"])
#: Verbs that announce a figure: "أعلنت في وقت سابق مصرع 21" is an earlier announcement.
REPORTING_VERBS = frozenset(
    N(w)
    for w in [
        "صرح",
        "صرحت",
        "أعلن",
        "أعلنت",
        "أفاد",
        "أفادت",
        "ذكر",
        "ذكرت",
        "قال",
        "قالت",
        "أشار",
        "أشارت",
        "أكد",
        "أكدت",
        "أوردت",
        "أورد",
        "نقلت",
        "تحدثت",
        "تحدث",
    ]
)
#: "ويأتي الهجوم بعد أيام على مقتل سبعة جنود": a number inside "after days of ..." belongs to
#: the earlier event the sentence recalls.
RECALL_DURATIONS = frozenset(
    N(w)
    for w in [
        "أيام",
        "يوم",
        "يومين",
        "ساعات",
        "ساعة",
        "أسبوع",
        "أسبوعين",
        "أسابيع",
        "شهر",
        "شهرين",
        "أشهر",
    ]
)
#: Counted nouns between a number and its measure: "15 حالة وفاة", "17 شخصا قتلوا".
COUNTED_NOUNS = frozenset(
    N(w)
    for w in ["حالة", "حالات", "شخص", "شخصا", "أشخاص", "فرد", "فردا", "أفراد", "مواطن", "مواطنا"]
)
#: A number after these names a position, a time or a label, not a count: "في الدقيقة 76",
#: "الساعة 13", "رقم 5", "المركز 3".
POSITION_NOUNS = frozenset(
    N(w)
    for w in [
        "الدقيقة",
        "دقيقة",
        "الساعة",
        "رقم",
        "برقم",
        "المركز",
        "المرتبة",
        "الجولة",
        "المادة",
        "الفقرة",
        "الصفحة",
        "الشوط",
        "الطابق",
        "الدور",
        "البند",
        "الكيلو",
        # names of models and series: "فورمولا 1", "كوفيد 19", "إف 16", "بوينغ 737", "إس 400"
        "فورمولا",
        "الفورمولا",
        "ويندوز",
        "آيفون",
        "كوفيد",
        "إف",
        "بوينغ",
        "بوينج",
        "إيرباص",
        "سوخوي",
        "ميغ",
        "ميج",
        "إس",
        "تي",
        "سي",
        "طراز",
        "موديل",
        "الفئة",
        "الجيل",
    ]
)
#: A number after these measures a thing — how far, how high, how old — not how many people:
#: "قتل الشاب … عن مسافة 100" is a distance with its unit left out, never a toll of 100.
DIMENSION_NOUNS = frozenset(
    N(w)
    for w in [
        "مسافة",
        "المسافة",
        "ارتفاع",
        "عمق",
        "طول",
        "عرض",
        "سرعة",
        "وزن",
        "مساحة",
        "قطر",
        "عمر",
    ]
)
#: Words after a number that make it a percentage: "90 بالمئة", "90 في المائة".
PERCENT_WORDS = frozenset(N(w) for w in ["بالمئة", "بالمائة", "بالمئه", "المائة", "المئة"])
#: Attached pronouns, on the written word: "لقي شخصان حتفهما" (their death).
PRONOUN_SUFFIXES = ("ه", "ها", "هم", "هما", "هن")
#: "كيلو مترا" written as two words is a kilometre.
KILO = N("كيلو")
#: "بينما لا يزال 24 مصابا يتلقون العلاج": those still in hospital, a part of the injured.
STILL_WORDS = frozenset(
    N(w) for w in ["لازال", "مازال", "يزال", "تزال", "زال", "لايزال", "مايزال", "لاتزال"]
)
#: Words that open a new clause with its own verb; a measure word before them is not the
#: measure of a number after them ("قتل قائدا ميدانيا كما أسرت 11 حوثيا").
CLAUSE_CONNECTORS = frozenset(N(w) for w in ["كما", "وكما", "فيما", "بينما", "حين"])
