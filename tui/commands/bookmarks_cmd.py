"""``newsreader bookmarks``: list, export and import the passages kept in the app.

Commands::

    newsreader bookmarks list [--json] [--filter TEXT] [--tag TAG] [--corpus [PATH ...]]
    newsreader bookmarks export --format md|json|csv [-o FILE] [--filter TEXT] [--tag TAG]
                                [--corpus [PATH ...]]
    newsreader bookmarks import FILE

``list`` shows the newest first; ``export`` writes in the order the bookmarks were made, each
with its citation (outlet — "via" the agency it credits —, title, date, URL or "no URL"; a
title newsreader composed is in square brackets). The agency and whether the title was composed
are kept in each bookmark when it is made; for a bookmark made before they were kept they are
read from its article's file (and catalog), if that is still there. With
``--corpus`` (no PATH: the bundled seeds) the bookmarks are first re-anchored against the
articles as they are now, each only against the article at its own path (bookmarks made in
another corpus are shown as they are): moved text is found again; text that changed is marked
*changed*, the saved quote kept and the article's text now there shown beside it; vanished text
is marked *detached* (kept, with its quote). This happens in memory: ``list`` and ``export``
never write the bookmarks (the app stores new positions when it re-indexes). Without
``--corpus`` the stored anchors are used as they are and no corpus is read.
``-o FILE`` is written atomically; a CSV file gets a UTF-8 byte-order mark so Excel shows
Arabic correctly (stdout gets none). ``import`` reads a JSON export back: a bookmark whose id
is already stored is skipped, unless the file's copy was edited later (``updated_at``), which
then replaces it; so importing the same file twice changes nothing. A file with any invalid
record is refused as a whole, with the reasons.

JSON format (``list --json`` and ``export --format json`` print the same document)::

    {
      "format": "newsreader-bookmarks",     // always this string
      "version": 3,                         // 3: status "changed", `current_text`;
                                            //  2 (`via`, `title_composed`) and 1 still import
      "exported_at": "2026-11-23T14:16:13.123Z",
      "bookmarks": [
        {
          "id": "9f1c…",                    // uuid4 hex; kept on import
          "article_id": "…",                // the corpus's article id
          "article_path": "seeds/001_….txt",// the file the article came from
          "article_hash": "…",              // content hash of the clean text the offsets refer to
          "passage_id": "<article_id>:<n>", // the passage holding `start`
          "start": 120, "end": 184,         // character offsets in the clean text, [start, end)
          "quote": "…",                     // the exact text kept (W3C TextQuoteSelector "exact");
                                            //  never rewritten when the article changes
          "prefix": "…", "suffix": "…",     // up to 32 characters before/after the quote
          "note": "", "tags": ["…"],
          "created_at": "…Z", "updated_at": "…Z",   // ISO 8601 UTC
          "title": "…", "source": "…"|null, "date": "YYYY-MM-DD"|null, "url": "…"|null,
          "status": "anchored"|"reanchored"|"changed"|"detached",
          "current_text": "…"|null,         // "changed": the article's text now at the anchor
          "kind": "passage"|"span",         // a whole passage, or a span inside one
          "via": "…"|""|null,               // the agency the outlet credits (catalog `via`);
                                            //  "": none; null: not recorded (older bookmark)
          "title_composed": true|false|null,// true: newsreader composed the title (the text
                                            //  has none); null: not recorded
          "citation": {                     // made at export from the above (for an older
                                            //  bookmark, the article's file); ignored by import
            "text": "Outlet, via Agency. \"Title\". 2024-01-25. no URL.",
            "via": "…"|null,                // the agency in the citation, or null
            "title_supplied": true|false|null   // the title is in [square brackets]; null:
          }                                 //  not recorded and the file is gone
        }
      ]
    }

Texts are logical-order Unicode (no visual reordering). Offsets count Python characters
(code points).
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from index.bookmarks import Bookmark, BookmarkStore, BookmarkStoreError
from index.export import (
    ImportFormatError,
    age,
    citation_facts,
    export_csv,
    export_json,
    export_markdown,
    parse_json,
    safe_text,
    write_atomic,
)
from index.models import Article
from tui.cli import CommandError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "bookmarks",
        help="list, export or import bookmarks",
        description="List, export and import the passages bookmarked in the app.",
    )
    parser.set_defaults(func=run, bookmarks_handler=None, bookmarks_parser=parser)
    actions = parser.add_subparsers(dest="bookmarks_action", metavar="ACTION")

    listing = actions.add_parser("list", help="show the bookmarks, newest first")
    listing.add_argument("--json", action="store_true", help="print the JSON export format")
    _add_selection_arguments(listing)
    listing.set_defaults(bookmarks_handler=run_list)

    export = actions.add_parser("export", help="export with citations (md, json or csv)")
    export.add_argument("--format", choices=("md", "json", "csv"), required=True)
    export.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    _add_selection_arguments(export)
    export.set_defaults(bookmarks_handler=run_export)

    importing = actions.add_parser("import", help="read a JSON export back")
    importing.add_argument("file", metavar="FILE", help="a JSON export ('-' for stdin)")
    importing.set_defaults(bookmarks_handler=run_import)


def _add_selection_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--filter", default="", metavar="TEXT", help="only bookmarks matching")
    parser.add_argument("--tag", default=None, help="only bookmarks with this tag")
    parser.add_argument(
        "--corpus",
        nargs="*",
        default=None,
        metavar="PATH",
        help="re-anchor against these articles first (no PATH: the bundled seeds)",
    )


def run(args: argparse.Namespace) -> int:
    """Run the chosen action; with none, print the help."""
    if args.bookmarks_handler is None:
        args.bookmarks_parser.print_help()
        return 0
    try:
        return int(args.bookmarks_handler(args))
    except BookmarkStoreError as error:
        raise CommandError(str(error)) from error


def _open_store() -> BookmarkStore:
    try:
        store = BookmarkStore.open_default()
    except BookmarkStoreError as error:
        raise CommandError(str(error)) from error
    if store.warning is not None:
        print(f"newsreader: warning: {store.warning.message}", file=sys.stderr)
    return store


def _reanchored(bookmarks: list[Bookmark], corpus: list[str] | None) -> list[Bookmark]:
    """``bookmarks`` as re-anchored against ``corpus`` now, in memory: nothing is written.

    ``list`` and ``export`` only read: pointed at a copy, an older version or another corpus
    they must not change what the app shows. The app stores new positions itself when its
    index changes (:meth:`tui.services.Services.reanchor_changed`). A bookmark is matched only
    to the article at its own path; bookmarks of other corpora are shown as they are.
    """
    if corpus is None:
        return bookmarks
    from index.anchoring import reanchor_many
    from index.paths import seeds_dir
    from tui.commands.corpus_args import checked_corpus

    paths = checked_corpus([Path(p).expanduser() for p in corpus] or [seeds_dir()])
    try:
        from index.corpus import load_corpus
    except ImportError as error:
        raise CommandError(f"cannot read a corpus here: {error}") from error
    loaded = load_corpus(paths)
    if not loaded.articles:
        first = f": {loaded.skipped[0].path}: {loaded.skipped[0].reason}" if loaded.skipped else ""
        raise CommandError(f"no article could be read from the corpus{first}; nothing re-anchored")
    by_id: dict[str, Article] = {}
    by_path: dict[str, Article] = {}
    for article in loaded.articles:
        by_id.setdefault(article.id, article)
        by_path.setdefault(str(Path(article.path).resolve()), article)

    def get_article(key: str) -> Article | None:
        return by_id.get(key) or by_path.get(str(Path(key).expanduser().resolve()))

    found, report = reanchor_many(bookmarks, get_article)
    if report.reanchored or report.changed_text or report.detached:
        print(
            f"newsreader: re-anchored {report.reanchored} bookmark(s) to moved text; "
            f"{report.changed_text} found where the article's text has changed (the saved quote "
            f"is kept, the text now there shown beside it); {report.detached} could not be "
            "found and are marked detached (kept, with their quotes). Not saved: list and export "
            "only read the bookmarks (the app saves positions when it re-indexes).",
            file=sys.stderr,
        )
    return found


def _selected(args: argparse.Namespace) -> tuple[BookmarkStore, list[Bookmark]]:
    store = _open_store()
    return store, _reanchored(store.list(args.filter, tag=args.tag), args.corpus)


def run_list(args: argparse.Namespace) -> int:
    store, bookmarks = _selected(args)
    store.close()
    if args.json:
        sys.stdout.write(export_json(bookmarks, citation_facts(bookmarks)))
        return 0
    if not bookmarks:
        hint = (
            "No bookmark matches."
            if args.filter or args.tag
            else "No bookmarks yet. In the app, press m on a passage to keep it."
        )
        print(hint)
        return 0
    sys.stdout.write(format_table(bookmarks))
    return 0


def run_export(args: argparse.Namespace) -> int:
    store, bookmarks = _selected(args)
    store.close()
    bookmarks.reverse()  # oldest first: a notebook reads in the order it was kept
    render = {"md": export_markdown, "json": export_json, "csv": export_csv}[args.format]
    text = render(bookmarks, citation_facts(bookmarks))
    if not args.output:
        sys.stdout.write(text)
        return 0
    target = Path(args.output).expanduser()
    if target.is_dir():
        raise CommandError(f"{target} is a directory; give a file name")
    if not target.parent.is_dir():
        raise CommandError(f"no such directory: {target.parent}")
    try:
        write_atomic(target, text, bom=args.format == "csv")
    except OSError as error:
        raise CommandError(f"cannot write {target}: {error.strerror or error}") from error
    print(f"Wrote {len(bookmarks)} bookmark(s) to {target}", file=sys.stderr)
    return 0


def run_import(args: argparse.Namespace) -> int:
    try:
        if args.file == "-":
            text = sys.stdin.read()
        else:
            text = Path(args.file).expanduser().read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise CommandError(f"no such file: {args.file}") from error
    except UnicodeDecodeError as error:
        raise CommandError(f"{args.file} is not UTF-8 text: {error.reason}") from error
    except OSError as error:
        raise CommandError(f"cannot read {args.file}: {error.strerror or error}") from error
    try:
        bookmarks = parse_json(text)
    except ImportFormatError as error:
        raise CommandError(f"{args.file}: {error}") from error
    store = _open_store()
    try:
        report = store.merge(bookmarks)
    finally:
        store.close()
    print(
        f"Imported {report.added} bookmark(s) into {store.path} "
        f"({report.updated} updated, {report.skipped} already present)"
    )
    return 0


# --- the table -------------------------------------------------------------------------------

_COLUMNS: tuple[tuple[str, int], ...] = (
    ("ID", 8),
    ("AGE", 13),
    ("OUTLET", 16),
    ("ARTICLE", 28),
    ("QUOTE", 44),
    ("NOTE", 40),
)


def _cell_width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Cf", "Mn", "Me"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _fit(text: str, width: int) -> str:
    """``text`` on one line, cut with "…" to ``width`` terminal cells and padded to it."""
    flat = " ".join(safe_text(text).split())
    used = sum(_cell_width(ch) for ch in flat)
    if used > width:
        kept: list[str] = []
        used = 0
        for ch in flat:
            w = _cell_width(ch)
            if used + w > width - 1:
                break
            kept.append(ch)
            used += w
        flat = "".join(kept) + "…"
        used += 1
    return flat + " " * (width - used)


def format_table(bookmarks: Sequence[Bookmark]) -> str:
    """A plain-text table, one bookmark a line, text in logical order."""
    lines = ["  ".join(_fit(name, width) for name, width in _COLUMNS).rstrip()]
    for b in bookmarks:
        quote = (f"[{b.status}] " if b.status in ("detached", "changed") else "") + b.quote
        note = b.note + (" " + " ".join(f"#{t}" for t in b.tags) if b.tags else "")
        cells = (
            b.id[:8],
            age(b.created_at),
            b.source or "?",
            b.title or b.article_path,
            quote,
            note,
        )
        lines.append(
            "  ".join(
                _fit(text, width) for text, (_, width) in zip(cells, _COLUMNS, strict=True)
            ).rstrip()
        )
    return "\n".join(lines) + "\n"
