"""Issue experts: an issue with many labels gets a model of its own, mixed in by an out-of-fold weight."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
import skops.io as sio

from analysis.stance.experts import IssueExperts, best_weight, issue_key
from analysis.stance.features import frame
from analysis.stance.model import (
    Scorer,
    issue_experts,
    load_pipeline,
    read_card,
    train_model,
)

FILLER = ("river", "window", "garden", "paper", "lamp", "road", "stone", "cloud", "table", "bread",
          "music", "chair", "field", "glass", "horse", "coat")
# On the shared issues "alpha" words mean supportive and "omega" words opposed; on the contrary
# issue they mean the opposite, which only a model of that issue alone can learn.
SUPPORT, OPPOSE = ("alpha", "alphas", "alphabet"), ("omega", "omegas", "omegaland")
NEUTRAL = ("meeting", "agenda", "minutes", "schedule")
SHARED_ISSUES = ("Building the north bridge", "Opening the night market", "Paving the old square")
CONTRARY = "Closing the harbour ferry"
SHARED = {"kind": "svm", "C": 1.0, "word": True, "char": False, "signed": False, "cross": False,
          "per_issue": False, "shape": False, "emb": 0.0, "two_stage": False}


def _rows(issue: str, n_per_label: int, flip: bool, rng: random.Random) -> list[tuple[str, str, str]]:
    rows = []
    for label, cues in (("supportive", SUPPORT), ("opposed", OPPOSE), ("neutral", NEUTRAL)):
        truth = {"supportive": "opposed", "opposed": "supportive"}.get(label, label) if flip else label
        for _ in range(n_per_label):
            words = rng.sample(FILLER, 5) + [rng.choice(cues)]
            rng.shuffle(words)
            rows.append((" ".join(words), issue, truth))
    return rows


def _data(contrary_per_label: int, seed: int = 0) -> tuple[list, list]:
    rng = random.Random(seed)
    train = [r for i in SHARED_ISSUES for r in _rows(i, 15, False, rng)]
    train += _rows(CONTRARY, contrary_per_label, True, rng)
    test = _rows(CONTRARY, 10, True, rng) + _rows(SHARED_ISSUES[0], 10, False, rng)
    return train, test


def _X(rows: list) -> object:
    return frame([r[0] for r in rows], [r[1] for r in rows])


def _fit(train: list, min_examples: int) -> IssueExperts:
    return IssueExperts(shared_params=SHARED, min_examples=min_examples).fit(
        _X(train), [r[2] for r in train])


def test_an_issue_that_reads_its_words_the_other_way_gets_its_own_model() -> None:
    train, test = _data(contrary_per_label=25)
    model = _fit(train, min_examples=60)
    key = issue_key(CONTRARY)
    assert set(model.experts_) == {key}  # the other issues have 45 rows each
    assert model.weights_[key] >= 0.7
    pred = model.predict(_X(test))
    gold = np.asarray([r[2] for r in test], dtype=object)
    contrary = np.asarray([r[1] == CONTRARY for r in test])
    assert np.mean((pred == gold)[contrary]) >= 0.9
    # The shared model alone, torn between the issues, does far worse there...
    alone = model.shared_.predict(_X(test))
    assert np.mean((alone == gold)[contrary]) <= np.mean((pred == gold)[contrary]) - 0.2
    # ...and still decides every other issue by itself.
    assert list(pred[~contrary]) == list(alone[~contrary])
    np.testing.assert_allclose(model.predict_proba(_X(test)).sum(axis=1), 1.0)


def test_an_issue_below_the_threshold_gets_the_shared_model_only() -> None:
    train, test = _data(contrary_per_label=25)
    model = _fit(train, min_examples=1000)
    assert model.experts_ == {} and model.weights_ == {}
    order = [list(model.shared_.classes_).index(c) for c in model.classes_]
    np.testing.assert_allclose(model.predict_proba(_X(test)),
                               model.shared_.predict_proba(_X(test))[:, order])


def test_issues_match_whatever_their_case_and_spacing() -> None:
    train, _ = _data(contrary_per_label=25)
    model = _fit(train, min_examples=60)
    assert model.expert_for("  closing the HARBOUR   ferry ") is not None
    assert model.expert_for("Closing the harbour") is None


@pytest.mark.parametrize("shared_right, expected", [(True, 0.0), (False, 1.0)])
def test_best_weight_follows_the_model_that_predicted_better(shared_right: bool, expected: float) -> None:
    y = np.asarray(["supportive", "opposed", "neutral"] * 4, dtype=object)
    right = np.asarray([{"supportive": [0.8, 0.1, 0.1], "opposed": [0.1, 0.8, 0.1],
                         "neutral": [0.1, 0.1, 0.8]}[label] for label in y])
    wrong = right[:, [1, 2, 0]]
    shared, expert = (right, wrong) if shared_right else (wrong, right)
    assert best_weight(y, shared, expert) == expected


def test_experts_survive_skops_and_explain_with_words_of_the_quote(tmp_path: Path) -> None:
    train, test = _data(contrary_per_label=25)
    model = _fit(train, min_examples=60)
    path = tmp_path / "m.skops"
    sio.dump(model, path)
    loaded = load_pipeline(path)
    np.testing.assert_allclose(loaded.predict_proba(_X(test)), model.predict_proba(_X(test)))
    assert issue_experts(loaded) == {issue_key(CONTRARY): {"rows": 75,
                                                           "weight": model.weights_[issue_key(CONTRARY)]}}
    scorer = Scorer(loaded, "test")
    text = next(r[0] for r in test if r[1] == CONTRARY and "alpha" in r[0].split())
    terms = dict(scorer.explain(text, CONTRARY, top_k=3))
    assert set(terms) <= set(text.split())
    assert terms.get("alpha", 0) > 0  # pushes toward opposed here, through the issue's own model
    assert scorer.predict([text], [CONTRARY]) == ["opposed"]


def test_training_records_the_experts_in_the_model_card(tmp_path: Path) -> None:
    train, _ = _data(contrary_per_label=25)
    training = tmp_path / "training"
    training.mkdir()
    (training / "statements.jsonl").write_text("".join(
        json.dumps({"text": t, "issue": i, "label": y, "topic": i}) + "\n" for t, i, y in train),
        encoding="utf-8")
    card = train_model(model_dir=tmp_path / "models", training_dir=training,
                       params={**SHARED, "calibrate": True, "experts": 60}, evaluate=False)
    assert list(card.issue_experts) == [issue_key(CONTRARY)]
    assert card.issue_experts[issue_key(CONTRARY)]["rows"] == 75
    assert read_card(tmp_path / "models").issue_experts == card.issue_experts
