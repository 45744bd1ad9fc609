"""The related-passages pipeline: links, stories and claims of a set of articles, as pure
functions (the SQLite store in :mod:`index.links_store` persists what they produce).

:func:`compute_region` is the whole pipeline, run on every article for a full build and on the
affected region for an incremental update:

1. article profiles (key-term vectors) and similarities (:mod:`index.stories`);
2. text links between each article and its most similar articles of other outlets
   (:mod:`index.related`);
3. stories: average-linkage groups over the cosine, raised where articles share linked facts;
4. claims (:mod:`index.claims`), the story-level event guard, event groups (claims whose
   sentences report the same event), and "same numbers" links between passages of different
   outlets stating a figure of the same event (the death toll of one attack);
5. ranking: best per outlet first, at most :data:`~index.related.MAX_LINKS`.

A whole corpus takes minutes, so both entry points take an optional ``report`` hook
(:data:`Report`): it hears how far the long loops are (articles analysed, article pairs compared,
stories whose claims are read) and may raise to stop the computation. Nothing is written here,
so a stopped computation leaves every store as it was.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from index.claims import COMPARED_MEASURES, Claim, article_claims_and_mentions, mentions_in
from index.claims_compare import guard_in_story
from index.models import Article
from index.related import (
    LINK_THRESHOLD,
    AnalysedPassage,
    Idf,
    Link,
    analyse_article,
    label_for,
    link_article_pair,
    normalize_for_compare,
    rank_links,
)
from index.related import (
    _score as _score_pair,
)
from index.stories import (
    ArticleProfile,
    Story,
    article_terms,
    document_frequencies,
    group,
    neighbour_pairs,
    profile,
    similarities,
    story_similarity,
)

#: Score of a "same numbers" link between two passages of one story stating the same measure
#: (both give the death toll), before the text similarity adds to it: exactly the link
#: threshold. The measure and the story together say "same fact" even when the wording shares
#: nothing, so the link is shown; but it is the weakest evidence shown, so it ranks after every
#: passage of the same outlet whose text reports the fact (a fixed "likely" base pushed those
#: out of the handful the panel shows).
CLAIM_LINK_BASE = LINK_THRESHOLD
#: How much of the text score a claim link adds on top of the base.
CLAIM_LINK_TEXT = 0.5
#: Text score two claims' contexts need to count as reporting the same event (see _event_groups).
CLAIM_CONTEXT_MIN = 0.15
#: ... and to count as surely one event, for a flag the panel states plainly ("sources disagree")
#: rather than as a possibility: a link's score. Or both contexts name one place. Judged on
#: SaudiNewsNet (four slices, 193 judged flags), such flags were true 60 % of the time, the others 24 %.
CLAIM_CLOSE_MIN = LINK_THRESHOLD

ArticleSource = Callable[[str], Article | None]

Report = Callable[[str, int, int], None]
"""``report(phase, done, total)``: progress of a long computation, called about a hundred times
per phase (``"analysing"`` articles, ``"matching"`` similar articles (``total`` 0: not counted),
``"comparing"`` article pairs, ``"stories"``); it may raise to stop the computation (the
caller's exception propagates, nothing has been written)."""

#: About this many reports per phase: enough for a smooth bar and a prompt stop, few enough
#: that a report crossing threads (the app's progress bar) costs nothing measurable.
REPORTS_PER_PHASE = 100


def _progress(report: Report | None, phase: str, total: int) -> Callable[[int], None]:
    """A ``tick(done)`` calling ``report`` at the start, at the end and every 1 % between."""
    if report is None or total <= 0:
        return lambda _done: None
    step = max(1, total // REPORTS_PER_PHASE)

    def tick(done: int) -> None:
        if done == 0 or done == total or done % step == 0:
            report(phase, done, total)

    return tick


@dataclass(slots=True)
class RegionResult:
    """What :func:`compute_region` produced for a set of articles."""

    links: dict[str, list[Link]] = field(default_factory=dict)
    stories: list[Story] = field(default_factory=list)
    claims: dict[str, list[Claim]] = field(default_factory=dict)  # by article id
    profiles: dict[str, ArticleProfile] = field(default_factory=dict)


def _outlet(article: Article) -> str:
    return article.source if article.source is not None else f"article:{article.id}"


def _context(passage_id: str, analysed: Mapping[str, Sequence[AnalysedPassage]]) -> AnalysedPassage:
    """A passage with the one before it: "وتسببا بمقتل نحو 100 شخص" names its event (the two
    bombings in Kerman) in the previous sentence."""
    article_id, _, ordinal = passage_id.rpartition(":")
    passages = analysed[article_id]
    index = int(ordinal)
    current = passages[index]
    if index == 0:
        return current
    previous = passages[index - 1]
    words = [*previous.words, *current.words]
    stems = previous.stems | current.stems
    return AnalysedPassage(
        current.passage,
        current.outlet,
        current.source,
        words,
        stems,
        previous.numbers | current.numbers,
        stems - frozenset(w.stem for w in words if not w.lead and not w.stop),
    )


def _places_named(context: AnalysedPassage) -> frozenset[str]:
    """Places named in a claim's context (the passage and the one before it), months left out."""
    words = " ".join(w.norm for w in context.words)
    return frozenset(m for m in mentions_in(words) if not m.startswith("month:"))


def _event_groups(
    claims: Sequence[Claim], analysed: Mapping[str, Sequence[AnalysedPassage]], idf: Idf
) -> dict[int, Claim]:
    """The story's comparable claims with their ``event_group``: claims of one measure are
    grouped (transitively) when their passages, each with the passage before it, score at least
    :data:`CLAIM_CONTEXT_MIN` — far below a link, but enough to tell the car bomb from the street
    battles of one war. Keyed by ``id(claim)`` of the given claims."""
    comparable = [c for c in claims if c.guarded_reason is None and c.measure in COMPARED_MEASURES]
    parent = list(range(len(comparable)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    contexts: dict[str, AnalysedPassage] = {}
    for c in comparable:
        if c.passage_id not in contexts:
            contexts[c.passage_id] = _context(c.passage_id, analysed)
    scores: dict[tuple[str, str], float] = {}

    def context_score(first: Claim, second: Claim) -> float:
        """The two claims' passages, each with the one before it, as a pair (0 below the bar)."""
        key = (first.passage_id, second.passage_id)
        if key not in scores:
            if first.passage_id == second.passage_id:
                scores[key] = 1.0
            else:
                pair = _score_pair(
                    contexts[first.passage_id], contexts[second.passage_id], idf, CLAIM_CONTEXT_MIN
                )
                scores[key] = pair.score if pair is not None else 0.0
        return scores[key]

    for i, first in enumerate(comparable):
        for j in range(i + 1, len(comparable)):
            second = comparable[j]
            if first.measure != second.measure or find(i) == find(j):
                continue
            if context_score(first, second) >= CLAIM_CONTEXT_MIN:
                parent[find(j)] = find(i)
    # direct evidence for flags: every pair of one group not compared yet during the union;
    # "close" when the sentences read as one event strongly (a link's score) or name one place
    direct: dict[str, set[str]] = defaultdict(set)
    close: dict[str, set[str]] = defaultdict(set)
    places: dict[str, frozenset[str]] = {}
    for i, first in enumerate(comparable):
        for j in range(i + 1, len(comparable)):
            second = comparable[j]
            if (
                first.measure != second.measure
                or find(i) != find(j)
                or first.outlet == second.outlet
            ):
                continue
            score = context_score(first, second)
            if score < CLAIM_CONTEXT_MIN:
                continue
            a, b = first.passage_id, second.passage_id
            direct[a].add(b)
            direct[b].add(a)
            for pid in (a, b):
                if pid not in places:
                    places[pid] = _places_named(contexts[pid])
            if score >= CLAIM_CLOSE_MIN or places[a] & places[b]:
                close[a].add(b)
                close[b].add(a)
    names: dict[int, str] = {}
    for i, claim in enumerate(comparable):
        names.setdefault(find(i), f"{claim.measure}@{claim.passage_id}")
    return {
        id(c): replace(
            c,
            event_group=names[find(i)],
            comparable_passages=tuple(sorted(direct.get(c.passage_id, ()))),
            close_passages=tuple(sorted(close.get(c.passage_id, ()))),
        )
        for i, c in enumerate(comparable)
    }


def _claim_links(
    story: Story,
    claims_by_article: Mapping[str, list[Claim]],
    analysed: Mapping[str, Sequence[AnalysedPassage]],
    text_scores: Mapping[tuple[str, str], Link],
) -> list[Link]:
    """ "same numbers" links between passages of different outlets of a story that state the
    same compared measure (unguarded), with the numbers as the highlighted spans."""
    by_passage: dict[str, list[Claim]] = defaultdict(list)
    for article_id in story.article_ids:
        for claim in claims_by_article.get(article_id, ()):
            if claim.guarded_reason is None and claim.measure in COMPARED_MEASURES:
                by_passage[claim.passage_id].append(claim)
    passage_ids = sorted(by_passage)
    out: list[Link] = []
    for i, x in enumerate(passage_ids):
        for y in passage_ids[i + 1 :]:
            cx, cy = by_passage[x], by_passage[y]
            if cx[0].outlet == cy[0].outlet:
                continue
            groups = {c.event_group for c in cx} & {c.event_group for c in cy}
            # direct evidence only: the two sentences themselves read as one event, not a chain
            # of similar sentences in a long war story ("8 Houthis killed in Taiz" is not
            # "47 civilians killed in Aden" because both are like a third report)
            if not groups or not any(y in c.comparable_passages for c in cx):
                continue
            measures = {c.measure for c in cx if c.event_group in groups}
            for a, b, ca, cb in ((x, y, cx, cy), (y, x, cy, cx)):
                text = text_scores.get((a, b))
                text_score = text.score if text else 0.0
                score = round(min(1.0, CLAIM_LINK_BASE + CLAIM_LINK_TEXT * text_score), 4)
                # equal figures are highlighted like shared phrases; differing ones are the
                # numbers row's business (shared spans always cover equal text)
                spans = tuple(
                    (first.span, second.span)
                    for first in ca
                    for second in cb
                    if first.measure == second.measure
                    and first.measure in measures
                    and normalize_for_compare(first.value_text)
                    == normalize_for_compare(second.value_text)
                )
                shared = spans + (text.shared if text else ())
                out.append(
                    Link(
                        source_passage_id=a,
                        target_passage_id=b,
                        target_article_id=b.rsplit(":", 1)[0],
                        target_source=cy[0].source if b == y else cx[0].source,
                        # "same numbers" only where a figure is equal; a disagreeing one
                        # is the same fact told with other numbers (the numbers row says so)
                        kind=text.kind
                        if text and text.kind == "same wording"
                        else "same numbers"
                        if spans
                        else "same fact",
                        score=score,
                        label=label_for(score),
                        shared=shared,
                    )
                )
    return out


#: Character 4-gram sets are cached on passages while their article pairs are scored, and
#: dropped every this many pairs: kept for the whole corpus they would take gigabytes.
GRAM_CACHE_PAIRS = 2000


def _drop_grams(analysed: Mapping[str, Sequence[AnalysedPassage]], holders: set[str]) -> None:
    for article_id in holders:
        for passage in analysed[article_id]:
            passage.drop_grams()
    holders.clear()


def compute_region(
    region: Sequence[Article],
    neighbours: Sequence[Article],
    profiles: Mapping[str, ArticleProfile],
    idf: Idf,
    *,
    threshold: float = LINK_THRESHOLD,
    analysed: dict[str, list[AnalysedPassage]] | None = None,
    report: Report | None = None,
) -> RegionResult:
    """Links, stories and claims for ``region``; ``neighbours`` are articles outside it that
    region articles may link to (their own links get merged by the store). ``analysed`` caches
    :func:`~index.related.analyse_article` results (filled as a side effect). ``report`` hears
    the progress and may stop the computation (see :data:`Report`)."""
    articles = {a.id: a for a in (*region, *neighbours)}
    region_ids = [a.id for a in region]
    whole = len(region_ids) == len(profiles) and not neighbours
    if report is not None:
        report("matching", 0, 0)  # the similarities: seconds on a large corpus, not counted
    similarity = similarities(profiles, focus=None if whole else region_ids)
    pairs = [
        (x, y)
        for x, y in neighbour_pairs(profiles, similarity, focus=None if whole else region_ids)
        if x in articles and y in articles
    ]
    if analysed is None:
        analysed = {}
    missing = sorted({aid for pair in pairs for aid in pair if aid not in analysed})
    tick = _progress(report, "analysing", len(missing))
    tick(0)
    for done, aid in enumerate(missing, start=1):
        analysed[aid] = analyse_article(articles[aid])
        tick(done)
    text_links: dict[tuple[str, str], Link] = {}
    shared_facts: dict[tuple[str, str], int] = defaultdict(int)
    gram_holders: set[str] = set()
    tick = _progress(report, "comparing", len(pairs))
    tick(0)
    for done, (x, y) in enumerate(pairs, start=1):
        for forward, backward in link_article_pair(
            analysed[x], analysed[y], idf, threshold=threshold
        ):
            text_links[(forward.source_passage_id, forward.target_passage_id)] = forward
            text_links[(backward.source_passage_id, backward.target_passage_id)] = backward
            shared_facts[(x, y)] += 1
        gram_holders.update((x, y))
        if done % GRAM_CACHE_PAIRS == 0:
            _drop_grams(analysed, gram_holders)
        tick(done)
    _drop_grams(analysed, gram_holders)
    in_region = set(region_ids)
    story_sim = story_similarity(
        {k: v for k, v in similarity.items() if k[0] in in_region and k[1] in in_region},
        {k: v for k, v in shared_facts.items() if k[0] in in_region and k[1] in in_region},
    )
    stories = group(
        {a: articles[a].title for a in region_ids},
        {a: articles[a].source for a in region_ids},
        story_sim,
    )
    # Claims are compared within stories only, so only story members' claims are kept (the
    # CLI extracts a lone article's claims on demand).
    claims: dict[str, list[Claim]] = {a: [] for a in region_ids}
    tick = _progress(report, "stories", len(stories))
    tick(0)
    for done, story in enumerate(stories, start=1):
        mentions: dict[str, set[str]] = defaultdict(set)
        for article_id in story.article_ids:
            found, named = article_claims_and_mentions(articles[article_id])
            claims[article_id] = found
            mentions[_outlet(articles[article_id])] |= named
        story_claims = [c for a in story.article_ids for c in claims[a]]
        guarded = guard_in_story(story_claims, {k: frozenset(v) for k, v in mentions.items()})
        by_article: dict[str, list[Claim]] = defaultdict(list)
        for claim in guarded:
            by_article[claim.article_id].append(claim)
        for article_id in story.article_ids:
            claims[article_id] = by_article.get(article_id, [])
        for aid in story.article_ids:
            if aid not in analysed:
                analysed[aid] = analyse_article(articles[aid])
        grouped = _event_groups([c for a in story.article_ids for c in claims[a]], analysed, idf)
        for article_id in story.article_ids:
            claims[article_id] = [grouped.get(id(c), c) for c in claims[article_id]]
        for link in _claim_links(story, claims, analysed, text_links):
            key = (link.source_passage_id, link.target_passage_id)
            if key not in text_links or text_links[key].score < link.score:
                text_links[key] = link
        tick(done)
    links: dict[str, list[Link]] = defaultdict(list)
    for link in text_links.values():
        links[link.source_passage_id].append(link)
    return RegionResult(
        links={pid: rank_links(ls) for pid, ls in links.items()},
        stories=stories,
        claims=claims,
        profiles={a: profiles[a] for a in region_ids if a in profiles},
    )


def compute_all(
    articles: Sequence[Article], report: Report | None = None
) -> tuple[RegionResult, Idf, dict[str, int], int]:
    """The whole pipeline on a corpus: returns the result, the passage idf and the article
    document frequencies (kept for incremental updates). ``report``: see :data:`Report`."""
    analysed: dict[str, list[AnalysedPassage]] = {}
    tick = _progress(report, "analysing", len(articles))
    tick(0)
    for done, article in enumerate(articles, start=1):
        analysed[article.id] = analyse_article(article)
        tick(done)
    terms = {
        a.id: article_terms(a, (w.stem for p in analysed[a.id] for w in p.words if not w.stop))
        for a in articles
    }
    df, n = document_frequencies(articles, terms)
    profiles = {a.id: profile(a, df, n, terms[a.id]) for a in articles}
    del terms
    idf = Idf.from_passages(p for ps in analysed.values() for p in ps)
    result = compute_region(articles, [], profiles, idf, analysed=analysed, report=report)
    return result, idf, dict(df), n
