"""The indexing progress bar under the panes: shown while an index build or update runs.

Its label and bar are mounted the first time an index job reports, not at start-up: most
starts find the index up to date, and the first frame should not pay for a hidden ProgressBar.
"""

from __future__ import annotations

from rich.text import Text
from textual.containers import Horizontal

from tui.styles import widget_css


class IndexProgress(Horizontal):
    """The indexing progress bar (hidden unless an index build or update runs)."""

    DEFAULT_CSS = widget_css(__name__, "index_progress.tcss")

    def show(self, text: str, done: int, total: int) -> None:
        """Show ``text`` and the bar at ``done`` of ``total``."""
        from textual.widgets import Label, ProgressBar

        if not self.children:
            self.mount(
                Label(Text(text), id="index-label"), ProgressBar(id="index-bar", show_eta=False)
            )
        self.add_class("-running")
        self.query_one("#index-label", Label).update(Text(text))
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)

    def hide(self) -> None:
        self.remove_class("-running")
