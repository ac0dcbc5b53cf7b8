"""Every page renders on the fixture store (AppTest), shows the expected categories, reacts to
a filter, and shows its empty state when the filters select nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis.records import ACTOR_TYPES
from tests.apptest import app_page

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["dashboard.py", "pages/1_Divisions.py", "pages/2_Quotes.py", "pages/3_Speakers.py",
         "pages/4_Framing.py", "pages/5_Model.py"]


@pytest.fixture()
def store_env(fixture_store, monkeypatch):
    monkeypatch.setenv("STANCE_DB", str(fixture_store[0]))
    # the read pages are tested read-only, so these tests can open the same file read-only too
    monkeypatch.setenv("STANCE_READ_ONLY", "1")
    return fixture_store


def run_page(page: str, query: dict[str, str] | None = None) -> AppTest:
    at = app_page(page)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def chart_specs(at: AppTest) -> list[dict]:
    """The plotly figures on the page, as the JSON the browser receives."""
    import json
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def categories(spec: dict, axis: str = "y") -> set[str]:
    return {v for trace in spec["data"] for v in (trace.get(axis) or []) if isinstance(v, str)}


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_exception(store_env, page):
    if not (ROOT / page).exists():
        pytest.fail(f"{page} is missing")
    at = run_page(page)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("page", PAGES[:-1])
def test_page_shows_the_empty_state(store_env, page):
    at = run_page(page, {"search": "zzqx-no-such-word"})
    assert not at.exception
    text = " ".join(i.value for i in at.info)
    assert "No quotes match these filters" in text
    assert not any("nan" in m.value for m in at.metric), [m.value for m in at.metric]


@pytest.mark.parametrize("page", PAGES[:-1])
def test_a_link_from_another_store_says_what_it_cannot_apply(store_env, page):
    at = run_page(page, {"outlets": "Nowhere at all", "issue": "Not an issue here"})
    assert not at.exception
    (warning,) = [w.value for w in at.sidebar.warning]
    assert warning == ("Not in this store, so not applied: issue “Not an issue here”, "
                       "outlet “Nowhere at all”.")
    assert "No quotes match these filters" not in " ".join(i.value for i in at.info)
    assert "outlets" not in at.query_params and "issue" not in at.query_params


def test_a_hand_edited_link_says_which_values_are_not_valid_and_keeps_the_rest(store_env):
    everything = run_page("dashboard.py").metric[0].value
    military = run_page("dashboard.py", {"actor_types": "military"}).metric[0].value
    at = app_page("dashboard.py")
    at.query_params["sources"] = "foo"
    at.query_params["actor_types"] = ["military", "generals"]
    at.query_params["date_from"] = "2024-13-01"
    at.query_params["min_confidence"] = "high"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    (warning,) = [w.value for w in at.sidebar.warning]
    assert warning == ("Not a valid filter value, so not applied: date_from “2024-13-01”, "
                       "actor_types “generals”, min_confidence “high”, sources “foo”.")
    assert at.metric[0].value == military != everything  # the valid actor type still applies
    assert next(s for s in at.sidebar.selectbox if s.label == "Sources").value is None
    assert "sources" not in at.query_params and "min_confidence" not in at.query_params
    assert at.query_params["actor_types"] in ("military", ["military"])


def test_a_reversed_date_range_chosen_in_the_sidebar_is_named_and_not_applied(store_env):
    """Chosen in the sidebar, From after To showed an empty page with no word of why, while the
    same range in a link was named and not applied."""
    at = run_page("dashboard.py")
    everything = at.metric[0].value
    lo, hi = at.sidebar.date_input[0], at.sidebar.date_input[1]
    first, last = lo.min, hi.max
    lo.set_value(last).run()
    at.sidebar.date_input[1].set_value(first).run()
    assert not at.exception
    (warning,) = [w.value for w in at.sidebar.warning]
    assert warning == f"Not a valid filter value, so not applied: From {last} is after To {first}."
    assert at.metric[0].value == everything
    assert "date_from" not in at.query_params and "date_to" not in at.query_params


@pytest.mark.parametrize("query", [{"date_from": "2000-01-01"}, {"date_to": "2099-12-31"},
                                   {"date_from": "2000-01-01", "date_to": "2099-12-31"}])
def test_dates_beyond_the_stores_range_are_its_first_and_last_day(store_env, query):
    everything = run_page("dashboard.py").metric[0].value
    at = run_page("dashboard.py", query)  # e.g. a drill-down into the chart's first quarter
    assert not at.exception, [e.value for e in at.exception]
    assert at.metric[0].value == everything
    lo, hi = at.sidebar.date_input[0], at.sidebar.date_input[1]
    if "date_from" in query:
        assert str(lo.value) > "2000-01-01" and at.query_params["date_from"] == str(lo.value)
    if "date_to" in query:
        assert str(hi.value) < "2099-12-31" and at.query_params["date_to"] == str(hi.value)


def test_home_chart_holds_every_actor_type_and_stance(store_env):
    at = run_page("dashboard.py")
    spec = chart_specs(at)[0]
    assert categories(spec) == set(ACTOR_TYPES)
    assert {t["name"] for t in spec["data"]} == {"supportive", "opposed", "neutral"}
    assert "divides" in spec["layout"]["title"]["text"]


@pytest.mark.parametrize("page", ["dashboard.py", "pages/1_Divisions.py"])
def test_charts_say_stances_are_toward_each_articles_issue_until_one_is_chosen(store_env, page):
    at = run_page(page)
    assert "about 2 issues" in " ".join(i.value for i in at.info)  # the fixture store has two
    at = run_page(page, {"issue": "Lifting the landmine ban"})
    assert not at.exception
    assert not any("issues" in i.value for i in at.info)


def test_changing_a_filter_changes_the_counts(store_env):
    at = run_page("dashboard.py")
    before = at.metric[0].value
    at.sidebar.multiselect[1].select("military").run()  # actor types
    assert not at.exception
    assert at.metric[0].value != before
    assert categories(chart_specs(at)[0]) == {"military"}
    assert at.query_params["actor_types"] in ("military", ["military"])  # URL keeps the filter


def test_the_sources_filter_keeps_only_unnamed_speakers(store_env):
    at = run_page("dashboard.py")
    before = at.metric[0].value
    sources = next(s for s in at.sidebar.selectbox if s.label == "Sources")
    sources.select("anonymous").run()
    assert not at.exception
    assert at.metric[0].value != before
    assert categories(chart_specs(at)[0]) == {"other"}  # the fixture's only unnamed voices
    assert at.query_params["sources"] in ("anonymous", ["anonymous"])
    at = run_page("pages/3_Speakers.py", {"sources": "named"})  # e.g. from a shared link
    assert next(s for s in at.sidebar.selectbox if s.label == "Sources").value == "named"
    anonymous_n = [row[2] for row in chart_specs(at)[1]["data"][0]["customdata"]]
    assert anonymous_n == [0] * len(ACTOR_TYPES)
    assert any("keeps only named sources" in c.value for c in at.caption)
    sources = next(s for s in at.sidebar.selectbox if s.label == "Sources")
    assert sources.proto.placeholder == "Named and anonymous"


def test_home_says_when_quotes_were_scored_by_another_model(store_env, monkeypatch):
    from ui import data

    monkeypatch.setattr(data, "current_model_version", lambda: "sk-newer")
    at = run_page("dashboard.py")
    notes = [i.value for i in at.info if "another stance model" in i.value]
    quotes = store_env[1]["quotes"]
    assert notes == [f"{quotes:,} of {quotes:,} quotes were scored by another stance model than "
                     "the current one (sk-newer). `python -m analysis rescore` scores them again; "
                     "people's corrections stay (stop the dashboard first: the command needs the "
                     "store to itself)."]
    monkeypatch.setattr(data, "current_model_version", lambda: "fixture-1")
    assert not [i for i in run_page("dashboard.py").info if "another stance model" in i.value]


def test_filters_come_from_the_url(store_env):
    at = run_page("dashboard.py", {"actor_types": "expert", "measure": "count"})
    assert categories(chart_specs(at)[0]) == {"expert"}
    assert at.sidebar.multiselect[1].value == ["expert"]


def test_quotes_page_opens_an_article_from_the_url(store_env, fixture_store):
    from analysis.store import connect
    from analysis.store import queries as Q
    con = connect(fixture_store[0], read_only=True)
    row = Q.quotes_page(con, Q.Filters(), limit=1).iloc[0]
    con.close()
    at = run_page("pages/2_Quotes.py", {"quote": row["quote_id"], "article": row["article_id"]})
    assert not at.exception
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "<mark" in html and "stance" not in row["quote"]
    assert row["speaker"] in html
    # the explanation: evidence by kind, and the words the sentence embedding leaned on
    captions = " ".join(c.value for c in at.caption)
    assert "kind of evidence" in captions and "sentence meaning" in captions
    assert "starting point of its own" in captions  # why an answer can win against every push
    leaned = next(c.value for c in at.caption if c.value.startswith("Sentence meaning leaned"))
    assert any(f"“{w}”" in leaned for w in row["quote"].lower().split())


def test_the_quotes_table_shows_the_quote_first(store_env):
    """At 900 px (a projector) the table is about 440 px wide: the quote, after the date,
    speaker and actor type, was off to the right. (The CSV keeps its own columns, a contract:
    tests/test_export.py.)"""
    at = run_page("pages/2_Quotes.py")
    assert not at.exception
    assert list(at.dataframe[0].value.columns)[:2] == ["quote", "speaker"]


def test_the_quotes_table_names_each_speaker_with_their_actor_type(store_env):
    """At 900 px the table shows the quote, who said it and the stance: the actor type rides in
    the speaker's column, as the Speakers chart names a voice."""
    import pandas as pd

    from ui.widgets import speaker_with_type

    at = run_page("pages/2_Quotes.py")
    table = at.dataframe[0].value
    assert list(table.columns)[:3] == ["quote", "speaker", "stance"]
    assert "actor_type" not in table and table["speaker"].str.fullmatch(r".+ \(\w+\)").all()
    rows = pd.DataFrame({"speaker": ["Ann Lee", None], "actor_type": ["expert", "other"]})
    assert speaker_with_type(rows).tolist() == ["Ann Lee (expert)", "Unknown speaker (other)"]


