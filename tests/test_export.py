"""Exports: the CSV is exactly the store's slice, formulas neutralised, filters in the name."""

from __future__ import annotations

import csv
import io

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis import export as E
from analysis.store import queries as Q
from analysis.store.queries import Filters


@pytest.mark.parametrize("cell, expected", [
    ("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-2 is", "'-2 is"), ("@cmd", "'@cmd"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("plain", "plain"), ("a=b", "a=b"), ("", ""), (None, None),
])
def test_neutralise_cell(cell, expected):
    assert E.neutralise(cell) == expected


def test_neutralise_batch_matches_the_cell_rule():
    cells = ["=1", "+x", "-", "@a", "\tb", "\rc", "ok", None, "a-b"]
    batch = pa.record_batch({"t": pa.array(cells), "n": pa.array(range(len(cells)))})
    out = E.neutralise_batch(batch)
    assert out.column("t").to_pylist() == [E.neutralise(c) for c in cells]
    assert out.column("n").to_pylist() == list(range(len(cells)))


def _csv_rows(con, f: Filters, **kw) -> list[dict[str, str]]:
    buf = io.BytesIO()
    n = E.write_csv(con, f, buf, **kw)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue().decode("utf-8"))))
    assert n == len(rows)
    return rows


@pytest.mark.parametrize("f", [
    Filters(), Filters(actor_types=("military", "humanitarian")),
    Filters(stances=("supportive",), outlets=("Ledger",)), Filters(search="children"),
    Filters(outlets=("Nowhere",)),
])
def test_csv_is_the_slice_query(ro_con, f):
    sql, params = Q.slice_sql(f, sort=None)
    expected = ro_con.execute(sql, params).df().sort_values("quote_id")
    rows = _csv_rows(ro_con, f, batch_rows=7)  # small batches: many writes, one header
    rows.sort(key=lambda r: r["quote_id"])  # storage order is not promised: compare as sets
    assert [r["quote_id"] for r in rows] == list(expected["quote_id"])
    assert [E.neutralise(q) for q in expected["quote"]] == [r["quote"] for r in rows]
    assert [str(s) for s in expected["stance"]] == [r["stance"] for r in rows]
    if rows:
        assert list(rows[0]) == list(Q.SLICE_COLUMNS)


def test_csv_neutralises_formulas_and_applies_corrections(ro_con, fixture_store):
    rows = {r["quote_id"]: r for r in _csv_rows(ro_con, Filters())}
    quotes = [r["quote"] for r in rows.values()]
    assert any(q.startswith("'=HYPERLINK") for q in quotes)
    assert any(q.startswith("'-2 is") for q in quotes)
    assert not any(q[:1] in "=+-@\t\r" for q in quotes)
    fixed = rows[fixture_store[1]["corrected"]]
    assert fixed["stance"] == "supportive" and fixed["corrected"] == "true"


def test_sorted_export_matches_the_quotes_page(ro_con):
    f = Filters(stances=("opposed",))
    rows = _csv_rows(ro_con, f, sort="newest")
    page = Q.quotes_page(ro_con, f, "newest", limit=len(rows))
    assert [r["quote_id"] for r in rows] == list(page["quote_id"])


def test_parquet_has_the_rows_and_the_filters(ro_con):
    f = Filters(actor_types=("expert",))
    buf = io.BytesIO()
    n = E.write_parquet(ro_con, f, buf)
    table = pq.read_table(io.BytesIO(buf.getvalue()))
    assert table.num_rows == n == Q.count_quotes(ro_con, f)
    assert set(table.column("actor_type").to_pylist()) == {"expert"}
    assert b"expert" in table.schema.metadata[b"stance_filters"]


def test_file_name_carries_the_filters():
    name = E.export_filename(Filters(actor_types=("military",), stances=("opposed",)), "csv")
    assert name == "stance-quotes_actor_types-military_stances-opposed.csv"
    assert E.export_filename(Filters(), "parquet") == "stance-quotes_all.parquet"


def test_command_line_export_reproduces_the_slice(fixture_store, tmp_path, ro_con):
    f = Filters(actor_types=("military",), search="children")
    cmd = E.command(f, str(tmp_path / "out.csv"))
    assert cmd.startswith("python -m analysis.export 'actor_types=military&search=children' ")
    out = tmp_path / "out.csv"
    assert E.main(["actor_types=military&search=children", str(out), "--db",
                   str(fixture_store[0])]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == Q.count_quotes(ro_con, f) > 0


def test_command_line_export_refuses_a_filter_value_it_cannot_apply(fixture_store, tmp_path,
                                                                     capsys):
    out = tmp_path / "out.csv"
    with pytest.raises(SystemExit) as exit_:
        E.main(["actor_types=military&sources=foo", str(out), "--db", str(fixture_store[0])])
    assert exit_.value.code == 2
    assert "not a valid filter value: sources “foo”" in capsys.readouterr().err
    assert not out.exists()
