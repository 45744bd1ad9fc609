"""A full index build of a corpus with its related store, as ``newsreader index --rebuild`` does.

Usage: ``.venv/bin/python benchmarks/full_build.py [--corpus DIR] [--sequential]``

Builds into a temporary NEWSREADER_HOME: the Whoosh index (``CorpusIndex.update``) with a
``RelatedSync`` listener, so links, claims and stories are computed in a second process beside the
Whoosh write (:mod:`index.parallel_related`); ``--sequential`` computes them after the index, in
process, as before. Reports wall time, CPU time of this process and of its children, peak RSS of
each, when each phase started, and how long the index waited for the related process at the end.
The machine may be shared: one run is one sample; CPU time says how much work was done.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import threading
import time
from pathlib import Path

from _common import SAUDINEWSNET, corpus_present, machine_line


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=SAUDINEWSNET)
    parser.add_argument("--sequential", action="store_true", help="the old in-process path")
    args = parser.parse_args()
    if not corpus_present(args.corpus):
        return 2
    print(machine_line())
    with tempfile.TemporaryDirectory() as home:
        os.environ["NEWSREADER_HOME"] = home
        from index import parallel_related
        from index.links_store import RelatedStore
        from index.related_sync import RelatedSync, index_token
        from index.store import BuildProgress, CorpusIndex

        started = time.perf_counter()
        phases: dict[str, float] = {}

        def progress(step: BuildProgress) -> None:
            phases.setdefault(step.phase, time.perf_counter() - started)

        waited: list[float] = []
        child_cpu: list[float] = []
        real_wait = parallel_related.wait

        def timed_wait(build: parallel_related.RelatedBuild) -> str | None:
            # The child comes from a fork server, not from this process: its CPU time is not
            # in RUSAGE_CHILDREN, so it is read from /proc until it exits.
            stop = threading.Event()
            sampler = threading.Thread(
                target=_sample_cpu, args=(build.process.pid, stop, child_cpu), daemon=True
            )
            sampler.start()
            t = time.perf_counter()
            try:
                return real_wait(build)
            finally:
                waited.append(time.perf_counter() - t)
                stop.set()
                sampler.join()

        parallel_related.wait = timed_wait
        index = CorpusIndex.open([args.corpus])
        sync = RelatedSync(RelatedStore.open(index.directory), index, parallel=not args.sequential)
        index.add_change_listener(sync)
        result = index.update(rebuild=True, progress=progress)
        wall = time.perf_counter() - started
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        up_to_date = sync.store.index_token() == index_token(index.directory)
        links = sync.store._db.execute("SELECT COUNT(*) FROM links").fetchone()[0]
        stories = len(sync.store.stories())
        sync.store.close()
        index.close()
    path = (
        "sequential (in process, after the index)"
        if args.sequential
        else "parallel (a second process from a fork server)"
    )
    print(f"path: {path}")
    print(f"articles {result.articles}, links {links}, stories {stories}")
    print(f"hook errors: {result.hook_errors or 'none'}; store up to date: {up_to_date}")
    print(f"wall {wall:.1f} s")
    print(
        f"cpu: this process {own.ru_utime + own.ru_stime:.1f} s,"
        f" children {children.ru_utime + children.ru_stime:.1f} s"
        + (f", related process {child_cpu[-1]:.1f} s (from /proc)" if child_cpu else "")
    )
    print(
        f"peak RSS: this process {own.ru_maxrss / 1024:.0f} MB,"
        f" largest child {children.ru_maxrss / 1024:.0f} MB"
    )
    print("phase starts: " + ", ".join(f"{k} {v:.1f} s" for k, v in phases.items()))
    if waited:
        print(f"waited for the related process after the index was live: {waited[0]:.1f} s")
    return 0 if not result.hook_errors and up_to_date else 1


def _sample_cpu(pid: int | None, stop: threading.Event, out: list[float]) -> None:
    """utime + stime of ``pid`` from /proc every half second until ``stop`` or its exit."""
    ticks = os.sysconf("SC_CLK_TCK")
    while pid is not None and not stop.is_set():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return
        out.append((int(fields[11]) + int(fields[12])) / ticks)
        stop.wait(0.5)


if __name__ == "__main__":
    raise SystemExit(main())
