"""Finding quotations in a parsed article.

In: a spaCy `Doc` (tagger, parser and NER run; the lemmatizer is not needed).
Out: `find_attributions(doc)` -> list of `Attribution` (analysis/records.py), in text order: every direct
quote (in quotation marks) and every indirect one (reported speech), with character offsets into
`doc.text` (quote marks excluded), the cue verb as written, and the speaker from analysis.speakers.

Layers, each a small function (mirroring GenderGapTracker's extractor, see STYLE.md):
1. `quote_spans`: pair quotation marks in the raw text (straight, curly, single, double), telling
   apostrophes from closing marks and following quotes across paragraphs.
2. `_cue_for_quote`: link each quoted span to a cue verb: the verb governing it in the parse, or a
   cue right after / right before it ("..., he said." / "He said: ...").
3. `_continuations`: a quote-only sentence right after an attributed quote continues it ("First
   part," she said. "Second part.") and becomes another piece of the same attribution.
4. `_indirect`: a cue verb with a clausal complement ("warned that ..."), "warn of ...", or
   "according to X, ..." gives an indirect quote.
Quoted phrases no cue governs (titles, scare quotes) are left out.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
import re

from spacy.attrs import IDX, LOWER
from spacy.tokens import Doc, Token

from analysis.cues import cue_forms
from analysis.records import Attribution, HasPieces, Span
from analysis.paragraphs import doc_text, in_heading, paragraph_bounds
from analysis.speakers import SpeakerResolver, find_speaker

RESOURCES = Path(__file__).parent / "resources"

# Two apostrophes or backticks stand for a double quote in some newspaper feeds (''like this'').
_MARKS = re.compile(r"''|``|[\"“”„‟«»‘’‚']|\n")
_DOUBLE_OPEN, _DOUBLE_CLOSE = "“„‟«", "”»"
_SINGLE_OPEN = "‘‚"
_OPENERS_BEFORE = " \t\n([{—–-/"  # a straight mark after one of these opens a quote
# Elisions that start with an apostrophe ('em, 'til, 'cause, the '90s): never a quote mark.
_ELISION = re.compile(r"(\d0s|\d\d\b|em\b|til\b|cause\b|n\b|tis\b)", re.IGNORECASE)
# Words a bare "it"/"that" clause may start with; content spans do not start with the complementizer.
_COMPLEMENTIZERS = {"that"}
_MIN_BARE_WORDS = 1


@dataclass
class QuoteSpan(HasPieces):
    """One quotation: its pieces (text between the marks, one per paragraph), quote marks excluded."""

    pieces: list[Span]
    double: bool = True
    tokens: tuple[int, int] = (0, 0)  # [first, last+1) token indices, filled by `_align`


@dataclass
class _Found:
    """An attribution under construction: its cue token and quote pieces."""

    cue: Token | None
    kind: str
    pieces: list[Span] = field(default_factory=list)
    speaker_from: Token | None = None  # for continuations: the cue whose speaker they share


# ---------------------------------------------------------------------------------------------
# Layer 1: quotation marks
# ---------------------------------------------------------------------------------------------


def _role(text: str, i: int, width: int = 1) -> str | None:
    """What the mark at `text[i:i+width]` is: "open", "close", "either", "close?" (s' may be a
    possessive) or None (an apostrophe)."""
    ch = text[i] if width == 1 else '"'
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + width] if i + width < len(text) else " "
    if ch == "`":
        return "open"
    if ch in _DOUBLE_OPEN:
        return "open"
    if ch in _DOUBLE_CLOSE:
        return "close"
    if ch == '"':
        if prev in _OPENERS_BEFORE or prev in "“‘'":
            return "open"
        if nxt.isspace() or not nxt.isalnum():
            return "close"
        return "either"
    # single marks: ‘ ’ '
    if prev.isalnum() and nxt.isalnum():
        return None  # don't, Ottawa's
    if (prev.isspace() or i == 0 or prev in "([—–-") and _ELISION.match(text, i + 1):
        return None  # the '90s, 'em
    if ch in _SINGLE_OPEN:
        return "open"
    if prev in _OPENERS_BEFORE or i == 0:
        return "open" if nxt.isalnum() or nxt in "“\"$(" else None
    if prev in "sS" and nxt.isspace():
        return "close?"  # troops' or the end of a quote ending in s
    return "close"


def _next_opens(text: str, i: int, double: bool) -> int | None:
    """Index of an opening mark starting the paragraph after position `i` (a newline), else None."""
    j = i
    while j < len(text) and text[j].isspace():
        j += 1
    if j >= len(text):
        return None
    ch = text[j]
    if double and (ch in _DOUBLE_OPEN or ch == '"' or text.startswith(("''", "``"), j)):
        return j
    if not double and (ch in _SINGLE_OPEN or ch == "'"):
        return j
    return None


def _clean(text: str, s: int, e: int) -> Span | None:
    """The span without surrounding whitespace, or None when empty."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e) if e > s else None


