"""Agreement between the project's stance labels and a second, blind annotator.

In: the project's statements (`data/training/*.jsonl`) and a second annotation of a sample of them
(`data/training/agreement/second_annotator.jsonl`: text, issue, label; the annotator saw the text
and the issue only). With `--demo`: the demo articles' gold quotes (`data/demo/gold/`, labelled by
the articles' authors) and a blind annotation of the quotes the extractor finds in the same articles
(`data/demo/agreement/blind_stance.jsonl`: doc_id, pieces, stance, bad_span; the annotator read each
quote in its article); quotes pair up when their spans overlap by half the shorter one.
Out: printed n, raw agreement, Cohen's kappa, the confusion matrix and the agreement per group
(file and hard-case tag; for the demo, quote kind and article).

    python bench/label_agreement.py [--second FILE]
    python bench/label_agreement.py --demo
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sklearn.metrics import cohen_kappa_score, confusion_matrix  # noqa: E402

from analysis.extraction_eval import match  # noqa: E402
from analysis.records import STANCES  # noqa: E402

SECOND = ROOT / "data" / "training" / "agreement" / "second_annotator.jsonl"
DEMO_GOLD = ROOT / "data" / "demo" / "gold"
DEMO_BLIND = ROOT / "data" / "demo" / "agreement" / "blind_stance.jsonl"


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def paired_labels(second: Path, training_dir: Path = ROOT / "data" / "training") -> list[dict]:
    """Each second-annotated statement with both labels, its file and its case tag."""
    first = {}
    for path in sorted(training_dir.glob("*.jsonl")):
        for row in _jsonl(path):
            first[(row["text"], row["issue"])] = {**row, "file": path.name}
    pairs = []
    for row in _jsonl(second):
        original = first.get((row["text"], row["issue"]))
        if original is None:
            raise SystemExit(f"not a training statement: {row['text'][:60]!r}")
        pairs.append({"first": original["label"], "second": row["label"],
                      "file": original["file"], "case": original.get("case", "")})
    return pairs


def paired_demo_labels(blind: Path = DEMO_BLIND, gold_dir: Path = DEMO_GOLD) -> list[dict]:
    """Each blind-labelled demo quote (not a bad span) with the authors' label of the gold quote it overlaps."""
    gold: dict[str, list[dict]] = defaultdict(list)
    for path in sorted(gold_dir.glob("*.gold.jsonl")):
        for row in _jsonl(path):
            gold[row["doc_id"]].append(row)
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for row in _jsonl(blind):
        if not row.get("bad_span"):
            by_doc[row["doc_id"]].append(row)
    pairs = []
    for doc, rows in sorted(by_doc.items()):
        golds = gold.get(doc, [])
        for i, j in match([r["pieces"] for r in rows], [g["pieces"] for g in golds]):
            pairs.append({"first": golds[j]["stance"], "second": rows[i]["stance"],
                          "kind": golds[j]["kind"], "article": doc})
    return pairs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--second", type=Path, default=SECOND)
    ap.add_argument("--demo", action="store_true",
                    help="the demo articles' quotes instead of the training statements")
    args = ap.parse_args(argv)
    pairs = paired_demo_labels() if args.demo else paired_labels(args.second)
    a, b = [p["first"] for p in pairs], [p["second"] for p in pairs]
    agree = sum(x == y for x, y in zip(a, b)) / len(pairs)
    print(f"{'quotes' if args.demo else 'statements'}: {len(pairs)}; raw agreement {agree:.3f}; "
          f"Cohen's kappa {cohen_kappa_score(a, b, labels=list(STANCES)):.3f}")
    print("confusion (rows: authors' label, columns: second annotator), order", list(STANCES))
    for label, row in zip(STANCES, confusion_matrix(a, b, labels=list(STANCES))):
        print(f"  {label:<11}", " ".join(f"{n:4d}" for n in row))
    for key in (("kind", "article") if args.demo else ("file", "case")):
        groups: dict[str, list[bool]] = defaultdict(list)
        for p in pairs:
            groups[p[key]].append(p["first"] == p["second"])
        print(f"agreement by {key}:")
        for name, hits in sorted(groups.items()):
            print(f"  {name:<30} {sum(hits):3d}/{len(hits):<3d} {sum(hits) / len(hits):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
