"""UAX #9 conformance of tui.bidi: BidiCharacterTest (levels and visual order per case).

The vendored subset (tests/data/bidi_subset.txt, 3,890 cases of the 15.0 file covering every
section) always runs; the full 91,707-case file runs when ../shared/unicode is present.
Python 3.11's unicodedata is Unicode 14.0 and the test file is 15.0: every code point the file uses
has the same Bidi_Class in both, which ``test_test_file_code_points_have_known_classes`` checks.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tui.bidi import REMOVED, paragraph_level, visual_order
from tui.bidi_classes import bidi_classes, mirror

SUBSET = Path(__file__).parent / "data" / "bidi_subset.txt"


@dataclass(frozen=True)
class Case:
    line_no: int
    text: str
    direction: int  # 0 LTR, 1 RTL, 2 auto
    paragraph_level: int
    levels: list[str]
    order: list[int]


def read_cases(path: Path) -> Iterator[Case]:
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, 1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.rstrip("\n").split(";")
            yield Case(
                line_no,
                "".join(chr(int(cp, 16)) for cp in fields[0].split()),
                int(fields[1]),
                int(fields[2]),
                fields[3].split(),
                [int(i) for i in fields[4].split()],
            )


def check(case: Case) -> str | None:
    """A description of how ``case`` fails, or None when levels and order are all right."""
    base = None if case.direction == 2 else case.direction
    level, levels, order = visual_order(case.text, base)
    got_levels = ["x" if lv == REMOVED else str(lv) for lv in levels]
    if level != case.paragraph_level or got_levels != case.levels or order != case.order:
        return (
            f"line {case.line_no}: paragraph {level} (want {case.paragraph_level}), levels "
            f"{' '.join(got_levels)} (want {' '.join(case.levels)}), order {order} (want {case.order})"
        )
    return None


def run_file(path: Path) -> tuple[int, list[str]]:
    count = 0
    failures: list[str] = []
    for case in read_cases(path):
        count += 1
        problem = check(case)
        if problem:
            failures.append(problem)
    return count, failures


def test_vendored_subset_passes() -> None:
    count, failures = run_file(SUBSET)
    assert count == 3890
    assert failures[:5] == [] and len(failures) == 0


def test_full_bidi_character_test_passes(shared_dir: Path) -> None:
    path = shared_dir / "unicode" / "BidiCharacterTest.txt"
    if not path.is_file():
        pytest.skip(f"{path} not found: the full Unicode conformance file is missing")
    count, failures = run_file(path)
    assert count == 91_707
    assert failures[:5] == [] and len(failures) == 0


def test_test_file_code_points_have_known_classes() -> None:
    """Every code point of the test data is assigned in Python's Unicode (no guessed defaults)."""
    code_points = {ch for case in read_cases(SUBSET) for ch in case.text}
    assert code_points
    assert all(unicodedata.bidirectional(ch) for ch in code_points), unicodedata.unidata_version


def test_a_wrong_answer_is_reported() -> None:
    """The checker itself: a case with a tampered expected order must fail."""
    case = next(read_cases(SUBSET))
    tampered = Case(
        case.line_no,
        case.text,
        case.direction,
        case.paragraph_level,
        case.levels,
        list(reversed(case.order)),
    )
    assert check(case) is None
    assert check(tampered) is not None


def test_unassigned_code_points_take_their_block_default() -> None:
    # U+05FF (Hebrew block) and U+07BB (Arabic range) are unassigned in Unicode 14/15.
    assert bidi_classes("\u05ff\u07bb\u20cf") == ["R", "AL", "ET"]
    assert paragraph_level("\u05ff abc") == 1


def test_mirroring_pairs() -> None:
    assert [mirror(c) for c in "()[]{}«»<>"] == list(")(][}{»«><")
    assert mirror("a") == "a"


# --- BidiTest.txt: 770,241 cases given as bidi classes ------------------------------------------

#: One character per bidi class, to turn BidiTest.txt's class sequences into text.
CLASS_SAMPLES = {
    "L": "a",
    "R": "\u05d0",
    "AL": "\u0627",
    "EN": "1",
    "ES": "+",
    "ET": "$",
    "AN": "\u0660",
    "CS": ",",
    "NSM": "\u0300",
    "BN": "\u00ad",
    "B": "\u2029",
    "S": "\t",
    "WS": " ",
    "ON": "!",
    "LRE": "\u202a",
    "RLE": "\u202b",
    "LRO": "\u202d",
    "RLO": "\u202e",
    "PDF": "\u202c",
    "LRI": "\u2066",
    "RLI": "\u2067",
    "FSI": "\u2068",
    "PDI": "\u2069",
}


def run_bidi_test(path: Path, every: int) -> tuple[int, list[str]]:
    """Run every ``every``-th data line of BidiTest.txt (all three paragraph directions)."""
    levels: list[str] = []
    order: list[int] = []
    count = 0
    failures: list[str] = []
    data_line = 0
    with path.open(encoding="utf-8") as handle:
        for raw in handle:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("@Levels:"):
                levels = line.split(":", 1)[1].split()
                continue
            if line.startswith("@Reorder:"):
                order = [int(i) for i in line.split(":", 1)[1].split()]
                continue
            if line.startswith("@"):
                continue
            data_line += 1
            if data_line % every:
                continue
            classes, bitset = line.split(";")
            text = "".join(CLASS_SAMPLES[name] for name in classes.split())
            assert bidi_classes(text) == classes.split()
            for bit, base in ((1, None), (2, 0), (4, 1)):
                if not int(bitset) & bit:
                    continue
                count += 1
                _level, got_levels, got_order = visual_order(text, base)
                got = ["x" if lv == REMOVED else str(lv) for lv in got_levels]
                if got != levels or got_order != order:
                    failures.append(f"{classes} base {base}: {got} {got_order}")
    return count, failures


def test_bidi_test_by_classes(shared_dir: Path) -> None:
    """A tenth of BidiTest.txt (the full file with NEWSREADER_FULL_BIDITEST=1: 770,241 cases)."""
    path = shared_dir / "unicode" / "BidiTest.txt"
    if not path.is_file():
        pytest.skip(f"{path} not found: the Unicode class-sequence conformance file is missing")
    every = 1 if os.environ.get("NEWSREADER_FULL_BIDITEST") == "1" else 10
    count, failures = run_bidi_test(path, every)
    assert count > (770_000 if every == 1 else 70_000)
    assert failures[:5] == [] and len(failures) == 0
