"""Actor typing: titles, organisations, capitals, the earliest-role rule and the gazetteer."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.actors import (
    SpeakerMention,
    actor_type,
    actor_type_of,
    load_gazetteer,
    named_actor_type,
    speaker_types,
    types_across_articles,
)
from analysis.errors import StanceError
from analysis.records import Attribution


@pytest.mark.parametrize(
    "speaker, mention, context, expected",
    [
        ("Ana Ruiz", "she", "Defence Secretary Ana Ruiz", "military"),
        ("Tom Hale", "Col. Tom Hale", "", "military"),
        ("anonymous senior Pentagon official", "a senior Pentagon official", "", "military"),
        ("Maya Chen", "Maya Chen", "Maya Chen, a White House spokesperson", "executive"),
        ("Biden administration", "the administration", "", "executive"),
        ("Dana Whitfield", "Sen. Whitfield", "", "congressional"),
        # the first role word wins over later ones in the same description
        ("Lee Park", "Lee Park", "Representative Lee Park, who served in the Army", "congressional"),
        ("some lawmakers", "some lawmakers", "", "congressional"),
        ("Ola Berg", "Ola Berg", "Ola Berg of Human Rights Watch", "humanitarian"),
        ("ICRC", "the ICRC", "", "humanitarian"),
        ("Government of Ukraine", "Kyiv", "", "international"),
        ("Moscow", "Moscow", "", "international"),
        ("NATO", "the alliance", "NATO", "international"),
        ("Ivo Marx", "Ivo Marx", "Ivo Marx, an analyst at the Stimson Center", "expert"),
        ("Rosa Lind", "Rosa Lind", "Rosa Lind, professor of international law", "expert"),
        ("critics", "critics", "", "other"),
        ("Pat Doe", "Pat Doe", "Pat Doe, a farmer near the border", "other"),
        # a body's name (tier 1) beats a generic word (tier 2) that comes earlier
        ("ICRC", "the ICRC", "the International Committee of the Red Cross", "humanitarian"),
        ("Finnish Red Cross", "the Finnish Red Cross", "", "humanitarian"),
        ("Bereza", "a Ukrainian brigade commander", "", "military"),
        ("Estonian ministry", "Estonia's defence ministry", "", "international"),
        ("Lena Ruud", "Dr. Lena Ruud", "", "expert"),
        ("Ben Ode", "Ben Ode", "Ben Ode, a veteran of two tours", "other"),
        # "Dr." counts only when nothing else does: not an expert in DESIGN.md's sense when
        # the description names a body or a medical job, an expert when it is all there is
        ("Ada Obi", "Dr. Ada Obi", "Dr. Ada Obi of Human Rights Watch", "humanitarian"),
        ("Sami Haddad", "Dr. Sami Haddad", "Dr. Sami Haddad, a surgeon in Sanaa", "other"),
        ("PHR", "Physicians for Human Rights", "", "humanitarian"),
        # a title in the mention beats a body the description only mentions
        ("Ann Lee", "Gen. Ann Lee", "Gen. Ann Lee, testifying before the Armed Services Committee",
         "military"),
        # a body someone works for beats their profession
        ("Ana Sol", "Ana Sol", "Ana Sol, a physician with Doctors Without Borders", "humanitarian"),
        ("Ana Sol", "Ana Sol", "Ana Sol, a physician and senator from Kansas", "congressional"),
        ("Al Pet", "Dr. Al Pet", "Dr. Al Pet, a military historian at a university", "expert"),
        # a role held before is not the voice they speak with now
        ("Hal Orr", "Hal Orr", "Hal Orr, 70, who served as an Army engineer in Vietnam", "other"),
        ("Jo Ames", "Jo Ames", "Jo Ames, who has served in the Senate since 2009", "congressional"),
        ("Jo Ames", "Jo Ames", "Jo Ames, a former Marine officer turned congresswoman",
         "congressional"),
        ("Jo Ames", "Jo Ames", "Jo Ames, who speaks for the Former Yugoslav Republic of "
         "Macedonia's foreign ministry", "international"),
        ("Jo Ames", "Jo Ames", "Jo Ames, an ex-senator", "other"),
        ("Tim Ash", "Tim Ash", "Tim Ash, a retired Army engineer who served in Iraq", "other"),
        ("Tim Ash", "Retired Colonel Tim Ash", "", "other"),
        ("Eva Lund", "Eva Lund", "Eva Lund, a retired colonel who now teaches law at a university",
         "expert"),
        ("Jo Kay", "Jo Kay", "Jo Kay, a former senator, now at the Brookings Institution", "expert"),
        # "General Assembly" is longer than "general" at the same place
        ("UN General Assembly", "the General Assembly", "", "international"),
        # a ministry and a minister are a foreign government's (the US has departments and
        # secretaries), their defence ones too; a foreign defence official is a foreign
        # government's official, an unnamed defence official with no nationality the Pentagon's
        ("Defence Ministry", "The Defence Ministry spokesman", "Defence Ministry", "international"),
        ("anonymous defence ministry spokesman", "a defence ministry spokesman", "",
         "international"),
        ("Lotte Verhaegen", "Defence Minister Lotte Verhaegen", "", "international"),
        ("anonymous senior Polish defence official", "A senior Polish defence official", "",
         "international"),
        ("anonymous senior defense official", "A senior defense official", "", "military"),
        ("anonymous senior US defence official", "A senior US defence official", "", "military"),
        ("Defense Department", "The Defense Department spokesman", "", "military"),
        # a company's name is no rank
        ("General Dynamics", "a spokesman", "General Dynamics", "other"),
    ],
)
def test_builtin_rules(speaker, mention, context, expected):
    assert actor_type_of(speaker, mention, context) == expected


def write_gazetteer(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "gazetteer.csv"
    path.write_text("pattern,actor_type,note\n# a comment line\n" + body, encoding="utf-8")
    return path


def test_gazetteer_wins_over_rules(tmp_path):
    gaz = load_gazetteer(write_gazetteer(tmp_path, "Kim Veld,humanitarian,\nre:^Ops\\b,other,\n"))
    att = Attribution(((0, 5),), "direct", speaker="Kim Veld", speaker_context="General Kim Veld")
    assert actor_type(att) == "military"
    assert actor_type(att, gaz) == "humanitarian"
    assert actor_type_of("Ops Center", "Ops Center", "", gaz) == "other"
    # a person's rule sees the words the built-in rules leave out
    gaz = load_gazetteer(write_gazetteer(tmp_path, "re:retired general,expert,\n"))
    assert actor_type_of("Al Roe", "Al Roe", "Al Roe, a retired general", gaz) == "expert"
    assert actor_type_of("Al Roe", "Al Roe", "Al Roe, a retired general") == "other"


def test_gazetteer_rejects_unknown_types_with_the_line(tmp_path):
    # the file's own line number, comments counted: the header is line 1, the comment line 2
    with pytest.raises(StanceError, match="line 3: actor type 'soldier'"):
        load_gazetteer(write_gazetteer(tmp_path, "Bob,soldier,\n"))
    with pytest.raises(StanceError, match="line 4: bad regular expression"):
        load_gazetteer(write_gazetteer(tmp_path, "Bob,other,\nre:(,other,\n"))


def test_missing_gazetteer_is_empty(tmp_path):
    gaz = load_gazetteer(tmp_path / "none.csv")
    assert actor_type_of("x", "y", "", gaz) == "other"


def test_shipped_gazetteer_loads():
    assert actor_type_of("Geneva Call", "Geneva Call", "", load_gazetteer()) == "humanitarian"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Gen. Ivo Tal", "military"),  # abbreviation with its dot
        ("the U.N. envoy", "international"),
        ("Norwegian People’s Aid", "humanitarian"),  # curly apostrophe inside a name
        ("a general election", "military"),  # all-lowercase phrases match any case...
        ("a house in Ohio", "other"),  # ...but "House" (a capital) matches only its case
    ],
)
def test_phrase_matching_on_word_boundaries(text, expected):
    assert actor_type_of(None, None, text) == expected


def test_named_actor_type_says_when_the_words_name_no_role() -> None:
    assert named_actor_type("Jo Reyes", "Reyes", "Reyes, a spokesperson") is None
    assert named_actor_type("Jo Reyes", "Jo Reyes", "State Department spokesperson Jo Reyes") == "executive"
    # a role held before, and none now, is evidence of "other"
    assert named_actor_type("Tim Ash", "Tim Ash", "Tim Ash, a retired Army engineer") == "other"
    assert actor_type_of("Jo Reyes", "Reyes", "Reyes, a spokesperson") == "other"


def mention(speaker: str, article: str, named: str | None, anonymous: bool = False) -> SpeakerMention:
    return SpeakerMention(speaker, article, anonymous, named)


def test_a_speaker_without_a_role_in_one_article_takes_the_role_their_other_articles_give() -> None:
    mentions = [
        mention("Jo Reyes", "a1", None),
        mention("Jo Reyes", "a2", "executive"),
        mention("Jo Reyes", "a2", "executive"),
        mention("Kim Lee", "a1", None),  # no article names a role: stays "other"
        mention("Tim Ash", "a1", "other"),  # "a retired engineer": his own article's word wins
        mention("Tim Ash", "a2", "military"),
    ]
    assert types_across_articles(mentions) == ["executive", "executive", "executive", "other", "other",
                                               "military"]


@pytest.mark.parametrize("speaker, anonymous", [
    ("Reyes", False),  # a surname alone may be someone else elsewhere
    ("the ministry", False),
    ("anonymous senior official", True),
])
def test_only_full_names_take_types_from_other_articles(speaker: str, anonymous: bool) -> None:
    mentions = [mention(speaker, "a1", None, anonymous), mention(speaker, "a2", "executive", anonymous)]
    assert types_across_articles(mentions)[0] == "other"


def test_a_speakers_type_is_the_one_most_of_their_articles_give() -> None:
    # articles count, not quotes: one article quoting her five times is one article
    many_quotes = [mention("Ada Voss", "a1", "military")] * 5
    assert speaker_types(many_quotes + [mention("Ada Voss", "a2", "expert"),
                                        mention("Ada Voss", "a3", "expert")]) == {"Ada Voss": "expert"}
    # equal articles: more quotes win, then the order of ACTOR_TYPES
    assert speaker_types([mention("Ada Voss", "a1", "expert"), mention("Ada Voss", "a1", "expert"),
                          mention("Ada Voss", "a2", "military")]) == {"Ada Voss": "expert"}
    assert speaker_types([mention("Ada Voss", "a1", "expert"),
                          mention("Ada Voss", "a2", "military")]) == {"Ada Voss": "military"}


@pytest.mark.parametrize("context, expected", [
    # one mention's past role does not swallow the next mention's current one
    ("Former Army colonel Ann Marr | Human Rights Watch researcher Ann Marr", "humanitarian"),
    ("Retired general Tom Ash | Pentagon spokesman Tom Ash", "military"),
])
def test_a_past_role_stops_at_the_next_mention(context: str, expected: str) -> None:
    assert actor_type_of("Ann Marr", "Marr", context) == expected


@pytest.mark.parametrize("context", [
    "Jonah Reyes, who replaced former spokesperson Ned Price in May",
    "Reyes, whose son served in Iraq",
    "Reyes, speaking at a former Soviet air base",
    "Reyes, who met retired officers in Kyiv",
])
def test_a_past_role_of_someone_or_something_else_is_no_evidence(context: str) -> None:
    assert named_actor_type("Jonah Reyes", "Reyes", context) is None
