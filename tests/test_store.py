"""Store: schema version and upgrades, idempotent saves, atomic writes, the corrections view."""

from __future__ import annotations

import duckdb
import pytest

from analysis.errors import StoreError
from analysis.records import Article, Quote
from analysis.store import SCHEMA_VERSION, connect, save_article, store_stats, update_stances
from analysis.store import connection


def make_article(text: str = "Headline\n\n“We back it,” Sen. Ray said.") -> Article:
    return Article(doc_id="a", text=text, title="Headline", outlet="Ledger", issue="Mines")


def make_quote(article: Article, start: int = 11, end: int = 21, stance: str = "supportive") -> Quote:
    return Quote(
        doc_id=article.doc_id, quote=article.text[start:end], pieces=((start, end),), kind="direct",
        cue="said", speaker="Ray", speaker_mention="Sen. Ray", actor_type="congressional",
        anonymous=False, stance=stance, p_supportive=0.7, p_opposed=0.2, p_neutral=0.1,
        model_version="m1", article_id=article.article_id,
    )


def rows(con, sql, params=()):
    return con.execute(sql, list(params)).fetchall()


def test_new_database_records_the_schema_version(tmp_path):
    con = connect(tmp_path / "s.duckdb")
    assert rows(con, "SELECT value FROM meta WHERE key = 'schema_version'") == [(str(SCHEMA_VERSION),)]


def test_same_text_is_stored_once():
    con = connect(":memory:")
    article = make_article()
    first = save_article(con, article, [make_quote(article)])
    second = save_article(con, article, [make_quote(article)])
    assert (first.inserted, second.inserted) == (True, False)
    assert rows(con, "SELECT count(*) FROM articles") == [(1,)]
    assert rows(con, "SELECT count(*) FROM quotes") == [(1,)]


def test_failed_save_leaves_no_half_article(monkeypatch):
    con = connect(":memory:")
    article = make_article()
    bad = make_quote(article)
    object.__setattr__(bad, "kind", None)  # violates NOT NULL after the article row is written
    with pytest.raises(duckdb.Error):
        save_article(con, article, [bad])
    assert rows(con, "SELECT count(*) FROM articles") == [(0,)]
    assert rows(con, "SELECT count(*) FROM quotes") == [(0,)]


def test_latest_correction_wins_and_not_a_quote_hides_it():
    con = connect(":memory:")
    article = make_article()
    quote = make_quote(article)
    save_article(con, article, [quote])
    add = "INSERT INTO annotations (quote_id, field, value, created_at) VALUES (?, ?, ?, ?)"
    con.execute(add, [quote.quote_id, "stance", "opposed", "2025-01-01 10:00:00"])
    con.execute(add, [quote.quote_id, "stance", "neutral", "2025-01-01 11:00:00"])
    got = rows(con, "SELECT stance, predicted_stance, corrected, confidence FROM quote_facts")
    assert got == [("neutral", "supportive", True, 1.0)]
    con.execute(add, [quote.quote_id, "not_quote", "true", "2025-01-01 12:00:00"])
    assert rows(con, "SELECT count(*) FROM quote_facts") == [(0,)]


def test_rescoring_replaces_predictions_not_corrections():
    con = connect(":memory:")
    article = make_article()
    quote = make_quote(article)
    save_article(con, article, [quote])
    con.execute(
        "INSERT INTO annotations (quote_id, field, value) VALUES (?, 'actor_type', 'expert')",
        [quote.quote_id],
    )
    assert update_stances(con, [(quote.quote_id, "opposed", 0.1, 0.8, 0.1, "m2")]) == 1
    got = rows(con, "SELECT stance, model_version, actor_type FROM quote_facts")
    assert got == [("opposed", "m2", "expert")]


def test_stats_count_what_is_stored():
    con = connect(":memory:")
    article = make_article()
    save_article(con, article, [make_quote(article)])
    stats = store_stats(con)
    assert stats["articles"] == 1 and stats["quotes"] == 1
    assert stats["by_actor_type"] == {"congressional": 1}


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "s.duckdb"
    con = connect(path)
    con.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(StoreError, match="newer than this program"):
        connect(path)


