"""Home: the corpus in numbers and how each type of voice divides on the issue.

`streamlit run dashboard.py` on a fresh checkout builds the demo store first (progress bar),
then opens on it. Click a bar to read the quotes behind it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import charts
from ui import data, filters, widgets

widgets.build_demo_if_missing()
f = widgets.page("Home")

st.title("Who says what, and which side they take")
summary = data.query("corpus_summary", f)
first, last = summary["first"], summary["last"]
if summary["quotes"] and pd.notna(first):  # undated articles give no range
    st.caption(f"Quotes from {first:%d %b %Y} to {last:%d %b %Y}"
               + (f" on “{f.issue}”" if f.issue else " on every issue in the store") + ".")
share = summary["anonymous_share"]  # NaN when no quote matches: shown as "–"
widgets.metrics([("Quotes", f"{int(summary['quotes']):,}"),
                 ("Articles", f"{int(summary['articles']):,}"),
                 ("Speakers", f"{int(summary['speakers']):,}"),
                 ("Outlets", f"{int(summary['outlets']):,}"),
                 ("Anonymous sources", "–" if pd.isna(share) else f"{share:.0%}")])

widgets.empty_state(int(summary["quotes"]))
widgets.outdated_store_note(int(summary["quotes"]))
widgets.outdated_scores_note()
widgets.mixed_issues_note(f, int(summary["issues"] or 0))
measure = widgets.choice("measure", "Show", ["share", "count"], "share",
                         help="Share of each actor type's quotes, or the number of quotes.")
df = data.query("stance_by_actor", f)
title = ("How each type of voice divides on the issue"
         + (f": {f.issue}" if f.issue else ""))
widgets.chart(
    widgets.fig(charts.stance_diverging, df, measure, title=title),
    "stance_by_actor_type", "home_diverging",
    on_click=lambda p: filters.drill_down(
        f, "dashboard.py", actor_types=(widgets.point_values(p)[0],),
        stances=(widgets.point_values(p)[1],)),
)
st.caption("Each row is one type of voice. Bars to the left are quotes opposed to the issue, "
           "to the right supportive; grey, straddling the centre, is neutral. "
           "**Click a bar** to read the quotes behind it. Stances are the model's, "
           "except where a person corrected them.")
widgets.export_buttons(f, "home")
