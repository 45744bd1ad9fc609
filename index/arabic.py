"""Arabic text analysis: normalization, light stemming, stop words and the Whoosh analyzers.

The analyzers defined here are pickled into the Whoosh schema by import path, so this module's
location and the names of its filter classes are part of the index format: renaming them, or
changing what they produce for a word, means bumping ``index.schema.SCHEMA_VERSION``.

Normalization happens per token, inside a token filter, never as a pre-pass over the text: the
tokenizer keeps combining marks (harakat) inside tokens, so token offsets still point into the
text as written and highlights land where the words stand. Whoosh's StandardAnalyzer, by
contrast, splits a vocalized word at every haraka (its ``\\w`` pattern excludes combining marks)
and drops the one-letter pieces, so سُلَيماني disappears from the index entirely.

Every choice below was measured with ``benchmarks/retrieval_quality.py`` (ARCD, KaifLematha, with
and without SaudiNewsNet distractors); see ``benchmarks/README.md``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import NamedTuple

from whoosh.analysis import Filter, RegexTokenizer
from whoosh.analysis import Token as WhooshToken
from whoosh.analysis.analyzers import CompositeAnalyzer

# Marks and joiners that may sit inside a word and are dropped by normalization: Quranic
# annotation signs, harakat U+064B-U+065F (including hamza above/below, so decomposed أ إ
# normalize like the precomposed letters), superscript alef, small high signs, tatweel,
# ZWNJ/ZWJ and the soft hyphen.
_STRIPPED_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640\u200c\u200d\u00ad"
# Latin combining accents stay inside a token (a decomposed "é" is one word) but are kept.
_KEPT_MARKS = "\u0300-\u036f"
TOKEN_PATTERN = re.compile(rf"(?:[^\W_]|[{_STRIPPED_MARKS}{_KEPT_MARKS}])+")
"""A word: letters and digits with any in-word marks. Everything else separates words,
including NO-BREAK SPACE and the other Unicode spaces, ZWSP, curly quotes, «», ، ؛ ؟ and ٪."""

_STRIP = re.compile(rf"[{_STRIPPED_MARKS}]")

# The normalization table (issue 2). Hamza carriers and alef forms fold to their bare letter
# because Arabic writers omit or vary them freely; Persian/Urdu letters come from keyboards and
# copy-paste (the seeds contain a Persian ye in تنظیم).
NORMALIZATION_TABLE: dict[str, str] = {
    "أ": "ا",  # alef with hamza above
    "إ": "ا",  # alef with hamza below
    "آ": "ا",  # alef with madda
    "ٱ": "ا",  # alef wasla
    "ى": "ي",  # alef maksura
    "ة": "ه",  # taa marbuta
    "ؤ": "و",  # waw with hamza
    "ئ": "ي",  # ya with hamza
    "ی": "ي",  # Persian ye U+06CC
    "ے": "ي",  # Urdu yeh barree U+06D2
    "ک": "ك",  # Persian kaf U+06A9
    "ھ": "ه",  # heh doachashmee U+06BE
    **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + i): str(i) for i in range(10)},  # Extended (Persian) digits
}
_BASE_MAP = str.maketrans(NORMALIZATION_TABLE)

#: Arabic Presentation Forms-A and -B: the contextual glyphs (ﺍﻟﺤﻜﻮﻣﺔ for الحكومة) and
#: ligatures that text copied from PDFs, and from terminals that shape Arabic themselves, is
#: made of. They must meet the letters they draw, so they are folded with NFKC.
PRESENTATION_FORM_RANGES: tuple[tuple[int, int], ...] = ((0xFB50, 0xFDFF), (0xFE70, 0xFEFF))


def _presentation_form_folds() -> dict[int, str]:
    """NFKC of each presentation form, already normalized (marks stripped, table applied).

    NFKC is applied per character and only in these ranges, not to whole tokens: full NFKC
    also rewrites superscripts, Latin ligatures, fullwidth forms and so on, which users did not
    type as the letters they fold to. Within the ranges, ligatures expand (ﻻ → لا, ﷲ → الله,
    which is what the glyph reads); the isolated harakat (ﹰ = space + fathatan) lose their
    space and are then stripped like harakat; the two phrase ligatures (ﷺ, ﷻ) would put
    spaces inside one word, so they stay as they are and match only themselves.
    """
    folds: dict[int, str] = {}
    for first, last in PRESENTATION_FORM_RANGES:
        for code in range(first, last + 1):
            char = chr(code)
            folded = unicodedata.normalize("NFKC", char)
            if folded == char:
                continue
            if " " in folded:
                marks = folded.replace(" ", "")
                if not all(unicodedata.combining(mark) for mark in marks):
                    continue
                folded = marks
            folds[code] = _STRIP.sub("", folded).translate(_BASE_MAP)
    return folds


# One translation pass does both: presentation forms map straight to their normalized letters.
_CHAR_MAP = {**_BASE_MAP, **_presentation_form_folds()}

# Memo sizes, in distinct word forms (3,000 SaudiNewsNet articles hold ~100k). The big one is
# the raw-token cache of the hot path (~0.4 KB an entry at worst); the others serve direct calls.
_HOT_CACHE_SIZE = 200_000
_CACHE_SIZE = 50_000


@lru_cache(maxsize=_CACHE_SIZE)
def normalize_token(token: str) -> str:
    """Normalize one token: fold Arabic presentation forms to letters, strip harakat and
    tatweel, unify alef/ya/taa-marbuta/hamza carriers and Persian letters, map Eastern digits
    to 0-9, lowercase Latin.

    Idempotent: ``normalize_token(normalize_token(w)) == normalize_token(w)``.
    """
    return _STRIP.sub("", token).translate(_CHAR_MAP).lower()


def normalize(text: str) -> str:
    """Normalize running text token by token (spaces and punctuation are kept as they are)."""
    return TOKEN_PATTERN.sub(lambda m: normalize_token(m.group(0)), text)


_STOP_WORD_TEXT = """
    في من على الى إلى عن مع أن إن ان كان كانت هذا هذه ذلك تلك التي الذي الذين اللذين اللتين
    ما لا ولا لم لن قد ثم او أو أم بل حتى إذا اذا كما لكن لكنه وقد وفي ومن وعلى وأن وإن وكان
    هو هي هم هن نحن انت أنت انا أنا كل بعض غير بين عند منذ خلال حيث التى الى فيه فيها منه
    منها عليه عليها به بها له لها لهم بعد قبل أي اي يكون تكون ليس وهو وهي و ف ب ل ك
    متى أين كيف لماذا ماذا كم هل ماهو ماهي لمن وما وكيف ولماذا
