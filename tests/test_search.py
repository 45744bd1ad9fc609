"""Search on the seed corpus: spelling groups, phrases, prefixes, filters, highlights, errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.arabic import stems
from index.search import COMMON_WORDS_NOTICE, OR_FALLBACK_NOTICE, SearchResult, highlight_spans
from index.store import CorpusIndex

ARTICLE_000 = "000_f9b92358ab5c809d"
ARTICLE_001 = "001_59676fb50e180bdc"
ARTICLE_002 = "002_e5108af2acbeb66d"
ARTICLE_003 = "003_5d43b0060513f0c9"
ARTICLE_004 = "004_f96fd85b3ed2acb1"


@pytest.fixture(scope="module")
def seeds_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CorpusIndex]:
    seeds = Path(__file__).resolve().parents[1] / "seeds"
    index = CorpusIndex.open(
        [seeds], index_root=tmp_path_factory.mktemp("index") / "seeds", update=True
    )
    yield index
    index.close()


def ids(result: SearchResult) -> list[str]:
    assert result.error is None, result.error
    return [hit.article_id for hit in result.hits]


@pytest.mark.parametrize(
    "group",
    [
        ["إيران", "ايران", "لإيران"],
        ["تحذير", "التحذير"],
        ["سليماني", "سُلَيماني"],
    ],
)
def test_spelling_groups_share_the_first_article(
    seeds_index: CorpusIndex, group: list[str]
) -> None:
    firsts = {ids(seeds_index.search(word))[0] for word in group}
    assert len(firsts) == 1, {word: ids(seeds_index.search(word))[:2] for word in group}


def test_phrase_finds_the_four_articles(seeds_index: CorpusIndex) -> None:
    assert sorted(ids(seeds_index.search('"واجب التحذير"'))) == [
        ARTICLE_000,
        ARTICLE_001,
        ARTICLE_002,
        ARTICLE_004,
    ]


def test_phrase_is_stricter_than_its_words(seeds_index: CorpusIndex) -> None:
    # the words in the wrong order are not the phrase
    assert ids(seeds_index.search('"التحذير واجب"')) == []


def test_last_word_matches_as_a_prefix(seeds_index: CorpusIndex) -> None:
    typed = seeds_index.search("تحذ")
    assert ids(typed), "a partial word finds the articles with its completions"
    assert set(ids(typed)) == set(ids(seeds_index.search("تحذير")))
    # the prefix applies to the word being typed only, not after a space
    assert ids(seeds_index.search("تحذ ")) == []
    assert ids(seeds_index.search("تحذ", prefix_last=False)) == []


def test_source_filter(seeds_index: CorpusIndex) -> None:
    assert ids(seeds_index.search("source:CNN")) == [ARTICLE_001]
    assert ids(seeds_index.search('إيران source:"كويت نيوز"')) == [ARTICLE_002]
    assert ids(seeds_index.search("إيران source:cnn")) == [ARTICLE_001]  # case-insensitive
    assert ids(seeds_index.search("source:nowhere إيران")) == []


def test_date_filters(seeds_index: CorpusIndex) -> None:
    dated = {h.article_id: h.date for h in seeds_index.search("إيران").hits if h.date}
    assert dated, "the seeds state at least one date"
    article_id, date = sorted(dated.items())[0]
    year, month, _ = date.split("-")
    assert article_id in ids(seeds_index.search(f"إيران date:{date}"))
    assert article_id in ids(seeds_index.search(f"إيران date:{year}-{month}"))
    assert article_id in ids(seeds_index.search(f"إيران date:{date}..{date}"))
    assert article_id in ids(seeds_index.search(f"إيران date:>={date}"))
    assert article_id not in ids(seeds_index.search(f"إيران date:>{date}"))
    assert article_id not in ids(seeds_index.search(f"إيران date:..{int(year) - 1}"))
    undated = set(ids(seeds_index.search("إيران"))) - set(dated)
    assert not undated & set(ids(seeds_index.search(f"إيران date:{year}")))


@pytest.mark.parametrize("negation", ["-سليماني", "NOT سليماني"])
def test_not_excludes(seeds_index: CorpusIndex, negation: str) -> None:
    with_word = set(ids(seeds_index.search("سليماني")))
    result = set(ids(seeds_index.search(f"إيران {negation}")))
    assert result and not result & with_word
    assert result | with_word == set(ids(seeds_index.search("إيران")))


def test_or(seeds_index: CorpusIndex) -> None:
    either = set(ids(seeds_index.search("سليماني OR موسكو", prefix_last=False)))
    assert either == set(ids(seeds_index.search("سليماني"))) | set(
        ids(seeds_index.search("موسكو", prefix_last=False))
    )


def test_words_are_all_required_with_an_or_fallback(seeds_index: CorpusIndex) -> None:
    both = seeds_index.search("سليماني موسكو", prefix_last=False)
    assert both.notice is None or both.notice == OR_FALLBACK_NOTICE
    nothing_has_all = seeds_index.search("سليماني زرافة", prefix_last=False)
    assert nothing_has_all.notice == OR_FALLBACK_NOTICE
    assert set(ids(nothing_has_all)) == set(ids(seeds_index.search("سليماني")))


@pytest.mark.parametrize(
    "query",
    ['"واجب التحذير', "(إيران", "إيران)", "date:2015-13-01", "date:yesterday", "source:", "-إيران"],
)
def test_unreadable_query_gives_a_message(seeds_index: CorpusIndex, query: str) -> None:
    result = seeds_index.search(query)
    assert result.error and not result.hits


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ('""', "quotes are empty"),
        ('" "', "quotes are empty"),
        ("*", "no wildcards"),
        ("?", "no wildcards"),
        ("-", "excludes the word written right after it"),
        ("- -", "excludes the word written right after it"),
        ("...", "no letters or digits"),
        ("\u064e", "no letters or digits"),  # a lone fatha
        ("AND", "AND joins two words"),
        ("OR", "OR joins two words"),
        ("NOT", "NOT excludes the word after it"),
        ("( OR )", "OR joins two words"),
    ],
)
def test_a_query_with_nothing_to_search_says_what_to_type(
    seeds_index: CorpusIndex, query: str, says: str
) -> None:
    result = seeds_index.search(query)
    assert result.error is not None and says in result.error, result.error
    assert not result.hits and result.notice is None


def test_operator_words_are_searchable_in_lower_case_or_quotes(seeds_index: CorpusIndex) -> None:
    for query in ("and", '"AND"', "or"):
        assert seeds_index.search(query).error is None
    # and beside words they stay operators
    assert ids(seeds_index.search("سليماني OR موسكو", prefix_last=False))


def test_stop_words_alone_still_say_they_are_too_common(seeds_index: CorpusIndex) -> None:
    result = seeds_index.search("في من ")
    assert result.error is None and result.notice == COMMON_WORDS_NOTICE


def test_presentation_forms_find_and_highlight_what_the_letters_do(
    seeds_index: CorpusIndex,
) -> None:
    """Text pasted from a PDF or a shaping terminal is in presentation forms (issue: review s3
    #9): ﺍﻟﺤﻜﻮﻣﺔ is الحكومة."""
    shaped, letters = seeds_index.search("ﺍﻟﺤﻜﻮﻣﺔ"), seeds_index.search("الحكومة")
    assert len(ids(letters)) == 4
    assert ids(shaped) == ids(letters)
    assert shaped.terms == letters.terms
    assert [h.passages for h in shaped.hits] == [h.passages for h in letters.hits]
    assert ids(seeds_index.search('"ﻭﺍﺟﺐ ﺍﻟﺘﺤﺬﻳﺮ"')) == ids(seeds_index.search('"واجب التحذير"'))


def test_an_article_in_presentation_forms_is_found_and_highlighted(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "pdf.txt").write_text(
        "ﺑﻴﺎﻥ ﺍﻟﺤﻜﻮﻣﺔ\n\nﻗﺎﻟﺖ ﺍﻟﺤﻜﻮﻣﺔ ﺇﻥ ﺍﻟﻼﺟﺌﻴﻦ ﻭﺻﻠﻮﺍ ﺃﻣﺲ.\n", encoding="utf-8"
    )
    (corpus / "other.txt").write_text("خبر آخر\n\nوصل الوفد أمس.\n", encoding="utf-8")
    index = CorpusIndex.open([corpus], index_root=tmp_path / "index", update=True)
    try:
        result = index.search("اللاجئين")
        assert ids(result) == ["pdf"]
        article = index.article("pdf")
        assert article is not None
        marked = [article.text[s.start : s.end] for p in result.hits[0].passages for s in p.spans]
        assert marked == ["ﺍﻟﻼﺟﺌﻴﻦ"]  # the word as written, not a folded copy
        assert ids(index.search("الحكومة")) == ["pdf"]
    finally:
        index.close()


def test_empty_query_is_no_error(seeds_index: CorpusIndex) -> None:
    result = seeds_index.search("   ")
    assert result.error is None and result.hits == []


def test_highlights_are_the_words_as_written(seeds_index: CorpusIndex) -> None:
    result = seeds_index.search("تحذير")
    marked: set[str] = set()
    for hit in result.hits:
        article = seeds_index.article(hit.article_id)
        assert article is not None
        for passage in hit.passages:
            assert article.text[passage.start : passage.end] == passage.text
            for span in passage.spans:
                assert passage.start <= span.start < span.end <= passage.end
                marked.add(article.text[span.start : span.end])
        for span in hit.title_spans:
            marked.add(hit.title[span.start : span.end])
    assert {"التحذير", "التحذيرات"} <= marked
    assert all("حذير" in word for word in marked), marked


def test_phrase_highlight_marks_only_the_phrase(seeds_index: CorpusIndex) -> None:
    result = seeds_index.search('"واجب التحذير"')
    for hit in result.hits:
        for passage in hit.passages:
            words = [
                passage.text[s.start - passage.start : s.end - passage.start] for s in passage.spans
            ]
            assert words, f"{passage.passage_id} holds the phrase but nothing is marked"
            pairs = [stems(" ".join(words[i : i + 2])) for i in range(0, len(words), 2)]
            assert all(pair == stems("واجب التحذير") for pair in pairs), words


def test_hits_carry_their_best_passage(seeds_index: CorpusIndex) -> None:
    hit = seeds_index.search("كروكوس").hits[0]
    assert hit.article_id == ARTICLE_003
    assert any("كروكوس" in p.text for p in hit.passages)


def test_highlight_spans_of_vocalized_text() -> None:
    from index.query import QueryTerms

    text = "حذّر المسؤولُ من التَّحذيراتِ وبتحذير آخر"
    terms = QueryTerms(stems=frozenset({"تحذير"}))
    words = [text[s.start : s.end] for s in highlight_spans(text, terms)]
    assert words == ["التَّحذيراتِ", "وبتحذير"]  # harakat kept inside the marked word


@pytest.mark.parametrize(
    "query",
    [
        "إيران",
        "إيران روسيا",
        '"واجب التحذير"',
        "إيران -سليماني",
        "إيران source:CNN",
        "تحذ",
        "(سليماني OR موسكو) إيران",
        "إيران date:2024-01",
    ],
)
def test_fast_ranker_agrees_with_whoosh(seeds_index: CorpusIndex, query: str) -> None:
    """The block-level BM25F ranker returns Whoosh's own ranking, scores and match count."""
    from index import fastrank
    from index.query import parse

    with seeds_index.searcher() as searcher:
        assert searcher is not None
        q = parse(searcher.schema, query)
        fast = fastrank.rank(searcher, q, 20)
        assert fast is not None, "this query shape is one the fast ranker handles"
        whoosh = searcher.search(q, limit=20)
        assert fast[1] == len(whoosh)
        assert [d for _, d in fast[0]] == [hit.docnum for hit in whoosh]
        for (score, _), hit in zip(fast[0], whoosh, strict=True):
            assert score == pytest.approx(hit.score, rel=1e-4)


def test_repeated_search_from_caches_equals_a_cold_search(seeds_index: CorpusIndex) -> None:
    """Decoded postings, term scores, tokens and stored fields are kept across searches;
    a search served from them returns exactly what a search with empty caches returns."""
    from index.search import clear_caches

    queries = ["إيران روسيا", '"واجب التحذير"', "تحذ", "إيران -سليماني"]
    clear_caches()
    cold = [seeds_index.search(q) for q in queries]
    warm = [seeds_index.search(q) for q in queries]
    assert [r.hits for r in warm] == [r.hits for r in cold]
    assert all(r.hits for r in cold)


def test_cached_search_sees_an_incremental_update(tmp_path: Path) -> None:
    """The caches are keyed by segment: an article added later is found, one removed is gone."""
    seeds = Path(__file__).resolve().parents[1] / "seeds"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in (f"{ARTICLE_000}.txt", f"{ARTICLE_003}.txt"):
        (corpus / name).write_text((seeds / name).read_text(encoding="utf-8"), encoding="utf-8")
    index = CorpusIndex.open([corpus], index_root=tmp_path / "index", update=True)
    try:
        before = ids(index.search("موسكو"))
        added = corpus / "added.txt"
        added.write_text(
            "موسكو تستضيف قمة\n\nقالت موسكو إن القمة تعقد في موسكو الأسبوع المقبل.\n",
            encoding="utf-8",
        )
        index.update()
        after = ids(index.search("موسكو"))
        assert len(after) == len(before) + 1
        added.unlink()
        index.update()
        assert ids(index.search("موسكو")) == before
    finally:
        index.close()


def test_posting_decoder_matches_whoosh(tmp_path: Path) -> None:
    """The one-read decoder yields Whoosh's own ids and weights over many blocks, and the
    blocks it reads for docnum ranges hold every posting inside them (and skip others)."""
    from whoosh import fields
    from whoosh import index as windex

    from index import fastrank

    schema = fields.Schema(body=fields.TEXT)
    ix = windex.create_in(str(tmp_path), schema)
    writer = ix.writer()
    for n in range(700):  # "common" in every document (~6 blocks), "odd" with varying tf
        writer.add_document(body=" ".join(["common"] + ["odd"] * (n % 3) + [f"w{n}"]))
    writer.commit()
    with ix.searcher() as searcher:
        ((leaf, _),) = list(searcher.reader().leaf_readers())
        for term in ("common", "odd", "w5"):
            fastrank.clear_caches()
            postings = fastrank._postings(leaf, "body", term)
            assert postings is not None
            matcher = leaf.postings("body", term)
            expected: list[tuple[int, float]] = []
            while matcher.is_active():
                expected.append((matcher.id(), matcher.weight()))
                matcher.next()
            assert list(zip(postings[0], postings[1], strict=True)) == expected
            ranges = [(3, 5), (250, 260), (690, 699)]
            fastrank.clear_caches()
            found = {
                d
                for part_ids, _ in fastrank._range_blocks(leaf, "body", term, ranges)
                for d in part_ids
            }
            wanted = {d for d, _ in expected if any(a <= d <= b for a, b in ranges)}
            assert wanted <= found
            assert len(found) < len(expected) or len(expected) < 200
        assert fastrank._postings(leaf, "body", "absent") is None


def test_latest_lists_dated_articles_newest_first_then_the_rest_by_title(
    seeds_index: CorpusIndex,
) -> None:
    """What the search pane shows before anything is typed."""
    result = seeds_index.latest(limit=10)
    assert result.error is None and result.total == 5
    dated = [hit for hit in result.hits if hit.date]
    undated = [hit for hit in result.hits if not hit.date]
    assert [hit.article_id[:3] for hit in dated] == ["000"]  # the one seed with a date
    assert result.hits[: len(dated)] == dated
    assert [hit.title for hit in undated] == sorted(hit.title for hit in undated)
    for hit in result.hits:  # each with its opening passage as the snippet
        assert hit.passages and hit.passages[0].passage_id == f"{hit.article_id}:0"
    assert [hit.article_id for hit in seeds_index.latest(limit=2).hits] == [
        hit.article_id for hit in result.hits[:2]
    ]


def test_latest_orders_days_newest_first(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    records = [
        {"title": "ب خبر الأحد", "content": "نص الخبر الأول عن الأمطار.", "date": "2015-07-19"},
        {"title": "أ خبر الاثنين", "content": "نص الخبر الثاني عن المرور.", "date": "2015-07-20"},
        {"title": "ج خبر الاثنين", "content": "نص الخبر الثالث عن الحج.", "date": "2015-07-20"},
        {"title": "بلا تاريخ", "content": "نص خبر لا تاريخ له."},
    ]
    (corpus / "day.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    index = CorpusIndex.open([corpus], index_root=tmp_path / "index", update=True)
    try:
        result = index.latest(limit=10)
        assert [hit.title for hit in result.hits] == [
            "أ خبر الاثنين",
            "ج خبر الاثنين",
            "ب خبر الأحد",
            "بلا تاريخ",
        ]
        assert [hit.title for hit in index.latest(limit=2).hits] == [
            "أ خبر الاثنين",
            "ج خبر الاثنين",
        ]
    finally:
        index.close()


def test_a_short_place_name_does_not_find_words_it_merely_begins(tmp_path: Path) -> None:
    # Schema 3 stemmed مكة and مكان both to مك: "Mecca" found every article saying "place".
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "mecca.txt").write_text(
        "وصول الحجاج\n\nوصل الحجاج إلى مكة المكرمة.\n", encoding="utf-8"
    )
    (corpus / "place.txt").write_text("خبر محلي\n\nاجتمع الناس في المكان نفسه.\n", encoding="utf-8")
    (corpus / "nation.txt").write_text("خبر\n\nرفع العلم في اليوم الوطني.\n", encoding="utf-8")
    index = CorpusIndex.open([corpus], index_root=tmp_path / "index", update=True)
    try:
        assert ids(index.search("مكة")) == ["mecca"]
        assert ids(index.search("مكة ")) == ["mecca"]
        assert ids(index.search("طن ")) == []  # ton is not in الوطني
    finally:
        index.close()
