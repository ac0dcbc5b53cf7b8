"""`EXTRACTOR_VERSION` is bumped whenever extraction changes what it stores.

A store remembers the extractor version of its quotes, and Home tells a person to run
`python -m analysis reextract` when that is older than this code's. That only works if the
version moves with the output, so this test extracts the demo and held-out articles and compares
a digest of every stored field (spans, kind, cue, speaker, mention, actor type, anonymity) with
the digest recorded for the current version in `tests/data/extractor_digest.json`.

When it fails after a deliberate change to extraction, bump `EXTRACTOR_VERSION` in
`analysis/records.py` and record the new digest:

    python -m tests.test_extractor_version --record
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

from analysis.actors import compile_phrases
from analysis.records import EXTRACTOR_VERSION, Article

ROOT = Path(__file__).resolve().parents[1]
RECORD = Path(__file__).with_name("data") / "extractor_digest.json"
TEXTS = sorted((ROOT / "data" / "demo").glob("*.txt")) + sorted(
    (ROOT / "data" / "heldout" / "articles").glob("*.txt"))


def extraction_digest(nlp) -> str:
    """SHA-256 over the stored fields of every quote of `TEXTS`, without a user gazetteer."""
    from analysis.pipeline import extract_quotes

    articles = [Article(doc_id=p.stem, text=p.read_text(encoding="utf-8")) for p in TEXTS]
    digest = hashlib.sha256()
    for article, quotes in extract_quotes(articles, nlp, gazetteer=compile_phrases([])):
        for q in quotes:
            row = [article.doc_id, [list(p) for p in q.pieces], q.kind, q.cue, q.speaker,
                   q.speaker_mention, q.actor_type, q.anonymous, q.speaker_context]
            digest.update(json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n")
    return digest.hexdigest()


@pytest.fixture(scope="module")
def nlp():
    from analysis.nlp import load_nlp

    return load_nlp()


def test_extractor_version_moves_with_what_extraction_stores(nlp) -> None:
    recorded = json.loads(RECORD.read_text(encoding="utf-8"))
    now = extraction_digest(nlp)
    assert recorded["extractor_version"] == EXTRACTOR_VERSION, (
        "EXTRACTOR_VERSION was bumped: record the new digest with "
        "`python -m tests.test_extractor_version --record`")
    assert now == recorded["digest"], (
        "extraction now stores something else for the demo or held-out articles: bump "
        "EXTRACTOR_VERSION in analysis/records.py (stores will offer `reextract`), then run "
        "`python -m tests.test_extractor_version --record`")


if __name__ == "__main__" and sys.argv[1:] == ["--record"]:
    from analysis.nlp import load_nlp

    RECORD.parent.mkdir(exist_ok=True)
    RECORD.write_text(json.dumps({"extractor_version": EXTRACTOR_VERSION,
                                  "digest": extraction_digest(load_nlp())}, indent=1) + "\n",
                      encoding="utf-8")
    print(f"recorded the digest of {len(TEXTS)} articles for {EXTRACTOR_VERSION} in {RECORD}")