def test_article_text_is_escaped(store_env, fixture_store):
    from analysis.store import connect
    con = connect(fixture_store[0], read_only=True)
    qid, aid = con.execute("SELECT q.id, q.article_id FROM quotes q JOIN articles a "
                           "ON a.id = q.article_id WHERE a.text LIKE '%<script>%' LIMIT 1"
                           ).fetchall()[0]
    con.close()
    at = run_page("pages/2_Quotes.py", {"quote": qid, "article": aid})
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "&lt;script&gt;window.__pwned" in html and "<script>" not in html


def test_export_button_payload_is_the_slice(store_env, ro_con):
    """What the download button serves: the CSV of the filtered slice, as bytes."""
    import csv
    import io

    from analysis.store import queries as Q
    from ui import widgets

    f = Q.Filters(actor_types=("humanitarian",))
    payload = widgets._export_file(f, "csv")
    assert isinstance(payload, bytes)
    rows = list(csv.DictReader(io.StringIO(payload.decode("utf-8"))))
    sql, params = Q.slice_sql(f, sort=None)
    expected = ro_con.execute(sql, params).df()["quote_id"]
    assert sorted(r["quote_id"] for r in rows) == sorted(expected)


def test_divisions_and_speakers_charts_hold_their_categories(store_env):
    at = run_page("pages/1_Divisions.py")
    outlet_chart, time_chart = chart_specs(at)[:2]
    panels = {a["text"] for a in outlet_chart["layout"]["annotations"]}
    assert panels == {"Ledger", "Herald", "Courier"}
    assert {t["name"] for t in time_chart["data"]} == {"supportive", "opposed", "neutral"}
    at = run_page("pages/3_Speakers.py")
    anonymity = chart_specs(at)[1]
    assert anonymity["data"][0]["y"] == list(ACTOR_TYPES)  # one row per actor type


