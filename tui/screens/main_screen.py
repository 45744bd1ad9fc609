"""The main screen: search, reader and related panes, and the routing between them.

Widgets post messages; this screen handles them, calls the services (in thread workers when a
call may be slow) and hands the answers to the other widgets. It also owns the pane
layout (toggles F2/F3, side width < and >, a narrow arrangement under 120 columns). Three helpers
it owns do the rest: a :class:`Navigator` opens articles (and reloads the open one when the index
changed it) and keeps the history that Esc/backspace walk back, an :class:`IndexingTracker`
shows and cancels index builds and related-passages catch-ups, and :class:`BookmarkActions`
saves, lists and opens bookmarks.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer
from textual.worker import Worker, get_current_worker

from index.models import Article, Span
from tui.config import MAX_SIDE_WIDTH, MIN_SIDE_WIDTH
from tui.reading_position import ReadingPosition
from tui.rtl import LayoutOptions
from tui.screens.bookmark_actions import BookmarkActions
from tui.screens.indexing import IndexingTracker
from tui.screens.navigation import Location, Navigator
from tui.services import RelatedResult, Services
from tui.styles import widget_css
from tui.widgets.index_progress import IndexProgress
from tui.widgets.reader import Reader
from tui.widgets.related_panel import LinkView, RelatedPanel
from tui.widgets.search_pane import ResultsView, SearchPane

if TYPE_CHECKING:
    from index.search import SearchResult
    from index.store import UpdateResult

NARROW_WIDTH = 120
"""Below this many columns the search pane and the related panel take turns beside the reader."""

SIDE_STEP = 4
POSITION_SAVE_DELAY = 1.0


class MainScreen(Screen[None]):
    """Search on the left, the article in the middle, related passages on the right."""

    BINDING_GROUP_TITLE = "Panes and navigation"

    BINDINGS: ClassVar[list[BindingType]] = [
        # The app's "? Help", repeated first here so the footer shows it before the screen's
        # other keys (the app's own bindings come last and are cut off at 80 columns).
        Binding("question_mark", "app.help", "Help", id="help"),
        Binding("slash", "search", "Search", id="search"),
        Binding("escape,backspace", "back", "Back", id="back"),
        Binding("tab", "app.focus_next", "Next pane", show=False, id="next_pane"),
        Binding("shift+tab", "app.focus_previous", "Previous pane", show=False, id="previous_pane"),
        Binding("right_square_bracket", "link(1)", "Next related link", id="next_link"),
        Binding(
            "left_square_bracket",
            "link(-1)",
            "Previous related link",
            show=False,
            id="previous_link",
        ),
        Binding("enter", "open_link", "Open related link", show=False, id="open_link"),
        Binding("M", "bookmarks", "Bookmarks", id="bookmarks"),
        Binding("s", "story", "Story view", show=False, id="story"),
        Binding("f2", "toggle_search", "Toggle search pane", show=False, id="toggle_search"),
        Binding("f3", "toggle_related", "Toggle related pane", show=False, id="toggle_related"),
        Binding(
            "less_than_sign", "side(-1)", "Narrower side panel", show=False, id="side_narrower"
        ),
        Binding("greater_than_sign", "side(1)", "Wider side panel", show=False, id="side_wider"),
        Binding("ctrl+r", "reindex", "Update the index", show=False, id="reindex"),
    ]

    DEFAULT_CSS = widget_css(__name__, "main_screen.tcss")

    side_width: var[int] = var(40)
    """Width of the related panel in cells (< and > change it)."""

    def __init__(
        self, services: Services, layout_options: LayoutOptions, *, width: int = 0
    ) -> None:
        # The start-up classes are set here, not in on_mount: every class change after
        # mounting restyles the whole screen, which the first frame would pay for.
        narrow = " -narrow" if 0 < width < NARROW_WIDTH else ""
        super().__init__(classes=f"-searching{narrow}")
        self.services = services
        self.layout_options = layout_options
        self.navigator = Navigator(self)
        """Opens articles in the reader and keeps the history Esc/backspace walk back."""
        self.search_terms: object | None = None
        self._indexing = IndexingTracker(self)
        self._bookmarks = BookmarkActions(self)
        self._position_timer: Timer | None = None
        self._ready = False
        self.side_width = services.config.side_width

    # ----------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield SearchPane(self.layout_options, id="search-pane")
            yield Reader(self.layout_options, id="reader")
            yield RelatedPanel(self.layout_options, id="related")
        yield IndexProgress(id="index-progress")
        yield Footer()

    @property
    def search_pane(self) -> SearchPane:
        return self.query_one(SearchPane)

    @property
    def reader(self) -> Reader:
        return self.query_one(Reader)

    @property
    def related_panel(self) -> RelatedPanel:
        return self.query_one(RelatedPanel)

    @property
    def history(self) -> list[Location]:
        """Where the reader was before each jump (kept by the navigator)."""
        return self.navigator.history

    def on_mount(self) -> None:
        self._apply_side_width()
        self.search_pane.focus_input()

    def on_resize(self) -> None:
        narrow = self.size.width < NARROW_WIDTH
        if self.has_class("-narrow") != narrow:
            self.set_class(narrow, "-narrow")
        self._apply_side_width()

    def watch_side_width(self) -> None:
        self._apply_side_width()

    def _apply_side_width(self) -> None:
        if not self.is_mounted:
            return
        width = self.side_width
        if self.size.width:
            width = min(width, max(MIN_SIDE_WIDTH, self.size.width * 2 // 5))
        panel = self.related_panel
        if panel.styles.width is None or panel.styles.width.value != width:
            panel.styles.width = width

    def on_descendant_focus(self) -> None:
        focused = self.focused
        searching = focused is not None and self.search_pane in focused.ancestors_with_self
        if self.has_class("-searching") != searching or self.has_class("-reading") == searching:
            # One restyle per change of pane, not per focus move (a restyle walks every node).
            self.set_class(searching, "-searching")
            self.set_class(not searching, "-reading")

    # ----------------------------------------------------------------- startup

    def services_ready(self) -> None:
        """Called by the app once the services are open: resume, then check the index."""
        self._ready = True
        self.search_pane.article_count = self.services.article_count()
        self._run_search(self.search_pane.current_query)
        self._resume()
        self.check_index()

    def related_ready(self) -> None:
        """The related store is attached: show the current passage's links, and catch it up
        with the index if it is behind (with progress; Esc stops it)."""
        self._refresh_related()
        self.start_related_catch_up()

    def _resume(self) -> None:
        position = self.services.load_position()
        if position is None:
            return
        article = self.navigator.article(position.article_id)
        if article is None:
            return  # that article left the corpus: start at the search box
        self.navigator.show(article, passage_id=position.passage_id)
        if not self.search_pane.current_query:
            self.reader.focus()  # reading on, unless the user already started typing

    # ----------------------------------------------------------------- indexing

    @work(thread=True, exclusive=True, group="index-check", exit_on_error=False)
    def check_index(self) -> None:
        """Decide (off the UI thread: it stats every corpus file) whether to index."""
        needs = self.services.needs_update()
        if needs:
            self.app.call_from_thread(self.start_indexing)

    def start_indexing(self) -> None:
        """Build or update the index in a worker; Esc cancels, the old index stays usable."""
        cancel = self._indexing.begin()
        if cancel is not None:
            self._index_worker(cancel)

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def _index_worker(self, cancel: threading.Event) -> UpdateResult:
        return self.services.update_index(self._indexing.progress_from_thread, cancel)

    def start_related_catch_up(self) -> None:
        """Recompute the related store in a worker if it is behind the index (a new version,
        a store found damaged, a computation stopped earlier). Not while an index job runs: its
        end starts this again. Not after the user stopped one: ctrl+r asks again."""
        if self.indexing or self.services.related_stopped or self.services.related_sync is None:
            return
        cancel = self._indexing.begin_related()
        if cancel is not None:
            self._catch_up_worker(cancel)

    @work(thread=True, exclusive=True, group="related-catch-up", exit_on_error=False)
    def _catch_up_worker(self, cancel: threading.Event) -> bool:
        return self.services.catch_up_related(self._indexing.related_progress_from_thread, cancel)

    def cancel_indexing(self) -> bool:
        """Esc while indexing (or preparing related passages): stop it; False when nothing ran."""
        return self._indexing.cancel()

    @property
    def indexing(self) -> bool:
        return self._indexing.running

    def index_live(self) -> None:
        """A new index is live (its related passages may still be computing): count, search
        and reload the open article from it, so the user reads the new text right away."""
        self.search_pane.article_count = self.services.article_count()
        self._run_search(self.search_pane.current_query)
        if self.reader.article is None:
            self._resume()
        else:
            self.navigator.reload()

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if not worker.is_finished:
            return
        if worker.group == "related-catch-up":
            self._indexing.finished_related(worker)
            self._refresh_related()  # links, or why there are none (stopped, failed)
            return
        if worker.group != "index":
            return
        live = self._indexing.live
        result = self._indexing.finished(worker)
        if result is None:
            if not self.services.has_index:  # the pane said "indexing": now what to do
                self._run_search(self.search_pane.current_query)
            return
        if not live:
            self.index_live()
        self._refresh_related()
        self.start_related_catch_up()

    def action_reindex(self) -> None:
        """ctrl+r: bring the index up to date now, and the related passages after it."""
        if self._ready:
            self.services.related_stopped = False
            self.start_indexing()

    # ----------------------------------------------------------------- search

    @on(SearchPane.QueryChanged)
    def _query_changed(self, event: SearchPane.QueryChanged) -> None:
        self._run_search(event.query)

    def _run_search(self, query: str) -> None:
        if not self._ready:
            self.search_pane.set_status("Opening the index… results will follow.")
            return
        self.search_worker(query)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def search_worker(self, query: str) -> None:
        """Search off the UI thread; a newer query cancels this one, its answer is dropped.
        Nothing typed lists the newest articles: the pane opens on the corpus, not a blank."""
        result = self.services.search(query) if query.strip() else self.services.latest()
        if get_current_worker().is_cancelled:
            return
        self.app.call_from_thread(self._show_search, query, result)

    def _show_search(self, query: str, result: SearchResult) -> None:
        notice = result.notice
        error = result.error
        if error and not self.services.has_index:
            error = self._indexing.no_index_status()  # what is happening, what to do
        shown = self.search_pane.show_results(
            ResultsView(query, tuple(result.hits), result.total, error)
        )
        if shown:
            self.search_terms = result.terms
            if notice and not result.error:
                self.search_pane.set_status(f"{notice} {result.total} results.")

    @on(SearchPane.ResultChosen)
    def _result_chosen(self, event: SearchPane.ResultChosen) -> None:
        article = self.navigator.article(event.hit.article_id)
        if article is None:
            self.app.notify(
                "That article is no longer in the index; press ctrl+r to update it.",
                severity="warning",
            )
            return
        passage_id = event.hit.passages[0].passage_id if event.hit.passages else None
        self.navigator.jump(article, passage_id=passage_id, hits=self.hits_in(article))

    def hits_in(self, article: Article) -> list[Span]:
        """The last search's hits in ``article`` (to highlight them in the reader)."""
        terms = self.search_terms
        if terms is None:
            return []
        from index.search import highlight_spans

        return list(highlight_spans(article.text, terms))  # type: ignore[arg-type]

    # ----------------------------------------------------------------- reader

    @on(Reader.PassageChanged)
    def _passage_changed(self, event: Reader.PassageChanged) -> None:
        self._refresh_related()
        if self._position_timer is not None:
            self._position_timer.stop()
        self._position_timer = self.set_timer(POSITION_SAVE_DELAY, self.save_position)

    def save_position(self) -> None:
        """Remember the article and passage for the next start (atomic write)."""
        reader = self.reader
        if reader.article is None:
            return
        passage = reader.current_passage
        try:
            self.services.save_position(
                ReadingPosition(reader.article.id, passage.id if passage else None)
            )
        except OSError as error:
            self.app.notify(
                f"Could not save the reading position: {error}. Check the data directory.",
                severity="warning",
            )

    # ----------------------------------------------------------------- related

    def _refresh_related(self) -> None:
        passage = self.reader.current_passage
        if passage is None:
            return
        if not self._ready:
            self.related_panel.show_message("Related passages appear once the index is open.")
            return
        if self.navigator.left_corpus:
            self.related_panel.show_message("This article left the corpus: it has no links now.")
            return
        self.related_worker(passage.id)

    @work(thread=True, exclusive=True, group="related", exit_on_error=False)
    def related_worker(self, passage_id: str) -> None:
        article = self.reader.article
        passage = article.passage(passage_id) if article else None
        if passage is None:
            return
        result = self.services.related_for(passage)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_related, result)

    def _show_related(self, result: RelatedResult) -> None:
        current = self.reader.current_passage
        if current is None or current.id != result.passage_id:
            return  # the user moved on meanwhile
        panel = self.related_panel
        if result.reopen:
            self.app.reopen_related()  # type: ignore[attr-defined]
        if result.message:
            panel.show_message(result.message)
            return
        panel.show_links(
            [
                LinkView(rl.link, rl.target.text, rl.target.start, rl.target_title)
                for rl in result.links
            ],
            result.numbers,
            result.titles,
        )

    def action_link(self, delta: int) -> None:
        """] / [: highlight the next or previous related link."""
        if self.related_panel.move(delta) is None:
            self.app.notify("No related links for this passage.", timeout=3)

    def action_open_link(self) -> None:
        """Enter (in the reader): open the highlighted related link."""
        link = self.related_panel.highlighted_link
        if link is None:
            self.app.notify("No related link to open: ] and [ choose one.", timeout=3)
            return
        self.navigator.follow(link.target_article_id, link.target_passage_id)

    @on(RelatedPanel.LinkChosen)
    def _link_chosen(self, event: RelatedPanel.LinkChosen) -> None:
        self.navigator.follow(event.link.target_article_id, event.link.target_passage_id)

    # ----------------------------------------------------------------- navigation

    def action_search(self) -> None:
        """/: the search box."""
        self.remove_class("-hide-search")
        self.search_pane.focus_input()

    def action_back(self) -> None:
        """Esc/backspace: cancel indexing; in the search pane, leave it (the footer says "Back":
        typed text must not trap the user in the box); else go back to where a link was
        followed from, or to the search pane."""
        if self.cancel_indexing():
            return
        pane = self.search_pane
        if self.focused is not None and pane in self.focused.ancestors_with_self:
            if self.reader.article is not None:
                self.reader.focus()
            elif self.focused is pane.query_input and pane.results.option_count:
                pane.results.focus()
            return
        if self.navigator.back():
            return
        self.remove_class("-hide-search")
        if pane.results.option_count:
            pane.results.focus()
        else:
            pane.focus_input()

    def action_toggle_search(self) -> None:
        """F2: show or hide the search pane."""
        narrow_hidden = self.has_class("-narrow") and self.has_class("-reading")
        if narrow_hidden:
            self.remove_class("-hide-search")
            self.search_pane.focus_input()
            return
        self.toggle_class("-hide-search")
        if self.has_class("-hide-search"):
            self.reader.focus()

    def action_toggle_related(self) -> None:
        """F3: show or hide the related panel."""
        self.toggle_class("-hide-related")

    def action_side(self, direction: int) -> None:
        """< / >: make the related panel narrower or wider."""
        self.side_width = max(
            MIN_SIDE_WIDTH, min(MAX_SIDE_WIDTH, self.side_width + direction * SIDE_STEP)
        )

    # ----------------------------------------------------------------- story

    def action_story(self) -> None:
        """s: every outlet's article about this event, and their numbers side by side."""
        from tui.screens.story_screen import StoryChoice, StoryScreen

        article = self.reader.article
        if article is None:
            self.app.notify("Open an article first: the story view shows its event.", timeout=3)
            return
        try:
            view = self.services.story_for(article.id)
        except Exception as error:
            self.app.notify(f"Could not read the story: {error}", severity="error")
            return
        if view is None:
            self.app.notify(
                "No other outlet in this corpus covers this article's story (or the related "
                "passages are still being prepared).",
                timeout=5,
            )
            return

        def open_article(choice: StoryChoice | None) -> None:
            if choice is None:
                return
            target = self.navigator.article(choice.article_id)  # a read failure is notified
            if target is not None:
                self.navigator.jump(target, passage_id=choice.passage_id, flash=choice.flash)

        self.app.push_screen(StoryScreen(view, self.layout_options), open_article)

    # ----------------------------------------------------------------- bookmarks

    @on(Reader.BookmarkRequested)
    def _bookmark_requested(self, event: Reader.BookmarkRequested) -> None:
        self._bookmarks.request(event)

    def action_bookmarks(self) -> None:
        """M: the bookmarks list."""
        self._bookmarks.open_list()
