"""Build a synthetic stance store for benchmarks and development.

In: a path and a quote count (default 1,000,000). Out: a DuckDB file with the project schema,
filled with realistic-looking distributions: 10,000 speakers quoted on a power law, 50 outlets
(also skewed), three years of dates with news bursts, seven actor types whose stance mix differs,
about 10 quotes per article, and article texts that contain their quotes at the stored offsets.

Rows are generated with numpy and bulk-inserted from Arrow tables (`INSERT ... SELECT`), because
going through `save_article` one article at a time would take minutes at this size.

    python bench/make_synthetic_store.py bench/out/synthetic.duckdb --quotes 1000000
"""

from __future__ import annotations

import argparse
from datetime import date, timedelta
import hashlib
from pathlib import Path
import sys
import time

import numpy as np
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.records import ACTOR_TYPES  # noqa: E402
from analysis.store import connect  # noqa: E402

ISSUES = ("Lifting the US ban on anti-personnel landmines",
          "Sending cluster munitions to Ukraine",
          "Cutting humanitarian demining aid")
ISSUE_WEIGHTS = (0.7, 0.2, 0.1)
ACTOR_WEIGHTS = (0.18, 0.14, 0.16, 0.16, 0.14, 0.12, 0.10)
# P(supportive, opposed, neutral) per actor type, in ACTOR_TYPES order: the divisions to find.
STANCE_MIX = np.array([
    [0.55, 0.15, 0.30],  # military
    [0.45, 0.20, 0.35],  # executive
    [0.30, 0.40, 0.30],  # congressional
    [0.05, 0.75, 0.20],  # humanitarian
    [0.15, 0.55, 0.30],  # international
    [0.25, 0.35, 0.40],  # expert
    [0.20, 0.30, 0.50],  # other
])
STANCES = ("supportive", "opposed", "neutral")
CUES = ("said", "said", "said", "told", "added", "warned", "argued", "claimed", "insisted",
        "admitted", "noted", "stressed", "acknowledged", "conceded", "according to")
CLAUSES = {
    "supportive": ("Our forces need every defensive tool against a massed armoured attack",
                   "Lifting the ban restores an option our commanders asked for",
                   "Modern mines deactivate themselves and the risk is manageable",
                   "Deterrence depends on making an invasion costly from day one",
                   "This decision strengthens the defence of our allies on the eastern flank"),
    "opposed": ("These weapons keep killing children for decades after the fighting stops",
                "Reversing the ban undoes twenty years of progress on civilian protection",
                "No military advantage justifies scattering mines across farmland",
                "The treaty exists because clearance costs lives and billions of dollars",
                "We urge the administration to reconsider before more civilians pay the price"),
    "neutral": ("The committee will review the policy at its next hearing",
                "The department has not yet published the implementation guidance",
                "Shipments are scheduled to begin later this year",
                "We are still assessing the legal implications",
                "The briefing covered logistics and the timeline for the transfer"),
}
TAILS = ("", "", " and we have said so repeatedly", " in the coming months",
         " whatever the critics say", " and the record shows it", " as we told Congress")
FIRST = ("James", "Maria", "Ahmed", "Olena", "Chen", "Fatima", "John", "Sofia", "David", "Aisha",
         "Peter", "Ingrid", "Carlos", "Mei", "Tom", "Nadia", "Luis", "Anna", "Kwame", "Elena")
LAST = ("Miller", "Kovalenko", "Haddad", "Nguyen", "Smith", "Okafor", "Rossi", "Schmidt",
        "Tanaka", "Garcia", "Novak", "Ibrahim", "Brown", "Petrov", "Silva", "Jensen", "Reed",
        "Khan", "Moreau", "Walsh", "Park", "Adeyemi", "Larsen", "Costa", "Fischer")
ANON = ("a senior defense official", "a congressional aide", "an aid worker", "a diplomat",
        "a person familiar with the matter", "an administration official", "a NATO official")
TITLE = {"military": "General", "executive": "Secretary", "congressional": "Senator",
         "humanitarian": "aid director", "international": "Minister", "expert": "analyst",
         "other": "resident"}


def _outlets() -> list[str]:
    adjectives = ("Capital", "Northern", "Daily", "Evening", "Atlantic", "Pacific", "Federal",
                  "Global", "Morning", "Civic")
    nouns = ("Ledger", "Herald", "Times", "Post", "Courier")
    return [f"The {a} {n}" for a in adjectives for n in nouns]  # 50 outlets


