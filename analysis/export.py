"""Exports: the exact rows behind a view, streamed as CSV or Parquet.

In: a DuckDB connection and the page's `Filters`. Out: bytes written to a binary file object.
The rows come from `queries.slice_sql`, the same query the Quotes page pages through, read from
the `quote_facts` view (so people's stance corrections are applied). DuckDB hands over Arrow
record batches and each batch is written and dropped before the next is fetched, so the slice is
never in memory twice (nor once, whole). CSV cells that a spreadsheet would run as a formula
(starting with = + - @ tab or CR) get a leading apostrophe; the filters go into the file name
(and into the Parquet metadata).
"""

from __future__ import annotations

import json
from typing import BinaryIO

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from analysis.store.queries import Filters, slice_sql

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_RE = r"^[=+\-@\t\r]"
BATCH_ROWS = 65_536


def neutralise(value: str | None) -> str | None:
    """One cell: prefix an apostrophe when a spreadsheet would read it as a formula."""
    if value and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_batch(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Every text column of a batch, neutralised in Arrow (vectorised, no Python loop)."""
    columns = []
    for col in batch.columns:
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            risky = pc.match_substring_regex(col, _FORMULA_RE)
            col = pc.if_else(risky, pc.binary_join_element_wise("'", col, ""), col)
        columns.append(col)
    return pa.RecordBatch.from_arrays(columns, schema=batch.schema)


def export_filename(f: Filters, ext: str, prefix: str = "stance-quotes") -> str:
    """File name carrying the filters, e.g. `stance-quotes_actor_types-military.csv`."""
    return f"{prefix}_{f.slug()}.{ext}"


def _batches(con: duckdb.DuckDBPyConnection, f: Filters, sort: str | None,
             batch_rows: int) -> pa.RecordBatchReader:
    sql, params = slice_sql(f, sort)
    # A cursor of its own (the page may query the shared connection meanwhile), and a relation
    # rather than execute(): execute() materialises the whole result before handing out batches.
    return con.cursor().sql(sql, params=params).to_arrow_reader(batch_rows)


def write_csv(con: duckdb.DuckDBPyConnection, f: Filters, out: BinaryIO, *,
              sort: str | None = None, batch_rows: int = BATCH_ROWS) -> int:
    """Stream the filtered slice to `out` as UTF-8 CSV with a header row; returns rows written."""
    reader = _batches(con, f, sort, batch_rows)
    rows = 0
    with pacsv.CSVWriter(out, reader.schema) as writer:
        for batch in reader:
            writer.write_batch(neutralise_batch(batch))
            rows += batch.num_rows
    return rows


def write_parquet(con: duckdb.DuckDBPyConnection, f: Filters, out: BinaryIO, *,
                  sort: str | None = None, batch_rows: int = BATCH_ROWS) -> int:
    """Stream the filtered slice to `out` as Parquet (values as stored; filters in metadata)."""
    reader = _batches(con, f, sort, batch_rows)
    schema = reader.schema.with_metadata({b"stance_filters": json.dumps(f.describe()).encode()})
    rows = 0
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        for batch in reader:
            writer.write_batch(pa.RecordBatch.from_arrays(batch.columns, schema=schema))
            rows += batch.num_rows
    return rows


def command(f: Filters, out: str) -> str:
    """The shell command that writes this slice to `out` (for slices too big for a browser)."""
    from urllib.parse import urlencode
    import shlex

    query = urlencode(f.to_query_params(), doseq=True)
    return f"python -m analysis.export {shlex.quote(query or 'all')} {shlex.quote(out)}"


def main(argv: list[str] | None = None) -> int:
    """`python -m analysis.export QUERY OUT.csv|OUT.parquet`: QUERY is the dashboard URL's
    query string (the part after `?`), or `all`."""
    import argparse
    from urllib.parse import parse_qs

    from analysis.store import connect

    parser = argparse.ArgumentParser(prog="python -m analysis.export", description=main.__doc__)
    parser.add_argument("query", help="filters as in the dashboard's URL, e.g. "
                        "'actor_types=military&stances=opposed', or 'all'")
    parser.add_argument("out", help="output file; .parquet writes Parquet, anything else CSV")
    parser.add_argument("--db", default=None, help="store file (default: $STANCE_DB or "
                        "data/stance.duckdb)")
    args = parser.parse_args(argv)
    f, invalid = Filters.parse_query_params(parse_qs("" if args.query == "all" else args.query))
    if invalid:
        # a file of the whole store under a name that looks filtered would mislead, so refuse
        parser.error(f"not a valid filter value: {', '.join(invalid)}")
    con = connect(args.db, read_only=True)
    try:
        writer = write_parquet if args.out.endswith(".parquet") else write_csv
        with open(args.out, "wb") as out:
            rows = writer(con, f, out)
    finally:
        con.close()
    print(f"{rows} rows written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
