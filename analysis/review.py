"""Acting on people's corrections: re-typing after a gazetteer edit, retraining from corrections.

In: a store connection (and the gazetteer file / model folder). Out: predictions in the store
brought up to date; corrections themselves are never touched, they keep winning in `quote_facts`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
import hashlib
from pathlib import Path
import re
import shutil
import tempfile
from typing import Any

import duckdb

from analysis.actors import (
    DEFAULT_GAZETTEER,
    Gazetteer,
    SpeakerMention,
    compile_phrases,
    gazetteer_type,
    load_gazetteer,
    numbered_rows,
    named_actor_type,
    types_across_articles,
)
from analysis.errors import StanceError
from analysis.records import ACTOR_TYPES
from analysis.store import update_stances
from analysis.store.annotations import names_ever_given, resolve_speaker
from analysis.stance.context import QuoteSpan, score_in_context
from analysis.store.review import (
    SpeakerDescription,
    StoredQuote,
    article_texts,
    articles_quoting,
    quotes_for_rescoring,
    speaker_descriptions,
    speakers_in,
    stance_corrections,
    update_actor_types,
)
from analysis.wording import counted

# Fewer corrections than this cannot be split into training and a fair held-out comparison.
MIN_CORRECTIONS = 10
HELDOUT_EVERY = 5  # one correction in five (by a hash of its text) is held out


def add_gazetteer_entry(pattern: str, actor_type: str, note: str = "", path: Path | None = None
                        ) -> None:
    """Append `pattern -> actor_type` to the user's gazetteer file (validated first; by default
    `actors.DEFAULT_GAZETTEER`).

    Raises:
        StanceError: empty pattern, unknown actor type, or a bad regular expression.
    """
    pattern = pattern.strip()
    if not pattern:
        raise StanceError("give a name or pattern")
    if "\n" in pattern or "\r" in pattern:
        raise StanceError("a name or pattern is one line")
    if actor_type not in ACTOR_TYPES:
        raise StanceError(f"{actor_type!r} is not one of {', '.join(ACTOR_TYPES)}")
    if pattern.startswith("#"):
        raise StanceError("a pattern cannot start with #, which marks a comment in the file; "
                          "write re:\\#... to match a leading #")
    if _matches_anything(pattern):
        raise StanceError(f"{pattern!r} matches almost any text, so it would give every speaker "
                          f"the type {actor_type}; name something specific")
    note = " ".join(note.split())  # one line, so the file stays one entry per line
    path = path or DEFAULT_GAZETTEER
    existing = {e.pattern: e.actor_type for e in _gazetteer_entries(path)}
    if pattern in existing:
        raise StanceError(f"{pattern!r} is already in the gazetteer as {existing[pattern]}; "
                          "remove that entry first to change it")
    before = path.read_bytes() if path.exists() else None
    with path.open("a", encoding="utf-8", newline="") as fh:
        if before is None:
            fh.write("pattern,actor_type,note\n")
        csv.writer(fh).writerow([pattern, actor_type, note])
    try:
        load_gazetteer(path)
    except StanceError:
        # leave the file exactly as it was
        if before is None:
            path.unlink()
        else:
            path.write_bytes(before)
        raise


# Texts no real name or description is: a pattern that finds one of these would type everyone.
_NONSENSE = ("", "x", "Qz 9")


def _matches_anything(pattern: str) -> bool:
    """A `re:` pattern that matches nonsense ("re:.*", "re:[a-z]"); a bad one is left to
    `load_gazetteer`, which names the error."""
    if not pattern.startswith("re:"):
        return False
    try:
        regex = re.compile(pattern[3:])
    except re.error:
        return False
    return any(regex.search(text) for text in _NONSENSE)


@dataclass(frozen=True)
class GazetteerEntry:
    """One entry of the user's gazetteer, as the file holds it, and the line it is on."""

    line: int
    pattern: str
    actor_type: str
    note: str


def _gazetteer_entries(path: Path) -> list[GazetteerEntry]:
    if not path.exists():
        return []
    def field(row: dict[str, str], name: str) -> str:
        return (row.get(name) or "").strip()

    return [GazetteerEntry(n, field(row, "pattern"), field(row, "actor_type"), field(row, "note"))
            for n, row in numbered_rows(path)]


def gazetteer_patterns(path: Path | None = None) -> list[str]:
    """The patterns of the user's gazetteer, in file order, each once."""
    return list(dict.fromkeys(e.pattern for e in _gazetteer_entries(path or DEFAULT_GAZETTEER)))


