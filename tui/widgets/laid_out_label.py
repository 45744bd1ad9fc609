"""A label whose text goes through the RTL engine: UI sentences that may quote Arabic.

Statuses such as "No results for «تحذير»" or a hint naming Arabic letters would otherwise reach
the terminal in logical order. The text is plain (never markup) and wraps at the label's width.
"""

from __future__ import annotations

from textual.widget import Widget

from tui.rtl import LayoutOptions
from tui.styles import widget_css
from tui.widgets.painting import LaidOutBlock, TextPart


class LaidOutLabel(Widget):
    """One paragraph of plain text, laid out and wrapped by the RTL engine."""

    DEFAULT_CSS = widget_css(__name__, "laid_out_label.tcss")

    def __init__(
        self,
        options: LayoutOptions,
        text: str = "",
        *,
        max_lines: int | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.options = options
        self.max_lines = max_lines
        self.text = text
        self.split_lines: tuple[str, ...] = ()
        self._block = self._make_block()

    def _make_block(self) -> LaidOutBlock:
        part = TextPart(self.text, max_lines=self.max_lines, split_lines=self.split_lines)
        return LaidOutBlock([part], self.options)

    def update(self, text: str, *, split_lines: tuple[str, ...] = ()) -> None:
        """Show ``text`` instead; ``split_lines`` where it needs more than one line (see
        :class:`TextPart`)."""
        if text == self.text and split_lines == self.split_lines:
            return
        self.text = text
        self.split_lines = split_lines
        self._block = self._make_block()
        self.refresh(layout=True)

    def render(self) -> LaidOutBlock:
        return self._block

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return self._block.get_height(self.styles, width) if self.text else 1
