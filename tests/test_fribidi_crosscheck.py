"""Cross-check the layout's visual order against an independent engine: GNU FriBidi.

Both engines see the same wrapped lines (ours): FriBidi resolves the paragraph with
``fribidi_get_par_embedding_levels_ex`` and reorders each line with ``fribidi_reorder_line``; we
compare levels after L1 and the order of the cells each line shows. The library comes from the
Debian package libfribidi0; the test skips when it is absent.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import glob
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.bidi import REMOVED, line_levels, resolve_paragraph
from tui.rtl import LayoutOptions, layout

WIDTHS = (30, 50, 80)
SAUDI_PARAGRAPHS = 2000

FRIBIDI_PAR_LTR = 0x110
FRIBIDI_PAR_RTL = 0x111


def _load_fribidi() -> ctypes.CDLL | None:
    for name in (ctypes.util.find_library("fribidi"), "libfribidi.so.0"):
        if not name:
            continue
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    return None


FRIBIDI = _load_fribidi()
pytestmark = pytest.mark.skipif(
    FRIBIDI is None, reason="libfribidi not found (apt-get install libfribidi0) for the cross-check"
)


def _visible(text: str) -> str:
    """The text as the layout feeds bidi: controls it shows as symbols become those symbols."""
    return "".join(chr(0x2400 + ord(ch)) if ord(ch) < 0x20 and ch != "\t" else ch for ch in text)


def fribidi_lines(
    text: str, base: int, spans: list[tuple[int, int]]
) -> list[tuple[list[int], list[int]]]:
    """FriBidi's (levels after L1, visual order) for each line span of one paragraph."""
    assert FRIBIDI is not None
    n = len(text)
    chars = (ctypes.c_uint32 * n)(*map(ord, text))
    types = (ctypes.c_uint32 * n)()
    brackets = (ctypes.c_uint32 * n)()
    levels = (ctypes.c_int8 * n)()
    FRIBIDI.fribidi_get_bidi_types(chars, n, types)
    FRIBIDI.fribidi_get_bracket_types(chars, n, types, brackets)
    par = ctypes.c_uint32(FRIBIDI_PAR_RTL if base else FRIBIDI_PAR_LTR)
    assert FRIBIDI.fribidi_get_par_embedding_levels_ex(
        types, brackets, n, ctypes.byref(par), levels
    )
    index_map = (ctypes.c_int * n)(*range(n))
    result = []
    for start, end in spans:
        line_levels_copy = (ctypes.c_int8 * n)(*levels)
        FRIBIDI.fribidi_reorder_line(
            0, types, end - start, start, par, line_levels_copy, None, index_map
        )
        result.append((list(line_levels_copy[start:end]), list(index_map[start:end])))
    return result


def _compare(paragraph: str, width: int, shape: bool = False) -> list[str]:
    """Differences between our lines and FriBidi's for one paragraph at one width.

    With shaping on, a lam-alef ligature is one cell for two characters: FriBidi's order is
    compared cluster by cluster (each cluster where its first character lands).
    """
    text = _visible(paragraph)
    lines = layout(paragraph, width, LayoutOptions(shape=shape))
    base = 1 if lines[0].align == "right" else 0
    spans = [(line.logical_start, line.logical_end) for line in lines]
    par = resolve_paragraph(text, base)
    theirs = fribidi_lines(text, base, spans)
    problems: list[str] = []
    for line_no, (line, (their_levels, their_order)) in enumerate(zip(lines, theirs, strict=True)):
        start, end = line.logical_start, line.logical_end
        ours = line_levels(par, start, end)
        for i, ours_level in enumerate(ours):
            if ours_level != REMOVED and ours_level != their_levels[i]:
                problems.append(
                    f"line {line_no} char {start + i}: level {ours_level} vs {their_levels[i]}"
                )
                break
        owner = line.logical_owner
        expected: list[int] = []
        for index in their_order:
            leader = owner[index - start]
            if leader >= 0 and (not expected or expected[-1] != leader):
                expected.append(leader)
        shown = [
            c for k, c in enumerate(line.cell_logical) if k == 0 or line.cell_logical[k - 1] != c
        ]
        if shown != list(dict.fromkeys(expected)):
            problems.append(f"line {line_no}: order {shown} vs FriBidi {expected}")
    return problems


