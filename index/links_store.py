"""Related passages, claims and stories of a corpus, kept in SQLite beside the text index.

``links.sqlite`` sits in the corpus's index directory; the panel only looks things up
(:meth:`RelatedStore.links_for` is one indexed SELECT). What is stored is computed by
:mod:`index.related_pipeline`.

Incremental updates (:meth:`RelatedStore.apply_changes`, hooked to the index's ``ChangeSet`` by
:class:`index.related_sync.RelatedSync`): the region to recompute is the changed articles, their neighbours and every
member of their stories; links of passages outside the region that point into it are rebuilt by
merging. The document frequencies behind idf and key terms are those of the last full build (a
handful of changed articles does not move them measurably); a full rebuild refreshes them.

Catching up takes minutes on a large corpus, so the long operations hear a :data:`Report` hook
and a ``cancel`` event: the app shows their progress and Esc stops them. A stopped computation
raises :class:`index.related_sync.RelatedStopped` before anything is written, so the store keeps
what it had (and the index state it was computed from): the next
:meth:`index.related_sync.RelatedSync.ensure` catches up again. Keeping the store in step with
the index — when to patch, when to recompute, one computation at a time — is
:mod:`index.related_sync`.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast

from index.claims import Claim, Disagreement, NumbersRow
from index.claims_compare import disagreements, numbers_rows
from index.derived_db import is_damage, mark_damaged, open_derived
from index.links_rows import (
    SCHEMA,
    TABLES,
    claim_from_json,
    claim_json,
    link_from_row,
    link_row,
    links_as_json,
    story_from_row,
)
from index.models import Article
from index.related import (
    Idf,
    Link,
    rank_links,
)
from index.related_pipeline import (
    ArticleSource,
    RegionResult,
    Report,
    compute_all,
    compute_region,
)
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
#: flags are close (one event surely) and which possible. 4: vague figures (عشرات: 10–99) and
#: the group a count is of (ranks, sides, "آخرون"), fronts as places.
STORE_VERSION = "4"


# --------------------------------------------------------------------------------- storage

WHAT = "related-passages store"


def _setup(db: sqlite3.Connection) -> None:
    """Pragmas and schema; a store of another version is emptied (recomputed by the catch-up)."""
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript(SCHEMA)
    row = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
    if row is not None and row[0] != STORE_VERSION:
        for table in TABLES:
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
        return [link_from_row(row) for row in rows]

    @_guarded
    def claims_for_article(self, article_id: str) -> list[Claim]:
        """Every claim of an article, guarded ones included (their ``guarded_reason`` says why)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT data FROM claims WHERE article_id = ? ORDER BY ordinal", (article_id,)
            ).fetchall()
        return [claim_from_json(row[0]) for row in rows]

    @_guarded
    def story_of(self, article_id: str) -> Story | None:
        with self._lock:
            row = self._db.execute(
                "SELECT s.id, s.title, s.sources, s.article_ids FROM story_members m"
                " JOIN stories s ON s.id = m.story_id WHERE m.article_id = ?",
                (article_id,),
            ).fetchone()
        return None if row is None else story_from_row(row)

    @_guarded
    def stories(self) -> list[Story]:
        """Every story (two articles or more), largest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, title, sources, article_ids FROM stories"
            ).fetchall()
        stories = [story_from_row(row) for row in rows]
        stories.sort(key=lambda s: (-len(s.article_ids), s.id))
        return stories

    @_guarded
    def story(self, story_id: str) -> Story | None:
        with self._lock:
            row = self._db.execute(
                "SELECT id, title, sources, article_ids FROM stories WHERE id = ?", (story_id,)
            ).fetchone()
        return None if row is None else story_from_row(row)

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
        for table in TABLES:
            self._db.execute(f"DELETE FROM {table}")

    @_guarded
    def rebuild(self, articles: Sequence[Article], report: Report | None = None) -> RegionResult:
        """Recompute everything for ``articles`` (a full build). ``report`` hears the progress
        and may raise to stop before anything is written (see :data:`Report`)."""
        result, idf, df, n = compute_all(articles, report)
        if report is not None:
            report("saving", 0, 1)
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
                link_row(link, rank)
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
                (article_id, i, claim.passage_id, claim_json(claim))
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
        report: Report | None = None,
    ) -> None:
        """Bring the store up to date after the index added/changed/removed these articles.

        ``article(id)`` returns an article of the new index. A full rebuild (or a store never
        built) needs ``all_articles``. ``report`` hears the progress and may stop the work
        before anything is written (see :data:`Report`).
        """
        if full_rebuild or not self.is_built:
            if all_articles is None:
                raise ValueError("a full rebuild of the related store needs every article")
            self.rebuild(all_articles(), report)
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
            [loaded[a] for a in sorted(region)],
            [loaded[a] for a in sorted(outside)],
            profiles,
            idf,
            report=report,
        )
        if report is not None:
            report("saving", 0, 1)
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
                (link_row(link, rank) for rank, link in enumerate(rank_links([*kept, *new]))),
            )
        self._write_region(result, region)


def store_path(index_dir: Path) -> Path:
    return Path(index_dir) / STORE_NAME


__all__ = [
    "RegionResult",
    "RelatedStore",
    "compute_all",
    "compute_region",
    "links_as_json",
    "store_path",
]
