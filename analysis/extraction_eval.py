"""Scoring extracted quotes against a gold file.

In: predictions and gold records in the extraction-contract shape (DESIGN.md: `doc_id`, `pieces` or
`start`/`end`, `kind`, `speaker`, `actor_type`, ...), e.g. `../shared/seeds/*.gold.jsonl`.
Out: `evaluate_extraction(predicted, gold)` -> a dict of metrics (quote precision/recall/F1 by span
overlap, speaker, actor-type and anonymity accuracy on matched quotes; for direct quotes and for
all) plus the misses and false positives; `main(argv)` runs extraction over text files and prints
that report.

Matching: a prediction matches a gold quote of the same document when their character overlap is at
least half of the shorter one, one-to-one, largest overlaps first. Quotes are compared piece by piece,
so a quote split around its attribution scores the same whether it is recorded as one record with
two pieces or as two records (the seed gold lists the two parts separately).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
import re
import sys

Pieces = Sequence[Sequence[int]]


def overlap(a: Pieces, b: Pieces) -> int:
    """Characters shared by two sets of [start, end) pieces."""
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def length(pieces: Pieces) -> int:
    return sum(e - s for s, e in pieces)


def match(pred: list[Pieces], gold: list[Pieces]) -> list[tuple[int, int]]:
    """One-to-one (pred index, gold index) pairs overlapping by >= half the shorter span."""
    pairs = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            shared = overlap(p, g)
            if shared > 0 and 2 * shared >= min(length(p), length(g)):
                pairs.append((shared, i, j))
    pairs.sort(reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((i, j))
    return out


def prf(n_match: int, n_pred: int, n_gold: int) -> dict[str, float]:
    """Precision, recall and F1 (0 when undefined)."""
    p = n_match / n_pred if n_pred else 0.0
    r = n_match / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _pieces(rec: dict) -> list[list[int]]:
    return [list(p) for p in rec.get("pieces") or [[rec["start"], rec["end"]]]]


def _explode(records: Iterable[dict]) -> list[dict]:
    """One record per piece, each keeping its record's fields (see the module docstring)."""
    out = []
    for rec in records:
        for piece in _pieces(rec):
            out.append({**rec, "pieces": [piece]})
    return out


def _norm(name: object) -> str:
    return re.sub(r"\W+", " ", str(name or "")).strip().lower()


def _score(predicted: list[dict], gold: list[dict]) -> dict:
    """Metrics for one selection of records, matched per document."""
    n_match = speaker_ok = actor_ok = anon_compared = anon_ok = 0
    misses: list[dict] = []
    false_pos: list[dict] = []
    wrong: list[dict] = []
    wrong_anon: list[dict] = []
    docs = sorted({r["doc_id"] for r in predicted} | {r["doc_id"] for r in gold})
    for doc in docs:
        pred = [r for r in predicted if r["doc_id"] == doc]
        gold_doc = [r for r in gold if r["doc_id"] == doc]
        pairs = match([r["pieces"] for r in pred], [r["pieces"] for r in gold_doc])
        n_match += len(pairs)
        for i, j in pairs:
            p, g = pred[i], gold_doc[j]
            ok = _norm(p.get("speaker")) == _norm(g.get("speaker"))
            speaker_ok += ok
            actor_ok += p.get("actor_type") == g.get("actor_type")
            if not ok or p.get("actor_type") != g.get("actor_type"):
                wrong.append({"gold": g, "predicted": p})
            # the Sources filter rests on this flag; a gold file may not record it
            if "anonymous" in g and "anonymous" in p:
                anon_compared += 1
                if bool(p["anonymous"]) == bool(g["anonymous"]):
                    anon_ok += 1
                else:
                    wrong_anon.append({"gold": g, "predicted": p})
        matched_p = {i for i, _ in pairs}
        matched_g = {j for _, j in pairs}
        misses += [g for j, g in enumerate(gold_doc) if j not in matched_g]
        false_pos += [p for i, p in enumerate(pred) if i not in matched_p]
    out: dict = prf(n_match, len(predicted), len(gold))
    out.update(
        n_predicted=len(predicted),
        n_gold=len(gold),
        n_matched=n_match,
        speaker_accuracy=round(speaker_ok / n_match, 4) if n_match else 0.0,
        actor_type_accuracy=round(actor_ok / n_match, 4) if n_match else 0.0,
        anonymous_compared=anon_compared,
        anonymous_agree=anon_ok,
        anonymous_accuracy=round(anon_ok / anon_compared, 4) if anon_compared else 0.0,
        misses=misses,
        false_positives=false_pos,
        wrong_speaker_or_actor=wrong,
        wrong_anonymous=wrong_anon,
    )
    return out


