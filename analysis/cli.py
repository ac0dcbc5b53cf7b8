"""Command line: `python -m analysis <command>`.

A thin layer over the stages, as sqlite-utils' cli.py is over its db.py: it parses arguments,
calls `analysis`, prints, and turns `StanceError`s into a one-line message and exit code 2.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path
import sys
from typing import Any, TextIO

from analysis.errors import StanceError
from analysis.records import ACTOR_TYPES
from analysis.wording import counted

CONTRACT_FIELDS = (
    "doc_id", "quote", "start", "end", "pieces", "kind", "cue", "speaker", "speaker_mention",
    "actor_type", "anonymous", "stance", "p_supportive", "p_opposed", "p_neutral",
)


class ProgressBar:
    """A one-line text progress bar on stderr, for runs over many files."""

    def __init__(self, stream: TextIO = sys.stderr, width: int = 30):
        self.stream = stream
        self.width = width

    def __call__(self, done: int, total: int, label: str) -> None:
        filled = int(self.width * done / max(total, 1))
        bar = "#" * filled + "-" * (self.width - filled)
        end = "\n" if done >= total else ""
        self.stream.write(f"\r[{bar}] {done}/{total} {label[:40]:<40}{end}")
        self.stream.flush()


def _scorer(args: argparse.Namespace):
    if getattr(args, "no_stance", False):
        return None
    from analysis.stance import load_scorer

    return load_scorer()


def _defaults(args: argparse.Namespace):
    from analysis.ingest import ArticleMeta

    return ArticleMeta(issue=args.issue, outlet=getattr(args, "outlet", None))


def cmd_ingest(args: argparse.Namespace) -> int:
    from analysis.actors import load_gazetteer
    from analysis.nlp import load_nlp
    from analysis.pipeline import ingest_paths
    from analysis.store import connect

    con = connect(args.db)
    try:
        summary = ingest_paths(
            con, [Path(p) for p in args.paths], load_nlp(), defaults=_defaults(args),
            gazetteer=load_gazetteer(), scorer=_scorer(args), replace=args.replace,
            progress=ProgressBar() if len(args.paths) > 1 or Path(args.paths[0]).is_dir() else None,
        )
    finally:
        con.close()
    print(
        f"{summary.files} files: {summary.articles_added} articles added, "
        f"{summary.duplicates} already stored, {summary.quotes_added} quotes"
    )
    for err in summary.errors:
        print(f"skipped {err.path}: {err.reason}", file=sys.stderr)
    return 1 if summary.errors and not summary.articles_added and not summary.duplicates else 0


def cmd_reextract(args: argparse.Namespace) -> int:
    from analysis.actors import load_gazetteer
    from analysis.nlp import load_nlp
    from analysis.pipeline import reextract_stored
    from analysis.store import connect
    from analysis.store.annotations import corrected_quotes_not_stored

    con = connect(args.db, create=False)
    try:
        before = corrected_quotes_not_stored(con)
        summary = reextract_stored(con, load_nlp(), gazetteer=load_gazetteer(),
                                   scorer=_scorer(args), progress=ProgressBar())
        lost = len(corrected_quotes_not_stored(con) - before)
    finally:
        con.close()
    n = summary.articles_added
    print(f"{counted(n, 'stored article')} extracted again: {counted(summary.quotes_added, 'quote')}")
    if lost:
        print(f"{counted(lost, 'corrected quote')} not found by this extraction (a span or "
              "a split changed); the corrections are kept and apply again if the quote comes back")
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from analysis.actors import load_gazetteer
    from analysis.ingest import read_paths
    from analysis.nlp import load_nlp
    from analysis.pipeline import extract_quotes

    articles, failed = [], 0
    for _, result in read_paths([Path(p) for p in args.paths], _defaults(args)):
        articles.extend(result.articles)
        for err in result.errors:
            failed += 1
            print(f"skipped {err.path}: {err.reason}", file=sys.stderr)
    out = sys.stdout
    writer = csv.DictWriter(out, fieldnames=CONTRACT_FIELDS) if args.format == "csv" else None
    if writer:
        writer.writeheader()
    for _, quotes in extract_quotes(
        articles, load_nlp(), gazetteer=load_gazetteer(), scorer=_scorer(args)
    ):
        for q in quotes:
            row = q.to_json()
            if writer:
                writer.writerow({**row, "pieces": json.dumps(row["pieces"])})
            else:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 1 if failed and not articles else 0


def _open_for_reading(db: str | None) -> Any:
    """The store, read-only (so a dashboard serving it read-only can keep it open); one written
    by an older version is opened for writing once, which upgrades it."""
    from analysis.store import connect
    from analysis.store.connection import OutdatedSchema

    try:
        return connect(db, read_only=True)
    except OutdatedSchema:
        return connect(db, create=False)


def cmd_stats(args: argparse.Namespace) -> int:
    from analysis.store import database_path, store_stats

    con = _open_for_reading(args.db)
    try:
        stats = store_stats(con)
    finally:
        con.close()
    if args.format == "json":
        print(json.dumps(stats, indent=2, default=str))
        return 0
    print(f"database: {database_path(args.db)}")
    for key, value in stats.items():
        if isinstance(value, dict):
            print(f"{key}:")
            for k, v in value.items():
                print(f"  {k:<16} {v}")
        else:
            print(f"{key:<18} {value}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from analysis.demo import build_demo_store
    from analysis.store import database_path

    db = database_path(args.db)
    summary = build_demo_store(db, progress=ProgressBar(), rebuild=args.rebuild)
    print(f"demo store {db}: {summary.articles_added} articles added, {summary.quotes_added} quotes"
          + (f", {summary.corrections_carried} corrections carried over"
             if summary.corrections_carried else ""))
    for err in summary.errors:
        print(f"skipped {err.path}: {err.reason}", file=sys.stderr)
    return 0


def cmd_corrections(args: argparse.Namespace) -> int:
    from analysis.store import connect
    from analysis.store.annotations import export_corrections, import_corrections, read_corrections

    con = _open_for_reading(args.db) if args.action == "export" else connect(args.db, create=False)
    try:
        if args.action == "export":
            if args.file == "-":
                n = export_corrections(con, sys.stdout)
            else:
                try:
                    with open(args.file, "w", encoding="utf-8", newline="") as fh:
                        n = export_corrections(con, fh)
                except OSError as exc:
                    raise StanceError(f"{args.file}: cannot write ({exc.strerror})") from exc
            print(f"{counted(n, 'correction')} exported", file=sys.stderr)
        else:
            from analysis.ingest import decode_bytes

            try:
                data = Path(args.file).read_bytes()
            except OSError as exc:
                raise StanceError(f"{args.file}: cannot read ({exc.strerror})") from exc
            text = decode_bytes(data, args.file)  # UTF-8 with or without a BOM, or Windows-1252
            corrections = read_corrections(text)
            n = import_corrections(con, corrections)
            print(f"{counted(n, 'correction')} imported (those already present were skipped)")
            if n:
                _rescore_regrouped(con, [(c.scope, c.field, c.target) for c in corrections])
    finally:
        con.close()
    return 0


def _rescore_regrouped(con: Any, corrections: list[tuple[str, str, str]]) -> None:
    """Re-score the quotes whose remarks imported corrections may have regrouped."""
    from analysis.review import regroups, rescore_after_corrections, retype_after_speaker_changes
    from analysis.stance import DEFAULT_ISSUE, load_scorer

    if not regroups(corrections):
        return
    retype_after_speaker_changes(con, corrections)
    n = rescore_after_corrections(con, load_scorer(), corrections, DEFAULT_ISSUE)
    if n is None:
        print("too many quotes to re-score now: run `python -m analysis rescore`", file=sys.stderr)
    elif n:
        print(f"{n} quotes re-scored with their speakers' remarks")


def cmd_retrain(args: argparse.Namespace) -> int:
    from analysis.review import retrain_from_corrections
    from analysis.store import connect

    con = connect(args.db, create=False)
    try:
        report = retrain_from_corrections(con, force=args.force)
    finally:
        con.close()
    cmp = report.comparison
    old = cmp["old"]["macro_f1"] if cmp.get("old") else None
    print(
        f"{report.corrections} corrections: trained on {report.trained_on}, held out {report.heldout}; "
        f"held-out macro-F1 old {old} -> new {cmp['new']['macro_f1']}"
    )
    print(
        f"new model {cmp['new_version']} replaced the old one; {report.rescored} quotes re-scored"
        if report.replaced else "the new model was worse on the held-out corrections; kept the old one"
    )
    return 0


def cmd_gazetteer(args: argparse.Namespace) -> int:
    from analysis.review import (
        add_gazetteer_entry, check_gazetteer_reach, remove_gazetteer_entry, retype_stored_quotes,
    )
    from analysis.store import connect

    if not args.remove and not args.actor_type:
        raise StanceError("give the actor type, or --remove to delete the entry")
    if args.remove and args.actor_type:
        raise StanceError("--remove takes the pattern only: it deletes the entry whatever its type")
    con = connect(args.db, create=False)  # before the entry is written: a mistyped --db changes nothing
    try:
        if args.remove:
            removed = remove_gazetteer_entry(args.pattern)
            done = f"removed {args.pattern!r} ({counted(removed, 'entry', 'entries')})"
        else:
            check_gazetteer_reach(con, args.pattern)
            add_gazetteer_entry(args.pattern, args.actor_type, args.note or "")
            done = f"added {args.pattern!r} -> {args.actor_type}"
        changed = retype_stored_quotes(con)
    finally:
        con.close()
    print(f"{done}; {changed} stored quotes re-typed")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--db", help="DuckDB file (default: $STANCE_DB or data/stance.duckdb)")
        return p

    p = with_db(sub.add_parser("ingest", help="read articles, extract quotes, store them"))
    p.add_argument("paths", nargs="+", help="files or folders (.txt .md .html .csv .jsonl)")
    p.add_argument("--issue", help="the issue stance is measured toward, for every article")
    p.add_argument("--outlet", help="outlet name for every article")
    p.add_argument("--replace", action="store_true", help="re-extract articles already stored")
    p.add_argument("--no-stance", action="store_true", help="leave stance empty")
    p.set_defaults(func=cmd_ingest)

    p = with_db(sub.add_parser(
        "reextract", help="extract every stored article again with this version; corrections stay"))
    p.add_argument("--no-stance", action="store_true", help="leave stance empty")
    p.set_defaults(func=cmd_reextract)

    p = sub.add_parser("extract", help="print every quote of the files (the extraction contract)")
    p.add_argument("paths", nargs="+")
    p.add_argument("--issue", help="the issue stance is measured toward")
    p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    p.add_argument("--no-stance", action="store_true", help="leave stance fields null")
    p.set_defaults(func=cmd_extract)

    p = with_db(sub.add_parser("stats", help="what the store holds"))
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_stats)

    p = with_db(sub.add_parser("demo", help="build the demo store from data/demo/"))
    p.add_argument("--rebuild", action="store_true",
                   help="build a new store from data/demo/ and replace the old one when it is "
                        "complete, corrections carried over (refused when the old store holds "
                        "other articles: use reextract)")
    p.set_defaults(func=cmd_demo)

    p = with_db(sub.add_parser("corrections", help="export or import people's corrections as CSV"))
    p.add_argument("action", choices=("export", "import"))
    p.add_argument("file", help="CSV file ('-' exports to standard output)")
    p.set_defaults(func=cmd_corrections)

    p = with_db(sub.add_parser("retrain", help="retrain the stance model with people's corrections"))
    p.add_argument("--force", action="store_true", help="replace the model even if not better")
    p.set_defaults(func=cmd_retrain)

    p = with_db(sub.add_parser("gazetteer", help="give a name or pattern an actor type, everywhere"))
    p.add_argument("pattern", help="a name or phrase, or re:<regular expression>")
    p.add_argument("actor_type", nargs="?", help=", ".join(ACTOR_TYPES))
    p.add_argument("--note")
    p.add_argument("--remove", action="store_true",
                   help="delete the entries with this pattern instead (then re-type stored quotes)")
    p.set_defaults(func=cmd_gazetteer)

    from analysis.stance.commands import add_commands  # train, classify, evaluate-stance, rescore

    add_commands(sub, with_db)
    from analysis.extraction_eval import add_command as add_extraction_eval  # evaluate-extraction

    add_extraction_eval(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; user errors print one line and return 2."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except StanceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
