"""The related panel's numbers row in a narrow panel: every figure shown, every outlet told apart."""

from __future__ import annotations

from pathlib import Path

import pytest
from _app_support import move_until, new_app, search_and_open, seeded_home, settle

from tui.labels import outlet_label
from tui.rtl import layout


@pytest.fixture
def home(newsreader_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeded_home(newsreader_home, tmp_path_factory)


def test_an_unnamed_outlet_is_named_by_its_title() -> None:
    assert outlet_label("CNN", "مصدر يفسر تحذير أمريكا") == "CNN"
    first = outlet_label(None, '"وول ستريت جورنال": تفاصيل تحذير أميركي')
    second = outlet_label(None, "وأعلن تنظيم داعش مسؤوليته عن الهجوم …")
    assert first != second and first.startswith("no outlet (")
    assert "…" in first  # cut to its first words
    assert outlet_label(None, "", "نص المقال بلا عنوان") != "no outlet"  # first words of the text
    assert outlet_label(None, "") == "no outlet"


async def test_a_narrow_numbers_row_keeps_every_figure(home: Path) -> None:
    from tui.widgets.related_panel import NumbersView, RelatedPanel

    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        reader = await search_and_open(pilot, "قتل")
        numbers = app.screen.query_one(RelatedPanel).query_one(NumbersView)
        await move_until(pilot, reader, lambda: any(r.disagreements for r in numbers.rows))
        rows = [row for row in numbers.rows if row.disagreements]
        assert rows
        for width in (24, 40):
            shown = "\n".join(
                strip.text
                for strip in numbers.render().render_strips(width, None, numbers.visual_style, None)  # type: ignore[arg-type]
            )
            for claim in rows[0].claims:
                figure = layout(claim.value_text, width, reader.layout_options)[0].text
                assert figure in shown, f"{claim.value_text!r} missing at width {width}"
        # one line per outlet and figure: the same article stating a figure twice shows it once
        shown = numbers.render().render_strips(60, None, numbers.visual_style, None)  # type: ignore[arg-type]
        texts = [strip.text.strip() for strip in shown]
        assert len(texts) == len(set(texts))
        # one alignment for the whole list, whatever script a row's outlet is in
        assert all(strip.text == strip.text.lstrip() for strip in shown)
