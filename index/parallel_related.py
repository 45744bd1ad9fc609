"""The related store of a full index build, computed in a second process beside the Whoosh write.

A full build of a large corpus spends minutes writing Whoosh and then minutes computing links,
claims and stories; both are single-threaded Python, so on a machine with two cores they can
overlap. As soon as the build has its articles, :func:`start` starts a child that receives the
article list and writes a complete store to a temporary file in the index directory.

The child comes from a ``forkserver``, not a plain ``fork`` of the caller: the app starts full
builds from a worker thread, and a child forked from a process with running threads inherits
every lock another thread held at that instant (logging, I/O buffers, SQLite) with no thread
left to release it — an occasional hang of the child. The fork server is a fresh single-threaded
process, so its children inherit nothing of the app. The price is pickling the articles: 4.5 s
and 309 MB for all of SaudiNewsNet (30,676 articles), against a build of about 8 minutes. After the index is live, :func:`wait` collects the child's verdict, and
:meth:`index.links_store.RelatedStore.replace_with` copies the finished file into the live store
in one SQLite transaction: readers see the old store or the new one, never a half-written one.
(The live file is not swapped with ``os.replace``: the app and the CLI hold it open in WAL mode,
and a connection on a replaced file keeps reading the old one beside a stale ``-wal``.)

Where ``forkserver`` is unavailable (Windows) :func:`start` returns ``None`` and the caller
computes in-process as before. The child is a daemon: it is ended when its parent exits.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Final

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


#: The start method of the child (see the module's docstring).
START_METHOD: Final = "forkserver"


def fork_available() -> bool:
    return START_METHOD in multiprocessing.get_all_start_methods()


#: What the child computes: the store of the articles, written to the given file.
Compute = Callable[[Sequence[Article], Path], None]


def compute_store(articles: Sequence[Article], path: Path) -> None:
    """Write the complete related store of ``articles`` to ``path`` (runs in the child)."""
    from index.links_store import RelatedStore

    with RelatedStore(path) as store:
        store.rebuild(articles)


def start(
    articles: Sequence[Article], index_dir: Path, *, compute: Compute = compute_store
) -> RelatedBuild | None:
    """Start computing the store of ``articles`` into a temporary file in ``index_dir``;
    ``None`` where processes cannot be forked. Raises ``OSError`` when starting fails.

    ``compute`` must be importable by name in the child (a module-level function): the fork
    server's child receives it pickled, like the articles."""
    if not fork_available():
        return None
    _remove_stale(Path(index_dir))
    context = multiprocessing.get_context(START_METHOD)
    stamp = f"{os.getpid()}-{time.monotonic_ns()}"
    temp_path = Path(index_dir) / f"{_TEMP_PREFIX}{stamp}.tmp"
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_child_main,
        args=(compute, articles, temp_path, sender),
        name="newsreader-related",
        daemon=True,
    )
    try:
        with _stderr_with_a_descriptor():
            process.start()
    finally:
        sender.close()  # the child holds its own copy; EOF on ours means it is gone
    return RelatedBuild(process, receiver, temp_path)


@contextlib.contextmanager
def _stderr_with_a_descriptor() -> Iterator[None]:
    """Starting the fork server starts multiprocessing's resource tracker, which is handed
    ``sys.stderr.fileno()``; a running Textual app has replaced ``sys.stderr`` with a capture
    whose ``fileno()`` is -1, and the start fails ("bad value(s) in fds_to_keep"). For that
    moment ``sys.stderr`` is the null device: the helper processes must not write on the
    terminal the app draws on."""
    try:
        usable = sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if usable:
        yield
        return
    saved = sys.stderr
    with open(os.devnull, "w", encoding="utf-8") as null:
        sys.stderr = null
        try:
            yield
        finally:
            sys.stderr = saved


def _remove_stale(index_dir: Path) -> None:
    """Remove store files a killed build left: a full build runs under the index's write lock,
    so no other build is writing one. (A child orphaned by a killed parent may still be writing
    its file: it then finishes into an unlinked file, which costs nothing.)"""
    for stale in index_dir.glob(f"{_TEMP_PREFIX}*"):
        with contextlib.suppress(OSError):
            stale.unlink()


def _child_main(
    compute: Compute, articles: Sequence[Article], temp_path: Path, sender: Connection
) -> None:
    # Everything the child has to say goes through ``sender``: its inherited stdout and stderr
    # may be the terminal a running app draws on.
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    os.close(null)
    try:
        compute(articles, temp_path)
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


__all__ = [
    "RelatedBuild",
    "abort",
    "compute_store",
    "discard",
    "fork_available",
    "start",
    "wait",
]
