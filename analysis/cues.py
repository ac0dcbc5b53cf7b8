"""Cue verbs: the verbs that introduce reported speech, read from `resources/cue_verbs.txt`.

In: that file (`<kind> <lemma> <form>...` per line, `#` comments). Out: form -> (kind, lemma) for
quote extraction, and (form, lemma) pairs for the dashboard's verb counts. No spaCy here, so the
dashboard can read the list without loading the NLP stack.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

CUE_VERBS = Path(__file__).parent / "resources" / "cue_verbs.txt"


@lru_cache(maxsize=1)
def cue_forms() -> dict[str, tuple[str, str]]:
    """Lowercased verb form -> (kind, lemma); the first line naming a form wins."""
    forms: dict[str, tuple[str, str]] = {}
    for line in CUE_VERBS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, lemma, *words = line.split()
        for word in words:
            forms.setdefault(word.lower(), (kind, lemma))
    return forms


def cue_lemmas() -> tuple[tuple[str, str], ...]:
    """(form, lemma) pairs sorted by form, so "said", "says" and "saying" count as "say"."""
    return tuple(sorted((form, lemma) for form, (_kind, lemma) in cue_forms().items()))
