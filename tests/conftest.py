"""Fixtures shared by the test suite."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the checkout; tests that need it skip where it is missing."""
    if not SHARED.is_dir():
        pytest.skip(
            f"{SHARED} not found: the shared data (corpora, eval sets) is not beside this checkout"
        )
    return SHARED


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The bundled seed corpus."""
    return REPO / "seeds"


@pytest.fixture
def newsreader_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private NEWSREADER_HOME so a test never touches the user's real config, data or cache."""
    home = tmp_path / "home"
    monkeypatch.setenv("NEWSREADER_HOME", str(home))
    monkeypatch.delenv("NEWSREADER_CONFIG", raising=False)
    return home
