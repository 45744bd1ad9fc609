"""Places for the claims' event guards: a gazetteer of the countries and cities Arabic news
names (a claim whose sentence names a place the story's other outlets never mention is about
another event), and the words that introduce or qualify a locality ("منطقة", "شمال") for the
rule that two figures from different towns are two incidents. Data, with the one lookup each
needs; :mod:`index.claims_context` and :mod:`index.claims` apply them."""

from __future__ import annotations

from functools import lru_cache

from index.arabic import normalize_token
from index.claims_lexicon import strip_clitics

N = normalize_token


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


# --- localities (for the pairwise "different incident" rule) --------------------------------

#: Nouns that introduce the name of a locality: "في منطقة الطارمية", "بلدة مندلي", "محافظة
#: مأرب", "جبهة الجفينة" (a front of the Yemen war is named by its place). The word after them
#: is the incident's place, however small (no gazetteer has every neighbourhood of Baghdad).
#: Not ولاية: "تنظيم داعش - ولاية خراسان" names an organisation (as "جبهة النصرة" does: see
#: :data:`NOT_LOCALITY_NAMES`).
LOCALITY_NOUNS = frozenset(
    N(w)
    for w in [
        "منطقة",
        "مناطق",
        "حي",
        "أحياء",
        "مدينة",
        "مدن",
        "بلدة",
        "بلدتي",
        "بلدات",
        "قرية",
        "قرى",
        "محافظة",
        "محافظتي",
        "ريف",
        "مديرية",
        "ناحية",
        "قضاء",
        "مخيم",
        "إقليم",
        "مقاطعة",
        "جبهة",
        "جبهات",
    ]
)
#: Cities and provinces often named as the place of an incident in Arabic news (Yemen, Iraq,
#: Syria, Saudi regions, and the capitals of :data:`PLACE_NAMES`). Countries are not here: a
#: country contains the incident's city, so "in Iran" and "in Kerman" do not contradict.
LOCALITY_NAMES = frozenset(
    N(w)
    for w in [
        "طهران",
        "كرمان",
        "موسكو",
        "كييف",
        "غزة",
        "الضفة",
        "رفح",
        "خانيونس",
        "بيروت",
        "طرابلس",
        "بنغازي",
        "دمشق",
        "حلب",
        "إدلب",
        "حمص",
        "حماة",
        "درعا",
        "الرقة",
        "الحسكة",
        "اللاذقية",
        "طرطوس",
        "القنيطرة",
        "السويداء",
        "الزبداني",
        "دوما",
        "الغوطة",
        "القلمون",
        "كوباني",
        "بغداد",
        "الموصل",
        "أربيل",
        "البصرة",
        "الأنبار",
        "الرمادي",
        "الفلوجة",
        "ديالى",
        "بعقوبة",
        "تكريت",
        "سامراء",
        "بيجي",
        "كركوك",
        "نينوى",
        "كربلاء",
        "النجف",
        "الناصرية",
        "الكوت",
        "صنعاء",
        "عدن",
        "تعز",
        "مأرب",
        "لحج",
        "أبين",
        "الضالع",
        "الحديدة",
        "شبوة",
        "حضرموت",
        "المكلا",
        "صعدة",
        "ذمار",
        "الجوف",
        "جدة",
        "مكة",
        "الدمام",
        "الأحساء",
        "القطيف",
        "جازان",
        "نجران",
        "عسير",
        "أبها",
        "تبوك",
        "حائل",
        "القصيم",
        "الطائف",
        "الباحة",
        "ينبع",
        "القاهرة",
        "الإسكندرية",
        "سيناء",
        "العريش",
        "الخرطوم",
        "مقديشو",
        "أنقرة",
        "إسطنبول",
        "كابول",
        "نيويورك",
        "واشنطن",
        "باريس",
        "لندن",
    ]
)
#: Words after a locality noun that are not a name: "مناطق متفرقة من تعز", "قرى أخرى", and
#: the fronts that are organisations or the fighting itself ("جبهة النصرة", "جبهات القتال").
NOT_LOCALITY_NAMES = frozenset(
    N(w)
    for w in [
        "متفرقة",
        "مختلفة",
        "عدة",
        "عديدة",
        "أخرى",
        "واسعة",
        "سكنية",
        "قريبة",
        "بعيدة",
        "تابعة",
        "مجاورة",
        "محاذية",
        "حدودية",
        "نائية",
        "عسكرية",
        "محررة",
        "آمنة",
        "شاسعة",
        "كثيرة",
        "جديدة",
        "القتال",
        "قتال",
        "المعركة",
        "النصرة",
        "نصرة",
        "النضال",
        "التحرير",
        "تحرير",
        "الإنقاذ",
        "إنقاذ",
        "العمل",
        "المقاومة",
        "جيش",
        "حزب",
        "ثوار",
        "أنصار",
        "فتح",
        "الشعبية",
    ]
)
#: Direction words: "57 كم شمال شرقي بغداد" uses Baghdad as a landmark, the place is elsewhere.
DIRECTION_WORDS = frozenset(
    N(w)
    for w in [
        "شمال",
        "جنوب",
        "شرق",
        "غرب",
        "شمالي",
        "جنوبي",
        "شرقي",
        "غربي",
        "شمالا",
        "جنوبا",
        "شرقا",
        "غربا",
        "قرب",
        "بالقرب",
        "مقربة",
        "أطراف",
        "ضواحي",
    ]
)


#: Generic place nouns between a locality noun and its name ("منطقة جبل المعاشيق").
GENERIC_PLACE_NOUNS = frozenset(
    N(w)
    for w in ["جبل", "وادي", "سوق", "شارع", "مطار", "ميناء", "قاعدة", "معسكر", "سجن", "جسر", "ساحة"]
)
