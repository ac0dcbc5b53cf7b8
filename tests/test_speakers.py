"""Speaker attribution and canonicalisation (analysis/speakers.py, through find_attributions).

All example sentences are written for these tests.
"""

from __future__ import annotations

import pytest

from analysis.actors import actor_type, actor_type_of
from analysis.nlp import load_nlp
from analysis.quotes import find_attributions


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def speakers(nlp, text: str) -> list[tuple[str | None, str | None]]:
    """(speaker, speaker_mention) of each attribution, in text order."""
    return [(a.speaker, a.speaker_mention) for a in find_attributions(nlp(text))]


@pytest.mark.parametrize(
    "text, expected",
    [
        # subject of the cue, and inverted order
        (
            "“We will rebuild the pier,” Governor Maria Santos said.",
            [("Maria Santos", "Governor Maria Santos")],
        ),
        (
            "“We will rebuild the pier,” said Governor Maria Santos.",
            [("Maria Santos", "Governor Maria Santos")],
        ),
        # colon and dash introductions
        (
            "Maria Santos put it bluntly: “The pier is finished.”",
            [("Maria Santos", "Maria Santos")],
        ),
        (
            "Maria Santos said — “the pier is finished.”",
            [("Maria Santos", "Maria Santos")],
        ),
        # hyphenated names are printed as written, not as the tokenizer splits them
        (
            "“The pier is finished,” said Ana Ruiz-Tagle, a harbour engineer.",
            [("Ana Ruiz-Tagle", "Ana Ruiz-Tagle")],
        ),
        (
            "Senator John Lloyd-Jones toured the port on Friday. “It is a disgrace,” Lloyd-Jones said.",
            [("John Lloyd-Jones", "Lloyd-Jones")],
        ),
        (  # a surname the tagger read as a common noun still names the person
            "A Treasury spokesperson, Marta Reyes, said the rules were clear. “These rules protect "
            "nobody,” Reyes said.",
            [("Marta Reyes", "A Treasury spokesperson"), ("Marta Reyes", "Reyes")],
        ),
        (  # the second part alone still names her
            "Caroline Mbeki-Walsh studies arms sales. “Congress rarely blocks a sale,” Walsh said.",
            [("Caroline Mbeki-Walsh", "Walsh")],
        ),
        (  # the tagger saw only the surname; the given name before it is still his
            "BANGKOK — Phetsamone Kham leads a clearance team. “We find them every day,” Kham said.",
            [("Phetsamone Kham", "Kham")],
        ),
        (  # a given name alone names the one person in the article who has it ...
            "BANGKOK — Phetsamone Kham leads a clearance team. “We find them every day,” said "
            "Phetsamone.",
            [("Phetsamone Kham", "Phetsamone")],
        ),
        (  # ... but not a name someone else carries as a surname
            "Senator Graham met Graham Platner on Monday. “It is a disgrace,” Graham said.",
            [("Graham", "Graham")],
        ),
        (  # ... and nobody when two people share it
            "Maria Lopez and Maria Santos run the clinic. “We are full,” said Maria.",
            [("Maria", "Maria")],
        ),
        (  # ... nor is a title in the plural
            "“No,” said Senators Chheng and Lopez.",
            [("Chheng", "Senators Chheng")],
        ),
        (  # ... nor a party and a title before a name
            "“Don't send teenagers,” said Green MP Marieke Jansen.",
            [("Marieke Jansen", "Green MP Marieke Jansen")],
        ),
        (  # a hyphenated word before the name is not part of it
            "“No,” said Madrid-born Ana Lopez.",
            [("Ana Lopez", "Madrid-born Ana Lopez")],
        ),
        # one canonical name per person: the surname alone maps to the full name
        (
            "Governor Maria Santos visited the port. “It is a disgrace,” Santos said.",
            [("Maria Santos", "Santos")],
        ),
    ],
)
def test_speaker_of_cue(nlp, text: str, expected: list) -> None:
    assert speakers(nlp, text) == expected


def test_pronoun_resolves_to_earlier_person(nlp) -> None:
    text = (
        "Harbour Commissioner Peter Vance signed the order on Friday. "
        "Vance’s letter, sent to the council, sets out the plan. "
        "‘The harbour will close at night,’ he wrote."
    )
    (att,) = [a for a in find_attributions(nlp(text)) if a.kind == "direct"]
    assert (att.speaker, att.speaker_mention, att.cue) == ("Peter Vance", "he", "wrote")
    assert att.speaker_context == "Harbour Commissioner Peter Vance"


def test_a_pronoun_with_no_known_person_before_it_is_the_last_speaker(nlp) -> None:
    text = ("Back home, Delgado said he respected the veterans who disagreed. "
            "“We all paid for our opinions,” he said.")
    assert speakers(nlp, text)[-1] == ("Delgado", "he")
    # ... but never a body: a ministry, the Pentagon or NATO is not "he"
    for body in ("The ministry", "The Pentagon", "NATO"):
        text = f"{body} said the talks had failed. “We will try again,” he added."
        assert speakers(nlp, text)[-1] == ("he", "he"), body
    # ... within two sentences, and of the pronoun's gender when it is known
    text = ("Maria Ortiz said the plan had failed. The vote was postponed. Nobody came. "
            "“It is over,” he said.")
    assert speakers(nlp, text)[-1] == ("he", "he")


