"""The reading view of one quote: its article with every quote highlighted, and the model's reasons.

In: a row of the slice (a dict with quote_id, article_id, quote, issue, probabilities).
Out: Streamlit elements. The HTML comes from `analysis.article_view`, which escapes all article
text; `st.html` additionally sanitises it.
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd
import streamlit as st

from analysis.article_view import article_html, quote_card
from analysis.charts import STANCE_COLORS
from analysis.records import STANCES
from analysis.stance.context import QuoteSpan, remark_text, utterances
from ui import data


def legend() -> str:
    """A one-line HTML key for the stance colours."""
    items = "".join(f'<span style="background:{c}33;border-bottom:3px solid {c};'
                    f'padding:0 .4em">{s}</span>'
                    for s, c in STANCE_COLORS.items())
    # wraps in a narrow column (side by side) instead of running into the next one
    return f'<div style="display:flex;flex-wrap:wrap;gap:.3em .8em">{items}</div>'


def label(title: str | None, outlet: str | None, published: Any) -> str:
    """An article as a choice in a box: its title first (what tells two articles apart, and
    what a box too narrow for the whole line still shows), then outlet and date."""
    when = f"{published:%Y-%m-%d}" if pd.notna(published) else "undated"
    return f"{title or '(untitled article)'} · {outlet or 'unknown outlet'} · {when}"


def show_article(row: dict[str, Any], compact: bool = False) -> None:
    """The article of `row` with all its quotes in their stance colours and speakers named.

    `compact` (two articles side by side): the title in bold text, not a heading that takes
    five lines of a narrow column."""
    art, quotes = data.article(str(row["article_id"]), data.version_stamp())
    if art is None:
        st.warning("This quote's article is no longer in the store.")
        return
    title = art["title"] or "(untitled article)"
    if compact:
        st.html(f'<p style="font-weight:600;font-size:1.1rem;margin:0">{html.escape(title)}</p>')
    else:
        st.subheader(title)
    meta = [art["outlet"] or "unknown outlet",
            f"{art['published']:%d %b %Y}" if pd.notna(art["published"]) else "undated",
            f"{len(quotes)} quotes"]
    st.caption(" · ".join(meta) + (f" · issue: {art['issue']}" if art["issue"] else ""))
    if art["url"]:
        st.link_button("Open the original", str(art["url"]))
    st.html(legend())
    st.html(article_html(art["text"], quotes.to_dict("records"), selected=row["quote_id"]))


def show_remark(row: dict[str, Any], quote: str, issue: str) -> None:
    """When the quote is one piece of a longer remark, how the remark changed its score."""
    art, quotes = data.article(str(row["article_id"]), data.version_stamp())
    if art is None or quotes.empty or row["quote_id"] not in set(quotes["quote_id"]):
        return
    spans = [QuoteSpan(int(q.start_char), int(q.end_char), q.speaker, str(q.quote))
             for q in quotes.itertuples()]
    here = list(quotes["quote_id"]).index(row["quote_id"])
    remark = utterances(str(art["text"]), spans)[here]
    scores = data.stance_scores((quote, remark_text(spans, remark)), issue) if len(remark) > 1 else None
    if not scores:
        return
    (alone, p_alone), (whole, p_whole) = scores
    others = len(remark) - 1
    st.caption(f"Scored together with the speaker's {others} other quote{'s' * (others > 1)} in "
               f"this paragraph: the quote alone reads {alone} ({p_alone:.0%}), the whole remark "
               f"{whole} ({p_whole:.0%}); the probabilities above are the mean of the two. The "
               "words below are this quote's own, weighed toward the answer those give.")


def model_answer(row: dict[str, Any]) -> str | None:
    """The model's label for a stored quote: its largest stored probability (scored in context,
    so it can differ from the quote alone), whatever a person's correction says; None when the
    quote is unscored."""
    probs = {s: row.get(f"p_{s}") for s in STANCES}
    if any(p is None or pd.isna(p) for p in probs.values()):
        return None
    return max(probs, key=lambda s: float(probs[s]))


def show_reasons(row: dict[str, Any]) -> None:
    """Why the model chose this stance: its probabilities and the words that pushed it."""
    st.markdown(f"**{row.get('speaker') or 'Unknown speaker'}** ({row['actor_type']}) — "
                f"stance **{row.get('stance') or 'unscored'}**"
                + (" *(corrected by a person)*" if row.get("corrected") else ""))
    st.html(quote_card(str(row.get("quote") or ""), row.get("stance")))
    probs = pd.DataFrame({"stance": list(STANCES),
                          "probability": [row.get(f"p_{s}") for s in STANCES]})
    # widths that fit the side column at 900 px (a projector), where the bar ran on past the
    # table's edge and took its percentage with it
    st.dataframe(probs, hide_index=True, width="stretch", column_config={
        "stance": st.column_config.TextColumn("stance", width=80),
        "probability": st.column_config.ProgressColumn(min_value=0.0, max_value=1.0,
                                                       format="percent", width=80)})
    scorer, why = data.stance_scorer()
    if scorer is None:
        st.info(f"No explanation: {why}.")
        return
    quote, issue = str(row["quote"]), str(row.get("issue") or "")
    show_remark(row, quote, issue)
    answer = model_answer(row)
    terms = data.explain(quote, issue, 8, label=answer)
    if not terms:
        st.caption("The model found no single words that decided this quote.")
        return
    toward = f"toward **{answer}**, the model's answer," if answer else "toward its answer"
    negated = any(term.endswith(" (negated)") for term, _ in terms)
    st.caption(f"Words in the quote that pushed the model {toward} (positive) or away from it "
               "(negative). The speaker and actor type are never used."
               + (" “(negated)”: words right after “not”, “never” or “n't”, which the model "
                  "reads apart from the same words unnegated." if negated else ""))
    st.dataframe(pd.DataFrame(terms, columns=["term", "weight"]).round(3), hide_index=True,
                 width="stretch")
    kinds = data.explain_by_kind(quote, issue, label=answer)
    if kinds:
        # each kind is defined only when it is listed
        defined = (" \"Tone\" is how positive or negative its words are (VADER); it only "
                   "decides whether the quote takes a side, not which." if "tone" in kinds else "")
        defined += (" \"Attitude toward the change\" is an attitude word or a verdict aimed at "
                    "the change itself (\"we support this decision\", \"we cannot back the "
                    "move\", \"it would be a mistake\")."
                    if "attitude toward the change" in kinds else "")
        st.caption("Net push toward the answer by kind of evidence: "
                   + ", ".join(f"{kind} {value:+.2f}" for kind, value in kinds.items())
                   + ". \"Sentence meaning\" is the quote's sentence embedding." + defined
                   + " Each label also has a starting point of its own, not shown, so an answer "
                   "can win with every push against it when the others start lower.")
    if kinds and "sentence meaning" in kinds:
        # words whose value would print as +0.00 say nothing
        leaned_on = [(w, v) for w, v in data.explain_embedding(quote, issue, label=answer) or []
                     if abs(v) >= 0.005]
        if leaned_on:
            st.caption("Sentence meaning leaned most on (how much its push falls when the word "
                       "is left out): " + ", ".join(f"“{w}” {v:+.2f}" for w, v in leaned_on) + ".")
