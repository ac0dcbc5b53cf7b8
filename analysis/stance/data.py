"""Labelled statements: reading them, normalising labels, hashing them into a model version.

In: the project's `data/training/*.jsonl` files, extra CSV/JSONL files (columns text, label and
optionally issue), or in-memory rows (text, label, issue) such as a person's corrections.
Out: `Example` records. Nothing here touches `../shared/data` (public sets are read only by
`analysis.stance_eval` and the bench, at run time).
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from analysis.errors import StanceError
from analysis.records import STANCES

REPO = Path(__file__).resolve().parents[2]
TRAINING_DIR = REPO / "data" / "training"
# Same default as analysis.pipeline.DEFAULT_ISSUE (not imported: that module pulls in spaCy).
DEFAULT_ISSUE = "Lifting the US ban on anti-personnel landmines"

LABEL_ALIASES = {
    "supportive": "supportive", "support": "supportive", "supports": "supportive",
    "favor": "supportive", "favour": "supportive", "pro": "supportive", "for": "supportive",
    "opposed": "opposed", "oppose": "opposed", "opposes": "opposed", "against": "opposed",
    "con": "opposed", "neutral": "neutral", "none": "neutral", "neither": "neutral",
}


@dataclass(frozen=True)
class Example:
    """One labelled statement: the quote text, its stance label, and the issue it is labelled against."""

    text: str
    label: str
    issue: str
    topic: str = ""
    case: str = ""
    source: str = ""


def normalise_label(value: object, where: str) -> str:
    """One of STANCES, from the label spellings people use (FAVOR/AGAINST/NONE, pro/con...)."""
    key = str(value or "").strip().lower()
    if key in LABEL_ALIASES:
        return LABEL_ALIASES[key]
    raise StanceError(f"{where}: unknown stance label {value!r} (use one of {', '.join(STANCES)})")


def _record(raw: dict, where: str, default_issue: str, source: str) -> Example:
    text = str(raw.get("text") or "").strip()
    if not text:
        raise StanceError(f"{where}: empty or missing 'text'")
    issue = str(raw.get("issue") or "").strip() or default_issue
    topic = str(raw.get("topic") or "").strip() or issue
    return Example(
        text=text, label=normalise_label(raw.get("label"), where), issue=issue, topic=topic,
        case=str(raw.get("case") or "").strip(), source=source,
    )


def read_labelled(path: Path, default_issue: str = DEFAULT_ISSUE) -> list[Example]:
    """Read a labelled CSV or JSONL file with `text`, `label` and optionally `issue` (+ topic, case).

    Args:
        path: a .csv, .jsonl or .json-lines file.
        default_issue: the issue for rows without one.

    Returns:
        The examples, in file order.

    Raises:
        StanceError: the file is missing, unreadable, lacks a text/label column, or has an
            unknown label; the message names the file and the line.
    """
    path = Path(path)
    if not path.is_file():
        raise StanceError(f"{path}: no such file")
    source = path.name
    try:
        raw_text = path.read_text(encoding="utf-8-sig")
    except (UnicodeDecodeError, OSError) as exc:
        raise StanceError(f"{path}: cannot read as UTF-8 text ({exc.__class__.__name__})") from exc
    out: list[Example] = []
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(raw_text.splitlines())
        fields = {f.strip().lower() for f in reader.fieldnames or []}
        if not {"text", "label"} <= fields:
            raise StanceError(f"{path}: a labelled CSV needs 'text' and 'label' columns")
        for n, row in enumerate(reader, start=2):
            row = {(k or "").strip().lower(): v for k, v in row.items()}
            out.append(_record(row, f"{path}:{n}", default_issue, source))
    else:
        for n, line in enumerate(raw_text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise StanceError(f"{path}:{n}: not valid JSON ({exc.msg})") from exc
            if not isinstance(row, dict):
                raise StanceError(f"{path}:{n}: expected a JSON object per line")
            out.append(_record(row, f"{path}:{n}", default_issue, source))
    if not out:
        raise StanceError(f"{path}: no labelled rows")
    return out


def training_files(training_dir: Path = TRAINING_DIR) -> list[Path]:
    """The project's own labelled files, in a stable order."""
    return sorted(p for p in Path(training_dir).glob("*.jsonl") if p.is_file())


def load_training(training_dir: Path = TRAINING_DIR) -> list[Example]:
    """All of the project's labelled statements (deduplicated on text + issue, first one wins)."""
    files = training_files(training_dir)
    if not files:
        raise StanceError(f"{training_dir}: no labelled *.jsonl training files")
    return dedupe(ex for p in files for ex in read_labelled(p))


def rows_to_examples(rows: Iterable[Sequence[str]], source: str = "rows") -> list[Example]:
    """In-memory (text, label[, issue]) rows, e.g. a person's corrections, as examples."""
    out = []
    for n, row in enumerate(rows, start=1):
        text, label = row[0], row[1]
        issue = row[2] if len(row) > 2 and row[2] else DEFAULT_ISSUE
        out.append(_record({"text": text, "label": label, "issue": issue}, f"{source}[{n}]",
                           DEFAULT_ISSUE, source))
    return out


def dedupe(examples: Iterable[Example]) -> list[Example]:
    """Drop repeated (text, issue) pairs; a later duplicate never overrides an earlier label."""
    seen: set[tuple[str, str]] = set()
    out = []
    for ex in examples:
        key = (" ".join(ex.text.lower().split()), ex.issue.lower())
        if key not in seen:
            seen.add(key)
            out.append(ex)
    return out


def data_hash(examples: Iterable[Example]) -> str:
    """SHA-256 over the (text, label, issue) triples, order-independent."""
    lines = sorted(json.dumps([e.text, e.label, e.issue], ensure_ascii=False) for e in examples)
    h = hashlib.sha256()
    for line in lines:
        h.update(line.encode("utf-8") + b"\n")
    return h.hexdigest()
