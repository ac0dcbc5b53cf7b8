"""The article reading view: every character escaped, quotes highlighted in stance colours."""

from __future__ import annotations

from analysis.article_view import article_html, quote_card
from analysis.charts import STANCE_COLORS

TEXT = 'Intro <script>alert(1)</script> "We back it," said Ray. "No way," said Ana & co.'


def quotes():
    a = TEXT.index("We back it")
    b = TEXT.index("No way")
    return [
        {"quote_id": "q1", "pieces": f"[[{a}, {a + 10}]]", "speaker": "Ray",
         "actor_type": "military", "stance": "supportive", "start_char": a, "end_char": a + 10},
        {"quote_id": "q2", "pieces": [[b, b + 6]], "speaker": "Ana <i>", "actor_type": "expert",
         "stance": "opposed", "start_char": b, "end_char": b + 6},
    ]


def test_text_is_escaped_and_nothing_runs():
    html = article_html(TEXT, quotes())
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Ana &lt;i&gt;" in html and "&amp; co." in html


def test_quotes_are_marked_in_their_stance_colour_with_the_speaker():
    html = article_html(TEXT, quotes(), selected="q2")
    assert html.count("<mark") == 2
    assert f"border-bottom:3px solid {STANCE_COLORS['supportive']}" in html
    assert "[Ray (military) · supportive]" in html
    assert "outline:3px solid" in html.split("No way")[0].rsplit("<mark", 1)[1]


def test_overlapping_and_out_of_range_pieces_are_skipped():
    bad = quotes() + [{"quote_id": "q3", "pieces": [[5, 9999]], "stance": "neutral"},
                      {"quote_id": "q4", "pieces": "not json", "start_char": 0, "end_char": 5,
                       "stance": None}]
    html = article_html(TEXT, bad)
    assert html.count("<mark") == 3  # q4 (0-5) kept, q3 out of range, q1/q2 kept
    assert "Intro" in html


def test_quote_card_escapes():
    assert "&lt;b&gt;" in quote_card("<b>x</b>", "opposed")
