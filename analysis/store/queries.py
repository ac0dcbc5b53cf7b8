"""The questions the dashboard pages ask, answered in DuckDB.

In: a DuckDB connection (or cursor) and a frozen `Filters`. Out: small, aggregated DataFrames.
Every function reads the `quote_facts` view (predictions with corrections applied), binds every
value, and takes sort/group columns only from the allow-lists below. `slice_sql` is the one
row-level query: the Quotes page pages through it and the exports stream it, so what is shown and
what is downloaded cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
import json
from typing import Any

import duckdb
import pandas as pd

from analysis.records import ACTOR_TYPES, STANCES

Con = duckdb.DuckDBPyConnection

# Allow-lists: user choices map to these SQL fragments, never the other way round.
TIME_GRAINS: dict[str, str] = {
    "week": "date_trunc('week', published)",
    "month": "date_trunc('month', published)",
    "quarter": "date_trunc('quarter', published)",
    "year": "date_trunc('year', published)",
}
QUOTE_SORTS: dict[str, str] = {
    "newest": "published DESC NULLS LAST, article_id, start_char",
    "oldest": "published ASC NULLS LAST, article_id, start_char",
    "most confident": "confidence DESC NULLS LAST, quote_id",
    "least confident": "confidence ASC NULLS LAST, quote_id",
    "speaker": "speaker ASC NULLS LAST, published DESC, quote_id",
    "outlet": "outlet ASC NULLS LAST, published DESC, quote_id",
}
# The exported columns, in order: what an analyst needs to re-check a row by hand.
# From this offset on, the Quotes page sorts ids only and then reads the page's rows.
DEEP_PAGE = 2_000
SLICE_COLUMNS: tuple[str, ...] = (
    "quote_id", "article_id", "title", "outlet", "published", "issue", "url", "speaker",
    "speaker_mention", "actor_type", "anonymous", "kind", "cue", "quote", "stance",
    "predicted_stance", "corrected", "p_supportive", "p_opposed", "p_neutral", "confidence",
    "model_version", "start_char", "end_char",
)


# Values of `Filters.sources`: speakers named in the article, or unnamed ("a senior official").
SOURCES: tuple[str, ...] = ("named", "anonymous")


@dataclass(frozen=True)
class Filters:
    """The one set of filters every page shares; hashable, so it can key caches."""

    issue: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    outlets: tuple[str, ...] = ()
    actor_types: tuple[str, ...] = ()
    stances: tuple[str, ...] = ()
    speaker: str | None = None
    search: str | None = None
    min_confidence: float = 0.0
    sources: str | None = None  # one of SOURCES: only named or only anonymous speakers

    def to_query_params(self) -> dict[str, str | list[str]]:
        """URL query parameters for the non-default fields (lists repeat the key)."""
        out: dict[str, str | list[str]] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value in (None, (), "", 0.0):
                continue
            if isinstance(value, tuple):
                out[f.name] = list(value)
            elif isinstance(value, date):
                out[f.name] = value.isoformat()
            else:
                out[f.name] = str(value)
        return out

    @classmethod
    def from_query_params(cls, params: dict[str, Any]) -> Filters:
        """Parse URL parameters; unknown keys and malformed values are ignored, not fatal."""
        return cls.parse_query_params(params)[0]

    @classmethod
    def parse_query_params(cls, params: dict[str, Any]) -> tuple[Filters, list[str]]:
        """Parse URL parameters into filters, and name each value that is not a valid one
        (e.g. `sources “foo”`), so that a caller can say what was not applied instead of
        showing a slice the link did not ask for. Unknown keys are not named: pages keep
        parameters of their own in the same URL."""
        kw: dict[str, Any] = {}
        invalid: list[str] = []
        for f in fields(cls):
            raw = params.get(f.name)
            if raw in (None, "", []):
                continue
            values = list(raw) if isinstance(raw, (list, tuple)) else [raw]
            if f.name in ("outlets", "actor_types", "stances"):
                allowed = {"actor_types": ACTOR_TYPES, "stances": STANCES}.get(f.name)
                kept = [str(v) for v in values if str(v)]
                invalid += [f"{f.name} “{v}”" for v in kept if allowed and v not in allowed]
                kw[f.name] = tuple(v for v in kept if not allowed or v in allowed)
                continue
            # A second, different value of a one-value filter (?sources=named&sources=anonymous)
            # is not applied: either value alone would show a narrower slice than the link may
            # mean (both sources here), so the filter is left out and named, as an invalid value
            # is. The same value twice says nothing more and applies.
            distinct = list(dict.fromkeys(str(v) for v in values))
            if len(distinct) > 1:
                times = "twice" if len(distinct) == 2 else f"{len(distinct)} times"
                invalid.append(f"{f.name} given {times} ("
                               + ", ".join(f"“{v}”" for v in distinct) + ")")
                continue
            value = distinct[0]
            try:
                if f.name in ("date_from", "date_to"):
                    kw[f.name] = date.fromisoformat(value)
                elif f.name == "min_confidence":
                    # a probability; 7 or 70 (a percentage?) is not clamped to 1.0, which would
                    # keep only corrected quotes, and float() also accepts "nan" and "inf"
                    confidence = float(value)
                    if not 0.0 <= confidence <= 1.0:
                        raise ValueError(value)
                    kw[f.name] = confidence
                elif f.name == "sources" and value not in SOURCES:
                    raise ValueError(value)
                else:
                    kw[f.name] = value
            except ValueError:
                invalid.append(f"{f.name} “{value}”")
        if kw.get("date_from") and kw.get("date_to") and kw["date_from"] > kw["date_to"]:
            # a range that ends before it starts holds nothing; named, like any other slip of a
            # hand-edited link, rather than shown as "no quotes match"
            invalid.append(f"date_from “{kw.pop('date_from')}” after date_to “{kw.pop('date_to')}”")
        return cls(**kw), invalid

    def describe(self) -> dict[str, Any]:
        """The non-default filters as JSON-ready values (for export metadata)."""
        return {k: v for k, v in self.to_query_params().items()}

    def slug(self, max_len: int = 120) -> str:
        """A file-name-safe summary of the filters, e.g. `actor_types-military_2024-01-01..`."""
        parts: list[str] = []
        if self.issue:
            parts.append("issue-" + self.issue[:30])
        if self.date_from or self.date_to:
            parts.append(f"{self.date_from or 'start'}..{self.date_to or 'end'}")
        for name in ("outlets", "actor_types", "stances"):
            values = getattr(self, name)
            if values:
                # long lists collapse to a count so the name stays usable
                joined = "+".join(values) if len(values) <= 3 else f"{len(values)}{name}"
                parts.append(f"{name}-{joined}")
        if self.speaker:
            parts.append("speaker-" + self.speaker)
        if self.sources:
            parts.append("sources-" + self.sources)
        if self.search:
            parts.append("search-" + self.search)
        if self.min_confidence:
            parts.append(f"conf-{self.min_confidence:.2f}")
        text = "_".join(parts) or "all"
        safe = "".join(c if c.isalnum() or c in "-_.+" else "-" for c in text)
        return safe[:max_len]


def where_clause(f: Filters) -> tuple[str, list[Any]]:
    """Filters -> (`WHERE ...` or "", bound parameters), for queries over `quote_facts`."""
    clauses: list[str] = []
    params: list[Any] = []

    def add(sql: str, *values: Any) -> None:
        clauses.append(sql)
        params.extend(values)

    if f.issue:
        add("issue = ?", f.issue)
    if f.date_from:
        add("published >= ?", f.date_from)
    if f.date_to:
        add("published <= ?", f.date_to)
    for column, values in (("outlet", f.outlets), ("actor_type", f.actor_types),
                           ("stance", f.stances)):
        if values:
            add(f"{column} IN ({', '.join('?' * len(values))})", *values)
    if f.speaker:
        add("speaker = ?", f.speaker)
    if f.sources in SOURCES:
        add("anonymous = ?", f.sources == "anonymous")
    if f.search:
        # contains() on lowered text: no LIKE wildcards to escape in user input
        needle = f.search.strip().lower()
        add("(contains(lower(quote), ?) OR contains(lower(coalesce(speaker, '')), ?))",
            needle, needle)
    if f.min_confidence:
        add("confidence >= ?", f.min_confidence)
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def _df(con: Con, sql: str, params: list[Any]) -> pd.DataFrame:
    # a cursor per query: DuckDB connections are not thread-safe and results stay open
    return con.cursor().execute(sql, params).df()


def _and(where: str, extra: str) -> str:
    return f"{where} AND {extra}" if where else f"WHERE {extra}"


# --- options for the filter widgets -------------------------------------------------------------

def filter_options(con: Con) -> dict[str, Any]:
    """Issues, outlets (most quoted first) and the date range of the whole store."""
    cur = con.cursor()
    issues = [r[0] for r in cur.execute(
        "SELECT issue FROM articles WHERE issue IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC"
    ).fetchall()]
    outlets = [r[0] for r in cur.execute(
        "SELECT outlet FROM articles WHERE outlet IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1"
    ).fetchall()]
    lo, hi = cur.execute("SELECT min(published), max(published) FROM articles").fetchall()[0]
    return {"issues": issues, "outlets": outlets, "date_min": lo, "date_max": hi}


def speaker_options(con: Con, f: Filters, limit: int = 500) -> list[str]:
    """The most quoted speakers in the filter (ignoring the speaker filter itself)."""
    where, params = where_clause(replace(f, speaker=None))
    sql = (f"SELECT speaker FROM quote_facts {_and(where, 'speaker IS NOT NULL')} "
           "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT ?")
    return [r[0] for r in con.cursor().execute(sql, [*params, limit]).fetchall()]


# --- Home and Divisions -------------------------------------------------------------------------

def corpus_summary(con: Con, f: Filters) -> dict[str, Any]:
    """The corpus in numbers for the filter: quotes, articles, issues, speakers, outlets, dates."""
    where, params = where_clause(f)
    sql = f"""SELECT count(*) AS quotes, count(DISTINCT article_id) AS articles,
                     -- articles without an issue are all scored against the default one
                     count(DISTINCT issue) + max(CASE WHEN issue IS NULL THEN 1 ELSE 0 END)
                         AS issues,
                     count(DISTINCT speaker) AS speakers, count(DISTINCT outlet) AS outlets,
                     min(published) AS first, max(published) AS last,
                     avg(CASE WHEN anonymous THEN 1.0 ELSE 0.0 END) AS anonymous_share,
                     sum(CASE WHEN corrected THEN 1 ELSE 0 END) AS corrected
              FROM quote_facts {where}"""
    return _df(con, sql, params).iloc[0].to_dict()


def stance_by_actor(con: Con, f: Filters) -> pd.DataFrame:
    """Quotes per (actor type, stance) with the share within the actor type and an example quote.

    Returns columns actor_type, stance, n, share, example, example_speaker.
    """
    where, params = where_clause(f)
    sql = f"""WITH g AS (
                SELECT actor_type, stance, count(*) AS n,
                       arg_max(quote, confidence) AS example,
                       arg_max(speaker, confidence) AS example_speaker
                FROM quote_facts {_and(where, 'stance IS NOT NULL')}
                GROUP BY ALL)
              SELECT *, n / sum(n) OVER (PARTITION BY actor_type) AS share FROM g"""
    return _df(con, sql, params)


def stance_by_actor_outlet(con: Con, f: Filters, top_outlets: int = 12) -> pd.DataFrame:
    """(outlet, actor type, stance) counts and shares for the most-quoting outlets."""
    where, params = where_clause(f)
    sql = f"""WITH base AS (SELECT outlet, actor_type, stance, quote, confidence
                          FROM quote_facts {_and(where, 'stance IS NOT NULL')}),
              top AS (SELECT outlet FROM base GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT ?),
              g AS (SELECT outlet, actor_type, stance, count(*) AS n,
                           arg_max(quote, confidence) AS example
                    FROM base WHERE outlet IN (SELECT outlet FROM top) GROUP BY ALL)
              SELECT *, n / sum(n) OVER (PARTITION BY outlet, actor_type) AS share FROM g"""
    return _df(con, sql, [*params, top_outlets])


def stance_over_time(con: Con, f: Filters, grain: str = "month") -> pd.DataFrame:
    """(period, actor type, stance) counts and shares; `grain` from TIME_GRAINS."""
    period = TIME_GRAINS[grain]
    where, params = where_clause(f)
    sql = f"""WITH g AS (SELECT {period}::DATE AS period, actor_type, stance, count(*) AS n,
                                arg_max(quote, confidence) AS example
                         FROM quote_facts
                         {_and(where, 'stance IS NOT NULL AND published IS NOT NULL')}
                         GROUP BY ALL)
              SELECT *, n / sum(n) OVER (PARTITION BY period, actor_type) AS share
              FROM g ORDER BY period"""
    return _df(con, sql, params)


# --- Quotes -------------------------------------------------------------------------------------

def slice_sql(f: Filters, sort: str | None = "newest",
              columns: tuple[str, ...] = SLICE_COLUMNS) -> tuple[str, list[Any]]:
    """The row-level query behind every view: the exports stream it, the Quotes page pages it.

    `sort=None` returns the rows in storage order: a 1,000,000-row export then streams without
    DuckDB first sorting (and holding) the whole slice.
    """
    unknown = [c for c in columns if c not in SLICE_COLUMNS]
    if unknown:
        raise ValueError(f"unknown columns: {unknown}")
    where, params = where_clause(f)
    order = "" if sort is None else f" ORDER BY {QUOTE_SORTS[sort]}"
    return f"SELECT {', '.join(columns)} FROM quote_facts {where}{order}", params


def quotes_by_model_version(con: Con) -> dict[str | None, int]:
    """How many of the store's quotes each stance model scored (None: not scored)."""
    rows = con.cursor().execute(
        "SELECT model_version, count(*) FROM quote_facts GROUP BY 1").fetchall()
    return {version: int(n) for version, n in rows}


