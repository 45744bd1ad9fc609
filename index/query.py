"""The query language: user text → Whoosh query, and the terms to highlight.

Syntax (documented for users in the README):

* words — every word must occur (AND, like a web search engine); each word is looked up
  normalized and light-stemmed, so إيران, ايران and لإيران meet;
* ``"a phrase"`` — the words in this order;
* ``OR``, ``NOT``, ``-word``, parentheses;
* ``source:NAME`` or ``source:"two words"`` — the outlet;
* ``date:2015-07-21``, ``date:2015-07`` (a month), ``date:2015-07-21..2015-07-31``,
  ``date:2015-07-21..``, ``date:..2015-07-31``, ``date:>2015-07-01``, ``date:<=2015-07-31``;
* the last word, unless followed by a space, also matches as a prefix (search as you type:
  تحذ finds تحذير). A stem prefix needs three letters (مك* would match مكان for مكة), and
  only the most frequent completions are used, so a short prefix stays fast.

Whoosh is lenient and silently drops what it cannot read; :func:`check_syntax` first rejects
what a user most likely mistyped (an unclosed quote or parenthesis, a bad date, a query of
punctuation only such as ``""``, ``*`` or ``-``, an operator alone) with a message that says
what to type instead.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import Any

from whoosh import query as wq
from whoosh.fields import Schema
from whoosh.qparser import (
    FieldsPlugin,
    GroupPlugin,
    MultifieldPlugin,
    OperatorsPlugin,
    PhrasePlugin,
    QueryParser,
    syntax,
)
from whoosh.qparser.plugins import Plugin, TaggingPlugin

from index.arabic import TOKEN_PATTERN, normalize_token, stem

#: Article fields searched for unfielded words, and their boosts.
ARTICLE_FIELDS: Mapping[str, float] = {"body": 1.0, "title": 1.5}
#: Passage fields, for ranking the passages of a hit.
PASSAGE_FIELDS: Mapping[str, float] = {"ptext": 1.0}
STEMMED_FIELDS = frozenset({"title", "body", "ptext"})
#: Normalized-unstemmed fields (none in the schema; see index.schema): kept so a schema that
#: adds them gets prefix search and highlighting on them without code changes.
NORMALIZED_FIELDS: frozenset[str] = frozenset()
FILTER_FIELDS = frozenset({"source", "date"})

#: Completions of a prefix that are searched (the most frequent ones).
PREFIX_EXPANSIONS = 48
#: Weight of a completion of the last word (the stemmed match of a word weighs 1).
PREFIX_BOOST = 0.3
_PREFIX_SCAN_LIMIT = 20_000
_MIN_PREFIX = 3  # a two-letter stem prefix (مك*) matches far too much


class QuerySyntaxError(ValueError):
    """A query the user must fix; the message is shown as it is."""


# --------------------------------------------------------------------------- dates
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def _date_bounds(text: str) -> tuple[str, str]:
    """The first and last day (ISO strings) of a year, month or day written as ``text``."""
    match = _DATE_RE.match(text)
    if not match:
        raise QuerySyntaxError(
            f"“{text}” is not a date: write 2015-07-21, 2015-07 or 2015 (year-month-day)."
        )
    year, month, day = match.group(1), match.group(2), match.group(3)
    try:
        if day is not None:
            iso = dt.date(int(year), int(month), int(day)).isoformat()
            return iso, iso
        if month is not None:
            first = dt.date(int(year), int(month), 1)
            return first.isoformat()[:7] + "-00", first.isoformat()[:7] + "-99"
    except ValueError as error:
        raise QuerySyntaxError(f"“{text}” is not a valid date ({error}).") from error
    return f"{year}-00-00", f"{year}-99-99"


def date_query(spec: str) -> wq.Query:
    """The query for a ``date:`` value (see the module docstring for the forms)."""
    spec = spec.strip()
    if ".." in spec:
        low, _, high = spec.partition("..")
        if not low and not high:
            raise QuerySyntaxError("date:.. needs a date on at least one side.")
        start = _date_bounds(low)[0] if low else None
        end = _date_bounds(high)[1] if high else None
        return wq.TermRange("date", start, end)
    for op in (">=", "<=", ">", "<"):
        if spec.startswith(op):
            first, last = _date_bounds(spec[len(op) :])
            if op == ">=":
                return wq.TermRange("date", first, None)
            if op == ">":
                return wq.TermRange("date", last, None, startexcl=True)
            if op == "<=":
                return wq.TermRange("date", None, last)
            return wq.TermRange("date", None, first, endexcl=True)
    if not spec:
        raise QuerySyntaxError("date: needs a date, for example date:2015-07-21.")
    first, last = _date_bounds(spec)
    return wq.Term("date", first) if first == last else wq.TermRange("date", first, last)


class _DateNode(syntax.SyntaxNode):
    def __init__(self, spec: str) -> None:
        self.spec = spec

    def r(self) -> str:
        return f"date:{self.spec}"

    def query(self, parser: Any) -> wq.Query:
        return date_query(self.spec)


class _DatePlugin(TaggingPlugin):
    """``date:...`` is read by us, before Whoosh's field plugin could split it."""

    expr = r"date:(?P<spec>[^\s()]*)"
    priority = -10
    nodetype = _DateNode


