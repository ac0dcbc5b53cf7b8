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
    from analysis.store import connect

    connect(tmp_path / "s.duckdb").close()
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
    assert code == 0 and "1 correction exported" in err
    other = str(tmp_path / "other.duckdb")
    run(capsys, "ingest", str(src), "--db", other, "--no-stance")
    code, out, _ = run(capsys, "corrections", "import", str(out_file), "--db", other)
    assert "1 correction imported" in out and "re-scored" not in out  # a stance regroups nothing

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
    assert code == 0 and "1 correction imported" in out
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


@pytest.mark.parametrize("argv", [["stats"], ["reextract"], ["corrections", "export", "-"],
                                  ["corrections", "import", "c.csv"], ["rescore"], ["retrain"],
                                  ["gazetteer", "Ada Price", "congressional"]])
def test_commands_on_a_store_that_is_not_there_say_so_and_create_nothing(tmp_path, capsys, argv,
                                                                        monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "c.csv").write_text("", encoding="utf-8")
    gazetteer = tmp_path / "gazetteer.csv"
    monkeypatch.setattr("analysis.review.DEFAULT_GAZETTEER", gazetteer)
    db = tmp_path / "typo" / "s.duckdb"
    code, out, err = run(capsys, *argv, "--db", str(db))
    assert code == 2 and err.startswith(f"error: {db}: no store there") and "Traceback" not in err
    assert not (tmp_path / "typo").exists() and not gazetteer.exists()


def test_gazetteer_entries_are_added_and_removed_from_the_command_line(tmp_path, capsys,
                                                                       monkeypatch):
    gazetteer = tmp_path / "gazetteer.csv"
    monkeypatch.setattr("analysis.review.DEFAULT_GAZETTEER", gazetteer)
    monkeypatch.setattr("analysis.actors.DEFAULT_GAZETTEER", gazetteer)
    db, _, _ = _story_with_one_correction(tmp_path, capsys)
    code, out, _ = run(capsys, "gazetteer", "Fieldwatch", "humanitarian", "--db", db)
    assert code == 0 and out.startswith("added 'Fieldwatch' -> humanitarian;")
    code, out, _ = run(capsys, "gazetteer", "Fieldwatch", "--remove", "--db", db)
    assert code == 0 and out.startswith("removed 'Fieldwatch' (1 entry);")
    assert gazetteer.read_text(encoding="utf-8") == "pattern,actor_type,note\n"
    code, _, err = run(capsys, "gazetteer", "Fieldwatch", "--remove", "--db", db)
    assert code == 2 and "no entry 'Fieldwatch'" in err
    code, _, err = run(capsys, "gazetteer", "Fieldwatch", "--db", db)
    assert code == 2 and "give the actor type" in err
    code, _, err = run(capsys, "gazetteer", "Fieldwatch", "expert", "--remove", "--db", db)
    assert code == 2 and "takes the pattern only" in err


def test_export_to_a_folder_that_is_not_there_is_one_line(tmp_path, capsys):
    db, _, _ = _story_with_one_correction(tmp_path, capsys)
    code, _, err = run(capsys, "corrections", "export", str(tmp_path / "nope" / "c.csv"), "--db", db)
    assert code == 2 and err.startswith("error: ") and "cannot write" in err
    assert "Traceback" not in err


def test_a_corrections_file_saved_by_a_spreadsheet_imports(tmp_path, capsys):
    from analysis.store import connect

    db, src, qid = _story_with_one_correction(tmp_path, capsys)
    exported = tmp_path / "c.csv"
    run(capsys, "corrections", "export", str(exported), "--db", db)
    rows = list(csv.DictReader(exported.open(encoding="utf-8")))
    rows[0]["created_at"] = "25/11/2026 14:45"  # a spreadsheet's idea of the time
    rows[0]["note"] = "vérifié"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    for name, data in (("bom.csv", ("\ufeff" + out.getvalue()).encode("utf-8")),
                       ("latin1.csv", out.getvalue().encode("cp1252"))):
        other = str(tmp_path / f"{name}.duckdb")
        run(capsys, "ingest", str(src), "--db", other, "--no-stance")
        (tmp_path / name).write_bytes(data)
        code, out_text, err = run(capsys, "corrections", "import", str(tmp_path / name), "--db", other)
        assert code == 0, err
        assert "1 correction imported" in out_text
        con = connect(other)
        try:
            assert con.execute("SELECT note, created_at FROM annotations").fetchall()[0][0] == "vérifié"
            assert str(con.execute("SELECT created_at FROM annotations").fetchall()[0][0]) == (
                "2026-11-25 14:45:00")
        finally:
            con.close()
