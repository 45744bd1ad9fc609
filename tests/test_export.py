"""Export (md/json/csv), import, atomic writes and the ``newsreader bookmarks`` command."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from _bookmark_articles import PARAGRAPHS, make_article
from hypothesis import given, settings
from hypothesis import strategies as st

from index import export
from index.bookmarks import Bookmark, BookmarkStore, parse_tags
from index.corpus_files import root_for_article
from index.export import (
    CitationFacts,
    ImportFormatError,
    age,
    citation_facts,
    citation_text,
    export_csv,
    export_json,
    export_markdown,
    parse_json,
    write_atomic,
)
from tui.cli import main


def _samples() -> list[Bookmark]:
    article = make_article()
    start = article.text.index("بلغت 12 قتيلا")
    span = Bookmark.for_span(
        article,
        start,
        start + len("بلغت 12 قتيلا"),
        note="رقم يختلف\nبين المصادر",
        tags="أرقام حريق",
    )
    passage = Bookmark.for_passage(make_article(url=None, source=None), "a1:2")
    tricky = dataclasses.replace(
        Bookmark.for_passage(article, "a1:3"),
        quote="# ليس عنوانا\n- ولا قائمة *ولا* [رابط](x)\n\n=SUM(A1)\x1b[31m أحمر\x9b",
        note='=HYPERLINK("http://evil")',
        status="detached",
    )
    return [span, passage, tricky]


def test_json_round_trip_is_lossless() -> None:
    wire = Bookmark.for_passage(
        dataclasses.replace(make_article(), via="واس", title_composed=True), "a1:0"
    )
    older = dataclasses.replace(wire, id="older", via=None, title_composed=None)
    bookmarks = [*_samples(), wire, older]
    text = export_json(bookmarks)
    envelope = json.loads(text)
    assert envelope["format"] == "newsreader-bookmarks"
    assert envelope["version"] == 3
    assert set(envelope["bookmarks"][0]) >= {
        "id", "article_id", "article_path", "article_hash", "passage_id", "start", "end",
        "quote", "prefix", "suffix", "note", "tags", "created_at", "updated_at", "title",
        "source", "date", "url", "status", "kind", "via", "title_composed",
    }  # fmt: skip
    records = envelope["bookmarks"]
    assert [(r["via"], r["title_composed"]) for r in records[2:]] == [
        ("", False),
        ("واس", True),
        (None, None),
    ]
    assert parse_json(text) == bookmarks
    assert "\x1b" not in text and "\x9b" not in text  # escaped, not raw terminal controls


def test_a_version_1_export_still_imports_with_the_facts_its_citations_held() -> None:
    """Version 1 kept the agency and the flag only in the derived ``citation`` (read from the
    article's file at export): import takes them from there; where the file was gone (both
    null) they stay unknown."""
    span, passage, _ = _samples()
    envelope = json.loads(export_json([span, passage]))
    envelope["version"] = 1
    first, second = envelope["bookmarks"]
    for record in (first, second):
        del record["via"], record["title_composed"]
    first["citation"].update(via="واس", title_supplied=True)
    second["citation"].update(via=None, title_supplied=None)
    imported = parse_json(json.dumps(envelope))
    assert imported == [
        dataclasses.replace(span, via="واس", title_composed=True),
        dataclasses.replace(passage, via=None, title_composed=None),
    ]
    second["citation"].update(title_supplied=False)  # the file was read: no agency, known
    assert parse_json(json.dumps(envelope))[1].via == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"format": "something-else", "version": 1, "bookmarks": []}', "not a newsreader"),
        ('{"format": "newsreader-bookmarks", "version": 7, "bookmarks": []}', "newer newsreader"),
        ('{"format": "newsreader-bookmarks", "version": 1, "bookmarks": {}}', "must be a list"),
    ],
)
def test_parse_json_refuses_what_it_cannot_read(text: str, message: str) -> None:
    with pytest.raises(ImportFormatError, match=message):
        parse_json(text)


def test_parse_json_names_each_bad_record_and_imports_nothing() -> None:
    good, *_ = _samples()
    records = json.loads(export_json([good, good]))
    del records["bookmarks"][0]["quote"]
    records["bookmarks"][1]["start"] = "12"
    records["bookmarks"].append(records["bookmarks"][1] | {"start": 1, "title_composed": "yes"})
    records["bookmarks"].append(records["bookmarks"][2] | {"title_composed": None, "via": 3})
    with pytest.raises(ImportFormatError) as caught:
        parse_json(json.dumps(records))
    message = str(caught.value)
    assert "bookmark 1 has no 'quote'" in message
    assert "bookmark 2 'start' must be an integer" in message
    assert "bookmark 3 'title_composed' must be true, false or null" in message
    assert "bookmark 4 'via' must be a string or null" in message
    assert "nothing was imported" in message


def test_markdown_cites_and_blockquotes_every_line() -> None:
    span, passage, tricky = _samples()
    text = export_markdown([span, passage, tricky])
    assert "- **Outlet:** الجزيرة نت" in text
    assert "- **Title:** حريق في مبنى سكني" in text
    assert "- **Date:** 2024-01-25" in text
    assert "- **URL:** <https://example.org/fire>" in text
    assert "> بلغت 12 قتيلا" in text
    assert "**Note:** رقم يختلف\nبين المصادر" in text
    assert "**Tags:** أرقام, حريق" in text
    # Without URL or outlet the missing URL is said and the file given; the outlet is unknown.
    assert "- **URL:** no URL\n- **File:** `corpus/a1.txt`" in text
    assert "- **Outlet:** unknown outlet" in text
    assert f"> {PARAGRAPHS[2]}" in text
    # Markdown in article text cannot become structure; controls never reach the output.
    assert "> \\# ليس عنوانا" in text
    assert "> \\- ولا قائمة \\*ولا\\* \\[رابط\\](x)" in text
    assert "\n>\n> \\=SUM(A1)\ufffd\\[31m أحمر\ufffd" in text
    assert "\x1b" not in text and "\x9b" not in text
    assert "*Detached:" in text


WIRE = CitationFacts(via="واس", title_supplied=True)


def test_citation_line_says_every_part_and_marks_what_newsreader_supplied() -> None:
    span, passage, _ = _samples()
    assert citation_text(span) == (
        'الجزيرة نت. "حريق في مبنى سكني". 2024-01-25. https://example.org/fire.'
    )
    assert citation_text(span, WIRE) == (
        "الجزيرة نت, via واس. [حريق في مبنى سكني]. 2024-01-25. https://example.org/fire."
    )
    unknown = dataclasses.replace(passage, title="", date=None)
    assert citation_text(unknown) == "unknown outlet. [untitled]. undated. no URL."
    assert citation_text(unknown, CitationFacts(via="واس")) == (
        "unknown outlet, via واس. [untitled]. undated. no URL."
    )


def test_every_format_carries_the_agency_the_supplied_title_and_no_url() -> None:
    """The finding: an SPA reprint was cited without "via واس", a made-up title as if the
    outlet's, and a missing URL by leaving it out. Each format now says all three."""
    span, passage, _ = _samples()
    facts = {span.id: WIRE, passage.id: CitationFacts(title_supplied=False)}

    markdown = export_markdown([span, passage], facts)
    assert "## 1. \\[حريق في مبنى سكني\\]\n" in markdown
    assert "- **Outlet:** الجزيرة نت, via واس\n" in markdown
    assert "- **Title:** \\[حريق في مبنى سكني\\] (supplied: the text states no headline" in markdown
    assert "## 2. حريق في مبنى سكني\n" in markdown  # the outlet's own title: as written
    assert "- **URL:** no URL\n- **File:** `corpus/a1.txt`" in markdown

    rows = list(csv.DictReader(io.StringIO(export_csv([span, passage], facts), newline="")))
    assert list(rows[0])[-4:] == ["via", "title_supplied", "citation", "current_text"]  # at end
    assert (rows[0]["via"], rows[0]["title_supplied"]) == ("واس", "yes")
    assert rows[0]["citation"] == citation_text(span, WIRE)
    assert (rows[1]["url"], rows[1]["title_supplied"]) == ("", "no")
    assert rows[1]["citation"].endswith(". no URL.")

    envelope = json.loads(export_json([span, passage], facts))
    first, second = (record["citation"] for record in envelope["bookmarks"])
    assert first == {"text": citation_text(span, WIRE), "via": "واس", "title_supplied": True}
    assert second["via"] is None and second["title_supplied"] is False
    assert second["text"].endswith(". no URL.")
    assert parse_json(json.dumps(envelope)) == [span, passage]  # derived: import ignores it

    kept = json.loads(export_json([span]))["bookmarks"][0]["citation"]
    assert kept["title_supplied"] is False and kept["via"] is None  # recorded: its own title
    older = dataclasses.replace(span, via=None, title_composed=None)
    unknown = json.loads(export_json([older]))["bookmarks"][0]["citation"]
    assert unknown["title_supplied"] is None and unknown["via"] is None


