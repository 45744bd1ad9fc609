"""One catalog of the app's key bindings, read from the BINDINGS themselves.

The help screen and the command palette are both generated from it, so a binding added to a
widget shows up in both, with the key the user's keymap gave it. Nothing here is written by
hand except the group titles. :func:`keymap_conflicts` reads the same bindings to tell the user
when a keymap entry takes a key another binding answers first.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
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
    context: str = ""
    """When the key does this, if not always (the binding's tooltip, e.g. "in a selection")."""


def _group_title(node: DOMNode) -> str:
    title = getattr(node, "BINDING_GROUP_TITLE", None)
    if isinstance(title, str) and title:
        return title
    if isinstance(node, App):
        return "Everywhere"
    return type(node).__name__


def _expanded(node: DOMNode) -> list[Binding]:
    return _class_bindings(type(node))


def _class_bindings(owner: type[DOMNode]) -> list[Binding]:
    """The bindings of ``owner`` and its bases, base classes first, one per key."""
    bindings: list[Binding] = []
    for cls in reversed(owner.__mro__):
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
            if binding.action.startswith("app.") and (id(app), binding.id) in entries:
                continue  # the app's own binding repeated on a screen or widget (footer order)
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
                    previous.context,
                )
                continue
            entries[key] = KeyEntry(
                _group_title(node),
                binding.id,
                binding.action,
                binding.description,
                shown,
                node,
                binding.tooltip,
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


@dataclass(frozen=True, slots=True)
class _Bound:
    """One key of one binding, as the keymap leaves it."""

    owner: type[DOMNode]
    binding: Binding
    key: str
    remapped: bool


def _bound_keys(keymap: Mapping[str, str], owners: Iterable[type[DOMNode]]) -> list[_Bound]:
    """Every key of every binding of ``owners`` (and their bases), keymap applied."""
    bound: list[_Bound] = []
    for owner in owners:
        for binding in _class_bindings(owner):
            if binding.id and binding.id in keymap:
                keys = [k.strip() for k in keymap[binding.id].split(",") if k.strip()]
                bound.extend(_Bound(owner, binding, key, True) for key in keys)
            else:
                bound.append(_Bound(owner, binding, binding.key, False))
    return bound


def _hosts(screen: type[DOMNode], widget: type[DOMNode]) -> bool:
    """Whether ``screen`` can show ``widget``: its module names the widget's class.

    Compose is code, so which widgets a screen holds is not declared anywhere; a screen
    composes widgets its module imports, which is how every screen here is written.
    """
    module = sys.modules.get(screen.__module__)
    return module is not None and widget in vars(module).values()


def _meet(first: type[DOMNode], second: type[DOMNode]) -> bool:
    """Whether bindings of these classes can answer the same key press (share a focus chain).

    The app is under every screen, and a screen under its widgets; two screens never meet
    (one is shown at a time), nor two widget classes (the app's are side by side panes).
    """
    if first is second or issubclass(first, App) or issubclass(second, App):
        return True
    first_screen, second_screen = issubclass(first, Screen), issubclass(second, Screen)
    if first_screen == second_screen:
        return False
    return _hosts(first, second) if first_screen else _hosts(second, first)


def keymap_conflicts(keymap: Mapping[str, str], owners: Iterable[type[DOMNode]]) -> list[str]:
    """One sentence per key of a keymap entry that another binding answers too.

    Textual gives a key to the first binding along the focus chain (focused widget, its
    parents, the screen, the app), so ``quit = "j"`` quietly loses to the reader's ``j`` (next
    passage) while ``q`` no longer quits. Keys a binding had by default are not reported: the
    bindings sharing them do so by design (``j``: next passage, or extend a selection).
    """
    owners = list(owners)
    bound = _bound_keys(keymap, owners)
    defaults: dict[str, set[str]] = {}
    for owner in owners:
        for binding in _class_bindings(owner):
            if binding.id:
                defaults.setdefault(binding.id, set()).add(binding.key)
    problems: list[str] = []
    for mine in bound:
        if not mine.remapped or mine.key in defaults.get(mine.binding.id or "", set()):
            continue
        clashes = sorted(
            {
                f"{other.binding.id or other.binding.action} ({other.binding.description})"
                for other in bound
                if other.key == mine.key
                and other.binding.id != mine.binding.id
                and not (other.owner is mine.owner and other.binding.action == mine.binding.action)
                and _meet(mine.owner, other.owner)
            }
        )
        if clashes:
            problems.append(
                f'Keymap entry {mine.binding.id} = "{keymap[mine.binding.id or ""]}": '
                f"{mine.key} is also the key of {', '.join(clashes)}, so only one of them "
                f"runs. Choose another key for {mine.binding.id}, or rebind the other too."
            )
    return list(dict.fromkeys(problems))  # "d,delete" remapped to one key: said once
