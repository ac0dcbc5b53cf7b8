"""Tone: how positive and how negative a quote's own words are, whatever the issue.

In: (text, issue) rows. Out: three dense features per row from VADER (Hutto and Gilbert 2014,
the `vaderSentiment` package: a hand-rated lexicon of about 7,500 words with rules for negation,
intensifiers and "but"): the positive share, the negative share and the compound score of the
quote, with the issue's own words left out ("ban" and "mines" in a quote about lifting the ban
on mines say what the quote is about, not how the speaker feels about it).

The stance-bearing-vs-neutral stage reads these: a neutral quote reports, a stance-bearing one
praises, warns or condemns ("We're here to win." carries no word of the issue but a positive
tone). They are not a polarity cue: which side a positive tone takes depends on what it praises.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from analysis.stance.features import DenseCues, content_words, stem, words

FEATURES = ("tone_positive", "tone_negative", "tone_compound")


@lru_cache(maxsize=1)
def _analyzer() -> Any:
    # Reads the lexicon file shipped inside the package (no download); done once per process.
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def without_issue_words(text: str, issue: str) -> str:
    """The quote's whitespace tokens minus those whose word shares a stem with an issue word."""
    issue_stems = {stem(w) for w in content_words(issue)}
    kept = []
    for token in text.split():
        found = words(token)
        if not (found and stem(found[0]) in issue_stems):
            kept.append(token)
    return " ".join(kept)


def tone(text: str, issue: str) -> tuple[float, float, float]:
    """(positive, negative, compound) VADER scores of the quote without the issue's words."""
    scores = _analyzer().polarity_scores(without_issue_words(text, issue))
    return scores["pos"], scores["neg"], scores["compound"]


class Valence(DenseCues):
    """`tone` of every (text, issue) row as three dense columns."""

    FEATURES = FEATURES

    def cues(self, text: str, issue: str) -> tuple[float, float, float]:
        return tone(text, issue)
