"""Opening articles in the main screen's reader, and the history that Esc/backspace walk back.

The :class:`Navigator` belongs to the main screen: it reads articles and bookmarked passages
through the services (a read failure becomes a notification, not a traceback), shows them in
the reader and remembers where the reader was before each jump (a search result, a related
link, a story article, a bookmark), so going back returns there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from index.models import Article, Span
    from tui.screens.main_screen import MainScreen


@dataclass(frozen=True, slots=True)
class Location:
    """Where the reader was: an article and a passage (for going back)."""

    article_id: str
    passage_id: str | None


class Navigator:
    """Reads articles for the main screen, shows them in its reader and keeps the history."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.history: list[Location] = []
        """Where the reader was before each jump, oldest first."""

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

    def marked(self, article_id: str) -> set[str]:
        """The ids of the article's bookmarked passages (empty if the bookmarks cannot be read)."""
        screen = self.screen
        try:
            return screen.services.marked_passages(article_id)
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
            bookmarked=self.marked(article.id),
            flash=flash,
        )

    def remember(self) -> None:
        """Push the reader's current article and passage onto the history."""
        reader = self.screen.reader
        if reader.article is not None:
            passage = reader.current_passage
            self.history.append(Location(reader.article.id, passage.id if passage else None))

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
        self.show(article, passage_id=location.passage_id, hits=screen.hits_in(article))
        screen.reader.focus()
        return True
