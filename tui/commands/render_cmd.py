"""``newsreader render FILE``: print a text file laid out by the RTL engine, to look at it.

A demo and a debugging aid for :mod:`tui.rtl`: each line of the file is one paragraph, wrapped to
``--width`` cells and printed in visual order, right-aligned when the paragraph is right-to-left.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from tui.cli import CommandError
from tui.rtl import (
    BIDI_EXPLICIT_MODE_ON,
    BIDI_EXPLICIT_MODE_RESTORE,
    LayoutOptions,
    VisualLine,
    layout,
    resolve_mode,
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "render",
        help="print a text file laid out right-to-left (demo of the line layout)",
        description=(
            "Lay out each line of FILE as a paragraph (wrap, bidi reorder, Arabic shaping) and "
            "print the screen lines, right-aligned for right-to-left paragraphs."
        ),
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="a UTF-8 text file")
    parser.add_argument(
        "--width", type=int, default=None, help="line width in cells (default: the terminal's)"
    )
    parser.add_argument(
        "--bidi",
        choices=("auto", "app", "terminal", "off"),
        default=None,
        help="app: reorder and shape here; terminal: logical order for terminals that reorder; "
        "off: logical, unshaped; auto (default): chosen from the terminal",
    )
    parser.add_argument("--no-shape", action="store_true", help="do not join Arabic letters")
    parser.set_defaults(func=run)


def _read_text(path: Path) -> str:
    """The file's text, or a CommandError that says exactly what is wrong with it."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise CommandError(f"{path}: no such file") from error
    except IsADirectoryError as error:
        raise CommandError(f"{path}: is a directory, expected a text file") from error
    except OSError as error:
        raise CommandError(f"{path}: cannot read: {error.strerror}") from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CommandError(
            f"{path}: not UTF-8 text (invalid byte 0x{data[error.start]:02x} at offset "
            f"{error.start})"
        ) from error


def format_line(line: VisualLine, width: int) -> str:
    """The screen row for ``line``: padded on the left when it is right-aligned."""
    if line.align == "right":
        return " " * (width - line.width) + line.text
    return line.text


def run(args: argparse.Namespace) -> int:
    width = args.width if args.width is not None else shutil.get_terminal_size().columns
    if width < 1:
        raise CommandError(f"--width must be at least 1, got {width}")
    text = _read_text(args.file)
    mode = resolve_mode(os.environ, None, args.bidi)
    options = LayoutOptions(mode=mode, shape=not args.no_shape)
    out = sys.stdout
    explicit = mode == "app" and out.isatty()
    try:
        if explicit:
            out.write(BIDI_EXPLICIT_MODE_ON)
        try:
            for paragraph in text.splitlines():
                for line in layout(paragraph, width, options):
                    out.write(format_line(line, width) + "\n")
        finally:
            if explicit:
                out.write(BIDI_EXPLICIT_MODE_RESTORE)
            out.flush()
    except BrokenPipeError:
        # the reader closed the pipe (``| head``): not an error; keep Python from complaining
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
