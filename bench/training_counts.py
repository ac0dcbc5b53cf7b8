"""The Counts tables of the training datasheet (`data/training/README.md`), made from the files.

Counts the labels of `data/training/*.jsonl` per file, topic, issue and case tag, as the
datasheet's markdown tables. A test holds the datasheet to them, so a file added or edited
without its counts fails the suite.

    python bench/training_counts.py           # print the tables
    python bench/training_counts.py --write   # replace the datasheet's Counts section with them
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.records import STANCES  # noqa: E402
from analysis.stance.data import TRAINING_DIR, read_labelled, training_files  # noqa: E402

DATASHEET = TRAINING_DIR / "README.md"
HEADING = "## Counts\n"


def _table(key: str, counts: dict[str, Counter]) -> str:
    lines = [f"| {key} | {' | '.join(STANCES)} | total |", "|---" * (len(STANCES) + 2) + "|"]
    total: Counter = Counter()
    for name in sorted(counts):
        total.update(counts[name])
        cells = [str(counts[name][s]) for s in STANCES] + [str(sum(counts[name].values()))]
        lines.append(f"| {name} | {' | '.join(cells)} |")
    cells = [f"**{total[s]}**" for s in STANCES] + [f"**{sum(total.values())}**"]
    lines.append(f"| **total** | {' | '.join(cells)} |")
    return "\n".join(lines)


def counts_tables(training_dir: Path = TRAINING_DIR) -> str:
    """The four tables (file, topic, issue, case tag), blank-line separated."""
    by: dict[str, dict[str, Counter]] = {k: {} for k in ("file", "topic", "issue", "case tag")}
    for path in training_files(training_dir):
        for ex in read_labelled(path):
            for key, value in (("file", path.name), ("topic", ex.topic), ("issue", ex.issue),
                               ("case tag", ex.case)):
                by[key].setdefault(value, Counter())[ex.label] += 1
    return "\n\n".join(_table(key, counts) for key, counts in by.items())


def datasheet_counts(text: str) -> str:
    """The tables under the datasheet's Counts heading, up to the next heading."""
    if HEADING not in text:
        raise ValueError(f"{DATASHEET} has no '{HEADING.strip()}' section")
    section = text.split(HEADING, 1)[1]
    return section.split("\n## ", 1)[0].strip()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true", help=f"update {DATASHEET.name} in place")
    args = ap.parse_args(argv)
    tables = counts_tables()
    if not args.write:
        print(tables)
        return 0
    text = DATASHEET.read_text(encoding="utf-8")
    DATASHEET.write_text(text.replace(datasheet_counts(text), tables, 1), encoding="utf-8")
    print(f"wrote the Counts section of {DATASHEET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
