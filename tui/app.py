"""The newsreader Textual app, built by :func:`make_app` for both the command line and the tests.

The app is a thin shell: the services (index, bookmarks, related store, reading position) are
injected, the main screen routes messages between the panes, and everything slow runs in
workers. The first frame is drawn before anything heavy is imported: the services are opened
in a thread worker started from ``on_ready``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from tui.config import Config, unknown_keymap_ids
from tui.keys import binding_catalog, binding_ids, keymap_conflicts
from tui.rtl import LayoutOptions, resolve_mode
from tui.services import Services

EXIT_AFTER_FIRST_FRAME = "NEWSREADER_EXIT_AFTER_FIRST_FRAME"
"""Environment variable: quit as soon as the first frame is drawn (start-up benchmark)."""


class NewsreaderApp(App[int]):
    """Search, read right-to-left, and compare outlets, from the keyboard."""

    TITLE = "newsreader"
    BINDING_GROUP_TITLE = "Everywhere"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, id="command_palette"),
    ]

    def __init__(
        self,
        services: Services,
        config: Config,
        layout_options: LayoutOptions,
        *,
        config_problems: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.services = services
        self.config = config
        self.layout_options = layout_options
        self.config_problems = tuple(config_problems)
        self.user_keymap: dict[str, str] = dict(config.keymap)
        """The keymap overrides from the config (the help screen shows them)."""
        self.first_frame_at: float | None = None
        """When the first frame was drawn (``on_ready``); the services open after it."""
        self.notification_log: list[str] = []
        """Every notification shown, in order (what the user was told; tests read it)."""

    # ----------------------------------------------------------------- start-up

    def on_mount(self) -> None:
        from tui.screens.main_screen import MainScreen

        problems = list(self.config_problems)
        if self.config.theme == self.theme:
            pass  # already in use: setting it again would restyle every widget
        elif self.config.theme in self.available_themes:
            self.theme = self.config.theme
        else:
            problems.append(
                f"Unknown theme {self.config.theme!r} in the config; using {self.theme!r}. "
                f"Themes: {', '.join(sorted(self.available_themes))}."
            )
        if self.user_keymap:
            known = binding_ids(self.binding_owners())
            unknown = unknown_keymap_ids(self.config, known)
            if unknown:
                problems.append(
                    f"Keymap entries naming no binding were ignored: {', '.join(unknown)}. "
                    "The help screen (?) lists the binding ids."
                )
            keymap = {k: v for k, v in self.user_keymap.items() if k in known}
            problems.extend(keymap_conflicts(keymap, self.binding_owners()))
            self.set_keymap(keymap)
        for problem in problems:
            self.notify(problem, title="Config", severity="warning", timeout=12)
        self.push_screen(MainScreen(self.services, self.layout_options, width=self.size.width))

    def binding_owners(self) -> list[type[DOMNode]]:
        """Every class whose BINDINGS the keymap may override (for checking its ids)."""
        from tui.screens.bookmarks_screen import BookmarksScreen
        from tui.screens.help_screen import HelpScreen
        from tui.screens.main_screen import MainScreen
        from tui.screens.note_dialog import NoteDialog
        from tui.screens.story_screen import StoryScreen
        from tui.widgets.reader import Reader
        from tui.widgets.search_pane import SearchPane

        return [
            type(self),
            MainScreen,
            Reader,
            SearchPane,
            BookmarksScreen,
            HelpScreen,
            NoteDialog,
            StoryScreen,
        ]

    def on_ready(self) -> None:
        self.first_frame_at = time.monotonic()
        if os.environ.get(EXIT_AFTER_FIRST_FRAME):
            self.exit(0)
            return
        self.open_services()

    def open_services(self) -> None:
        """Open the index and stores in a thread (imports Whoosh: kept off the first frame)."""
        self.run_worker(self._open_services, thread=True, group="open", exit_on_error=False)

    def _open_services(self) -> list[str]:
        return self.services.open()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state == WorkerState.ERROR:
            what = {
                "open": "Could not open the corpus index",
                "search": "The search failed",
                "related": "Could not load related passages",
                "index-check": "Could not check the corpus files",
                "related-open": "Could not prepare related passages",
            }.get(worker.group or "", "Something failed")
            if worker.group in ("index", "related-catch-up"):
                return  # the main screen reports these failures itself
            self.notify(
                f"{what}: {worker.error}. Try again; if it persists, rebuild the index with "
                "`newsreader index` (ctrl+r in the app).",
                severity="error",
                timeout=10,
            )
            if worker.group == "open":
                self._main_screen_ready()
        elif event.state == WorkerState.SUCCESS and worker.group == "open":
            for notice in worker.result or ():
                self.notify(notice, severity="warning", timeout=10)
            self._main_screen_ready()
            self.reopen_related()
        elif event.state == WorkerState.SUCCESS and worker.group == "related-open":
            for notice in worker.result or ():
                self.notify(notice, severity="warning", timeout=10)
            self._related_ready()

    def reopen_related(self) -> None:
        """Open the related-passages store in a thread (at start, and again after it was found
        damaged: opening a damaged store starts it afresh). Opening is quick; the main screen
        then catches the store up with the index, with progress and Esc to stop."""
        self.run_worker(
            partial(self.services.open_related, catch_up=False),
            thread=True,
            group="related-open",
            exclusive=True,
            exit_on_error=False,
        )

    def _related_ready(self) -> None:
        from tui.screens.main_screen import MainScreen

        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.related_ready()

    def _main_screen_ready(self) -> None:
        from tui.screens.main_screen import MainScreen

        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.services_ready()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notify with markup always off: messages quote paths, errors and article text."""
        self.notification_log.append(message)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    # ----------------------------------------------------------------- actions

    def action_help(self) -> None:
        """?: every key, generated from the bindings."""
        from tui.screens.help_screen import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        hint = (
            "Rebind any key in the config file's [keymap] table with its id, e.g. "
            f'search = "ctrl+f".  Config: {self.config.source or "(none)"}'
        )
        self.push_screen(HelpScreen(binding_catalog(self, self.screen), hint))

    async def action_quit(self) -> None:
        """q: save the reading position and quit."""
        from tui.screens.main_screen import MainScreen

        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.save_position()
        self.exit(0)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette offers every bound action of the screen, plus Textual's own commands."""
        yield from super().get_system_commands(screen)
        seen: set[str] = set()
        for entry in binding_catalog(self, screen):
            if entry.binding_id in seen or entry.action == "command_palette":
                continue
            seen.add(entry.binding_id)
            yield SystemCommand(
                entry.description,
                f"{entry.group} · key {' / '.join(entry.keys)}",
                partial(self.run_action, entry.action, entry.node),
            )

    def on_unmount(self) -> None:
        self.services.close()


def layout_options_for(
    config: Config, *, bidi_flag: str | None = None, no_shape: bool = False
) -> LayoutOptions:
    """The RTL engine's options from config and flags (flag > config > terminal detection).

    Paragraphs take the direction of most of their letters ("dominant"), so an Arabic paragraph
    that opens with a Latin dateline such as ``(CNN)--`` still reads right-to-left.
    """
    mode = resolve_mode(os.environ, configured=config.bidi, flag=bidi_flag)
    return LayoutOptions(
        mode=mode, shape=config.shaping and not no_shape, base_direction="dominant"
    )


def make_app(
    services: Services,
    config: Config,
    *,
    bidi_flag: str | None = None,
    no_shape: bool = False,
    config_problems: Sequence[str] = (),
) -> NewsreaderApp:
    """The app for ``services`` and ``config`` (the command line and the tests both use this)."""
    options = layout_options_for(config, bidi_flag=bidi_flag, no_shape=no_shape)
    return NewsreaderApp(services, config, options, config_problems=config_problems)
