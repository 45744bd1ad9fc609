"""What scoring needs to know about a passage, computed once: its words with their stems, the
attribution clause that opens it ("وقال جون ألترمان، مدير برنامج ... إن"), its sentences, the
figures and years it states and the year it opens on; and the corpus statistics that weigh its
stems (:class:`Idf`: inverse document frequency, and which words are common vocabulary).

:mod:`index.related` scores pairs of analysed passages; this module knows one passage at a time.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from index.arabic import STOP_WORDS, TOKEN_PATTERN, link_stem, normalize_token
from index.claims_lexicon import MONTHS, SINCE_WORDS, YEAR_WORDS, strip_clitics
from index.models import Article, Passage

#: A stem in more passages than this share of the corpus, and than COMMON_MIN_PASSAGES, is common
#: vocabulary: it does not count towards the length of a shared phrase (see Idf.common).
#: Measured on 81 hand-judged SaudiNewsNet links: the wrong text links kept fell from 23 to 9
#: and the right ones from 43 to 42 (benchmarks/related_precision.py). A corpus of a few
#: hundred passages (the seeds) has no common words by the floor: nothing to tell a formula by.
COMMON_SHARE = 0.002
COMMON_MIN_PASSAGES = 50

_YEAR = re.compile(r"^(19|20)\d\d$")
#: A Hijri year (how the Saudi press dates: "1436 هـ", "عام 1436") — only with its marker or a
#: year word before it: 1300-1499 are also counts ("1400 حاج").
_HIJRI_YEAR = re.compile(r"^1[34]\d\d$")
_HIJRI_MARKERS = frozenset(normalize_token(w) for w in ("هـ", "ه", "هجري", "هجرية", "للهجرة"))
#: Month names (first word of "كانون الثاني"): a number before one is the event's date, which
#: every passage about the event repeats, not a figure two outlets agree on.
_HIJRI_MONTHS_TEXT = "محرم صفر ربيع جمادى رجب شعبان رمضان شوال ذو ذي"  # first words
_MONTH_WORDS = frozenset(m.split("_")[0] for m in MONTHS) | frozenset(
    normalize_token(w) for w in _HIJRI_MONTHS_TEXT.split()
)

#: Attribution words: who said it, not what happened. Every outlet wraps its facts in them ("قال
#: مسؤول أمريكي", "ذكرت صحيفة"), so sharing them is no evidence of sharing a fact; they weigh
#: :data:`ATTRIBUTION_WEIGHT` of their idf.
_ATTRIBUTION_TEXT = """
    قال قالت يقول تقول وقال وقالت أضاف أضافت وأضاف وأضافت أكد أكدت وأكد وأكدت أوضح أوضحت وأوضح
    ذكر ذكرت وذكر وذكرت أشار أشارت وأشار لفت ولفت تابع وتابع صرح وصرح أعلن أعلنت قول قولها قوله
    مسؤول مسؤولون مسؤولين المسؤول المسؤولون مصدر مصادر المصدر صحيفة الصحيفة وكالة الوكالة
    تقرير التقرير بيان البيان حسب وفق وفقا نقلت نقل الخميس الجمعة السبت الأحد الاثنين الثلاثاء
    الأربعاء اليوم أمس
"""
ATTRIBUTION_WORDS = frozenset(link_stem(normalize_token(w)) for w in _ATTRIBUTION_TEXT.split())
ATTRIBUTION_WEIGHT = 0.3

#: Reporting verbs that open an attribution clause ("وقال مسؤول أمريكي يوم الخميس إن ...").
_SPEECH_TEXT = """
    قال قالت يقول تقول أضاف أضافت أكد أكدت أوضح أوضحت ذكر ذكرت أشار أشارت لفت لفتت تابع صرح
    صرحت نقل نقلت أفاد أفادت رأى اعتبر يرى طبقا وفقا حسب بحسب
