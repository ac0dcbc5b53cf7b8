"""How a person is named in an article: titles off, hyphenated names joined, the tagger's misses.

In: spaCy tokens and spans of a mention ("Sen. John McCain's", "Representative Nolan Fairbanks").
Out: the person's name as words or a string (`person_name`, `strip_title`, `titled_name`), where
a name begins when the tagger tagged only its surname (`person_start`), and the lookup keys that
let "McCain" find "John McCain" (`name_keys`). Also the word lists these rules and the speaker
rules share (`word_list`, `titles`, `governments`, `body_words`, `weapon_nouns`, `BODY_NOUNS`).
Used by analysis.speakers and analysis.bodies.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Span, Token

RESOURCES = Path(__file__).parent / "resources"

# Nouns that name a body, not a person ("the administration", "a panel").
BODY_NOUNS = {
    "administration", "government", "campaign", "committee", "agency", "department", "ministry",
    "office", "group", "organization", "organisation", "company", "party", "panel", "council",
    "commission", "court", "newspaper", "paper", "network", "board", "team", "union", "coalition",
    "delegation", "embassy", "mission",
}


def word_list(name: str) -> frozenset[str]:
    """A resources/ word list, lowercased, without comments and blank lines."""
    lines = (RESOURCES / name).read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip().lower() for x in lines if x.strip() and not x.startswith("#"))


@lru_cache(maxsize=1)
def titles() -> frozenset[str]:
    """Title and role words stripped from names (resources/titles.txt)."""
    return word_list("titles.txt")


@lru_cache(maxsize=1)
def body_words() -> frozenset[str]:
    """Words that head the name of a body, not of a person (resources/body_words.txt), and the
    nouns that name a body (`BODY_NOUNS`)."""
    return word_list("body_words.txt") | frozenset(BODY_NOUNS)


@lru_cache(maxsize=1)
def weapon_nouns() -> frozenset[str]:
    """Nouns for weapons and machines, singular (resources/weapon_nouns.txt)."""
    return word_list("weapon_nouns.txt")


@lru_cache(maxsize=1)
def governments() -> dict[str, str]:
    """Capital or country as written -> "Government of <country>" (resources/capitals.tsv)."""
    out: dict[str, str] = {}
    for line in (RESOURCES / "capitals.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, country = line.split("\t")
            out[name.strip().lower()] = f"Government of {country.strip()}"
    return out


def written_words(tokens: Iterable[Token]) -> list[str]:
    """The tokens' words as the article writes them: "Mbeki", "-", "Walsh" -> "Mbeki-Walsh".

    The tokenizer splits hyphenated names; joining its tokens with spaces would print
    "Mbeki - Walsh". Only neighbouring tokens with no space between them are joined, and a
    hyphen left hanging (its other side not among `tokens`, as in "Madrid-born Ana Lopez") is
    dropped.
    """
    out: list[str] = []
    previous: Token | None = None
    for t in tokens:
        if t.is_space:  # a line break inside a wrapped name ("Gabrielius\nLandsbergis")
            continue
        joined = previous is not None and t.i == previous.i + 1 and not previous.whitespace_
        # a possessive ending stays on its word: "Park's spokesperson", not "Park 's"
        if out and joined and (t.text == "-" or out[-1].endswith("-")
                               or t.lower_ in ("'s", "\u2019s")):
            out[-1] += t.text
        else:
            out.append(t.text)
        previous = t
    return [w.strip("-") for w in out if w.strip("-")]


def name_keys(words: list[str]) -> set[str]:
    """Lookup keys of a name: its last word and, for "Mbeki-Walsh", the last part ("walsh")."""
    last = words[-1].lower()
    return {last, last.rsplit("-", 1)[-1]}


def strip_title(words: list[str]) -> list[str]:
    """Drop leading title words and a trailing possessive: ["Sen.", "John", "McCain's"] -> name."""
    out = list(words)
    while len(out) > 1 and out[0].lower().rstrip(".") in titles():
        out.pop(0)
        if out[:2] == ["First", "Class"] and len(out) > 2:  # "Sergeant First Class", "Private ..."
            del out[:2]
    if out:
        last = out[-1]
        for suffix in ("'s", "’s", "'", "’"):
            if last.endswith(suffix) and len(last) > len(suffix):
                out[-1] = last[: -len(suffix)]
                break
    return [w for w in out if w not in ("'s", "’s", "'", "’")]


GENERATIONS = frozenset({"Jr", "Sr", "II", "III", "IV"})
# Lowercase words that belong inside a name ("Marta de la Vries", "Mohammed bin Salman").
_PARTICLES = frozenset({"de", "da", "di", "du", "do", "dos", "das", "del", "della", "der", "den",
                        "van", "von", "ter", "te", "le", "la", "al", "el", "bin", "ibn", "bint",
                        "ben", "abu", "y"})


def person_start(doc: Doc, start: int, end: int) -> int:
    """Where a person's name begins: the tagger sometimes tags only the surname of a name it does
    not know ("Chheng" of "Sokha Chheng"), so one capitalised, untagged proper noun directly
    before a one-word PERSON entity is taken as the given name; never a title ("Green MP Anouk
    Bervoets", "Senators Chheng and Lopez"), a place or a dateline in capitals."""
    if end - start != 1 or start == 0:
        return start
    before = doc[start - 1]
    word = before.lower_
    if (before.pos_ == "PROPN" and not before.ent_type_ and before.whitespace_ and before.is_alpha
            and before.is_title and word not in titles() and word.rstrip("s") not in titles()
            and word not in governments()):
        return start - 1
    return start


# Titles only a person carries. The tagger calls some titled names organisations
# ("Representative Nolan Fairbanks"); one that opens with these is a person all the same.
PERSONAL_TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "senator", "sen",
    "representative", "rep", "congressman", "congresswoman", "congressmember", "governor",
    "gov", "mayor", "general", "gen", "admiral", "adm", "colonel", "col", "major", "maj",
    "captain", "capt", "sergeant", "sgt", "lt", "lieutenant", "ambassador", "judge", "rev",
    "reverend", "sheriff",
})


