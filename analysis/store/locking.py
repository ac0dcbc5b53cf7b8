"""One writer at a time.

In: a DuckDB connection shared by a process (the dashboard serves every browser session from one).
Out: `write_transaction`, a cursor inside BEGIN/COMMIT that holds the process-wide write lock, so
two sessions writing at once queue instead of conflicting; readers use their own cursors and are
never blocked. Another process cannot open the file for writing at all (DuckDB's file lock).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
import threading

import duckdb

WRITE_LOCK = threading.Lock()


@contextmanager
def write_transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor in a transaction, committed on success and rolled back on any error."""
    with WRITE_LOCK:
        cur = con.cursor()
        cur.execute("BEGIN TRANSACTION")
        try:
            yield cur
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        else:
            cur.execute("COMMIT")
        finally:
            cur.close()
