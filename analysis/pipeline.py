"""Running the stages over many articles.

In: `Article` records, a loaded spaCy pipeline, a gazetteer and (optionally) a stance scorer.
Out: for each article, its `Quote` records (the extraction contract), in input order.
Texts go through `nlp.pipe` in batches; models are passed in, never loaded here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

from spacy.language import Language

from analysis.actors import Gazetteer, actor_type
from analysis.quotes import find_attributions
from analysis.records import Article, Quote, StanceScore

DEFAULT_ISSUE = "Lifting the US ban on anti-personnel landmines"


class StanceScorer(Protocol):
    def score(self, texts: list[str], issues: list[str]) -> list[StanceScore]: ...


def extract_quotes(
    articles: Iterable[Article],
    nlp: Language,
    *,
    gazetteer: Gazetteer | None = None,
    scorer: StanceScorer | None = None,
    default_issue: str = DEFAULT_ISSUE,
    batch_size: int = 32,
) -> Iterator[tuple[Article, list[Quote]]]:
    """Yield (article, quotes) for every article; stance fields stay None without a scorer."""
    pairs = ((a.text, a) for a in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        found = []
        for att in find_attributions(doc):
            found.append(
                Quote(
                    doc_id=article.doc_id,
                    quote=att.text_in(article.text),
                    pieces=att.pieces,
                    kind=att.kind,
                    cue=att.cue,
                    speaker=att.speaker,
                    speaker_mention=att.speaker_mention,
                    actor_type=actor_type(att, gazetteer),
                    anonymous=att.anonymous,
                    article_id=article.article_id,
                )
            )
        if scorer is not None and found:
            issue = article.issue or default_issue
            scores = scorer.score([q.quote for q in found], [issue] * len(found))
            found = [with_stance(q, s) for q, s in zip(found, scores)]
        yield article, found


def with_stance(quote: Quote, score: StanceScore) -> Quote:
    """The quote with the model's stance and probabilities filled in."""
    from dataclasses import replace

    return replace(
        quote,
        stance=score.stance,
        p_supportive=score.p_supportive,
        p_opposed=score.p_opposed,
        p_neutral=score.p_neutral,
        model_version=score.model_version,
    )
