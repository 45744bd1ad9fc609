"""Decoding corpus files: each supported encoding, and the reasons a file is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.encoding import UnreadableFile, check_size, decode_bytes, decode_file

DATA = Path(__file__).resolve().parent / "data"

# Harakat (shadda, tanween), a NO-BREAK SPACE, «» quotes: all must come back unchanged.
ARABIC = "قال مسؤول أمني إن السلطات تلقّت تحذيراً\u00a0من «هجوم محتمل» في كرمان.\r\nسطر ثانٍ."


@pytest.mark.parametrize(
    ("data", "label"),
    [
        (ARABIC.encode("utf-8"), "UTF-8"),
        (ARABIC.encode("utf-8-sig"), "UTF-8 with BOM"),
        (b"\xff\xfe" + ARABIC.encode("utf-16-le"), "UTF-16 LE"),
        (b"\xfe\xff" + ARABIC.encode("utf-16-be"), "UTF-16 BE"),
        (ARABIC.encode("utf-32"), "UTF-32 LE"),
        (ARABIC.encode("cp1256"), "Windows-1256"),
    ],
)
def test_each_encoding_decodes_to_the_same_text(data: bytes, label: str) -> None:
    decoded = decode_bytes(data)
    assert decoded.text == ARABIC  # every character, CRLF included, kept as written
    assert decoded.encoding == label


def test_fixture_files_decode_identically() -> None:
    texts = {
        path.name: decode_file(path).text for path in sorted((DATA / "encodings").glob("*.txt"))
    }
    assert set(texts) == {
        "utf8.txt",
        "utf8_bom.txt",
        "utf16le_bom.txt",
        "utf16be_bom.txt",
        "cp1256.txt",
    }
    assert len(set(texts.values())) == 1
    assert "،\u00a0وإن «الخطر" in texts["cp1256.txt"]


def test_utf8_bom_is_not_part_of_the_text() -> None:
    assert not decode_bytes(ARABIC.encode("utf-8-sig")).text.startswith("\ufeff")


def test_nul_bytes_mean_binary() -> None:
    with pytest.raises(UnreadableFile, match=r"^binary file: contains NUL bytes"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_many_control_bytes_mean_binary() -> None:
    with pytest.raises(UnreadableFile, match=r"^binary file: \d+% control bytes"):
        decode_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 20 + "نص".encode())


def test_a_few_sub_characters_are_still_text() -> None:
    # SaudiNewsNet carries stray \x1a characters inside real articles.
    text = "خبر" + "\x1a" + " عادي تماماً." * 20
    assert decode_bytes(text.encode("utf-8")).text == text


def test_empty_and_whitespace_files() -> None:
    with pytest.raises(UnreadableFile, match=r"^empty file"):
        decode_bytes(b"")
    with pytest.raises(UnreadableFile, match=r"^empty file"):
        decode_bytes(b"\xef\xbb\xbf  \n")


def test_empty_file_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(UnreadableFile, match=r"^empty file"):
        decode_file(path)


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes("كلمة ".encode() * 1000)
    with pytest.raises(UnreadableFile, match=r"^too large: .* the limit is 1 KB"):
        decode_file(path, max_bytes=1024)
    assert decode_file(path, max_bytes=1_000_000).text.startswith("كلمة")


def test_check_size_limits() -> None:
    check_size(10, max_bytes=10)
    with pytest.raises(UnreadableFile, match="too large"):
        check_size(11, max_bytes=10)


def test_latin1_text_is_not_mistaken_for_arabic() -> None:
    data = "Le ministre a déclaré: «Très grave», à Genève.".encode("latin-1")
    with pytest.raises(UnreadableFile, match=r"^undecodable: not UTF-8"):
        decode_bytes(data)


def test_broken_utf16_is_undecodable() -> None:
    data = b"\xff\xfe" + "نص".encode("utf-16-le") + b"\x00\xd8"  # lone high surrogate
    with pytest.raises(UnreadableFile, match=r"^undecodable: starts with a UTF-16 LE"):
        decode_bytes(data)
