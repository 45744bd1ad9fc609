"""Arabic text analysis: normalization, light stemming, stop words and the Whoosh analyzers.

The analyzers defined here are pickled into the Whoosh schema by import path, so this module's
location and the names of its filter classes are part of the index format: renaming them means
bumping ``index.store.SCHEMA_VERSION``.

Normalization happens per token, inside a token filter, never as a pre-pass over the text: the
tokenizer keeps combining marks (harakat) inside tokens, so token offsets still point into the
text as written and highlights land where the words stand.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from whoosh.analysis import Filter, RegexTokenizer, StopFilter
from whoosh.analysis.analyzers import CompositeAnalyzer

# Combining marks and joiners that may sit inside an Arabic word: harakat, Quranic annotation
# marks, superscript alef, tatweel, ZWNJ/ZWJ.
_INWORD_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640\u200c\u200d"
TOKEN_PATTERN = re.compile(rf"(?:[^\W_]|[{_INWORD_MARKS}])+")

_STRIP = re.compile(rf"[{_INWORD_MARKS}]")

_CHAR_MAP = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        "ی": "ي",  # Persian ye U+06CC
        "ے": "ي",
        "ک": "ك",  # Persian kaf U+06A9
        "ھ": "ه",
        **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + i): str(i) for i in range(10)},  # Persian digits
    }
)


@lru_cache(maxsize=200_000)
def normalize_token(token: str) -> str:
    """Normalize one token: strip harakat and tatweel, unify alef/ya/taa-marbuta/hamza
    carriers and Persian letters, map Eastern digits to 0-9, lowercase Latin."""
    return _STRIP.sub("", token).translate(_CHAR_MAP).lower()


def normalize(text: str) -> str:
    """Normalize running text token by token (spaces and punctuation are kept as they are)."""
    return TOKEN_PATTERN.sub(lambda m: normalize_token(m.group(0)), text)


# Light10 (Larkey, Ballesteros & Connell 2002), on normalized text, plus the single-letter
# proclitics ب ل ك ف when a long enough stem remains, so لإيران and بإيران meet إيران.
_DEFINITE_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "يه", "ه", "ي")


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """Light-stem a *normalized* token (see :func:`normalize_token`)."""
    word = token
    if not word or not ("\u0621" <= word[0] <= "\u064a"):
        return word
    for prefix in _DEFINITE_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix) :]
            break
    else:
        if word[0] == "و" and len(word) > 3:
            word = word[1:]
        if word[0] in "بلكف" and len(word) >= 5:
            word = word[1:]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            word = word[: -len(suffix)]
    return word


STOP_WORDS: frozenset[str] = frozenset(
    normalize_token(w)
    for w in """
    في من على الى إلى عن مع أن إن ان كان كانت هذا هذه ذلك تلك التي الذي الذين اللذين اللتين
    ما لا لم لن قد ثم او أو أم بل حتى إذا اذا كما لكن لكنه وقد وفي ومن وعلى وأن وإن وكان
    هو هي هم هن نحن انت أنت انا أنا كل بعض غير بين عند منذ خلال حيث التى الى فيه فيها منه
    منها عليه عليها به بها له لها لهم بعد قبل أي اي يكون تكون ليس وهو وهي و ف ب ل ك
    """.split()
)


@dataclass(frozen=True, slots=True)
class Token:
    """A word of running text: where it stands, its normalized form and its stem."""

    start: int
    end: int
    text: str
    norm: str
    stem: str


def tokens(text: str, *, keep_stop_words: bool = False) -> Iterator[Token]:
    """Words of ``text`` with offsets into it, normalized and stemmed."""
    for match in TOKEN_PATTERN.finditer(text):
        norm = normalize_token(match.group(0))
        if not norm or (not keep_stop_words and norm in STOP_WORDS):
            continue
        yield Token(match.start(), match.end(), match.group(0), norm, stem(norm))


def stems(text: str) -> list[str]:
    """The stems of the content words of ``text``, in order."""
    return [t.stem for t in tokens(text)]


class ArabicNormalizeFilter(Filter):
    """Whoosh filter: :func:`normalize_token` on every token (offsets untouched)."""

    def __eq__(self, other: object) -> bool:
        return other is not None and self.__class__ is other.__class__

    def __call__(self, tokens):  # type: ignore[no-untyped-def]
        for t in tokens:
            t.text = normalize_token(t.text)
            if t.text:
                yield t


class ArabicStemFilter(Filter):
    """Whoosh filter: :func:`stem` on every (already normalized) token."""

    def __eq__(self, other: object) -> bool:
        return other is not None and self.__class__ is other.__class__

    def __call__(self, tokens):  # type: ignore[no-untyped-def]
        for t in tokens:
            t.text = stem(t.text)
            yield t


def _tokenizer() -> RegexTokenizer:
    return RegexTokenizer(TOKEN_PATTERN)


def ArabicAnalyzer() -> CompositeAnalyzer:  # noqa: N802 - Whoosh's analyzer-factory naming
    """Tokenize keeping harakat, normalize, drop stop words, light-stem."""
    return _tokenizer() | ArabicNormalizeFilter() | StopFilter(stoplist=STOP_WORDS, minsize=1) | ArabicStemFilter()


def ArabicNormalizingAnalyzer() -> CompositeAnalyzer:  # noqa: N802
    """Tokenize keeping harakat and normalize, without stemming: the exact-form field."""
    return _tokenizer() | ArabicNormalizeFilter() | StopFilter(stoplist=STOP_WORDS, minsize=1)
