"""Model: the stance model's card — what it was trained on, how well it measured, where it errs,
and whether its probabilities can be trusted."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import charts, model_card
from analysis.records import STANCES
from analysis.wording import counted
from ui import data, widgets

f = widgets.page("Model", "🧪")
st.title("The stance model")
st.markdown("Each quote's stance toward the article's issue is predicted by a scikit-learn "
            "classifier over **the quote's words and the issue text only**. It never sees the "
            "speaker or the actor type, because the dashboard charts stance *by* actor type: "
            "using them would make the divisions circular.")

cards = model_card.read_cards()
models = data.models(data.version_stamp())
card = cards.get("stance.json", {})
if not cards and models.empty:
    st.info("No model card yet: train the model with `python -m analysis train`, or run the "
            "stance benchmark to write data/model_card.json.")

if card:
    st.markdown(f"Model version `{card.get('version', '?')}`, trained "
                f"{str(card.get('trained_at', '?'))[:16].replace('T', ' ')} with scikit-learn "
                f"{card.get('sklearn_version', '?')}.")
    widgets.metrics([("Training statements", f"{int(card.get('training_size') or 0):,}"),
                     ("Training time", f"{float(card.get('train_seconds') or 0):.0f} s"),
                     ("Feature version", str(card.get("feature_version", "?")))])
    counts = card.get("label_counts") or {}
    if counts:
        st.caption("Training labels: " + ", ".join(f"{counts.get(s, 0):,} {s}" for s in STANCES)
                   + f". Parameters: {card.get('params')}.")
    summary = model_card.feature_summary(card.get("params") or {})
    if summary:
        st.markdown(f"Features: {summary}.")
    experts = model_card.experts_table(card)
    if not experts.empty:
        st.caption("Issues with enough labelled statements for a model of their own, and the "
                   "share it gets next to the shared model: the share that predicted the issue's "
                   "statements best out of fold (0% when the shared model alone did best).")
        st.dataframe(experts, hide_index=True, width="stretch", column_config={
            "share of its own model": st.column_config.ProgressColumn(
                min_value=0.0, max_value=1.0, format="percent")})

sources = model_card.evaluation_sources(
    {**{model_card.source_name(name): model_card.metric_sets(cd) for name, cd in cards.items()},
     # the store's record of each model that scored its quotes
     **{f"the store's record of model {row.version}": model_card.metric_sets(row.metrics)
        for row in models.itertuples()}})
st.subheader("How well it measured")
news = model_card.news_quotes_summary(cards.get("model_card.json", {}))
if news:
    st.info(news)
if sources:
    source = (st.selectbox("Measured in", list(sources), key="mdl_source")
              if len(sources) > 1 else next(iter(sources)))
    sets = sources[source]
    # a key per source: another source's evaluation is not among this one's
    which = st.selectbox("Evaluation", list(sets), key=f"mdl_set:{source}")
    m = sets[which]
    widgets.metrics([("Macro-F1", f"{m.get('macro_f1', 0):.2f}"),
                     ("Accuracy", f"{m.get('accuracy', 0):.2f}"),
                     ("Statements evaluated", f"{int(m.get('n') or 0):,}")])
    if m.get("protocol"):
        st.caption(str(m["protocol"]))
    st.dataframe(model_card.per_class_table(m), hide_index=True, width="stretch")
    calib = m.get("calibration")
    if isinstance(calib, dict) and "ece" in calib:
        widgets.metrics([("Expected calibration error", f"{calib['ece']:.3f}",
                          "Average gap between the model's probability and how often it is "
                          "right; 0 is perfect."),
                         ("Brier score", f"{calib.get('brier', float('nan')):.3f}"),
                         ("Log-loss", f"{calib.get('log_loss', float('nan')):.3f}")])
    labels, matrix = model_card.confusion(m)
    widgets.chart(charts.confusion_matrix(labels, matrix), "confusion_matrix", "mdl_conf")
else:
    st.info("The card holds no evaluation yet (macro-F1, confusion matrix).")

bench_card = cards.get("model_card.json", {})
probes = model_card.probe_table(bench_card)
if not probes.empty:
    measured = (bench_card.get("model") or {}).get("version", "?")
    issues = (bench_card.get("heldout") or {}).get("probes", {}).get("issues")
    st.subheader("Plain sentences, template by template")
    st.caption(f"Sentences whose stance needs no reading between the lines, each tried with "
               f"{issues or 'several'} issues the model was never trained on: {{inf}} is filled "
               "with the issue's change (\"close the Guantanamo Bay detention camp\"), the other "
               "templates are paired with each issue as they stand. \"Read right\" is the share "
               f"of issues the model read as it should, weakest first, as measured for model "
               f"`{measured}` (data/heldout/probes.json).")
    st.dataframe(probes, hide_index=True, width="stretch", column_config={
        "read right": st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="percent")})

shares = model_card.actor_type_shares(bench_card)
if not shares.empty:
    n = int(shares["quotes"].sum())
    st.subheader("Do the charts tell the truth?")
    st.caption(f"The dashboard's own question asked of the {n:,} quotes of the demo articles whose "
               "stance their authors labelled, scored as ingest scores them: for each actor type "
               "(as the authors gave it), the share of supportive quotes minus the share of "
               "opposed ones. Where the two dots stand apart, the charts over- or understate "
               "that side for such voices.")
    widgets.chart(charts.net_stance_authors_vs_model(shares), "net_stance_authors_vs_model",
                  "mdl_net")
    gap = model_card.largest_share_gap(shares)
    if gap:  # None when no type has enough quotes or a gap worth naming
        st.caption(gap)
    with st.expander("The shares behind it"):
        percent = st.column_config.NumberColumn(format="percent")
        st.dataframe(shares, hide_index=True, width="stretch",
                     column_config={c: percent for c in shares.columns if "(" in c})

targets = model_card.targets_table(bench_card)
if not targets.empty:
    st.subheader("Targets")
    st.caption("The acceptance targets for the stance model, as `bench/stance_bench.py` last "
               "measured them (data/model_card.json).")
    st.dataframe(targets, hide_index=True, width="stretch")

st.subheader("Are its probabilities honest?")
# the chosen evaluation's reliability bins first, then any in the cards
bins = model_card.calibration_bins(sets[which]) if sets else pd.DataFrame()
for cd in cards.values() if bins.empty else ():
    bins = model_card.calibration_bins(cd)
    if not bins.empty:
        break
source = "the model card"
conf, corr_bins = data.corrections_check(data.version_stamp())
if bins.empty and not corr_bins.empty:
    n_fixed = int(corr_bins["count"].sum())
    bins, source = corr_bins, f"{counted(n_fixed, 'quote')} people corrected"
widgets.chart(charts.calibration(bins), "calibration", "mdl_calib")
st.caption(f"Calibration from {source}. Points below the diagonal mean the model is "
           "over-confident: treat the confidence filter as a ranking, not a guarantee.")
if not conf.empty:
    table = conf.pivot_table(index="gold", columns="predicted", values="n", fill_value=0)
    table = table.reindex(index=list(STANCES), columns=list(STANCES), fill_value=0)
    widgets.chart(charts.confusion_matrix(list(STANCES), table.values.tolist(),
                                          title="The model against people's corrections"),
                  "corrections_confusion", "mdl_corr")

st.subheader("Model history")
if models.empty:
    st.caption("No models recorded in the store.")
else:
    hist = models.assign(grouped_cv_macro_f1=[model_card.grouped_cv_macro_f1(m) for m in models["metrics"]])
    st.dataframe(hist.drop(columns=["metrics"]), hide_index=True, width="stretch",
                 column_config={"grouped_cv_macro_f1": st.column_config.NumberColumn(
                     "Grouped-CV macro-F1", format="%.3f")})
