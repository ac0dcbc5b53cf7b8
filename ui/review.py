"""The review page's parts: one queue card per quote, and the correction callbacks.

In: a row of `analysis.store.review.review_queue`. Out: Streamlit elements; a click appends a
correction (`analysis.store.annotations`), re-scores the quotes whose remarks it may regroup, and
clears cached results so every page shows it.
"""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from analysis.article_view import UNSCORED, quote_pieces
from analysis.charts import STANCE_COLORS
from analysis.errors import StanceError
from analysis.records import ACTOR_TYPES, STANCES
from analysis.pipeline import DEFAULT_ISSUE
from analysis.review import (
    regroups,
    rescore_after_corrections,
    retype_after_speaker_changes,
    sentence_window,
)
from analysis.store.annotations import correct_quote, set_speaker_rule, undo_last
from analysis.wording import counted
from ui import data, filters, writes

MESSAGE_KEY = "review_message"
# Ids of the corrections made in this browser session: what "Undo my last correction" may take
# back when no name is given (several people may correct the same store without one).
MINE_KEY = "review_my_corrections"


def _apply(action: Any, *args: Any, message: str, **kwargs: Any) -> bool:
    """Run a correction; keep its outcome for the next run to show (callbacks cannot draw)."""
    try:
        correction_id = action(writes.connection(), *args, **kwargs)
        st.session_state.setdefault(MINE_KEY, []).append(correction_id)
        st.session_state[MESSAGE_KEY] = ("success", message)
        return True
    except StanceError as exc:
        st.session_state[MESSAGE_KEY] = ("error", str(exc))
        return False
    finally:
        writes.done()


def _rescore_remarks(scope: str, field: str, target: str) -> None:
    """After a correction that can regroup a remark, re-score the quotes it touches and add what
    happened to the message shown next."""
    kind, message = st.session_state.get(MESSAGE_KEY, ("success", ""))
    st.session_state[MESSAGE_KEY] = (kind, f"{message} {rescore_message([(scope, field, target)])}".strip())


def rescore_message(corrections: list[tuple[str, str, str]]) -> str:
    """Re-type the speakers these (scope, field, target) corrections moved quotes between
    (types are read across a speaker's articles), then re-score the quotes whose remarks they
    may have regrouped, so each stored stance is again the mean of the quote and its remark
    (`analysis.stance.context`); returns a sentence for the person, empty when nothing changed."""
    if not regroups(corrections):
        return ""
    retyped = ""
    try:
        retype_after_speaker_changes(writes.connection(), corrections)
    except StanceError as exc:
        retyped = f"Their quotes were not re-typed: {exc}"
    finally:
        writes.done()
    scorer, _ = data.stance_scorer()
    if scorer is None:
        return retyped
    try:
        n = rescore_after_corrections(writes.connection(), scorer, corrections, DEFAULT_ISSUE)
    except StanceError as exc:
        return f"{retyped} Their quotes were not re-scored: {exc}".strip()
    finally:
        writes.done()
    if n is None:
        rescored = ("Too many quotes to re-score at once: run `python -m analysis rescore` so "
                    "their stances follow the new remarks.")
    else:
        rescored = f"Re-scored {counted(n, 'quote')} with their speakers' remarks." if n else ""
    return f"{retyped} {rescored}".strip()


def correct(quote_id: str, field: str, value: str | None, author: str | None, message: str) -> None:
    """Callback: one correction of one quote."""
    if _apply(correct_quote, quote_id, field, value, author=author, message=message,
              note=st.session_state.get(f"review_note_{quote_id}") or None):
        _rescore_remarks("quote", field, quote_id)


def speaker_rule(speaker: str, field: str, value: str, author: str | None, message: str) -> None:
    """Callback: a rule for every quote of a speaker (merge, actor type)."""
    if _apply(set_speaker_rule, speaker, field, value, author=author, message=message):
        _rescore_remarks("speaker", field, speaker)


def several_types_warning(speaker: str, types: list[tuple[str, int]]) -> str:
    """What "Set for all quotes" would do to a name whose quotes carry several actor types."""
    split = ", ".join(f"{kind} ({n})" for kind, n in types)
    total = sum(n for _, n in types)
    return (f"{speaker}'s {total} quotes are typed {split}. If these are different people who "
            "share the name, **Set for all quotes** gives all of them one type: correct their "
            "quotes one by one in the Queue instead (the sidebar's speaker and actor type "
            "filters narrow it to them).")


def rename(quote_id: str, author: str | None) -> None:
    """Callback: the quote's speaker as typed in its box now (a click commits a box the person
    left without pressing Enter, so the name must be read here, not when the card was drawn)."""
    name = (st.session_state.get(f"rv_speaker_{quote_id}") or "").strip()
    correct(quote_id, "speaker", name or None, author,
            f"Speaker set to {name!r}." if name else "Speaker cleared.")


def set_type(quote_id: str, author: str | None) -> None:
    """Callback: the quote's actor type as chosen in its box now."""
    kind = st.session_state.get(f"rv_actor_{quote_id}")
    correct(quote_id, "actor_type", kind, author, f"Actor type set to {kind}.")