"""
# The last line holds question words: they carry no topic, and a reader who types a question
# into the search box should be matched on its content words (measured: +0.01 MRR@10 on ARCD).
STOP_WORDS: frozenset[str] = frozenset(normalize_token(w) for w in _STOP_WORD_TEXT.split())
"""Normalized stop words: dropped at index and query time."""


# Light stemming = Larkey's light10 (the baseline of Lucene's ArabicStemmer) with three changes
# that keep a word and its clitic forms on one stem:
#
# 1. The conjunction و is also stripped *after* the definite article (light10 strips it only
#    when there is no article): light10 stems الوزير to وزير but وزير to زير, so a word and its
#    definite form never meet.
# 2. A single-letter proclitic ب or ل is taken off a word whose stem is at least four letters
#    long, and the rest is stemmed the same way (up to three times), so بتحذير meets تحذير,
#    لإيران meets إيران and بلبنان meets لبنان — a bare word whose first letters look like
#    proclitics (لبنان, بيروت) loses them too, which is ugly (نان, يروت) but consistent.
#    Stripping it from the surface word only when no article is present (as a first version
#    did) turned برلمان into رلم but البرلمان into برلم.
# 3. The accusative tanween alef is stripped first when four letters remain (تحذيرا, كبيرا):
#    light10 keeps it, and 73% of the (w, w+ا) token pairs in SaudiNewsNet fell apart (now 6%).
#
# and a floor on what is left (schema 4, after a native reader's review): light10 strips down to
# two letters, and a two-letter stem is a collision, not a root: مكة → مك = مكان, وطنية → طن =
# طن (ton), الولايات → لا. Every strip must now leave at least three letters (_MIN_STEM);
# ان and ون, which end many names and nouns (إيران, طهران, كرمان, سلمان, قانون), need four
# (a dual of a three-letter noun, طرفان, is the loss); the conjunction و needs four letters
# after it (before its proclitics go), so that وزير, وزارة, ولاية keep their root letter (وقال no
# longer meets قال: the loss) while ولبنان still meets لبنان. A feminine
# plural ات on a two-letter base becomes ه, so جهات still meets جهة (stem جهه).
#
# ك and ف are left alone: they rarely attach to nouns outside كال/فال, and many frequent words
# begin with them, where each strip is a collision (كبير would meet بئر, كامل would meet أمل).
# Measured with benchmarks/retrieval_quality.py and benchmarks/short_word_precision.py.
_DEFINITE_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")
_NOUN_PROCLITICS = "بل"
#: Fewest letters a strip may leave.
MIN_STEM = 3
#: Suffixes that end many names and nouns, stripped only when this many letters remain.
_LONG_REST_SUFFIXES = {"ان": 4, "ون": 4}
#: Fewest letters the conjunction و may leave.
_CONJUNCTION_REST = 4


def without_article(word: str) -> str:
    """A normalized word without its definite article (and a proclitic fused with it: وال, بال,
    لل…) when three letters remain: الحصيلة → حصيلة (the stemmer's first step, and how the
    bookmark filter matches a bare word)."""
    for prefix in _DEFINITE_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= MIN_STEM:
            return word[len(prefix) :]
    return word


def _suffix_stem(word: str) -> str:
    """Tanween alef and suffixes off a normalized Arabic word. A strip that would leave a stop
    word is skipped (ولاية, ولايات → ولاي, never the particle ولا)."""
    if word.endswith("ا") and len(word) >= 5:  # tanween alef: تحذيرا, كبيرا, مؤخرا
        word = word[:-1]
    for suffix in _SUFFIXES:
        if word.endswith(suffix):
            rest = len(word) - len(suffix)
            if rest >= _LONG_REST_SUFFIXES.get(suffix, MIN_STEM):
                if word[:rest] not in STOP_WORDS:
                    word = word[:rest]
            elif rest == 2 and suffix == "ات":  # جهات → جهه, like جهة
                word = word[:rest] + "ه"
    return word


def _noun_stem(word: str, proclitics: int = 3) -> str:
    """Article and suffixes off, and a proclitic ب or ل off a stem of 4+ letters (also after
    the article, as before: البرلمان and برلمان must meet). What remains is stemmed the same
    way, so a word with a proclitic always meets the word without it: stem(بلبنان) is
    stem(لبنان) and stem(ببيروت) is stem(بيروت), even where the bare word's first letter is
    taken for a proclitic too (at most ``proclitics`` are taken)."""
    word = without_article(word)
    core = _suffix_stem(word)
    if proclitics and len(core) > MIN_STEM and core[0] in _NOUN_PROCLITICS:
        rest = _noun_stem(word[1:], proclitics - 1)
        if len(rest) >= MIN_STEM:
            return rest
    return core


@lru_cache(maxsize=_CACHE_SIZE)
def stem(token: str) -> str:
    """Light-stem a *normalized* token (see :func:`normalize_token`).

    Words not starting with an Arabic letter (numbers, Latin) are returned unchanged; an
    Arabic word's stem keeps at least :data:`MIN_STEM` letters (or the whole word if shorter).
    The conjunction و is taken off only when the stem of the rest has 4+ letters (وزير stays).
    """
    if not token or not ("\u0621" <= token[0] <= "\u064a"):
        return token
    if token[0] == "و" and len(token) > _CONJUNCTION_REST:
        # judged on the rest before its proclitics go: ولبنان is و + لبنان even though لبنان's
        # own stem is short (its ل and ب are taken for proclitics, as in بلبنان)
        core = _suffix_stem(without_article(token[1:]))
        if len(core) >= _CONJUNCTION_REST:
            return _noun_stem(token[1:])
    return _noun_stem(token)


# The stem of the cross-source analysis (related passages, stories, the claims they compare):
# the schema-3 stemmer, frozen. Its link threshold, story grouping and the judged links and
# flags were all measured with it; with the stricter search stemmer above, a judged slice lost
# 3 of its 17 true flags (stories regrouped) while link quality did not move (BENCHMARKS.md,
# fourth session). Until that analysis is re-measured and re-tuned, it keeps its own stemmer:
# what matters there is that two outlets' words meet, not that a query finds only its word.
_LINK_DEFINITE = ("وال", "بال", "كال", "فال", "لل", "ال")
_LINK_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")


@lru_cache(maxsize=_CACHE_SIZE)
def link_stem(token: str) -> str:
    """The schema-3 light stem of a *normalized* token, for the cross-source analysis (see the
    comment above): light10, و also after the article, tanween alef, one ب/ل off a stem of 4+
    letters; strips may leave two letters."""
    word = token
    if not word or not ("\u0621" <= word[0] <= "\u064a"):
        return word
    for prefix in _LINK_DEFINITE:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix) :]
            break
    if word[0] == "و" and len(word) >= 4:
        word = word[1:]
    if word.endswith("ا") and len(word) >= 5:
        word = word[:-1]
    for suffix in _LINK_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            word = word[: -len(suffix)]
    if len(word) >= 4 and word[0] in "بل":
        word = word[1:]
    return word


def link_stems(text: str) -> list[str]:
    """:func:`link_stem` of the content words of ``text``, in order (stories' key terms)."""
    return [link_stem(t.norm) for t in tokens(text)]


@lru_cache(maxsize=_HOT_CACHE_SIZE)
def _analyze(raw: str) -> tuple[str, str]:
    """(normalized, stem) of a raw token, in one cache lookup for the hot path of :func:`tokens`."""
    norm = normalize_token(raw)
    return norm, stem(norm)


def clear_caches() -> None:
    """Empty the memo caches (benchmarks measure cold-cache throughput with this)."""
    for cached in (normalize_token, stem, link_stem, _analyze):
        cached.cache_clear()


class Token(NamedTuple):
    """A word of running text: where it stands (``text[start:end]`` as written), its
    normalized form and its stem.

    A NamedTuple rather than a frozen dataclass because :func:`tokens` makes one per word of
    every article: construction is 1.7x faster, which shows in index builds.
    """

    start: int
    end: int
    text: str
    norm: str
    stem: str


def tokens(text: str, *, keep_stop_words: bool = False) -> Iterator[Token]:
    """Words of ``text`` with offsets into it, normalized and stemmed.

    Two words match for search and highlighting when their ``stem`` is equal: تحذير,
    التحذير, بتحذير and التحذيرات all have the stem تحذير.
    """
    analyze, stop_words = _analyze, STOP_WORDS
    for match in TOKEN_PATTERN.finditer(text):
        raw = match.group()
        norm, word_stem = analyze(raw)
        if not norm or (not keep_stop_words and norm in stop_words):
            continue
        start, end = match.span()
        yield Token(start, end, raw, norm, word_stem)


def stems(text: str) -> list[str]:
    """The stems of the content words of ``text``, in order."""
    return [t.stem for t in tokens(text)]


class ArabicTermFilter(Filter):
    """Whoosh filter: normalize, drop stop words and (if ``stem``) light-stem, in one pass.

    One filter with one cache lookup per token instead of a normalize | stop | stem chain:
    the analyzer runs over every word of the corpus at index time. Stop words behave as in
    Whoosh's ``StopFilter`` (positions renumbered over the gaps; kept but marked ``stopped``
    when the caller asks ``removestops=False``, as the query parser does for phrases).
    A token that normalizes to nothing (a lone haraka) is dropped.
    """

    def __init__(self, stem: bool = True) -> None:
        self.stem = stem

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ArabicTermFilter) and other.stem == self.stem

    def __call__(self, tokens: Iterable[WhooshToken]) -> Iterator[WhooshToken]:
        analyze, stop_words, use_stem = _analyze, STOP_WORDS, self.stem
        pos = None
        for t in tokens:
            norm, word_stem = analyze(t.text)
            if not norm:
                continue
            if norm in stop_words:
                if not t.removestops:
                    t.text = norm
                    t.stopped = True
                    yield t
                continue
            if t.positions:
                if pos is None:
                    pos = t.pos
                else:
                    pos += 1
                    t.pos = pos
            t.text = word_stem if use_stem else norm
            t.stopped = False
            yield t


