"""Reference analyzer for the quality benchmark: Lucene's ArabicNormalizer + ArabicStemmer.

Lucene's ``ArabicStemmer`` implements Larkey, Ballesteros & Connell's *light10* (2002); its
``ArabicNormalizer`` unifies alef forms, ى → ي, ة → ه and strips tatweel and the harakat
U+064B–U+0652. It is the baseline the project's analyzer must beat, so it is reimplemented here
faithfully (prefix and suffix lists, their order and the length checks of
``org.apache.lucene.analysis.ar.ArabicStemmer``) and fed by the *same* tokenizer and stop list as
the project's analyzer, so that a comparison measures normalization and stemming only.

This is benchmark code, not part of the product.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter, Token
from whoosh.analysis.analyzers import CompositeAnalyzer

from index.arabic import STOP_WORDS, TOKEN_PATTERN

_LUCENE_STRIP = re.compile("[\u0640\u064b-\u0652]")
_LUCENE_MAP = str.maketrans({"آ": "ا", "أ": "ا", "إ": "ا", "ى": "ي", "ة": "ه"})

# Order matters: Lucene strips the first matching prefix, then every matching suffix in turn.
_PREFIXES = ("ال", "وال", "بال", "كال", "فال", "لل", "و")
_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي")


@lru_cache(maxsize=200_000)
def lucene_normalize(token: str) -> str:
    """Lucene's ArabicNormalizer on one (lower-cased) token."""
    return _LUCENE_STRIP.sub("", token).translate(_LUCENE_MAP)


@lru_cache(maxsize=200_000)
def light10_stem(token: str) -> str:
    """Lucene's ArabicStemmer (light10) on one normalized token."""
    word = token
    for prefix in _PREFIXES:
        # The wa- prefix needs a word of 4+ letters; the others leave at least 2 letters.
        if len(prefix) == 1 and len(word) < 4:
            continue
        if len(word) >= len(prefix) + 2 and word.startswith(prefix):
            word = word[len(prefix) :]
            break
    for suffix in _SUFFIXES:
        if len(word) >= len(suffix) + 2 and word.endswith(suffix):
            word = word[: -len(suffix)]
    return word


class LuceneNormalizeFilter(Filter):
    """Whoosh filter applying :func:`lucene_normalize`."""

    def __eq__(self, other: object) -> bool:
        return other is not None and self.__class__ is other.__class__

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        for t in tokens:
            t.text = lucene_normalize(t.text)
            if t.text:
                yield t


class Light10StemFilter(Filter):
    """Whoosh filter applying :func:`light10_stem`."""

    def __eq__(self, other: object) -> bool:
        return other is not None and self.__class__ is other.__class__

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        for t in tokens:
            t.text = light10_stem(t.text)
            yield t


def LuceneLight10Analyzer() -> CompositeAnalyzer:
    """Project tokenizer and stop list, Lucene's normalizer and light10 stemmer."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | LuceneNormalizeFilter()
        | StopFilter(stoplist=STOP_WORDS, minsize=1)
        | Light10StemFilter()
    )
