"""``newsreader related PASSAGE_ID``, ``newsreader claims ARTICLE_ID``, ``newsreader stories``.

Cross-source reading from the shell: the passages of other outlets that report what a passage
reports, the quantified claims of an article and where outlets disagree on them, and the
stories (one event, several outlets) of the corpus. Each takes ``--corpus PATH...`` (default:
the bundled seeds) and ``--json``. The index and its related store are built on first use and
brought up to date first. An unknown id is an error (stderr, exit status 1).

JSON output, stable — fields are only ever added. Offsets are ``[start, end)`` code-point
offsets into the named article's clean text (``newsreader passages ARTICLE_ID`` shows it).

``newsreader related PASSAGE_ID --json``::

    {
      "passage_id": "000_f9b92358ab5c809d:7",
      "links": [                          // best per outlet first, at most 6; [] = no other
        {                                 //  outlet reports this passage
          "target_passage_id": "001_59676fb50e180bdc:5",
          "target_article_id": "001_59676fb50e180bdc",
          "target_source": "CNN",         // null when the article does not state its source
          "target_title": "…",
          "target_text": "…",             // the target passage, logical order
          "kind": "same wording",         // or "same fact", "same numbers"
          "score": 0.72,                  // in [0, 1]
          "percent": 72,
          "label": "strong",              // "strong" >= 0.60 > "likely" >= 0.42 > "possible"
          "shared": [                     // equal phrases (or the compared numbers)
            {"source": [812, 870], "target": [301, 359]}   // source: this passage's article
          ]
        }
      ],
      "numbers": [                        // the numbers row: every outlet's figure in the story
        {
          "measure": "killed",            // killed | injured | arrested | distance_km
          "claims": [CLAIM, ...],
          "disagreements": [DISAGREEMENT, ...]   // measure, first, second, close
        }
      ]
    }

``CLAIM``::

    {
      "passage_id": "…", "article_id": "…", "source": "CNN",   // source may be null
      "measure": "killed",        // killed | injured | arrested | distance_km | date | year
      "low": 84, "high": null,    // interval the words commit to; null high = no upper bound
      "value_text": "ما لا يقل عن 84",
      "span": [1200, 1215],       // in the article's clean text
      "approximate": false,
      "guarded_reason": null      // set when the number is about another event (not compared)
    }

``date`` claims hold month*100+day (``103`` = 3 January); ``year`` claims the year.

``newsreader claims ARTICLE_ID --json``::

    {"article_id": "…", "story_id": "s-…" | null,
     "claims": [CLAIM, ...],                       // every claim, guarded ones included
     "disagreements": [DISAGREEMENT, ...]   // those involving this article}

``newsreader stories --json``::

    {"stories": [{"id": "s-…", "title": "…", "sources": ["CNN", …],
                  "article_ids": ["…", …]}]}       // two articles or more, largest first
"""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

