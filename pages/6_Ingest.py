"""Add articles: upload files or a .zip, or paste text; see what each file gave."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.actors import load_gazetteer
from analysis.errors import StanceError
from analysis.ingest import ArticleMeta
from analysis.uploads import ingest_uploads, pasted_upload
from analysis.wording import counted
from ui import filters, widgets, writes

st.set_page_config(page_title="Add articles · Stance dashboard", page_icon="📥", layout="wide")
widgets.menu()
# Adding articles does not depend on the filters; the pages this one leads back to do.
f = filters.keep()
st.title("Add articles")
writes.require_writable()
st.caption("Upload .txt, .md, .html, .csv or .jsonl files (CSV/JSONL need a `text` column; "
           "`title`, `outlet`, `date`, `url`, `issue` columns are read when present), a .zip of "
           "them, or paste an article. The same text is stored once.")

with st.form("ingest_form", clear_on_submit=False):
    # Any file is taken, so that one of another type is named in the report with the types
    # that work; a restricted uploader only greys it out and the form then says none was chosen.
    files = st.file_uploader("Article files", accept_multiple_files=True, key="ingest_files")
    pasted = st.text_area("…or paste an article (its first line is the title)", height=160,
                          key="ingest_paste")
    # The issue on a line of its own, outlet and date halves under it: in columns [3, 2, 1], at
    # 900 px (a projector) the date box showed "y" of its placeholder and the issue's was cut.
    issue = st.text_input("Issue (what stance is measured toward)", key="ingest_issue",
                          placeholder="e.g. Lifting the US ban on anti-personnel landmines",
                          help="Leave empty to use the issue in the file, or the default issue.")
    c2, c3 = st.columns(2)
    outlet = c2.text_input("Outlet", key="ingest_outlet", help="Leave empty to read it from the file.")
    published = c3.date_input("Date", value=None, key="ingest_date")
    submitted = st.form_submit_button("Add articles", type="primary")

if submitted:
    uploads = [(file.name, file.getvalue()) for file in files or []]
    if pasted.strip():
        uploads.append(pasted_upload(pasted))
    if not uploads:
        st.warning("Choose at least one file or paste an article.")
        st.stop()
    overall = st.progress(0.0, text="Reading files…")
    per_file = st.container()
    bars: dict[str, object] = {}

    def on_article(done: int, total: int, title: str) -> None:
        overall.progress(done / total, text=f"{done} of {total} articles · {title[:60]}")

    def on_file(done: int, total: int, path: str) -> None:
        name = path.rsplit("/", 1)[-1]
        if name not in bars:
            bars[name] = per_file.progress(0.0, text=name)
        bars[name].progress(done / total, text=f"{name}: {done} of {total}")

    defaults = ArticleMeta(issue=issue.strip() or None, outlet=outlet.strip() or None,
                           published=published)
    try:
        summary = ingest_uploads(
            writes.connection(), uploads, writes.nlp(), defaults=defaults,
            gazetteer=load_gazetteer(), scorer=writes.scorer(),
            progress=on_article, file_progress=on_file,
        )
    except StanceError as exc:
        st.error(str(exc))
        st.stop()
    overall.progress(1.0, text="Done")
    writes.done()
    st.success(f"{counted(summary.articles_added, 'article')} added with "
               f"{counted(summary.quotes_added, 'quote')}; "
               f"{summary.duplicates} {'was' if summary.duplicates == 1 else 'were'} already stored.")
    if summary.articles_added and not summary.quotes_added:
        st.warning("No quotation was found, so the charts will not show "
                   f"{'this article' if summary.articles_added == 1 else 'these articles'}. "
                   "Quotes are read from quotation marks with a speaker nearby "
                   "(“…,” said Jane Doe) and from reported speech (Jane Doe said that …).")
    report = pd.DataFrame(
        [{"file": name, **counts} for name, counts in summary.per_file.items()],
        columns=["file", "articles", "duplicates", "quotes"],
    )
    st.dataframe(report, hide_index=True, width="stretch")
    if summary.errors:
        st.warning(f"{len(summary.errors)} problems; the other files were added.")
        st.dataframe(pd.DataFrame([{"file": e.path, "problem": e.reason} for e in summary.errors]),
                     hide_index=True, width="stretch")
    # A page link, in this session: a plain link opened a new one, in a new tab, without filters.
    kept = f.to_query_params()
    st.page_link("pages/2_Quotes.py", label="See the quotes →", query_params=kept)
    if kept:
        st.caption("The filters you chose on the other pages apply there too: **Clear filters** "
                   "in the sidebar lists every quote, the new articles' included.")
