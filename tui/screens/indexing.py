"""The main screen's view of an index build: the progress bar, cancelling, and the outcome.

The screen runs the build in a thread worker; the :class:`IndexingTracker` it owns holds the
cancel flag, shows progress in the :class:`IndexProgress` bar and, when the worker ends, tells
the user what happened (failed, cancelled, or how many articles are now indexed).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

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
}
"""What the progress bar says for each build phase."""


class IndexingTracker:
    """The cancel flag and progress bar of the running index build, if any."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self._cancel: threading.Event | None = None

    @property
    def running(self) -> bool:
        """True while a build is under way (until its worker has finished)."""
        return self._cancel is not None

    @property
    def _bar(self) -> IndexProgress:
        return self.screen.query_one(IndexProgress)

    def begin(self) -> threading.Event | None:
        """Show the bar and return a fresh cancel flag; None if a build is already running."""
        if self._cancel is not None:
            return None
        self._cancel = threading.Event()
        self._bar.show("Indexing… (Esc cancels)", 0, 1)
        return self._cancel

    def progress_from_thread(self, progress: BuildProgress) -> None:
        """The build's progress callback (runs in the worker thread)."""
        self.screen.app.call_from_thread(self.show_progress, progress)

    def show_progress(self, progress: BuildProgress) -> None:
        if self._cancel is None:
            return
        label = PHASE_LABELS.get(progress.phase, progress.phase)
        self._bar.show(
            f"{label} {progress.done}/{progress.total} (Esc cancels)", progress.done, progress.total
        )

    def cancel(self) -> bool:
        """Ask the running build to stop; returns False when nothing was running."""
        if self._cancel is None:
            return False
        self._cancel.set()
        self._bar.show("Cancelling…", 0, 1)
        return True

    def finished(self, worker: Worker[UpdateResult]) -> UpdateResult | None:
        """The build's worker ended: hide the bar and report; the result if the index changed.

        On success the search pane's article count is updated here, before the notifications.
        """
        app = self.screen.app
        self._cancel = None
        self._bar.hide()
        if worker.error is not None:
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
            count = self.screen.services.article_count()
            app.notify(
                f"Indexing cancelled. The previous index stays in use ({count} articles); "
                "ctrl+r resumes.",
                severity="warning",
            )
            return None
        self.screen.search_pane.article_count = result.articles
        message = f"Index ready: {result.articles} articles."
        if result.skipped:
            message += f" {len(result.skipped)} file(s) skipped (run `newsreader index` for why)."
        app.notify(message)
        for problem in result.hook_errors:
            app.notify(f"Related passages were not updated: {problem}", severity="warning")
        return result
