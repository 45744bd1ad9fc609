"""Related passages, claims and stories of a corpus, kept in SQLite beside the text index.

``links.sqlite`` sits in the corpus's index directory; the panel only looks things up
(:meth:`RelatedStore.links_for` is one indexed SELECT). What is stored is computed by
:mod:`index.related_pipeline`.

Incremental updates (:meth:`RelatedStore.apply_changes`, hooked to the index's ``ChangeSet`` by
:func:`attach`): the region to recompute is the changed articles, their neighbours and every
member of their stories; links of passages outside the region that point into it are rebuilt by
merging. The document frequencies behind idf and key terms are those of the last full build (a
handful of changed articles does not move them measurably); a full rebuild refreshes them.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any, TypeVar, cast

from index import parallel_related
from index.claims import Claim, Disagreement, NumbersRow
from index.claims_compare import disagreements, numbers_rows
from index.derived_db import is_damage, mark_damaged, open_derived
from index.models import Article, Span
from index.related import (
    Idf,
    Link,
    rank_links,
)
from index.related_pipeline import ArticleSource, RegionResult, compute_all, compute_region
from index.stories import (
    ArticleProfile,
    Story,
    neighbour_pairs,
    profile,
    similarities,
)

STORE_NAME = "links.sqlite"
#: Raised whenever what is computed changes (scoring, claims, stories), not only the tables: a
#: store of another version is dropped on open and recomputed, so no one reads links scored by
#: rules the code no longer has. 2: tiled phrase coverage, formulas, year frames, whole figures,
#: claim links on direct evidence; claims' localities, running totals and victim groups.
#: 3: story titles from a headline; claims: since-year periods, more toll phrasings, which
#: flags are close (one event surely) and which possible.
STORE_VERSION = "3"


# --------------------------------------------------------------------------------- storage

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS links (
    source_passage_id TEXT NOT NULL,
    rank INTEGER NOT NULL,
    source_article_id TEXT NOT NULL,
    target_passage_id TEXT NOT NULL,
    target_article_id TEXT NOT NULL,
    target_source TEXT,
    kind TEXT NOT NULL,
    score REAL NOT NULL,
    label TEXT NOT NULL,
    shared TEXT NOT NULL,
    PRIMARY KEY (source_passage_id, rank)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS links_target ON links (target_article_id);
CREATE INDEX IF NOT EXISTS links_source_article ON links (source_article_id);
CREATE TABLE IF NOT EXISTS stories (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, sources TEXT NOT NULL, article_ids TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS story_members (article_id TEXT PRIMARY KEY, story_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS story_members_story ON story_members (story_id);
CREATE TABLE IF NOT EXISTS claims (
    article_id TEXT NOT NULL, ordinal INTEGER NOT NULL, passage_id TEXT NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (article_id, ordinal)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS claims_passage ON claims (passage_id);
CREATE TABLE IF NOT EXISTS profiles (article_id TEXT PRIMARY KEY, data TEXT NOT NULL);
"""
_TABLES = ("links", "stories", "story_members", "claims", "profiles", "meta")


def _link_row(link: Link, rank: int) -> tuple[Any, ...]:
    return (
        link.source_passage_id,
        rank,
        link.source_passage_id.rsplit(":", 1)[0],
        link.target_passage_id,
        link.target_article_id,
        link.target_source,
        link.kind,
        link.score,
        link.label,
        json.dumps([[s.start, s.end, t.start, t.end] for s, t in link.shared]),
    )


def _link_from_row(row: Sequence[Any]) -> Link:
    return Link(
        source_passage_id=row[0],
        target_passage_id=row[1],
        target_article_id=row[2],
        target_source=row[3],
        kind=row[4],
        score=row[5],
        label=row[6],
        shared=tuple((Span(a, b), Span(c, d)) for a, b, c, d in json.loads(row[7])),
    )


def _claim_json(claim: Claim) -> str:
    data = asdict(claim)
    data["span"] = [claim.span.start, claim.span.end]
    for key in ("low", "high"):
        if data[key] == float("inf"):
            data[key] = "inf"
    return json.dumps(data, ensure_ascii=False)


