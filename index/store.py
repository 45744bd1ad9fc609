"""The Whoosh index of one corpus: open fast, build or update in the background, never trust junk.

Layout of an index directory (``index.paths.index_dir(paths)`` unless ``index_root`` is given)::

    write.lock          flock'ed while a process writes (build or update)
    CURRENT             name of the live generation, replaced atomically (os.replace)
    gen-<stamp>/        the live Whoosh index + meta.json + manifest.json
    build-<stamp>.tmp/  a full build in progress; renamed to gen-... only when complete

Other entries (a related-passage store, say) are left alone. Incremental updates commit into
the live generation — Whoosh's own TOC generations keep readers consistent — without merging
until there are 8 segments, so adding a file rewrites nothing already indexed.

Life cycle, for the app: :meth:`CorpusIndex.open` (no corpus reading: it only verifies the live
generation), then :meth:`CorpusIndex.needs_update` / :meth:`CorpusIndex.update` in a worker with
``progress`` and ``cancel``. Searches keep using the old index while an update runs and after
one is cancelled; a finished update is swapped in under a lock, between two searches.

An index is checked before it is trusted (else it is rebuilt, with ``status.message`` saying
why): meta.json, the size and mtime of every file, Whoosh's document count — the on-disk format
and these checks are :mod:`index.store_generation`. A Whoosh error during a search marks the
index corrupt too.

Hooks — ``ChangeSet``: after every successful commit, each ``on_change`` callback is called
with a :class:`ChangeSet` naming the article ids added, changed (clean text, title, source,
date or passage layout differ; an article re-read unchanged is not listed) and removed, and
``full_rebuild=True`` when the whole index was rebuilt (then ``added`` holds every article and
dependent stores should rebuild rather than patch). Callbacks run in the updating thread,
after the new index is live; :meth:`CorpusIndex.article` already returns the new articles.
An exception in a callback is reported in ``UpdateResult.hook_errors`` and does not undo the
update. A listener may also have ``begin_full_build(articles)`` and ``abort_full_build()``: a
full build calls the first as soon as it has read its articles (so the listener can start its
own computation beside the Whoosh write, see :mod:`index.parallel_related`) and the second when
the build fails or is cancelled; the ``ChangeSet`` call then finishes the work.
The types of this contract (``ChangeSet``, ``BuildProgress``, ``UpdateResult``) and what
counts as a changed article are in :mod:`index.store_changes`.

Stored content: articles come back from the index without re-reading their files — clean
text, raw text (stored only where it differs from the clean text), metadata and passages.
"""

from __future__ import annotations

import contextlib
import fcntl
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh.query import Term

from index import paths as index_paths
from index.building import (
    Cancelled,
    LoadedFile,
    catalog_paths,
    corpus_files,
    is_catalog_dependent,
    read_files,
    recurring_by_source,
    strip_boilerplate,
)
from index.manifest import MANIFEST_NAME, FileEntry, Manifest, UpdatePlan, fingerprint
from index.models import Article, LoadIssue, Passage
from index.schema import KIND_ARTICLE, article_from_stored
from index.store_changes import (
    BUSY_MESSAGE,
    LOCK_NAME,
    BuildProgress,
    ChangeCallback,
    ChangeSet,
    IndexBusyError,
    ProgressCallback,
    UpdateResult,
    article_signature,
    stored_signature,
)
from index.store_generation import (
    CURRENT_NAME,
    META_NAME,
    IndexStatus,
    LiveGeneration,
    PhaseCallback,
    commit_to_generation,
    point_at,
    read_pointer,
    remove_other_generations,
    verify_generation,
    write_generation,
)

if TYPE_CHECKING:
    from whoosh.searching import Searcher

    from index.search import SearchResult

__all__ = [
    "BUSY_MESSAGE",
    "CURRENT_NAME",
    "LOCK_NAME",
    "META_NAME",
    "BuildProgress",
    "ChangeCallback",
    "ChangeSet",
    "CorpusIndex",
    "IndexBusyError",
    "IndexStatus",
    "ProgressCallback",
    "UpdateResult",
]


def _phases(report: ProgressCallback) -> PhaseCallback:
    """The generation writer's ``(phase, done, total)`` reports, as :class:`BuildProgress`."""
    return lambda phase, done, total: report(BuildProgress(phase, done, total))