def test_csv_quotes_properly_and_defuses_formulas() -> None:
    span, passage, tricky = _samples()
    rows = list(csv.DictReader(io.StringIO(export_csv([span, passage, tricky]), newline="")))
    assert [r["id"] for r in rows] == [span.id, passage.id, tricky.id]
    assert rows[0]["quote"] == "بلغت 12 قتيلا"
    assert rows[0]["note"] == "رقم يختلف\nبين المصادر"  # a newline inside a quoted cell
    assert rows[0]["tags"] == "أرقام, حريق"
    assert rows[0]["source"] == "الجزيرة نت" and rows[1]["source"] == ""
    assert (rows[0]["start"], rows[0]["end"]) == (str(span.start), str(span.end))
    assert rows[2]["note"] == '\'=HYPERLINK("http://evil")'
    assert rows[2]["status"] == "detached"
    assert "\x1b" not in rows[2]["quote"]


def test_write_atomic_replaces_whole_files_and_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.csv"
    write_atomic(target, "أ,ب\r\n", bom=True)
    assert target.read_bytes() == "\ufeffأ,ب\r\n".encode()
    assert target.read_text(encoding="utf-8-sig") == "أ,ب\n"

    def failing_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(export.os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, "new content")
    assert target.read_bytes() == "\ufeffأ,ب\r\n".encode()  # the old file, untouched
    assert os.listdir(tmp_path) == ["out.csv"]  # no temp file left behind


