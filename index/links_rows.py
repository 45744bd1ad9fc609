"""The rows of ``links.sqlite``: its tables, and links, claims and stories to and from rows.

Kept apart from :class:`index.links_store.RelatedStore` (which decides what is read and
written when) so the on-disk shape can be read in one place. A change here that old stores
cannot be read with needs a new ``STORE_VERSION`` in :mod:`index.links_store`: a store of
another version is dropped and recomputed, never misread.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from typing import Any

from index.claims import Claim
from index.models import Span
from index.related import Link
from index.stories import Story

SCHEMA = """
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
TABLES = ("links", "stories", "story_members", "claims", "profiles", "meta")


def link_row(link: Link, rank: int) -> tuple[Any, ...]:
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


def link_from_row(row: Sequence[Any]) -> Link:
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


def claim_json(claim: Claim) -> str:
    data = asdict(claim)
    data["span"] = [claim.span.start, claim.span.end]
    for key in ("low", "high"):
        if data[key] == float("inf"):
            data[key] = "inf"
    return json.dumps(data, ensure_ascii=False)


def claim_from_json(text: str) -> Claim:
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


def story_from_row(row: Sequence[Any]) -> Story:
    return Story(
        id=row[0],
        title=row[1],
        sources=tuple(json.loads(row[2])),
        article_ids=tuple(json.loads(row[3])),
    )


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
