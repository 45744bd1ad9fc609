"""The core, as the app sees it: one typed container holding every store the app talks to.

Widgets never do I/O; screens call these methods, from thread workers when they may be slow.
Opening is split in two so the first frame comes first: :func:`open_services` only resolves
paths and reads nothing heavy (no Whoosh import), and :meth:`Services.open` — run by the app in
a worker right after the first frame — opens the index, the bookmarks database and the related
store. Every failure becomes a sentence in ``notices`` for the user, never an exception that
stops the app.

The slow work reports progress and stops on a ``cancel`` event (the app's progress bar and Esc):
:meth:`Services.update_index` (reading, indexing, then the related passages of the changes) and
:meth:`Services.catch_up_related` (recomputing a related store that is behind the index).
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from index import paths as index_paths
from index.derived_db import DerivedStoreDamaged
from index.models import Article, Passage, Span
from tui.config import Config
from tui.reading_position import PositionStore, ReadingPosition

if TYPE_CHECKING:
    from index.bookmarks import Bookmark, BookmarkStore
    from index.claims import Claim, Disagreement, NumbersRow
    from index.related import Link
    from index.related_sync import RelatedSync
    from index.search import SearchResult
    from index.store import BuildProgress, CorpusIndex, UpdateResult
    from index.store_changes import ChangeSet

ARTICLE_CACHE_SIZE = 64
SEARCH_LIMIT = 20
#: How many of the newest articles the search pane lists before anything is typed.
LATEST_LIMIT = 50
MIN_PREFIX = 3
"""Letters the last word needs before it is searched as a prefix."""

RELATED_PREPARING = (
    "Related passages are being prepared (progress at the bottom; Esc stops it). "
    "They appear here when ready."
)
RELATED_STOPPED = (
    "Related passages were stopped before they were ready. Press ctrl+r to prepare them "
    "(the next start does too)."
)

RelatedReport = Callable[[str, int, int], None]
"""``report(phase, done, total)`` of a related-passages computation (total 0: not counted)."""


@dataclass(frozen=True, slots=True)
class RelatedLink:
    """A link with the target passage resolved, ready for the related panel."""

    link: Link
    target: Passage
    target_title: str


@dataclass(frozen=True, slots=True)
class RelatedResult:
    """What the related panel shows for one passage, or why it shows nothing."""

    passage_id: str
    links: tuple[RelatedLink, ...] = ()
    numbers: tuple[NumbersRow, ...] = ()
    message: str | None = None
    #: the store was found damaged and dropped: the app opens it again (which recomputes it)
    reopen: bool = False
    #: article id -> title of the articles the numbers rows quote (names outlet-less ones)
    titles: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StoryView:
    """One story (the articles of one event across outlets) with its claims, for the story view."""

    story_id: str
    title: str
    articles: tuple[Article, ...]
    claims: tuple[Claim, ...]
    disagreements: tuple[Disagreement, ...]


@dataclass
class Services:
    """The stores behind the app, opened once; safe to call from worker threads."""

    corpus_paths: tuple[Path, ...]
    config: Config
    positions: PositionStore
    index: CorpusIndex | None = None
    bookmarks: BookmarkStore | None = None
    related: object | None = None
    """The related-passages store (``index.links_store.RelatedStore``) once it exists."""
    related_sync: RelatedSync | None = None
    """What keeps :attr:`related` in step with the index (its catch-up, its progress hooks)."""
    related_stopped: bool = False
    """The user stopped a related-passages computation: the store is behind until ctrl+r (or
    the next start) prepares it; the panel says so instead of "being prepared"."""
    notices: list[str] = field(default_factory=list)
    """Problems met while opening, as sentences for the user (shown as notifications)."""
    _articles: OrderedDict[str, Article] = field(default_factory=OrderedDict)
    _lock: threading.RLock = field(default_factory=threading.RLock)
    _update_hooks: tuple[RelatedReport, threading.Event] | None = None
    """The running update's related-passages progress and cancel (see :meth:`update_index`)."""

    @property
    def corpus_key(self) -> str:
        """The corpus's stable name (the index directory's), keying the reading position."""
        return index_paths.corpus_key(list(self.corpus_paths))

    @property
    def is_open(self) -> bool:
        return self.index is not None

    # ------------------------------------------------------------------ opening

    def open(self) -> list[str]:
        """Open the index, bookmarks and related stores (slow imports: call it in a worker)."""
        from index.store import CorpusIndex

        notices: list[str] = []
        if self.index is None:
            self.index = CorpusIndex.open(list(self.corpus_paths))
            status = self.index.status
            if status.message:
                notices.append(f"Index: {status.message}.")
        if self.bookmarks is None:
            try:
                from index.bookmarks import BookmarkStore, BookmarkStoreError

                try:
                    self.bookmarks = BookmarkStore.open_default()
                    if self.bookmarks.warning is not None:
                        notices.append(self.bookmarks.warning.message)
                except BookmarkStoreError as error:
                    notices.append(
                        f"Bookmarks are unavailable: {error}. Close other newsreaders and restart."
                    )
            except ImportError as error:
                notices.append(f"Bookmarks are unavailable in this build ({error}).")
        if self.positions.problem:
            notices.append(self.positions.problem)
        self.notices.extend(notices)
        return notices

    def open_related(self, *, catch_up: bool = True) -> list[str]:
        """Attach the related-passages store to the index, catching up if the index moved on.

        The app passes ``catch_up=False``: attaching is quick (opening SQLite), and it runs
        :meth:`catch_up_related` next with a progress bar and Esc, since catching up can take
        minutes on a large corpus.
        """
        if self.related is not None or self.index is None:
            return []
        try:
            from index.links_store import RelatedStore
            from index.related_sync import RelatedSync

            sync = RelatedSync(RelatedStore.open(self.index.directory), self.index)
            with self._lock:  # an update may be running: its ChangeSet reports like the rest
                if self._update_hooks is not None:
                    sync.watch(*self._update_hooks)
                self.index.add_change_listener(sync)
                self.related_sync = sync
            if catch_up:
                sync.ensure()
            self.related = sync.store
        except Exception as error:  # a damaged store must not stop reading
            self.related_sync = None
            message = f"Related passages are unavailable: {error}. ctrl+r re-indexes."
            self.notices.append(message)
            return [message]
        recovered: str | None = getattr(self.related, "recovered", None)
        if recovered:
            self.notices.append(recovered)
            return [f"{recovered}."]
        return []

    def related_behind(self) -> bool:
        """Whether the related store was not computed from the live index (a catch-up is due)."""
        sync = self.related_sync
        if sync is None:
            return False
        try:
            return sync.needs_catch_up()
        except Exception:  # a damaged store: its next read in related_for says so
            return False

    def catch_up_related(self, report: RelatedReport, cancel: threading.Event) -> bool:
        """Recompute the related store if it is behind the index; False when ``cancel`` stopped
        it (the store is left as it was and the next catch-up starts again)."""
        sync = self.related_sync
        if sync is None:
            return True
        from index.related_sync import RelatedStopped

        try:
            sync.ensure(report, cancel)
        except RelatedStopped:
            self.related_stopped = True
            return False
        self.related_stopped = False
        return True

    def _drop_related(self) -> None:
        """Forget a store found damaged (it marked itself: the next open starts afresh)."""
        self.related_sync = None
        store, self.related = self.related, None
        close = getattr(store, "close", None)
        if callable(close):
            with contextlib.suppress(Exception):
                close()

    def close(self) -> None:
        """Close every store (on app exit)."""
        for store in (self.index, self.bookmarks, self.related):
            close = getattr(store, "close", None)
            if callable(close):
                with contextlib.suppress(Exception):  # at exit: nothing useful to tell the user
                    close()

    # ------------------------------------------------------------------ index

    def needs_update(self) -> bool:
        """Whether the index must be built or brought up to date (reads file stats)."""
        return self.index is None or self.index.needs_update()

    def update_index(
        self, progress: Callable[[BuildProgress], None], cancel: threading.Event
    ) -> UpdateResult:
        """Build or update the index; on ``cancel`` the old index stays live.

        Once the new index is live its related passages are computed (phases ``"related:…"``
        reach ``progress``): the article cache is dropped then, so the app can search and reload
        the open article while they are computed. ``cancel`` during that phase stops only the
        related passages (:attr:`related_stopped`); the new index stays.
        """
        from index.store import BuildProgress

        if self.index is None:
            self.open()
        assert self.index is not None
        live = threading.Event()

        def related(phase: str, done: int, total: int) -> None:
            if not live.is_set():
                live.set()
                self._forget_articles()  # the index swapped: cached articles may be old
            progress(BuildProgress(f"related:{phase}", done, total))

        stopped = False
        with self._lock:
            self._update_hooks = (related, cancel)
            if self.related_sync is not None:
                self.related_sync.watch(related, cancel)
        try:
            result = self.index.update(progress=progress, cancel=cancel)
        finally:
            with self._lock:
                self._update_hooks = None
                sync = self.related_sync
                if sync is not None:
                    stopped = sync.stopped
                    sync.watch(None, None)
        if sync is not None and stopped:
            self.related_stopped = True
        elif sync is not None and not sync.behind:
            self.related_stopped = False
        self._forget_articles()
        if not result.cancelled:
            self.reanchor_changed(result.changes)
        return result

    def _forget_articles(self) -> None:
        with self._lock:
            self._articles.clear()

    @property
    def has_index(self) -> bool:
        """Whether a usable index is open (False while a new corpus is first indexed)."""
        return self.index is not None and self.index.status.usable

    def article_count(self) -> int:
        return self.index.article_count() if self.index is not None else 0

    def search(self, query: str, limit: int = SEARCH_LIMIT) -> SearchResult:
        """Ranked hits (or a user-facing error) for ``query``."""
        from index.search import SearchResult

        if self.index is None:
            return SearchResult(query, error="The index is still opening; try again in a moment.")
        words = query.split()
        # Expand the last word as a prefix while it is being typed, but not a one- or
        # two-letter stub (ال would expand to most of the vocabulary); a trailing space says
        # the word is complete.
        prefix_last = bool(words) and not query.endswith(" ") and len(words[-1]) >= MIN_PREFIX
        return self.index.search(query, limit=limit, prefix_last=prefix_last)

    def latest(self, limit: int = LATEST_LIMIT) -> SearchResult:
        """The newest articles, as results of the empty query (see :func:`index.search.latest`)."""
        from index.search import SearchResult

        if self.index is None:
            return SearchResult("", error="The index is still opening; try again in a moment.")
        return self.index.latest(limit=limit)

    def article(self, article_id: str) -> Article | None:
        """An article by id, from a small LRU (the index re-parses stored fields each time)."""
        with self._lock:
            cached = self._articles.get(article_id)
            if cached is not None:
                self._articles.move_to_end(article_id)
                return cached
        if self.index is None:
            return None
        article = self.index.article(article_id)
        if article is not None:
            with self._lock:
                self._articles[article_id] = article
                while len(self._articles) > ARTICLE_CACHE_SIZE:
                    self._articles.popitem(last=False)
        return article

    # ------------------------------------------------------------------ related

    def related_for(self, passage: Passage) -> RelatedResult:
        """Links from ``passage`` to other outlets, with target passages, plus numbers rows."""
        store = self.related
        links: list[RelatedLink] = []
        try:
            if store is None or not store.is_built:  # type: ignore[attr-defined]
                message = RELATED_STOPPED if self.related_stopped else RELATED_PREPARING
                return RelatedResult(passage.id, message=message)
            with self._lock:
                raw_links: Sequence[Link] = store.links_for(passage.id)  # type: ignore[attr-defined]
                numbers: Sequence[NumbersRow] = store.numbers_for(passage.id)  # type: ignore[attr-defined]
        except DerivedStoreDamaged as error:
            self._drop_related()
            return RelatedResult(passage.id, message=f"{error}.", reopen=True)
        for link in raw_links:
            target_article = self.article(link.target_article_id)
            target = target_article.passage(link.target_passage_id) if target_article else None
            if target_article is None or target is None:
                continue  # the index moved on since the links were computed: skip, don't guess
            links.append(RelatedLink(link, target, target_article.title))
        titles: dict[str, str] = {}
        for row in numbers:
            for claim in row.claims:
                if claim.source is None and claim.article_id not in titles:
                    quoted = self.article(claim.article_id)
                    titles[claim.article_id] = quoted.title if quoted else ""
        return RelatedResult(passage.id, tuple(links), tuple(numbers), titles=titles)

    def story_for(self, article_id: str) -> StoryView | None:
        """The story an article belongs to, with its members and claims (None: no story)."""
        store = self.related
        try:
            if store is None or not store.is_built:  # type: ignore[attr-defined]
                return None
            with self._lock:
                story = store.story_of(article_id)  # type: ignore[attr-defined]
                if story is None:
                    return None
                claims, disagreements = store.story_claims(story.id)  # type: ignore[attr-defined]
        except DerivedStoreDamaged:
            self._drop_related()  # the panel says so on the next passage it shows
            return None
        articles = tuple(a for a in map(self.article, story.article_ids) if a is not None)
        return StoryView(story.id, story.title, articles, tuple(claims), tuple(disagreements))

    # ------------------------------------------------------------------ bookmarks

    def add_bookmark(
        self, article: Article, passage: Passage, span: Span | None, note: str, tags: str
    ) -> Bookmark:
        """Store a passage or span bookmark (raises ValueError/BookmarkStoreError on failure)."""
        from index.bookmarks import Bookmark, parse_tags

        if self.bookmarks is None:
            raise RuntimeError("the bookmarks database is not open")
        tag_list = parse_tags(tags)
        if span is None:
            record = Bookmark.for_passage(article, passage.id, note=note, tags=tag_list)
        else:
            record = Bookmark.for_span(article, span.start, span.end, note=note, tags=tag_list)
        return self.bookmarks.add(record)

    def existing_bookmark(
        self, article: Article, passage: Passage, span: Span | None
    ) -> Bookmark | None:
        """A bookmark already keeping this passage (or this very span) of ``article``'s file."""
        if self.bookmarks is None:
            return None
        from index.anchoring import same_file

        for bookmark in self.bookmarks.for_article(article.id):
            if bookmark.status == "detached" or not same_file(bookmark.article_path, article.path):
                continue
            if bookmark.article_hash != article.content_hash:
                continue  # another version of the text: its offsets say nothing here
            if span is None and bookmark.kind == "passage" and bookmark.passage_id == passage.id:
                return bookmark
            if span is not None and (bookmark.start, bookmark.end) == (span.start, span.end):
                return bookmark
        return None

    def marked_passages(self, article_id: str, article: Article | None = None) -> set[str]:
        """Passages of an article that carry a bookmark.

        Given the ``article`` as the index has it now, only bookmarks made on that article's
        own file count (a same-named file of another corpus is another article), and those
        made on another version of its text are re-anchored in memory, so the dots follow the
        text even before :meth:`reanchor_changed` has stored the new positions.
        """
        if self.bookmarks is None:
            return set()
        if article is None:
            return self.bookmarks.passages_marked(article_id)
        from index.anchoring import reanchor, same_file

        marked: set[str] = set()
        for bookmark in self.bookmarks.for_article(article_id):
            if not same_file(bookmark.article_path, article.path):
                continue
            if bookmark.article_hash != article.content_hash:
                bookmark = reanchor(bookmark, article).bookmark
            if bookmark.status != "detached":
                marked.add(bookmark.passage_id)
        return marked

    def reanchor_changed(self, changes: ChangeSet) -> int:
        """Re-anchor, and store, the bookmarks of the articles an index update added or changed.

        Called once an update is live, so the bookmarks screen, ``bookmarks list`` and exports
        say at once that a quote moved, changed (``"changed"``) or is gone (``"detached"``).
        Only positions and statuses are written, each bookmark only against the article at its
        own path (:meth:`BookmarkStore.reanchor_all`); the quote is never touched. A failure
        becomes a notice: the index update itself succeeded. Returns how many were updated.
        """
        store = self.bookmarks
        ids = set(changes.added) | set(changes.changed)
        if store is None or self.index is None or not ids:
            return 0
        index = self.index
        try:
            wanted = {b.article_id for b in store.list()} & ids
            if not wanted:
                return 0
            articles = {i: a for i in wanted if (a := index.article(i)) is not None}
            report = store.reanchor_all(articles.get)
        except Exception as error:  # a busy or damaged store must not fail the update
            self.notices.append(f"Bookmarks were not re-anchored after indexing: {error}.")
            return 0
        return len(report.changed)

    # ------------------------------------------------------------------ position

    def load_position(self) -> ReadingPosition | None:
        return self.positions.load(self.corpus_key)

    def save_position(self, position: ReadingPosition) -> None:
        self.positions.save(self.corpus_key, position)


def corpus_paths_for(paths: Sequence[Path], config: Config) -> tuple[Path, ...]:
    """What to open: the paths given, else the config's default corpus, else the seeds."""
    if paths:
        return tuple(Path(p).expanduser() for p in paths)
    if config.default_corpus:
        return config.default_corpus
    return (index_paths.seeds_dir(),)


def open_services(paths: Sequence[Path], config: Config) -> Services:
    """The app's services for a corpus; cheap (nothing heavy is imported or opened here)."""
    positions = PositionStore(index_paths.data_dir() / "position.json")
    return Services(corpus_paths_for(paths, config), config, positions)
