"""A small dialog asking for a bookmark's optional note and tags; answers through dismiss().

Enter saves (an empty note is fine), Esc cancels and returns ``None``. The quote being kept is
shown laid out by the RTL engine so the user sees what they are bookmarking, and Arabic typed
into the note or tags is echoed laid out under its box (:class:`EchoedInput`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label

from tui.rtl import LayoutOptions
from tui.styles import widget_css
from tui.widgets.echoed_input import EchoedInput
from tui.widgets.painting import LaidOutBlock, TextPart


@dataclass(frozen=True, slots=True)
class NoteAnswer:
    """What the user typed."""

    note: str
    tags: str


class QuoteView(Widget):
    """The quote, laid out (at most a few lines)."""

    DEFAULT_CSS = widget_css(__name__, "quote_view.tcss")

    def __init__(self, quote: str, options: LayoutOptions) -> None:
        super().__init__()
        self.block = LaidOutBlock([TextPart(quote, max_lines=4)], options)

    def render(self) -> LaidOutBlock:
        return self.block

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return self.block.get_height(self.styles, width)


class NoteDialog(ModalScreen[NoteAnswer | None]):
    """Note and tags for a new bookmark (or a new note for an existing one)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel_note"),
    ]

    DEFAULT_CSS = widget_css(__name__, "note_dialog.tcss")

    def __init__(
        self,
        title: str,
        quote: str,
        options: LayoutOptions,
        *,
        note: str = "",
        tags: str = "",
        ask_tags: bool = True,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.quote = quote
        self.options = options
        self.initial_note = note
        self.initial_tags = tags
        self.ask_tags = ask_tags

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            yield QuoteView(self.quote, self.options)
            yield Label("Note (optional) — Enter saves, Esc cancels")
            yield self._echoed(Input(self.initial_note, id="note"), max_lines=3)
            if self.ask_tags:
                yield Label("Tags (optional, separated by commas)")
                yield self._echoed(Input(self.initial_tags, id="tags"), max_lines=2)

    def _echoed(self, box: Input, *, max_lines: int) -> EchoedInput:
        """``box`` with its laid-out echo, shown only once it holds right-to-left text."""
        return EchoedInput(box, self.options, max_lines=max_lines, only_when_rtl=True)

    def on_mount(self) -> None:
        self.query_one("#note", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        note = self.query_one("#note", Input).value.strip()
        tags = self.query_one("#tags", Input).value if self.ask_tags else ""
        self.dismiss(NoteAnswer(note, tags))

    def action_cancel(self) -> None:
        self.dismiss(None)
