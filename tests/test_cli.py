"""The command line: the extraction contract on the seed article, ingest/stats, corrections."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from analysis.cli import CONTRACT_FIELDS, main

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_857e303ab0f3176d.txt"
STORY = (
    "Senate weighs mine ban\n\n"
    "“The ban protects children,” said Senator Ada Price, a Democrat. "
    "“We will not retreat from it.”\n"
    "Colonel Rui Sato said the mines would slow any invasion.\n"
)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.skipif(not SEED.exists(), reason="../shared/seeds is not beside this checkout")
def test_extract_contract_on_the_seed_article(capsys):
    code, out, _ = run(capsys, "extract", str(SEED), "--format", "jsonl",
                       "--issue", "Lifting the US ban on anti-personnel landmines")
    assert code == 0
    text = SEED.read_text(encoding="utf-8")
    gold = [json.loads(l) for l in SEED.with_name(SEED.stem + ".gold.jsonl").read_text(encoding="utf-8").splitlines() if l]
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows and all(tuple(r) == CONTRACT_FIELDS for r in rows)
    for r in rows:
        assert r["doc_id"] == SEED.stem
        assert r["quote"] == " ".join(text[s:e] for s, e in r["pieces"])
        assert (r["start"], r["end"]) == (r["pieces"][0][0], r["pieces"][-1][1])
        assert r["stance"] in ("supportive", "opposed", "neutral")
        assert abs(r["p_supportive"] + r["p_opposed"] + r["p_neutral"] - 1) < 1e-6
    # every gold direct quote is found by overlap, with its speaker
    for g in (g for g in gold if g["kind"] == "direct"):
        hits = [r for r in rows if any(s < g["end"] and g["start"] < e for s, e in r["pieces"])]
        assert hits, g["quote"]
        assert hits[0]["speaker"] == g["speaker"], g["quote"]


def test_extract_csv_has_the_contract_columns(tmp_path, capsys):
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    code, out, _ = run(capsys, "extract", str(path), "--format", "csv", "--no-stance")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert tuple(rows[0]) == CONTRACT_FIELDS
    assert rows[0]["speaker"] == "Ada Price" and rows[0]["stance"] == ""
    assert json.loads(rows[0]["pieces"])[0][0] == STORY.index("The ban")


def test_ingest_twice_stores_once_and_reports_bad_files(tmp_path, capsys):
    good = tmp_path / "docs"
    good.mkdir()
    (good / "story.txt").write_text(STORY, encoding="utf-8")
    (good / "empty.txt").write_text("", encoding="utf-8")
    db = str(tmp_path / "s.duckdb")
    code, out, err = run(capsys, "ingest", str(good), "--db", db, "--no-stance", "--outlet", "Ledger")
    assert code == 0
    assert "1 articles added" in out and "empty.txt: the file is empty" in err
    code, out, _ = run(capsys, "ingest", str(good / "story.txt"), "--db", db, "--no-stance")
    assert "0 articles added, 1 already stored" in out
    code, out, _ = run(capsys, "stats", "--db", db, "--format", "json")
    stats = json.loads(out)
    assert stats["articles"] == 1 and stats["quotes"] >= 2
    assert stats["by_actor_type"].get("congressional", 0) >= 1


def test_user_errors_are_one_line_not_a_traceback(tmp_path, capsys):
    bad = tmp_path / "c.csv"
    bad.write_text("a,b\n", encoding="utf-8")
    code, _, err = run(capsys, "corrections", "import", str(bad), "--db", str(tmp_path / "s.duckdb"))
    assert code == 2
    assert err.startswith("error: not a corrections file") and "Traceback" not in err


def _story_with_one_correction(tmp_path, capsys) -> tuple[str, Path, str]:
    """(store, the story file, the quote id): STORY ingested, its first quote set to opposed."""
    from analysis.store import connect
    from analysis.store.annotations import correct_quote

    db = str(tmp_path / "s.duckdb")
    src = tmp_path / "story.txt"
    src.write_text(STORY, encoding="utf-8")
    run(capsys, "ingest", str(src), "--db", db, "--no-stance")
    con = connect(db)
    qid = con.execute("SELECT id FROM quotes ORDER BY start_char LIMIT 1").fetchall()[0][0]
    correct_quote(con, qid, "stance", "opposed", author="ana")
    con.close()
    return db, src, qid


def test_corrections_export_import_via_cli(tmp_path, capsys):
    from analysis.store import connect
    from analysis.store.annotations import correct_quote

    db, src, qid = _story_with_one_correction(tmp_path, capsys)
    out_file = tmp_path / "c.csv"
    code, _, err = run(capsys, "corrections", "export", str(out_file), "--db", db)
    assert code == 0 and "1 corrections exported" in err
    other = str(tmp_path / "other.duckdb")
    run(capsys, "ingest", str(src), "--db", other, "--no-stance")
    code, out, _ = run(capsys, "corrections", "import", str(out_file), "--db", other)
    assert "1 corrections imported" in out and "re-scored" not in out  # a stance regroups nothing

    # a speaker correction can regroup a remark: its article is scored again on import
    con = connect(db)
    correct_quote(con, qid, "speaker", "Ada Price", author="ana")
    con.close()
    run(capsys, "corrections", "export", str(out_file), "--db", db)
    code, out, _ = run(capsys, "corrections", "import", str(out_file), "--db", other)
    con = connect(other)
    n_quotes = con.execute("SELECT count(*) FROM quotes").fetchall()[0][0]
    scored = con.execute("SELECT count(*) FROM quotes WHERE model_version IS NOT NULL").fetchall()[0][0]
    con.close()
    assert code == 0 and "1 corrections imported" in out
    assert f"{n_quotes} quotes re-scored with their speakers' remarks" in out and scored == n_quotes


def test_reextract_reports_corrected_quotes_it_no_longer_finds(tmp_path, capsys):
    from analysis.store import connect
    from analysis.store.annotations import correct_quote

    db, _, qid = _story_with_one_correction(tmp_path, capsys)
    con = connect(db)
    n, = con.execute("SELECT count(*) FROM quotes").fetchall()[0]
    # as an older extractor might have cut it: a span this version does not find
    con.execute("UPDATE quotes SET id = 'old0000000000000', end_char = end_char - 1 WHERE id = ?", [qid])
    correct_quote(con, "old0000000000000", "stance", "neutral", author="ana")
    con.close()
    code, out, _ = run(capsys, "reextract", "--db", db, "--no-stance")
    assert code == 0
    assert out.splitlines() == [
        f"1 stored article extracted again: {n} quotes",
        "1 corrected quote not found by this extraction (a span or a split changed); the "
        "corrections are kept and apply again if the quote comes back"]
    con = connect(db)
    try:
        assert con.execute("SELECT stance FROM quote_facts WHERE quote_id = ?", [qid]).fetchall() == [
            ("opposed",)]
    finally:
        con.close()
