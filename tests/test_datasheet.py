"""The training datasheet's Counts tables match the labelled files (bench/training_counts.py)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("training_counts", ROOT / "bench" / "training_counts.py")
training_counts = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(training_counts)


def test_datasheet_counts_are_the_files_counts():
    text = training_counts.DATASHEET.read_text(encoding="utf-8")
    assert training_counts.datasheet_counts(text) == training_counts.counts_tables(), (
        "data/training/README.md's Counts differ from the files: "
        "run python bench/training_counts.py --write")


def test_counts_follow_an_edited_file(tmp_path: Path):
    row = {"text": "We back it.", "label": "supportive", "issue": "Lifting a ban", "topic": "bans",
           "case": "plain"}
    path = tmp_path / "statements_x.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    first = training_counts.counts_tables(tmp_path)
    assert "| statements_x.jsonl | 1 | 0 | 0 | 1 |" in first
    path.write_text(json.dumps(row) + "\n" + json.dumps({**row, "text": "No.", "label": "opposed"})
                    + "\n", encoding="utf-8")
    second = training_counts.counts_tables(tmp_path)
    assert "| statements_x.jsonl | 1 | 1 | 0 | 2 |" in second
    assert "| **total** | **1** | **1** | **0** | **2** |" in second


def test_a_datasheet_without_counts_is_named():
    with pytest.raises(ValueError, match="Counts"):
        training_counts.datasheet_counts("# Datasheet\n\nno tables here\n")