def test_document_is_attributed_to_its_author(nlp) -> None:
    text = (
        "Vance’s letter reached the council on Friday. "
        "The letter states that boats will be ‘inspected without notice.’"
    )
    (att,) = find_attributions(nlp(text))
    assert (att.speaker, att.speaker_mention) == ("Vance", "The letter")


@pytest.mark.parametrize(
    "text, speaker, mention, context",
    [
        (
            "‘The talks have stalled,’ said a senior Treasury official, who spoke on condition of "
            "anonymity.",
            "anonymous senior Treasury official",
            "a senior Treasury official",
            "a senior Treasury official, who spoke on condition of anonymity",
        ),
        (
            "“Nobody expected this,” said a campaign aide.",
            "anonymous campaign aide",
            "a campaign aide",
            "a campaign aide",
        ),
    ],
)
def test_anonymous_sources(nlp, text: str, speaker: str, mention: str, context: str) -> None:
    (att,) = find_attributions(nlp(text))
    assert att.anonymous
    assert (att.speaker, att.speaker_mention, att.speaker_context) == (speaker, mention, context)


@pytest.mark.parametrize(
    "text, speaker",
    [
        # "familiar with" anything after a head of unnamed sources: the formula says why they are
        # not named, whatever the object ("it", not only "the matter")
        ("The review, according to two defense officials familiar with it, would let commanders "
         "approve strikes.", "anonymous defense officials"),
        ("People familiar with the plan said the mines would stay in storage.",
         "anonymous people"),
        ("Diplomats who are familiar with the talks said a deal was close.",
         "anonymous diplomats"),
    ],
)
def test_unnamed_sources_familiar_with_anything_are_anonymous(nlp, text: str,
                                                                speaker: str) -> None:
    (att,) = find_attributions(nlp(text))
    assert (att.speaker, att.anonymous) == (speaker, True)


@pytest.mark.parametrize(
    "text, speaker",
    [
        # groups quoted as groups stay named (the Sources help text, the seed gold)
        ("Diplomats said a deal was close.", "diplomats"),
        ("Military officials said the mines were needed.", "Military officials"),
        # familiar with a place is expertise, and "critics" is not a word for unnamed sources
        ("Critics familiar with the region said the mines would kill children.", "critics"),
    ],
)
def test_groups_quoted_as_groups_stay_named(nlp, text: str, speaker: str) -> None:
    (att,) = find_attributions(nlp(text))
    assert (att.speaker, att.anonymous) == (speaker, False)


@pytest.mark.parametrize(
    "text, speaker, mention",
    [
        (
            "Observers blamed the border unit, a charge Moscow has rejected, calling it ‘pure "
            "invention’ meant to smear its troops.",
            "Government of Russia",
            "Moscow",
        ),
        (
            "The Red Cross said in a statement that the convoy was ‘fired on twice.’",
            "Red Cross",
            "The Red Cross",
        ),
    ],
)
def test_bodies_and_capitals_as_speakers(nlp, text: str, speaker: str, mention: str) -> None:
    (att,) = [a for a in find_attributions(nlp(text)) if a.kind == "direct"]
    assert (att.speaker, att.speaker_mention) == (speaker, mention)


def test_context_holds_the_organisation(nlp) -> None:
    text = "“Fields stay deadly for decades,” said Lena Okafor of the Clearance Trust."
    (att,) = find_attributions(nlp(text))
    assert att.speaker == "Lena Okafor"
    assert att.speaker_context == "Lena Okafor of the Clearance Trust"


@pytest.mark.parametrize("text, expected", [
    # lowercase particles stay inside a name the tagger did not tag
    ("“The plan failed,” said Dries da Sabri, a spokesperson.", ("Dries da Sabri", "Dries da Sabri")),
    # a plural noun with words of its own is not the surname it spells
    ("Senator Jim Banks criticised lenders. Banks in Ohio said the rule would raise costs.",
     ("Banks", "Banks")),
])
def test_names_with_particles_and_nouns_that_spell_surnames(nlp, text: str, expected) -> None:
    assert speakers(nlp, text)[-1] == expected


def test_a_body_after_a_curly_possessive_is_not_a_person(nlp) -> None:
    # the tagger reads "foreign ministry" as proper nouns after "China’s"
    assert speakers(nlp, "China’s foreign ministry said the vote was “a serious interference”.") == [
        ("China’s foreign ministry", "China’s foreign ministry")]


def test_context_holds_the_title_the_article_gives_the_person_elsewhere(nlp) -> None:
    text = ("Senator Roy Kessling defended the plan on Tuesday. "
            "“Treaties don’t stop tanks,” said Kessling, a former Marine infantry officer.")
    (att,) = [a for a in find_attributions(nlp(text)) if a.kind == "direct"]
    assert att.speaker == "Roy Kessling"
    assert att.speaker_context.startswith("Senator Roy Kessling | ")
    assert actor_type_of(att.speaker, att.speaker_mention, att.speaker_context) == "congressional"


