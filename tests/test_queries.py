"""Store queries: Filters -> WHERE, URL round trips, and each page question on the fixture store."""

from __future__ import annotations

from datetime import date

import pytest

from analysis.records import ACTOR_TYPES, STANCES
from analysis.store import queries as Q
from analysis.store.queries import Filters


@pytest.mark.parametrize("f, where, params", [
    (Filters(), "", []),
    (Filters(issue="Mines"), "WHERE issue = ?", ["Mines"]),
    (Filters(date_from=date(2024, 1, 1), date_to=date(2024, 2, 1)),
     "WHERE published >= ? AND published <= ?", [date(2024, 1, 1), date(2024, 2, 1)]),
    (Filters(outlets=("A", "B"), actor_types=("military",)),
     "WHERE outlet IN (?, ?) AND actor_type IN (?)", ["A", "B", "military"]),
    (Filters(stances=("opposed",), speaker="Ray"),
     "WHERE stance IN (?) AND speaker = ?", ["opposed", "Ray"]),
    (Filters(search=" 100%_Mines' "),
     "WHERE (contains(lower(quote), ?) OR contains(lower(coalesce(speaker, '')), ?))",
     ["100%_mines'", "100%_mines'"]),
    (Filters(min_confidence=0.7), "WHERE confidence >= ?", [0.7]),
    (Filters(sources="anonymous"), "WHERE anonymous = ?", [True]),
    (Filters(sources="named", speaker="Ray"), "WHERE speaker = ? AND anonymous = ?",
     ["Ray", False]),
])
def test_where_clause_binds_every_value(f, where, params):
    assert Q.where_clause(f) == (where, params)


def test_user_text_never_reaches_the_sql_string():
    nasty = "x'); DROP TABLE quotes; --"
    where, params = Q.where_clause(Filters(issue=nasty, outlets=(nasty,), speaker=nasty,
                                           search=nasty))
    assert nasty not in where and "DROP" not in where
    assert params.count(nasty) == 3


def test_filters_round_trip_through_query_params():
    f = Filters(issue="Mines", date_from=date(2024, 1, 2), outlets=("A", "B"),
                actor_types=("military", "expert"), stances=("opposed",), speaker="Ray",
                search="kids", min_confidence=0.55, sources="anonymous")
    assert Filters.from_query_params(f.to_query_params()) == f


def test_bad_query_params_are_dropped_not_fatal():
    f = Filters.from_query_params({"date_from": ["not-a-date"], "actor_types": ["military", "x"],
                                   "stances": ["bogus"], "min_confidence": ["7"], "zzz": ["1"],
                                   "sources": ["hidden"]})
    assert f == Filters(actor_types=("military",))


def test_bad_query_params_are_named_and_the_good_ones_kept():
    f, invalid = Filters.parse_query_params({
        "date_from": ["not-a-date"], "date_to": ["2024-02-30"], "actor_types": ["military", "x"],
        "stances": ["bogus", "opposed"], "min_confidence": ["nan"], "sources": ["foo"],
        "outlets": ["Anywhere"], "zzz": ["1"]})
    assert f == Filters(actor_types=("military",), stances=("opposed",), outlets=("Anywhere",))
    # in the order of Filters' fields; outlets are checked against the store, not here
    assert invalid == ["date_from “not-a-date”", "date_to “2024-02-30”", "actor_types “x”",
                       "stances “bogus”", "min_confidence “nan”", "sources “foo”"]


@pytest.mark.parametrize("name, values, expected", [
    ("sources", ["named", "anonymous"], "sources given twice (“named”, “anonymous”)"),
    ("issue", ["a ban", "its repeal", "a ban", "a fund"],
     "issue given 3 times (“a ban”, “its repeal”, “a fund”)"),
    ("date_from", ["2024-01-01", "2025-01-01"], "date_from given twice (“2024-01-01”, “2025-01-01”)"),
    ("date_to", ["2024-01-01", "nope"], "date_to given twice (“2024-01-01”, “nope”)"),
    ("speaker", ["Ray O'Neil", "Jo Day"], "speaker given twice (“Ray O'Neil”, “Jo Day”)"),
    ("search", ["mines", "cluster"], "search given twice (“mines”, “cluster”)"),
    ("min_confidence", ["0.5", "0.9"], "min_confidence given twice (“0.5”, “0.9”)")])
def test_a_one_value_filter_given_twice_is_named_not_applied(name, values, expected):
    """Taking the first value silently would show a narrower slice than the link may mean."""
    f, invalid = Filters.parse_query_params({name: values, "stances": ["opposed"]})
    assert f == Filters(stances=("opposed",))  # the other filters still apply
    assert invalid == [expected]


def test_a_one_value_filter_given_twice_alike_applies():
    f, invalid = Filters.parse_query_params({"sources": ["named", "named"], "search": ["x", "x"]})
    assert (f.sources, f.search, invalid) == ("named", "x", [])


