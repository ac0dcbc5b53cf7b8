"""Counts in words, for messages: "1 quote", "2 quotes", "1,204 quotes", "3 entries".

In: a count and a noun (and its plural where adding "s" is wrong). Out: the phrase. The command
line, the dashboard and the errors both raise share it, so a count reads the same everywhere.
"""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """`n` with its noun, singular for exactly one: counted(2, "entry", "entries") -> "2 entries"."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"
