"""The related store of a full index build, computed in a second process beside the Whoosh write.

A full build of a large corpus spends minutes writing Whoosh and then minutes computing links,
claims and stories; both are single-threaded Python, so on a machine with two cores they can
overlap. As soon as the build has its articles, :func:`start` forks a child that inherits the
article list (``fork``: nothing is pickled) and writes a complete store to a temporary file in
the index directory. After the index is live, :func:`wait` collects the child's verdict, and
:meth:`index.links_store.RelatedStore.replace_with` copies the finished file into the live store
in one SQLite transaction: readers see the old store or the new one, never a half-written one.
(The live file is not swapped with ``os.replace``: the app and the CLI hold it open in WAL mode,
and a connection on a replaced file keeps reading the old one beside a stale ``-wal``.)

Where ``fork`` is unavailable (Windows, macOS defaults aside) :func:`start` returns ``None`` and
the caller computes in-process as before. The child is a daemon: it dies with its parent.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from index.models import Article

#: How long :func:`abort` lets the child stop on SIGTERM before killing it.
_TERMINATE_GRACE_S = 5.0
_TEMP_PREFIX = "links.sqlite.build-"


@dataclass(slots=True)
class RelatedBuild:
    """A related-store computation running in a child process."""

    process: BaseProcess
    verdict: Connection  # the child sends None (done) or an error message
    temp_path: Path


def fork_available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def start(articles: Sequence[Article], index_dir: Path) -> RelatedBuild | None:
    """Start computing the store of ``articles`` into a temporary file in ``index_dir``;
    ``None`` where processes cannot be forked. Raises ``OSError`` when forking fails."""
    if not fork_available():
        return None
    _remove_stale(Path(index_dir))
    context = multiprocessing.get_context("fork")
    stamp = f"{os.getpid()}-{time.monotonic_ns()}"
    temp_path = Path(index_dir) / f"{_TEMP_PREFIX}{stamp}.tmp"
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_child_main,
        args=(articles, temp_path, sender),
        name="newsreader-related",
        daemon=True,
    )
    try:
        process.start()
    finally:
        sender.close()  # the child holds its own copy; EOF on ours means it is gone
    return RelatedBuild(process, receiver, temp_path)


def _remove_stale(index_dir: Path) -> None:
    """Remove store files a killed build left: a full build runs under the index's write lock,
    which a running child keeps (it inherits the lock's descriptor), so none is in use."""
    for stale in index_dir.glob(f"{_TEMP_PREFIX}*"):
        with contextlib.suppress(OSError):
            stale.unlink()


def _child_main(articles: Sequence[Article], temp_path: Path, sender: Connection) -> None:
    from index.links_store import RelatedStore

    try:
        with RelatedStore(temp_path) as store:
            store.rebuild(articles)
    except BaseException as error:  # report everything: the parent falls back
        with contextlib.suppress(OSError):
            sender.send(f"{type(error).__name__}: {error}")
        raise SystemExit(1) from error
    sender.send(None)


def wait(build: RelatedBuild) -> str | None:
    """Block until the child is done; ``None`` when the store file is complete, else why not
    (the temporary files are then removed)."""
    message: str | None
    try:
        message = build.verdict.recv()
    except EOFError:  # died without a word (killed, out of memory)
        build.process.join()
        message = f"the related-passages process ended with exit code {build.process.exitcode}"
    else:
        build.process.join()
        if message is None and build.process.exitcode != 0:
            message = f"the related-passages process ended with exit code {build.process.exitcode}"
    finally:
        build.verdict.close()
    if message is not None:
        discard(build)
    return message


def abort(build: RelatedBuild) -> None:
    """Stop the child (the build was cancelled or failed) and remove its files."""
    if build.process.is_alive():
        build.process.terminate()
        build.process.join(_TERMINATE_GRACE_S)
        if build.process.is_alive():
            build.process.kill()
            build.process.join()
    else:
        build.process.join()
    with contextlib.suppress(OSError):
        build.verdict.close()
    discard(build)


def discard(build: RelatedBuild) -> None:
    """Remove the temporary store and its SQLite side files."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{build.temp_path}{suffix}")


__all__ = ["RelatedBuild", "abort", "discard", "fork_available", "start", "wait"]
