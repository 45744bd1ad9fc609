"""Bookmarks out and back in: markdown and CSV for citing, JSON for keeping.

* **JSON** is the lossless format: a versioned envelope
  ``{"format": "newsreader-bookmarks", "version": 3, "exported_at": ..., "bookmarks": [...]}``
  with every field of every :class:`~index.bookmarks.Bookmark`, and a ``citation`` object
  derived from them (which import ignores). :func:`parse_json` reads it back to equal objects,
  so export → import → export loses nothing. Version 1 (before bookmarks kept ``via`` and
  ``title_composed``) still imports, those two taken from its ``citation``.
* **Markdown** is for pasting into a draft: per bookmark a citation (outlet, title, date, URL —
  or "no URL" and the file), the quote as a blockquote, the note and tags. Article text is
  escaped just enough that a ``#``, ``*`` or leading ``-`` in it cannot turn into a heading,
  emphasis or list.
* **CSV** is for spreadsheets: UTF-8, RFC 4180 quoting (``\\r\\n`` rows, quoted cells may hold
  newlines). Written to a file it starts with a byte-order mark, because without one Excel
  decodes UTF-8 as the local code page and shows Arabic as mojibake; LibreOffice, pandas and
  Python's ``utf-8-sig`` read the BOM transparently. On stdout there is no BOM (pipes want none).
  A cell starting with ``= + - @`` gets a leading ``'`` so a spreadsheet never runs it as a
  formula (OWASP "CSV injection"); use JSON when exact text matters.

Every format carries the citation, as one line in JSON (``citation.text``) and CSV
(``citation``): ``Outlet, via Agency. "Title". 2024-01-25. URL.`` Nothing in it is left out
silently: an unknown outlet, title, date or URL is said to be unknown ("unknown outlet",
"[untitled]", "undated", "no URL"). ``via`` is the news agency the outlet credits (a catalog's
``via``: an SPA wire reprinted by a paper cites as "Paper, via واس"), and a title newsreader
composed from the article's first sentence, because the text states no headline, is in square
brackets — the convention for a title supplied by the one citing, not the publisher. Both are
kept in the bookmark (``via``, ``title_composed``), recorded by the loader when it read the
article, so a citation does not depend on the file still being there. Only a bookmark made
before they were kept lacks them: :func:`citation_facts` then asks the article's file, and they
are unknown (``null``) when the file is gone.

Every format shows the quote as the user saved it. When the article's text at the bookmark has
changed since (status ``changed``: the place was found again, but its words differ), the text
there now is shown beside it — in markdown a line under the quote, in JSON and CSV the
``current_text`` field — so a citation never silently quotes words the user did not keep, nor
hides that the source now reads differently.

Control characters (C0 except tab/newline, DEL, C1) are replaced by U+FFFD in markdown and CSV,
which may be printed to a terminal; JSON escapes them (``\\u001b``), C1 included, so it stays
lossless and still cannot drive a terminal.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from index.bookmark_record import KINDS, STATUSES, Bookmark, check_bookmark, parse_tags, utc_now
from index.encoding import safe_text as safe_text  # re-exported for the bookmarks command
from index.models import Article

FORMAT_NAME = "newsreader-bookmarks"
#: 2: each bookmark carries ``via`` and ``title_composed``; 3: status ``"changed"`` and
#: ``current_text`` (the article's text now at a bookmark whose text changed). Versions 1 and 2
#: still import.
FORMAT_VERSION = 3

_C1 = re.compile(r"[\x7f-\x9f]")


class ImportFormatError(ValueError):
    """The file is not a bookmarks export this version can read; the message says why."""


# --- the citation ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CitationFacts:
    """What a citation says beyond the outlet, title, date and URL.

    ``via``: the agency the outlet credits (``None`` or ``""``: none, or not known).
    ``title_supplied``: ``True`` when newsreader composed the bookmark's title (the text states
    none), ``False`` when it is the outlet's own, ``None`` when that cannot be told.
    """

    via: str | None = None
    title_supplied: bool | None = None


Facts = Mapping[str, CitationFacts]  # bookmark id → its facts; a missing id: what it keeps


def _facts(b: Bookmark, facts: Facts | None = None) -> CitationFacts:
    """``b``'s facts from ``facts``, else those it recorded when it was made."""
    if facts is not None and b.id in facts:
        return facts[b.id]
    return CitationFacts(b.via, b.title_composed)