def test_confidence_threshold_narrows_the_divisions(store_env):
    at = run_page("pages/1_Divisions.py")
    total = sum(sum(t["customdata"][i][2] for i in range(len(t["customdata"])))
                for t in chart_specs(at)[1]["data"])
    at = run_page("pages/1_Divisions.py", {"min_confidence": "0.8"})
    assert not at.exception
    narrowed = sum(sum(t["customdata"][i][2] for i in range(len(t["customdata"])))
                   for t in chart_specs(at)[1]["data"])
    assert 0 < narrowed < total


def test_model_page_shows_the_features_the_benchmark_targets_and_the_probes(store_env):
    import json

    card = json.loads((ROOT / "data" / "model_card.json").read_text(encoding="utf-8"))
    at = run_page("pages/5_Model.py")
    assert not at.exception
    assert "Targets" in [h.value for h in at.subheader]
    shown = [df.value for df in at.dataframe if "goal" in df.value.columns]
    assert shown and len(shown[0]) == len(card["targets"])
    probes = [df.value for df in at.dataframe if "template" in df.value.columns]
    assert probes and len(probes[0]) == len(card["heldout"]["probes"]["by_template"])
    assert "Plain sentences, template by template" in [h.value for h in at.subheader]
    assert "Do the charts tell the truth?" in [h.value for h in at.subheader]
    shares = [df.value for df in at.dataframe if "net (authors)" in df.value.columns]
    assert shares and len(shares[0]) == len(card["demo_gold"]["by_actor_type_in_context"])


