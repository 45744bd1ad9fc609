"""``newsreader render``: the demo of the RTL layout on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len

from tui.cli import main


def test_render_right_aligns_rtl_and_emits_no_controls(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "article.txt"
    source.write_text("قال \u202eالرئيس\x1b[2J اليوم\nHello world\n", encoding="utf-8")
    assert main(["render", str(source), "--width", "20", "--bidi", "app", "--no-shape"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0].endswith("لاق")  # the first word at the right end of the first row
    assert all(cell_len(row) == 20 for row in rows if row and "ل" in row)
    assert rows[-1] == "Hello world"
    assert "\x1b" not in "".join(rows) and "\u202e" not in "".join(rows)
    # the escape is shown as a symbol, not obeyed; the RLO reverses it inside its paragraph only
    assert "J2]\u241b" in rows[0]  # reversed, and "[" mirrored at the odd level
    assert rows[-1] == "Hello world"


def test_render_terminal_mode_keeps_logical_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "a.txt"
    source.write_text("قال الرئيس\n", encoding="utf-8")
    assert main(["render", str(source), "--width", "12", "--bidi", "terminal"]) == 0
    assert capsys.readouterr().out == "  قال الرئيس\n"


def test_render_reports_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok \xff")
    assert main(["render", str(bad)]) == 1
    assert "not UTF-8 text (invalid byte 0xff at offset 3)" in capsys.readouterr().err
    assert main(["render", str(tmp_path / "missing.txt")]) == 1
    assert "no such file" in capsys.readouterr().err
    assert main(["render", str(bad), "--width", "0"]) == 1
    assert "--width must be at least 1" in capsys.readouterr().err
