"""Actor typing: which kind of voice a speaker is.

In: an `Attribution` (speaker, the mention used, and the speaker's description in the article) and
an optional user gazetteer (`data/gazetteer.csv`). Out: one of `records.ACTOR_TYPES`. Across
articles, `types_across_articles` gives a quote whose own article names no role for its speaker
the type that speaker's other articles give them.

The gazetteer wins over the built-in lexicon (`resources/actor_lexicon.csv`). The speaker's name
and the words used for them are read before their description. The lexicon has tiers: names
of bodies and specific titles ("Red Cross", "Pentagon", "Senator") are tier 1, generic words
("committee", "officer", nationalities) tier 2, so "International Committee of the Red Cross" is
humanitarian and "a Ukrainian brigade commander" military. Within a tier, the match that starts
earliest wins, and the longest at that position: titles come before names in news style
("Defense Secretary Peter Hegseth", "Senator John McCain, a Republican who ... military
equipment"), so the first role word is the strongest evidence. Tier 3 ("Dr.") counts only when
no other tier matches anywhere.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
import re

from analysis.errors import StanceError
from analysis.records import ACTOR_TYPES, Attribution

LEXICON = Path(__file__).with_name("resources") / "actor_lexicon.csv"
DEFAULT_GAZETTEER = Path(__file__).resolve().parents[1] / "data" / "gazetteer.csv"


# Words (with inner dots and hyphens: "U.N", "Test-Ban") and single punctuation marks, so a
# possessive ("Pentagon's") still shows its name. Phrases and texts are split the same way, with
# curly apostrophes read as straight ones, so matching is a dict lookup.
TOKEN = re.compile(r"\w+(?:[.-]\w+)*|[^\w\s]")


def _straight(text: str) -> str:
    return text.replace("’", "'")


def tokens(text: str) -> list[str]:
    """The words and punctuation marks of `text`."""
    return TOKEN.findall(_straight(text))


@dataclass(frozen=True)
class PhraseTable:
    """Phrases as token tuples: `exact` (phrases with a capital letter match their case),
    `folded` (all-lowercase phrases match any case), and `regexes` (gazetteer `re:` entries)."""

    exact: dict[tuple[str, ...], str]
    folded: dict[tuple[str, ...], str]
    regexes: tuple[tuple[re.Pattern[str], str], ...] = ()
    longest: int = 0

    def first_match(self, text: str) -> str | None:
        """The type of the earliest (then longest) phrase in `text`, or None."""
        if not text:
            return None
        found = self._token_match(text)
        for pattern, kind in self.regexes:
            m = pattern.search(text)
            if m and (found is None or m.start() < found[0]):
                found = (m.start(), kind)
        return found[1] if found else None

    def _token_match(self, text: str) -> tuple[int, str] | None:
        if not self.longest:
            return None
        spans = [(m.start(), m.group()) for m in TOKEN.finditer(_straight(text))]
        words = [w for _, w in spans]
        lowered = [w.lower() for w in words]
        for i in range(len(words)):
            for n in range(min(self.longest, len(words) - i), 0, -1):
                kind = self.exact.get(tuple(words[i : i + n])) or self.folded.get(tuple(lowered[i : i + n]))
                if kind:
                    return spans[i][0], kind
        return None


def compile_phrases(entries: list[tuple[str, str]]) -> PhraseTable:
    """Index (phrase, actor_type) pairs; the first entry for a phrase wins."""
    exact: dict[tuple[str, ...], str] = {}
    folded: dict[tuple[str, ...], str] = {}
    regexes = []
    for phrase, kind in entries:
        if phrase.startswith("re:"):
            regexes.append((re.compile(phrase[3:]), kind))
            continue
        key = tuple(tokens(phrase))
        if not key:
            continue
        if phrase == phrase.lower():
            folded.setdefault(key, kind)
        else:
            exact.setdefault(key, kind)
    longest = max((len(k) for k in (*exact, *folded)), default=0)
    return PhraseTable(exact, folded, tuple(regexes), longest)


def numbered_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line number in the file, row) of every entry of a CSV table such as the gazetteer.

    Blank lines and comment lines (#) are skipped, and the first other line is the header. One
    entry per line, so each row keeps the number of its line in the file, comments counted.
    """
    with path.open(encoding="utf-8", newline="") as fh:
        numbered = [(n, line) for n, line in enumerate(fh, start=1)
                    if line.strip() and not line.lstrip().startswith("#")]
    return [(n, row) for (n, _), row in zip(numbered[1:],
                                            csv.DictReader(line for _, line in numbered))]


