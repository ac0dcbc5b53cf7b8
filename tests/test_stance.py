"""Stance model: training on a tiny synthetic set, persistence, versions, explanations, inputs."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from analysis.errors import ModelNotTrained, StanceError
from analysis.stance import (
    INPUT_COLUMNS, build_pipeline, compare_models, load_scorer, read_labelled, train_model,
)
from analysis.stance.data import Example, load_training
from analysis.stance.features import frame, issue_direction
from analysis.stance_eval import metrics, per_case_accuracy, probe_examples

ISSUE_A = "Banning toy rockets in city parks"
ISSUE_B = "Allowing toy rockets in city parks"

SUPPORT_BAN = [
    "Rockets scare the ducks and hurt children; the ban is overdue.",
    "Parks should be quiet places, and a ban protects families.",
    "We welcome the ban because burns from rockets are serious.",
    "A ban keeps children safe from falling rocket debris.",
    "Neighbours are tired of noise and smoke; ban them now.",
    "This ban will prevent injuries and fires in dry summers.",
]
OPPOSE_BAN = [
    "Toy rockets teach kids science and the ban is a mistake.",
    "The ban punishes hobby clubs that have flown safely for decades.",
    "Banning rockets is government overreach into family fun.",
    "Launch days bring families outdoors; a ban would end that joy.",
    "There is no evidence of injuries, so the ban is pointless.",
    "Model rocketry inspires engineers; do not ban it.",
]
NEUTRAL = [
    "The council meets on Thursday at seven in the town hall.",
    "The proposal was published on the city website last week.",
    "Officials said the vote has been moved to next month.",
    "The parks department has four rangers on duty.",
    "A public comment period opens on Monday.",
    "The committee will publish its minutes after the session.",
]


def _rows() -> list[dict[str, str]]:
    rows = []
    for issue, flip in ((ISSUE_A, False), (ISSUE_B, True)):
        for t in SUPPORT_BAN:
            rows.append({"text": t, "label": "opposed" if flip else "supportive", "issue": issue})
        for t in OPPOSE_BAN:
            rows.append({"text": t, "label": "supportive" if flip else "opposed", "issue": issue})
        for t in NEUTRAL:
            rows.append({"text": t, "label": "neutral", "issue": issue})
    for r in rows:
        r["topic"] = "rockets" if r["issue"] == ISSUE_A else "rockets_b"
    return rows


def _write_jsonl(path: Path, rows: list[dict[str, str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("stance")
    training = base / "training"
    _write_jsonl(training / "statements.jsonl", _rows())
    models = base / "models"
    train_model(model_dir=models, training_dir=training, evaluate=False)
    return training, models


@pytest.fixture(scope="module")
def scorer(trained: tuple[Path, Path]):
    training, models = trained
    return load_scorer(models, train_if_missing=False, training_dir=training)


def test_probabilities_sum_to_one_and_carry_the_version(scorer) -> None:
    texts = [SUPPORT_BAN[0], OPPOSE_BAN[0], NEUTRAL[0], ""]
    scores = scorer.score(texts, [ISSUE_A] * len(texts))
    assert len(scores) == 4
    for s in scores:
        assert s.stance in ("supportive", "opposed", "neutral")
        assert s.p_supportive + s.p_opposed + s.p_neutral == pytest.approx(1.0, abs=1e-6)
        assert s.model_version == scorer.version


def test_neutral_is_predicted(scorer) -> None:
    scores = scorer.score(NEUTRAL, [ISSUE_A] * len(NEUTRAL))
    assert sum(s.stance == "neutral" for s in scores) >= len(NEUTRAL) - 1


def test_issue_wording_flips_the_polarity(scorer) -> None:
    text = "A ban keeps children safe from falling rocket debris."
    a, b = scorer.score([text, text], [ISSUE_A, ISSUE_B])
    assert a.p_supportive > a.p_opposed
    assert b.p_opposed > b.p_supportive


def test_skops_round_trip_gives_identical_probabilities(trained, scorer) -> None:
    training, models = trained
    again = load_scorer(models, train_if_missing=False, training_dir=training)
    texts = SUPPORT_BAN + OPPOSE_BAN
    assert again.version == scorer.version
    np.testing.assert_allclose(
        again.predict_proba(texts, [ISSUE_A] * len(texts)),
        scorer.predict_proba(texts, [ISSUE_A] * len(texts)),
    )
    assert (models / "stance.skops").read_bytes()[:2] == b"PK"  # a skops zip, not a pickle
    with zipfile.ZipFile(models / "stance.skops") as z:  # deflated: the JSON schema is large
        assert {i.compress_type for i in z.infolist()} == {zipfile.ZIP_DEFLATED}


def test_version_changes_with_the_data(tmp_path: Path, trained) -> None:
    training, models = trained
    first = json.loads((models / "stance.json").read_text())["version"]
    rows = _rows()
    rows[0]["label"] = "neutral"
    other = _write_jsonl(tmp_path / "training" / "statements.jsonl", rows).parent
    card = train_model(model_dir=tmp_path / "models", training_dir=other, evaluate=False)
    assert card.version != first
    same = train_model(model_dir=tmp_path / "models2", training_dir=training, evaluate=False)
    assert same.version == first


def test_stale_model_is_rebuilt_or_refused(tmp_path: Path, trained) -> None:
    _, models = trained
    rows = _rows()
    rows.append({"text": "Rockets are loud.", "label": "supportive", "issue": ISSUE_A})
    changed = _write_jsonl(tmp_path / "training" / "s.jsonl", rows).parent
    with pytest.raises(ModelNotTrained):
        load_scorer(models, train_if_missing=False, training_dir=changed)
    with pytest.raises(ModelNotTrained):
        load_scorer(tmp_path / "empty", train_if_missing=False, training_dir=changed)
    rebuilt = load_scorer(tmp_path / "fresh", training_dir=changed)
    assert rebuilt.version.startswith("sk-")


def test_explanation_terms_come_from_the_text(scorer) -> None:
    text = "Banning rockets is government overreach into family fun."
    terms = scorer.explain(text, ISSUE_A, top_k=5)
    assert 0 < len(terms) <= 5
    quote_words = set(text.lower().replace(".", "").split())
    for term, weight in terms:
        assert set(term.split()) <= quote_words, term
        assert isinstance(weight, float)
    assert any(w > 0 for _, w in terms)


def test_words_read_inside_a_negation_are_explained_as_negated(scorer) -> None:
    text = "Model rocketry inspires engineers; do not ban it."
    terms = scorer.explain(text, ISSUE_A, top_k=30, label="opposed")
    negated = [t for t, _ in terms if t.endswith(" (negated)")]
    assert negated, terms
    quote_words = set(text.lower().replace(".", "").replace(";", "").split())
    for term in negated:
        assert set(term.removesuffix(" (negated)").split()) <= quote_words, term


def test_a_shown_label_is_explained_without_predicting_again(scorer, monkeypatch) -> None:
    text = "Banning rockets is government overreach into family fun."
    own = scorer.predict([text], [ISSUE_A])[0]
    other = next(s for s in ("supportive", "opposed") if s != own)
    toward_own = dict(scorer.explain(text, ISSUE_A, top_k=1000))

    def no_predict(*args, **kwargs):
        raise AssertionError("predicted again")

    monkeypatch.setattr(scorer, "predict", no_predict)
    assert dict(scorer.explain(text, ISSUE_A, top_k=1000, label=own)) == toward_own
    toward_other = dict(scorer.explain(text, ISSUE_A, top_k=1000, label=other))
    assert toward_other != toward_own
    assert set(scorer.explain_by_kind(text, ISSUE_A, label=other)) >= {"words"}


def test_explanation_by_kind_accounts_for_the_listed_words(scorer) -> None:
    text = "Banning rockets is government overreach into family fun."
    kinds = scorer.explain_by_kind(text, ISSUE_A)
    assert set(kinds) <= {"words", "sentence meaning", "length and issue overlap"}
    assert "sentence meaning" in kinds  # the shipped model has the embedding block
    every_term = scorer.explain(text, ISSUE_A, top_k=1000)
    assert kinds["words"] == pytest.approx(sum(w for _, w in every_term), abs=1e-2)


def test_no_speaker_or_actor_feature_can_enter_the_pipeline() -> None:
    pipe = build_pipeline(calibrate=False)
    columns = {c for _, _, cols in pipe.named_steps["features"].transformers
               for c in ([cols] if isinstance(cols, str) else cols)}
    assert columns <= set(INPUT_COLUMNS) == {"text", "issue"}
    rows = _rows()
    X = frame([r["text"] for r in rows], [r["issue"] for r in rows])
    X_with = X.assign(speaker="Senator Smith", actor_type="congressional")
    pipe.fit(X_with, [r["label"] for r in rows])
    names = pipe.named_steps["features"].get_feature_names_out()
    assert not any("speaker" in n or "actor" in n or "congressional" in n for n in names)
    np.testing.assert_allclose(
        pipe.predict_proba(X_with.assign(speaker="Anyone", actor_type="military")),
        pipe.predict_proba(X),
    )


def test_extra_rows_override_statements_and_change_the_version(tmp_path: Path, trained) -> None:
    training, _ = trained
    base = train_model(model_dir=tmp_path / "a", training_dir=training, evaluate=False)
    card = train_model(
        model_dir=tmp_path / "b", training_dir=training, evaluate=False,
        extra_rows=[(NEUTRAL[0], "supportive", ISSUE_A)],
    )
    assert card.version != base.version
    assert card.training_size == base.training_size  # same text+issue: the correction replaced it
    assert card.label_counts["supportive"] == base.label_counts["supportive"] + 1
    assert card.extra_sources == ["corrections"]


def test_read_labelled_csv_and_jsonl(tmp_path: Path) -> None:
    csv_path = tmp_path / "extra.csv"
    csv_path.write_text('text,label,issue\n"Good idea.",FAVOR,X\nBad idea.,against,\n', encoding="utf-8")
    rows = read_labelled(csv_path)
    assert [(r.label, r.issue) for r in rows] == [("supportive", "X"), ("opposed", rows[1].issue)]
    assert rows[1].issue  # a default issue fills the gap
    bad = tmp_path / "bad.csv"
    bad.write_text("words,label\nx,pro\n", encoding="utf-8")
    with pytest.raises(StanceError, match="text"):
        read_labelled(bad)
    unknown = _write_jsonl(tmp_path / "u.jsonl", [{"text": "x", "label": "maybe"}])
    with pytest.raises(StanceError, match="u.jsonl:1"):
        read_labelled(unknown)


def test_compare_models_reports_both_on_the_same_data(scorer) -> None:
    heldout = [Example(t, "neutral", ISSUE_A) for t in NEUTRAL]
    out = compare_models(scorer, scorer, heldout)
    assert out["old"]["macro_f1"] == out["new"]["macro_f1"]
    assert out["delta_macro_f1"] == 0 and out["better"]


def test_metrics_report_f_avg_and_every_class() -> None:
    m = metrics(["supportive", "opposed", "neutral"], ["supportive", "neutral", "neutral"])
    assert m["per_class"]["supportive"]["f1"] == 1.0
    assert m["per_class"]["opposed"]["f1"] == 0.0
    assert m["f_avg"] == 0.5
    assert m["confusion"]["matrix"][1] == [0, 0, 1]


def test_probes_fill_every_template_for_every_issue_and_are_read_per_template(tmp_path: Path) -> None:
    probes = tmp_path / "probes.json"
    probes.write_text(json.dumps({
        "issues": {"Closing the base": "close the base", "Sending jets": "send jets"},
        "templates": {"supportive": ["We should {inf}."], "opposed": ["It is a mistake."]},
    }), encoding="utf-8")
    examples = probe_examples(probes)
    assert [(e.text, e.label, e.issue) for e in examples] == [
        ("We should close the base.", "supportive", "Closing the base"),
        ("It is a mistake.", "opposed", "Closing the base"),
        ("We should send jets.", "supportive", "Sending jets"),
        ("It is a mistake.", "opposed", "Sending jets"),
    ]
    by_template = per_case_accuracy(examples, ["supportive", "supportive", "opposed", "opposed"])
    assert by_template == {"We should {inf}.": 0.5, "It is a mistake.": 0.5}
    assert list(per_case_accuracy(examples, ["supportive", "neutral", "supportive", "opposed"])) == [
        "It is a mistake.", "We should {inf}."]


def test_shipped_probes_name_no_training_issue_and_give_each_template_one_label() -> None:
    issues = {e.issue for e in load_training()}
    probes = probe_examples()
    assert not {e.issue for e in probes} & issues
    label_of: dict[str, set[str]] = {}
    for e in probes:
        label_of.setdefault(e.case, set()).add(e.label)
    assert all(len(labels) == 1 for labels in label_of.values())  # results are read per template


@pytest.mark.parametrize(
    "issue, direction",
    [
        ("Lifting the US ban on anti-personnel landmines", 1.0),
        ("Keeping the US ban on anti-personnel landmines", -1.0),
        ("Banning cluster munitions worldwide", -1.0),
        ("Cutting military aid", -1.0),
        ("Opening humanitarian corridors", -1.0),
        ("Lifting sanctions on Iran in exchange for nuclear limits", -1.0),
        ("Imposing new sanctions on Russia's energy exports", 1.0),
        ("Destroying the remaining chemical weapons stockpile", -1.0),
        # who makes the change is not the change; nor is who is urged to make it
        ("Finland's withdrawal from the Ottawa Treaty", 1.0),
        ("The United States' withdrawal from the Ottawa Treaty", 1.0),
        ("Banning Russia's oil exports", -1.0),
        ("Urging Congress to restore the ban on cluster munitions", -1.0),
        ("Urging an end to the ban on landmines", 1.0),
        ("Calling for an end to the arms embargo", 1.0),
        # "funding for" does not end the object: what is cut is the demining
        ("Cutting US funding for humanitarian demining", 1.0),
        ("Cutting US military aid to Taiwan", -1.0),
        # a change named as a noun inside the object: halting the destruction = keeping them
        ("Halting the destruction of landmine stockpiles", 1.0),
        ("Halting the planned destruction of landmine stockpiles", 1.0),
        ("Blocking the withdrawal of troops from the border", 1.0),
        ("Banning weapons of mass destruction", -1.0),
        ("Atheism", 1.0),
    ],
)
def test_issue_direction(issue: str, direction: float) -> None:
    assert issue_direction(issue) == direction


@pytest.mark.parametrize("issue", ["", "'s", "Urging", "Urging to", "Cutting funding for",
                                   "the destruction of", "It's", "The"])
def test_issue_direction_of_odd_phrases_is_a_sign(issue: str) -> None:
    assert issue_direction(issue) in (1.0, -1.0)


def test_cli_registers_the_stance_commands() -> None:
    from analysis.cli import build_parser

    parser = build_parser()
    assert parser.parse_args(["classify", "--issue", "X", "--explain"]).explain
    assert parser.parse_args(["train", "--extra", "a.csv", "b.jsonl"]).extra == ["a.csv", "b.jsonl"]
    assert parser.parse_args(["rescore", "--db", "x.duckdb"]).db == "x.duckdb"
    assert parser.parse_args(["evaluate-stance", "--group-by", "issue"]).group_by == "issue"


def test_classify_prints_the_documented_fields(trained, monkeypatch, capsys) -> None:
    import io

    from analysis.cli import main
    import analysis.stance as stance

    training, models = trained
    monkeypatch.setattr(
        stance, "load_scorer",
        lambda *a, **k: stance.model.load_scorer(models, train_if_missing=False, training_dir=training),
    )
    monkeypatch.setattr("sys.stdin", io.StringIO(NEUTRAL[0] + "\n\n" + OPPOSE_BAN[2] + "\n"))
    assert main(["classify", "--issue", ISSUE_A]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 2
    assert set(rows[0]) == {"text", "stance", "p_supportive", "p_opposed", "p_neutral"}
    assert rows[0]["stance"] == "neutral"
    # as text, with --explain: each line of words under its quote
    monkeypatch.setattr("sys.stdin", io.StringIO(OPPOSE_BAN[2] + "\n"))
    assert main(["classify", "--issue", ISSUE_A, "--format", "text", "--explain"]) == 0
    label_line, terms_line, kinds_line = capsys.readouterr().out.splitlines()
    assert label_line.endswith("\t" + OPPOSE_BAN[2]) and terms_line.startswith("\t\t")
    assert any(w.lower() in terms_line for w in OPPOSE_BAN[2].split())
    # the words are not the only evidence: each kind's push is printed under them
    assert kinds_line.startswith("\t\tby kind: ") and "words " in kinds_line


def test_without_embedding_packages_the_model_drops_that_block(monkeypatch, trained) -> None:
    from analysis.stance import model

    training, models = trained
    card = model.read_card(models)
    assert card.params["emb"] == model.DEFAULT_PARAMS["emb"] > 0  # requirements.txt installs them
    monkeypatch.setattr(model, "_embeddings_available", lambda: False)
    with pytest.warns(UserWarning, match="without its embedding block"):
        params = model.shipped_params()
    assert params == {**model.DEFAULT_PARAMS, "emb": 0.0}
    # the saved model was trained with the block, so here it is stale and gets rebuilt without it
    with pytest.warns(UserWarning):
        assert model.is_stale(card, training)


def test_embedding_block_is_verified_and_unit_norm(monkeypatch, tmp_path: Path) -> None:
    from analysis.stance import embed

    vectors = embed.embed(["Mines maim children.", "The hearing is on Tuesday."])
    assert vectors.shape == (2, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    embed.clear_cache()
    assert not embed.encoder().cache
    fake = tmp_path / "tokenizer.json"
    fake.write_text("{}", encoding="utf-8")
    monkeypatch.setenv("STANCE_TOKENIZER_JSON", str(fake))
    with pytest.raises(StanceError, match="SHA-256"):
        embed._Encoder()


def test_two_stage_model_splits_neutral_from_polarity() -> None:
    from analysis.stance.features import TwoStageStance, build_pipeline

    rows = _rows()
    X = frame([r["text"] for r in rows], [r["issue"] for r in rows])
    model = build_pipeline(kind="svm", C=1.0, per_issue=True, two_stage=True)
    assert isinstance(model, TwoStageStance)
    model.fit(X, [r["label"] for r in rows])
    # Stage 1 never sees the target-aware blocks; stage 2 is trained without neutral rows.
    stage1 = {name for name, _, _ in model.neutral_.named_steps["features"].transformers}
    assert not stage1 & {"signed", "cross", "issue"}
    assert set(model.polarity_.classes_) == {"supportive", "opposed"}
    proba = model.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert list(model.classes_) == ["supportive", "opposed", "neutral"]
    assert set(model.predict(X)) == {"supportive", "opposed", "neutral"}


def test_without_word_drops_whole_words_in_any_case() -> None:
    from analysis.stance.explain import without_word

    assert without_word("Not now, not ever: NOT!", "not") == "now, ever: !"
    assert without_word("We\u2019re here to win.", "we're") == "here to win."
    assert without_word("You cannot can it.", "can") == "You cannot it."


def test_embedding_explanation_names_words_of_the_quote(scorer) -> None:
    text = "Banning rockets is government overreach into family fun."
    leaned_on = scorer.explain_embedding(text, ISSUE_A, top_k=3)
    assert 0 < len(leaned_on) <= 3
    assert {w for w, _ in leaned_on} <= set(text.lower().rstrip(".").split())
    assert all(isinstance(v, float) and v != 0.0 for _, v in leaned_on)


def test_embedding_explanation_finds_the_one_word_the_embedding_depends_on(monkeypatch) -> None:
    from analysis.stance import embed
    from analysis.stance.explain import explain_embedding

    def fake_embed(texts: list[str]) -> np.ndarray:
        # a sentence "means" one of two things, depending only on the word "overreach"
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for i, t in enumerate(texts):
            out[i, 0 if "overreach" in t.lower() else 1] = 1.0
        return out

    monkeypatch.setattr(embed, "embed", fake_embed)
    rows = _rows()
    pipe = build_pipeline(kind="svm", C=1.0, emb=0.5, calibrate=False)
    pipe.fit(frame([r["text"] for r in rows], [r["issue"] for r in rows]), [r["label"] for r in rows])
    text = "Banning rockets is government overreach into family fun."
    leaned_on = explain_embedding(pipe, text, ISSUE_A, "opposed", top_k=5)
    assert [w for w, _ in leaned_on] == ["overreach"]
    no_emb = build_pipeline(kind="svm", C=1.0, emb=0.0, calibrate=False)
    no_emb.fit(frame([r["text"] for r in rows], [r["issue"] for r in rows]), [r["label"] for r in rows])
    assert explain_embedding(no_emb, text, ISSUE_A, "opposed") == []


class Smuggled:
    """A type outside the trusted prefixes, as a tampered model file might carry."""

    def __init__(self) -> None:
        self.payload = "anything"


@pytest.mark.parametrize("claimed", [(), ("tests.test_stance.Smuggled",), ("sklearn.pipeline.Pipeline",)])
def test_a_model_file_with_an_untrusted_type_is_refused(tmp_path: Path, claimed) -> None:
    import skops.io as sio

    from analysis.stance.model import load_pipeline

    path = tmp_path / "stance.skops"
    sio.dump({"model": Smuggled()}, path)
    with pytest.raises(ModelNotTrained, match="untrusted types"):
        load_pipeline(path, trusted_types=claimed)


def test_loading_uses_the_cards_type_list_instead_of_reading_the_file_twice(
        trained, monkeypatch) -> None:
    import skops.io as sio

    training, models = trained
    card = json.loads((models / "stance.json").read_text(encoding="utf-8"))
    assert card["trusted_types"] and all(t.startswith(("sklearn.", "numpy.", "scipy.", "builtins.",
                                                       "analysis.stance.")) for t in card["trusted_types"])

    def no_second_read(*args, **kwargs):
        raise AssertionError("the file's types were listed again")

    monkeypatch.setattr(sio, "get_untrusted_types", no_second_read)
    again = load_scorer(models, train_if_missing=False, training_dir=training)
    assert again.predict([SUPPORT_BAN[0]], [ISSUE_A])


def test_explaining_again_reuses_the_feature_names(scorer, monkeypatch) -> None:
    from analysis.stance import explain

    text = "Banning rockets is government overreach into family fun."
    first = scorer.explain(text, ISSUE_A)
    calls = []
    for features in list(explain._FEATURE_NAMES):
        original = features.get_feature_names_out
        monkeypatch.setattr(features, "get_feature_names_out",
                            lambda *a, _o=original, **k: calls.append(1) or _o(*a, **k))
    assert scorer.explain(text, ISSUE_A) == first
    scorer.explain_by_kind(text, ISSUE_A)
    assert calls == []


def test_tfidf_vocabulary_is_saved_as_one_array_and_restored_exactly(tmp_path: Path) -> None:
    import skops.io as sio

    from analysis.stance.features import Tfidf

    v = Tfidf(ngram_range=(1, 2)).fit(["mines maim children", "children need the ban", "lift it"])
    before = dict(v.vocabulary_)
    path = tmp_path / "v.skops"
    sio.dump(v, path)
    assert v.vocabulary_ == before  # saving leaves the fitted object as it was
    assert isinstance(v.__getstate__()["vocabulary_"], np.ndarray)  # one array, not a node per term
    loaded = sio.load(path, trusted=sio.get_untrusted_types(file=path))
    assert loaded.vocabulary_ == before
    assert (loaded.transform(["the ban maims"]) != v.transform(["the ban maims"])).nnz == 0
