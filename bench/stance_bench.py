"""Stance benchmark: candidates by grouped CV, the seed article's gold quotes, UKP and SemEval-2016.

Writes `data/model_card.json` (the dashboard's Model page reads it with the `models` table).

    python bench/stance_bench.py                 # everything (about 10-15 minutes on 2 cores)
    python bench/stance_bench.py --skip-public   # project data and seed gold only
    python bench/stance_bench.py --only ukp      # one section, merged into the existing card

`data/demo/gold/` holds the demo articles' quotes, labelled in their article by its author (a
blind second annotation agrees with kappa 0.88, `bench/label_agreement.py --demo`), and
`data/heldout/articles/` 24 more articles written only to be measured on; their quotes are scored
alone, like the seed's, and in context, as ingest scores them; none is trained on.
`data/heldout/*.jsonl` are statements written here and never trained on (plain statements that
name the issue's change); each file is scored with the shipped model.
Public sets are read at run time from ../shared/data/ (never copied into the repository); a
section whose folder is missing is skipped with a message. Public-set protocols:
- "as shipped": the model trained on the project's statements only, applied as is.
- UKP leave-one-topic-out: train on the project's statements + the other 5 UKP topics
  (`python -m analysis train --extra ...`), test on the held-out topic.
- SemEval-2016 task A: the same pipeline trained on the official train split (train + trial),
  scored on the official test split (F_avg = mean F1 of FAVOR and AGAINST, the task's metric),
  and 5-fold CV within the train split. Each target has 395-689 training tweets, so each gets a
  model of its own (analysis/stance/experts.py); the card lists their shares.
The shipped model includes the MiniLM int8 sentence-embedding block (analysis/stance/embed.py);
`--without-embeddings` also runs the public sets with the same model minus that block, to show
what the block earns for its ~120 MB of packages.
Public-set fits of a logistic-regression model skip calibration: temperature scaling never changes
the argmax, so labels and F1 are identical and the runs are 6x faster (SVMs stay calibrated).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sklearn  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402

from analysis.stance.data import load_training, read_labelled  # noqa: E402
from analysis.stance.model import (  # noqa: E402
    DEFAULT_PARAMS, Scorer, _fit, issue_experts, model_version, read_card, shipped_params,
)
from analysis.stance_eval import (  # noqa: E402
    DEMO_GOLD, SEEDS, evaluate, evaluate_in_context, gold_articles, grouped_cv, metrics,
    metrics_of_pairs, predict_in_context, stance_shares_by_actor_type,
    per_case_accuracy, probe_examples, public_available, seed_gold, semeval_examples,
    ukp_examples, ukp_topics,
)

CARD = ROOT / "data" / "model_card.json"

# Candidates compared by grouped CV; "shipped" is DEFAULT_PARAMS.
NGRAMS: dict[str, Any] = {**DEFAULT_PARAMS, "emb": 0.0}  # the shipped model minus its embeddings
# The cues added to the n-grams: negation scopes, tone and attitude toward the change, switched off.
WITHOUT_CUES: dict[str, Any] = {"negation_scope": 0, "valence": False, "attitude": False}
PLAIN = {**NGRAMS, **WITHOUT_CUES}  # ... and minus those cues
CANDIDATES: dict[str, dict[str, Any]] = {
    # LR candidates run uncalibrated here: temperature scaling would not change their labels.
    "tfidf_lr": {**PLAIN, "kind": "lr", "C": 4.0, "signed": False, "cross": False,
                 "per_issue": False, "calibrate": False, "two_stage": False},
    "tfidf_signed_lr": {**PLAIN, "kind": "lr", "C": 4.0, "cross": False, "per_issue": False,
                        "calibrate": False, "two_stage": False},
    "tfidf_signed_svm": {**PLAIN, "cross": False, "per_issue": False, "two_stage": False},
    "tfidf_signed_pairs_svm (one stage)": {**PLAIN, "two_stage": False},
    "two_stage_signed_pairs_svm (no embeddings)": NGRAMS,
    "two_stage_signed_pairs_emb_svm, no negation scopes, tone or attitude": {
        **DEFAULT_PARAMS, **WITHOUT_CUES},
    "two_stage_signed_pairs_emb_svm, no attitude toward the change": {
        **DEFAULT_PARAMS, "attitude": False},
    "two_stage_signed_pairs_emb_svm (shipped)": dict(DEFAULT_PARAMS),
}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def short(m: dict[str, Any]) -> str:
    f1 = " ".join(f"{k[:3]}={v['f1']:.3f}" for k, v in m["per_class"].items())
    return f"macro-F1 {m['macro_f1']:.3f}  F_avg {m['f_avg']:.3f}  ({f1})  n={m['n']}"


def _fast(params: dict[str, Any]) -> dict[str, Any]:
    """Skip calibration only where it cannot change the argmax (temperature-scaled LR)."""
    return {**params, "calibrate": False} if params.get("kind") == "lr" else dict(params)


def fit_scorer(examples: list, params: dict[str, Any]) -> Scorer:
    pipe = _fit(examples, params)
    return Scorer(pipe, model_version(examples, params))


def section_candidates(examples: list, with_emb: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, params in CANDIDATES.items():
        if params.get("emb") and not with_emb:
            out[name] = {"skipped": "sentence-embedding packages not installed"}
            continue
        t = time.perf_counter()
        m = grouped_cv(examples, params, group_by="topic")
        m["params"], m["seconds"] = params, round(time.perf_counter() - t, 1)
        log(f"  grouped CV {name:<28} {short(m)}  [{m['seconds']}s]")
        out[name] = m
    return out


def section_seed(scorer: Scorer) -> dict[str, Any]:
    direct, every = seed_gold(kind="direct"), seed_gold(kind=None)
    if not every:
        return {"skipped": "no ../shared/seeds/*.gold.jsonl"}
    pred = scorer.predict([e.text for e in direct], [e.issue for e in direct])
    # Positions, not the quotes' words: the card holds numbers only.
    rows = [{"i": i, "gold": e.label, "predicted": p} for i, (e, p) in enumerate(zip(direct, pred))]
    in_context = evaluate_in_context(scorer, gold_articles(SEEDS, SEEDS), kind="direct")
    out = {
        "direct_correct": sum(r["gold"] == r["predicted"] for r in rows),
        "direct_total": len(rows),
        "direct": metrics([e.label for e in direct], pred),
        "direct_correct_in_context": in_context["correct"],
        "direct_in_context": in_context,
        "all_quotes": evaluate(scorer, every),
        "rows": rows,
    }
    log(f"  seed gold: {out['direct_correct']}/{out['direct_total']} direct quotes right "
        f"({in_context['correct']} scored in context, as extraction scores them); "
        f"all {len(every)} quotes {short(out['all_quotes'])}")
    return out


HELDOUT = ROOT / "data" / "heldout"
# Articles with gold quotes (stance labelled in the article by its author), never trained on:
# the demo corpus, and articles written only to be measured on.
NEWS_SETS = {"demo_gold": (DEMO_GOLD, DEMO_GOLD.parent),
             "heldout_articles": (HELDOUT / "articles" / "gold", HELDOUT / "articles")}


def section_news(scorer: Scorer, gold_dir: Path, text_dir: Path, name: str) -> dict[str, Any]:
    """Gold quotes of news-style articles: scored alone, as for the seed, and in context as ingest
    scores them (with the rest of the speaker's remark, `analysis.stance.context`)."""
    every = seed_gold(gold_dir, kind=None)
    if not every:
        return {"skipped": f"no gold quotes in {gold_dir}"}
    direct = [e for e in every if e.case == "direct"]
    articles = gold_articles(gold_dir, text_dir)
    in_context = predict_in_context(scorer, articles)
    out = {"all_quotes": evaluate(scorer, every), "direct": evaluate(scorer, direct),
           "all_quotes_in_context": metrics_of_pairs(in_context),
           "direct_in_context": metrics_of_pairs(in_context, kind="direct"),
           "by_actor_type_in_context": stance_shares_by_actor_type(in_context),
           "articles": len(articles)}
    log(f"  {name}: all {len(every)} {short(out['all_quotes'])}; direct {len(direct)} {short(out['direct'])}")
    log(f"    in context (each with the rest of its speaker's remark): all "
        f"{short(out['all_quotes_in_context'])}; direct {short(out['direct_in_context'])}")
    return out


def section_heldout(scorer: Scorer) -> dict[str, Any]:
    """The project's held-out statements (never trained on), per file: plain cases the CV mixes;
    and the plain-sentence probes (`probes`), with each template's share read right."""
    out: dict[str, Any] = {}
    for path in sorted(HELDOUT.glob("*.jsonl")):
        examples = read_labelled(path)
        out[path.stem] = {**evaluate(scorer, examples),
                          "protocol": f"data/heldout/{path.name}: written here, never trained on"}
        log(f"  held out {path.name}: {short(out[path.stem])}")
    probes = probe_examples()
    predicted = scorer.predict([e.text for e in probes], [e.issue for e in probes])
    by_template = per_case_accuracy(probes, predicted)
    label_of = {e.case: e.label for e in probes}
    out["probes"] = {**metrics([e.label for e in probes], predicted),
                     "by_template": [{"template": t, "label": label_of[t], "right": share}
                                     for t, share in by_template.items()],
                     "issues": len({e.issue for e in probes}),
                     "protocol": "data/heldout/probes.json: plain templates x issues not in training"}
    log(f"  probes ({len(probes)}): {short(out['probes'])}; weakest: "
        + "; ".join(f"{t!r} {a:.0%}" for t, a in list(by_template.items())[:3]))
    return out


def section_ukp(project: list, shipped: Scorer, params: dict[str, Any]) -> dict[str, Any]:
    if not public_available("ukp"):
        return {"skipped": "../shared/data/ukp not found"}
    # Issue experts never act on the held-out topic (it is unseen), and the shared model inside
    # is fitted on the same rows either way, so the labels are identical without them; leaving
    # them out skips their out-of-fold fits on the five training topics.
    fast = {**_fast(params), "experts": 0}
    topics = {t: ukp_examples(t) for t in ukp_topics()}
    everything = [e for ex in topics.values() for e in ex]
    as_is = evaluate(shipped, everything)
    log(f"  UKP as shipped (all topics): {short(as_is)}")
    per_topic, gold, pred = {}, [], []
    for topic, test in topics.items():
        t = time.perf_counter()
        train = project + [e for other, ex in topics.items() if other != topic for e in ex]
        scorer = fit_scorer(train, fast)
        p = scorer.predict([e.text for e in test], [e.issue for e in test])
        per_topic[topic] = metrics([e.label for e in test], p)
        gold += [e.label for e in test]
        pred += p
        log(f"  UKP LOTO {topic:<24} {short(per_topic[topic])}  [{time.perf_counter() - t:.0f}s]")
    pooled = metrics(gold, pred)
    mean_macro = round(sum(m["macro_f1"] for m in per_topic.values()) / len(per_topic), 4)
    log(f"  UKP LOTO pooled: {short(pooled)}; mean of per-topic macro-F1 {mean_macro}")
    return {
        "as_shipped": as_is,
        "loto_extra": {"pooled": pooled, "mean_topic_macro_f1": mean_macro, "per_topic": per_topic,
                       "protocol": "train: project statements + 5 UKP topics; test: held-out topic"},
    }


def section_semeval(shipped: Scorer, params: dict[str, Any], project: list) -> dict[str, Any]:
    if not public_available("semeval2016"):
        return {"skipped": "../shared/data/semeval2016 not found"}
    train, test = semeval_examples("train"), semeval_examples("test")
    out: dict[str, Any] = {"as_shipped": evaluate(shipped, test)}
    log(f"  SemEval as shipped: {short(out['as_shipped'])}")
    fast = _fast(params)
    for name, rows in (("train_split", train), ("train_split_plus_project", train + project)):
        t = time.perf_counter()
        scorer = fit_scorer(rows, fast)
        out[name] = {**evaluate(scorer, test), "issue_experts": issue_experts(scorer.pipeline)}
        log(f"  SemEval trained on {name}: {short(out[name])}  [{time.perf_counter() - t:.0f}s]")
        log(f"    issue experts (rows, share): {out[name]['issue_experts']}")
    # The test split is scored once; this says whether the train split alone agrees.
    t = time.perf_counter()
    gold, pred = [], []
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    for fit_rows, test_rows in folds.split(train, [e.label for e in train]):
        scorer = fit_scorer([train[i] for i in fit_rows], fast)
        held = [train[i] for i in test_rows]
        pred += scorer.predict([e.text for e in held], [e.issue for e in held])
        gold += [e.label for e in held]
    out["train_split_cv"] = {**metrics(gold, pred),
                             "protocol": "5-fold stratified CV within the train split"}
    log(f"  SemEval 5-fold CV within the train split: {short(out['train_split_cv'])}  "
        f"[{time.perf_counter() - t:.0f}s]")
    return out


def _get(card: dict[str, Any], *path: str) -> Any:
    for key in path:
        if not isinstance(card, dict) or key not in card:
            return None
        card = card[key]
    return card


def targets(card: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's acceptance targets next to what this card measured (None = not run)."""
    shipped = next((m for k, m in (card.get("grouped_cv") or {}).items() if "shipped" in k), None)
    seed = card.get("seed_gold") or {}
    rows = [
        ("grouped-CV macro-F1, project statements (topics unseen)", ">= 0.75",
         shipped and shipped.get("macro_f1"), 0.75),
        ("seed article: direct quotes right (of 14)", ">= 12",
         seed.get("direct_correct"), 12),
        ("UKP leave-one-topic-out with --extra: macro-F1 (pooled)", ">= 0.50",
         _get(card, "ukp", "loto_extra", "pooled", "macro_f1"), 0.50),
        ("SemEval-2016 A trained on its train split: F_avg", ">= 0.70",
         _get(card, "semeval2016", "train_split", "f_avg"), 0.70),
    ]
    return [{"target": name, "goal": goal, "measured": value,
             "met": None if value is None else bool(value >= bar)} for name, goal, value, bar in rows]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=CARD)
    ap.add_argument("--skip-public", action="store_true", help="only project data and seed gold")
    ap.add_argument("--without-embeddings", action="store_true",
                    help="also run the public sets with the model minus its embedding block")
    ap.add_argument("--only", choices=("candidates", "seed", "demo", "heldout", "ukp", "semeval"),
                    action="append",
                    help="run only these sections; others are kept from the existing card")
    args = ap.parse_args(argv)
    from analysis.stance import embed

    with_emb = embed.available()
    sections = set(args.only or ("candidates", "seed", "demo", "heldout", "ukp", "semeval"))
    if args.skip_public:
        sections -= {"ukp", "semeval"}
    card: dict[str, Any] = {}
    if args.out.exists() and args.only:
        card = json.loads(args.out.read_text(encoding="utf-8"))
    project = load_training()
    params = shipped_params()
    log(f"project statements: {len(project)}; shipped params {params}")
    t = time.perf_counter()
    shipped = fit_scorer(project, params)
    train_seconds = round(time.perf_counter() - t, 1)
    card["model"] = {
        "version": shipped.version, "params": params, "training_size": len(project),
        "train_seconds": train_seconds, "sklearn": sklearn.__version__,
        "embeddings_installed": with_emb, "saved_card": (read_card() or None) and read_card().to_json(),
    }
    if "candidates" in sections:
        log("grouped cross-validation by topic (5 folds; scores are for topics unseen in training)")
        card["grouped_cv"] = section_candidates(project, with_emb)
    if "seed" in sections:
        card["seed_gold"] = section_seed(shipped)
    if "demo" in sections:
        for name, (gold_dir, text_dir) in NEWS_SETS.items():
            card[name] = section_news(shipped, gold_dir, text_dir, name)
    if "heldout" in sections:
        card["heldout"] = section_heldout(shipped)
    variants = [("", params)]
    if args.without_embeddings and params["emb"]:
        variants.append(("_without_embeddings", {**params, "emb": 0.0}))
    for suffix, p in variants:
        if suffix:
            log("public sets again without the sentence-embedding block")
        if "ukp" in sections:
            card["ukp" + suffix] = section_ukp(project, shipped, p)
        if "semeval" in sections:
            card["semeval2016" + suffix] = section_semeval(shipped, p, project)
    card["targets"] = targets(card)
    for row in card["targets"]:
        log(f"  target {row['target']}: {row['goal']}, measured {row['measured']} "
            f"({'met' if row['met'] else 'NOT met' if row['met'] is False else 'not run'})")
    card["generated_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    card["machine"] = {"python": platform.python_version(), "platform": platform.platform()}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(card, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