def gazetteer_table(path: Path | None = None) -> list[dict[str, str]]:
    """The user's gazetteer as rows (pattern, actor type, note), as the file holds them; a "#"
    inside a pattern or note is text, not a comment."""
    return [{"pattern": e.pattern, "actor_type": e.actor_type, "note": e.note}
            for e in _gazetteer_entries(path or DEFAULT_GAZETTEER)]


# A pattern that types more than this share of the store's speakers names no organisation or
# person; it is a slip ("re:a", "re:\\w{3}").
MAX_GAZETTEER_REACH = 0.5


def gazetteer_reach(con: duckdb.DuckDBPyConnection, pattern: str) -> tuple[int, int]:
    """(speakers the pattern would type, speakers in the store), counting the name, mention and
    description of each speaker as the gazetteer reads them."""
    table = compile_phrases([(pattern, "other")])
    described = {(r.shown_speaker or r.speaker or "", r.speaker, r.mention, r.context or "")
                 for r in speaker_descriptions(con)}  # quotes of one article describe alike
    matched = {shown for shown, speaker, mention, context in described
               if gazetteer_type(speaker, mention, context, table)}
    return len(matched), len({shown for shown, *_ in described})


def check_gazetteer_reach(con: duckdb.DuckDBPyConnection, pattern: str) -> None:
    """Refuse a pattern that would re-type most of the store's speakers.

    Raises:
        StanceError: it matches more than `MAX_GAZETTEER_REACH` of at least 10 speakers.
    """
    try:
        matched, total = gazetteer_reach(con, pattern)
    except (re.error, StanceError):
        return  # an empty or malformed pattern: add_gazetteer_entry says what is wrong
    if total >= 10 and matched > MAX_GAZETTEER_REACH * total:
        raise StanceError(f"{pattern!r} would re-type {matched} of the store's {total} speakers; "
                          "name something more specific")


def remove_gazetteer_entry(pattern: str, path: Path | None = None) -> int:
    """Delete every entry of the user's gazetteer whose pattern is `pattern`; returns how many.

    Every other line (header, comments, other entries) stays byte for byte.

    Raises:
        StanceError: no entry has that pattern.
    """
    path = path or DEFAULT_GAZETTEER
    if not path.exists():
        raise StanceError(f"no gazetteer at {path}")
    gone = {e.line for e in _gazetteer_entries(path) if e.pattern == pattern}
    if not gone:
        raise StanceError(f"no entry {pattern!r} in {path.name}")
    with path.open(encoding="utf-8", newline="") as fh:  # line ends kept as they are
        kept = [line for n, line in enumerate(fh, start=1) if n not in gone]
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.writelines(kept)
    return len(gone)


def retype_stored_quotes(
    con: duckdb.DuckDBPyConnection, gazetteer: Gazetteer | None = None,
    speakers: Iterable[str] | None = None,
) -> int:
    """Recompute stored quotes' predicted actor types (all, or those shown under `speakers`);
    returns how many changed.

    A quote whose own article names no role for its speaker takes the type the speaker's other
    articles give them (`actors.types_across_articles`), the speaker being the one the pages
    show (merges and corrections applied). Ingest runs this for the speakers of new articles, so
    the order articles arrive in does not matter. A quote from a store written before
    descriptions were kept is typed from its name and mention alone, or keeps its type; it
    neither gives nor takes a type across articles.
    """
    gazetteer = gazetteer if gazetteer is not None else load_gazetteer()
    rows = speaker_descriptions(con, speakers)
    named_of: dict[tuple[str | None, str | None, str], str | None] = {}

    def named(r: SpeakerDescription) -> str | None:
        key = (r.speaker, r.mention, r.context or "")
        if key not in named_of:  # a speaker's quotes in one article share their description
            named_of[key] = named_actor_type(*key, gazetteer)
        return named_of[key]

    kept = [r for r in rows if r.context is not None]
    mentions = [SpeakerMention(r.shown_speaker, r.article_id, r.anonymous, named(r)) for r in kept]
    new_types = dict(zip((r.quote_id for r in kept), types_across_articles(mentions)))
    changed = []
    for r in rows:
        new = new_types[r.quote_id] if r.context is not None else (named(r) or r.actor_type)
        if new != r.actor_type:
            changed.append((r.quote_id, new))
    return update_actor_types(con, changed)


