"""Speakers: who gets quoted, by actor type; how often sources are anonymous; one speaker's
quotes and stance over time."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from analysis import charts
from analysis.store.queries import TIME_GRAINS
from ui import data, filters, widgets

PAGE = "pages/3_Speakers.py"

f = widgets.page("Speakers", "🗣️")
st.title("Speakers: who gets a voice")
summary = data.query("corpus_summary", f)
if widgets.empty_state(int(summary["quotes"])):
    widgets.export_buttons(f, "speakers")
    st.stop()

widgets.metrics([("Distinct speakers", f"{int(summary['speakers']):,}"),
                 ("Quotes per speaker", f"{summary['quotes'] / max(1, summary['speakers']):.1f}"),
                 ("Quotes from anonymous sources", f"{summary['anonymous_share']:.0%}")])

top_n = st.slider("Speakers shown", 10, 60, 25, step=5, key="spk_top")
speakers = data.query("top_speakers", f, limit=top_n)


def to_speaker(point: dict) -> None:
    values = widgets.point_values(point)
    filters.drill_down(f, PAGE, speaker=values[5], stances=(values[1],),
                       actor_types=(values[0],))


widgets.chart(widgets.fig(charts.speakers_bar, speakers,
                          title=f"Who gets quoted most: top {top_n}"),
              "top_speakers", "spk_bar", on_click=to_speaker)
st.caption("Bars are split by the stance of each speaker's quotes; the actor type is in "
           "brackets. Click a segment to read those quotes.")

anon = data.query("anonymity_by_actor", f)
widgets.chart(widgets.fig(charts.anonymity_bar, anon), "anonymous_share", "spk_anon",
              on_click=lambda p: filters.drill_down(
                  f, PAGE, actor_types=(widgets.point_values(p)[0],), sources="anonymous"))
st.caption("Share of each actor type's quotes attributed to an unnamed source "
           "(\"a senior official\", \"a diplomat\"). Click a bar to read that type's "
           "anonymous quotes."
           + (f" The Sources filter keeps only {f.sources} sources, so every share here is "
              f"{'100%' if f.sources == 'anonymous' else '0%'}; choose \"Named and anonymous\" to "
              "compare." if f.sources else ""))

st.subheader("One speaker over time")
# (speaker, actor type) as in the chart: one name can be two people ("Dana Whitfield")
picks = list(dict.fromkeys(zip(speakers["speaker"], speakers["actor_type"])))
default = next((p for p in picks if p[0] == f.speaker), picks[0] if picks else None)
pick = widgets.kept_selectbox("Speaker", picks, key="spk_pick",
                              index=picks.index(default) if default else None,
                              format_func=lambda p: f"{p[0]} ({p[1]})",
                              help="The speakers in the chart above; to pick anyone, use the "
                              "Speaker filter in the sidebar.")
grain = widgets.choice("spk_grain", "Time step", list(TIME_GRAINS), "month")  # not Divisions' "grain"
if pick:
    who, who_type = pick
    theirs = replace(f, actor_types=(who_type,))
    timeline = data.query("speaker_timeline", theirs, speaker=who, grain=grain)
    widgets.chart(widgets.fig(charts.speaker_timeline, timeline, f"{who} ({who_type})"),
                  "speaker_timeline", "spk_time")
    quotes = data.query("quotes_page", replace(theirs, speaker=who), limit=20)
    # the quote first: on a narrow screen the last columns are off to the right
    st.dataframe(widgets.readable_rows(quotes[["quote", "published", "outlet", "stance",
                                               "confidence", "cue"]]),
                 hide_index=True, width="stretch", column_config={
                     "quote": st.column_config.TextColumn("Quote", width="large"),
                     "published": st.column_config.TextColumn("Date"),
                     "outlet": "Outlet", "stance": "Stance", "cue": "Cue",
                     "confidence": st.column_config.NumberColumn("Probability", format="%.2f")})
    if st.button(f"All quotes from {who} ({who_type}) →", key="spk_all"):
        filters.drill_down(f, PAGE, speaker=who, actor_types=(who_type,))
widgets.export_buttons(f, "speakers")
