"""A quote scored with the rest of its speaker's remark: grouping, mixing, and the same result on rescore."""

from __future__ import annotations

import pytest

from analysis.pipeline import score_batch
from analysis.records import STANCES, Article, Quote, StanceScore
from analysis.review import rescore_store
from analysis.stance.context import QuoteSpan, mix, remark_text, score_in_context, utterances
from analysis.store import connect, save_article
from analysis.store.annotations import correct_quote, set_speaker_rule

ISSUE = "Lifting the ban on toy rockets"


class WordScorer:
    """Supportive when a text says 'win', opposed when it says 'rules', neutral otherwise; counts calls."""

    version = "fake-1"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def score(self, texts: list[str], issues: list[str]) -> list[StanceScore]:
        self.calls.append(list(texts))
        out = []
        for t in texts:
            if "win" in t:
                p_sup, p_opp = (0.45 if "rules" in t else 0.8), 0.1
            elif "rules" in t:
                p_sup, p_opp = 0.1, 0.8
            else:
                p_sup, p_opp = 0.1, 0.1
            p = [p_sup, p_opp, round(1 - p_sup - p_opp, 6)]
            out.append(StanceScore(STANCES[max(range(3), key=p.__getitem__)], *p, self.version))
        return out


def spans(text: str, parts: list[tuple[str, str | None]]) -> list[QuoteSpan]:
    out = []
    for words, speaker in parts:
        start = text.index(words)
        out.append(QuoteSpan(start, start + len(words), speaker, words))
    return out


ARTICLE = (
    "Opening line.\n"
    '"Forget the old rules," said Ann Lee. "We are here to win." Bo Park disagreed: "No."\n'
    '"We will win anyway," Ann Lee added.'
)


def test_a_remark_is_one_speaker_in_one_paragraph_without_anyone_between():
    qs = spans(ARTICLE, [("Forget the old rules,", "Ann Lee"), ("We are here to win.", "Ann Lee"),
                         ("No.", "Bo Park"), ("We will win anyway,", "Ann Lee")])
    remarks = utterances(ARTICLE, qs)
    assert remarks[0] == remarks[1] == [0, 1]
    assert remarks[2] == [2]
    assert remarks[3] == [3]  # same speaker, next paragraph
    assert remark_text(qs, remarks[0]) == "Forget the old rules, We are here to win."


def test_another_speaker_between_splits_the_remark_and_no_speaker_stands_alone():
    text = '"A rules," said X. "B." said Y. "C win," said X. "D." "E."'
    qs = spans(text, [("A rules,", "X"), ("B.", "Y"), ("C win,", "X"), ("D.", None), ("E.", None)])
    assert [len(r) for r in utterances(text, qs)] == [1, 1, 1, 1, 1]


def test_grouped_quotes_get_half_their_own_and_half_the_remark_in_one_call():
    qs = spans(ARTICLE, [("Forget the old rules,", "Ann Lee"), ("We are here to win.", "Ann Lee"),
                         ("No.", "Bo Park")])
    scorer = WordScorer()
    (scores,) = score_in_context(scorer, [(ARTICLE, ISSUE, qs)])
    assert len(scorer.calls) == 1
    assert scorer.calls[0].count("Forget the old rules, We are here to win.") == 1  # once per remark
    remark = [0.45, 0.1, 0.45]
    assert [scores[0].p_supportive, scores[0].p_opposed] == pytest.approx(list(mix([0.1, 0.8, 0.1], remark)[:2]))
    assert scores[0].stance == "opposed" and scores[1].stance == "supportive"
    assert scores[1].p_supportive == pytest.approx(0.5 * 0.8 + 0.5 * 0.45)
    assert (scores[2].p_neutral, scores[2].stance) == (pytest.approx(0.8), "neutral")  # alone: untouched
    for s in scores:
        assert s.p_supportive + s.p_opposed + s.p_neutral == pytest.approx(1.0)


def test_weight_zero_scores_each_quote_alone():
    qs = spans(ARTICLE, [("Forget the old rules,", "Ann Lee"), ("We are here to win.", "Ann Lee")])
    scorer = WordScorer()
    (scores,) = score_in_context(scorer, [(ARTICLE, ISSUE, qs)], weight=0.0)
    assert scorer.calls == [["Forget the old rules,", "We are here to win."]]
    assert scores[0].p_opposed == pytest.approx(0.8)


def _quotes(article: Article, parts: list[tuple[str, str | None]]) -> list[Quote]:
    return [Quote(article.doc_id, s.text, ((s.start, s.end),), "direct", "said", s.speaker, s.speaker,
                  "other", False, article_id=article.article_id)
            for s in spans(article.text, parts)]


def test_ingest_and_rescore_give_a_stored_quote_the_same_score():
    article = Article(doc_id="a", text=ARTICLE, title="T", issue=ISSUE)
    parts = [("Forget the old rules,", "Ann Lee"), ("We are here to win.", "Ann Lee"), ("No.", "Bo Park"),
             ("We will win anyway,", "Ann Lee")]
    ((_, scored),) = score_batch([(article, _quotes(article, parts))], WordScorer(), ISSUE)
    con = connect(":memory:")
    save_article(con, article, scored)
    at_ingest = sorted(con.execute("SELECT start_char, p_supportive, p_opposed, stance FROM quotes").fetchall())
    con.execute("UPDATE quotes SET p_supportive = 0, p_opposed = 0, p_neutral = 1, stance = 'neutral'")
    assert rescore_store(con, WordScorer(), ISSUE, batch=1) == 4
    after = sorted(con.execute("SELECT start_char, p_supportive, p_opposed, stance FROM quotes").fetchall())
    assert after == at_ingest
    assert [row[3] for row in after] == ["opposed", "supportive", "neutral", "supportive"]


