"""Clean an article's text: drop site chrome, captions and "read also" sections; find its title.

Why line rules: scraped news text keeps the page's furniture as whole lines — a font-size
widget (``+ الخط -``), a reading time, a photo caption with its credit, tag lines, a trailing
"read also" story. Those lines would be indexed, shown and linked as if the outlet had written
them. Each is recognised as a whole line by a pattern in ``cleaning_rules.toml`` (rules are data;
this module only applies them), so body sentences are never edited, only kept or dropped.

What the cleaner never does: change a character inside a kept line. Arabic-Indic digits,
NO-BREAK SPACEs, harakat and curly quotes stay as written; the analyzer normalizes per token.
Only the line's surrounding whitespace goes, and C0/C1 control characters (``\\x1a`` litters
SaudiNewsNet) which are never content and must not reach a terminal.

The cleaned text is the kept lines joined by a blank line: one line is one paragraph.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from index.encoding import CONTROL_CHARACTERS

RULES_FILE = Path(__file__).with_name("cleaning_rules.toml")

# C0/C1 controls except TAB and LF (line breaks are already split off by str.splitlines).
_MARKDOWN_HEADING = re.compile(r"#{1,6}\s+")
# A line "ends a sentence" if its last visible character (before closing quotes/brackets) is one
# of these; headlines do not, ledes do. "؟" and "?" are left out: headlines ask questions.
_SENTENCE_END = re.compile(r"[.!…؛:](?:[\"'”’»)\]\s]*)$")


@dataclass(frozen=True, slots=True)
class RecurringRule:
    """Thresholds of the cross-article boilerplate rule (see ``index.corpus``)."""

    max_words: int
    min_articles: int
    min_share: float
    always_at: int


@dataclass(frozen=True, slots=True)
class CleaningRules:
    """The compiled contents of ``cleaning_rules.toml``."""

    chrome: re.Pattern[str]
    captions: re.Pattern[str]
    caption_max_words: int
    credit_suffix: re.Pattern[str]
    cut_to_end: re.Pattern[str]
    drop_with_next: re.Pattern[str]
    inline_related: re.Pattern[str]
    headline_max_words: int
    label_max_words: int
    body_min_words: int
    head_max_lines: int
    recurring: RecurringRule


def _alternation(patterns: Iterable[str]) -> re.Pattern[str]:
    """One compiled pattern for a list of alternatives: a single fullmatch per line is far
    cheaper than one per rule when cleaning 31k articles."""
    joined = "|".join(f"(?:{pattern})" for pattern in patterns)
    return re.compile(joined or r"(?!)", re.IGNORECASE)


def rules_from_mapping(data: dict[str, Any]) -> CleaningRules:
    """Compile rules from the parsed TOML (exposed so tests can try variations)."""
    chrome = data.get("chrome", {})
    captions = data.get("captions", {})
    related = data.get("related", {})
    head = data.get("head", {})
    recurring = data.get("recurring", {})
    credits = sorted(captions.get("credits", []), key=len, reverse=True)
    credit_suffix = re.compile(
        r"[\s\-–—|/:·]*(?:" + "|".join(re.escape(c) for c in credits) + r")"
        if credits
        else r"(?!)",
        re.IGNORECASE,
    )
    return CleaningRules(
        chrome=_alternation(chrome.get("patterns", [])),
        captions=_alternation(captions.get("patterns", [])),
        caption_max_words=int(captions.get("max_words", 40)),
        credit_suffix=credit_suffix,
        cut_to_end=_alternation(related.get("cut_to_end", [])),
        drop_with_next=_alternation(related.get("drop_with_next", [])),
        inline_related=_alternation(related.get("inline", [])),
        headline_max_words=int(related.get("headline_max_words", 25)),
        label_max_words=int(head.get("label_max_words", 4)),
        body_min_words=int(head.get("body_min_words", 8)),
        head_max_lines=int(head.get("max_lines", 6)),
        recurring=RecurringRule(
            max_words=int(recurring.get("max_words", 12)),
            min_articles=int(recurring.get("min_articles", 5)),
            min_share=float(recurring.get("min_share", 0.3)),
            always_at=int(recurring.get("always_at", 100)),
        ),
    )


def load_rules(path: Path | None = None) -> CleaningRules:
    """Load and compile a rules file (default: ``cleaning_rules.toml`` beside this module)."""
    if path is None:
        return default_rules()
    with path.open("rb") as handle:
        return rules_from_mapping(tomllib.load(handle))


@cache
def default_rules() -> CleaningRules:
    """The bundled rules, compiled once per process."""
    with RULES_FILE.open("rb") as handle:
        return rules_from_mapping(tomllib.load(handle))


def word_count(line: str) -> int:
    return len(line.split())


def more_words_than(text: str, limit: int) -> bool:
    """Whether ``text`` has more than ``limit`` words — cheaply, since it runs on every line.

    A string shorter than ``2 * limit + 1`` cannot hold that many words; one with fewer than
    ``limit`` spaces (ASCII, NO-BREAK, tab) is taken to have at most ``limit`` (rarer Unicode
    spaces are not counted: a deterministic, harmless undercount); only the rest are split.
    """
    if len(text) <= 2 * limit:
        return False
    if text.count(" ") + text.count("\u00a0") + text.count("\t") < limit:
        return False
    return len(text.split(None, limit)) > limit


def ends_sentence(line: str) -> bool:
    """True if ``line`` ends like a sentence (a lede, a paragraph), not like a headline."""
    return bool(_SENTENCE_END.search(line))


def _squash(line: str) -> str:
    """Compare lines ignoring how their spaces are written (NBSP vs space, doubled spaces)."""
    return " ".join(line.split())


@dataclass(frozen=True, slots=True)
class CleanedText:
    """The result of cleaning one article.

    ``paragraphs`` are the kept lines in order (each stripped, none empty); ``title`` is the
    title given or found (``None`` if neither); ``dropped`` lists ``(rule, line)`` for every line
    that was removed, so a surprising removal can be explained. ``title_composed`` is ``True``
    when no headline was given or found and ``title`` is the lede's first sentence: set here,
    where that choice is made, because afterwards a composed title cannot be told reliably from
    a stated one (a record may state exactly its first sentence as its title).
    """

    paragraphs: tuple[str, ...]
    title: str | None
    dropped: tuple[tuple[str, str], ...]
    title_composed: bool = False

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def split_lines(raw: str) -> list[str]:
    """The non-empty lines of ``raw``, stripped, with control characters removed.

    ``str.splitlines`` already treats CR, CRLF, VT, FF, NEL and U+2028/9 as line breaks; the
    control-character pass runs only when the text has one (most texts have none).
    """
    lines = raw.splitlines()
    if CONTROL_CHARACTERS.search(raw):
        lines = [CONTROL_CHARACTERS.sub("", line) for line in lines]
    return [stripped for line in lines if (stripped := line.strip())]


def _is_caption_pair(line: str, following: str, rules: CleaningRules) -> bool:
    """``following`` repeats ``line`` with a photo credit glued to its end (003's
    "...هجوم موسكو" then "...هجوم موسكورويترز")."""
    return (
        len(following) > len(line)
        and following.startswith(line)
        and rules.credit_suffix.fullmatch(following[len(line) :]) is not None
    )


def _apply_line_rules(
    lines: list[str], rules: CleaningRules, dropped: list[tuple[str, str]]
) -> list[str]:
    """Drop chrome, captions and related blocks; cut a trailing "read also" section."""
    kept: list[str] = []
    skip_next = False
    index = 0
    count = len(lines)
    while index < count:
        line = lines[index]
        index += 1
        if skip_next:
            skip_next = False
            if not more_words_than(line, rules.headline_max_words) and not ends_sentence(line):
                dropped.append(("related headline", line))
                continue
        if rules.cut_to_end.fullmatch(line):
            if any(more_words_than(k, rules.body_min_words - 1) for k in kept):
                dropped.append(("read-also section", line))
                dropped.extend(("read-also section", rest) for rest in lines[index:])
                break
            dropped.append(("read-also marker", line))
            continue
        if rules.drop_with_next.fullmatch(line):
            dropped.append(("related marker", line))
            skip_next = True
            continue
        if rules.chrome.fullmatch(line):
            dropped.append(("chrome", line))
            continue
        if rules.inline_related.fullmatch(line):
            dropped.append(("related link", line))
            continue
        if not more_words_than(line, rules.caption_max_words):
            if rules.captions.fullmatch(line):
                dropped.append(("caption", line))
                continue
            if index < count and _is_caption_pair(line, lines[index], rules):
                dropped.append(("caption", line))
                dropped.append(("caption", lines[index]))
                index += 1
                continue
        kept.append(line)
    return kept


def _title_from_lede(line: str, max_words: int = 14) -> str:
    """A title for an article with no headline: the lede's first sentence, shortened."""
    match = re.search(r"[.!؟?…](?:\s|$)", line)
    sentence = line[: match.start() + 1] if match else line
    words = sentence.split()
    if len(words) > max_words:
        return " ".join(words[:max_words]) + " …"
    return sentence.rstrip(".")


