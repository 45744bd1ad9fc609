"""Related passages across outlets: which passages of OTHER outlets report the same fact or quote.

Pure functions over analysed passages (:mod:`index.passage_analysis` analyses one passage,
:mod:`index.related_pipeline` runs these over a corpus, :mod:`index.links_store` persists the
result):

1. Candidates. Links are only sought between articles that are neighbours
   (:func:`index.stories.neighbour_pairs`: the most similar articles of other outlets within a
   date window — own inverted index over key stems, not Whoosh's ``more_like``), so the cost
   grows with the corpus linearly. Inside a pair of articles, a passage's candidates are the
   passages sharing at least two stems and :data:`PREFILTER` of the stem overlap. Measured
   against per-passage Whoosh queries of the passage's key terms (own outlet masked, ±1 day):
   as many labelled pairs found, far fewer formula matches from unrelated articles, 14-750x
   less CPU (``benchmarks/related_candidates.py``, BENCHMARKS.md).
2. Rerank (:func:`score_pair`). The score blends four normalized features, each in [0, 1]:

   * idf-weighted stem overlap — the shared stems' idf mass over the geometric mean of both
     passages' masses (a cosine over binary idf-weighted vectors), averaged with the overlap over
     the *smaller* passage (containment): one outlet often reports in one sentence what another
     reports inside a longer paragraph, which Jaccard punishes;
     stems a passage uses only in its attribution clause ("وقال جون ألترمان، مدير برنامج ...
     إن", :func:`index.passage_analysis._lead_length`) weigh ``LEAD_WEIGHT``: the reported
     content is what two outlets share when they report one fact, not who they quote or that
     source's title;
     a passage of several sentences is also compared sentence by sentence, and the best overlap
     counts (:func:`_stem_overlap`);
   * character 4-gram overlap of the normalized text outside the attribution clause, the same
     mix of cosine and containment: it survives spelling variants the stemmer does not merge
     (أميركي/أمريكي);
   * shared phrasing: the longest shared phrase (a run of equal stems, stop words included),
     saturating at :data:`PHRASE_SATURATION` words — a shared quote is the strongest evidence
     there is — or, when higher, the share of the shorter passage's reported words (content
     words outside the attribution clause) that shared phrases of two or more words cover.
     The second is the coverage of greedy string tiling, the measure of news text reuse
     (Clough et al., the METER corpus): an outlet rewording a wire story keeps several short
     runs ("المعلومات التي ... إلى إيران كانت محددة ... إحباط الهجوم") and no long one;
     only *uncommon* words count in either (:meth:`index.passage_analysis.Idf.common`): a run
     of words that each recur all over the corpus is a formula — a title chain ("خادم الحرمين
     الشريفين الملك سلمان بن عبدالعزيز"), a condolence line, a market-report template — which
     two reports of different events share as readily as two reports of one;
   * shared figures, read whole ("50.31", "1,200"; not years, not the day before a month name,
     not the parts of a written date, not a number ending a Latin name): two outlets giving the
     same toll. The event's date is repeated by every passage about the event, so it is no
     evidence that two passages report the same fact.

   A passage only gets links scoring at least :data:`LINK_THRESHOLD`, so a passage that no
   other outlet reports shows nothing. A passage that opens on a year of its own ("وفي عام
   2022، أعلن تنظيم داعش مسؤوليته عن هجوم ...") reports an event of that year: it is linked
   only into articles that name that year (:func:`index.passage_analysis._frame_year`). News
   repeats its formulas — "أعلن تنظيم داعش مسؤوليته" — for every attack, and background
   paragraphs recalling an earlier one would otherwise link to the report of the current one.
3. Ranking: the best passage of each outlet first (by score), then the remaining ones, at most
   :data:`MAX_LINKS`.

Unknown sources: an article whose source is ``None`` is its own outlet (keyed by article id);
two passages of the same article are never linked.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from index.arabic import link_stem, normalize_token
from index.arabic import tokens as arabic_tokens
from index.models import Article, Span
from index.passage_analysis import (
    AnalysedPassage,
    Idf,
    Word,
    _weighted_mass,
    analyse_article,
    analyse_passage,
    outlet_of,
)

#: At most this many links per passage (the panel shows a handful, not a list to scroll).
MAX_LINKS = 6
#: A link needs at least this score: about the 99th percentile of the scores of unlabelled
#: (unrelated) pairs on the dev set (0.25), above the best match of any of its no-counterpart
#: passages (0.23) and below its median grade-2 pair (0.33). Not moved to the exact gap of the
#: dev set (benchmarks/related_quality.py --verbose prints the distributions).
LINK_THRESHOLD = 0.25
#: A shared phrase this many words long counts as fully "same wording".
PHRASE_SATURATION = 8
#: "same wording" needs a shared run of at least this many words ...
WORDING_MIN_RUN = 6
#: ... or shared phrases covering this share of the shorter passage's content words (a reprint
#: of wire copy in everyday words: "same wording" though no run of uncommon words is long; its
#: phrase feature is then that share, formula words or not).
COPIED_SHARE = 0.8
#: A short passage (fewer than SHORT_PASSAGE_WORDS content words) needs this many uncommon
#: content words (see Idf.common) to be linked at all: a heading ("ولي ولي العهد") or a closing
#: formula ("وقد أعد مرسوم ملكي بذلك") reports no fact of its own, and the formula matched every
#: cabinet decision at 80 % on SaudiNewsNet. A longer passage of common words is linked: a
#: reprint of a royal-court report is the same fact however everyday its words (applied to every
#: passage, the rule cost 17 right links for 8 wrong ones on the judged SaudiNewsNet pairs; to
#: short ones, 2 for 3 — benchmarks/related_judged.py).
MIN_INFORMATIVE_WORDS = 3
SHORT_PASSAGE_WORDS = 6
#: Shared phrases shorter than this many words are not highlighted (two words is a collocation).
HIGHLIGHT_MIN_RUN = 3
#: Weights of the features in the score (sum to 1).
WEIGHTS = {"stems": 0.40, "grams": 0.30, "phrase": 0.20, "numbers": 0.10}
#: Labels by score.
LABELS: tuple[tuple[float, str], ...] = ((0.6, "strong"), (0.42, "likely"), (0.0, "possible"))
#: A candidate pair is scored in full only if its stem overlap (the first feature, known from
#: the inverted index for free) reaches this: on the dev set no pair scoring 0.2 or more has a
#: stem overlap below 0.12, so the prefilter sits a third below that.
PREFILTER = 0.08


@dataclass(frozen=True, slots=True)
class Link:
    """A passage of another outlet that reports the same fact or quote as the source passage.

    ``shared`` pairs a span in the source article's clean text with the equal phrase's span in
    the target article's clean text, so both sides can be highlighted.
    """

    source_passage_id: str
    target_passage_id: str
    target_article_id: str
    target_source: str | None
    kind: str
    score: float
    label: str
    shared: tuple[tuple[Span, Span], ...] = ()

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def display(self) -> str:
        """How the panel states the score: "strong 72%"."""
        return f"{self.label} {self.percent}%"


@dataclass(frozen=True, slots=True)
class PairScore:
    score: float
    stems: float
    grams: float
    phrase: float
    numbers: float
    longest_run: int
    runs: tuple[tuple[int, int, int], ...]  # (start word in a, start word in b, length)
    #: share of the shorter passage's content words inside shared phrases, common words
    #: included: a copied paragraph is "same wording" even when its words are everyday ones
    copied: float = 0.0


def _overlap(shared: float, a: float, b: float) -> float:
    """Average of the cosine-like overlap and the containment in the smaller side."""
    if a <= 0 or b <= 0:
        return 0.0
    return 0.5 * (shared / math.sqrt(a * b) + shared / min(a, b))


def common_runs(
    a: Sequence[Word], b: Sequence[Word], min_run: int = 2
) -> list[tuple[int, int, int]]:
    """Maximal runs of equal stems shared by two word lists, longest first, not overlapping.

    A run must contain at least one content word; runs are greedy (longest first) and use each
    word of either side at most once.
    """
    if not a or not b:
        return []
    sb = [w.stem for w in b]
    positions: dict[str, list[int]] = defaultdict(list)
    for j, s in enumerate(sb):
        positions[s].append(j)
    found: list[tuple[int, int, int]] = []
    prev: dict[int, int] = {}
    for i, wa in enumerate(a):
        cur: dict[int, int] = {}
        for j in positions.get(wa.stem, ()):
            cur[j] = prev.get(j - 1, 0) + 1
        # a run ends at (i-1, j-1) when it does not continue here
        for j, length in prev.items():
            if cur.get(j + 1) is None and length >= min_run:
                found.append((i - length, j - length + 1, length))
        prev = cur
    for j, length in prev.items():
        if length >= min_run:
            found.append((len(a) - length, j - length + 1, length))
    found.sort(key=lambda r: (-r[2], r[0], r[1]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    runs: list[tuple[int, int, int]] = []
    for ia, ib, length in found:
        if any(ia + k in used_a or ib + k in used_b for k in range(length)):
            continue
        if all(a[ia + k].stop for k in range(length)):
            continue
        runs.append((ia, ib, length))
        used_a.update(range(ia, ia + length))
        used_b.update(range(ib, ib + length))
    return runs


def _run_content_length(words: Sequence[Word], start: int, length: int) -> int:
    return sum(1 for w in words[start : start + length] if not w.stop)


def _informative_length(words: Sequence[Word], start: int, length: int, idf: Idf) -> int:
    """The content words of a shared phrase that are not common vocabulary."""
    return sum(1 for w in words[start : start + length] if not w.stop and not idf.common(w.stem))


def _reported_in_runs(a: AnalysedPassage, runs: Iterable[tuple[int, int, int]], idf: Idf) -> int:
    """Uncommon content words of ``a`` outside its attribution clause that shared phrases cover."""
    return sum(
        1
        for ia, _, n in runs
        for w in a.words[ia : ia + n]
        if not w.stop and not w.lead and not idf.common(w.stem)
    )


def _phrase_feature(longest: int, covered: int, a: AnalysedPassage, b: AnalysedPassage) -> float:
    """The longest shared phrase (saturating), or the tiled coverage of the shorter passage's
    reported words when that is higher (see the module's docstring)."""
    phrase = min(1.0, longest / PHRASE_SATURATION) if longest >= 2 else 0.0
    shorter = min(a.reported_words, b.reported_words)
    coverage = min(1.0, covered / shorter) if shorter else 0.0
    return max(phrase, coverage)


def score_pair(a: AnalysedPassage, b: AnalysedPassage, idf: Idf) -> PairScore:
    """How surely ``b`` reports what ``a`` reports, in [0, 1] (symmetric)."""
    pair = _score(a, b, idf, None)
    assert pair is not None
    return pair


def _stem_overlap(
    a: AnalysedPassage, b: AnalysedPassage, shared: frozenset[str], idf: Idf
) -> float:
    """The stem feature: the overlap of the two passages, or of one passage with one sentence of
    the other when that is higher. One outlet packs two facts in one paragraph that another
    reports in two: the whole-paragraph overlap dilutes the fact they share in the other one.
    A stem either passage uses only to attribute weighs what attribution words weigh."""
    lead = a.lead | b.lead
    best = _overlap(_weighted_mass(shared, lead, idf), a.mass(idf), b.mass(idf))
    for one, other in ((a, b), (b, a)):
        for sentence in one.sentences:
            common = sentence & other.stems
            if len(common) < 2:
                continue
            overlap = _overlap(
                _weighted_mass(common, lead, idf),
                _weighted_mass(sentence, one.lead, idf),
                other.mass(idf),
            )
            best = max(best, overlap)
    return best


def _score(
    a: AnalysedPassage, b: AnalysedPassage, idf: Idf, threshold: float | None
) -> PairScore | None:
    """:func:`score_pair`, or ``None`` as soon as the pair provably cannot reach ``threshold``:
    the longest shared phrase (the costly feature) cannot be longer than the shared stems."""
    shared = a.stems & b.stems
    stems = _stem_overlap(a, b, shared, idf)
    if a.numbers and b.numbers:
        numbers = len(a.numbers & b.numbers) / min(len(a.numbers), len(b.numbers))
    else:
        numbers = 0.0
    ga, gb = a.grams, b.grams
    grams = _overlap(float(len(ga & gb)), float(len(ga)), float(len(gb)))
    partial = WEIGHTS["stems"] * stems + WEIGHTS["grams"] * grams + WEIGHTS["numbers"] * numbers
    if threshold is not None:
        # no phrase is longer than the shared stems, and none covers a word they do not hold
        reach = sum(1 for w in a.words if not w.stop and not w.lead and w.stem in shared)
        bound = _phrase_feature(len(shared), reach, a, b) if len(shared) >= 2 else 0.0
        shorter = min(a.content_words, b.content_words)
        could_copy = sum(1 for w in a.words if not w.stop and w.stem in shared)
        if shorter and could_copy / shorter >= COPIED_SHARE:
            bound = 1.0
        if partial + WEIGHTS["phrase"] * bound < threshold:
            return None
    runs = common_runs(a.words, b.words)
    longest = max((_informative_length(a.words, ia, n, idf) for ia, _, n in runs), default=0)
    phrase = _phrase_feature(longest, _reported_in_runs(a, runs, idf), a, b)
    inside = sum(_run_content_length(a.words, ia, n) for ia, _, n in runs)
    shorter = min(a.content_words, b.content_words)
    copied = min(1.0, inside / shorter) if shorter else 0.0
    if copied >= COPIED_SHARE:
        phrase = max(phrase, copied)
    score = partial + WEIGHTS["phrase"] * phrase
    return PairScore(min(1.0, score), stems, grams, phrase, numbers, longest, tuple(runs), copied)


def baseline_score(a: AnalysedPassage, b: AnalysedPassage) -> float:
    """The measured baseline: Jaccard over stems averaged with Jaccard over char 4-grams."""
    union = len(a.stems | b.stems)
    stems = len(a.stems & b.stems) / union if union else 0.0
    gunion = len(a.grams | b.grams)
    grams = len(a.grams & b.grams) / gunion if gunion else 0.0
    return 0.5 * (stems + grams)


def label_for(score: float) -> str:
    for bound, label in LABELS:
        if score >= bound:
            return label
    return LABELS[-1][1]


def kind_for(pair: PairScore, a: AnalysedPassage, b: AnalysedPassage) -> str:
    """ "same wording" for a long shared phrase (a quote, a copied sentence) or a passage copied
    nearly whole; "same numbers"
    when what the two share is mostly the same quantities; else "same fact"."""
    if pair.longest_run >= WORDING_MIN_RUN or pair.copied >= COPIED_SHARE:
        return "same wording"
    if a.numbers & b.numbers and pair.numbers >= 0.5 and pair.stems < 0.5:
        return "same numbers"
    return "same fact"


def _link(a: AnalysedPassage, b: AnalysedPassage, pair: PairScore) -> Link:
    shared: list[tuple[Span, Span]] = []
    for ia, ib, length in sorted(pair.runs, key=lambda r: r[0]):
        if (
            _run_content_length(a.words, ia, length) < HIGHLIGHT_MIN_RUN - 1
            or length < HIGHLIGHT_MIN_RUN
        ):
            continue
        shared.append(
            (
                Span(a.words[ia].start, a.words[ia + length - 1].end),
                Span(b.words[ib].start, b.words[ib + length - 1].end),
            )
        )
    return Link(
        source_passage_id=a.passage.id,
        target_passage_id=b.passage.id,
        target_article_id=b.passage.article_id,
        target_source=b.source,
        kind=kind_for(pair, a, b),
        score=round(pair.score, 4),
        label=label_for(pair.score),
        shared=tuple(shared),
    )


def rank_links(links: Iterable[Link], limit: int = MAX_LINKS) -> list[Link]:
    """Best per outlet first (by score), then the rest by score; at most ``limit``."""
    ordered = sorted(links, key=lambda link: (-link.score, link.target_passage_id))
    firsts: list[Link] = []
    rest: list[Link] = []
    seen: set[str] = set()
    for link in ordered:
        outlet = (
            link.target_source
            if link.target_source is not None
            else f"article:{link.target_article_id}"
        )
        (rest if outlet in seen else firsts).append(link)
        seen.add(outlet)
    return (firsts + rest)[:limit]


def link_article_pair(
    a: Sequence[AnalysedPassage],
    b: Sequence[AnalysedPassage],
    idf: Idf,
    *,
    threshold: float = LINK_THRESHOLD,
) -> list[tuple[Link, Link]]:
    """Links between the passages of two articles of different outlets, in both directions."""
    if not a or not b or a[0].outlet == b[0].outlet:
        return []
    a_years = frozenset().union(*(p.years for p in a))
    b_years = frozenset().union(*(p.years for p in b))
    b_mass = [p.mass(idf) for p in b]
    b_linkable = [_linkable(p, idf) for p in b]
    out: list[tuple[Link, Link]] = []
    for pa in a:
        if not _linkable(pa, idf):
            continue
        if pa.frame_year is not None and pa.frame_year not in b_years:
            continue
        a_mass = pa.mass(idf)
        a_stems = pa.stems
        for j, pb in enumerate(b):
            # set intersection runs in C: cheaper than accumulating postings in Python for the
            # ten-by-ten passages of an article pair
            if not b_linkable[j]:
                continue
            shared = a_stems & pb.stems
            if len(shared) < 2 or (pb.frame_year is not None and pb.frame_year not in a_years):
                continue
            lead = pa.lead | pb.lead
            if _overlap(_weighted_mass(shared, lead, idf), a_mass, b_mass[j]) < PREFILTER:
                continue
            pair = _score(pa, pb, idf, threshold)
            if pair is not None and pair.score >= threshold:
                out.append((_link(pa, pb, pair), _link(pb, pa, _flip(pair))))
    return out


def _linkable(p: AnalysedPassage, idf: Idf) -> bool:
    """A passage reports a fact of its own unless it is short and made of common words."""
    return p.informative(idf) >= MIN_INFORMATIVE_WORDS or p.content_words >= SHORT_PASSAGE_WORDS


def _flip(pair: PairScore) -> PairScore:
    return replace(pair, runs=tuple((ib, ia, n) for ia, ib, n in pair.runs))


def compute_links(
    articles: Sequence[Article],
    pairs: Iterable[tuple[str, str]] | None = None,
    *,
    idf: Idf | None = None,
    threshold: float = LINK_THRESHOLD,
    analysed: Mapping[str, Sequence[AnalysedPassage]] | None = None,
) -> dict[str, list[Link]]:
    """Links of every passage of ``articles``, ranked (see :func:`rank_links`).

    ``pairs`` are the article pairs to compare (story neighbours); default: every pair of
    articles of different outlets (fine for a few hundred articles). ``idf`` defaults to the
    passages of ``articles``.
    """
    by_id = {a.id: a for a in articles}
    if analysed is None:
        analysed = {a.id: analyse_article(a) for a in articles}
    if idf is None:
        idf = Idf.from_passages(p for ps in analysed.values() for p in ps)
    if pairs is None:
        ids = list(by_id)
        pairs = [
            (x, y)
            for i, x in enumerate(ids)
            for y in ids[i + 1 :]
            if outlet_of(by_id[x]) != outlet_of(by_id[y])
        ]
    found: dict[str, list[Link]] = defaultdict(list)
    for x, y in pairs:
        if x not in analysed or y not in analysed:
            continue
        for forward, backward in link_article_pair(
            analysed[x], analysed[y], idf, threshold=threshold
        ):
            found[forward.source_passage_id].append(forward)
            found[backward.source_passage_id].append(backward)
    return {pid: rank_links(links) for pid, links in found.items()}


def normalize_for_compare(text: str) -> str:
    """The normalized stem sequence of ``text`` (what "equal text" means for shared phrases)."""
    return " ".join(
        link_stem(normalize_token(t.text)) for t in arabic_tokens(text, keep_stop_words=True)
    )


__all__ = [  # the passage analysis is re-exported: callers compare passages through this module
    "LABELS",
    "LINK_THRESHOLD",
    "MAX_LINKS",
    "AnalysedPassage",
    "Idf",
    "Link",
    "PairScore",
    "Word",
    "analyse_article",
    "analyse_passage",
    "baseline_score",
    "common_runs",
    "compute_links",
    "kind_for",
    "label_for",
    "link_article_pair",
    "normalize_for_compare",
    "outlet_of",
    "rank_links",
    "score_pair",
]