# ------------------------------------------------------------------ prefix search
def is_complete_word(ixreader: Any, fieldname: str, text: str) -> bool:
    """Whether the word being typed is already a word of the index: then it is searched as
    itself, without completions (سعود does not widen to سعودي, and stays fast)."""
    try:
        return bool(ixreader.doc_frequency(fieldname, text))
    except Exception:  # unknown field
        return False


class LimitedPrefix(wq.Prefix):
    """A prefix query over the most frequent completions (not the word itself), each scored
    like a term with this query's boost; none when the prefix is a complete word."""

    def _btexts(self, ixreader: Any) -> Iterator[bytes]:
        if is_complete_word(ixreader, self.fieldname, self.text):
            return iter(())
        own = self.text.encode("utf-8")
        completions = [
            btext
            for btext in islice(
                ixreader.expand_prefix(self.fieldname, self.text), _PREFIX_SCAN_LIMIT
            )
            if btext != own
        ]
        if len(completions) > PREFIX_EXPANSIONS:
            completions = heapq.nlargest(
                PREFIX_EXPANSIONS,
                completions,
                key=lambda btext: ixreader.doc_frequency(self.fieldname, btext),
            )
        return iter(completions)

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        terms = [
            wq.Term(self.fieldname, btext, boost=self.boost)
            for btext in self._btexts(searcher.reader())
        ]
        if not terms:
            return wq.NullQuery.matcher(searcher, context)
        return wq.Or(terms).matcher(searcher, context)


def _without_proclitics(norm: str) -> str:
    """The typed word from where its stem starts: clitics in front are cut (التحذ → تحذ), the
    end is kept, so a finished word (ايران) does not widen to every stem its stem begins
    (اير → ايراد)."""
    root = stem(norm)
    start = norm.find(root) if root else -1
    return norm[start:] if start >= 0 else root


class _PrefixWordNode(syntax.WordNode):
    """The last word of the query: itself, or (in normalized fields) any completion."""

    def query(self, parser: Any) -> wq.Query:
        exact = super().query(parser)
        norm = normalize_token(self.text)
        if self.fieldname in NORMALIZED_FIELDS:
            prefix = norm
        elif self.fieldname in STEMMED_FIELDS:
            prefix = _without_proclitics(norm)
        else:
            return exact
        if len(prefix) < _MIN_PREFIX:
            return exact  # may be None (a stop word): Whoosh drops it
        completions = LimitedPrefix(self.fieldname, prefix, boost=PREFIX_BOOST)
        # a stop word analyzes to nothing, yet may be the start of the word being typed
        return completions if exact is None else wq.Or([exact, completions])


class _PrefixLastPlugin(Plugin):
    """Marks the word ending the query (no space after it) for prefix matching."""

    def __init__(self, text_length: int) -> None:
        self.text_length = text_length

    def filters(self, parser: Any) -> list[tuple[Any, int]]:
        return [(self._mark_last, 105)]  # after fields (100), before multifield (110)

    def _mark_last(self, parser: Any, group: Any) -> Any:
        node = group
        while isinstance(node, syntax.GroupNode) and len(node):
            parent, node = node, node[-1]
        if (
            type(node) is syntax.WordNode
            and node.fieldname is None
            and node.endchar == self.text_length
        ):
            marked = _PrefixWordNode(node.text)
            marked.startchar, marked.endchar, marked.boost = (
                node.startchar,
                node.endchar,
                node.boost,
            )
            parent[-1] = marked
        return group


