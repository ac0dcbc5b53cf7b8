"""Reading model cards: metric blocks anywhere in the card, confusion matrices, reliability bins."""

from __future__ import annotations

import json

from analysis import charts, model_card

CARD = {
    "version": "m1",
    "metrics": {"grouped_cv": {
        "macro_f1": 0.5, "accuracy": 0.6, "n": 10,
        "per_class": {"supportive": {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 4}},
        "confusion": {"labels": ["supportive", "opposed", "neutral"],
                      "matrix": [[2, 1, 1], [0, 3, 0], [1, 0, 2]]},
        "calibration": {"ece": 0.1, "bins": [{"confidence": 0.5, "accuracy": 0.4, "count": 6},
                                             {"confidence": 0.9, "accuracy": 0.8, "count": 4}]},
    }},
    "bench": [{"name": "ukp", "macro_f1": 0.43}],
}


def test_metric_sets_are_found_wherever_they_are():
    sets = model_card.metric_sets(CARD)
    assert set(sets) == {"metrics.grouped_cv", "bench[0]"}


def test_confusion_and_per_class():
    m = CARD["metrics"]["grouped_cv"]
    labels, matrix = model_card.confusion(m)
    assert labels[0] == "supportive" and matrix[1][1] == 3
    assert list(model_card.per_class_table(m)["stance"]) == ["supportive"]


def test_calibration_bins():
    bins = model_card.calibration_bins(CARD)
    assert list(bins["confidence"]) == [0.5, 0.9] and list(bins["count"]) == [6, 4]
    assert model_card.calibration_bins({"x": 1}).empty


def test_read_cards_skips_missing_and_broken_files(tmp_path):
    good, bad = tmp_path / "a.json", tmp_path / "b.json"
    good.write_text(json.dumps(CARD))
    bad.write_text("{not json")
    cards = model_card.read_cards((good, bad, tmp_path / "missing.json"))
    assert list(cards) == ["a.json"]


def test_feature_summary_names_the_blocks_in_use():
    text = model_card.feature_summary({"kind": "svm", "two_stage": True, "word": True, "emb": 0.5,
                                       "char": False})
    assert text == "two-stage linear SVM over word 1-2-grams, MiniLM sentence embeddings of quote and issue"
    assert "embeddings" not in model_card.feature_summary({"kind": "lr", "word": True, "emb": 0.0})
    assert model_card.feature_summary({}) == ""
    shipped = model_card.feature_summary({"kind": "svm", "word": True, "valence": True,
                                          "negation_scope": 3, "attitude": True})
    assert shipped == ("linear SVM over word 1-2-grams, the quote's tone (VADER), negation scopes, "
                       "attitude toward the change")
    assert "negation" not in model_card.feature_summary({"kind": "svm", "word": True,
                                                         "negation_scope": 0})
    with_experts = model_card.feature_summary({"kind": "svm", "word": True, "experts": 200})
    assert with_experts.endswith("an issue with 200 or more labelled statements also gets a model "
                                 "of its own")


def test_experts_table_lists_the_issues_with_their_own_model():
    card = {"issue_experts": {"atheism": {"rows": 513, "weight": 1.0},
                              "hillary clinton": {"rows": 689, "weight": 0.6}}}
    table = model_card.experts_table(card)
    assert table.to_dict("records") == [
        {"issue": "atheism", "labelled statements": 513, "share of its own model": 1.0},
        {"issue": "hillary clinton", "labelled statements": 689, "share of its own model": 0.6}]
    assert model_card.experts_table({"issue_experts": {}}).empty
    assert model_card.experts_table({}).empty


def test_targets_table_says_met_not_met_and_not_run():
    card = {"targets": [
        {"target": "cv", "goal": ">= 0.75", "measured": 0.77, "met": True},
        {"target": "seed", "goal": ">= 12", "measured": 9, "met": False},
        {"target": "ukp", "goal": ">= 0.50", "measured": None, "met": None},
    ]}
    table = model_card.targets_table(card)
    assert list(table["met"]) == ["yes", "no", "not run"]
    assert model_card.targets_table({}).empty


def test_the_shipped_models_evaluation_comes_first():
    sets = {"grouped_cv.tfidf_lr": {}, "grouped_cv.two_stage (shipped)": {}, "seed_gold.direct": {}}
    assert list(model_card.shipped_first(sets)) == [
        "grouped_cv.two_stage (shipped)", "grouped_cv.tfidf_lr", "seed_gold.direct"]


def test_news_quotes_summary_puts_article_quotes_next_to_statements():
    card = {"demo_gold": {"all_quotes": {"n": 615, "macro_f1": 0.58, "accuracy": 0.58},
                          "all_quotes_in_context": {"n": 615, "macro_f1": 0.6, "accuracy": 0.61}},
            "heldout_articles": {"all_quotes": {"n": 362, "macro_f1": 0.65, "accuracy": 0.66}},
            "grouped_cv": {"tfidf_lr": {"macro_f1": 0.7}, "two_stage (shipped)": {"macro_f1": 0.77}}}
    text = model_card.news_quotes_summary(card)
    assert "615 quotes of the demo articles macro-F1 is 0.60 (61%" in text
    assert "362 quotes of the held-out articles macro-F1 is 0.65" in text and "0.77" in text
    del card["demo_gold"]["all_quotes_in_context"]
    assert "macro-F1 is 0.58" in model_card.news_quotes_summary(card)
    assert model_card.news_quotes_summary({}) is None


