"""One catalog of the app's key bindings, read from the BINDINGS themselves.

The help screen and the command palette are both generated from it, so a binding added to a
widget shows up in both, with the key the user's keymap gave it. Nothing here is written by
hand except the group titles.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen


@dataclass(frozen=True, slots=True)
class KeyEntry:
    """One action with every key bound to it."""

    group: str
    binding_id: str
    action: str
    description: str
    keys: tuple[str, ...]
    node: DOMNode
    """Where the action runs (the app, the screen or a widget)."""


def _group_title(node: DOMNode) -> str:
    title = getattr(node, "BINDING_GROUP_TITLE", None)
    if isinstance(title, str) and title:
        return title
    if isinstance(node, App):
        return "Everywhere"
    return type(node).__name__


def _expanded(node: DOMNode) -> list[Binding]:
    bindings: list[Binding] = []
    for cls in reversed(type(node).__mro__):
        raw = cls.__dict__.get("BINDINGS")
        if raw:
            bindings.extend(Binding.make_bindings(raw))
    return bindings


def binding_catalog(app: App[Any], screen: Screen[Any]) -> list[KeyEntry]:
    """Every binding with an id on the app, the screen and the screen's widgets, keymap applied."""
    keymap: dict[str, str] = dict(getattr(app, "user_keymap", {}) or {})
    nodes: list[DOMNode] = [app, screen]
    seen_types: set[type] = set()
    for widget in screen.query("*"):
        if type(widget) in seen_types or not type(widget).__dict__.get("BINDINGS"):
            continue
        if type(widget).__module__.startswith("textual."):
            continue  # Textual's own widgets: their keys are standard (Input editing, lists)
        seen_types.add(type(widget))
        nodes.append(widget)
    entries: dict[tuple[int, str], KeyEntry] = {}
    order: list[tuple[int, str]] = []
    for node in nodes:
        for binding in _expanded(node):
            if not binding.id or not binding.description:
                continue
            key = (id(node), binding.id)
            keys = (
                tuple(k.strip() for k in keymap[binding.id].split(","))
                if binding.id in keymap
                else (binding.key,)
            )
            shown = tuple(app.get_key_display(binding.with_key(k)) for k in keys)
            if key in entries:
                previous = entries[key]
                if binding.id in keymap:
                    continue
                entries[key] = KeyEntry(
                    previous.group,
                    previous.binding_id,
                    previous.action,
                    previous.description,
                    previous.keys + tuple(k for k in shown if k not in previous.keys),
                    node,
                )
                continue
            entries[key] = KeyEntry(
                _group_title(node), binding.id, binding.action, binding.description, shown, node
            )
            order.append(key)
    return [entries[key] for key in order]


def binding_ids(nodes: Iterable[type[DOMNode]]) -> set[str]:
    """All binding ids declared on these classes (to check a keymap for typos)."""
    ids: set[str] = set()
    for cls in nodes:
        for klass in cls.__mro__:
            for binding in Binding.make_bindings(klass.__dict__.get("BINDINGS", [])):
                if binding.id:
                    ids.add(binding.id)
    return ids