def in_rank(doc: Doc, i: int) -> bool:
    """Whether token i is part of a rank ("Sergeant First Class Ruiz": "Class" is no given name)."""
    return (doc[i].text in ("First", "Class") and i > 0
            and doc[i - 1].text in ("Sergeant", "First", "Private"))


def titled_name(span: Span) -> list[str] | None:
    """The name in an entity the tagger calls an organisation but that opens with a personal
    title ("Representative Nolan Fairbanks" -> ["Nolan", "Fairbanks"]), else None."""
    written = written_words(span)
    if not written or written[0].lower().rstrip(".") not in PERSONAL_TITLES:
        return None
    words = strip_title(written)
    if 2 <= len(words) <= 3 and all(
            w[:1].isupper() and w.lower() not in body_words() for w in words):
        return words
    return None


def entity_at(tok: Token) -> Span:
    """The named entity holding `tok` (token attributes, not doc.ents, which scans the doc)."""
    doc = tok.doc
    start, end = tok.i, tok.i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]


def person_name(span: Span) -> str | None:
    """The person's name inside a mention, without titles, or None when it names no person."""
    root = span.root
    if root.ent_type_ == "PERSON":
        ent = entity_at(root)
        start = person_start(span.doc, ent.start, ent.end)
        words = strip_title(written_words(span.doc[start:ent.end]))
        return " ".join(words) or None
    if root.ent_type_ == "ORG":
        words = titled_name(entity_at(root))
        if words:
            return " ".join(words)
    # names are capitalised but for their particles: the tagger calls "foreign ministry" proper
    # nouns after "China’s"
    props = [t for t in span if (t.pos_ == "PROPN" and (t.text[:1].isupper() or t.lower_ in _PARTICLES)
                                 and not t.ent_type_ in ("ORG", "GPE", "NORP"))
             or t.text == "-"]  # kept only inside a word: written_words drops a hanging one
    if (props and span.root.pos_ == "PROPN" and span.root.text[:1].isupper()
            and span.root.ent_type_ in ("", "PERSON")):
        words = strip_title(written_words(props))
        if words and words[0].lower().rstrip(".") not in titles():
            return " ".join(words)
    return None