def count_quotes(con: Con, f: Filters) -> int:
    """How many quotes the filter selects."""
    where, params = where_clause(f)
    return int(con.cursor().execute(f"SELECT count(*) FROM quote_facts {where}",
                                    params).fetchall()[0][0])


def quotes_page(con: Con, f: Filters, sort: str = "newest", limit: int = 100,
                offset: int = 0) -> pd.DataFrame:
    """One page of the slice, in the same order as `slice_sql(f, sort)`.

    Deep pages use late materialisation: only the ids are sorted and cut to the page, then the
    page's rows are read, which halves their cost on a large store. Near the top a plain top-N
    sort is cheaper than reading the view twice.
    """
    order = QUOTE_SORTS[sort]
    where, params = where_clause(f)
    if offset < DEEP_PAGE:
        sql, params = slice_sql(f, sort)
        return _df(con, f"{sql} LIMIT ? OFFSET ?", [*params, int(limit), int(offset)])
    sql = f"""WITH page AS (SELECT quote_id FROM quote_facts {where}
                            ORDER BY {order} LIMIT ? OFFSET ?)
              SELECT {', '.join(SLICE_COLUMNS)} FROM quote_facts
              WHERE quote_id IN (SELECT quote_id FROM page) ORDER BY {order}"""
    return _df(con, sql, [*params, int(limit), int(offset)])


