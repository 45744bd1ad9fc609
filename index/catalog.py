"""Corpus catalogs: what a plain-text file cannot say about itself (title, source, date, url).

A ``catalog.toml`` (or ``catalog.json``) in a corpus directory maps file names — paths relative
to the catalog's directory, with or without the extension — to metadata, with optional
``[defaults]`` for every file there::

    [defaults]
    source = "كويت نيوز"

    [articles."002_e5108af2acbeb66d.txt"]
    title = "..."
    date = "2024-01-25"

``via`` is the news agency the outlet credits the article to (``via = "واس"``: a reprint of
an SPA wire): the article's source stays the outlet that published it, and a citation says
"Outlet, via Agency". The loader records it as ``Article.via``, and a bookmark keeps it, so the
citation still says it when the file or this catalog is gone.
Other keys (``evidence``, ``note``) are for people and ignored. TOML has no null: a field that
is absent is unknown and stays ``None`` — a catalog is where a source is STATED, never guessed. The nearest catalog wins: the file's own directory, then its parents up to the
corpus root.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from index.dates import parse_date
from index.models import LoadIssue

CATALOG_NAMES = ("catalog.toml", "catalog.json")


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """What a catalog states about one file; ``None`` where it states nothing."""

    title: str | None = None
    source: str | None = None
    date: str | None = None
    url: str | None = None
    author: str | None = None
    via: str | None = None  # the agency the outlet credits (a reprint), for citations


def text_field(value: Any) -> str | None:
    if isinstance(value, list):
        value = "، ".join(str(item).strip() for item in value if str(item).strip())
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _entry(data: dict[str, Any], base: CatalogEntry | None = None) -> CatalogEntry:
    base = base or CatalogEntry()
    return CatalogEntry(
        title=text_field(data.get("title")) or base.title,
        source=text_field(data.get("source")) or base.source,
        date=parse_date(text_field(data.get("date"))) or base.date,
        url=text_field(data.get("url")) or base.url,
        author=text_field(data.get("author")) or base.author,
        via=text_field(data.get("via")) or base.via,
    )


@dataclass(frozen=True, slots=True)
class Catalog:
    """A directory's catalog: per-file entries (keys relative to ``directory``) and defaults."""

    directory: Path
    defaults: CatalogEntry
    entries: dict[str, CatalogEntry]

    def lookup(self, path: Path) -> CatalogEntry | None:
        try:
            relative = PurePosixPath(*path.relative_to(self.directory).parts)
        except ValueError:
            return None
        for key in (relative.as_posix(), relative.with_suffix("").as_posix()):
            if key in self.entries:
                return self.entries[key]
        return self.defaults if self.defaults != CatalogEntry() else None


_catalog_cache: dict[Path, tuple[int, Catalog | None, LoadIssue | None]] = {}


def load_catalog(directory: Path) -> tuple[Catalog | None, LoadIssue | None]:
    """The catalog of ``directory`` (``None`` if it has none) and an issue if it is broken."""
    for name in CATALOG_NAMES:
        path = directory / name
        try:
            mtime = path.stat().st_mtime_ns
        except OSError:
            continue
        cached = _catalog_cache.get(path)
        if cached and cached[0] == mtime:
            return cached[1], cached[2]
        catalog: Catalog | None = None
        issue: LoadIssue | None = None
        try:
            raw = path.read_bytes()
            data = (
                tomllib.loads(raw.decode("utf-8-sig"))
                if name.endswith(".toml")
                else json.loads(raw)
            )
            if not isinstance(data, dict):
                raise ValueError("the catalog must be a table/object")
            defaults = _entry(data.get("defaults") or {})
            articles = data.get("articles") or {}
            entries = {
                str(key): _entry(value, defaults)
                for key, value in articles.items()
                if isinstance(value, dict)
            }
            catalog = Catalog(directory, defaults, entries)
        except (OSError, UnicodeDecodeError, ValueError, tomllib.TOMLDecodeError) as error:
            issue = LoadIssue(str(path), f"broken catalog: {error}")
        _catalog_cache[path] = (mtime, catalog, issue)
        return catalog, issue
    return None, None


def catalog_entry(path: Path, root: Path) -> tuple[CatalogEntry | None, list[LoadIssue]]:
    """The nearest catalog entry for ``path``: its own directory first, then up to ``root``."""
    issues: list[LoadIssue] = []
    directory = path.parent
    while True:
        catalog, issue = load_catalog(directory)
        if issue:
            issues.append(issue)
        if catalog and (entry := catalog.lookup(path)):
            return entry, issues
        if directory == root or directory.parent == directory or root not in directory.parents:
            return None, issues
        directory = directory.parent
