"""How much the stance model's scores on news quotes move with the training rows it happens to get.

The seed target (12 of 14 direct quotes) sits near the model's edge, so one training run says
little: a score of 12 may be a lucky draw. This trains the shipped parameters on the whole
training set and on a few random subsets of it (`--fraction` of the statements each, seeds 0, 1,
2, ...) and prints, per run, the seed's direct quotes right alone and in context, the demo's and
the held-out articles' gold quotes right in context (each of how many), and the plain-sentence
probes' macro-F1.

    python bench/stance_subsample.py                  # 3 subsets of 90% (about 3 minutes)
    python bench/stance_subsample.py --fraction 0.8 --repeats 5

Nothing is written; the numbers go to the note that claims them.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.stance.data import Example, load_training  # noqa: E402
from analysis.stance.model import Scorer, _fit, model_version, shipped_params  # noqa: E402
from analysis.stance_eval import (  # noqa: E402
    SEEDS, evaluate_in_context, gold_articles, metrics, probe_examples, seed_gold,
)
from stance_bench import NEWS_SETS  # noqa: E402


def subset(examples: list[Example], fraction: float, seed: int) -> list[Example]:
    """A random `fraction` of the statements, the same for the same seed."""
    chosen = random.Random(seed).sample(range(len(examples)), round(fraction * len(examples)))
    return [examples[i] for i in sorted(chosen)]


def scores(scorer: Scorer) -> dict[str, float | int]:
    direct = seed_gold(kind="direct")
    alone = scorer.predict([e.text for e in direct], [e.issue for e in direct])
    in_context = evaluate_in_context(scorer, gold_articles(SEEDS, SEEDS), kind="direct")
    out: dict[str, float | int] = {
        f"seed alone /{len(direct)}": sum(p == e.label for p, e in zip(alone, direct)),
        f"seed in context /{in_context['n']}": in_context["correct"],
    }
    for name, (gold_dir, text_dir) in NEWS_SETS.items():
        m = evaluate_in_context(scorer, gold_articles(gold_dir, text_dir))
        out[f"{name.split('_')[0]} in context /{m['n']}"] = m["correct"]
    probes = probe_examples()
    predicted = scorer.predict([e.text for e in probes], [e.issue for e in probes])
    out["probes macro-F1"] = metrics([e.label for e in probes], predicted)["macro_f1"]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fraction", type=float, default=0.9, help="share of statements per subset")
    ap.add_argument("--repeats", type=int, default=3, help="how many subsets (seeds 0, 1, ...)")
    args = ap.parse_args(argv)
    if not 0 < args.fraction <= 1:
        ap.error("--fraction must be in (0, 1]")
    if not seed_gold(kind="direct"):
        ap.error(f"no seed gold quotes in {SEEDS}")
    project, params = load_training(), shipped_params()
    runs = [("all statements", project)] + [
        (f"{args.fraction:.0%} subset, seed {s}", subset(project, args.fraction, s))
        for s in range(args.repeats)]
    header = None
    for name, rows in runs:
        t = time.perf_counter()
        result = scores(Scorer(_fit(rows, params), model_version(rows, params)))
        if header is None:
            header = {h: len(h) + 3 for h in result}  # column widths
            print(f"{'training rows':<26}" + "".join(f"{h:>{w}}" for h, w in header.items()))
        cells = "".join(f"{result[h]:>{w}.3f}" if isinstance(result[h], float) else f"{result[h]:>{w}}"
                        for h, w in header.items())
        print(f"{name + f' ({len(rows)})':<26}{cells}   [{time.perf_counter() - t:.0f}s]", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
