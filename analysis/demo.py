"""Building the demo store a fresh checkout opens on.

In: the articles shipped in `data/demo/` (with their `_metadata*.csv` sidecars); its subfolders
hold benchmark material (gold quotes, annotation rounds), not articles. Out: a DuckDB store at the
given path with every article extracted, typed and stance-scored.
"""

from __future__ import annotations

from pathlib import Path

from analysis.actors import load_gazetteer
from analysis.nlp import load_nlp
from analysis.ingest import expand_paths
from analysis.pipeline import IngestSummary, Progress, ingest_paths
from analysis.store import connect

DEMO_DIR = Path(__file__).resolve().parents[1] / "data" / "demo"


def demo_articles(demo_dir: Path = DEMO_DIR) -> list[Path]:
    """The demo's article files: the folder's own, not its subfolders' benchmark files."""
    return [p for p in expand_paths([demo_dir]) if p.parent == demo_dir]


def build_demo_store(
    db_path: str | Path, progress: Progress | None = None, *, demo_dir: Path = DEMO_DIR
) -> IngestSummary:
    """Ingest the demo corpus into `db_path` (articles already there are skipped)."""
    from analysis.stance import load_scorer  # heavy; imported only when a store is built

    con = connect(db_path)
    try:
        return ingest_paths(
            con,
            demo_articles(demo_dir),
            load_nlp(),
            gazetteer=load_gazetteer(),
            scorer=load_scorer(),
            progress=progress,
        )
    finally:
        con.close()
