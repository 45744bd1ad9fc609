"""The headless commands: index, search (text and JSON), passages, locate."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli import main

REPO = Path(__file__).resolve().parents[1]


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_search_json_is_the_documented_format(
    newsreader_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = run_json(capsys, "search", '"واجب التحذير"', "--json")
    assert isinstance(document, dict)
    assert set(document) == {"query", "total", "notice", "terms", "hits"}
    assert document["query"] == '"واجب التحذير"'
    assert document["total"] == 4
    ids = sorted(hit["id"][:3] for hit in document["hits"])
    assert ids == ["000", "001", "002", "004"]
    for rank, hit in enumerate(document["hits"], start=1):
        assert set(hit) == {
            "rank",
            "id",
            "title",
            "title_highlights",
            "source",
            "date",
            "url",
            "score",
            "passages",
        }
        assert hit["rank"] == rank and isinstance(hit["score"], float)
        assert hit["passages"], "every hit shows a passage"
        for passage in hit["passages"]:
            assert set(passage) == {"id", "start", "end", "text", "highlights", "score"}
            assert passage["id"].startswith(hit["id"] + ":")
            assert passage["end"] - passage["start"] == len(passage["text"])
            marked = [passage["text"][s:e] for s, e in passage["highlights"]]
            assert any(word.endswith("التحذير") for word in marked), marked
    assert [h["source"] for h in document["hits"] if h["id"].startswith("001")] == ["CNN"]


def test_search_json_offsets_point_into_the_article(
    newsreader_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = run_json(capsys, "search", "تحذير", "--json", "--limit", "1")
    assert isinstance(document, dict)
    assert len(document["hits"]) == 1 and document["total"] > 1
    hit = document["hits"][0]
    passages = run_json(capsys, "passages", hit["id"], "--json")
    assert isinstance(passages, dict)
    by_id = {p["id"]: p for p in passages["passages"]}
    for shown in hit["passages"]:
        full = by_id[shown["id"]]
        assert (full["start"], full["end"], full["text"]) == (
            shown["start"],
            shown["end"],
            shown["text"],
        )
    assert passages["article"]["id"] == hit["id"]


def test_search_text_output_is_logical_order(
    newsreader_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "كروكوس"]) == 0
    out = capsys.readouterr().out
    assert "003_5d43b0060513f0c9" in out
    assert "كروكوس" in out  # logical order: the word as stored, not reversed for display
    assert "سوكوروك" not in out
    assert "\x1b" not in out  # captured output is not a terminal: no escape sequences


def test_bad_query_is_an_error_on_stderr(
    newsreader_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", '"واجب', "--json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "quote" in captured.err


def test_unknown_article_and_missing_corpus_are_errors(
    newsreader_home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["passages", "no-such-article"]) == 1
    assert "no article" in capsys.readouterr().err
    assert main(["search", "إيران", "--corpus", str(tmp_path / "missing")]) == 1
    assert "not found" in capsys.readouterr().err


def test_index_command_summary_and_custom_corpus(
    newsreader_home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, seeds_dir: Path
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy2(seeds_dir / "003_5d43b0060513f0c9.txt", corpus)
    (corpus / "broken.txt").write_bytes(b"\x00\x01binary\x00" * 50)
    assert main(["index", "--corpus", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert "Indexed 1 articles" in out
    assert "broken.txt" in out and "Skipped 1" in out
    assert main(["index", "--corpus", str(corpus)]) == 0
    assert "up to date" in capsys.readouterr().out
    assert main(["index", "--corpus", str(corpus), "--rebuild"]) == 0
    assert "a rebuild was asked for" in capsys.readouterr().out
    document = run_json(capsys, "search", "كروكوس", "--json", "--corpus", str(corpus))
    assert isinstance(document, dict)
    assert [h["id"] for h in document["hits"]] == ["003_5d43b0060513f0c9"]


def test_locate_lists_the_places_under_newsreader_home(
    newsreader_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    places = run_json(capsys, "locate", "--json")
    assert isinstance(places, dict)
    assert set(places) == {"config", "data", "cache", "index", "seeds"}
    for key in ("config", "data", "cache", "index"):
        assert Path(places[key]).is_relative_to(newsreader_home)
    assert main(["locate"]) == 0
    assert str(newsreader_home) in capsys.readouterr().out


def test_commands_do_not_import_textual(newsreader_home: Path) -> None:
    code = (
        "import sys\n"
        "from tui.cli import main\n"
        "main(['search', 'إيران', '--json'])\n"
        "main(['locate'])\n"
        "print('TEXTUAL' if 'textual' in sys.modules else 'CLEAN', file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().endswith("CLEAN"), done.stderr
