"""Keeping the related store in step with the text index: patch, catch up, or stop.

:class:`index.links_store.RelatedStore` is what is stored and how it is read; this module
decides *when* it is computed. :class:`RelatedSync` listens to the index's ``ChangeSet`` and
patches the store, catches up with an index that moved while nobody listened (another process,
an older version, a computation the user stopped), runs one computation at a time, and turns
the app's ``cancel`` event into :class:`RelatedStopped` through :func:`stopping`, so Esc stops a
computation before it writes anything. :func:`attach` is the one-call version for the CLI.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from index import parallel_related
from index.derived_db import DerivedStoreDamaged
from index.links_store import RelatedStore
from index.models import Article
from index.related_pipeline import Report


class ParallelRelatedError(RuntimeError):
    """The second process of a full build failed; the store was computed in-process instead
    (raised after that, so the index reports it in ``UpdateResult.hook_errors``)."""


def index_token(index_dir: Path) -> str | None:
    """What identifies the state of the text index in ``index_dir``: its live generation and
    manifest (rewritten by every commit). ``None`` when there is no live index."""
    import hashlib

    from index.manifest import MANIFEST_NAME
    from index.store_generation import read_pointer

    generation = read_pointer(Path(index_dir))
    if generation is None:
        return None
    try:
        manifest = (generation / MANIFEST_NAME).read_bytes()
    except OSError:
        return None
    return f"{generation.name}:{hashlib.sha256(manifest).hexdigest()[:16]}"


class RelatedStopped(Exception):
    """A computation of the store was stopped (its ``cancel`` event was set) before it wrote
    anything: the store keeps its content and the index state it was computed from."""


def stopping(report: Report | None, cancel: threading.Event | None) -> Report | None:
    """``report``, raising :class:`RelatedStopped` first once ``cancel`` is set: the hook the
    pipeline calls about a hundred times per phase is where a computation notices Esc."""
    if cancel is None:
        return report

    def check(phase: str, done: int, total: int) -> None:
        if cancel.is_set():
            raise RelatedStopped("the related-passages computation was stopped")
        if report is not None:
            report(phase, done, total)

    return check


class RelatedSync:
    """Keeps a :class:`RelatedStore` in step with a ``CorpusIndex``.

    Register it with ``index.add_change_listener(sync)`` *before* ``index.update()``: each
    ``ChangeSet`` is applied incrementally. :meth:`ensure` catches up with an index that changed
    while no listener was attached (another process, an older version): the store records the
    index state it was computed from and rebuilds when that is not the live one.

    One computation runs at a time (the app catches up in one thread while an update's
    ``ChangeSet`` may arrive in another). A store that is ``behind`` (not computed from the index
    the update started from, or a computation was stopped) is not patched by an incremental
    ``ChangeSet``: patching would mark a stale store current; :meth:`ensure` recomputes it.
    """

    #: Seconds between looks at ``cancel`` while waiting (for the second process of a full
    #: build, or for a computation running in another thread).
    POLL_S = 0.2

    def __init__(self, store: RelatedStore, index: Any, *, parallel: bool = True) -> None:
        self.store = store
        self.index = index
        self.parallel = parallel
        self._pending: parallel_related.RelatedBuild | None = None
        self._start_error: str | None = None
        self._busy = threading.Lock()
        self._report: Report | None = None
        self._cancel: threading.Event | None = None
        #: True when a ``ChangeSet`` computation was stopped since :meth:`watch` gave hooks
        self.stopped = False
        try:
            self.behind = self.needs_catch_up()
        except (sqlite3.Error, DerivedStoreDamaged):  # said by the store's next read
            self.behind = True

    def needs_catch_up(self) -> bool:
        """Whether the store was not computed from the live index (:meth:`ensure` would run)."""
        token = index_token(self.index.directory)
        return token is not None and not (self.store.is_built and self.store.index_token() == token)

    def watch(self, report: Report | None, cancel: threading.Event | None) -> None:
        """From now on the ``ChangeSet`` computations report to ``report`` and stop (leaving
        the store behind, to be caught up) once ``cancel`` is set; :attr:`stopped` says so.
        ``watch(None, None)`` when the update is over (:attr:`stopped` stays readable). Not a
        context manager: the app may attach the store while an update runs, and hands it the
        update's hooks then."""
        self._report, self._cancel = report, cancel
        if report is not None or cancel is not None:
            self.stopped = False

    @contextlib.contextmanager
    def _exclusive(self, cancel: threading.Event | None) -> Iterator[None]:
        while not self._busy.acquire(timeout=self.POLL_S):
            if cancel is not None and cancel.is_set():
                raise RelatedStopped("stopped while another related computation ran")
        try:
            yield
        finally:
            self._busy.release()

    def begin_full_build(self, articles: Sequence[Article]) -> None:
        """The index starts a full build of ``articles``: compute the store from them in a
        second process meanwhile (see :mod:`index.parallel_related`)."""
        self.abort_full_build()
        if not self.parallel:
            return
        try:
            self._pending = parallel_related.start(articles, self.index.directory)
        except OSError as error:  # no process could be started: compute after the build
            self._start_error = f"could not start the related-passages process ({error})"

    def abort_full_build(self) -> None:
        """The full build failed or was cancelled: stop the second process."""
        pending, self._pending = self._pending, None
        self._start_error = None
        if pending is not None:
            parallel_related.abort(pending)

    def _finish_parallel(
        self, pending: parallel_related.RelatedBuild, report: Report | None
    ) -> str | None:
        """Install the store the second process computed; why not, when it failed. ``report``
        hears ``("computing", 0, 0)`` (no count: the child does not tell) while it waits, and
        may stop the wait: the child is then ended and the store left as it was."""
        try:
            if report is not None:
                report("computing", 0, 0)
            while not pending.verdict.poll(self.POLL_S):
                if report is not None:
                    report("computing", 0, 0)
            problem = parallel_related.wait(pending)
        except BaseException:  # stopped or interrupted while waiting: leave nothing behind
            parallel_related.abort(pending)
            raise
        if problem is not None:
            return problem
        try:
            self.store.replace_with(pending.temp_path)
        except sqlite3.Error as error:
            return f"could not install the related-passages store ({error})"
        finally:
            parallel_related.discard(pending)
        self.store.set_index_token(index_token(self.index.directory))
        return None

    def __call__(self, changes: Any) -> None:
        pending, self._pending = self._pending, None
        problem, self._start_error = self._start_error, None
        report = stopping(self._report, self._cancel)
        try:
            with self._exclusive(self._cancel):
                self._apply(changes, pending, problem, report)
        except RelatedStopped:
            if pending is not None:
                parallel_related.abort(pending)  # a no-op when _finish_parallel did it
            self.stopped = self.behind = True

    def _apply(
        self,
        changes: Any,
        pending: parallel_related.RelatedBuild | None,
        problem: str | None,
        report: Report | None,
    ) -> None:
        if pending is not None and not changes.full_rebuild:
            parallel_related.abort(pending)
        elif pending is not None:
            problem = self._finish_parallel(pending, report)
            if problem is None:
                self.behind = False
                return
        if self.behind and not changes.full_rebuild:
            return  # a stale store is not patched (it would pass for current): ensure() redoes it
        self.store.apply_changes(
            changes.added,
            changes.changed,
            changes.removed,
            self.index.article,
            lambda: self._articles(report),
            full_rebuild=changes.full_rebuild,
            report=report,
        )
        self.store.set_index_token(index_token(self.index.directory))
        self.behind = False
        if problem is not None and changes.full_rebuild:
            raise ParallelRelatedError(f"{problem}; computed them in this process instead")

    def _articles(self, report: Report | None) -> list[Article]:
        """Every article of the live index, reading them reported as phase ``"reading"``."""
        total = self.index.article_count() if report is not None else 0
        articles: list[Article] = []
        for done, article in enumerate(self.index.articles()):
            if report is not None and done % 200 == 0:
                report("reading", done, total)
            articles.append(article)
        return articles

    def ensure(self, report: Report | None = None, cancel: threading.Event | None = None) -> bool:
        """Rebuild the store if it was not computed from the live index; True if it did.

        ``report`` hears the progress; once ``cancel`` is set the computation stops with
        :class:`RelatedStopped` before writing anything (the next call starts it again)."""
        check = stopping(report, cancel)
        with self._exclusive(cancel):
            token = index_token(self.index.directory)
            if token is None or (self.store.is_built and self.store.index_token() == token):
                self.behind = False
                return False
            try:
                self.store.rebuild(self._articles(check), check)
            except RelatedStopped:
                self.behind = True
                raise
            self.store.set_index_token(token)
            self.behind = False
            return True


def attach(index: Any) -> RelatedStore:
    """Open the related store of ``index`` (a ``CorpusIndex``), keep it in step with the
    index's future updates, and catch up now if needed (may take a while on a big corpus: call
    from a worker)."""
    store = RelatedStore.open(index.directory)
    sync = RelatedSync(store, index)
    index.add_change_listener(sync)
    sync.ensure()
    return store
