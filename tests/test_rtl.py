"""The terminal line layout (tui.rtl): wrapping, reordering, shaping, safety and the cell maps."""

from __future__ import annotations

import itertools
import json
import os
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from tui.rtl import (
    BIDI_EXPLICIT_MODE_ON,
    BIDI_EXPLICIT_MODE_RESTORE,
    LayoutOptions,
    VisualLine,
    cells_for_range,
    copy_text,
    layout,
    logical_at,
    paragraph_direction,
    resolve_mode,
    visual_position,
)

GOLDEN_DIR = Path(__file__).parent / "golden"
GOLDEN_WIDTHS = (30, 50, 80)
REGENERATE = os.environ.get("NEWSREADER_REGEN_GOLDEN") == "1"

UNSHAPED = LayoutOptions(shape=False)
FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp", "Cn"}


def one_line(text: str, options: LayoutOptions = UNSHAPED) -> VisualLine:
    lines = layout(text, 200, options)
    assert len(lines) == 1
    return lines[0]


# --- mixed text reads right -------------------------------------------------------------------


def test_rtl_paragraph_is_right_aligned_and_starts_at_the_right() -> None:
    line = one_line("قال الرئيس")
    assert line.align == "right"
    assert line.text == "سيئرلا لاق"
    assert line.cell_logical[-1] == 0  # the first logical letter is the rightmost cell


@pytest.mark.parametrize(
    ("logical", "visual"),
    [
        ("في عام 2024", "2024 ماع يف"),
        ("وفق CNN اليوم", "مويلا CNN قفو"),
        ("الهجوم (Getty)", "(Getty) موجهلا"),
        ("قال «نعم» ثم", "مث «معن» لاق"),
        ("22 مارس/ آذار", "راذآ /سرام 22"),
        ("820 كيلومترا (510 ميلا)", "(الим 510) ارتموليك 820".replace("им", "يم")),
        ("3 يناير/كانون الثاني", "يناثلا نوناك/رياني 3"),
        ("بنسبة 98%", "%98 ةبسنب"),
    ],
)
def test_mixed_arabic_reads_right(logical: str, visual: str) -> None:
    assert one_line(logical).text == visual


def test_brackets_are_mirrored_in_rtl_runs() -> None:
    # "(ميلا)" in RTL: the logical "(" is shown mirrored as ")" at the right end.
    line = one_line("قال (ميلا)")
    assert line.text == "(اليم) لاق"


def test_english_sentence_inside_arabic_and_arabic_inside_english() -> None:
    assert one_line("قال إن The deal is done اليوم").text == "مويلا The deal is done نإ لاق"
    line = one_line("He said قال الرئيس today.")
    assert line.align == "left"
    assert line.text == "He said سيئرلا لاق today."


def test_wrap_first_then_reorder_keeps_the_first_sentence_on_top() -> None:
    lines = layout("الأولى الثانية الثالثة الرابعة", 15, UNSHAPED)
    # the break space stays on its line, at the paragraph level: the left end of an RTL line
    assert [ln.text for ln in lines] == [" ةيناثلا ىلوألا", "ةعبارلا ةثلاثلا"]
    assert lines[0].logical_start == 0


def test_base_direction_override() -> None:
    assert one_line("abc قال", LayoutOptions(shape=False, base_direction="rtl")).text == "لاق abc"
    assert one_line("قال abc", LayoutOptions(shape=False, base_direction="ltr")).text == "لاق abc"


def test_dominant_direction_reads_a_latin_dateline_inside_arabic_right_to_left() -> None:
    dominant = LayoutOptions(shape=False, base_direction="dominant")
    line = one_line("(CNN)-- قال مسؤول", dominant)
    assert line.align == "right"
    assert line.text == "لوؤسم لاق --(CNN)"
    # By UAX #9 P2-P3 alone the same paragraph is left-to-right.
    assert one_line("(CNN)-- قال مسؤول", LayoutOptions(shape=False)).align == "left"
    assert one_line("Reuters: قال in Washington", dominant).align == "left"
    assert paragraph_direction("123 قال") == "rtl"
    assert paragraph_direction("123") == "ltr"


def test_dominant_direction_does_not_count_letters_inside_isolates() -> None:
    """A UI row quoting a long Arabic title in an isolate stays a left-to-right row."""
    dominant = LayoutOptions(shape=False, base_direction="dominant")
    row = one_line("no outlet (\u2068وأعلن تنظيم داعش مسؤوليته\u2069)", dominant)
    assert row.align == "left" and row.text.startswith("no outlet (")
    # unisolated, the Arabic majority makes it a right-to-left line
    assert one_line("no outlet (وأعلن تنظيم داعش مسؤوليته)", dominant).align == "right"


# --- shaping ------------------------------------------------------------------------------------


