"""Arabic contextual shaping into presentation forms, one logical character at a time.

Why not ``arabic_reshaper.reshape``: it returns a string of a different length with no map back to
the input, drops harakat by default and emits word ligatures (U+FDF2 "Allah") that monospace fonts
lack. The layout must know which logical characters every cell shows, so this module only borrows
arabic-reshaper's letter-form tables and returns one display piece per input character:
the presentation form, the character itself, or ``""`` when it was absorbed into the previous
character's lam-alef ligature (the only ligature made: every terminal font has U+FEF5-U+FEFC).
Harakat and other combining marks are transparent to joining and kept as they are.
"""

from __future__ import annotations

import codecs
import operator
import re
import unicodedata

from arabic_reshaper.letters import FINAL, INITIAL, ISOLATED, LETTERS_ARABIC, MEDIAL

ZWJ = "\u200d"
LAM = "\u0644"
#: alef variant -> (isolated lam-alef ligature, final lam-alef ligature)
LAM_ALEF: dict[str, tuple[str, str]] = {
    "\u0622": ("\ufef5", "\ufef6"),
    "\u0623": ("\ufef7", "\ufef8"),
    "\u0625": ("\ufef9", "\ufefa"),
    "\u0627": ("\ufefb", "\ufefc"),
}


def _usable(form: str) -> bool:
    """A form we may emit: present and not one of arabic-reshaper's private-use stand-ins."""
    return bool(form) and not ("\ue000" <= form <= "\uf8ff")


# letter -> (forms, joins to the letter before it, joins to the letter after it)
_JOINING: dict[str, tuple[tuple[str, str, str, str], bool, bool]] = {}
for _letter, _forms in LETTERS_ARABIC.items():
    if _letter == ZWJ:
        continue
    _JOINING[_letter] = (
        _forms,
        bool(_forms[FINAL] or _forms[MEDIAL]),
        bool(_forms[INITIAL] or _forms[MEDIAL]),
    )


def _transparent(ch: str) -> bool:
    """Joining type T: combining marks and invisible format characters other than ZWJ/ZWNJ."""
    if ch in (ZWJ, "\u200c"):
        return False
    return unicodedata.category(ch) in ("Mn", "Me", "Cf")


def shape_word(word: str) -> list[str]:
    """One display piece per character of ``word`` (logical order), joined by context."""
    pieces = list(word)
    if not any(ch in _JOINING for ch in word):
        return pieces
    n = len(word)
    solid = [i for i in range(n) if not _transparent(word[i])]
    for k, i in enumerate(solid):
        ch = word[i]
        if pieces[i] == "":
            continue  # alef already inside a lam-alef ligature
        entry = _JOINING.get(ch)
        if entry is None:
            continue
        forms, joins_before, joins_after = entry
        prev = word[solid[k - 1]] if k > 0 else ""
        nxt = word[solid[k + 1]] if k + 1 < len(solid) else ""
        prev_entry = _JOINING.get(prev)
        prev_links = prev == ZWJ or (prev_entry is not None and prev_entry[2])
        linked_before = joins_before and prev_links
        nxt_entry = _JOINING.get(nxt)
        nxt_links = nxt == ZWJ or (nxt_entry is not None and nxt_entry[1])
        if ch == LAM and nxt in LAM_ALEF and k + 1 < len(solid) and solid[k + 1] == i + 1:
            isolated, final = LAM_ALEF[nxt]
            pieces[i] = final if linked_before else isolated
            pieces[i + 1] = ""
            continue
        linked_after = joins_after and nxt_links
        if linked_before and linked_after:
            form = forms[MEDIAL]
        elif linked_before:
            form = forms[FINAL]
        elif linked_after:
            form = forms[INITIAL]
        else:
            form = forms[ISOLATED]
        if _usable(form):
            pieces[i] = form
    return pieces


# --- whole-paragraph shaping (the fast path the layout uses) -------------------------------------
#
# Joining is computed with regular expressions over a string of joining codes, one per character
# (D dual, R right-joining, C join-causing, T transparent, U none), so the per-character work runs
# in C. Linked-before is found on the reversed string (a lookahead there is a variable-width
# lookbehind here, skipping transparent marks); lowercase d/r mean "linked to the letter before".