def test_a_headline_is_never_the_subject_of_the_next_paragraphs_cue(nlp) -> None:
    text = "Mines policy\n\n“The decision is final,” State Department spokesperson Jonah Reyes said."
    assert speakers(nlp, text) == [("Jonah Reyes", "State Department spokesperson Jonah Reyes")]


def test_a_date_next_to_the_cue_is_never_the_speaker(nlp) -> None:
    text = ("Senate Turns Back Bid to Block Arms Sale to Saudi Arabia\n\nThe Senate on Wednesday rejected "
            "a resolution that would have blocked the sale, clearing the way for the deal.")
    assert all(speaker != "Wednesday" for speaker, _ in speakers(nlp, text))


@pytest.mark.parametrize("text, speaker", [
    # wire copy wraps its lines: a single line break is no paragraph break
    ('Senator Roy Kessling, who chairs the panel,\nsaid the ban "would tie our hands in a real war."',
     "Roy Kessling"),
    ('Senator Roy Kessling, the Republican from Ohio who chairs the\narmed services panel, said: '
     '"We will not back down on this."', "Roy Kessling"),
    ('The foreign minister of Norway, speaking in Geneva on\nTuesday, said the treaty "remains the '
     'cornerstone of our policy."', "foreign minister"),
])
def test_a_wrapped_line_keeps_its_speaker(nlp, text: str, speaker: str) -> None:
    assert [s for s, _ in speakers(nlp, text)] == [speaker]


@pytest.mark.parametrize("text, headline_end", [
    ("Mines policy\n\nThe Senate voted.", 12),
    ("Baltic states warn of response\nBRUSSELS (Wire) - The ministers met.", 30),
    ("Pentagon Weighs Mine Policy\nOfficials said the review would take months.", 27),
    ("Senator Roy Kessling, who chairs the panel,\nsaid the ban would stay.", 0),
    ("The minister, speaking in Geneva on\nTuesday, said the ban would stay.", 0),
    ("Defense Secretary Lloyd Austin said on Tuesday that\nWashington would lift the ban.", 0),
    ("The minister spoke\nto reporters.", 0),
    ("One line only", 0),
])
def test_paragraph_bounds_split_off_a_headline_and_blank_lines(text: str, headline_end: int) -> None:
    from analysis.paragraphs import paragraph_bounds

    assert paragraph_bounds(text, 0) == ((0, headline_end) if headline_end else (0, len(text)))
    assert paragraph_bounds("First para.\n\nSecond para.", 15) == (13, 25)


@pytest.mark.parametrize("text, expected", [
    # a subheading is a paragraph of its own: no speaker runs across it, no cue in it reports
    ("Pentagon Lifts Mine Ban\nThe Pentagon declined to comment.\nCritics Warn of Civilian Toll\n"
     "Human Rights Watch said the decision would endanger civilians for decades.",
     [("Human Rights Watch", "Human Rights Watch")]),
    ("\nPentagon Weighs Mine Policy\nOfficials said the review would take months.",
     [("officials", "Officials")]),
    ("Defense Secretary Lloyd Austin said on Tuesday that\nWashington would lift the ban on mines.",
     [("Lloyd Austin", "Defense Secretary Lloyd Austin")]),
])
def test_headings_and_wrapped_first_lines(nlp, text: str, expected: list) -> None:
    assert speakers(nlp, text) == expected


LEAD = "Mines return to the Baltic coast as tensions rise.\n\n"


@pytest.mark.parametrize("text, speaker", [
    # wrapped lines that look like headings out of context: an acronym, a name on its own line
    ("The alliance will respond, the spokeswoman told reporters on behalf of\nNATO members after "
     "the meeting on Friday.", "spokeswoman"),
    ("The director said in a statement on Monday that\nIAEA inspectors had been denied access.",
     "director"),
    ('"We will not retreat from this fight," said\nDefense Secretary Lloyd Austin\nat a press '
     "conference on Tuesday.", "Lloyd Austin"),
    ("The minister said on Friday that the government was grateful to\nPresident Joe Biden and "
     "the American People\nfor their support.", "minister"),
])
def test_wrapped_body_lines_are_not_headings(nlp, text: str, speaker: str) -> None:
    assert [s for s, _ in speakers(nlp, LEAD + text)] == [speaker]


def test_a_dateline_needs_its_dash() -> None:
    from analysis.paragraphs import in_heading

    for dateline in ("WARSAW — Poland has begun work.", "BRUSSELS (Continental Wire) - Ministers met.",
                     "CUITO CUANAVALE, Angola — The field is quiet."):
        assert in_heading("Baltic states warn of response\n" + dateline, 0), dateline
    assert not in_heading("The spokeswoman spoke on behalf of\nNATO members on Friday.", 0)


@pytest.mark.parametrize("paragraph", [
    "Some economists argue that corporate taxes should be very little (if shareholders pay more.)",
    "Now tell us this is not a witch hunt of the highest order!",
    "Toni LeAnn Williams",  # a letter writer's signature line is a heading; the next is not
])
def test_a_body_paragraph_between_blank_lines_is_a_heading_only_when_it_looks_like_one(
        paragraph: str) -> None:
    from analysis.paragraphs import in_heading

    text = "Lead sentence of the story.\n\n" + paragraph + "\n\nThe next paragraph."
    assert in_heading(text, text.index(paragraph)) == (paragraph == "Toni LeAnn Williams")