def _is_body(line: str, rules: CleaningRules) -> bool:
    return more_words_than(line, rules.body_min_words - 1) or ends_sentence(line)


def _split_head(
    lines: list[str],
    title: str | None,
    *,
    derive_title: bool,
    scraped_page: bool,
    rules: CleaningRules,
    dropped: list[tuple[str, str]],
) -> tuple[list[str], str | None, bool]:
    """Find the title and drop the head's repeated headline and labels; the flag says the title
    was composed from the lede (see :attr:`CleanedText.title_composed`)."""
    original = lines
    composed = False
    if not scraped_page and (title is not None or not derive_title):
        return lines, title, composed  # a record's body: its title lives in its own field
    if title is None and derive_title and lines:
        first = lines[0]
        if heading := _MARKDOWN_HEADING.match(first):
            title = first[heading.end() :].strip() or None
            if title:
                dropped.append(("headline", first))
                lines = lines[1:]
        elif not ends_sentence(first) and not more_words_than(first, rules.headline_max_words):
            title = first  # a headline: it leaves the body below
        else:
            title = _title_from_lede(first)  # a lede: it stays in the body
            composed = True
    squashed_title = _squash(title) if title else None
    body_at = next(
        (
            i
            for i, line in enumerate(lines)
            if _is_body(line, rules) and _squash(line) != squashed_title
        ),
        len(lines),
    )
    kept: list[str] = []
    for position, line in enumerate(lines):
        in_head = position < body_at
        if in_head and _squash(line) == squashed_title:
            dropped.append(("headline", line))
            continue
        if (
            in_head
            and scraped_page
            and body_at < min(len(lines), rules.head_max_lines)
            and not more_words_than(line, rules.label_max_words)
            and not ends_sentence(line)
        ):
            dropped.append(("head label", line))
            continue
        kept.append(line)
    if not kept:
        return original, title, composed  # a one-line text is its own headline AND its body
    return kept, title, composed


