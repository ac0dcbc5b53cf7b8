"""Reads and writes behind the review page: the uncertainty queue, corrections as training rows,
and stored speaker descriptions for re-typing after a gazetteer edit.

In: a connection. Out: small DataFrames or row lists; every value bound.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd

from analysis.store.locking import write_transaction
from analysis.store.queries import Filters, where_clause
from analysis.store.writes import insert_rows

# How far around a quote to look for its sentence boundaries, in characters.
CONTEXT_CHARS = 400


def review_queue(
    con: duckdb.DuckDBPyConnection, f: Filters | None = None, *, limit: int = 20, offset: int = 0
) -> pd.DataFrame:
    """Quotes in the filter the model is least sure of (smallest margin between its top two
    stances), not yet corrected, with the text around them for showing the sentence."""
    where, params = where_clause(f or Filters())
    return con.cursor().execute(
        f"""
        SELECT f.quote_id, f.article_id, f.title, f.outlet, f.published, f.issue, f.quote,
               f.speaker, f.speaker_mention, f.actor_type, f.stance, f.cue,
               f.p_supportive, f.p_opposed, f.p_neutral, f.start_char, f.end_char, f.pieces,
               greatest(f.start_char - ?, 0) AS context_start,
               substring(a.text, greatest(f.start_char - ?, 0) + 1, f.end_char - f.start_char + 2 * ?)
                   AS context,
               list_sort([f.p_supportive, f.p_opposed, f.p_neutral], 'DESC') AS ranked
        FROM (SELECT * FROM quote_facts {where}) f JOIN articles a ON a.id = f.article_id
        WHERE NOT f.corrected AND f.p_supportive IS NOT NULL
        ORDER BY ranked[1] - ranked[2], f.quote_id
        LIMIT ? OFFSET ?
        """,
        [CONTEXT_CHARS, CONTEXT_CHARS, CONTEXT_CHARS, *params, limit, offset],
    ).df().drop(columns=["ranked"])


def stance_corrections(con: duckdb.DuckDBPyConnection, default_issue: str) -> list[tuple[str, str, str]]:
    """(quote text, corrected stance, issue) for every quote whose stance a person set."""
    rows = con.cursor().execute(
        """
        SELECT quote, stance, coalesce(issue, ?) FROM quote_facts
        WHERE quote_id IN (
            SELECT quote_id FROM (
                SELECT quote_id, value FROM annotations WHERE field = 'stance'
                QUALIFY row_number() OVER (PARTITION BY quote_id ORDER BY created_at DESC, id DESC) = 1
            ) WHERE value IS NOT NULL
        )
        ORDER BY quote_id
        """,
        [default_issue],
    ).fetchall()
    return [tuple(r) for r in rows]


# A quote's speaker as `quote_facts` shows it; a quote marked "not a quote" keeps its own.
_SHOWN_SPEAKER = "coalesce(f.speaker, q.speaker)"
_WITH_SHOWN = "FROM quotes q LEFT JOIN quote_facts f ON f.quote_id = q.id"


@dataclass(frozen=True)
class SpeakerDescription:
    """What a stored quote says of its speaker, for re-typing."""

    quote_id: str
    article_id: str
    speaker: str | None  # as extracted
    shown_speaker: str | None  # as the pages show it: merges and corrections applied
    mention: str | None
    context: str | None  # None in stores written before descriptions were kept
    anonymous: bool
    actor_type: str  # the stored prediction


def speaker_descriptions(
    con: duckdb.DuckDBPyConnection, speakers: Iterable[str] | None = None
) -> list[SpeakerDescription]:
    """Every stored quote's speaker and how its article describes them; with `speakers`, only
    the quotes shown under those names."""
    where, params = "", []
    if speakers is not None:
        where, params = f" WHERE {_SHOWN_SPEAKER} IN (SELECT unnest(?))", [sorted(set(speakers))]
    rows = con.cursor().execute(
        f"SELECT q.id, q.article_id, q.speaker, {_SHOWN_SPEAKER}, q.speaker_mention,"
        f" q.speaker_context, q.anonymous, q.actor_type {_WITH_SHOWN}{where} ORDER BY q.id",
        params,
    ).fetchall()
    return [SpeakerDescription(*row) for row in rows]


def speakers_in(
    con: duckdb.DuckDBPyConnection, *, article_ids: Sequence[str] = (), quote_ids: Sequence[str] = ()
) -> set[str]:
    """The names the quotes of these articles, or these quotes, were extracted and are shown under."""
    rows = con.cursor().execute(
        f"SELECT DISTINCT q.speaker, {_SHOWN_SPEAKER} {_WITH_SHOWN}"
        " WHERE q.article_id IN (SELECT unnest(?)) OR q.id IN (SELECT unnest(?))",
        [list(article_ids), list(quote_ids)],
    ).fetchall()
    return {name for row in rows for name in row if name}


def actor_types_of_speaker(con: duckdb.DuckDBPyConnection, speaker: str) -> list[tuple[str, int]]:
    """(actor type, quotes) of everything shown under this name, corrections applied, most first.

    Whatever the filters: a rule for a speaker applies to all of their quotes. Two types under
    one name may be two people who share it ("Colonel Dana Whitfield", "Senator Dana Whitfield").
    """
    rows = con.cursor().execute(
        "SELECT actor_type, count(*) FROM quote_facts WHERE speaker = ?"
        " GROUP BY 1 ORDER BY 2 DESC, 1", [speaker]).fetchall()
    return [(str(kind), int(n)) for kind, n in rows]


def update_actor_types(con: duckdb.DuckDBPyConnection, rows: Iterable[tuple[str, str]]) -> int:
    """Replace predicted actor types: rows of (quote id, actor type). Corrections are untouched."""
    rows = list(rows)
    if not rows:
        return 0
    with write_transaction(con) as cur:
        cur.execute("CREATE OR REPLACE TEMP TABLE new_types (id VARCHAR, actor_type VARCHAR)")
        insert_rows(cur, "INSERT INTO new_types VALUES ", rows)
        cur.execute("UPDATE quotes SET actor_type = n.actor_type FROM new_types n WHERE quotes.id = n.id")
        cur.execute("DROP TABLE new_types")
    return len(rows)


@dataclass(frozen=True)
class StoredQuote:
    """A stored quote as rescoring needs it."""

    quote_id: str
    article_id: str
    start: int
    end: int
    speaker: str | None  # as the pages show it (corrections, merges); as extracted when not shown
    text: str
    issue: str
    shown: bool  # False when a person marked it "not a quote"


def quotes_for_rescoring(
    con: duckdb.DuckDBPyConnection, default_issue: str, article_ids: Sequence[str] | None = None
) -> list[StoredQuote]:
    """Every stored quote (or those of `article_ids`), by article and in reading order.

    The speaker is the one `quote_facts` shows, so a remark is grouped on rescore as the quote
    view groups it.
    """
    where = "" if article_ids is None else " WHERE q.article_id IN (SELECT unnest(?))"
    params = [default_issue] + ([] if article_ids is None else [list(article_ids)])
    rows = con.cursor().execute(
        f"SELECT q.id, q.article_id, q.start_char, q.end_char, {_SHOWN_SPEAKER}, q.text,"
        " coalesce(a.issue, ?), f.quote_id IS NOT NULL"
        " FROM quotes q JOIN articles a ON a.id = q.article_id"
        " LEFT JOIN quote_facts f ON f.quote_id = q.id"
        f"{where} ORDER BY q.article_id, q.start_char, q.id",
        params,
    ).fetchall()
    return [StoredQuote(*row) for row in rows]


def articles_quoting(
    con: duckdb.DuckDBPyConnection, quote_ids: Sequence[str] = (), speakers: Sequence[str] = ()
) -> list[str]:
    """Ids of the articles holding any of `quote_ids`, or a quote extracted for any of `speakers`."""
    rows = con.cursor().execute(
        "SELECT DISTINCT article_id FROM quotes"
        " WHERE id IN (SELECT unnest(?)) OR speaker IN (SELECT unnest(?)) ORDER BY article_id",
        [list(quote_ids), list(speakers)],
    ).fetchall()
    return [r[0] for r in rows]


def article_texts(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> dict[str, str]:
    """{article id: text} for the given articles."""
    rows = con.cursor().execute(
        "SELECT id, text FROM articles WHERE id IN (SELECT unnest(?))", [article_ids]
    ).fetchall()
    return dict(rows)
