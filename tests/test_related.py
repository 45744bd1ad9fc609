"""Related passages on the seeds, and the SQLite store (lookups and incremental updates)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from index.corpus import load_corpus
from index.links_store import RelatedStore, compute_all
from index.models import Article
from index.passages import split_passages
from index.related import (
    MAX_LINKS,
    PHRASE_SATURATION,
    Idf,
    Link,
    analyse_article,
    compute_links,
    kind_for,
    label_for,
    normalize_for_compare,
    outlet_of,
    score_pair,
)

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def seeds() -> list[Article]:
    return load_corpus([SEEDS]).articles


@pytest.fixture(scope="module")
def links(seeds: list[Article]) -> dict[str, list[Link]]:
    result, _, _, _ = compute_all(seeds)
    return result.links


def passage_id(articles: list[Article], seed: str, snippet: str) -> str:
    article = next(a for a in articles if a.id.startswith(seed))
    at = article.text.find(snippet)
    assert at >= 0, snippet
    return next(p.id for p in article.passages if p.start <= at < p.end)


def test_a_quote_links_to_the_same_quote_in_every_other_outlet(seeds, links) -> None:
    source = passage_id(seeds, "001", 'وأضاف: "لقد اتبعت حكومة الولايات')
    found = {link.target_passage_id: link for link in links.get(source, [])}
    for seed, snippet in (
        ("000", "وطبقاً لمسؤول أميركي، فإن الإدارة"),
        ("002", "وأضاف المسؤول الأميركي “لقد اتبعت"),
        ("004", "وقال المسؤول الذي طلب عدم"),
    ):
        target = passage_id(seeds, seed, snippet)
        assert target in found, (seed, snippet)
        assert found[target].kind == "same wording"
    # the three quotes are the best link of their outlet, so they come first
    assert {link.target_article_id[:3] for link in links[source][:3]} == {"000", "002", "004"}


@pytest.mark.parametrize(
    ("seed", "snippet"),
    [
        ("003", "وردا على سؤال عن تقرير"),
        ("004", "وفشلت إدارة بايدن حتى الآن"),
        ("004", "وقد اندلعت أعمال العنف في"),
        ("003", "وحذرت الولايات المتحدة روسيا أيضًا"),
    ],
)
def test_a_passage_no_other_outlet_reports_gets_nothing(seeds, links, seed, snippet) -> None:
    assert links.get(passage_id(seeds, seed, snippet), []) == []


def test_links_are_well_formed(seeds, links) -> None:
    by_id = {a.id: a for a in seeds}
    assert links, "the seeds are one story: some passages must link"
    for source_id, ranked in links.items():
        source_article = by_id[source_id.rsplit(":", 1)[0]]
        assert 0 < len(ranked) <= MAX_LINKS
        seen_outlets: list[str] = []
        for link in ranked:
            target_article = by_id[link.target_article_id]
            assert outlet_of(target_article) != outlet_of(source_article)
            assert link.target_source == target_article.source
            assert 0.0 <= link.score <= 1.0 and link.label == label_for(link.score)
            assert link.kind in ("same wording", "same fact", "same numbers")
            seen_outlets.append(outlet_of(target_article))
        # best per outlet first: no outlet repeats before every outlet has appeared once
        distinct = len(set(seen_outlets))
        assert len(set(seen_outlets[:distinct])) == distinct
        firsts = ranked[:distinct]
        assert [x.score for x in firsts] == sorted((x.score for x in firsts), reverse=True)


def test_shared_phrase_offsets_point_at_equal_text(seeds, links) -> None:
    by_id = {a.id: a for a in seeds}
    checked = 0
    for source_id, ranked in links.items():
        source_article = by_id[source_id.rsplit(":", 1)[0]]
        source_passage = source_article.passage(source_id)
        assert source_passage is not None
        for link in ranked:
            target_article = by_id[link.target_article_id]
            target_passage = target_article.passage(link.target_passage_id)
            assert target_passage is not None
            for s, t in link.shared:
                assert source_passage.start <= s.start < s.end <= source_passage.end
                assert target_passage.start <= t.start < t.end <= target_passage.end
                left = source_article.text[s.start : s.end]
                right = target_article.text[t.start : t.end]
                assert normalize_for_compare(left) == normalize_for_compare(right), (left, right)
                checked += 1
    assert checked > 10


def test_unknown_sources_are_their_own_outlets_and_one_article_never_links_to_itself(seeds) -> None:
    anonymous = [replace(a, source=None) for a in seeds]
    result, _, _, _ = compute_all(anonymous)
    assert result.links, "articles without a source still link to each other"
    for source_id, ranked in result.links.items():
        for link in ranked:
            assert link.target_article_id != source_id.rsplit(":", 1)[0]
    # the same text under one named outlet twice: those two never link to each other
    twin = replace(seeds[0], id="twin", passages=split_passages("twin", seeds[0].text), source="X")
    original = replace(seeds[0], source="X")
    result, _, _, _ = compute_all([original, twin, *seeds[1:]])
    for source_id, ranked in result.links.items():
        if source_id.startswith(("twin:", seeds[0].id)):
            assert all(link.target_article_id not in ("twin", seeds[0].id) for link in ranked)


def _article(seed: Article, article_id: str, text: str, source: str) -> Article:
    return replace(
        seed, id=article_id, text=text, passages=split_passages(article_id, text), source=source
    )


def test_the_attribution_clause_is_recognised_and_only_at_the_start(seeds) -> None:
    text = (
        "وقال جون ألترمان، مدير برنامج الشرق الأوسط في مركز الدراسات، إن التحذير يعكس رغبة"
        " في الحوار.\n"
        'وأكد مسؤول أميركي للصحيفة: "قبل الهجوم زودت الحكومة إيران بتحذير".\n'
        "وأعلن تنظيم داعش مسؤوليته عن الهجوم مؤكدا أن منفذيه انتحاريان.\n"
        "وقامت القوات بضرب أهداف في العراق. وقال الحرس الثوري إن الضربات أصابت مقرات."
    )
    passages = analyse_article(_article(seeds[0], "t", text, "X"))
    leads = [" ".join(w.norm for w in p.words if w.lead) for p in passages]
    # speaker, title and place, through the complementizer إن
    assert leads[0].endswith("ان") and "الترمان" in leads[0] and "التحذير" not in leads[0]
    assert "مركز" in passages[0].lead and "تحذير" not in passages[0].lead
    # a colon closes the clause as well
    assert leads[1].split() == ["واكد", "مسوول", "اميركي", "للصحيفه"]
    # "announced responsibility" is the fact itself, not an attribution
    assert leads[2] == ""
    # a reporting verb in the second sentence does not swallow the first
    assert leads[3] == ""


def test_sharing_the_speakers_titles_weighs_less_than_sharing_what_they_said(seeds) -> None:
    """Two experts with the same kind of title saying different things score lower than two
    outlets reporting one statement under different attributions."""
    first = _article(
        seeds[0],
        "a",
        "وقال أليكس فاتانكا، مدير برنامج إيران في معهد الشرق الأوسط، وهو مركز أبحاث في"
        " واشنطن، إن الهجوم كان انتكاسة مهينة لطهران.",
        "X",
    )
    second = _article(
        seeds[0],
        "b",
        "وقال جون ألترمان، مدير برنامج الشرق الأوسط في مركز الدراسات في واشنطن، إن التحذير"
        " يعكس رغبة في الحوار مع طهران.",
        "Y",
    )
    third = _article(
        seeds[0],
        "c",
        "ولفت مسؤولون سابقون إلى أن التحذير قد يكون وسيلة للحوار مع طهران.",
        "Z",
    )
    a, b, c = (analyse_article(x)[0] for x in (first, second, third))
    idf = Idf.from_passages([a, b, c])
    assert score_pair(b, c, idf).score > 2 * score_pair(a, b, idf).score


def test_a_day_of_the_month_is_not_a_shared_figure(seeds) -> None:
    text = "قتل 84 شخصا في الهجوم الذي وقع في 3 يناير/كانون الثاني 2024 وأصيب 284."
    (passage,) = analyse_article(_article(seeds[0], "d", text, "X"))
    assert passage.numbers == frozenset({"84", "284"})


def test_a_figure_alone_does_not_push_a_reported_fact_out_of_the_panel(seeds, links) -> None:
    """Passages stating the same death toll are linked, but below the passages of the same
    outlet whose text reports the fact: 002's lead paragraph keeps CNN's lead paragraph."""
    source = passage_id(seeds, "002", "قال مسؤول أميركي الخميس إن")
    target = passage_id(seeds, "001", "مسؤول أمريكي، الخميس، إن بلاده")
    ranked = [link.target_passage_id for link in links[source]]
    assert target in ranked[:5]
    # the toll passage of another outlet, with no text in common, is still linked through its
    # figure; 89 against "نحو 100" is the same fact told with other numbers, not "same numbers"
    toll = passage_id(seeds, "003", "وتسببا بمقتل نحو 100 شخص")
    by_target = {link.target_passage_id: link for link in links[source]}
    assert toll in by_target, "the toll passages of the story are still linked"
    assert by_target[toll].kind == "same fact"


def test_a_fact_packed_with_another_in_one_paragraph_is_matched_by_its_sentence(seeds) -> None:
    """Overlap with one sentence of a two-sentence paragraph counts as much as overlap with that
    sentence alone: the other fact does not dilute it."""
    fact = "نفذ تنظيم داعش ولاية خراسان هجمات كرمان في إيران حسب مصادر المخابرات الأمريكية."
    other = "واحتل التنظيم في السابق مساحات كبيرة من العراق وسوريا وفرض حكمه على سكانها."
    texts = {
        "q": "أكدت إدارة بايدن أن تنظيم داعش خراسان هو منفذ هجمات كرمان في إيران.",
        "alone": fact,
        "packed": f"{other} {fact}",
    }
    analysed = {
        key: analyse_article(_article(seeds[0], key, text, key))[0] for key, text in texts.items()
    }
    assert len(analysed["packed"].sentences) == 2 and not analysed["alone"].sentences
    idf = Idf.from_passages(analysed.values())
    alone = score_pair(analysed["q"], analysed["alone"], idf).stems
    packed = score_pair(analysed["q"], analysed["packed"], idf).stems
    assert packed == pytest.approx(alone)
    assert score_pair(analysed["packed"], analysed["q"], idf).stems == pytest.approx(alone)


# ------------------------------------------------------------------------------ the store


def test_store_lookups_return_what_was_computed(tmp_path, seeds) -> None:
    with RelatedStore.open(tmp_path) as store:
        result = store.rebuild(seeds)
        for pid, ranked in result.links.items():
            assert store.links_for(pid) == ranked
        assert store.links_for("no-such-article:0") == []
        story = store.story_of(seeds[0].id)
        assert story is not None and set(story.article_ids) >= {a.id for a in seeds[:3]}
        assert store.stories() == result.stories
        death_toll = passage_id(seeds, "002", "قال مسؤول أميركي الخميس إن")
        [row] = store.numbers_for(death_toll)
        assert row.measure == "killed"
        assert {c.article_id[:3] for c in row.claims} == {"000", "001", "002", "003", "004"}
        assert row.disagreements
    assert (tmp_path / "links.sqlite").is_file()


def test_incremental_update_removes_changes_and_adds(tmp_path, seeds) -> None:
    corpus = {a.id: a for a in seeds}
    quote_002 = passage_id(seeds, "002", "وأضاف المسؤول الأميركي “لقد اتبعت")
    quote_001 = passage_id(seeds, "001", 'وأضاف: "لقد اتبعت حكومة الولايات')
    a002 = next(a for a in seeds if a.id.startswith("002"))
    with RelatedStore.open(tmp_path) as store:
        store.rebuild(seeds)
        assert any(link.target_article_id == a002.id for link in store.links_for(quote_001))

        # removing 002: nothing points at it any more, its own links and claims are gone
        del corpus[a002.id]
        store.apply_changes([], [], [a002.id], corpus.get)
        assert store.links_for(quote_002) == []
        assert store.claims_for_article(a002.id) == []
        for article in corpus.values():
            for p in article.passages:
                assert all(link.target_article_id != a002.id for link in store.links_for(p.id))
        story = store.story_of(seeds[0].id)
        assert story is not None and a002.id not in story.article_ids

        # adding it back restores the links both ways and its place in the story
        corpus[a002.id] = a002
        store.apply_changes([a002.id], [], [], corpus.get)
        assert any(link.target_article_id == a002.id for link in store.links_for(quote_001))
        assert store.links_for(quote_002)
        story = store.story_of(a002.id)
        assert story is not None and seeds[0].id in story.article_ids

        # changing 002 so that it no longer carries the quote drops exactly those links
        kept = [p.text for p in a002.passages if p.id != quote_002]
        text = "\n\n".join(kept)
        changed = replace(
            a002, text=text, passages=split_passages(a002.id, text), content_hash="changed"
        )
        corpus[a002.id] = changed
        store.apply_changes([], [a002.id], [], corpus.get)
        assert not any(
            link.target_article_id == a002.id and link.kind == "same wording"
            for link in store.links_for(quote_001)
        )
        for p in changed.passages:
            for link in store.links_for(p.id):
                assert link.source_passage_id == p.id


def test_the_store_follows_the_text_index_through_its_change_hook(
    tmp_path, newsreader_home
) -> None:
    import shutil

    from index.related_sync import attach, index_token
    from index.store import CorpusIndex

    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    index = CorpusIndex.open([corpus], index_root=tmp_path / "index", update=True)
    with index:
        store = attach(index)  # catches up: the index was built before the store existed
        articles = list(index.articles())
        quote_001 = passage_id(articles, "001", 'وأضاف: "لقد اتبعت حكومة الولايات')
        a002 = next(a.id for a in articles if a.id.startswith("002"))
        assert any(link.target_article_id == a002 for link in store.links_for(quote_001))
        assert store.index_token() == index_token(index.directory)

        next(corpus.glob("002_*.txt")).unlink()
        index.update()  # the ChangeSet reaches the store through the listener attach() registered
        assert not any(link.target_article_id == a002 for link in store.links_for(quote_001))
        assert store.claims_for_article(a002) == []
        assert store.index_token() == index_token(index.directory)
        store.close()


def test_a_reworded_report_counts_every_shared_phrase_not_only_the_longest(seeds) -> None:
    """An outlet rewording a report keeps several short runs of its wording and no long one:
    the phrase feature is then the share of the shorter passage's reported words those runs
    cover (greedy string tiling), which the same words in another order do not reach."""
    texts = {
        "wire": "وقال مسؤولون إن الشحنة التي وصلت إلى الميناء كانت كافية لتغطية حاجة السوق"
        " لعدة أشهر.",
        "reworded": "وذكرت مصادر أن الشحنة التي تم تفريغها في الميناء كانت كافية لتغطية"
        " الطلب المحلي.",
        "scrambled": "وذكرت مصادر أن الطلب المحلي في الميناء تم تفريغها لتغطية الشحنة كانت"
        " التي كافية.",
    }
    analysed = {
        key: analyse_article(_article(seeds[0], key, text, key))[0] for key, text in texts.items()
    }
    idf = Idf.from_passages(analysed.values())
    reworded = score_pair(analysed["wire"], analysed["reworded"], idf)
    scrambled = score_pair(analysed["wire"], analysed["scrambled"], idf)
    covered = 4  # الشحنة، الميناء، كافية، لتغطية
    shorter = analysed["reworded"].reported_words
    assert reworded.phrase == pytest.approx(covered / shorter)
    assert reworded.phrase > reworded.longest_run / PHRASE_SATURATION
    assert scrambled.stems == pytest.approx(reworded.stems)
    assert scrambled.phrase < reworded.phrase


def test_a_passage_set_in_another_year_links_only_into_articles_naming_that_year(seeds) -> None:
    """Background recalling an earlier attack repeats the formulas of the current one ("أعلن
    تنظيم داعش مسؤوليته"): a passage opening on its own year reports that year's event and is
    not linked to an article that never names that year."""
    earlier = "وفي عام 2022، أعلن تنظيم داعش مسؤوليته عن هجوم على ضريح شيعي أدى إلى مقتل 15 شخصا."
    current = "وأعلن تنظيم داعش مسؤوليته عن هجوم على ضريح شيعي بعد يوم واحد من وقوعه."
    recalled = "وكان تنظيم داعش قد أعلن في عام 2022 مسؤوليته عن هجوم على ضريح شيعي أدى إلى مقتل 15."
    background = _article(seeds[0], "background", earlier, "X")
    plain = _article(seeds[0], "plain", current, "Y")
    naming = _article(seeds[0], "naming", recalled, "Z")
    found = compute_links([background, plain, naming])
    targets = {link.target_article_id for link in found.get("background:0", [])}
    assert "naming" in targets
    assert "plain" not in targets
    assert "background:0" not in {link.target_passage_id for link in found.get("plain:0", [])}
    # the guard, not the wording, keeps them apart: without the year they are linked
    unframed = _article(seeds[0], "unframed", earlier.replace("وفي عام 2022، ", ""), "X")
    assert "plain" in {
        link.target_article_id for link in compute_links([unframed, plain]).get("unframed:0", [])
    }


def test_a_year_given_as_a_reference_point_does_not_set_the_passage_in_that_year(seeds) -> None:
    text = "منذ عام 1979 لم تشهد إيران هجوما أكثر دموية من تفجيري كرمان."
    (passage,) = analyse_article(_article(seeds[0], "since", text, "X"))
    assert passage.years == frozenset({"1979"})
    assert passage.frame_year is None
    (framed,) = analyse_article(
        _article(seeds[0], "framed", "وفي عام 2017، استهدف هجوم البرلمان.", "X")
    )
    assert framed.frame_year == "2017"


def test_a_shared_title_chain_of_common_words_is_a_formula_not_same_wording(seeds) -> None:
    """Two reports of different events under the King's full title share an eight-word phrase;
    in a corpus where each of those words is common vocabulary the phrase is a formula: it adds
    nothing to the score and does not make the link "same wording"."""
    title = "خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود"
    first = _article(seeds[0], "a", f"هنأ {title} الفائزين بجائزة التميز في التعليم.", "X")
    second = _article(seeds[0], "b", f"أصدر {title} أمرا ملكيا بتعيين مئة قاض جديد.", "Y")
    a, b = (analyse_article(x)[0] for x in (first, second))
    chain = {w.stem for w in a.words if not w.stop} & {w.stem for w in b.words if not w.stop}
    words = {w.stem for w in (*a.words, *b.words) if not w.stop}

    def corpus_idf(chain_df: int) -> Idf:
        df = {stem: (chain_df if stem in chain else 1) for stem in words}
        return Idf(df, 100_000)

    rare = score_pair(a, b, corpus_idf(chain_df=3))
    common = score_pair(a, b, corpus_idf(chain_df=5_000))
    assert rare.longest_run >= 6 and rare.phrase == 1.0
    assert common.longest_run == 0 and common.phrase == 0.0
    assert common.score < rare.score - 0.15
    assert kind_for(rare, a, b) == "same wording"
    assert kind_for(common, a, b) != "same wording"


def test_hijri_dates_and_years_are_not_shared_figures(seeds) -> None:
    text = "وصل 1400 حاج في 21 شوال 1436 هـ وغادر 35 منهم في عام 1436 بعد أن زار 1350 مسجدا."
    (passage,) = analyse_article(_article(seeds[0], "h", text, "X"))
    assert passage.numbers == frozenset({"1400", "35", "1350"})
    assert passage.years == frozenset({"1436"})


def test_a_figure_links_two_passages_only_on_direct_evidence(seeds) -> None:
    """Claims chain into one event group through similar sentences; a "same numbers" link needs
    the two sentences themselves to read as one event (as a flagged disagreement does), or a
    long war story links every toll to every other."""
    result, _, _, _ = compute_all(seeds)
    nearly_100 = passage_id(seeds, "003", "وتسببا بمقتل نحو 100 شخص")
    at_least_84 = passage_id(seeds, "001", "ولم تتمكن الحكومة الإيرانية في")
    claims = [c for cs in result.claims.values() for c in cs if c.measure == "killed"]
    first = [c for c in claims if c.passage_id == nearly_100 and c.guarded_reason is None]
    second = [c for c in claims if c.passage_id == at_least_84 and c.guarded_reason is None]
    assert first and second
    assert {c.event_group for c in first} & {c.event_group for c in second}  # one chain ...
    assert not any(at_least_84 in c.comparable_passages for c in first)  # ... not direct
    linked = {link.target_passage_id for link in result.links.get(nearly_100, [])}
    assert at_least_84 not in linked


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        (
            "ارتفع المؤشر 0.15 % إلى 50.31 نقطة وتداول 1,200 سهم و٣٫٥ مليون",
            {"0.15", "50.31", "1,200", "3.5"},
        ),
        ("صدر في 16-12-1436هـ قرار بتشكيل 16 لجنة", {"16"}),  # the date's 16 is no figure
        ("أطلقت Windows 10 وقتل 84 شخصا و35 جريحا في 3 يناير 2024", {"84", "35"}),
    ],
)
def test_figures_are_read_whole_and_dates_and_names_are_not_figures(
    seeds, text: str, figures: set[str]
) -> None:
    """Two market reports sharing the 31 of 50.31 and 12.31 share no figure."""
    (passage,) = analyse_article(_article(seeds[0], "f", text, "X"))
    assert passage.numbers == frozenset(figures)


def test_a_passage_copied_whole_is_same_wording_even_in_everyday_words(seeds) -> None:
    text = "وقال الوزير إن الحكومة ستعمل على تحسين الخدمات في جميع المناطق خلال العام المقبل."
    a, b = (analyse_article(_article(seeds[0], key, text, key))[0] for key in ("a", "b"))
    everyday = Idf({w.stem: 10_000 for w in a.words}, 100_000)  # every word common
    pair = score_pair(a, b, everyday)
    assert pair.longest_run == 0 and pair.copied == 1.0
    assert pair.phrase == 1.0  # a copy is shared phrasing, formula words or not
    assert kind_for(pair, a, b) == "same wording"


def test_a_passage_with_too_few_uncommon_words_is_not_linked(seeds) -> None:
    """A closing formula or a heading reports no fact of its own, however well it matches."""
    formula = "وقد أعد مرسوم ملكي بذلك."
    first = _article(seeds[0], "a", f"{formula}\nقرر المجلس الموافقة على تنظيم الهيئة.", "X")
    second = _article(seeds[0], "b", f"{formula}\nقرر المجلس تعيين سفير في الدوحة.", "Y")
    analysed = {x.id: analyse_article(x) for x in (first, second)}
    words = {w.stem for ps in analysed.values() for p in ps for w in p.words}
    formula_stems = {w.stem for w in analysed["a"][0].words}
    idf = Idf({s: (5_000 if s in formula_stems else 3) for s in words}, 100_000)
    linked = set(compute_links([first, second], idf=idf))  # passages that have links
    assert "a:0" not in linked and "b:0" not in linked
    rare = Idf({s: 3 for s in words}, 100_000)  # the same lines in a corpus where they are rare
    assert "a:0" in compute_links([first, second], idf=rare)


def test_a_long_reprint_in_common_words_is_still_linked(seeds) -> None:
    """Only short passages need uncommon words: a royal-court report reprinted whole is the same
    fact however everyday its words."""
    text = (
        "وقد استقبل ولي العهد في قصره اليوم الأمراء والعلماء والوزراء وكبار المسؤولين الذين"
        " قدموا للسلام عليه وتهنئته بمناسبة العيد."
    )
    first = _article(seeds[0], "a", text, "X")
    second = _article(seeds[0], "b", text, "Y")
    analysed = {x.id: analyse_article(x) for x in (first, second)}
    words = {w.stem for ps in analysed.values() for p in ps for w in p.words}
    everyday = Idf({s: 5_000 for s in words}, 100_000)
    assert analysed["a"][0].informative(everyday) == 0
    links = compute_links([first, second], idf=everyday)
    assert "a:0" in links and links["a:0"][0].kind == "same wording"
