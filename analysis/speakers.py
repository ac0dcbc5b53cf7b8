"""Who said it: the speaker of a cue verb, canonicalised per article.

In: a spaCy `Doc` and, per token, whether it lies inside a quotation (from analysis.quotes).
Out: `SpeakerResolver(doc, inside).resolve(cue)` -> `Speaker` (canonical name, the mention used at this
quote, anonymous flag, the fullest description of the speaker in the article), or None.

Rules, in order: the subject of the cue (inverted "said X", "according to X", inherited through
"denied, calling" and relative "who"); pronouns resolved to the nearest earlier fitting antecedent
(a person for he/she, a body or document for it, a group for they), subjects first, in the
pronoun's sentence and the two before, else in the two reporter's sentences before it in its
paragraph (quoted sentences between do not count); a role beside a name is that person ("Lina
Saar, an adviser"), and "the official" or "the general" the one introduced before; a document
("the memo") to its author ("Hegseth's memo"); anonymous sources ("a senior official") to
"anonymous <descriptor>"; an unnamed spokesperson to the body they speak for on the record ("a
spokesperson for the alliance" after "NATO declined ..."; "a Pentagon spokesperson"); capitals and
countries as metonyms to "Government of <country>"; a person to the longest form of their name in
the article ("McCain" -> "John McCain"), even one the tagger left untagged or called an
organisation ("Representative Nolan Fairbanks"); any other phrase without its article or
sentence-start capital ("Diplomats said" -> "diplomats").
Reading a name from its tokens (titles, hyphens, the tagger's misses) is analysis.names; word
lists live in analysis/resources/.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.attrs import POS
from spacy.tokens import Doc, Span, Token

from analysis.names import (
    BODY_NOUNS, GENERATIONS, PERSONAL_TITLES, body_words, governments, in_rank, name_keys,
    person_name, person_start, strip_title, titled_name, titles, weapon_nouns, word_list,
    written_words,
)
from analysis.paragraphs import doc_text, paragraph_bounds

_SUBJECTS = ("nsubj", "nsubjpass")
_INHERIT = ("conj", "advcl", "xcomp", "pcomp")  # verbs sharing their head's subject
_RELATIVE = {"who", "which", "that", "whom"}
_MALE, _FEMALE = {"he", "him", "his"}, {"she", "her", "hers"}
_THING = {"it", "its"}
# Entity types of places: a role beside a place ("IZIUM, Ukraine — Oksana ...") is not the place.
_PLACES = frozenset({"GPE", "LOC", "FAC", "NORP"})
_GROUP = {"they", "them", "their"}
_MODIFIERS = {"compound", "amod", "det", "poss", "nmod", "nummod", "quantmod", "case", "npadvmod"}
_DESCRIPTION_PREPS = {"of", "for", "at", "from", "with", "in", "on"}
_ARTICLES = {"the", "a", "an"}
_INDEFINITE = {"a", "an", "one", "another"}
# Places an appositive can name ("Winooski, a city").
_PLACE_NOUNS = {"country", "nation", "state", "city", "town", "village", "province", "region",
                "base", "site", "port"}
# What else an appositive names when it is not a person ("Caldera, a security firm").
_NOT_PEOPLE = _PLACE_NOUNS | {
    "firm", "charity", "institute", "tank", "alliance", "foundation", "association", "federation",
    "corporation", "manufacturer", "maker", "contractor", "broadcaster", "outlet", "publication",
    "nonprofit", "non-profit", "programme", "program", "system", "treaty", "convention",
    "unit", "brigade", "battalion", "regiment", "division", "squadron", "fleet", "militia",
    "hub", "startup", "collective", "platform", "outfit", "channel", "website", "magazine",
    "watchdog", "regulator", "body", "bloc", "pact", "consortium", "cartel", "gang",
}
_MAX_CONTEXT_TOKENS = 30


@dataclass(frozen=True)
class Speaker:
    """A resolved speaker: canonical name, the words at this quote, anonymity, description."""

    speaker: str
    mention: str
    anonymous: bool
    context: str


@lru_cache(maxsize=1)
def anonymous_heads() -> frozenset[str]:
    return word_list("anonymous_heads.txt")


@lru_cache(maxsize=1)
def anonymous_phrases() -> frozenset[str]:
    return word_list("anonymous_phrases.txt")


def says_unnamed(description: str) -> bool:
    """Whether a description holds one of `anonymous_phrases` ("who spoke on condition of
    anonymity", "who was not authorized to speak")."""
    low = description.lower()
    return any(p in low for p in anonymous_phrases())


@lru_cache(maxsize=1)
def group_nouns() -> frozenset[str]:
    return word_list("group_nouns.txt")


@lru_cache(maxsize=1)
def document_nouns() -> frozenset[str]:
    return word_list("document_nouns.txt")


@lru_cache(maxsize=1)
def utterance_nouns() -> frozenset[str]:
    return word_list("utterance_nouns.txt")


def speaker_head(cue: Token) -> Token | None:
    """The head token of the cue's speaker: its subject, inherited or relative, or None."""
    if cue.lower_ == "according":
        for child in cue.children:
            if child.lower_ == "to":
                objs = [c for c in child.children if c.dep_ == "pobj" and not c.is_punct]
                return objs[0] if objs else None  # "*The Post*": markup is not the source
        return None
    verb = cue
    for _ in range(4):
        for child in verb.children:
            if child.dep_ in _SUBJECTS and not child.is_punct:  # a dash parsed as a subject
                if child.lower_ in _RELATIVE and verb.dep_ == "relcl":
                    return verb.head
                if child.dep_ == "nsubjpass":
                    break  # "was told": the subject is the listener
                return _utterance_owner(child) or child
            if child.dep_ == "agent":
                objs = [c for c in child.children if c.dep_ == "pobj"]
                if objs:
                    return objs[0]
        if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN"):
            return None  # "a claim Kyiv denied": the noun is what was said, not who
        if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN") and verb.tag_ == "VBG":
            return verb.head  # "officials saying ..."
        if verb.tag_ == "VBG" and verb.dep_ in ("advcl", "conj", "xcomp"):
            return _nearest_subject(verb)
        if verb.dep_ not in _INHERIT or verb.head.i == verb.i:
            return None
        verb = verb.head
    return None


def _utterance_owner(subject: Token) -> Token | None:
    """Whose words a subject such as "his verdict" or "Ruiz's answer" is: the possessor, when the
    subject is a noun of `utterance_nouns.txt`."""
    if subject.lower_ not in utterance_nouns():
        return None
    return next((c for c in subject.children if c.dep_ == "poss"), None)


_WHEN = frozenset({"DATE", "TIME"})


def find_speaker(cue: Token, inside: list[int]) -> Token | None:
    """`speaker_head`, unless it lies inside a quotation or in another paragraph
    (`paragraph_bounds`; a misparse, such as a headline taken for the subject): then the noun
    or pronoun right next to the cue ("..., Trump said" / "said Trump"), never a date."""
    head = speaker_head(cue)
    if head is not None and inside[head.i] < 0:
        text = doc_text(cue.doc)
        if paragraph_bounds(text, head.idx) == paragraph_bounds(text, cue.idx):
            return head
    doc = cue.doc
    for i in (cue.i - 1, cue.i + 1):
        if (0 <= i < len(doc) and inside[i] < 0 and doc[i].pos_ in ("PROPN", "PRON", "NOUN")
                and doc[i].ent_type_ not in _WHEN):  # "The Senate on Wednesday rejected"
            return _np_head(doc[i])
    return None


def _nearest_subject(verb: Token) -> Token | None:
    """The subject of the closest clause before a participle ("a claim Kyiv denied, calling it"):
    the parser often hangs the participle on the main verb instead."""
    doc = verb.doc
    for tok in reversed(doc[verb.sent.start : verb.i]):
        if tok.dep_ in _SUBJECTS and tok.head.i < verb.i:
            if tok.lower_ in _RELATIVE and tok.head.dep_ == "relcl":
                return tok.head.head
            return tok if tok.dep_ == "nsubj" else None
    return None


def mention_span(head: Token) -> Span:
    """The noun phrase naming the speaker: the head with its left modifiers and named entity."""
    doc = head.doc
    left = head.i
    for child in reversed(list(head.lefts)):
        if child.dep_ in _MODIFIERS or (child.dep_ == "punct" and child.text in "-–"):
            left = min(left, child.left_edge.i)
        else:
            break
    right = head.i
    if head.ent_type_:
        while right + 1 < len(doc) and doc[right + 1].ent_iob_ == "I":
            right += 1
        while left > 0 and doc[left].ent_iob_ == "I":
            left -= 1
    for child in head.rights:
        if child.dep_ in ("flat", "compound") and child.i == right + 1:
            right = child.i
    while left < right and doc[left].is_punct:
        left += 1
    while right > left and doc[right].is_punct:
        right -= 1  # markup such as "*The Post*" inside a name entity
    # a name never runs across paragraphs ("Critics Warn of Civilian Toll\nHuman Rights Watch
    # said"), though it may across a wrapped line ("Foreign Minister Gabrielius\nLandsbergis")
    text = doc_text(doc)
    home = paragraph_bounds(text, head.idx)
    while left < head.i and paragraph_bounds(text, doc[left].idx) != home:
        left += 1
    while right > head.i and paragraph_bounds(text, doc[right].idx) != home:
        right -= 1
    return doc[left : right + 1]


def _description(head: Token, inside: list[int]) -> str:
    """The mention plus its appositive, "of ORG" phrase and a short or anonymity relative clause."""
    doc = head.doc
    span = mention_span(head)
    end = span.end
    for child in head.rights:
        if child.i < end:
            continue
        if child.dep_ == "punct" and child.text in ",(":
            continue
        if child.dep_ == "prep" and child.lower_ in _DESCRIPTION_PREPS:
            end = child.right_edge.i + 1
            while end < len(doc) and doc[end].ent_iob_ == "I":
                end += 1  # "of the International Campaign to Ban Landmines" parsed short
        elif child.dep_ == "appos":
            cut = [c.left_edge.i for c in child.rights if c.dep_ in ("relcl", "acl")]
            end = min(cut) if cut else child.right_edge.i + 1
        elif child.dep_ in ("relcl", "acl"):
            clause = doc[child.left_edge.i : child.right_edge.i + 1].text.lower()
            short = child.dep_ == "relcl" and child.right_edge.i - child.left_edge.i < 6
            # "X, who directs advocacy at the Center for Civilians in Conflict": a who-clause
            # describes a person's role, which actor typing needs
            who = child.dep_ == "relcl" and child.left_edge.lower_ == "who"
            if short or who or says_unnamed(clause):
                end = child.right_edge.i + 1
            else:
                break
        else:
            break
    end = min(end, span.start + _MAX_CONTEXT_TOKENS)
    while end > span.end and (doc[end - 1].is_punct or inside[end - 1] >= 0):
        end -= 1
    text = doc[span.start : end].text
    return text.strip(" ,;:(—–-")


def _familiar_with(head: Token) -> bool:
    """"officials familiar with it", "people who are familiar with the talks": the news formula
    for a source who knows from the inside and is not named, whatever the object ("it", "the
    matter", "the programme"). Only for the heads of anonymous_heads.txt, so "critics familiar
    with the region" stays a group quoted as a group, and so do bare "diplomats"."""
    for child in head.rights:
        if child.dep_ == "relcl":  # "who are familiar with"
            child = next((c for c in child.children if c.dep_ == "acomp"), child)
        if child.lower_ == "familiar" and any(c.lower_ == "with" for c in child.children):
            return True
    return False


# A body's voice on the record: the body speaks (`SpeakerResolver._spoken_for`).
_SPOKESPEOPLE = frozenset({"spokesperson", "spokesman", "spokeswoman"})
# Offices named by a noun after "the" that stand for the person holding them ("the minister").
_OFFICE_NOUNS = frozenset({"minister", "secretary", "president", "chairman", "chairwoman",
                           "commander", "envoy", "chancellor", "premier"})


def _described_as_person(tok: Token) -> bool:
    """A name with a person's appositive beside it, whatever the tagger calls the name:
    "Amara Nwosu, a professor of law", "Mykola Danylenko, 63,"."""
    if tok.pos_ != "PROPN" or tok.ent_type_ in _PLACES:
        return False
    for c in tok.children:
        if c.dep_ != "appos":
            continue
        if c.like_num and c.text.isdigit() and 10 <= int(c.text) <= 110:
            return True  # an age
        if (c.tag_ == "NN" and c.ent_type_ in ("", "DATE")
                and c.lower_ not in BODY_NOUNS | _NOT_PEOPLE | weapon_nouns()):
            return True
    return False


def _subjectish(tok: Token) -> bool:
    """Whether the token is (part of) a clause subject: "Hegseth" in "Hegseth's memo outlines"."""
    if tok.dep_ == "ROOT" and tok.pos_ in ("PROPN", "NOUN"):
        return True  # "Olena Bondar, 34, sheltered with her children.": the sentence's topic
    for _ in range(3):
        if tok.dep_ in _SUBJECTS:
            return True
        if tok.dep_ not in ("compound", "poss", "appos", "conj") or tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def _whose_body(noun: Token) -> bool:
    """Whether a body noun says which body it is: "Russia's foreign ministry", "the Russian
    foreign ministry", "the Pentagon press office"; not "the ministry", "the foreign ministry",
    nor one the article leaves unnamed ("one Gulf government", "a Russian ministry")."""
    children = list(noun.children)
    return (noun.lower_ in BODY_NOUNS and not any(c.lower_ in _INDEFINITE for c in children)
            and any(c.dep_ == "poss" or (c.dep_ in ("amod", "compound", "nmod") and (
                c.ent_type_ in ("GPE", "NORP", "ORG") or c.pos_ == "PROPN")) for c in children))


def _acts(tok: Token) -> bool:
    """Whether what is named at `tok` does something in its sentence: its subject or part of it
    (`_subjectish`), the agent of a passive clause ("was criticised by Human Rights Watch") or
    the source of "according to"; not a name in passing ("launchers from Lockheed Martin",
    "HIMARS, built by Lockheed Martin")."""
    if _subjectish(tok):
        return True
    if tok.dep_ != "pobj":
        return False
    prep = tok.head
    if prep.dep_ == "agent":
        return prep.head.dep_ not in ("acl", "amod")
    return prep.lower_ == "to" and prep.head.lower_ == "according"


@dataclass(frozen=True)
class _Cand:
    """An antecedent candidate: where it is, and who it is once resolved."""

    pos: int
    speaker: "_Lazy"
    subject: bool
    kind: str  # "person" | "thing" | "group"


class SpeakerResolver:
    """Resolves cue verbs to speakers for one article, keeping one canonical name per person."""

    def __init__(self, doc: Doc, inside: list[int]) -> None:
        self.doc, self.inside = doc, inside
        self.names: dict[str, list[tuple[int, list[str]]]] = {}  # last name -> (pos, words)
        self.surnames: set[str] = set()  # names seen alone after a title
        self.gender: dict[str, str] = {}
        self.contexts: dict[str, str] = {}
        self.titled: dict[str, list[str]] = {}  # person -> their mentions with words before the name
        self.history: list[tuple[int, Speaker]] = []  # speakers resolved so far, by position
        self._cands: list[_Cand] | None = None
        for ent in doc.ents:
            if ent.label_ == "PERSON" and inside[ent.start] < 0:
                start = person_start(doc, ent.start, ent.end)
                written = written_words(doc[start:ent.end])
                words = strip_title(written)
                for key in name_keys(words) if words else ():
                    self.names.setdefault(key, []).append((start, words))
                titled = len(written) > len(words) or (
                    start > 0 and doc[start - 1].lower_.rstrip(".") in titles())
                if len(words) == 1 and titled:  # "Senator Graham": a surname, whoever else is Graham
                    self.surnames.add(words[0])
            elif ent.label_ == "ORG" and inside[ent.start] < 0:
                words = titled_name(ent)
                for key in name_keys(words) if words else ():
                    self.names.setdefault(key, []).append((ent.start, words))
        self._untagged_full_names()

    def _untagged_full_names(self) -> None:
        """Full names the tagger left untagged ("Hoa Nguyen sat ...") whose surname it tags
        elsewhere ("said Nguyen"), so that the surname alone gets the full name."""
        alone = {key for key, forms in self.names.items() if all(len(w) == 1 for _, w in forms)}
        if not alone:
            return
        for tok in self.doc:
            if (tok.lower_ in alone and tok.pos_ == "PROPN" and not tok.ent_type_
                    and self.inside[tok.i] < 0
                    and person_start(self.doc, tok.i, tok.i + 1) == tok.i - 1
                    and not in_rank(self.doc, tok.i - 1)):
                start = tok.i - 1
                while (start >= 2 and self.doc[start - 1].text == "-"  # "Jan-Philipp Weber"
                       and not self.doc[start - 2].whitespace_ and not self.doc[start - 1].whitespace_
                       and self.doc[start - 2].is_title):
                    start -= 2
                words = written_words(self.doc[start : tok.i + 1])
                self.names[tok.lower_].append((start, words))

    @property
    def cands(self) -> list[_Cand]:
        """Pronoun antecedent candidates, indexed on first use (many articles need none)."""
        if self._cands is None:
            self._cands = self._index_candidates()
        return self._cands

    def _index_candidates(self) -> list[_Cand]:
        """Every person, body and group mention outside quotes, as a pronoun antecedent."""
        doc = self.doc
        out: list[_Cand] = []
        pos = doc.to_array([POS]).tolist() if len(doc) else []
        nominal = {doc.vocab.strings["PROPN"], doc.vocab.strings["NOUN"]}
        adjective = doc.vocab.strings["ADJ"]
        offices = PERSONAL_TITLES | _OFFICE_NOUNS
        for i in (i for i, p in enumerate(pos) if p in nominal  # no Token for other words
                  or (p == adjective and doc[i].lower_ in offices)):  # "the general" as ADJ
            tok = doc[i]
            if self.inside[i] >= 0:
                continue
            if tok.dep_ in ("compound", "flat") and tok.head.i > tok.i and tok.head.ent_type_:
                continue  # only the last word of a multi-word name
            kind = self._kind(tok)
            if kind is None:
                continue
            out.append(_Cand(tok.i, _Lazy(self, tok), _subjectish(tok), kind))
        return out

    def _kind(self, tok: Token) -> str | None:
        low = tok.lower_
        # what the appositive right after a name says it is ("Storm Shadow, a British cruise
        # missile", even tagged a person); one further on may belong to a later noun ("Mayor X
        # of Winooski, a city", "Kurt Bauer, who works for Helsing, a company")
        beside = [c.lower_ for c in tok.children
                  if c.dep_ == "appos" and c.left_edge.i <= tok.i + 2]
        if any(w in weapon_nouns() for w in beside):
            return None
        if any(w in (_NOT_PEOPLE | BODY_NOUNS) - _PLACE_NOUNS for w in beside):
            return "thing"
        if tok.ent_type_ == "PERSON" or (
                tok.text[:1].isupper() and low in self.names
                and tok.dep_ not in ("compound", "amod", "nmod")
                and _stands_alone(tok)):
            return "person"  # a known surname, even tagged a common noun ("Fairbanks rejected"),
            # but not "Price caps" or "Banks in Europe" where a Price or a Banks is in the article
        if _described_as_person(tok):
            return "person"
        if tok.ent_type_ in ("ORG", "GPE", "NORP") or low in BODY_NOUNS or low in document_nouns():
            return "thing" if tok.tag_ not in ("NNS", "NNPS") else "group"
        if low in anonymous_heads() and tok.tag_ == "NN":
            return "person"  # "a senior official ... he added"
        if low in PERSONAL_TITLES | _OFFICE_NOUNS and tok.tag_ in ("NN", "JJ") and any(
                c.lower_ == "the" for c in tok.children):
            return "person"  # "the general conceded ... he said"
        if tok.tag_ == "NNS" and tok.dep_ in _SUBJECTS:
            return "group"
        return None

    # -- canonical names --------------------------------------------------------------------

    def canonical_person(self, name: str, pos: int) -> str:
        """The longest form of this person's name in the article, nearest earlier one first."""
        parts = name.split()

        def longer_form(w: list[str]) -> bool:  # "Caroline Mbeki-Walsh" for "Walsh" too
            tail = w[-len(parts):]
            return w != parts and len(w) >= len(parts) and tail[:-1] == parts[:-1] and (
                tail[-1] == parts[-1] or tail[-1].endswith("-" + parts[-1]))

        longer = [(p, w) for p, w in self.names.get(parts[-1].lower(), []) if longer_form(w)]
        if not longer and len(parts) == 1 and parts[0] not in self.surnames:
            # "said Phetsamone" after "Phetsamone Vongsa": a given name alone, when it is the
            # given name of exactly one person in the article ("Trump Jr." is not Trump's)
            known = {tuple(w) for forms in self.names.values() for _, w in forms
                     if len(w) > 1 and w[0] == parts[0] and w[-1].rstrip(".") not in GENERATIONS}
            if len(known) == 1:
                return " ".join(known.pop())
        if not longer:
            return name
        before = [c for c in longer if c[0] <= pos]
        pick = max(before, key=lambda c: (c[0], len(c[1]))) if before else longer[0]
        return " ".join(pick[1])

    def context(self, speaker: str) -> str:
        """The fullest description of the speaker seen in the article, after the other words
        the article puts before their name ("Senator Roy Kessling ... said Kessling, a former
        Marine officer" -> "Senator Roy Kessling | a former Marine officer")."""
        desc = self.contexts.get(speaker, "")
        titled = [t for t in self.titled.get(speaker, []) if t not in desc]
        return " | ".join([*titled, desc] if desc else titled)

    def _note(self, who: Speaker, desc: str) -> Speaker:
        if len(desc) > len(self.contexts.get(who.speaker, "")):
            self.contexts[who.speaker] = desc
        return who

    # -- resolution -------------------------------------------------------------------------

    def resolve(self, cue: Token) -> Speaker | None:
        """The speaker of a cue verb (see the module docstring for the rules)."""
        head = find_speaker(cue, self.inside)
        if head is None:
            return None
        who = self.resolve_head(head)
        self.history.append((head.i, who))
        return who

    def resolve_head(self, head: Token, depth: int = 0) -> Speaker:
        low = head.lower_
        if head.pos_ == "PRON" or low in _MALE | _FEMALE | _THING | _GROUP:
            return self._pronoun(head)
        span = mention_span(head)
        desc = _description(head, self.inside)
        plain = span.text[4:] if span[0].lower_ == "the" and len(span) > 1 else span.text
        gov = governments().get(plain.lower())  # before names: the tagger calls "Kyiv" a person
        if gov:
            return self._note(Speaker(gov, span.text, False, desc), desc)
        name_span = span
        if person_name(span) is None:
            for child in head.rights:
                if child.dep_ == "appos" and person_name(mention_span(child)):
                    name_span = mention_span(child)
        name = person_name(name_span)
        # a surname the tagger took for an organisation or a common noun ("Reyes said"), but not
        # a plural noun with words of its own ("Banks in Ohio said")
        if not name and head.text[:1].isupper() and low in self.names and _stands_alone(head):
            name = head.text
        if name:
            canonical = self.canonical_person(name, head.i)
            first = span[0].lower_.rstrip(".")
            if first in ("mr", "mrs", "ms"):
                self.gender.setdefault(canonical, "m" if first == "mr" else "f")
            self._person_contexts(canonical)
            return self._note(Speaker(canonical, span.text, False, desc), desc)
        if low in document_nouns() and depth < 2:
            author = self._author(head, depth)
            if author is not None:
                return Speaker(author.speaker, span.text, author.anonymous, author.context)
        if span[0].lower_ == "the" and low in anonymous_heads():
            # "the official, who spoke on condition of anonymity" is the one introduced before
            earlier = self._earlier_mention(head, depth)
            if earlier is not None:
                anonymous = earlier.anonymous or self._is_anonymous(span, head, desc)
                return Speaker(earlier.speaker, span.text, anonymous, earlier.context)
        # after the earlier mention: "the spokesman" is first the one introduced before
        if low in _SPOKESPEOPLE and depth < 2 and not says_unnamed(desc):
            body = self._spoken_for(head, depth)
            if body is not None:
                return Speaker(body.speaker, span.text, body.anonymous, body.context)
        if self._is_anonymous(span, head, desc):
            # "two defense officials familiar with it": "anonymous defense officials", as the
            # gold names them; a count is not part of who they are
            kept = [t for t in span if not (
                t.i == span.start and (t.lower_ in _INDEFINITE | _ARTICLES or t.like_num))]
            words = written_words(kept)
            first = kept[0] if kept else None
            if (first is not None and first.i == span.start and _opens_sentence(first)
                    and (first.lower_ in anonymous_heads()
                         or first.pos_ in ("ADJ", "NOUN") and not first.ent_type_)):
                # "People familiar with the plan said": the capital is the sentence's
                words[0] = words[0][:1].lower() + words[0][1:]
            return self._note(Speaker("anonymous " + " ".join(words), span.text, True, desc), desc)
        plain = _phrase_as_speaker(span)
        if span[0].lower_ == "the" and len(span) <= 3 and (
                head.pos_ == "NOUN" or low in PERSONAL_TITLES | _OFFICE_NOUNS):
            earlier = self._earlier_with(low, head.i)  # _earlier_mention was tried above
            if earlier is not None:
                return Speaker(earlier.speaker, span.text, earlier.anonymous, earlier.context)
        return self._note(Speaker(plain, span.text, False, desc), desc)

    def _person_contexts(self, canonical: str) -> None:
        """Record the description at every mention of this person (once per person)."""
        key = "\0" + canonical
        if key in self.contexts:
            return
        self.contexts[key] = ""
        last = canonical.split()[-1].lower()
        for pos, words in self.names.get(last, []):
            if self.canonical_person(" ".join(words), pos) == canonical:
                root = _np_head(self.doc[pos])
                if root.dep_ == "poss" or root.pos_ != "PROPN":
                    continue  # "Hegseth's memo" describes the memo, not Hegseth
                desc = _description(root, self.inside)
                if len(desc) > len(self.contexts.get(canonical, "")):
                    self.contexts[canonical] = desc
                span = mention_span(root)
                if len(span) > len(words) and span.text not in self.titled.get(canonical, []):
                    self.titled.setdefault(canonical, []).append(span.text)

    def _is_anonymous(self, span: Span, head: Token, desc: str) -> bool:
        if says_unnamed(desc):
            return True
        if head.lower_ not in anonymous_heads():
            return False
        if span[0].lower_ in _INDEFINITE or _familiar_with(head):
            return True
        if head.lower_ in _SPOKESPEOPLE:  # "Senator Ellen Park's spokesperson", unnamed
            owner = self._owner(head)
            return owner is not None and self._speaks_as_person(owner)
        return head.lower_ in ("sources", "source", "insiders") and len(span) <= 3

    def _author(self, head: Token, depth: int) -> Speaker | None:
        """Who wrote or issued a document: "X's memo", "a memo from X", "a memo signed by X", or an
        earlier such mention."""
        for tok in [head] + [t for t in self.doc[: head.i] if t.lower_ == head.lower_][::-1]:
            for child in tok.children:
                if child.dep_ == "poss" and child.pos_ in ("PROPN", "NOUN"):
                    return self.resolve_head(child, depth + 1)
                if child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
                    objs = [c for c in child.children if c.dep_ == "pobj" and c.pos_ in ("PROPN", "NOUN")]
                    if objs and objs[0].lower_ not in document_nouns():
                        return self.resolve_head(objs[0], depth + 1)
                if child.dep_ in ("acl", "relcl") and child.lower_ in _AUTHORING:
                    for agent in (g for g in child.children if g.dep_ == "agent"):
                        objs = [c for c in agent.children if c.dep_ == "pobj" and c.pos_ in ("PROPN", "NOUN")]
                        if (objs and objs[0].lower_ not in document_nouns()
                                and not {t.lower_ for t in objs[0].subtree} & _PUBLISHERS):
                            return self.resolve_head(_named_in(objs[0]), depth + 1)
        return None

    def _spoken_for(self, head: Token, depth: int) -> Speaker | None:
        """The body an unnamed spokesperson speaks for, or None when none is in sight.

        A spokesperson is the body's voice on the record, not a source shielded by the reporter:
        "a spokesperson for the alliance" after "NATO declined ..." is NATO, typed as NATO is,
        and so is "a Pentagon spokesperson"; "A government spokesperson" after "Berlin has
        insisted ..." is the Government of Germany; a bare "a spokesperson" after "The White
        House defended the change." is the White House. A person's spokesperson ("for the
        governor", "for Hillary Clinton") does not speak as that person.
        """
        for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ in ("for", "of")):
            for obj in (c for c in prep.children if c.dep_ == "pobj"):
                if (obj.ent_type_ == "PERSON" or obj.lower_ in PERSONAL_TITLES | _OFFICE_NOUNS
                        or (obj.pos_ == "PROPN" and obj.text[:1].isupper()
                            and self._speaks_as_person(obj))):
                    return None  # a person's spokesperson does not speak as that person
                if obj.pos_ == "PROPN" or obj.ent_type_ in ("ORG", "GPE") or _whose_body(obj):
                    return self.resolve_head(obj, depth + 1)  # "for the Russian foreign ministry"
                # "for the ministry": the one named before, else the one organisation in sight
                return (self._earlier_body(head, obj, depth)
                        or self._body_before(head, "ORG", depth, bare=False))
        owner = self._owner(head)
        if owner is not None:  # "NATO's spokesperson"; a person's one is anonymous
            return None if self._speaks_as_person(owner) else self.resolve_head(owner, depth + 1)
        if any(c.dep_ in ("amod", "nmod", "poss") for c in head.children):
            # "a Russian defence ministry spokeswoman", "China's foreign ministry spokesman":
            # the speaker must not become "defence ministry", whichever country's it is
            return None
        compounds = [c for c in head.children if c.dep_ == "compound"]
        for c in compounds:
            if c.pos_ == "PROPN" and c.text[:1].isupper() and c.ent_type_ != "PERSON":
                return self.resolve_head(c, depth + 1)  # "a Pentagon spokesperson"
        if [c.lower_ for c in compounds] == ["government"] and not list(compounds[0].children):
            return self._body_before(head, "GPE", depth)  # not "a Chinese government spokesman"
        return None if compounds else self._body_before(head, "ORG", depth)

    def _earlier_body(self, head: Token, noun: Token, depth: int) -> Speaker | None:
        """Which body "for the ministry" means: the nearest earlier one that noun names with
        whose it is ("Russia's foreign ministry called it a provocation. A spokeswoman for the
        ministry said"), outside quotes, in the head's sentence and the two reporter's sentences
        before."""
        if noun.lower_ not in BODY_NOUNS:
            return None
        start = _sentence_start(head, 2, self.inside)
        for tok in reversed(self.doc[start : head.i]):
            if (tok.lower_ == noun.lower_ and self.inside[tok.i] < 0 and _whose_body(tok)
                    and tok.dep_ not in ("compound", "amod")):
                return self.resolve_head(tok, depth + 1)
        return None

    @staticmethod
    def _owner(head: Token) -> Token | None:
        """Whose spokesperson, when the words say so with a possessive alone ("NATO's
        spokesperson", "Senator Ellen Park's spokesperson"); not "China's foreign ministry
        spokesman", whose owner is the ministry's."""
        if any(c.dep_ in ("compound", "amod", "nmod") for c in head.children):
            return None
        owner = next((c for c in head.children if c.dep_ == "poss"), None)
        if owner is None or not (owner.pos_ == "PROPN" or owner.ent_type_ in ("ORG", "GPE")):
            return None
        return owner

    def _body_before(self, head: Token, label: str, depth: int, bare: bool = True
                     ) -> Speaker | None:
        """The one organisation (label "ORG") or capital or country with a government ("GPE")
        named outside quotes in the head's paragraph, in its sentence or the two reporter's
        sentences before; None when there are two ("The State Department and the Pentagon
        issued statements. A spokesperson said"), or, for a `bare` "a spokesperson" (not "a
        spokesperson for the company"), when a person is named after it ("The White House
        defended it. Senator Park criticised it. A spokesperson said"): a reader could not tell
        whose spokesperson it is either. A bare "a spokesperson" is only that of a body that
        acts in its sentence (`_acts`), not of one named in passing ("Estonia ordered launchers
        from Lockheed Martin. A spokesperson said")."""
        start = _sentence_start(head, 2, self.inside)
        bodies: dict[str, Span] = {}
        person_after = False
        for ent in reversed(self.doc.ents):
            if ent.start >= head.i or self.inside[ent.root.i] >= 0:
                continue
            if ent.start < start or "\n" in self.doc.text[ent.end_char:head.idx]:
                break
            if ent.label_ == "PERSON" and not bodies:
                person_after = True
            plain = ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
            if (ent.label_ == label and (label != "GPE" or plain.lower() in governments())
                    and (not bare or _acts(ent.root))):
                bodies.setdefault(plain.lower(), ent)
        if len(bodies) != 1 or (bare and person_after):
            return None
        (ent,) = bodies.values()
        return self.resolve_head(ent.root, depth + 1)

    def _earlier_mention(self, head: Token, depth: int) -> Speaker | None:
        """Who "the official" is: the nearest earlier "a senior Pentagon official" (the same
        noun heading its own phrase, outside quotes) in the three reporter's sentences before."""
        if depth >= 2 or head.lower_ not in anonymous_heads():
            return None  # "the memo", "the group": those have their own rules
        start = _sentence_start(head, 3, self.inside)
        # "The Pentagon official" is only an earlier official who was from the Pentagon too
        own = {t.lower_ for t in head.children if t.dep_ in ("compound", "amod", "nmod")}
        for tok in reversed(self.doc[start:head.i]):
            if (tok.lower_ == head.lower_ and tok.pos_ == "NOUN" and self.inside[tok.i] < 0
                    and tok.dep_ not in ("compound", "amod")
                    and (tok.dep_ == "appos" or _subjectish(tok))  # not "charged any official"
                    and own <= {t.lower_ for t in tok.subtree}):
                return self.resolve_head(_beside_name(tok), depth + 1)
        return None

    def _earlier_with(self, word: str, pos: int) -> Speaker | None:
        """An earlier speaker whose description holds this noun ("the senator" -> Senator McCain)."""
        for at, who in reversed(self.history):
            if at < pos and word in self.context(who.speaker).lower().split():
                return who
        return None

    def _speaks_as_person(self, head: Token) -> bool:
        """Whether a resolved speaker's head can be a he/she: a person, a role noun ("a platoon
        leader"), or a name the tagger took for an organisation, alone ("Delgado") or with a
        title ("Representative Nolan Fairbanks"); never a body or a place ("the ministry",
        "The Pentagon", "NATO", "Human Rights Watch", "Kyiv", "Russia's delegation"), nor a
        name that a body word ends, whatever title it opens with ("General Dynamics")."""
        kind = self._kind(head)
        if kind == "person" or head.lower_ in _MALE | _FEMALE:
            return True
        if head.pos_ == "NOUN":
            return kind is None
        span = mention_span(head)
        return (head.pos_ == "PROPN" and head.ent_type_ not in ("GPE", "NORP")
                and not (head.ent_type_ == "ORG" and head.lower_ in body_words())
                and not head.is_upper and span[0].lower_ != "the"
                and (len(span) == 1 or any(t.lower_.rstrip(".") in titles() for t in span)))

    def _pronoun(self, pron: Token) -> Speaker:
        """Resolve he/she/it/they to the nearest earlier fitting mention, subjects first.

        A person is looked for in the pronoun's sentence and the two before it; when nothing
        there fits, in the two reporter's sentences before it in its paragraph, however many
        quoted sentences stand between ('"...," said X. "One. Two." He added').
        """
        low = pron.lower_
        kind = "person" if low in _MALE | _FEMALE else "thing" if low in _THING else "group"
        gender = "m" if low in _MALE else "f" if low in _FEMALE else None
        sents = 2 if kind == "person" else 1
        near = _sentence_start(pron, sents)
        windows = [near]
        if kind == "person":
            # only within the pronoun's paragraph: across one, a name the gender of which is
            # unknown ("Obama" for a "she") is too often the wrong person
            first_char = paragraph_bounds(doc_text(self.doc), pron.idx)[0]
            wide = max(_sentence_start(pron, sents, self.inside), _token_at(self.doc, first_char))
            if wide < near:
                windows.append(wide)
        reported = _reported_by(pron, self.inside)
        for window_start in windows:
            # beyond the near window only a subject or an earlier speaker will do
            who = self._antecedent(pron, window_start, kind, gender, reported,
                                   subjects_only=window_start < near)
            if who is not None:
                return Speaker(who.speaker, pron.text, who.anonymous, who.context)
        return Speaker(pron.text, pron.text, False, "")

    def _antecedent(self, pron: Token, window_start: int, kind: str, gender: str | None,
                    reported: set[int], subjects_only: bool = False) -> Speaker | None:
        """The nearest fitting mention from `window_start` up to the pronoun, subjects first,
        never one of `reported`, what the pronoun's own verb reports ("The minister will
        decide, she said")."""
        pool = [c for c in self.cands if window_start <= c.pos < pron.i and c.kind == kind
                and c.pos not in reported]
        if kind == "thing":
            pool += [c for c in self.cands if window_start <= c.pos < pron.i and c.kind == "group" and self.doc[c.pos].ent_type_ == "ORG"]
            pool.sort(key=lambda c: c.pos)
        for want_subject in (True,) if subjects_only else (True, False):
            for cand in reversed(pool):
                if want_subject and not cand.subject:
                    continue
                who = cand.speaker.get()
                if who is None or (gender and self.gender.get(who.speaker, gender) != gender):
                    continue
                if who.speaker.islower() and self.doc[cand.pos].lower_ in _OFFICE_NOUNS | PERSONAL_TITLES:
                    continue  # "the general" whom nothing before names: look further back
                if gender:
                    self.gender.setdefault(who.speaker, gender)
                return who
        if kind == "person":
            # No mention the tagger knows as a person ("his call sign, Bereza, said ... he
            # told"): the last speaker in the window, as a reader would take it.
            for at, who in reversed(self.history):
                if (window_start <= at < pron.i and who.speaker.lower() not in _MALE | _FEMALE
                        and (not gender or self.gender.get(who.speaker, gender) == gender)
                        and self._speaks_as_person(self.doc[at])):
                    return who
        return None


