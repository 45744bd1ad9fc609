"""Unicode data tables for :mod:`tui.bidi` that Python's :mod:`unicodedata` does not provide.

BidiBrackets.txt (all pairs, Unicode 15.0), the common part of BidiMirroring.txt, the default
Bidi_Class of unassigned code points (DerivedBidiClass.txt), and the few Unicode 15.0
assignments whose class differs from Python 3.11's Unicode 14.0 defaults.
"""

from __future__ import annotations

# UCD default Bidi_Class for unassigned code points (DerivedBidiClass.txt header), so text written
# with a newer Unicode than Python's still takes the right direction.
DEFAULT_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0590, 0x05FF, "R"),
    (0x0600, 0x07BF, "A"),
    (0x07C0, 0x085F, "R"),
    (0x0860, 0x08FF, "A"),
    (0x20A0, 0x20CF, "T"),
    (0xFB1D, 0xFB4F, "R"),
    (0xFB50, 0xFDCF, "A"),
    (0xFDF0, 0xFDFF, "A"),
    (0xFE70, 0xFEFF, "A"),
    (0x10800, 0x10CFF, "R"),
    (0x10D00, 0x10D3F, "A"),
    (0x10D40, 0x10EBF, "R"),
    (0x10EC0, 0x10EFF, "A"),
    (0x10F00, 0x10F2F, "R"),
    (0x10F30, 0x10F6F, "A"),
    (0x10F70, 0x10FFF, "R"),
    (0x1E800, 0x1EC6F, "R"),
    (0x1EC70, 0x1ECBF, "A"),
    (0x1ECC0, 0x1ECFF, "R"),
    (0x1ED00, 0x1ED4F, "A"),
    (0x1ED50, 0x1EDFF, "R"),
    (0x1EE00, 0x1EEFF, "A"),
    (0x1EF00, 0x1EFFF, "R"),
)

# Unicode 15.0 characters whose class differs from Python 3.11's 14.0 default for them
# (new combining marks inside RTL blocks; everything else new is L, the unassigned default).
UNICODE_15_OVERLAY: dict[int, str] = {
    0x10EFD: "M",
    0x10EFE: "M",
    0x10EFF: "M",
    0x0CF3: "L",
    0x11241: "M",
}


# --- brackets (BidiBrackets.txt 15.0) and mirroring (BidiMirroring.txt, common subset) ---------

BRACKET_PAIRS: tuple[tuple[int, int], ...] = (
    (0x0028, 0x0029),
    (0x005B, 0x005D),
    (0x007B, 0x007D),
    (0x0F3A, 0x0F3B),
    (0x0F3C, 0x0F3D),
    (0x169B, 0x169C),
    (0x2045, 0x2046),
    (0x207D, 0x207E),
    (0x208D, 0x208E),
    (0x2308, 0x2309),
    (0x230A, 0x230B),
    (0x2329, 0x232A),
    (0x2768, 0x2769),
    (0x276A, 0x276B),
    (0x276C, 0x276D),
    (0x276E, 0x276F),
    (0x2770, 0x2771),
    (0x2772, 0x2773),
    (0x2774, 0x2775),
    (0x27C5, 0x27C6),
    (0x27E6, 0x27E7),
    (0x27E8, 0x27E9),
    (0x27EA, 0x27EB),
    (0x27EC, 0x27ED),
    (0x27EE, 0x27EF),
    (0x2983, 0x2984),
    (0x2985, 0x2986),
    (0x2987, 0x2988),
    (0x2989, 0x298A),
    (0x298B, 0x298C),
    (0x298D, 0x2990),
    (0x298F, 0x298E),
    (0x2991, 0x2992),
    (0x2993, 0x2994),
    (0x2995, 0x2996),
    (0x2997, 0x2998),
    (0x29D8, 0x29D9),
    (0x29DA, 0x29DB),
    (0x29FC, 0x29FD),
    (0x2E22, 0x2E23),
    (0x2E24, 0x2E25),
    (0x2E26, 0x2E27),
    (0x2E28, 0x2E29),
    (0x2E55, 0x2E56),
    (0x2E57, 0x2E58),
    (0x2E59, 0x2E5A),
    (0x2E5B, 0x2E5C),
    (0x3008, 0x3009),
    (0x300A, 0x300B),
    (0x300C, 0x300D),
    (0x300E, 0x300F),
    (0x3010, 0x3011),
    (0x3014, 0x3015),
    (0x3016, 0x3017),
    (0x3018, 0x3019),
    (0x301A, 0x301B),
    (0xFE59, 0xFE5A),
    (0xFE5B, 0xFE5C),
    (0xFE5D, 0xFE5E),
    (0xFF08, 0xFF09),
    (0xFF3B, 0xFF3D),
    (0xFF5B, 0xFF5D),
    (0xFF5F, 0xFF60),
    (0xFF62, 0xFF63),
)
#: opening bracket -> its closing bracket; closing bracket -> its opening bracket.
OPENING_TO_CLOSING: dict[str, str] = {chr(o): chr(c) for o, c in BRACKET_PAIRS}
CLOSING_TO_OPENING: dict[str, str] = {chr(c): chr(o) for o, c in BRACKET_PAIRS}
# Canonical equivalents (N0 matches brackets up to canonical equivalence): U+2329/U+232A ≡ U+3008/9.
CANONICAL_BRACKET = {"\u2329": "\u3008", "\u232a": "\u3009"}

EXTRA_MIRRORS: tuple[tuple[str, str], ...] = (
    ("<", ">"),
    ("«", "»"),
    ("‹", "›"),
    ("≤", "≥"),
    ("≪", "≫"),
    ("⁅", "⁆"),
    ("∈", "∋"),
    ("⊂", "⊃"),
    ("⊆", "⊇"),
    ("≺", "≻"),
    ("⟨", "⟩"),
    ("⸂", "⸃"),
    ("⸄", "⸅"),
    ("⸉", "⸊"),
    ("⸌", "⸍"),
    ("⸜", "⸝"),
    ("⸠", "⸡"),
    ("﹤", "﹥"),
    ("＜", "＞"),
    ("∕", "⧵"),
    ("⧸", "⧹"),
)
MIRRORS: dict[str, str] = {}
for _o, _c in [*OPENING_TO_CLOSING.items(), *EXTRA_MIRRORS]:
    MIRRORS[_o] = _c
    MIRRORS[_c] = _o
