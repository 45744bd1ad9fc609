"""The Whoosh schema of a corpus index, and the mapping between articles and index documents.

One index holds two kinds of documents, told apart by the ``kind`` field:

* ``article`` documents carry the whole article: title and body, light-stemmed (``title``,
  ``body``, with positions for phrases), the outlet
  (``source``, searchable by name with ``source:``), the ISO date (``date``, a sortable ID
  field for ``date:`` ranges) and, stored, everything needed to rebuild the :class:`Article`
  without re-reading its file: clean text, raw text (both zlib-compressed: stored text is
  most of an index's size), metadata and the passage offsets.
* ``passage`` documents carry one passage each (``ptext``), its article id and offsets.
  Search ranks an article's passages against the query with these, so a hit shows its best
  paragraphs rather than its first one.

There is no second, normalized-but-unstemmed copy of the text. Measured: it doubles the
postings Whoosh writes (build time ~1.9x on SaudiNewsNet samples), and the seed groups
(إيران / ايران / لإيران rank alike) only hold when it weighs ≤ 0.01 of the stemmed field,
where it is a tie-breaker at most. Prefix search runs on the stemmed terms.

Passage text is *not* stored twice: it is sliced from the article's clean text with the
stored offsets. Any change to fields, analyzers or the stored layout must bump
:data:`SCHEMA_VERSION`; an index of another version is rebuilt, never read.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any

from whoosh.analysis import RegexTokenizer
from whoosh.fields import ID, STORED, TEXT, Schema

from index.arabic import TOKEN_PATTERN, ArabicAnalyzer, ArabicNormalizeFilter
from index.models import Article, make_passages

#: Version of the index layout. Bump on any schema/analyzer/stored-field change.
#: 3: articles store ``via`` and ``title_composed`` (an index without them would rebuild every
#: article as crediting no agency and having its own headline).
#: 4: the light stemmer leaves at least three letters (مكة → مكه, not مك = مكان) and keeps the
#: root و/ان of وزير, ولاية, إيران, طهران (index.arabic).
SCHEMA_VERSION = 4

KIND_ARTICLE = "article"
KIND_PASSAGE = "passage"


def _source_analyzer() -> Any:
    """Outlet names: normalized words, no stop words dropped (``source:"كويت نيوز"``)."""
    return RegexTokenizer(TOKEN_PATTERN) | ArabicNormalizeFilter()


def build_schema() -> Schema:
    """The schema of a corpus index (see the module docstring for what each field is for)."""
    return Schema(
        id=ID(stored=True, unique=True),
        kind=ID(stored=True),
        article_id=ID(stored=True),
        # article documents
        title=TEXT(analyzer=ArabicAnalyzer(), stored=True, phrase=True),
        body=TEXT(analyzer=ArabicAnalyzer(), phrase=True),
        # passage documents
        ptext=TEXT(analyzer=ArabicAnalyzer(), phrase=True),
        # article documents: the filters
        source=TEXT(analyzer=_source_analyzer(), phrase=True),
        date=ID(stored=True),
        # stored only
        source_name=STORED,
        url=STORED,
        author=STORED,
        via=STORED,  # the agency the outlet credits, for citations
        title_composed=STORED,  # the loader titled it with its first sentence
        path=STORED,
        content_hash=STORED,
        text_z=STORED,
        raw_z=STORED,
        passages=STORED,  # article: [[ordinal, start, end], ...]
        span=STORED,  # passage: [ordinal, start, end]
    )


def _pack(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 6)


def _unpack(blob: bytes | None) -> str:
    return zlib.decompress(blob).decode("utf-8") if blob else ""


def _filter_fields(article: Article) -> dict[str, str]:
    fields: dict[str, str] = {}
    if article.source:
        fields["source"] = article.source
    if article.date:
        fields["date"] = article.date[:10]
    return fields


def article_document(article: Article) -> dict[str, Any]:
    """The index document of an article (title and clean body indexed, everything stored)."""
    doc: dict[str, Any] = {
        "id": article.id,
        "kind": KIND_ARTICLE,
        "article_id": article.id,
        "title": article.title,
        "body": article.text,
        "source_name": article.source,
        "url": article.url,
        "author": article.author,
        "via": article.via,
        "title_composed": article.title_composed,
        "path": article.path,
        "content_hash": article.content_hash,
        "text_z": _pack(article.text),
        "raw_z": _pack(article.raw) if article.raw != article.text else b"",
        "passages": [[p.ordinal, p.start, p.end] for p in article.passages],
    }
    doc.update(_filter_fields(article))
    return doc


def passage_documents(article: Article) -> Iterator[dict[str, Any]]:
    """One index document per passage of ``article``."""
    for passage in article.passages:
        yield {
            "id": passage.id,
            "kind": KIND_PASSAGE,
            "article_id": article.id,
            "ptext": passage.text,
            "span": [passage.ordinal, passage.start, passage.end],
        }


def stored_text(fields: dict[str, Any]) -> str:
    """The clean text of a stored article document."""
    return _unpack(fields.get("text_z"))


def article_from_stored(fields: dict[str, Any], *, text: str | None = None) -> Article:
    """Rebuild the :class:`Article` of a stored article document.

    ``raw`` is stored only where it differs from the clean text (else the clean text is it).
    """
    article_id: str = fields["id"]
    clean = stored_text(fields) if text is None else text
    raw_blob = fields.get("raw_z")
    raw = _unpack(raw_blob) if raw_blob else clean
    passages = make_passages(article_id, clean, fields.get("passages") or ())
    return Article(
        id=article_id,
        title=fields.get("title") or "",
        text=clean,
        raw=raw,
        path=fields.get("path") or "",
        content_hash=fields.get("content_hash") or "",
        source=fields.get("source_name"),
        date=fields.get("date"),
        url=fields.get("url"),
        author=fields.get("author"),
        passages=passages,
        via=fields.get("via"),
        title_composed=bool(fields.get("title_composed")),
    )
