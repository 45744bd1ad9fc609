"""LaidOutBlock, the laid-out prompt of the app's lists: how a header breaks when it must."""

from __future__ import annotations

from textual.style import Style
from textual.visual import RenderOptions

from tui.rtl import LayoutOptions
from tui.widgets.painting import LaidOutBlock, TextPart

SCORE = "42% possible · same fact"
OUTLET = "outlet not stated"


def _rows(block: LaidOutBlock, width: int) -> list[str]:
    strips = block.render_strips(width, None, Style(), RenderOptions(lambda *_: None, {}))  # type: ignore[arg-type]
    return [strip.text.strip() for strip in strips]


def _header(**kwargs: object) -> LaidOutBlock:
    part = TextPart(f"{SCORE} · {OUTLET}", **kwargs)  # type: ignore[arg-type]
    return LaidOutBlock([part], LayoutOptions())


def test_a_header_that_fits_stays_on_one_line() -> None:
    assert _rows(_header(split_lines=(SCORE, OUTLET)), 60) == [f"{SCORE} · {OUTLET}"]


def test_a_header_that_does_not_fit_breaks_between_its_fields() -> None:
    assert _rows(_header(split_lines=(SCORE, OUTLET)), 36) == [SCORE, OUTLET]
    # without split lines the plain wrap cuts the outlet's name in two
    assert _rows(_header(), 36) == [f"{SCORE} · outlet", "not stated"]


def test_split_lines_still_wrap_when_narrower_than_a_field() -> None:
    rows = _rows(_header(split_lines=(SCORE, OUTLET)), 12)
    assert " ".join(rows).split() == f"{SCORE} {OUTLET}".split()


def test_a_cut_text_ends_in_an_ellipsis_at_a_word_boundary() -> None:
    text = "أسفرت التفجيرات الانتحارية المنسقة عن مقتل ما يقرب من 100 شخص في مدينة كرمان"
    block = LaidOutBlock([TextPart(text, max_lines=2)], LayoutOptions(mode="off"))
    rows = _rows(block, 24)
    assert len(rows) == 2
    assert "…" in rows[1]  # logical order (mode off): the ellipsis ends the last line
    kept = " ".join(rows).replace("…", "").split()
    assert kept == text.split()[: len(kept)]  # whole words, in order, nothing invented
    whole = LaidOutBlock([TextPart(text, max_lines=9)], LayoutOptions(mode="off"))
    assert "…" not in "".join(_rows(whole, 24))  # nothing cut: no ellipsis
