"""The DuckDB store: every SQL statement of the project lives in this package.

`connection` opens and upgrades the file, `writes` stores pipeline output, `queries` answers
the questions the pages ask (aggregated in DuckDB, returned as small DataFrames).
"""

from analysis.store.connection import SCHEMA_VERSION, connect, database_path
from analysis.store.writes import (
    SaveResult,
    article_exists,
    extractor_version,
    has_articles,
    prune_speakers,
    record_extractor,
    record_model,
    save_article,
    store_stats,
    stored_articles,
    update_stances,
)

__all__ = [
    "SCHEMA_VERSION",
    "SaveResult",
    "article_exists",
    "connect",
    "database_path",
    "extractor_version",
    "has_articles",
    "prune_speakers",
    "record_extractor",
    "record_model",
    "save_article",
    "store_stats",
    "stored_articles",
    "update_stances",
]
