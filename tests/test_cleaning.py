"""Cleaning: site chrome, captions and "read also" sections leave every seed; content stays."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from index.cleaning import RULES_FILE, clean_text, load_rules, recurring_lines, rules_from_mapping
from index.corpus import load_corpus, remove_recurring_boilerplate
from index.models import Article


@pytest.fixture(scope="module")
def seeds(seeds_dir: Path) -> dict[str, Article]:
    report = load_corpus([seeds_dir])
    assert not report.skipped
    return {article.id[:3]: article for article in report.articles}


def _lines(article: Article) -> list[str]:
    return article.text.split("\n\n")


# (seed, lines that must be gone as whole lines, text that must remain)
CHROME = {
    "000": (
        [
            "+ الخط -",
            "المساهمون",
            "25 يناير 2024",
            "مسؤولون أميركيون: المعلومات التي قدمت لإيران كانت كافية لإحباط الهجوم (Getty)",
        ],
        ['نقلت صحيفة "وول ستريت جورنال" الأميركية', "وقال أليكس فاتانكا", "تحذير سري وتكتم شديد"],
    ),
    "001": (
        ["نشر", "3 دقائق قراءة", "الشرق الأوسط"],
        ["(CNN)--", "وتواصلت شبكة CNN", "ووفقا لمكتب مدير الاستخبارات الوطنية"],
    ),
    "002": (
        [
            "المصدر أ ف ب الوسومإيران الولايات المتحدة داعش",
            "المصدر: كويت نيوز",
            "كلمات دلالية: إيران الولايات المتحدة داعش تنظیم داعش",
            "إقرأ أيضاً:",
            "مقالات مشابهة",
        ],
        ["قال مسؤول أميركي الخميس إن الولايات المتحدة", "“فجرا حزاميهما الناسفين"],
    ),
    "003": (
        [
            "نصب تذكاري مؤقت لضحايا هجوم موسكو",
            "نصب تذكاري مؤقت لضحايا هجوم موسكورويترز",
            "أخبار ذات صلة",
            "الأكثر قراءة",
            "No stories found.",
            "logo",
            "إرم نيوز",
            "www.eremnews.com",
        ],
        ["نقلت وكالة رويترز عن ثلاثة مصادر مطلعة", "وقالت مصادر إن إيران ناقشت مخاوفها الأمنية"],
    ),
    "004": (
        [],
        ["وأعلن تنظيم داعش مسؤوليته عن الهجوم الذي وقع", "انسحبت الولايات المتحدة من جانب واحد"],
    ),
}


@pytest.mark.parametrize("seed", sorted(CHROME))
def test_chrome_removed_and_content_kept_on_every_seed(
    seed: str, seeds: dict[str, Article]
) -> None:
    article = seeds[seed]
    gone, kept = CHROME[seed]
    lines = _lines(article)
    for line in gone:
        assert line not in lines, f"{seed}: chrome line still there: {line}"
        assert line in article.raw  # ... but the original text is kept whole
    for snippet in kept:
        assert snippet in article.text, f"{seed}: content lost: {snippet}"


def test_captions_and_credits_gone(seeds: dict[str, Article]) -> None:
    assert "(Getty)" not in seeds["000"].text
    assert "Credit:" not in seeds["001"].text
    assert "Getty Images" not in seeds["001"].text
    assert "صورة أرشيفية" not in seeds["001"].text
    assert "نصب تذكاري" not in seeds["003"].text


def test_002_read_also_story_is_cut(seeds: dict[str, Article]) -> None:
    article = seeds["002"]
    assert "بلينكن" not in article.text
    assert "اعتراف أمريكي بمحاولات تغيير النظام" not in article.text
    assert "باكستان" not in article.text
    # The last passage is the AFP paragraph quoting the group's claim, whole.
    last = article.passages[-1].text
    assert last.startswith("وأعلن تنظيم داعش آنذاك مسؤوليته")
    assert last.endswith(
        "“فجرا حزاميهما الناسفين (…) وسط تجمع كبير قرب قبر قاسم سليماني بمدينة كرمان جنوبي إيران”."
    )
    assert article.text.endswith(last)


def test_003_related_blocks_removed_mid_article(seeds: dict[str, Article]) -> None:
    text = seeds["003"].text
    for headline in (
        'واشنطن تؤكد نقل "تحذير مكتوب" إلى موسكو قبل هجوم "كروكوس"',
        'بوتين: هجوم موسكو نفذه"متطرفون" حاولوا الهروب إلى أوكرانيا',
        "تفجيرا كرمان.. لماذا هاجم داعش إيران؟",
    ):
        assert headline not in text
    # The paragraphs on both sides of the first block are still there, in order.
    before = text.index("وحذرت الولايات المتحدة روسيا أيضًا")
    after = text.index("ومن الصعب، رغم ذلك، أن تتجاهل روسيا")
    assert before < after
    assert "عناصر من طاجيكستان" in _lines(seeds["003"])  # a subheading after a block stays


def test_headline_not_repeated_in_body(seeds: dict[str, Article]) -> None:
    for seed in ("000", "001", "003"):
        assert seeds[seed].title not in _lines(seeds[seed])
    # 002 and 004 open with a lede: it stays in the body.
    assert _lines(seeds["002"])[0].startswith("قال مسؤول أميركي الخميس")
    assert _lines(seeds["004"])[0].startswith("وأعلن تنظيم داعش مسؤوليته")


def test_kept_lines_are_unchanged_lines_of_the_raw_text(seeds: dict[str, Article]) -> None:
    for article in seeds.values():
        raw_lines = {line.strip() for line in article.raw.splitlines()}
        for line in _lines(article):
            assert line in raw_lines
    # NO-BREAK SPACEs inside lines are kept as written.
    assert "بايدن\u00a0قد أكدوا" in seeds["000"].text
    assert "تنظیم" not in seeds["002"].text  # that Persian-ye word was only in the tag line


def test_arabic_indic_digits_and_controls() -> None:
    cleaned = clean_text("عنوان الخبر\n\nقتل ٨٤ شخصاً في الهجوم\x1a الذي وقع يوم ٣ يناير.\r\n")
    assert cleaned.title == "عنوان الخبر"
    assert cleaned.paragraphs == ("قتل ٨٤ شخصاً في الهجوم الذي وقع يوم ٣ يناير.",)


def test_inline_read_also_line_dropped_but_article_continues() -> None:
    raw = (
        "قال الوزير إن المفاوضات ستستأنف الأسبوع المقبل في جنيف بحضور الوفود.\n"
        "اقرأ أيضاً: عنوان خبر آخر لا علاقة له\n"
        "وأضاف أن الاتفاق ممكن قبل نهاية العام الجاري إذا توفرت الإرادة.\n"
    )
    cleaned = clean_text(raw)
    assert len(cleaned.paragraphs) == 2
    assert ("related link", "اقرأ أيضاً: عنوان خبر آخر لا علاقة له") in cleaned.dropped


def test_read_also_marker_at_the_top_never_empties_an_article() -> None:
    cleaned = clean_text("اقرأ أيضا\nقال الوزير إن المفاوضات ستستأنف الأسبوع المقبل في جنيف.\n")
    assert cleaned.paragraphs == ("قال الوزير إن المفاوضات ستستأنف الأسبوع المقبل في جنيف.",)


def test_one_line_text_is_both_title_and_body() -> None:
    cleaned = clean_text("تم التجاوب")
    assert cleaned.title == "تم التجاوب"
    assert cleaned.paragraphs == ("تم التجاوب",)


def test_rules_are_data(tmp_path: Path) -> None:
    with RULES_FILE.open("rb") as handle:
        data = tomllib.load(handle)
    raw = "قال الوزير إن المفاوضات ستستأنف الأسبوع المقبل في جنيف.\nحقوق النشر محفوظة"
    assert "حقوق النشر محفوظة" in clean_text(raw).paragraphs
    data["chrome"]["patterns"].append("حقوق النشر محفوظة")
    custom = tmp_path / "rules.toml"
    lines = ["[chrome]", "patterns = ['حقوق النشر محفوظة']"]
    custom.write_text("\n".join(lines), encoding="utf-8")
    assert "حقوق النشر محفوظة" not in clean_text(raw, rules=rules_from_mapping(data)).paragraphs
    assert "حقوق النشر محفوظة" not in clean_text(raw, rules=load_rules(custom)).paragraphs


def _article(n: int, source: str | None, lines: list[str]) -> Article:
    text = "\n\n".join(lines)
    return Article(
        id=f"a{n}", title="t", text=text, raw=text, path="x", content_hash="h", source=source
    )


def test_recurring_line_is_boilerplate_per_source() -> None:
    sign_off = "// انتهى //"
    column = "للتواصل مع الكاتب ارسل رسالة"
    articles = [
        _article(n, "was", [f"خبر رقم {n} عن موضوع مختلف تماماً في كل مرة.", sign_off])
        for n in range(6)
    ]
    articles += [
        _article(10 + n, "other", [f"نص {n} مختلف لا يتكرر أبداً هنا.", column]) for n in range(3)
    ]
    articles += [
        _article(20 + n, None, [f"نص {n} بلا مصدر معروف هنا.", sign_off]) for n in range(6)
    ]
    cleaned = remove_recurring_boilerplate(articles)
    assert [a.id for a in cleaned] == [a.id for a in articles]
    for article in cleaned[:6]:
        assert sign_off not in article.text
        assert article.passages and article.content_hash != "h"
    for article in cleaned[6:9]:
        assert column in article.text  # too few articles of that source to judge
    for article in cleaned[9:]:
        assert sign_off in article.text  # unknown source: each is its own outlet


def test_recurring_thresholds() -> None:
    rules = load_rules()
    rare = [["سطر متكرر"] if n < 2 else [f"سطر {n}"] for n in range(20)]
    assert recurring_lines(rare, rules) == frozenset()
    common = [["سطر متكرر", f"سطر {n}"] if n < 7 else [f"سطر {n}"] for n in range(20)]
    assert recurring_lines(common, rules) == frozenset({"سطر متكرر"})
    strict = replace(rules, recurring=replace(rules.recurring, min_share=0.5))
    assert recurring_lines(common, strict) == frozenset()


def test_markdown_heading_is_the_title() -> None:
    cleaned = clean_text("# عنوان الخبر\n\nقال الوزير إن المفاوضات ستستأنف الأسبوع المقبل.")
    assert cleaned.title == "عنوان الخبر"
    assert cleaned.paragraphs == ("قال الوزير إن المفاوضات ستستأنف الأسبوع المقبل.",)


def test_record_body_keeps_short_first_lines() -> None:
    # A poem in a JSON record: its title is separate and its verses are content, not labels.
    poem = "متألّم من السنين\nوطعن خنجرها\nقصيدة طويلة بما يكفي لتكون فقرة كاملة من النص هنا."
    cleaned = clean_text(poem, title="متألّم من السنين", scraped_page=False)
    assert cleaned.paragraphs == tuple(poem.split("\n"))
    page = clean_text(poem, title="متألّم من السنين")
    assert page.paragraphs == (poem.split("\n")[2],)


def test_a_permalink_footer_repeating_the_title_is_chrome() -> None:
    """SaudiNewsNet's alweeam articles end on "رابط الخبر بصحيفة الوئام: <own title>": a
    different line in every article, so the recurring-line rule cannot see it."""
    raw = (
        "قال الوزير إن المفاوضات ستستأنف الأسبوع المقبل في جنيف بحضور الوفود.\n"
        "رابط الخبر بصحيفة الوئام: الوزير: المفاوضات تستأنف الأسبوع المقبل\n"
    )
    cleaned = clean_text(raw, title="الوزير: المفاوضات تستأنف الأسبوع المقبل")
    assert cleaned.paragraphs == (
        "قال الوزير إن المفاوضات ستستأنف الأسبوع المقبل في جنيف بحضور الوفود.",
    )
    kept = clean_text("رابط الخبر الذي نشرته الصحيفة أثار جدلا واسعا بين القراء أمس.")
    assert kept.paragraphs  # a sentence about a link, with no colon, is content


def test_the_cleaner_says_when_it_composed_the_title() -> None:
    """A citation must not present a title newsreader made up as the outlet's: the flag is set
    where the title is chosen, for a lede and only for a lede."""
    lede = "قال المتحدث إن الحريق اندلع في الطابق الثالث. وأضاف أن الفرق أخمدته بعد ساعتين."
    composed = clean_text(lede)
    assert composed.title == "قال المتحدث إن الحريق اندلع في الطابق الثالث"
    assert composed.title_composed
    assert clean_text(lede, scraped_page=False).title_composed  # a record with no title field
    assert not clean_text(lede, title="عنوان من الفهرس").title_composed  # stated
    assert not clean_text(lede, title=composed.title, scraped_page=False).title_composed
    assert not clean_text("عنوان الخبر\n\n" + lede).title_composed  # the text's headline
    assert not clean_text("# عنوان الخبر\n\n" + lede).title_composed  # a markdown heading
    assert not clean_text(lede, derive_title=False).title_composed  # no title at all


def test_seeds_002_and_004_have_composed_titles(seeds: dict[str, Article]) -> None:
    """Their first lines are ledes (002: "قال مسؤول أميركي الخميس ..."); 000, 001 and 003 have
    headlines, which their catalog entries also state."""
    assert {key for key, article in seeds.items() if article.title_composed} == {"002", "004"}
    assert seeds["002"].title.startswith("قال مسؤول أميركي الخميس")
