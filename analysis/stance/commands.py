"""The stance subcommands of `python -m analysis`: train, classify, evaluate-stance, rescore.

Registered by `analysis.cli.build_parser` through `add_commands`; each handler calls this package
and prints. Errors a user can cause are `StanceError`s (the CLI prints one line, exit code 2).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path



def _record_in_store(db: str | None, card: object) -> bool:
    """Mirror the model card in the store's `models` table when the store exists."""
    from analysis.store import connect, database_path, record_model

    if not database_path(db).exists():
        return False
    con = connect(db)
    try:
        record_model(con, card.version, card.trained_at, card.training_size, card.metrics)  # type: ignore[attr-defined]
    finally:
        con.close()
    return True


def cmd_train(args: argparse.Namespace) -> int:
    from analysis.stance import train_model

    card = train_model(extra=[Path(p) for p in args.extra or ()], evaluate=not args.no_eval)
    print(f"stance model {card.version}: {card.training_size} statements "
          f"({', '.join(f'{k} {v}' for k, v in sorted(card.label_counts.items()))}), "
          f"trained in {card.train_seconds}s")
    for issue, expert in card.issue_experts.items():
        print(f"issue with a model of its own: {issue!r} ({expert['rows']} statements, "
              f"share {expert['weight']:.1f})")
    cv = card.metrics.get("grouped_cv")
    if cv:
        per = ", ".join(f"{k} {v['f1']:.3f}" for k, v in cv["per_class"].items())
        print(f"grouped CV (topics unseen in training): macro-F1 {cv['macro_f1']:.3f}; F1 {per}")
    if _record_in_store(args.db, card):
        print("recorded in the store's models table; run `python -m analysis rescore` to re-score quotes")
    return 0


def cmd_classify(args: argparse.Namespace) -> int:
    from analysis.stance import DEFAULT_ISSUE, load_scorer

    scorer = load_scorer()
    issue = args.issue or DEFAULT_ISSUE
    lines = [line.rstrip("\r\n") for line in sys.stdin]
    texts = [t for t in lines if t.strip()]
    for text, s in zip(texts, scorer.score(texts, [issue] * len(texts))):
        row: dict[str, object] = {
            "text": text, "stance": s.stance, "p_supportive": round(s.p_supportive, 4),
            "p_opposed": round(s.p_opposed, 4), "p_neutral": round(s.p_neutral, 4),
        }
        if args.explain:
            row["terms"] = scorer.explain(text, issue, label=s.stance)
            # the words are one kind of evidence; tone, attitude toward the change and the
            # sentence embedding can outweigh them, as the Quotes page shows
            row["by_kind"] = scorer.explain_by_kind(text, issue, label=s.stance)
        if args.format == "jsonl":
            print(json.dumps(row, ensure_ascii=False))
        else:
            print(f"{s.stance}\t{max(s.p_supportive, s.p_opposed, s.p_neutral):.2f}\t{text}")
            if args.explain:  # the words, strongest first, each signed toward this label
                print("\t\t" + ", ".join(f"{term} {weight:+.3f}" for term, weight in row["terms"]))
                print("\t\tby kind: " + ", ".join(f"{kind} {value:+.3f}"
                                                   for kind, value in row["by_kind"].items()))
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from analysis.stance import load_scorer, load_training, shipped_params
    from analysis.stance_eval import compare_models, evaluate, grouped_cv, seed_gold

    scorer = load_scorer()
    report: dict[str, object] = {"version": scorer.version}
    cv = grouped_cv(load_training(), shipped_params(), group_by=args.group_by)
    report["grouped_cv"] = cv
    direct = seed_gold(kind="direct")
    if direct:
        seed = evaluate(scorer, direct)
        report["seed_direct"] = seed
    if args.heldout:
        report["heldout"] = compare_models(None, scorer, Path(args.heldout))["new"]
    if args.format == "json":
        print(json.dumps(report, indent=2))
        return 0
    print(f"model {scorer.version}")
    for name in ("grouped_cv", "seed_direct", "heldout"):
        m = report.get(name)
        if not isinstance(m, dict):
            continue
        per = ", ".join(f"{k} {v['f1']:.3f}" for k, v in m["per_class"].items())
        right = round(m["accuracy"] * m["n"])
        print(f"{name:<11} n={m['n']:<5} right {right:<5} macro-F1 {m['macro_f1']:.3f}  "
              f"F_avg {m['f_avg']:.3f}  F1: {per}")
    return 0


def cmd_rescore(args: argparse.Namespace) -> int:
    from analysis.review import rescore_store
    from analysis.stance import DEFAULT_ISSUE, load_scorer
    from analysis.store import connect

    con = connect(args.db, create=False)  # before the model loads: a wrong --db fails at once
    try:
        scorer = load_scorer()
        n = rescore_store(con, scorer, DEFAULT_ISSUE)  # also records the model's card
    finally:
        con.close()
    print(f"{n} quotes re-scored with stance model {scorer.version}")
    return 0


def add_commands(
    sub: argparse._SubParsersAction,
    with_db: Callable[[argparse.ArgumentParser], argparse.ArgumentParser],
) -> None:
    """Register train, classify, evaluate-stance and rescore on the CLI's subparsers."""
    p = with_db(sub.add_parser("train", help="train the stance model (data/training + --extra files)"))
    p.add_argument("--extra", nargs="+", metavar="FILE",
                   help="extra labelled CSV/JSONL files with text,label[,issue]")
    p.add_argument("--no-eval", action="store_true", help="skip the grouped cross-validation")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("classify", help="stance of each statement on standard input (one per line)")
    p.add_argument("--issue", help="the issue stance is measured toward")
    p.add_argument("--format", choices=("jsonl", "text"), default="jsonl")
    p.add_argument("--explain", action="store_true", help="add the terms behind each label")
    p.set_defaults(func=cmd_classify)

    p = sub.add_parser("evaluate-stance", help="grouped CV, seed gold quotes, optional held-out file")
    p.add_argument("--heldout", help="a labelled CSV/JSONL file to score the current model on")
    p.add_argument("--group-by", choices=("topic", "issue"), default="topic")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_evaluate)

    p = with_db(sub.add_parser("rescore", help="re-score every stored quote with the current model"))
    p.set_defaults(func=cmd_rescore)