def citation_facts(bookmarks: Sequence[Bookmark]) -> dict[str, CitationFacts]:
    """The :class:`CitationFacts` of each bookmark: what it keeps, and for a bookmark made
    before newsreader kept them (``via`` or ``title_composed`` is ``None``) what the loader
    records for its article now, if its file still holds it. Only those files are read (each
    once); the flag is taken only while the article's title is still the bookmark's."""
    lacking: dict[str, set[str]] = defaultdict(set)
    for b in bookmarks:
        if b.via is None or b.title_composed is None:
            lacking[b.article_path].add(b.article_id)
    found = _articles_in_files(lacking) if lacking else {}
    facts: dict[str, CitationFacts] = {}
    for b in bookmarks:
        via, supplied = b.via, b.title_composed
        if (article := found.get((b.article_path, b.article_id))) is not None:
            via = article.via if via is None else via
            if supplied is None and article.title == b.title:
                supplied = article.title_composed
        facts[b.id] = CitationFacts(via, supplied)
    return facts


def _articles_in_files(wanted: Mapping[str, set[str]]) -> dict[tuple[str, str], Article]:
    """``(path, article id)`` → the article as its file loads now, for the ids each file still
    holds; a file that is gone gives nothing."""
    from index.corpus import load_file  # the loader: only for bookmarks that need it
    from index.corpus_files import root_for_article

    articles: dict[tuple[str, str], Article] = {}
    for path, ids in wanted.items():
        file = Path(path)
        if file.is_file():
            for article in load_file(file, root=root_for_article(file, min(ids)))[0]:
                if article.id in ids:
                    articles[(path, article.id)] = article
    return articles


def _outlet(b: Bookmark, facts: CitationFacts) -> str:
    outlet = b.source or "unknown outlet"
    return f"{outlet}, via {facts.via}" if facts.via else outlet


def _title(b: Bookmark, facts: CitationFacts) -> str:
    if not b.title:
        return "[untitled]"
    return f"[{b.title}]" if facts.title_supplied else f'"{b.title}"'


def citation_text(b: Bookmark, facts: CitationFacts | None = None) -> str:
    """The one-line citation: ``Outlet, via Agency. "Title". Date. URL.``, every part present
    (unknown ones said to be so), a composed title in square brackets. Without ``facts``, those
    the bookmark keeps."""
    if facts is None:
        facts = _facts(b)
    parts = (_outlet(b, facts), _title(b, facts), b.date or "undated", b.url or "no URL")
    return safe_text(" ".join(" ".join(part.split()) + "." for part in parts))


# --- JSON ------------------------------------------------------------------------------------


def bookmark_to_dict(bookmark: Bookmark) -> dict[str, Any]:
    record = dataclasses.asdict(bookmark)
    record["tags"] = list(bookmark.tags)
    return record


def _citation_record(b: Bookmark, facts: CitationFacts) -> dict[str, Any]:
    """The JSON ``citation`` object: derived at export, ignored on import."""
    return {
        "text": citation_text(b, facts),
        "via": facts.via or None,
        "title_supplied": facts.title_supplied,
    }


def export_json(bookmarks: Sequence[Bookmark], facts: Facts | None = None) -> str:
    envelope = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": utc_now(),
        "bookmarks": [
            bookmark_to_dict(b) | {"citation": _citation_record(b, _facts(b, facts))}
            for b in bookmarks
        ],
    }
    text = json.dumps(envelope, ensure_ascii=False, indent=2) + "\n"
    # json escapes C0 itself; C1 (e.g. U+009B, a one-byte CSI) must not reach a terminal either.
    return _C1.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


_REQUIRED: dict[str, type] = {
    "id": str,
    "article_id": str,
    "article_path": str,
    "article_hash": str,
    "passage_id": str,
    "start": int,
    "end": int,
    "quote": str,
}
_OPTIONAL_TEXT = ("prefix", "suffix", "note", "created_at", "updated_at", "title")
_OPTIONAL_NULLABLE = ("source", "date", "url")


def _v1_facts(record: dict[str, Any]) -> tuple[object, object]:
    """``via`` and ``title_composed`` of a version 1 record, which kept them only in its derived
    ``citation`` (found in the article's file at export): taken from there rather than lost. A
    known flag means the file was read, so a null ``via`` there is "no agency", not unknown."""
    citation = record.get("citation")
    if not isinstance(citation, dict):
        return None, None
    via, supplied = citation.get("via"), citation.get("title_supplied")
    if not isinstance(supplied, bool):
        supplied = None
    if not isinstance(via, str):
        via = None if supplied is None else ""
    return via, supplied