def clean_text(
    raw: str,
    *,
    title: str | None = None,
    derive_title: bool = True,
    scraped_page: bool = True,
    rules: CleaningRules | None = None,
) -> CleanedText:
    """Clean one article's raw text.

    ``title`` is the known title (from a catalog or a JSON record): lines repeating it at the
    head are dropped. Without one and with ``derive_title``, the first kept line becomes the
    title — and leaves the body — if it reads like a headline (no sentence end, short);
    otherwise it is a lede, stays in the body, and the title is its first sentence, shortened
    (``title_composed`` then says so: a citation must not present it as the outlet's).
    ``scraped_page`` says the text is a whole page as saved from a site (a ``.txt`` file):
    its head holds the headline again and labels (section name, dateline, date) before the
    first body paragraph, which are dropped. A record's body field (JSON) is not a page: its
    title is in its own field and its first short lines may be verses of a poem, so only a
    DERIVED headline leaves it.
    """
    active = rules or default_rules()
    dropped: list[tuple[str, str]] = []
    lines = _apply_line_rules(split_lines(raw), active, dropped)
    kept, found_title, composed = _split_head(
        lines,
        title.strip() if title and title.strip() else None,
        derive_title=derive_title,
        scraped_page=scraped_page,
        rules=active,
        dropped=dropped,
    )
    return CleanedText(tuple(kept), found_title, tuple(dropped), composed)


def recurring_lines(
    articles_paragraphs: Sequence[Sequence[str]], rules: CleaningRules | None = None
) -> frozenset[str]:
    """The short lines that recur across many of ONE source's articles (boilerplate).

    A line counts once per article. Thresholds come from ``[recurring]`` in the rules file.
    """
    rule = (rules or default_rules()).recurring
    total = len(articles_paragraphs)
    if total < rule.min_articles:
        return frozenset()
    counts: dict[str, int] = {}
    for paragraphs in articles_paragraphs:
        for line in set(paragraphs):
            if not more_words_than(line, rule.max_words):
                counts[line] = counts.get(line, 0) + 1
    threshold = max(rule.min_articles, min(rule.always_at, rule.min_share * total))
    return frozenset(line for line, n in counts.items() if n >= threshold)
