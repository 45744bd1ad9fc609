"""Passages: paragraphs, sentences of long paragraphs, stable ids and exact offsets."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from index.corpus import load_corpus
from index.models import Passage
from index.passages import (
    MAX_PARAGRAPH_WORDS,
    MAX_SENTENCE_WORDS,
    sentence_spans,
    split_passages,
)


def _check_offsets(article_id: str, text: str, passages: tuple[Passage, ...]) -> None:
    previous_end = 0
    for ordinal, passage in enumerate(passages):
        assert passage.id == f"{article_id}:{ordinal}"
        assert passage.article_id == article_id
        assert passage.ordinal == ordinal
        assert passage.text == text[passage.start : passage.end]
        assert passage.text and passage.text == passage.text.strip()
        assert passage.start >= previous_end
        previous_end = passage.end
    # Nothing but whitespace is left out between passages.
    covered = "".join(p.text for p in passages)
    assert "".join(covered.split()) == "".join(text.split())


def test_seed_passages_have_exact_offsets(seeds_dir: Path) -> None:
    for article in load_corpus([seeds_dir]).articles:
        assert article.passages
        _check_offsets(article.id, article.text, article.passages)


# Text built from Arabic words, spaces (incl. NBSP), newlines and sentence punctuation.
_pieces = st.sampled_from(
    ["قال", "المسؤول", "إن", "3.5", "د.", "“حذرنا", "منهم”.", "«نعم»", "..", "…", "؟", "!",
     ".", "؛", " ", " ", "\u00a0", "\n", "\n\n", "\n \n", "\t"]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(_pieces, max_size=300).map(" ".join))
def test_offsets_property(text: str) -> None:
    _check_offsets("x", text, split_passages("x", text))


def test_paragraphs_by_blank_line_and_by_newline() -> None:
    text = "الفقرة الأولى.\nالفقرة الثانية.\n\n\nالفقرة الثالثة."
    assert [p.text for p in split_passages("a", text)] == [
        "الفقرة الأولى.",
        "الفقرة الثانية.",
        "الفقرة الثالثة.",
    ]


def test_short_paragraph_is_one_passage_even_with_several_sentences() -> None:
    text = "قال الوزير إن الاجتماع انتهى. وأضاف أن المحادثات ستستأنف غداً."
    assert len(split_passages("a", text)) == 1


LONG = (
    "قال المسؤول إن نسبة النمو بلغت 3.5 في المئة هذا العام وإن الحكومة ستواصل خطتها الاقتصادية. "
    "وأضاف د. أحمد سالم، مستشار الوزارة، أن الأرقام “مشجعة جداً. لكنها ليست كافية”. "
    "وفي روسيا.. قال مصدر آخر إن المفاوضات لم تصل بعد إلى أي نتيجة ملموسة حتى الآن؟ "
    "ولم يصدر أي تعليق رسمي من الجانب الآخر على هذه التصريحات التي أثارت جدلاً واسعاً!"
)


def test_long_paragraph_is_split_into_sentences() -> None:
    assert len(LONG.split()) > MAX_PARAGRAPH_WORDS
    passages = split_passages("a", LONG)
    assert [p.text for p in passages] == [
        "قال المسؤول إن نسبة النمو بلغت 3.5 في المئة هذا العام وإن الحكومة ستواصل خطتها الاقتصادية.",
        # "د." is an abbreviation; the quote keeps its inner full stop and its closing mark.
        "وأضاف د. أحمد سالم، مستشار الوزارة، أن الأرقام “مشجعة جداً. لكنها ليست كافية”.",
        # ".." is a pause, not a sentence end; "؟" ends a sentence.
        "وفي روسيا.. قال مصدر آخر إن المفاوضات لم تصل بعد إلى أي نتيجة ملموسة حتى الآن؟",
        "ولم يصدر أي تعليق رسمي من الجانب الآخر على هذه التصريحات التي أثارت جدلاً واسعاً!",
    ]
    _check_offsets("a", LONG, passages)


def test_tiny_fragment_joins_its_sentence() -> None:
    text = (
        "جملة طويلة بما يكفي لتكون جملة كاملة هنا. والمصالح الأخرى. جملة ثالثة طويلة بما يكفي هنا."
    )
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == [
        "جملة طويلة بما يكفي لتكون جملة كاملة هنا. والمصالح الأخرى.",
        "جملة ثالثة طويلة بما يكفي هنا.",
    ]


def test_ids_are_stable_for_the_same_text() -> None:
    assert split_passages("a", LONG) == split_passages("a", LONG)
    assert split_passages("", "   \n\n  ") == ()


def test_run_on_sentence_is_cut_after_clauses() -> None:
    clause = "وأضاف المسؤول أن الوزارة ستعمل على تنفيذ المشروع الجديد في المنطقة الشرقية خلال العام"
    text = "، ".join([clause] * 12) + "."  # one 'sentence' of 168 words, eleven commas
    passages = split_passages("a", text)
    _check_offsets("a", text, passages)
    assert len(passages) > 1
    assert all(len(p.text.split()) <= MAX_SENTENCE_WORDS for p in passages)
    assert all(p.text.endswith(("،", ".")) for p in passages)  # cut after a clause mark


def test_unpunctuated_block_is_cut_at_word_boundaries() -> None:
    text = " ".join(f"كلمة{n}" for n in range(200))
    passages = split_passages("a", text)
    _check_offsets("a", text, passages)
    assert [len(p.text.split()) for p in passages] == [40, 40, 40, 40, 40]
