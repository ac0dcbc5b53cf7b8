"""Issue experts: a model of its own for every issue with plenty of labelled statements.

In: (text, issue) rows and their labels (`features.frame`). Out: `IssueExperts`, a classifier
that wraps the shared stance model (`features.build_pipeline`) and, for each issue with at least
`min_examples` labelled rows (and `min_per_label` of every label), mixes in a model trained on
that issue alone: P = (1 - w) * P_shared + w * P_expert. The weight w is chosen per issue from
out-of-fold predictions of both models on that issue's own rows (best log-likelihood), so an
expert that does not beat the shared model gets little or no say.

Why: the shared model learns how stance words carry across related issues, which is what the
dashboard needs for new articles. An issue that arrives with hundreds of its own labels (the
SemEval-2016 targets, or a person's --extra file) is better read by a model of its own, as the
per-target SVM baselines of that task show. Issues unseen in training always get the shared model.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

from analysis.stance.features import CLASSES, WORD_PATTERN, Tfidf, as_frame, build_pipeline

# An issue needs this many labelled rows for a model of its own. Below it the expert is not
# worth its out-of-fold fits: on the project's issues (60-106 statements, related to one another)
# experts only lowered within-issue macro-F1 (0.789 shared, 0.764 half-mixed, 0.667 alone).
MIN_EXPERT_EXAMPLES = 200
# The mixing weights tried for each expert, 0 = shared model only.
WEIGHT_GRID = tuple(np.round(np.linspace(0.0, 1.0, 11), 1))


def issue_key(issue: str) -> str:
    """Issues match on their words, ignoring case and spacing."""
    return " ".join(str(issue).lower().split())


def build_expert(emb: float = 0.0, seed: int = 0) -> Pipeline:
    """One issue's own model: word 1-3-grams, character 2-5-grams (and the quote's embedding).

    Within one issue nothing needs to be target-aware, so this is the classic per-target
    n-gram SVM, with sigmoid calibration so its probabilities can be mixed with the shared ones.
    """
    blocks: list[tuple[str, Any, Any]] = [
        ("word", Tfidf(token_pattern=WORD_PATTERN, ngram_range=(1, 3), sublinear_tf=True),
         "text"),
        ("char", Tfidf(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True), "text"),
    ]
    if emb:
        from analysis.stance.embed import SentenceEmbedding

        blocks.append(("emb", SentenceEmbedding(weight=1.0, parts=("text",)), ["text", "issue"]))
    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    return Pipeline([
        ("features", ColumnTransformer(blocks, remainder="drop", sparse_threshold=1.0)),
        ("clf", CalibratedClassifierCV(LinearSVC(C=1.0, random_state=seed), method="sigmoid", cv=cv)),
    ])


def _proba(model: Any, X: Any) -> np.ndarray:
    """P(label) with columns in CLASSES order (a model may lack a label: its column is 0)."""
    raw = model.predict_proba(X)
    out = np.zeros((len(raw), len(CLASSES)))
    for j, c in enumerate(model.classes_):
        out[:, CLASSES.index(str(c))] = raw[:, j]
    return out


def best_weight(y: np.ndarray, shared: np.ndarray, expert: np.ndarray) -> float:
    """The grid weight whose mixture gives the true labels the highest mean log-probability."""
    rows = np.arange(len(y))
    cols = np.asarray([CLASSES.index(str(label)) for label in y])
    scores = [np.mean(np.log(np.clip(((1 - w) * shared + w * expert)[rows, cols], 1e-9, None)))
              for w in WEIGHT_GRID]
    return float(WEIGHT_GRID[int(np.argmax(scores))])


class IssueExperts(BaseEstimator, ClassifierMixin):
    """The shared stance model plus, for issues with many labels, a model of their own.

    Fitted attributes: `shared_` (the shared model), `experts_` (issue key -> pipeline),
    `weights_` (issue key -> mixing weight), `sizes_` (issue key -> training rows).
    """

    def __init__(self, shared_params: dict | None = None, min_examples: int = MIN_EXPERT_EXAMPLES,
                 min_per_label: int = 10, folds: int = 3, seed: int = 0):
        self.shared_params = shared_params
        self.min_examples = min_examples
        self.min_per_label = min_per_label
        self.folds = folds
        self.seed = seed

    def _eligible(self, keys: np.ndarray, y: np.ndarray) -> list[str]:
        out = []
        for key, n in Counter(keys).items():
            counts = Counter(y[keys == key])
            if n >= self.min_examples and all(counts[c] >= self.min_per_label for c in CLASSES):
                out.append(key)
        return sorted(out)

    def _emb(self) -> float:
        return float((self.shared_params or {}).get("emb", 0.0))

    def _out_of_fold(self, X: Any, y: np.ndarray, keys: np.ndarray, eligible: list[str]
                     ) -> tuple[np.ndarray, np.ndarray]:
        """Shared and expert probabilities for every row of an eligible issue, each predicted by
        models that did not see that row."""
        shared_oof = np.zeros((len(y), len(CLASSES)))
        expert_oof = np.zeros((len(y), len(CLASSES)))
        # Every fold holds a share of each eligible issue's labels; other rows fall where they may.
        strata = np.asarray([f"{k}|{label}" if k in eligible else "other"
                             for k, label in zip(keys, y)])
        split = StratifiedKFold(n_splits=self.folds, shuffle=True, random_state=self.seed)
        for train, test in split.split(np.zeros(len(y)), strata):
            test = test[np.isin(keys[test], eligible)]
            shared = build_pipeline(**(self.shared_params or {})).fit(X.iloc[train], y[train])
            shared_oof[test] = _proba(shared, X.iloc[test])
            for key in eligible:
                tr, te = train[keys[train] == key], test[keys[test] == key]
                expert = build_expert(self._emb(), self.seed).fit(X.iloc[tr], y[tr])
                expert_oof[te] = _proba(expert, X.iloc[te])
        return shared_oof, expert_oof

    def fit(self, X: Any, y: Any) -> IssueExperts:
        X = as_frame(X).reset_index(drop=True)
        y = np.asarray(y, dtype=object)
        keys = np.asarray([issue_key(i) for i in X["issue"]], dtype=object)
        self.shared_ = build_pipeline(**(self.shared_params or {})).fit(X, y)
        self.experts_: dict[str, Any] = {}
        self.weights_: dict[str, float] = {}
        self.sizes_: dict[str, int] = {}
        eligible = self._eligible(keys, y)
        if eligible:
            shared_oof, expert_oof = self._out_of_fold(X, y, keys, eligible)
            for key in eligible:
                rows = keys == key
                weight = best_weight(y[rows], shared_oof[rows], expert_oof[rows])
                self.sizes_[key] = int(rows.sum())
                self.weights_[key] = weight
                if weight > 0:
                    self.experts_[key] = build_expert(self._emb(), self.seed).fit(X.loc[rows], y[rows])
        self.classes_ = np.asarray(CLASSES, dtype=object)
        self.n_features_in_ = 2
        return self

    def expert_for(self, issue: str) -> tuple[Any, float] | None:
        """(the issue's own model, its weight), or None when the issue has none."""
        key = issue_key(issue)
        return (self.experts_[key], self.weights_[key]) if key in self.experts_ else None

    def predict_proba(self, X: Any) -> np.ndarray:
        X = as_frame(X).reset_index(drop=True)
        proba = _proba(self.shared_, X)
        keys = np.asarray([issue_key(i) for i in X["issue"]], dtype=object)
        for key, expert in self.experts_.items():
            rows = np.flatnonzero(keys == key)
            if len(rows):
                w = self.weights_[key]
                proba[rows] = (1 - w) * proba[rows] + w * _proba(expert, X.iloc[rows])
        return proba

    def predict(self, X: Any) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
