"""Re-anchoring bookmarks when the article text changes (index.anchoring)."""

from __future__ import annotations

import dataclasses

from _bookmark_articles import PARAGRAPHS, make_article
from hypothesis import given, settings
from hypothesis import strategies as st

from index.anchoring import FUZZY_THRESHOLD, passage_at, reanchor
from index.bookmarks import Bookmark
from index.models import Article


def _span_bookmark(article: Article, needle: str, occurrence: int = 0) -> Bookmark:
    start = -1
    for _ in range(occurrence + 1):
        start = article.text.index(needle, start + 1)
    return Bookmark.for_span(article, start, start + len(needle), note="n")


def test_unchanged_article_keeps_offsets() -> None:
    article = make_article()
    bookmark = _span_bookmark(article, "بلغت 12 قتيلا")
    result = reanchor(bookmark, article)
    assert result.method == "hash"
    assert result.status == "anchored"
    assert result.bookmark == bookmark


def test_text_inserted_before_shifts_offsets_and_passage() -> None:
    article = make_article()
    bookmark = _span_bookmark(article, "بلغت 12 قتيلا")
    assert bookmark.passage_id == "a1:1"
    inserted = "تحديث: أعلنت وزارة الداخلية تفاصيل جديدة صباح اليوم."
    changed = make_article((inserted, *PARAGRAPHS))

    result = reanchor(bookmark, changed)

    moved = result.bookmark
    assert result.status == moved.status == "reanchored"
    assert result.method == "exact"
    assert changed.text[moved.start : moved.end] == "بلغت 12 قتيلا"
    assert moved.start == bookmark.start + len(inserted) + 2
    assert moved.passage_id == "a1:2"
    assert moved.article_hash == changed.content_hash
    assert moved.note == "n" and moved.id == bookmark.id


def test_removed_passage_detaches_but_keeps_the_quote() -> None:
    article = make_article()
    bookmark = _span_bookmark(article, "بلغت 12 قتيلا")
    without = make_article((PARAGRAPHS[0], PARAGRAPHS[2], PARAGRAPHS[3]))

    result = reanchor(bookmark, without)

    assert result.status == "detached"
    assert result.method == "none"
    kept = result.bookmark
    assert kept.quote == "بلغت 12 قتيلا"
    assert (kept.start, kept.end, kept.article_hash) == (
        bookmark.start,
        bookmark.end,
        bookmark.article_hash,
    )


def test_repeated_quote_is_disambiguated_by_its_context() -> None:
    paragraphs = (
        "قال الوزير إن الوضع مستقر في العاصمة.",
        "وفي الجنوب قال الوزير إن الوضع مستقر أيضا رغم الاشتباكات.",
    )
    article = make_article(paragraphs)
    second = _span_bookmark(article, "قال الوزير إن الوضع مستقر", occurrence=1)
    # A long paragraph is inserted between them: the old offset is now nearer the *first*
    # occurrence, so only the stored context can pick the right one.
    inserted = "وتابع المؤتمر الصحفي عدد كبير من المراسلين المحليين والأجانب، وطرحوا أسئلة كثيرة."
    changed = make_article((paragraphs[0], inserted, paragraphs[1]))
    assert abs(0 - second.start) < abs(changed.text.rindex("قال الوزير") - second.start)

    moved = reanchor(second, changed).bookmark

    assert moved.passage_id == "a1:2"
    assert moved.start == changed.text.rindex("قال الوزير إن الوضع مستقر")
    assert moved.prefix.endswith("وفي الجنوب ")


def test_recleaned_text_with_harakat_and_alef_variants_is_found_normalized() -> None:
    article = make_article()
    bookmark = _span_bookmark(article, "وأكد شهود عيان أن الدخان غطى الحي")
    # New cleaning rules keep the harakat and write hamza-less alef: not an exact match any more.
    recleaned = PARAGRAPHS[2].replace("وأكد شهود عيان أن", "واكّد شُهُودُ عِيَانٍ ان")
    changed = make_article((PARAGRAPHS[0], PARAGRAPHS[1], recleaned, PARAGRAPHS[3]))

    result = reanchor(bookmark, changed)

    assert result.method == "normalized"
    # The words differ (harakat, alef): the saved quote stays, the text there now is beside it.
    assert result.status == result.bookmark.status == "changed"
    assert result.bookmark.quote == bookmark.quote
    assert result.bookmark.current_text == "واكّد شُهُودُ عِيَانٍ ان الدخان غطى الحي"
    assert changed.text[result.bookmark.start : result.bookmark.end] == (
        result.bookmark.current_text
    )


