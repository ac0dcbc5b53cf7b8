"""People's corrections: append, undo, speaker rules, and CSV export/import.

In: a quote id (or a speaker name), a field and a value. Out: rows appended to `annotations` or
`speaker_rules`; nothing is ever updated or deleted, the latest row per field wins in the
`quote_facts` view. Export/import move all corrections between databases as one CSV.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
import csv
from dataclasses import dataclass
from datetime import datetime
import io
from typing import TextIO

import duckdb

from analysis.errors import StanceError
from analysis.records import ACTOR_TYPES, STANCES
from analysis.store.locking import write_transaction

QUOTE_FIELDS = ("stance", "actor_type", "speaker", "not_quote")
SPEAKER_FIELDS = ("merge_into", "actor_type")
EXPORT_COLUMNS = ("scope", "target", "field", "value", "note", "author", "created_at")


@dataclass(frozen=True)
class Correction:
    scope: str  # "quote" | "speaker"
    target: str  # quote id or speaker name
    field: str
    value: str | None
    note: str | None = None
    author: str | None = None
    created_at: datetime | None = None


def validate(scope: str, field: str, value: str | None) -> None:
    """Raise StanceError for a field or value the store would not understand."""
    fields = QUOTE_FIELDS if scope == "quote" else SPEAKER_FIELDS if scope == "speaker" else ()
    if field not in fields:
        raise StanceError(f"cannot correct {field!r} of a {scope}; choose one of {', '.join(fields)}")
    if value is None:
        return  # an undo
    allowed = {"stance": STANCES, "actor_type": ACTOR_TYPES, "not_quote": ("true", "false")}.get(field)
    if allowed and value not in allowed:
        raise StanceError(f"{value!r} is not a valid {field}; choose one of {', '.join(allowed)}")
    if field in ("speaker", "merge_into") and not value.strip():
        raise StanceError("a speaker name cannot be empty")


def _insert(con: duckdb.DuckDBPyConnection, c: Correction, undoes: int | None = None) -> int:
    """Append one correction; returns its id."""
    table, column = ("annotations", "quote_id") if c.scope == "quote" else ("speaker_rules", "speaker")
    # table and column come from the fixed pair above, never from input
    rows = con.execute(
        f"INSERT INTO {table} ({column}, field, value, note, author, created_at, undoes)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [c.target, c.field, c.value, c.note, c.author, c.created_at or datetime.now(), undoes],
    ).fetchall()
    return int(rows[0][0])


def correct_quote(
    con: duckdb.DuckDBPyConnection, quote_id: str, field: str, value: str | None,
    *, note: str | None = None, author: str | None = None,
) -> int:
    """Append a correction of one quote (value None goes back to the model's answer); returns
    its id.

    Raises:
        StanceError: unknown field or value, or no such quote.
    """
    validate("quote", field, value)
    with write_transaction(con) as cur:
        if not cur.execute("SELECT count(*) FROM quotes WHERE id = ?", [quote_id]).fetchall()[0][0]:
            raise StanceError(f"no quote with id {quote_id}")
        return _insert(cur, Correction("quote", quote_id, field, value, note, author))


def set_speaker_rule(
    con: duckdb.DuckDBPyConnection, speaker: str, field: str, value: str | None,
    *, note: str | None = None, author: str | None = None,
) -> int:
    """Append a rule for every quote of `speaker`: `merge_into` another name, or an `actor_type`;
    returns its id.

    A merge into a speaker that is itself merged follows that merge, so chains stay one step.
    """
    validate("speaker", field, value)
    with write_transaction(con) as cur:
        if field == "merge_into" and value is not None:
            value = resolve_speaker(cur, value)
            if value == speaker:
                raise StanceError(f"{speaker!r} cannot be merged into itself")
        return _insert(cur, Correction("speaker", speaker, field, value, note, author))


def resolve_speaker(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """The name a speaker is currently merged into (itself when not merged)."""
    rows = con.execute(
        "SELECT value FROM speaker_rules WHERE speaker = ? AND field = 'merge_into'"
        " ORDER BY created_at DESC, id DESC LIMIT 1",
        [name],
    ).fetchall()
    return rows[0][0] if rows and rows[0][0] else name


def names_ever_given(con: duckdb.DuckDBPyConnection, scope: str, target: str) -> set[str]:
    """Every name a quote (scope "quote") was ever corrected to, or a speaker ("speaker") ever
    merged into, undone ones included: the speakers whose quotes a change there may have moved."""
    table, column, field = (("annotations", "quote_id", "speaker") if scope == "quote"
                            else ("speaker_rules", "speaker", "merge_into"))
    rows = con.cursor().execute(
        f"SELECT DISTINCT value FROM {table} WHERE {column} = ? AND field = ? AND value IS NOT NULL",
        [target, field],
    ).fetchall()
    return {value for (value,) in rows}


def merged_speakers(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """{speaker: the name it is merged into} for every merge in force (as `quote_facts` applies them)."""
    rows = con.cursor().execute(
        "SELECT speaker, value FROM speaker_rules WHERE field = 'merge_into'"
        " QUALIFY row_number() OVER (PARTITION BY speaker ORDER BY created_at DESC, id DESC) = 1"
    ).fetchall()
    return {speaker: value for speaker, value in rows if value}


def undo_last(
    con: duckdb.DuckDBPyConnection, author: str | None = None, among: Collection[int] | None = None,
) -> Correction | None:
    """Take back the newest correction (of `author`, and among the ids `among`, when given) that
    is not yet taken back.

    Appends a row restoring the value the field had before it (None: back to the model).
    Repeated undos walk further back. Returns the correction undone, or None.
    """
    with write_transaction(con) as cur:
        rows = cur.execute(
            f"SELECT id, scope, target, field, value, note, author, created_at FROM ({ALL_CORRECTIONS})"
            " WHERE undoes IS NULL AND (? IS NULL OR author = ?)"
            " AND (? IS NULL OR list_contains(?, id))"
            f" AND id NOT IN (SELECT undoes FROM ({ALL_CORRECTIONS}) WHERE undoes IS NOT NULL)"
            " ORDER BY id DESC LIMIT 1",
            [author, author, None if among is None else True,
             [] if among is None else [int(i) for i in among]],
        ).fetchall()
        if not rows:
            return None
        undone_id, *fields = rows[0]
        last = Correction(*fields)
        before = cur.execute(
            f"SELECT value FROM ({ALL_CORRECTIONS}) WHERE scope = ? AND target = ? AND field = ?"
            " AND id < ? ORDER BY id DESC LIMIT 1",
            [last.scope, last.target, last.field, undone_id],
        ).fetchall()
        restored = before[0][0] if before else None
        _insert(cur, Correction(last.scope, last.target, last.field, restored, "undo", author), undone_id)
        return last


# Both tables share one id sequence, so ids order every correction in time.
ALL_CORRECTIONS = (
    "SELECT id, 'quote' AS scope, quote_id AS target, field, value, note, author, created_at, undoes"
    " FROM annotations UNION ALL"
    " SELECT id, 'speaker', speaker, field, value, note, author, created_at, undoes FROM speaker_rules"
)


def corrected_quotes_not_stored(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Corrected quote ids that match no stored quote: spans the extraction no longer finds
    (after a re-extraction), or quotes of articles not in this store (an imported file). Their
    corrections are kept and apply again when the quote comes back."""
    return {qid for (qid,) in con.cursor().execute(
        "SELECT DISTINCT quote_id FROM annotations WHERE quote_id NOT IN (SELECT id FROM quotes)"
    ).fetchall()}


def export_corrections(con: duckdb.DuckDBPyConnection, out: TextIO) -> int:
    """Write every correction, oldest first, as CSV (columns `EXPORT_COLUMNS`); returns the count.

    Quote ids are stable across rebuilds (hash of the article text and span), so the file can
    be imported into a database rebuilt from the same articles.
    """
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    rows = con.cursor().execute(
        f"SELECT scope, target, field, value, note, author, created_at FROM ({ALL_CORRECTIONS}) ORDER BY id"
    ).fetchall()
    for scope, target, field, value, note, author, created in rows:
        writer.writerow([scope, target, field, "" if value is None else value, note or "",
                         author or "", created.isoformat(sep=" ")])
    return len(rows)


# What a spreadsheet may have turned the exported ISO times into. Day first before month first:
# "05/11/2026" is read as 5 November, as most of the world writes it.
_SPREADSHEET_TIMES = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M",
                      "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")