@pytest.mark.parametrize("text, expected", [
    # a paragraph a line, with a deck or subheading straight after a headline or a caption
    ("Senators Spar Over Mine Ban\nCritics Warn of Civilian Toll\nHuman Rights Watch said the "
     "mines would kill civilians.\n", ["Human Rights Watch"]),
    ("Mines return to the Baltic\n\nThe plan was announced on Monday.\nPhoto: Jane Doe/AP\n"
     "Critics Warn of Civilian Toll\nHuman Rights Watch said the mines would kill civilians.\n",
     ["Human Rights Watch"]),
    ("Mines return to the Baltic\n\nThe plan was announced on Monday.\nMines and the law\n"
     "Senator Roy Kessling said the mines would outlast the war.\n", ["Roy Kessling"]),
    # a last paragraph cut off before its full stop is no heading
    ("Mines return to the Baltic\n\nThe plan was announced on Monday.\n\nSenator Roy Kessling "
     "warned that the mines would outlast the war", ["Roy Kessling"]),
])
def test_decks_subheadings_and_cut_off_paragraphs(nlp, text: str, expected: list) -> None:
    assert [s for s, _ in speakers(nlp, text)] == expected


def test_a_name_wrapped_over_two_lines_is_one_name(nlp) -> None:
    text = (LEAD + "The deputy minister, Andrzej\nSzejna, said on Monday that the mines would stay "
            "in the ground for years.\n")
    assert [s for s, _ in speakers(nlp, text)] == ["Andrzej Szejna"]


def test_a_hyphenated_acronym_on_the_next_line_is_no_dateline(nlp) -> None:
    text = (LEAD + "Estonia ordered more HIMARS launchers.\nDefence Minister Hanno Pevkur said the "
            "purchases meant that the\nNATO-led brigade in the country would be better protected.\n")
    assert [s for s, _ in speakers(nlp, text)] == ["Hanno Pevkur"]


def test_short_paragraphs_wrapped_at_a_width_are_read_as_paragraphs(nlp) -> None:
    text = ("Senate Votes on Mines\n\nWASHINGTON (AP) - The Senate voted 51-49 on Tuesday to keep "
            "the ban in place.\n\nSen. Patrick Leahy, the Vermont Democrat who has led efforts to ban "
            "the weapons\nfor decades, said the vote showed that Congress still cared about "
            "civilians.\n\nOpponents said the mines were needed.\n")
    assert "Patrick Leahy" in [s for s, _ in speakers(nlp, text)]


def test_a_role_after_a_name_is_that_person_for_a_pronoun(nlp) -> None:
    # "an adviser" stands beside the name: "she" is Ilse Varn, not an anonymous adviser
    text = ("“The border needs more than fences,” said Ilse Varn, an adviser at the interior "
            "ministry. She called the plan “late but welcome.”")
    assert speakers(nlp, text)[-1] == ("Ilse Varn", "She")
    text = ("Tobias Renk, a member of the regional assembly who has opposed the depot for "
            "years, spoke at the gate. “We were promised a date,” he said.")
    assert speakers(nlp, text)[-1] == ("Tobias Renk", "he")
    # a role with no name beside it is still its own, anonymous speaker
    text = "A member of the assembly spoke at the gate. “We were promised a date,” he said."
    assert speakers(nlp, text)[-1][0] == "anonymous member"


def test_quoted_sentences_do_not_push_the_antecedent_out_of_reach(nlp) -> None:
    text = ("“The treaty was signed for another age,” said Anton Petrescu, who chairs the "
            "committee. “Our border is long. We cannot guard every metre. Nobody likes mines.” "
            "He dismissed the warnings as “noise from far away.”")
    assert speakers(nlp, text)[-1] == ("Anton Petrescu", "He")
    # ... but the search stays in the pronoun's paragraph
    text = ("Anton Petrescu chaired the session.\n"
            "“Our border is long. We cannot guard every metre. Nobody likes mines. "
            "The winters are hard,” she said.")
    assert speakers(nlp, text)[-1] == ("she", "she")


def test_a_person_beside_a_dateline_place_is_not_the_place(nlp) -> None:
    text = ("VARNA, Bulgaria — Elena Dimova kneels beside the fence, and she knows that one "
            "missed wire can undo a season of work.\n“Nobody here is neutral,” she said.")
    assert speakers(nlp, text) == [("Elena Dimova", "she"), ("Elena Dimova", "she")]


@pytest.mark.parametrize("dateline", ["VILNIUS, Lithuania (AP) — ", "WARSAW — ", "RIGA - "])
def test_the_dateline_is_neither_speaker_nor_content(nlp, dateline: str) -> None:
    text = (f"Baltic ministers meet\n{dateline}The foreign minister said on Tuesday that the "
            "country would leave the treaty.")
    (att,) = find_attributions(nlp(text))
    assert att.speaker == "foreign minister"
    assert att.text_in(text).startswith("the country would leave")


