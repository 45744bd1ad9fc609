"""Loading a corpus: formats, catalogs, ids, skipped files with reasons, the summary."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from index.corpus import (
    SkippedCount,
    collect_corpus_files,
    count_skipped,
    describe_skipped,
    file_fingerprint,
    format_load_summary,
    iter_corpus_files,
    load_corpus,
    load_file,
    probe_corpus,
    reason_category,
)
from index.corpus_files import (
    CorpusPathError,
    check_corpus_paths,
    corpus_path_problem,
)
from index.encoding import decode_bytes
from index.models import LoadIssue

DATA = Path(__file__).resolve().parent / "data"


def _reasons(report_skipped: list[LoadIssue]) -> dict[str, str]:
    return {Path(issue.path).name: issue.reason for issue in report_skipped}


# --- the seeds -----------------------------------------------------------------------------


def test_seeds_titles_sources_dates(seeds_dir: Path) -> None:
    report = load_corpus([seeds_dir])
    assert report.files_read == 5 and not report.skipped
    by_id = {a.id: a for a in report.articles}
    assert sorted(by_id) == [
        "000_f9b92358ab5c809d",
        "001_59676fb50e180bdc",
        "002_e5108af2acbeb66d",
        "003_5d43b0060513f0c9",
        "004_f96fd85b3ed2acb1",
    ]
    s000, s001, s002, s003, s004 = (by_id[key] for key in sorted(by_id))
    assert s000.title.startswith('"وول ستريت جورنال": تفاصيل تحذير أميركي')
    assert s000.source is None  # cites the WSJ, never names its own outlet
    assert s000.date == "2024-01-25"
    assert s001.source == "CNN" and s001.title.startswith("مصدر يفسر تحذير أمريكا")
    assert s002.source == "كويت نيوز"
    assert s002.title.startswith("قال مسؤول أميركي الخميس")  # from the lede
    assert s003.source == "إرم نيوز"
    assert s003.title == 'إيران حذرت روسيا من خطر أمني قبل هجوم موسكو.. ما علاقة "تفجيرات كرمان"؟'
    assert s004.source is None and s004.date is None
    for article in report.articles:
        assert article.raw == (seeds_dir / f"{article.id}.txt").read_text(encoding="utf-8")
        assert article.path == str((seeds_dir / f"{article.id}.txt").resolve())
        assert len(article.content_hash) == 16


def test_the_loader_records_the_agency_and_the_composed_title(seeds_dir: Path) -> None:
    """What a citation needs is recorded when the article is read: 002 is an AFP wire (its
    catalog's ``via``) and, like 004, states no headline, so the loader titled both with their
    first sentence."""
    by_key = {a.id[:3]: a for a in load_corpus([seeds_dir]).articles}
    assert {key for key, a in by_key.items() if a.title_composed} == {"002", "004"}
    assert {key: a.via for key, a in by_key.items() if a.via} == {"002": "أ ف ب"}


def test_agency_and_composed_title_of_texts_catalogs_and_records(tmp_path: Path) -> None:
    (tmp_path / "headline.txt").write_text("عنوان الخبر\n\nنص الخبر هنا.", encoding="utf-8")
    (tmp_path / "lede.txt").write_text(
        "قال المتحدث إن الحريق اندلع في الطابق الثالث. وأضاف أن الفرق أخمدته.", encoding="utf-8"
    )
    body = "قال المتحدث إن الحريق اندلع. وأضاف أنه انطفأ."
    records = [
        {"title": "عنوان مذكور", "content": body, "via": "واس"},
        {"content": body, "agency": "رويترز"},
        # a stated title that is exactly the first sentence: stated all the same
        {"title": "قال المتحدث إن الحريق اندلع", "content": body},
    ]
    (tmp_path / "feed.json").write_text(json.dumps(records), encoding="utf-8")
    (tmp_path / "catalog.toml").write_text(
        '[defaults]\nsource = "صحيفة"\nvia = "واس"\n\n'
        '[articles."lede.txt"]\ntitle = "عنوان من الفهرس"\n',
        encoding="utf-8",
    )
    articles = {a.id: a for a in load_corpus([tmp_path]).articles}
    assert articles["lede"].title == "عنوان من الفهرس"
    assert {key: (a.via, a.title_composed) for key, a in articles.items()} == {
        "feed#0": ("واس", False),  # the record states both
        "feed#1": ("رويترز", True),  # "agency"; no title field: the lede's first sentence
        "feed#2": (None, False),  # catalogs describe plain-text files only
        "headline": ("واس", False),  # the catalog's defaults; the text's own headline
        "lede": ("واس", False),  # the catalog states the title
    }


def test_catalog_is_optional_for_003_title(tmp_path: Path, seeds_dir: Path) -> None:
    # Without the catalog the headline is still found below the caption pair; no source.
    shutil.copy(seeds_dir / "003_5d43b0060513f0c9.txt", tmp_path)
    (article,), issues = load_file(tmp_path / "003_5d43b0060513f0c9.txt")
    assert not issues
    assert article.title.startswith("إيران حذرت روسيا من خطر أمني")
    assert article.source is None


# --- formats --------------------------------------------------------------------------------


def test_each_encoding_loads_the_same_article() -> None:
    report = load_corpus([DATA / "encodings"])
    assert not report.skipped
    assert len(report.articles) == 5
    assert len({a.text for a in report.articles}) == 1
    assert len({a.title for a in report.articles}) == 1
    assert {a.id for a in report.articles} == {
        "cp1256",
        "utf16be_bom",
        "utf16le_bom",
        "utf8",
        "utf8_bom",
    }


def test_bad_files_skipped_with_reasons_and_the_rest_loads() -> None:
    report = load_corpus([DATA / "mixed"])
    assert sorted(a.id for a in report.articles) == ["good", "sub/dir/nested"]
    reasons = _reasons(report.skipped)
    assert reasons["picture.txt"].startswith("binary file:")
    assert reasons["empty.txt"] == "empty file"
    assert reasons["latin1.txt"].startswith("undecodable:")
    assert reasons["broken.json"] == "malformed JSON: Expecting value (line 3, column 30)"
    assert "notes.csv" not in reasons  # other file types in a directory are ignored quietly
    assert report.files_read == 6


def test_jsonl_records() -> None:
    articles, issues = load_file(DATA / "records.jsonl")
    assert [a.id for a in articles] == ["records#0", "records#3"]
    first, third = articles
    assert (first.title, first.source, first.date) == ("الخبر الأول", "وكالة أ", "2024-01-25")
    assert (first.url, first.author) == ("https://example.com/1", "مراسلنا")
    assert third.text == "أعلنت الوزارة عن خطة جديدة للنقل العام."  # from "content"
    assert third.date == "2024-01-25"  # "25 يناير 2024"
    reasons = {issue.path.rsplit("#", 1)[1]: issue.reason for issue in issues}
    assert reasons["1"].startswith("no text: record (بلا نص)")
    assert reasons["2"].startswith("malformed JSON:") and "(line 3, column" in reasons["2"]


def test_a_record_without_text_is_skipped_with_what_its_text_field_holds(tmp_path: Path) -> None:
    """SaudiNewsNet's cartoons have a "content" that is empty: the reason must say so, not
    that the field is missing."""
    records = [
        {"title": "كاريكاتير 2015/7/22", "content": ""},
        {"title": "بلا حقل"},
        {"title": "فارغ", "text": "  \n", "content": None},
        {"title": "أرقام", "body": 42},
        {"title": "خبر", "content": "نص الخبر هنا."},
    ]
    (tmp_path / "day.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    articles, issues = load_file(tmp_path / "day.json")
    assert [a.id for a in articles] == ["day#4"]
    reasons = {issue.path.rsplit("#", 1)[1]: issue.reason for issue in issues}
    assert reasons == {
        "0": "no text: record (كاريكاتير 2015/7/22) has an empty 'content'",
        "1": "no text: record (بلا حقل) has no 'text', 'content', 'body' or 'article'",
        "2": "no text: record (فارغ) has an empty 'text' and 'content' set to null",
        "3": "no text: record (أرقام) has a number in 'body', not text",
    }
    assert all(reason_category(reason) == "no text" for reason in reasons.values())


def test_json_object_and_wrapper(tmp_path: Path) -> None:
    (tmp_path / "one.json").write_text(
        json.dumps({"title": "عنوان", "text": "نص الخبر كاملاً هنا."}, ensure_ascii=False),
        encoding="utf-8",
    )
    (tmp_path / "wrapped.json").write_text(
        json.dumps({"articles": [{"title": "ع", "body": "نص آخر هنا."}]}, ensure_ascii=False),
        encoding="utf-8",
    )
    (tmp_path / "number.json").write_text("[42]", encoding="utf-8")
    (tmp_path / "paragraphs.json").write_text(
        json.dumps(
            {"title": "ع", "text": ["الفقرة الأولى.", "الفقرة الثانية."]}, ensure_ascii=False
        ),
        encoding="utf-8",
    )
    report = load_corpus([tmp_path])
    assert sorted(a.id for a in report.articles) == ["one", "paragraphs", "wrapped#0"]
    paragraphs = next(a for a in report.articles if a.id == "paragraphs")
    assert [p.text for p in paragraphs.passages] == ["الفقرة الأولى.", "الفقرة الثانية."]
    assert _reasons(report.skipped)["number.json#0"].startswith("not an article:")


def test_zip_archive_members() -> None:
    articles, issues = load_file(DATA / "archive.zip")
    ids = [a.id for a in articles]
    assert ids == ["archive/day#0", "archive/day#2", "archive/extra/story"]
    story = articles[2]
    assert story.text.startswith("قال مسؤول أمني")  # a Windows-1256 member, decoded
    assert all(a.path == str((DATA / "archive.zip").resolve()) for a in articles)
    reasons = {issue.path.split("archive.zip/")[1]: issue.reason for issue in issues}
    assert reasons["image.png"].startswith("unsupported file type")
    assert reasons["day.json#1"].startswith("no text:")


def test_single_member_zip_ids(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "2015-07-21.zip", "w") as archive:
        archive.writestr(
            "2015-07-21.json",
            json.dumps([{"title": "ع", "content": "نص."}, {"title": "ع2", "content": "نص 2."}]),
        )
    articles, _ = load_file(tmp_path / "2015-07-21.zip")
    assert [a.id for a in articles] == ["2015-07-21#0", "2015-07-21#1"]


def test_oversized_and_missing_paths(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("كلمة " * 2000, encoding="utf-8")
    report = load_corpus([tmp_path, tmp_path / "nowhere"], max_bytes=1000)
    assert not report.articles
    reasons = _reasons(report.skipped)
    assert reasons["big.txt"].startswith("too large:")
    assert reasons["nowhere"].startswith("not found:")


def test_data_files_may_be_larger_than_one_article(tmp_path: Path) -> None:
    record = {"title": "ع", "text": "كلمة " * 500}
    (tmp_path / "many.json").write_text(
        json.dumps([record] * 3, ensure_ascii=False), encoding="utf-8"
    )
    (tmp_path / "one.txt").write_text("كلمة " * 500, encoding="utf-8")
    report = load_corpus([tmp_path], max_bytes=4000)
    assert [a.id for a in report.articles] == ["many#0", "many#1", "many#2"]
    assert _reasons(report.skipped)["one.txt"].startswith("too large:")


def test_explicit_unsupported_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("x", encoding="utf-8")
    files, issues = collect_corpus_files([tmp_path / "a.csv"])
    assert not files
    assert issues[0].reason == "unsupported file type: .csv"


def test_nested_ids_and_walk_order(tmp_path: Path) -> None:
    (tmp_path / "b" / "c").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    for rel in ("z.txt", "b/c/name.md", ".hidden/x.txt", "b/catalog.toml"):
        (tmp_path / rel).write_text("عنوان\n\nنص الخبر.", encoding="utf-8")
    assert [f.relstem for f in iter_corpus_files([tmp_path])] == ["b/c/name", "z"]
    assert sorted(a.id for a in load_corpus([tmp_path]).articles) == ["b/c/name", "z"]


def test_catalog_toml_and_json(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    body = "سطر أول طويل بما يكفي ليكون فقرة من الخبر نفسه هنا.\n"
    (tmp_path / "a.txt").write_text(body, encoding="utf-8")
    (tmp_path / "sub" / "b.txt").write_text(body, encoding="utf-8")
    (tmp_path / "catalog.toml").write_text(
        '[defaults]\nsource = "المصدر الافتراضي"\n'
        '[articles."a.txt"]\ntitle = "عنوان أ"\ndate = "٢٥ يناير ٢٠٢٤"\nurl = "https://x/a"\n'
        '[articles."sub/b"]\ntitle = "عنوان ب"\nsource = "مصدر ب"\n',
        encoding="utf-8",
    )
    by_id = {a.id: a for a in load_corpus([tmp_path]).articles}
    assert (by_id["a"].title, by_id["a"].source, by_id["a"].date, by_id["a"].url) == (
        "عنوان أ",
        "المصدر الافتراضي",
        "2024-01-25",
        "https://x/a",
    )
    assert (by_id["sub/b"].title, by_id["sub/b"].source) == ("عنوان ب", "مصدر ب")
    (tmp_path / "catalog.toml").unlink()
    (tmp_path / "catalog.json").write_text(
        json.dumps({"articles": {"a.txt": {"source": "جيسون"}}}, ensure_ascii=False),
        encoding="utf-8",
    )
    assert {a.id: a.source for a in load_corpus([tmp_path]).articles} == {
        "a": "جيسون",
        "sub/b": None,
    }


def test_broken_catalog_is_reported_and_files_still_load(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("عنوان\n\nنص الخبر هنا.", encoding="utf-8")
    (tmp_path / "catalog.toml").write_text("[articles\n", encoding="utf-8")
    report = load_corpus([tmp_path])
    assert [a.id for a in report.articles] == ["a"]
    assert report.skipped[0].reason.startswith("broken catalog:")


def test_text_is_kept_as_written(tmp_path: Path) -> None:
    text = "عنوان\n\nقُتل ٨٤ شخصاً\u00a0في «كرمان» يوم ٣ يناير.\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (article,), _ = load_file(tmp_path / "a.txt")
    assert article.text == "قُتل ٨٤ شخصاً\u00a0في «كرمان» يوم ٣ يناير."
    assert article.raw == text


def test_duplicate_ids_keep_the_first(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("عنوان\n\nنص أ.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("عنوان\n\nنص ب.", encoding="utf-8")
    report = load_corpus([tmp_path])
    assert [a.text for a in report.articles] == ["نص أ."]
    assert report.skipped[0].reason == "duplicate article id: a"


def test_progress_and_summary() -> None:
    calls: list[tuple[int, int]] = []
    report = load_corpus(
        [DATA / "mixed", DATA / "records.jsonl"], progress=lambda d, t: calls.append((d, t))
    )
    assert calls == [(n, 7) for n in range(1, 8)]
    summary = format_load_summary(report)
    assert summary.splitlines()[0] == "Loaded 4 articles from 7 files."
    assert "Skipped 4 files and 2 records in 1 file:" in summary
    for category in ("binary file: 1", "malformed JSON: 2", "empty file: 1", "no text: 1"):
        assert f"  {category}" in summary
    assert reason_category("binary file: contains NUL bytes") == "binary file"


def test_summary_when_nothing_skipped(seeds_dir: Path) -> None:
    summary = format_load_summary(load_corpus([seeds_dir]))
    assert summary == "Loaded 5 articles from 5 files.\nNothing was skipped."


def test_file_fingerprint(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("نص", encoding="utf-8")
    first = file_fingerprint(path)
    assert first.size == len("نص".encode())
    os.utime(path, ns=(first.mtime_ns + 10**9, first.mtime_ns + 10**9))
    touched = file_fingerprint(path)
    assert touched.mtime_ns != first.mtime_ns and touched.sha256 == first.sha256
    path.write_text("نص آخر", encoding="utf-8")
    assert file_fingerprint(path).sha256 != first.sha256
    assert file_fingerprint(path, with_hash=False).sha256 is None


# --- SaudiNewsNet -------------------------------------------------------------------------


def test_saudinewsnet_first_zip_loads(shared_dir: Path) -> None:
    archives = sorted((shared_dir / "corpora" / "saudinewsnet").glob("*.zip"))
    if not archives:
        pytest.skip(
            f"{shared_dir}/corpora/saudinewsnet/*.zip not found: SaudiNewsNet is not available"
        )
    first = archives[0]
    with zipfile.ZipFile(first) as archive:
        records = json.loads(decode_bytes(archive.read(archive.namelist()[0])).text)
    report = load_corpus([first])
    assert len(report.articles) + len(report.skipped) == len(records)
    assert all(issue.reason.startswith("no text:") for issue in report.skipped)
    article = report.articles[0]
    assert article.id == f"{first.stem}#0"
    assert article.source == records[0]["source"]
    assert article.title == records[0]["title"]
    assert article.date == records[0]["date_extracted"][:10]
    assert article.passages and article.text


def test_loader_fingerprint_follows_the_rules_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import index.cleaning
    from index.corpus import LOADER_VERSION, loader_fingerprint

    bundled = loader_fingerprint()
    assert bundled.startswith(f"{LOADER_VERSION}-") and bundled == loader_fingerprint()
    edited = tmp_path / "rules.toml"
    edited.write_bytes(index.cleaning.RULES_FILE.read_bytes() + b"\n# a new rule\n")
    monkeypatch.setattr(index.cleaning, "RULES_FILE", edited)
    assert loader_fingerprint() != bundled


def test_a_linked_file_loads_under_its_own_name(tmp_path: Path, seeds_dir: Path) -> None:
    """A corpus folder may hold links to files kept elsewhere: each loads, named by the link."""
    corpus = tmp_path / "corpus"
    elsewhere = tmp_path / "elsewhere"
    corpus.mkdir()
    elsewhere.mkdir()
    seed = next(iter(sorted(seeds_dir.glob("*.txt"))))
    shutil.copy(seed, elsewhere / "kept.txt")
    try:
        (corpus / "linked.txt").symlink_to(elsewhere / "kept.txt")
    except OSError as error:  # pragma: no cover - platforms without symlinks
        pytest.skip(f"cannot make a symlink here: {error}")
    shutil.copy(seed, corpus / "own.txt")
    report = load_corpus([corpus])
    assert sorted(a.id for a in report.articles) == ["linked", "own"]
    assert report.skipped == []
    assert report.articles[0].text == report.articles[1].text
    alone = load_corpus([corpus / "linked.txt"])
    assert [a.id for a in alone.articles] == ["linked"]


# --- counting what was skipped --------------------------------------------------------------


def test_skipped_records_are_counted_as_records_in_their_file(tmp_path: Path) -> None:
    """One file of 12 empty records is "12 records in 1 file", never "12 files": the count
    must say what it counts (the app's notice and `newsreader index` both use it)."""
    lines = [json.dumps({"title": f"رسم {n}", "content": ""}) for n in range(12)]
    lines.append(json.dumps({"title": "خبر", "content": "أعلنت الوزارة عن خطة جديدة."}))
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = load_corpus([tmp_path])
    assert len(report.articles) == 1 and len(report.skipped) == 12
    assert count_skipped(report.skipped) == SkippedCount(files=0, records=12, record_files=1)
    assert describe_skipped(report.skipped) == "12 records in 1 file"
    assert "\nSkipped 12 records in 1 file:\n  no text: 12\n" in format_load_summary(report)


def test_skipped_files_records_and_duplicates_are_told_apart() -> None:
    issues = [
        LoadIssue("/c/a.txt", "binary file: contains NUL bytes"),
        LoadIssue("/c/b.json", "malformed JSON: Expecting value (line 1, column 1)"),
        LoadIssue("/c/feed.jsonl#0", "no text: record has an empty 'content'"),
        LoadIssue("/c/feed.jsonl#4", "malformed JSON: Expecting value (line 5, column 1)"),
        LoadIssue("/c/day.zip/day.json#1", "no text: record has an empty 'content'"),
        LoadIssue("/c/day.zip/image.png", "unsupported file type: inside the archive"),
        LoadIssue("/c/a.md", "duplicate article id: a"),  # the whole of a.md
        LoadIssue("/c/other.json", "duplicate article id: other#3"),  # one record of it
    ]
    assert count_skipped(issues) == SkippedCount(files=4, records=4, record_files=3)
    assert describe_skipped(issues) == "4 files and 4 records in 3 files"
    assert describe_skipped(issues[:1]) == "1 file"
    assert describe_skipped(issues[2:3]) == "1 record in 1 file"
    assert describe_skipped([]) == "nothing"


# --- what can be a corpus -------------------------------------------------------------------


def test_paths_that_cannot_be_a_corpus_say_why(tmp_path: Path) -> None:
    passwd = tmp_path / "passwd"
    passwd.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    other = tmp_path / "other"
    (other / ".hidden").mkdir(parents=True)
    (other / ".hidden" / "a.txt").write_text("نص.", encoding="utf-8")
    (other / "README.rst").write_text("x", encoding="utf-8")
    (other / "catalog.toml").write_text("", encoding="utf-8")
    csv_file = DATA / "mixed" / "notes.csv"
    assert {path: corpus_path_problem(path) for path in (tmp_path / "x", passwd, csv_file)} == {
        tmp_path / "x": f"{tmp_path / 'x'} does not exist",
        passwd: f"{passwd} is not a corpus file (a file without an extension)",
        csv_file: f"{csv_file} is not a corpus file (a .csv file)",
    }
    assert corpus_path_problem(empty) == f"{empty} holds no article files"
    assert corpus_path_problem(other) == f"{other} holds no article files"  # hidden: not walked
    for fine in (DATA / "mixed", DATA / "records.jsonl", DATA / "archive.zip"):
        assert corpus_path_problem(fine) is None
    check_corpus_paths([DATA / "mixed", DATA / "records.jsonl"])
    with pytest.raises(CorpusPathError) as caught:
        check_corpus_paths([passwd, DATA / "mixed", empty])
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{passwd} is not a corpus file")
    assert f"; {empty} holds no article files; pass a directory of articles or article files (" in (
        message
    )
    assert ".txt, .md, .json, .jsonl, .ndjson or .zip" in message


def test_probe_reads_until_one_article_loads(tmp_path: Path, seeds_dir: Path) -> None:
    assert probe_corpus([seeds_dir]) == (True, [])
    (tmp_path / "a.json").write_text("{bad", encoding="utf-8")
    (tmp_path / "b.json").write_text("[]", encoding="utf-8")
    loads, issues = probe_corpus([tmp_path])
    assert not loads
    assert [(Path(i.path).name, reason_category(i.reason)) for i in issues] == [
        ("a.json", "malformed JSON"),
        ("b.json", "no text"),
    ]
    (tmp_path / "c.txt").write_text("عنوان\n\nنص الخبر هنا.", encoding="utf-8")
    assert probe_corpus([tmp_path]) == (True, [])
