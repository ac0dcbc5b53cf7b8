"""Running the stages over many articles.

In: `Article` records (or paths to ingest), a loaded spaCy pipeline, a gazetteer and (optionally)
a stance scorer. Out: for each article, its `Quote` records (the extraction contract), in input
order; `ingest_paths` also stores them and returns a summary, and `reextract_stored` does the
same for the articles a store already holds, from their stored text.
Texts go through `nlp.pipe` in batches; models are passed in, never loaded here.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
from spacy.language import Language
from spacy.tokens import Doc

from analysis.actors import (
    Gazetteer,
    SpeakerMention,
    actor_type,
    compile_phrases,
    named_actor_type,
    types_across_articles,
)
from analysis.errors import IngestError
from analysis.ingest import ArticleMeta, read_paths
from analysis.quotes import find_attributions
from analysis.records import EXTRACTOR_VERSION, Article, Quote, StanceScore
from analysis.review import retype_stored_quotes
from analysis.stance.context import QuoteSpan, StanceScorer, score_in_context
from analysis.store import (
    article_exists, has_articles, prune_speakers, record_extractor, record_model, save_article,
    stored_articles,
)
from analysis.store.annotations import merged_speakers
from analysis.store.review import speakers_in

DEFAULT_ISSUE = "Lifting the US ban on anti-personnel landmines"


def extract_quotes(
    articles: Iterable[Article],
    nlp: Language,
    *,
    gazetteer: Gazetteer | None = None,
    scorer: StanceScorer | None = None,
    default_issue: str = DEFAULT_ISSUE,
    batch_size: int = 32,
    score_every: int = 8,
    speaker_merges: Mapping[str, str] | None = None,
) -> Iterator[tuple[Article, list[Quote]]]:
    """Yield (article, quotes) for every article, in input order; stance stays None without a scorer.

    `speaker_merges` ({name: merged into}, the store's merge rules) only decides which quotes
    form one remark for scoring; the quotes keep the speaker the extractor found.

    spaCy parses `batch_size` texts at a time. Each group of `score_every` parsed articles is
    queued for stance scoring on a second thread (the model's cost is partly per call), and
    parsing goes on meanwhile: the sentence-embedding model releases the GIL, so on two cores
    most of its time hides behind parsing. Scored groups are yielded as soon as they are done,
    in order; at most two spaCy batches' worth wait in the queue.
    """
    score_every = max(1, min(score_every, batch_size))
    max_queued = max(2, 2 * batch_size // score_every)
    pending: list[tuple[Article, list[Quote]]] = []
    pairs = ((a.text, a) for a in articles)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="stance") as pool:
        queue: deque[Future[list[tuple[Article, list[Quote]]]]] = deque()
        for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
            pending.append((article, quotes_of(doc, article, gazetteer)))
            if len(pending) >= score_every:
                queue.append(pool.submit(score_batch, pending, scorer, default_issue, speaker_merges))
                pending = []
            while queue and (queue[0].done() or len(queue) > max_queued):
                yield from queue.popleft().result()
        if pending:
            queue.append(pool.submit(score_batch, pending, scorer, default_issue, speaker_merges))
        while queue:
            yield from queue.popleft().result()


def quotes_of(doc: Doc, article: Article, gazetteer: Gazetteer | None) -> list[Quote]:
    """The contract records of one parsed article, actor-typed, not yet scored."""
    return [
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
            speaker_context=att.speaker_context,
        )
        for att in find_attributions(doc)
    ]


def typed_across_articles(quotes: Sequence[Quote], gazetteer: Gazetteer | None) -> list[Quote]:
    """The quotes with actor types read across all their articles, as the store keeps them
    (`actors.types_across_articles`): a speaker whose article names no role takes the type
    their other articles give them."""
    mentions = [
        SpeakerMention(q.speaker, q.article_id or q.doc_id, q.anonymous,
                       named_actor_type(q.speaker, q.speaker_mention, q.speaker_context, gazetteer))
        for q in quotes
    ]
    return [replace(q, actor_type=t) for q, t in zip(quotes, types_across_articles(mentions))]


def score_batch(
    batch: list[tuple[Article, list[Quote]]],
    scorer: StanceScorer | None,
    default_issue: str,
    speaker_merges: Mapping[str, str] | None = None,
) -> list[tuple[Article, list[Quote]]]:
    """The batch with every quote's stance filled in by one call to the scorer.

    Each quote is scored with the rest of its speaker's remark (`analysis.stance.context`); a
    speaker merged into another (`speaker_merges`) counts as that other, as the pages show it.
    """
    if scorer is None:
        return batch
    merges = speaker_merges or {}
    articles = [
        (a.text, a.issue or default_issue,
         [QuoteSpan(q.start, q.end, merges.get(q.speaker or "", q.speaker), q.quote) for q in quotes])
        for a, quotes in batch
    ]
    scores = score_in_context(scorer, articles)
    return [
        (a, [with_stance(q, s) for q, s in zip(quotes, article_scores)])
        for (a, quotes), article_scores in zip(batch, scores)
    ]


def with_stance(quote: Quote, score: StanceScore) -> Quote:
    """The quote with the model's stance and probabilities filled in."""
    return replace(
        quote,
        stance=score.stance,
        p_supportive=score.p_supportive,
        p_opposed=score.p_opposed,
        p_neutral=score.p_neutral,
        model_version=score.model_version,
    )


@dataclass
class IngestSummary:
    """What one ingest run did, for the CLI and the upload page to report."""

    files: int = 0
    articles_added: int = 0
    duplicates: int = 0
    quotes_added: int = 0
    # stored quotes (old or new) whose actor type changed once the new articles were seen
    quotes_retyped: int = 0
    errors: list[IngestError] = field(default_factory=list)
    per_file: dict[str, dict[str, int]] = field(default_factory=dict)
    # a rebuilt demo store: corrections copied over from the store it replaced
    corrections_carried: int = 0


Progress = Callable[[int, int, str], None]


def ingest_paths(
    con: duckdb.DuckDBPyConnection,
    paths: Sequence[Path],
    nlp: Language,
    *,
    defaults: ArticleMeta | None = None,
    gazetteer: Gazetteer | None = None,
    scorer: StanceScorer | None = None,
    replace: bool = False,
    progress: Progress | None = None,
    file_progress: Progress | None = None,
) -> IngestSummary:
    """Read, extract and store every article under `paths`; each article is its own transaction.

    Bad files are reported in the summary and skipped; files already stored are counted as
    duplicates and not extracted again (unless `replace`). `progress(done, total, title)` is
    called after each article, `file_progress(done, total, file)` after each article of a file.
    """
    summary = IngestSummary()
    pending: list[tuple[str, Article]] = []
    seen: set[str] = set()
    for path, result in read_paths(paths, defaults):
        summary.files += 1
        stats = summary.per_file.setdefault(str(path), {"articles": 0, "duplicates": 0, "quotes": 0})
        summary.errors.extend(result.errors)
        for article in result.articles:
            if article.sha256 in seen or (not replace and article_exists(con, article.sha256)):
                summary.duplicates += 1
                stats["duplicates"] += 1
                continue
            seen.add(article.sha256)
            pending.append((str(path), article))
    return _store(con, pending, summary, nlp, gazetteer=gazetteer, scorer=scorer, replace=replace,
                  progress=progress, file_progress=file_progress, whole_store=not has_articles(con))


def reextract_stored(
    con: duckdb.DuckDBPyConnection,
    nlp: Language,
    *,
    gazetteer: Gazetteer | None = None,
    scorer: StanceScorer | None = None,
    progress: Progress | None = None,
) -> IngestSummary:
    """Extract every stored article again from its stored text, with the code as it is now.

    A store keeps the quotes and speakers of the version that ingested each article; this
    brings them up to date in place, one article per transaction. Corrections stay: they are
    keyed by quote id, a hash of the article and the span, so a correction follows its quote
    whenever the new extraction finds the same span again.
    """
    pending = [(article.source or "stored", article) for article in stored_articles(con)]
    summary = _store(con, pending, IngestSummary(), nlp, gazetteer=gazetteer, scorer=scorer,
                     replace=True, progress=progress, whole_store=True)
    prune_speakers(con)  # names the old extraction gave that no quote carries now
    return summary


def _store(
    con: duckdb.DuckDBPyConnection,
    pending: list[tuple[str, Article]],
    summary: IngestSummary,
    nlp: Language,
    *,
    gazetteer: Gazetteer | None,
    scorer: StanceScorer | None,
    replace: bool,
    progress: Progress | None = None,
    file_progress: Progress | None = None,
    whole_store: bool = False,
) -> IngestSummary:
    """Extract, score and save (path, article) pairs; counts go into `summary`. `whole_store`:
    these are all the store's articles, so it is now at `EXTRACTOR_VERSION`."""
    if scorer is not None:
        remember_model(con, scorer)
    total = len(pending)
    by_id = {a.article_id: p for p, a in pending}
    file_totals = Counter(p for p, _ in pending)
    file_done: Counter[str] = Counter()
    done = 0
    added: list[str] = []
    # batches of 8: progress moves often enough for a person watching, scoring stays batched
    for article, quotes in extract_quotes(
        (a for _, a in pending), nlp, gazetteer=gazetteer, scorer=scorer, batch_size=8,
        speaker_merges=merged_speakers(con) if scorer is not None else None,
    ):
        saved = save_article(con, article, quotes, replace=replace)
        done += 1
        stats = summary.per_file.setdefault(
            by_id[article.article_id], {"articles": 0, "duplicates": 0, "quotes": 0})
        if saved.inserted:
            added.append(article.article_id)
            summary.articles_added += 1
            summary.quotes_added += saved.quotes
            stats["articles"] += 1
            stats["quotes"] += saved.quotes
        path = by_id[article.article_id]
        file_done[path] += 1
        if progress:
            progress(done, total, article.title or article.doc_id)
        if file_progress:
            file_progress(file_done[path], file_totals[path], path)
    if added:
        record_extractor(con, EXTRACTOR_VERSION, whole_store=whole_store)
        # a person's role named in a new article also types their quotes in older ones
        summary.quotes_retyped = retype_stored_quotes(
            con, gazetteer if gazetteer is not None else compile_phrases([]),
            speakers=speakers_in(con, article_ids=added))
    return summary


def remember_model(con: duckdb.DuckDBPyConnection, scorer: StanceScorer) -> None:
    """Mirror the scorer's model card in the `models` table, so the store says what scored it."""
    card = getattr(scorer, "card", None)
    if card is not None:
        record_model(con, card.version, card.trained_at, card.training_size,
                     {"metrics": card.metrics, "params": card.params, "label_counts": card.label_counts})
