"""An input with its text laid out right-to-left on the line under it.

A terminal draws an Input's value in logical order: typed Arabic shows reversed and unjoined.
Editing stays in the Input (its cursor is logical), and :class:`EchoedInput` repeats the value
under it through the RTL engine, so the user reads what they typed. Every box where Arabic is
typed (the search query, a bookmark's note and tags, the bookmark filter) uses this one piece.

The container lets ``Input.Changed`` and ``Input.Submitted`` bubble on to its parent, which
handles them as if the Input were its own child.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input

from tui.bidi_classes import class_string
from tui.rtl import LayoutOptions
from tui.styles import widget_css
from tui.widgets.laid_out_label import LaidOutLabel

_REORDERED_CLASSES = frozenset("RAN")
"""Bidi class codes (R, AL, AN: see ``tui.bidi_classes``) of text a terminal would draw wrongly."""


def needs_layout(text: str) -> bool:
    """Whether ``text`` has right-to-left letters or Arabic digits (its echo differs)."""
    return not _REORDERED_CLASSES.isdisjoint(class_string(text))


class TypedEcho(LaidOutLabel):
    """The laid-out copy of an Input's value (plain text: never markup)."""


class EchoedInput(Vertical):
    """``input`` with a :class:`TypedEcho` under it that follows every edit.

    ``max_lines``: how many lines the echo may take (a note wraps; a query is one line).
    ``only_when_rtl``: hide the echo while the value is all left-to-right text, where it would
    repeat the Input (a dialog then keeps its height for English notes).
    """

    DEFAULT_CSS = widget_css(__name__, "echoed_input.tcss")

    def __init__(
        self,
        input: Input,
        options: LayoutOptions,
        *,
        max_lines: int = 1,
        only_when_rtl: bool = False,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.input = input
        self.only_when_rtl = only_when_rtl
        echo_id = f"{input.id}-echo" if input.id else None
        self.echo = TypedEcho(options, max_lines=max_lines, id=echo_id)

    def compose(self) -> ComposeResult:
        yield self.input
        yield self.echo

    def on_mount(self) -> None:
        self.show(self.input.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input is self.input:
            self.show(event.value)  # not stopped: the parent handles the change too

    def show(self, value: str) -> None:
        """Echo ``value`` (surrounding spaces dropped: they only move the text sideways)."""
        self.echo.update(value.strip())
        if self.only_when_rtl:
            self.echo.display = needs_layout(value)
