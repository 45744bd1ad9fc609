"""The installed ``newsreader`` in a real terminal (tmux, 100x30): what a user sees.

Keys are sent with ``tmux send-keys`` and the screen is read back with ``capture-pane``: the
article title must be on screen exactly as the RTL engine lays it out (visual order, shaped),
right-aligned against the gutter; a search hit must be drawn with a background colour; a
bookmark made before quitting must be in the list after a restart. A terminal has no "idle"
signal, so the test polls the screen until the expected text appears (bounded by a deadline).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from _app_support import QUERY, SEEDS, seeded_home

from tui.rtl import LayoutOptions, layout

NEWSREADER = Path(sys.executable).parent / "newsreader"
DEADLINE = 30.0
SGR = re.compile(r"\x1b\[([0-9;]*)m")

pytestmark = [
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.skipif(not NEWSREADER.exists(), reason=f"{NEWSREADER} is not installed"),
]


@pytest.fixture
def home(newsreader_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeded_home(newsreader_home, tmp_path_factory)


class Terminal:
    """One tmux session running the app."""

    def __init__(self, home: Path, name: str) -> None:
        self.name = name
        self.tmux = ["tmux", "-L", name]  # a private server: other clients cannot resize us
        command = f"env NEWSREADER_HOME={home} {NEWSREADER} --bidi app"
        subprocess.run(
            [*self.tmux, "new-session", "-d", "-s", name, "-x", "100", "-y", "30", command],
            check=True,
        )

    def send(self, *keys: str, literal: bool = False) -> None:
        args = [*self.tmux, "send-keys", "-t", self.name]
        subprocess.run([*args, "-l", *keys] if literal else [*args, *keys], check=True)

    def screen(self, *, escapes: bool = False) -> list[str]:
        args = [*self.tmux, "capture-pane", "-p", "-t", self.name] + (["-e"] if escapes else [])
        out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
        return out.split("\n")

    def wait_for(self, check: Callable[[list[str]], bool], what: str) -> list[str]:
        end = time.monotonic() + DEADLINE
        while time.monotonic() < end:
            lines = self.screen()
            if check(lines):
                return lines
            time.sleep(0.1)  # polling a real terminal: there is no idle event to wait on
        raise AssertionError(f"timed out waiting for {what}; screen:\n" + "\n".join(self.screen()))

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], check=False)


def _core_article_and_hits() -> tuple[str, list[str]]:
    """The first result's title and its hit words, from the core (what the app must show)."""
    from tui.config import Config
    from tui.services import open_services

    services = open_services([SEEDS], Config())
    services.open()
    try:
        result = services.search(QUERY)
        hit = result.hits[0]
        article = services.article(hit.article_id)
        assert article is not None
        from index.search import highlight_spans

        words = sorted(
            {article.text[s.start : s.end] for s in highlight_spans(article.text, result.terms)}
        )
        return article.title, words
    finally:
        services.close()


def test_real_terminal_search_read_and_bookmark_across_a_restart(home: Path) -> None:
    title, hit_words = _core_article_and_hits()
    options = LayoutOptions(mode="app", shape=True)
    name = f"nrtest-{os.getpid()}"
    term = Terminal(home, f"{name}-first")
    try:
        term.wait_for(lambda s: any("Type to search" in line for line in s), "the search pane")
        term.send(QUERY, literal=True)
        term.wait_for(
            lambda s: any(re.search(r"\b\d+ results?\.", line) for line in s), "search results"
        )
        term.send("Enter")  # opens the first result (the results are already there)
        # The reader is the left pane while reading (narrow layout); the related panel's
        # border is the first "▏" of a row. g goes to the top, where the title is.
        lines = term.wait_for(lambda s: "▏" in s[0] and s[0].strip() != "", "the article")
        border = lines[0].index("▏")
        text_width = border - 1 - 2  # the reader's scrollbar, then its two-cell gutter
        expected = layout(title, text_width, options)[0]
        term.send("g")
        lines = term.wait_for(
            lambda s: s[0][:text_width].rstrip().endswith(expected.text.rstrip()), "the title"
        )
        row = lines[0][:text_width]
        assert row.rstrip() == " " * (text_width - expected.width) + expected.text.rstrip()
        assert len(row.rstrip()) == text_width  # right-aligned against the gutter
        # A hit is drawn with a background colour, its letters in visual order.
        visual_hits = {layout(word, 200, options)[0].text for word in hit_words}
        highlighted = []
        term.send("n")  # to the first hit (the title may not hold one)
        term.wait_for(lambda s: any("▌" in line for line in s), "the current passage")
        for line in term.screen(escapes=True):
            parts = SGR.split(line)
            # parts: text, params, text, params, text ...
            for params, text in zip(parts[1::2], parts[2::2], strict=True):
                if "48;" in params and text.strip():
                    highlighted.append(text.strip())
        assert visual_hits & set(highlighted), (visual_hits, highlighted[:20])
        # m then Enter bookmarks the passage; q quits; after a restart M lists it.
        term.send("m")
        term.wait_for(lambda s: any("Note (optional)" in line for line in s), "the note dialog")
        term.send("Enter")
        term.wait_for(
            lambda s: not any("Note (optional)" in line for line in s), "the dialog to close"
        )
        term.send("q")
        term.wait_for(lambda s: not any("▏" in line for line in s), "the app to quit")
    finally:
        term.close()
    term = Terminal(home, f"{name}-restart")
    try:
        term.wait_for(lambda s: "▏" in s[0] or any("▏" in line for line in s), "the app to restart")
        term.wait_for(lambda s: any("▌" in line for line in s), "the reopened article")
        term.send("M")
        term.wait_for(lambda s: any("1 bookmark." in line for line in s), "the bookmarks list")
    finally:
        term.close()


def _run_in_pty(command: list[str], env: dict[str, str]) -> bytes:
    import pty

    master, slave = pty.openpty()
    process = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    output = bytearray()
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=60)
    os.close(master)
    assert process.returncode == 0, output[-2000:]
    return bytes(output)


@pytest.mark.parametrize(("mode", "expect_explicit"), [("app", True), ("terminal", False)])
def test_app_bidi_mode_asks_the_terminal_for_explicit_mode_and_restores_it(
    home: Path, mode: str, expect_explicit: bool
) -> None:
    from tui.rtl import BIDI_EXPLICIT_MODE_ON, BIDI_EXPLICIT_MODE_RESTORE

    env = dict(os.environ, NEWSREADER_HOME=str(home), NEWSREADER_EXIT_AFTER_FIRST_FRAME="1")
    env["TERM"] = "xterm-256color"
    output = _run_in_pty([str(NEWSREADER), "--bidi", mode], env)
    on, restore = BIDI_EXPLICIT_MODE_ON.encode(), BIDI_EXPLICIT_MODE_RESTORE.encode()
    if expect_explicit:
        assert output.startswith(on)  # before Textual draws anything
        assert output.rstrip(b"\r\n").endswith(restore)  # after Textual restored the screen
    else:
        assert on not in output and restore not in output
