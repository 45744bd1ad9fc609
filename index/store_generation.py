"""The on-disk generations of a corpus index: writing one, and checking one before trusting it.

A full build writes a new generation beside the live one (``build-<stamp>.tmp/``, renamed to
``gen-<stamp>/`` only when complete, then ``CURRENT`` is pointed at it); an incremental update
commits into the live generation (:func:`commit_to_generation`). Either way ``meta.json``
records what the commit left. :class:`index.store.CorpusIndex` decides *when* to build, update
or swap (the directory layout is in :mod:`index.store`); this module is *what* a generation is
on disk, kept apart so the format and its trust rules can be read and changed in one place.

What is checked before a generation is trusted (see :func:`verify_generation`): ``meta.json``
exists with this :data:`~index.schema.SCHEMA_VERSION`; every file the last commit left has the
size and mtime that commit recorded (garbage written into a segment, a truncated or deleted
file, a missing TOC all fail here); Whoosh opens it and its document count is the one recorded.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import CLEAR, NO_MERGE

from index.building import Cancelled
from index.manifest import MANIFEST_NAME, Manifest
from index.models import Article
from index.schema import SCHEMA_VERSION, article_document, build_schema, passage_documents

if TYPE_CHECKING:
    from whoosh.searching import Searcher

META_NAME = "meta.json"
CURRENT_NAME = "CURRENT"
_UNLISTED = frozenset({META_NAME, MANIFEST_NAME})
_CANCEL_CHECK_EVERY = 200
#: Segments an incremental commit tolerates before Whoosh merges the small ones.
_MAX_SEGMENTS_WITHOUT_MERGE = 8

#: ``(phase, done, total)`` while documents are written: ``indexing`` then ``committing``.
PhaseCallback = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class IndexStatus:
    """Whether the live index can be searched; ``message`` says why not, for the user."""

    state: Literal["ready", "missing", "corrupt", "outdated"]
    message: str | None = None

    @property
    def usable(self) -> bool:
        return self.state == "ready"


@dataclass(slots=True)
class LiveGeneration:
    """The open live generation."""

    directory: Path
    ix: Any
    searcher: Searcher
    meta: dict[str, Any]


def read_pointer(directory: Path) -> Path | None:
    """The generation ``CURRENT`` names, or ``None`` when it is missing or not a plain name."""
    try:
        name = (directory / CURRENT_NAME).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not name or "/" in name or name.startswith("."):
        return None
    return directory / name


def point_at(generation: Path) -> None:
    """Make ``generation`` the live one: readers see the old pointer or the new, never half."""
    directory = generation.parent
    pointer_tmp = directory / (CURRENT_NAME + ".tmp")
    pointer_tmp.write_text(generation.name, encoding="utf-8")
    os.replace(pointer_tmp, directory / CURRENT_NAME)


def remove_other_generations(generation: Path) -> None:
    """Delete every generation and build directory beside ``generation``.

    Only called under the write lock, so a ``build-*.tmp`` found here was left by a killed
    build: nobody is writing it."""
    for old in generation.parent.iterdir():
        if old.is_dir() and old != generation and old.name.startswith(("gen-", "build-")):
            shutil.rmtree(old, ignore_errors=True)


def write_generation(
    directory: Path,
    articles: Sequence[Article],
    manifest: Manifest,
    progress: PhaseCallback,
    cancel: threading.Event | None,
) -> Path:
    """Write a complete new generation of ``articles`` in ``directory``; returns its path.

    It is written as ``build-<stamp>.tmp`` and renamed to ``gen-<stamp>`` only once the index,
    ``meta.json`` and the manifest are all on disk; on any failure (or :class:`Cancelled`) the
    build directory is removed and the live generation is untouched."""
    stamp = f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    build_dir = directory / f"build-{stamp}.tmp"
    build_dir.mkdir(parents=True)
    try:
        ix = whoosh_index.create_in(str(build_dir), build_schema())
        writer = ix.writer(procs=1, limitmb=512)
        try:
            passages = _add_articles(writer, articles, progress, cancel)
            progress("committing", len(articles), len(articles))
            writer.commit(mergetype=CLEAR)
        except BaseException:
            writer.cancel()
            raise
        finally:
            ix.close()
        _write_meta(build_dir, articles=len(articles), passages=passages)
        manifest.save(build_dir / MANIFEST_NAME)
        generation = directory / f"gen-{stamp}"
        os.rename(build_dir, generation)
    except BaseException:
        shutil.rmtree(build_dir, ignore_errors=True)
        raise
    return generation


def commit_to_generation(
    live: LiveGeneration,
    doomed: Sequence[tuple[int, bool]],
    articles: Sequence[Article],
    progress: PhaseCallback,
    cancel: threading.Event | None,
) -> dict[str, Any]:
    """Commit an incremental change into the live generation; returns its new ``meta.json``.

    Deletes the ``doomed`` documents (``(docnum, is_article)``) and adds ``articles``. Open
    readers stay consistent through Whoosh's own TOC generations, and small segments are not
    merged until there are 8, so adding a file rewrites nothing already indexed. The caller swaps in a new searcher and ``live.meta``."""
    removed_articles = sum(1 for _, is_article in doomed if is_article)
    writer = live.ix.writer(procs=1, limitmb=128)
    try:
        for docnum, _ in doomed:
            writer.delete_document(docnum)
        passages = _add_articles(writer, articles, progress, cancel)
        progress("committing", len(articles), len(articles))
        crowded = len(writer.segments) >= _MAX_SEGMENTS_WITHOUT_MERGE
        writer.commit(mergetype=None if crowded else NO_MERGE)
    except BaseException:
        writer.cancel()
        raise
    article_total = int(live.meta["articles"]) - removed_articles + len(articles)
    passage_total = int(live.meta["passages"]) - (len(doomed) - removed_articles) + passages
    return _write_meta(live.directory, articles=article_total, passages=passage_total)


def _add_articles(
    writer: Any,
    articles: Sequence[Article],
    progress: PhaseCallback,
    cancel: threading.Event | None,
) -> int:
    """Add article and passage documents; returns the number of passages."""
    passages = 0
    total = len(articles)
    for done, article in enumerate(articles):
        if done % _CANCEL_CHECK_EVERY == 0:
            progress("indexing", done, total)
            if cancel is not None and cancel.is_set():
                raise Cancelled
        writer.add_document(**article_document(article))
        for doc in passage_documents(article):
            writer.add_document(**doc)
            passages += 1
    return passages


def _dir_listing(directory: Path) -> dict[str, list[int]]:
    """Size and mtime of every index file, to detect tampering and truncation."""
    listing: dict[str, list[int]] = {}
    for entry in os.scandir(directory):
        name = entry.name
        if entry.is_file() and not name.endswith(("LOCK", ".tmp")) and name not in _UNLISTED:
            stat = entry.stat()
            listing[entry.name] = [stat.st_size, stat.st_mtime_ns]
    return listing


def _write_meta(directory: Path, *, articles: int, passages: int) -> dict[str, Any]:
    """Record what a commit left (counts, schema version, every file's size and mtime) for
    :func:`verify_generation`; call it after every commit into ``directory``."""
    meta = {
        "schema_version": SCHEMA_VERSION,
        "articles": articles,
        "passages": passages,
        "written": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "files": _dir_listing(directory),
    }
    tmp = directory / (META_NAME + ".tmp")
    tmp.write_text(json.dumps(meta), encoding="utf-8")
    os.replace(tmp, directory / META_NAME)
    return meta


def _storage(directory: Path) -> FileStorage:
    """Whoosh storage without mmap: with mmap, Whoosh copies every compound file it opens into
    memory (BytesIO over the map), ~40 ms per segment file; reads perform the same."""
    return FileStorage(str(directory), supports_mmap=False)


def verify_generation(directory: Path) -> tuple[IndexStatus, LiveGeneration | None]:
    """Check a generation before trusting it (see the module docstring); open it if it passes."""
    try:
        meta = json.loads((directory / META_NAME).read_text(encoding="utf-8"))
        version = meta["schema_version"]
        recorded = meta["files"]
        expected_docs = int(meta["articles"]) + int(meta["passages"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        return IndexStatus("corrupt", f"the index is damaged ({error}); rebuilding it"), None
    if version != SCHEMA_VERSION:
        return IndexStatus(
            "outdated",
            f"the index was built by another version of newsreader (format {version}, "
            f"this one reads {SCHEMA_VERSION}); rebuilding it",
        ), None
    try:
        actual = _dir_listing(directory)
    except OSError as error:
        return IndexStatus("corrupt", f"the index is damaged ({error}); rebuilding it"), None
    for name, (size, mtime_ns) in recorded.items():
        found = actual.get(name)
        if found is None:
            problem = f"file {name} is missing"
        elif found[0] != size:
            problem = f"file {name} has {found[0]} bytes, {size} were written"
        elif found[1] != mtime_ns:
            problem = f"file {name} was modified after it was written"
        else:
            continue
        return IndexStatus("corrupt", f"the index is damaged ({problem}); rebuilding it"), None
    try:
        ix = _storage(directory).open_index()
        searcher = ix.searcher()
        count = searcher.doc_count()
    except Exception as error:  # Whoosh raises many types on garbage; all mean "do not trust"
        return IndexStatus("corrupt", f"the index is damaged ({error!r}); rebuilding it"), None
    if count != expected_docs:
        searcher.close()
        ix.close()
        return IndexStatus(
            "corrupt",
            f"the index is damaged ({count} documents, {expected_docs} recorded); rebuilding it",
        ), None
    return IndexStatus("ready"), LiveGeneration(directory, ix, searcher, meta)
