"""Load a corpus — a directory (recursive) or a list of files — into clean ``Article`` records.

Formats: ``.txt``/``.md`` (one article per file), ``.json`` (one object, or an array of
objects), ``.jsonl``/``.ndjson`` (one object per line) and ``.zip`` archives holding any of
these (SaudiNewsNet: one JSON array per day). Record fields: ``title``, ``text`` or ``content``
(or ``body``), ``source``, ``date`` (or ``date_extracted``, ``published``…), ``url``, ``author``,
``via`` (or ``agency``).

A ``catalog.toml`` (or ``catalog.json``) in a corpus directory gives what a plain-text file
cannot carry — title, source, date, url, author, and ``via``, the agency the outlet credits
(see ``index.catalog``). Nothing is invented:
a field neither the file nor a catalog states stays ``None``. Finding the files and
fingerprinting them for incremental updates lives in ``index.corpus_files`` (re-exported here);
building one article from its text, and reading JSON records, in ``index.corpus_records``.

Article ids (stable while the corpus layout is):

* plain file: its path relative to the corpus root, without extension, ``/``-separated:
  ``"000_f9b92358ab5c809d"``, ``"sub/dir/name"``. A file given directly is relative to its
  own directory.
* a single JSON object file: the same as a plain file.
* a multi-record file (JSON array, JSON lines): ``"{relpath-stem}#{n}"`` with ``n`` the record's
  0-based position in the file (for JSON lines: among the non-blank lines).
* inside a zip: ``"{zip relpath-stem}#{n}"`` when the archive holds one member (SaudiNewsNet:
  ``"2015-07-21#17"``), else ``"{zip relpath-stem}/{member path stem}#{n}"`` (or without ``#n``
  for a plain-text member). ``Article.path`` is always the file on disk (the zip itself), so an
  index can match articles to files for incremental updates.

Each text is cleaned by ``index.cleaning`` (a ``.txt``/``.md`` file as a scraped page, a
record's body as a body) and cut into passages by ``index.passages``; ``Article.raw`` keeps the
text as decoded, ``content_hash`` is 16 hex digits of the SHA-256 of the clean text, and
``title_composed`` says the cleaner titled a text that states no headline with its first
sentence.
:func:`load_corpus` then applies the cross-article rule (a short line recurring across many
articles of one source is boilerplate), which one file alone cannot.

Everything that cannot be loaded becomes a :class:`~index.models.LoadIssue` whose ``reason``
reads "category: details" ("binary file: contains NUL bytes", "no text: record has an
empty 'content'"); the summary groups by the category and counts files apart from records
(:func:`describe_skipped`: "12 records in 1 file"). The rest always loads.
:func:`probe_corpus` tells a corpus with no loadable article before it is indexed.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from index.catalog import CATALOG_NAMES, CatalogEntry, catalog_entry
from index.cleaning import CleaningRules, default_rules, recurring_lines
from index.corpus_files import (
    ARCHIVE_SUFFIXES,
    CORPUS_SUFFIXES,
    JSON_SUFFIXES,
    JSONL_SUFFIXES,
    PLAIN_SUFFIXES,
    CorpusFile,
    FileFingerprint,
    collect_corpus_files,
    file_fingerprint,
    iter_corpus_files,
)
from index.corpus_records import build_article, content_hash, load_json_text, load_jsonl_text
from index.encoding import DEFAULT_MAX_BYTES, UnreadableFile, check_size, decode_bytes
from index.models import Article, LoadIssue, LoadReport
from index.passages import split_passages

__all__ = [
    "CATALOG_NAMES",
    "CORPUS_SUFFIXES",
    "PLAIN_SUFFIXES",
    "CorpusFile",
    "FileFingerprint",
    "SkippedCount",
    "collect_corpus_files",
    "content_hash",
    "count_skipped",
    "describe_skipped",
    "file_fingerprint",
    "format_load_summary",
    "iter_corpus_files",
    "load_corpus",
    "load_file",
    "loader_fingerprint",
    "probe_corpus",
    "reason_category",
    "remove_recurring_boilerplate",
    "skipped_lines",
]

# ``max_bytes`` is the limit for ONE article (a .txt/.md file or member). A data file holding many
# records (.json, .jsonl, an archive, a JSON member of an archive) may be this many times larger:
# SaudiNewsNet's daily JSON arrays reach 12.6 MB.
DATA_FILE_FACTOR = 10


ProgressCallback = Callable[[int, int], None]

#: Bumped whenever cleaning or passage segmentation changes what the same file loads as (3: the
#: loader records ``via`` and ``title_composed``). An index stores :func:`loader_fingerprint`
#: and rebuilds when it differs, since passage ids and offsets of already-indexed files would
#: otherwise be stale.
LOADER_VERSION = 3


def loader_fingerprint() -> str:
    """``LOADER_VERSION`` plus a hash of the cleaning rules file: what an index must match."""
    from index.cleaning import RULES_FILE

    digest = hashlib.sha256(RULES_FILE.read_bytes()).hexdigest()[:12]
    return f"{LOADER_VERSION}-{digest}"


def _load_decoded(
    text: str,
    suffix: str,
    base_id: str,
    path: Path,
    where: str,
    meta: CatalogEntry | None,
    *,
    rules: CleaningRules,
) -> tuple[list[Article], list[LoadIssue]]:
    if suffix in JSON_SUFFIXES:
        return load_json_text(text, base_id, path, where, rules=rules)
    if suffix in JSONL_SUFFIXES:
        return load_jsonl_text(text, base_id, path, where, rules=rules)
    built = build_article(
        base_id, text, path, meta or CatalogEntry(), scraped_page=True, rules=rules
    )
    if isinstance(built, str):
        return [], [LoadIssue(where, built)]
    return [built], []


def _limit(suffix: str, max_bytes: int) -> int:
    """The size limit for a file of this type: one article, or a data file of many."""
    return max_bytes if suffix in PLAIN_SUFFIXES else max_bytes * DATA_FILE_FACTOR


def _load_archive(
    path: Path, base_id: str, *, max_bytes: int, rules: CleaningRules
) -> tuple[list[Article], list[LoadIssue]]:
    articles: list[Article] = []
    issues: list[LoadIssue] = []
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        return [], [LoadIssue(str(path), f"broken archive: {error}")]
    with archive:
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir()
            and not any(part.startswith((".", "__")) for part in PurePosixPath(info.filename).parts)
        ]
        usable = [
            m
            for m in members
            if PurePosixPath(m.filename).suffix.lower() in CORPUS_SUFFIXES - ARCHIVE_SUFFIXES
        ]
        for info in members:
            if info not in usable:
                issues.append(
                    LoadIssue(
                        f"{path}/{info.filename}", "unsupported file type: inside the archive"
                    )
                )
        for info in usable:
            member = PurePosixPath(info.filename)
            where = f"{path}/{info.filename}"
            member_id = (
                base_id if len(usable) == 1 else f"{base_id}/{member.with_suffix('').as_posix()}"
            )
            limit = _limit(member.suffix.lower(), max_bytes)
            try:
                check_size(info.file_size, max_bytes=limit)
                with archive.open(info) as handle:
                    data = handle.read(limit + 1)  # never trust the declared size
                check_size(len(data), max_bytes=limit)
                decoded = decode_bytes(data)
            except UnreadableFile as error:
                issues.append(LoadIssue(where, error.reason))
                continue
            except (zipfile.BadZipFile, RuntimeError, OSError, EOFError) as error:
                issues.append(LoadIssue(where, f"broken archive member: {error}"))
                continue
            found, problems = _load_decoded(
                decoded.text, member.suffix.lower(), member_id, path, where, None, rules=rules
            )
            articles.extend(found)
            issues.extend(problems)
    return articles, issues


def load_file(
    path: Path,
    *,
    root: Path | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    rules: CleaningRules | None = None,
) -> tuple[list[Article], list[LoadIssue]]:
    """Load the articles of one corpus file; problems come back as issues, never exceptions.

    ``root`` is the corpus directory the article ids are relative to (default: the file's own
    directory). ``max_bytes`` limits one article file; data files (JSON, JSON lines, archives)
    may be ``DATA_FILE_FACTOR`` times larger. The cross-article boilerplate rule is NOT applied here (it needs the whole
    source): :func:`load_corpus` applies it, or call :func:`remove_recurring_boilerplate`.
    """
    active = rules or default_rules()
    given = Path(path).expanduser()
    # the folders are resolved, not the file: a corpus file that is a link to a file elsewhere
    # keeps its place in the corpus (its article ids), and suffix checks see the link's name
    file = given.parent.resolve() / given.name
    corpus_file = CorpusFile(file, (root.expanduser().resolve() if root else file.parent))
    suffix = file.suffix.lower()
    where = str(path)
    if suffix not in CORPUS_SUFFIXES:
        return [], [LoadIssue(where, f"unsupported file type: {suffix or 'no extension'}")]
    try:
        size = file.stat().st_size
        check_size(size, max_bytes=_limit(suffix, max_bytes))
    except FileNotFoundError:
        return [], [LoadIssue(where, "not found: no such file")]
    except OSError as error:
        return [], [LoadIssue(where, f"cannot read: {error.strerror or error}")]
    except UnreadableFile as error:
        return [], [LoadIssue(where, error.reason)]
    base_id = corpus_file.relstem
    if suffix in ARCHIVE_SUFFIXES:
        return _load_archive(file, base_id, max_bytes=max_bytes, rules=active)
    try:
        decoded = decode_bytes(file.read_bytes())
        if not decoded.text.strip():
            raise UnreadableFile("empty file: whitespace only")
    except UnreadableFile as error:
        return [], [LoadIssue(where, error.reason)]
    except OSError as error:
        return [], [LoadIssue(where, f"cannot read: {error.strerror or error}")]
    meta, catalog_issues = (
        (None, []) if suffix not in PLAIN_SUFFIXES else catalog_entry(file, corpus_file.root)
    )
    articles, issues = _load_decoded(decoded.text, suffix, base_id, file, where, meta, rules=active)
    return articles, catalog_issues + issues


# --- the corpus -----------------------------------------------------------------------------


def _with_paragraphs(article: Article, paragraphs: Sequence[str]) -> Article:
    text = "\n\n".join(paragraphs)
    return replace(
        article,
        text=text,
        content_hash=content_hash(text),
        passages=split_passages(article.id, text),
    )


def remove_recurring_boilerplate(
    articles: Sequence[Article], rules: CleaningRules | None = None
) -> list[Article]:
    """Drop short lines that recur across many articles of the same source.

    Articles without a source are each their own outlet, so nothing of theirs is compared.
    An article whose every paragraph is boilerplate is kept unchanged (never emptied).
    Returns the articles in the same order, rebuilt only where something was removed.
    """
    active = rules or default_rules()
    by_source: dict[str, list[int]] = defaultdict(list)
    for position, article in enumerate(articles):
        if article.source:
            by_source[article.source].append(position)
    result = list(articles)
    for positions in by_source.values():
        paragraphs = [articles[p].text.split("\n\n") for p in positions]
        boilerplate = recurring_lines(paragraphs, active)
        if not boilerplate:
            continue
        for position, lines in zip(positions, paragraphs, strict=True):
            kept = [line for line in lines if line not in boilerplate]
            if kept and len(kept) != len(lines):
                result[position] = _with_paragraphs(articles[position], kept)
    return result


def load_corpus(
    paths: Sequence[Path],
    *,
    progress: ProgressCallback | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    rules: CleaningRules | None = None,
) -> LoadReport:
    """Load every article of the corpus named by ``paths``.

    ``progress(done, total)`` is called after each file. Unreadable files and records are in
    ``report.skipped``; duplicate ids (``a.txt`` beside ``a.md``) keep the first and report
    the rest.
    """
    active = rules or default_rules()
    files, issues = collect_corpus_files(paths)
    report = LoadReport(skipped=list(issues))
    articles: list[Article] = []
    seen_ids: set[str] = set()
    reported: set[LoadIssue] = set(issues)
    total = len(files)
    for done, corpus_file in enumerate(files, start=1):
        found, problems = load_file(
            corpus_file.path, root=corpus_file.root, max_bytes=max_bytes, rules=active
        )
        report.files_read += 1
        for problem in problems:
            if problem not in reported:  # a broken catalog is met once per file beside it
                reported.add(problem)
                report.skipped.append(problem)
        for article in found:
            if article.id in seen_ids:
                report.skipped.append(
                    LoadIssue(str(corpus_file.path), f"duplicate article id: {article.id}")
                )
                continue
            seen_ids.add(article.id)
            articles.append(article)
        if progress:
            progress(done, total)
    report.articles = remove_recurring_boilerplate(articles, active)
    return report


def probe_corpus(
    paths: Sequence[Path], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[bool, list[LoadIssue]]:
    """Whether any article of ``paths`` loads, reading files in corpus order only until one
    does; with ``False``, every reason nothing loaded.

    Before a corpus's first index: one malformed ``.json`` is refused with its reason, not
    indexed as empty. Usually costs one file.
    """
    files, issues = collect_corpus_files(paths)
    for corpus_file in files:
        found, problems = load_file(corpus_file.path, root=corpus_file.root, max_bytes=max_bytes)
        if found:
            return True, []
        issues.extend(problems)
    return False, issues


def reason_category(reason: str) -> str:
    """The category of an issue's reason: the part before the first colon."""
    return reason.split(":", 1)[0].strip()


