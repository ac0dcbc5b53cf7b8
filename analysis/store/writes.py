"""Writing to the store: articles with their quotes, re-scored stances, model records.

In: `Article` and `Quote` records. Out: rows in DuckDB, each article written in one transaction
so a failure leaves no half article behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
import json

import duckdb

from analysis.records import Article, Quote, version_order
from analysis.store.locking import write_transaction


@dataclass(frozen=True)
class SaveResult:
    article_id: str
    inserted: bool  # False when the same text was already stored
    quotes: int


def article_exists(con: duckdb.DuckDBPyConnection, sha256: str) -> bool:
    """Whether an article with this exact text is stored."""
    return bool(con.execute("SELECT count(*) FROM articles WHERE sha256 = ?", [sha256]).fetchall()[0][0])


def _quote_row(article_id: str, q: Quote) -> tuple:
    return (
        q.quote_id,
        article_id,
        q.start,
        q.end,
        json.dumps([list(p) for p in q.pieces]),
        q.quote,
        q.kind,
        q.cue,
        q.speaker,
        q.speaker_mention,
        q.actor_type,
        q.anonymous,
        q.stance,
        q.p_supportive,
        q.p_opposed,
        q.p_neutral,
        q.model_version,
        q.speaker_context,
    )


QUOTE_COLUMNS = (
    "id, article_id, start_char, end_char, pieces, text, kind, cue, speaker, speaker_mention,"
    " actor_type, anonymous, stance, p_supportive, p_opposed, p_neutral, model_version, speaker_context"
)
QUOTE_INSERT = f"INSERT OR REPLACE INTO quotes ({QUOTE_COLUMNS}) VALUES "


def insert_rows(cur: duckdb.DuckDBPyConnection, insert: str, rows: Sequence[tuple], chunk: int = 500) -> None:
    """Run `insert` ("INSERT ... VALUES ") for many rows as multi-row VALUES with bound parameters.

    DuckDB's executemany runs one statement per row (about 2.5 ms each); one statement per chunk
    is what keeps storage from dominating ingest time.
    """
    for i in range(0, len(rows), chunk):
        part = rows[i : i + chunk]
        row = "(" + ", ".join(["?"] * len(part[0])) + ")"
        cur.execute(insert + ", ".join([row] * len(part)), [v for r in part for v in r])


def has_articles(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether any article is stored."""
    return bool(con.cursor().execute("SELECT count(*) FROM (SELECT 1 FROM articles LIMIT 1)").fetchall()[0][0])


def extractor_version(con: duckdb.DuckDBPyConnection) -> str | None:
    """The oldest extractor version whose quotes the store holds; None for a store written
    before versions were recorded (or an empty one)."""
    rows = con.cursor().execute("SELECT value FROM meta WHERE key = 'extractor_version'").fetchall()
    return rows[0][0] if rows else None


def record_extractor(con: duckdb.DuckDBPyConnection, version: str, *, whole_store: bool) -> None:
    """Note that `version` extracted what was just stored. It becomes the store's version when
    it extracted everything there (`whole_store`: a new store, or `reextract`); otherwise the
    store keeps the older of the two, and a store of unknown version stays unknown."""
    current = extractor_version(con)
    with write_transaction(con) as cur:
        if whole_store or (current is not None and version_order(version) < version_order(current)):
            cur.execute("INSERT OR REPLACE INTO meta VALUES ('extractor_version', ?)", [version])


def stored_articles(con: duckdb.DuckDBPyConnection) -> list[Article]:
    """Every stored article as it was ingested (text and metadata), oldest first."""
    rows = con.cursor().execute(
        "SELECT doc_id, text, title, outlet, published, url, issue, source FROM articles"
        " ORDER BY ingested_at, id").fetchall()
    return [Article(doc_id=doc_id or "stored", text=text, title=title, outlet=outlet,
                    published=published, url=url, issue=issue, source=source)
            for doc_id, text, title, outlet, published, url, issue, source in rows]


