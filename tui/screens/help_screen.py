"""The help screen (?): every key of the app, generated from the bindings, never written by hand.

It is built from :func:`tui.keys.binding_catalog` for the screen it was opened from, so a
rebinding in the user's ``[keymap]`` shows here with its new key, and each line names the
binding id to use in that keymap.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.keys import KeyEntry
from tui.styles import widget_css


def _grouped(entries: list[KeyEntry]) -> list[tuple[str, list[KeyEntry]]]:
    """Entries under headings: a group's keys that act only in some context (a selection)
    follow the group's other keys under their own heading, so "j Next passage" and
    "j Extend by word" never sit side by side without saying when each applies."""
    groups: dict[str, list[KeyEntry]] = {}
    for entry in entries:
        heading = f"{entry.group}, {entry.context}" if entry.context else entry.group
        groups.setdefault(entry.group, [])
        groups.setdefault(heading, []).append(entry)
    return [(heading, group) for heading, group in groups.items() if group]


def help_text(entries: list[KeyEntry], config_hint: str) -> Text:
    """The help as one Rich Text (built from plain strings: no markup is parsed)."""
    text = Text()
    for heading, group in _grouped(entries):
        if text:
            text.append("\n")
        text.append(f"{heading}\n", style="bold underline")
        for entry in group:
            _append_entry(text, entry)
    text.append("\n")
    text.append(config_hint, style="dim")
    return text


def _append_entry(text: Text, entry: KeyEntry) -> None:
    keys = " / ".join(entry.keys)
    text.append(f"  {keys:<18}", style="bold")
    text.append(f" {entry.description:<30}")
    text.append(f"  {entry.binding_id}\n", style="dim")


class HelpScreen(ModalScreen[None]):
    """Keys for every pane, with binding ids for the config's [keymap]."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close help", id="close_help"),
    ]

    DEFAULT_CSS = widget_css(__name__, "help_screen.tcss")

    def __init__(self, entries: list[KeyEntry], config_hint: str) -> None:
        super().__init__()
        self.entries = entries
        self.config_hint = config_hint

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(help_text(self.entries, self.config_hint), id="help-text", markup=False)

    def on_mount(self) -> None:
        scroll = self.query_one(VerticalScroll)
        scroll.border_title = "Keys  (Esc closes)"
        scroll.focus()