def _speakers(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    actor = rng.choice(len(ACTOR_TYPES), size=n, p=ACTOR_WEIGHTS)
    anonymous = rng.random(n) < 0.08
    names = np.empty(n, dtype=object)
    for i in range(n):
        if anonymous[i]:
            names[i] = f"{ANON[i % len(ANON)]} #{i}"
        else:
            names[i] = f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]} {i}"
    return {"name": names, "actor": actor, "anonymous": anonymous}


def _articles(rng: np.random.Generator, n: int, outlets: list[str]) -> dict[str, np.ndarray]:
    # Zipf-like outlet weights: a few big outlets carry most of the coverage
    w = 1.0 / np.arange(1, len(outlets) + 1) ** 0.9
    outlet = rng.choice(len(outlets), size=n, p=w / w.sum())
    # three years of dates with bursts: a mix of uniform days and a few news events
    days = rng.integers(0, 3 * 365, size=n)
    bursts = rng.choice([100, 400, 410, 700, 900], size=n)
    in_burst = rng.random(n) < 0.3
    days = np.where(in_burst, np.clip(bursts + rng.normal(0, 6, n).astype(int), 0, 1094), days)
    issue = rng.choice(len(ISSUES), size=n, p=ISSUE_WEIGHTS)
    return {"outlet": outlet, "day": days, "issue": issue}


def _probabilities(rng: np.random.Generator, stance: np.ndarray) -> np.ndarray:
    raw = rng.dirichlet([1.0, 1.0, 1.0], size=len(stance))
    top = 0.4 + 0.6 * rng.random(len(stance)) ** 0.7
    rest = raw[:, :2] / raw[:, :2].sum(axis=1, keepdims=True) * (1 - top)[:, None]
    probs = np.empty((len(stance), 3))
    for k in range(3):
        others = [j for j in range(3) if j != k]
        m = stance == k
        probs[m, k] = top[m]
        probs[m, others[0]] = rest[m, 0]
        probs[m, others[1]] = rest[m, 1]
    return probs


