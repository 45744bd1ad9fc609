"""``newsreader search QUERY [--corpus PATH ...] [--limit N] [--json]``: search from the shell.

The index of the corpus is built on first use and brought up to date first. Query syntax:
words (all required), ``"a phrase"``, ``OR``, ``NOT``/``-word``, parentheses, ``source:NAME``
or ``source:"two words"``, ``date:2015-07-21``, ``date:2015-07``,
``date:2015-07-21..2015-07-31``, ``date:>2015-07-01``; the last word also matches as a
prefix. A query that starts with ``-`` must follow ``--`` (``newsreader search -- -word x``).
When no article has every word, articles with any of them are shown and a notice says so.

Text output is logical-order Unicode (what a pipe consumer wants); on a terminal the matched
words are bold. A query that cannot be read is an error: the message goes to stderr and the
exit status is 1.

JSON output (``--json``), stable — fields are only ever added::

    {
      "query": "تحذير",              // the query as given
      "total": 4,                     // matching articles (hits holds at most --limit)
      "notice": null,                 // e.g. the any-word fallback, else null
      "terms": ["تحذير", "تحذير*"],   // normalized words/phrases matched; "x*" = prefix
      "hits": [
        {
          "rank": 1,
          "id": "001_59676fb50e180bdc",   // article id (use with `newsreader passages`)
          "title": "…",
          "title_highlights": [[10, 15]], // [start, end) offsets into "title"
          "source": "CNN",                // null when the text does not state it
          "date": "2024-01-25",           // ISO date or null
          "url": null,
          "score": 4.21,                  // BM25F, comparable within one query only
          "passages": [                   // best passages first (up to 2)
            {
              "id": "001_59676fb50e180bdc:5",
              "start": 812, "end": 1050,  // [start, end) in the article's clean text
              "text": "…",                // the passage, logical order
              "highlights": [[3, 10]],    // [start, end) offsets into "text" (text[s:e]
                                          //  is the matched word as written)
              "score": 3.1
            }
          ]
        }
      ]
    }

Offsets count Python characters (code points).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from index.encoding import safe_text
from index.models import Hit, Span
from index.search import SearchResult
from tui.cli import CommandError
from tui.commands.corpus_args import add_corpus_argument, corpus_paths, open_index


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "search",
        help="search the corpus",
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    parser.add_argument("query", nargs="+", metavar="QUERY", help="the query (words are joined)")
    add_corpus_argument(parser)
    parser.add_argument("--limit", type=int, default=20, metavar="N", help="at most N hits (20)")
    parser.add_argument("--json", action="store_true", help="print JSON (format: see README)")
    parser.set_defaults(func=run)


def result_to_json(result: SearchResult) -> dict[str, Any]:
    """The documented JSON document of a search result."""
    return {
        "query": result.query,
        "total": result.total,
        "notice": result.notice,
        "terms": list(result.query_terms),
        "hits": [_hit_to_json(rank, hit) for rank, hit in enumerate(result.hits, start=1)],
    }


def _pairs(spans: tuple[Span, ...], shift: int = 0) -> list[list[int]]:
    return [[s.start - shift, s.end - shift] for s in spans]


def _hit_to_json(rank: int, hit: Hit, url: str | None = None) -> dict[str, Any]:
    return {
        "rank": rank,
        "id": hit.article_id,
        "title": hit.title,
        "title_highlights": _pairs(hit.title_spans),
        "source": hit.source,
        "date": hit.date,
        "url": url,
        "score": round(hit.score, 4),
        "passages": [
            {
                "id": p.passage_id,
                "start": p.start,
                "end": p.end,
                "text": p.text,
                "highlights": _pairs(p.spans, p.start),
                "score": round(p.score, 4),
            }
            for p in hit.passages
        ],
    }


def run(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise CommandError("--limit must be at least 1")
    query = " ".join(args.query)
    index, _ = open_index(corpus_paths(args))
    with index:
        result = index.search(query, limit=args.limit)
        if result.error:
            raise CommandError(result.error)
        document = result_to_json(result)
        if args.json:
            for rank, hit in enumerate(result.hits):
                article = index.article(hit.article_id)
                document["hits"][rank]["url"] = article.url if article else None
            json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
            return 0
    _print_text(result)
    return 0


def _print_text(result: SearchResult) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, soft_wrap=True)
    if result.notice:
        print(result.notice, file=sys.stderr)
    if not result.hits:
        print("No results.")
        return
    shown = len(result.hits)
    print(
        f"{result.total} result{'s' if result.total != 1 else ''}"
        + (f", showing {shown}" if shown < result.total else "")
    )
    for rank, hit in enumerate(result.hits, start=1):
        print()
        header = Text(f"{rank}. ")
        header.append_text(_marked(hit.title, hit.title_spans, 0))
        console.print(header)
        meta = " · ".join(x for x in (hit.source, hit.date) if x)
        console.print(Text(safe_text(f"   {meta + ' · ' if meta else ''}{hit.article_id}")))
        for passage in hit.passages:
            line = Text("   ")
            line.append_text(_marked(passage.text, passage.spans, passage.start))
            console.print(line)


def _marked(text: str, spans: tuple[Span, ...], shift: int) -> Any:
    """``text`` as a Rich Text (never markup) with the spans in bold; newlines flattened."""
    from rich.text import Text

    flat = safe_text(text).replace("\n", " ")
    marked = Text(flat)
    for span in spans:
        marked.stylize("bold", span.start - shift, span.end - shift)
    return marked
