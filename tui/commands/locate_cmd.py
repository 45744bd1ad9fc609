"""``newsreader locate [--corpus PATH ...] [--json]``: where newsreader keeps its files.

Prints the config file, the user data directory (bookmarks), the cache directory and the
index directory of the corpus (default: the bundled seeds), and the seeds directory. Nothing
is created. ``NEWSREADER_HOME`` moves all of them under one directory.
"""

from __future__ import annotations

import argparse
import json
import sys

from index import paths
from tui.commands.corpus_args import add_corpus_argument, corpus_paths


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("locate", help="show where config, data and indexes live")
    add_corpus_argument(parser)
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    corpus = corpus_paths(args)
    places = {
        "config": str(paths.config_file()),
        "data": str(paths.data_dir()),
        "cache": str(paths.cache_dir()),
        "index": str(paths.index_dir([p.resolve() for p in corpus])),
        "seeds": str(paths.seeds_dir()),
    }
    if args.json:
        json.dump(places, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    width = max(map(len, places))
    for name, where in places.items():
        print(f"{name:<{width}}  {where}")
    return 0
