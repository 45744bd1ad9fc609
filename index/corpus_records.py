"""Building an :class:`~index.models.Article` from raw text, and reading JSON records into them.

:func:`build_article` is the one place raw text becomes an article (cleaned, dated, cut into
passages, hashed) whatever the file type; the rest reads the record formats — a JSON object or
array (a wrapper such as ``{"articles": [...]}`` is looked through) and JSON lines — and says for
each record that yields nothing what its text fields held. Which files to read, decoding, sizes,
archives and the corpus-wide boilerplate rule stay in :mod:`index.corpus`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from index.catalog import CatalogEntry, text_field
from index.cleaning import CleaningRules, clean_text
from index.dates import parse_date
from index.models import Article, LoadIssue
from index.passages import split_passages

#: Record fields, in the order they are tried.
_TEXT_FIELDS = ("text", "content", "body", "article")
_TITLE_FIELDS = ("title", "headline")
_SOURCE_FIELDS = ("source", "outlet", "publisher", "site")
_DATE_FIELDS = ("date", "published", "date_published", "published_at", "datetime", "date_extracted")
_URL_FIELDS = ("url", "link")
_AUTHOR_FIELDS = ("author", "byline", "authors")
#: The news agency the outlet credits (a reprinted wire), as a catalog's ``via`` says it.
_VIA_FIELDS = ("via", "agency")


def content_hash(text: str) -> str:
    """The hash that says whether an article's clean text changed (16 hex digits of SHA-256)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def build_article(
    article_id: str,
    raw: str,
    path: Path,
    meta: CatalogEntry,
    *,
    scraped_page: bool,
    rules: CleaningRules,
) -> Article | str:
    """Clean ``raw`` into an Article, or return the reason it has no text left.

    ``via`` comes from ``meta`` and ``title_composed`` from the cleaner, which is where the
    title is chosen: both are recorded now because a citation made later may no longer have
    the file to ask.
    """
    cleaned = clean_text(raw, title=meta.title, scraped_page=scraped_page, rules=rules)
    if not cleaned.paragraphs:
        if not raw.strip():
            return "no text: the article is empty"
        return "no text: every line was site chrome, a caption or a related link"
    date = meta.date
    if date is None:
        date = next(
            (
                d
                for rule, line in cleaned.dropped
                if rule == "head label"
                if (d := parse_date(line))
            ),
            None,
        )
    text = cleaned.text
    return Article(
        id=article_id,
        title=cleaned.title or "",
        text=text,
        raw=raw,
        path=str(path),
        content_hash=content_hash(text),
        source=meta.source,
        date=date,
        url=meta.url,
        author=meta.author,
        passages=split_passages(article_id, text),
        via=meta.via,
        title_composed=cleaned.title_composed,
    )


def _first(record: dict[str, Any], fields: Iterable[str]) -> str | None:
    for name in fields:
        if (value := text_field(record.get(name))) is not None:
            return value
    return None


def _body(value: Any) -> str | None:
    """A record's text: a string, or a list of paragraph strings (joined by blank lines)."""
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        value = "\n\n".join(value)
    return value if isinstance(value, str) and value.strip() else None


_JSON_TYPES = {dict: "an object", list: "an array", bool: "a boolean", int: "a number"}


def _why_no_text(record: dict[str, Any]) -> str:
    """What the record's text fields hold, since none gave text: the reader must tell a
    record without the field from one whose field is empty (SaudiNewsNet's cartoons)."""
    present = [name for name in _TEXT_FIELDS if name in record]
    if not present:
        *others, last = _TEXT_FIELDS
        return "has no " + ", ".join(f"'{name}'" for name in others) + f" or '{last}'"
    held: list[str] = []
    for name in present:
        value = record[name]
        if value is None:
            held.append(f"'{name}' set to null")
        elif isinstance(value, str) or (
            isinstance(value, list) and all(isinstance(item, str) for item in value)
        ):
            held.append(f"an empty '{name}'")
        else:
            kind = next((t for c, t in _JSON_TYPES.items() if isinstance(value, c)), "a number")
            held.append(f"{kind} in '{name}', not text")
    return "has " + " and ".join(held)


def _record_article(
    record: Any,
    article_id: str,
    path: Path,
    where: str,
    *,
    rules: CleaningRules,
) -> tuple[Article | None, LoadIssue | None]:
    if not isinstance(record, dict):
        return None, LoadIssue(
            where, f"not an article: a JSON {type(record).__name__}, not an object"
        )
    raw = next((text for name in _TEXT_FIELDS if (text := _body(record.get(name)))), None)
    if raw is None:
        title = _first(record, _TITLE_FIELDS)
        named = f" ({title[:60]})" if title else ""
        return None, LoadIssue(where, f"no text: record{named} {_why_no_text(record)}")
    meta = CatalogEntry(
        title=_first(record, _TITLE_FIELDS),
        source=_first(record, _SOURCE_FIELDS),
        date=next((d for n in _DATE_FIELDS if (d := parse_date(record.get(n)))), None),
        url=_first(record, _URL_FIELDS),
        author=_first(record, _AUTHOR_FIELDS),
        via=_first(record, _VIA_FIELDS),
    )
    built = build_article(article_id, raw, path, meta, scraped_page=False, rules=rules)
    if isinstance(built, str):
        return None, LoadIssue(where, built)
    return built, None


def _json_error(error: json.JSONDecodeError) -> str:
    return f"malformed JSON: {error.msg} (line {error.lineno}, column {error.colno})"


def load_json_text(
    text: str, base_id: str, path: Path, where: str, *, rules: CleaningRules
) -> tuple[list[Article], list[LoadIssue]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return [], [LoadIssue(where, _json_error(error))]
    articles: list[Article] = []
    issues: list[LoadIssue] = []
    if isinstance(data, dict) and not any(name in data for name in _TEXT_FIELDS):
        # A wrapper object: {"articles": [...]} and the like.
        lists = [value for value in data.values() if isinstance(value, list)]
        if len(lists) == 1:
            data = lists[0]
    if isinstance(data, list):
        for n, record in enumerate(data):
            article, issue = _record_article(
                record, f"{base_id}#{n}", path, f"{where}#{n}", rules=rules
            )
            if article:
                articles.append(article)
            if issue:
                issues.append(issue)
        if not data:
            issues.append(LoadIssue(where, "no text: an empty JSON array"))
        return articles, issues
    article, issue = _record_article(data, base_id, path, where, rules=rules)
    return ([article] if article else []), ([issue] if issue else [])


def load_jsonl_text(
    text: str, base_id: str, path: Path, where: str, *, rules: CleaningRules
) -> tuple[list[Article], list[LoadIssue]]:
    articles: list[Article] = []
    issues: list[LoadIssue] = []
    n = 0
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            issues.append(
                LoadIssue(
                    f"{where}#{n}",
                    f"malformed JSON: {error.msg} (line {lineno}, column {error.colno})",
                )
            )
        else:
            article, issue = _record_article(
                record, f"{base_id}#{n}", path, f"{where}#{n}", rules=rules
            )
            if article:
                articles.append(article)
            if issue:
                issues.append(issue)
        n += 1
    return articles, issues
