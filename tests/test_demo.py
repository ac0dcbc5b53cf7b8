"""The demo store a fresh checkout opens on (analysis/demo.py)."""

from __future__ import annotations

import json
from pathlib import Path

from analysis.demo import DEMO_DIR, build_demo_store, demo_articles
from analysis.store import connect


def test_demo_articles_are_the_folders_own_article_files() -> None:
    files = set(demo_articles())
    articles = {p for p in DEMO_DIR.iterdir() if p.suffix in (".txt", ".html")}
    assert len(articles) >= 40 and files == articles  # no sidecar, gold or annotation file


def test_benchmark_files_in_subfolders_are_not_ingested(tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    (demo / "agreement").mkdir(parents=True)
    (demo / "a1.txt").write_text(
        "Mines return to the border\n\n“We need every tool we have,” General Ada Kowal said.\n",
        encoding="utf-8")
    (demo / "_metadata.csv").write_text(
        "file,title,issue\na1.txt,Mines return,Lifting the ban on landmines\n", encoding="utf-8")
    # Shaped like an annotation round: rows without article text, which ingest would reject.
    (demo / "agreement" / "round.jsonl").write_text(
        json.dumps({"quote": "We need every tool we have", "stance": "supportive"}) + "\n",
        encoding="utf-8")
    summary = build_demo_store(tmp_path / "demo.duckdb", demo_dir=demo)
    assert (summary.files, summary.articles_added, summary.errors) == (1, 1, [])
    con = connect(tmp_path / "demo.duckdb")
    try:
        rows = con.execute("SELECT speaker, stance FROM quotes").fetchall()
    finally:
        con.close()
    assert [r[0] for r in rows] == ["Ada Kowal"] and rows[0][1] is not None


def test_a_build_stopped_half_way_leaves_no_store_behind(tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    demo.mkdir()
    for name in ("a1.txt", "a2.txt"):
        (demo / name).write_text(
            f"Mines return {name}\n\n“We need every tool we have,” General Ada Kowal said.\n",
            encoding="utf-8")

    class PageLeft(Exception):
        """What Streamlit raises in a script whose person left the page."""

    def leave_after_first(done: int, total: int, title: str) -> None:
        raise PageLeft

    db = tmp_path / "demo.duckdb"
    try:
        build_demo_store(db, progress=leave_after_first, demo_dir=demo)
    except PageLeft:
        pass
    assert not db.exists() and list(tmp_path.glob("*.duckdb*")) == []
    summary = build_demo_store(db, demo_dir=demo)  # the next first page load builds it whole
    assert summary.articles_added == 2 and db.exists()


def _one_article_demo(tmp_path: Path) -> Path:
    demo = tmp_path / "demo"
    demo.mkdir(exist_ok=True)
    (demo / "a1.txt").write_text(
        "Mines return\n\n“We need every tool we have,” General Ada Kowal said.\n", encoding="utf-8")
    return demo


def _built_demo(tmp_path: Path) -> tuple[Path, Path]:
    """(store, demo folder): a one-article demo store, built."""
    db, demo = tmp_path / "demo.duckdb", _one_article_demo(tmp_path)
    build_demo_store(db, demo_dir=demo)
    return db, demo


def test_a_log_left_by_a_killed_store_does_not_spoil_the_new_one(tmp_path: Path) -> None:
    import duckdb

    db = tmp_path / "demo.duckdb"
    killed = duckdb.connect(str(db))  # a store whose process died before its checkpoint
    killed.execute("PRAGMA disable_checkpoint_on_shutdown")
    killed.execute("CREATE TABLE t AS SELECT 1 AS x")
    killed.close()
    db.unlink()  # the person deletes the store file, not its log
    assert (tmp_path / "demo.duckdb.wal").exists()
    build_demo_store(db, demo_dir=_one_article_demo(tmp_path))
    con = connect(db)
    try:
        assert con.execute("SELECT count(*) FROM articles").fetchall() == [(1,)]
    finally:
        con.close()


def test_rebuild_replaces_the_store_only_when_the_new_one_is_complete(tmp_path: Path) -> None:
    db, demo = _built_demo(tmp_path)
    con = connect(db)
    con.execute("UPDATE articles SET title = 'edited'")
    con.close()

    def stop(done: int, total: int, title: str) -> None:
        raise KeyboardInterrupt

    try:
        build_demo_store(db, progress=stop, demo_dir=demo, rebuild=True)
    except KeyboardInterrupt:
        pass
    con = connect(db)
    assert con.execute("SELECT title FROM articles").fetchall() == [("edited",)]  # old store kept
    con.close()
    assert build_demo_store(db, demo_dir=demo, rebuild=True).articles_added == 1
    con = connect(db)
    try:
        assert con.execute("SELECT title FROM articles").fetchall() != [("edited",)]
    finally:
        con.close()


def test_a_folder_that_cannot_hold_the_store_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    import tempfile

    import pytest

    from analysis.errors import StoreError

    def read_only(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    with pytest.raises(StoreError, match="cannot build the demo store"):
        build_demo_store(tmp_path / "demo.duckdb", demo_dir=_one_article_demo(tmp_path))


def test_rebuild_refuses_a_store_another_program_has_open(tmp_path: Path) -> None:
    import subprocess
    import sys

    import pytest

    from analysis.errors import StoreError

    db, demo = _built_demo(tmp_path)
    holder = subprocess.Popen(  # the dashboard, say, with the store open for writing
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); "
         "print('open', flush=True); sys.stdin.read()", str(db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreError):
            build_demo_store(db, demo_dir=demo, rebuild=True)
    finally:
        holder.communicate("")
    assert list(tmp_path.glob(".demo-building-*")) == []


def test_rebuild_carries_corrections_over(tmp_path: Path) -> None:
    from analysis.store.annotations import correct_quote, set_speaker_rule

    db, demo = _built_demo(tmp_path)
    con = connect(db)
    (quote_id,) = con.execute("SELECT id FROM quotes").fetchall()[0]
    correct_quote(con, quote_id, "stance", "opposed", author="teacher")
    set_speaker_rule(con, "Ada Kowal", "actor_type", "expert", author="teacher")
    con.close()
    summary = build_demo_store(db, demo_dir=demo, rebuild=True)
    assert summary.corrections_carried == 2
    con = connect(db)
    try:
        assert con.execute("SELECT stance, actor_type, corrected FROM quote_facts").fetchall() == [
            ("opposed", "expert", True)]
    finally:
        con.close()


def test_rebuild_refuses_a_store_holding_articles_the_demo_has_not(tmp_path: Path) -> None:
    import pytest

    from analysis.errors import StoreError
    from analysis.nlp import load_nlp
    from analysis.pipeline import ingest_paths

    db, demo = _built_demo(tmp_path)
    upload = tmp_path / "upload.txt"
    upload.write_text("Ports reopen\n\n“The port reopens today,” said Mayor Ilse Lund.\n",
                      encoding="utf-8")
    con = connect(db)
    ingest_paths(con, [upload], load_nlp())
    con.close()
    with pytest.raises(StoreError, match="holds 1 article not in .*reextract"):
        build_demo_store(db, demo_dir=demo, rebuild=True)
    con = connect(db)
    try:
        assert con.execute("SELECT count(*) FROM articles").fetchall() == [(2,)]  # untouched
    finally:
        con.close()
