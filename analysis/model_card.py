"""Reading the stance model's card for the Model page.

In: `data/models/stance.json` (written with the model) and `data/model_card.json` (written by
the stance benchmark), either of which may be missing or shaped a little differently as the
model evolves. Out: plain dicts and DataFrames: the card, every metric set found in it (anything
with a macro-F1), and calibration bins.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.records import STANCES

REPO = Path(__file__).resolve().parents[1]
CARD_PATHS = (REPO / "data" / "models" / "stance.json", REPO / "data" / "model_card.json")


def read_cards(paths: tuple[Path, ...] = CARD_PATHS) -> dict[str, dict[str, Any]]:
    """The cards that exist and parse, by file name; unreadable files are skipped."""
    out: dict[str, dict[str, Any]] = {}
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict):
            out[path.name] = data
    return out


def metric_sets(card: Any, prefix: str = "") -> dict[str, dict[str, Any]]:
    """Every nested dict that looks like a metrics block (has `macro_f1`), by its dotted path."""
    found: dict[str, dict[str, Any]] = {}
    if isinstance(card, dict):
        if "macro_f1" in card:
            found[prefix or "metrics"] = card
        for key, value in card.items():
            if isinstance(value, (dict, list)):
                found.update(metric_sets(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(card, list):
        for i, value in enumerate(card):
            found.update(metric_sets(value, f"{prefix}[{i}]"))
    return found


def grouped_cv_macro_f1(metrics: Any) -> float | None:
    """The grouped-CV macro-F1 in a model's recorded metrics, however deep the record keeps it
    (`{"grouped_cv": ...}` or `{"metrics": {"grouped_cv": ...}, "params": ...}`), else None."""
    for path, block in metric_sets(metrics).items():
        if path == "grouped_cv" or path.endswith(".grouped_cv"):
            return float(block["macro_f1"])
    return None


def per_class_table(metrics: dict[str, Any]) -> pd.DataFrame:
    """Precision, recall, F1 and support per stance."""
    rows = metrics.get("per_class") or {}
    return pd.DataFrame([{"stance": k, **v} for k, v in rows.items()])


def confusion(metrics: dict[str, Any]) -> tuple[list[str], list[list[int]]]:
    """(labels, matrix) with rows = gold, columns = predicted; empty when absent."""
    block = metrics.get("confusion") or metrics.get("confusion_matrix") or {}
    if isinstance(block, dict):
        return list(block.get("labels") or []), list(block.get("matrix") or [])
    return [], []


def calibration_bins(card: Any) -> pd.DataFrame:
    """Calibration bins (confidence, accuracy, count) found anywhere in the card, else empty."""
    if isinstance(card, dict):
        block = card.get("calibration")
        if isinstance(block, dict):
            block = block.get("bins") or block.get("reliability")
        if isinstance(block, list) and block and isinstance(block[0], dict):
            df = pd.DataFrame(block)
            df = df.rename(columns={"mean_confidence": "confidence", "mean_predicted": "confidence",
                                    "observed": "accuracy", "fraction_correct": "accuracy",
                                    "n": "count"})
            if {"confidence", "accuracy"} <= set(df.columns):
                return df
        for value in card.values():
            found = calibration_bins(value)
            if not found.empty:
                return found
    return pd.DataFrame(columns=["confidence", "accuracy", "count"])


_BLOCKS = (
    ("word", "word 1-2-grams"), ("char", "character 2-5-grams"),
    ("signed", "n-grams signed by the issue's direction"), ("cross", "issue word x quote word pairs"),
    ("per_issue", "per-issue n-grams"), ("shape", "length and issue overlap"),
    ("emb", "MiniLM sentence embeddings of quote and issue"),
    ("valence", "the quote's tone (VADER)"), ("negation_scope", "negation scopes"),
    ("attitude", "attitude toward the change"),
)


def feature_summary(params: dict[str, Any]) -> str:
    """The model's feature blocks in words, from its parameters ("" when there are none)."""
    blocks = [text for key, text in _BLOCKS if params.get(key)]
    if not blocks:
        return ""
    kind = {"svm": "linear SVM", "lr": "logistic regression"}.get(str(params.get("kind")), "linear model")
    shape = "two-stage " if params.get("two_stage") else ""
    experts = (f"; an issue with {params['experts']} or more labelled statements also gets a "
               "model of its own" if params.get("experts") else "")
    return f"{shape}{kind} over " + ", ".join(blocks) + experts


def experts_table(card: dict[str, Any]) -> pd.DataFrame:
    """The issues that got a model of their own: labelled rows and that model's share."""
    experts = card.get("issue_experts") or {}
    return pd.DataFrame(
        [{"issue": issue, "labelled statements": int(e.get("rows", 0)),
          "share of its own model": float(e.get("weight", 0.0))}
         for issue, e in experts.items() if isinstance(e, dict)],
        columns=["issue", "labelled statements", "share of its own model"],
    )


