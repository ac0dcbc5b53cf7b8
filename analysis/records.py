"""Typed records passed between stages.

In: nothing (plain data). Out: `Article` (one ingested document), `Attribution` (a quote found in a
spaCy doc, with its speaker), `Quote` (one row of the extraction contract, see DESIGN.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
import hashlib

ACTOR_TYPES: tuple[str, ...] = (
    "military",
    "executive",
    "congressional",
    "humanitarian",
    "international",
    "expert",
    "other",
)
STANCES: tuple[str, ...] = ("supportive", "opposed", "neutral")
KINDS: tuple[str, ...] = ("direct", "indirect")
# Bumped (to the day's date; ".2", ".3" for later bumps on one day; `version_order` sorts them)
# whenever a change to extraction, speakers or actor types changes what is stored for an
# article. A store remembers the oldest version whose quotes it holds, so the dashboard can say
# when `python -m analysis reextract` would bring it up to date. tests/test_extractor_version.py
# fails when the demo articles' extraction changes and this does not.
EXTRACTOR_VERSION = "2026-11-25.9.2"


def version_order(version: str) -> tuple[int, ...]:
    """An extractor version as numbers, to compare: as text, "2026-11-25.10" came before ".9"."""
    return tuple(int(part) for part in version.replace("-", ".").split(".") if part.isdigit())

Span = tuple[int, int]


def text_sha256(text: str) -> str:
    """Hex SHA-256 of the UTF-8 text: the identity of an article."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class HasPieces:
    """`start` and `end` of a record made of `pieces` ([start, end) character spans, in order)."""

    pieces: Sequence[Span]

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]


@dataclass(frozen=True)
class Article:
    """One ingested document; `text` is exactly what quote offsets index into."""

    doc_id: str
    text: str
    title: str | None = None
    outlet: str | None = None
    published: date | None = None
    url: str | None = None
    issue: str | None = None
    source: str | None = None  # file path or "pasted"

    @property
    def sha256(self) -> str:
        return text_sha256(self.text)

    @property
    def article_id(self) -> str:
        """Stable id: the same text always gets the same id, whatever its file name."""
        return self.sha256[:16]


@dataclass(frozen=True)
class Attribution(HasPieces):
    """A quotation found in a text, attributed to a speaker (no actor type or stance yet).

    `pieces` are [start, end) character offsets into the article text; a quote split by its
    attribution ("First part," she said. "Second part.") has several pieces.
    """

    pieces: tuple[Span, ...]
    kind: str  # "direct" | "indirect"
    cue: str | None = None
    speaker: str | None = None  # canonical name, one per person per article
    speaker_mention: str | None = None  # the words used at this quote ("he", "the senator")
    anonymous: bool = False
    # The text around the speaker's mentions (titles, organisations) that actor typing reads.
    speaker_context: str = ""

    def text_in(self, text: str) -> str:
        """The quoted words: the pieces joined with one space."""
        return " ".join(text[s:e] for s, e in self.pieces)


@dataclass(frozen=True)
class StanceScore:
    stance: str
    p_supportive: float
    p_opposed: float
    p_neutral: float
    model_version: str


@dataclass(frozen=True)
class Quote(HasPieces):
    """One row of the extraction contract (DESIGN.md, "The extraction contract")."""

    doc_id: str
    quote: str
    pieces: tuple[Span, ...]
    kind: str
    cue: str | None
    speaker: str | None
    speaker_mention: str | None
    actor_type: str
    anonymous: bool
    stance: str | None = None
    p_supportive: float | None = None
    p_opposed: float | None = None
    p_neutral: float | None = None
    model_version: str | None = None
    article_id: str | None = field(default=None, compare=False)
    # Stored so actor types can be recomputed when the gazetteer changes; not in the contract.
    speaker_context: str = field(default="", compare=False)

    @property
    def quote_id(self) -> str:
        """Stable across rebuilds: the article's text hash plus the span."""
        key = f"{self.article_id or self.doc_id}:{self.start}:{self.end}"
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]

    def to_json(self) -> dict:
        """The contract's JSON object, keys in the documented order."""
        return {
            "doc_id": self.doc_id,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "pieces": [list(p) for p in self.pieces],
            "kind": self.kind,
            "cue": self.cue,
            "speaker": self.speaker,
            "speaker_mention": self.speaker_mention,
            "actor_type": self.actor_type,
            "anonymous": self.anonymous,
            "stance": self.stance,
            "p_supportive": self.p_supportive,
            "p_opposed": self.p_opposed,
            "p_neutral": self.p_neutral,
        }