def _parse_record(record: object, version: int) -> Bookmark:
    if not isinstance(record, dict):
        raise ValueError("is not an object")
    values: dict[str, Any] = {}
    for name, kind in _REQUIRED.items():
        value = record.get(name)
        if value is None:
            raise ValueError(f"has no {name!r}")
        if not isinstance(value, kind) or isinstance(value, bool):
            raise ValueError(f"{name!r} must be {'an integer' if kind is int else 'a string'}")
        values[name] = value
    for name in _OPTIONAL_TEXT:
        value = record.get(name, "")
        if not isinstance(value, str):
            raise ValueError(f"{name!r} must be a string")
        values[name] = value
    for name in _OPTIONAL_NULLABLE:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{name!r} must be a string or null")
        values[name] = value
    tags = record.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ValueError("'tags' must be a list of strings")
    values["tags"] = parse_tags(tags)
    status = record.get("status", "anchored")
    if status not in STATUSES:
        raise ValueError(f"'status' must be one of {', '.join(STATUSES)}")
    kind_value = record.get("kind", "span")
    if kind_value not in KINDS:
        raise ValueError(f"'kind' must be one of {', '.join(KINDS)}")
    via, composed = (
        _v1_facts(record) if version < 2 else (record.get("via"), record.get("title_composed"))
    )
    if via is not None and not isinstance(via, str):
        raise ValueError("'via' must be a string or null")
    if composed is not None and not isinstance(composed, bool):
        raise ValueError("'title_composed' must be true, false or null")
    current = record.get("current_text")
    if current is not None and not isinstance(current, str):
        raise ValueError("'current_text' must be a string or null")
    bookmark = Bookmark(
        **values,
        status=status,
        kind=kind_value,
        via=via,
        title_composed=composed,
        current_text=current,
    )
    check_bookmark(bookmark)
    return bookmark


def parse_json(text: str) -> list[Bookmark]:
    """The bookmarks of a JSON export; :class:`ImportFormatError` naming every problem (up to
    five) if anything is wrong, so an import is all or nothing."""
    try:
        envelope = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFormatError(f"not valid JSON (line {error.lineno}: {error.msg})") from None
    if not isinstance(envelope, dict) or envelope.get("format") != FORMAT_NAME:
        raise ImportFormatError(
            f'not a newsreader bookmarks export (expected "format": "{FORMAT_NAME}"; '
            "make one with `newsreader bookmarks export --format json`)"
        )
    version = envelope.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ImportFormatError(f"unknown export version {version!r}")
    if version > FORMAT_VERSION:
        raise ImportFormatError(
            f"the export is version {version}, made by a newer newsreader; this one reads "
            f"version {FORMAT_VERSION}"
        )
    records = envelope.get("bookmarks")
    if not isinstance(records, list):
        raise ImportFormatError('"bookmarks" must be a list')
    bookmarks: list[Bookmark] = []
    problems: list[str] = []
    for number, record in enumerate(records, start=1):
        try:
            bookmarks.append(_parse_record(record, version))
        except (ValueError, TypeError) as error:
            problems.append(f"bookmark {number} {error}")
    if problems:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise ImportFormatError("; ".join(problems[:5]) + more + "; nothing was imported")
    return bookmarks


# --- Markdown --------------------------------------------------------------------------------

_MD_INLINE = re.compile(r"([\\`*_\[\]<>#|~])")
_MD_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)])")


def md_escape(text: str) -> str:
    """Escape markdown syntax in one line of text so it shows as written."""
    escaped = _MD_INLINE.sub(r"\\\1", safe_text(text))
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)


def _blockquote(text: str) -> list[str]:
    return [f"> {md_escape(line)}" if line.strip() else ">" for line in text.splitlines()]


def _code_span(text: str) -> str:
    """``text`` as inline code (shown verbatim: no escapes needed inside)."""
    text = " ".join(safe_text(text).splitlines())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _md_title(b: Bookmark, facts: CitationFacts) -> str:
    """The title for a heading or the Title line: as written, or in square brackets when
    newsreader supplied it."""
    return md_escape(f"[{b.title}]" if facts.title_supplied else b.title)


