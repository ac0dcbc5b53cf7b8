"""Shared fixtures: a small seeded store built from Article/Quote records written here.

The fixture corpus does not depend on the extractor: articles are assembled from sentences whose
quote offsets are known by construction. It covers every actor type and stance, three outlets,
two issues, a year of dates, one article containing `<script>`, quotes that start with
spreadsheet formula characters, and one stance correction.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
import random

import pytest

from analysis.records import ACTOR_TYPES, STANCES, Article, Quote
from analysis.store import connect, save_article

OUTLETS = ("Ledger", "Herald", "Courier")
ISSUES = ("Lifting the landmine ban", "Sending cluster munitions")
SCRIPT_TEXT = "<script>window.__pwned = 1</script>"
SENTENCES = {
    "supportive": "our troops need this option",
    "opposed": "these mines maim children for decades",
    "neutral": "the review meets next month",
}
CUES = ("said", "warned", "claimed", "added")


def _article(rng: random.Random, i: int) -> tuple[Article, list[Quote]]:
    parts: list[str] = [f"Report {i}. "]
    if i == 0:
        parts.append(SCRIPT_TEXT + " ")
    spans = []
    for k in range(rng.randint(3, 7)):
        actor = ACTOR_TYPES[(i + k) % len(ACTOR_TYPES)]
        stance = STANCES[(i * 3 + k) % len(STANCES)]
        words = SENTENCES[stance]
        if i == 1 and k == 0:
            words = "=HYPERLINK(\"http://x\") " + words  # a formula a spreadsheet would run
        if i == 2 and k == 0:
            words = "-2 is what " + words
        start = sum(len(p) for p in parts) + 1
        parts.append(f'"{words}," {actor.title()} Speaker {k % 4} {CUES[k % 4]}. ')
        spans.append((start, start + len(words), actor, stance, k))
    text = "".join(parts)
    article = Article(doc_id=f"doc{i}", text=text, title=f"Article {i} <b>bold</b>",
                      outlet=OUTLETS[i % 3], published=date(2024, 1, 1) + timedelta(days=11 * i),
                      url=f"https://example.org/{i}", issue=ISSUES[i % 2 == 1 and 1 or 0])
    quotes = []
    for start, end, actor, stance, k in spans:
        top = round(rng.uniform(0.4, 0.95), 3)
        rest = round((1 - top) / 2, 3)
        probs = {s: (top if s == stance else rest) for s in STANCES}
        quotes.append(Quote(
            doc_id=article.doc_id, quote=text[start:end], pieces=((start, end),), kind="direct",
            cue=CUES[k % 4], speaker=f"{actor.title()} Speaker {k % 4}",
            speaker_mention=f"{actor.title()} Speaker {k % 4}", actor_type=actor,
            anonymous=(actor == "other" and k % 2 == 0), stance=stance,
            p_supportive=probs["supportive"], p_opposed=probs["opposed"],
            p_neutral=probs["neutral"], model_version="fixture-1", article_id=article.article_id))
    return article, quotes


def build_fixture_store(path: Path | str, n_articles: int = 30, seed: int = 42) -> dict:
    """Write the fixture corpus to `path`; returns the id of the corrected quote and counts."""
    rng = random.Random(seed)
    con = connect(path)
    n_quotes = 0
    corrected = None
    try:
        for i in range(n_articles):
            article, quotes = _article(rng, i)
            save_article(con, article, quotes)
            n_quotes += len(quotes)
            if i == 3:
                corrected = quotes[0].quote_id
        # a person's correction: the export and the charts must show it, not the prediction
        con.execute("INSERT INTO annotations (quote_id, field, value, note, author) "
                    "VALUES (?, 'stance', 'supportive', 'fixture', 'test')", [corrected])
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return {"articles": n_articles, "quotes": n_quotes, "corrected": corrected}


@pytest.fixture(scope="session")
def fixture_store(tmp_path_factory) -> tuple[Path, dict]:
    """A file store (AppTest and the browser tests need a file, not :memory:)."""
    path = tmp_path_factory.mktemp("store") / "fixture.duckdb"
    info = build_fixture_store(path)
    return path, info


@pytest.fixture()
def ro_con(fixture_store):
    """A read-only connection to the fixture store, as the dashboard opens it."""
    con = connect(fixture_store[0], read_only=True)
    yield con
    con.close()