def _seed_paragraphs(seeds_dir: Path) -> list[str]:
    paragraphs: list[str] = []
    for path in sorted(seeds_dir.glob("*.txt")):
        paragraphs.extend(p for p in path.read_text(encoding="utf-8").splitlines() if p.strip())
    return paragraphs


def _saudi_paragraphs(shared: Path, limit: int) -> Iterator[str]:
    count = 0
    for name in sorted(glob.glob(str(shared / "corpora" / "saudinewsnet" / "*.zip"))):
        with zipfile.ZipFile(name) as archive:
            for member in archive.namelist():
                for article in json.loads(archive.read(member)):
                    for paragraph in (article.get("content") or "").splitlines():
                        if paragraph.strip():
                            yield paragraph
                            count += 1
                            if count >= limit:
                                return


MIXED = [
    "مقتل أكثر من 80 إيرانياً في 2024 بنسبة 98% وفق CNN (Getty) «اقتباس»",
    "22 مارس/ آذار 820 كيلومترا (510 ميلا) في 3 يناير/كانون الثاني",
    'The agency said "قال الرئيس إن 3 يناير/كانون الثاني" was the date (CNN).',
    "قال: \u202eRLO inside\u202c ثم \u2067isolated English 12\u2069 end",
    "عدد الضحايا [ 1,234.5 ] مقابل {7-8} و(ثلاثة) ثم\ttab\x07bell",
]


@pytest.mark.parametrize("width", WIDTHS)
def test_mixed_samples_match_fribidi(width: int) -> None:
    for paragraph in MIXED:
        assert _compare(paragraph, width) == [], paragraph
        assert _compare(paragraph, width, shape=True) == [], paragraph


def test_the_cross_check_sees_a_wrong_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """Checking the checker: with reordering disabled, FriBidi must disagree."""
    import tui.rtl as rtl_module
    from tui import rtl_prepare

    rtl_prepare.clear_caches()
    monkeypatch.setattr(rtl_module, "reorder_line", lambda par, a, b: list(range(a, b)))
    assert _compare(MIXED[0], 30) != []
    rtl_prepare.clear_caches()


@pytest.mark.parametrize("shape", [False, True])
@pytest.mark.parametrize("width", WIDTHS)
def test_seed_paragraphs_match_fribidi(seeds_dir: Path, width: int, shape: bool) -> None:
    paragraphs = _seed_paragraphs(seeds_dir)
    assert len(paragraphs) > 50
    failures = {p[:40]: d for p in paragraphs if (d := _compare(p, width, shape))}
    assert failures == {}


@pytest.mark.slow
def test_saudinewsnet_paragraphs_match_fribidi(shared_dir: Path) -> None:
    if not (shared_dir / "corpora" / "saudinewsnet").is_dir():
        pytest.skip(
            f"{shared_dir}/corpora/saudinewsnet not found: the cross-check corpus is missing"
        )
    paragraphs = list(_saudi_paragraphs(shared_dir, SAUDI_PARAGRAPHS))
    assert len(paragraphs) == SAUDI_PARAGRAPHS
    compared = 0
    failures: dict[str, list[str]] = {}
    for paragraph in paragraphs:
        for width in WIDTHS:
            problems = _compare(paragraph, width)
            compared += 1
            if problems:
                failures[f"{width}:{paragraph[:50]}"] = problems[:3]
    assert compared == SAUDI_PARAGRAPHS * len(WIDTHS)
    assert failures == {}