def test_probe_table_lists_templates_weakest_first():
    card = {"heldout": {"probes": {"by_template": [
        {"template": "We should {inf}.", "label": "supportive", "right": 0.5},
        {"template": "We welcome this move.", "label": "supportive", "right": 0.0},
        {"template": "The vote is in March.", "label": "neutral", "right": 1.0}]}}}
    card["heldout"]["probes"]["by_template"].append("a row of another shape")
    table = model_card.probe_table(card)
    assert list(table["template"]) == ["We welcome this move.", "We should {inf}.", "The vote is in March."]
    assert list(table.columns) == ["template", "should read", "read right"]
    assert model_card.probe_table({}).empty


def test_stance_shares_by_actor_type_compare_gold_and_predicted_per_type():
    from analysis.stance_eval import metrics_of_pairs, stance_shares_by_actor_type

    pairs = [({"stance": "opposed", "actor_type": "humanitarian", "kind": "direct"}, "opposed"),
             ({"stance": "opposed", "actor_type": "humanitarian", "kind": "indirect"}, "supportive"),
             ({"stance": "supportive", "actor_type": "military", "kind": "direct"}, "supportive"),
             ({"stance": "neutral", "actor_type": None, "kind": "direct"}, "neutral")]
    shares = stance_shares_by_actor_type(pairs)
    assert list(shares) == ["humanitarian", "military"]  # biggest first; untyped rows left out
    assert shares["humanitarian"]["n"] == 2
    assert shares["humanitarian"]["gold"] == {"supportive": 0.0, "opposed": 1.0, "neutral": 0.0}
    assert shares["humanitarian"]["predicted"] == {"supportive": 0.5, "opposed": 0.5, "neutral": 0.0}
    assert metrics_of_pairs(pairs)["correct"] == 3
    assert metrics_of_pairs(pairs, kind="direct")["n"] == 3

    card = {"demo_gold": {"by_actor_type_in_context": {
        "military": shares["military"], "humanitarian": shares["humanitarian"],
        "odd": "a row of another shape"}}}
    table = model_card.actor_type_shares(card)
    assert list(table["actor type"]) == ["humanitarian", "military"]  # most quotes first
    hum = table.iloc[0]
    assert (hum["net (authors)"], hum["net (model)"]) == (-1.0, 0.0)
    assert model_card.actor_type_shares({}).empty
    assert model_card.largest_share_gap(table) is None  # 2 quotes are too few to name a gap
    table["quotes"] = 40
    assert model_card.largest_share_gap(table) == (
        "Largest gap: humanitarian voices, supportive minus opposed -100% by their authors' "
        "labels and +0% as the model reads them.")
    assert model_card.largest_share_gap(table.iloc[:0]) is None
    table["net (model)"] = table["net (authors)"]
    assert model_card.largest_share_gap(table) is None  # no gap worth naming
    fig = charts.net_stance_authors_vs_model(table)
    assert {t.name for t in fig.data if t.name} == {"authors' labels", "model"}
    assert "no gold quotes" in charts.net_stance_authors_vs_model(table.iloc[:0]).layout.annotations[0].text


def test_grouped_cv_macro_f1_is_found_in_either_record_shape():
    from analysis.model_card import grouped_cv_macro_f1

    block = {"macro_f1": 0.7624, "accuracy": 0.77}
    assert grouped_cv_macro_f1({"grouped_cv": block}) == 0.7624  # `train` records the metrics
    assert grouped_cv_macro_f1({"metrics": {"grouped_cv": block}, "params": {}}) == 0.7624  # ingest
    assert grouped_cv_macro_f1({"seed_gold": block}) is None
    assert grouped_cv_macro_f1({}) is None


def test_evaluations_are_chosen_by_source_then_by_name():
    """"model_card.json: " before every evaluation made the shipped one too wide for its box at
    900 px (a projector) once the store recorded a model of its own."""
    card = {"grouped_cv.tfidf_lr": {}, "grouped_cv.two_stage (shipped)": {}}
    one = model_card.evaluation_sources({"model_card.json": card, "stance.json": {}})
    assert {k: list(v) for k, v in one.items()} == {
        "model_card.json": ["grouped_cv.two_stage (shipped)", "grouped_cv.tfidf_lr"]}
    bench = model_card.source_name("model_card.json")
    both = model_card.evaluation_sources({"store, model v3": {"grouped_cv": {}}, bench: card})
    assert {k: list(v) for k, v in both.items()} == {
        bench: ["grouped_cv.two_stage (shipped)", "grouped_cv.tfidf_lr"],
        "store, model v3": ["grouped_cv"]}
    assert list(both)[0] == bench == "the benchmark (bench/stance_bench.py)"  # it holds them all
