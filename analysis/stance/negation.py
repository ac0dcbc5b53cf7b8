"""Negation scopes: the few words after "not", "no", "never", "n't"... marked as negated.

In: a quote's text. Out: the same text lowercased, with each word inside a negation's scope
prefixed `NOT_` ("this is not a step backward" -> "this is not NOT_a NOT_step NOT_backward").
A scope ends after `scope` words, at punctuation, or at "but".

The polarity stage's word n-grams read the marked text (`NegationScope` is their preprocessor),
so "not a step backward" and "a step backward" are different evidence instead of sharing the
bigram "step backward" (Das and Chen 2001; Pang, Lee and Vaithyanathan 2002). Three words were
measured best (`bench/stance_bench.py`): a scope to the next punctuation swallowed the rest of
long clauses.
"""

from __future__ import annotations

import re

NEGATED = "NOT_"  # upper case: the marked text is otherwise lowercased, so it cannot clash
NEGATORS = frozenset({"not", "no", "never", "nor", "cannot", "without", "nothing", "none",
                      "neither", "nobody"})
_ENDS_SCOPE = frozenset({"but"})
_TOKEN = re.compile(r"[\w'-]+|[.,;:!?()\"]|\s-\s")


def is_negator(word: str) -> bool:
    """A word that opens a negation scope ("not", "never", "don't", "isn't"...)."""
    return word in NEGATORS or word.endswith("n't")


def mark_negation(text: str, scope: int = 3) -> str:
    """`text` lowercased, the `scope` words after each negator prefixed with `NEGATED`."""
    out: list[str] = []
    left = 0
    # The pipeline's input is already `features.normalise`d: plain apostrophes and dashes.
    for token in _TOKEN.findall(text.lower()):
        if not (token[0].isalnum() or token[0] in "_'"):  # punctuation closes a scope
            left = 0
        elif token in _ENDS_SCOPE:
            left = 0
        elif left:
            out.append(NEGATED + token)
            left -= 1
            continue
        out.append(token)
        if is_negator(token):
            left = scope
    return " ".join(out)


def unmarked(term: str) -> str:
    """A feature name as a reader should see it: "NOT_step NOT_backward" -> "step backward
    (negated)"."""
    parts = term.split(" ")
    if not any(p.startswith(NEGATED) for p in parts):
        return term
    return " ".join(p.removeprefix(NEGATED) for p in parts) + " (negated)"


class NegationScope:
    """A `TfidfVectorizer` preprocessor: `mark_negation` with a fixed scope.

    A class rather than a closure so that skops can save and load it.
    """

    def __init__(self, scope: int = 3):
        self.scope = scope

    def __call__(self, text: str) -> str:
        return mark_negation(text, self.scope)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NegationScope) and other.scope == self.scope

    def __hash__(self) -> int:
        return hash(("NegationScope", self.scope))

    def __repr__(self) -> str:
        return f"NegationScope(scope={self.scope})"
