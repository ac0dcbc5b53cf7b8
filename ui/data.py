"""Cached, read-only access to the store for the pages.

One DuckDB connection per database file version is shared by every session
(`st.cache_resource`); each query takes its own cursor, because a connection is not thread-safe.
Query results are cached with `st.cache_data`, keyed on the query name, the `Filters`, the
extra arguments and the file's version stamp, so an ingest (which changes the file) invalidates
them without a manual clear.
"""

from __future__ import annotations

from collections.abc import Callable
import os
from pathlib import Path
import tempfile
from typing import Any

import duckdb
import streamlit as st

from analysis.errors import StanceError
from analysis.store import connect, database_path
from analysis.store import queries as Q
from analysis.store.queries import Filters

# Page questions the cache wrapper may run: names map to functions, never the other way round.
QUERIES: dict[str, Callable[..., Any]] = {
    "corpus_summary": Q.corpus_summary,
    "stance_by_actor": Q.stance_by_actor,
    "stance_by_actor_outlet": Q.stance_by_actor_outlet,
    "stance_over_time": Q.stance_over_time,
    "count_quotes": Q.count_quotes,
    "quotes_page": Q.quotes_page,
    "articles_list": Q.articles_list,
    "top_speakers": Q.top_speakers,
    "anonymity_by_actor": Q.anonymity_by_actor,
    "speaker_timeline": Q.speaker_timeline,
    "speaker_options": Q.speaker_options,
    "cue_verbs": Q.cue_verbs,
    "voice_by_outlet": Q.voice_by_outlet,
}
# DuckDB spills big sorts to disk above this, which keeps the Streamlit process well under 1 GB.
MEMORY_LIMIT = os.environ.get("STANCE_DUCKDB_MEMORY", "400MB")


def db_path() -> Path:
    """The store file the dashboard reads ($STANCE_DB or data/stance.duckdb)."""
    return database_path()


def version_stamp(path: Path | None = None) -> str:
    """Changes whenever the file is written: its modification time and size."""
    p = path or db_path()
    stat = p.stat()
    return f"{stat.st_mtime_ns}-{stat.st_size}"


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(path: str, stamp: str) -> duckdb.DuckDBPyConnection:
    con = connect(path, read_only=True)
    spill = Path(tempfile.gettempdir()) / "stance_duckdb_spill"
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    # a read-only database cannot spill next to itself; give it a scratch directory
    con.execute("SET temp_directory = ?", [str(spill)])
    return con


def connection() -> duckdb.DuckDBPyConnection:
    """The shared read-only connection for the current version of the store file."""
    path = db_path()
    return _connection(str(path), version_stamp(path))


def release() -> None:
    """Drop the cached connection and results (before a writer opens the file, or after)."""
    _connection.clear()
    run.clear()
    options.clear()


@st.cache_data(ttl=3600, max_entries=512, show_spinner=False)
def run(name: str, f: Filters, stamp: str, **kwargs: Any) -> Any:
    """Run the allow-listed query `name` for `f`; `stamp` only keys the cache."""
    return QUERIES[name](connection(), f, **kwargs)


def query(name: str, f: Filters, **kwargs: Any) -> Any:
    """Cached result of a page question for the current store version."""
    return run(name, f, version_stamp(), **kwargs)


@st.cache_data(ttl=3600, show_spinner=False)
def options(stamp: str) -> dict[str, Any]:
    """Issues, outlets and date range for the filter widgets."""
    return Q.filter_options(connection())


@st.cache_data(ttl=3600, max_entries=64, show_spinner=False)
def article(article_id: str, stamp: str) -> tuple[dict[str, Any] | None, Any]:
    """An article and all of its quotes."""
    con = connection()
    return Q.article(con, article_id), Q.article_quotes(con, article_id)


@st.cache_data(ttl=3600, show_spinner=False)
def models(stamp: str) -> Any:
    """The `models` table."""
    return Q.models(connection())


@st.cache_resource(show_spinner=False)
def stance_scorer() -> tuple[Any, str | None]:
    """The stance model for explanations: (scorer, None), or (None, why it is unavailable)."""
    try:
        from analysis.stance import load_scorer
    except ImportError as exc:
        return None, f"the stance module is not available ({exc})"
    try:
        # never train from the dashboard: that is a deliberate step (`python -m analysis train`)
        return load_scorer(train_if_missing=False), None
    except StanceError as exc:
        return None, str(exc)


@st.cache_data(ttl=3600, max_entries=256, show_spinner=False)
def explain(text: str, issue: str, top_k: int = 8) -> list[tuple[str, float]] | None:
    """The terms that pushed the model to its label, or None when no model is available."""
    scorer, _ = stance_scorer()
    return None if scorer is None else list(scorer.explain(text, issue, top_k))


@st.cache_data(ttl=3600, show_spinner=False)
def corrections_check(stamp: str) -> Any:
    """The model against people's stance corrections (confusion counts, calibration bins)."""
    return Q.corrections_check(connection())