def test_the_official_is_the_official_introduced_before(nlp) -> None:
    text = ("The navy will add two destroyers to the base, a senior Pentagon official said on "
            "Thursday. “The threat has grown and our ships have not kept pace,” the official told "
            "reporters. A decision was “months away”, the official said.")
    got = speakers(nlp, text)
    assert [s for s, _ in got] == ["anonymous senior Pentagon official"] * 3
    # not a name that merely holds the word: the agency's "official news agency" is not him
    text = ("North Korea's official news agency called the vote “a declaration of war”.\n"
            "In Seoul, a foreign ministry official was cautious. “We are consulting our allies,” "
            "the official said.")
    assert speakers(nlp, text)[-1][0] == "anonymous foreign ministry official"


def test_a_titled_name_the_tagger_calls_an_organisation_is_a_person(nlp) -> None:
    text = ("“Taiwan spends less on defence than Poland does,” said Representative Nolan "
            "Fairbanks, who chairs the subcommittee.\nDmitri Halloway, a fellow at a think tank, "
            "argued that the money would sit unspent.\nFairbanks rejected claims that the cut "
            "changed policy. “Trimming one account is not abandoning anyone,” he said.")
    got = speakers(nlp, text)
    assert got[0][0] == "Nolan Fairbanks"
    assert got[-1] == ("Nolan Fairbanks", "he")


def test_a_name_with_a_role_beside_it_can_be_a_he_or_she(nlp) -> None:
    # the tagger calls "Amara Nwosu" an organisation here; "a professor" says she is a person
    text = ("Legal scholars were sceptical. Amara Nwosu, a professor of international law in "
            "Washington, said a blockade was an act of war. “You cannot enforce the law by "
            "breaking it,” she said.")
    assert speakers(nlp, text)[-1] == ("Amara Nwosu", "she")


def test_a_surname_gets_the_full_name_the_tagger_missed(nlp) -> None:
    # the tagger tags "Nguyen" alone, later, but not "Hoa Nguyen" under the headline
    text = ("At Mine Funding Hearing, a Survivor’s Testimony Meets the Army’s Budget Pitch\n"
            "Hoa Nguyen sat in the second row of the hearing room.\n"
            "“I was nine years old and walking to my aunt’s house,” said Nguyen, who lost her "
            "left leg to a mine.")
    assert speakers(nlp, text)[-1][0] == "Hoa Nguyen"


def test_an_age_or_a_role_beside_a_name_makes_it_a_person(nlp) -> None:
    text = ("For farmers, the calculation is simpler. Mykola Danylenko, 63, has not planted his "
            "fields near Balakliia for three seasons. “I don't care whose mines they are,” he said.")
    assert speakers(nlp, text)[-1] == ("Mykola Danylenko", "he")
    text = ("Marlene Kühn, who runs a youth charity, said the draft was unfair.\n"
            "Jan-Philipp Weber, a military sociologist at the Bundeswehr University in Munich, "
            "noted that countries differ. “It depends on whether call-ups are fair,” he said.")
    assert speakers(nlp, text)[-1] == ("Jan-Philipp Weber", "he")


def test_the_general_is_the_general_named_before(nlp) -> None:
    text = ("“Every war we have studied tells the same story,” Lieutenant General Harlan Voss told "
            "the panel.\nRepresentative Lena Okafor pressed Voss on failure rates, and the general "
            "conceded that testing was incomplete. “I can’t give you a number today,” he said.")
    got = speakers(nlp, text)
    assert got[-2][0] == "Harlan Voss" and got[-1] == ("Harlan Voss", "he")


def test_a_group_is_spelt_one_way_wherever_it_stands(nlp) -> None:
    text = ("Diplomats said the talks had stalled. Later, the talks resumed, said diplomats "
            "in Brussels.\nA government said it would wait.\nSeveral experts said it was late.")
    got = [s for s, _ in speakers(nlp, text)]
    assert got[0] == "diplomats" and got[2] == "government" and got[3] == "several experts"
    # an adjective may be part of a name, and a capital after the first word says so
    text = ("Western diplomats said the talks had stalled.\nFive Eyes partners said they "
            "shared the concern.")
    assert [s for s, _ in speakers(nlp, text)] == ["Western diplomats", "Five Eyes partners"]
    # a name at a sentence start keeps its capital when the article capitalises it elsewhere
    text = "Wines said the vote was close. The count, Wines added, took all night."
    assert [s for s, _ in speakers(nlp, text)] == ["Wines", "Wines"]


# Cases a review of this session's changes found, each written for this test.

def test_the_official_beside_a_name_is_that_person_and_an_object_is_no_antecedent(nlp) -> None:
    text = ("“We are short of shells,” said Marta Kowal, a senior Polish defence official. "
            "“We are the hub for these deliveries,” the official added.")
    assert speakers(nlp, text)[-1][0] == "Marta Kowal"
    text = ("A NATO official said the drills would go ahead. Prosecutors have not charged any "
            "official. “We know where every launcher is,” the official said.")
    assert speakers(nlp, text)[-1][0] == "anonymous NATO official"


