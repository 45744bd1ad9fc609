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


def test_static_subcommand_names_match_the_parser() -> None:
    from tui import cli

    assert cli.subcommand_names(cli.build_parser()) == set(cli.SUBCOMMANDS)


def test_launching_the_app_does_not_import_the_command_modules() -> None:
    loaded = _modules_loaded_by(
        "from tui import cli\n"
        "assert cli.launches_app(['seeds'])\n"
        "assert not cli.launches_app(['search', 'x'])\n"
        "assert not cli.launches_app(['--help'])"
    )
    assert not {m for m in loaded if m.startswith("tui.commands.")}
    assert "whoosh" not in loaded
