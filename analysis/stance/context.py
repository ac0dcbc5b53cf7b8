"""A quote scored together with the rest of its speaker's remark.

In: an article's text and its quotes as `QuoteSpan`s (start, end, speaker, text), and a scorer.
Out: `utterances` (for each quote, the quotes it is scored with) and `score_in_context`, one
`StanceScore` per quote: the mean of the probabilities of the quote alone and of its whole remark.

News copy cuts one person's remark into several quotes ("'We're not bound by the old rules,' an
aide said. 'We're here to win.'"). A short piece often carries its side only with its neighbours,
and two halves of one remark shown with opposite stances look like a bug to a reader. A remark is
a run of quotes by the same named speaker, in the same paragraph, with no other speaker's quote
between them. Measured on the demo articles' gold quotes (`bench/stance_bench.py`, "demo"),
mixing half and half lifted macro-F1 by about 0.02 over the quote alone; the sentence around a
quote (the reporter's words included) did not help, so it is not used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from analysis.records import STANCES, StanceScore

# Share of a quote's probabilities that comes from its whole remark (0 = the quote alone).
REMARK_WEIGHT = 0.5


@dataclass(frozen=True)
class QuoteSpan:
    """What the grouping needs to know about one quote of an article."""

    start: int
    end: int
    speaker: str | None
    text: str


class StanceScorer(Protocol):
    """What ingest and rescore need of a stance model (`analysis.stance.Scorer` is one)."""

    def score(self, texts: list[str], issues: list[str]) -> list[StanceScore]: ...


def utterances(article_text: str, quotes: Sequence[QuoteSpan]) -> list[list[int]]:
    """For each quote (by index), the indices of its remark's quotes in reading order.

    A quote without a speaker, or alone in its paragraph, is a remark of one.
    """
    order = sorted(range(len(quotes)), key=lambda i: (quotes[i].start, quotes[i].end))
    groups: list[list[int]] = []
    for i in order:
        q = quotes[i]
        if groups:
            prev = quotes[groups[-1][-1]]
            same_paragraph = "\n" not in article_text[prev.end : q.start]
            if q.speaker and q.speaker == prev.speaker and same_paragraph and q.start >= prev.end:
                groups[-1].append(i)
                continue
        groups.append([i])
    remark_of: list[list[int]] = [[] for _ in quotes]
    for group in groups:
        for i in group:
            remark_of[i] = group
    return remark_of


def remark_text(quotes: Sequence[QuoteSpan], remark: Sequence[int]) -> str:
    """The remark's quotes joined in reading order."""
    return " ".join(quotes[i].text.strip() for i in remark)


def mix(p_quote: np.ndarray, p_remark: np.ndarray, weight: float = REMARK_WEIGHT) -> np.ndarray:
    """(1 - weight) x the quote's probabilities + weight x its remark's."""
    return (1.0 - weight) * np.asarray(p_quote, dtype=float) + weight * np.asarray(p_remark, dtype=float)


def score_in_context(
    scorer: StanceScorer,
    articles: Sequence[tuple[str, str, Sequence[QuoteSpan]]],
    weight: float = REMARK_WEIGHT,
) -> list[list[StanceScore]]:
    """Scores for every quote of every (article text, issue, quotes), in one call to the scorer.

    A quote alone in its remark keeps its own score; the others get `mix` of their own and the
    remark's, labelled by the larger mixed probability.
    """
    texts: list[str] = []
    issues: list[str] = []
    plan: list[list[tuple[int, int | None]]] = []  # per quote: (own row, remark row or None)
    for article_text, issue, quotes in articles:
        rows = []
        remark_rows: dict[tuple[int, ...], int] = {}
        remarks = utterances(article_text, quotes)
        for q, remark in zip(quotes, remarks):
            texts.append(q.text)
            issues.append(issue)
            own = len(texts) - 1
            key = tuple(remark)
            if weight and len(remark) > 1 and key not in remark_rows:
                texts.append(remark_text(quotes, remark))
                issues.append(issue)
                remark_rows[key] = len(texts) - 1
            rows.append((own, remark_rows.get(key)))
        plan.append(rows)
    scores = scorer.score(texts, issues) if texts else []
    out = []
    for rows in plan:
        article_scores = []
        for own, remark in rows:
            s = scores[own]
            if remark is not None:
                r = scores[remark]
                p = mix([s.p_supportive, s.p_opposed, s.p_neutral],
                        [r.p_supportive, r.p_opposed, r.p_neutral], weight)
                s = StanceScore(STANCES[int(np.argmax(p))], float(p[0]), float(p[1]), float(p[2]),
                                s.model_version)
            article_scores.append(s)
        out.append(article_scores)
    return out