@pytest.mark.parametrize("lead, content", [
    ("NATO — and not the EU — will lead the mission, Mark Rutte said.",
     "NATO — and not the EU — will lead the mission"),
    ("EU — the bloc that once called itself a peace project — now buys shells, its "
     "commissioner said.", "EU — the bloc that once called itself a peace project — now buys shells"),
])
def test_a_capitalised_name_and_a_dash_before_lowercase_words_is_no_dateline(nlp, lead, content):
    text = "Allies agree on air policing\n" + lead
    (att,) = find_attributions(nlp(text))
    assert att.text_in(text) == content


def test_a_double_hyphen_dateline_is_a_dateline(nlp) -> None:
    text = ("Museum opens\nWASHINGTON -- President Obama, opening the museum on Saturday, said it "
            "would tell an American story.")
    (att,) = find_attributions(nlp(text))
    assert att.speaker == "Obama"


def test_further_back_only_a_subject_or_a_speaker_will_do(nlp) -> None:
    text = ("Analysts were alarmed by a call between Trump and Putin on Monday. “We cannot let two "
            "men decide Europe's borders. Not again. Not ever,” she said.")
    assert speakers(nlp, text)[-1] == ("she", "she")


def test_what_a_pronoun_reports_is_not_its_antecedent(nlp) -> None:
    text = ("Defence Minister Pal Jonson left early. Anna Lindqvist, his spokeswoman, stayed "
            "behind. The minister will decide in due course, she said.")
    assert speakers(nlp, text)[-1] == ("Anna Lindqvist", "she")


def test_false_people_stay_out(nlp) -> None:
    # "Price" opens "Price caps", not a mention of Ned Price
    text = ("“We will raise it in Rome,” said Ned Price, the spokesman.\nPrice caps on Russian oil "
            "were also discussed. “It is on the agenda. It should be,” he said.")
    assert speakers(nlp, text)[-1][0] != "Price caps"
    # a unit is no person
    text = ("Investigators said the men were directed by Unit 29155, a sabotage unit of the GRU. "
            "“This is a pattern across Europe. We see it everywhere,” he said.")
    assert speakers(nlp, text)[-1][0] != "Unit"


def test_full_names_the_tagger_missed_keep_hyphens_and_lose_ranks(nlp) -> None:
    text = ("Soldiers complain about pay. Jan-Philipp Weber studies the army. “They compare "
            "salaries,” said Weber.")
    assert speakers(nlp, text)[-1][0] in ("Jan-Philipp Weber", "Weber")
    assert speakers(nlp, text)[-1][0] != "Philipp Weber"
    text = ("Sergeant First Class Ruiz led the patrol. “We walked for six hours,” said Ruiz.")
    assert speakers(nlp, text)[-1][0] != "Class Ruiz"


def test_a_verbless_sentence_about_a_person_names_the_she(nlp) -> None:
    text = ("Residents spent the night in metro stations. Olena Bondar, 34, sheltered with her two "
            "children at the station. “The children slept. I did not. You listen to every "
            "sound,” she said.")
    assert speakers(nlp, text)[-1] == ("Olena Bondar", "she")


def test_the_official_who_asked_not_to_be_named_is_the_one_introduced(nlp) -> None:
    text = ("A senior defense official said the battalion would move in spring. The official, "
            "who spoke on condition of anonymity, said the plan was final. “Romania has been "
            "told as much,” the official said.")
    assert {s for s, _ in speakers(nlp, text)} == {"anonymous senior defense official"}


def test_a_plural_noun_that_is_also_a_surname_is_no_person_with_words_of_its_own(nlp) -> None:
    text = ("Treasury Secretary Scott Bessent met Senator Jim Banks on Monday.\nBanks in Europe "
            "have been slower to cut ties with Moscow. “We need them on board,” he said.")
    assert speakers(nlp, text)[-1][0] != "Banks"


def test_the_reporters_clause_before_a_semicolon_is_no_reported_content(nlp) -> None:
    text = ("Prime Minister Kristen Michal visited troops near the border on Friday; the new "
            "bunkers would be ready by the end of the year, he said.")
    assert speakers(nlp, text)[-1] == ("Kristen Michal", "he")
    text = "Putin will not stop in Ukraine, he said."
    assert speakers(nlp, text)[-1] == ("he", "he")


def test_a_kicker_above_the_dateline_does_not_hide_it(nlp) -> None:
    text = ("EXCLUSIVE — Ukraine plans new minefields\nKYIV, Ukraine (AP) — The defence minister "
            "said on Monday that the fields would be laid by spring.")
    (att,) = find_attributions(nlp(text))
    assert att.speaker == "defence minister"
    assert att.text_in(text).startswith("the fields would be laid")


def test_a_weapon_beside_its_name_is_no_person(nlp) -> None:
    text = ("Colonel Andriy Melnyk said Western rockets had changed the war.\nStorm Shadow, a "
            "British cruise missile, struck the fleet's headquarters on Friday. “It was a precise "
            "hit,” he said.")
    assert speakers(nlp, text)[-1][0] != "Storm Shadow"


