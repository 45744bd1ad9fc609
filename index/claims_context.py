"""What the words around a number say about its event: the lexed passage a claim is read from,
and the readers :mod:`index.claims` asks before comparing two figures.

* where: :func:`localities_in` — the towns and districts a sentence places its incident in;
* when: :func:`year_before`, :func:`since_year`, :func:`names_another_period`,
  :func:`recalls_earlier_event` — an explicit year, a total since a year, "last year", "days
  after the killing of ..." point at another event or period;
* which figure: :func:`is_earlier_toll` — the report's own superseded toll;
  :func:`cumulative_markers` — running totals and series of incidents;
* who: the side a count is of is :mod:`index.claims_groups` (it reads the same tokens).

Each reader is a rule with a linguistic reason (see its docstring), measured on SaudiNewsNet by
``benchmarks/claims_precision.py`` (numbers in BENCHMARKS.md).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from index.arabic import STOP_WORDS, normalize_token
from index.claims_lexicon import (
    AGGREGATE_WORDS,
    EARLIER_ADVERBS,
    EARLIER_WORDS,
    IN_WORDS,
    LONG_DURATIONS,
    MONTHS,
    PAST_WORDS,
    PERIOD_WORDS,
    PRELIMINARY_WORDS,
    RECALL_DURATIONS,
    REPORTING_VERBS,
    SINCE,
    SINCE_START_WORDS,
    SINCE_WORDS,
    START_WORDS,
    STILL_WORDS,
    SUPERLATIVE_WORDS,
    TOLL_WORDS,
    TOTAL_WORDS,
    WAS_WORDS,
    YEAR_WORDS,
    N,
    has_form_in,
    measure_of_norm,
    number_word,
    strip_clitics,
)
from index.places_lexicon import (
    DIRECTION_WORDS,
    GENERIC_PLACE_NOUNS,
    LOCALITY_NAMES,
    LOCALITY_NOUNS,
    NOT_LOCALITY_NAMES,
)

_DIGITS = "0-9\u0660-\u0669\u06f0-\u06f9"
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640"
# A number (with decimal/thousands separators), a word (with harakat), or a sentence/clause mark.
_TOKEN = re.compile(
    rf"(?P<num>[{_DIGITS}]+(?:[.,\u066b\u066c][{_DIGITS}]+)*)"
    rf"|(?P<word>(?:[^\W\d_]|[{_MARKS}])+)"
    r"|(?P<stop>[.!?؟;؛\n])"
    r"|(?P<comma>[,،(){}\[\]/])"
    r"|(?P<pct>[%٪])"
)


@dataclass(frozen=True, slots=True)
class Tok:
    """One token of a passage: a number, a word, a sentence stop or a clause mark."""

    kind: str  # "num" | "word" | "stop" | "comma"
    start: int
    end: int
    text: str
    norm: str


def lex(text: str) -> list[Tok]:
    out: list[Tok] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "word"
        raw = m.group(0)
        norm = normalize_token(raw) if kind in ("word", "num") else raw
        out.append(Tok(kind, m.start(), m.end(), raw, norm))
    return out


def month_of(toks: list[Tok], i: int) -> tuple[str, int] | None:
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


def sentence_bounds(toks: list[Tok], i: int) -> tuple[int, int]:
    start = i
    while start > 0 and toks[start - 1].kind != "stop":
        start -= 1
    end = i
    while end + 1 < len(toks) and toks[end + 1].kind != "stop":
        end += 1
    return start, end


def year_before(toks: list[Tok], sent_start: int, first: int) -> int | None:
    """An explicit year phrase ("في عام 2022", "عام 2017", "وفي 2013", "11 أكتوبر 2014") before
    the number in its sentence."""
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
            prev[-1] in YEAR_WORDS
            or has_form_in(prev[-1], YEAR_WORDS)
            or prev[-1] in IN_WORDS  # "وفي 2013، وقع تفجير"
        ):
            return year
        if _month_ends_at(toks, sent_start, j):
            return year  # "في 11 أكتوبر (تشرين الأول) 2014", not "نيسان بيك أب موديل 2011"
    return None


def _month_ends_at(toks: list[Tok], sent_start: int, j: int) -> bool:
    """Whether the last word before token ``j`` (brackets and slashes skipped) ends a month
    name: "يوليو/تموز 2014", "أكتوبر (تشرين الأول) 2014"."""
    i = j - 1
    while i >= sent_start and toks[i].kind == "comma":
        i -= 1
    if i < sent_start or toks[i].kind != "word":
        return False
    return month_of(toks, i) is not None or (
        i - 1 >= sent_start and (m := month_of(toks, i - 1)) is not None and m[1] == 2
    )


def since_year(toks: list[Tok], first: int, last: int) -> int | None:
    """The year of a since-year phrase in the clause of the number at tokens [first, last]:
    "الانتفاضة التي قتلت نحو 40 ألف شخص منذ عام 1984", "ومنذ 2011 قتل أكثر من 250 ألف". The
    count runs from that year to the report, a running total over years, not the story's toll.
    Not after a superlative ("أسوأ هجوم منذ عام 1979", "الأكثر دموية منذ 1979"): the worst
    since then is a reference point (as :func:`year_before` reads "منذ ثورة 1979")."""
    start = _clause_start(toks, first)
    end = clause_end(toks, last)
    for j in range(start, end):
        if first <= j <= last or toks[j].kind != "word" or SINCE not in strip_clitics(toks[j].norm):
            continue
        k = j + 1
        if toks[k].kind == "word" and has_form_in(toks[k].norm, YEAR_WORDS):
            k += 1
        if k > end or toks[k].kind != "num" or len(toks[k].norm) != 4 or not toks[k].norm.isdigit():
            continue
        year = int(toks[k].norm)
        if not 1900 <= year <= 2100:
            continue
        if _superlative_before(toks, start, j):
            continue
        return year
    return None


def _superlative_before(toks: list[Tok], start: int, j: int) -> bool:
    """A superlative in toks[start:j] ("أسوأ هجوم", "الأكثر دموية"), not a comparison with a
    number ("أكثر من 80")."""
    for i in range(start, j):
        tok = toks[i]
        if (
            tok.kind == "word"
            and has_form_in(tok.norm, SUPERLATIVE_WORDS)
            and (i + 1 >= len(toks) or toks[i + 1].norm != N("من"))
        ):
            return True
    return False


def _clause_start(toks: list[Tok], i: int) -> int:
    """The first token of the clause holding token ``i`` (after a comma or a sentence stop)."""
    while i > 0 and toks[i - 1].kind not in ("stop", "comma"):
        i -= 1
    return i


def _strip_article(form: str) -> str:
    return form[2:] if form.startswith("ال") and len(form) > 4 else form


_LOCALITY_KEYS = frozenset(_strip_article(name) for name in LOCALITY_NAMES)


_RIF = N("ريف")


def _is_locality_noun(norm: str) -> bool:
    """A locality noun in construct ("بمنطقة", "ومدينة"), not "المنطقة" (no name follows)."""
    word = norm
    if word in LOCALITY_NOUNS:
        return True
    if len(word) > 3 and word[0] in "وف":
        word = word[1:]
        if word in LOCALITY_NOUNS:
            return True
    return len(word) > 3 and word[0] in "بلك" and word[1:] in LOCALITY_NOUNS


def localities_in(toks: list[Tok], start: int, end: int) -> tuple[str, ...]:
    """Places of the sentence toks[start..end]: a gazetteer city or province, or the word after
    a locality noun ("حي البياع"), without the article; landmarks after a direction word
    ("شمال بغداد") are not the place."""
    found: set[str] = set()
    landmarks: set[str] = set()
    for j in range(start, end + 1):
        tok = toks[j]
        if tok.kind != "word":
            continue
        prev = toks[j - 1] if j > start and toks[j - 1].kind == "word" else None
        key = next(
            (k for f in strip_clitics(tok.norm) if (k := _strip_article(f)) in _LOCALITY_KEYS),
            None,
        )
        if (
            key is not None
            and prev is not None
            and any(f == _RIF for f in strip_clitics(prev.norm))
        ):
            key = f"{_RIF} {key}"  # "بريف حلب": the countryside, not the city of Aleppo
        elif key is None and prev is not None and tok.norm not in GENERIC_PLACE_NOUNS:
            noun = prev
            if prev.norm in GENERIC_PLACE_NOUNS and j - 2 >= start:
                noun = toks[j - 2]  # "منطقة جبل المعاشيق": the name is after the generic noun
            if (
                noun.kind == "word"
                and _is_locality_noun(noun.norm)
                and tok.norm not in NOT_LOCALITY_NAMES
                and tok.norm not in STOP_WORDS
                and number_word(tok.norm) is None
            ):
                key = _strip_article(tok.norm)
                if _is_locality_noun(noun.norm) and noun.norm.endswith(_RIF):
                    key = f"{_RIF} {key}"
        if not key:
            continue
        if prev is not None and has_form_in(prev.norm, DIRECTION_WORDS):
            landmarks.add(key)
        else:
            found.add(key)
    # "جنوبي مأرب" alone still places the incident around Marib
    return tuple(sorted(found or landmarks))


def clause_end(toks: list[Tok], i: int) -> int:
    """The last token of the clause holding token ``i`` (up to a comma or a sentence end)."""
    while i + 1 < len(toks) and toks[i + 1].kind not in ("stop", "comma"):
        i += 1
    return i


def is_earlier_toll(toks: list[Tok], sent_start: int, first: int) -> bool:
    """A toll the report itself gives as superseded, before the number in its sentence:
    "الحصيلة الأولى/السابقة", "وكانت حصيلة أولية / غير نهائية"."""
    for j in range(sent_start, first):
        tok = toks[j]
        if tok.kind != "word" or not has_form_in(tok.norm, TOLL_WORDS):
            continue
        after = [t.norm for t in toks[j + 1 : min(first, j + 3)] if t.kind == "word"]
        before = [t.norm for t in toks[max(sent_start, j - 2) : j] if t.kind == "word"]
        if after and after[0] in EARLIER_WORDS:
            return True
        if any(w in WAS_WORDS for w in before) and after and after[0] in PRELIMINARY_WORDS:
            return True
    # "وأعلنت مصادر طبية سابقا مصرع 21", "أعلنت في وقت سابق": an earlier announcement — not
    # "الهجوم الذي أدى في وقت سابق من هذا الشهر إلى مقتل" (the event happened earlier)
    words = [t.norm for t in toks[sent_start:first] if t.kind == "word"]
    for k, word in enumerate(words):
        earlier = word in EARLIER_ADVERBS or (
            word == N("وقت") and k + 1 < len(words) and words[k + 1] in EARLIER_WORDS
        )
        if earlier and any(
            f in REPORTING_VERBS
            for w in words[max(0, k - 4) : k] + words[k + 1 : k + 5]
            for f in strip_clitics(w)
        ):
            return True
    return False


def still_in_hospital(toks: list[Tok], sent_start: int, first: int) -> bool:
    """ "بينما لا يزال 24 مصابا يتلقون العلاج": those still in hospital, a part of the injured
    (a "still" verb among the three words before the number)."""
    words = [t.norm for t in toks[max(sent_start, first - 3) : first] if t.kind == "word"]
    return any(f in STILL_WORDS for w in words for f in strip_clitics(w))


def names_another_period(toks: list[Tok], sent_start: int, first: int) -> bool:
    """A relative time before the number that is not the story's: "العام الماضي", "السنة
    المنصرمة", "الشهر الماضي", "مطلع العام/الشهر" — the explicit-year guard for years and
    months the text does not spell out."""
    words = [t.norm for t in toks[sent_start:first] if t.kind == "word"]
    for a, b in itertools.pairwise(words):
        a_forms, b_forms = strip_clitics(a), strip_clitics(b)
        if any(f in PERIOD_WORDS for f in a_forms) and b in PAST_WORDS:
            return True
        if any(f in START_WORDS for f in a_forms) and any(f in PERIOD_WORDS for f in b_forms):
            return True
    return False


def recalls_earlier_event(toks: list[Tok], sent_start: int, first: int) -> bool:
    """The number is in a clause recalling an earlier event: "بعد أيام على/من مقتل سبعة جنود",
    "غداة مقتل 23 شخصا" (the day after — of the earlier deaths, not "غداة الهجوم، أعلنت")."""
    words = [t.norm for t in toks[sent_start:first] if t.kind == "word"]
    for k, word in enumerate(words):
        rest = words[k + 1 : k + 3]
        if (
            word in (N("بعد"), N("وبعد"))
            and len(rest) == 2
            and rest[0] in RECALL_DURATIONS
            and rest[1] in (N("على"), N("من"))
        ):
            return True
        if strip_clitics(word)[-1] == N("غداة") and rest and measure_of_norm(rest[0]):
            return True
        if word == N("بعد") and rest and measure_of_norm(rest[0]):
            return True  # "ويأتي تحطم المروحية بعد مقتل ستة أشخاص"
    return False


def cumulative_markers(toks: list[Tok], start: int, end: int) -> list[int]:
    """Token positions in toks[start..end] that make a figure a running total: "منذ بداية
    الحرب", "منذ 23 سبتمبر", "العدد الإجمالي", "خلال عشرة أشهر"."""
    marks: list[int] = []
    for j in range(start, end + 1):
        tok = toks[j]
        if tok.kind != "word":
            continue
        forms = strip_clitics(tok.norm)
        nxt = toks[j + 1] if j + 1 <= end else None
        if any(f in TOTAL_WORDS or f in AGGREGATE_WORDS for f in forms):
            marks.append(j)
        elif tok.norm == N("منذ") and nxt is not None:
            if (
                nxt.kind == "num"
                or month_of(toks, j + 1) is not None
                or (nxt.kind == "word" and number_word(nxt.norm) is not None)
            ):
                marks.append(j)  # "منذ 23 سبتمبر", "منذ ست سنوات"
            elif nxt.kind == "word" and any(
                f in SINCE_START_WORDS or f in LONG_DURATIONS for f in strip_clitics(nxt.norm)
            ):
                marks.append(j)
        elif tok.norm == N("خلال"):
            window = toks[j + 1 : min(end + 1, j + 4)]
            if any(t.kind == "word" and t.norm in LONG_DURATIONS for t in window):
                marks.append(j)
    return marks
