"""Which corpus files an index was built from, so an update re-reads only what changed.

The manifest maps each file (absolute path) to its fingerprint — size, ``mtime_ns`` and a
SHA-256 of its bytes — and to the ids of the articles it produced. Planning an update first
compares the cheap ``stat`` fields; only a file whose size or mtime moved is hashed, and it
counts as changed only if its bytes did (a ``touch`` re-reads nothing).

The manifest is written after the index commit it describes. If a process dies in between,
the stale entries make the next update redo that work, which is safe: an update deletes the
old *and* the new article ids of a file before adding its articles again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST_NAME = "manifest.json"


@dataclass(slots=True)
class FileEntry:
    """What the index knows about one corpus file."""

    size: int
    mtime_ns: int
    sha256: str
    article_ids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class UpdatePlan:
    """The difference between the corpus on disk and the manifest of its index."""

    added: list[Path] = field(default_factory=list)
    changed: list[Path] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    touched: dict[str, FileEntry] = field(default_factory=dict)  # same bytes, new stat
    unchanged: int = 0
    catalogs_changed: bool = False

    @property
    def is_empty(self) -> bool:
        """True when no article needs to be re-read or deleted."""
        return not (self.added or self.changed or self.removed)

    @property
    def to_read(self) -> list[Path]:
        return [*self.added, *self.changed]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fingerprint(path: Path) -> FileEntry:
    """The fingerprint of ``path`` (its article ids are filled in by the caller)."""
    stat = path.stat()
    return FileEntry(stat.st_size, stat.st_mtime_ns, file_sha256(path))


def _entry_dict(entry: FileEntry) -> dict[str, object]:
    # dataclasses.asdict deep-copies every id list: 10x slower on 30,000 articles
    return {
        "size": entry.size,
        "mtime_ns": entry.mtime_ns,
        "sha256": entry.sha256,
        "article_ids": entry.article_ids,
    }


@dataclass(slots=True)
class Manifest:
    """Corpus files → fingerprint and article ids."""

    files: dict[str, FileEntry] = field(default_factory=dict)
    #: catalog files (titles, sources, dates of plain-text files) the articles depend on
    catalogs: dict[str, FileEntry] = field(default_factory=dict)
    #: per source, the recurring boilerplate lines removed at the last full build; an
    #: incremental update removes them from new articles of that source too
    boilerplate: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Manifest:
        """Read a manifest; raises ``ValueError`` when the file is not a valid manifest."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                {name: FileEntry(**entry) for name, entry in data["files"].items()},
                {name: FileEntry(**entry) for name, entry in data["catalogs"].items()},
                {source: list(lines) for source, lines in data["boilerplate"].items()},
            )
        except (OSError, KeyError, TypeError, AttributeError, json.JSONDecodeError) as error:
            raise ValueError(f"unreadable index manifest {path}: {error}") from error

    def save(self, path: Path) -> None:
        """Write atomically: a reader sees the old or the new manifest, never half of one."""
        tmp = path.with_name(path.name + ".tmp")
        payload = {
            "files": {name: _entry_dict(entry) for name, entry in sorted(self.files.items())},
            "catalogs": {name: _entry_dict(e) for name, e in sorted(self.catalogs.items())},
            "boilerplate": self.boilerplate,
        }
        tmp.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)

    def article_ids(self) -> list[str]:
        return [aid for entry in self.files.values() for aid in entry.article_ids]

    def changed_catalog_dirs(self, catalogs: Iterable[Path]) -> list[Path]:
        """Directories whose catalog appeared, disappeared or changed since the manifest."""
        current = {str(p): p for p in catalogs}
        dirs = [Path(name).parent for name in set(self.catalogs) - set(current)]
        for name, path in current.items():
            known = self.catalogs.get(name)
            try:
                stat = path.stat()
            except OSError:
                continue
            if known and stat.st_size == known.size and stat.st_mtime_ns == known.mtime_ns:
                continue
            if known is None or file_sha256(path) != known.sha256:
                dirs.append(path.parent)
        return dirs

    def plan(
        self,
        files: Iterable[Path],
        *,
        catalogs: Iterable[Path] = (),
        catalog_dependent: Callable[[Path], bool] = lambda _path: False,
    ) -> UpdatePlan:
        """Compare the corpus files on disk with this manifest.

        A file for which ``catalog_dependent`` is true is re-read when a catalog in its
        directory or above changed, even if its own bytes did not.
        """
        plan = UpdatePlan()
        seen: set[str] = set()
        catalogs = list(catalogs)
        stale_dirs = self.changed_catalog_dirs(catalogs)
        plan.catalogs_changed = bool(stale_dirs)
        for path in files:
            key = str(path)
            seen.add(key)
            known = self.files.get(key)
            if known is None:
                plan.added.append(path)
                continue
            if (
                stale_dirs
                and catalog_dependent(path)
                and any(d == path.parent or d in path.parents for d in stale_dirs)
            ):
                plan.changed.append(path)
                continue
            try:
                stat = path.stat()
            except OSError:
                continue  # vanished between listing and stat: the next update removes it
            if stat.st_size == known.size and stat.st_mtime_ns == known.mtime_ns:
                plan.unchanged += 1
                continue
            digest = file_sha256(path)
            if stat.st_size == known.size and digest == known.sha256:
                plan.touched[key] = FileEntry(
                    stat.st_size, stat.st_mtime_ns, digest, list(known.article_ids)
                )
                plan.unchanged += 1
            else:
                plan.changed.append(path)
        plan.removed = sorted(set(self.files) - seen)
        return plan
