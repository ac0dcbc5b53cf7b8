"""Measuring the stance model: metrics, grouped cross-validation, model comparison, public sets.

In: labelled `Example`s (the project's own, the seed article's gold quotes, or public sets read
at run time from `../shared/data/`, never copied into the repository). Out: plain dicts of
metrics (macro-F1, per-class F1, F_avg = mean F1 of supportive and opposed, confusion matrix)
for the model card and the bench.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import GroupKFold

from analysis.errors import StanceError
from analysis.records import STANCES
from analysis.stance.data import REPO, Example, read_labelled
from analysis.stance.features import build_pipeline, frame

PUBLIC_DATA = Path(os.environ.get("STANCE_PUBLIC_DATA", REPO.parent / "shared" / "data"))
SEEDS = Path(os.environ.get("STANCE_SEEDS", REPO.parent / "shared" / "seeds"))
DEMO_GOLD = REPO / "data" / "demo" / "gold"
PROBES = REPO / "data" / "heldout" / "probes.json"


class Predictor(Protocol):
    def predict(self, texts: Sequence[str], issues: Sequence[str]) -> list[str]: ...


def metrics(y_true: Sequence[str], y_pred: Sequence[str]) -> dict[str, Any]:
    """Macro-F1 over the three classes, per-class P/R/F1, F_avg, accuracy and confusion matrix.

    The confusion matrix has rows = gold, columns = predicted, both in STANCES order.
    """
    labels = list(STANCES)
    p, r, f, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, zero_division=0
    )
    per_class = {
        lab: {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4),
              "f1": round(float(f[i]), 4), "support": int(support[i])}
        for i, lab in enumerate(labels)
    }
    return {
        "n": len(y_true),
        "accuracy": round(float(np.mean(np.asarray(y_true) == np.asarray(y_pred))), 4) if len(y_true) else 0.0,
        "macro_f1": round(float(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)), 4),
        "f_avg": round(float((f[0] + f[1]) / 2), 4),
        "per_class": per_class,
        "predicted": {lab: int(np.sum(np.asarray(y_pred) == lab)) for lab in labels},
        "confusion": {"labels": labels,
                      "matrix": confusion_matrix(y_true, y_pred, labels=labels).tolist()},
    }


def grouped_cv_proba(
    examples: Sequence[Example], params: dict[str, Any], group_by: str = "topic", n_splits: int = 5,
) -> np.ndarray:
    """Out-of-fold P(label) (columns in STANCES order); each fold holds out whole topics/issues."""
    groups = [getattr(e, group_by) or e.issue for e in examples]
    n_groups = len(set(groups))
    if n_groups < 2:
        raise StanceError(f"grouped cross-validation needs at least 2 {group_by}s, got {n_groups}")
    X = frame([e.text for e in examples], [e.issue for e in examples])
    y = np.asarray([e.label for e in examples])
    proba = np.zeros((len(examples), len(STANCES)))
    for train_idx, test_idx in GroupKFold(n_splits=min(n_splits, n_groups)).split(X, y, groups):
        pipe = build_pipeline(**params)
        pipe.fit(X.iloc[train_idx], y[train_idx])
        cols = [list(pipe.classes_).index(s) for s in STANCES]
        proba[test_idx] = pipe.predict_proba(X.iloc[test_idx])[:, cols]
    return proba


def grouped_cv_predictions(
    examples: Sequence[Example], params: dict[str, Any], group_by: str = "topic", n_splits: int = 5,
) -> list[str]:
    """Out-of-fold labels where each fold holds out whole topics (or issues) unseen in training."""
    proba = grouped_cv_proba(examples, params, group_by, n_splits)
    return [STANCES[i] for i in proba.argmax(axis=1)]


def calibration(y_true: Sequence[str], proba: np.ndarray, bins: int = 10) -> dict[str, float]:
    """Log-loss, Brier score, expected calibration error and reliability bins of the top probability."""
    idx = np.asarray([STANCES.index(y) for y in y_true])
    onehot = np.eye(len(STANCES))[idx]
    p = np.clip(proba, 1e-12, 1.0)
    conf, hit = proba.max(axis=1), (proba.argmax(axis=1) == idx)
    edges = np.linspace(0.0, 1.0, bins + 1)
    ece, reliability = 0.0, []
    for lo, hi in zip(edges[:-1], edges[1:]):
        sel = (conf > lo) & (conf <= hi)
        if sel.any():
            ece += sel.mean() * abs(conf[sel].mean() - hit[sel].mean())
            reliability.append({"confidence": round(float(conf[sel].mean()), 4),
                                "accuracy": round(float(hit[sel].mean()), 4),
                                "count": int(sel.sum())})
    return {
        "bins": reliability,
        "log_loss": round(float(-np.mean(np.log(p[np.arange(len(idx)), idx]))), 4),
        "brier": round(float(np.mean(np.sum((proba - onehot) ** 2, axis=1))), 4),
        "ece": round(float(ece), 4),
    }


def grouped_cv(
    examples: Sequence[Example], params: dict[str, Any], group_by: str = "topic", n_splits: int = 5,
) -> dict[str, Any]:
    """Metrics (and calibration) of out-of-fold predictions on topics unseen in training."""
    proba = grouped_cv_proba(examples, params, group_by, n_splits)
    y = [e.label for e in examples]
    out = metrics(y, [STANCES[i] for i in proba.argmax(axis=1)])
    out["calibration"] = calibration(y, proba)
    out["protocol"] = (
        f"GroupKFold({n_splits}) by {group_by}: every prediction is for a {group_by} unseen in training"
    )
    return out


def evaluate(model: Predictor, examples: Sequence[Example]) -> dict[str, Any]:
    """Metrics of a fitted model (a `Scorer`) on labelled examples."""
    pred = model.predict([e.text for e in examples], [e.issue for e in examples])
    return metrics([e.label for e in examples], pred)


def compare_models(
    old: Predictor | None, new: Predictor, heldout: Sequence[Example] | Path
) -> dict[str, Any]:
    """Both models on the same held-out examples, so a retrain replaces the old model only if better.

    Args:
        old: the current model (a `Scorer`), or None when there is none.
        new: the candidate model.
        heldout: labelled examples, or a labelled CSV/JSONL file, neither model was trained on.

    Returns:
        {"old": metrics | None, "new": metrics, "delta_macro_f1": float | None, "better": bool}.
    """
    examples = read_labelled(heldout) if isinstance(heldout, (str, Path)) else list(heldout)
    if not examples:
        raise StanceError("compare_models needs at least one held-out example")
    new_m = evaluate(new, examples)
    old_m = evaluate(old, examples) if old is not None else None
    delta = None if old_m is None else round(new_m["macro_f1"] - old_m["macro_f1"], 4)
    return {
        "old": old_m, "new": new_m, "delta_macro_f1": delta,
        "old_version": getattr(old, "version", None), "new_version": getattr(new, "version", None),
        "better": delta is None or delta >= 0,
    }


# --- gold and public sets (read at run time, never stored in the project) ---------------------

def seed_gold(seeds_dir: Path = SEEDS, kind: str | None = "direct") -> list[Example]:
    """The gold quotes (quote, stance, issue) of every `*.gold.jsonl` in a folder, optionally one kind.

    By default the seed article's; `DEMO_GOLD` holds the demo articles' (labelled by their authors).
    """
    out = []
    for path in sorted(Path(seeds_dir).glob("*.gold.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            if kind and row.get("kind") != kind:
                continue
            out.append(Example(row["quote"], row["stance"], row["issue"], topic=row["doc_id"],
                               case=row.get("kind", ""), source=path.name))
    return out


def probe_examples(path: Path = PROBES) -> list[Example]:
    """Every template of a probe file filled with every issue's change: one `Example` each.

    `case` is the template (so results can be read per template), `topic` the issue.
    """
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    return [Example(template.format(inf=infinitive), label, issue, topic=issue, case=template,
                    source=Path(path).name)
            for issue, infinitive in doc["issues"].items()
            for label, templates in doc["templates"].items()
            for template in templates]


def per_case_accuracy(examples: Sequence[Example], predicted: Sequence[str]) -> dict[str, float]:
    """Share of each `case` predicted right, lowest first."""
    hits: dict[str, list[bool]] = {}
    for e, p in zip(examples, predicted):
        hits.setdefault(e.case, []).append(e.label == p)
    return dict(sorted(((c, sum(h) / len(h)) for c, h in hits.items()), key=lambda kv: kv[1]))


def gold_articles(gold_dir: Path, text_dir: Path) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """(article text, issue, gold rows) for each article of `text_dir` that has gold quotes.

    Texts are read as ingest reads them (HTML to text), so gold offsets index into them.
    """
    from analysis.ingest import read_paths

    rows_by_doc: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(Path(gold_dir).glob("*.gold.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                rows_by_doc.setdefault(row["doc_id"], []).append(row)
    out = []
    for _, result in read_paths([Path(text_dir)]):
        for article in result.articles:
            rows = rows_by_doc.get(article.doc_id)
            if rows:
                out.append((article.text, rows[0]["issue"], rows))
    return out


def predict_in_context(
    scorer: Any, articles: Sequence[tuple[str, str, list[dict[str, Any]]]]
) -> list[tuple[dict[str, Any], str]]:
    """(gold row, predicted label) per gold quote, scored as extraction scores it: with the rest
    of its speaker's remark (`analysis.stance.context`)."""
    from analysis.stance.context import QuoteSpan, score_in_context

    batches = [(text, issue, [QuoteSpan(r["start"], r["end"], r.get("speaker"), r["quote"])
                              for r in rows]) for text, issue, rows in articles]
    scores = score_in_context(scorer, batches)
    return [(row, score.stance) for (_, _, rows), article_scores in zip(articles, scores)
            for row, score in zip(rows, article_scores)]