def _reported_by(pron: Token, inside: list[int]) -> set[int]:
    """Subjects of the clause a pronoun's verb reports without quotation marks ("the minister"
    in "The minister will decide, she said"); empty when the pronoun is no subject of such a verb.

    A clause that holds a quotation is left alone: the parser hangs the reporter's own words
    on it ("Sen. McCaskill scolded him: '...,' she said" puts McCaskill under "said").
    """
    if pron.dep_ not in _SUBJECTS:
        return set()
    out: set[int] = set()
    for c in pron.head.children:
        if c.dep_ in ("ccomp", "parataxis") and all(inside[t.i] < 0 for t in c.subtree):
            clause = [t for t in c.subtree if t.i < pron.i]
            # the parser also hangs the reporter's own clause here ("Kristen Michal visited
            # ...; the bunkers would be ready, he said"): what is reported starts after the
            # last semicolon, colon or "and"/"but" joining two clauses
            breaks = [t.i for t in clause if t.text in (";", ":") or (
                t.dep_ == "cc" and t.lower_ in ("and", "but") and any(  # "X arrived, and Y will"
                    x.i > t.i and x.dep_ in ("conj", "advcl") and x.pos_ in ("VERB", "AUX")
                    and any(y.dep_ in _SUBJECTS for y in x.children)
                    for x in t.head.children))]
            start = max(breaks, default=-1)
            out.update(t.i for t in clause if t.i > start and t.dep_ in _SUBJECTS)
    return out