def _later_close(text: str, i: int) -> bool:
    """Whether a clear closing single mark follows in the same paragraph (so s' here is possessive)."""
    end = text.find("\n", i)
    rest = text[i + 1 : end if end >= 0 else len(text)]
    return re.search(r"[.,!?;:][’']", rest) is not None


def quote_spans(text: str) -> list[QuoteSpan]:
    """Pair the quotation marks of `text`; single marks inside double quotes are nested, ignored."""
    found: list[QuoteSpan] = []
    open_at: int | None = None
    double = True
    width = open_w = 1
    pieces: list[Span] = []
    for m in _MARKS.finditer(text):
        i = m.start()
        ch = text[i]
        width = m.end() - i
        if ch == "\n":
            if open_at is None:
                continue
            nxt = _next_opens(text, i, double)
            piece = _clean(text, open_at + open_w, i)
            if nxt is not None and piece:
                pieces.append(piece)  # the quote runs on into the next paragraph
                open_at = None
                continue
            if pieces and piece:  # a multi-paragraph quote whose last paragraph lacks its mark
                found.append(QuoteSpan(pieces + [piece], double))
            open_at, pieces = None, []
            continue
        is_double = ch in '"“”„‟«»' or width == 2
        if open_at is not None and is_double != double:
            continue  # nested marks of the other kind belong to the open quote
        role = _role(text, i, width)
        if role is None:
            continue
        if open_at is None:
            if role in ("open", "either") or (role == "close" and pieces):
                if pieces and role == "close":
                    continue
                open_at, double, open_w = i, is_double, width
            continue
        if role == "close?" and _later_close(text, i):
            continue
        if role in ("close", "close?", "either") or (role == "open" and (ch == '"' or width == 2)):
            piece = _clean(text, open_at + open_w, i)
            if piece:
                found.append(QuoteSpan(pieces + [piece], double))
            open_at, pieces = None, []
        elif role == "open" and is_double:
            open_at, open_w = i, width  # two openers in a row: the first lost its closing mark
    return found


# ---------------------------------------------------------------------------------------------
# Layers 2-4: linking quotes and cues
# ---------------------------------------------------------------------------------------------


def _align(doc: Doc, spans: list[QuoteSpan]) -> list[int]:
    """Fill each span's token range; return, per token, the index of the quote holding it or -1."""
    starts = doc.to_array([IDX]).tolist() if len(doc) else []  # no Token objects: speed
    inside = [-1] * len(doc)
    for q, span in enumerate(spans):
        first = bisect_left(starts, span.start)
        last = bisect_left(starts, span.end)
        span.tokens = (first, max(first, last))
        for s, e in span.pieces:
            for t in range(bisect_left(starts, s), bisect_left(starts, e)):
                inside[t] = q
    return inside


class _Ctx:
    """What the linking layers share for one doc: tokens inside quotes and paragraph breaks."""

    def __init__(self, doc: Doc, text: str, inside: list[int]) -> None:
        self.doc, self.inside, self.text = doc, inside, text  # doc.text rebuilds the string: once
        self.breaks = [m.start() for m in re.finditer(r"\n", text)]

    def para(self, char: int) -> int:
        """Paragraph number of a character offset (a newline ends a paragraph)."""
        return bisect_left(self.breaks, char)

    def speaker(self, cue: Token) -> Token | None:
        """The cue's speaker head, if it lies outside quotations and is not generic "you"."""
        head = find_speaker(cue, self.inside)
        if head is None or head.lower_ in ("you", "one"):
            return None
        return head


