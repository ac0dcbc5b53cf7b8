"""Names of bodies the entity tagger misses: the organisations of a parsed article, mended.

In: a spaCy `Doc` after its `ner` component. Out: the same `Doc`, whose entities call a proper
name an organisation ("ORG") when its head word says it names a body ("Human Rights Watch", "the
HALO Trust": `resources/body_words.txt`), which the small English tagger leaves untagged or calls
a work of art in most sentences. The speaker rules read bodies from the entities (an unnamed
spokesperson speaks for the one organisation named before; "it" is a body), so a body the tagger
misses has no voice of its own. Runs as the pipeline component "body_names" (`analysis.nlp`).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from analysis.names import PERSONAL_TITLES, body_words

# What the tagger calls some names of bodies instead ("Human Rights Watch" as a WORK_OF_ART).
_MISTAKEN = frozenset({"", "WORK_OF_ART", "PRODUCT"})


def _capitalised(tok: Token) -> bool:
    return tok.pos_ == "PROPN" and tok.text[:1].isupper()


def _name_before(head: Token) -> int:
    """Where the proper name headed by `head` begins: the capitalised proper nouns before it
    that hang on it or on each other ("Human Rights" of "Human Rights Watch")."""
    start = head.i
    doc = head.doc
    while (start > 0 and _capitalised(doc[start - 1]) and doc[start - 1].dep_ in ("compound", "flat")
           and start <= doc[start - 1].head.i <= head.i and doc[start - 1].whitespace_):
        start -= 1
    return start


def _untagged_body(head: Token) -> Span | None:
    """The name headed by `head` when it names a body the tagger did not call one: two words or
    more, capitalised proper nouns, the last a body word ("Watch", "Trust", "Coalition"), none
    of them tagged as anything but a work of art or product, and no personal title first
    ("Colonel John House")."""
    if not _capitalised(head) or head.lower_ not in body_words():
        return None
    if head.dep_ in ("compound", "flat") and head.head.i > head.i and _capitalised(head.head):
        return None  # not the head: "Rights" of "Human Rights Watch"
    doc = head.doc
    start = _name_before(head)
    span = doc[start : head.i + 1]
    if len(span) < 2 or any(t.ent_type_ not in _MISTAKEN for t in span):
        return None
    if span[0].lower_.rstrip(".") in PERSONAL_TITLES and len(span) > 2:
        return None
    return span


def _without_overlaps(ents: list[Span], new: list[Span]) -> list[Span]:
    """`ents` without those that share a token with one of `new`, plus `new`, in text order."""
    taken = {i for span in new for i in range(span.start, span.end)}
    kept = [e for e in ents if not any(i in taken for i in range(e.start, e.end))]
    return sorted(kept + new, key=lambda s: s.start)


@Language.component("body_names")
def body_names(doc: Doc) -> Doc:
    """Tag as organisations the names of bodies the tagger left out (module docstring)."""
    found = [span for tok in doc if (span := _untagged_body(tok)) is not None]
    if found:
        doc.ents = _without_overlaps(list(doc.ents), [Span(doc, s.start, s.end, "ORG") for s in found])
    return doc