def test_shaping_joins_letters_keeps_harakat_and_makes_lam_alef() -> None:
    line = one_line("لا نُقلَت", LayoutOptions())
    # lam-alef is one cell for two logical chars; harakat stay right after their letter
    assert line.text == "ﺖﻠَﻘﻧُ ﻻ"
    assert line.width == 6
    assert line.cell_logical == (8, 6, 5, 3, 2, 0)
    assert cells_for_range([line], 0, 1) == [(0, 5, 6)]  # lam -> the ligature cell
    assert cells_for_range([line], 1, 2) == [(0, 5, 6)]  # alef -> the same cell
    assert cells_for_range([line], 4, 5) == [(0, 3, 4)]  # damma -> its base's cell


def test_no_word_ligatures() -> None:
    assert "\ufdf2" not in one_line("الله أكبر", LayoutOptions()).text


def test_no_shape_and_modes_keep_logical_order() -> None:
    text = "قال CNN"
    assert one_line(text, LayoutOptions(mode="terminal")).text == text
    assert one_line(text, LayoutOptions(mode="off")).text == text
    assert one_line(text, LayoutOptions(mode="app", shape=False)).text == "CNN لاق"


# --- safety -------------------------------------------------------------------------------------


def test_bidi_controls_act_inside_their_paragraph_only_and_are_never_emitted() -> None:
    lines = layout("\u202eabc def\nghi", 80)
    assert [ln.text for ln in lines] == ["fed cba", "ghi"]
    assert all(
        ch not in ln.text for ln in lines for ch in "\u202e\u202c\u2067\u2069\u200d\u200f\ufeff"
    )


def test_controls_are_replaced_and_tabs_expanded() -> None:
    line = one_line("a\tb\x1b[31mc\x07\x9b", LayoutOptions(mode="off"))
    assert line.text == "a       b\u241b[31mc\u2407\ufffd"
    assert line.width == cell_len(line.text)


def test_invisible_format_characters_are_hidden_but_mapped() -> None:
    text = "\ufeffa\u200db\u200f"
    line = one_line(text)
    assert line.text == "ab"
    assert line.logical_owner == (-1, 1, -1, 3, -1)
    assert copy_text(text, 0, len(text)) == text


# --- maps ---------------------------------------------------------------------------------------


def test_a_range_may_split_across_lines_and_within_a_line() -> None:
    text = "قال CNN اليوم"
    line = one_line(text)  # "مويلا CNN لاق"
    # logical "ال CN" (1..6) is two segments: "CN" (cols 6-7) and " لا" (cols 9-11)
    assert cells_for_range([line], 1, 6) == [(0, 6, 8), (0, 9, 12)]
    lines = layout("الأولى الثانية الثالثة", 8, UNSHAPED)
    assert [seg[0] for seg in cells_for_range(lines, 0, len("الأولى الثانية"))] == [0, 1]


def test_logical_at_and_visual_position() -> None:
    lines = layout("قال CNN", 80, UNSHAPED)
    assert logical_at(lines, 0, 0) == 4
    assert logical_at(lines, 0, 99) is None
    assert logical_at(lines, 5, 0) is None
    assert visual_position(lines, 0) == (0, 6)


def test_resolve_mode() -> None:
    assert resolve_mode({}) == "app"
    assert resolve_mode({"VTE_VERSION": "7200"}) == "terminal"
    assert resolve_mode({"KONSOLE_VERSION": "230800"}) == "terminal"
    assert resolve_mode({"MLTERM": "3.9"}) == "terminal"
    assert resolve_mode({"TERM_PROGRAM": "Apple_Terminal"}) == "terminal"
    assert resolve_mode({"VTE_VERSION": "7200"}, configured="app") == "app"
    assert resolve_mode({}, configured="terminal", flag="off") == "off"
    assert resolve_mode({"VTE_VERSION": "1"}, configured="auto", flag="auto") == "terminal"
    with pytest.raises(ValueError, match="unknown bidi mode"):
        resolve_mode({}, flag="sideways")
    assert (BIDI_EXPLICIT_MODE_ON, BIDI_EXPLICIT_MODE_RESTORE) == ("\x1b[8l", "\x1b[8h")


def test_bad_width_and_mode_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        layout("x", 0)
    with pytest.raises(ValueError, match="unknown layout mode"):
        layout("x", 5, LayoutOptions(mode="upside-down"))  # type: ignore[arg-type]


# --- properties ---------------------------------------------------------------------------------

