"""Page furniture shared by every page: setup, the store guard, charts with drill-down, exports.

In: `Filters` and figures from `analysis.charts`. Out: Streamlit elements.
"""

from __future__ import annotations

import gzip
import tempfile
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis import charts
from analysis.charts import image_config
from analysis.errors import StanceError
from analysis.export import command, export_filename, write_csv, write_parquet
from analysis.records import EXTRACTOR_VERSION
from analysis.store.queries import Filters
from analysis.wording import counted
from ui import data, filters

NONCE_KEY = "chart_nonce"
# Above this a plain CSV download would hold ~125 MB+ in the server's memory (Streamlit serves
# downloads from memory); the page sends it gzip-compressed and shows a terminal command.
UI_CSV_MAX_ROWS = 250_000


# The sidebar menu. Streamlit's own would name the home page after its file ("dashboard");
# .streamlit/config.toml turns that one off. Material icons ship with Streamlit's front end, so
# they draw even where the browser has no emoji font.
MENU = (
    ("dashboard.py", "Home", ":material/home:"),
    ("pages/1_Divisions.py", "Divisions", ":material/balance:"),
    ("pages/2_Quotes.py", "Quotes", ":material/format_quote:"),
    ("pages/3_Speakers.py", "Speakers", ":material/record_voice_over:"),
    ("pages/4_Framing.py", "Framing", ":material/school:"),
    ("pages/5_Model.py", "Model", ":material/science:"),
    ("pages/6_Ingest.py", "Ingest", ":material/upload_file:"),
    ("pages/7_Review.py", "Review", ":material/edit:"),
)


def menu() -> None:
    """Links to every page at the top of the sidebar."""
    for path, label, icon in MENU:
        st.sidebar.page_link(path, label=label, icon=icon)
    st.sidebar.divider()


def page(title: str, icon: str = "📰") -> Filters:
    """Configure the page, make sure a store exists, draw the shared filters; returns them."""
    st.set_page_config(page_title=f"{title} · Stance dashboard", page_icon=icon, layout="wide")
    menu()
    require_store()
    try:
        return filters.sidebar()
    except StanceError as exc:
        st.error(str(exc))
        st.stop()


def require_store() -> None:
    """Stop with a pointer to the home page (which builds the demo store) when there is none."""
    if not data.db_path().exists():
        st.info("There is no database yet. The home page builds the demo corpus on first run.")
        st.page_link("dashboard.py", label="Open the home page", icon="🏠")
        st.stop()


def build_demo_if_missing() -> None:
    """First run on a fresh checkout: build the demo store with a visible progress bar."""
    path = data.db_path()
    if path.exists():
        return
    try:
        from analysis.demo import build_demo_store
    except ImportError as exc:
        st.error(f"The demo builder is not available ({exc}); ingest articles with "
                 "`python -m analysis ingest PATH`.")
        st.stop()
    st.title("Building the demo corpus")
    bar = st.progress(0.0, text="Reading the demo articles…")

    def report(done: int, total: int, message: str) -> None:
        bar.progress(min(1.0, done / total) if total else 0.0, text=f"{message} ({done}/{total})")

    try:
        build_demo_store(path, progress=report)
    except StanceError as exc:
        st.error(f"Could not build the demo store: {exc}")
        st.stop()
    bar.empty()
    data.release()
    st.rerun()


def choice(key: str, label: str, options: Sequence[str], default: str,
           help: str | None = None, format_func: Callable[[str], str] = str) -> str:
    """A page-level toggle kept in the URL when not the default (`?key=value`), so links
    reproduce the view, and kept through a visit to another page (a drill-down and back):
    Streamlit forgets the state of widgets a run did not draw, so the last value is also kept
    under a key of its own."""
    kept = f"_choice_{key}"
    if key not in st.session_state:
        wanted = st.query_params.get(key) or st.session_state.get(kept, default)
        st.session_state[key] = wanted if wanted in options else default
    value = st.segmented_control(label, list(options), key=key, help=help,
                                 format_func=format_func) or default
    st.session_state[kept] = value
    # Only a value other than the default goes into the URL: every change of the URL is a step
    # in the browser's history, and writing the defaults made Back stay on the same page.
    if value == default:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != value:
        st.query_params[key] = value
    return value


