"""The writing pages (AppTest): Add articles and Review, on a private copy of the fixture store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis.store import connect
from tests.apptest import app_page

ROOT = Path(__file__).resolve().parents[1]
STORY = (
    "Senators split over mine ban\n\n"
    "“Lifting the ban puts children at risk,” said Senator Ada Price, a Democrat.\n"
    "General Tomas Reyes said the mines would slow an invasion.\n"
)


@pytest.fixture()
def writable_store(fixture_store, tmp_path, monkeypatch):
    path = tmp_path / "store.duckdb"
    shutil.copy(fixture_store[0], path)
    monkeypatch.setenv("STANCE_DB", str(path))
    monkeypatch.delenv("STANCE_READ_ONLY", raising=False)
    return path


def rows(path: Path, sql: str, params=()):
    # the page's cached connection is read-write; opening the file the same way shares it
    return connect(path).execute(sql, list(params)).fetchall()


def run(page: str) -> AppTest:
    return app_page(page, timeout=180).run()


def test_review_queue_click_sets_stance_and_undo_takes_it_back(writable_store):
    at = run("pages/7_Review.py")
    assert not at.exception, [e.value for e in at.exception]
    first_supportive = next(b for b in at.button if b.key.startswith("rv_supportive_"))
    quote_id = first_supportive.key.removeprefix("rv_supportive_")
    first_supportive.click().run()
    assert not at.exception
    assert "Stance set to supportive." in [s.value for s in at.success]
    assert rows(writable_store, "SELECT stance, corrected FROM quote_facts WHERE quote_id = ?",
                [quote_id]) == [("supportive", True)]
    # the corrected quote has left the queue
    assert f"rv_supportive_{quote_id}" not in [b.key for b in at.button]
    at.button(key="rv_undo").click().run()
    assert rows(writable_store, "SELECT corrected FROM quote_facts WHERE quote_id = ?",
                [quote_id]) == [(False,)]


def test_review_merges_speakers(writable_store):
    at = run("pages/7_Review.py")
    speakers = at.selectbox(key="rv_merge_from").options
    alias, target = speakers[0], speakers[1]
    at.selectbox(key="rv_merge_from").select(alias)
    at.selectbox(key="rv_merge_into").select(target).run()
    articles = {r[0] for r in rows(writable_store, "SELECT article_id FROM quotes WHERE speaker = ?", [alias])}
    at.button(key="rv_merge").click().run()
    assert not at.exception
    assert rows(writable_store, "SELECT count(*) FROM quote_facts WHERE speaker = ?", [alias]) == [(0,)]
    # the merge can join remarks, so the alias's articles were scored again by the shipped model
    n = rows(writable_store, "SELECT count(*) FROM quotes WHERE article_id IN (SELECT unnest(?))", [sorted(articles)])
    assert [s.value for s in at.success] == [f"{alias} merged into {target}. Re-scored {n[0][0]} quotes "
                                             "with their speakers' remarks."]
    versions = rows(writable_store, "SELECT DISTINCT model_version FROM quotes WHERE article_id IN "
                    "(SELECT unnest(?))", [sorted(articles)])
    assert versions and "fixture-1" not in {v for (v,) in versions}


def test_writing_pages_say_so_when_read_only(writable_store, monkeypatch):
    monkeypatch.setenv("STANCE_READ_ONLY", "1")
    for page in ("pages/6_Ingest.py", "pages/7_Review.py"):
        at = app_page(page)
        at.run()
        assert not at.exception
        assert any("read-only" in i.value for i in at.info)


@pytest.mark.slow
def test_pasted_article_is_ingested_and_reported(writable_store):
    before = rows(writable_store, "SELECT count(*) FROM articles")[0][0]
    at = run("pages/6_Ingest.py")
    assert not at.exception
    at.text_area(key="ingest_paste").input(STORY)
    at.text_input(key="ingest_outlet").input("Harbor Times")
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("1 article added" in s.value for s in at.success), [s.value for s in at.success]
    assert rows(writable_store, "SELECT count(*) FROM articles")[0][0] == before + 1
    got = rows(writable_store, "SELECT speaker, actor_type, stance IS NOT NULL FROM quote_facts "
               "WHERE outlet = 'Harbor Times' ORDER BY start_char")
    assert ("Ada Price", "congressional", True) in got
    # the same text again is recognised as a duplicate
    at.button[0].click().run()
    assert any("0 articles added with 0 quotes; 1 was already stored" in s.value for s in at.success)


def test_a_visit_to_add_articles_keeps_the_filters(writable_store):
    """Add articles draws no filters, and used to lose them silently: opened from the menu its
    address had none (a page link drops the URL's parameters), so a reload or a bookmark lost
    them, and a session opened on a link to it did not read them, so the way back lost them."""
    def in_url(at: AppTest) -> list[str]:
        value = at.query_params.get("actor_types")
        return value if isinstance(value, list) else [value]

    at = app_page("dashboard.py")
    at.query_params["actor_types"] = "military"
    at.run()
    at.query_params.clear()  # the menu's page link
    at.switch_page("pages/6_Ingest.py").run()
    assert not at.exception
    assert in_url(at) == ["military"]

    at = app_page("pages/6_Ingest.py")  # a new session, on a link to the page
    at.query_params["actor_types"] = "expert"
    at.run()
    at.query_params.clear()
    at.switch_page("dashboard.py").run()
    assert not at.exception
    assert at.sidebar.multiselect(key="flt_actor_types").value == ["expert"]


@pytest.mark.slow
def test_the_link_to_the_new_quotes_keeps_the_filters(writable_store):
    """"See the quotes" was a plain link: it opened a new tab, a new session, with none of the
    filters. It is a page link in this session, carrying them in its URL, and says they apply."""
    at = app_page("pages/6_Ingest.py", timeout=180)
    at.query_params["outlets"] = "Harbor Times"
    at.run()
    at.text_area(key="ingest_paste").input(STORY)
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    (link,) = [p for p in at.get("page_link") if "See the quotes" in p.proto.label]
    assert link.proto.page == "Quotes" and link.proto.query_string == "outlets=Harbor+Times"
    assert any("filters" in c.value for c in at.caption)


def test_a_review_cards_link_to_its_article_keeps_the_filters(writable_store):
    """The link opens a new tab, a new session that reads its filters from the URL: without
    them, the Quotes table there listed every quote."""
    at = app_page("pages/7_Review.py")
    at.query_params["actor_types"] = "expert"
    at.run()
    assert not at.exception
    links = [m.value for m in at.markdown if "open in its article" in m.value]
    assert links and all("(Quotes?actor_types=expert&quote=" in m for m in links), links[:1]


def test_review_warns_before_one_type_for_a_name_typed_two_ways(writable_store):
    from analysis.store.annotations import correct_quote

    speaker, quote_id, kind = rows(
        writable_store, "SELECT speaker, arg_min(quote_id, quote_id), any_value(actor_type) "
        "FROM quote_facts WHERE speaker IS NOT NULL GROUP BY speaker "
        "HAVING count(*) >= 2 AND count(DISTINCT actor_type) = 1 ORDER BY speaker LIMIT 1")[0]
    at = run("pages/7_Review.py")
    at.selectbox(key="rv_type_speaker").select(speaker).run()
    assert not at.exception
    assert not at.warning  # one type: nothing to warn about
    other = "expert" if kind != "expert" else "military"
    con = connect(writable_store)
    correct_quote(con, quote_id, "actor_type", other)
    n = rows(writable_store, "SELECT count(*) FROM quote_facts WHERE speaker = ?", [speaker])[0][0]
    at.run()
    assert not at.exception
    (warning,) = [w.value for w in at.warning]
    assert warning.startswith(f"{speaker}'s {n} quotes are typed ")
    assert f"{other} (1)" in warning and f"{kind} ({n - 1})" in warning


def test_rename_takes_the_name_in_the_box_when_clicked_without_enter(writable_store):
    at = run("pages/7_Review.py")
    rename = next(b for b in at.button if b.key.startswith("rv_rename_"))
    quote_id = rename.key.removeprefix("rv_rename_")
    # typing and clicking arrive in one run, as when the box loses focus to the button
    at.text_input(key=f"rv_speaker_{quote_id}").input("Ilse Marlow-Dunn")
    rename.click().run()
    assert not at.exception
    assert "Speaker set to 'Ilse Marlow-Dunn'." in at.success[0].value
    assert rows(writable_store, "SELECT speaker FROM quote_facts WHERE quote_id = ?",
                [quote_id]) == [("Ilse Marlow-Dunn",)]


def test_undo_without_a_name_takes_back_only_this_sessions_corrections(writable_store):
    from analysis.store.annotations import correct_quote

    other = rows(writable_store, "SELECT quote_id FROM quote_facts ORDER BY quote_id LIMIT 1")[0][0]
    correct_quote(connect(writable_store), other, "stance", "opposed", author="ana")  # someone else
    at = run("pages/7_Review.py")
    at.button(key="rv_undo").click().run()
    assert not at.exception
    assert [i.value for i in at.info][0].startswith("Nothing to undo in this session.")
    assert rows(writable_store, "SELECT stance, corrected FROM quote_facts WHERE quote_id = ?",
                [other]) == [("opposed", True)]
    mine = next(b for b in at.button if b.key.startswith("rv_neutral_"))
    quote_id = mine.key.removeprefix("rv_neutral_")
    mine.click().run()
    at.button(key="rv_undo").click().run()
    assert at.success[0].value.startswith("Undone: stance = 'neutral' for the quote.")
    assert rows(writable_store, "SELECT corrected FROM quote_facts WHERE quote_id = ?",
                [quote_id]) == [(False,)]
    assert rows(writable_store, "SELECT corrected FROM quote_facts WHERE quote_id = ?",
                [other]) == [(True,)]


def test_an_empty_queue_says_whether_anything_matched(writable_store):
    at = app_page("pages/7_Review.py", timeout=180)
    at.query_params["search"] = "zzqx-no-such-word"
    at.run()
    assert "No quotes match these filters." in [i.value for i in at.info]


@pytest.mark.slow
def test_an_article_without_quotes_is_reported_as_such(writable_store):
    at = run("pages/6_Ingest.py")
    at.text_area(key="ingest_paste").input("Harbour news\n\nThe harbour reopened on Monday after "
                                           "repairs that took three weeks.\n")
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("1 article added with 0 quotes" in s.value for s in at.success)
    assert any(w.value.startswith("No quotation was found") for w in at.warning)


def test_a_gazetteer_entry_is_removed_from_the_review_page(writable_store, tmp_path, monkeypatch):
    from analysis.actors import load_gazetteer
    from analysis.review import retype_stored_quotes

    gazetteer = tmp_path / "gazetteer.csv"
    gazetteer.write_text("pattern,actor_type,note\nFieldwatch,humanitarian,\n"
                         "Military Speaker 0,expert,a test entry\n", encoding="utf-8")
    monkeypatch.setattr("analysis.review.DEFAULT_GAZETTEER", gazetteer)
    monkeypatch.setattr("analysis.actors.DEFAULT_GAZETTEER", gazetteer)
    retype_stored_quotes(connect(writable_store), load_gazetteer(tmp_path / "none.csv"))
    retyped = retype_stored_quotes(connect(writable_store), load_gazetteer(gazetteer))
    assert retyped == rows(writable_store, "SELECT count(*) FROM quote_facts WHERE speaker = ?",
                           ["Military Speaker 0"])[0][0] > 0
    at = run("pages/7_Review.py")
    remove = next(s for s in at.selectbox if s.label == "Remove an entry")
    assert remove.options == ["Fieldwatch", "Military Speaker 0"]
    remove.select("Military Speaker 0")
    next(b for b in at.button if b.label == "Remove").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value for s in at.success] == [
        f"Removed Military Speaker 0; {retyped} stored quotes re-typed."]
    assert gazetteer.read_text(encoding="utf-8") == "pattern,actor_type,note\nFieldwatch,humanitarian,\n"
    assert rows(writable_store, "SELECT DISTINCT actor_type FROM quote_facts WHERE speaker = ?",
                ["Military Speaker 0"]) == [("military",)]