"""
SPEECH_STEMS = frozenset(
    link_stem(normalize_token(v)) for w in _SPEECH_TEXT.split() for v in (w, "و" + w)
)
#: Words that end an attribution clause and start the reported content (إن، أن، بأن، فإن ...).
_COMPLEMENTIZER_TEXT = "إن أن بأن فإن إنه أنه بأنه فإنه إنها أنها بأنها فإنها"
COMPLEMENTIZERS = frozenset(normalize_token(w) for w in _COMPLEMENTIZER_TEXT.split())
#: An attribution clause opens the passage: its reporting verb comes among the first this many
#: words (after "وفي تقرير نشرته صحيفة ...") ...
LEAD_VERB_WITHIN = 12
#: ... and the reported content starts at most this many words after the verb (speaker, title,
#: day); a complementizer further away belongs to the reported content itself.
LEAD_SPEAKER_WORDS = 16
#: Weight of a stem that a passage uses only in its attribution clause (who said it, where they
#: work, when they said it): the reported content after it is what two outlets share when they
#: report the same fact, and every outlet dresses its sources in similar titles.
LEAD_WEIGHT = ATTRIBUTION_WEIGHT


@dataclass(frozen=True, slots=True)
class Word:
    """A word of a passage: offsets in the article's clean text, stem, and whether it is a stop word."""

    start: int
    end: int
    norm: str
    stem: str
    stop: bool
    lead: bool = False  # part of the passage's attribution clause (see :func:`_lead_length`)


@dataclass(slots=True)
class AnalysedPassage:
    """What scoring needs to know about a passage, computed once."""

    passage: Passage
    outlet: str
    source: str | None
    words: list[Word]
    stems: frozenset[str]
    numbers: frozenset[str]
    lead: frozenset[str] = frozenset()  # content stems used only in the attribution clause
    #: content stems of each sentence, when the passage has more than one (see :func:`_stem_overlap`)
    sentences: tuple[frozenset[str], ...] = ()
    #: how many content words the passage has outside its attribution clause
    reported_words: int = 0
    #: the years the passage mentions, and the year its opening words set it in (if any)
    years: frozenset[str] = frozenset()
    frame_year: str | None = None
    _grams: frozenset[str] | None = None
    _mass: tuple[int, float] | None = None
    _informative: tuple[int, int] | None = None
    _content_words: int | None = None

    def drop_grams(self) -> None:
        """Forget the cached 4-gram set (memory: see ``related_pipeline.GRAM_CACHE_PAIRS``)."""
        self._grams = None

    def mass(self, idf: Idf) -> float:
        """The idf mass of the passage's stems (cached for one :class:`Idf`)."""
        if self._mass is None or self._mass[0] != id(idf):
            self._mass = (id(idf), _weighted_mass(self.stems, self.lead, idf))
        return self._mass[1]

    @property
    def content_words(self) -> int:
        """How many of the passage's words are not stop words (cached: scoring asks per pair)."""
        if self._content_words is None:
            self._content_words = sum(1 for w in self.words if not w.stop)
        return self._content_words

    def informative(self, idf: Idf) -> int:
        """How many of the passage's content stems are not common vocabulary (cached)."""
        if self._informative is None or self._informative[0] != id(idf):
            self._informative = (id(idf), sum(1 for s in self.stems if not idf.common(s)))
        return self._informative[1]

    @property
    def grams(self) -> frozenset[str]:
        if self._grams is None:
            content = [w.norm for w in self.words if not w.stop and not w.lead]
            text = " ".join(content or [w.norm for w in self.words if not w.stop])
            self._grams = frozenset(text[i : i + 4] for i in range(max(0, len(text) - 3)))
        return self._grams


def outlet_of(article: Article) -> str:
    """The outlet key of an article: its source, or the article itself when the source is unknown."""
    return article.source if article.source is not None else f"article:{article.id}"