def kept_selectbox(label: str, options: Sequence[Any], key: str, index: int | None = 0,
                   **kwargs: Any) -> Any:
    """`st.selectbox` that keeps its choice through a visit to another page, as `choice` does;
    `index` is the choice before any was made. A kept value no longer among the options (the
    filters changed) gives way to `index`."""
    kept = f"_kept_{key}"
    if key not in st.session_state and st.session_state.get(kept) in options:
        st.session_state[key] = st.session_state[kept]
    if key in st.session_state and st.session_state[key] not in options:
        del st.session_state[key]
    # a default as well as a value in the session state makes Streamlit warn on the page
    default = {} if key in st.session_state else {"index": index}
    value = st.selectbox(label, options, key=key, **default, **kwargs)
    st.session_state[kept] = value
    return value


@st.cache_data(max_entries=256, show_spinner=False)
def _figure(builder: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> go.Figure:
    return getattr(charts, builder)(*args, **kwargs)


def fig(builder: Callable[..., go.Figure], *args: Any, **kwargs: Any) -> go.Figure:
    """`builder(*args, **kwargs)` from `analysis.charts`, cached on its (small) inputs:
    plotly express takes a few hundred ms to build a faceted figure, more than the query."""
    return _figure(builder.__name__, args, kwargs)


def chart(fig: go.Figure, name: str, key: str,
          on_click: Callable[[dict[str, Any]], None] | None = None) -> None:
    """Draw a figure with PNG/SVG download; a click on a point calls `on_click(point)`."""
    fmt = st.session_state.get("img_fmt", "png")
    # the nonce changes after a drill-down so the old selection does not fire again on return
    full_key = f"{key}_{st.session_state.get(NONCE_KEY, 0)}"
    event = st.plotly_chart(fig, key=full_key, config=image_config(name, fmt),
                            on_select="rerun" if on_click else "ignore",
                            selection_mode="points")
    if on_click and event and event.selection and event.selection.points:
        st.session_state[NONCE_KEY] = st.session_state.get(NONCE_KEY, 0) + 1
        on_click(event.selection.points[0])


def point_values(point: dict[str, Any]) -> list[Any]:
    """The clicked point's customdata: [actor_type, stance, ...] as the chart builders set it."""
    custom = point.get("customdata") or []
    return list(custom) if isinstance(custom, (list, tuple)) else [custom]


def _export_file(f: Filters, fmt: str, sort: str | None = None) -> bytes:
    """Stream the slice to a temporary file on disk, then hand Streamlit the bytes once.

    Streamlit serves a download from memory, so one copy of the file is unavoidable; the rows
    themselves are never held (DuckDB hands over Arrow batches that are written and dropped).
    """
    with tempfile.TemporaryFile() as out:
        if fmt == "csv.gz":
            # a large CSV compresses about sevenfold, which keeps the one in-memory copy small
            with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=1) as gz:
                write_csv(data.connection(), f, gz, sort=sort)
        else:
            (write_csv if fmt == "csv" else write_parquet)(data.connection(), f, out, sort=sort)
        out.seek(0)
        return out.read()


def export_buttons(f: Filters, key: str, what: str = "the quotes behind this page",
                   sort: str | None = None) -> None:
    """CSV and Parquet downloads of exactly the filtered rows (corrections applied).

    Streamlit serves a download from memory, so a slice over UI_CSV_MAX_ROWS comes as a
    gzip-compressed CSV (and Parquet), with a command that streams the plain CSV to disk.
    `sort` (a key of QUOTE_SORTS) orders the rows as a table on the page shows them; slices over
    the limit keep storage order, so a million rows stream without being sorted first.
    """
    n = data.query("count_quotes", f)
    # Each button as wide as its label, the second under the first when the column is too
    # narrow for both: in fixed columns, at 900 px (a projector) both labels were cut to
    # "Downloa…". The note goes below, where it has the page's width.
    row = st.container(horizontal=True, vertical_alignment="center")
    too_big = n > UI_CSV_MAX_ROWS
    csv_fmt = "csv.gz" if too_big else "csv"
    sort = None if too_big else sort
    row.download_button(f"Download CSV{' (gzip)' if too_big else ''} ({counted(n, 'row')})",
                        data=lambda: _export_file(f, csv_fmt, sort),
                        file_name=export_filename(f, csv_fmt),
                        mime="application/gzip" if too_big else "text/csv",
                        key=f"{key}_csv", on_click="ignore", disabled=n == 0, icon="⬇️")
    row.download_button("Download Parquet", data=lambda: _export_file(f, "parquet", sort),
                        file_name=export_filename(f, "parquet"),
                        mime="application/vnd.apache.parquet", key=f"{key}_parquet",
                        on_click="ignore", disabled=n == 0)
    st.caption(f"Exports {what}{f', sorted by {sort}' if sort else ''}: every filter applies, "
               "people's corrections included; cells that a spreadsheet would run as formulas "
               "are prefixed with '.")
    if too_big:
        st.caption(f"{n:,} rows: the CSV comes gzip-compressed (open it after unpacking), or "
                   "write it uncompressed from a terminal:")
        st.code(command(f, export_filename(f, "csv")), language="bash")


