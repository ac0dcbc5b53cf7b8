"""Reading a person's name from a mention's tokens (analysis/names.py).

All example sentences are written for these tests.
"""

from __future__ import annotations

import pytest

from analysis.names import (
    in_rank, name_keys, person_name, person_start, strip_title, titled_name, written_words,
)
from analysis.nlp import load_nlp


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.mark.parametrize(
    "words, expected",
    [
        (["Sen.", "Ruth", "Calder"], ["Ruth", "Calder"]),
        (["Defense", "Secretary", "Ruth", "Calder"], ["Ruth", "Calder"]),
        (["Calder’s"], ["Calder"]),
        (["Calder", "'s"], ["Calder"]),
        (["Sergeant", "First", "Class", "Marcus", "Delaney"], ["Marcus", "Delaney"]),
        # "First Class" is a rank only after a rank word
        (["First", "Class", "Delaney"], ["First", "Class", "Delaney"]),
    ],
)
def test_strip_title(words: list[str], expected: list[str]) -> None:
    assert strip_title(words) == expected


def test_person_name_ignores_bodies_named_after_people(nlp) -> None:
    doc = nlp("The Calder administration said no.")
    assert person_name(doc[0:3]) is None


def test_written_words_joins_a_hyphenated_name_and_drops_a_hanging_hyphen(nlp) -> None:
    doc = nlp("Ayo Mbeki-Walsh spoke. The Madrid-born Ana Lopez spoke.")
    hyphenated = next(t for t in doc if t.text == "Walsh")
    assert written_words(doc[hyphenated.i - 3 : hyphenated.i + 1]) == ["Ayo", "Mbeki-Walsh"]
    born = next(t for t in doc if t.text == "born")
    assert written_words(doc[born.i - 1 : born.i + 3]) == ["born", "Ana", "Lopez"]


def test_name_keys_are_the_surname_and_its_last_part() -> None:
    assert name_keys(["Ayo", "Mbeki-Walsh"]) == {"mbeki-walsh", "walsh"}
    assert name_keys(["Ruth", "Calder"]) == {"calder"}


def _tagged(nlp, words: list[str], pos: list[str], person: tuple[int, int]):
    """A Doc with the parts of speech and the one PERSON entity given, whatever the tagger says."""
    from spacy.tokens import Doc

    ents = ["O"] * len(words)
    ents[person[0]] = "B-PERSON"
    for i in range(person[0] + 1, person[1]):
        ents[i] = "I-PERSON"
    return Doc(nlp.vocab, words=words, pos=pos, ents=ents)


def test_person_start_takes_a_given_name_the_tagger_left_out(nlp) -> None:
    doc = _tagged(nlp, ["Yesterday", "Sokha", "Chheng", "spoke", "."],
                  ["NOUN", "PROPN", "PROPN", "VERB", "PUNCT"], person=(2, 3))
    assert person_start(doc, 2, 3) == 1
    assert person_start(doc, 1, 3) == 1  # a name of two tagged words is left as it is


def test_person_start_never_takes_a_title_or_a_place_as_a_given_name(nlp) -> None:
    for before in ("Senator", "Kyiv"):
        doc = _tagged(nlp, [before, "Chheng", "spoke", "."], ["PROPN", "PROPN", "VERB", "PUNCT"],
                      person=(1, 2))
        assert person_start(doc, 1, 2) == 1, before


def test_titled_name_reads_a_person_the_tagger_called_an_organisation(nlp) -> None:
    doc = nlp("Representative Nolan Fairbanks and General Dynamics Land Systems")
    assert titled_name(doc[0:3]) == ["Nolan", "Fairbanks"]
    assert titled_name(doc[4:8]) is None  # a company, though it opens with "General"
    assert titled_name(doc[1:3]) is None  # no title, no reason to overrule the tagger


def test_in_rank(nlp) -> None:
    doc = nlp("Sergeant First Class Ruiz and First Lady Grace")
    assert in_rank(doc, 1) and in_rank(doc, 2)
    assert not in_rank(doc, 5) and not in_rank(doc, 3)
