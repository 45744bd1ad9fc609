"""Opening articles in the main screen's reader, and the history that Esc/backspace walk back.

The :class:`Navigator` belongs to the main screen: it reads articles and bookmarked passages
through the services (a read failure becomes a notification, not a traceback), shows them in
the reader and remembers where the reader was before each jump (a search result, a related
link, a story article, a bookmark), so going back returns there.

When an index update changes the open article, :meth:`Navigator.reload` shows the new text at
the same passage (found again by its text, see :func:`carried_passage`) and on the same screen
row, with the search hits and bookmark dots recomputed for the new text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from index.models import Article, Span
    from tui.screens.main_screen import MainScreen


def carried_passage(old: Article, new: Article, index: int) -> str | None:
    """The passage of ``new`` to show for passage ``index`` of ``old`` (the same article,
    re-indexed): the same id if that passage's text is unchanged, else the passage where the
    old passage's text now is (found as a bookmark's quote is: exactly, then normalized, then
    fuzzily), else the passage at the nearest index; None when ``new`` has no passages."""
    if not new.passages:
        return None
    if not 0 <= index < len(old.passages):
        return new.passages[min(max(index, 0), len(new.passages) - 1)].id
    passage = old.passages[index]
    same = new.passage(passage.id)
    if same is not None and same.text == passage.text:
        return same.id
    from index.anchoring import reanchor
    from index.bookmark_record import Bookmark

    try:
        found = reanchor(Bookmark.for_passage(old, passage.id), new)
    except ValueError:  # a passage of blanks only: nothing to look for
        found = None
    if found is not None and found.status != "detached" and new.passage(found.bookmark.passage_id):
        return found.bookmark.passage_id
    return new.passages[min(index, len(new.passages) - 1)].id


@dataclass(frozen=True, slots=True)
class Location:
    """Where the reader was: an article and a passage (for going back)."""

    article_id: str
    passage_id: str | None
    seen: Article | None = field(default=None, compare=False, repr=False)
    """The article as it was read then: if an update changed it since, going back finds the
    passage by its text (:func:`carried_passage`), not by an id that may name another one."""


class Navigator:
    """Reads articles for the main screen, shows them in its reader and keeps the history."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.history: list[Location] = []
        """Where the reader was before each jump, oldest first."""
        self._gone: str | None = None
        """The open article's id once an update removed it from the index (said once)."""

    @property
    def left_corpus(self) -> bool:
        """The open article is no longer in the index (an update removed it): no links."""
        article = self.screen.reader.article
        return article is not None and article.id == self._gone

    def article(self, article_id: str) -> Article | None:
        """An article from the index; a read failure becomes a message, not a traceback."""
        screen = self.screen
        try:
            return screen.services.article(article_id)
        except Exception as error:
            screen.app.notify(
                f"Could not read the article from the index ({error}). Press ctrl+r to rebuild it.",
                severity="error",
            )
            return None

    def marked(self, article_id: str, article: Article | None = None) -> set[str]:
        """The ids of the article's bookmarked passages (empty if the bookmarks cannot be read),
        re-anchored on ``article`` (default: the reader's, when it is that article) so the dots
        stay on their text when the article changed since the bookmarks were made."""
        screen = self.screen
        if article is None:
            shown = screen.reader.article
            article = shown if shown is not None and shown.id == article_id else None
        try:
            return screen.services.marked_passages(article_id, article)
        except Exception as error:
            screen.app.notify(f"Could not read the bookmarks: {error}", severity="warning")
            return set()

    def show(
        self,
        article: Article,
        *,
        passage_id: str | None = None,
        hits: list[Span] | None = None,
        flash: Span | None = None,
    ) -> None:
        """Show ``article`` in the reader with its bookmark dots (no history entry)."""
        self.screen.reader.show_article(
            article,
            passage_id=passage_id,
            hits=hits,
            bookmarked=self.marked(article.id, article),
            flash=flash,
        )

    def remember(self) -> None:
        """Push the reader's current article and passage onto the history."""
        reader = self.screen.reader
        if reader.article is not None:
            passage = reader.current_passage
            self.history.append(
                Location(reader.article.id, passage.id if passage else None, reader.article)
            )

    def jump(
        self,
        article: Article,
        *,
        passage_id: str | None = None,
        hits: list[Span] | None = None,
        flash: Span | None = None,
    ) -> None:
        """Remember where the reader is, show ``article`` and focus the reader."""
        self.remember()
        self.show(article, passage_id=passage_id, hits=hits, flash=flash)
        self.screen.reader.focus()

    def follow(self, article_id: str, passage_id: str) -> None:
        """Open a related link's target passage."""
        article = self.article(article_id)
        if article is None:
            self.screen.app.notify(
                "The linked article is not in the index any more; ctrl+r updates it.",
                severity="warning",
            )
            return
        self.jump(article, passage_id=passage_id)

    def back(self) -> bool:
        """Return to the last remembered location; False when there was none to show."""
        if not self.history:
            return False
        location = self.history.pop()
        article = self.article(location.article_id)
        if article is None:
            return False
        screen = self.screen
        passage_id, seen = location.passage_id, location.seen
        if passage_id is not None and seen is not None and seen != article:
            index = next((n for n, p in enumerate(seen.passages) if p.id == passage_id), None)
            if index is not None:
                passage_id = carried_passage(seen, article, index)
        self.show(article, passage_id=passage_id, hits=screen.hits_in(article))
        screen.reader.focus()
        return True

    def reload(self) -> None:
        """The index changed: show the open article's new text, if it changed, at the same
        passage and screen row (nothing moves when the article is unchanged). An article that
        left the index stays on screen, readable, and the user is told once."""
        screen = self.screen
        reader = screen.reader
        old = reader.article
        if old is None:
            return
        try:
            new = screen.services.article(old.id)
        except Exception as error:
            screen.app.notify(
                f"Could not read the open article from the new index ({error}); it is shown as "
                "it was. Press ctrl+r to rebuild the index.",
                severity="warning",
            )
            return
        if new is None:
            if self._gone != old.id:
                self._gone = old.id
                screen.app.notify(
                    f"“{old.title or old.id}” is no longer in the corpus (its file was removed "
                    "or renamed). It stays open here to finish reading; / searches the others.",
                    severity="warning",
                    timeout=10,
                )
            return
        self._gone = None
        if new == old:
            return
        index = reader.current
        layout = reader.article_layout
        row = None
        if layout is not None and 0 <= index < len(layout.passage_first_row):
            row = layout.passage_first_row[index] - int(reader.scroll_offset.y)
        self.show(new, passage_id=carried_passage(old, new, index), hits=screen.hits_in(new))
        layout = reader.article_layout
        if row is not None and layout is not None and reader.article is new:
            top = layout.passage_first_row[reader.current] - row
            reader.scroll_to(y=max(0, top), animate=False, immediate=True)
