"""Who a count counts: the side or group of people a figure is about, read from its sentence.

Two outlets' figures for different groups of one battle are two quantities, not two accounts
of one: "8 من الحوثيين" and "3 من المقاومة", "مقتل مدني وإصابة 4 آخرين" and "مقتل تسعة
حوثيين وإصابة 21 آخرين". :func:`victims_of` reads the group where Arabic news writes it:

* after the number ("10 مدنيين", "ثلاثة عناصر من الجيش", "15 قتيلا في صفوف الحوثيين"), a
  coordinated count included ("مقتل 8 وإصابة 35 من المقاومة": both are the resistance's);
* before it, after a preposition ("قتل من جانب المقاومة ثمانية أشخاص", "قتل من الحوثيين 12");
* for "others" ("وأصيب 15 آخرون"), from the count it continues ("استشهد ثلاثة من رجال
  المقاومة وأصيب 15 آخرون": the 15 are the resistance's too).

A figure of people in general ("84 شخصا", "84 إيرانيًا": a nationality is not a side) has no
group and stays comparable with any. These rules were written from the Yemen stories of
SaudiNewsNet (benchmarks/claims_precision.py, BENCHMARKS.md); the groups are coarse on purpose:
two labels only have to differ for the figures not to be compared.
"""

from __future__ import annotations

from index.claims_context import Tok
from index.claims_lexicon import (
    ONE_TWO,
    REPORTING_VERBS,
    SUBSET_WORDS,
    N,
    has_form_in,
    measure_of_norm,
    number_word,
    strip_clitics,
)

#: The group a count is of, by prefixes of clitic-stripped normalized forms ("8 من الحوثيين",
#: "10 مدنيين", "ثلاثة عناصر من الجيش"). "قوات" is read with the words after it
#: (:func:`_forces_group`): "قوات صالح" fight with the Houthis, "القوات الموالية لهادي" against.
VICTIM_GROUP_PREFIXES: tuple[tuple[str, str], ...] = tuple(
    (N(prefix), group)
    for prefix, group in (
        ("مدني", "civilians"),
        ("طفل", "civilians"),
        ("أطفال", "civilians"),
        ("نساء", "civilians"),
        ("جندي", "security forces"),
        ("جنود", "security forces"),
        ("عسكري", "security forces"),
        ("شرطي", "security forces"),
        ("شرطة", "security forces"),
        ("جيش", "security forces"),
        ("أمن", "security forces"),
        ("ضابط", "security forces"),
        ("ضباط", "security forces"),
        ("حرس", "security forces"),  # "من رجال حرس الحدود"
        ("مسلح", "militias"),
        ("حوثي", "militias"),
        ("داعش", "militias"),
        ("إرهابي", "militias"),
        ("متمرد", "militias"),
        ("ميليشي", "militias"),
        ("مليشي", "militias"),
        ("ميلشي", "militias"),  # a common misspelling: "من ميلشيات الحوثي"
        ("انقلابي", "militias"),
        ("متشدد", "militias"),
        ("حزب", "militias"),
        ("طرفين", "both sides"),
        ("الطرفين", "both sides"),
        ("جانبين", "both sides"),
        ("مقاومة", "opposition fighters"),
        ("معارضة", "opposition fighters"),
        ("ثوار", "opposition fighters"),
    )
)
#: Words passed over on the way to the group: the counted noun itself and its links
#: ("عناصر من", "رجال المقاومة", "منسوبي قوات الطوارئ").
VICTIM_SKIP_WORDS = frozenset(
    N(w)
    for w in [
        "من",
        "شخص",
        "شخصا",
        "أشخاص",
        "قتيل",
        "قتيلا",
        "قتلى",
        "جريح",
        "جريحا",
        "جرحى",
        "آخرين",
        "آخرون",
        "آخر",
        "فرد",
        "فردا",
        "أفراد",
        "عنصر",
        "عنصرا",
        "عناصر",
        "تنظيم",
        "صفوف",
        "عضو",
        "عضوا",
        "أعضاء",
        "مقاتل",
        "مقاتلا",
        "مقاتلين",
        "مقاتلي",
        "مقاتلو",
        "رجال",
        "رجل",
        "منسوبي",
        "جماعة",
    ]
)
#: "في صفوف الحوثيين", "بين صفوف المتمردين": the preposition before صفوف (ranks) is passed over.
_RANKS = N("صفوف")
_RANKS_PREPOSITIONS = frozenset(N(w) for w in ["في", "بين", "ضمن"])
#: Prepositions that put a group before its number: "قتل من جانب المقاومة ثمانية", "سقط في
#: صفوف الجيش 5 قتلى", "قتل من الحوثيين 12".
_GROUP_BEFORE_LINKS = frozenset(N(w) for w in ["من", "جانب", "صفوف"])
#: "آخرون" (others): the count continues the previous one of its sentence and counts its kind.
OTHERS_WORDS = frozenset(N(w) for w in ["آخرين", "آخرون", "آخر", "أخرى", "أخريات", "آخران"])
#: The search for the count "others" continues stops at the start of the reported clause
#: ("قالت الشرطة إن 4 آخرين أصيبوا": the police report, they are not the count).
_REPORT_START = frozenset(N(w) for w in ["إن", "أن", "بأن", "وأن", "وإن"])
#: Nouns of a report's source: the group word after them is who reports, not who was counted
#: ("أعلنت الشرطة إصابة 4 آخرين", "ذكرت مصادر أمنية إصابة 4 آخرين").
_SOURCE_NOUNS = frozenset(
    N(w) for w in ["مصدر", "مصادر", "مسؤول", "مسؤولون", "متحدث", "ناطق", "بيان", "المتحدث"]
)
_FORCES = frozenset(N(w) for w in ["قوات", "القوات"])
#: After "قوات": the side it fights on. Saleh's forces fought with the Houthis (Yemen, 2015);
#: the coalition's are a side of their own; other forces (security, the army, "الموالية") are
#: security forces.
_FORCES_MILITIA_PREFIXES = tuple(
    N(w) for w in ["صالح", "المخلوع", "حوثي", "الحوثي", "انقلاب", "تمرد", "متمرد"]
)
_COALITION = N("التحالف")
#: How far the readers look: a group is named next to its number, not a clause away.
_AFTER_WINDOW = 7
_OTHERS_WINDOW = 8