def article(con: Con, article_id: str) -> dict[str, Any] | None:
    """One article with its text, or None."""
    df = _df(con, "SELECT id, title, outlet, published, url, issue, text FROM articles "
                  "WHERE id = ?", [article_id])
    return None if df.empty else df.iloc[0].to_dict()


def article_quotes(con: Con, article_id: str) -> pd.DataFrame:
    """Every quote of one article (whatever the filter), in reading order, with its pieces."""
    return _df(con, """SELECT quote_id, start_char, end_char, pieces, quote, speaker,
                              speaker_mention, actor_type, stance, confidence, cue, kind,
                              issue, p_supportive, p_opposed, p_neutral, corrected
                       FROM quote_facts WHERE article_id = ? ORDER BY start_char""", [article_id])


def articles_list(con: Con, f: Filters, limit: int = 200) -> pd.DataFrame:
    """Articles in the filter with their quote counts, newest first (for side-by-side views)."""
    where, params = where_clause(f)
    sql = f"""SELECT article_id, any_value(title) AS title, any_value(outlet) AS outlet,
                     any_value(published) AS published, count(*) AS quotes
              FROM quote_facts {where} GROUP BY article_id
              ORDER BY published DESC NULLS LAST, article_id LIMIT ?"""
    return _df(con, sql, [*params, limit])