def test_a_document_is_attributed_to_who_signed_or_prepared_it(nlp) -> None:
    text = ("The plan is set out in a memo signed by Raymond Castillo, a deputy secretary. "
            "“Commanders own this,” the memo says.")
    assert speakers(nlp, text)[-1][0] == "Raymond Castillo"
    text = ("The report, prepared by the consultancy Halvorsen Strategic Group, argues that "
            "contractors could \"free uniformed troops for other missions.\"")
    assert speakers(nlp, text)[-1][0] == "Halvorsen Strategic Group"
    # who read a document did not write it
    text = ("The Army asked for $200 million, according to budget documents reviewed by "
            "reporters. The documents say the mines \"will deactivate within days.\"")
    assert "reporters" not in [s for s, _ in speakers(nlp, text)]


def test_a_possessive_before_a_capital_still_loses_its_sentence_capital(nlp) -> None:
    text = ("His Estonian counterpart said the talks had stalled. Later, the talks resumed, "
            "said his Estonian counterpart.")
    assert [s for s, _ in speakers(nlp, text)] == ["his Estonian counterpart"] * 2


def test_cases_of_the_third_review(nlp) -> None:
    # "the Pentagon official" is an earlier official from the Pentagon, not the nearest one
    text = ("A senior Pentagon official said the shells would arrive in May. A State Department "
            "official said the talks would resume. “We are ready,” the Pentagon official said.")
    assert speakers(nlp, text)[-1][0] == "anonymous senior Pentagon official"
    # "will travel ... and meet" is one clause: its subject is reported content
    text = ("Defence Minister Pal Jonson spoke after the meeting. Michael Claesson will travel to "
            "Kyiv and meet the commanders, he said.")
    assert speakers(nlp, text)[-1][0] == "Pal Jonson"
    # a paper that published a letter did not write it
    text = ("A letter published by the Financial Times on Monday urged more aid. “The alliance "
            "is drifting,” the letter says.")
    assert speakers(nlp, text)[-1][0] != "Financial Times"


@pytest.mark.parametrize("content", ["U.S.–Ukraine talks on a minerals deal had resumed",
                                     "NATO–Russia Council meetings have not been held since 2022"])
def test_an_en_dash_between_names_is_no_dateline(nlp, content: str) -> None:
    text = f"Talks resume\n{content}, a diplomat said on Monday."
    (att,) = find_attributions(nlp(text))
    assert att.text_in(text) == content


def test_a_dash_parsed_as_a_subject_is_not_the_speaker(nlp) -> None:
    """The parser sometimes hangs an em dash on the cue as a second subject ("... made public ―
    Trump boasted"); the speaker is the word subject."""
    from spacy.tokens import Doc

    from analysis.speakers import speaker_head

    words = ["public", "\u2015", "Trump", "boasted", "."]
    doc = Doc(nlp.vocab, words=words, pos=["ADJ", "PUNCT", "PROPN", "VERB", "PUNCT"],
              heads=[1, 3, 3, 3, 3], deps=["amod", "nsubj", "nsubj", "ROOT", "punct"])
    assert speaker_head(doc[3]).text == "Trump"


@pytest.mark.parametrize("text, speaker", [
    ("NATO declined to take a position. “Decisions on weapons are national decisions,” a "
     "spokesperson for the alliance said.", "NATO"),
    ("A Pentagon spokesperson said the rounds had a dud rate below three percent.", "Pentagon"),
    ("The White House defended the change. In a statement, a spokesperson said the "
     "administration would not tie the hands of commanders.", "White House"),
    ("Berlin has insisted that compulsion is a last resort. A government spokesperson said the "
     "aim remained to fill the ranks with volunteers.", "Government of Germany"),
    ("‘We take no position on munitions,’ said a spokesperson for the Veterans of Foreign Wars.",
     "Veterans of Foreign Wars"),
    ("NATO's spokesperson said the alliance would decide later.", "NATO"),
    # a body the entity tagger leaves untagged, known by its name's last word
    ("Human Rights Watch criticised the decision on Monday. A spokesperson said the group would "
     "press Congress to reverse it.", "Human Rights Watch"),
    ("Human Rights Watch criticised the decision. “This is a step backward,” a spokeswoman for the "
     "group said.", "Human Rights Watch"),
])
def test_an_unnamed_spokesperson_speaks_for_the_body(nlp, text: str, speaker: str) -> None:
    """A spokesperson is a body's voice on the record, not a source the reporter shields: the
    quote is the body's, named, and typed as the body is."""
    att = find_attributions(nlp(text))[-1]
    assert (att.speaker, att.anonymous) == (speaker, False)