def group_of_word(toks: list[Tok], j: int) -> str | None:
    """The group the word at token ``j`` names, if any ("الحوثيين" militias, "قوات صالح"
    militias, "مدنيين" civilians)."""
    tok = toks[j]
    if tok.kind != "word":
        return None
    forms = strip_clitics(tok.norm)
    if any(f in _FORCES for f in forms):
        return _forces_group(toks, j)
    for form in forms:
        for prefix, group in VICTIM_GROUP_PREFIXES:
            if form.startswith(prefix):
                return group
    return None


def _forces_group(toks: list[Tok], j: int) -> str:
    """ "قوات" by the words after it: "قوات صالح" / "القوات الموالية للحوثي" militias, "قوات
    التحالف" the coalition, other forces ("قوات الأمن", "القوات الموالية لهادي") security
    forces."""
    for tok in toks[j + 1 : j + 4]:
        if tok.kind != "word":
            break
        forms = strip_clitics(tok.norm)
        if any(f.startswith(p) for f in forms for p in _FORCES_MILITIA_PREFIXES):
            return "militias"
        if _COALITION in forms:
            return "coalition"
    return "security forces"


def _is_number(tok: Tok) -> bool:
    return tok.kind == "num" or (tok.kind == "word" and number_word(tok.norm) is not None)


def _skipped(toks: list[Tok], j: int) -> bool:
    """Whether the word at token ``j`` is passed over on the way to the group."""
    tok = toks[j]
    forms = strip_clitics(tok.norm)
    if any(f in VICTIM_SKIP_WORDS for f in forms):
        return True
    # "في صفوف", "بين صفوف": the ranks of the group that follows
    nxt = toks[j + 1] if j + 1 < len(toks) else None
    return (
        tok.norm in _RANKS_PREPOSITIONS
        and nxt is not None
        and nxt.kind == "word"
        and _RANKS in strip_clitics(nxt.norm)
    )