ALPHABET = (
    "ابتثجحخدذرزسشصضطظعغفقكلمنهوية"  # Arabic letters
    "\u0622\u0623\u0625ءئؤى\u064b\u064e\u064f\u0650\u0651\u0652"  # alef forms, harakat
    "abcXYZ0123456789٠١٢٣"  # Latin, European and Arabic-Indic digits
    ".,:;!?%$+-/()[]{}«»\"'"
    "   \u00a0\t"  # spaces (several), NBSP, tab
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"  # bidi controls
    "\u200c\u200d\ufeff\u00ad\x00\x07\x1b\x7f\x85\n\r\u2029"  # format, controls, separators
    "一中\u0301\u05d0\u05d1"  # wide CJK, a Latin combining mark, Hebrew
)
OPTIONS = st.builds(
    LayoutOptions,
    mode=st.sampled_from(["app", "terminal", "off"]),
    shape=st.booleans(),
    base_direction=st.sampled_from(["auto", "dominant", "rtl", "ltr"]),
)
MAY_BE_HIDDEN = {"Cf", "Cc", "Zs", "Zp", "Mn"}


def check_layout(text: str, width: int, options: LayoutOptions) -> None:
    lines = layout(text, width, options)
    assert lines
    # ranges tile the paragraph: every logical character belongs to exactly one line
    assert lines[0].logical_start == 0
    assert lines[-1].logical_end == len(text)
    for before, after in itertools.pairwise(lines):
        assert before.logical_end == after.logical_start
    for line_no, line in enumerate(lines):
        assert line.width <= width
        assert cell_len(line.text) == line.width == len(line.cell_logical)
        assert not any(unicodedata.category(ch) in FORBIDDEN_CATEGORIES for ch in line.text)
        assert len(line.logical_owner) == line.logical_end - line.logical_start
        leaders = {o for o in line.logical_owner if o >= 0}
        assert leaders == set(line.cell_logical)  # every shown cluster has cells, and only those
        for offset, owner in enumerate(line.logical_owner):
            index = line.logical_start + offset
            if owner < 0:
                cat = unicodedata.category(text[index])
                assert cat in MAY_BE_HIDDEN, (index, text[index])
            else:
                assert line.logical_start <= owner <= index
        # cells -> logical -> cells round trip; each cluster's cells are contiguous
        for col in range(line.width):
            shown = logical_at(lines, line_no, col)
            assert shown is not None
            row, first = visual_position(lines, shown) or (-1, -1)
            assert row == line_no and line.cell_logical[first] == shown
            assert any(
                r == line_no and a <= col < b
                for r, a, b in cells_for_range(lines, shown, shown + 1)
            )
        if options.mode != "app":
            assert list(line.cell_logical) == sorted(line.cell_logical)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=120), st.integers(min_value=1, max_value=40), OPTIONS)
def test_layout_properties(text: str, width: int, options: LayoutOptions) -> None:
    check_layout(text, width, options)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.integers(min_value=1, max_value=30), OPTIONS)
def test_layout_properties_any_unicode(text: str, width: int, options: LayoutOptions) -> None:
    check_layout(text, width, options)


# --- golden layouts of the seed articles -----------------------------------------------------


def render_golden(paragraphs: list[str], width: int) -> str:
    rows = []
    for number, paragraph in enumerate(paragraphs):
        rows.append(f"# paragraph {number}")
        for line in layout(paragraph, width):
            pad = " " * (width - line.width) if line.align == "right" else ""
            rows.append(
                f"{line.logical_start:4d}-{line.logical_end:<4d} {line.align[0]} |{pad}{line.text}|"
            )
    return "\n".join(rows) + "\n"


def seed_paragraphs(path: Path) -> list[str]:
    return [p for p in path.read_text(encoding="utf-8").splitlines() if p.strip()]


@pytest.mark.parametrize("width", GOLDEN_WIDTHS)
def test_seed_goldens(seeds_dir: Path, width: int) -> None:
    seeds = sorted(seeds_dir.glob("*.txt"))
    assert seeds
    for seed in seeds:
        paragraphs = seed_paragraphs(seed)
        for paragraph in paragraphs:
            check_layout(paragraph, width, LayoutOptions())
        actual = render_golden(paragraphs, width)
        golden = GOLDEN_DIR / f"{seed.stem}.w{width}.txt"
        if REGENERATE:
            golden.write_text(actual, encoding="utf-8")
        assert golden.is_file(), f"{golden} missing: run with NEWSREADER_REGEN_GOLDEN=1 once"
        assert actual == golden.read_text(encoding="utf-8"), f"{golden.name} changed"


def test_golden_index_lists_every_seed(seeds_dir: Path) -> None:
    """The goldens were generated for exactly the bundled seeds (a new seed needs new goldens)."""
    expected = sorted(f"{s.stem}.w{w}.txt" for s in seeds_dir.glob("*.txt") for w in GOLDEN_WIDTHS)
    assert sorted(p.name for p in GOLDEN_DIR.glob("*.txt")) == expected
    assert json.dumps(expected)
