"""A second, always-available reference for the visual order: python-bidi 0.6 (the Rust
``unicode-bidi`` crate), compared with ``tui.rtl`` on whole paragraphs laid out as one line.

python-bidi's ``get_display`` resolves levels and order conformantly but does no bracket
mirroring (L4), puts harakat before their letter (no L3) and exposes no index map, which is why
the layout engine has its own UAX #9. Those documented differences are taken out of both sides
(brackets, combining marks and invisible format characters are deleted, which keeps every other
character's relative order);
everything else must match character for character. The FriBidi cross-check covers wrapped
lines, but needs libfribidi; this one runs everywhere.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bidi import get_display
from test_fribidi_crosscheck import MIXED, _saudi_paragraphs

from tui.rtl import LayoutOptions, layout

#: Brackets (python-bidi does not mirror them), combining marks (it puts them first) and
#: invisible format characters (it passes marks such as RLM through; the layout never emits them).
_NOT_COMPARED = re.compile(
    r"[()\[\]{}«»<>\u0610-\u061a\u064b-\u065f\u0670"
    r"\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)
_UNSHAPED = LayoutOptions(shape=False)
_ONE_LINE = 10**6


def _ours(paragraph: str) -> str:
    return "".join(line.text for line in layout(paragraph, _ONE_LINE, _UNSHAPED))


def _differs(paragraph: str) -> bool:
    ours = _NOT_COMPARED.sub("", _ours(paragraph)).strip()
    theirs = _NOT_COMPARED.sub("", get_display(paragraph)).strip()
    return ours != theirs


def _seed_paragraphs(seeds_dir: Path) -> list[str]:
    return [
        paragraph
        for path in sorted(seeds_dir.glob("*.txt"))
        for paragraph in path.read_text(encoding="utf-8").splitlines()
        if paragraph.strip()
    ]


def test_seed_paragraphs_match_python_bidi(seeds_dir: Path) -> None:
    paragraphs = _seed_paragraphs(seeds_dir)
    assert len(paragraphs) > 100
    assert [p for p in paragraphs if _differs(p)] == []


def test_mixed_direction_samples_match_python_bidi() -> None:
    plain = [p for p in MIXED if not re.search(r"[\x00-\x1f\u202a-\u202e\u2066-\u2069]", p)]
    assert plain
    assert [p for p in plain if _differs(p)] == []


def test_the_comparison_catches_a_wrong_order(seeds_dir: Path) -> None:
    """Logical order (what a terminal without bidi shows) must be told apart from visual order."""
    paragraph = _seed_paragraphs(seeds_dir)[0]
    theirs = _NOT_COMPARED.sub("", get_display(paragraph)).strip()
    assert _NOT_COMPARED.sub("", paragraph).strip() != theirs


def test_saudinewsnet_paragraphs_match_python_bidi(shared_dir: Path) -> None:
    if not (shared_dir / "corpora" / "saudinewsnet").is_dir():
        pytest.skip(
            f"{shared_dir}/corpora/saudinewsnet not found: the cross-check corpus is missing"
        )
    paragraphs = list(_saudi_paragraphs(shared_dir, 2000))
    differing = [p for p in paragraphs if _differs(p)]
    assert differing == [], f"{len(differing)} of {len(paragraphs)} differ; first: {differing[:1]}"
