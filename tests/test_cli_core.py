"""The headless commands: index, search (text and JSON), passages, locate."""

from __future__ import annotations

import json
import os
import re
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
    assert "missing does not exist" in capsys.readouterr().err


def _not_a_corpus(tmp_path: Path) -> dict[str, Path]:
    """One path of each kind that cannot be a corpus."""
    passwd = tmp_path / "passwd"
    passwd.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    table = tmp_path / "table.csv"
    table.write_text("a,b\n", encoding="utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "feed.json").write_text("{not json", encoding="utf-8")
    no_records = tmp_path / "none.json"
    no_records.write_text("[]", encoding="utf-8")
    return {
        "does not exist": tmp_path / "missing",
        "is not a corpus file (a file without an extension)": passwd,
        "is not a corpus file (a .csv file)": table,
        "holds no article files": empty,
        "no article could be read from the corpus: ": broken,
        "none.json: no text: an empty JSON array": no_records,
    }


@pytest.mark.parametrize("command", [["index"], ["search", "إيران"], ["locate"]])
def test_a_path_that_is_not_a_corpus_is_refused_and_nothing_is_created(
    newsreader_home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, command: list[str]
) -> None:
    """`--corpus /etc/passwd` once made an empty index in the cache and said nothing: now one
    line says what is wrong and what to pass, the status is 1, and no directory is made."""
    for said, path in _not_a_corpus(tmp_path).items():
        code = main([*command, "--corpus", str(path)])
        captured = capsys.readouterr()
        if command == ["locate"] and said.startswith(("no article", "none.json")):
            assert code == 0 and captured.err == ""  # locate reads no file, names places
            continue
        assert code == 1, said
        assert captured.out == ""
        assert captured.err.startswith("newsreader: ") and captured.err.count("\n") == 1
        assert said in captured.err
        assert "; pass " in captured.err and ".txt, .md, .json" in captured.err
        assert not newsreader_home.exists(), f"{said}: created {list(newsreader_home.rglob('*'))}"


def test_bookmarks_reanchor_refuses_a_corpus_with_no_article(
    newsreader_home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Re-anchoring against nothing would say every bookmark's article is missing."""
    for said, path in _not_a_corpus(tmp_path).items():
        assert main(["bookmarks", "list", "--corpus", str(path)]) == 1, said
        err = capsys.readouterr().err
        assert said.split(":")[0] in err and err.count("\n") == 1


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


def _documented_exit_statuses() -> dict[int, str]:
    """The README's exit-status table: status → its meaning."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d+) \| (.+) \|$", readme, flags=re.MULTILINE)
    return {int(code): meaning for code, meaning in rows}


def _documented(statuses: dict[int, str], words: str) -> int:
    (code,) = [code for code, meaning in statuses.items() if words in meaning]
    return code


def _run(*argv: str, home: Path) -> subprocess.CompletedProcess[str]:
    """The installed program's entry point, in a child process: the real exit status."""
    env = {**os.environ, "NEWSREADER_HOME": str(home)}
    env.pop("NEWSREADER_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-c", "import sys; from tui.cli import main; sys.exit(main())", *argv],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=120,
    )


def test_exit_statuses_are_the_documented_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """README's table is the contract scripts rely on: usage errors (argparse) exit 2, a bad
    input file 1, an interrupt 130, success 0."""
    statuses = _documented_exit_statuses()
    assert set(statuses) == {0, 1, 2, 130}
    home = tmp_path / "home"
    passwd = tmp_path / "passwd"
    passwd.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")

    usage = _documented(statuses, "usage error")
    for argv in (["index", "--no-such-option"], ["search"], ["bookmarks", "nosuch"], ["--bidi=x"]):
        done = _run(*argv, home=home)
        assert done.returncode == usage, (argv, done.stderr)
        assert "usage: newsreader" in done.stderr

    bad_input = _documented(statuses, "a path that is not a corpus")
    for argv in (["index", "--corpus", str(passwd)], ["bookmarks", "import", str(passwd)]):
        done = _run(*argv, home=home)
        assert done.returncode == bad_input, (argv, done.stderr)
        assert done.stderr.startswith("newsreader: ") and done.stderr.count("\n") == 1
    done = _run(str(tmp_path / "missing"), home=home)  # the app, on a path that is not there
    assert done.returncode == bad_input, done.stderr

    assert _run("locate", home=home).returncode == _documented(statuses, "success")

    import tui.commands.locate_cmd as locate_cmd

    def interrupted(args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(locate_cmd, "run", interrupted)
    monkeypatch.setenv("NEWSREADER_HOME", str(home))
    assert main(["locate"]) == _documented(statuses, "interrupted")
    assert capsys.readouterr().err == "newsreader: interrupted\n"