def _read_rows(path: Path, phrase_col: str) -> list[tuple[str, str, int]]:
    """(phrase, actor type, tier) rows of a CSV; comment lines (#) are skipped."""
    rows = []
    for n, row in numbered_rows(path):
        phrase = (row.get(phrase_col) or "").strip()
        kind = (row.get("actor_type") or "").strip().lower()
        if not phrase:
            continue
        if kind not in ACTOR_TYPES:
            raise StanceError(
                f"{path}: line {n}: actor type {kind!r} is not one of {', '.join(ACTOR_TYPES)}"
            )
        if phrase.startswith("re:"):
            try:
                re.compile(phrase[3:])
            except re.error as exc:
                raise StanceError(f"{path}: line {n}: bad regular expression: {exc}") from exc
        rows.append((phrase, kind, int(row.get("tier") or 1)))
    return rows


Gazetteer = PhraseTable


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """The user's name/pattern -> actor type table (empty when the file does not exist).

    Raises:
        StanceError: a row names an unknown actor type or holds a bad regular expression.
    """
    path = path or DEFAULT_GAZETTEER
    if not path.exists():
        return PhraseTable(None, ())
    return compile_phrases([(p, k) for p, k, _ in _read_rows(path, "pattern")])


@lru_cache(maxsize=1)
def builtin_lexicon() -> tuple[PhraseTable, PhraseTable, PhraseTable]:
    """The built-in lexicon's three tiers (specific, generic, last resort), compiled once."""
    rows = _read_rows(LEXICON, "phrase")
    return tuple(compile_phrases([(p, k) for p, k, t in rows if t == tier]) for tier in (1, 2, 3))


# "a retired Army sergeant", "the former senator", "who served as an Army engineer": a role
# someone no longer holds says what they were, not which voice they speak with now, so the phrase
# up to where the description moves on ("who", "now", "and", "turned", a comma) is not read; "now
# teaches at the University" still is. Lowercase only, or first in the text ("Retired Colonel X"),
# so that a name ("the Former Yugoslav Republic") is read; "has served" is a role still held.
_PAST_ROLE = re.compile(
    r"(?:\b(?:retired|former)|(?:^|(?<=\| ))(?:Retired|Former)|(?<!has )(?<!have )\bserved\s+"
    r"(?:as|in|with))\s+.*?(?=[,;()|]|\b(?:who|now|and|turned|became|then)\b|$)"
    r"|\bex-[\w-]+")


# A past role as what the description says the person is: at the start of a mention or right
# after the name ("Retired Colonel X", "X, a former senator", "X, who served as ..."), not any
# "former" in it ("who replaced former spokesperson Y", "at a former Soviet air base").
_PAST_SELF = re.compile(
    r"(?:^|[|,]\s*)(?:(?:a|an|the)\s+)?(?:retired|former|ex-)\b"
    r"|,\s*who\s+(?:once\s+|had\s+)?served\s+(?:as|in|with)\b", re.IGNORECASE)


def without_past_roles(text: str) -> str:
    """`text` without the roles it says a person held before ("retired colonel", "former MP")."""
    return _PAST_ROLE.sub(" ", text)


def _name_part(speaker: str | None, mention: str | None) -> str:
    return " | ".join(s for s in (speaker, mention) if s)