def _is_cue(tok: Token, inside: list[int], speech_only: bool = False) -> bool:
    """A cue verb outside any quotation."""
    info = cue_forms().get(tok.lower_)
    if info is None or inside[tok.i] >= 0 or tok.pos_ not in ("VERB", "AUX"):
        return False
    return not speech_only or info[0] == "speech"


def _governing_cue(ctx: _Ctx, span: QuoteSpan) -> Token | None:
    """The cue verb above the quote in the parse, in the quote's paragraph. Through a clausal
    complement the outer cue wins ("Obama said he expected Americans will say 'no'" is Obama's)."""
    doc = ctx.doc
    first, last = span.tokens
    paras = (ctx.para(span.start), ctx.para(span.end))
    for tok in doc[first:last]:
        head = tok.head
        if first <= head.i < last or head.i == tok.i or "according" in (tok.lower_, head.lower_):
            continue
        best, crossed, prev = None, False, tok
        for _ in range(12):
            if best is not None and prev.dep_ == "ccomp":
                crossed = True
            if paras[0] <= ctx.para(head.idx) <= paras[1] and _is_cue(head, ctx.inside):
                outer = best is None or (crossed and head.i < best.i)
                if outer and ctx.speaker(head) is not None:
                    best, crossed = head, False
            if head.head.i == head.i:
                break
            prev, head = head, head.head
        if best is not None:
            return best
    return None


def _according_to(ctx: _Ctx, span: QuoteSpan) -> Token | None:
    """An "according to X" attached to a verb inside the quote (According to X, "...")."""
    first, last = span.tokens
    for tok in ctx.doc[max(0, first - 12) : last]:
        if tok.lower_ == "according" and ctx.inside[tok.i] < 0 and ctx.speaker(tok) is not None:
            if first <= tok.head.i < last or tok.i < first:
                return tok
    return None


def _tight(doc: Doc, quote_last: int, verb: Token, subject: Token) -> bool:
    """Only punctuation, adverbs and the subject's words between a quote and a verb
    ("...," Bennett shot back): then any verb attributes the quote."""
    words = set(range(subject.left_edge.i, subject.right_edge.i + 1))
    return all(
        t.is_punct or t.pos_ in ("ADV", "PART") or t.i in words for t in doc[quote_last : verb.i]
    )


def _after_cue(ctx: _Ctx, span: QuoteSpan) -> Token | None:
    """A cue after the closing mark in the same sentence: a listed verb, or any verb right after
    its subject."""
    doc, inside = ctx.doc, ctx.inside
    first, last = span.tokens
    para = ctx.para(span.end)
    for tok in doc[last : min(len(doc), last + 30)]:
        if ctx.para(tok.idx) != para or (tok.is_sent_start and tok.i > last + 1 and inside[tok.i] < 0):
            break
        if inside[tok.i] >= 0:
            if inside[tok.i] != inside[first] and tok.i - last > 8:
                break
            continue
        if tok.pos_ != "VERB":
            continue
        who = ctx.speaker(tok)
        if who is None:
            continue
        if _is_cue(tok, inside, speech_only=True) or _tight(doc, last, tok, who):
            return tok
    return None


def _before_cue(ctx: _Ctx, span: QuoteSpan) -> Token | None:
    """A cue before the opening mark after a comma, colon or dash ("He said: ..."); after a colon
    or a dash any verb with a subject introduces the quote ("Trump went further: ...",
    "Whitfield summed up her objection in a single line — ...")."""
    doc, inside = ctx.doc, ctx.inside
    first = span.tokens[0]
    lo = max(0, span.start - 200)
    before = ctx.text[lo : span.start - 1].rstrip()
    if not before.endswith((",", ":", "—")):
        return None
    colon = before.endswith((":", "—"))
    if not colon and ctx.para(lo + len(before)) != ctx.para(span.start):
        return None
    for tok in reversed(doc[max(0, first - 20) : first]):
        if inside[tok.i] >= 0 or (tok.i < first - 1 and tok.text in ".!?"):
            break
        if tok.pos_ not in ("VERB", "AUX") or ctx.speaker(tok) is None:
            continue
        if _is_cue(tok, inside, speech_only=True) or (colon and tok.pos_ == "VERB"):
            return tok
    return None


