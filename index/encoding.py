"""Turn a corpus file's bytes into text, or say in words why it cannot be read.

Arabic news files turn up in four encodings in practice: UTF-8 (with or without a BOM),
UTF-16 with a BOM (exported from Windows tools) and Windows-1256 (older Arabic sites and
Office). Detection is deliberately conservative:

1. empty / oversized / byte-order mark: decided from the bytes alone;
2. NUL bytes or many control bytes without a BOM: a binary file (an image, a PDF, a database),
   never "decoded" into garbage;
3. strict UTF-8;
4. Windows-1256, but only if the result *looks* like Arabic text (cp1256 maps almost every byte,
   so "it decoded" proves nothing; a Latin-1 or Shift-JIS file must not pass as Arabic).

Every failure raises :class:`UnreadableFile` whose ``reason`` is a short phrase for the user
("binary file: …"); the part before the first colon is the reason's category, which the load
summary groups by.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

#: C0/C1 control characters (ESC, CSI, BEL…) except tab and newline: in article text they are
#: data, and must never reach a terminal, a spreadsheet or a file as controls.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe_text(text: str) -> str:
    """``text`` with control characters replaced by U+FFFD (newlines and tabs kept)."""
    return CONTROL_CHARACTERS.sub("\ufffd", text)


#: Files larger than this are skipped (a 20 MB plain-text "article" is a data dump or a mistake;
#: zip archives are checked per member instead, see ``index.corpus``).
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

# How much of the file the binary sniffing looks at: enough to be representative, cheap on
# multi-megabyte JSON files.
_SNIFF_BYTES = 64 * 1024
# Bytes that plain text may contain below 0x20: tab, LF, VT, FF, CR, and SUB (0x1a), which
# real Arabic news dumps carry by the hundreds (SaudiNewsNet) without being binary.
_TEXT_CONTROL_BYTES = frozenset(b"\t\n\x0b\x0c\r\x1a")
_MAX_CONTROL_RATIO = 0.05
# For the Windows-1256 plausibility check: among non-ASCII characters, at least this share must
# be Arabic letters, marks or Arabic punctuation.
_MIN_ARABIC_SHARE = 0.6

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32 LE"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32 BE"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 with BOM"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 BE"),
)


class UnreadableFile(Exception):
    """The bytes are not text we can trust; ``reason`` says why, in words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class DecodedText:
    """Text decoded from bytes, and the name of the encoding that was detected."""

    text: str
    encoding: str


def _size_phrase(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} bytes"


def check_size(size: int, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """Raise :class:`UnreadableFile` for an empty or oversized file of ``size`` bytes."""
    if size == 0:
        raise UnreadableFile("empty file")
    if size > max_bytes:
        raise UnreadableFile(
            f"too large: {_size_phrase(size)}, the limit is {_size_phrase(max_bytes)}"
        )


def _looks_binary(data: bytes) -> str | None:
    """A reason if ``data`` (no BOM) looks like a binary file, else ``None``."""
    head = data[:_SNIFF_BYTES]
    if b"\x00" in head:
        return "binary file: contains NUL bytes"
    controls = sum(1 for byte in head if byte < 0x20 and byte not in _TEXT_CONTROL_BYTES)
    if head and controls / len(head) > _MAX_CONTROL_RATIO:
        return f"binary file: {controls / len(head):.0%} control bytes"
    return None


def _is_arabic(char: str) -> bool:
    code = ord(char)
    return (
        0x0600 <= code <= 0x06FF
        or 0x0750 <= code <= 0x077F
        or 0xFB50 <= code <= 0xFDFF
        or 0xFE70 <= code <= 0xFEFF
        or char in "\u200c\u200d\u200e\u200f\u00a0«»“”‘’…–—"
    )


def _plausible_arabic(text: str) -> bool:
    non_ascii = [c for c in text[:_SNIFF_BYTES] if ord(c) > 0x7F]
    if not non_ascii:
        return True  # pure ASCII decodes the same everywhere
    arabic = sum(1 for c in non_ascii if _is_arabic(c))
    return arabic / len(non_ascii) >= _MIN_ARABIC_SHARE


def decode_bytes(data: bytes) -> DecodedText:
    """Decode a file's bytes: BOM'd UTF-8/16/32, then strict UTF-8, then Windows-1256.

    Raises :class:`UnreadableFile` for empty, binary or undecodable input. Newlines and every
    character are kept as written (the BOM itself is dropped).
    """
    if not data:
        raise UnreadableFile("empty file")
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as error:
                raise UnreadableFile(
                    f"undecodable: starts with a {label} byte-order mark but byte {error.start} "
                    "is not valid"
                ) from None
            if not text.strip():
                raise UnreadableFile("empty file: only a byte-order mark and whitespace")
            return DecodedText(text, label)
    binary = _looks_binary(data)
    if binary:
        raise UnreadableFile(binary)
    try:
        return DecodedText(data.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError as error:
        utf8_error = error
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        text = ""
    if text and _plausible_arabic(text):
        return DecodedText(text, "Windows-1256")
    raise UnreadableFile(
        f"undecodable: not UTF-8 (invalid byte at offset {utf8_error.start}) "
        "and not Arabic Windows-1256"
    )


def decode_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> DecodedText:
    """Read and decode ``path``, checking its size first so a huge file is never read whole."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise UnreadableFile(f"cannot read: {error.strerror or error}") from None
    check_size(size, max_bytes=max_bytes)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableFile(f"cannot read: {error.strerror or error}") from None
    decoded = decode_bytes(data)
    if not decoded.text.strip():
        raise UnreadableFile("empty file: whitespace only")
    return decoded
