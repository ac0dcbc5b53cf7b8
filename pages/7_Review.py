"""Review: correct what the machine got wrong, least certain first; share and learn from it."""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from analysis.actors import DEFAULT_GAZETTEER
from analysis.errors import StanceError
from analysis.ingest import decode_bytes
from analysis.records import ACTOR_TYPES
from analysis.review import (
    add_gazetteer_entry, check_gazetteer_reach, gazetteer_patterns, gazetteer_table,
    remove_gazetteer_entry, retrain_from_corrections, retype_stored_quotes,
)
from analysis.store.annotations import export_corrections, import_corrections, read_corrections
from analysis.store.review import actor_types_of_speaker, review_queue
from analysis.wording import counted
from ui import data, review, widgets, writes

PAGE_SIZE = 8

f = widgets.page("Review", "✏️")
writes.require_writable()
author = writes.author()
st.title("Review and correct")
review.show_message()
queue_tab, speakers_tab, gazetteer_tab, learn_tab = st.tabs(
    ["Queue", "Speakers", "Actor types by name", "Retrain and share"])

with queue_tab:
    # the button as wide as its label (in a fifth of the page it read "Undo …" at 900 px)
    top = st.container(horizontal=True, vertical_alignment="bottom")
    top.caption("Quotes in the current filters that the model is least sure of come first. A "
                "correction applies at once in every chart and export, and wins over the model. "
                "Nothing is overwritten.")
    top.button("Undo my last correction", on_click=review.undo, args=(author,), key="rv_undo")
    page_no = st.number_input("Page", 1, 10_000, 1, key="rv_page")
    rows = review_queue(writes.connection(), f, limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE)
    if rows.empty:
        st.info("Nothing left to review in these filters: every scored quote is corrected."
                if data.query("count_quotes", f) else "No quotes match these filters.")
    for row in rows.to_dict("records"):
        review.card(row, author)

with speakers_tab:
    speakers = data.query("speaker_options", f)
    st.caption("Merge two names of one person (McCain = John McCain = Sen. McCain), or give a "
               "speaker an actor type for all of their quotes, past and future.")
    m1, m2, m3 = st.columns([2, 2, 1], vertical_alignment="bottom")
    alias = m1.selectbox("Merge this speaker", speakers, index=None, key="rv_merge_from")
    target = m2.selectbox("into", speakers, index=None, key="rv_merge_into")
    m3.button("Merge", key="rv_merge", disabled=not (alias and target), on_click=review.speaker_rule,
              args=(alias, "merge_into", target, author, f"{alias} merged into {target}."))
    t1, t2, t3 = st.columns([2, 2, 1], vertical_alignment="bottom")
    who = t1.selectbox("Speaker", speakers, index=None, key="rv_type_speaker")
    kind = t2.selectbox("is", ACTOR_TYPES, key="rv_type_kind")
    t3.button("Set for all quotes", key="rv_type_set", disabled=not who, on_click=review.speaker_rule,
              args=(who, "actor_type", kind, author, f"{who} is now {kind} in every quote."))
    if who and len(types := actor_types_of_speaker(writes.connection(), who)) > 1:
        st.warning(review.several_types_warning(who, types))

with gazetteer_tab:
    st.caption("A name or organisation that anyone quoted may carry (\"ICBL\" → humanitarian). "
               f"Saved in `{DEFAULT_GAZETTEER.name}`; it re-types stored quotes now and new ones "
               "as they arrive. Corrections of single quotes still win.")
    with st.form("rv_gazetteer"):
        g1, g2, g3 = st.columns([2, 1, 2])
        pattern = g1.text_input("Name, phrase or re:pattern")
        gtype = g2.selectbox("Actor type", ACTOR_TYPES)
        note = g3.text_input("Why (optional)")
        if st.form_submit_button("Add"):
            try:
                check_gazetteer_reach(writes.connection(), pattern.strip())
                add_gazetteer_entry(pattern, gtype, note)
                changed = retype_stored_quotes(writes.connection())
                writes.done()
                st.success(f"Added {pattern.strip()} → {gtype}; {changed} stored quotes re-typed.")
            except StanceError as exc:
                st.error(str(exc))
    if patterns := gazetteer_patterns():
        with st.form("rv_gazetteer_remove", clear_on_submit=True):
            r1, r2 = st.columns([4, 1], vertical_alignment="bottom")
            gone = r1.selectbox("Remove an entry", patterns, index=None,
                                placeholder="Choose a name or pattern")
            if r2.form_submit_button("Remove") and gone:
                try:
                    removed = remove_gazetteer_entry(gone)
                    changed = retype_stored_quotes(writes.connection())
                    writes.done()
                    lines = f" ({removed} lines with this pattern)" if removed > 1 else ""
                    st.success(f"Removed {gone}{lines}; {changed} stored quotes re-typed.")
                except StanceError as exc:
                    st.error(str(exc))
    if rows := gazetteer_table():  # drawn after both forms, so it shows what they just did
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")

with learn_tab:
    st.subheader("Retrain the stance model from corrections")
    st.caption("Trains a new model with your stance corrections, compares it with the current "
               "one on corrections neither has seen, and replaces it only if it is not worse; "
               "then every stored quote is re-scored. Corrections stay as they are.")
    if st.button("Retrain now", key="rv_retrain"):
        with st.spinner("Training and comparing…"):
            try:
                report = retrain_from_corrections(writes.connection())
                writes.done()
            except StanceError as exc:
                st.error(str(exc))
                report = None
        if report:
            cmp = report.comparison
            st.write(f"{report.corrections} corrections: trained on {report.trained_on}, "
                     f"compared on {report.heldout}.")
            st.dataframe(pd.DataFrame({
                "model": [cmp.get("old_version"), cmp.get("new_version")],
                "held-out macro-F1": [(cmp.get("old") or {}).get("macro_f1"), cmp["new"]["macro_f1"]],
            }), hide_index=True)
            (st.success if report.replaced else st.warning)(
                f"New model in use; {report.rescored} quotes re-scored." if report.replaced
                else "The new model was worse on held-out corrections; the old one stays.")
    st.subheader("Share corrections")
    buf = io.StringIO()
    n = export_corrections(writes.connection(), buf)
    st.download_button(f"Download all corrections ({n})", buf.getvalue(),
                       file_name="stance_corrections.csv", mime="text/csv", key="rv_export")
    upload = st.file_uploader("Import a corrections file", type=["csv"], key="rv_import")
    if upload is not None and st.button("Import", key="rv_import_go"):
        try:
            imported = read_corrections(decode_bytes(upload.getvalue(), upload.name))
            added = import_corrections(writes.connection(), imported)
            writes.done()
            rescored = review.rescore_message([(c.scope, c.field, c.target) for c in imported]) if added else ""
            st.success(f"{counted(added, 'correction')} imported (ones already here were "
                       f"skipped). {rescored}".strip())
        except StanceError as exc:
            st.error(f"Cannot import {upload.name}: {exc}")
