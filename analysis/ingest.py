"""Reading articles from files, folders and pasted text.

In: paths (.txt .md .html .htm .csv .jsonl, or folders of them, searched recursively) or a string.
Out: `Article` records plus an `IngestError` per bad file or row; a bad file never stops the others.
Text is decoded (UTF-8, else Windows-1252), newlines are normalised to "\\n" exactly as Python's
text mode reads them, so quote offsets index the file's text as read.

A folder may hold `_metadata*.csv` files (file,title,outlet,date,url,issue) that describe its
.txt/.md/.html files; explicit arguments (issue, outlet) win over them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
import csv
from dataclasses import dataclass, field
from datetime import date
import io
import json
from pathlib import Path
import re

from bs4 import BeautifulSoup

from analysis.errors import IngestError
from analysis.records import Article

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
TABLE_SUFFIXES = {".csv", ".jsonl", ".ndjson"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | TABLE_SUFFIXES
MAX_FILE_BYTES = 20 * 1024 * 1024  # news articles are kilobytes; this still allows large CSV batches
TEXT_COLUMNS = ("text", "body", "content", "article")
HTML_DROP = ("script", "style", "nav", "header", "footer", "aside", "form", "noscript", "iframe", "svg")
HTML_BLOCKS = ("h1", "h2", "h3", "h4", "p", "li", "blockquote", "pre")


@dataclass(frozen=True)
class ArticleMeta:
    title: str | None = None
    outlet: str | None = None
    published: date | None = None
    url: str | None = None
    issue: str | None = None


@dataclass
class ReadResult:
    articles: list[Article] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)


def parse_date(value: object) -> date | None:
    """ISO date (YYYY-MM-DD, optionally with a time) or None; anything else is None."""
    if value is None or isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def decode_bytes(data: bytes, name: str) -> str:
    """Decode a file's bytes; newlines normalised to "\\n".

    Raises:
        IngestError: empty, binary, or in no encoding we can read.
    """
    if not data.strip():
        raise IngestError(name, "the file is empty")
    if b"\x00" in data[:8192]:
        raise IngestError(name, "this looks like a binary file, not text")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise IngestError(name, "the text is neither UTF-8 nor Windows-1252; save it as UTF-8")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def first_line_title(text: str) -> str | None:
    """The first non-empty line, without Markdown heading marks, as a title."""
    for line in text.split("\n"):
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:300]
    return None


def html_to_text(html: str) -> tuple[str, str | None]:
    """Main text of an HTML page (no scripts, navigation, headers or footers) and its title."""
    soup = BeautifulSoup(html, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    for tag in soup(HTML_DROP):
        tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    blocks = [b.get_text(" ", strip=True) for b in root.find_all(HTML_BLOCKS)]
    blocks = [re.sub(r"\s+", " ", b) for b in blocks if b]
    if not blocks:
        blocks = [re.sub(r"\s+", " ", root.get_text(" ", strip=True))]
    h1 = root.find("h1")
    return "\n".join(blocks), (h1.get_text(" ", strip=True) if h1 else None) or title


def _meta_from_row(row: dict) -> ArticleMeta:
    def get(*keys: str) -> str | None:
        for key in keys:
            value = row.get(key)
            if value not in (None, ""):
                return str(value).strip()
        return None

    return ArticleMeta(
        title=get("title", "headline"),
        outlet=get("outlet", "publisher", "source"),
        published=parse_date(get("date", "published", "publication_date")),
        url=get("url", "link"),
        issue=get("issue", "target"),
    )


def _merge(base: ArticleMeta, override: ArticleMeta) -> ArticleMeta:
    """Fields of `override` that are set win over `base`."""
    return ArticleMeta(**{
        k: getattr(override, k) if getattr(override, k) is not None else getattr(base, k)
        for k in ArticleMeta.__dataclass_fields__
    })


def _article(doc_id: str, text: str, meta: ArticleMeta, source: str) -> Article:
    return Article(
        doc_id=doc_id, text=text, title=meta.title, outlet=meta.outlet,
        published=meta.published, url=meta.url, issue=meta.issue, source=source,
    )


def article_from_text(
    text: str, *, doc_id: str = "pasted", meta: ArticleMeta | None = None, source: str = "pasted"
) -> Article:
    """An article from pasted text; the first line is the title unless one is given.

    Raises:
        IngestError: the text is empty.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise IngestError(source, "the text is empty")
    meta = meta or ArticleMeta()
    if meta.title is None:
        meta = _merge(meta, ArticleMeta(title=first_line_title(text)))
    return _article(doc_id, text, meta, source)