def analyse_passage(passage: Passage, article: Article) -> AnalysedPassage:
    # TOKEN_PATTERN and the cached normalize/stem directly (not arabic.tokens): this runs on every
    # word of the corpus at index time, and the intermediate Token objects cost a fifth of it.
    words: list[Word] = []
    base = passage.start
    for match in TOKEN_PATTERN.finditer(passage.text):
        norm = normalize_token(match.group(0))
        if not norm:
            continue
        words.append(
            Word(
                base + match.start(),
                base + match.end(),
                norm,
                link_stem(norm),
                norm in STOP_WORDS or len(norm) < 2,
            )
        )
    lead = _lead_length(words, passage.text, base)
    if lead:
        words[:lead] = [replace(w, lead=True) for w in words[:lead]]
    content = frozenset(w.stem for w in words if not w.stop)
    reported = frozenset(w.stem for w in words[lead:] if not w.stop)
    numbers = _figures(words, passage.text, base)
    return AnalysedPassage(
        passage,
        outlet_of(article),
        article.source,
        words,
        content,
        numbers,
        content - reported,
        _sentence_stems(words, passage.text, base),
        sum(1 for w in words if not w.stop and not w.lead),
        frozenset(w.norm for i, w in enumerate(words) if _is_year(words, i)),
        _frame_year(words),
    )


#: What joins the digit groups of one figure: a decimal mark or a thousands separator ("50.31",
#: "1,200", "٣٫٥") — and what joins the parts of a date ("16-12-1436", "21/7/2015").
_FIGURE_JOINS = {".": ".", ",": ",", "\u066b": ".", "\u066c": ","}
_DATE_JOINS = frozenset("-/\u2010\u2011\u2012\u2013")


def _figures(words: Sequence[Word], text: str, base: int) -> frozenset[str]:
    """The figures a passage states, read whole: "50.31" is one figure, not 50 and 31 (two
    market reports sharing a 31 share nothing). Not figures: years, the day before a month name
    (the event's date, repeated by every report of it), the parts of a written date
    ("16-12-1436هـ"), and a number that ends a Latin name ("Windows 10", "G20")."""
    digits = [_digits(w.norm) for w in words]
    found: set[str] = set()
    i = 0
    while i < len(words):
        if digits[i] is None:
            i += 1
            continue
        parts = [digits[i] or ""]
        j = i
        date = False
        while j + 1 < len(words) and words[j + 1].norm.isdigit():
            gap = text[words[j].end - base : words[j + 1].start - base]
            if gap in _FIGURE_JOINS:
                parts += [_FIGURE_JOINS[gap], words[j + 1].norm]
            elif len(gap) == 1 and gap in _DATE_JOINS:
                date = True
            else:
                break
            j += 1
        named = i > 0 and words[i - 1].norm.isascii() and words[i - 1].norm.isalpha()
        named = named and not text[words[i - 1].end - base : words[i].start - base].strip()
        dated = j + 1 < len(words) and words[j + 1].norm in _MONTH_WORDS
        year = j == i and (_is_year(words, i) or bool(_YEAR.match(parts[0])))
        if not (date or named or dated or year):
            found.add("".join(parts))
        i = j + 1
    return frozenset(found)


def _digits(norm: str) -> str | None:
    """The number a word is, its conjunction or preposition aside ("و84", "ب35"); else None."""
    if norm.isdigit():
        return norm
    if len(norm) > 1 and norm[0] in "وبلف" and norm[1:].isdigit():
        return norm[1:]
    return None


def _is_year(words: Sequence[Word], i: int) -> bool:
    """Whether ``words[i]`` is a year: 1900-2099, or a Hijri year with its marker or after
    a year word ("1436 هـ", "عام 1436")."""
    norm = words[i].norm
    if _YEAR.match(norm):
        return True
    if not _HIJRI_YEAR.match(norm):
        return False
    if i + 1 < len(words) and words[i + 1].norm in _HIJRI_MARKERS:
        return True
    return i > 0 and any(form in YEAR_WORDS for form in strip_clitics(words[i - 1].norm))


#: A year among a passage's first this many words sets the time of what the passage reports.
FRAME_WITHIN = 6


