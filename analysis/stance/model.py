"""Training, persisting and loading the shipped stance model.

In: labelled examples (`analysis.stance.data`). Out: a fitted pipeline saved with skops under
`data/models/` (git-ignored) plus a JSON sidecar (versions, data hash, CV metrics, file SHA-256),
and a `Scorer` that the pipeline, the CLI and the dashboard call.
The model version is derived from the training data and the parameters, so the same data and
code always give the same version; `load_scorer` rebuilds the model when it is missing or stale.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
import warnings
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
import skops.io as sio
from skops.io.exceptions import UntrustedTypesFoundException
from sklearn.pipeline import Pipeline

from analysis.errors import ModelNotTrained, StanceError
from analysis.records import STANCES, StanceScore
from analysis.stance.data import (
    REPO, TRAINING_DIR, Example, data_hash, dedupe, load_training, read_labelled, rows_to_examples,
)
from analysis.stance.experts import MIN_EXPERT_EXAMPLES
from analysis.stance.explain import explain_by_kind, explain_embedding, explain_pipeline
from analysis.stance.features import build_pipeline, frame

MODEL_DIR = REPO / "data" / "models"
MODEL_FILE = "stance.skops"
CARD_FILE = "stance.json"
EXTRA_FILE = "extra_rows.jsonl"
# Bump when features or training change in a way the parameters below do not show.
FEATURE_VERSION = 15
# The shipped configuration, chosen by grouped cross-validation (bench/stance_bench.py, model card).
# `emb` weighs the MiniLM sentence-embedding block (analysis/stance/embed.py); `experts` is how many
# labelled statements an issue needs for a model of its own (analysis/stance/experts.py). None of
# the shipped issues has that many, so it only acts on a person's extra data (and SemEval's targets).
# `negation_scope` and `attitude` (polarity stage) and `valence` (neutral stage): see
# features.build_pipeline.
DEFAULT_PARAMS: dict[str, Any] = {
    "kind": "svm", "C": 1.0, "word": True, "char": True, "signed": True, "cross": True,
    "per_issue": True, "shape": True, "emb": 0.5, "two_stage": True,
    "experts": MIN_EXPERT_EXAMPLES, "negation_scope": 3, "valence": True, "attitude": True,
}
# Only these module prefixes may appear in a model file we load (skops refuses anything else).
TRUSTED_PREFIXES = ("sklearn.", "numpy.", "scipy.", "builtins.", "analysis.stance.")


@dataclass
class ModelCard:
    """What a trained model is: version, data, parameters, and how good it measured."""

    version: str
    trained_at: str
    training_size: int
    label_counts: dict[str, int]
    params: dict[str, Any]
    base_hash: str
    data_hash: str
    sklearn_version: str
    feature_version: int
    extra_sources: list[str] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    train_seconds: float = 0.0
    model_sha256: str = ""
    # Issues with a model of their own: issue -> {"rows": labelled rows, "weight": its share}.
    issue_experts: dict[str, dict[str, float]] = field(default_factory=dict)
    # The non-builtin types the model file holds (all under TRUSTED_PREFIXES), so loading need
    # not read the 200 MB schema twice to find them.
    trusted_types: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def shipped_params() -> dict[str, Any]:
    """`DEFAULT_PARAMS`, without the embedding block when its packages are not installed.

    requirements.txt installs them; a trimmed environment still gets a working n-gram model
    (and a warning), rather than no stance at all.
    """
    if DEFAULT_PARAMS["emb"] and not _embeddings_available():
        warnings.warn("sentence-embedding packages missing (see requirements.txt): the stance model "
                      "is trained without its embedding block", stacklevel=2)
        return {**DEFAULT_PARAMS, "emb": 0.0}
    return dict(DEFAULT_PARAMS)


def params_key(params: dict[str, Any]) -> str:
    """A stable string for the parameters, the feature version and the scikit-learn version."""
    return json.dumps(
        {"params": params, "feature_version": FEATURE_VERSION, "sklearn": sklearn.__version__},
        sort_keys=True,
    )


def model_version(examples: Sequence[Example], params: dict[str, Any]) -> str:
    """`sk-` + 12 hex of SHA-256(data hash, parameters): changes whenever data or parameters do."""
    h = hashlib.sha256((data_hash(examples) + params_key(params)).encode("utf-8")).hexdigest()
    return f"sk-{h[:12]}"


def _fit(examples: Sequence[Example], params: dict[str, Any]) -> Pipeline:
    labels = {e.label for e in examples}
    if len(labels) < 3:
        raise StanceError(
            f"training needs all three labels ({', '.join(STANCES)}); got {sorted(labels)}"
        )
    pipe = build_pipeline(**params)
    pipe.fit(frame([e.text for e in examples], [e.issue for e in examples]),
             [e.label for e in examples])
    return pipe


def issue_experts(pipe: Any) -> dict[str, dict[str, float]]:
    """Issue -> {"rows", "weight"} for every issue that qualified for a model of its own."""
    sizes, weights = getattr(pipe, "sizes_", {}), getattr(pipe, "weights_", {})
    return {key: {"rows": sizes[key], "weight": weights[key]} for key in sorted(sizes)}


class Scorer:
    """A fitted stance model: probabilities, labels and explanations for (quote, issue) pairs."""

    def __init__(self, pipeline: Pipeline, version: str, card: ModelCard | None = None):
        self.pipeline = pipeline
        self.version = version
        self.card = card
        self.classes_: list[str] = [str(c) for c in pipeline.classes_]

    def predict_proba(self, texts: Sequence[str], issues: Sequence[str]) -> np.ndarray:
        """P(label) per row, columns in STANCES order (supportive, opposed, neutral)."""
        if not len(texts):
            return np.zeros((0, len(STANCES)))
        proba = self.pipeline.predict_proba(frame(list(texts), list(issues)))
        order = [self.classes_.index(s) for s in STANCES]
        return proba[:, order]

    def score(self, texts: list[str], issues: list[str]) -> list[StanceScore]:
        """One `StanceScore` per (quote, issue) pair.

        Args:
            texts: the quotes' words.
            issues: the issue each quote's stance is measured toward (same length as `texts`).

        Returns:
            Stance label (the most probable) and the three probabilities (summing to 1).
        """
        proba = self.predict_proba(texts, issues)
        out = []
        for row in proba:
            ps, po, pn = (float(x) for x in row)
            out.append(StanceScore(STANCES[int(np.argmax(row))], ps, po, pn, self.version))
        return out

    def predict(self, texts: Sequence[str], issues: Sequence[str]) -> list[str]:
        """The most probable label per pair."""
        if not hasattr(self.pipeline, "predict_proba"):  # an uncalibrated SVM (benchmarks only)
            return [str(p) for p in self.pipeline.predict(frame(list(texts), list(issues)))]
        proba = self.predict_proba(texts, issues)
        return [STANCES[int(i)] for i in np.argmax(proba, axis=1)] if len(proba) else []

    def explain(self, text: str, issue: str, top_k: int = 8, label: str | None = None
                ) -> list[tuple[str, float]]:
        """Terms of `text` that pushed it toward `label` (default: its predicted label), with
        signed contributions.

        Positive values pushed toward the label, negative ones away from it; sorted by absolute
        size. Terms are lowercased words or word pairs of the quote itself. A caller that shows
        a label (a stored one, scored in context) passes it, so the words explain that label
        and the quote is not predicted again.
        """
        label = label or self.predict([text], [issue])[0]
        return explain_pipeline(self.pipeline, text, issue, label, top_k=top_k)

    def explain_by_kind(self, text: str, issue: str, label: str | None = None) -> dict[str, float]:
        """How much words, sentence meaning (embeddings) and shape cues pushed toward the label."""
        label = label or self.predict([text], [issue])[0]
        return explain_by_kind(self.pipeline, text, issue, label)

    def explain_embedding(self, text: str, issue: str, top_k: int = 5, label: str | None = None
                          ) -> list[tuple[str, float]]:
        """The words the sentence-meaning (embedding) evidence leaned on, by leaving each out."""
        label = label or self.predict([text], [issue])[0]
        return explain_embedding(self.pipeline, text, issue, label, top_k=top_k)


def _atomic_write(path: Path, write: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def train_model(
    extra: Sequence[Path] = (),
    model_dir: Path | None = None,
    *,
    extra_rows: Sequence[Sequence[str]] = (),
    params: dict[str, Any] | None = None,
    training_dir: Path = TRAINING_DIR,
    evaluate: bool = True,
    keep_extra_rows: bool = False,
) -> ModelCard:
    """Train the stance model on the project's statements (+ extras) and save it with skops.

    Args:
        extra: labelled CSV/JSONL files (text, label[, issue]) added to the training data.
        model_dir: where to save (default `data/models/`).
        extra_rows: in-memory (text, label[, issue]) rows, e.g. a person's corrections; they take
            precedence over a training statement with the same text and issue.
        params: overrides of `shipped_params()` (`kind`, `C`, `cross`, `emb`...).
        training_dir: the project's labelled statements (default `data/training/`).
        evaluate: also run cross-validation grouped by issue and store it in the card.
        keep_extra_rows: when no new extras are given, reuse those saved with the previous model
            (used by the automatic stale rebuild).

    Returns:
        The `ModelCard` written next to the model.

    Raises:
        StanceError: unreadable or badly labelled input, or fewer than three labels.
    """
    model_dir = Path(model_dir) if model_dir else MODEL_DIR
    params = {**shipped_params(), **(params or {})}
    base = load_training(training_dir)
    extras = [ex for p in extra for ex in read_labelled(Path(p))]
    extras += rows_to_examples(extra_rows, source="corrections")
    if keep_extra_rows and not extras and (model_dir / EXTRA_FILE).is_file():
        extras = read_labelled(model_dir / EXTRA_FILE)
    examples = dedupe([*extras, *base])  # extras first: a correction wins over a statement
    start = time.perf_counter()
    pipe = _fit(examples, params)
    seconds = time.perf_counter() - start
    card = ModelCard(
        version=model_version(examples, params),
        trained_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        training_size=len(examples),
        label_counts=dict(Counter(e.label for e in examples)),
        params=params,
        base_hash=data_hash(base),
        data_hash=data_hash(examples),
        sklearn_version=sklearn.__version__,
        feature_version=FEATURE_VERSION,
        extra_sources=sorted({e.source for e in extras}),
        train_seconds=round(seconds, 2),
        issue_experts=issue_experts(pipe),
    )
    if evaluate:
        from analysis.stance_eval import grouped_cv

        card.metrics = {"grouped_cv": grouped_cv(examples, params)}
    save_model(pipe, card, model_dir, extras)
    return card


def save_model(pipe: Pipeline, card: ModelCard, model_dir: Path, extras: Sequence[Example] = ()) -> None:
    """Write the skops file, the extras it was trained with, then the sidecar (last = commit)."""
    model_path = model_dir / MODEL_FILE
    # Deflated: 36 MB stored, 2.6 MB so (mostly the TF-IDF vocabularies, one array each: `Tfidf`).
    _atomic_write(model_path, lambda tmp: sio.dump(pipe, tmp, compression=zipfile.ZIP_DEFLATED))
    card.model_sha256 = _sha256_file(model_path)
    card.trusted_types = _checked_types(model_path)
    extra_path = model_dir / EXTRA_FILE
    if extras:
        body = "".join(
            json.dumps({"text": e.text, "label": e.label, "issue": e.issue}, ensure_ascii=False) + "\n"
            for e in extras
        )
        _atomic_write(extra_path, lambda tmp: tmp.write_text(body, encoding="utf-8"))
    elif extra_path.exists():
        extra_path.unlink()
    card_text = json.dumps(card.to_json(), indent=2, ensure_ascii=False)
    _atomic_write(model_dir / CARD_FILE, lambda tmp: tmp.write_text(card_text, encoding="utf-8"))


def read_card(model_dir: Path | None = None) -> ModelCard | None:
    """The sidecar of the saved model, or None when there is none (or it is unreadable)."""
    path = (Path(model_dir) if model_dir else MODEL_DIR) / CARD_FILE
    try:
        return ModelCard(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def is_stale(card: ModelCard | None, training_dir: Path = TRAINING_DIR) -> bool:
    """True when there is no model or the training data, parameters or library versions changed."""
    if card is None:
        return True
    try:
        base_hash = data_hash(load_training(training_dir))
    except StanceError:
        return False  # no training data here: keep whatever model exists
    shipped = shipped_params()
    return (
        card.base_hash != base_hash
        or card.feature_version != FEATURE_VERSION
        or card.sklearn_version != sklearn.__version__
        or {k: card.params.get(k) for k in shipped} != shipped
    )


def _embeddings_available() -> bool:
    from analysis.stance import embed

    return embed.available()


def _checked_types(path: Path) -> list[str]:
    """The types a skops file needs trusted, refusing any outside TRUSTED_PREFIXES."""
    try:
        untrusted = sio.get_untrusted_types(file=path)
    except Exception as exc:  # skops raises several types for a corrupt file
        raise ModelNotTrained(f"{path}: not a readable skops model ({exc.__class__.__name__})") from exc
    bad = [t for t in untrusted if not t.startswith(TRUSTED_PREFIXES)]
    if bad:
        raise ModelNotTrained(f"{path}: refusing to load untrusted types {bad}")
    return sorted(untrusted)


def load_pipeline(path: Path, expected_sha256: str = "", trusted_types: Sequence[str] = ()) -> Pipeline:
    """Load a skops model file, refusing types outside scikit-learn, numpy, scipy and this package.

    `trusted_types` (from the model's card) skips reading the file once just to list its types;
    they must lie under TRUSTED_PREFIXES too, and skops still refuses a file that needs others.
    """
    if expected_sha256 and _sha256_file(path) != expected_sha256:
        raise ModelNotTrained(f"{path}: file does not match its card's SHA-256; run `python -m analysis train`")
    trusted = list(trusted_types)
    if not trusted or not all(t.startswith(TRUSTED_PREFIXES) for t in trusted):
        trusted = _checked_types(path)
    try:
        return sio.load(path, trusted=trusted)
    except UntrustedTypesFoundException:
        return sio.load(path, trusted=_checked_types(path))


def load_scorer(
    model_dir: Path | None = None, *, train_if_missing: bool = True, training_dir: Path = TRAINING_DIR
) -> Scorer:
    """The shipped stance model, trained first if it is missing or stale.

    Args:
        model_dir: where the model lives (default `data/models/`).
        train_if_missing: train (well under a minute) when there is no current model.
        training_dir: the labelled statements the model must be current with.

    Returns:
        A `Scorer` with `.version`, `.score(texts, issues)` and `.explain(text, issue)`.

    Raises:
        ModelNotTrained: no usable model and `train_if_missing` is False (or training failed).
    """
    model_dir = Path(model_dir) if model_dir else MODEL_DIR
    card = read_card(model_dir)
    model_path = model_dir / MODEL_FILE
    if card is None or not model_path.is_file() or is_stale(card, training_dir):
        if not train_if_missing:
            raise ModelNotTrained(
                f"no current stance model in {model_dir}; run `python -m analysis train`"
            )
        try:
            card = train_model(
                model_dir=model_dir, training_dir=training_dir, keep_extra_rows=True, evaluate=False,
            )
        except StanceError as exc:
            raise ModelNotTrained(f"cannot train the stance model: {exc}") from exc
    pipe = load_pipeline(model_path, card.model_sha256, card.trusted_types)
    return Scorer(pipe, card.version, card)
