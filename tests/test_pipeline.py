"""Running the stages over many articles (analysis/pipeline.py).

All example articles are written for these tests.
"""

from __future__ import annotations

import threading

import pytest

from analysis.nlp import load_nlp
from analysis.pipeline import extract_quotes
from analysis.records import Article, StanceScore


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


class CountingScorer:
    """Labels each quote by its position; records which thread scored each batch."""

    def __init__(self) -> None:
        self.calls: list[int] = []
        self.threads: set[str] = set()

    def score(self, texts: list[str], issues: list[str]) -> list[StanceScore]:
        self.calls.append(len(texts))
        self.threads.add(threading.current_thread().name)
        return [StanceScore("neutral", 0.1, 0.2, 0.7, f"v:{t}") for t in texts]


def _article(i: int) -> Article:
    text = f'"Harbour {i} opens on Monday," the mayor said. Ms Lund said the ferry {i} was late.'
    return Article(doc_id=f"d{i}", text=text, issue="Opening the harbour")


@pytest.mark.parametrize("batch_size, score_every, calls", [(3, 8, 3), (4, 2, 4), (32, 1, 7)])
def test_order_is_kept_and_every_quote_is_scored_across_batches(nlp, batch_size, score_every,
                                                                calls) -> None:
    articles = [_article(i) for i in range(7)]
    scorer = CountingScorer()
    out = list(extract_quotes(articles, nlp, scorer=scorer, batch_size=batch_size,
                              score_every=score_every))
    assert [a.doc_id for a, _ in out] == [f"d{i}" for i in range(7)]
    for i, (_, quotes) in enumerate(out):
        assert quotes, f"article d{i} lost its quotes"
        for q in quotes:
            assert q.model_version == f"v:{q.quote}"  # each quote got its own score back
    assert sum(scorer.calls) == sum(len(q) for _, q in out)
    assert len(scorer.calls) == calls  # groups of min(batch_size, score_every), then the rest
    assert any(name.startswith("stance") for name in scorer.threads)


def test_a_scoring_error_reaches_the_caller(nlp) -> None:
    class Broken:
        def score(self, texts: list[str], issues: list[str]) -> list[StanceScore]:
            raise RuntimeError("model file is corrupt")

    with pytest.raises(RuntimeError, match="corrupt"):
        list(extract_quotes([_article(i) for i in range(4)], nlp, scorer=Broken(), batch_size=2))


def test_without_a_scorer_stance_stays_empty(nlp) -> None:
    out = list(extract_quotes([_article(1)], nlp))
    assert out[0][1] and all(q.stance is None for q in out[0][1])


def test_a_role_named_in_a_later_article_types_the_speakers_earlier_quotes(nlp, tmp_path) -> None:
    from analysis.actors import compile_phrases
    from analysis.pipeline import ingest_paths
    from analysis.store import connect

    first = tmp_path / "first.txt"
    first.write_text('Allies briefed\n\n"Our partners were told in advance," said Jonah Reyes, a spokesperson.',
                     encoding="utf-8")
    second = tmp_path / "second.txt"
    second.write_text('Mines policy\n\n"The decision is final," State Department spokesperson Jonah Reyes said.',
                      encoding="utf-8")
    con = connect(":memory:")
    no_gazetteer = compile_phrases([])
    ingest_paths(con, [first], nlp, gazetteer=no_gazetteer)
    assert con.execute("SELECT actor_type FROM quotes").fetchall() == [("other",)]
    summary = ingest_paths(con, [second], nlp, gazetteer=no_gazetteer)
    assert summary.quotes_retyped == 1
    assert con.execute("SELECT DISTINCT actor_type FROM quotes").fetchall() == [("executive",)]


def test_reextract_brings_stored_quotes_up_to_date_and_keeps_corrections(nlp, tmp_path) -> None:
    from analysis.actors import compile_phrases
    from analysis.pipeline import ingest_paths, reextract_stored
    from analysis.records import EXTRACTOR_VERSION
    from analysis.store import connect, extractor_version
    from analysis.store.annotations import correct_quote, corrected_quotes_not_stored

    path = tmp_path / "a.txt"
    path.write_text('Harbour opens\n\n"The harbour opens on Monday," said Mayor Ilse Lund.\n'
                    '"We will not wait," Lund said.\n', encoding="utf-8")
    con = connect(":memory:")
    no_gazetteer = compile_phrases([])
    ingest_paths(con, [path], nlp, gazetteer=no_gazetteer)
    assert extractor_version(con) == EXTRACTOR_VERSION  # a new store is at this version
    (first, second) = [r[0] for r in con.execute("SELECT id FROM quotes ORDER BY start_char").fetchall()]
    con.execute("UPDATE meta SET value = '2020-01-01' WHERE key = 'extractor_version'")
    # what an older version might have stored: another spelling, and a quote it no longer finds
    con.execute("UPDATE quotes SET speaker = 'Mayor Lund' WHERE id = ?", [second])
    con.execute("INSERT INTO speakers VALUES ('Mayor Lund', 'executive', false, NULL)")
    con.execute("INSERT INTO quotes SELECT 'gone0000gone0000', article_id, 0, 7, '[[0, 7]]', "
                "'Harbour', kind, cue, speaker, speaker_mention, actor_type, anonymous, stance, "
                "p_supportive, p_opposed, p_neutral, model_version, speaker_context FROM quotes WHERE id = ?",
                [first])
    correct_quote(con, second, "stance", "opposed")
    correct_quote(con, "gone0000gone0000", "stance", "neutral")

    summary = reextract_stored(con, nlp, gazetteer=no_gazetteer)

    assert (summary.articles_added, summary.quotes_added) == (1, 2)
    assert con.execute("SELECT id, speaker FROM quotes ORDER BY start_char").fetchall() == [
        (first, "Ilse Lund"), (second, "Ilse Lund")]
    assert con.execute("SELECT stance, corrected FROM quote_facts WHERE quote_id = ?",
                       [second]).fetchall() == [("opposed", True)]
    assert corrected_quotes_not_stored(con) == {"gone0000gone0000"}  # kept, waiting for its quote
    assert con.execute("SELECT count(*) FROM annotations").fetchall() == [(2,)]
    assert con.execute("SELECT name FROM speakers").fetchall() == [("Ilse Lund",)]
    assert extractor_version(con) == EXTRACTOR_VERSION