class CorpusIndex:
    """The searchable index of a corpus (a list of files and directories)."""

    def __init__(
        self,
        corpus_paths: Sequence[Path],
        directory: Path,
        on_change: Sequence[ChangeCallback] = (),
    ) -> None:
        self.corpus_paths = [Path(p).expanduser().resolve() for p in corpus_paths]
        self.directory = directory
        self._listeners: list[ChangeCallback] = list(on_change)
        self._lock = threading.RLock()
        self._live: LiveGeneration | None = None
        self._status = IndexStatus("missing")

    # ----------------------------------------------------------------- opening
    @classmethod
    def open(
        cls,
        paths: Sequence[Path],
        *,
        index_root: Path | None = None,
        on_change: Sequence[ChangeCallback] = (),
        update: bool = False,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> CorpusIndex:
        """Open the index of the corpus ``paths``; read nothing from the corpus itself.

        ``index_root`` is the directory of this corpus's index (default
        ``index.paths.index_dir(paths)``). With ``update=True`` the index is also built or
        brought up to date before returning (may raise :class:`IndexBusyError`).
        """
        resolved = [Path(p).expanduser().resolve() for p in paths]
        directory = index_root if index_root is not None else index_paths.index_dir(resolved)
        instance = cls(resolved, Path(directory), on_change)
        instance._open_live()
        if update:
            instance.update(progress=progress, cancel=cancel)
        return instance

    @property
    def status(self) -> IndexStatus:
        return self._status

    def add_change_listener(self, callback: ChangeCallback) -> None:
        self._listeners.append(callback)

    def _open_live(self) -> None:
        """Verify and open the live generation, setting :attr:`status`."""
        with self._lock:
            self._close_live()
            generation = read_pointer(self.directory)
            if generation is None:
                has_pointer = (self.directory / CURRENT_NAME).exists()
                self._status = (
                    IndexStatus("corrupt", "the index pointer is unreadable; rebuilding the index")
                    if has_pointer
                    else IndexStatus("missing")
                )
                return
            status, live = verify_generation(generation)
            self._status = status
            self._live = live

    def _live_is_current(self) -> bool:
        """Whether the open live index is still the newest one on disk (cheap: no reopening)."""
        with self._lock:
            live = self._live
            if live is None or not self._status.usable:
                return False
            if read_pointer(self.directory) != live.directory:
                return False
            try:
                return bool(live.searcher.up_to_date())
            except Exception:  # unreadable TOC: reopen, which reports it
                return False

    def _close_live(self) -> None:
        if self._live is not None:
            with contextlib.suppress(Exception):
                self._live.searcher.close()
            with contextlib.suppress(Exception):
                self._live.ix.close()
            self._live = None

    def close(self) -> None:
        with self._lock:
            self._close_live()

    def __enter__(self) -> CorpusIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def mark_corrupt(self, detail: str) -> None:
        """Record that reading the index failed: it will be rebuilt on the next update."""
        with self._lock:
            self._status = IndexStatus("corrupt", f"the index is damaged ({detail}); rebuilding it")

    # ----------------------------------------------------------------- reading
    @contextlib.contextmanager
    def searcher(self) -> Iterator[Searcher | None]:
        """The live Whoosh searcher (``None`` while there is no usable index), held locked."""
        with self._lock:
            yield self._live.searcher if (self._live and self._status.usable) else None

    def search(self, query: str, *, limit: int = 20, prefix_last: bool = True) -> SearchResult:
        """Ranked hits for ``query`` (see :func:`index.search.search`)."""
        from index.search import search

        return search(self, query, limit=limit, prefix_last=prefix_last)

    def latest(self, *, limit: int = 20) -> SearchResult:
        """The newest articles (see :func:`index.search.latest`)."""
        from index.search import latest

        return latest(self, limit=limit)

    def _stored(self, article_id: str) -> dict[str, Any] | None:
        with self.searcher() as searcher:
            if searcher is None:
                return None
            return searcher.document(id=article_id, kind=KIND_ARTICLE)

    def article(self, article_id: str) -> Article | None:
        """The article with ``article_id`` as indexed, or ``None``."""
        fields = self._stored(article_id)
        return article_from_stored(fields) if fields else None

    def passage(self, passage_id: str) -> Passage | None:
        """The passage ``"{article_id}:{ordinal}"``, or ``None``."""
        article_id, _, _ordinal = passage_id.rpartition(":")
        article = self.article(article_id) if article_id else None
        return article.passage(passage_id) if article else None

    def article_ids(self) -> list[str]:
        """Ids of all indexed articles, sorted."""
        return sorted(fields["id"] for fields in self._article_fields())

    def articles(self) -> Iterator[Article]:
        """Every indexed article, in index order (for stores that build from the corpus)."""
        for fields in self._article_fields():
            yield article_from_stored(fields)

    def _article_fields(self) -> list[dict[str, Any]]:
        with self.searcher() as searcher:
            if searcher is None:
                return []
            docnums = searcher.docs_for_query(Term("kind", KIND_ARTICLE))
            return [searcher.stored_fields(docnum) for docnum in docnums]

    def article_count(self) -> int:
        with self._lock:
            return int(self._live.meta.get("articles", 0)) if self._live else 0

    # ---------------------------------------------------------------- updating
    def plan(self) -> UpdatePlan | None:
        """What an update would re-read, or ``None`` when a full build is needed.

        Raises ``ValueError`` when the manifest is unreadable (a full build is needed too).
        """
        if not self._status.usable or self._live is None:
            return None
        manifest = Manifest.load(self._live.directory / MANIFEST_NAME)
        files = corpus_files(self.corpus_paths)
        return manifest.plan(
            files, catalogs=catalog_paths(files), catalog_dependent=is_catalog_dependent
        )

    def needs_update(self) -> bool:
        """True when the index is missing, untrustworthy or behind the corpus files."""
        try:
            plan = self.plan()
        except ValueError:
            return True
        return plan is None or not plan.is_empty or bool(plan.touched or plan.catalogs_changed)

    @contextlib.contextmanager
    def _write_lock(self) -> Iterator[None]:
        self.directory.mkdir(parents=True, exist_ok=True)
        handle = (self.directory / LOCK_NAME).open("a+")
        try:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as error:
                raise IndexBusyError(f"{BUSY_MESSAGE} ({self.directory})") from error
            yield
        finally:
            handle.close()  # closing the file releases the flock

    def update(
        self,
        *,
        rebuild: bool = False,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> UpdateResult:
        """Build the index if needed, else apply the corpus changes incrementally.

        Raises :class:`IndexBusyError` when another process is writing. On ``cancel`` the
        old index stays live and untouched (``UpdateResult.cancelled``).
        """
        report = progress or (lambda _p: None)
        with self._write_lock():
            if not self._live_is_current():
                self._open_live()  # another process updated it meanwhile
            reason: str | None = None
            plan: UpdatePlan | None = None
            if rebuild:
                reason = "a rebuild was asked for"
            elif not self._status.usable:
                reason = self._status.message
            else:
                try:
                    plan = self.plan()
                except ValueError as error:
                    reason = f"{error}; rebuilding the index"
            try:
                if plan is None:
                    result = self._full_build(report, cancel)
                    result.reason = reason
                else:
                    result = self._incremental(plan, report, cancel)
            except Cancelled:
                return UpdateResult(cancelled=True, articles=self.article_count())
        if not result.changes.is_empty:
            for callback in list(self._listeners):
                try:
                    callback(result.changes)
                except Exception as error:  # a dependent store must not undo the index update
                    name = getattr(callback, "__qualname__", repr(callback))
                    result.hook_errors.append(f"{name}: {error!r}")
        report(BuildProgress("done", result.articles, result.articles))
        return result

    def _read(
        self,
        files: dict[Path, Path],
        report: ProgressCallback,
        cancel: threading.Event | None,
        taken_ids: set[str],
    ) -> tuple[list[LoadedFile], list[LoadIssue]]:
        total = len(files)

        def on_file(done: int, path: Path) -> None:
            report(BuildProgress("reading", done, total, path.name))

        loaded, skipped = read_files(files, taken_ids=taken_ids, on_file=on_file, cancel=cancel)
        report(BuildProgress("reading", total, total))
        return loaded, skipped

    def _full_build(self, report: ProgressCallback, cancel: threading.Event | None) -> UpdateResult:
        report(BuildProgress("scanning", 0, 0))
        files = corpus_files(self.corpus_paths)
        loaded, skipped = self._read(files, report, cancel, set())
        manifest = Manifest(
            files={str(f.path): f.entry for f in loaded},
            catalogs={str(p): fingerprint(p) for p in catalog_paths(files)},
            boilerplate=recurring_by_source(a for f in loaded for a in f.articles),
        )
        articles = [strip_boilerplate(a, manifest.boilerplate) for f in loaded for a in f.articles]
        companions: list[Any] = [
            listener for listener in self._listeners if hasattr(listener, "begin_full_build")
        ]
        for companion in companions:
            companion.begin_full_build(articles)
        try:
            return self._write_full_build(articles, manifest, skipped, len(loaded), report, cancel)
        except BaseException:
            for companion in companions:
                companion.abort_full_build()
            raise

    def _write_full_build(
        self,
        articles: list[Article],
        manifest: Manifest,
        skipped: list[LoadIssue],
        files_read: int,
        report: ProgressCallback,
        cancel: threading.Event | None,
    ) -> UpdateResult:
        generation = write_generation(self.directory, articles, manifest, _phases(report), cancel)
        self._swap_to(generation)
        changes = ChangeSet(
            added=tuple(a.id for a in articles), full_rebuild=True, index_dir=self.directory
        )
        return UpdateResult(
            changes=changes,
            skipped=skipped,
            files_read=files_read,
            articles=len(articles),
            rebuilt=True,
        )

    def _swap_to(self, generation: Path) -> None:
        """Point CURRENT at ``generation`` atomically, reopen, and remove older generations."""
        with self._lock:
            point_at(generation)
            self._open_live()
        remove_other_generations(generation)  # we hold the write lock

    def _incremental(
        self, plan: UpdatePlan, report: ProgressCallback, cancel: threading.Event | None
    ) -> UpdateResult:
        assert self._live is not None
        live_dir = self._live.directory
        manifest = Manifest.load(live_dir / MANIFEST_NAME)
        files = corpus_files(self.corpus_paths)
        manifest.catalogs = {str(p): fingerprint(p) for p in catalog_paths(files)}
        manifest.files.update(plan.touched)
        if plan.is_empty:
            manifest.save(live_dir / MANIFEST_NAME)
            return UpdateResult(articles=self.article_count())
        rewritten = {str(p) for p in plan.to_read} | set(plan.removed)
        taken = {
            aid
            for name, entry in manifest.files.items()
            if name not in rewritten
            for aid in entry.article_ids
        }
        to_read = {p: files.get(p, p.parent) for p in plan.to_read}
        loaded, skipped = self._read(to_read, report, cancel, taken)
        old_ids = {
            aid
            for name in rewritten
            for aid in manifest.files.get(name, FileEntry(0, 0, "")).article_ids
        }
        fresh = {
            a.id: strip_boilerplate(a, manifest.boilerplate) for f in loaded for a in f.articles
        }
        before = {aid: self._signature(aid) for aid in old_ids & set(fresh)}
        live = self._live
        doomed = self._docnums_of(old_ids | set(fresh))
        meta = commit_to_generation(live, doomed, list(fresh.values()), _phases(report), cancel)
        article_total = int(meta["articles"])
        for name in plan.removed:
            manifest.files.pop(name, None)
        for f in loaded:
            manifest.files[str(f.path)] = f.entry
        manifest.save(live_dir / MANIFEST_NAME)
        with self._lock:
            # not Searcher.refresh(): Whoosh 2.7 reuses a segment's reader even when the
            # commit deleted documents in it, so deleted articles would still be found
            stale, live.searcher = live.searcher, live.ix.searcher()
            live.meta = meta
        stale.close()
        new_ids = set(fresh)
        changes = ChangeSet(
            added=tuple(sorted(new_ids - old_ids)),
            changed=tuple(
                sorted(
                    aid
                    for aid in new_ids & old_ids
                    if before.get(aid) != article_signature(fresh[aid])
                )
            ),
            removed=tuple(sorted(old_ids - new_ids)),
            index_dir=self.directory,
        )
        return UpdateResult(
            changes=changes, skipped=skipped, files_read=len(loaded), articles=article_total
        )

    def _docnums_of(self, article_ids: set[str]) -> list[tuple[int, bool]]:
        """Live document numbers (and whether each is an article) of these articles' documents."""
        found: list[tuple[int, bool]] = []
        with self.searcher() as searcher:
            if searcher is None:
                return found
            for aid in sorted(article_ids):
                for docnum in searcher.docs_for_query(Term("article_id", aid)):
                    is_article = searcher.stored_fields(docnum).get("kind") == KIND_ARTICLE
                    found.append((docnum, is_article))
        return found

    def _signature(self, article_id: str) -> tuple[Any, ...] | None:
        fields = self._stored(article_id)
        return stored_signature(fields) if fields is not None else None