def _table_rows(path: Path, text: str) -> Iterator[tuple[int, dict | None, str | None]]:
    """(row number, row, problem) for each record of a CSV or JSONL file."""
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(io.StringIO(text))
        columns = {c.strip().lower() for c in reader.fieldnames or []}
        if not columns & set(TEXT_COLUMNS):
            raise IngestError(
                str(path), f"the CSV has no text column (looked for: {', '.join(TEXT_COLUMNS)})"
            )
        for n, row in enumerate(reader, start=2):
            yield n, {(k or "").strip().lower(): v for k, v in row.items()}, None
        return
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield n, None, f"line {n} is not valid JSON ({exc.msg})"
            continue
        if not isinstance(row, dict):
            yield n, None, f"line {n} is not a JSON object"
            continue
        yield n, {str(k).lower(): v for k, v in row.items()}, None


def read_table(path: Path, text: str, defaults: ArticleMeta) -> ReadResult:
    """One article per CSV row / JSONL line with a text column; bad rows reported, others kept."""
    result = ReadResult()
    for n, row, problem in _table_rows(path, text):
        where = f"{path}:{n}"
        if problem or row is None:
            result.errors.append(IngestError(where, problem or "unreadable row"))
            continue
        body = next((row[c] for c in TEXT_COLUMNS if isinstance(row.get(c), str)), None)
        if not body or not body.strip():
            result.errors.append(IngestError(where, "the text column is empty"))
            continue
        doc_id = str(row.get("id") or row.get("doc_id") or f"{path.stem}-{n}")
        meta = _merge(_merge(ArticleMeta(title=first_line_title(body)), _meta_from_row(row)), defaults)
        result.articles.append(_article(doc_id, body.replace("\r\n", "\n"), meta, where))
    if not result.articles and not result.errors:
        result.errors.append(IngestError(str(path), "no rows"))
    return result


def read_file(path: Path, defaults: ArticleMeta | None = None) -> ReadResult:
    """Read one file into articles. Bad input becomes errors in the result, never an exception."""
    defaults = defaults or ArticleMeta()
    suffix = path.suffix.lower()
    try:
        if suffix not in SUPPORTED:
            raise IngestError(str(path), f"unsupported file type {suffix or '(none)'}; "
                              f"use one of {', '.join(sorted(SUPPORTED))}")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise IngestError(str(path), f"the file is {size / 1e6:.0f} MB; the limit is "
                              f"{MAX_FILE_BYTES / 1e6:.0f} MB (split it into smaller files)")
        text = decode_bytes(path.read_bytes(), str(path))
        if suffix in TABLE_SUFFIXES:
            return read_table(path, text, defaults)
        if suffix in HTML_SUFFIXES:
            text, title = html_to_text(text)
            if not text.strip():
                raise IngestError(str(path), "the page has no readable text")
            defaults = _merge(ArticleMeta(title=title), defaults)
        return ReadResult([article_from_text(text, doc_id=path.stem, meta=defaults, source=str(path))])
    except IngestError as exc:
        return ReadResult(errors=[exc])
    except OSError as exc:
        return ReadResult(errors=[IngestError(str(path), f"cannot read: {exc.strerror or exc}")])


def folder_metadata(folder: Path) -> dict[str, ArticleMeta]:
    """file name -> metadata from the folder's `_metadata*.csv` sidecars."""
    found: dict[str, ArticleMeta] = {}
    for sidecar in sorted(folder.glob("_metadata*.csv")):
        with sidecar.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                name = (row.get("file") or "").strip()
                if name:
                    found[name] = _meta_from_row(row)
    return found


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, plus supported files found recursively in folders (sidecars skipped)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                p for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in SUPPORTED and not p.name.startswith(("_", "."))
                and not p.name.endswith(".gold.jsonl")
            )
        else:
            files.append(path)
    return files


def read_paths(paths: Iterable[Path], defaults: ArticleMeta | None = None) -> Iterator[tuple[Path, ReadResult]]:
    """(file, result) for every file under `paths`, with folder sidecar metadata applied."""
    defaults = defaults or ArticleMeta()
    sidecars: dict[Path, dict[str, ArticleMeta]] = {}
    for path in expand_paths(paths):
        if not path.exists():
            yield path, ReadResult(errors=[IngestError(str(path), "no such file or folder")])
            continue
        folder = path.parent
        if folder not in sidecars:
            sidecars[folder] = folder_metadata(folder)
        meta = _merge(sidecars[folder].get(path.name, ArticleMeta()), defaults)
        yield path, read_file(path, meta)