def metrics_of_pairs(pairs: Sequence[tuple[dict[str, Any], str]], kind: str | None = None
                     ) -> dict[str, Any]:
    """`metrics` of (gold row, predicted label) pairs, of one kind of quote or all, with the count
    right."""
    chosen = [(row["stance"], p) for row, p in pairs if kind is None or row.get("kind") == kind]
    gold, pred = [g for g, _ in chosen], [p for _, p in chosen]
    return {**metrics(gold, pred), "correct": sum(g == p for g, p in chosen)}


def evaluate_in_context(
    scorer: Any, articles: Sequence[tuple[str, str, list[dict[str, Any]]]], kind: str | None = None
) -> dict[str, Any]:
    """Metrics of gold quotes scored as extraction scores them: each with the rest of its remark."""
    return metrics_of_pairs(predict_in_context(scorer, articles), kind)


def stance_shares_by_actor_type(pairs: Sequence[tuple[dict[str, Any], str]]) -> dict[str, Any]:
    """Per gold actor type: how many quotes, and the share of each stance in gold and as predicted.

    This is the dashboard's own question (which side each kind of voice takes) asked of gold
    quotes: where the two shares differ, the charts over- or understate that side. Rows without
    a gold actor type are left out.
    """
    by_type: dict[str, list[tuple[str, str]]] = {}
    for row, predicted in pairs:
        if row.get("actor_type"):
            by_type.setdefault(row["actor_type"], []).append((row["stance"], predicted))
    out = {}
    for actor_type, rows in sorted(by_type.items(), key=lambda kv: -len(kv[1])):
        n = len(rows)
        out[actor_type] = {
            "n": n,
            "gold": {s: round(sum(g == s for g, _ in rows) / n, 4) for s in STANCES},
            "predicted": {s: round(sum(p == s for _, p in rows) / n, 4) for s in STANCES},
        }
    return out


def public_available(name: str) -> bool:
    """True when `../shared/data/<name>/` exists (benches skip otherwise)."""
    return (PUBLIC_DATA / name).is_dir()


def _jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def ukp_topics() -> list[str]:
    """Topic file stems of the UKP corpus copy (e.g. 'gun_control')."""
    return sorted(p.stem for p in (PUBLIC_DATA / "ukp").glob("*.jsonl"))


def ukp_examples(topic: str) -> list[Example]:
    """One UKP topic; the issue is the topic as phrased in the corpus ('gun control')."""
    rows = _jsonl(PUBLIC_DATA / "ukp" / f"{topic}.jsonl")
    return [Example(r["sentence"], r["label"], r["topic"], topic=topic, source="ukp") for r in rows]


def semeval_examples(split: str) -> list[Example]:
    """SemEval-2016 task A tweets of one split ('train' or 'test'); the issue is the target."""
    rows = _jsonl(PUBLIC_DATA / "semeval2016" / f"{split}.jsonl")
    return [Example(r["text"], r["label"], r["target"], topic=r["target"], source="semeval")
            for r in rows]