_RECORD_SUFFIX = re.compile(r"#\d+$")


@dataclass(frozen=True, slots=True)
class SkippedCount:
    """What a list of skipped issues counts, in the units the user thinks in.

    ``files`` are whole files (or archive members, or a catalog) that gave nothing;
    ``records`` are articles inside files that were read (a JSON record, a JSON line, a
    duplicate id), and ``record_files`` is how many files those records are in. One file of
    12 empty records is "12 records in 1 file", never "12 files".
    """

    files: int = 0
    records: int = 0
    record_files: int = 0

    def __str__(self) -> str:
        parts: list[str] = []
        if self.files:
            parts.append(_plural(self.files, "file"))
        if self.records:
            parts.append(
                f"{_plural(self.records, 'record')} in {_plural(self.record_files, 'file')}"
            )
        return " and ".join(parts) or "nothing"


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def count_skipped(issues: Sequence[LoadIssue]) -> SkippedCount:
    """Count ``issues`` as files and records (see :class:`SkippedCount`).

    A record's issue names ``FILE#N`` (its position in the file); a duplicate article id names
    the file and the id, which has ``#N`` when the article is one record of many.
    """
    files: set[str] = set()
    records = 0
    record_files: set[str] = set()
    for issue in issues:
        if _RECORD_SUFFIX.search(issue.path):
            records += 1
            record_files.add(_RECORD_SUFFIX.sub("", issue.path))
        elif reason_category(issue.reason) == "duplicate article id" and "#" in issue.reason:
            records += 1
            record_files.add(issue.path)
        else:
            files.add(issue.path)
    return SkippedCount(len(files), records, len(record_files))


