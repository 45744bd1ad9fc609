"""Stories: articles of several outlets about the same event, grouped at index time.

Why stories: claims are compared within a story (84 vs 89 killed only matters for the same
attack), and related passages are only sought between story neighbours, which keeps linking
linear in the corpus size.

Article similarity is a cosine over each article's *key terms*: its :data:`KEY_TERMS` stems with
the highest tf-idf (title words counted twice, ``tf`` damped as ``1 + log tf``, idf over articles
``log(1 + N / df)``), so what two articles share must be what each is most about — a rare name,
a place, an event — not the vocabulary of news. Candidates come from an inverted index over key
terms, bucketed by day: with dates known, only articles within :data:`DATE_WINDOW_DAYS` are
compared (an undated article is compared with every article).

Grouping is average-linkage agglomeration over the similarity graph: the strongest edges merge
first, and two groups merge only while their *average* pairwise similarity (pairs without a
computed edge count as 0) stays at or above :data:`STORY_THRESHOLD` × :data:`LINKAGE`. Single
linkage would chain the day's articles into one giant "story" through one shared topic word.

Passages linked between two articles (shared facts) make the pair an edge even when the cosine
is low, but they weigh no more than an edge (:func:`story_similarity`): their count is no
measure of how alike two articles are. Long articles of one topic share background paragraphs
and agency boilerplate ("إنفاذاً لتوجيهات خادم الحرمين الشريفين ..."), so two reports of
different events — the first and the second relief flight, the market's opening and its next
day's close — link many passages; counted as a similarity up to 1, such a pair outweighed the
rest of a group in the average and pulled topic neighbours into one story
(``benchmarks/story_quality.py``; BENCHMARKS.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from index.arabic import link_stems as arabic_stems
from index.models import Article

#: Stems that describe an article (its vector's length).
KEY_TERMS = 30
#: Cosine at which two articles are about the same event (an edge of the story graph).
STORY_THRESHOLD = 0.35
#: Average linkage a merged story must keep, relative to STORY_THRESHOLD.
LINKAGE = 0.7
#: Cosine below which two articles are not compared at all (nothing in common but news words).
MIN_SIMILARITY = 0.08
#: Shared facts (passage pairs linked by text) that make two articles an edge of the story graph
#: even when their whole-article cosine is low: a short wire piece inside a long analysis. Fewer
#: weigh proportionally less; more weigh no more (see :func:`story_similarity`).
SHARED_FACTS_FOR_STORY = 3
#: At most this many neighbours per article (best first), each at least NEIGHBOUR_FLOOR similar.
MAX_NEIGHBOURS = 5
NEIGHBOUR_FLOOR = 0.1
#: A corpus of at most this many articles compares every pair of outlets: it is cheap, and its
#: idf (a handful of documents) cannot tell an article's key terms from news vocabulary.
SMALL_CORPUS = 60
#: Only articles at most this many days apart are compared, when both dates are known.
DATE_WINDOW_DAYS = 1
#: A key term held by more than this many articles of a day bucket is skipped as a candidate
#: source (it is a topic of the day, not an event); its weight still counts for found pairs.
MAX_BUCKET_POSTINGS = 200
#: A headline is at most this many words (a first paragraph standing in for a title is longer).
HEADLINE_MAX_WORDS = 25


@dataclass(frozen=True, slots=True)
class Story:
    """Articles of one event. ``sources`` are the known outlets (sorted); ``title`` is the title
    of the article most similar to the others."""

    id: str
    article_ids: tuple[str, ...]
    title: str
    sources: tuple[str, ...]


def _outlet(article: Article) -> str:
    return article.source if article.source is not None else f"article:{article.id}"


def article_terms(article: Article, body_stems: Iterable[str] | None = None) -> Counter[str]:
    """Term counts of an article: title stems count twice, numbers and 1-letter stems are dropped.

    ``body_stems`` are the stems of the text when the caller has them already (the passages were
    analysed for linking): the text is then not tokenized a second time.
    """
    counts: Counter[str] = Counter()
    for s in arabic_stems(article.title or ""):
        if len(s) > 1 and not s.isdigit():
            counts[s] += 2
    for s in arabic_stems(article.text) if body_stems is None else body_stems:
        if len(s) > 1 and not s.isdigit():
            counts[s] += 1
    return counts


def key_vector(counts: Counter[str], df: Mapping[str, int], n: int) -> dict[str, float]:
    """The :data:`KEY_TERMS` highest tf-idf terms, L2-normalized."""
    weighted = {
        t: (1 + math.log(c)) * math.log(1 + n / max(1, df.get(t, 1))) for t, c in counts.items()
    }
    top = sorted(weighted.items(), key=lambda kv: (-kv[1], kv[0]))[:KEY_TERMS]
    norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
    return {t: w / norm for t, w in top}


def _day(article: Article) -> int | None:
    if not article.date:
        return None
    try:
        return dt.date.fromisoformat(article.date[:10]).toordinal()
    except ValueError:
        return None


@dataclass(slots=True)
class ArticleProfile:
    """What story grouping keeps of an article: outlet, day and key-term vector (stored in the
    related store so an incremental update needs no other article's text)."""

    outlet: str
    day: int | None
    vector: dict[str, float]


def document_frequencies(
    articles: Iterable[Article], terms: Mapping[str, Counter[str]] | None = None
) -> tuple[Counter[str], int]:
    """Article document frequencies of terms (``terms``: precomputed :func:`article_terms`)."""
    df: Counter[str] = Counter()
    n = 0
    for article in articles:
        df.update((terms[article.id] if terms is not None else article_terms(article)).keys())
        n += 1
    return df, n


def profile(
    article: Article, df: Mapping[str, int], n: int, terms: Counter[str] | None = None
) -> ArticleProfile:
    counts = terms if terms is not None else article_terms(article)
    return ArticleProfile(_outlet(article), _day(article), key_vector(counts, df, n))


def similarities(
    profiles: Mapping[str, ArticleProfile], focus: Iterable[str] | None = None
) -> dict[tuple[str, str], float]:
    """Cosines >= :data:`MIN_SIMILARITY` between a focus article (default: all) and any article
    within the date window, keyed by (id, id) with id < id."""
    ids = list(profiles)
    days = {i: profiles[i].day for i in ids}
    buckets: dict[tuple[str, int | None], list[str]] = defaultdict(list)
    for article_id in ids:
        for term in profiles[article_id].vector:
            buckets[(term, days[article_id])].append(article_id)
    known_days = sorted({d for d in days.values() if d is not None})
    focus_ids = ids if focus is None else [i for i in focus if i in profiles]
    focus_set = set(focus_ids) if focus is not None else None
    out: dict[tuple[str, str], float] = {}
    for article_id in focus_ids:
        vector = profiles[article_id].vector
        day = days[article_id]
        windows: list[int | None]
        if day is None:
            windows = [None, *known_days]
        else:
            windows = [None, *range(day - DATE_WINDOW_DAYS, day + DATE_WINDOW_DAYS + 1)]
        candidates: set[str] = set()
        for term in vector:
            for d in windows:
                postings = buckets.get((term, d))
                if postings and len(postings) <= MAX_BUCKET_POSTINGS:
                    candidates.update(postings)
        candidates.discard(article_id)
        for other_id in candidates:
            key = (article_id, other_id) if article_id < other_id else (other_id, article_id)
            if key in out or (focus_set is None and other_id < article_id):
                continue
            other = profiles[other_id].vector
            small, large = (other, vector) if len(other) < len(vector) else (vector, other)
            cosine = sum(w * large.get(t, 0.0) for t, w in small.items())
            if cosine >= MIN_SIMILARITY:
                out[key] = cosine
    return out


def _story_id(article_ids: Iterable[str]) -> str:
    first = min(article_ids)
    return "s-" + hashlib.sha1(first.encode("utf-8")).hexdigest()[:10]


def story_similarity(
    similarity: Mapping[tuple[str, str], float], shared_facts: Mapping[tuple[str, str], int]
) -> dict[tuple[str, str], float]:
    """Article similarity for grouping: the cosine, raised where the two articles share linked
    passages — :data:`SHARED_FACTS_FOR_STORY` of them weigh as much as a story-level cosine
    (articles that report several of the same facts are about the same event whatever else each
    of them covers), fewer proportionally less.

    More shared facts weigh no more than that: the evidence is capped at
    :data:`STORY_THRESHOLD`. The count grows with the articles' length and with the boilerplate
    and background they share (reports of the first and the second relief flight to Aden, or
    of the market's opening and the next day's close, link up to ten passages), not with how
    much they are about one event; a pair counted up to 1 let its group absorb articles of
    other events under average linkage. On two judged days of SaudiNewsNet the cap took the
    different-event pairs grouped together from 84 % to 62 % and kept 96 % of the same-event
    pairs together (99 % before); see BENCHMARKS.md.
    """
    out = dict(similarity)
    for key, count in shared_facts.items():
        # min(1, ...) first: 0.35 * 3 / 3 is 0.34999... in floating point, not an edge
        evidence = STORY_THRESHOLD * min(1.0, count / SHARED_FACTS_FOR_STORY)
        if evidence > out.get(key, 0.0):
            out[key] = evidence
    return out


def group(
    titles: Mapping[str, str],
    sources: Mapping[str, str | None],
    similarity: Mapping[tuple[str, str], float],
) -> list[Story]:
    """Average-linkage groups of the articles ``titles`` names (see the module docstring)."""
    members: dict[str, list[str]] = {a: [a] for a in titles}
    root: dict[str, str] = {a: a for a in titles}
    linkage: dict[str, dict[str, float]] = defaultdict(dict)
    edges: list[tuple[float, str, str]] = []
    for (x, y), s in similarity.items():
        if x in titles and y in titles:
            linkage[x][y] = s
            linkage[y][x] = s
            if s >= STORY_THRESHOLD:
                edges.append((s, x, y))
    edges.sort(reverse=True)
    for _, x, y in edges:
        gx, gy = root[x], root[y]
        if gx == gy:
            continue
        total = linkage[gx].get(gy, 0.0)
        if total / (len(members[gx]) * len(members[gy])) < STORY_THRESHOLD * LINKAGE:
            continue
        if len(members[gx]) < len(members[gy]):
            gx, gy = gy, gx
        for article_id in members[gy]:
            root[article_id] = gx
        members[gx].extend(members.pop(gy))
        for other, value in linkage.pop(gy, {}).items():
            if other == gx:
                continue
            linkage[gx][other] = linkage[gx].get(other, 0.0) + value
            linkage[other].pop(gy, None)
            linkage[other][gx] = linkage[gx][other]
        linkage[gx].pop(gy, None)
    stories: list[Story] = []
    for ids in members.values():
        if len(ids) < 2:
            continue
        ordered = tuple(sorted(ids))
        # an article with no title of its own is titled by its first paragraph: the story takes
        # the title of the most central article that has a headline, if any has one
        titled = tuple(a for a in ordered if looks_like_headline(titles[a])) or ordered
        central = max(
            titled,
            key=lambda a: (
                sum(similarity.get((a, b) if a < b else (b, a), 0.0) for b in ordered if b != a),
                a,
            ),
        )
        stories.append(
            Story(
                id=_story_id(ordered),
                article_ids=ordered,
                title=titles[central],
                sources=tuple(sorted({src for a in ordered if (src := sources[a]) is not None})),
            )
        )
    stories.sort(key=lambda s: (-len(s.article_ids), s.id))
    return stories


def looks_like_headline(title: str) -> bool:
    """A title a person wrote as a headline, not a first sentence standing in for a missing one
    (which the loader cuts short with " …"): short, neither cut nor closed by a full stop."""
    words = title.split()
    return 0 < len(words) <= HEADLINE_MAX_WORDS and not title.rstrip().endswith((".", "۔", "…"))


def neighbour_pairs(
    profiles: Mapping[str, ArticleProfile],
    similarity: Mapping[tuple[str, str], float],
    focus: Iterable[str] | None = None,
) -> list[tuple[str, str]]:
    """Article pairs of different outlets to search for links: each (focus) article's
    :data:`MAX_NEIGHBOURS` most similar articles of other outlets."""
    focus_set = set(focus) if focus is not None else None
    if len(profiles) <= SMALL_CORPUS:
        ids = sorted(profiles)
        return [
            (x, y)
            for i, x in enumerate(ids)
            for y in ids[i + 1 :]
            if profiles[x].outlet != profiles[y].outlet
            and (focus_set is None or x in focus_set or y in focus_set)
        ]
    best: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for (x, y), s in similarity.items():
        if x not in profiles or y not in profiles or profiles[x].outlet == profiles[y].outlet:
            continue
        best[x].append((s, y))
        best[y].append((s, x))
    pairs: set[tuple[str, str]] = set()
    for x, candidates in best.items():
        if focus_set is not None and x not in focus_set:
            continue
        for score, y in sorted(candidates, reverse=True)[:MAX_NEIGHBOURS]:
            if score < NEIGHBOUR_FLOOR:
                break
            pairs.add((x, y) if x < y else (y, x))
    return sorted(pairs)


def build_stories(articles: Sequence[Article]) -> tuple[list[Story], list[tuple[str, str]]]:
    """Stories (by cosine alone) and link neighbourhoods of a set of articles: for tools and
    tests; the index pipeline (:mod:`index.links_store`) adds the shared-fact evidence."""
    df, n = document_frequencies(articles)
    profiles = {a.id: profile(a, df, n) for a in articles}
    similarity = similarities(profiles)
    stories = group(
        {a.id: a.title for a in articles}, {a.id: a.source for a in articles}, similarity
    )
    return stories, neighbour_pairs(profiles, similarity)
