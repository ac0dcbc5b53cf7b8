"""Attitude toward the change itself: "We support this decision", "I condemn today's move".

In: (text, issue) rows. Out: two dense features per row, whether the quote approves of the change
and whether it disapproves of it, where the object of the attitude is the change: a noun for it
led by "this", "the", "today's"... ("this decision", "the government's move"), a bare "it" or
"this", or the issue's own verb ("we support lifting the embargo"). A negation in the three words
before the verb turns it round ("we cannot support this decision"); "neither welcome nor oppose"
says neither, and nor does someone else's attitude in a relative clause ("critics who oppose this
decision are wrong"), an attitude in question ("whether she supports the measure") or one aimed
at a decision that names another change ("the decision to keep the ban" toward lifting it). A
verdict said of the change counts the same way: "a wise decision", "it would be a mistake",
"lifting the embargo is long overdue", "this is no betrayal"; not one the speaker reports from
others ("they tell me it isn't dangerous"). The words are data, in attitude_words.txt.

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
_RELATIVE_PRONOUNS = _RELATIVE - {"that"}  # "that" also opens "I think that this is wise"
# Words that report someone's words: "they tell me it isn't dangerous" is not the speaker's verdict.
_REPORTING = frozenset({"say", "said", "says", "tell", "told", "tells", "claim", "claimed",
                        "claims", "insist", "insisted", "insists", "assure", "assured", "assures",
                        "argue", "argued", "argues", "promise", "promised", "promises"})
_OWN = frozenset({"i", "we"})
_CONDITIONAL = frozenset({"if", "whether", "unless"})  # "whether she supports the measure"
# A verdict said of the change: "<it | this | this decision | lifting the ban> <is> <not> <a> wise".
_COPULAS = frozenset({"is", "was", "be", "been", "are", "were", "seems", "remains", "isn't",
                      "wasn't", "it's", "this's"})
_SUBJECT_COPULAS = frozenset({"it's"})  # subject and copula in one token
_BEFORE_COPULA = frozenset({"would", "will", "could", "might", "may", "must", "has", "have",
                            "had", "also", "still", "surely", "frankly"})
_BEFORE_VERDICT = frozenset({"a", "an", "the", "very", "truly", "so", "really", "deeply", "simply",
                             "clearly", "absolutely", "utterly", "entirely", "quite", "hugely",
                             "grave", "serious", "big", "huge", "historic", "major", "also",
                             "just", "both", "most", "more"})
# Words a predicative verdict may be followed by; a noun after it means the verdict is that
# noun's ("it is a dangerous world"), and the quote's words carry no punctuation to end on.
_AFTER_VERDICT = frozenset({"to", "for", "of", "and", "but", "because", "as", "in", "on", "at",
                            "by", "or", "if", "when", "since", "given", "which", "that", "from",
                            "we", "i", "it", "this", "they", "he", "she", "you", "so", "now",
                            "today", "too", "indeed", "yes", "frankly", "though", "however"})


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
    # longest first, so that "right call" is found before "right"
    return {name: tuple(sorted(entries, key=len, reverse=True)) for name, entries in sections.items()}


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


def _reported(tokens: list[str], at: int) -> bool:
    """Whether the clause whose first word is tokens[at] reports what someone else says: a
    reporting verb in the three words before it whose subject is not "I" or "we" ("they tell me
    it ...", "critics claim this ...", "we are told it ..."), or "if"/"whether" before it."""
    for j in range(max(0, at - 3), at):
        if tokens[j] in _CONDITIONAL:
            return True
        if tokens[j] in _REPORTING:
            before = tokens[j - 1] if j else ""
            passive = before in ("am", "are", "was", "were", "been", "be", "is")
            return passive or before not in _OWN
    return False


def _verdict_on_change(tokens: list[str], lemmas: list[str], start: int, end: int,
                       change: str | None) -> tuple[bool, bool]:
    """(aimed at the change, negated) for the verdict words tokens[start:end].

    Aimed: "a wise decision" (the verdict leads a noun for the change), or "it is wise",
    "this decision would be a mistake", "lifting the ban is long overdue" (said of it); "<anyone>
    is wise to <verb>" only when the verb is the issue's. Negated: "this is no betrayal".
    """
    if end < len(tokens) and lemmas[end] in _change_nouns():
        # "a wise decision", "this reckless move"; not "(respond with) necessary measures"
        led = start > 0 and (tokens[start - 1] in _LEADERS | {"a", "an"}
                             or tokens[start - 1].endswith("'s"))
        # "they tell me it is a wise decision": the clause opens a few words back
        return (led and _aims_at_change(tokens, lemmas, end, change)
                and not _reported(tokens, max(0, start - 3))), False
    if end < len(tokens) and (tokens[end] not in _AFTER_VERDICT
                              or (tokens[end] == "of" and tokens[start] == "right")):
        return False, False  # "the right of every nation" is the noun
    # "the government is right to lift the ban", "anyone would be wrong to ...": the issue's
    # own verb after the verdict is what is judged, whoever the subject
    infinitive = end + 1 < len(tokens) and tokens[end] == "to"
    j, negated = start - 1, False
    while j >= 0 and tokens[j] not in _COPULAS and (tokens[j] in _BEFORE_VERDICT
                                                    or is_negator(tokens[j])):
        negated |= is_negator(tokens[j])
        j -= 1
    if j < 0 or tokens[j] not in _COPULAS:
        return False, False
    negated |= is_negator(tokens[j])
    if tokens[j] in _SUBJECT_COPULAS:
        subject = j
    else:
        subject = j - 1
        while subject >= 0 and (tokens[subject] in _BEFORE_COPULA or is_negator(tokens[subject])):
            negated |= is_negator(tokens[subject])
            subject -= 1
    if subject < 0 or (negated and end < len(tokens) and tokens[end] == "but"):
        return False, False  # "it may not be catastrophic, but ...": a concession
    if _reported(tokens, subject):
        return False, False
    if infinitive:
        return change is not None and lemmas[end + 1] == change, negated
    if tokens[subject] in _SUBJECT_COPULAS or tokens[subject] in ("it", "this"):
        # not "that": "..., and that was a mistake" judges what was just said
        if subject and tokens[subject - 1] in _RELATIVE | {"if", "whether"}:
            return False, False
        return True, negated
    if lemmas[subject] in _change_nouns():
        # not "critics who oppose this decision are wrong": the verdict is on the critics
        return not _RELATIVE_PRONOUNS & set(tokens[max(0, subject - 4):subject]), negated
    # "lifting the ban is a mistake": the issue's verb opens the subject, a few words back
    return change is not None and change in lemmas[max(0, subject - 4):subject + 1], negated


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
        if any(t in _CONDITIONAL for t in tokens[max(0, i - 3):i]):
            continue  # "whether she supports the measure": no attitude taken
        for side, section in enumerate(("approve", "disapprove")):
            n = _match(lemmas, i, lexicon[section])
            if not n or not _aims_at_change(tokens, lemmas, i + n, change):
                continue
            negated = any(is_negator(t) for t in tokens[max(0, i - 3):i])
            found[1 - side if negated else side] = 1.0
        for side, section in enumerate(("good", "bad")):
            n = _match(lemmas, i, lexicon[section])
            if not n:
                continue
            aimed, negated = _verdict_on_change(tokens, lemmas, i, i + n, change)
            if aimed:
                found[1 - side if negated else side] = 1.0
    return found[0], found[1]


class ChangeAttitude(DenseCues):
    """`attitude` of every (text, issue) row as two dense columns."""

    FEATURES = FEATURES

    def cues(self, text: str, issue: str) -> tuple[float, float]:
        return attitude(text, issue)