from index.claims import Claim, Disagreement, NumbersRow, article_claims
from index.claims_compare import disagreements
from index.encoding import safe_text
from index.links_store import RelatedStore, links_as_json
from index.store import CorpusIndex
from tui.cli import CommandError
from tui.commands.corpus_args import (
    add_corpus_argument,
    corpus_paths,
    open_index_with_related,
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    related = subparsers.add_parser(
        "related",
        help="passages of other outlets that report what a passage reports",
        description="Passages of other outlets reporting the same fact or quote as PASSAGE_ID, "
        "and every outlet's figures for the numbers it states.",
    )
    related.add_argument("passage_id", metavar="PASSAGE_ID", help='a passage id, "ARTICLE_ID:N"')
    _common(related)
    related.set_defaults(func=run_related)

    claims = subparsers.add_parser(
        "claims",
        help="the quantified claims of an article and where outlets disagree",
        description="Numbers an article states (killed, injured, arrested, distances, dates) as "
        "intervals, and the story's outlets whose figures cannot both be true.",
    )
    claims.add_argument("article_id", metavar="ARTICLE_ID")
    _common(claims)
    claims.set_defaults(func=run_claims)

    stories = subparsers.add_parser(
        "stories",
        help="the stories of the corpus (one event, several outlets)",
        description="Groups of articles about the same event, largest first.",
    )
    _common(stories)
    stories.set_defaults(func=run_stories)


def _common(parser: argparse.ArgumentParser) -> None:
    add_corpus_argument(parser)
    parser.add_argument("--json", action="store_true", help="print JSON (format: see README)")


def _open(args: argparse.Namespace) -> tuple[CorpusIndex, RelatedStore]:
    index, store, _ = open_index_with_related(corpus_paths(args))
    return index, store


def _bound(value: float) -> float | None:
    if math.isinf(value):
        return None
    rounded = round(value, 3)
    return int(rounded) if rounded == int(rounded) else rounded


def claim_json(claim: Claim) -> dict[str, Any]:
    return {
        "passage_id": claim.passage_id,
        "article_id": claim.article_id,
        "source": claim.source,
        "measure": claim.measure,
        "low": _bound(claim.low),
        "high": _bound(claim.high),
        "value_text": claim.value_text,
        "span": [claim.span.start, claim.span.end],
        "approximate": claim.approximate,
        "guarded_reason": claim.guarded_reason,
    }


def _disagreement_json(d: Disagreement) -> dict[str, Any]:
    return {
        "measure": d.measure,
        "first": claim_json(d.first),
        "second": claim_json(d.second),
        "close": d.close,
    }


def _row_json(row: NumbersRow) -> dict[str, Any]:
    return {
        "measure": row.measure,
        "claims": [claim_json(c) for c in row.claims],
        "disagreements": [_disagreement_json(d) for d in row.disagreements],
    }


def _print(document: dict[str, Any]) -> None:
    print(json.dumps(document, ensure_ascii=False, indent=2))


def _interval(claim: Claim) -> str:
    if claim.measure == "date" and claim.low == claim.high:
        month, day = divmod(int(claim.low), 100)  # stored as MMDD, comparable within a year
        return f"month {month}, day {day}"
    low, high = _bound(claim.low), _bound(claim.high)
    if high is None:
        return f">= {low}"
    return f"{low}" if low == high else f"{low}–{high}"


def _outlet_name(source: str | None, article_id: str) -> str:
    return safe_text(source) if source else f"(unknown source: {article_id})"


def run_related(args: argparse.Namespace) -> int:
    index, store = _open(args)
    with index, store:
        article_id, _, _ = args.passage_id.rpartition(":")
        article = index.article(article_id) if article_id else None
        if article is None or article.passage(args.passage_id) is None:
            raise CommandError(
                f"no passage {args.passage_id!r} in this corpus (ids look like ARTICLE_ID:N)"
            )
        links = store.links_for(args.passage_id)
        rows = store.numbers_for(args.passage_id)
        targets = {}
        for link in links:
            target_article = index.article(link.target_article_id)
            target = target_article.passage(link.target_passage_id) if target_article else None
            targets[link.target_passage_id] = (
                target_article.title if target_article else "",
                target.text if target else "",
            )
        if args.json:
            document_links = links_as_json(links)
            for entry in document_links:
                title, text = targets[entry["target_passage_id"]]
                entry["target_title"] = title
                entry["target_text"] = text
            _print(
                {
                    "passage_id": args.passage_id,
                    "links": document_links,
                    "numbers": [_row_json(r) for r in rows],
                }
            )
            return 0
        if not links:
            print("No other outlet reports this passage.")
        for link in links:
            _, text = targets[link.target_passage_id]
            print(
                f"{link.display:12} {link.kind:13} {_outlet_name(link.target_source, link.target_article_id)}"
                f"  [{link.target_passage_id}]"
            )
            print(f"    {safe_text(text)}")
        for row in rows:
            print(f"\nNumbers — {row.measure}:")
            for claim in row.claims:
                print(
                    f"  {_outlet_name(claim.source, claim.article_id):28} {safe_text(claim.value_text):24} ({_interval(claim)})"
                )
            for d in row.disagreements:
                print(
                    f"  ! {_outlet_name(d.first.source, d.first.article_id)} {safe_text(d.first.value_text)}"
                    f" vs {_outlet_name(d.second.source, d.second.article_id)} {safe_text(d.second.value_text)}"
                )
    return 0


def run_claims(args: argparse.Namespace) -> int:
    index, store = _open(args)
    with index, store:
        article = index.article(args.article_id)
        if article is None:
            raise CommandError(f"no article {args.article_id!r} in this corpus")
        story = store.story_of(args.article_id)
        # the store keeps the claims of story members (the ones compared); a lone article's
        # are extracted here
        claims = store.claims_for_article(args.article_id) if story else article_claims(article)
        story_claims = (
            [c for a in story.article_ids for c in store.claims_for_article(a)] if story else claims
        )
        flagged = [
            d
            for d in disagreements(story_claims)
            if args.article_id in (d.first.article_id, d.second.article_id)
        ]
        if args.json:
            _print(
                {
                    "article_id": args.article_id,
                    "story_id": story.id if story else None,
                    "claims": [claim_json(c) for c in claims],
                    "disagreements": [_disagreement_json(d) for d in flagged],
                }
            )
            return 0
        if not claims:
            print("No quantified claims in this article.")
        for claim in claims:
            note = f"  (not compared: {claim.guarded_reason})" if claim.guarded_reason else ""
            print(
                f"{claim.measure:12} {safe_text(claim.value_text):26} {_interval(claim):16} [{claim.passage_id}]{note}"
            )
        for d in flagged:
            print(
                f"! {d.measure}: {_outlet_name(d.first.source, d.first.article_id)} {safe_text(d.first.value_text)}"
                f" vs {_outlet_name(d.second.source, d.second.article_id)} {safe_text(d.second.value_text)}"
            )
    return 0


def run_stories(args: argparse.Namespace) -> int:
    index, store = _open(args)
    with index, store:
        stories = store.stories()
        if args.json:
            _print(
                {
                    "stories": [
                        {
                            "id": s.id,
                            "title": s.title,
                            "sources": list(s.sources),
                            "article_ids": list(s.article_ids),
                        }
                        for s in stories
                    ]
                }
            )
            return 0
        if not stories:
            print("No story is covered by two articles or more.")
        for s in stories:
            print(
                f"{s.id}  {len(s.article_ids)} articles  {', '.join(safe_text(x) for x in s.sources) or '(sources unknown)'}"
            )
            print(f"    {safe_text(s.title)}")
    return 0