def retype_after_speaker_changes(
    con: duckdb.DuckDBPyConnection, corrections: Iterable[tuple[str, str, str]]
) -> int:
    """Re-type the quotes of the speakers that (scope, field, target) corrections merged,
    unmerged or reassigned, or whose such corrections were undone: types read across articles
    follow the speaker a quote is shown under. Returns how many quotes changed."""
    names: set[str] = set()
    for scope, field, target in corrections:
        if (scope, field) == ("speaker", "merge_into"):
            names |= {target} | names_ever_given(con, scope, target)
        elif (scope, field) == ("quote", "speaker"):
            names |= speakers_in(con, quote_ids=[target]) | names_ever_given(con, scope, target)
    names |= {resolve_speaker(con, n) for n in list(names)}
    return retype_stored_quotes(con, speakers=names) if names else 0


def rescore_store(con: duckdb.DuckDBPyConnection, scorer: Any, default_issue: str, batch: int = 2000) -> int:
    """Score every stored quote with `scorer` and store the predictions; returns how many.

    Each quote is scored with the rest of its speaker's remark (`analysis.stance.context`), a
    chunk of about `batch` quotes (whole articles) at a time. Remarks follow the speakers as the
    pages show them: ingest applies the speaker merges in force when it scores, and this applies
    people's later corrections too. A quote marked "not a quote" is scored alone and does not
    split the remark around it, as in the quote view.
    """
    from analysis.pipeline import remember_model

    remember_model(con, scorer)
    return _rescore_in_chunks(con, scorer, quotes_for_rescoring(con, default_issue), batch)


def _rescore_in_chunks(con: duckdb.DuckDBPyConnection, scorer: Any, rows: list[StoredQuote], batch: int) -> int:
    """Score and store `quotes_for_rescoring` rows, whole articles of about `batch` quotes at a time."""
    by_article: dict[str, list[StoredQuote]] = {}
    for row in rows:
        by_article.setdefault(row.article_id, []).append(row)
    done, chunk, n_chunk = 0, [], 0
    for article_id, quotes in by_article.items():
        chunk.append(article_id)
        n_chunk += len(quotes)
        if n_chunk >= batch:
            done += _rescore_articles(con, scorer, {a: by_article[a] for a in chunk})
            chunk, n_chunk = [], 0
    if chunk:
        done += _rescore_articles(con, scorer, {a: by_article[a] for a in chunk})
    return done


# Corrections that can regroup a remark: who said a quote, whether it is one, who a speaker is.
REGROUPING = {("quote", "speaker"), ("quote", "not_quote"), ("speaker", "merge_into")}
MAX_QUOTES_AFTER_A_CORRECTION = 5000  # more than this waits for `python -m analysis rescore`


def regroups(corrections: Iterable[tuple[str, str, str]]) -> bool:
    """Whether any of these (scope, field, target) corrections can regroup a remark."""
    return any((scope, field) in REGROUPING for scope, field, _ in corrections)


def rescore_after_corrections(
    con: duckdb.DuckDBPyConnection, scorer: Any, corrections: Iterable[tuple[str, str, str]], default_issue: str,
) -> int | None:
    """Re-score the articles whose remarks some corrections may have regrouped; returns how many quotes.

    `corrections` are (scope, field, target) triples, as `Correction` holds them. 0 when none
    can regroup a remark (a stance, an actor type); None when their articles hold more than
    `MAX_QUOTES_AFTER_A_CORRECTION` quotes (a merge of a much-quoted speaker), which are left
    for `python -m analysis rescore`.
    """
    regrouping = [(scope, target) for scope, field, target in corrections if (scope, field) in REGROUPING]
    if not regrouping:
        return 0
    ids = articles_quoting(con, quote_ids=[t for scope, t in regrouping if scope == "quote"],
                           speakers=[t for scope, t in regrouping if scope == "speaker"])
    rows = quotes_for_rescoring(con, default_issue, article_ids=ids) if ids else []
    if len(rows) > MAX_QUOTES_AFTER_A_CORRECTION:
        return None
    if rows:
        from analysis.pipeline import remember_model

        remember_model(con, scorer)
    return _rescore_in_chunks(con, scorer, rows, MAX_QUOTES_AFTER_A_CORRECTION)