def test_model_page_chooses_the_source_of_an_evaluation_before_the_evaluation(
        fixture_store, tmp_path, monkeypatch):
    """Once the store recorded a model of its own, every evaluation read "model_card.json: ..."
    and the shipped one was cut in its box at 900 px (a projector)."""
    import shutil

    from analysis.store import connect, record_model

    path = tmp_path / "with_model.duckdb"
    shutil.copy(fixture_store[0], path)
    con = connect(path)
    record_model(con, "sk-test", "2026-11-25T00:00:00", 10,
                 {"grouped_cv": {"macro_f1": 0.7, "accuracy": 0.7, "n": 10}})
    con.close()
    monkeypatch.setenv("STANCE_DB", str(path))
    at = run_page("pages/5_Model.py")
    assert not at.exception
    source = at.selectbox(key="mdl_source")
    bench, store = "the benchmark (bench/stance_bench.py)", "the store's record of model sk-test"
    # the benchmark first, by what it is, not by its file's name; the saved model's run may follow
    assert source.options[0] == bench and store in source.options
    evaluation = at.selectbox(key=f"mdl_set:{bench}")
    assert evaluation.value.endswith("(shipped)") and ":" not in evaluation.value
    at.selectbox(key="mdl_source").set_value(store).run()
    assert not at.exception
    assert at.selectbox(key=f"mdl_set:{store}").options == ["grouped_cv"]


def test_the_sidebar_menu_links_every_page_and_calls_the_first_home(store_env):
    at = run_page("pages/5_Model.py")
    links = [(link.proto.label, link.proto.page) for link in at.sidebar.get("page_link")]
    assert links[0] == ("Home", "")
    page_files = sorted((ROOT / "pages").glob("*.py"))
    # every file under pages/ has its link, named as its URL is ("6_Ingest.py" -> "Ingest")
    assert [page for _, page in links[1:]] == [p.stem.split("_", 1)[1] for p in page_files]
    assert not any(label == "dashboard" for label, _ in links)


def test_quote_view_says_when_a_quote_was_scored_with_the_rest_of_its_remark(tmp_path, monkeypatch):
    from analysis.records import Article, Quote
    from analysis.store import connect, save_article

    text = ('Intro.\n"These mines maim children for decades," Ann Lee said. "Keep the ban." '
            'Bo Park said: "Our troops need this option."')
    article = Article(doc_id="r", text=text, title="Remark", issue="Lifting the landmine ban")

    def quote(words: str, speaker: str) -> Quote:
        start = text.index(words)
        return Quote("r", words, ((start, start + len(words)),), "direct", "said", speaker, speaker,
                     "humanitarian", False, "opposed", 0.2, 0.7, 0.1, "m",
                     article_id=article.article_id)

    quotes = [quote("These mines maim children for decades,", "Ann Lee"),
              quote("Keep the ban.", "Ann Lee"), quote("Our troops need this option.", "Bo Park")]
    con = connect(tmp_path / "remark.duckdb")
    save_article(con, article, quotes)
    con.close()
    monkeypatch.setenv("STANCE_DB", str(tmp_path / "remark.duckdb"))
    monkeypatch.setenv("STANCE_READ_ONLY", "1")

    def remark_captions(q: Quote) -> list[str]:
        at = run_page("pages/2_Quotes.py", {"quote": q.quote_id, "article": article.article_id})
        assert not at.exception
        return [c.value for c in at.caption if c.value.startswith("Scored together")]

    (caption,) = remark_captions(quotes[1])
    assert "1 other quote in this paragraph" in caption and "the quote alone reads" in caption
    assert remark_captions(quotes[2]) == []  # another speaker: a remark of its own


