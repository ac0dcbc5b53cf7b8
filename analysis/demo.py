"""Building the demo store a fresh checkout opens on.

In: the articles shipped in `data/demo/` (with their `_metadata*.csv` sidecars); its subfolders
hold benchmark material (gold quotes, annotation rounds), not articles. Out: a DuckDB store at the
given path with every article extracted, typed and stance-scored.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
import tempfile

from analysis.actors import load_gazetteer
from analysis.errors import StoreError
from analysis.nlp import load_nlp
from analysis.ingest import expand_paths, read_paths
from analysis.pipeline import IngestSummary, Progress, ingest_paths
from analysis.store import connect, stored_articles
from analysis.store.annotations import export_corrections, import_corrections, read_corrections
from analysis.wording import counted

DEMO_DIR = Path(__file__).resolve().parents[1] / "data" / "demo"


def demo_articles(demo_dir: Path = DEMO_DIR) -> list[Path]:
    """The demo's article files: the folder's own, not its subfolders' benchmark files."""
    return [p for p in expand_paths([demo_dir]) if p.parent == demo_dir]


def build_demo_store(
    db_path: str | Path, progress: Progress | None = None, *, demo_dir: Path = DEMO_DIR,
    rebuild: bool = False,
) -> IngestSummary:
    """Ingest the demo corpus into `db_path` (articles already there are skipped), or into a
    store of its own that replaces `db_path` when `rebuild`, with every correction of the old
    store carried over.

    A new store is built in a file of its own beside `db_path` and moved into place only when
    it is complete: the dashboard builds the store on its first page load, and a person who
    leaves that page stops the build. A half-built store under the real name would then open
    as the demo, with a few articles, on every later run.

    Raises:
        StoreError: the folder cannot hold the new store; or, when `rebuild`, the old store is
            open in another program or holds articles the demo folder does not.
    """
    from analysis.stance import load_scorer  # heavy; imported only when a store is built

    db_path = Path(db_path)
    fresh = rebuild or not db_path.exists()
    if rebuild and db_path.exists():
        _check_rebuild(db_path, demo_dir)  # before minutes of work, not only at the end
    target = _building_file(db_path) if fresh else db_path
    try:
        con = connect(target)
        try:
            summary = ingest_paths(
                con,
                demo_articles(demo_dir),
                load_nlp(),
                gazetteer=load_gazetteer(),
                scorer=load_scorer(),
                progress=progress,
            )
        finally:
            con.close()
        if not fresh or (db_path.exists() and not rebuild):  # another session finished first
            return summary
        if db_path.exists():
            # opening the old store again refuses it if another program took it meanwhile
            summary.corrections_carried = _carry_corrections(db_path, target)
        try:
            # a log left by a store that was killed, not closed, would be replayed into this one
            if not db_path.exists():
                _wal(db_path).unlink(missing_ok=True)
            os.replace(target, db_path)
        except OSError as exc:
            raise StoreError(f"cannot put the demo store at {db_path}: {exc}") from exc
        return summary
    finally:
        if fresh:
            for leftover in (target, _wal(target)):
                leftover.unlink(missing_ok=True)


def _check_rebuild(db_path: Path, demo_dir: Path) -> None:
    """Refuse to replace a store that holds articles the demo folder does not (uploads, other
    ingests): a new demo store would drop them. `reextract` keeps them. Opening it also refuses
    a store another program (the dashboard) has open, whose writes would otherwise go to a file
    no longer in place, and folds in any log a killed process left."""
    demo_texts = {a.sha256 for _, result in read_paths(demo_articles(demo_dir))
                  for a in result.articles}
    con = connect(db_path)
    try:
        others = [a for a in stored_articles(con) if a.sha256 not in demo_texts]
    finally:
        con.close()
    if others:
        raise StoreError(
            f"{db_path} holds {counted(len(others), 'article')} not in "
            f"{demo_dir} (uploaded or ingested): a new demo store would drop them. To bring "
            "every stored article up to date and keep them, run `python -m analysis reextract`; "
            "to start over, move the file away first.")


def _carry_corrections(old: Path, new: Path) -> int:
    """Copy every correction of the store at `old` into the one at `new`; returns how many.

    Quote ids are a hash of the article and the span, so a correction follows its quote into
    the new store wherever the extraction finds the same span.
    """
    buffer = io.StringIO()
    con = connect(old)
    try:
        export_corrections(con, buffer)
    finally:
        con.close()
    con = connect(new)
    try:
        return import_corrections(con, read_corrections(buffer.getvalue()))
    finally:
        con.close()


def _wal(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".wal")


def _building_file(db_path: Path) -> Path:
    """A new, unused path beside `db_path` to build a store in."""
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{db_path.stem}-building-", suffix=".duckdb",
                                    dir=db_path.parent)
    except OSError as exc:
        raise StoreError(f"cannot build the demo store in {db_path.parent}: {exc}") from exc
    os.close(fd)
    Path(name).unlink()  # DuckDB creates the file itself; an empty one is not a database
    return Path(name)
