"""``newsreader [PATH...] [--bidi MODE] [--no-shape] [--config FILE]``: start the app.

Called by ``tui.cli.main`` when no subcommand is given. Reads the config (problems become
notifications in the app, never a refusal to start), builds the app through the factory and
runs it. In the app's own bidi mode the terminal is asked to leave the reordering to us
(``CSI 8 l``) and given it back on exit (``CSI 8 h``), even when the app fails.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tui.config import BIDI_MODES, load_config


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsreader",
        description="Open the newsreader app on PATH... (default: the config's corpus, else the seeds).",
    )
    parser.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="corpus files or directories"
    )
    parser.add_argument(
        "--bidi",
        choices=BIDI_MODES,
        help="who lays out right-to-left text: app (newsreader), terminal (a bidi-aware "
        "terminal), off, or auto (detect; the default)",
    )
    parser.add_argument(
        "--no-shape", action="store_true", help="do not join Arabic letters (shaping)"
    )
    parser.add_argument(
        "--config", type=Path, metavar="FILE", help="config file to read instead of the default"
    )
    return parser


def corpus_refusal(paths: list[Path]) -> str | None:
    """Why ``paths`` cannot be opened as a corpus, or ``None`` (none given means the seeds).

    The same checks as the subcommands' ``--corpus``, before the app draws anything: a path
    that is missing or not a corpus file type, and — for a corpus that has no index yet — one
    from which not a single article loads. Otherwise the app would open on an empty index and
    keep a cache directory for ``/etc/passwd``.
    """
    if not paths:
        return None
    from index.paths import index_dir
    from tui.cli import CommandError
    from tui.commands.corpus_args import checked_corpus, refuse_unloadable

    try:
        checked_corpus(paths)
        if not index_dir([p.resolve() for p in paths]).exists():
            refuse_unloadable(paths)
    except CommandError as error:
        return str(error)
    return None


def launch(argv: list[str]) -> int:
    """Run the app; returns the process exit code."""
    args = build_parser().parse_args(argv)
    if args.config is not None:
        os.environ["NEWSREADER_CONFIG"] = str(args.config.expanduser())
    from index.paths import config_file

    refusal = corpus_refusal([p.expanduser() for p in args.paths])
    if refusal is not None:
        print(f"newsreader: {refusal}", file=sys.stderr)
        return 1
    loaded = load_config(config_file())
    problems = list(loaded.problems)
    if args.config is not None and not args.config.expanduser().exists():
        problems.append(f"The config file {args.config} does not exist; using the defaults.")

    from tui.app import make_app
    from tui.rtl import BIDI_EXPLICIT_MODE_ON, BIDI_EXPLICIT_MODE_RESTORE
    from tui.services import open_services

    services = open_services(args.paths, loaded.config)
    app = make_app(
        services,
        loaded.config,
        bidi_flag=args.bidi,
        no_shape=args.no_shape,
        config_problems=problems,
    )
    explicit = app.layout_options.mode == "app" and sys.stdout.isatty()
    if explicit:
        sys.stdout.write(BIDI_EXPLICIT_MODE_ON)
        sys.stdout.flush()
    try:
        result = app.run()
    finally:
        if explicit:
            sys.stdout.write(BIDI_EXPLICIT_MODE_RESTORE)
            sys.stdout.flush()
    if app.return_code not in (None, 0):
        return int(app.return_code or 1)
    return int(result or 0)
