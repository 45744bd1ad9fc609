"""Reading corpus files for the index: fingerprints, catalogs and cross-article boilerplate.

The corpus loader cleans one file at a time; the "line that recurs across many articles of
one source is boilerplate" rule needs the whole corpus. A full build applies it to everything
and records the lines it removed per source in the manifest; an incremental update removes
those recorded lines from the new articles of that source, so an added file is cleaned like
the ones already indexed. (A line that only starts to recur because of new files is caught by
the next full rebuild.)
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from index.manifest import FileEntry, fingerprint
from index.models import Article, LoadIssue


class Cancelled(Exception):
    """The caller's cancel event was set: nothing was written."""


@dataclass(slots=True)
class LoadedFile:
    path: Path
    entry: FileEntry
    articles: list[Article]


def corpus_module() -> Any:
    """``index.corpus``, imported late: readers of a built index never need the loader."""
    from index import corpus

    return corpus


def corpus_files(paths: Sequence[Path]) -> dict[Path, Path]:
    """The corpus files named by ``paths``: file → the root its article ids are relative to."""
    found = corpus_module().iter_corpus_files(paths)
    return {Path(f.path).resolve(): Path(f.root).resolve() for f in found}


def catalog_paths(files: Mapping[Path, Path]) -> list[Path]:
    """Catalog files that can apply to ``files`` (each file's directory up to its root)."""
    names = corpus_module().CATALOG_NAMES
    dirs: set[Path] = set()
    for path, root in files.items():
        directory = path.parent
        while directory not in dirs:
            dirs.add(directory)
            if directory == root or root not in directory.parents:
                break
            directory = directory.parent
    return sorted(d / name for d in dirs for name in names if (d / name).is_file())


def is_catalog_dependent(path: Path) -> bool:
    """Whether a catalog can change what ``path`` loads as (plain-text files)."""
    return path.suffix.lower() in corpus_module().PLAIN_SUFFIXES


def read_files(
    files: Mapping[Path, Path],
    *,
    taken_ids: set[str],
    on_file: Callable[[int, Path], None],
    cancel: threading.Event | None,
) -> tuple[list[LoadedFile], list[LoadIssue]]:
    """Fingerprint and load each file. An article id another file already uses is skipped
    with a reason, so an index never holds two documents for one id."""
    load_file = corpus_module().load_file
    loaded: list[LoadedFile] = []
    skipped: list[LoadIssue] = []
    for done, (path, root) in enumerate(sorted(files.items())):
        if cancel is not None and cancel.is_set():
            raise Cancelled
        on_file(done, path)
        try:
            entry = fingerprint(path)
        except OSError as error:
            skipped.append(LoadIssue(str(path), f"cannot read: {error.strerror or error}"))
            continue
        articles, issues = load_file(path, root=root)
        skipped.extend(issues)
        kept: list[Article] = []
        for article in articles:
            if article.id in taken_ids:
                skipped.append(LoadIssue(str(path), f"duplicate article id: {article.id}"))
                continue
            taken_ids.add(article.id)
            kept.append(article)
        entry.article_ids = [a.id for a in kept]
        loaded.append(LoadedFile(path, entry, kept))
    return loaded, skipped


def recurring_by_source(articles: Iterable[Article]) -> dict[str, list[str]]:
    """Per source, the boilerplate lines of the corpus loader's recurring-line rule."""
    from index.cleaning import recurring_lines

    by_source: dict[str, list[list[str]]] = defaultdict(list)
    for article in articles:
        if article.source:
            by_source[article.source].append(article.text.split("\n\n"))
    found: dict[str, list[str]] = {}
    for source, paragraphs in by_source.items():
        lines = recurring_lines(paragraphs)
        if lines:
            found[source] = sorted(lines)
    return found


def strip_boilerplate(article: Article, boilerplate: Mapping[str, Iterable[str]]) -> Article:
    """``article`` without the recorded boilerplate lines of its source (never emptied)."""
    lines = set(boilerplate.get(article.source or "", ()))
    if not lines:
        return article
    paragraphs = article.text.split("\n\n")
    kept = [p for p in paragraphs if p not in lines]
    if not kept or len(kept) == len(paragraphs):
        return article
    from index.passages import split_passages

    text = "\n\n".join(kept)
    return replace(
        article,
        text=text,
        content_hash=corpus_module().content_hash(text),
        passages=split_passages(article.id, text),
    )
