"""Corrections: they win over the model, undo walks back, speaker rules, export/import, two writers."""

from __future__ import annotations

import io
import threading

import pytest

from analysis.errors import StanceError
from analysis.records import Article, Quote
from analysis.store import connect, save_article
from analysis.store.annotations import (
    correct_quote,
    export_corrections,
    import_corrections,
    read_corrections,
    set_speaker_rule,
    undo_last,
)

TEXT = "Mines\n\n“Keep the ban,” Sen. Ray said. “Lift it,” said McCain. “Wait,” John McCain added."


def make_store():
    con = connect(":memory:")
    article = Article(doc_id="a", text=TEXT, title="Mines", outlet="Ledger", issue="Lifting the ban")
    spans = [(8, 20, "Ray", "congressional"), (39, 46, "McCain", "other"), (63, 67, "John McCain", "congressional")]
    quotes = [
        Quote("a", TEXT[s:e], ((s, e),), "direct", "said", spk, spk, actor, False, "neutral",
              0.2, 0.2, 0.6, "m1", article_id=article.article_id)
        for s, e, spk, actor in spans
    ]
    save_article(con, article, quotes)
    return con, [q.quote_id for q in quotes]


def facts(con, column):
    return [r[0] for r in con.execute(f"SELECT {column} FROM quote_facts ORDER BY start_char").fetchall()]


def test_correction_wins_over_the_model_and_undo_restores_it():
    con, ids = make_store()
    correct_quote(con, ids[0], "stance", "opposed", note="says keep the ban", author="ana")
    correct_quote(con, ids[0], "stance", "supportive", author="ana")
    assert facts(con, "stance")[0] == "supportive"
    undone = undo_last(con, author="ana")
    assert (undone.field, undone.value) == ("stance", "supportive")
    assert facts(con, "stance")[0] == "opposed"
    undo_last(con, author="ana")
    assert facts(con, "stance")[0] == "neutral"  # back to the model
    assert undo_last(con, author="ana") is None
    # nothing was overwritten: 2 corrections + 2 undo rows
    assert con.execute("SELECT count(*) FROM annotations").fetchall() == [(4,)]


def test_undo_only_takes_back_the_given_authors_work():
    con, ids = make_store()
    correct_quote(con, ids[0], "stance", "opposed", author="ana")
    correct_quote(con, ids[1], "stance", "supportive", author="ben")
    undo_last(con, author="ana")
    assert facts(con, "stance")[:2] == ["neutral", "supportive"]


def test_not_a_quote_removes_it_everywhere():
    con, ids = make_store()
    correct_quote(con, ids[2], "not_quote", "true")
    assert len(facts(con, "quote_id")) == 2


@pytest.mark.parametrize(
    "field, value, message",
    [("stance", "angry", "not a valid stance"), ("mood", "x", "cannot correct 'mood'"),
     ("actor_type", "soldier", "not a valid actor_type")],
)
def test_invalid_corrections_are_refused_with_a_message(field, value, message):
    con, ids = make_store()
    with pytest.raises(StanceError, match=message):
        correct_quote(con, ids[0], field, value)


def test_correcting_a_missing_quote_is_refused():
    con, _ = make_store()
    with pytest.raises(StanceError, match="no quote with id"):
        correct_quote(con, "nope", "stance", "opposed")


def test_merging_speakers_and_typing_a_speaker_apply_to_all_their_quotes():
    con, _ = make_store()
    set_speaker_rule(con, "McCain", "merge_into", "John McCain")
    set_speaker_rule(con, "John McCain", "actor_type", "executive")
    assert facts(con, "speaker") == ["Ray", "John McCain", "John McCain"]
    assert facts(con, "actor_type") == ["congressional", "executive", "executive"]
    with pytest.raises(StanceError, match="merged into itself"):
        set_speaker_rule(con, "John McCain", "merge_into", "McCain")


def test_quote_correction_wins_over_speaker_rule():
    con, ids = make_store()
    set_speaker_rule(con, "Ray", "actor_type", "military")
    correct_quote(con, ids[0], "actor_type", "expert")
    assert facts(con, "actor_type")[0] == "expert"


def test_export_import_round_trips_exactly():
    con, ids = make_store()
    correct_quote(con, ids[0], "stance", "opposed", note='a "quoted", note', author="ana")
    set_speaker_rule(con, "McCain", "merge_into", "John McCain", author="ben")
    undo_last(con, author="ana")
    first = io.StringIO()
    assert export_corrections(con, first) == 3

    other, _ = make_store()
    assert import_corrections(other, read_corrections(first.getvalue())) == 3
    assert import_corrections(other, read_corrections(first.getvalue())) == 0  # idempotent
    second = io.StringIO()
    export_corrections(other, second)
    assert second.getvalue() == first.getvalue()
    assert facts(other, "speaker") == facts(con, "speaker")
    assert facts(other, "stance") == facts(con, "stance")


def test_import_rejects_a_file_that_is_not_a_corrections_export():
    with pytest.raises(StanceError, match="missing columns"):
        read_corrections("a,b\n1,2\n")


def test_two_writers_at_once_lose_nothing(tmp_path):
    con = connect(tmp_path / "s.duckdb")
    article = Article(doc_id="a", text=TEXT, title="Mines")
    q = Quote("a", TEXT[8:20], ((8, 20),), "direct", "said", "Ray", "Ray", "other", False,
              article_id=article.article_id)
    save_article(con, article, [q])
    errors = []

    def writer(author: str) -> None:
        try:
            for i in range(50):
                correct_quote(con, q.quote_id, "stance", ("opposed", "supportive")[i % 2], author=author)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("ana", "ben")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert con.execute("SELECT author, count(*) FROM annotations GROUP BY 1 ORDER BY 1").fetchall() == [
        ("ana", 50), ("ben", 50)
    ]
