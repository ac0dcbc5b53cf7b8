"""Why a quote got its label: per-term contributions of the linear stance model.

In: a fitted `build_pipeline()` pipeline, one (quote, issue) pair and the label to explain.
Out: [(term, signed contribution)] where every term is a lowercased word (or word pair) of the quote.
A feature's contribution toward label k is x_j * (w_kj - mean_c w_cj): its value times how much
more it weighs for k than for the average class. Character n-grams are shared out among the quote
words that contain them, and issue x quote pairs are credited to their quote word, so the
dashboard can highlight words of the quote. Issue-signed and issue-specific n-grams count for the
n-gram itself; one read inside a negation's scope is shown as "step backward (negated)". Dense
cues (length, issue overlap, tone, attitude toward the change, embeddings) are not words:
`explain_by_kind` reports their share of the decision next to the words' share, and
`explain_embedding` traces the embedding's share back to words by leaving each out in turn. Where an issue has a model of its
own (`experts.IssueExperts`), both models' contributions count by their weight in the mixture.
"""

from __future__ import annotations

import re
import weakref
from collections import defaultdict
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.pipeline import Pipeline

from analysis.stance.features import frame, normalise, words
from analysis.stance.negation import unmarked


def linear_weights(clf: Any) -> tuple[np.ndarray, list[str]]:
    """(coefficients n_classes x n_features, classes) of a linear or calibrated-linear classifier."""
    if hasattr(clf, "calibrated_classifiers_"):
        coefs = [np.asarray(c.estimator.coef_) for c in clf.calibrated_classifiers_]
        return np.mean(coefs, axis=0), [str(c) for c in clf.classes_]
    if hasattr(clf, "coef_"):
        return np.asarray(clf.coef_), [str(c) for c in clf.classes_]
    raise TypeError(f"cannot explain a {type(clf).__name__}: no linear coefficients")


def _linear_parts(pipe: Any, issue: str) -> list[tuple[Any, float]]:
    """The models behind a prediction for `issue`, each with its weight in the mixture.

    An `IssueExperts` model mixes its shared model with the issue's own model, when it has one.
    """
    if hasattr(pipe, "expert_for"):
        found = pipe.expert_for(issue)
        if found is None:
            return [(pipe.shared_, 1.0)]
        expert, weight = found
        return [(pipe.shared_, 1.0 - weight), (expert, weight)]
    return [(pipe, 1.0)]


def _weighted_parts(pipe: Any, issue: str, label: str) -> list[tuple[Any, float, np.ndarray]]:
    """(linear pipeline, its weight, how much more each feature weighs for `label` than on average).

    For a two-stage model (`TwoStageStance`) the stage that decided `label` is read:
    neutral from the stance-bearing-vs-neutral stage, supportive/opposed from the polarity stage.
    """
    out = []
    for part, weight in _linear_parts(pipe, issue):
        if weight == 0.0:
            continue
        part_label = label
        if hasattr(part, "stage_for"):
            part, part_label = part.stage_for(label)
        W, classes = linear_weights(part.named_steps["clf"])
        if W.shape[0] == 1:  # binary problem: one row for the second class
            W = np.vstack([-W[0], W[0]])
        out.append((part, weight, W[classes.index(part_label)] - W.mean(axis=0)))
    return out


# A fitted feature union's names never change, but building them takes about 0.14 s (the large
# vocabularies), which every explanation of every quote would otherwise pay again.
_FEATURE_NAMES: weakref.WeakKeyDictionary[Any, np.ndarray] = weakref.WeakKeyDictionary()


def feature_names(features: Any) -> np.ndarray:
    """`features.get_feature_names_out()`, computed once per fitted feature union."""
    names = _FEATURE_NAMES.get(features)
    if names is None:
        names = _FEATURE_NAMES[features] = features.get_feature_names_out()
    return names


def _contributions(pipe: Any, text: str, issue: str, label: str) -> list[tuple[str, str, float]]:
    """(block, feature name, contribution toward `label`) for every non-zero feature of the pair.

    Where an issue's own model is mixed in, each model's contributions count by its weight.
    """
    out = []
    for part, weight, relative in _weighted_parts(pipe, issue, label):
        features = part.named_steps["features"]
        x = sparse.csr_matrix(features.transform(frame([text], [issue])))
        names = feature_names(features)
        for j, value in zip(x.indices, x.data):
            contribution = float(value * relative[j]) * weight
            if contribution != 0.0:
                block, _, name = str(names[j]).partition("__")
                out.append((block, name, contribution))
    return out


