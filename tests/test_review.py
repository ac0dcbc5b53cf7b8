"""Review actions: gazetteer edits re-type stored quotes; retraining from corrections."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.errors import StanceError
from analysis.records import Article, Quote
from analysis.review import (
    add_gazetteer_entry, check_gazetteer_reach, gazetteer_patterns, gazetteer_table,
    remove_gazetteer_entry, retrain_from_corrections, retype_stored_quotes,
)
from analysis.actors import load_gazetteer
from analysis.store import connect, save_article
from analysis.store.annotations import correct_quote, set_speaker_rule
from analysis.store.review import review_queue, stance_corrections


def store_with(quotes_spec):
    """quotes_spec: list of (text, speaker, context, actor, probs)."""
    con = connect(":memory:")
    text = "\n".join(t for t, *_ in quotes_spec)
    article = Article(doc_id="a", text=text, title="T", issue="Banning cluster munitions")
    quotes, pos = [], 0
    for t, speaker, context, actor, probs in quotes_spec:
        quotes.append(Quote("a", t, ((pos, pos + len(t)),), "direct", "said", speaker, speaker, actor, False,
                            "neutral", *probs, "m1", article_id=article.article_id, speaker_context=context))
        pos += len(t) + 1
    save_article(con, article, quotes)
    return con, [q.quote_id for q in quotes]


def test_review_queue_puts_the_least_certain_first_and_skips_corrected():
    con, ids = store_with([
        ("Sure thing.", "A", "", "other", (0.9, 0.05, 0.05)),
        ("Toss up.", "B", "", "other", (0.4, 0.38, 0.22)),
        ("Leaning.", "C", "", "other", (0.6, 0.3, 0.1)),
    ])
    assert list(review_queue(con)["quote_id"]) == [ids[1], ids[2], ids[0]]
    correct_quote(con, ids[1], "stance", "opposed")
    assert list(review_queue(con)["quote_id"]) == [ids[2], ids[0]]
    row = review_queue(con).iloc[0]
    assert row["quote"] in row["context"]
    from analysis.store.queries import Filters

    assert list(review_queue(con, Filters(speaker="A"))["quote_id"]) == [ids[0]]


def test_gazetteer_edit_applies_to_stored_quotes(tmp_path):
    gaz_path = tmp_path / "gazetteer.csv"
    con, ids = store_with([("We object.", "Lin Moss", "Lin Moss of Fieldwatch", "other", (0.3, 0.4, 0.3))])
    add_gazetteer_entry("Fieldwatch", "humanitarian", "landmine monitor", path=gaz_path)
    assert retype_stored_quotes(con, load_gazetteer(gaz_path)) == 1
    assert con.execute("SELECT actor_type FROM quote_facts").fetchall() == [("humanitarian",)]
    assert retype_stored_quotes(con, load_gazetteer(gaz_path)) == 0


def test_removing_a_gazetteer_entry_re_types_and_keeps_every_other_line(tmp_path):
    gaz_path = tmp_path / "gazetteer.csv"
    gaz_path.write_bytes(b"pattern,actor_type,note\r\n# why these\r\nFieldwatch,humanitarian,x\r\n"
                         b"\"Moss, Lin\",expert,\r\nre:^Ops\\b,other,\r\nFieldwatch,expert,again\r\n")
    assert gazetteer_patterns(gaz_path) == ["Fieldwatch", "Moss, Lin", "re:^Ops\\b"]
    con, _ = store_with([("We object.", "Lin Moss", "Lin Moss of Fieldwatch", "other", (0.3, 0.4, 0.3))])
    assert retype_stored_quotes(con, load_gazetteer(gaz_path)) == 1
    assert remove_gazetteer_entry("Fieldwatch", path=gaz_path) == 2
    assert gaz_path.read_bytes() == (b"pattern,actor_type,note\r\n# why these\r\n"
                                     b"\"Moss, Lin\",expert,\r\nre:^Ops\\b,other,\r\n")
    assert retype_stored_quotes(con, load_gazetteer(gaz_path)) == 1
    assert con.execute("SELECT actor_type FROM quote_facts").fetchall() == [("other",)]
    with pytest.raises(StanceError, match="no entry"):
        remove_gazetteer_entry("Fieldwatch", path=gaz_path)
    with pytest.raises(StanceError, match="no gazetteer"):
        remove_gazetteer_entry("X", path=tmp_path / "none.csv")


@pytest.mark.parametrize("pattern", ["re:.*", "re:.", "re:[a-z]", "re:(?i)x?"])
def test_a_pattern_that_matches_anything_is_refused(tmp_path, pattern):
    gaz_path = tmp_path / "gazetteer.csv"
    add_gazetteer_entry("Fieldwatch", "humanitarian", path=gaz_path)
    before = gaz_path.read_bytes()
    with pytest.raises(StanceError, match="almost any text"):
        add_gazetteer_entry(pattern, "military", path=gaz_path)
    assert gaz_path.read_bytes() == before
    add_gazetteer_entry("re:\\bveterans? group\\b", "other", path=gaz_path)  # a real one


def test_a_pattern_already_there_or_read_as_a_comment_is_refused(tmp_path):
    gaz_path = tmp_path / "gazetteer.csv"
    add_gazetteer_entry("Geneva Call", "humanitarian", "armed groups, see #12", path=gaz_path)
    before = gaz_path.read_bytes()
    with pytest.raises(StanceError, match="already in the gazetteer as humanitarian"):
        add_gazetteer_entry("Geneva Call", "other", path=gaz_path)
    with pytest.raises(StanceError, match="cannot start with #"):
        add_gazetteer_entry("#tag", "other", path=gaz_path)
    assert gaz_path.read_bytes() == before
    add_gazetteer_entry("Task Force #7", "military", path=gaz_path)
    # a "#" inside a pattern or a note is text: the table shows it whole
    assert gazetteer_table(gaz_path) == [
        {"pattern": "Geneva Call", "actor_type": "humanitarian", "note": "armed groups, see #12"},
        {"pattern": "Task Force #7", "actor_type": "military", "note": ""}]


def test_a_pattern_that_would_type_most_speakers_is_refused():
    spec = [(f"Quote {i}.", f"Speaker {name}", f"Speaker {name}, an analyst", "other", (0.3, 0.4, 0.3))
            for i, name in enumerate(["Ada", "Ben", "Cy", "Dee", "Eve", "Flo", "Gus", "Hal", "Ida",
                                      "Jo", "Kai", "Lu"])]
    con, _ = store_with(spec)
    with pytest.raises(StanceError, match="would re-type 12 of the store's 12 speakers"):
        check_gazetteer_reach(con, "re:\\w{3}")
    with pytest.raises(StanceError, match="would re-type 7 of"):
        check_gazetteer_reach(con, "re:^Speaker [A-G]")
    check_gazetteer_reach(con, "re:^Speaker [A-F]")  # half of them is not more than half
    check_gazetteer_reach(con, "Ada")
    check_gazetteer_reach(con, "re:(")  # malformed: left to add_gazetteer_entry to explain


def test_bad_gazetteer_entry_is_refused_and_the_file_kept(tmp_path):
    gaz_path = tmp_path / "gazetteer.csv"
    add_gazetteer_entry("Fieldwatch", "humanitarian", path=gaz_path)
    before = gaz_path.read_text(encoding="utf-8")
    with pytest.raises(StanceError):
        add_gazetteer_entry("re:([", "expert", path=gaz_path)
    with pytest.raises(StanceError):
        add_gazetteer_entry("X", "soldier", path=gaz_path)
    # a note over two lines is written as two lines of the file: the old undo kept half of it
    with pytest.raises(StanceError):
        add_gazetteer_entry("re:(", "expert", "line1\nline2", path=gaz_path)
    with pytest.raises(StanceError, match="one line"):
        add_gazetteer_entry("Field\nwatch", "expert", path=gaz_path)
    assert gaz_path.read_text(encoding="utf-8") == before
    add_gazetteer_entry("Mine Aid", "humanitarian", "from the\nfield office", path=gaz_path)
    assert gaz_path.read_text(encoding="utf-8").splitlines()[-1] == (
        "Mine Aid,humanitarian,from the field office")


def test_a_first_gazetteer_entry_that_is_refused_leaves_no_file(tmp_path):
    gaz_path = tmp_path / "gazetteer.csv"
    with pytest.raises(StanceError):
        add_gazetteer_entry("re:([", "expert", path=gaz_path)
    assert not gaz_path.exists()


def test_retraining_needs_enough_corrections():
    con, ids = store_with([("A line.", "A", "", "other", (0.3, 0.4, 0.3))])
    correct_quote(con, ids[0], "stance", "opposed")
    assert stance_corrections(con, "x") == [("A line.", "opposed", "Banning cluster munitions")]
    with pytest.raises(StanceError, match="at least 10"):
        retrain_from_corrections(con, Path("/nonexistent"))


@pytest.mark.slow
def test_retraining_compares_on_heldout_and_rescores(tmp_path):
    lines = [f"Cluster bombs maim children in village {i}, ban them now." for i in range(8)]
    lines += [f"These munitions are vital for our defence of sector {i}." for i in range(8)]
    spec = [(t, "S", "", "other", (0.34, 0.33, 0.33)) for t in lines]
    con, ids = store_with(spec)
    for qid, t in zip(ids, lines):
        correct_quote(con, qid, "stance", "supportive" if "ban them" in t else "opposed")
    # start from a copy of the shipped model, so the test never replaces the real one
    from analysis.stance import MODEL_DIR, load_scorer
    import shutil

    load_scorer()
    shutil.copytree(MODEL_DIR, tmp_path / "models")
    report = retrain_from_corrections(con, tmp_path / "models", force=True)
    assert report.corrections == 16 and report.heldout >= 1
    assert report.trained_on + report.heldout == 16
    assert set(report.comparison) >= {"old", "new", "better"}
    assert report.replaced and report.rescored == 16
    versions = con.execute("SELECT DISTINCT model_version FROM quotes").fetchall()
    assert versions == [(report.comparison["new_version"],)]


@pytest.mark.parametrize(
    "context, quote, expected",
    [
        ("First one. He said “we stay” today. Next one.", "we stay", ("He said “", "we stay", "” today.")),
        ("no boundaries here at all", "boundaries", ("no ", "boundaries", " here at all")),
        ("A.\n“Go,” she said.\nB.", "Go,", ("“", "Go,", "” she said.")),
    ],
)
def test_sentence_window_trims_to_the_quotes_sentence(context, quote, expected):
    from analysis.review import sentence_window

    start = context.index(quote)
    assert sentence_window(context, start, start + len(quote)) == expected


def store_of_articles(spec):
    """spec: {doc_id: [(text, speaker, context, actor)]} -> (connection, {doc_id: [quote ids]})."""
    con = connect(":memory:")
    ids = {}
    for doc_id, rows in spec.items():
        text = "\n".join(t for t, *_ in rows)
        article = Article(doc_id=doc_id, text=text, title=doc_id, issue="Banning cluster munitions")
        quotes, pos = [], 0
        for t, speaker, context, actor in rows:
            quotes.append(Quote(doc_id, t, ((pos, pos + len(t)),), "direct", "said", speaker, speaker, actor,
                                False, "neutral", 0.2, 0.2, 0.6, "m1", article_id=article.article_id,
                                speaker_context=context))
            pos += len(t) + 1
        save_article(con, article, quotes)
        ids[doc_id] = [q.quote_id for q in quotes]
    return con, ids


def stored_types(con) -> dict[str, str]:
    return dict(con.execute("SELECT id, actor_type FROM quotes").fetchall())


def test_retyping_gives_a_speaker_the_role_another_article_names(tmp_path):
    con, ids = store_of_articles({
        "a": [("Allies were told.", "Jo Reyes", "Reyes, a spokesperson", "other")],
        "b": [("We stand firm.", "Jo Reyes", "State Department spokesperson Jo Reyes", "executive"),
              ("No comment.", "Reyes", "Reyes, a spokesperson", "other")],  # a surname alone: not shared
    })
    assert retype_stored_quotes(con, load_gazetteer(tmp_path / "none.csv")) == 1
    types = stored_types(con)
    assert types[ids["a"][0]] == "executive"
    assert types[ids["b"][1]] == "other"
    # a speaker merged into another counts as that other
    set_speaker_rule(con, "Reyes", "merge_into", "Jo Reyes")
    assert retype_stored_quotes(con, load_gazetteer(tmp_path / "none.csv")) == 1
    assert stored_types(con)[ids["b"][1]] == "executive"


def test_retyping_keeps_types_an_older_store_gave_without_keeping_the_description(tmp_path):
    con, ids = store_of_articles({"a": [("We object.", "Lin Moss", None, "humanitarian"),
                                        ("Fine.", "Al Roe", None, "other")]})
    assert retype_stored_quotes(con, load_gazetteer(tmp_path / "none.csv")) == 0
    assert sorted(stored_types(con).values()) == ["humanitarian", "other"]


def test_a_merge_retypes_the_merged_speakers_quotes(tmp_path, monkeypatch):
    from analysis import review

    monkeypatch.setattr(review, "load_gazetteer", lambda: load_gazetteer(tmp_path / "none.csv"))
    con, ids = store_of_articles({
        "a": [("We stand firm.", "Jo Reyes", "State Department spokesperson Jo Reyes", "executive")],
        "b": [("No comment.", "J. Reyes", "Reyes, a spokesperson", "other")],
    })
    assert review.retype_after_speaker_changes(con, [("quote", "stance", ids["a"][0])]) == 0
    set_speaker_rule(con, "J. Reyes", "merge_into", "Jo Reyes")
    assert review.retype_after_speaker_changes(con, [("speaker", "merge_into", "J. Reyes")]) == 1
    assert stored_types(con)[ids["b"][0]] == "executive"


def test_quotes_from_an_older_store_neither_take_nor_give_types_across_articles(tmp_path):
    con, ids = store_of_articles({
        "a": [("We stand firm.", "Jo Reyes", "State Department spokesperson Jo Reyes", "executive")],
        "b": [("No comment.", "Jo Reyes", None, "other")],  # no description kept: stays as typed
        "c": [("Later.", "Ada Voss", None, "military"),  # typed military once, by what it no longer has
              ("Fine.", "Ada Voss", "Ada Voss, who lives nearby", "other")],
    })
    assert retype_stored_quotes(con, load_gazetteer(tmp_path / "none.csv")) == 0
    types = stored_types(con)
    assert (types[ids["b"][0]], types[ids["c"][1]]) == ("other", "other")


def test_retyping_follows_a_quotes_corrected_speaker(tmp_path, monkeypatch):
    from analysis import review

    monkeypatch.setattr(review, "load_gazetteer", lambda: load_gazetteer(tmp_path / "none.csv"))
    con, ids = store_of_articles({
        "a": [("We stand firm.", "Jo Reyes", "State Department spokesperson Jo Reyes", "executive")],
        "b": [("No comment.", "Reyes Jo", "Reyes Jo, a spokesperson", "other")],
    })
    correct_quote(con, ids["b"][0], "speaker", "Jo Reyes")
    assert review.retype_after_speaker_changes(con, [("quote", "speaker", ids["b"][0])]) == 1
    assert stored_types(con)[ids["b"][0]] == "executive"


def test_undoing_a_merge_retypes_the_name_it_had_been_merged_into(tmp_path, monkeypatch):
    from analysis import review
    from analysis.store.annotations import undo_last

    monkeypatch.setattr(review, "load_gazetteer", lambda: load_gazetteer(tmp_path / "none.csv"))
    con, ids = store_of_articles({
        "a": [("We stand firm.", "J. Reyes", "State Department spokesperson J. Reyes", "executive")],
        "b": [("No comment.", "Jo Reyes", "Jo Reyes, a spokesperson", "other")],
    })
    set_speaker_rule(con, "J. Reyes", "merge_into", "Jo Reyes")
    assert review.retype_after_speaker_changes(con, [("speaker", "merge_into", "J. Reyes")]) == 1
    assert stored_types(con)[ids["b"][0]] == "executive"
    undone = undo_last(con)
    assert review.retype_after_speaker_changes(con, [(undone.scope, undone.field, undone.target)]) == 1
    assert stored_types(con)[ids["b"][0]] == "other"


def test_a_split_quote_is_marked_piece_by_piece_in_the_review_card() -> None:
    from ui.review import sentence_html

    text = ("Talks resumed. “Every faction said its mines were temporary,” said Teresa Mbala. "
            "“My teams still find them.” Others disagreed.")
    first = (text.index("Every"), text.index("temporary,") + len("temporary,"))
    second = (text.index("My teams"), text.index("them.") + len("them."))
    row = {"context": text, "context_start": 0, "start_char": first[0], "end_char": second[1],
           "pieces": json.dumps([list(first), list(second)]), "stance": "opposed"}
    html_out = sentence_html(row)
    assert html_out.count("<mark") == 2
    assert "said Teresa Mbala" in html_out.split("</mark>")[1]  # between the two marks
    assert "<mark" not in html_out.split("</mark>")[1].split("said Teresa Mbala")[0]
