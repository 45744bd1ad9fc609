"""Stories: the seeds are one story; an unrelated article or a distant date stays out."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.corpus import load_corpus
from index.links_store import compute_all
from index.models import Article
from index.passages import split_passages
from index.stories import (
    DATE_WINDOW_DAYS,
    SHARED_FACTS_FOR_STORY,
    STORY_THRESHOLD,
    build_stories,
    document_frequencies,
    group,
    looks_like_headline,
    profile,
    similarities,
    story_similarity,
)

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

FOOTBALL = """فاز فريق الهلال على النصر بثلاثة أهداف مقابل هدف في مباراة الدوري السعودي مساء الجمعة.

وسجل المهاجم هدفين في الشوط الأول قبل أن يضيف زميله الهدف الثالث من ركلة جزاء.

وبهذا الفوز يتصدر الهلال جدول الترتيب برصيد عشرين نقطة بعد ثماني جولات."""


def make_article(
    article_id: str, text: str, *, source: str, date: str | None = None, title: str = ""
) -> Article:
    return Article(
        id=article_id,
        title=title or text.split("\n", 1)[0][:60],
        text=text,
        raw=text,
        path=f"/virtual/{article_id}.txt",
        content_hash=article_id,
        source=source,
        date=date,
        passages=split_passages(article_id, text),
    )


@pytest.fixture(scope="module")
def seeds() -> list[Article]:
    return load_corpus([SEEDS]).articles


def test_the_five_seed_articles_are_one_story(seeds: list[Article]) -> None:
    result, _, _, _ = compute_all(seeds)
    assert len(result.stories) == 1
    [story] = result.stories
    # 003 is mostly about Moscow, but it reports the Kerman toll, arrests and the claim of
    # responsibility that the others report: by shared facts it belongs to the story.
    assert set(story.article_ids) == {a.id for a in seeds}
    assert set(story.sources) == {a.source for a in seeds if a.source}
    assert story.title in {a.title for a in seeds}
    # 002 and 004 have no headline (the loader titles them by their first line, cut with " …"):
    # the story is titled by an article that has one
    assert looks_like_headline(story.title) and not story.title.endswith("…")


def test_a_first_line_standing_in_for_a_title_is_not_a_headline() -> None:
    assert looks_like_headline('مصدر يفسر تحذير أمريكا لإيران من هجوم "داعش"')
    assert looks_like_headline("إيران حذرت روسيا من خطر أمني قبل هجوم موسكو.. ما علاقة؟")
    assert not looks_like_headline("قال مسؤول أميركي الخميس إن الولايات المتحدة حذرت سرا …")
    assert not looks_like_headline("وأعلن التنظيم مسؤوليته عن الهجوم.")
    assert not looks_like_headline("")


def test_an_article_about_something_else_is_not_in_the_story(seeds: list[Article]) -> None:
    football = make_article("football", FOOTBALL, source="الرياضية", title="الهلال يفوز على النصر")
    result, _, _, _ = compute_all([*seeds, football])
    story_members = {a for s in result.stories for a in s.article_ids}
    assert "football" not in story_members
    assert not any(
        link.target_article_id == "football" for ls in result.links.values() for link in ls
    )


def test_articles_far_apart_in_time_are_not_compared() -> None:
    text = "\n\n".join(
        [
            "أعلنت وزارة الصحة تسجيل إصابات جديدة بفيروس كورونا في منطقة الرياض والمنطقة الشرقية.",
            "وقالت الوزارة إن المصابين يتلقون العلاج في مستشفيات الرياض وإن حالتهم مستقرة.",
        ]
    )
    near = [
        make_article("a", text, source="الرياض", date="2015-07-21"),
        make_article("b", text, source="عكاظ", date="2015-07-22"),
    ]
    far = make_article("c", text, source="الوطن", date="2015-08-21")
    articles = [*near, far]
    df, n = document_frequencies(articles)
    profiles = {a.id: profile(a, df, n) for a in articles}
    pairs = similarities(profiles)
    assert ("a", "b") in pairs
    assert ("a", "c") not in pairs and ("b", "c") not in pairs
    assert DATE_WINDOW_DAYS < 30


def test_same_day_coverage_of_one_event_by_several_outlets_forms_one_story() -> None:
    event = [
        "أعلنت وزارة الداخلية القبض على خلية إرهابية في محافظة القطيف تضم سبعة أشخاص.",
        "وقال المتحدث الأمني إن الخلية كانت تخطط لاستهداف مسجد في الدمام خلال صلاة الجمعة.",
        "وضبطت الأجهزة الأمنية أحزمة ناسفة وأسلحة في مزرعة استخدمتها الخلية مخبأ.",
    ]
    other = [
        "افتتح أمير المنطقة مهرجان التمور في بريدة بمشاركة مئات المزارعين من مختلف المحافظات.",
        "ويستمر المهرجان أسبوعين وتعرض فيه أصناف السكري والخلاص وسط إقبال كبير من الزوار.",
        "وقال رئيس اللجنة المنظمة إن المبيعات تجاوزت التوقعات في الأيام الأولى للمهرجان.",
    ]
    articles = [
        make_article("r", "\n\n".join(event), source="الرياض", date="2015-07-21"),
        make_article(
            "o", "\n\n".join([event[0], event[2], event[1]]), source="عكاظ", date="2015-07-21"
        ),
        make_article("w", "\n\n".join(event[:2]), source="الوطن", date="2015-07-21"),
        make_article("f", "\n\n".join(other), source="المدينة", date="2015-07-21"),
    ]
    stories, _ = build_stories(articles)
    result, _, _, _ = compute_all(articles)
    for found in (stories, result.stories):
        assert [set(s.article_ids) for s in found] == [{"r", "o", "w"}]


def test_shared_facts_make_an_edge_and_fewer_weigh_less() -> None:
    # the seeds' outlets share few words but several facts: enough facts alone make an edge
    # (exactly the threshold: 0.35 * 3 / 3 must not fall below it in floating point)
    pair = ("x", "y")
    enough = story_similarity({}, {pair: SHARED_FACTS_FOR_STORY})
    assert enough[pair] >= STORY_THRESHOLD
    one = story_similarity({}, {pair: 1})
    assert 0 < one[pair] < STORY_THRESHOLD
    # a cosine above the evidence is kept
    assert story_similarity({pair: 0.8}, {pair: 1})[pair] == 0.8


def test_many_shared_facts_do_not_pull_another_event_into_a_story() -> None:
    """Two reports of one event (a, b) and a report of another event of the same topic (c)
    that repeats a's agency boilerplate: nine linked passages between a and c, little else in
    common. The links make a-c an edge but weigh no more than one: counted as a similarity of
    1 they outweighed b-c in the average and made c part of a and b's story."""
    similarity = {("a", "b"): 0.6, ("a", "c"): 0.12, ("b", "c"): 0.1}
    raised = story_similarity(similarity, {("a", "c"): 9})
    assert raised[("a", "c")] == pytest.approx(STORY_THRESHOLD)
    titles = {
        "a": "وصول الطائرة الإغاثية",
        "b": "هبوط طائرة المساعدات",
        "c": "وصول الطائرة الثانية",
    }
    sources = {"a": "الرياض", "b": "عكاظ", "c": "الوطن"}
    stories = group(titles, sources, raised)
    assert [set(s.article_ids) for s in stories] == [{"a", "b"}]
