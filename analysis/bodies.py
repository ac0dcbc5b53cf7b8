"""Names of bodies the entity tagger misses: the organisations of a parsed article, mended.

In: a spaCy `Doc` after its `ner` component. Out: the same `Doc`, whose entities call a proper
name an organisation ("ORG")
- when its head word says it names a body ("Human Rights Watch", "Landmine Monitor":
  `resources/body_words.txt`), which the small English tagger leaves untagged or calls a work of
  art in most sentences;
- in full when the tagger cut it before its last word, a surname it took for a person or a
  product ("Lockheed" of "Lockheed Martin", and so the speaker "Martin");
- wherever else the article writes a name so found in the same words ("Lockheed Martin's
  spokesperson", tagged a person's);
and calls a product ("PRODUCT") every mention of a name the article says is a weapon system
(counted, made by someone, a weapon beside it or spelled out as one: "six HIMARS"), whatever the
tagger called it.
The speaker rules read bodies from the entities (an unnamed spokesperson speaks for the one
organisation named before; "it" is a body; a person's spokesperson is anonymous), so a body the
tagger misses or cuts has no voice of its own. Runs as the pipeline component "body_names"
(`analysis.nlp`).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from analysis.names import PERSONAL_TITLES, body_words, entity_at, titles, weapon_nouns

# What the tagger calls some names of bodies instead ("Human Rights Watch" as a WORK_OF_ART).
_MISTAKEN = frozenset({"", "WORK_OF_ART", "PRODUCT"})


def _capitalised(tok: Token) -> bool:
    return tok.pos_ == "PROPN" and tok.text[:1].isupper()


def _name_before(head: Token) -> int:
    """Where the proper name headed by `head` begins: the capitalised proper nouns before it
    that hang on it or on each other ("Human Rights" of "Human Rights Watch")."""
    start = head.i
    doc = head.doc
    while (start > 0 and _capitalised(doc[start - 1])
           and doc[start - 1].dep_ in ("compound", "flat")
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


def _cut_short(ent: Span) -> Span | None:
    """The whole name of an organisation the tagger cut before its last word, when that word
    hangs on the organisation's words and is tagged a one-word person or product ("Lockheed"
    of "Lockheed Martin"); None for a title ("Senator" before "Graham")."""
    doc = ent.doc
    if ent.label_ != "ORG" or ent.end >= len(doc):
        return None
    last, word = doc[ent.end - 1], doc[ent.end]
    # the name's words hang on its last word, or on what it names ("Lockheed Martin CEO ...")
    joined = last.head.i == word.i or (last.head.i == word.head.i and word.dep_ == "compound")
    if (not (_capitalised(word) and word.is_title)  # a surname, not "CEO" in "Wells Fargo CEO:"
            or last.whitespace_ != " " or not joined or last.dep_ not in ("compound", "flat")):
        return None
    if any(t.lower_.rstrip(".") in titles() for t in (*ent, word)):
        return None
    one_word = word.ent_iob_ != "B" or ent.end + 1 == len(doc) or doc[ent.end + 1].ent_iob_ != "I"
    # an untagged word may be anything after a name in a title-case headline ("FBI Decision",
    # "NFL Legend") or a given name whose surname alone the tagger tagged ("Pentagon John Kirby")
    if word.ent_type_ not in ("PERSON", "PRODUCT") or not one_word:
        return None
    return doc[ent.start : ent.end + 1]


def _same_name_elsewhere(doc: Doc, names: list[Span]) -> list[Span]:
    """Other places the article writes one of `names` in the same words, where the tagger calls
    it a person, a work of art or a product, two organisations or nothing ("Lockheed Martin's
    spokesperson" as a person's): one article names one body one way."""
    words = {tuple(t.text for t in span) for span in names}
    taken = {i for span in names for i in range(span.start, span.end)}
    out = []
    for name in words:
        n = len(name)
        for i in range(len(doc) - n + 1):
            span = doc[i : i + n]
            if (tuple(t.text for t in span) != name or i in taken
                    or any(t.ent_type_ not in _MISTAKEN | {"PERSON", "ORG"} for t in span)):
                continue
            if any(t.ent_type_ == "ORG" and not i <= e.start < e.end <= i + n
                   for t in span for e in [entity_at(t)]):
                continue  # a longer organisation's name ("Lockheed Martin Space")
            if i > 0 and _capitalised(doc[i - 1]) and doc[i - 1].head.i in range(i, i + n):
                continue  # part of a longer name
            out.append(span)
    return out


# What counts a thing ("more HIMARS", "six HIMARS").
_MORE = frozenset({"more", "additional", "extra", "several", "fewer"})
# Participles that say a thing was made ("HIMARS, built by Lockheed Martin").
_MADE = frozenset({"made", "built", "manufactured", "produced", "designed", "developed"})
# What a name may be tagged and still be a weapon's ("Storm Shadow" a person, "HIMARS" an
# organisation); never a place, a nationality, a date or a number.
_THINGS = _MISTAKEN | {"ORG", "PERSON", "FAC"}


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _weapon_word(word: str) -> bool:
    return _singular(word.lower()) in weapon_nouns()


def _weapon_or_system(word: str) -> bool:
    """A weapon noun, or "system": what a weapon's name may be set beside or end with."""
    return _weapon_word(word) or _singular(word.lower()) == "system"


def _counted(head: Token) -> bool:
    """A code name counted in its sentence ("six HIMARS", "more ATACMS", "two F-16s"): letters
    in capitals or with a digit, not a person's, with a number or "more" before it on its line.
    People are counted too ("two Hispanics", "many more Latinos"), a list's numbers stand on a
    line of their own before its headings, "one PAC called ..." is "a PAC", and a headline in
    capitals counts nothing ("TWO DEAD")."""
    code = (head.is_upper and len(head) > 1) or any(ch.isdigit() for ch in head.text)
    if not code or head.ent_type_ == "PERSON":
        return False
    return any(c.i < head.i and "\n" not in c.doc[c.i : head.i].text
               and (c.dep_ == "nummod" and c.ent_type_ in ("", "CARDINAL")
                    and c.lower_ != "one" and not c.is_upper
                    or c.dep_ == "amod" and c.lower_ in _MORE) for c in head.children)


def _names_a_weapon(head: Token) -> bool:
    """Whether the article says the name headed by `head` is a thing, not a body: a weapon noun
    beside it ("HIMARS, a rocket launcher"; "system" too), counted (`_counted`), or made by
    someone ("HIMARS, built by Lockheed Martin")."""
    if _counted(head):
        return True
    for c in head.children:
        if c.dep_ == "appos" and _weapon_or_system(c.lower_):
            return True
        if (c.dep_ == "acl" and c.lower_ in _MADE
                and any(g.dep_ == "agent" for g in c.children)):
            return True
    return False


def _spelled_out_weapon(doc: Doc, i: int) -> bool:
    """Whether token i is an abbreviation in brackets after the name of a weapon system it
    stands for: "the High Mobility Artillery Rocket System (HIMARS)", "Joint Direct Attack
    Munition (JDAM)"; not "the Missile Defense Agency (MDA)"."""
    if not (0 < i < len(doc) - 1 and doc[i - 1].text == "(" and doc[i + 1].text == ")"):
        return False
    end = i - 1
    start = end
    while start > 0 and doc[start - 1].text[:1].isupper() and not doc[start - 1].is_sent_start:
        start -= 1
    words = [t.lower_ for t in doc[start:end]]
    return bool(words) and _weapon_or_system(words[-1]) and any(_weapon_word(w) for w in words)


def _weapon_names(doc: Doc) -> set[tuple[str, ...]]:
    """The names the article says are weapon systems (`_names_a_weapon`, `_spelled_out_weapon`)
    and tags as entities somewhere, as their words; never a name headed by a body word ("Air
    Force")."""
    tagged = {_words(e) for e in doc.ents if e.label_ in _THINGS}
    out = set()
    for tok in doc:
        if not _capitalised(tok) and not (tok.is_upper and len(tok) > 1):
            continue
        if tok.ent_type_ not in _THINGS or tok.lower_ in body_words():
            continue
        if tok.dep_ in ("compound", "flat") and tok.head.i > tok.i and _capitalised(tok.head):
            continue  # not the name's head
        if _names_a_weapon(tok) or _spelled_out_weapon(doc, tok.i):
            out.add(_words(doc[_name_before(tok) : tok.i + 1]))
    return out & tagged


def _words(span: Span) -> tuple[str, ...]:
    """A name's words without an article: "the HIMARS" and "HIMARS" are one name."""
    return tuple(t.text for t in span if t.lower_ != "the")


def _without_overlaps(ents: list[Span], new: list[Span]) -> list[Span]:
    """`ents` without those that share a token with one of `new`, plus `new`, in text order."""
    taken = {i for span in new for i in range(span.start, span.end)}
    kept = [e for e in ents if not any(i in taken for i in range(e.start, e.end))]
    return sorted(kept + new, key=lambda s: s.start)


@Language.component("body_names")
def body_names(doc: Doc) -> Doc:
    """Tag as organisations the names of bodies the tagger left out or cut, and as products the
    weapon systems it took for bodies or people (module docstring)."""
    found = [span for tok in doc if (span := _untagged_body(tok)) is not None]
    found += [span for ent in doc.ents if (span := _cut_short(ent)) is not None]
    found += _same_name_elsewhere(doc, found)
    if found:
        orgs = [Span(doc, s.start, s.end, "ORG") for s in found]
        doc.ents = _without_overlaps(list(doc.ents), orgs)
    weapons = _weapon_names(doc)
    if weapons:
        # every mention of a weapon system, whatever the tagger called it, is a product
        doc.ents = [Span(doc, e.start, e.end, "PRODUCT")
                    if e.label_ in _THINGS and _words(e) in weapons else e for e in doc.ents]
    return doc