def _token_at(doc: Doc, char: int) -> int:
    """Index of the first token starting at or after character offset `char`."""
    span = doc.char_span(char, len(doc_text(doc)), alignment_mode="expand")
    return span.start if span is not None else len(doc)


# "a memo signed by X", "a report prepared by X": X wrote it. Not "reviewed by", "seen by" or
# "commissioned by" (who ordered a study did not write it).
_AUTHORING = frozenset({"signed", "written", "issued", "drafted", "prepared", "published",
                        "released", "organised", "organized", "sent", "authored", "compiled",
                        "produced"})
# ... but a paper that published a letter did not write it
_PUBLISHERS = frozenset({"times", "post", "journal", "news", "newspaper", "magazine", "gazette",
                         "herald", "tribune", "telegraph", "guardian", "reuters", "press",
                         "bloomberg", "politico", "economist", "wire"})
_QUANTIFIERS = frozenset({"some", "many", "several", "few", "other", "others", "most", "all",
                          "both", "each", "every", "another", "more", "no"})


def _phrase_as_speaker(span: Span) -> str:
    """A speaker that is a phrase, not a name, as one spelling wherever it stands: without its
    article ("The defence ministry", "a government") and without the capital only a sentence
    start gave it ("Diplomats said" and "said diplomats" are one group). Names keep theirs."""
    first = span[0]
    if len(span) > 1 and first.lower_ in _ARTICLES:
        return span.doc[span.start + 1 : span.end].text.strip()
    text = span.text
    after = span.doc[first.i + 1] if first.i + 1 < len(span.doc) else None
    # a determiner, number or possessive ("Some experts", "His Estonian counterpart", "Twelve
    # percent") or a plural noun of sources ("Diplomats"); a number or noun never before another
    # capital ("Five Eyes partners", "Doctors Without Borders"); an adjective may be a name's
    # ("Western", "Nordic")
    determiner = first.pos_ in ("DET", "PRON") or first.lower_ in _QUANTIFIERS
    common = determiner or first.pos_ == "NUM" or first.lower_ in group_nouns()
    if (common and _opens_sentence(first) and first.is_title
            and (determiner or not (after is not None and after.is_title and not after.is_sent_start))
            and first.ent_type_ not in _PLACES | {"PERSON"}  # "Polish officials"
            and not any(t.text == first.text and not _opens_sentence(t) for t in span.doc)):
        return text[:1].lower() + text[1:]  # never a word the article capitalises elsewhere
    return text


