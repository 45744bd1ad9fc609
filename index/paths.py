"""Where newsreader keeps its files: config, user data (bookmarks) and the index cache.

Nothing is created at import time; callers ask for a directory with ``ensure=True`` when they
are about to write. ``NEWSREADER_HOME`` puts everything under one directory (the tests use it),
``NEWSREADER_CONFIG`` points at a config file.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs

APP_NAME = "newsreader"


def _home() -> Path | None:
    home = os.environ.get("NEWSREADER_HOME")
    return Path(home).expanduser() if home else None


def _ensured(path: Path, ensure: bool) -> Path:
    if ensure:
        path.mkdir(parents=True, exist_ok=True)
    return path


def config_file() -> Path:
    """The TOML config file (it need not exist)."""
    explicit = os.environ.get("NEWSREADER_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    home = _home()
    base = home / "config" if home else Path(platformdirs.user_config_dir(APP_NAME))
    return base / "config.toml"


def data_dir(*, ensure: bool = False) -> Path:
    """User data that must survive: bookmarks, reading position."""
    home = _home()
    return _ensured(home / "data" if home else Path(platformdirs.user_data_dir(APP_NAME)), ensure)


def cache_dir(*, ensure: bool = False) -> Path:
    """Rebuildable data: the Whoosh indexes and the related-passage stores."""
    home = _home()
    return _ensured(home / "cache" if home else Path(platformdirs.user_cache_dir(APP_NAME)), ensure)


def seeds_dir() -> Path:
    """The bundled default corpus: ``seeds/`` in a source checkout, else the installed copy."""
    checkout = Path(__file__).resolve().parent.parent / "seeds"
    if checkout.is_dir():
        return checkout
    import importlib

    installed = importlib.import_module("index.seeds")  # the wheel maps seeds/ to index.seeds
    return Path(str(installed.__file__)).resolve().parent


def corpus_key(paths: list[Path]) -> str:
    """A stable directory name for the index of a corpus given as a list of paths."""
    resolved = sorted(str(p.expanduser().resolve()) for p in paths)
    digest = hashlib.sha256("\n".join(resolved).encode("utf-8")).hexdigest()[:16]
    stem = Path(resolved[0]).name if resolved else "empty"
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in stem)[:40]
    return f"{safe}-{digest}"


def index_dir(paths: list[Path], *, ensure: bool = False) -> Path:
    """The directory holding the index (and related-passage store) of one corpus."""
    return _ensured(cache_dir() / "indexes" / corpus_key(paths), ensure)