def describe_skipped(issues: Sequence[LoadIssue]) -> str:
    """``issues`` counted for a sentence ("12 records in 1 file"): app notice, index summary."""
    return str(count_skipped(issues))


def skipped_lines(issues: Sequence[LoadIssue], *, examples: int = 3) -> list[str]:
    """What was skipped: the count, then per reason category its count and a few examples."""
    if not issues:
        return ["Nothing was skipped."]
    lines = [f"Skipped {describe_skipped(issues)}:"]
    grouped: dict[str, list[LoadIssue]] = defaultdict(list)
    for issue in issues:
        grouped[reason_category(issue.reason)].append(issue)
    for category, members in sorted(grouped.items(), key=lambda item: (-len(item[1]), item[0])):
        lines.append(f"  {category}: {len(members):,}")
        for issue in members[:examples]:
            lines.append(f"    {issue.path} — {issue.reason}")
        if len(members) > examples:
            lines.append(f"    … and {len(members) - examples:,} more")
    return lines


def format_load_summary(report: LoadReport, *, examples: int = 3) -> str:
    """A few lines for the end of ``newsreader index``: what loaded, what was skipped and why."""
    articles = len(report.articles)
    lines = [
        f"Loaded {articles:,} article{'s' if articles != 1 else ''} "
        f"from {report.files_read:,} file{'s' if report.files_read != 1 else ''}."
    ]
    lines.extend(skipped_lines(report.skipped, examples=examples))
    return "\n".join(lines)
