"""Quote extraction measured on PolNeAR (read at run time from ../shared/data/polnear/, never copied).

In: the PolNeAR split (default dev; train only for error analysis) and the installed spaCy model.
Out: printed metrics:
  (a) gold attributions whose content holds a quotation mark vs our direct quotes: content P/R/F1
      (match = overlap >= half of the shorter span, one-to-one) and source accuracy on matches
      (right when a content word of the gold source appears in our speaker or speaker_mention);
  (b) the same for all gold attributions vs all our predictions (indirect included).
`--errors N` prints N misses and false positives of (a) and (b) for error analysis.

Usage: python bench/polnear_bench.py [--split dev|train] [--limit N] [--errors N]
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
import random
import re
import sys
import time

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.extraction_eval import match, prf  # noqa: E402
from analysis.nlp import load_nlp  # noqa: E402
from analysis.quotes import find_attributions  # noqa: E402
from analysis.records import Attribution  # noqa: E402

DATA = Path(os.environ.get("POLNEAR_DIR", Path(__file__).resolve().parents[2] / "shared/data/polnear"))
# Quotation marks in gold content. SOURCE.md counts contents holding " “ ” (dev: 624); some feeds
# (7 dev articles) write double quotes as two apostrophes '' instead, so both counts are reported.
QUOTE_MARKS_STRICT = ('"', "“", "”")
QUOTE_MARKS = QUOTE_MARKS_STRICT + ("''",)
# Function words that say nothing about who the source is; pronouns stay (a gold "he" is checked).
STOP = {"the", "a", "an", "of", "and", "to", "in", "on", "for", "at", "by", "with", "from", "s", "as"}


def content_words(text: str) -> set[str]:
    """Lowercased words of a source span without function words (all words if nothing is left)."""
    words = re.findall(r"\w+", text.lower())
    kept = {w for w in words if w not in STOP}
    return kept or set(words)


def source_ok(gold_source: dict | None, pred: Attribution) -> bool | None:
    """Whether the predicted speaker matches the gold source; None when gold has no source."""
    if not gold_source:
        return None
    said = set(re.findall(r"\w+", f"{pred.speaker or ''} {pred.speaker_mention or ''}".lower()))
    return bool(content_words(gold_source["text"]) & said)


class Tally:
    """Counts for one comparison (quote-bearing or all)."""

    def __init__(self) -> None:
        self.n_pred = self.n_gold = self.n_match = self.src_ok = self.src_n = 0
        self.misses: list[tuple[str, dict]] = []
        self.false_pos: list[tuple[str, Attribution]] = []
        self.bad_source: list[tuple[str, dict, Attribution]] = []

    def add(self, text: str, preds: list[Attribution], gold: list[dict]) -> None:
        pairs = match([p.pieces for p in preds], [g["content"]["pieces"] for g in gold])
        self.n_pred += len(preds)
        self.n_gold += len(gold)
        self.n_match += len(pairs)
        for i, j in pairs:
            ok = source_ok(gold[j]["source"], preds[i])
            if ok is not None:
                self.src_n += 1
                self.src_ok += ok
                if not ok:
                    self.bad_source.append((text, gold[j], preds[i]))
        got_p = {i for i, _ in pairs}
        got_g = {j for _, j in pairs}
        self.misses += [(text, g) for j, g in enumerate(gold) if j not in got_g]
        self.false_pos += [(text, p) for i, p in enumerate(preds) if i not in got_p]

    def summary(self) -> str:
        m = prf(self.n_match, self.n_pred, self.n_gold)
        acc = self.src_ok / self.src_n if self.src_n else 0.0
        return (
            f"P {m['precision']:.3f} R {m['recall']:.3f} F1 {m['f1']:.3f} | source acc {acc:.3f} "
            f"({self.src_ok}/{self.src_n}) | gold {self.n_gold} predicted {self.n_pred} matched {self.n_match}"
        )


def _two_apostrophes(text: str, pred: Attribution) -> bool:
    """Whether a direct quote is delimited by '' (left out of the strict count)."""
    return text[max(0, pred.start - 2) : pred.start] in ("''", "``")


def _ctx(text: str, s: int, e: int, pad: int = 120) -> str:
    return text[max(0, s - pad) : e + pad].replace("\n", " / ")


def show_errors(name: str, tally: Tally, n: int, seed: int = 0) -> None:
    """Print a random sample of misses, false positives and wrong sources (for train error analysis)."""
    rnd = random.Random(seed)
    print(f"\n===== {name}: misses")
    for text, g in rnd.sample(tally.misses, min(n, len(tally.misses))):
        c = g["content"]
        print(f"- src={(g['source'] or {}).get('text')!r} cue={(g['cue'] or {}).get('text')!r}")
        print(f"  CONTENT {c['text'][:160]!r}\n  CTX {_ctx(text, c['start'], c['end'])!r}")
    print(f"\n===== {name}: false positives")
    for text, p in rnd.sample(tally.false_pos, min(n, len(tally.false_pos))):
        print(f"- [{p.kind}] cue={p.cue!r} speaker={p.speaker!r} {p.text_in(text)[:120]!r}")
        print(f"  CTX {_ctx(text, p.start, p.end)!r}")
    print(f"\n===== {name}: wrong sources")
    for text, g, p in rnd.sample(tally.bad_source, min(n, len(tally.bad_source))):
        print(f"- gold={g['source']['text']!r} pred={p.speaker!r} / {p.speaker_mention!r} cue={p.cue!r}")
        print(f"  CTX {_ctx(text, g['content']['start'], g['content']['end'], 80)!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="dev", choices=("dev", "train"))
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    parser.add_argument("--errors", type=int, default=0, help="print N errors of each kind")
    args = parser.parse_args(argv)
    path = DATA / f"{args.split}.jsonl"
    if not path.exists():
        print(f"PolNeAR not found at {path}; skipping (set POLNEAR_DIR to its folder).")
        return 0
    with path.open(encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh]
    if args.limit:
        records = records[: args.limit]
    nlp = load_nlp()
    quoted, strict, every = Tally(), Tally(), Tally()
    t0 = time.perf_counter()
    for doc, rec in nlp.pipe(((r["text"], r) for r in records), as_tuples=True, batch_size=16):
        preds = find_attributions(doc)
        gold = [a for a in rec["attributions"] if a.get("content")]
        gold_q = [a for a in gold if any(q in a["content"]["text"] for q in QUOTE_MARKS)]
        direct = [p for p in preds if p.kind == "direct"]
        quoted.add(rec["text"], direct, gold_q)
        gold_s = [a for a in gold if any(q in a["content"]["text"] for q in QUOTE_MARKS_STRICT)]
        strict.add(rec["text"], [p for p in direct if not _two_apostrophes(rec["text"], p)], gold_s)
        every.add(rec["text"], preds, gold)
    print(f"PolNeAR {args.split}: {len(records)} articles in {time.perf_counter() - t0:.1f}s")
    print(f"(a) quote-bearing attributions vs direct quotes: {quoted.summary()}")
    print(f"(a') same, only \" “ ” counted as marks:        {strict.summary()}")
    print(f"(b) all attributions vs all predictions:        {every.summary()}")
    if args.errors:
        show_errors("quote-bearing", quoted, args.errors)
        show_errors("all", every, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