# -------------------------------------------------------------------------- parsing
_MINUS_RE = re.compile(r"(?<!\S)-(?=[^\s-])")
_QUOTED_RE = re.compile(r'"[^"]*"')
_BARE_WORD_RE = re.compile(r"[^\s()]+")

#: Whoosh's operator words (upper case only; ``or`` is a word). What each does, for the message
#: shown when a query holds nothing else.
OPERATORS: Mapping[str, str] = {
    "AND": "AND joins two words that must both occur: سليماني AND موسكو.",
    "OR": "OR joins two words of which either may occur: سليماني OR موسكو.",
    "NOT": "NOT excludes the word after it: إيران NOT سليماني.",
    "ANDNOT": "ANDNOT excludes the word after it: إيران ANDNOT سليماني.",
    "ANDMAYBE": "ANDMAYBE ranks first what also holds the word after it: إيران ANDMAYBE سليماني.",
}


def _no_word_message(text: str) -> str:
    """What to tell a user whose query holds no letter or digit: name what they typed."""
    if any(not match.group(0)[1:-1].strip() for match in _QUOTED_RE.finditer(text)):
        return (
            "The quotes are empty: put words between them to search for a phrase, "
            'e.g. "واجب التحذير".'
        )
    if "-" in text:
        return (
            "“-” excludes the word written right after it, with no space (إيران -سليماني): "
            "add a word to search for."
        )
    if "*" in text or "?" in text:
        return (
            "There are no wildcards (* ?): type a word; the last word typed also matches "
            "the start of longer words (تحذ finds تحذير)."
        )
    return "Type a word to search for: this query has no letters or digits."


def check_syntax(text: str) -> None:
    """Raise :class:`QuerySyntaxError` for the mistakes Whoosh would silently swallow."""
    if text.count('"') % 2:
        raise QuerySyntaxError('A quote is not closed: add the closing " to search for a phrase.')
    unquoted = _QUOTED_RE.sub('""', text)
    depth = 0
    for char in unquoted:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            raise QuerySyntaxError("A “)” has no “(” before it.")
    if depth:
        raise QuerySyntaxError("A “(” is not closed: add the “)”.")
    if re.search(r"(?<!\S)source:(?=\s|$)", unquoted):
        raise QuerySyntaxError(
            'source: needs an outlet name, e.g. source:CNN or source:"كويت نيوز".'
        )
    if not any(normalize_token(word) for word in TOKEN_PATTERN.findall(text)):
        raise QuerySyntaxError(_no_word_message(text))
    words = _BARE_WORD_RE.findall(unquoted)
    if words and all(word in OPERATORS for word in words):
        raise QuerySyntaxError(
            f"{OPERATORS[words[0]]} To search for the word {words[0]} itself, write it in "
            f'lower case or in quotes: "{words[0]}".'
        )


def _rewrite_minus(text: str) -> str:
    """``-word`` → ``NOT word`` outside quotes (Whoosh's +/- plugin only works on flat queries)."""
    pieces: list[str] = []
    last = 0
    for match in _QUOTED_RE.finditer(text):
        pieces.append(_MINUS_RE.sub("NOT ", text[last : match.start()]))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(_MINUS_RE.sub("NOT ", text[last:]))
    return "".join(pieces)


def parse(
    schema: Schema,
    text: str,
    *,
    fields: Mapping[str, float] | None = None,
    conjunctive: bool = True,
    prefix_last: bool = True,
) -> wq.Query:
    """Parse ``text`` (already checked with :func:`check_syntax`) into a Whoosh query."""
    fields = ARTICLE_FIELDS if fields is None else fields
    rewritten = _rewrite_minus(text)
    group = syntax.AndGroup if conjunctive else syntax.OrGroup
    plugins: list[Any] = [
        _DatePlugin(),
        FieldsPlugin(),
        PhrasePlugin(),
        GroupPlugin(),
        OperatorsPlugin(),
        MultifieldPlugin(list(fields), fieldboosts=dict(fields)),
    ]
    if prefix_last and rewritten and not rewritten[-1].isspace():
        plugins.append(_PrefixLastPlugin(len(rewritten)))
    parser = QueryParser(None, schema, plugins=plugins, group=group)
    return parser.parse(rewritten)


