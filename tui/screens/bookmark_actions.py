"""The main screen's bookmark actions: save one (with a note dialog), list them, jump to one.

The screen routes the reader's ``BookmarkRequested`` message and the ``M`` key here; the
:class:`BookmarkActions` it owns opens the dialogs, calls the services and opens the chosen
bookmark's article through the screen's :class:`~tui.screens.navigation.Navigator`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from index.bookmarks import Bookmark
    from tui.screens.main_screen import MainScreen
    from tui.screens.note_dialog import NoteAnswer
    from tui.widgets.reader import Reader


class BookmarkActions:
    """Saving, listing and opening bookmarks for the main screen."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self._warned: tuple[str, str, int, int] | None = None
        """The passage or span last warned about as already bookmarked: m again on it adds."""

    def request(self, event: Reader.BookmarkRequested) -> None:
        """Ask for a note and tags, then save the passage (or the span) as a bookmark."""
        from tui.screens.note_dialog import NoteDialog

        screen = self.screen
        app = screen.app
        if screen.services.bookmarks is None:
            app.notify(
                "Bookmarks are unavailable (the database did not open); see the earlier message.",
                severity="error",
            )
            return
        span = event.span
        target = (
            event.article.id,
            event.passage.id,
            span.start if span is not None else -1,
            span.end if span is not None else -1,
        )
        # A second bookmark of the same text is rarely meant: say so once, and let a second m
        # confirm it, rather than silently keeping two (the list would show it twice).
        if self._warned != target:
            try:
                existing = screen.services.existing_bookmark(event.article, event.passage, span)
            except Exception:  # the check must not stop bookmarking
                existing = None
            if existing is not None:
                self._warned = target
                what = "selection" if span is not None else "passage"
                app.notify(
                    f"This {what} is already bookmarked (M lists it); press m again to add a "
                    "second one.",
                    severity="warning",
                )
                return
        self._warned = None
        quote = (
            event.article.text[span.start : span.end] if span is not None else event.passage.text
        )
        title = "Bookmark this selection" if span is not None else "Bookmark this passage"

        def save(answer: NoteAnswer | None) -> None:
            if answer is None:
                return
            try:
                screen.services.add_bookmark(
                    event.article, event.passage, span, answer.note, answer.tags
                )
            except Exception as error:
                app.notify(f"Could not save the bookmark: {error}", severity="error")
                return
            screen.reader.set_bookmarked(screen.navigator.marked(event.article.id))
            app.notify("Bookmarked. M lists your bookmarks.")

        app.push_screen(NoteDialog(title, quote, screen.layout_options), save)

    def open_list(self) -> None:
        """The bookmarks list; the one chosen there opens in the reader."""
        from tui.screens.bookmarks_screen import BookmarksScreen

        screen = self.screen
        if screen.services.bookmarks is None:
            screen.app.notify(
                "Bookmarks are unavailable (the database did not open).", severity="error"
            )
            return
        screen.app.push_screen(BookmarksScreen(screen.services, screen.layout_options), self.jump)

    def jump(self, bookmark: Bookmark | None) -> None:
        """Open ``bookmark``'s article at its quote (re-anchored if the article changed)."""
        screen = self.screen
        reader = screen.reader
        if bookmark is None:
            if reader.article is not None:
                reader.set_bookmarked(screen.navigator.marked(reader.article.id))
            return
        from index.anchoring import same_file

        article = screen.navigator.article(bookmark.article_id)
        if article is None or not same_file(article.path, bookmark.article_path):
            # A same-named file of another corpus is another article: never open it as this.
            screen.app.notify(
                "That bookmark's article is not in this corpus (open the corpus it came from: "
                f"{bookmark.article_path}).",
                severity="warning",
            )
            return
        if bookmark.article_hash != article.content_hash:
            from index.anchoring import reanchor  # the article changed: find the quote again

            bookmark = reanchor(bookmark, article).bookmark
        if bookmark.status == "detached":
            screen.app.notify(
                "This bookmark's quote is no longer in the article; opening the article.",
                severity="warning",
            )
        flash = None if bookmark.status == "detached" else bookmark.span()
        screen.navigator.jump(article, passage_id=bookmark.passage_id, flash=flash)
