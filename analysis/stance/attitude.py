"""Attitude toward the change itself: "We support this decision", "I condemn today's move".

In: (text, issue) rows. Out: two dense features per row, whether the quote approves of the change
and whether it disapproves of it, where the object of the attitude is the change: a noun for it
led by "this", "the", "today's"... ("this decision", "the government's move"), a bare "it" or
"this", or the issue's own verb ("we support lifting the embargo"). A negation in the three words
before the verb turns it round ("we cannot support this decision"); "neither welcome nor oppose"
says neither, and nor does someone else's attitude in a relative clause ("critics who oppose this
decision are wrong") or one aimed at a decision that names another change ("the decision to keep
the ban" toward lifting it). The words are data, in attitude_words.txt.

The polarity stage reads these. Its other blocks learn what a word means *for an issue*, and the
training statements use "support" mostly for a ban ("we support the ban" toward lifting it), so
"We strongly support this decision." read as opposed. Aimed at the change, the verb's own side is
the quote's side, whatever the issue.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from analysis.stance.features import DenseCues, content_words, lemma, words
from analysis.stance.negation import is_negator

FEATURES = ("approves_of_change", "disapproves_of_change")
_WORDS_FILE = Path(__file__).with_name("attitude_words.txt")
# What may stand between the verb and the noun for the change: "the administration's latest move".
_LEADERS = frozenset({"the", "this", "that", "these", "its", "their", "our", "your", "his", "her",
                      "today's", "yesterday's", "new", "latest", "recent", "strongly", "fully",
                      "wholeheartedly", "very", "much"})
_BARE = frozenset({"it", "this", "that"})
_RELATIVE = frozenset({"who", "which", "that", "whom"})


@lru_cache(maxsize=1)
def attitude_words() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Section -> entries, each a tuple of lemmatised words (a phrase has several)."""
    sections: dict[str, list[tuple[str, ...]]] = {}
    current = None
    for line in _WORDS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip().lower()
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        elif line and current is not None:
            current.append(tuple(lemma(w) for w in line.split()))
    return {name: tuple(entries) for name, entries in sections.items()}


def _match(lemmas: list[str], i: int, entries: tuple[tuple[str, ...], ...]) -> int:
    """Length of the entry that starts at position i, else 0."""
    for entry in entries:
        if tuple(lemmas[i:i + len(entry)]) == entry:
            return len(entry)
    return 0


def _aims_at_change(tokens: list[str], lemmas: list[str], after: int, change: str | None
                    ) -> bool:
    """Whether the words from `after` on name the change: "this decision", "it", "lifting ..."."""
    j = after
    if j < len(tokens) and tokens[j] in _BARE and (j + 1 == len(tokens)
                                                   or lemmas[j + 1] not in _change_nouns()):
        return True
    while j < len(tokens) and j < after + 4 and (tokens[j] in _LEADERS or tokens[j].endswith("'s")):
        j += 1
    if j >= len(tokens):
        return False
    if change is not None and lemmas[j] == change:
        return True
    if lemmas[j] not in _change_nouns():
        return False
    # "the decision to keep the ban" names its own change, which may be the issue's opposite:
    # only "the decision to lift ..." toward lifting is the change
    if j + 2 < len(tokens) and tokens[j + 1] in ("to", "of"):
        return change is not None and lemmas[j + 2] == change
    return True


@lru_cache(maxsize=1)
def _change_nouns() -> frozenset[str]:
    return frozenset(entry[0] for entry in attitude_words()["change"])


def attitude(text: str, issue: str) -> tuple[float, float]:
    """(approves, disapproves) of the change: 1.0 or 0.0 each."""
    tokens = words(text)
    lemmas = [lemma(t) for t in tokens]
    issue_words = content_words(issue)
    change = lemma(issue_words[0]) if issue_words else None  # the issue's verb: "lifting" -> "lift"
    lexicon = attitude_words()
    found = [0.0, 0.0]
    if "neither" in tokens and "nor" in tokens:  # "we neither welcome nor oppose it"
        return 0.0, 0.0
    for i in range(len(tokens)):
        if i and tokens[i - 1] in _RELATIVE:
            continue  # "critics who oppose this decision": someone else's attitude
        for side, section in enumerate(("approve", "disapprove")):
            n = _match(lemmas, i, lexicon[section])
            if not n or not _aims_at_change(tokens, lemmas, i + n, change):
                continue
            negated = any(is_negator(t) for t in tokens[max(0, i - 3):i])
            found[1 - side if negated else side] = 1.0
    return found[0], found[1]


class ChangeAttitude(DenseCues):
    """`attitude` of every (text, issue) row as two dense columns."""

    FEATURES = FEATURES

    def cues(self, text: str, issue: str) -> tuple[float, float]:
        return attitude(text, issue)