def explain_pipeline(
    pipe: Pipeline, text: str, issue: str, label: str, top_k: int = 8
) -> list[tuple[str, float]]:
    """Top `top_k` quote terms by |contribution| toward `label`, signed, largest first."""
    tokens = words(text)
    scores: dict[str, float] = defaultdict(float)
    for block, name, contribution in _contributions(pipe, text, issue, label):
        if block in ("word", "signed"):
            scores[unmarked(name)] += contribution
        elif block == "cross":
            scores[name.split("|", 1)[1]] += contribution
        elif block == "issue":  # issue-specific n-gram "issuekey|a_b"
            scores[name.split("|", 1)[1].replace("_", " ")] += contribution
        elif block == "char":
            gram = name.strip()
            holders = [t for t in sorted(set(tokens)) if gram and gram in t]
            for t in holders:
                scores[t] += contribution / len(holders)
    ranked = sorted(scores.items(), key=lambda kv: abs(kv[1]), reverse=True)
    return [(term, round(value, 4)) for term, value in ranked[:top_k] if value != 0.0]


# How the feature blocks are named to a reader.
EVIDENCE_KINDS = {"word": "words", "signed": "words", "cross": "words", "issue": "words",
                  "char": "words", "emb": "sentence meaning", "shape": "length and issue overlap",
                  "valence": "tone", "attitude": "attitude toward the change"}


def explain_by_kind(pipe: Pipeline, text: str, issue: str, label: str) -> dict[str, float]:
    """Net contribution toward `label` of each kind of evidence (words, sentence meaning, shape,
    tone, attitude toward the change: `EVIDENCE_KINDS`).

    The listed terms of `explain_pipeline` only cover "words"; this says how much of the
    decision came from the sentence embedding and the dense cues instead.
    """
    totals: dict[str, float] = defaultdict(float)
    for block, _, contribution in _contributions(pipe, text, issue, label):
        totals[EVIDENCE_KINDS.get(block, block)] += contribution
    return {kind: round(value, 4) for kind, value in totals.items()}


# Leaving words out one at a time costs one embedding each; quotes longer than this are rare.
MAX_OCCLUDED_WORDS = 40


def _meaning(parts: list[tuple[Any, float, np.ndarray]], text: str, issue: str) -> float:
    """The embedding block's push toward the label (only that block is computed)."""
    total = 0.0
    for part, weight, relative in parts:
        features = part.named_steps["features"]
        if "emb" not in features.named_transformers_:
            continue
        x = np.asarray(features.named_transformers_["emb"].transform(frame([text], [issue])))
        total += weight * float(x.ravel() @ relative[features.output_indices_["emb"]])
    return total


def without_word(text: str, word: str) -> str:
    """`text` with every occurrence of `word` (any case, whole word only) left out."""
    pattern = rf"(?<![\w'-]){re.escape(word)}(?![\w'-])"
    return " ".join(re.sub(pattern, " ", normalise(text), flags=re.IGNORECASE).split())


def explain_embedding(
    pipe: Pipeline, text: str, issue: str, label: str, top_k: int = 5
) -> list[tuple[str, float]]:
    """The quote words the sentence-meaning evidence leaned on, largest first.

    A word's value is how much the embedding's push toward `label` falls when the word is left
    out of the quote (negative: the quote reads more like `label` without it). Empty when the
    model has no embedding block.
    """
    parts = _weighted_parts(pipe, issue, label)
    base = _meaning(parts, text, issue)
    if base == 0.0:
        return []
    scores = []
    for word in list(dict.fromkeys(words(text)))[:MAX_OCCLUDED_WORDS]:
        scores.append((word, round(base - _meaning(parts, without_word(text, word), issue), 4)))
    ranked = sorted(scores, key=lambda kv: abs(kv[1]), reverse=True)
    return [(word, value) for word, value in ranked[:top_k] if value != 0.0]
