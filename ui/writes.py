"""Writing from the browser: uploads, corrections, gazetteer edits, retraining.

Every write goes through the shared connection's own cursor inside `analysis.store`'s write lock,
so two sessions writing at once queue rather than conflict. The dashboard is read-only when
STANCE_READ_ONLY=1 (a public classroom copy, say); then these pages say so and stop.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui import data

AUTHOR_KEY = "review_author"


def enabled() -> bool:
    """Whether this dashboard may write to the store."""
    return not data.read_only_mode()


def require_writable() -> None:
    """Stop the page with an explanation when the dashboard is read-only."""
    if not enabled():
        st.info("This dashboard is read-only (STANCE_READ_ONLY is set): adding articles and "
                "correcting labels are turned off.")
        st.stop()


@st.cache_resource(show_spinner="Loading the language model…")
def nlp() -> Any:
    """The spaCy pipeline, loaded once per process."""
    from analysis.nlp import load_nlp

    return load_nlp()


@st.cache_resource(show_spinner="Loading the stance model…")
def scorer() -> Any:
    """The stance model for scoring new articles (trained first if it is missing)."""
    from analysis.stance import load_scorer

    return load_scorer()


def author() -> str | None:
    """Who is correcting, as typed in the sidebar; kept with every correction."""
    name = st.sidebar.text_input("Your name (kept with your corrections)", key=AUTHOR_KEY)
    return name.strip() or None


def connection() -> Any:
    """The connection writes go through (the dashboard's shared one)."""
    return data.connection()


def done() -> None:
    """After a write: drop cached results so every page shows it at once."""
    data.forget_results()
