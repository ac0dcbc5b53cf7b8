"""The shared sidebar filters, kept in session state and in the URL's query parameters.

The canonical value is one `Filters` in `st.session_state["filters"]`. It is read from the URL
once per session (so a shared link reproduces the view), written back to the URL on every run
(switching pages drops query parameters), and the widgets are re-seeded from it on every page,
because Streamlit forgets a widget's state on a page where that widget was not drawn.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import streamlit as st

from analysis.records import ACTOR_TYPES, STANCES
from analysis.store.queries import SOURCES, Filters
from ui import data

STATE_KEY = "filters"
BACK_KEY = "drill_back"
INVALID_KEY = "filters_invalid"  # URL values that are not valid filters, named once in the sidebar
FILTER_PARAMS = {"issue", "date_from", "date_to", "outlets", "actor_types", "stances",
                 "speaker", "sources", "search", "min_confidence"}
_W = {name: f"flt_{name}" for name in FILTER_PARAMS}  # widget keys


def current() -> Filters:
    """The filters of this session (from the URL on the first run)."""
    if STATE_KEY not in st.session_state:
        params = {k: st.query_params.get_all(k) for k in st.query_params}
        f, invalid = Filters.parse_query_params(params)
        st.session_state[STATE_KEY] = f
        st.session_state[INVALID_KEY] = invalid
    return st.session_state[STATE_KEY]


def set_filters(f: Filters) -> None:
    """Replace the filters (e.g. after a click on a chart) and update the URL."""
    st.session_state[STATE_KEY] = f
    write_url(f)


def write_url(f: Filters) -> None:
    """Put the filters into the URL, keeping page-specific parameters."""
    wanted = f.to_query_params()
    for key in list(st.query_params):
        if key in FILTER_PARAMS and key not in wanted:
            del st.query_params[key]
    for key, value in wanted.items():
        current_value = (st.query_params.get_all(key) if isinstance(value, list)
                         else st.query_params.get(key))
        if current_value != value:
            st.query_params[key] = value


def keep() -> Filters:
    """On a page that draws no filters (Add articles): keep them in its URL, so that a reload or
    a bookmark of it keeps them, and a session opened on a link to it carries them on."""
    f = current()
    write_url(f)
    return f


def _from_widgets() -> Filters:
    s = st.session_state
    return Filters(
        issue=s.get(_W["issue"]) or None,
        date_from=s.get(_W["date_from"]), date_to=s.get(_W["date_to"]),
        outlets=tuple(s.get(_W["outlets"]) or ()),
        actor_types=tuple(a for a in ACTOR_TYPES if a in (s.get(_W["actor_types"]) or ())),
        stances=tuple(x for x in STANCES if x in (s.get(_W["stances"]) or ())),
        speaker=s.get(_W["speaker"]) or None,
        sources=s.get(_W["sources"]) or None,
        search=(s.get(_W["search"]) or "").strip() or None,
        min_confidence=float(s.get(_W["min_confidence"]) or 0.0),
    )


def _on_change() -> None:
    f = _from_widgets()
    if f.date_from and f.date_to and f.date_from > f.date_to:
        # as for a link with such a range: named in the sidebar and not applied, rather than an
        # empty page with no word of why (and a URL that a reload would then refuse)
        st.session_state[INVALID_KEY] = [f"From {f.date_from} is after To {f.date_to}"]
        f = replace(f, date_from=None, date_to=None)
    set_filters(f)
    st.session_state.pop(BACK_KEY, None)  # a new filter ends the drill-down


def _clear() -> None:
    set_filters(Filters())
    st.session_state.pop(BACK_KEY, None)


def _seed(f: Filters) -> None:
    """Widget state from the canonical filters (already fitted to the options)."""
    s = st.session_state
    s[_W["issue"]] = f.issue
    s[_W["date_from"]] = f.date_from
    s[_W["date_to"]] = f.date_to
    s[_W["outlets"]] = list(f.outlets)
    s[_W["actor_types"]] = list(f.actor_types)
    s[_W["stances"]] = list(f.stances)
    s[_W["speaker"]] = f.speaker
    s[_W["sources"]] = f.sources
    s[_W["search"]] = f.search or ""
    s[_W["min_confidence"]] = f.min_confidence


def fit_to_options(f: Filters, opts: dict[str, Any]) -> tuple[Filters, list[str]]:
    """The filters the sidebar can show, and what had to go.

    Dates are moved into the store's range: nothing lies outside it, so the rows stay the same,
    and the date boxes refuse values beyond their bounds (a drill-down into the first quarter of
    the over-time chart starts before the first article). An issue or outlet the store does not
    hold (a link from another store, a hand-edited URL) is dropped and named, so that the
    sidebar never reads "All issues" while every count is zero.
    """
    lo, hi = opts.get("date_min"), opts.get("date_max")

    def inside(d: date | None) -> date | None:
        return d if d is None or lo is None or hi is None else min(max(d, lo), hi)

    dropped = []
    issue = f.issue
    if issue is not None and issue not in opts["issues"]:
        dropped.append(f"issue “{issue}”")
        issue = None
    outlets = tuple(o for o in f.outlets if o in opts["outlets"])
    dropped += [f"outlet “{o}”" for o in f.outlets if o not in opts["outlets"]]
    return replace(f, issue=issue, outlets=outlets, date_from=inside(f.date_from),
                   date_to=inside(f.date_to)), dropped


# About as many characters as the sidebar's Issue box shows (190 px of 14 px text, at any width
# of the window): a selectbox cannot wrap, and a longer issue, cut, reads as its neighbour
# ("Lifting the US ban on anti-pe…", "Reinstating the US ban on an…"), so the chosen one is
# also written out under the box. A tooltip would not show on a projector.
ISSUE_BOX_CHARS = 28


def issue_cut(issue: str | None) -> bool:
    """Whether the Issue box cuts this issue's name."""
    return issue is not None and len(issue) > ISSUE_BOX_CHARS


