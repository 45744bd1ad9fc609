"""The corpus index: first build, incremental updates, damage and version checks, the lock."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from index import store as store_module
from index.schema import SCHEMA_VERSION
from index.store import (
    BUSY_MESSAGE,
    CURRENT_NAME,
    META_NAME,
    BuildProgress,
    ChangeSet,
    CorpusIndex,
    IndexBusyError,
)

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def corpus(tmp_path: Path, seeds_dir: Path) -> Path:
    """A private, writable copy of the seed corpus."""
    target = tmp_path / "corpus"
    target.mkdir()
    for path in sorted(seeds_dir.iterdir()):
        if path.suffix in (".txt", ".toml"):
            shutil.copy2(path, target / path.name)
    return target


@pytest.fixture
def built(corpus: Path, tmp_path: Path) -> Iterator[CorpusIndex]:
    index = CorpusIndex.open([corpus], index_root=tmp_path / "index", update=True)
    yield index
    index.close()


def _live_dir(index: CorpusIndex) -> Path:
    return index.directory / (index.directory / CURRENT_NAME).read_text().strip()


def _write_article(path: Path, title: str, body: str) -> None:
    path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")


def test_first_open_builds_nothing_and_update_builds(corpus: Path, tmp_path: Path) -> None:
    index = CorpusIndex.open([corpus], index_root=tmp_path / "index")
    assert index.status.state == "missing"
    assert index.needs_update()
    assert index.search("إيران").error  # not built yet: a message, not an exception
    seen: list[BuildProgress] = []
    result = index.update(progress=seen.append)
    assert result.rebuilt and result.articles == 5
    assert {p.phase for p in seen} >= {"reading", "indexing", "committing", "done"}
    assert index.status.usable and not index.needs_update()
    assert len(index.article_ids()) == 5
    index.close()


def test_article_round_trips_through_the_index(built: CorpusIndex, corpus: Path) -> None:
    from index.corpus import load_file

    loaded, _ = load_file(corpus / "001_59676fb50e180bdc.txt", root=corpus)
    original = loaded[0]
    stored = built.article(original.id)
    assert stored is not None
    assert (stored.title, stored.text, stored.raw, stored.source) == (
        original.title,
        original.text,
        original.raw,
        original.source,
    )
    assert stored.passages == original.passages
    passage = original.passages[1]
    assert built.passage(passage.id) == passage
    assert built.article("no-such-id") is None
    assert built.passage("no-such-id:0") is None


def test_the_index_keeps_what_a_citation_needs(built: CorpusIndex, corpus: Path) -> None:
    """The agency (a catalog's ``via``) and the composed-title flag come back from the index, so
    a bookmark made in the app, which reads articles from here, keeps them."""
    facts = {}
    for article_id in built.article_ids():
        article = built.article(article_id)
        assert article is not None
        facts[article_id[:3]] = (article.via, article.title_composed)
    assert facts == {
        "000": (None, False),
        "001": (None, False),
        "002": ("أ ف ب", True),
        "003": (None, False),
        "004": (None, True),
    }


def test_adding_a_file_reads_only_that_file(
    built: CorpusIndex, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index import corpus as corpus_module

    read: list[str] = []
    real_load = corpus_module.load_file

    def counting_load(path: Path, **kwargs: Any) -> Any:
        read.append(Path(path).name)
        return real_load(path, **kwargs)

    monkeypatch.setattr(corpus_module, "load_file", counting_load)
    segments_before = set(_segment_names(built))
    changes: list[ChangeSet] = []
    built.add_change_listener(changes.append)
    _write_article(corpus / "new_story.txt", "خبر جديد عن الزلزال", "ضرب زلزال قوي مدينة تبريز.")

    result = built.update()

    assert read == ["new_story.txt"]
    assert changes == [ChangeSet(added=("new_story",), index_dir=built.directory)]
    assert result.changes.added == ("new_story",) and not result.rebuilt
    assert [h.article_id for h in built.search("زلزال").hits] == ["new_story"]
    # the segment holding the untouched articles was not rewritten
    assert segments_before <= set(_segment_names(built))
    assert len(built.article_ids()) == 6


def _segment_names(index: CorpusIndex) -> list[str]:
    with index.searcher() as searcher:
        assert searcher is not None
        return [leaf.segment().segment_id() for leaf, _ in searcher.reader().leaf_readers()]


def test_changing_and_removing_files(built: CorpusIndex, corpus: Path) -> None:
    changes: list[ChangeSet] = []
    built.add_change_listener(changes.append)
    target = corpus / "003_5d43b0060513f0c9.txt"
    text = target.read_text(encoding="utf-8")
    sentence = "ناقشت مخاوفها الأمنية مع طاجيكستان"
    assert sentence in text
    target.write_text(text.replace(sentence, "ناقشت مخاوفها الأمنية مع الكنغر"), encoding="utf-8")
    (corpus / "004_f96fd85b3ed2acb1.txt").unlink()

    built.update()

    assert changes[-1].changed == ("003_5d43b0060513f0c9",)
    assert changes[-1].removed == ("004_f96fd85b3ed2acb1",)
    assert [h.article_id for h in built.search("الكنغر", prefix_last=False).hits] == [
        "003_5d43b0060513f0c9"
    ]
    assert built.article("004_f96fd85b3ed2acb1") is None
    assert "004_f96fd85b3ed2acb1" not in {h.article_id for h in built.search("إيران").hits}
    assert len(built.article_ids()) == 4
    # a touched but unchanged file is not re-read and changes nothing
    os.utime(corpus / "000_f9b92358ab5c809d.txt", ns=(1, 1))
    assert built.needs_update()
    assert built.update().changes.is_empty
    assert not built.needs_update()


def test_catalog_change_rereads_the_files_it_describes(built: CorpusIndex, corpus: Path) -> None:
    catalogs = [p for p in corpus.iterdir() if p.name.startswith("catalog.")]
    if not catalogs:
        pytest.skip("the seeds have no catalog file")
    catalog = catalogs[0]
    catalog.write_text(catalog.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert built.needs_update()
    result = built.update()
    assert result.files_read >= 1 and not result.rebuilt


@pytest.mark.parametrize("damage", ["garbage", "truncate", "delete_toc"])
def test_damaged_index_is_reported_and_rebuilt(
    built: CorpusIndex, corpus: Path, tmp_path: Path, damage: str
) -> None:
    live = _live_dir(built)
    built.close()
    if damage == "garbage":
        segment = max(
            (p for p in live.iterdir() if p.suffix == ".seg"), key=lambda p: p.stat().st_size
        )
        data = bytearray(segment.read_bytes())
        data[len(data) // 2 : len(data) // 2 + 64] = os.urandom(64)
        segment.write_bytes(bytes(data))
    elif damage == "truncate":
        segment = max(
            (p for p in live.iterdir() if p.suffix == ".seg"), key=lambda p: p.stat().st_size
        )
        segment.write_bytes(segment.read_bytes()[:100])
    else:
        for toc in live.glob("*.toc"):
            toc.unlink()

    reopened = CorpusIndex.open([corpus], index_root=tmp_path / "index")
    assert reopened.status.state == "corrupt"
    assert "damaged" in (reopened.status.message or "")
    assert reopened.search("إيران").error  # never searched while damaged
    result = reopened.update()
    assert result.rebuilt and result.reason and "damaged" in result.reason
    assert reopened.status.usable
    assert reopened.search("إيران").hits[0].article_id == "000_f9b92358ab5c809d"
    reopened.close()


def test_older_schema_version_is_rebuilt(built: CorpusIndex, corpus: Path, tmp_path: Path) -> None:
    meta_path = _live_dir(built) / META_NAME
    built.close()
    meta = json.loads(meta_path.read_text())
    meta["schema_version"] = SCHEMA_VERSION - 1
    meta_path.write_text(json.dumps(meta))

    reopened = CorpusIndex.open([corpus], index_root=tmp_path / "index")
    assert reopened.status.state == "outdated"
    assert "another version" in (reopened.status.message or "")
    assert reopened.update().rebuilt
    assert reopened.status.usable
    reopened.close()


@pytest.mark.parametrize("phase", ["reading", "indexing"])
def test_cancelled_build_keeps_the_old_index(built: CorpusIndex, phase: str) -> None:
    before = _live_dir(built)
    cancel = threading.Event()

    def cancel_in_phase(progress: BuildProgress) -> None:
        if progress.phase == phase:
            cancel.set()

    result = built.update(rebuild=True, cancel=cancel, progress=cancel_in_phase)
    assert cancel.is_set() and result.cancelled
    assert _live_dir(built) == before
    assert not any(p.name.startswith("build-") for p in built.directory.iterdir())
    assert built.status.usable
    assert built.search("إيران").hits


def test_second_writer_gets_the_lock_message(built: CorpusIndex, corpus: Path) -> None:
    """A second process trying to write while this one holds the lock fails clearly."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from index.store import CorpusIndex, IndexBusyError\n"
        "index = CorpusIndex.open([Path(sys.argv[1])], index_root=Path(sys.argv[2]))\n"
        "try:\n"
        "    index.update(rebuild=True)\n"
        "except IndexBusyError as error:\n"
        "    print(error)\n"
        "    sys.exit(3)\n"
    )
    with built._write_lock():
        done = subprocess.run(
            [sys.executable, "-c", script, str(corpus), str(built.directory)],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=120,
        )
        with pytest.raises(IndexBusyError, match=BUSY_MESSAGE):
            built.update(rebuild=True)  # the same rule holds inside one process
    assert done.returncode == 3, done.stderr
    assert BUSY_MESSAGE in done.stdout
    assert built.update(rebuild=True).rebuilt  # free again


def test_hook_errors_do_not_undo_the_update(built: CorpusIndex, corpus: Path) -> None:
    def broken(_changes: ChangeSet) -> None:
        raise RuntimeError("related store unavailable")

    built.add_change_listener(broken)
    _write_article(corpus / "extra.txt", "عنوان", "نص عن البطاطا المقلية.")
    result = built.update()
    assert result.changes.added == ("extra",)
    assert any("related store unavailable" in e for e in result.hook_errors)
    assert built.search("البطاطا").hits


def test_store_module_never_imports_textual() -> None:
    assert "textual" not in getattr(store_module, "__dict__", {})
    code = "import sys, index.store, index.search; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert out.stdout.strip() == "False", out.stderr