_JOIN_TABLE: dict[int, str] = {cp: "U" for cp in range(128)}
_FORMS: dict[str, str] = {}
for _letter, (_forms, _before, _after) in _JOINING.items():
    # u: a letter that never joins but still has an isolated presentation form (hamza)
    _code = "D" if _before and _after else "R" if _before else "u"
    _JOIN_TABLE[ord(_letter)] = _code
    for _suffix, _form in (
        ("u", ISOLATED),
        ("D", ISOLATED),
        ("R", ISOLATED),
        ("I", INITIAL),
        ("M", MEDIAL),
        ("d", FINAL),
        ("r", FINAL),
    ):
        if _usable(_forms[_form]):
            _FORMS[_letter + _suffix] = _forms[_form]
_JOIN_TABLE[ord(ZWJ)] = "C"

_LINKED_BEFORE_D = re.compile(r"D(?=T*[DdCc])")
_LINKED_BEFORE_R = re.compile(r"R(?=T*[DdCc])")
_LINKED_AFTER_D = re.compile(r"D(?=T*[DdRrC])")
_LINKED_AFTER_d = re.compile(r"d(?=T*[DdRrCI])")
_LAM_ALEF_RE = re.compile("\u0644[\u0622\u0623\u0625\u0627]")


def _join_codes(text: str) -> str:
    codes = text.translate(_JOIN_TABLE)
    if codes.isascii():
        return codes
    for ch in set(text):
        if ord(ch) not in _JOIN_TABLE:
            _JOIN_TABLE[ord(ch)] = "T" if _transparent(ch) else "U"
    return text.translate(_JOIN_TABLE)


def shape_text(text: str) -> tuple[list[str], list[int]]:
    """Shape a whole paragraph: (one display piece per character, indices of absorbed alefs).

    Same result as :func:`shape_word` on each word (joining never crosses a space), computed
    without a Python-level loop over the characters.
    """
    codes = _join_codes(text)
    if "D" not in codes and "R" not in codes:
        return list(text), []
    reverse = codes[::-1]
    reverse = _LINKED_BEFORE_D.sub("d", reverse)
    reverse = _LINKED_BEFORE_R.sub("r", reverse)
    forms = reverse[::-1]
    forms = _LINKED_AFTER_D.sub("I", forms)
    forms = _LINKED_AFTER_d.sub("M", forms)
    pieces = list(map(_FORMS.get, map(operator.add, text, forms), text))
    absorbed: list[int] = []
    for match in _LAM_ALEF_RE.finditer(text):
        lam = match.start()
        if pieces[lam] == "":
            continue
        isolated, final = LAM_ALEF[text[lam + 1]]
        pieces[lam] = final if forms[lam] == "M" else isolated
        pieces[lam + 1] = ""
        absorbed.append(lam + 1)
    return pieces, absorbed


# --- per-word cached shaping over a whole paragraph ------------------------------------------

ABSORBED = "\x00"  # stands for an alef inside the lam-alef ligature before it
_ARABIC_WORD_RE = re.compile(
    "[\u0600-\u06ff\u0750-\u077f\u0870-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]+"
)
_ARABIC_WORD_SPLIT_RE = re.compile("(" + _ARABIC_WORD_RE.pattern + ")")
_SHAPED_WORDS: dict[str, str] = {}
_SHAPED_WORDS_LIMIT = 200_000


def shape_paragraph(text: str) -> str:
    """``text`` shaped, same length: each char its display form, absorbed alefs as ABSORBED.

    Space-separated tokens are shaped once and cached (news text repeats its words; joining never
    crosses a space), the unseen ones together in one batch, and the paragraph is reassembled with
    ``str.join``: no Python code runs per character, and per token only a dict lookup in C.
    """
    if _ARABIC_LETTER_RE.search(text) is None:
        return text
    tokens = text.split(" ")
    cache = _SHAPED_WORDS
    unknown = list(set(tokens).difference(cache))
    if unknown:
        if len(cache) + len(unknown) > _SHAPED_WORDS_LIMIT:
            cache.clear()
        cache.update(zip(unknown, _shape_batch(unknown), strict=True))
    return " ".join(map(cache.__getitem__, tokens))


