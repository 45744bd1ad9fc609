"""Find the files of a corpus, and fingerprint them for incremental index updates.

A corpus is a directory (walked recursively) or a list of files. Inside a directory only the
corpus file types are taken, hidden and ``__dunder__`` entries and catalogs are skipped, and the
order is sorted, so a corpus always loads the same way. Article ids are relative to the
directory given (the corpus root); a file given directly is its own root's child.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from index.catalog import CATALOG_NAMES
from index.models import LoadIssue

PLAIN_SUFFIXES = frozenset({".txt", ".md"})
JSON_SUFFIXES = frozenset({".json"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
ARCHIVE_SUFFIXES = frozenset({".zip"})
CORPUS_SUFFIXES = PLAIN_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES | ARCHIVE_SUFFIXES


@dataclass(frozen=True, slots=True)
class CorpusFile:
    """A file of the corpus and the root its article ids are relative to."""

    path: Path
    root: Path

    @property
    def relstem(self) -> str:
        """The file's path under its root, without suffix: the stem of its article ids. A file
        outside its root (reached through a link) is named by its file name alone."""
        if self.path != self.root and self.path.is_relative_to(self.root):
            relative = self.path.relative_to(self.root)
        else:
            relative = Path(self.path.name)
        return PurePosixPath(*relative.parts).with_suffix("").as_posix()


def root_for_article(path: Path, article_id: str) -> Path:
    """The corpus root an article id of ``path`` was made relative to: the nearest folder
    from which the file's :attr:`CorpusFile.relstem` starts the id (an id is the relstem,
    ``relstem#n`` for a record, or ``relstem/member…`` inside an archive). A bookmark keeps
    the file and the id, not the root; catalogs are looked up to the root and no further."""
    base = article_id.split("#", 1)[0]
    for root in path.parents:
        stem = CorpusFile(path, root).relstem
        if base == stem or base.startswith(stem + "/"):
            return root
    return path.parent


def _walk_unsorted(root: Path) -> Iterator[Path]:
    """Corpus files under ``root`` as found, skipping hidden/dunder entries and catalogs."""
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith((".", "__")))
        for name in files:
            if name.startswith((".", "__")) or name in CATALOG_NAMES:
                continue
            candidate = Path(directory) / name
            if candidate.suffix.lower() in CORPUS_SUFFIXES:
                yield candidate


def _walk(root: Path) -> Iterator[Path]:
    """Corpus files under ``root``, sorted, so a corpus always loads the same way."""
    yield from sorted(_walk_unsorted(root))


def collect_corpus_files(paths: Sequence[Path]) -> tuple[list[CorpusFile], list[LoadIssue]]:
    """The corpus files named by ``paths`` (directories walked), and issues for bad paths.

    Files of other types inside a directory are ignored quietly (a corpus directory may hold a
    README or, for ``seeds/``, Python package files); a file NAMED in ``paths`` with an
    unsupported type is reported.
    """
    files: list[CorpusFile] = []
    issues: list[LoadIssue] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given).expanduser()
        if path.is_dir():
            root = path.resolve()
            for found in _walk(root):
                if found not in seen:
                    seen.add(found)
                    files.append(CorpusFile(found, root))
        elif path.is_file():
            resolved = path.parent.resolve() / path.name  # a link keeps its own name
            if resolved.suffix.lower() not in CORPUS_SUFFIXES:
                issues.append(
                    LoadIssue(
                        str(path), f"unsupported file type: {resolved.suffix or 'no extension'}"
                    )
                )
            elif resolved not in seen:
                seen.add(resolved)
                files.append(CorpusFile(resolved, resolved.parent))
        elif path.exists():
            issues.append(LoadIssue(str(path), "not a file or directory"))
        else:
            issues.append(LoadIssue(str(path), "not found: no such file or directory"))
    return files, issues


#: How the corpus file types are named to the user, in messages that say what to pass instead.
CORPUS_TYPES_TEXT = ".txt, .md, .json, .jsonl, .ndjson or .zip"


class CorpusPathError(ValueError):
    """A path given as the corpus cannot be one; the message says what is wrong with it and
    what to pass instead, in one line."""


def _holds_corpus_file(root: Path) -> bool:
    """Whether :func:`_walk` would find a file under ``root``; stops at the first, so a large
    tree is not listed in full just to be told it is not empty."""
    return next(_walk_unsorted(root), None) is not None


def corpus_path_problem(path: Path) -> str | None:
    """Why ``path`` cannot be (part of) a corpus, or ``None`` when it can.

    Checked by name and type only, nothing is read: a path that does not exist, a file of
    another type (``/etc/passwd``), a device, or a directory without one corpus file. A
    corpus file whose content cannot be loaded is found when it is loaded (see
    :func:`index.corpus.probe_corpus`).
    """
    path = Path(path).expanduser()
    if path.is_dir():
        return None if _holds_corpus_file(path) else f"{path} holds no article files"
    if path.is_file():
        suffix = path.suffix.lower()
        if suffix in CORPUS_SUFFIXES:
            return None
        kind = f"a {suffix} file" if suffix else "a file without an extension"
        return f"{path} is not a corpus file ({kind})"
    if path.exists():
        return f"{path} is not a regular file or a directory"
    return f"{path} does not exist"


def check_corpus_paths(paths: Sequence[Path]) -> None:
    """Raise :class:`CorpusPathError` when any of ``paths`` cannot be a corpus: before an index
    is made for it, since a cache directory for ``/etc/passwd`` helps nobody. The message names
    each problem (the first three, and how many more) and what to pass instead, on one line."""
    problems = [problem for p in paths if (problem := corpus_path_problem(p)) is not None]
    if problems or not paths:
        more = f"; and {len(problems) - 3} more" if len(problems) > 3 else ""
        said = "; ".join(problems[:3]) + more if problems else "no corpus given"
        raise CorpusPathError(
            f"{said}; pass a directory of articles or article files ({CORPUS_TYPES_TEXT})"
        )


def iter_corpus_files(paths: Sequence[Path]) -> Iterator[CorpusFile]:
    """The corpus files named by ``paths`` (missing paths are skipped; see
    :func:`collect_corpus_files` for the issues)."""
    yield from collect_corpus_files(paths)[0]


@dataclass(frozen=True, slots=True)
class FileFingerprint:
    """What identifies a file's version: size and mtime are cheap to compare; the content
    hash decides when they differ (a touched but unchanged file needs no reindexing)."""

    size: int
    mtime_ns: int
    sha256: str | None


def file_fingerprint(path: Path, *, with_hash: bool = True) -> FileFingerprint:
    """``(size, mtime_ns)`` of ``path`` and, with ``with_hash``, the SHA-256 of its bytes."""
    stat = path.stat()
    digest: str | None = None
    if with_hash:
        hasher = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                hasher.update(block)
        digest = hasher.hexdigest()
    return FileFingerprint(stat.st_size, stat.st_mtime_ns, digest)
