"""The main screen's view of its background jobs: index builds and related-passages catch-ups.

The screen runs both in thread workers; the :class:`IndexingTracker` it owns holds their cancel
flags, shows their progress in the :class:`IndexProgress` bar (the index job's while it runs,
else the catch-up's) and, when a worker ends, tells the user what happened and what to do next.
Esc stops the index job first, else the catch-up: both leave the previous state usable (the
old index; the related store as it was, caught up at the next start or by ctrl+r).

An index job ends in two steps: the new index goes live, then its related passages are computed
(phases ``related:…``). The first related report tells the screen the index is live
(:meth:`MainScreen.index_live`), so search and the reader use it while those are computed.

A small update ends faster than a person reacts to "Esc cancels": an Esc arriving just after a
job's bar went away was meant for the bar, and is absorbed with a word (:data:`LATE_ESCAPE_S`).
Taken as Back it jumped the reader to the previous location or, with no history, moved the focus
to the search results, where the reader's keys (``g``, ``j``…) then did nothing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from tui.widgets.index_progress import IndexProgress

if TYPE_CHECKING:
    from textual.worker import Worker

    from index.store import BuildProgress, UpdateResult
    from tui.screens.main_screen import MainScreen

PHASE_LABELS = {
    "scanning": "Scanning the corpus",
    "reading": "Reading files",
    "indexing": "Indexing articles",
    "committing": "Saving the index",
    "done": "Done",
    "related:computing": "Index ready. Computing related passages",
    "related:reading": "Related passages: reading articles",
    "related:analysing": "Related passages: analysing articles",
    "related:matching": "Related passages: finding similar articles",
    "related:comparing": "Related passages: comparing articles",
    "related:stories": "Related passages: stories and figures",
    "related:saving": "Related passages: saving",
}
"""What the progress bar says for each phase of a job."""

INDEX_HINT = "(Esc cancels)"
COMMIT_HINT = "(cannot be cancelled now; search opens right after)"
RELATED_HINT = "· search and read meanwhile; Esc stops"
"""What the user can do, after the phase: a build's Esc keeps the old index; saving it cannot be
interrupted (Whoosh's commit), so Esc then only says so; stopping related passages costs nothing
but the panel (they are prepared next time)."""

LATE_ESCAPE_S = 1.5
"""Seconds after a job's bar went away during which one Esc is still taken as meant for it."""

Outcome = Literal["idle", "running", "cancelled", "failed", "done"]


def phase_text(phase: str, done: int, total: int) -> str:
    """The bar's label for one report: the phase, the count when there is one, the hint."""
    label = PHASE_LABELS.get(phase, phase)
    if phase == "committing":
        return f"{label}… {COMMIT_HINT}"
    count = f" {done}/{total}" if total > 0 else "…"
    hint = RELATED_HINT if phase.startswith("related:") else INDEX_HINT
    return f"{label}{count} {hint}"


def changes_said(result: UpdateResult) -> str:
    """ " 1 changed, 1 added." after an update: the user who pressed ctrl+r after editing a file
    sees that the edit was taken (nothing for a first build or a rebuild: every article is new)."""
    changes = result.changes
    if changes.full_rebuild:
        return ""
    parts = [
        f"{len(ids)} {word}"
        for ids, word in (
            (changes.changed, "changed"),
            (changes.added, "added"),
            (changes.removed, "removed"),
        )
        if ids
    ]
    return f" {', '.join(parts)}." if parts else " Nothing had changed."


class IndexingTracker:
    """Cancel flags and progress of the running index job and related catch-up, if any."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self._cancel: threading.Event | None = None
        self._related_cancel: threading.Event | None = None
        self._related_shown: tuple[str, int, int] | None = None
        self.live = False
        """The running index job's new index is live (its related passages are computed)."""
        self._phase = ""
        self.outcome: Outcome = "idle"
        """How the last index job ended (the search pane says what to do without an index)."""
        self.clock: Callable[[], float] = time.monotonic
        """Time for :data:`LATE_ESCAPE_S` (a test puts a clock of its own here)."""
        self._bar_gone_at: float | None = None

    @property
    def running(self) -> bool:
        """True while a build is under way (until its worker has finished)."""
        return self._cancel is not None

    @property
    def related_running(self) -> bool:
        """True while a related-passages catch-up is under way."""
        return self._related_cancel is not None

    @property
    def _bar(self) -> IndexProgress:
        return self.screen.query_one(IndexProgress)

    # ----------------------------------------------------------------- index job

    def begin(self) -> threading.Event | None:
        """Show the bar and return a fresh cancel flag; None if a build is already running."""
        if self._cancel is not None:
            return None
        self._cancel = threading.Event()
        self.live = False
        self._phase = ""
        self.outcome = "running"
        self._bar.show(f"Indexing… {INDEX_HINT}", 0, 1)
        return self._cancel

    def progress_from_thread(self, progress: BuildProgress) -> None:
        """The build's progress callback (runs in the worker thread)."""
        self.screen.app.call_from_thread(self.show_progress, progress)

    def show_progress(self, progress: BuildProgress) -> None:
        if self._cancel is None:
            return
        related = progress.phase.startswith("related:")
        if related and not self.live:
            self.live = True
            self.screen.index_live()
        self._phase = progress.phase
        if self._cancel.is_set():
            return  # "Cancelling…" stays until the worker ends
        counted = progress.total > 0 and progress.phase != "committing"
        total = progress.total if counted else None
        self._bar.show(
            phase_text(progress.phase, progress.done, progress.total), progress.done, total
        )

    def cancel(self) -> bool:
        """Esc: stop the index job, else the catch-up; returns False when neither was running."""
        if self._cancel is not None:
            if self._phase == "committing" and not self.live:
                # Whoosh's commit cannot be stopped; cancelling what follows would leave the
                # related passages of a small update to a full catch-up: say so instead
                self.screen.app.notify(
                    "The index is being saved and that cannot be interrupted; "
                    "Esc will stop the related passages computed after it.",
                    timeout=5,
                )
                return True
            if not self._cancel.is_set():
                self._cancel.set()
                what = "Stopping related passages…" if self.live else "Cancelling…"
                self._bar.show(what, 0, 1)
            return True
        if self._related_cancel is not None:
            if not self._related_cancel.is_set():
                self._related_cancel.set()
                self._bar.show("Stopping related passages…", 0, 1)
            return True
        gone, self._bar_gone_at = self._bar_gone_at, None
        if gone is not None and self.clock() - gone < LATE_ESCAPE_S:
            self.screen.app.notify(
                "It had already finished, so Esc did nothing. Press Esc again to go back.",
                timeout=4,
            )
            return True
        return False

    def finished(self, worker: Worker[UpdateResult]) -> UpdateResult | None:
        """The build's worker ended: hide the bar and report; the result if the index changed.

        On success the search pane's article count is updated here, before the notifications.
        """
        app = self.screen.app
        services = self.screen.services
        self._cancel = None
        self._restore_bar()
        self._bar_gone_at = self.clock()
        if worker.error is not None:
            self.outcome = "failed"
            app.notify(
                f"Indexing failed: {worker.error}. The previous index (if any) is still in use; "
                "press ctrl+r to try again.",
                severity="error",
                timeout=10,
            )
            return None
        result = worker.result
        if result is None:
            return None
        if result.cancelled:
            self.outcome = "cancelled"
            if not services.has_index:
                app.notify(
                    "Indexing cancelled: this corpus has no index yet, so search finds nothing. "
                    "Press ctrl+r to index it.",
                    severity="warning",
                    timeout=10,
                )
                return None
            app.notify(
                f"Indexing cancelled. The previous index stays in use "
                f"({services.article_count()} articles); ctrl+r resumes.",
                severity="warning",
            )
            return None
        self.outcome = "done"
        self.screen.search_pane.article_count = result.articles
        message = f"Index ready: {result.articles} articles.{changes_said(result)}"
        if result.skipped:
            from index.corpus import describe_skipped  # the loader: not at app start

            message += f" Skipped {describe_skipped(result.skipped)}; `newsreader index` says why."
        app.notify(message)
        if services.related_stopped:
            app.notify(
                "Related passages stopped: reading and search work without them. Press ctrl+r "
                "to prepare them (the next start does too).",
                severity="warning",
            )
        for problem in result.hook_errors:
            app.notify(f"Related passages were not updated: {problem}", severity="warning")
        return result

    # ----------------------------------------------------------------- related catch-up

    def begin_related(self) -> threading.Event | None:
        """A fresh cancel flag for a catch-up; None if one is running. The bar appears with the
        first report (a store that is up to date reports nothing)."""
        if self._related_cancel is not None:
            return None
        self._related_cancel = threading.Event()
        self._related_shown = None
        return self._related_cancel

    def related_progress_from_thread(self, phase: str, done: int, total: int) -> None:
        """The catch-up's progress callback (runs in the worker thread)."""
        self.screen.app.call_from_thread(self.show_related, phase, done, total)

    def show_related(self, phase: str, done: int, total: int) -> None:
        cancel = self._related_cancel
        if cancel is None or cancel.is_set():
            return
        self._related_shown = (f"related:{phase}", done, total)
        if self._cancel is None:  # the index job's progress comes first
            self._restore_bar()

    def finished_related(self, worker: Worker[bool]) -> bool:
        """The catch-up's worker ended: hide its bar and report; True if the store is current."""
        app = self.screen.app
        shown = self._related_shown is not None
        self._related_cancel = None
        self._related_shown = None
        self._restore_bar()
        if shown:
            self._bar_gone_at = self.clock()
        if worker.error is not None:
            app.notify(
                f"Related passages could not be prepared: {worker.error}. Reading and search "
                "work without them; ctrl+r tries again.",
                severity="error",
                timeout=10,
            )
            return False
        if worker.result is False:
            app.notify(
                "Related passages stopped: reading and search work without them. Press ctrl+r "
                "to prepare them (the next start does too).",
                severity="warning",
            )
            return False
        if shown:
            app.notify("Related passages ready.")
        return True

    def _restore_bar(self) -> None:
        """Show what still runs: the catch-up's last report, else nothing."""
        shown = self._related_shown
        if self._cancel is not None:
            return
        if self._related_cancel is not None and shown is not None:
            phase, done, total = shown
            self._bar.show(phase_text(phase, done, total), done, total if total > 0 else None)
        else:
            self._bar.hide()

    def no_index_status(self) -> str:
        """What the search pane says while the corpus has no usable index."""
        if self.outcome in ("idle", "running"):
            return (
                "Indexing this corpus for the first time: results appear here as soon as it "
                "is ready (progress at the bottom; Esc cancels)."
            )
        return "This corpus has no index yet: press ctrl+r to index it."
