"""Articles built in the tests of bookmarks, anchoring and export (no corpus loader needed).

Passages are the paragraphs (blocks separated by blank lines), with the same id scheme as the
real loader: ``"{article_id}:{ordinal}"``; the hash is a SHA-256 of the clean text.
"""

from __future__ import annotations

import hashlib
import re

from index.models import Article, Passage

PARAGRAPHS = (
    "قال المتحدث باسم الوزارة إن الحريق اندلع في الطابق الثالث من المبنى قرابة منتصف الليل.",
    "وأضاف أن فرق الدفاع المدني أخمدت الحريق بعد ساعتين، وأن حصيلة الضحايا بلغت 12 قتيلا.",
    "وأكد شهود عيان أن الدخان غطى الحي بأكمله، فيما نقل المصابون إلى مستشفى المدينة.",
    "ولم تعلن السلطات حتى الآن سبب الحريق، وقالت إن التحقيق ما زال جاريا.",
)


def make_article(
    paragraphs: tuple[str, ...] | list[str] = PARAGRAPHS,
    *,
    article_id: str = "a1",
    path: str = "corpus/a1.txt",
    title: str = "حريق في مبنى سكني",
    source: str | None = "الجزيرة نت",
    date: str | None = "2024-01-25",
    url: str | None = "https://example.org/fire",
) -> Article:
    text = "\n\n".join(paragraphs)
    passages = []
    for ordinal, match in enumerate(re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text)):
        passages.append(
            Passage(
                id=f"{article_id}:{ordinal}",
                article_id=article_id,
                ordinal=ordinal,
                start=match.start(),
                end=match.end(),
                text=match.group(0),
            )
        )
    return Article(
        id=article_id,
        title=title,
        text=text,
        raw=text,
        path=path,
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        source=source,
        date=date,
        url=url,
        passages=tuple(passages),
    )