def news_quotes_summary(card: dict[str, Any]) -> str | None:
    """One sentence on how the model reads quotes in real articles, next to its statement score.

    None when the card has no news-articles evaluation (`bench/stance_bench.py`, "demo").
    """
    parts = []
    for key, what in (("demo_gold", "the demo articles"), ("heldout_articles", "the held-out articles")):
        sets = card.get(key) or {}
        m = sets.get("all_quotes_in_context") or sets.get("all_quotes")
        if isinstance(m, dict) and m.get("n"):
            parts.append(f"on the {int(m['n']):,} quotes of {what} macro-F1 is "
                         f"{float(m.get('macro_f1') or 0.0):.2f} ({float(m.get('accuracy') or 0.0):.0%} "
                         "of quotes get their author's label)")
    if not parts:
        return None
    out = "Read as the dashboard reads them, each with the rest of its speaker's remark, " + "; ".join(parts)
    cv = next((v for k, v in (card.get("grouped_cv") or {}).items()
               if "shipped" in k and isinstance(v, dict)), {})
    if cv.get("macro_f1") is not None:
        out += (f". On statements of the training kind, for topics it never saw, macro-F1 is "
                f"{float(cv['macro_f1']):.2f}")
    return out + (". Quotes in news are harder than written statements: expect to correct a good "
                  "share of them on the Review page.")


def probe_table(card: dict[str, Any]) -> pd.DataFrame:
    """The behavioural probes (`heldout.probes`): each plain template, the stance it should read
    and the share of issues it was read right for, weakest first. Empty when the card has none."""
    probes = (card.get("heldout") or {}).get("probes") or {}
    rows = [(r.get("template"), r.get("label"), r.get("right"))
            for r in probes.get("by_template") or [] if isinstance(r, dict)]
    table = pd.DataFrame(rows, columns=["template", "should read", "read right"])
    return table.sort_values("read right", kind="stable").reset_index(drop=True)


def actor_type_shares(card: dict[str, Any], key: str = "demo_gold") -> pd.DataFrame:
    """Per actor type, the share of each stance among gold quotes by their authors' labels and as
    the model read them in context; `net` is supportive minus opposed. Most quotes first; empty
    when the card has no such measurement (`bench/stance_bench.py`, "demo")."""
    shares = (card.get(key) or {}).get("by_actor_type_in_context") or {}
    rows = []
    for actor_type, m in shares.items():
        if not isinstance(m, dict):
            continue
        gold, model = m.get("gold") or {}, m.get("predicted") or {}
        row: dict[str, Any] = {"actor type": actor_type, "quotes": int(m.get("n") or 0)}
        for stance in STANCES:
            row[f"{stance} (authors)"] = float(gold.get(stance, 0.0))
            row[f"{stance} (model)"] = float(model.get(stance, 0.0))
        row["net (authors)"] = row["supportive (authors)"] - row["opposed (authors)"]
        row["net (model)"] = row["supportive (model)"] - row["opposed (model)"]
        rows.append(row)
    columns = ["actor type", "quotes"] + [f"{s} ({who})" for s in STANCES for who in ("authors", "model")]
    table = pd.DataFrame(rows, columns=columns + ["net (authors)", "net (model)"])
    return table.sort_values("quotes", ascending=False, kind="stable").reset_index(drop=True)


# A gap is named only for actor types with this many quotes, and only when it is this large.
MIN_QUOTES_FOR_A_GAP, MIN_GAP = 20, 0.05


def largest_share_gap(shares: pd.DataFrame) -> str | None:
    """One sentence on the actor type whose net stance the model misses most (`actor_type_shares`)."""
    shares = shares[shares["quotes"] >= MIN_QUOTES_FOR_A_GAP]
    gap = (shares["net (model)"] - shares["net (authors)"]).abs()
    if gap.empty or gap.max() < MIN_GAP:
        return None
    row = shares.loc[gap.idxmax()]
    return (f"Largest gap: {row['actor type']} voices, supportive minus opposed "
            f"{row['net (authors)']:+.0%} by their authors' labels and {row['net (model)']:+.0%} "
            "as the model reads them.")


def targets_table(card: dict[str, Any]) -> pd.DataFrame:
    """The benchmark's acceptance targets: what was aimed for, what was measured, met or not."""
    rows = [r for r in card.get("targets") or [] if isinstance(r, dict)]
    return pd.DataFrame(
        [{"target": r.get("target"), "goal": r.get("goal"), "measured": r.get("measured"),
          "met": {True: "yes", False: "no"}.get(r.get("met"), "not run")} for r in rows],
        columns=["target", "goal", "measured", "met"],
    )


def shipped_first(sets: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The metric sets with the shipped model's own evaluations first, others in card order."""
    return dict(sorted(sets.items(), key=lambda kv: "shipped" not in kv[0]))


# The cards' files as a person choosing among them knows them.
_SOURCE_NAMES = {"model_card.json": "the benchmark (bench/stance_bench.py)",
                 "stance.json": "the saved model's training run"}


def source_name(card_file: str) -> str:
    """A card file's name as the Model page lists it: "model_card.json" is "the benchmark ..."."""
    return _SOURCE_NAMES.get(card_file, card_file)


def evaluation_sources(by_source: dict[str, dict[str, dict[str, Any]]]
                       ) -> dict[str, dict[str, dict[str, Any]]]:
    """The sources that hold metric sets, each's sets with the shipped model's first.

    `by_source`: source name ("model_card.json", "store, model v3") → `metric_sets` of it. The
    page lets a person choose the source, then the evaluation: "model_card.json: " before every
    evaluation made the shipped one about 440 px wide, cut in a box of 390 at 900 px (a projector).
    """
    found = {source: shipped_first(sets) for source, sets in by_source.items() if sets}
    # the benchmark first: it holds every evaluation; a training run or the store, one
    return dict(sorted(found.items(), key=lambda kv: kv[0] != source_name("model_card.json")))
