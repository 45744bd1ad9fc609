"""The cross-source commands' JSON is the format README.md documents (related, claims, stories)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli import main

CLAIM_KEYS = {
    "passage_id",
    "article_id",
    "source",
    "measure",
    "low",
    "high",
    "value_text",
    "span",
    "approximate",
    "guarded_reason",
}
DISAGREEMENT_KEYS = {"measure", "first", "second", "close"}


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main(list(argv)) == 0
    document = json.loads(capsys.readouterr().out)
    assert isinstance(document, dict)
    return document


def test_stories_claims_and_related_json(
    newsreader_home: Path, seeds_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stories = run_json(capsys, "stories", "--json")["stories"]
    [story] = stories  # the seeds are one story
    assert {"id", "title", "sources", "article_ids"} <= set(story)
    article_id = next(a for a in story["article_ids"] if a.startswith("002"))

    claims = run_json(capsys, "claims", article_id, "--json")
    assert claims["article_id"] == article_id and claims["story_id"] == story["id"]
    texts = {p.stem: p.read_text(encoding="utf-8") for p in seeds_dir.glob("*.txt")}
    for claim in claims["claims"]:
        assert set(claim) == CLAIM_KEYS
    assert claims["disagreements"]
    for disagreement in claims["disagreements"]:
        assert set(disagreement) == DISAGREEMENT_KEYS
        assert isinstance(disagreement["close"], bool)
        assert article_id in {
            disagreement["first"]["article_id"],
            disagreement["second"]["article_id"],
        }
    toll = next(c for c in claims["claims"] if c["value_text"] == "89")
    assert toll["measure"] == "killed" and toll["low"] == 89 and toll["high"] == 89
    assert texts[article_id] and toll["passage_id"].startswith(article_id + ":")

    related = run_json(capsys, "related", toll["passage_id"], "--json")
    assert related["links"] and related["numbers"]
    for row in related["numbers"]:
        assert {"measure", "claims", "disagreements"} <= set(row)
        for disagreement in row["disagreements"]:
            assert set(disagreement) == DISAGREEMENT_KEYS
    for link in related["links"]:
        assert link["target_article_id"] != article_id
        assert {"kind", "score", "percent", "label", "shared"} <= set(link)


def test_claims_text_shows_a_date_as_month_and_day(
    newsreader_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A date is compared as MMDD, but a reader must not see "103" for 3 January."""
    assert main(["claims", "004_f96fd85b3ed2acb1"]) == 0
    dates = [line for line in capsys.readouterr().out.splitlines() if line.startswith("date ")]
    assert dates and all("month " in line and ", day " in line for line in dates)
    assert not any(" 103 " in line for line in dates)