def _frame_year(words: Sequence[Word]) -> str | None:
    """The year a passage opens on: "وفي عام 2022، أعلن ..." → "2022". Only a year named as
    one ("عام"/"سنة" before it) among the first :data:`FRAME_WITHIN` words, and not a
    reference point ("منذ عام 1979", "قبل عام 2017")."""
    for i, word in enumerate(words[:FRAME_WITHIN]):
        if i == 0 or not _is_year(words, i):
            continue
        if not any(form in YEAR_WORDS for form in strip_clitics(words[i - 1].norm)):
            continue
        before = words[max(0, i - 3) : i - 1]
        if any(form in SINCE_WORDS for w in before for form in strip_clitics(w.norm)):
            continue
        return word.norm
    return None


def _sentence_stems(words: Sequence[Word], text: str, base: int) -> tuple[frozenset[str], ...]:
    """The content stems of each sentence of a passage of two or more sentences; ``()`` for a
    single sentence (the passage itself is the sentence)."""
    found: list[frozenset[str]] = []
    start = 0
    for i, word in enumerate(words):
        gap = text[word.end - base : words[i + 1].start - base] if i + 1 < len(words) else ""
        if any(mark in gap for mark in ".؟!"):
            found.append(frozenset(w.stem for w in words[start : i + 1] if not w.stop))
            start = i + 1
    if not found:
        return ()
    found.append(frozenset(w.stem for w in words[start:] if not w.stop))
    return tuple(s for s in found if s)


def _lead_length(words: Sequence[Word], text: str, base: int) -> int:
    """How many words the passage's attribution clause takes: from the start through the
    complementizer (or colon) that closes a reporting verb's clause ("وقال جون ألترمان، مدير
    برنامج ... إن"); 0 when the passage does not open with one. The clause never crosses the
    end of a sentence."""
    verb = next((i for i, w in enumerate(words[:LEAD_VERB_WITHIN]) if w.stem in SPEECH_STEMS), None)
    if verb is None:
        return 0
    for i in range(min(len(words), verb + LEAD_SPEAKER_WORDS + 1)):
        gap = text[words[i].end - base : words[i + 1].start - base] if i + 1 < len(words) else ""
        if i > verb and words[i].norm in COMPLEMENTIZERS:
            return i + 1
        if i >= verb and ":" in gap:
            return i + 1
        if any(mark in gap for mark in ".؟!"):
            return 0
    return 0


def _weighted_mass(stems: Iterable[str], lead: frozenset[str], idf: Idf) -> float:
    return math.fsum(idf(s) * (LEAD_WEIGHT if s in lead else 1.0) for s in stems)


def analyse_article(article: Article) -> list[AnalysedPassage]:
    return [analyse_passage(p, article) for p in article.passages]


class Idf:
    """Inverse document frequency of stems over passages: ``log(1 + N / df)``.

    The smoothed form keeps every weight positive on tiny corpora (five articles) where a stem in
    every passage would otherwise weigh nothing or less.
    """

    def __init__(self, document_frequency: Mapping[str, int], documents: int) -> None:
        self.df = document_frequency
        self.n = max(1, documents)
        self._unseen = math.log(1 + self.n)
        self._common_df = max(COMMON_MIN_PASSAGES, self.n * COMMON_SHARE)

    @classmethod
    def from_passages(cls, passages: Iterable[AnalysedPassage]) -> Idf:
        df: dict[str, int] = defaultdict(int)
        count = 0
        for p in passages:
            count += 1
            for s in p.stems:
                df[s] += 1
        return cls(dict(df), count)

    def __call__(self, term: str) -> float:
        df = self.df.get(term)
        weight = self._unseen if not df else math.log(1 + self.n / df)
        return weight * ATTRIBUTION_WEIGHT if term in ATTRIBUTION_WORDS else weight

    def mass(self, terms: Iterable[str]) -> float:
        return math.fsum(self(t) for t in terms)  # exact: the same whatever the set's order

    def common(self, term: str) -> bool:
        """Whether ``term`` is common vocabulary of the corpus (see :data:`COMMON_SHARE`)."""
        return self.df.get(term, 0) > self._common_df