def _parse_time(value: str) -> datetime | None:
    """An exported `created_at`, also after a spreadsheet re-formatted it; empty: None (now)."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        pass
    for fmt in _SPREADSHEET_TIMES:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    raise ValueError(f"cannot read the time {value!r}; keep created_at as exported "
                     "(YYYY-MM-DD HH:MM:SS)")


def read_corrections(text: str) -> list[Correction]:
    """Parse an exported corrections CSV.

    Raises:
        StanceError: a column is missing or a row holds an unknown field or value.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))  # Excel's "CSV UTF-8" has a BOM
    missing = set(EXPORT_COLUMNS) - set(reader.fieldnames or [])
    if missing:
        raise StanceError(f"not a corrections file: missing columns {', '.join(sorted(missing))}")
    out = []
    for n, row in enumerate(reader, start=2):
        value = row["value"] or None
        try:
            validate(row["scope"], row["field"], value)
            created = _parse_time(row["created_at"])
        except (StanceError, ValueError) as exc:
            raise StanceError(f"row {n}: {exc}") from exc
        out.append(Correction(row["scope"], row["target"], row["field"], value,
                              row["note"] or None, row["author"] or None, created))
    return out


def import_corrections(con: duckdb.DuckDBPyConnection, corrections: Iterable[Correction]) -> int:
    """Append corrections not already present (same target, field, value and time); returns how many.

    Importing the same file twice adds nothing the second time.
    """
    added = 0
    with write_transaction(con) as cur:
        for c in corrections:
            exists = cur.execute(
                f"SELECT count(*) FROM ({ALL_CORRECTIONS}) WHERE scope = ? AND target = ? AND field = ?"
                " AND value IS NOT DISTINCT FROM ? AND created_at = ?",
                [c.scope, c.target, c.field, c.value, c.created_at],
            ).fetchall()[0][0]
            if not exists:
                _insert(cur, c)
                added += 1
    return added