def test_age_reads_like_speech() -> None:
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

    def ago(**delta: float) -> str:
        return age((now - timedelta(**delta)).strftime("%Y-%m-%dT%H:%M:%S.000Z"), now)

    assert ago(seconds=5) == "just now"
    assert ago(minutes=1) == "1 minute ago"
    assert ago(hours=5) == "5 hours ago"
    assert ago(days=1, hours=2) == "yesterday"
    assert ago(days=3) == "3 days ago"
    assert ago(days=20) == "2 weeks ago"
    assert ago(days=100) == "3 months ago"
    assert ago(days=800) == "2 years ago"
    assert age("not a date", now) == ""


# --- the command line ------------------------------------------------------------------------


def _fill_store(days_old: int = 3) -> list[Bookmark]:
    created = (datetime.now(UTC) - timedelta(days=days_old, minutes=5)).strftime(
        "%Y-%m-%dT%H:%M:%S.000Z"
    )
    with BookmarkStore.open_default() as store:
        return [
            store.add(dataclasses.replace(b, created_at=created, updated_at=created))
            for b in _samples()
        ]


def test_cli_list_prints_a_table(newsreader_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bookmarks", "list"]) == 0
    assert "No bookmarks yet" in capsys.readouterr().out

    _fill_store()
    assert main(["bookmarks", "list"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "AGE", "OUTLET", "ARTICLE", "QUOTE", "NOTE"]
    assert len(lines) == 4
    assert "3 days ago" in out
    assert "بلغت 12 قتيلا" in out and "الجزيرة نت" in out and "حريق في مبنى سكني" in out
    assert "رقم يختلف بين المصادر #أرقام #حريق" in out  # note flattened to one line
    assert "[detached] # ليس عنوانا" in out
    assert "…" in out  # the long passage quote is cut
    assert "\x1b" not in out and "\x9b" not in out

    assert main(["bookmarks", "list", "--filter", "المصادر"]) == 0  # in the note
    filtered = capsys.readouterr().out.splitlines()
    assert len(filtered) == 2 and "بلغت 12 قتيلا" in filtered[1]
    assert main(["bookmarks", "list", "--filter", "لا يوجد"]) == 0
    assert capsys.readouterr().out == "No bookmark matches.\n"


def test_cli_list_json_and_filter(
    newsreader_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made = _fill_store()
    assert main(["bookmarks", "list", "--json"]) == 0
    listed = parse_json(capsys.readouterr().out)
    assert sorted(b.id for b in listed) == sorted(b.id for b in made)

    assert main(["bookmarks", "list", "--json", "--filter", "بلغت"]) == 0
    assert [b.id for b in parse_json(capsys.readouterr().out)] == [made[0].id]
    assert main(["bookmarks", "list", "--tag", "حريق"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_cli_export_files_and_import_round_trip(
    newsreader_home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    made = _fill_store()
    out = tmp_path / "out"
    out.mkdir()
    for fmt in ("md", "json", "csv"):
        assert main(["bookmarks", "export", "--format", fmt, "-o", str(out / f"b.{fmt}")]) == 0
    assert "Wrote 3 bookmark(s)" in capsys.readouterr().err
    assert (out / "b.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert "> بلغت 12 قتيلا" in (out / "b.md").read_text(encoding="utf-8")
    exported = parse_json((out / "b.json").read_text(encoding="utf-8"))
    assert [b.id for b in exported] == [b.id for b in made]  # oldest first

    monkeypatch.setenv("NEWSREADER_HOME", str(tmp_path / "elsewhere"))
    assert main(["bookmarks", "import", str(out / "b.json")]) == 0
    assert "Imported 3 bookmark(s)" in capsys.readouterr().out
    assert main(["bookmarks", "import", str(out / "b.json")]) == 0
    assert "Imported 0 bookmark(s)" in capsys.readouterr().out  # same ids: skipped
    assert main(["bookmarks", "export", "--format", "json"]) == 0
    assert parse_json(capsys.readouterr().out) == exported


def test_cli_import_refuses_bad_files(
    newsreader_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "newsreader-bookmarks", "version": 1, "bookmarks": [{}]}')
    assert main(["bookmarks", "import", str(bad)]) == 1
    assert "bookmark 1 has no 'id'" in capsys.readouterr().err
    assert main(["bookmarks", "import", str(tmp_path / "missing.json")]) == 1
    assert "no such file" in capsys.readouterr().err
    with BookmarkStore.open_default() as store:
        assert store.list() == []


def test_cli_reports_an_unreadable_store(
    newsreader_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = newsreader_home / "data" / "bookmarks.sqlite"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x00garbage" * 100)
    assert main(["bookmarks", "list"]) == 0
    captured = capsys.readouterr()
    assert "Your bookmarks database could not be read" in captured.err
    assert "No bookmarks yet" in captured.out
    assert len(list(path.parent.glob("bookmarks.sqlite.unreadable-*"))) == 1


def test_cli_reanchors_against_a_corpus(
    newsreader_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("index.corpus")
    from index.corpus import load_corpus

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    article_file = corpus / "fire.txt"
    article_file.write_text(
        "حريق في مبنى سكني\n\n" + "\n\n".join(PARAGRAPHS) + "\n", encoding="utf-8"
    )
    article = load_corpus([corpus]).articles[0]
    start = article.text.index("بلغت 12 قتيلا")
    with BookmarkStore.open_default() as store:
        kept = store.add(Bookmark.for_span(article, start, start + len("بلغت 12 قتيلا")))
        lost = store.add(Bookmark.for_span(article, *_range(article.text, "الدخان غطى الحي")))

    article_file.write_text(
        "حريق في مبنى سكني\n\nتحديث عاجل من المراسل.\n\n"
        + "\n\n".join((PARAGRAPHS[0], PARAGRAPHS[1], PARAGRAPHS[3]))
        + "\n",
        encoding="utf-8",
    )
    assert main(["bookmarks", "list", "--json", "--corpus", str(corpus)]) == 0
    captured = capsys.readouterr()
    assert "1 could not be found" in captured.err
    by_id = {b.id: b for b in parse_json(captured.out)}
    assert by_id[kept.id].status == "reanchored"
    assert by_id[kept.id].start > kept.start
    assert by_id[lost.id].status == "detached"
    assert by_id[lost.id].quote == "الدخان غطى الحي"


def test_cli_export_cites_from_what_the_bookmark_kept_after_the_file_is_gone(
    newsreader_home: Path, tmp_path: Path, seeds_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Seed 002 is an AFP wire (its catalog's ``via``) with no headline (the loader titled it
    with its first sentence); 001 is CNN's own headline. Bookmarked from the index, as the app
    does, they keep both facts: the citation still says them with the file and the catalog
    deleted. Bookmarks made before the facts were kept ask the file: 004's is there (its title
    was composed), 003's is gone (unknown)."""
    from index.store import CorpusIndex

    corpus = tmp_path / "seeds"
    shutil.copytree(seeds_dir, corpus)
    index = CorpusIndex.open([corpus], index_root=tmp_path / "index", update=True)
    articles = {a[:3]: index.article(a) for a in index.article_ids()}
    index.close()
    with BookmarkStore.open_default() as store:
        for key in ("001", "002", "004", "003"):
            article = articles[key]
            assert article is not None
            made = Bookmark.for_passage(article, article.passages[0].id)
            if key in ("003", "004"):  # as a store migrated from before v3 has them
                made = dataclasses.replace(made, via=None, title_composed=None)
            store.add(made)
    for name in ("002_e5108af2acbeb66d.txt", "003_5d43b0060513f0c9.txt", "catalog.toml"):
        (corpus / name).unlink()

    assert main(["bookmarks", "export", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)["bookmarks"]
    cnn, wire, lede, gone = (record["citation"] for record in records)
    assert cnn["text"].startswith('CNN. "مصدر يفسر تحذير أمريكا لإيران')
    assert (cnn["via"], cnn["title_supplied"]) == (None, False)
    assert wire["text"].startswith("كويت نيوز, via أ ف ب. [قال مسؤول أميركي الخميس")
    assert wire["text"].endswith("…]. undated. no URL.")
    assert (wire["via"], wire["title_supplied"]) == ("أ ف ب", True)
    assert (records[1]["via"], records[1]["title_composed"]) == ("أ ف ب", True)  # kept
    assert lede["title_supplied"] is True and lede["text"].startswith("unknown outlet. [")
    assert (records[2]["via"], records[2]["title_composed"]) == (None, None)  # not recorded
    assert gone["title_supplied"] is None and gone["text"].startswith('إرم نيوز. "إيران')

    assert main(["bookmarks", "export", "--format", "md"]) == 0
    markdown = capsys.readouterr().out
    assert "- **Outlet:** كويت نيوز, via أ ف ب\n" in markdown
    assert "## 2. \\[قال مسؤول أميركي الخميس" in markdown
    # 002's composed title was cut short: the note says so rather than "its first sentence"
    assert "…\\] (supplied: the text states no headline; these are its first words)" in markdown
    assert markdown.count("- **URL:** no URL\n") == 4

    assert main(["bookmarks", "list", "--json"]) == 0  # the same document as the export
    listed = {b["id"]: b["citation"] for b in json.loads(capsys.readouterr().out)["bookmarks"]}
    assert listed == {r["id"]: r["citation"] for r in records}


# --- what a citation finds in the article's file ---------------------------------------------


def test_root_for_article_undoes_the_id_scheme() -> None:
    assert root_for_article(Path("/c/sub/dir/name.txt"), "sub/dir/name") == Path("/c")
    assert root_for_article(Path("/c/name.txt"), "name") == Path("/c")
    assert root_for_article(Path("/c/sub/feed.jsonl"), "sub/feed#3") == Path("/c")
    assert root_for_article(Path("/c/2015-07-21.zip"), "2015-07-21#17") == Path("/c")
    assert root_for_article(Path("/c/sub/archive.zip"), "sub/archive/day#2") == Path("/c")


def test_citation_facts_read_a_file_only_for_a_bookmark_that_lacks_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "wire.txt").write_text(
        "قال المتحدث إن الحريق اندلع في الطابق الثالث. وأضاف أن الفرق أخمدته.", encoding="utf-8"
    )
    (tmp_path / "catalog.toml").write_text('[defaults]\nvia = "واس"\n', encoding="utf-8")
    from index import corpus

    (article,), _ = corpus.load_file(tmp_path / "wire.txt")
    kept = Bookmark.for_passage(article, article.passages[0].id)
    older = dataclasses.replace(kept, id="older", via=None, title_composed=None)
    retitled = dataclasses.replace(older, id="retitled", title="عنوان آخر")
    gone = dataclasses.replace(older, id="gone", article_path=str(tmp_path / "gone.txt"))
    read: list[Path] = []
    real_load_file = corpus.load_file

    def load_file(path: Path, **kw: Any) -> Any:
        read.append(Path(path))
        return real_load_file(path, **kw)

    monkeypatch.setattr(corpus, "load_file", load_file)
    assert citation_facts([kept]) == {kept.id: CitationFacts("واس", True)}
    assert read == []  # what the bookmark keeps needs no file

    facts = citation_facts([kept, older, retitled, gone])
    assert read == [tmp_path / "wire.txt"]  # once, for both bookmarks of the file
    assert facts == {
        kept.id: CitationFacts("واس", True),
        "older": CitationFacts("واس", True),  # the loader's facts for the article now
        "retitled": CitationFacts("واس", None),  # the flag is about another title
        "gone": CitationFacts(None, None),
    }


def _range(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


@settings(max_examples=60, deadline=None)
@given(
    quote=st.text(min_size=1, max_size=40).filter(lambda t: t.strip() != ""),
    note=st.text(max_size=40),
    title=st.text(max_size=20),
    source=st.none() | st.text(max_size=10),
    tags=st.lists(st.text(max_size=6), max_size=3),
)
def test_any_text_survives_json_and_stays_safe_in_every_format(
    quote: str, note: str, title: str, source: str | None, tags: list[str]
) -> None:
    bookmark = dataclasses.replace(
        _samples()[0], quote=quote, note=note, title=title, source=source, tags=parse_tags(tags)
    )
    text = export_json([bookmark])
    assert parse_json(text) == [bookmark]
    facts = {bookmark.id: CitationFacts(via=title or None, title_supplied=True)}
    rendered_all = (
        text,
        export_json([bookmark], facts),
        export_markdown([bookmark], facts),
        export_csv([bookmark], facts),
    )
    for rendered in (*rendered_all, export_markdown([bookmark]), export_csv([bookmark])):
        assert not any(0x80 <= ord(c) <= 0x9F or c == "\x1b" for c in rendered)