def _ends_sentence(text: str, span: QuoteSpan) -> bool:
    """The quote's own words end a sentence ("... civilian-foolish.")."""
    return text[span.pieces[-1][0] : span.pieces[-1][1]].rstrip().endswith((".", "!", "?"))


def _is_bare(text: str, span: QuoteSpan) -> bool:
    """A quote that is a sentence of its own: nothing but punctuation around it in its sentence."""
    before = text[max(0, span.start - 200) : span.start - 1].rstrip(" \t")
    if before and before[-1] not in ".!?\n:”\"’'" and not before.endswith("\n"):
        return False
    after = text[span.end + 1 : span.end + 4].lstrip(" \t")
    return not after or after[0] in "\n.!?”\"’'(" or after[0].isupper()


def _headline_phrase(text: str, span: QuoteSpan) -> bool:
    """A short quoted phrase in the first line (headlines quote words as labels, not speech)."""
    return "\n" in text[span.end :] and text.find("\n") > span.end and len(
        text[span.start : span.end].split()
    ) < 4


# Words a title keeps in lower case ("Expansion of Controls on Unmanned Aircraft System Components").
_TITLE_SMALL_WORDS = frozenset(
    "a an and at by for from in of on or the to with".split())
_TITLE_WORD = re.compile(r"[^\W\d_][\w'’-]*")


# Verbs of plain saying: under them a capitalised phrase that ends a clause is speech
# ('"God Bless America," the president said'); naming and writing verbs take titles.
_SAYING = frozenset("say tell reply answer respond ask add chant shout yell cry exclaim insist".split())


def _title_phrase(text: str, span: QuoteSpan, cue: Token | None) -> bool:
    """A quoted name or title, not speech: two to ten words, each capitalised but for small
    ones, no sentence inside ("East Shield", "Area Denial Module", "Shared Service Act").
    Shouted capitals ("NO NEW MINES") are speech, and so is such a phrase said as a clause of
    its own: under a verb of plain saying, with punctuation before and after it."""
    quoted = " ".join(text[s:e] for s, e in span.pieces).strip()
    words = _TITLE_WORD.findall(quoted)
    if not 2 <= len(words) <= 10 or re.search(r"[.!?;:]", quoted) or quoted.isupper():
        return False
    if not (words[0][0].isupper() and all(w[0].isupper() or w.lower() in _TITLE_SMALL_WORDS
                                          for w in words)):
        return False
    said = cue is not None and cue_forms().get(cue.lower_, ("", ""))[1] in _SAYING
    before = text[: span.start].rstrip(" \t'\"‘“`")  # the opening mark may be two characters
    opens_clause = not before or not before[-1].isalnum()  # not 'said on "Face the Nation,"'
    closed = quoted.endswith(",") or text[span.end + 1 : span.end + 2] in (",", ".", "!", "?")
    return not (said and opens_clause and closed)


def _link_direct(ctx: _Ctx, spans: list[QuoteSpan]) -> list[_Found]:
    """Group quote spans under their cue; quote-only sentences after an attribution continue it."""
    found: list[_Found] = []
    by_cue: dict[int, _Found] = {}
    last: _Found | None = None
    for span in spans:
        if _headline_phrase(ctx.text, span):
            continue
        cue = _governing_cue(ctx, span) or _according_to(ctx, span)
        if cue is None:
            before = _before_cue(ctx, span)
            # A quote that ends its sentence belongs to the clause that introduced it, not to the
            # next sentence's verb ("Whitfield put it bluntly: 'Too costly.' Sundquist objected.")
            if before is None or not _ends_sentence(ctx.text, span):
                cue = _after_cue(ctx, span) or before
            else:
                cue = before
        if _title_phrase(ctx.text, span, cue):
            continue
        if cue is not None:
            item = by_cue.get(cue.i)
            if item is None:
                item = by_cue[cue.i] = _Found(cue, "direct")
                found.append(item)
            item.pieces.extend(span.pieces)
            last = item
        elif last is not None and _is_bare(ctx.text, span) and _continues(ctx.text, last, span):
            last.pieces.extend(span.pieces)
    return found