def test_rescore_groups_remarks_by_corrected_speakers_and_scores_quotes_marked_not_a_quote_alone():
    text = '"Forget the old rules," said Ann Lee. "No," she said. "We are here to win."'
    article = Article(doc_id="b", text=text, title="T", issue=ISSUE)
    parts = [("Forget the old rules,", "Ann Li"), ("No,", "Ann Lee"), ("We are here to win.", "A. Lee")]
    con = connect(":memory:")
    save_article(con, article, _quotes(article, parts))
    ids = [r[0] for r in con.execute("SELECT id FROM quotes ORDER BY start_char").fetchall()]

    def stored() -> list[tuple]:
        return con.execute("SELECT stance, p_supportive, p_neutral FROM quotes ORDER BY start_char").fetchall()

    rescore_store(con, WordScorer(), ISSUE)
    assert [row[0] for row in stored()] == ["opposed", "neutral", "supportive"]  # three remarks of one
    assert stored()[2][1] == pytest.approx(0.8)

    # a speaker fixed on one quote and merged by a rule: one remark of three
    correct_quote(con, ids[0], "speaker", "Ann Lee")
    set_speaker_rule(con, "A. Lee", "merge_into", "Ann Lee")
    rescore_store(con, WordScorer(), ISSUE)  # the remark reads [0.45, 0.1, 0.45]
    assert stored()[1] == ("neutral", pytest.approx(0.5 * 0.1 + 0.5 * 0.45), pytest.approx(0.5 * 0.8 + 0.5 * 0.45))
    assert stored()[2][1] == pytest.approx(0.5 * 0.8 + 0.5 * 0.45)

    # "not a quote": scored alone, and the remark closes over it
    correct_quote(con, ids[1], "not_quote", "true")
    assert rescore_store(con, WordScorer(), ISSUE) == 3
    rules, hidden, win = stored()
    assert hidden == ("neutral", pytest.approx(0.1), pytest.approx(0.8))
    assert win[0] == "supportive" and win[1] == pytest.approx(0.5 * 0.8 + 0.5 * 0.45)
    assert rules[0] == "opposed" and rules[1] == pytest.approx(0.5 * 0.1 + 0.5 * 0.45)


def test_ingest_groups_a_remark_by_the_speaker_merges_in_force(tmp_path):
    from analysis.nlp import load_nlp
    from analysis.pipeline import ingest_paths

    path = tmp_path / "a.txt"
    path.write_text('Headline\n\n"Forget the old rules," Ann Lee said. "We are here to win," Bo Park said.',
                    encoding="utf-8")
    nlp = load_nlp()
    calls = {}
    for name, merge in (("plain", None), ("merged", ("Bo Park", "Ann Lee")), ("undone", ("Bo Park", None))):
        con = connect(tmp_path / f"{name}.duckdb")
        if merge:
            set_speaker_rule(con, "Bo Park", "merge_into", "Ann Lee")
            if merge[1] is None:
                set_speaker_rule(con, "Bo Park", "merge_into", None)
        scorer = WordScorer()
        ingest_paths(con, [path], nlp, scorer=scorer)
        assert sorted(r[0] for r in con.execute("SELECT speaker FROM quotes").fetchall()) == ["Ann Lee", "Bo Park"]
        calls[name] = [t for call in scorer.calls for t in call]
    remark = "Forget the old rules, We are here to win,"
    assert remark in calls["merged"]
    assert remark not in calls["plain"] and remark not in calls["undone"]


def test_a_correction_that_can_regroup_a_remark_rescores_its_articles_only(monkeypatch):
    import analysis.review as review

    con = connect(":memory:")
    text = '"Forget the old rules," said Ann Lee. "We are here to win."'
    article = Article(doc_id="c", text=text, title="T", issue=ISSUE)
    other = Article(doc_id="d", text='"Rules," said Bo Park.', title="U", issue=ISSUE)
    save_article(con, article, _quotes(article, [("Forget the old rules,", "Ann Li"), ("We are here to win.", "Ann Lee")]))
    save_article(con, other, _quotes(other, [("Rules,", "Bo Park")]))
    ids = [con.execute("SELECT id FROM quotes WHERE text = ?", [t]).fetchall()[0][0]
           for t in ("Forget the old rules,", "We are here to win.", "Rules,")]
    assert review.rescore_after_corrections(con, WordScorer(), [("quote", "stance", ids[0])], ISSUE) == 0
    correct_quote(con, ids[0], "speaker", "Ann Lee")
    assert review.rescore_after_corrections(con, WordScorer(), [("quote", "speaker", ids[0])], ISSUE) == 2
    p_win = con.execute("SELECT p_supportive, model_version FROM quotes WHERE id = ?", [ids[1]]).fetchall()
    assert p_win == [(pytest.approx(0.5 * 0.8 + 0.5 * 0.45), "fake-1")]
    assert con.execute("SELECT model_version FROM quotes WHERE id = ?", [ids[2]]).fetchall() == [(None,)]
    assert review.rescore_after_corrections(con, WordScorer(), [("speaker", "merge_into", "Bo Park")], ISSUE) == 1
    both = [("speaker", "merge_into", "Bo Park"), ("quote", "not_quote", ids[0]), ("quote", "stance", ids[2])]
    assert review.rescore_after_corrections(con, WordScorer(), both, ISSUE) == 3
    monkeypatch.setattr(review, "MAX_QUOTES_AFTER_A_CORRECTION", 1)
    assert review.rescore_after_corrections(con, WordScorer(), [("quote", "not_quote", ids[0])], ISSUE) is None
