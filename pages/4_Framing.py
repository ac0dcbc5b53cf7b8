"""Framing (for teaching): which verbs introduce each voice, whom each outlet quotes, and two
outlets or two articles side by side."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from analysis import charts
from ui import article, data, filters, widgets

f = widgets.page("Framing", "🎓")
st.title("Framing: how the story is told")
n = data.query("count_quotes", f)
if widgets.empty_state(n):
    widgets.export_buttons(f, "framing")
    st.stop()

st.subheader("Said, warned or claimed?")
st.caption("The verb a writer picks frames the speaker: \"said\" is neutral, \"warned\" lends "
           "weight, \"claimed\" casts doubt, \"admitted\" implies a concession. Each column "
           "sums to 100% of that group's quotes among the most common verbs.")
by = widgets.choice("frm_by", "Compare verbs across", ["actor_type", "stance"], "actor_type",
                    format_func=lambda v: v.replace("_", " "))
cues = data.query("cue_verbs", f, top_n=15, lemmas=data.cue_lemmas())
widgets.chart(widgets.fig(charts.cue_heatmap, cues, by=by or "actor_type",
                                 title="Which verbs introduce each "
                                 + ("type of voice" if by != "stance" else "side")),
              "cue_verbs", "frm_cues")

st.subheader("Share of voice")
voice = data.query("voice_by_outlet", f, top_outlets=15)
widgets.chart(widgets.fig(charts.voice_by_outlet, voice), "share_of_voice", "frm_voice",
              on_click=lambda p: filters.drill_down(
                  f, "pages/4_Framing.py", actor_types=(widgets.point_values(p)[0],),
                  outlets=(widgets.point_values(p)[4],)))
st.caption("Of the quotes each outlet printed, the share given to each type of voice. "
           "Click a segment to read those quotes.")

st.subheader("Side by side")
mode = widgets.choice("frm_mode", "Compare", ["two outlets", "two articles"], "two outlets")
opts = data.options(data.version_stamp())
if mode == "two articles":
    arts = data.query("articles_list", f, limit=300)
    labels = {r.article_id: article.label(r.title, r.outlet, r.published)
              for r in arts.itertuples()}
    ids = list(labels)
    # The two boxes one under the other, each as wide as the page, the title first: in half
    # columns, at 900 px (a projector), a box showed "2026-10-15 · Civic Review · R" and no title.
    picks = [widgets.kept_selectbox(f"Article {i + 1}", ids, key=f"frm_art{i}",
                                    index=min(i, len(ids) - 1) if ids else None,
                                    format_func=labels.get)
             for i in range(2)]
    for pick, col in zip(picks, st.columns(2)):
        with col:
            if pick:
                article.show_article({"article_id": pick, "quote_id": None}, compact=True)
else:
    outlets = list(f.outlets) or opts["outlets"]
    cols = st.columns(2)
    for i, col in enumerate(cols):
        with col:
            outlet = widgets.kept_selectbox(f"Outlet {i + 1}", outlets, key=f"frm_out{i}",
                                            index=min(i, len(outlets) - 1))
            g = replace(f, outlets=(outlet,))
            widgets.chart(widgets.fig(charts.stance_diverging,
                                      data.query("stance_by_actor", g), "share",
                                      title=f"{outlet}: how the voices divide", narrow=True,
                                      extent=1.0),  # one scale for both outlets
                          f"divisions_{i + 1}", f"frm_div{i}")
            verbs = data.query("cue_verbs", g, top_n=8, lemmas=data.cue_lemmas())
            widgets.chart(widgets.fig(charts.cue_heatmap, verbs,
                                      title=f"{outlet}: verbs by type of voice", narrow=True),
                          f"cues_{i + 1}", f"frm_cue{i}")
widgets.export_buttons(f, "framing")