def _continues(text: str, prev: _Found, span: QuoteSpan) -> bool:
    """Whether only a short attribution (no other quote, at most one paragraph break) separates
    the previous attributed quote from this one."""
    gap = text[prev.pieces[-1][1] : span.start]
    if gap.count("\n\n") > 1 or gap.count("\n") > 2:
        return False
    return len(gap.split()) <= 25


def _clause_span(doc: Doc, head: Token, inside: list[int]) -> Span | None:
    """Character span of a clause (the subtree of `head`), without a leading "that" or punctuation."""
    left, right = head.left_edge.i, head.right_edge.i
    while left <= right and (doc[left].is_punct or doc[left].lower_ in _COMPLEMENTIZERS):
        left += 1
    return _trim(doc, left, right, inside)


@lru_cache(maxsize=1)
def object_cues() -> frozenset[str]:
    """Lemmas whose object or to-infinitive is the content (resources/object_cues.txt)."""
    lines = (RESOURCES / "object_cues.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip() for x in lines if x.strip() and not x.startswith("#"))


def _around(doc: Doc, cue: Token, main: Token, inside: list[int]) -> Span | None:
    """The clause of `main` without the attribution phrase of `cue` ("According to X, ..." or
    "..., she said, ..."): the side after the cue, or the side before when nothing follows."""
    if main.i == cue.i or inside[main.i] >= 0:
        return None
    lo, hi = cue.left_edge.i, cue.right_edge.i
    toks = [t.i for t in main.subtree if t.i < lo or t.i > hi]
    after = [i for i in toks if i > hi]
    side = after if len(after) > 2 else [i for i in toks if i < lo]
    return _trim(doc, min(side), max(side), inside) if side else None


def _indirect_content(doc: Doc, cue: Token, inside: list[int]) -> Span | None:
    """The reported content of a cue verb: its clausal complement; "warn of X"; the object or
    to-infinitive of an object cue; or the clause around "according to X" or a parenthetical
    "..., she said, ..." (parataxis)."""
    if cue.lower_ == "according":
        return _around(doc, cue, cue.head, inside)
    lemma = cue_forms()[cue.lower_][1]
    fallback = None
    for child in cue.children:
        if child.dep_ == "ccomp" and child.pos_ in ("VERB", "AUX"):
            return _clause_span(doc, child, inside)
        if child.dep_ == "prep" and child.lower_ in ("of", "about") and lemma == "warn":
            return _trim(doc, child.i, child.right_edge.i, inside)
        if lemma in object_cues() and fallback is None:
            if child.dep_ == "xcomp" and child.pos_ == "VERB":
                fallback = _trim(doc, child.left_edge.i, child.right_edge.i, inside)
            elif child.dep_ == "dobj" and child.pos_ in ("NOUN", "PROPN"):
                fallback = _trim(doc, child.left_edge.i, _object_end(child), inside)
    if fallback is None and cue.dep_ == "parataxis" and lemma in ("say", "tell", "add", "write"):
        return _around(doc, cue, cue.head, inside)
    return fallback


def _object_end(obj: Token) -> int:
    """Last token of an object with its "of/for" complement ("accused X of lying")."""
    end = obj.right_edge.i
    for sib in obj.head.children:
        if sib.i > obj.i and sib.dep_ == "prep" and sib.lower_ in ("of", "for"):
            end = max(end, sib.right_edge.i)
    return end


def _trim(doc: Doc, left: int, right: int, inside: list[int]) -> Span | None:
    """Character span of tokens [left, right] without edge punctuation; None if short or quoted."""
    while left <= right and (doc[left].is_punct or doc[left].is_space):
        left += 1
    while right >= left and (doc[right].is_punct or doc[right].is_space):
        right -= 1
    if right - left < 2 or any(inside[i] >= 0 for i in range(left, right + 1)):
        return None
    return (doc[left].idx, doc[right].idx + len(doc[right]))


def _cue_hashes(doc: Doc) -> frozenset[int]:
    """Hashes of every cue form (and "according") in the doc's string store."""
    strings = doc.vocab.strings
    return frozenset(strings.add(w) for w in (*cue_forms(), "according"))


def _indirect(doc: Doc, inside: list[int], used: set[int]) -> list[_Found]:
    """Reported speech and thought: cue verbs outside quotes with a clausal content."""
    found: list[_Found] = []
    forms = cue_forms()
    if not len(doc):
        return found
    wanted = _cue_hashes(doc)
    lowers = doc.to_array([LOWER]).tolist()  # filter on hashes first: no Token per word
    for i in (i for i, h in enumerate(lowers) if h in wanted):
        tok = doc[i]
        if tok.i in used or inside[tok.i] >= 0:
            continue
        if tok.lower_ != "according" and (tok.lower_ not in forms or tok.pos_ not in ("VERB", "AUX")):
            continue
        if in_heading(doc_text(doc), tok.idx):  # "Critics Warn of Civilian Toll": a label, not a report
            continue
        content = _indirect_content(doc, tok, inside)
        if content is not None:
            content = _in_paragraph(doc, content, tok)
        if content is None or find_speaker(tok, inside) is None:
            continue
        found.append(_Found(tok, "indirect", [content]))
    return found


_NEXT_LINE = re.compile(r"\S[^\n]*")  # from an offset: the next line with any text


def _in_paragraph(doc: Doc, content: Span, cue: Token) -> Span | None:
    """The part of `content` in the cue's paragraph (and the next one when the cue's ends in a
    colon: "The governor added:"): a parse run across a line break (a headline read as the
    subject's clause) is cut back to it. None when fewer than three words are left."""
    text = doc_text(doc)
    start, end = paragraph_bounds(text, cue.idx)
    following = _NEXT_LINE.search(text, end)
    if following and text[start:end].rstrip().endswith(":"):
        end = paragraph_bounds(text, following.start())[1]
    lo, hi = max(content[0], start), min(content[1], end)
    piece = text[lo:hi]
    stripped = piece.strip(" \t\r\n,;:—–-")
    if len(stripped.split()) < 3:
        return None
    lo += piece.index(stripped)
    return (lo, lo + len(stripped))


def _cue_text(doc: Doc, cue: Token | None) -> str | None:
    """The cue as written: the verb (with its particle, "pointed out") or "according to"."""
    if cue is None:
        return None
    if cue.lower_ == "according":
        nxt = doc[cue.i + 1] if cue.i + 1 < len(doc) else None
        return cue.text + (" " + nxt.text if nxt is not None and nxt.lower_ == "to" else "")
    prt = [c for c in cue.children if c.dep_ == "prt" and c.i == cue.i + 1]
    return cue.text + (" " + prt[0].text if prt else "")


def find_attributions(doc: Doc) -> list[Attribution]:
    """Every quotation of the article, direct and indirect, in text order, with its speaker."""
    text = doc_text(doc)
    spans = quote_spans(text)
    inside = _align(doc, spans)
    ctx = _Ctx(doc, text, inside)
    direct = _link_direct(ctx, spans)
    used = {f.cue.i for f in direct if f.cue is not None}
    taken = [p for f in direct for p in f.pieces]
    indirect = []
    for f in _indirect(doc, inside, used):
        # two cue rules can find the same content ("intend to ..." under two verbs): keep one
        if not _overlaps(f.pieces[0], taken):
            indirect.append(f)
            taken.extend(f.pieces)
    resolver = SpeakerResolver(doc, inside)
    items = sorted(direct + indirect, key=lambda f: f.pieces[0][0])
    speakers = [resolver.resolve(f.cue) if f.cue is not None else None for f in items]
    out: list[Attribution] = []
    for item, who in zip(items, speakers):
        out.append(
            Attribution(
                pieces=tuple(sorted(item.pieces)),
                kind=item.kind,
                cue=_cue_text(doc, item.cue),
                speaker=who.speaker if who else None,
                speaker_mention=who.mention if who else None,
                anonymous=who.anonymous if who else False,
                speaker_context=(resolver.context(who.speaker) or who.context) if who else "",
            )
        )
    return out


def _overlaps(span: Span, pieces: list[Span]) -> bool:
    """Whether an indirect content span overlaps a direct quote (which then takes precedence)."""
    return any(s < span[1] and e > span[0] for s, e in pieces)
