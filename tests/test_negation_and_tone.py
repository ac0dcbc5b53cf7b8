"""Negation scopes (analysis/stance/negation.py) and tone (analysis/stance/valence.py)."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.stance.features import TwoStageStance, build_pipeline, frame
from analysis.stance.negation import NegationScope, mark_negation, unmarked
from analysis.stance.valence import FEATURES, Valence, tone, without_issue_words

ISSUE = "Lifting the ban on toy rockets"


@pytest.mark.parametrize("text, marked", [
    ("This is not a step backward.", "this is not NOT_a NOT_step NOT_backward ."),
    # the scope is three words long
    ("We will never go back to the old days", "we will never NOT_go NOT_back NOT_to the old days"),
    # punctuation and "but" close it
    ("No, it works.", "no , it works ."),
    ("not wise but brave", "not NOT_wise but brave"),
    ("I don't like it", "i don't NOT_like NOT_it"),
    ("Nothing wrong here", "nothing NOT_wrong NOT_here"),
    ("A plain sentence.", "a plain sentence ."),
])
def test_mark_negation(text: str, marked: str) -> None:
    assert mark_negation(text) == marked


def test_scope_length_is_a_parameter() -> None:
    assert mark_negation("not a step backward", scope=1) == "not NOT_a step backward"
    assert NegationScope(2)("Not a step backward") == "not NOT_a NOT_step backward"


def test_marked_terms_read_as_words_for_a_reader() -> None:
    assert unmarked("NOT_step NOT_backward") == "step backward (negated)"
    assert unmarked("not NOT_a") == "not a (negated)"
    assert unmarked("step backward") == "step backward"


def test_negated_and_plain_phrases_are_different_polarity_features() -> None:
    """The polarity stage must see "not a step backward" and "a step backward" apart; the
    neutral stage reads plain words."""
    texts = ["It is not a step backward.", "It is a step backward.", "The vote is on Monday."]
    labels = ["supportive", "opposed", "neutral"]
    model = build_pipeline(kind="lr", calibrate=False, two_stage=True, negation_scope=3,
                           char=False, cross=False)
    model.fit(frame(texts * 4, [ISSUE] * 12), labels * 4)
    polarity_words = model.polarity_.named_steps["features"].named_transformers_["word"]
    assert {"NOT_step", "NOT_backward", "step", "backward"} <= set(polarity_words.vocabulary_)
    neutral_words = model.neutral_.named_steps["features"].named_transformers_["word"]
    assert not any(t.startswith("NOT_") for t in neutral_words.vocabulary_)
    signed = model.polarity_.named_steps["features"].named_transformers_["signed"]
    assert "NOT_step" in signed.vectorizer_.vocabulary_
    p = model.predict(frame(["It is not a step backward.", "It is a step backward."], [ISSUE] * 2))
    assert list(p) == ["supportive", "opposed"]


def test_tone_reads_praise_and_condemnation() -> None:
    praise = tone("We welcome this wise and courageous decision.", ISSUE)
    condemnation = tone("A shameful betrayal that will kill children.", ISSUE)
    report = tone("The committee meets on Thursday.", ISSUE)
    assert praise[0] > 0.3 and praise[2] > 0.5
    assert condemnation[1] > 0.3 and condemnation[2] < -0.5
    assert report == (0.0, 0.0, 0.0)


def test_tone_leaves_the_issues_own_words_out() -> None:
    # "ban" is a negative word to VADER, but here it only names the issue
    assert without_issue_words("Lifting the ban, finally!", ISSUE) == "the finally!"
    assert tone("the ban", ISSUE) == (0.0, 0.0, 0.0)
    assert tone("the ban", "Funding school lunches")[1] > 0


def test_valence_block_is_in_the_neutral_stage_only() -> None:
    X = frame(["We welcome it.", "A disgrace.", "Vote on Monday."], [ISSUE] * 3)
    block = Valence().fit(X)
    out = block.transform(X).toarray()
    assert out.shape == (3, 3) and list(block.get_feature_names_out()) == list(FEATURES)
    assert out[0, 0] > 0 and out[1, 1] > 0 and not out[2].any()
    model = build_pipeline(kind="lr", calibrate=False, two_stage=True, valence=True)
    assert isinstance(model, TwoStageStance)
    model.fit(frame(["We welcome it.", "A disgrace.", "Vote on Monday."] * 4, [ISSUE] * 12),
              ["supportive", "opposed", "neutral"] * 4)
    stage1 = {name for name, _, _ in model.neutral_.named_steps["features"].transformers}
    stage2 = {name for name, _, _ in model.polarity_.named_steps["features"].transformers}
    assert "valence" in stage1 and "valence" not in stage2
    np.testing.assert_allclose(model.predict_proba(X).sum(axis=1), 1.0)
