"""Quote finding: quotation-mark pairing, direct and indirect quotes (analysis/quotes.py).

All example sentences are written for these tests.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from analysis.nlp import load_nlp
from analysis.quotes import find_attributions, quote_spans


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def quoted(text: str) -> list[str]:
    """The text of each paired quotation, pieces joined with " | "."""
    return [" | ".join(text[s:e] for s, e in q.pieces) for q in quote_spans(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ('She said "the lake is cold" today.', ["the lake is cold"]),
        ("She said “the lake is cold” today.", ["the lake is cold"]),
        ("She said ‘the lake is cold’ today.", ["the lake is cold"]),
        ("She said 'the lake is cold' today.", ["the lake is cold"]),
        # apostrophes are not quote marks
        ("We don’t know, the mayor’s aide said.", []),
        ("The farmers’ union met in the ’90s.", []),
        ("Ottawa’s plan ‘will not pass,’ he said.", ["will not pass,"]),
        ("‘The troops’ morale is low,’ the colonel said.", ["The troops’ morale is low,"]),
        ("It's the players' turn, isn't it?", []),
        # nested single marks stay inside the double quote
        ("“Why say ‘no’ to that?” she asked.", ["Why say ‘no’ to that?"]),
        # a quote running over two paragraphs: opening mark on each, no closing mark on the first
        (
            "He wrote: “The river rose all night.\n“By dawn the bridge was gone.”\nThen rain.",
            ["The river rose all night. | By dawn the bridge was gone."],
        ),
        # an unclosed mark in a paragraph does not swallow the next one
        ('A stray " mark here.\nNext paragraph "quoted" here.', ["quoted"]),
    ],
)
def test_quote_spans_pair_marks(text: str, expected: list[str]) -> None:
    assert quoted(text) == expected


def direct(nlp, text: str) -> list[tuple[str, str | None, str | None]]:
    """(quoted words, cue, speaker) of each direct attribution."""
    doc = nlp(text)
    return [
        (a.text_in(text), a.cue, a.speaker) for a in find_attributions(doc) if a.kind == "direct"
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "“The harbour will reopen next week,” said Mayor Anna Lindqvist.",
            [("The harbour will reopen next week,", "said", "Anna Lindqvist")],
        ),
        (
            "‘The harbour will reopen,’ Lindqvist told reporters on Monday.",
            [("The harbour will reopen,", "told", "Lindqvist")],
        ),
        # split around its attribution: one record, two pieces
        (
            "“The first ferry leaves at six,” said Tomas Berg. “The second one is cancelled.”",
            [("The first ferry leaves at six, The second one is cancelled.", "said", "Tomas Berg")],
        ),
        # a short phrase attributed by its cue is kept
        (
            "The union rejected the offer, calling it a ‘cynical trick’ aimed at its members.",
            [("cynical trick", "calling", "union")],
        ),
        (
            "The minister criticised the budget as ‘timid’ on Tuesday.",
            [("timid", "criticised", "minister")],
        ),
    ],
)
def test_direct_quotes_with_cue(nlp, text: str, expected: list) -> None:
    assert direct(nlp, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a quote that ends its sentence belongs to the clause introducing it, not to the verb
        # of the next sentence
        (
            "Mayor Anna Lindqvist gave her answer in four words — “Not on my watch.” "
            "Councillor Tomas Berg, who chairs the harbour board, also objected.",
            [("Not on my watch.", "gave", "Anna Lindqvist")],
        ),
        (
            "Lindqvist put it plainly: “The ferry stays.” Several councillors disagreed.",
            [("The ferry stays.", "put", "Lindqvist")],
        ),
        # "her verdict", "his reply": the possessor speaks
        (
            "Anna Lindqvist watched the vote from the gallery. Her verdict came in a single "
            "word — “Disgraceful.”",
            [("Disgraceful.", "came", "Anna Lindqvist")],
        ),
        # a quote that goes on after its intro still takes the cue that follows it
        (
            "The mayor was blunt — “the ferry stays,” she told reporters.",
            [("the ferry stays,", "told", "she")],
        ),
    ],
)
def test_an_introduced_quote_keeps_its_introducer(nlp, text: str, expected: list) -> None:
    assert direct(nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The charity published a report titled “Silent Fields” in March.",
        "Engineers tested the so-called ‘smart valve’ at the plant.",
        "Critics Call the Deal a ‘Giveaway’\nThe council met on Monday.",
    ],
)
def test_titles_and_scare_quotes_are_left_out(nlp, text: str) -> None:
    assert direct(nlp, text) == []


def test_quote_pieces_exclude_marks_and_are_one_record(nlp) -> None:
    text = "“Alpha beta,” she said. “Gamma delta.”"
    (att,) = find_attributions(nlp(text))
    assert [text[s:e] for s, e in att.pieces] == ["Alpha beta,", "Gamma delta."]
    assert att.kind == "direct"


@pytest.mark.parametrize(
    "text, content, cue, speaker",
    [
        (
            "The mayor warned that the new toll would hurt small shops.",
            "the new toll would hurt small shops",
            "warned",
            "mayor",
        ),
        (
            "Economists argue the tariff will raise prices for farmers.",
            "the tariff will raise prices for farmers",
            "argue",
            "economists",
        ),
        (
            "According to the port authority, the channel will be dredged in spring.",
            "the channel will be dredged in spring",
            "According to",
            "port authority",
        ),
    ],
)
def test_indirect_quotes(nlp, text: str, content: str, cue: str, speaker: str) -> None:
    atts = [a for a in find_attributions(nlp(text)) if a.kind == "indirect"]
    assert [(a.text_in(text), a.cue, a.speaker) for a in atts] == [(content, cue, speaker)]


def test_attributions_in_text_order(nlp) -> None:
    text = (
        "Residents say the road will flood again this spring. “We need a new drain,” said Ola Nilsen.\n"
        "The council believes the repair will cost too much."
    )
    starts = [a.start for a in find_attributions(nlp(text))]
    assert starts == sorted(starts) and len(starts) == 3


# Quote-heavy fragments, so the generated texts exercise the mark pairing and the cue linking.
_TEXT = st.lists(
    st.sampled_from(list("ab Cd.,;:!?\n\"'“”‘’—-()") + ["said", " he ", "Ann ", "that ", "’s"]),
    max_size=60,
).map("".join)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TEXT)
def test_never_raises_and_pieces_slice_the_text(nlp, text: str) -> None:
    for att in find_attributions(nlp(text)):
        assert att.pieces
        for s, e in att.pieces:
            assert 0 <= s < e <= len(text)
        assert att.kind in ("direct", "indirect")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300))
def test_never_raises_on_any_unicode(nlp, text: str) -> None:
    for att in find_attributions(nlp(text)):
        assert all(0 <= s < e <= len(text) for s, e in att.pieces)


@pytest.mark.parametrize(
    "text",
    [
        # "said" and the cognition verb "want"/"intend" both find the clause; it is one attribution
        "Polish officials have not said how many mines they intend to stockpile.",
        "Lawmakers have not said how many troops they want to send.",
    ],
)
def test_one_content_is_reported_once(nlp, text: str) -> None:
    found = find_attributions(nlp(text))
    spans = [p for a in found for p in a.pieces]
    assert len(found) == 1
    assert all(not (s1 < e2 and s2 < e1) for i, (s1, e1) in enumerate(spans) for s2, e2 in spans[i + 1:])


def test_cue_verbs_map_every_form_to_its_lemma() -> None:
    from analysis.cues import cue_forms, cue_lemmas

    assert cue_forms()["said"] == ("speech", "say") and cue_forms()["says"][1] == "say"
    pairs = cue_lemmas()
    assert list(pairs) == sorted(pairs)
    assert dict(pairs) == {form: lemma for form, (_, lemma) in cue_forms().items()}


@pytest.mark.parametrize("text", [
    "The work falls under the \u201cEast Shield\u201d fortification programme, which also includes anti-tank ditches.",
    "The rule, titled \"Expansion of Controls on Unmanned Aircraft System Components,\" takes effect in 30 days.",
    "The text of the resolution cites the state's role in the \"Mine-Free Fields\" partnership.",
    "Nguyen said she had come under the banner of the \u201cWalk Again\u201d campaign.",
])
def test_a_quoted_name_or_title_is_not_a_quote(nlp, text: str) -> None:
    assert [a for a in find_attributions(nlp(text)) if a.kind == "direct"] == []


@pytest.mark.parametrize("text", [
    "\u201cAbsolutely,\u201d she said.",
    "\u201cAbsolutely Not,\u201d Senator Ann Marr said.",
    "\u201cNO NEW MINES,\u201d Senator Ann Marr told the crowd.",
    "General Mark Ellis replied, \u201cUkraine, Poland and the Baltic States\u201d.",
    "\u201cNever. Not once,\u201d Senator Ruth Calder said.",
    "\u201cThe Army needs these mines,\u201d Senator Ruth Calder said.",
])
def test_short_or_capitalised_speech_is_still_a_quote(nlp, text: str) -> None:
    assert [a.kind for a in find_attributions(nlp(text))] == ["direct"]