def _opens_sentence(tok: Token) -> bool:
    """First word of a sentence or of a line (the parser may run a heading into the next line)."""
    if tok.is_sent_start or tok.i == 0:
        return True
    before = tok.doc[tok.i - 1]
    return before.is_space and "\n" in before.text or before.text_with_ws.endswith("\n")


def _named_in(tok: Token) -> Token:
    """Who an author phrase names: "the consultancy Halvorsen Strategic Group" -> the name,
    "a group of researchers" -> the researchers; else the phrase's own head."""
    for c in tok.children:
        if c.dep_ == "appos" and c.pos_ == "PROPN":
            return c
    if tok.lower_ in ("group", "team", "panel", "number"):
        for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"):
            for obj in (c for c in prep.children if c.dep_ == "pobj" and c.tag_ == "NNS"):
                return obj
    return tok


def _stands_alone(tok: Token) -> bool:
    """A proper noun, or a word with no words of its own but punctuation, an appositive or a
    possessive ending: "Reyes said", "Fairbanks rejected", "Banks's remarks", not "Banks in
    Ohio said" or "Price caps"."""
    return tok.pos_ == "PROPN" or all(c.dep_ in ("punct", "appos", "case") for c in tok.children)


def _beside_name(tok: Token) -> Token:
    """The name a role noun stands beside ("Lina Saar, an adviser at ...": the adviser is Saar),
    else the noun itself."""
    if tok.dep_ == "appos" and tok.head.pos_ == "PROPN" and tok.head.ent_type_ not in _PLACES:
        return tok.head
    return tok