@pytest.mark.parametrize("text, speaker", [
    # which country's ministry would be lost in "defence ministry"
    ("A Russian defence ministry spokeswoman said the country could deploy weapons anywhere.",
     "anonymous Russian defence ministry spokeswoman"),
    # a person's spokesperson does not speak as that person, however the person is named
    ("A spokeswoman for Senator Dana Whitfield said the senator would vote against the bill.",
     "anonymous spokeswoman"),
    ("Senator Ellen Park opposed the sale. A spokesperson for Park said she would vote no.",
     "anonymous spokesperson"),
    # two bodies, or a person named after the body: whose spokesperson is it?
    ("The State Department and the Pentagon both issued statements. A spokesperson said the "
     "review would take a month.", "anonymous spokesperson"),
    ("NATO and the European Union were split. “We will decide later,” a spokesperson for the "
     "alliance said.", "anonymous spokesperson"),
    ("The White House defended the change. Senator Ellen Park criticised it. A spokesperson said "
     "the decision was final.", "anonymous spokesperson"),
    ("The Pentagon defended the rule, and Human Rights Watch criticised it. A spokesperson said "
     "the rule was lawful.", "anonymous spokesperson"),
    # unnamed, whoever's it is: not a named speaker called "Senator Ellen Park 's spokesperson"
    ("Senator Ellen Park opposed the sale. Senator Ellen Park's spokesperson said the senator "
     "would vote no.", "anonymous Senator Ellen Park's spokesperson"),
])
def test_a_spokesperson_for_no_named_body_stays_unnamed(nlp, text: str, speaker: str) -> None:
    att = find_attributions(nlp(text))[-1]
    assert (att.speaker, att.anonymous) == (speaker, True)


def test_it_after_a_body_the_tagger_missed_is_that_body(nlp) -> None:
    text = ("Human Rights Watch published a report on Tuesday. It said the attacks had been "
            "foreseeable.")
    assert speakers(nlp, text) == [("Human Rights Watch", "It")]


@pytest.mark.parametrize("text, speaker", [
    # the tagger cuts the name after "Lockheed" and calls "Martin" a person or a product
    ("“Demand has never been higher,” Lockheed Martin said in a statement.", "Lockheed Martin"),
    ("Lockheed Martin said it would double production. “We are ready,” a spokesperson for "
     "Lockheed Martin said.", "Lockheed Martin"),
    ("Lockheed Martin makes the launchers. Lockheed Martin's spokesperson said the line would "
     "expand.", "Lockheed Martin"),
    ("Lockheed Martin makes the launchers. It said it could build them faster.", "Lockheed Martin"),
    # a company whose name opens with a title is no person with a spokesperson of their own
    ("General Dynamics said it would hire 500 workers. “We are expanding,” a spokesman for "
     "General Dynamics said.", "General Dynamics"),
])
def test_a_company_named_after_people_or_with_a_title_is_one_body(nlp, text: str,
                                                                   speaker: str) -> None:
    att = find_attributions(nlp(text))[-1]
    assert (att.speaker, att.anonymous) == (speaker, False)


@pytest.mark.parametrize("text", [
    # a weapon system is no body with a spokesperson, however the tagger tags its name
    "Estonia received six HIMARS on Monday. HIMARS has changed the war, officials say. A "
    "spokesperson said training would take a month.",
    "HIMARS, a truck-mounted rocket launcher, has changed the war. A spokesperson said training "
    "would take a month.",
    # a body named in passing is not the one a bare spokesperson speaks for
    "Estonia ordered six more HIMARS launchers from Lockheed Martin. A spokesperson said "
    "deliveries would start in May.",
    "The HIMARS, built by Lockheed Martin, has changed the war. “It is the most precise system we "
    "have,” a spokesperson said.",
])
def test_a_spokesperson_near_a_weapon_or_a_maker_named_in_passing_stays_unnamed(nlp,
                                                                                  text: str) -> None:
    att = find_attributions(nlp(text))[-1]
    assert (att.speaker, att.anonymous) == ("anonymous spokesperson", True)


@pytest.mark.parametrize("text, speaker", [
    ("Lockheed Martin builds the HIMARS in Arkansas. A spokesperson said the line would double.",
     "Lockheed Martin"),
    ("The plan was criticised by Human Rights Watch. A spokesperson said the group would appeal.",
     "Human Rights Watch"),
    ("According to NATO, the drills will last a week. A spokesperson said the alliance was ready.",
     "NATO"),
])
def test_a_spokesperson_speaks_for_the_body_that_acts(nlp, text: str, speaker: str) -> None:
    att = find_attributions(nlp(text))[-1]
    assert (att.speaker, att.anonymous) == (speaker, False)


@pytest.mark.parametrize("text, speaker", [
    # whether the tagger reads "ministry" as a noun or a proper noun
    ("“This is a provocation,” a spokeswoman for the Russian foreign ministry said.",
     "Russian foreign ministry"),
    ("A spokesman for China's foreign ministry, asked about the test, denied that it had taken "
     "place.", "China's foreign ministry"),
    # "the ministry" is the one named before
    ("Russia's foreign ministry called the decision a provocation. A spokeswoman for the ministry "
     "said Moscow would respond.", "Russia's foreign ministry"),
])
def test_a_spokesperson_for_a_named_ministry_speaks_for_it(nlp, text: str, speaker: str) -> None:
    att = find_attributions(nlp(text))[-1]
    assert (att.speaker, att.anonymous) == (speaker, False)
    assert actor_type(att) == "international"


@pytest.mark.parametrize("text", [
    "A spokesman for one Gulf government said the rule was a strange way to build trust.",
    "The foreign ministry was not consulted. A spokeswoman for the ministry said Moscow would "
    "respond.",
])
def test_a_spokesperson_for_a_body_left_unnamed_stays_unnamed(nlp, text: str) -> None:
    att = find_attributions(nlp(text))[-1]
    assert att.anonymous and att.speaker.startswith("anonymous spokes")
