"""Opening the DuckDB store: where the file is, creating and upgrading the schema.

In: a path (or the STANCE_DB environment variable, or the default `data/stance.duckdb`).
Out: a `duckdb.DuckDBPyConnection` whose schema is at `SCHEMA_VERSION`.
"""

from __future__ import annotations

from collections.abc import Callable
import os
from pathlib import Path

import duckdb

from analysis.errors import StoreError

SCHEMA_VERSION = 2
DEFAULT_DB = Path(__file__).resolve().parents[2] / "data" / "stance.duckdb"
SCHEMA_SQL = Path(__file__).with_name("schema.sql")


class OutdatedSchema(StoreError):
    """A store opened read-only whose schema is older than this program's (or newer)."""



def _add_speaker_context(con: duckdb.DuckDBPyConnection) -> None:
    # v2 keeps each speaker's description so a gazetteer edit can re-type stored quotes;
    # the new speaker_rules table and the view come from schema.sql, which runs after this.
    con.execute("ALTER TABLE quotes ADD COLUMN IF NOT EXISTS speaker_context VARCHAR")
    con.execute("ALTER TABLE annotations ADD COLUMN IF NOT EXISTS undoes BIGINT")


# version -> function that upgrades a database at that version to version + 1.
MIGRATIONS: dict[int, Callable[[duckdb.DuckDBPyConnection], None]] = {1: _add_speaker_context}


def database_path(path: str | os.PathLike | None = None) -> Path:
    """The store file: the argument, else $STANCE_DB, else data/stance.duckdb."""
    if path:
        return Path(path)
    env = os.environ.get("STANCE_DB")
    return Path(env) if env else DEFAULT_DB


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The version recorded in the file; 0 for an empty database."""
    has_meta = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
    ).fetchall()[0][0]
    if not has_meta:
        return 0
    rows = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
    return int(rows[0][0]) if rows else 0


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the schema on an empty database, or upgrade an older one in one transaction."""
    version = schema_version(con)
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"the database has schema version {version}, newer than this program's "
            f"{SCHEMA_VERSION}; upgrade the program"
        )
    if version == SCHEMA_VERSION:
        return
    con.execute("BEGIN TRANSACTION")
    try:
        while 0 < version < SCHEMA_VERSION:
            MIGRATIONS[version](con)
            version += 1
        con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
        con.execute(
            "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def connect(
    path: str | os.PathLike | None = None, *, read_only: bool = False, create: bool = True,
) -> duckdb.DuckDBPyConnection:
    """Open the store (":memory:" for a scratch one), creating or upgrading the schema when writable.

    Args:
        create: make a new store when the file is missing (ingest, demo); commands that only
            work on stored articles pass False, so that a mistyped path is an error, not a new
            empty store.

    Raises:
        StoreError: the file is missing (read-only, or not `create`), locked by another
            process, or too new; `OutdatedSchema` when opened read-only at an older version.
    """
    if str(path) == ":memory:":
        con = duckdb.connect(":memory:")
        ensure_schema(con)
        return con
    db = database_path(path)
    if (read_only or not create) and not db.exists():
        raise StoreError(f"{db}: no store there; check --db or $STANCE_DB, or make one with "
                         "`python -m analysis demo` or `python -m analysis ingest`")
    if not read_only:
        db.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(db), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise StoreError(
                f"{db} is open in another program, which holds a lock on it: wait for that "
                "command to finish, or stop it; if it is the dashboard, stop it or do this from "
                f"its own pages (Ingest, Review). DuckDB said: {exc}") from exc
        raise StoreError(f"{db}: cannot open ({exc})") from exc
    if read_only:
        version = schema_version(con)
        if version != SCHEMA_VERSION:
            con.close()
            raise OutdatedSchema(
                f"{db}: schema version {version}, expected {SCHEMA_VERSION}; "
                "open it once for writing (python -m analysis stats) to upgrade"
            )
    else:
        ensure_schema(con)
    return con
