"""The core stays headless: nothing under ``index`` (nor the command line) imports Textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _modules_loaded_by(code: str) -> set[str]:
    script = f"{code}\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_core_modules_never_import_textual() -> None:
    modules = sorted(p.stem for p in (REPO / "index").glob("*.py") if p.stem != "__init__")
    imports = "\n".join(f"import index.{name}" for name in modules)
    loaded = _modules_loaded_by(imports)
    assert "index.arabic" in loaded  # the imports really ran
    assert not {m for m in loaded if m == "textual" or m.startswith("textual.")}


def test_cli_help_does_not_import_textual() -> None:
    loaded = _modules_loaded_by(
        "import contextlib, io\n"
        "from tui import cli\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "    cli.main(['--help'])"
    )
    assert "tui.cli" in loaded
    assert "textual" not in loaded
