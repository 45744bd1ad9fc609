"""What the story view's figures list shows: each outlet's figures, grouped by measure.

Pure (no Textual): it turns a :class:`tui.services.StoryView` into groups of rows, so the
decisions below are testable without a screen.

- The compared measures (:data:`index.claims.COMPARED_MEASURES`: killed, injured, arrested,
  distance) come first, each figure with the outlet that states it and, when it is flagged,
  the figures it cannot agree with ("≠ كويت نيوز: 89"): a red row alone does not say who
  disagrees with whom.
- Dates are never compared (a story's dates belong to several events: the attack, the claim of
  responsibility, another attack an outlet recalls), so they form one group that says so, each
  written as the passage writes it ("3 يناير/كانون الثاني", not the bare day "3" the claim
  keeps), once per outlet. Bare day numbers side by side read as outlets disagreeing on a date.
- Years alone ("منذ 1979", "في 2017") are background, not figures of the event: left out.
- Figures guarded as another event's (Moscow's 144, Gaza's 26,000) are left out, as in the
  reader's numbers row.
- An article without a stated outlet is its own outlet (as in the related panel), named by the
  first words of its title so that two such articles can be told apart.

Every row is one figure of one passage: the screen opens that passage on Enter.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from index.claims import COMPARED_MEASURES
from index.claims_context import lex, month_of
from index.models import Article, Span
from tui.labels import (
    MEASURE_NAMES,
    POSSIBLE_DISAGREEMENT,
    UNKNOWN_OUTLET,
    isolate,
    outlet_label,
)

if TYPE_CHECKING:
    from index.claims import Claim
    from tui.services import StoryView

MEASURE_ORDER = ("killed", "injured", "arrested", "distance_km")
DATES_HEADING = "dates, as written (not compared: they may be of other events)"


@dataclass(frozen=True, slots=True)
class FigureRow:
    """One figure of one passage, as the story view lists it."""

    measure: str
    outlet: str
    figure: str
    """As written in the passage ("ما لا يقل عن 84", "3 يناير/كانون الثاني")."""
    article_id: str
    passage_id: str
    span: Span
    """Where the figure is, in the article's text (the reader flashes it)."""
    disputed_with: tuple[str, ...] = ()
    """The other outlets' figures this one cannot agree with, as "outlet: figure" (isolated);
    " ?" after one whose sentence may report another incident."""
    plainly: bool = False
    """Whether one of those surely reports the same event (``Disagreement.close``)."""

    @property
    def text(self) -> str:
        """The row in logical order, each field isolated (see :mod:`tui.labels`)."""
        return "   ".join(self.lines)

    @property
    def lines(self) -> tuple[str, ...]:
        """The row as lines, for when it does not fit on one: the figure, then each figure it
        disagrees with on a line of its own (a counterpart is never split from its outlet)."""
        figure = f"{isolate(self.outlet)}: {isolate(self.figure)}"
        return (figure, *(f"  ≠ {isolate(other)}" for other in self.disputed_with))


@dataclass(frozen=True, slots=True)
class FigureGroup:
    """One measure's figures; ``compared`` is False for the dates."""

    measure: str
    compared: bool
    rows: tuple[FigureRow, ...]

    @property
    def disputed(self) -> bool:
        return any(row.disputed_with for row in self.rows)

    @property
    def plainly(self) -> bool:
        return any(row.plainly for row in self.rows)

    @property
    def heading(self) -> str:
        if not self.compared:
            return DATES_HEADING
        name = MEASURE_NAMES.get(self.measure, self.measure)
        if self.plainly:
            return f"{name} · sources disagree"
        return f"{name} · {POSSIBLE_DISAGREEMENT}" if self.disputed else name