# --- Speakers -----------------------------------------------------------------------------------

def top_speakers(con: Con, f: Filters, limit: int = 25) -> pd.DataFrame:
    """The most quoted speakers with actor type and stance mix.

    One row per speaker and actor type: one name can stand for two people ("Colonel Dana
    Whitfield, a Pentagon spokesperson" and "Senator Dana Whitfield"), and "anonymous
    spokesperson" for many; each article's own description keeps them apart.
    """
    where, params = where_clause(f)
    sql = f"""SELECT speaker, actor_type, bool_or(anonymous) AS anonymous,
                     count(*) AS n,
                     count(*) FILTER (WHERE stance = 'supportive') AS supportive,
                     count(*) FILTER (WHERE stance = 'opposed') AS opposed,
                     count(*) FILTER (WHERE stance = 'neutral') AS neutral,
                     arg_max(quote, confidence) AS example
              FROM quote_facts {_and(where, 'speaker IS NOT NULL')}
              GROUP BY speaker, actor_type ORDER BY n DESC, speaker, actor_type LIMIT ?"""
    return _df(con, sql, [*params, limit])


def anonymity_by_actor(con: Con, f: Filters) -> pd.DataFrame:
    """Per actor type: quotes, anonymous quotes, distinct speakers, anonymous share."""
    where, params = where_clause(f)
    sql = f"""SELECT actor_type, count(*) AS n,
                     count(*) FILTER (WHERE anonymous) AS anonymous_n,
                     count(DISTINCT speaker) AS speakers,
                     avg(CASE WHEN anonymous THEN 1.0 ELSE 0.0 END) AS anonymous_share
              FROM quote_facts {where} GROUP BY actor_type"""
    return _df(con, sql, params)