def _claim_from_json(text: str) -> Claim:
    data = json.loads(text)
    data["span"] = Span(*data["span"])
    for key in ("low", "high"):
        data[key] = float(data[key])
    data["context_places"] = tuple(data.get("context_places", ()))
    data["context_months"] = tuple(data.get("context_months", ()))
    data["context_events"] = tuple(data.get("context_events", ()))
    data["comparable_passages"] = tuple(data.get("comparable_passages", ()))
    data["close_passages"] = tuple(data.get("close_passages", ()))
    data["context_localities"] = tuple(data.get("context_localities", ()))
    return Claim(**data)


WHAT = "related-passages store"


def _setup(db: sqlite3.Connection) -> None:
    """Pragmas and schema; a store of another version is emptied (recomputed by the catch-up)."""
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript(_SCHEMA)
    row = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
    if row is not None and row[0] != STORE_VERSION:
        for table in _TABLES:
            db.execute(f"DELETE FROM {table}")


_Method = TypeVar("_Method", bound=Callable[..., Any])


def _guarded(method: _Method) -> _Method:
    """A read or write that finds the file damaged marks it (the next open starts afresh) and raises
    :class:`index.derived_db.DerivedStoreDamaged` with a message for the user, not SQLite's traceback."""

    @functools.wraps(method)
    def read(self: RelatedStore, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as error:
            if not is_damage(error):
                raise
            raise mark_damaged(self.path, error, WHAT) from error

    return cast(_Method, read)


class RelatedStore:
    """The persisted links, claims and stories of one corpus index (``links.sqlite``).

    Reads are safe from any thread (one connection guarded by a lock; each read is a single
    indexed query). Writes happen in :meth:`rebuild` and :meth:`apply_changes`, one transaction
    each, so a reader sees the old state or the new one.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        #: set when the file was damaged and so started afresh: a sentence for the user
        self.recovered: str | None
        self._db, self.recovered = open_derived(path, _setup, WHAT)

    @classmethod
    def open(cls, index_dir: Path) -> RelatedStore:
        """The store beside the index in ``index_dir`` (created empty if missing)."""
        return cls(Path(index_dir) / STORE_NAME)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> RelatedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ reading
    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    @property
    @_guarded
    def is_built(self) -> bool:
        with self._lock:
            return self._meta("built") == "1"

    @_guarded
    def links_for(self, passage_id: str) -> list[Link]:
        """The ranked links of a passage (empty when no other outlet reports it)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT source_passage_id, target_passage_id, target_article_id, target_source, kind,"
                " score, label, shared FROM links WHERE source_passage_id = ? ORDER BY rank",
                (passage_id,),
            ).fetchall()
        return [_link_from_row(row) for row in rows]

    @_guarded
    def claims_for_article(self, article_id: str) -> list[Claim]:
        """Every claim of an article, guarded ones included (their ``guarded_reason`` says why)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT data FROM claims WHERE article_id = ? ORDER BY ordinal", (article_id,)
            ).fetchall()
        return [_claim_from_json(row[0]) for row in rows]

    @_guarded
    def story_of(self, article_id: str) -> Story | None:
        with self._lock:
            row = self._db.execute(
                "SELECT s.id, s.title, s.sources, s.article_ids FROM story_members m"
                " JOIN stories s ON s.id = m.story_id WHERE m.article_id = ?",
                (article_id,),
            ).fetchone()
        return None if row is None else _story_from_row(row)

    @_guarded
    def stories(self) -> list[Story]:
        """Every story (two articles or more), largest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, title, sources, article_ids FROM stories"
            ).fetchall()
        stories = [_story_from_row(row) for row in rows]
        stories.sort(key=lambda s: (-len(s.article_ids), s.id))
        return stories

    @_guarded
    def story(self, story_id: str) -> Story | None:
        with self._lock:
            row = self._db.execute(
                "SELECT id, title, sources, article_ids FROM stories WHERE id = ?", (story_id,)
            ).fetchone()
        return None if row is None else _story_from_row(row)

    @_guarded
    def story_claims(self, story_id: str) -> tuple[list[Claim], list[Disagreement]]:
        """All claims of a story's articles and the disagreements among the comparable ones:
        the story view's table (measure by outlet)."""
        story = self.story(story_id)
        if story is None:
            return [], []
        claims = [c for a in story.article_ids for c in self.claims_for_article(a)]
        return claims, disagreements(claims)

    @_guarded
    def numbers_for(self, passage_id: str) -> list[NumbersRow]:
        """The numbers row(s) under a passage: for each measure it states, every outlet's
        figure in the story and the disagreements (empty outside a story)."""
        article_id = passage_id.rsplit(":", 1)[0]
        story = self.story_of(article_id)
        own = self.claims_for_article(article_id)
        if story is None:
            return numbers_rows(passage_id, own)
        claims = [c for a in story.article_ids for c in self.claims_for_article(a)]
        return numbers_rows(passage_id, claims)

    @_guarded
    def profiles(self) -> dict[str, ArticleProfile]:
        with self._lock:
            rows = self._db.execute("SELECT article_id, data FROM profiles").fetchall()
        out: dict[str, ArticleProfile] = {}
        for article_id, data in rows:
            d = json.loads(data)
            out[article_id] = ArticleProfile(d["outlet"], d["day"], d["vector"])
        return out

    # ------------------------------------------------------------------ writing
    def _drop_all(self) -> None:
        for table in _TABLES:
            self._db.execute(f"DELETE FROM {table}")

    @_guarded
    def rebuild(self, articles: Sequence[Article]) -> RegionResult:
        """Recompute everything for ``articles`` (a full build)."""
        result, idf, df, n = compute_all(articles)
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._drop_all()
                self._write_region(result, {a.id for a in articles})
                self._set_meta("version", STORE_VERSION)
                self._set_meta("built", "1")
                self._set_meta(
                    "passage_df",
                    json.dumps({"n": idf.n, "df": idf.df}, ensure_ascii=False, sort_keys=True),
                )
                self._set_meta(
                    "article_df", json.dumps({"n": n, "df": df}, ensure_ascii=False, sort_keys=True)
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return result

    @_guarded
    def replace_with(self, path: Path) -> None:
        """Make this store a copy of the complete store file at ``path`` (computed by another
        process), in one transaction: readers see the old content or the new one."""
        source = sqlite3.connect(str(path))
        try:
            with self._lock:
                source.backup(self._db)
        finally:
            source.close()

    @_guarded
    def index_token(self) -> str | None:
        with self._lock:
            return self._meta("index_token")

    @_guarded
    def set_index_token(self, token: str | None) -> None:
        with self._lock:
            self._set_meta("index_token", token or "")

    def _set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def _write_region(self, result: RegionResult, region: set[str]) -> None:
        db = self._db
        db.executemany(
            "INSERT INTO links VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                _link_row(link, rank)
                for pid, links in result.links.items()
                if pid.rsplit(":", 1)[0] in region
                for rank, link in enumerate(links)
            ),
        )
        for story in result.stories:
            db.execute(
                "INSERT OR REPLACE INTO stories VALUES (?,?,?,?)",
                (
                    story.id,
                    story.title,
                    json.dumps(story.sources, ensure_ascii=False),
                    json.dumps(story.article_ids),
                ),
            )
            db.executemany(
                "INSERT OR REPLACE INTO story_members VALUES (?, ?)",
                ((a, story.id) for a in story.article_ids),
            )
        db.executemany(
            "INSERT INTO claims VALUES (?,?,?,?)",
            (
                (article_id, i, claim.passage_id, _claim_json(claim))
                for article_id, claims in result.claims.items()
                for i, claim in enumerate(claims)
            ),
        )
        db.executemany(
            "INSERT OR REPLACE INTO profiles VALUES (?, ?)",
            (
                (
                    a,
                    json.dumps(
                        {"outlet": p.outlet, "day": p.day, "vector": p.vector}, ensure_ascii=False
                    ),
                )
                for a, p in result.profiles.items()
            ),
        )

    @_guarded
    def apply_changes(
        self,
        added: Iterable[str],
        changed: Iterable[str],
        removed: Iterable[str],
        article: ArticleSource,
        all_articles: Callable[[], Sequence[Article]] | None = None,
        *,
        full_rebuild: bool = False,
    ) -> None:
        """Bring the store up to date after the index added/changed/removed these articles.

        ``article(id)`` returns an article of the new index. A full rebuild (or a store never
        built) needs ``all_articles``.
        """
        if full_rebuild or not self.is_built:
            if all_articles is None:
                raise ValueError("a full rebuild of the related store needs every article")
            self.rebuild(all_articles())
            return
        touched = set(added) | set(changed)
        gone = set(removed) | set(changed)
        if not touched and not gone:
            return
        with self._lock:
            pdf = json.loads(self._meta("passage_df") or '{"n": 1, "df": {}}')
            adf = json.loads(self._meta("article_df") or '{"n": 1, "df": {}}')
        idf = Idf(pdf["df"], pdf["n"])
        profiles = self.profiles()
        for article_id in gone:
            profiles.pop(article_id, None)
        loaded: dict[str, Article] = {}
        for article_id in touched:
            found = article(article_id)
            if found is not None:
                loaded[article_id] = found
                profiles[article_id] = profile(found, adf["df"], adf["n"])
        # the region: touched articles, their neighbours, and every member of their stories
        similarity = similarities(profiles, focus=list(loaded))
        region: set[str] = set(loaded)
        for x, y in neighbour_pairs(profiles, similarity, focus=list(loaded)):
            region.update((x, y))
        for article_id in list(region | gone):
            story = self.story_of(article_id)
            if story is not None:
                region.update(story.article_ids)
        region -= set(removed)
        region &= set(profiles)
        for article_id in region:
            if article_id not in loaded:
                found = article(article_id)
                if found is not None:
                    loaded[article_id] = found
        region &= set(loaded)
        # outside neighbours of the region: their texts are needed for the pairs
        similarity = similarities(profiles, focus=sorted(region))
        outside: set[str] = set()
        for x, y in neighbour_pairs(profiles, similarity, focus=sorted(region)):
            outside.update(a for a in (x, y) if a not in region)
        for article_id in outside:
            if article_id not in loaded:
                found = article(article_id)
                if found is not None:
                    loaded[article_id] = found
        outside &= set(loaded)
        result = compute_region(
            [loaded[a] for a in sorted(region)], [loaded[a] for a in sorted(outside)], profiles, idf
        )
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._replace_region(result, region, gone | region)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def _replace_region(self, result: RegionResult, region: set[str], stale: set[str]) -> None:
        db = self._db
        stale_list = sorted(stale)
        chunk = 500
        affected_outside: set[str] = set()
        for i in range(0, len(stale_list), chunk):
            part = stale_list[i : i + chunk]
            marks = ",".join("?" * len(part))
            for (pid,) in db.execute(
                f"SELECT DISTINCT source_passage_id FROM links WHERE target_article_id IN ({marks})",
                part,
            ).fetchall():
                if pid.rsplit(":", 1)[0] not in stale:
                    affected_outside.add(pid)
            db.execute(f"DELETE FROM links WHERE source_article_id IN ({marks})", part)
            db.execute(f"DELETE FROM claims WHERE article_id IN ({marks})", part)
            db.execute(f"DELETE FROM profiles WHERE article_id IN ({marks})", part)
            story_ids = {
                row[0]
                for row in db.execute(
                    f"SELECT story_id FROM story_members WHERE article_id IN ({marks})",
                    part,
                ).fetchall()
            }
            for story_id in story_ids:
                db.execute("DELETE FROM stories WHERE id = ?", (story_id,))
                db.execute("DELETE FROM story_members WHERE story_id = ?", (story_id,))
        # passages outside the region: keep their links that do not point into the stale set,
        # add the new ones pointing into the region, re-rank
        for pid in result.links:
            if pid.rsplit(":", 1)[0] not in region:
                affected_outside.add(pid)
        for pid in sorted(affected_outside):
            kept = [link for link in self.links_for(pid) if link.target_article_id not in stale]
            new = result.links.get(pid, [])
            db.execute("DELETE FROM links WHERE source_passage_id = ?", (pid,))
            db.executemany(
                "INSERT INTO links VALUES (?,?,?,?,?,?,?,?,?,?)",
                (_link_row(link, rank) for rank, link in enumerate(rank_links([*kept, *new]))),
            )
        self._write_region(result, region)