@pytest.mark.parametrize("value, applied, named", [
    ("0.5", 0.5, False), ("1", 1.0, False), ("0", 0.0, False),
    ("7", 0.0, True), ("-0.1", 0.0, True), ("inf", 0.0, True), ("high", 0.0, True)])
def test_min_confidence_outside_zero_to_one_is_named_not_clamped(value, applied, named):
    f, invalid = Filters.parse_query_params({"min_confidence": [value]})
    assert f.min_confidence == applied
    assert invalid == ([f"min_confidence “{value}”"] if named else [])


def test_slug_is_file_name_safe():
    slug = Filters(issue="a/b c", outlets=("X", "Y", "Z", "W"), speaker="Ray O'Neil").slug()
    assert "/" not in slug and " " not in slug and "'" not in slug
    assert "4outlets" in slug


def test_sort_and_columns_come_from_allow_lists():
    with pytest.raises(KeyError):
        Q.slice_sql(Filters(), sort="published; DROP TABLE quotes")
    with pytest.raises(ValueError):
        Q.slice_sql(Filters(), columns=("quote_id", "text FROM articles --"))
    with pytest.raises(KeyError):
        Q.stance_over_time(None, Filters(), grain="day; --")


def test_quotes_are_counted_by_the_model_that_scored_them(ro_con, fixture_store):
    assert Q.quotes_by_model_version(ro_con) == {"fixture-1": fixture_store[1]["quotes"]}


def test_named_and_anonymous_sources_split_the_slice(ro_con):
    anonymous = Q.quotes_page(ro_con, Filters(sources="anonymous"), limit=10_000)
    named = Q.quotes_page(ro_con, Filters(sources="named"), limit=10_000)
    assert len(anonymous) > 0 and anonymous["anonymous"].all()
    assert len(named) > 0 and not named["anonymous"].any()
    assert len(anonymous) + len(named) == Q.count_quotes(ro_con, Filters())
    by_type = Q.anonymity_by_actor(ro_con, Filters()).set_index("actor_type")["anonymous_n"]
    assert len(anonymous) == by_type.sum()


def test_stance_by_actor_counts_match_the_slice(ro_con, fixture_store):
    df = Q.stance_by_actor(ro_con, Filters())
    assert set(df["actor_type"]) == set(ACTOR_TYPES)
    assert set(df["stance"]) == set(STANCES)
    assert df["n"].sum() == fixture_store[1]["quotes"] == Q.count_quotes(ro_con, Filters())
    shares = df.groupby("actor_type")["share"].sum()
    assert shares.round(9).eq(1).all()


def test_a_filter_changes_the_counts(ro_con):
    everything = Q.stance_by_actor(ro_con, Filters())["n"].sum()
    military = Q.stance_by_actor(ro_con, Filters(actor_types=("military",)))
    assert set(military["actor_type"]) == {"military"}
    assert 0 < military["n"].sum() < everything


def test_corrections_win_over_predictions(ro_con, fixture_store):
    qid = fixture_store[1]["corrected"]
    rows = ro_con.execute("SELECT stance, predicted_stance, corrected, confidence FROM quote_facts"
                          " WHERE quote_id = ?", [qid]).fetchall()
    assert rows[0][0] == "supportive" and rows[0][2] is True and rows[0][3] == 1.0


def test_quotes_page_pages_the_slice_in_order(ro_con):
    f = Filters(stances=("opposed",))
    sql, params = Q.slice_sql(f)
    everything = ro_con.execute(sql, params).df()
    first = Q.quotes_page(ro_con, f, limit=5, offset=0)
    second = Q.quotes_page(ro_con, f, limit=5, offset=5)
    assert list(first["quote_id"]) + list(second["quote_id"]) == list(everything["quote_id"][:10])


def test_deep_pages_match_the_slice_order(ro_con, monkeypatch):
    monkeypatch.setattr(Q, "DEEP_PAGE", 0)  # force the late-materialised path
    for sort in Q.QUOTE_SORTS:
        sql, params = Q.slice_sql(Filters(), sort)
        everything = list(ro_con.execute(sql, params).df()["quote_id"])
        page = Q.quotes_page(ro_con, Filters(), sort, limit=7, offset=3)
        assert list(page["quote_id"]) == everything[3:10], sort
        assert list(page.columns) == list(Q.SLICE_COLUMNS)


def test_search_finds_quotes_and_speakers_case_insensitively(ro_con):
    assert Q.count_quotes(ro_con, Filters(search="MAIM CHILDREN")) > 0
    assert Q.count_quotes(ro_con, Filters(search="military speaker 1")) > 0
    assert Q.count_quotes(ro_con, Filters(search="no such words anywhere")) == 0


def test_empty_filter_gives_empty_frames(ro_con):
    f = Filters(outlets=("Nowhere",))
    for name in ("stance_by_actor", "stance_by_actor_outlet", "stance_over_time", "top_speakers",
                 "anonymity_by_actor", "cue_verbs", "voice_by_outlet", "articles_list"):
        assert getattr(Q, name)(ro_con, f).empty, name
    assert Q.corpus_summary(ro_con, f)["quotes"] == 0