def test_the_model_answer_is_the_largest_stored_probability_whatever_a_person_said() -> None:
    from ui.article import model_answer

    row = {"stance": "supportive", "p_supportive": 0.2, "p_opposed": 0.7, "p_neutral": 0.1}
    assert model_answer(row) == "opposed"
    assert model_answer({"stance": None, "p_supportive": None, "p_opposed": None,
                         "p_neutral": None}) is None


def test_one_speaker_over_time_is_picked_by_name_and_type(store_env, ro_con):
    from analysis.store import queries as Q
    from analysis.store.queries import Filters

    at = run_page("pages/3_Speakers.py")
    pick = at.selectbox(key="spk_pick")
    top = Q.top_speakers(ro_con, Filters(), limit=25)
    assert pick.options == [f"{s} ({a})" for s, a in zip(top["speaker"], top["actor_type"])]
    speaker, actor_type = pick.value
    table = at.dataframe[-1].value
    assert len(table) == Q.count_quotes(
        ro_con, Filters(speaker=speaker, actor_types=(actor_type,))) or len(table) == 20


def test_tables_show_a_missing_date_as_undated_and_a_missing_outlet_blank_not_none():
    """A table shows a missing value as "None" (a missing date too, NaT included): an undated
    article's date reads "undated", as in its header and on Framing."""
    import pandas as pd

    from ui.widgets import readable_rows

    rows = pd.DataFrame({"published": [None, "2025-01-02"], "outlet": [None, "Ledger"],
                         "cue": ["said", None], "quote": ["a", "b"]})
    shown = readable_rows(rows)
    assert shown["outlet"].tolist() == ["", "Ledger"] and shown["cue"].tolist() == ["said", ""]
    assert shown["published"].tolist() == ["undated", "2025-01-02"]
    assert rows["outlet"].isna().sum() == 1  # the query's own frame is left as it was


def test_an_undated_article_reads_undated_in_the_quotes_and_speakers_tables(tmp_path, monkeypatch):
    from analysis.records import Article, Quote
    from analysis.store import connect, save_article

    text = 'Intro.\n"These mines maim children for decades," Ann Lee said.'
    words = "These mines maim children for decades,"
    dated = Article(doc_id="d", text=text + " Later.", title="Dated", outlet="Ledger",
                    published=date(2024, 3, 1))
    undated = Article(doc_id="u", text=text, title="Undated", outlet="Ledger")
    con = connect(tmp_path / "undated.duckdb")
    for article in (dated, undated):
        start = article.text.index(words)
        save_article(con, article, [Quote(
            article.doc_id, words, ((start, start + len(words)),), "direct", "said", "Ann Lee",
            "Ann Lee", "humanitarian", False, "opposed", 0.2, 0.7, 0.1, "m",
            article_id=article.article_id)])
    con.close()
    monkeypatch.setenv("STANCE_DB", str(tmp_path / "undated.duckdb"))
    monkeypatch.setenv("STANCE_READ_ONLY", "1")
    for page in ("pages/2_Quotes.py", "pages/3_Speakers.py"):
        at = run_page(page)
        assert not at.exception, [e.value for e in at.exception]
        assert sorted(at.dataframe[0].value["published"].tolist()) == ["2024-03-01", "undated"]