def speaker_timeline(con: Con, f: Filters, speaker: str, grain: str = "month") -> pd.DataFrame:
    """One speaker's quotes per (period, stance)."""
    period = TIME_GRAINS[grain]
    where, params = where_clause(replace(f, speaker=speaker))
    sql = f"""SELECT {period}::DATE AS period, stance, count(*) AS n,
                     arg_max(quote, confidence) AS example
              FROM quote_facts {_and(where, 'stance IS NOT NULL AND published IS NOT NULL')}
              GROUP BY ALL ORDER BY period"""
    return _df(con, sql, params)


# --- Framing ------------------------------------------------------------------------------------

def cue_verbs(con: Con, f: Filters, top_n: int = 15,
              lemmas: tuple[tuple[str, str], ...] = ()) -> pd.DataFrame:
    """(cue, actor type, stance) counts for the `top_n` most used cue verbs.

    Args:
        lemmas: (form, lemma) pairs, so "said", "says" and "saying" count as one verb "say".
    """
    where, params = where_clause(f)
    forms = [form for form, _ in lemmas] or [""]
    heads = [lemma for _, lemma in lemmas] or [""]
    # aggregate first (a few hundred rows), then map forms to lemmas: cheap at 1M quotes
    sql = f"""WITH lemma AS (SELECT unnest(?::VARCHAR[]) AS form, unnest(?::VARCHAR[]) AS lemma),
              raw AS (SELECT lower(cue) AS cue, actor_type, stance, count(*) AS n
                      FROM quote_facts {_and(where, 'cue IS NOT NULL AND stance IS NOT NULL')}
                      GROUP BY ALL),
              base AS (SELECT coalesce(l.lemma, r.cue) AS cue, r.actor_type, r.stance,
                              sum(r.n) AS n
                       FROM raw r LEFT JOIN lemma l ON l.form = r.cue GROUP BY ALL),
              top AS (SELECT cue FROM base GROUP BY 1 ORDER BY sum(n) DESC, 1 LIMIT ?)
              SELECT cue, actor_type, stance, n FROM base WHERE cue IN (SELECT cue FROM top)"""
    return _df(con, sql, [forms, heads, *params, top_n])