# The two filters of the first version, kept so that an index whose pickled schema names them
# still opens (and is then found out of date by its schema version, not by an import error).
class ArabicNormalizeFilter(Filter):
    """Whoosh filter: :func:`normalize_token` on every token (offsets untouched); a token that
    normalizes to nothing (a lone haraka) is dropped."""

    def __eq__(self, other: object) -> bool:
        return other is not None and self.__class__ is other.__class__

    def __call__(self, tokens: Iterable[WhooshToken]) -> Iterator[WhooshToken]:
        for t in tokens:
            t.text = normalize_token(t.text)
            if t.text:
                yield t


class ArabicStemFilter(Filter):
    """Whoosh filter: :func:`stem` on every (already normalized) token."""

    def __eq__(self, other: object) -> bool:
        return other is not None and self.__class__ is other.__class__

    def __call__(self, tokens: Iterable[WhooshToken]) -> Iterator[WhooshToken]:
        for t in tokens:
            t.text = stem(t.text)
            yield t


def _tokenizer() -> RegexTokenizer:
    return RegexTokenizer(TOKEN_PATTERN)


def ArabicAnalyzer() -> CompositeAnalyzer:
    """Tokenize keeping harakat, normalize, drop stop words, light-stem: the main text field.

    Produces exactly the stems of :func:`tokens`, with the same character offsets."""
    return _tokenizer() | ArabicTermFilter(stem=True)


def ArabicNormalizingAnalyzer() -> CompositeAnalyzer:
    """Tokenize keeping harakat and normalize, without stemming: the exact-form field, queried
    beside the stemmed one so that exact word forms rank above mere stem matches."""
    return _tokenizer() | ArabicTermFilter(stem=False)