def _is_filter(q: wq.Query) -> bool:
    fieldname = getattr(q, "fieldname", None)
    if fieldname is not None:
        return fieldname in FILTER_FIELDS
    children = list(q.children())
    return bool(children) and all(_is_filter(c) for c in children)


def any_word_fallback(query: wq.Query) -> wq.Query | None:
    """The query with its words made optional (any of them) while filters and NOT parts stay
    required; ``None`` when it has fewer than two words (nothing to relax)."""
    negated = None
    if isinstance(query, wq.AndNot):
        query, negated = query.a, query.b
    if not isinstance(query, wq.And):
        return None
    filters = [q for q in query.subqueries if _is_filter(q)]
    words = [q for q in query.subqueries if not _is_filter(q)]
    if len(words) < 2:
        return None
    relaxed: wq.Query = wq.And([*filters, wq.Or(words)]) if filters else wq.Or(words)
    return wq.AndNot(relaxed, negated) if negated is not None else relaxed


def without_negations(query: wq.Query) -> wq.Query:
    """The query with NOT parts and filter fields removed: what ranks passages of a hit."""

    def strip(q: wq.Query) -> wq.Query:
        if isinstance(q, wq.Not):
            return wq.NullQuery
        if isinstance(q, wq.AndNot):
            return strip(q.a)
        if getattr(q, "fieldname", None) in FILTER_FIELDS:
            return wq.NullQuery
        return q.apply(strip)

    return strip(query).normalize()


# ---------------------------------------------------------------------- highlighting
@dataclass(frozen=True, slots=True)
class QueryTerms:
    """What a query looks for, in the forms :func:`index.arabic.tokens` yields.

    ``stems`` and ``norms`` match single tokens; ``prefixes`` match the start of a
    normalized token; phrases match consecutive tokens (stop words are not counted, as in
    the index).
    """

    stems: frozenset[str] = frozenset()
    norms: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    stem_prefixes: tuple[str, ...] = ()
    stem_phrases: tuple[tuple[str, ...], ...] = ()
    norm_phrases: tuple[tuple[str, ...], ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (
            self.stems or self.norms or self.prefixes or self.stem_phrases or self.norm_phrases
        )

    def words(self) -> tuple[str, ...]:
        """The analyzed terms (light stems; phrases space-joined; ``x*`` a prefix), for JSON."""
        phrases = {" ".join(p) for p in self.stem_phrases + self.norm_phrases}
        prefixes = {f"{p}*" for p in self.stem_prefixes + self.prefixes}
        return tuple(sorted(self.stems | self.norms | phrases)) + tuple(sorted(prefixes))


def query_terms(query: wq.Query, ixreader: Any = None) -> QueryTerms:
    """The positive terms of ``query`` (negated parts are not highlighted). With ``ixreader``,
    a prefix that is a complete word (see :class:`LimitedPrefix`) is not highlighted as one."""
    stems: set[str] = set()
    norms: set[str] = set()
    prefixes: set[str] = set()
    stem_prefixes: set[str] = set()
    stem_phrases: set[tuple[str, ...]] = set()
    norm_phrases: set[tuple[str, ...]] = set()

    def walk(q: wq.Query) -> None:
        if isinstance(q, wq.Not):
            return
        if isinstance(q, wq.AndNot):
            walk(q.a)
            return
        fieldname = getattr(q, "fieldname", None)
        stemmed = fieldname in STEMMED_FIELDS
        if fieldname in STEMMED_FIELDS | NORMALIZED_FIELDS:
            if isinstance(q, wq.Phrase):
                words = tuple(str(w) for w in q.words)
                (stem_phrases if stemmed else norm_phrases).add(words)
                return
            if isinstance(q, wq.Prefix):
                if ixreader is None or not is_complete_word(ixreader, q.fieldname, q.text):
                    (stem_prefixes if stemmed else prefixes).add(str(q.text))
                return
            if isinstance(q, wq.Term):
                (stems if stemmed else norms).add(str(q.text))
                return
        for child in q.children():
            walk(child)

    walk(query)
    return QueryTerms(
        frozenset(stems),
        frozenset(norms),
        tuple(sorted(prefixes)),
        tuple(sorted(stem_prefixes)),
        tuple(sorted(stem_phrases)),
        tuple(sorted(norm_phrases)),
    )