def evaluate_extraction(predicted: list[dict], gold: list[dict]) -> dict:
    """Score contract-format predictions against gold: {"direct": {...}, "all": {...}}.

    Args:
        predicted: extraction-contract records (dicts with doc_id, pieces or start/end, kind, ...).
        gold: records in the seed gold format.
    Returns:
        For "direct" (direct quotes only, on both sides) and "all": precision, recall, f1, counts,
        speaker_accuracy and actor_type_accuracy over matched quotes, anonymous_agree of
        anonymous_compared (matched quotes whose gold records `anonymous`) and their
        anonymous_accuracy, misses, false_positives, wrong_speaker_or_actor, wrong_anonymous.
    """
    pred = _explode(predicted)
    gold_x = _explode(gold)
    return {
        "direct": _score(
            [r for r in pred if r.get("kind") == "direct"],
            [r for r in gold_x if r.get("kind") == "direct"],
        ),
        "all": _score(pred, gold_x),
    }


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _extract(paths: list[Path]) -> list[dict]:
    """Run the pipeline (no stance model) over text files; contract records."""
    from analysis.actors import load_gazetteer  # heavy imports only when run
    from analysis.ingest import read_paths
    from analysis.nlp import load_nlp
    from analysis.pipeline import extract_quotes, typed_across_articles

    articles = []
    for path, result in read_paths(paths):
        articles.extend(result.articles)
        for err in result.errors:
            print(f"skipped {err.path}: {err.reason}", file=sys.stderr)
    gazetteer = load_gazetteer()
    quotes = [q for _, article_quotes in extract_quotes(articles, load_nlp(), gazetteer=gazetteer)
              for q in article_quotes]
    # actor types as the store keeps them: read across all the given articles
    return [q.to_json() for q in typed_across_articles(quotes, gazetteer)]


def _source(rec: dict) -> str:
    """"two defense officials familiar with it (anonymous)": the mention and its flag."""
    who = rec.get("speaker_mention") or rec.get("speaker")
    return f"{who} ({'anonymous' if rec.get('anonymous') else 'named'})"


def format_report(result: dict, text_by_doc: dict[str, str] | None = None) -> str:
    """Human-readable metrics, then the misses and false positives."""
    lines = []
    for part in ("direct", "all"):
        m = result[part]
        lines.append(
            f"{part:6s} P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}  "
            f"speaker acc {m['speaker_accuracy']:.3f}  actor acc {m['actor_type_accuracy']:.3f}  "
            + (f"anonymous agree {m['anonymous_agree']} of {m['anonymous_compared']}  "
               if m["anonymous_compared"] else "")
            + f"(matched {m['n_matched']} of {m['n_gold']} gold, {m['n_predicted']} predicted)"
        )
    m = result["all"]
    for title, recs in (("MISSED", m["misses"]), ("FALSE POSITIVE", m["false_positives"])):
        for r in recs:
            lines.append(f"{title}: [{r.get('kind')}] {r.get('quote', '')[:80]!r} -- {r.get('speaker')}")
    for pair in m["wrong_speaker_or_actor"]:
        g, p = pair["gold"], pair["predicted"]
        lines.append(
            f"WRONG: {g.get('quote', '')[:60]!r}: gold {g.get('speaker')}/{g.get('actor_type')}, "
            f"predicted {p.get('speaker')}/{p.get('actor_type')}"
        )
    for pair in m["wrong_anonymous"]:
        g, p = pair["gold"], pair["predicted"]
        lines.append(f"ANONYMITY: {g.get('quote', '')[:60]!r}: gold {_source(g)}, "
                     f"predicted {_source(p)}")
    return "\n".join(lines)


def _add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--gold", required=True, type=Path, help="gold .jsonl in the seed format")
    parser.add_argument("files", nargs="+", type=Path, help="the articles' text files")
    parser.add_argument("--json", action="store_true", help="print the metrics as JSON")
    return parser


def add_command(sub: argparse._SubParsersAction) -> None:
    """Register `evaluate-extraction` on the CLI's subparsers (analysis/cli.py)."""
    p = _add_arguments(sub.add_parser("evaluate-extraction", help="score extraction against gold"))
    p.set_defaults(func=run)


def main(argv: list[str] | None = None) -> int:
    """`python -m analysis evaluate-extraction --gold FILE TEXTFILE...`: print metrics and misses."""
    parser = argparse.ArgumentParser(prog="evaluate-extraction", description=main.__doc__)
    return run(_add_arguments(parser).parse_args(argv))


def run(args: argparse.Namespace) -> int:
    """Extract quotes from `args.files`, score them against `args.gold`, print the report."""
    result = evaluate_extraction(_extract(args.files), _read_jsonl(args.gold))
    if args.json:
        slim = {k: {x: y for x, y in v.items() if not isinstance(y, list)} for k, v in result.items()}
        print(json.dumps(slim, indent=2))
    else:
        print(format_report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
