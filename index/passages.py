"""Cut an article's clean text into passages: paragraphs, and sentences of long paragraphs.

A passage is what the reader bookmarks and what the related panel links across outlets, so it
should hold one fact or one quote: a paragraph usually does; a paragraph of more than
``MAX_PARAGRAPH_WORDS`` words is split into sentences, and a run-on sentence of more than
``MAX_SENTENCE_WORDS`` words into clauses.

Sentence ends in Arabic news: ``.`` ``!`` ``?`` ``؟`` ``…`` followed by whitespace. Not ends:
a decimal (``3.5`` — no space follows), the ``..`` pause used in headlines and speech
("في روسيا.. قال"), one-letter abbreviations (``د.`` for doctor, ``أ.``), and anything inside
an open quotation — a quote stays whole unless it is itself very long. Closing quotes and
brackets after the full stop stay with their sentence. Fragments shorter than
``MIN_SENTENCE_WORDS`` join the sentence before them.

Passage ids are ``"{article_id}:{ordinal}"`` with ordinals from 0 in text order; offsets are
character offsets into the clean text with ``text == clean_text[start:end]``. The same text
always gives the same passages, so ids are stable while an article is unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise

from index.cleaning import more_words_than
from index.models import Passage, make_passages

MAX_PARAGRAPH_WORDS = 45
MIN_SENTENCE_WORDS = 6
# A run-on "sentence" longer than this (Arabic prose chains clauses with "،" for hundreds of
# words) is cut after a clause — "،" "؛" "," ";" — once a piece has CLAUSE_WORDS words, and
# where there is no clause mark at all, at a word boundary. A tail shorter than MIN_TAIL_WORDS
# joins the piece before it.
MAX_SENTENCE_WORDS = 80
CLAUSE_WORDS = 40
MIN_TAIL_WORDS = 15
# A quotation longer than this may be split inside (a whole speech in one quote is not one fact).
MAX_QUOTE_WORDS = 60

# A candidate end: terminal punctuation (a run), then closing quotes/brackets, then whitespace.
_END = re.compile(r"(?P<stop>[.!?؟…]+)(?P<close>[\"'”’»)\]]*)(?=\s)")
_CLAUSE_END = re.compile(r"[،؛,;](?=\s)")
_WORD = re.compile(r"\S+")
_QUOTE_CHAR = re.compile('["“”«»‘’]')
_QUOTE_KIND = {'"': 0, "“": 1, "«": 1, "‘": 1, "”": -1, "»": -1, "’": -1}
# The word before a "." that makes it an abbreviation, not a sentence end: one letter ("د."),
# a Latin title or initialism ("Dr.", "U.S."), "ص.ب". Searched in the few characters before.
_ABBREVIATION = re.compile(
    r"(?:^|(?<=[\s(]))(?:[^\W\d_]|Dr|Mr|Mrs|Ms|St|Jr|No|vs|Co|Inc|Ltd|[A-Za-z](?:\.[A-Za-z])+|ص\.ب)$"
)


def _is_sentence_end(text: str, match: re.Match[str]) -> bool:
    stop = match.group("stop")
    if stop == "..":
        return False  # the Arabic ".." pause
    before = max(0, match.start() - 8)
    return not (stop == "." and _ABBREVIATION.search(text, before, match.start()))


def _quote_events(text: str) -> list[tuple[int, int]]:
    """``(position, kind)`` of every quotation mark: +1 opens, -1 closes, 0 toggles (``"``)."""
    return [(m.start(), _QUOTE_KIND[m.group()]) for m in _QUOTE_CHAR.finditer(text)]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the sentences of ``text`` (surrounding whitespace excluded)."""
    events = _quote_events(text)
    next_event = 0
    depth, straight_open = 0, False
    quote_started_at = 0
    cuts: list[int] = []
    for match in _END.finditer(text):
        is_open = False
        if events:
            was_open = depth > 0 or straight_open
            # Quotation marks up to the end of this match (closing quotes included).
            while next_event < len(events) and events[next_event][0] < match.end():
                kind = events[next_event][1]
                next_event += 1
                if kind == 0:
                    straight_open = not straight_open
                else:
                    depth = max(0, depth + kind)
            is_open = depth > 0 or straight_open
            if is_open and not was_open:
                quote_started_at = match.start()
        if not _is_sentence_end(text, match):
            continue
        if is_open and not more_words_than(text[quote_started_at : match.end()], MAX_QUOTE_WORDS):
            continue
        cuts.append(match.end())
    if not cuts:
        piece = text.strip()
        if not piece:
            return []
        start = text.index(piece[0])
        return [(start, start + len(piece))]
    bounds = [0, *cuts, len(text)]
    spans: list[tuple[int, int]] = []
    for start, end in pairwise(bounds):
        piece = text[start:end]
        stripped = piece.strip()
        if not stripped:
            continue
        stripped_start = start + piece.index(stripped[0])
        stripped_end = stripped_start + len(stripped)
        if spans and not more_words_than(stripped, MIN_SENTENCE_WORDS - 1):
            spans[-1] = (spans[-1][0], stripped_end)  # a tiny fragment joins its sentence
            continue
        spans.append((stripped_start, stripped_end))
    if len(spans) > 1 and not more_words_than(
        text[spans[0][0] : spans[0][1]], MIN_SENTENCE_WORDS - 1
    ):
        spans[0:2] = [(spans[0][0], spans[1][1])]
    return spans


def _hard_cuts(text: str, start: int, end: int) -> list[int]:
    """Cut points at word boundaries every CLAUSE_WORDS words in ``text[start:end]``."""
    words = list(_WORD.finditer(text, start, end))
    return [words[n].start() for n in range(CLAUSE_WORDS, len(words), CLAUSE_WORDS)]


def clause_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of pieces of a run-on sentence (see MAX_SENTENCE_WORDS)."""
    cuts: list[int] = []
    piece_start = 0
    for match in _CLAUSE_END.finditer(text):
        if more_words_than(text[piece_start : match.end()], CLAUSE_WORDS - 1):
            cuts.append(match.end())
            piece_start = match.end()
    bounds = [0, *cuts, len(text)]
    fine: list[int] = []
    for start, end in pairwise(bounds):
        if more_words_than(text[start:end], MAX_SENTENCE_WORDS):
            fine.extend(_hard_cuts(text, start, end))
        fine.append(end)
    spans: list[tuple[int, int]] = []
    start = 0
    for end in fine:
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            stripped_start = start + piece.index(stripped[0])
            spans.append((stripped_start, stripped_start + len(stripped)))
        start = end
    if len(spans) > 1 and not more_words_than(
        text[spans[-1][0] : spans[-1][1]], MIN_TAIL_WORDS - 1
    ):
        spans[-2:] = [(spans[-2][0], spans[-1][1])]
    return spans


def passage_spans(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each passage of a clean text, in order.

    Paragraphs are the lines of the text (a blank line between them or not); each is stripped
    of surrounding whitespace, so offsets never include it.
    """
    position = 0
    for line in text.split("\n"):
        start = position
        position += len(line) + 1
        paragraph = line.strip()
        if not paragraph:
            continue
        if paragraph is not line:
            start += line.index(paragraph[0])
        if not more_words_than(paragraph, MAX_PARAGRAPH_WORDS):
            yield start, start + len(paragraph)
            continue
        for sentence_start, sentence_end in sentence_spans(paragraph):
            sentence = paragraph[sentence_start:sentence_end]
            if not more_words_than(sentence, MAX_SENTENCE_WORDS):
                yield start + sentence_start, start + sentence_end
                continue
            offset = start + sentence_start
            for piece_start, piece_end in clause_spans(sentence):
                yield offset + piece_start, offset + piece_end


def split_passages(article_id: str, text: str) -> tuple[Passage, ...]:
    """The passages of an article's clean ``text``, with ids ``"{article_id}:{n}"``."""
    spans = ((ordinal, start, end) for ordinal, (start, end) in enumerate(passage_spans(text)))
    return make_passages(article_id, text, spans)
