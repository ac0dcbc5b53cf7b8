"""Throughput of quote extraction + attribution + actor typing relative to spaCy alone.

In: a few hundred texts: PolNeAR dev articles when ../shared/data/polnear is present (read at run time,
never copied), else the repo's data/demo/*.txt.
Out: printed texts/s for (1) the reduced spaCy pipeline alone (`nlp.pipe`, same disabled components)
and (2) `analysis.pipeline.extract_quotes` with no stance scorer, and their ratio (target >= 0.95);
(3) the whole ingest: extraction, stance scoring and storage in a scratch DuckDB file, as a ratio
to spaCy alone (target >= 0.80); the sentence-embedding cache is emptied before each such run, so
every quote is embedded every time.
Runs alternate and the best of `--repeat` is kept per side, so a noisy neighbour hurts both alike;
a per-stage split over the same docs (time inside spaCy vs in our code) is printed too, because on a
shared 2-core machine two end-to-end runs can differ by more than the 5% being measured.

Usage: python bench/extraction_speed.py [--limit N] [--repeat R]
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
import sys
import time

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.actors import actor_type, load_gazetteer  # noqa: E402
from analysis.nlp import load_nlp  # noqa: E402
from analysis.pipeline import extract_quotes  # noqa: E402
from analysis.quotes import find_attributions  # noqa: E402
from analysis.records import Article  # noqa: E402

POLNEAR = Path(os.environ.get("POLNEAR_DIR", ROOT.parent / "shared/data/polnear")) / "dev.jsonl"
BATCH = 32


def load_texts(limit: int) -> tuple[list[str], str]:
    """Texts to time and where they came from."""
    if POLNEAR.exists():
        with POLNEAR.open(encoding="utf-8") as fh:
            texts = [json.loads(line)["text"] for line in fh]
        source = f"PolNeAR dev ({POLNEAR})"
    else:
        texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data/demo").glob("*.txt"))]
        source = "data/demo/*.txt (PolNeAR not found)"
    while texts and len(texts) < limit:
        texts = texts + texts  # repeat a small corpus up to the size asked for
    return texts[:limit], source


def time_spacy(nlp, texts: list[str]) -> float:
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=BATCH):
        pass
    return time.perf_counter() - t0


def time_extraction(nlp, texts: list[str], gazetteer) -> float:
    articles = [Article(doc_id=str(i), text=t) for i, t in enumerate(texts)]
    t0 = time.perf_counter()
    for _ in extract_quotes(articles, nlp, gazetteer=gazetteer, batch_size=BATCH):
        pass
    return time.perf_counter() - t0


def time_ingest(nlp, texts: list[str], gazetteer, scorer, db: Path) -> float:
    """Extraction + stance + one transaction per article into a fresh DuckDB file."""
    from analysis.stance import embed
    from analysis.store import connect, save_article

    db.unlink(missing_ok=True)
    con = connect(db)
    embed.clear_cache()  # so a repeated run embeds every quote again
    # a different article id per run, so every run writes every article
    articles = [Article(doc_id=str(i), text=t + f"\n{db.stem}-{time.time_ns()}") for i, t in enumerate(texts)]
    t0 = time.perf_counter()
    for article, quotes in extract_quotes(articles, nlp, gazetteer=gazetteer, scorer=scorer,
                                          batch_size=BATCH):
        save_article(con, article, quotes)
    seconds = time.perf_counter() - t0
    con.close()
    return seconds


def time_stages(nlp, texts: list[str], gazetteer) -> tuple[float, float, float]:
    """Seconds in spaCy, in find_attributions and in actor typing, over the same docs: the
    per-stage split is steadier than two end-to-end runs on a shared machine."""
    t_nlp = t_find = t_actor = 0.0
    it = iter(nlp.pipe(texts, batch_size=BATCH))
    while True:
        t0 = time.perf_counter()
        doc = next(it, None)
        t1 = time.perf_counter()
        if doc is None:
            break
        atts = find_attributions(doc)
        t2 = time.perf_counter()
        for att in atts:
            actor_type(att, gazetteer)
        t3 = time.perf_counter()
        t_nlp, t_find, t_actor = t_nlp + t1 - t0, t_find + t2 - t1, t_actor + t3 - t2
    return t_nlp, t_find, t_actor


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    texts, source = load_texts(args.limit)
    if not texts:
        print("no texts found to time")
        return 1
    nlp = load_nlp()
    gazetteer = load_gazetteer()
    time_extraction(nlp, texts[:10], gazetteer)  # warm up: resource files, lazy loads
    base, full = [], []
    for _ in range(args.repeat):
        base.append(time_spacy(nlp, texts))
        full.append(time_extraction(nlp, texts, gazetteer))
    n = len(texts)
    print(f"{n} texts from {source}; pipeline {nlp.pipe_names}")
    print(f"spaCy alone:                       {n / min(base):7.1f} texts/s")
    print(f"extraction + attribution + actors: {n / min(full):7.1f} texts/s")
    print(f"end-to-end ratio: {min(base) / min(full):.3f} (target >= 0.95)")
    from analysis.stance import load_scorer
    import tempfile

    scorer = load_scorer()
    with tempfile.TemporaryDirectory() as tmp:
        whole = [time_ingest(nlp, texts, gazetteer, scorer, Path(tmp) / "bench.duckdb")
                 for _ in range(max(1, args.repeat - 1))]
    print(f"whole ingest (+ stance + DuckDB):  {n / min(whole):7.1f} texts/s")
    print(f"whole-ingest ratio: {min(base) / min(whole):.3f} (target >= 0.80)")
    t_nlp, t_find, t_actor = time_stages(nlp, texts, gazetteer)
    print(
        f"per stage: spaCy {t_nlp:.2f}s, quotes+speakers {t_find:.2f}s, actor typing {t_actor:.2f}s"
        f" -> ratio {t_nlp / (t_nlp + t_find + t_actor):.3f}"
        f" (quotes+speakers alone {t_nlp / (t_nlp + t_find):.3f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
