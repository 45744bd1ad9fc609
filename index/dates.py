"""Read a publication date written the way Arabic news writes it, as an ISO ``YYYY-MM-DD``.

Used for metadata only (catalog and record fields, a dateline at the head of a text): the
article text itself is never rewritten, so "٢٥ يناير ٢٠٢٤" stays as written in the text while
``Article.date`` becomes "2024-01-25". A string that is not clearly a date gives ``None`` — a
date is never guessed.
"""

from __future__ import annotations

import datetime as dt
import re

_DIGITS = str.maketrans(
    {chr(0x0660 + i): str(i) for i in range(10)} | {chr(0x06F0 + i): str(i) for i in range(10)}
)

# Egyptian/Gulf month names and the Levantine/Iraqi ones, with common spelling variants.
_MONTHS: dict[str, int] = {
    "يناير": 1, "كانون الثاني": 1,
    "فبراير": 2, "شباط": 2,
    "مارس": 3, "آذار": 3, "اذار": 3,
    "أبريل": 4, "ابريل": 4, "إبريل": 4, "نيسان": 4,
    "مايو": 5, "أيار": 5, "ايار": 5,
    "يونيو": 6, "يونيه": 6, "حزيران": 6,
    "يوليو": 7, "يوليه": 7, "تموز": 7,
    "أغسطس": 8, "اغسطس": 8, "آب": 8, "اب": 8,
    "سبتمبر": 9, "أيلول": 9, "ايلول": 9,
    "أكتوبر": 10, "اكتوبر": 10, "تشرين الأول": 10, "تشرين الاول": 10,
    "نوفمبر": 11, "تشرين الثاني": 11,
    "ديسمبر": 12, "كانون الأول": 12, "كانون الاول": 12,
}  # fmt: skip
_MONTH_NAMES = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))

_ISO = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_DMY = re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)")
_NAMED = re.compile(
    rf"(?<!\d)(\d{{1,2}})\s+(?:(?:{_MONTH_NAMES})\s*/\s*)?({_MONTH_NAMES})\s*,?\s*(\d{{4}})(?!\d)"
)


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_date(value: object) -> str | None:
    """An ISO date from ``value`` ("2015-07-21 02:51:58", "25 يناير 2024", "21/07/2015"), or None.

    Day-month-year is assumed for numeric dates without a leading year: the Arabic press
    convention. An invalid calendar date (2024-02-31) is ``None``.
    """
    if not isinstance(value, str):
        return None
    text = value.translate(_DIGITS).strip()
    if not text:
        return None
    if match := _ISO.search(text):
        return _valid(int(match[1]), int(match[2]), int(match[3]))
    if match := _NAMED.search(text):
        return _valid(int(match[3]), _MONTHS[match[2]], int(match[1]))
    if match := _DMY.search(text):
        return _valid(int(match[3]), int(match[2]), int(match[1]))
    return None
