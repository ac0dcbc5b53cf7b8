"""Quotes: every quote in the current filter; choose one to read it in its article.

The table pages through the same slice query the export streams, in the same filters.
`?quote=<id>&article=<id>` in the URL reopens a chosen quote.
"""

from __future__ import annotations

import hashlib
import math

import streamlit as st

from analysis.store.queries import QUOTE_SORTS
from analysis.wording import counted
from ui import article, data, filters, widgets

PAGE_SIZE = 100
# The quote first, as on the Speakers page; then who said it, their actor type in brackets (as
# the Speakers chart names a voice), and the stance. At 900 px (a projector) the table is about
# 440 px wide: with the quote one line in 400 px, every other column was off to the right. The
# quote wraps over four lines of a narrower column instead (more of it shows than on one line),
# and who and which side fit beside it; the date, probability, outlet and cue follow, in view at
# 1400 px. Only the table's order: the export keeps its own (analysis.store.queries.slice_sql).
COLUMNS = ["quote", "speaker", "stance", "published", "confidence", "outlet", "cue"]
ROW_HEIGHT = 76  # four lines of text; a table wraps its cells only in rows over 64 px

f = widgets.page("Quotes", "💬")
st.title("Quotes")
filters.back_button()
n = data.query("count_quotes", f)
if widgets.empty_state(n):
    st.stop()

c1, c2, c3 = st.columns([2, 1, 3])
sort = c1.selectbox("Sort by", list(QUOTE_SORTS), key="quotes_sort")
pages = max(1, math.ceil(n / PAGE_SIZE))
page_no = int(c2.number_input(f"Page (of {pages:,})", 1, pages, key="quotes_page_no"))
c3.caption(f"{counted(n, 'quote')} match{'es' if n == 1 else ''} the filters. Select a row to read the quote in its article. "
           "Search and the other filters are in the sidebar.")
rows = data.query("quotes_page", f, sort=sort, limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE)
# A table's selection is a row position. Another sort, page, filter or store version puts another
# quote at that position, so each slice gets a table of its own (nothing selected); the chosen
# quote stays open through the URL, by its id.
slice_key = hashlib.sha1(repr((f, sort, page_no, data.version_stamp())).encode()).hexdigest()[:12]
event = st.dataframe(
    widgets.readable_rows(rows[COLUMNS]).assign(speaker=widgets.speaker_with_type(rows)),
    hide_index=True, width="stretch", height=36 + 6 * ROW_HEIGHT, row_height=ROW_HEIGHT,
    key=f"quotes_table_{slice_key}",
    on_select="rerun", selection_mode="single-row",
    column_config={
        "quote": st.column_config.TextColumn("Quote", width=200),
        "speaker": st.column_config.TextColumn(
            "Speaker (type)", width=120, help="Who said it, and their actor type"),
        "stance": st.column_config.TextColumn("Stance", width=80),
        "published": st.column_config.TextColumn("Date", width=90),
        "confidence": st.column_config.ProgressColumn("Probability", min_value=0.0,
                                                      max_value=1.0, format="percent",
                                                      width=120),
        "outlet": st.column_config.TextColumn("Outlet", width=120),
        "cue": st.column_config.TextColumn("Cue", width=80),
    },
)
widgets.export_buttons(f, "quotes", sort=sort)

chosen = event.selection.rows if event and event.selection else []
if chosen:
    row = rows.iloc[chosen[0]].to_dict()
    st.query_params["quote"] = row["quote_id"]
    st.query_params["article"] = row["article_id"]
elif "quote" in st.query_params and "article" in st.query_params:
    # a shared link: find the quote among its article's quotes
    _, quotes = data.article(st.query_params["article"], data.version_stamp())
    match = quotes[quotes["quote_id"] == st.query_params["quote"]]
    row = None if match.empty else {**match.iloc[0].to_dict(),
                                    "article_id": st.query_params["article"]}
else:
    row = None

st.divider()
if row is None:
    st.caption("Choose a quote in the table to see its article.")
else:
    left, right = st.columns([3, 2])
    with left:
        article.show_article(row)
    with right:
        article.show_reasons(row)
