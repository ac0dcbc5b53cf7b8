"""An article as HTML with its quotes highlighted: the Quotes page's reading view.

In: the article text and its quotes (pieces, speaker, actor type, stance). Out: an HTML string.
Every character of article text goes through `html.escape`, so an article containing `<script>`
shows that text and runs nothing; only the markup written here is HTML.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
import html
import json
from typing import Any

from analysis.charts import STANCE_COLORS

UNSCORED = "#BBBBBB"


def quote_pieces(q: Mapping[str, Any]) -> list[tuple[int, int]]:
    """A stored quote's [start, end) pieces in its article (its JSON `pieces`, else the span)."""
    raw = q.get("pieces")
    try:
        spans = json.loads(raw) if isinstance(raw, str) else list(raw or [])
    except ValueError:
        spans = []
    return [(int(s), int(e)) for s, e in spans] or [(int(q["start_char"]), int(q["end_char"]))]


def _label(q: Mapping[str, Any]) -> str:
    who = q.get("speaker") or q.get("speaker_mention") or "unknown speaker"
    return f"{who} ({q.get('actor_type') or 'other'}) · {q.get('stance') or 'unscored'}"


def article_html(text: str, quotes: Iterable[Mapping[str, Any]],
                 selected: str | None = None) -> str:
    """The text with each quote piece in a <mark> of its stance colour, the speaker named after it.

    Overlapping pieces (rare: two extractions of one span) keep the first; `selected` (a quote id)
    gets an outline so the reader finds the quote they clicked.
    """
    spans: list[tuple[int, int, Mapping[str, Any], bool]] = []
    for q in quotes:
        pieces = quote_pieces(q)
        for i, (s, e) in enumerate(pieces):
            spans.append((s, e, q, i == len(pieces) - 1))
    spans.sort(key=lambda t: (t[0], t[1]))
    out: list[str] = []
    pos = 0
    for start, end, q, last in spans:
        if start < pos or end > len(text) or start >= end:
            continue
        out.append(html.escape(text[pos:start]))
        colour = STANCE_COLORS.get(str(q.get("stance")), UNSCORED)
        outline = "outline:3px solid #222;" if q.get("quote_id") == selected else ""
        label = html.escape(_label(q), quote=True)
        out.append(f'<mark title="{label}" style="background:{colour}33;'
                   f'border-bottom:3px solid {colour};{outline}padding:0 1px">'
                   f"{html.escape(text[start:end])}</mark>")
        if last:
            out.append(f'<sup style="color:{colour};font-weight:600"> [{label}]</sup>')
        pos = end
    out.append(html.escape(text[pos:]))
    # no inner scrolling: the chosen quote must be findable without scrolling a nested box
    return ('<div style="white-space:pre-wrap;line-height:1.6;font-size:1rem;'
            'border:1px solid #ddd;padding:1rem;border-radius:6px">' + "".join(out) + "</div>")


def quote_card(quote: str, colour_of: str | None) -> str:
    """The chosen quote as an escaped block quote in its stance colour."""
    colour = STANCE_COLORS.get(str(colour_of), UNSCORED)
    return (f'<blockquote style="border-left:4px solid {colour};margin:0 0 .5rem 0;'
            f'padding:.25rem .75rem;background:{colour}14">{html.escape(quote)}</blockquote>')
