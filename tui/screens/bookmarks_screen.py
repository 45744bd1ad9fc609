"""The bookmarks list (M): quote, outlet, article, note and age; filter as you type.

Enter jumps to the bookmark (the screen is dismissed with it and the main screen opens the
passage with the span highlighted); ``d`` deletes and ``u`` undoes the last deletions (the
store returns the deleted record, kept here for undo); ``e`` edits the note. Each row shows the
quote as it was saved; one whose article changed says so on its row: *detached* (the quote was
not found again; kept, with its quote) or *changed* (found, but the text there now differs: it
is shown under the saved quote). Statuses are stored after each re-index
(:meth:`tui.services.Services.reanchor_changed`), so the list tells the truth without a corpus.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList
from textual.widgets.option_list import Option

from tui.labels import field_line, isolate
from tui.rtl import LayoutOptions
from tui.services import Services
from tui.styles import widget_css
from tui.widgets.echoed_input import EchoedInput
from tui.widgets.field_line import StackedBlocks
from tui.widgets.laid_out_label import LaidOutLabel
from tui.widgets.painting import LaidOutBlock, TextPart

if TYPE_CHECKING:
    from index.bookmarks import Bookmark
    from tui.screens.note_dialog import NoteAnswer


class BookmarksScreen(Screen["Bookmark | None"]):
    """Every bookmark, newest first, filtered by what is typed above the list."""

    BINDING_GROUP_TITLE = "Bookmarks list"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="close_bookmarks"),
        Binding("slash", "filter", "Filter", id="filter_bookmarks"),
        Binding("d,delete", "delete", "Delete", id="delete_bookmark"),
        Binding("u,ctrl+z", "undo", "Undo delete", id="undo_delete"),
        Binding("e", "edit", "Edit note/tags", id="edit_note"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "bookmarks--meta",
        "bookmarks--note",
        "bookmarks--detached",
        "bookmarks--changed",
    }

    DEFAULT_CSS = widget_css(__name__, "bookmarks_screen.tcss")

    def __init__(self, services: Services, layout_options: LayoutOptions) -> None:
        super().__init__()
        self.services = services
        self.layout_options = layout_options
        self.meta_options = replace(layout_options, base_direction="ltr")
        """Every meta line left-to-right, whatever its fields hold (see field_line)."""
        self.shown: list[Bookmark] = []
        self.deleted: list[Bookmark] = []
        """Deleted records, most recent last: u restores them one by one."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield EchoedInput(
                Input(
                    placeholder="Filter bookmarks (quote, note, outlet, title, tag)…", id="filter"
                ),
                self.layout_options,
                only_when_rtl=True,
            )
            yield LaidOutLabel(self.layout_options, id="bookmarks-status")
            yield OptionList(id="bookmark-list")
        yield Footer()

    @property
    def bookmark_list(self) -> OptionList:
        return self.query_one("#bookmark-list", OptionList)

    def on_mount(self) -> None:
        self.refresh_list()
        if self.shown:
            self.bookmark_list.focus()
        else:
            self.query_one("#filter", Input).focus()

    def refresh_list(self, keep: str | None = None) -> None:
        """Reload from the store with the current filter (keeps the highlight near ``keep``)."""
        store = self.services.bookmarks
        filter_text = self.query_one("#filter", Input).value.strip()
        old_index = self.bookmark_list.highlighted
        try:
            self.shown = store.list(filter_text) if store is not None else []
        except Exception as error:
            self.shown = []
            self.notify(f"Could not read the bookmarks: {error}", severity="error")
        status = self.query_one("#bookmarks-status", LaidOutLabel)
        if not self.shown:
            status.update(
                "No bookmark matches this filter."
                if filter_text
                else "No bookmarks yet: in the reader, m bookmarks a passage, v selects a span."
            )
        else:
            status.update(
                f"{len(self.shown)} bookmark{'s' if len(self.shown) != 1 else ''}. "
                "Enter opens, d deletes (u undoes), e edits the note."
            )
        options = self.bookmark_list
        options.set_options(Option(self._prompt(b), id=b.id) for b in self.shown)
        if self.shown:
            index = next((i for i, b in enumerate(self.shown) if b.id == keep), None)
            if index is None:
                index = min(old_index or 0, len(self.shown) - 1)
            options.highlighted = index

    def _prompt(self, bookmark: Bookmark) -> StackedBlocks:
        from index.export import age

        meta_style = self.get_component_rich_style("bookmarks--meta", partial=True)
        note_style = self.get_component_rich_style("bookmarks--note", partial=True)
        detached_style = self.get_component_rich_style("bookmarks--detached", partial=True)
        changed_style = self.get_component_rich_style("bookmarks--changed", partial=True)
        quote = LaidOutBlock([TextPart(bookmark.quote, max_lines=3)], self.layout_options)
        meta = field_line(
            bookmark.source or "outlet not stated",
            bookmark.title or bookmark.article_id,
            age(bookmark.created_at) if bookmark.created_at else "",
            ", ".join(isolate(f"#{t}") for t in bookmark.tags),
        )
        meta_block = LaidOutBlock([TextPart(meta, meta_style, max_lines=2)], self.meta_options)
        parts = []
        if bookmark.note:
            parts.append(TextPart(bookmark.note, note_style, max_lines=3))
        if bookmark.status == "detached":
            parts.append(
                TextPart(
                    "detached: the article changed and this quote was not found again",
                    detached_style,
                    max_lines=2,
                )
            )
        elif bookmark.status == "changed":
            now = " ".join((bookmark.current_text or "").split())
            parts.append(
                TextPart(
                    f"changed: the article's text here now reads «{now}»",
                    changed_style,
                    max_lines=3,
                )
            )
        return StackedBlocks([quote, meta_block, LaidOutBlock(parts, self.layout_options)])

    @property
    def highlighted(self) -> Bookmark | None:
        index = self.bookmark_list.highlighted
        if index is None or not 0 <= index < len(self.shown):
            return None
        return self.shown[index]

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.refresh_list()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.shown:
            self.bookmark_list.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.shown):
            self.dismiss(self.shown[event.option_index])

    def action_close(self) -> None:
        """Esc: back to the reader."""
        self.dismiss(None)

    def action_filter(self) -> None:
        """/: type a filter."""
        self.query_one("#filter", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"delete", "edit"}:
            return self.highlighted is not None or None
        if action == "undo":
            return bool(self.deleted) or None
        return True

    def action_delete(self) -> None:
        """d: delete the highlighted bookmark (u brings it back)."""
        bookmark = self.highlighted
        store = self.services.bookmarks
        if bookmark is None or store is None:
            return
        try:
            self.deleted.append(store.delete(bookmark.id))
        except Exception as error:
            self.notify(f"Could not delete the bookmark: {error}", severity="error")
            return
        self.refresh_list()
        self.notify("Bookmark deleted. u undoes.", timeout=4)

    def action_undo(self) -> None:
        """u: restore the last deleted bookmark."""
        store = self.services.bookmarks
        if not self.deleted or store is None:
            return
        bookmark = self.deleted.pop()
        try:
            store.restore(bookmark)
        except Exception as error:
            self.deleted.append(bookmark)
            self.notify(f"Could not restore the bookmark: {error}", severity="error")
            return
        self.refresh_list(keep=bookmark.id)
        self.notify("Bookmark restored.", timeout=3)

    def action_edit(self) -> None:
        """e: edit the highlighted bookmark's note and tags (a mistyped tag is fixed here, not
        by deleting the bookmark and making it again)."""
        from index.bookmark_record import parse_tags
        from tui.screens.note_dialog import NoteDialog

        bookmark = self.highlighted
        store = self.services.bookmarks
        if bookmark is None or store is None:
            return

        def save(answer: NoteAnswer | None) -> None:
            if answer is None:
                return
            try:
                if answer.note != bookmark.note:
                    store.update_note(bookmark.id, answer.note)
                if parse_tags(answer.tags) != bookmark.tags:
                    store.set_tags(bookmark.id, answer.tags)
            except Exception as error:
                self.notify(f"Could not save the note and tags: {error}", severity="error")
                return
            self.refresh_list(keep=bookmark.id)

        self.app.push_screen(
            NoteDialog(
                "Edit the note and tags",
                bookmark.quote,
                self.layout_options,
                note=bookmark.note,
                tags=", ".join(bookmark.tags),
            ),
            save,
        )