def test_quote_edited_inside_is_found_fuzzily() -> None:
    article = make_article()
    bookmark = _span_bookmark(article, "أخمدت الحريق بعد ساعتين، وأن حصيلة الضحايا بلغت 12 قتيلا")
    edited = PARAGRAPHS[1].replace("بلغت 12 قتيلا", "بلغت 14 قتيلا").replace("ساعتين", "ثلاث ساعات")
    changed = make_article((PARAGRAPHS[0], edited, *PARAGRAPHS[2:]))

    result = reanchor(bookmark, changed)

    assert result.method == "fuzzy"
    assert FUZZY_THRESHOLD <= result.score < 1.0
    assert result.bookmark.passage_id == "a1:1"
    assert result.bookmark.quote == bookmark.quote  # what the user kept: 12, not 14
    assert result.bookmark.status == "changed"
    assert result.bookmark.current_text is not None
    assert "14 قتيلا" in result.bookmark.current_text
    assert result.bookmark.current_text.startswith("أخمدت")


def test_unrelated_text_is_not_matched_fuzzily() -> None:
    article = make_article()
    bookmark = _span_bookmark(article, "وأكد شهود عيان أن الدخان غطى الحي بأكمله")
    other = make_article(("أعلنت الحكومة عن خطة جديدة لدعم الزراعة في المناطق الريفية.",))
    assert reanchor(bookmark, other).status == "detached"


def test_detached_bookmark_reattaches_when_text_returns() -> None:
    article = make_article()
    bookmark = _span_bookmark(article, "بلغت 12 قتيلا")
    detached = reanchor(bookmark, make_article((PARAGRAPHS[0],))).bookmark
    back = reanchor(detached, article)
    assert back.status == "anchored"
    assert back.bookmark.status == "anchored"


def test_reanchoring_refreshes_the_citation_facts_from_the_current_article() -> None:
    """Like its id and path, the agency comes from the article as it is now: a bookmark made
    before bookmarks kept it (``None``) gains it. The composed-title flag describes the
    bookmark's own title, so it is taken only while the article still has that title."""
    article = dataclasses.replace(make_article(), via="واس", title_composed=True)
    old = dataclasses.replace(
        _span_bookmark(article, "بلغت 12 قتيلا"), via=None, title_composed=None
    )
    refreshed = reanchor(old, article).bookmark
    assert (refreshed.via, refreshed.title_composed) == ("واس", True)

    edited = dataclasses.replace(make_article(("فقرة جديدة.", *PARAGRAPHS)), title_composed=True)
    moved = reanchor(old, edited).bookmark
    assert moved.status == "reanchored"
    assert (moved.via, moved.title_composed) == ("", True)  # no agency now: known, not unknown
    retitled = dataclasses.replace(edited, title="عنوان آخر", title_composed=False)
    assert reanchor(old, retitled).bookmark.title_composed is None  # still not known
    made_now = _span_bookmark(article, "بلغت 12 قتيلا")
    assert reanchor(made_now, retitled).bookmark.title_composed is True  # as recorded


def test_passage_at_handles_gaps_and_ends() -> None:
    article = make_article()
    first, second = article.passages[0], article.passages[1]
    assert passage_at(article, 0) == first
    assert passage_at(article, first.end) == second  # the blank line between them
    assert passage_at(article, len(article.text) + 5) == article.passages[-1]


@settings(max_examples=40, deadline=None)
@given(
    before=st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهوي ،.0123456789", max_size=80),
    after=st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهوي ،.", max_size=80),
)
def test_any_insertion_around_the_passage_keeps_the_exact_quote(before: str, after: str) -> None:
    article = make_article()
    bookmark = Bookmark.for_passage(article, "a1:2")
    changed = make_article(
        (PARAGRAPHS[0], PARAGRAPHS[1] + before, PARAGRAPHS[2], after + PARAGRAPHS[3])
    )
    moved = reanchor(bookmark, changed).bookmark
    assert moved.quote == PARAGRAPHS[2]
    assert changed.text[moved.start : moved.end] == PARAGRAPHS[2]
    assert moved.passage_id == "a1:2"