def figure_groups(view: StoryView) -> list[FigureGroup]:
    """The story's figures to show, compared measures first, then the dates."""
    articles = {article.id: article for article in view.articles}
    labels = outlet_labels(view.articles)
    # One outlet's figures together (an outlet may have several articles in the story), the
    # outlets in the order of their first article.
    first_of_outlet: dict[str, int] = {}
    for n, member in enumerate(view.articles):
        first_of_outlet.setdefault(labels[member.id], n)
    order = {a.id: (first_of_outlet[labels[a.id]], n) for n, a in enumerate(view.articles)}
    unknown = (len(order), len(order))
    against = _counterparts(view, labels)
    by_measure: dict[str, list[FigureRow]] = {}
    seen_dates: set[tuple[str, str]] = set()
    claims = sorted(view.claims, key=lambda c: (order.get(c.article_id, unknown), c.span.start))
    for claim in claims:
        if claim.guarded_reason is not None:
            continue
        outlet = labels.get(claim.article_id, claim.source or UNKNOWN_OUTLET)
        if claim.measure in COMPARED_MEASURES:
            figure = claim.value_text
        elif claim.measure == "date":
            article = articles.get(claim.article_id)
            figure = date_as_written(article.text, claim.span) if article else claim.value_text
            if (outlet, figure) in seen_dates:
                continue
            seen_dates.add((outlet, figure))
        else:
            continue  # years alone: background, not a figure of the event
        by_measure.setdefault(claim.measure, []).append(
            FigureRow(
                measure=claim.measure,
                outlet=outlet,
                figure=figure,
                article_id=claim.article_id,
                passage_id=claim.passage_id,
                span=claim.span,
                disputed_with=tuple(
                    shown if close else f"{shown} ?"
                    for shown, close in against.get(_key(claim), {}).items()
                ),
                plainly=any(against.get(_key(claim), {}).values()),
            )
        )
    measures = [m for m in MEASURE_ORDER if m in by_measure]
    measures += sorted(m for m in by_measure if m not in MEASURE_ORDER and m != "date")
    groups = [FigureGroup(m, True, tuple(by_measure[m])) for m in measures]
    if "date" in by_measure:
        groups.append(FigureGroup("date", False, tuple(by_measure["date"])))
    return groups


def outlet_labels(articles: Sequence[Article]) -> dict[str, str]:
    """Article id -> the outlet as shown (:func:`tui.labels.outlet_label`)."""
    return {a.id: outlet_label(a.source, a.title, a.text) for a in articles}


def sources_summary(articles: Iterable[Article]) -> str:
    """ "5 articles from 3 outlets and 2 that name none": an article that states no outlet is
    a source of its own for comparing, but counting it as an outlet would claim more outlets
    than the story has."""
    listed = list(articles)
    named = len({article.source for article in listed if article.source})
    unnamed = sum(1 for article in listed if not article.source)
    count = f"{len(listed)} article{'s' if len(listed) != 1 else ''}"
    outlets = f"{named} outlet{'s' if named != 1 else ''}"
    if not unnamed:
        return f"{count} from {outlets}"
    if not named:
        return f"{count}, none naming its outlet"
    return f"{count} from {outlets} and {unnamed} that name{'s' if unnamed == 1 else ''} none"


def date_as_written(text: str, span: Span) -> str:
    """The date at ``span`` (its day number) with the month names and year written after it.

    "3 يناير/كانون الثاني 2024" -> all of it; the day alone when no month follows.
    """
    limit = min(len(text), span.end + 60)
    tail = text[span.end : limit]
    toks = lex(tail)
    end = 0
    i = 0
    while i < len(toks):
        j = i + 1 if end and toks[i].text == "/" else i  # "يناير/كانون الثاني"
        gap = tail[end : toks[j].start].strip() if j < len(toks) else "-"
        if gap not in (("", "/") if end else ("",)):
            break
        month = month_of(toks, j)
        if month is None:
            break
        i = j + month[1]
        end = toks[i - 1].end
    if end and i < len(toks) and not tail[end : toks[i].start].strip():
        year = toks[i]
        if year.kind == "num" and year.norm.isdigit() and 1900 <= int(year.norm) <= 2100:
            end = year.end
    return text[span.start : span.end + end]


def _key(claim: Claim) -> tuple[str, str, float, float]:
    """A figure by what it says, not where: an outlet stating "ما يقرب من 100" in two passages
    has both rows marked as disputed or neither (which of its mentions was compared is the
    comparison's business, not the reader's)."""
    return (claim.article_id, claim.measure, claim.low, claim.high)


def _counterparts(view: StoryView, labels: dict[str, str]) -> dict[tuple, dict[str, bool]]:
    """Each flagged claim -> "outlet: figure" of the claims it disagrees with (no repeats),
    each with whether the two surely report one event."""
    against: dict[tuple, dict[str, bool]] = {}
    for disagreement in view.disagreements:
        pairs = (
            (disagreement.first, disagreement.second),
            (disagreement.second, disagreement.first),
        )
        for claim, other in pairs:
            outlet = labels.get(other.article_id, other.source or UNKNOWN_OUTLET)
            shown = f"{isolate(outlet)}: {isolate(other.value_text)}"
            listed = against.setdefault(_key(claim), {})
            listed[shown] = listed.get(shown, False) or disagreement.close
    return against
