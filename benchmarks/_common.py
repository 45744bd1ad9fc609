"""What the benchmark scripts share: where the repository and ``../shared`` are, which
SaudiNewsNet day zips a ``--days`` range names, and reading those zips.

The scripts run as ``.venv/bin/python benchmarks/NAME.py``, so this directory is ``sys.path[0]``
and ``import _common`` finds this module. Importing it puts the repository first on
``sys.path``, so that ``index`` is this checkout's even when the venv's editable install points
at another one; :func:`use_tree` puts a copy of the repository before it, for the scripts that
judge a sample against a frozen ``index/``. For the same reason this module never imports
``index`` at import time: the caller's ``--tree`` decides which ``index`` is imported.

The corpus is CC BY-NC-SA: it is read from ``../shared`` and never copied into the repository.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from index.models import Article

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SAUDINEWSNET = SHARED / "corpora" / "saudinewsnet"
#: ``--help`` text of every ``--days`` option: ``FIRST:LAST`` is the form to write down.
DAYS_HELP = "FIRST:LAST zip dates, e.g. 2015-07-22:2015-07-23 (FIRST..LAST and one DAY also work)"

sys.path.insert(0, str(REPO))


def use_tree(argv: Sequence[str] = sys.argv) -> Path:
    """Put ``--tree DIR`` (a copy of the repository: ``DIR/index``) first on ``sys.path`` and
    return it (the repository without ``--tree``). Call it before anything imports ``index``:
    judging a sample takes an hour, and the code it was drawn from must not move under it."""
    if "--tree" in argv:
        tree = Path(argv[list(argv).index("--tree") + 1]).resolve()
        sys.path.insert(0, str(tree))
        return tree
    return REPO


def parse_days(days: str) -> tuple[str, str]:
    """``FIRST:LAST`` (canonical), ``FIRST..LAST`` or one ``DAY`` as (first, last) ISO dates.

    One reader for every script, so that a range written down for one of them (BENCHMARKS.md,
    the judged-pairs TSV) selects the same days in all. A malformed range is an error, not an
    empty slice that looks like a slice without links.
    """
    text = days.strip()
    separator = ".." if ".." in text else ":"
    first, _, last = text.partition(separator)
    first, last = first.strip(), (last.strip() or first.strip())
    for day in (first, last):
        try:
            dt.date.fromisoformat(day)
        except ValueError:
            raise ValueError(
                f"{days!r}: expected FIRST:LAST dates like 2015-07-22:2015-07-23"
            ) from None
    if first > last:
        raise ValueError(f"{days!r}: the first day comes after the last")
    return first, last


def days_arg(text: str) -> str:
    """argparse ``type`` of ``--days``: the range in the canonical ``FIRST:LAST`` form."""
    try:
        first, last = parse_days(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return f"{first}:{last}"


def day_files(corpus: Path, days: str | None) -> list[Path]:
    """The day zips of the slice (all of them without ``days``): loading only those is faster."""
    files = sorted(corpus.glob("*.zip"))
    if not days:
        return files
    first, last = parse_days(days)
    return [f for f in files if first <= f.stem <= last]


def day_records(archive: Path) -> list[dict[str, Any]]:
    """The records of one SaudiNewsNet day zip (``{source, url, date_extracted, title, author,
    content}``, some fields empty), from its JSON member, in file order."""
    records: list[dict[str, Any]] = []
    with zipfile.ZipFile(archive) as zf:
        for member in zf.namelist():
            if member.endswith(".json"):
                records.extend(json.loads(zf.read(member).decode("utf-8")))
    return records


def write_slice(corpus: Path, limit: int, out: Path) -> int:
    """The first ``limit`` SaudiNewsNet articles (in load order) as day JSON files in ``out``
    (a temporary directory: the corpus is never copied into the repo), with the same article
    ids as the zips. Returns how many were written."""
    written = 0
    for archive in day_files(corpus, None):
        if written >= limit:
            break
        records = day_records(archive)[: limit - written]
        (out / f"{archive.stem}.json").write_text(json.dumps(records, ensure_ascii=False), "utf-8")
        written += len(records)
    return written


def corpus_present(corpus: Path) -> bool:
    """Whether ``corpus`` exists; says on stderr where SaudiNewsNet lives when it does not."""
    if corpus.exists():
        return True
    print(f"{corpus} not found: SaudiNewsNet lives in ../shared/corpora/", file=sys.stderr)
    return False


def slice_files(corpus: Path, days: str | None) -> list[Path] | None:
    """:func:`day_files`, or None when the corpus is missing or no zip lies in ``days`` (said on
    stderr: an empty slice would print a report about nothing)."""
    if not corpus_present(corpus):
        return None
    files = day_files(corpus, days)
    if not files:
        print(f"no day zips in {corpus} for --days {days}", file=sys.stderr)
        return None
    return files


def load_articles(paths: Sequence[Path], limit: int = 0) -> list[Article]:
    """The articles of ``paths`` as :func:`index.corpus.load_corpus` loads them, the first
    ``limit`` only when given. ``index`` is imported here, after :func:`use_tree` has run."""
    from index.corpus import load_corpus

    articles = load_corpus(list(paths)).articles
    return articles[:limit] if limit else articles


def machine_line() -> str:
    """The line every report starts with: timings mean little without the machine and its load
    (it is shared)."""
    return (
        f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}"
        f", load average {os.getloadavg()[0]:.1f}"
    )
