"""Divisions: stance by actor type, outlet by outlet and over time.

Small multiples share the Home chart's colours and actor order; the confidence threshold in the
sidebar drops quotes the model was unsure about. Click a bar or a point to read its quotes.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from analysis import charts
from analysis.store.queries import TIME_GRAINS
from ui import data, filters, widgets

PAGE = "pages/1_Divisions.py"

f = widgets.page("Divisions", "⚖️")
st.title("Divisions: who takes which side, where and when")
n = data.query("count_quotes", f)
st.caption(f"{n:,} quotes in the filters"
           + (f", keeping only those the model gave at least {f.min_confidence:.0%}"
              if f.min_confidence else "")
           + ". Move **Minimum model confidence** in the sidebar to see whether the divisions "
             "hold among the quotes the model is sure about.")
summary = data.query("corpus_summary", f)
if not widgets.empty_state(n):
    widgets.mixed_issues_note(f, int(summary["issues"] or 0))

# A wrapping row, each toggle as wide as its options: in fixed columns, at 900 px (a projector)
# "Time step" covered "count" ("co week").
controls = st.container(horizontal=True)
with controls:
    measure = widgets.choice("measure", "Show", ["share", "count"], "share")
    grain = widgets.choice("grain", "Time step", list(TIME_GRAINS), "quarter")  # months are mostly empty in a small corpus
outlets = int(summary["outlets"] or 0)
# as many panels as there are outlets in the filters, up to 24
top = (controls.slider("Outlets shown", 3, min(24, outlets), min(9, outlets), key="div_top",
                       width=220)
       if outlets > 3 else max(outlets, 1))


def to_outlet(point: dict) -> None:
    actor, stance, *_rest = widgets.point_values(point)
    outlet = widgets.point_values(point)[5]
    filters.drill_down(f, PAGE, actor_types=(actor,), stances=(stance,), outlets=(outlet,))


def to_period(point: dict) -> None:
    actor, stance, _n, _share, period = widgets.point_values(point)[:5]
    lo, hi = filters.period_range(date.fromisoformat(str(period)[:10]), grain)
    filters.drill_down(f, PAGE, actor_types=(actor,), stances=(stance,), date_from=lo,
                       date_to=hi)


st.subheader("Outlet by outlet")
by_outlet = data.query("stance_by_actor_outlet", f, top_outlets=top)
widgets.chart(widgets.fig(charts.stance_diverging, by_outlet, measure, facet="outlet",
                                      title="How each type of voice divides, outlet by outlet"),
              "stance_by_actor_outlet", "div_outlet", on_click=to_outlet)
st.caption("The outlets with the most quotes in the filters, largest first. "
           "Opposed to the left, supportive to the right, neutral straddling the centre.")

st.subheader("Over time")
over_time = data.query("stance_over_time", f, grain=grain)
widgets.chart(widgets.fig(charts.stance_over_time, over_time, measure),
              "stance_over_time", "div_time",
              on_click=to_period)
st.caption(f"One panel per actor type; each point is one {grain}. Shares are of that actor "
           "type's quotes in that period, so a spike from two quotes looks like one from two "
           "hundred: switch to counts to check.")
widgets.export_buttons(f, "divisions")