def save_article(
    con: duckdb.DuckDBPyConnection, article: Article, quotes: Sequence[Quote], *, replace: bool = False
) -> SaveResult:
    """Store one article and its quotes atomically; the same text is stored once.

    Args:
        replace: re-extract an article already stored (its quotes are replaced; annotations,
            keyed by stable quote ids, stay).
    """
    aid = article.article_id
    if article_exists(con, article.sha256) and not replace:
        return SaveResult(aid, False, 0)
    with write_transaction(con) as cur:
        cur.execute("DELETE FROM quotes WHERE article_id = ?", [aid])
        cur.execute("DELETE FROM articles WHERE id = ?", [aid])
        cur.execute(
            "INSERT INTO articles (id, sha256, doc_id, title, outlet, published, url, issue, text, source)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [aid, article.sha256, article.doc_id, article.title, article.outlet, article.published,
             article.url, article.issue, article.text, article.source],
        )
        if quotes:
            insert_rows(cur, QUOTE_INSERT, [_quote_row(aid, q) for q in quotes])
            speakers = {
                q.speaker: (q.speaker, q.actor_type, q.anonymous, None) for q in quotes if q.speaker
            }
            insert_rows(cur, "INSERT OR REPLACE INTO speakers VALUES ", list(speakers.values()))
    return SaveResult(aid, True, len(quotes))


def prune_speakers(con: duckdb.DuckDBPyConnection) -> int:
    """Drop speaker rows no stored quote names any more (after re-extraction); returns how many."""
    with write_transaction(con) as cur:
        deleted = cur.execute("DELETE FROM speakers WHERE name NOT IN "
                              "(SELECT speaker FROM quotes WHERE speaker IS NOT NULL)").fetchall()
    return int(deleted[0][0])


def update_stances(
    con: duckdb.DuckDBPyConnection, rows: Iterable[tuple[str, str, float, float, float, str]]
) -> int:
    """Replace model predictions: rows of (quote id, stance, p_sup, p_opp, p_neu, model version).

    Corrections live in `annotations` and are untouched.
    """
    rows = list(rows)
    if not rows:
        return 0
    with write_transaction(con) as cur:
        cur.execute(
            "CREATE OR REPLACE TEMP TABLE new_stances (id VARCHAR, stance VARCHAR, ps DOUBLE,"
            " po DOUBLE, pn DOUBLE, mv VARCHAR)"
        )
        insert_rows(cur, "INSERT INTO new_stances VALUES ", rows)
        cur.execute(
            "UPDATE quotes SET stance = n.stance, p_supportive = n.ps, p_opposed = n.po,"
            " p_neutral = n.pn, model_version = n.mv FROM new_stances n WHERE quotes.id = n.id"
        )
        cur.execute("DROP TABLE new_stances")
    return len(rows)


def record_model(
    con: duckdb.DuckDBPyConnection, version: str, trained_at: str, training_size: int, metrics: dict
) -> None:
    """Mirror a model's card in the `models` table."""
    con.execute(
        "INSERT OR REPLACE INTO models VALUES (?, ?, ?, ?)",
        [version, trained_at, training_size, json.dumps(metrics)],
    )


def store_stats(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """Counts for `python -m analysis stats`: articles, quotes, by actor type, by stance."""
    cur = con.cursor()
    out: dict[str, object] = {}
    for table in ("articles", "quotes", "speakers", "annotations", "speaker_rules", "models"):
        # table names come from the fixed tuple above, never from input
        out[table] = cur.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    out["outlets"] = cur.execute(
        "SELECT count(DISTINCT outlet) FROM articles WHERE outlet IS NOT NULL"
    ).fetchall()[0][0]
    out["date_range"] = [
        str(v) if v else None
        for v in cur.execute("SELECT min(published), max(published) FROM articles").fetchall()[0]
    ]
    out["by_actor_type"] = dict(
        cur.execute(
            "SELECT actor_type, count(*) FROM quote_facts GROUP BY 1 ORDER BY 2 DESC"
        ).fetchall()
    )
    out["by_stance"] = dict(
        cur.execute(
            "SELECT coalesce(stance, 'unscored'), count(*) FROM quote_facts GROUP BY 1 ORDER BY 2 DESC"
        ).fetchall()
    )
    out["by_kind"] = dict(cur.execute("SELECT kind, count(*) FROM quotes GROUP BY 1").fetchall())
    return out