def undo(author: str | None) -> None:
    """Callback: take back the newest correction of this person: by their name when they gave
    one, else the newest made in this browser session."""
    mine = None if author else st.session_state.get(MINE_KEY, [])
    try:
        last = undo_last(writes.connection(), author=author, among=mine)
        nothing = ("Nothing to undo." if author else
                   "Nothing to undo in this session. To undo corrections made earlier, type the "
                   "name you gave them under in the sidebar.")
        st.session_state[MESSAGE_KEY] = (
            ("info", nothing) if last is None else
            ("success", f"Undone: {last.field} = {last.value!r} for "
                        f"{'the quote' if last.scope == 'quote' else last.target}."))
    except StanceError as exc:
        last = None
        st.session_state[MESSAGE_KEY] = ("error", str(exc))
    writes.done()
    if last is not None:
        _rescore_remarks(last.scope, last.field, last.target)


def show_message() -> None:
    """The outcome of the last click, once, in a container drawn on every run: a message that
    appeared above the tabs only now and then moved them, and the browser reopened the first."""
    box = st.container()
    kind, text = st.session_state.pop(MESSAGE_KEY, (None, None))
    if kind:
        getattr(box, kind)(text)


def sentence_html(row: dict[str, Any]) -> str:
    """The quote in its sentence, escaped, each of its pieces marked in the model's stance
    colour; the words between the pieces of a split quote ("..., said X. ...") stay unmarked."""
    offset = int(row["context_start"])
    start, end = int(row["start_char"]) - offset, int(row["end_char"]) - offset
    before, span, after = sentence_window(str(row["context"]), start, end)
    colour = STANCE_COLORS.get(row.get("stance") or "", UNSCORED)
    parts, at = [], 0
    for a, b in quote_pieces(row):
        a, b = max(a - offset - start, at), min(b - offset - start, len(span))
        if a >= b:
            continue
        parts.append(html.escape(span[at:a]))
        parts.append(f"<mark style='background:{colour}33;border-bottom:3px solid {colour}'>"
                     f"{html.escape(span[a:b])}</mark>")
        at = b
    parts.append(html.escape(span[at:]))
    return (f"<div style='font-size:1.05em;line-height:1.6'>…{html.escape(before)}"
            f"{''.join(parts)}{html.escape(after)}…</div>")


def card(row: dict[str, Any], author: str | None) -> None:
    """One quote to review: its sentence, the model's guess, one-click corrections."""
    qid = str(row["quote_id"])
    probs = " · ".join(f"{s} {float(row[f'p_{s}']):.0%}" for s in STANCES)
    # a new tab, a new session: the filters go in its URL, or its Quotes table lists every quote
    link = "Quotes?" + urlencode({**filters.current().to_query_params(), "quote": qid,
                                  "article": row["article_id"]}, doseq=True)
    with st.container(border=True):
        st.markdown(f"**{html.escape(str(row['speaker'] or 'Unknown speaker'))}** "
                    f"({row['actor_type']}) · {row['outlet'] or 'unknown outlet'} · "
                    f"[open in its article]({link})")
        st.html(sentence_html(row))
        st.caption(f"Model: **{row['stance']}** ({probs}) · issue: {row['issue'] or 'default'}")
        # Wrapping rows, each button as wide as its label: in fixed columns, at 900 px (a
        # projector) every button was cut ("Su…", "O…", "Se…", "Re…").
        row1 = st.container(horizontal=True, vertical_alignment="center")
        for stance in STANCES:
            row1.button(stance.capitalize(), key=f"rv_{stance}_{qid}", on_click=correct,
                        args=(qid, "stance", stance, author, f"Stance set to {stance}."))
        row1.button("Not a quote", key=f"rv_nq_{qid}", on_click=correct,
                    args=(qid, "not_quote", "true", author, "Marked as not a quote."))
        row1.text_input("Note (optional)", key=f"review_note_{qid}", label_visibility="collapsed",
                        placeholder="Note (optional)")
        # each field with its button, so that a wrap never parts them; wide enough that a field
        # keeps its value readable ("congressi…" at 900 px when the four shared one line)
        row2 = st.container(horizontal=True)
        kind, name = (row2.container(horizontal=True, wrap=False, vertical_alignment="bottom",
                                     width=340) for _ in range(2))
        kind.selectbox("Actor type", ACTOR_TYPES, index=ACTOR_TYPES.index(row["actor_type"])
                       if row["actor_type"] in ACTOR_TYPES else len(ACTOR_TYPES) - 1,
                       key=f"rv_actor_{qid}")
        kind.button("Set type", key=f"rv_setactor_{qid}", on_click=set_type, args=(qid, author))
        name.text_input("Speaker", value=str(row["speaker"] or ""), key=f"rv_speaker_{qid}")
        name.button("Rename", key=f"rv_rename_{qid}", on_click=rename, args=(qid, author))