def _citation(b: Bookmark, facts: CitationFacts) -> list[str]:
    title = _md_title(b, facts) if b.title else "untitled"
    if facts.title_supplied:
        cut = b.title.rstrip().endswith("…")  # the loader shortened a long first sentence
        said = "these are its first words" if cut else "this is its first sentence"
        title += f" (supplied: the text states no headline; {said})"
    lines = [
        f"- **Outlet:** {md_escape(_outlet(b, facts))}",
        f"- **Title:** {title}",
        f"- **Date:** {md_escape(b.date) if b.date else 'undated'}",
    ]
    if b.url:
        url = safe_text(b.url)
        shown = f"<{url}>" if not re.search(r"[\s<>]", url) else md_escape(url)
        lines.append(f"- **URL:** {shown}")
    else:
        lines.append("- **URL:** no URL")
        lines.append(f"- **File:** {_code_span(b.article_path)}")
    return lines


def _status_lines(b: Bookmark) -> list[str]:
    """Under the saved quote: that it was not found again, or the article's text there now."""
    if b.status == "detached":
        return ["*Detached: this quote was not found in the current text of the article.*", ""]
    if b.status == "changed":
        now = " ".join(safe_text(b.current_text or "").split())
        return [
            f"*The article's text here has changed since this was saved:* «{md_escape(now)}»",
            "",
        ]
    return []


def export_markdown(bookmarks: Sequence[Bookmark], facts: Facts | None = None) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    count = f"{len(bookmarks)} bookmark{'s' if len(bookmarks) != 1 else ''}"
    out = ["# Bookmarks", "", f"Exported from newsreader on {stamp}: {count}.", ""]
    for number, b in enumerate(bookmarks, start=1):
        about = _facts(b, facts)
        heading = _md_title(b, about) if b.title else md_escape(" ".join(b.quote.split())[:60])
        out += [f"## {number}. {heading}", "", *_citation(b, about), "", *_blockquote(b.quote), ""]
        out += _status_lines(b)
        if b.note:
            note = safe_text(b.note).splitlines() or [""]
            out += [f"**Note:** {md_escape(note[0])}", *(md_escape(n) for n in note[1:]), ""]
        if b.tags:
            out += ["**Tags:** " + ", ".join(md_escape(t) for t in b.tags), ""]
    return "\n".join(out)


# --- CSV -------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "id", "created_at", "updated_at", "source", "title", "date", "url", "article_path",
    "quote", "note", "tags", "status", "kind", "article_id", "passage_id", "start", "end",
    "via", "title_supplied", "citation", "current_text",
)  # fmt: skip
#: ``current_text`` is last so the columns before it keep their places in older spreadsheets.
#: ``title_supplied`` in a CSV cell: yes, no, or empty when it cannot be told.
_SUPPLIED = {True: "yes", False: "no", None: ""}


def _csv_cell(value: object) -> str:
    text = "" if value is None else safe_text(str(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def export_csv(bookmarks: Sequence[Bookmark], facts: Facts | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for b in bookmarks:
        about = _facts(b, facts)
        record = bookmark_to_dict(b)
        record["tags"] = ", ".join(b.tags)
        record["via"] = about.via or None
        record["title_supplied"] = _SUPPLIED[about.title_supplied]
        record["citation"] = citation_text(b, about)
        writer.writerow([_csv_cell(record[name]) for name in CSV_COLUMNS])
    return buffer.getvalue()


# --- files and display -----------------------------------------------------------------------


def write_atomic(path: Path, text: str, *, bom: bool = False) -> None:
    """Write ``text`` (UTF-8) to ``path`` so that a reader or a crash sees the old file or the
    whole new one, never half: temp file in the same directory, fsync, ``os.replace``."""
    path = Path(path)
    data = ("\ufeff" if bom else "").encode() + text.encode("utf-8")
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    try:  # make the rename itself durable; not possible on every platform
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def age(created_at: str, now: datetime | None = None) -> str:
    """How long ago an ISO timestamp was, as people say it: "just now", "3 days ago"."""
    try:
        then = datetime.fromisoformat(created_at)
    except ValueError:
        return ""
    if then.tzinfo is None:
        then = then.replace(tzinfo=UTC)
    seconds = ((now or datetime.now(UTC)) - then).total_seconds()
    if seconds < 60:
        return "just now"
    for unit, size, limit in (
        ("minute", 60, 60),
        ("hour", 3600, 24),
        ("day", 86400, 14),
        ("week", 7 * 86400, 9),
        ("month", 30 * 86400, 12),
        ("year", 365 * 86400, None),
    ):
        count = int(seconds // size)
        if limit is None or count < limit:
            if unit == "day" and count == 1:
                return "yesterday"
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return ""  # unreachable: the last unit has no limit