@pytest.mark.parametrize("grain", list(Q.TIME_GRAINS))
def test_over_time_sums_to_the_total(ro_con, grain):
    df = Q.stance_over_time(ro_con, Filters(), grain)
    assert df["n"].sum() == Q.count_quotes(ro_con, Filters())


def test_page_questions_on_the_fixture(ro_con):
    f = Filters()
    assert set(Q.stance_by_actor_outlet(ro_con, f)["outlet"]) == {"Ledger", "Herald", "Courier"}
    speakers = Q.top_speakers(ro_con, f, limit=5)
    assert len(speakers) == 5 and speakers["n"].is_monotonic_decreasing
    assert (speakers["supportive"] + speakers["opposed"] + speakers["neutral"]
            == speakers["n"]).all()
    anon = Q.anonymity_by_actor(ro_con, f).set_index("actor_type")
    assert anon.loc["other", "anonymous_n"] > 0 and anon.loc["military", "anonymous_n"] == 0
    assert {"said", "warned", "claimed"} <= set(Q.cue_verbs(ro_con, f)["cue"])
    voice = Q.voice_by_outlet(ro_con, f)
    assert voice.groupby("outlet")["share"].sum().round(9).eq(1).all()
    opts = Q.filter_options(ro_con)
    assert opts["date_min"] == date(2024, 1, 1) and len(opts["issues"]) == 2
    assert Q.speaker_options(ro_con, f)[0]


def test_article_and_its_quotes(ro_con):
    row = Q.quotes_page(ro_con, Filters(), limit=1).iloc[0]
    art = Q.article(ro_con, row["article_id"])
    quotes = Q.article_quotes(ro_con, row["article_id"])
    for q in quotes.itertuples():
        assert art["text"][q.start_char:q.end_char] == q.quote
    assert Q.article(ro_con, "missing") is None


def test_cue_verbs_can_count_inflections_as_one_verb(ro_con):
    raw = Q.cue_verbs(ro_con, Filters())
    merged = Q.cue_verbs(ro_con, Filters(), lemmas=(("said", "say"), ("warned", "warn")))
    assert {"say", "warn"} <= set(merged["cue"]) and "said" not in set(merged["cue"])
    assert merged["n"].sum() == raw["n"].sum()


def test_articles_without_an_issue_count_as_one_more_issue():
    from analysis.records import Article, Quote
    from analysis.store import connect, save_article

    con = connect(":memory:")
    for i, issue in enumerate(["Banning cluster munitions", None, None]):
        text = f"Report {i}. “We need this,” Ana Lee said."
        start, end = text.index("We"), text.index(",”")
        article = Article(doc_id=f"a{i}", text=text, title=f"t{i}", issue=issue)
        save_article(con, article, [Quote(
            doc_id=f"a{i}", quote=text[start:end], pieces=((start, end),), kind="direct",
            cue="said", speaker="Ana Lee", speaker_mention="Ana Lee", actor_type="other",
            anonymous=False, stance="supportive")])
    assert Q.corpus_summary(con, Filters())["issues"] == 2
    assert Q.corpus_summary(con, Filters(issue="Banning cluster munitions"))["issues"] == 1


def test_one_name_typed_two_ways_is_two_speakers():
    from analysis.records import Article, Quote
    from analysis.store import connect, save_article

    con = connect(":memory:")
    for i, actor in enumerate(("military", "congressional", "congressional")):
        text = f'"We need this," Dana Whitfield said in report {i}.'
        article = Article(doc_id=f"d{i}", text=text, title=f"T{i}", outlet="Ledger",
                          published=date(2024, 1, 1 + i), url=None, issue="Mines")
        quote = Quote(doc_id=article.doc_id, quote="We need this,", pieces=((1, 14),),
                      kind="direct", cue="said", speaker="Dana Whitfield",
                      speaker_mention="Dana Whitfield", actor_type=actor, anonymous=False,
                      stance="supportive", p_supportive=0.8, p_opposed=0.1, p_neutral=0.1,
                      model_version="m", article_id=article.article_id)
        save_article(con, article, [quote])
    rows = Q.top_speakers(con, Filters(), limit=5)
    assert list(zip(rows["speaker"], rows["actor_type"], rows["n"])) == [
        ("Dana Whitfield", "congressional", 2), ("Dana Whitfield", "military", 1)]


def test_a_date_range_that_ends_before_it_starts_is_named_not_applied():
    f, invalid = Filters.parse_query_params(
        {"date_from": ["2026-01-01"], "date_to": ["2025-01-01"], "stances": ["opposed"]})
    assert invalid == ["date_from “2026-01-01” after date_to “2025-01-01”"]
    assert (f.date_from, f.date_to, f.stances) == (None, None, ("opposed",))
    f, invalid = Filters.parse_query_params({"date_from": ["2025-01-01"], "date_to": ["2025-01-01"]})
    assert not invalid and f.date_from == f.date_to
