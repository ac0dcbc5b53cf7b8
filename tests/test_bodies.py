"""Names of bodies the entity tagger misses (analysis/bodies.py, the "body_names" component).

All example sentences are written for these tests.
"""

from __future__ import annotations

import pytest

from analysis.nlp import load_nlp


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def organisations(nlp, text: str) -> list[str]:
    return [e.text for e in nlp(text).ents if e.label_ == "ORG"]


@pytest.mark.parametrize("text, name", [
    # left untagged, or called a work of art, by the small English tagger
    ("Human Rights Watch criticised the decision on Monday.", "Human Rights Watch"),
    ("Outside the hearing, Human Rights Watch called it a step back.", "Human Rights Watch"),
])
def test_a_proper_name_headed_by_a_body_word_is_an_organisation(nlp, text: str, name: str) -> None:
    assert any(name in found for found in organisations(nlp, text))


@pytest.mark.parametrize("text, person", [
    ("Colonel John House inspected the site on Monday.", "House"),
    ("“The mines are gone,” said Mary Ann Guard, a farmer.", "Guard"),
])
def test_people_stay_people(nlp, text: str, person: str) -> None:
    assert not any(person in name for name in organisations(nlp, text))


@pytest.mark.parametrize("text, name", [
    # "Lockheed" an organisation, "Martin" a person or a product
    ("Lockheed Martin said demand was rising.", "Lockheed Martin"),
    ("Lockheed Martin CEO Jim Taiclet said demand was rising.", "Lockheed Martin"),
    # the same name elsewhere in the article, tagged a person or two organisations
    ("Lockheed Martin makes the launchers. Lockheed Martin's spokesperson said the line would "
     "expand.", "Lockheed Martin"),
])
def test_a_name_the_tagger_cut_is_one_organisation(nlp, text: str, name: str) -> None:
    found = organisations(nlp, text)
    assert name in found and "Lockheed" not in found


@pytest.mark.parametrize("text, person", [
    ("NATO Secretary General Mark Rutte said the alliance would decide later.", "Mark Rutte"),
    ("Pentagon spokesman John Kirby said the review would take a month.", "John Kirby"),
])
def test_a_person_after_an_organisation_stays_a_person(nlp, text: str, person: str) -> None:
    assert person in [e.text for e in nlp(text).ents if e.label_ == "PERSON"]


@pytest.mark.parametrize("text", [
    "Estonia received six HIMARS on Monday. HIMARS has changed the war.",  # counted
    "HIMARS, a truck-mounted rocket launcher, has changed the war.",  # a weapon beside it
    "Ukraine uses the High Mobility Artillery Rocket System (HIMARS) every day. HIMARS has "
    "changed the war, officials say.",  # spelled out as one
])
def test_a_weapon_system_is_no_organisation(nlp, text: str) -> None:
    assert "HIMARS" not in organisations(nlp, text)
    assert "HIMARS" in [e.text for e in nlp(text).ents if e.label_ == "PRODUCT"]


def test_a_body_that_owns_weapons_stays_a_body(nlp) -> None:
    text = "NATO aircraft patrolled the border on Monday. NATO said six more jets would arrive."
    assert organisations(nlp, text) == ["NATO", "NATO"]


@pytest.mark.parametrize("text, person", [
    # a numbered list's heading: the number stands on its own line
    ("Voices of the year\n\n3\nMaria Ortega Explains Her Vote\n\nMaria Ortega said the ban was "
     "overdue.", "Maria Ortega"),
])
def test_a_numbered_heading_is_no_count_of_weapons(nlp, text: str, person: str) -> None:
    assert person in [e.text for e in nlp(text).ents if e.label_ == "PERSON"]


def test_one_organisation_is_no_count_of_weapons(nlp) -> None:
    text = "Conservative groups paid for the ads, including one PAC called Stop Them Now."
    assert "PAC" in organisations(nlp, text)
