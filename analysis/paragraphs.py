"""Paragraphs and headings of an article's text, as a reader sees them.

In: the article text (or a spaCy `Doc`, for `doc_text`). Out: `paragraph_bounds(text, pos)`, the
[start, end) of the paragraph holding an offset, and `in_heading(text, pos)`, whether it lies in
a headline, deck or subheading. Speakers are never taken across a paragraph, reported speech is
cut at its paragraph's end, and a cue inside a heading reports nothing (analysis.speakers and
analysis.quotes). Texts come two ways: a paragraph a line (news files, the HTML reader) or
hard-wrapped at a width with blank lines between paragraphs; `_hard_wrapped` tells them apart.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc

from analysis.nlp import DATELINE


def doc_text(doc: Doc) -> str:
    """`doc.text`, built once per doc: spaCy joins every token again at each `doc.text`."""
    text = doc.user_data.get("stance_text")
    if text is None:
        text = doc.user_data["stance_text"] = doc.text
    return text


MAX_HEADING_WORDS = 20  # the longest demo or held-out headline has 16
_SENTENCE_END = tuple(".!?:\"'”’)]…")


def _title_case(line: str) -> bool:
    long_words = [w for w in line.lstrip("#").split() if len(w) >= 4 and w[0].isalpha()]
    return bool(long_words) and all(w[0].isupper() for w in long_words)


# Words a line cannot end on when its sentence ends there ("... said on Tuesday that").
_GOES_ON = frozenset("a an and as at but by for from in into of on or said says than that the "
                     "their its his her to told was were which who with would will".split())


def _ends_mid_sentence(line: str, following: str, first: bool) -> bool:
    line = line.strip()
    if following[:1].islower() and not line.endswith(_SENTENCE_END):
        return True
    if line.endswith(",") or line.rsplit(None, 1)[-1] in _GOES_ON:
        return True
    # a headline ends without punctuation; a body line that does so is cut mid-sentence
    return not first and not line.endswith(_SENTENCE_END)


def _hard_wrapped(lines: list[str]) -> bool:
    """Whether the text is wrapped at a width (a paragraph over several lines) rather than
    written a paragraph a line: a third or more of the lines that another line follows end
    mid-sentence. A line before a blank line ends its paragraph either way and is not counted.
    News files, the HTML reader's output and the demo and held-out articles have none."""
    counted = open_lines = 0
    first = True  # no line with text yet
    for i, line in enumerate(lines):
        following = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if line.strip() and following:
            counted += 1
            open_lines += _ends_mid_sentence(line, following, first)
        first = first and not line.strip()
    return open_lines > 0 and open_lines >= counted / 3


def _is_heading(line: str, previous: str, following: str, first: bool, blank_after: bool,
                after_heading: bool) -> bool:
    """A headline, deck or subheading on its own line: at most 20 words ending in a letter or
    digit, not continued in lower case, starting a block (first line, after a blank line, a
    finished sentence or another heading), and either the first line with a blank line after
    it, every long word capitalised ("Critics Warn of Civilian Toll"), or a dateline on the
    next line ("Baltic states warn of response" / "BRUSSELS (Wire) - ...")."""
    line, previous, following = line.strip(), previous.strip(), following.strip()
    body = line.lstrip("#").strip()
    if not body or not line[-1].isalnum() or len(body.split()) > MAX_HEADING_WORDS:
        return False
    if following[:1].islower():
        return False
    if previous and not (after_heading or previous.endswith(_SENTENCE_END)):
        return False
    return bool((first and blank_after) or DATELINE.match(following) or _title_case(body))


@lru_cache(maxsize=16)  # every cue of an article asks; articles come one after another
def _paragraphs(text: str) -> tuple[tuple[int, int, bool], ...]:
    """(start, end, is a heading) of each paragraph. A text written a paragraph a line splits at
    every line; a hard-wrapped one (`_hard_wrapped`) at blank lines only. Either way a heading
    line (`_is_heading`) is a paragraph of its own."""
    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line), line))
        pos += len(line) + 1
    wrapped = _hard_wrapped([ln for _, _, ln in lines])
    blocks: list[tuple[int, int, bool]] = []
    start = None
    previous, first, after_heading = "", True, False  # previous is "" after a blank line
    for i, (a, b, line) in enumerate(lines):
        if not line.strip() or not wrapped:
            if start is not None:
                blocks.append((start, lines[i - 1][1], False))
                start = None
            if not line.strip():
                previous, after_heading = "", False
                continue
        following = next((ln for _, _, ln in lines[i + 1:] if ln.strip()), "")
        blank_after = i + 1 == len(lines) or not lines[i + 1][2].strip()
        heading = _is_heading(line, previous, following, first, blank_after, after_heading)
        previous, first, after_heading = line, False, heading
        if heading:
            if start is not None:
                blocks.append((start, lines[i - 1][1], False))
            blocks.append((a, b, True))
            start = None
        elif not wrapped:
            blocks.append((a, b, False))
        elif start is None:
            start = a
    if start is not None:
        blocks.append((start, lines[-1][1], False))
    return tuple(blocks)


def _paragraph_at(text: str, pos: int) -> tuple[int, int, bool]:
    """The `_paragraphs` entry holding offset `pos`; between paragraphs, the gap itself."""
    for block in _paragraphs(text):
        if block[0] <= pos < block[1]:
            return block
        if pos < block[0]:
            break
    return pos, pos + 1, False


def in_heading(text: str, pos: int) -> bool:
    """Whether offset `pos` lies in a headline or subheading line (`_is_heading`)."""
    return _paragraph_at(text, pos)[2]


def paragraph_bounds(text: str, pos: int) -> tuple[int, int]:
    """[start, end) of the paragraph (`_paragraphs`) holding offset `pos`; between paragraphs,
    the line break or blank line itself."""
    start, end, _ = _paragraph_at(text, pos)
    return start, end