def victim_group_after(toks: list[Tok], last: int) -> str | None:
    """The group the number ending at token ``last`` counts, from the few words after it,
    before the next clause (a comma, "و…") or a subset ("بينهم نساء" is part of the count, not
    its group). A count joined by و to this one shares its group: "مقتل 8 وإصابة 35 من
    المقاومة" says both are the resistance's."""
    j = last + 1
    seen = 0
    while j < len(toks) and seen < _AFTER_WINDOW:
        tok = toks[j]
        if tok.kind != "word" or tok.norm in SUBSET_WORDS:
            return None
        if tok.norm.startswith("و"):
            if (
                j == last + 1
                and measure_of_norm(tok.norm)
                and j + 1 < len(toks)
                and _is_number(toks[j + 1])
            ):
                # "ومقتل 8 وإصابة 35 من المقاومة": a bare number joined to the next count
                # shares its group; "وفاة أربعة أشخاص وإصابة ثلاثة أطفال" does not (its own noun)
                j += 2
                seen += 2
                continue
            return None
        group = group_of_word(toks, j)
        if group is not None:
            return group
        if not _skipped(toks, j):
            return None
        j += 1
        seen += 1
    return None


def victim_group_before(toks: list[Tok], first: int, sent_start: int) -> str | None:
    """A group named just before the number after a preposition: "قتل من جانب المقاومة
    ثمانية أشخاص", "سقط في صفوف الجيش 5 قتلى", "قتل من الحوثيين 12". At most one definite
    word between the group and the number ("من المقاومة الشعبية ثمانية"); a measure word there
    ("مصادر من المقاومة مقتل 8") or any other word means the group is not this count's."""
    for k in (first - 1, first - 2):
        if k - 1 < sent_start:
            return None
        between = toks[k + 1 : first]
        if any(
            t.kind != "word" or not t.norm.startswith("ال") or measure_of_norm(t.norm)
            for t in between
        ):
            return None
        group = group_of_word(toks, k)
        if group is None:
            continue
        link = toks[k - 1]
        if link.kind == "word" and has_form_in(link.norm, _GROUP_BEFORE_LINKS):
            return group
        return None
    return None


def _others_group(toks: list[Tok], first: int, sent_start: int) -> str | None:
    """The group of the count that "others" continues: the nearest group word before the
    number in its sentence ("قتل أربعة مدنيين وأصيب تسعة آخرين"), or the group after the
    previous number ("مقتل 18 مصليا واعتقال ستة آخرين": worshippers, no group, so none). A
    group word right after a subset word ("بينهم القيادي الحوثي") is a part of the earlier
    count, not its kind."""
    j = first - 1
    words = 0
    while j >= sent_start and words < _OTHERS_WINDOW:
        tok = toks[j]
        if tok.kind == "stop":
            return None
        if _is_number(tok):
            # "مدنيان اثنان": واحد/اثنان after a noun is an adjective, not the previous count
            if not (
                tok.kind == "word"
                and has_form_in(tok.norm, ONE_TWO)
                and j > sent_start
                and toks[j - 1].kind == "word"
            ):
                return victim_group_after(toks, j)
        elif tok.kind == "word":
            words += 1
            if tok.norm in _REPORT_START or has_form_in(tok.norm, REPORTING_VERBS):
                return None
            group = group_of_word(toks, j)
            if group is not None:
                before = [
                    f
                    for t in toks[max(sent_start, j - 3) : j]
                    if t.kind == "word"
                    for f in strip_clitics(t.norm)
                ]
                if any(f in REPORTING_VERBS or f in _SOURCE_NOUNS for f in before[-4:]):
                    return None  # the reporter ("أعلنت الشرطة", "مصادر أمنية"), not the count
                if not any(f in SUBSET_WORDS for f in before):
                    return group
        j -= 1
    return None


def victims_of(toks: list[Tok], first: int, last: int, sent_start: int) -> str | None:
    """The group the number at tokens [first, last] counts (see the module docstring), or
    None for people in general."""
    group = victim_group_after(toks, last)
    if group is not None:
        return group
    group = victim_group_before(toks, first, sent_start)
    if group is not None:
        return group
    after = [t for t in toks[last + 1 : last + 3] if t.kind == "word"]
    if any(f in OTHERS_WORDS for t in after for f in strip_clitics(t.norm)):
        return _others_group(toks, first, sent_start)
    return None