class ParallelRelatedError(RuntimeError):
    """The second process of a full build failed; the store was computed in-process instead
    (raised after that, so the index reports it in ``UpdateResult.hook_errors``)."""


def index_token(index_dir: Path) -> str | None:
    """What identifies the state of the text index in ``index_dir``: its live generation and
    manifest (rewritten by every commit). ``None`` when there is no live index."""
    import hashlib

    from index.manifest import MANIFEST_NAME
    from index.store_generation import read_pointer

    generation = read_pointer(Path(index_dir))
    if generation is None:
        return None
    try:
        manifest = (generation / MANIFEST_NAME).read_bytes()
    except OSError:
        return None
    return f"{generation.name}:{hashlib.sha256(manifest).hexdigest()[:16]}"


class RelatedSync:
    """Keeps a :class:`RelatedStore` in step with a ``CorpusIndex``.

    Register it with ``index.add_change_listener(sync)`` *before* ``index.update()``: each
    ``ChangeSet`` is applied incrementally. :meth:`ensure` catches up with an index that changed
    while no listener was attached (another process, an older version): the store records the
    index state it was computed from and rebuilds when that is not the live one.
    """

    def __init__(self, store: RelatedStore, index: Any, *, parallel: bool = True) -> None:
        self.store = store
        self.index = index
        self.parallel = parallel
        self._pending: parallel_related.RelatedBuild | None = None
        self._start_error: str | None = None

    def begin_full_build(self, articles: Sequence[Article]) -> None:
        """The index starts a full build of ``articles``: compute the store from them in a
        second process meanwhile (see :mod:`index.parallel_related`)."""
        self.abort_full_build()
        if not self.parallel:
            return
        try:
            self._pending = parallel_related.start(articles, self.index.directory)
        except OSError as error:  # no process could be started: compute after the build
            self._start_error = f"could not start the related-passages process ({error})"

    def abort_full_build(self) -> None:
        """The full build failed or was cancelled: stop the second process."""
        pending, self._pending = self._pending, None
        self._start_error = None
        if pending is not None:
            parallel_related.abort(pending)

    def _finish_parallel(self, pending: parallel_related.RelatedBuild) -> str | None:
        """Install the store the second process computed; why not, when it failed."""
        try:
            problem = parallel_related.wait(pending)
        except BaseException:  # interrupted while waiting (Ctrl-C): leave nothing behind
            parallel_related.abort(pending)
            raise
        if problem is not None:
            return problem
        try:
            self.store.replace_with(pending.temp_path)
        except sqlite3.Error as error:
            return f"could not install the related-passages store ({error})"
        finally:
            parallel_related.discard(pending)
        self.store.set_index_token(index_token(self.index.directory))
        return None

    def __call__(self, changes: Any) -> None:
        pending, self._pending = self._pending, None
        problem, self._start_error = self._start_error, None
        if pending is not None and not changes.full_rebuild:
            parallel_related.abort(pending)
        elif pending is not None:
            problem = self._finish_parallel(pending)
            if problem is None:
                return
        self.store.apply_changes(
            changes.added,
            changes.changed,
            changes.removed,
            self.index.article,
            lambda: list(self.index.articles()),
            full_rebuild=changes.full_rebuild,
        )
        self.store.set_index_token(index_token(self.index.directory))
        if problem is not None and changes.full_rebuild:
            raise ParallelRelatedError(f"{problem}; computed them in this process instead")

    def ensure(self) -> bool:
        """Rebuild the store if it was not computed from the live index; True if it did."""
        token = index_token(self.index.directory)
        if token is None or (self.store.is_built and self.store.index_token() == token):
            return False
        self.store.rebuild(list(self.index.articles()))
        self.store.set_index_token(token)
        return True