def test_home_says_when_the_store_was_extracted_by_an_earlier_version(fixture_store, tmp_path,
                                                                    monkeypatch):
    import shutil

    from analysis.records import EXTRACTOR_VERSION
    from analysis.store import connect, record_extractor

    # the fixture store was written without going through ingest: its version is unknown
    stores = {}
    for version in (None, "2020-01-01", EXTRACTOR_VERSION):
        path = tmp_path / f"store-{version}.duckdb"
        shutil.copy(fixture_store[0], path)
        if version:
            con = connect(path)
            record_extractor(con, version, whole_store=True)
            con.close()
        stores[version] = path
    monkeypatch.setenv("STANCE_READ_ONLY", "1")

    def note(version: str | None) -> list[str]:
        monkeypatch.setenv("STANCE_DB", str(stores[version]))
        at = run_page("dashboard.py")
        assert not at.exception
        return [i.value for i in at.info if "reextract" in i.value]

    assert note(None)[0].startswith("Some articles in this store were extracted before "
                                    "extractor versions were recorded")
    assert note("2020-01-01")[0].startswith("Some articles in this store were extracted by the "
                                            "extractor of 2020-01-01")
    assert note(EXTRACTOR_VERSION) == []


def test_page_toggles_survive_a_visit_to_another_page(store_env):
    at = run_page("pages/4_Framing.py")
    at.button_group(key="frm_by").set_value("stance").run()
    second = at.selectbox(key="frm_out1")
    other = next(o for o in second.options if o != second.value)
    second.select(other).run()
    at.switch_page("pages/2_Quotes.py").run()  # a drill-down, say
    at.switch_page("pages/4_Framing.py").run()  # and back
    assert not at.exception
    assert not at.warning, [w.value for w in at.warning]
    assert at.button_group(key="frm_by").value == "stance"
    assert at.selectbox(key="frm_out1").value == other
    # Divisions and Speakers keep a time step each
    at.switch_page("pages/1_Divisions.py").run()
    at.button_group(key="grain").set_value("year").run()
    at.switch_page("pages/3_Speakers.py").run()
    assert at.button_group(key="spk_grain").value == "month"


def test_framing_sets_two_articles_side_by_side(store_env):
    at = run_page("pages/4_Framing.py", {"frm_mode": "two articles"})
    assert not at.exception, [e.value for e in at.exception]
    picks = [s for s in at.selectbox if s.label in ("Article 1", "Article 2")]
    assert len(picks) == 2 and picks[0].value != picks[1].value
    bodies = [h.proto.body for h in at.get("html")]
    # each article's title, escaped, in bold text rather than a heading; and its quotes marked
    titles = [b for b in bodies if b.startswith("<p style=\"font-weight:600")]
    assert len(titles) == 2 and all("&lt;b&gt;bold&lt;/b&gt;" in t for t in titles)
    assert sum("<mark" in b for b in bodies) == 2
    assert not at.subheader or all("Article" not in s.value for s in at.subheader)


def test_an_article_choice_reads_title_first_then_outlet_and_date():
    """A box too narrow for the whole choice (Framing's two articles at 900 px) still shows
    what tells two articles apart; an undated article is "undated", as in its header."""
    from datetime import date

    import pandas as pd

    from ui.article import label

    assert label("Mines return", "Ledger", date(2024, 1, 5)) == "Mines return · Ledger · 2024-01-05"
    assert label("Mines return", None, pd.NaT) == "Mines return · unknown outlet · undated"
    assert label(None, "Ledger", None).startswith("(untitled article) · Ledger")


def test_a_chosen_issue_too_long_for_its_box_is_written_out_under_it(store_env, monkeypatch):
    """The sidebar's Issue box shows about 28 characters and cannot wrap: the demo's issues were
    cut at every window width ("Banning the use of white phosph…")."""
    from ui import filters

    assert filters.issue_cut("Banning the use of white phosphorus munitions in populated areas")
    assert not filters.issue_cut("Sending cluster munitions") and not filters.issue_cut(None)
    issue = "Lifting the landmine ban"  # the fixture's issues are short: pretend the box is too
    at = run_page("dashboard.py", {"issue": issue})
    assert issue not in [c.value for c in at.sidebar.caption]
    monkeypatch.setattr(filters, "ISSUE_BOX_CHARS", 10)
    at = run_page("dashboard.py", {"issue": issue})
    assert not at.exception
    assert issue in [c.value for c in at.sidebar.caption]
