"""Counts in words (analysis/wording.py)."""

from analysis.wording import counted


def test_counted_is_singular_for_one_only():
    assert counted(1, "quote") == "1 quote"
    assert counted(0, "quote") == "0 quotes"
    assert counted(1204, "quote") == "1,204 quotes"
    assert counted(1, "entry", "entries") == "1 entry"
    assert counted(3, "entry", "entries") == "3 entries"