def attach(index: Any) -> RelatedStore:
    """Open the related store of ``index`` (a ``CorpusIndex``), keep it in step with the
    index's future updates, and catch up now if needed (may take a while on a big corpus: call
    from a worker)."""
    store = RelatedStore.open(index.directory)
    sync = RelatedSync(store, index)
    index.add_change_listener(sync)
    sync.ensure()
    return store


def _story_from_row(row: Sequence[Any]) -> Story:
    return Story(
        id=row[0],
        title=row[1],
        sources=tuple(json.loads(row[2])),
        article_ids=tuple(json.loads(row[3])),
    )


def store_path(index_dir: Path) -> Path:
    return Path(index_dir) / STORE_NAME


def links_as_json(links: Iterable[Link]) -> list[dict[str, Any]]:
    """Links as the CLI prints them (see ``tui.commands.related_cmd``)."""
    return [
        {
            "target_passage_id": link.target_passage_id,
            "target_article_id": link.target_article_id,
            "target_source": link.target_source,
            "kind": link.kind,
            "score": link.score,
            "percent": link.percent,
            "label": link.label,
            "shared": [
                {"source": [s.start, s.end], "target": [t.start, t.end]} for s, t in link.shared
            ],
        }
        for link in links
    ]


__all__ = [
    "ParallelRelatedError",
    "RegionResult",
    "RelatedStore",
    "RelatedSync",
    "attach",
    "compute_all",
    "compute_region",
    "index_token",
    "links_as_json",
    "store_path",
]
