"""Stance of a quote toward its article's issue: supportive, opposed or neutral, with probabilities.

A scikit-learn pipeline over the quote text and the issue text only (never the speaker, never the
actor type), calibrated, persisted with skops under `data/models/`, rebuilt automatically when
missing or stale. Public API (used by the pipeline, the CLI and the dashboard):

- `load_scorer(model_dir=None, *, train_if_missing=True) -> Scorer`
  (`.version`, `.score(texts, issues)`, `.explain(text, issue, top_k, label=None)`)
- `train_model(extra=(), model_dir=None, *, extra_rows=()) -> ModelCard`
- `read_labelled(path) -> list[Example]` (CSV/JSONL with text, label[, issue])
- `compare_models(old, new, heldout)` (in `analysis.stance_eval`, re-exported here)

Modules: `data` (labelled statements), `features` (`build_pipeline`), `model` (train/save/load),
`explain` (term contributions).
"""

from __future__ import annotations

from typing import Any

from analysis.stance.data import DEFAULT_ISSUE, Example, load_training, read_labelled, rows_to_examples
from analysis.stance.features import INPUT_COLUMNS, build_pipeline
from analysis.stance.model import (
    DEFAULT_PARAMS, MODEL_DIR, ModelCard, Scorer, is_stale, load_scorer, read_card, shipped_params,
    train_model,
)


def compare_models(old: Any, new: Any, heldout: Any) -> dict[str, Any]:
    """Both models' metrics on the same held-out examples (see `analysis.stance_eval`)."""
    from analysis.stance_eval import compare_models as _compare

    return _compare(old, new, heldout)


__all__ = [
    "DEFAULT_ISSUE", "DEFAULT_PARAMS", "INPUT_COLUMNS", "MODEL_DIR", "Example", "ModelCard", "Scorer",
    "build_pipeline", "compare_models", "is_stale", "load_scorer", "load_training", "read_card",
    "read_labelled", "rows_to_examples", "shipped_params", "train_model",
]
