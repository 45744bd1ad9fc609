"""Where the user left off in each corpus, so the app reopens on the same article and passage.

A tiny JSON file in the data directory, one entry per corpus (keyed like the index directory),
written atomically (temp file, fsync, ``os.replace``) so a crash leaves the old file or the new
one, never half of one. A file it cannot read is renamed aside (``.bad``) and the app starts at
the top: losing a reading position is harmless, crashing on it is not. No Textual import.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class ReadingPosition:
    """The article open and the passage the cursor was on."""

    article_id: str
    passage_id: str | None = None


class PositionStore:
    """Reads and writes reading positions in one JSON file; every method is safe to call anytime."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problem: str | None = None
        """A sentence for the user when the file could not be read (it was kept aside)."""

    def _read_all(self) -> dict[str, dict[str, str | None]]:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as error:
            self.problem = f"Could not read the reading position {self.path}: {error}."
            return {}
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or data.get("version") != SCHEMA_VERSION:
                raise ValueError("unknown format")
            corpora = data["corpora"]
            if not isinstance(corpora, dict):
                raise ValueError("unknown format")
            return corpora
        except (ValueError, KeyError) as error:
            aside = self.path.with_suffix(".bad")
            with contextlib.suppress(OSError):
                os.replace(self.path, aside)
            self.problem = (
                f"The reading position file was unreadable ({error}); it was kept as {aside} "
                "and the app starts at the top."
            )
            return {}

    def load(self, corpus_key: str) -> ReadingPosition | None:
        """The saved position for a corpus, or ``None``."""
        entry = self._read_all().get(corpus_key)
        if not isinstance(entry, dict) or not isinstance(entry.get("article_id"), str):
            return None
        passage = entry.get("passage_id")
        return ReadingPosition(
            str(entry["article_id"]), passage if isinstance(passage, str) else None
        )

    def save(self, corpus_key: str, position: ReadingPosition) -> None:
        """Record the position atomically; raises OSError only when the disk refuses."""
        corpora = self._read_all()
        corpora[corpus_key] = {"article_id": position.article_id, "passage_id": position.passage_id}
        payload = json.dumps({"version": SCHEMA_VERSION, "corpora": corpora}, ensure_ascii=False)
        import tempfile

        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".position-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