_ARABIC_LETTER_RE = re.compile(
    "[\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\u0750-\u077f\u08a0-\u08c9]"
)
# Tokens made only of these characters take the bit-parallel path (see _shape_bits).
_PURE_TOKEN_RE = re.compile('[\u0621-\u063a\u0640-\u064a\u200c\u200d،؛؟«»"().:,\\-/0-9]+')


def _shape_batch(tokens: list[str]) -> list[str]:
    """Shape many space-free tokens at once (each as :func:`shape_word` would)."""
    pure = [t for t in tokens if _PURE_TOKEN_RE.fullmatch(t)]
    mixed = (
        [t for t in tokens if not _PURE_TOKEN_RE.fullmatch(t)] if len(pure) < len(tokens) else []
    )
    shaped: dict[str, str] = {}
    if pure:
        joined = " ".join(pure)
        result = _shape_bits(joined)
        if result is None:
            mixed.extend(pure)
        else:
            shaped.update(zip(pure, result.split(" "), strict=True))
    if mixed:
        pieces, _absorbed = shape_text(" ".join(mixed))
        result = "".join([piece or ABSORBED for piece in pieces])
        shaped.update(zip(mixed, result.split(" "), strict=True))
    return [shaped[t] for t in tokens]


_FORM_SUFFIX = ("D", "I", "d", "M")  # by 2-bit code: linked after = 1, linked before = 2
# The characters a "pure" token may hold (see _PURE_TOKEN_RE), with a fixed 6-bit id each.
_PURE_ALPHABET = (
    [chr(cp) for cp in range(0x0621, 0x063B)]
    + [chr(cp) for cp in range(0x0640, 0x064B)]
    + list('\u200c\u200d ،؛؟«»"().:,-/0123456789')
)
_PURE_IDS = {ord(ch): k for k, ch in enumerate(_PURE_ALPHABET)}
_JOINS_AFTER = bytearray(256)
_JOINS_BEFORE = bytearray(256)
_DECODE: list[str] = ["?"] * 256
for _k, _ch in enumerate(_PURE_ALPHABET):
    _jc = _JOIN_TABLE.get(ord(_ch), "U")
    _JOINS_AFTER[_k] = _jc in "DC"
    _JOINS_BEFORE[_k] = _jc in "DRC"
    for _f in range(4):
        _DECODE[_k * 4 + _f] = _FORMS.get(_ch + (_FORM_SUFFIX[_f] if _jc != "u" else "u"), _ch)
_DECODE_TABLE = "".join(_DECODE)


def _shape_bits(text: str) -> str | None:
    """Shape ``text`` made only of Arabic letters, ZWJ/ZWNJ and spaces, with big-integer bit ops.

    Each character has a 6-bit id; its "joins after"/"joins before" flags become one byte each,
    and shifting the whole byte string as one integer by one byte compares every character with
    its neighbour at once. ``id * 4 + form`` is then decoded to the presentation form by a
    charmap table. No Python code runs per character.
    """
    id_bytes = text.translate(_PURE_IDS).encode("latin-1")
    after = int.from_bytes(id_bytes.translate(_JOINS_AFTER), "little")
    before = int.from_bytes(id_bytes.translate(_JOINS_BEFORE), "little")
    linked_after = after & (before >> 8)
    linked_before = before & (after << 8)
    forms = linked_after | (linked_before << 1)
    combined = ((int.from_bytes(id_bytes, "little") << 2) | forms).to_bytes(len(text), "little")
    shaped, _ = codecs.charmap_decode(combined, "strict", _DECODE_TABLE)
    if "\u0644" not in text:
        return shaped
    pieces = list(shaped)
    for match in _LAM_ALEF_RE.finditer(text):
        lam = match.start()
        if pieces[lam] == ABSORBED:
            continue
        isolated, final = LAM_ALEF[text[lam + 1]]
        pieces[lam] = final if combined[lam] & 2 else isolated
        pieces[lam + 1] = ABSORBED
    return "".join(pieces)