def test_older_schema_is_upgraded_in_place(tmp_path, monkeypatch):
    path = tmp_path / "s.duckdb"
    connect(path).close()
    calls = []
    monkeypatch.setattr(connection, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setitem(connection.MIGRATIONS, SCHEMA_VERSION, lambda con: calls.append(con))
    con = connection.connect(path)
    assert len(calls) == 1
    assert rows(con, "SELECT value FROM meta WHERE key = 'schema_version'") == [(str(SCHEMA_VERSION + 1),)]


def test_read_only_open_of_missing_file_says_what_to_do(tmp_path):
    with pytest.raises(StoreError, match="no store there; check --db"):
        connect(tmp_path / "none.duckdb", read_only=True)


def test_a_store_that_must_exist_is_not_created(tmp_path):
    missing = tmp_path / "no" / "such" / "dir" / "x.duckdb"
    with pytest.raises(StoreError, match="no store there"):
        connect(missing, create=False)
    assert not (tmp_path / "no").exists()


def test_read_only_connection_cannot_write(tmp_path):
    path = tmp_path / "s.duckdb"
    connect(path).close()
    con = connect(path, read_only=True)
    with pytest.raises(duckdb.Error):
        con.execute("DELETE FROM articles")


def test_a_version_1_file_is_upgraded_and_keeps_its_rows(tmp_path):
    path = tmp_path / "v1.duckdb"
    old = duckdb.connect(str(path))
    old.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    old.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    old.execute("CREATE TABLE quotes (id VARCHAR PRIMARY KEY, article_id VARCHAR NOT NULL, start_char INTEGER NOT NULL, end_char INTEGER NOT NULL, pieces VARCHAR NOT NULL, text VARCHAR NOT NULL, kind VARCHAR NOT NULL, cue VARCHAR, speaker VARCHAR, speaker_mention VARCHAR, actor_type VARCHAR NOT NULL, anonymous BOOLEAN NOT NULL, stance VARCHAR, p_supportive DOUBLE, p_opposed DOUBLE, p_neutral DOUBLE, model_version VARCHAR)")
    old.execute("CREATE SEQUENCE annotation_ids")
    old.execute("CREATE TABLE annotations (id BIGINT PRIMARY KEY DEFAULT nextval('annotation_ids'), quote_id VARCHAR NOT NULL, field VARCHAR NOT NULL, value VARCHAR, note VARCHAR, author VARCHAR, created_at TIMESTAMP NOT NULL DEFAULT current_timestamp)")
    old.execute("INSERT INTO quotes VALUES ('q1', 'a1', 0, 4, '[[0, 4]]', 'word', 'direct', 'said', 'X', 'X', 'other', false, NULL, NULL, NULL, NULL, NULL)")
    old.execute("INSERT INTO annotations (quote_id, field, value) VALUES ('q1', 'stance', 'opposed')")
    old.close()
    con = connect(path)
    assert rows(con, "SELECT value FROM meta WHERE key = 'schema_version'") == [(str(SCHEMA_VERSION),)]
    assert rows(con, "SELECT id, speaker_context FROM quotes") == [("q1", None)]
    assert rows(con, "SELECT count(*) FROM annotations WHERE undoes IS NULL") == [(1,)]
    assert rows(con, "SELECT count(*) FROM speaker_rules") == [(0,)]


def test_a_store_held_by_another_program_says_so(tmp_path):
    import subprocess
    import sys

    db = tmp_path / "held.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); "
         "print('open', flush=True); time.sleep(60)", str(db)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreError, match="open in another program"):
            connect(db)
    finally:
        holder.kill()
        holder.wait()


def test_a_store_remembers_the_oldest_extractor_version_it_holds():
    from analysis.store import connect, extractor_version, record_extractor

    con = connect(":memory:")
    assert extractor_version(con) is None
    record_extractor(con, "2026-11-25", whole_store=False)
    assert extractor_version(con) is None  # unknown stays unknown: older articles may be there
    record_extractor(con, "2026-11-25", whole_store=True)  # a new store, or reextract
    record_extractor(con, "2026-12-01", whole_store=False)  # newer articles added
    assert extractor_version(con) == "2026-11-25"
    record_extractor(con, "2026-10-01", whole_store=False)
    assert extractor_version(con) == "2026-10-01"
    record_extractor(con, "2026-12-01", whole_store=True)
    assert extractor_version(con) == "2026-12-01"
    # later bumps of one day: ".10" is newer than ".9", though it sorts before it as text
    record_extractor(con, "2026-12-01.9", whole_store=True)
    record_extractor(con, "2026-12-01.10", whole_store=False)
    assert extractor_version(con) == "2026-12-01.9"
    record_extractor(con, "2026-12-01.9.2", whole_store=False)
    assert extractor_version(con) == "2026-12-01.9"
    record_extractor(con, "2026-12-01", whole_store=False)
    assert extractor_version(con) == "2026-12-01"