def gazetteer_type(
    speaker: str | None, mention: str | None, context: str, gazetteer: Gazetteer
) -> str | None:
    """The type the user's gazetteer gives the speaker: read in their name and mention first,
    then in their description; None when no entry matches."""
    for text in (_name_part(speaker, mention), context):
        found = gazetteer.first_match(text)
        if found:
            return found
    return None


def named_actor_type(
    speaker: str | None, mention: str | None, context: str, gazetteer: Gazetteer | None = None
) -> str | None:
    """The actor type the speaker's name, mention or description names; None when none does.

    A role they held before ("the former senator") and nothing current names "other".
    """
    if gazetteer is not None:  # a person's own rules see every word, "retired" ones included
        found = gazetteer_type(speaker, mention, context, gazetteer)
        if found:
            return found
    name_part = _name_part(speaker, mention)
    # The name and mention first: "Senator X" needs no context; then the description. A bare
    # "Dr." (tier 3) only counts when nothing else does: "Dr. Amara Nwosu of Human Rights Watch"
    # is humanitarian, "Dr. Sami Haddad, a surgeon" other.
    specific, generic, last_resort = builtin_lexicon()
    texts = (without_past_roles(name_part), without_past_roles(context))
    for tables in ((specific, generic), (last_resort,)):
        for text in texts:
            for table in tables:
                found = table.first_match(text)
                if found:
                    return found
    # "Tim Ash, a retired Army engineer" says he holds no role now: that is evidence too
    if _PAST_SELF.search(name_part) or _PAST_SELF.search(context):
        return "other"
    return None


def actor_type_of(
    speaker: str | None, mention: str | None, context: str, gazetteer: Gazetteer | None = None
) -> str:
    """Actor type from a speaker's name, the words used for them, and their description."""
    return named_actor_type(speaker, mention, context, gazetteer) or "other"


def actor_type(att: Attribution, gazetteer: Gazetteer | None = None) -> str:
    """Actor type of an attribution's speaker (see module docstring for the order of evidence)."""
    return actor_type_of(att.speaker, att.speaker_mention, att.speaker_context, gazetteer)


@dataclass(frozen=True)
class SpeakerMention:
    """One quote's speaker as typing across articles needs it."""

    speaker: str | None
    article_id: str
    anonymous: bool
    named_type: str | None  # `named_actor_type` of this quote's own words; None when they name none


def _full_name(speaker: str | None) -> bool:
    """A given name and a surname at least ("Jonah Reyes", "Dries da Sabri"), not "the ministry"."""
    words = (speaker or "").split()
    return len(words) >= 2 and words[0][:1].isupper() and words[-1][:1].isupper()


def speaker_types(mentions: Iterable[SpeakerMention]) -> dict[str, str]:
    """For each named person, the actor type most of their articles give them.

    Only full names count (two words or more, not anonymous): "Reyes" or "the ministry" may be
    different speakers in different articles. Ties go to the type more of their quotes carry,
    then to the earlier type in `ACTOR_TYPES`.
    """
    articles: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    quotes: Counter[tuple[str, str]] = Counter()
    for m in mentions:
        if m.named_type and not m.anonymous and _full_name(m.speaker):
            articles[m.speaker][m.named_type].add(m.article_id)
            quotes[m.speaker, m.named_type] += 1
    return {
        speaker: min(by_type, key=lambda t: (-len(by_type[t]), -quotes[speaker, t], ACTOR_TYPES.index(t)))
        for speaker, by_type in articles.items()
    }


def types_across_articles(mentions: Sequence[SpeakerMention]) -> list[str]:
    """Each quote's actor type: what its own article says of the speaker, or else what the
    speaker's other articles say, or else "other".

    A spokesperson introduced as "State Department spokesperson Jonah Reyes" in one article and
    as "Reyes, a spokesperson" in the next is the same executive voice in both; typed article by
    article, the second is "other" and the person shows up under two types.
    """
    known = speaker_types(mentions)
    return [
        m.named_type or (None if m.anonymous else known.get(m.speaker or "")) or "other"
        for m in mentions
    ]
