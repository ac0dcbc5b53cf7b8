"""Cached access to the store for the pages.

One DuckDB connection is shared by every session (`st.cache_resource`); each query takes its own
cursor, because a connection is not thread-safe. DuckDB opens a file in one mode per process, and
the Ingest and Review pages write, so the connection is read-write unless STANCE_READ_ONLY=1;
writes queue on `analysis.store`'s write lock and readers are never blocked (MVCC).
Query results are cached with `st.cache_data`, keyed on the query name, the `Filters`, the extra
arguments and a version stamp of the file and its write-ahead log, so any write invalidates them.
"""

from __future__ import annotations

from collections.abc import Callable
import os
from pathlib import Path
import tempfile
from typing import Any

import duckdb
import streamlit as st

from analysis import cues
from analysis.errors import StanceError
from analysis.store import connect, database_path
from analysis.store import extractor_version as extractor_version_of
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


def read_only_mode() -> bool:
    """True when the dashboard must not write (STANCE_READ_ONLY=1)."""
    return os.environ.get("STANCE_READ_ONLY", "").lower() in ("1", "true", "yes")


def version_stamp(path: Path | None = None) -> str:
    """Changes whenever the store is written: time and size of the file and its write-ahead log."""
    p = path or db_path()
    parts = []
    for f in (p, p.with_name(p.name + ".wal")):
        if f.exists():
            stat = f.stat()
            parts.append(f"{stat.st_mtime_ns}-{stat.st_size}")
    return "/".join(parts)


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(path: str, read_only: bool) -> duckdb.DuckDBPyConnection:
    con = connect(path, read_only=read_only)
    spill = Path(tempfile.gettempdir()) / "stance_duckdb_spill"
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    # a read-only database cannot spill next to itself; give it a scratch directory
    con.execute("SET temp_directory = ?", [str(spill)])
    return con


def connection() -> duckdb.DuckDBPyConnection:
    """The shared connection to the store file (read-only in read-only mode)."""
    return _connection(str(db_path()), read_only_mode())


def release() -> None:
    """Drop the cached connection and results (before another writer opens the file, or after)."""
    _connection.clear()
    forget_results()


def forget_results() -> None:
    """Drop cached query results, so the next run reads what was just written."""
    run.clear()
    options.clear()
    article.clear()
    models.clear()


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


@st.cache_data(ttl=3600, show_spinner=False)
def extractor_version(stamp: str) -> str | None:
    """The oldest extractor version whose quotes the store holds (None: unknown, older)."""
    return extractor_version_of(connection())


@st.cache_data(ttl=3600, show_spinner=False)
def quotes_by_model_version(stamp: str) -> dict[str | None, int]:
    """How many stored quotes each stance model scored."""
    return Q.quotes_by_model_version(connection())


@st.cache_data(ttl=600, show_spinner=False)
def current_model_version() -> str | None:
    """The version of the saved stance model, when it is up to date with the training data
    (read from its card; the model itself is not loaded). None: no model, or a stale one."""
    from analysis.stance.model import is_stale, read_card

    card = read_card()
    return None if is_stale(card) else card.version


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
def stance_scores(texts: tuple[str, ...], issue: str) -> list[tuple[str, float]] | None:
    """(label, its probability) per text from the current model, or None when no model is available."""
    scorer, _ = stance_scorer()
    if scorer is None:
        return None
    return [(s.stance, getattr(s, f"p_{s.stance}")) for s in scorer.score(list(texts), [issue] * len(texts))]


@st.cache_data(ttl=3600, max_entries=256, show_spinner=False)
def explain(text: str, issue: str, top_k: int = 8, label: str | None = None
            ) -> list[tuple[str, float]] | None:
    """The terms that pushed the model toward `label` (default: its own label for the text
    alone), or None when no model is available."""
    scorer, _ = stance_scorer()
    return None if scorer is None else list(scorer.explain(text, issue, top_k, label=label))


@st.cache_data(ttl=3600, max_entries=256, show_spinner=False)
def explain_by_kind(text: str, issue: str, label: str | None = None) -> dict[str, float] | None:
    """Net push of words, sentence meaning and shape cues toward the label (None: no model)."""
    scorer, _ = stance_scorer()
    return None if scorer is None else dict(scorer.explain_by_kind(text, issue, label=label))


@st.cache_data(ttl=3600, max_entries=256, show_spinner=False)
def explain_embedding(text: str, issue: str, top_k: int = 5, label: str | None = None
                      ) -> list[tuple[str, float]] | None:
    """The words the sentence-meaning evidence leaned on (None: no model)."""
    scorer, _ = stance_scorer()
    return None if scorer is None else list(
        scorer.explain_embedding(text, issue, top_k, label=label))


@st.cache_data(show_spinner=False)
def cue_lemmas() -> tuple[tuple[str, str], ...]:
    """(form, lemma) pairs of the cue verbs (`analysis.cues`); none if the file is unreadable."""
    try:
        return cues.cue_lemmas()
    except OSError:
        return ()


@st.cache_data(ttl=3600, show_spinner=False)
def corrections_check(stamp: str) -> Any:
    """The model against people's stance corrections (confusion counts, calibration bins)."""
    return Q.corrections_check(connection())