_SOURCE_LABELS = {None: "Named and anonymous", "named": "Named sources only",
                  "anonymous": "Anonymous sources only"}


def sidebar() -> Filters:
    """Draw the shared filters in the sidebar and return the current `Filters`."""
    opts = data.options(data.version_stamp())
    f, dropped = fit_to_options(current(), opts)
    if f != current():
        set_filters(f)
    # a hand-edited link (?sources=foo) would otherwise show every quote without a word
    invalid = st.session_state.pop(INVALID_KEY, [])
    if invalid:
        st.sidebar.warning(f"Not a valid filter value, so not applied: {', '.join(invalid)}.")
    if dropped:
        st.sidebar.warning(f"Not in this store, so not applied: {', '.join(dropped)}.")
    _seed(f)
    lo, hi = opts["date_min"], opts["date_max"]
    sb = st.sidebar
    sb.header("Filters")
    sb.selectbox("Issue", [None, *opts["issues"]], key=_W["issue"], on_change=_on_change,
                 format_func=lambda v: "All issues" if v is None else v, placeholder="All issues")
    if issue_cut(f.issue):
        sb.caption(f.issue)
    # One under the other, each as wide as the sidebar: side by side, at every window width, a
    # box about 100 px wide showed "yyyy - mm -" of its placeholder and cut a chosen date.
    sb.date_input("From", key=_W["date_from"], min_value=lo, max_value=hi, on_change=_on_change,
                  format="YYYY-MM-DD")
    sb.date_input("To", key=_W["date_to"], min_value=lo, max_value=hi, on_change=_on_change,
                  format="YYYY-MM-DD")
    sb.multiselect("Outlets", opts["outlets"], key=_W["outlets"], on_change=_on_change,
                   placeholder="All outlets")
    sb.multiselect("Actor types", list(ACTOR_TYPES), key=_W["actor_types"],
                   on_change=_on_change, placeholder="All actor types")
    sb.multiselect("Stances", list(STANCES), key=_W["stances"], on_change=_on_change,
                   placeholder="All stances")
    speakers = data.query("speaker_options", replace(f, speaker=None))
    if f.speaker and f.speaker not in speakers:
        speakers = [f.speaker, *speakers]
    sb.selectbox("Speaker", [None, *speakers], key=_W["speaker"], on_change=_on_change,
                 format_func=lambda v: "Any speaker" if v is None else v,
                 placeholder="Any speaker")
    sb.selectbox("Sources", [None, *SOURCES], key=_W["sources"], on_change=_on_change,
                 format_func=lambda v: _SOURCE_LABELS.get(v, str(v)),
                 placeholder=_SOURCE_LABELS[None],
                 help="Anonymous: a source the article deliberately leaves unnamed (\"a senior "
                      "official\", \"a diplomat\", \"sources\", \"officials familiar with the "
                      "talks\", \"who spoke on condition of anonymity\"), listed as "
                      "\"anonymous …\". An unnamed spokesperson is a body's voice on the record "
                      "and counts as that body (\"a Pentagon spokesperson\": Pentagon). Groups "
                      "quoted as groups "
                      "(\"diplomats\", \"critics\", \"military officials\") count as named, as in "
                      "the seed article's reference labels.")
    sb.text_input("Search quotes and speakers", key=_W["search"], on_change=_on_change,
                  placeholder="e.g. children, treaty")
    sb.slider("Minimum model confidence", 0.0, 1.0, step=0.05, key=_W["min_confidence"],
              on_change=_on_change,
              help="Keep quotes whose predicted stance has at least this probability "
                   "(people's corrections count as certain).")
    sb.button("Clear filters", on_click=_clear, width="stretch")
    sb.radio("Chart image format", ["png", "svg"], key="img_fmt", horizontal=True,
             help="What the camera icon on each chart saves, for slides.")
    write_url(f)
    return f


def drill_down(f: Filters, origin: str, **narrow: Any) -> None:
    """Narrow the filters to a clicked bar/point and open the Quotes page; remember the way back."""
    st.session_state[BACK_KEY] = (current(), origin)
    set_filters(replace(f, **narrow))
    st.switch_page("pages/2_Quotes.py")


def back_button() -> None:
    """On the Quotes page after a drill-down: restore the previous filters and page."""
    back = st.session_state.get(BACK_KEY)
    if not back:
        return
    previous, origin = back
    if st.button("← Back to the chart", key="quotes_back"):
        st.session_state.pop(BACK_KEY, None)
        set_filters(previous)
        st.switch_page(origin)


def period_range(period: date, grain: str) -> tuple[date, date]:
    """The first and last day of the period starting at `period`."""
    months = {"month": 1, "quarter": 3, "year": 12}.get(grain)
    if months is None:  # week
        return period, period + timedelta(days=6)
    y, m = period.year, period.month + months
    y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
    return period, date(y, m, 1) - timedelta(days=1)
