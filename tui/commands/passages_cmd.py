"""``newsreader passages ARTICLE_ID [--corpus PATH ...] [--json]``: an article's passages.

Passages are paragraphs (a long paragraph is split into sentences); their ids,
``"{article_id}:{ordinal}"``, are what ``related`` and bookmarks refer to.

JSON output (stable; fields are only ever added)::

    {
      "article": {"id": "…", "title": "…", "source": "CNN"|null, "date": "YYYY-MM-DD"|null,
                  "url": "…"|null, "author": "…"|null, "path": "/…/001_….txt"},
      "passages": [
        {"id": "…:0", "ordinal": 0, "start": 0, "end": 212, "text": "…"}
      ]
    }

``start``/``end`` are ``[start, end)`` code-point offsets into the article's clean text.
"""

from __future__ import annotations

import argparse
import json
import sys

from index.encoding import safe_text
from tui.cli import CommandError
from tui.commands.corpus_args import add_corpus_argument, corpus_paths, open_index


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("passages", help="list the passages of an article")
    parser.add_argument("article_id", metavar="ARTICLE_ID")
    add_corpus_argument(parser)
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    index, _ = open_index(corpus_paths(args))
    with index:
        article = index.article(args.article_id)
    if article is None:
        raise CommandError(
            f"no article {args.article_id!r} in this corpus (`newsreader search` shows ids)"
        )
    if args.json:
        document = {
            "article": {
                "id": article.id,
                "title": article.title,
                "source": article.source,
                "date": article.date,
                "url": article.url,
                "author": article.author,
                "path": article.path,
            },
            "passages": [
                {"id": p.id, "ordinal": p.ordinal, "start": p.start, "end": p.end, "text": p.text}
                for p in article.passages
            ],
        }
        json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    print(safe_text(article.title))
    meta = " · ".join(x for x in (article.source, article.date) if x)
    if meta:
        print(safe_text(meta))
    for passage in article.passages:
        print()
        print(f"[{passage.id}]")
        print(safe_text(passage.text))
    return 0