def _rescore_articles(con: duckdb.DuckDBPyConnection, scorer: Any, rows: dict[str, list[StoredQuote]]) -> int:
    """Score and store the quotes of some articles (`quotes_for_rescoring` rows by article id)."""
    texts = article_texts(con, list(rows))
    groups: list[list[StoredQuote]] = []
    articles = []
    for article_id, quotes in rows.items():
        # an article goes in twice: its shown quotes, grouped into remarks, then the hidden ones,
        # each alone, so that a hidden quote cannot split the remark around it
        for group in ([q for q in quotes if q.shown], [q for q in quotes if not q.shown]):
            if group:
                groups.append(group)
                articles.append((texts.get(article_id, ""), group[0].issue,
                                 [QuoteSpan(q.start, q.end, q.speaker if q.shown else None, q.text)
                                  for q in group]))
    scores = score_in_context(scorer, articles)
    return update_stances(
        con,
        [(q.quote_id, s.stance, s.p_supportive, s.p_opposed, s.p_neutral, s.model_version)
         for group, group_scores in zip(groups, scores) for q, s in zip(group, group_scores)],
    )


@dataclass(frozen=True)
class RetrainReport:
    corrections: int
    trained_on: int
    heldout: int
    comparison: dict[str, Any]
    replaced: bool
    rescored: int


def _install_model(candidate: Path, model_dir: Path) -> None:
    """Copy a candidate model over the current one; its card goes last (the card commits it)."""
    from analysis.stance.model import CARD_FILE, EXTRA_FILE

    model_dir.mkdir(parents=True, exist_ok=True)
    if not (candidate / EXTRA_FILE).exists():
        (model_dir / EXTRA_FILE).unlink(missing_ok=True)
    files = sorted(candidate.iterdir(), key=lambda p: p.name == CARD_FILE)
    for item in files:
        shutil.copy2(item, model_dir / item.name)


def _held_out(text: str) -> bool:
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % HELDOUT_EVERY == 0


def retrain_from_corrections(
    con: duckdb.DuckDBPyConnection, model_dir: Path | None = None, *, force: bool = False
) -> RetrainReport:
    """Train a candidate model with people's stance corrections, compare it with the current one
    on held-out corrections neither saw, and replace + re-score only if it is not worse.

    Raises:
        StanceError: fewer than `MIN_CORRECTIONS` stance corrections.
    """
    from analysis.stance import DEFAULT_ISSUE, MODEL_DIR, compare_models, load_scorer, rows_to_examples, train_model

    model_dir = Path(model_dir) if model_dir else MODEL_DIR
    rows = stance_corrections(con, DEFAULT_ISSUE)
    if len(rows) < MIN_CORRECTIONS:
        raise StanceError(
            f"{counted(len(rows), 'stance correction')} so far; retraining needs at "
            f"least {MIN_CORRECTIONS} "
            "so some can be held out to compare the models fairly"
        )
    heldout = [r for r in rows if _held_out(r[0])] or rows[-2:]
    train_rows = [r for r in rows if r not in heldout]
    old = load_scorer(model_dir)
    with tempfile.TemporaryDirectory(prefix="stance-candidate-") as tmp:
        train_model(model_dir=Path(tmp), extra_rows=train_rows, evaluate=False)
        new = load_scorer(Path(tmp), train_if_missing=False)
        comparison = compare_models(old, new, rows_to_examples(heldout, source="heldout corrections"))
        replaced = bool(comparison["better"] or force)
        if replaced:
            _install_model(Path(tmp), model_dir)
    rescored = rescore_store(con, load_scorer(model_dir), DEFAULT_ISSUE) if replaced else 0
    return RetrainReport(len(rows), len(train_rows), len(heldout), comparison, replaced, rescored)


SENTENCE_END = ".!?\n"


def sentence_window(context: str, start: int, end: int) -> tuple[str, str, str]:
    """Split `context` into (before, quote, after), trimmed to the sentences around [start, end).

    The cut is after the last sentence end before the quote and after the first one past it, so
    the quote shows in its sentence without the rest of the paragraph.
    """
    start, end = max(0, min(start, len(context))), max(0, min(end, len(context)))
    cut_left = max((context.rfind(ch, 0, max(start - 2, 0)) for ch in SENTENCE_END), default=-1)
    right = [i for i in (context.find(ch, end + 1) for ch in SENTENCE_END) if i != -1]
    cut_right = min(right) + 1 if right else len(context)
    return context[cut_left + 1 : start].lstrip(), context[start:end], context[end:cut_right].rstrip()
