"""The progress bar under the panes: shown while an index build or update runs, and while the
related passages are computed (after an update, or catching up with an index that moved on).

Its label and bar are mounted the first time a job reports, not at start-up: most starts find
the index up to date, and the first frame should not pay for a hidden ProgressBar. The label
says what is happening and what the user can do (Esc); a job that cannot count its steps (the
second process computing related passages says nothing until it is done) shows a moving bar.
"""

from __future__ import annotations

from rich.text import Text
from textual.containers import Horizontal

from tui.styles import widget_css


class IndexProgress(Horizontal):
    """The background-work progress bar (hidden unless an index or related job runs)."""

    DEFAULT_CSS = widget_css(__name__, "index_progress.tcss")

    def show(self, text: str, done: int, total: int | None) -> None:
        """Show ``text`` and the bar at ``done`` of ``total`` (``None``: not counted, the bar
        moves without a percentage)."""
        from textual.widgets import Label, ProgressBar

        if not self.children:
            self.mount(
                Label(Text(text), id="index-label"), ProgressBar(id="index-bar", show_eta=False)
            )
        self.add_class("-running")
        self.query_one("#index-label", Label).update(Text(text))
        bar = self.query_one(ProgressBar)
        if total is None:
            bar.update(total=None)
        else:
            bar.update(total=max(total, 1), progress=done)

    @property
    def text(self) -> str:
        """What the label says now ("" before the first job); for tests and checks."""
        from textual.widgets import Label

        labels = self.query("#index-label").results(Label)
        return next((str(label.content) for label in labels), "")

    def hide(self) -> None:
        self.remove_class("-running")