def metrics(items: Sequence[tuple[str, str] | tuple[str, str, str]]) -> None:
    """A row of (label, value) or (label, value, help) metrics, spread over the page's width.

    Each is as wide as its label and value, and the row wraps when the column is too narrow for
    all of them: in equal columns, at 900 px (a projector) long labels were cut ("Anonymo…").
    """
    row = st.container(horizontal=True, horizontal_alignment="distribute")
    for label, value, *help_text in items:
        row.metric(label, value, help=help_text[0] if help_text else None, width="content")


def mixed_issues_note(f: Filters, issues: int) -> None:
    """With no issue chosen, say that each quote's stance is toward its own article's issue."""
    if not f.issue and issues > 1:
        st.info(f"These quotes are about {issues} issues, and each quote's stance is toward its "
                "own article's issue: supporting a ban and supporting its repeal both count as "
                "supportive here. Choose an issue in the sidebar to see how the voices divide "
                "on one question.")


def readable_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Quote rows as a table shows them: an undated article's date "undated", as its header and
    Framing's choices name it, and a missing outlet or cue blank, not "None"."""
    out = df.copy()
    if "published" in out:
        # as text: a table shows a missing value, NaT included, as "None"; ISO dates still sort
        published = pd.to_datetime(out["published"])
        out["published"] = published.dt.strftime("%Y-%m-%d").where(published.notna(), "undated")
    for column in ("outlet", "cue"):
        if column in out:
            out[column] = out[column].astype(object).where(out[column].notna(), "")
    return out


def speaker_with_type(rows: pd.DataFrame) -> pd.Series:
    """"Dana Whitfield (congressional)": who said each quote, with their actor type, as the
    Speakers chart names a voice ("Unknown speaker" when the article names none)."""
    return (rows["speaker"].astype(object).where(rows["speaker"].notna(), "Unknown speaker")
            + " (" + rows["actor_type"].astype(str) + ")")


def outdated_store_note(quotes: int) -> None:
    """Say when the store holds quotes an earlier version of the extractor found: its speakers
    and quotes may differ from what this version finds, until `reextract` is run."""
    version = data.extractor_version(data.version_stamp())
    if not quotes or version == EXTRACTOR_VERSION:
        return
    since = f"by the extractor of {version}" if version else "before extractor versions were recorded"
    st.info(f"Some articles in this store were extracted {since}; this version "
            f"({EXTRACTOR_VERSION}) may find other quotes or speakers. `python -m analysis "
            "reextract` extracts them again and keeps every correction (stop the dashboard "
            "first: the command needs the store to itself).")


def outdated_scores_note() -> None:
    """Say when stored quotes were scored by another stance model than the saved one (after
    an update or a retrain elsewhere): their stances are that model's until `rescore`."""
    current = data.current_model_version()
    by_version = data.quotes_by_model_version(data.version_stamp())
    older = sum(n for version, n in by_version.items() if version and version != current)
    if current is None or not older:
        return
    total = sum(by_version.values())
    st.info(f"{older:,} of {counted(total, 'quote')} {'was' if older == 1 else 'were'} scored by "
            f"another stance model than the current one ({current}). `python -m analysis "
            "rescore` scores them again; "
            "people's corrections stay (stop the dashboard first: the command needs the store "
            "to itself).")


def empty_state(n: int) -> bool:
    """Say so when the filters select nothing; returns True when empty."""
    if n:
        return False
    st.info("No quotes match these filters. Loosen one of them in the sidebar (dates, outlets, "
            "actor types, stances, speaker, sources, search, confidence) or press **Clear "
            "filters**.")
    return True