def _np_head(tok: Token) -> Token:
    """The head of the noun phrase a name token is part of ("John" -> "McCain")."""
    for _ in range(3):
        if tok.dep_ in ("compound", "flat") and tok.head.i > tok.i:
            tok = tok.head
        else:
            break
    return tok


# However many quoted sentences stand between a pronoun and its antecedent, a reader looks back
# no further than this many sentences in all.
_MAX_WINDOW_SENTENCES = 8


def _sentence_start(tok: Token, back: int, inside: list[int] | None = None) -> int:
    """Token index where the sentence `back` sentences before the token's own begins.

    With `inside` (quote index per token, -1 outside), sentences wholly inside quotation marks
    are not counted: in '"...," said X. "One. Two." He added' the sentence naming X is the one
    before.
    """
    start = tok.sent.start
    doc = tok.doc
    counted = seen = 0
    while counted < back and start > 0 and seen < _MAX_WINDOW_SENTENCES:
        sent = doc[start - 1].sent
        start, seen = sent.start, seen + 1
        if inside is None or any(inside[t.i] < 0 and not (t.is_punct or t.is_space) for t in sent):
            counted += 1
    return start


class _Lazy:
    """A candidate's speaker, resolved only when a pronoun needs it."""

    def __init__(self, resolver: SpeakerResolver, tok: Token) -> None:
        self.resolver, self.tok, self.value = resolver, tok, None
        self.done = False

    def get(self) -> Speaker | None:
        if not self.done:
            self.done = True
            self.value = self.resolver.resolve_head(_beside_name(_np_head(self.tok)), depth=1)
        return self.value