def build(path: Path, n_quotes: int = 1_000_000, n_speakers: int = 10_000,
          per_article: int = 10, seed: int = 7) -> dict[str, float]:
    """Write a synthetic store at `path` (replacing it); returns row counts and seconds."""
    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    outlets = _outlets()
    sp = _speakers(rng, n_speakers)
    n_articles = max(1, n_quotes // per_article)
    art = _articles(rng, n_articles, outlets)

    article_of = np.sort(rng.integers(0, n_articles, size=n_quotes))
    article_of[:n_articles] = np.arange(n_articles)  # every article gets a quote
    article_of.sort()
    speaker_of = np.minimum((n_speakers * rng.random(n_quotes) ** 2.5).astype(int), n_speakers - 1)
    actor = sp["actor"][speaker_of]
    u = rng.random(n_quotes)
    cum = STANCE_MIX.cumsum(axis=1)[actor]
    stance = (u[:, None] > cum).sum(axis=1)
    probs = _probabilities(rng, stance)
    cue = rng.integers(0, len(CUES), size=n_quotes)
    clause = rng.integers(0, 5, size=n_quotes)
    tail = rng.integers(0, len(TAILS), size=n_quotes)
    formula = rng.random(n_quotes) < 0.001  # a few cells a spreadsheet would run as formulas

    quote_text = np.empty(n_quotes, dtype=object)
    starts = np.zeros(n_quotes, dtype=np.int64)
    ends = np.zeros(n_quotes, dtype=np.int64)
    texts: list[str] = []
    parts: list[str] = []
    offset = 0
    current = 0
    for i in range(n_quotes):
        a = article_of[i]
        while current < a:  # close the previous article(s)
            texts.append("".join(parts))
            parts, offset, current = [], 0, current + 1
        q = CLAUSES[STANCES[stance[i]]][clause[i]] + TAILS[tail[i]]
        if formula[i]:
            q = "=" + q if i % 2 else "-" + q
        a_t = ACTOR_TYPES[actor[i]]
        mention = sp["name"][speaker_of[i]]
        if not sp["anonymous"][speaker_of[i]]:
            mention = f"{TITLE[a_t]} {mention}"
        cue_word = CUES[cue[i]]
        lead = '"'
        parts.append(f'{lead}{q}," {mention} {cue_word}. ')
        starts[i] = offset + len(lead)
        ends[i] = starts[i] + len(q)
        offset += len(parts[-1])
        quote_text[i] = q
    texts.append("".join(parts))
    while len(texts) < n_articles:
        texts.append("")

    article_ids = np.array([f"{j:016x}" for j in range(n_articles)], dtype=object)
    base_day = date(2023, 1, 1)
    con = connect(path)
    try:
        _insert_articles(con, art, texts, outlets, article_ids, base_day)
        _insert_speakers(con, sp)
        quotes = pa.table({
            "id": pa.array([f"q{i:015x}" for i in range(n_quotes)]),
            "article_id": pa.array(article_ids[article_of]),
            "start_char": pa.array(starts, pa.int32()),
            "end_char": pa.array(ends, pa.int32()),
            "pieces": pa.array([f"[[{s}, {e}]]" for s, e in zip(starts, ends)]),
            "text": pa.array(quote_text),
            "kind": pa.array(np.where(rng.random(n_quotes) < 0.8, "direct", "indirect")),
            "cue": pa.array(np.array(CUES, dtype=object)[cue]),
            "speaker": pa.array(sp["name"][speaker_of]),
            "speaker_mention": pa.array(sp["name"][speaker_of]),
            "actor_type": pa.array(np.array(ACTOR_TYPES, dtype=object)[actor]),
            "anonymous": pa.array(sp["anonymous"][speaker_of]),
            "stance": pa.array(np.array(STANCES, dtype=object)[stance]),
            "p_supportive": pa.array(probs[:, 0]),
            "p_opposed": pa.array(probs[:, 1]),
            "p_neutral": pa.array(probs[:, 2]),
            "model_version": pa.array(["synthetic-1"] * n_quotes),
        })
        con.register("quotes_in", quotes)
        cols = ", ".join(quotes.column_names)
        con.execute(f"INSERT INTO quotes ({cols}) SELECT {cols} FROM quotes_in")
        con.unregister("quotes_in")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return {"articles": n_articles, "quotes": n_quotes, "speakers": n_speakers,
            "seconds": round(time.perf_counter() - t0, 1)}


def _insert_articles(con, art, texts, outlets, article_ids, base_day) -> None:
    n = len(article_ids)
    table = pa.table({
        "id": pa.array(article_ids),
        # the text alone is not unique (empty or repeated), so the hash includes the id
        "sha256": pa.array([hashlib.sha256(f"{i}:{t}".encode()).hexdigest()
                            for i, t in zip(article_ids, texts)]),
        "doc_id": pa.array([f"synthetic-{j}" for j in range(n)]),
        "title": pa.array([f"{ISSUES[art['issue'][j]]}: report {j}" for j in range(n)]),
        "outlet": pa.array(np.array(outlets, dtype=object)[art["outlet"]]),
        "published": pa.array([base_day + timedelta(days=int(d)) for d in art["day"]]),
        "url": pa.array([f"https://example.org/a/{j}" for j in range(n)]),
        "issue": pa.array(np.array(ISSUES, dtype=object)[art["issue"]]),
        "text": pa.array(texts),
        "source": pa.array(["synthetic"] * n),
    })
    con.register("articles_in", table)
    con.execute("INSERT INTO articles (id, sha256, doc_id, title, outlet, published, url, issue,"
                " text, source) SELECT * FROM articles_in")
    con.unregister("articles_in")


def _insert_speakers(con, sp) -> None:
    table = pa.table({
        "name": pa.array(sp["name"]),
        "actor_type": pa.array(np.array(ACTOR_TYPES, dtype=object)[sp["actor"]]),
        "anonymous": pa.array(sp["anonymous"]),
        "organisation": pa.array([None] * len(sp["name"]), pa.string()),
    })
    con.register("speakers_in", table)
    con.execute("INSERT INTO speakers (name, actor_type, anonymous, organisation)"
                " SELECT * FROM speakers_in")
    con.unregister("speakers_in")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--quotes", type=int, default=1_000_000)
    parser.add_argument("--speakers", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if args.path.exists():
        args.path.unlink()
    args.path.parent.mkdir(parents=True, exist_ok=True)
    print(build(args.path, args.quotes, args.speakers, seed=args.seed))


if __name__ == "__main__":
    main()
