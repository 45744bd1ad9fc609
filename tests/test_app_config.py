"""The app's config file and reading-position file: bad input gives a message and defaults."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.config import Config, load_config, parse_config
from tui.reading_position import PositionStore, ReadingPosition


def test_missing_config_is_the_defaults(tmp_path: Path) -> None:
    result = load_config(tmp_path / "none.toml")
    assert result.config == Config() and result.problems == ()


def test_valid_keys_are_kept_and_bad_ones_reported(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        'bidi = "terminal"\nshaping = "yes"\ntheme = "nord"\nside_width = 500\n'
        'default_corpus = "~/news"\ncolour = 1\n[keymap]\nsearch = "ctrl+f"\nquit = 3\n',
        encoding="utf-8",
    )
    result = load_config(path)
    config = result.config
    assert config.bidi == "terminal" and config.theme == "nord"
    assert config.shaping is True and config.side_width == 40  # bad values: defaults
    assert config.default_corpus == (Path("~/news").expanduser(),)
    assert config.keymap == {"search": "ctrl+f"}
    text = "\n".join(result.problems)
    for key in ("shaping", "side_width", "colour", "quit"):
        assert key in text
    assert str(path) in text


def test_invalid_toml_is_one_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("bidi = [unclosed", encoding="utf-8")
    result = load_config(path)
    assert result.config == Config()
    [problem] = result.problems
    assert "not valid TOML" in problem and str(path) in problem


def test_parse_config_rejects_unknown_bidi_mode() -> None:
    result = parse_config({"bidi": "sideways"})
    assert result.config.bidi == "auto" and "sideways" in result.problems[0]


def test_reading_position_round_trip_and_unreadable_file_kept_aside(tmp_path: Path) -> None:
    path = tmp_path / "data" / "position.json"
    store = PositionStore(path)
    assert store.load("corpus") is None
    store.save("corpus", ReadingPosition("a1", "a1:3"))
    store.save("other", ReadingPosition("b2"))
    assert PositionStore(path).load("corpus") == ReadingPosition("a1", "a1:3")
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == 1
    path.write_text("{not json", encoding="utf-8")
    broken = PositionStore(path)
    assert broken.load("corpus") is None
    assert broken.problem is not None and "kept" in broken.problem
    assert path.with_suffix(".bad").read_text(encoding="utf-8") == "{not json"
    broken.save("corpus", ReadingPosition("c3", None))  # a fresh file, nothing crashes
    assert PositionStore(path).load("corpus") == ReadingPosition("c3", None)


def test_launch_refuses_a_missing_corpus_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.launch import launch

    assert launch([str(tmp_path / "nowhere")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_launch_refuses_a_path_that_is_not_a_corpus(
    newsreader_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`newsreader /etc/passwd` or a malformed JSON file: one line saying why, nothing created."""
    from tui.launch import launch

    passwd = tmp_path / "passwd"
    passwd.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    broken = tmp_path / "feed.json"
    broken.write_text("{not json", encoding="utf-8")
    before = sorted(newsreader_home.rglob("*"))
    assert launch([str(passwd)]) == 1
    assert "is not a corpus file" in capsys.readouterr().err
    assert launch([str(broken)]) == 1
    assert "no article could be read" in capsys.readouterr().err
    assert sorted(newsreader_home.rglob("*")) == before


def test_keymap_entry_that_takes_another_bindings_key_is_reported(newsreader_home: Path) -> None:
    from _app_support import new_app

    from tui.keys import keymap_conflicts

    owners = new_app().binding_owners()
    [problem] = keymap_conflicts({"quit": "j"}, owners)
    # j stays "next passage" in the reader (the focused widget's binding wins): say so.
    assert 'quit = "j"' in problem and "next_passage" in problem
    assert keymap_conflicts({"search": "ctrl+f"}, owners) == []
    # Keys a binding already had are shared by design (j: next passage / extend a selection).
    assert keymap_conflicts({"next_passage": "j,down,x"}, owners) == []
    # Two screens never answer the same key press: the bookmarks list may take j.
    assert keymap_conflicts({"close_bookmarks": "j"}, owners) == []
    [twice] = keymap_conflicts({"delete_bookmark": "e"}, owners)  # d and delete: said once
    assert "edit_note" in twice


async def test_keymap_entry_taking_another_bindings_key_is_reported_at_start(
    newsreader_home: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from _app_support import new_app, notifications, search_and_open, seeded_home, settle

    seeded_home(newsreader_home, tmp_path_factory)
    config = newsreader_home / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[keymap]\nquit = "j"\n', encoding="utf-8")
    app = new_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        [warning] = [m for m in notifications(app) if 'quit = "j"' in m]
        assert "next_passage" in warning
        reader = await search_and_open(pilot)
        before = reader.current
        await pilot.press("j")  # as the warning says: j is still next passage
        assert reader.current == before + 1 and app.is_running