def voice_by_outlet(con: Con, f: Filters, top_outlets: int = 15) -> pd.DataFrame:
    """Share of voice: quotes per (outlet, actor type) and the share within the outlet."""
    where, params = where_clause(f)
    sql = f"""WITH base AS (SELECT outlet, actor_type FROM quote_facts
                            {_and(where, 'outlet IS NOT NULL')}),
              top AS (SELECT outlet FROM base GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT ?),
              g AS (SELECT outlet, actor_type, count(*) AS n FROM base
                    WHERE outlet IN (SELECT outlet FROM top) GROUP BY ALL)
              SELECT *, n / sum(n) OVER (PARTITION BY outlet) AS share FROM g"""
    return _df(con, sql, [*params, top_outlets])


# --- Model --------------------------------------------------------------------------------------

def models(con: Con) -> pd.DataFrame:
    """Recorded stance models, newest first, with metrics parsed from JSON."""
    df = _df(con, "SELECT version, trained_at, training_size, metrics FROM models "
                  "ORDER BY trained_at DESC NULLS LAST", [])
    df["metrics"] = [json.loads(m) if m else {} for m in df["metrics"]]
    return df


def data_version(con: Con) -> str:
    """A cheap fingerprint of the data (counts and latest timestamps) to key result caches."""
    row = con.cursor().execute(
        """SELECT (SELECT count(*) FROM articles), (SELECT max(ingested_at) FROM articles),
                  (SELECT count(*) FROM quotes), (SELECT count(*) FROM annotations),
                  (SELECT max(created_at) FROM annotations), (SELECT count(*) FROM models)"""
    ).fetchall()[0]
    return "|".join(str(v) for v in row)


def corrections_check(con: Con, bins: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The model against people's stance corrections: (confusion counts, calibration bins).

    Only quotes whose stance a person set are gold here; the model's confidence is its top
    probability before the correction.
    """
    base = """SELECT predicted_stance AS predicted, stance AS gold,
                     greatest(p_supportive, p_opposed, p_neutral) AS p
              FROM quote_facts
              WHERE predicted_stance IS NOT NULL
                AND quote_id IN (SELECT quote_id FROM annotations WHERE field = 'stance')"""
    conf = _df(con, f"SELECT gold, predicted, count(*) AS n FROM ({base}) GROUP BY ALL", [])
    calib = _df(con, f"""SELECT least(floor(p * ?), ? - 1) AS bin, avg(p) AS confidence,
                                avg(CASE WHEN gold = predicted THEN 1.0 ELSE 0.0 END) AS accuracy,
                                count(*) AS count
                         FROM ({base}) GROUP BY 1 ORDER BY 1""", [bins, bins])
    return conf, calib
