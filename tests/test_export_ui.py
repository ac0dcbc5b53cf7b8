"""Large slices go to the browser as gzip-compressed CSV, with exactly the slice's rows."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

from analysis.store import connect
from analysis.store.queries import Filters, slice_sql
from tests.apptest import app_page
from ui import widgets

ROOT = Path(__file__).resolve().parents[1]


def test_a_slice_over_the_limit_is_offered_gzip_compressed(fixture_store, monkeypatch):
    monkeypatch.setenv("STANCE_DB", str(fixture_store[0]))
    monkeypatch.setenv("STANCE_READ_ONLY", "1")
    monkeypatch.setattr(widgets, "UI_CSV_MAX_ROWS", 5)
    at = app_page("pages/2_Quotes.py").run()
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert any(label.startswith("Download CSV (gzip)") for label in labels), labels

    body = gzip.decompress(widgets._export_file(Filters(), "csv.gz")).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(body)))
    con = connect(fixture_store[0], read_only=True)
    sql, params = slice_sql(Filters(), sort=None)
    expected = con.execute(sql, params).df()
    con.close()
    assert sorted(r["quote_id"] for r in rows) == sorted(expected["quote_id"])


def test_the_quotes_page_exports_in_the_order_it_shows(fixture_store, monkeypatch):
    from analysis.store.queries import quotes_page

    monkeypatch.setenv("STANCE_DB", str(fixture_store[0]))
    monkeypatch.setenv("STANCE_READ_ONLY", "1")
    at = app_page("pages/2_Quotes.py").run()
    at.selectbox(key="quotes_sort").set_value("oldest").run()
    assert not at.exception
    assert any("sorted by oldest" in c.value for c in at.caption)

    def exported(sort: str) -> list[str]:
        body = widgets._export_file(Filters(), "csv", sort).decode("utf-8")
        return [r["quote_id"] for r in csv.DictReader(io.StringIO(body))]

    con = connect(fixture_store[0], read_only=True)
    shown = list(quotes_page(con, Filters(), sort="oldest", limit=10_000)["quote_id"])
    con.close()
    assert exported("oldest") == shown
    assert exported("newest") != shown


def test_a_slice_over_the_limit_keeps_storage_order(fixture_store, monkeypatch):
    monkeypatch.setenv("STANCE_DB", str(fixture_store[0]))
    monkeypatch.setenv("STANCE_READ_ONLY", "1")
    monkeypatch.setattr(widgets, "UI_CSV_MAX_ROWS", 5)
    at = app_page("pages/2_Quotes.py").run()
    at.selectbox(key="quotes_sort").set_value("oldest").run()
    assert not any("sorted by" in c.value for c in at.caption)
