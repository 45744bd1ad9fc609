"""Regenerate the loader's test fixtures in this directory: ``python tests/data/make_fixtures.py``.

The files are committed; this script documents exactly how each was made (which encoding,
which broken byte) so a fixture can be re-created or extended without guesswork.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Arabic with harakat, a NO-BREAK SPACE and «» quotes: every one of these
# must survive decoding unchanged. All characters exist in Windows-1256 (which has no
# Arabic-Indic digits: those are tested in test_corpus.py).
ARTICLE = (
    "مسؤول يحذّر من هجوم وشيك\n"
    "\n"
    "قال مسؤول أمني يوم الخميس إن السلطات تلقّت تحذيراً من هجوم محتمل في 3 مدن،"
    "\u00a0وإن «الخطر ما زال قائماً» حتى الآن.\n"
)

ENCODINGS = {
    "utf8.txt": ("utf-8", b""),
    "utf8_bom.txt": ("utf-8", b"\xef\xbb\xbf"),
    "utf16le_bom.txt": ("utf-16-le", b"\xff\xfe"),
    "utf16be_bom.txt": ("utf-16-be", b"\xfe\xff"),
    "cp1256.txt": ("cp1256", b""),
}


def main() -> None:
    encodings = HERE / "encodings"
    encodings.mkdir(exist_ok=True)
    for name, (codec, bom) in ENCODINGS.items():
        (encodings / name).write_bytes(bom + ARTICLE.encode(codec))

    mixed = HERE / "mixed"
    (mixed / "sub" / "dir").mkdir(parents=True, exist_ok=True)
    (mixed / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (mixed / "sub" / "dir" / "nested.md").write_text(ARTICLE, encoding="utf-8")
    # A PNG header with NUL bytes, named like an article.
    (mixed / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (mixed / "empty.txt").write_bytes(b"")
    # Latin-1 French: neither UTF-8 nor Arabic.
    (mixed / "latin1.txt").write_bytes(
        "Le ministre a déclaré à la presse: «Très grave».".encode("latin-1")
    )
    (mixed / "notes.csv").write_text("not,a,corpus,file\n", encoding="utf-8")
    (mixed / "broken.json").write_text(
        '[\n  {"title": "عنوان", "text": "نص الخبر الأول."},\n  {"title": "عنوان", "text": }\n]\n',
        encoding="utf-8",
    )

    records = [
        {
            "title": "الخبر الأول",
            "text": "قال مسؤول إن الاجتماع انتهى دون اتفاق.",
            "source": "وكالة أ",
            "date": "2024-01-25",
            "url": "https://example.com/1",
            "author": "مراسلنا",
        },
        {"title": "بلا نص", "source": "وكالة أ"},
        {
            "title": "الخبر الثالث",
            "content": "أعلنت الوزارة عن خطة جديدة للنقل العام.",
            "source": "وكالة ب",
            "date": "25 يناير 2024",
        },
    ]
    lines = [json.dumps(record, ensure_ascii=False) for record in records]
    lines.insert(2, '{"title": "مكسور", "text": "نص')  # malformed line 3 (record #2)
    (HERE / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")

    with zipfile.ZipFile(HERE / "archive.zip", "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("day.json", json.dumps(records, ensure_ascii=False))
        archive.writestr("extra/story.txt", ARTICLE.encode("cp1256"))
        archive.writestr("image.png", b"\x89PNG\r\n\x1a\n\x00\x00")


if __name__ == "__main__":
    main()
