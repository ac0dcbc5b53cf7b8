"""Ingest: every input format, folders with sidecars, and each bad-input case."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from analysis import ingest
from analysis.ingest import ArticleMeta, article_from_text, read_file, read_paths

ARTICLE = "Mine ban lifted\n\n“We will review it,” the senator said.\n"


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_txt_first_line_is_title_and_text_is_kept_whole(tmp_path):
    result = read_file(write(tmp_path, "story.txt", ARTICLE))
    assert not result.errors
    (article,) = result.articles
    assert article.title == "Mine ban lifted"
    assert article.text == ARTICLE
    assert article.doc_id == "story"


def test_markdown_heading_marks_are_dropped_from_the_title(tmp_path):
    (article,) = read_file(write(tmp_path, "a.md", "# Big news\n\nBody.")).articles
    assert article.title == "Big news"


def test_crlf_is_read_as_python_text_mode_reads_it(tmp_path):
    path = write(tmp_path, "a.txt", b"Title\r\n\r\nBody line.\r\n")
    (article,) = read_file(path).articles
    assert article.text == path.read_text(encoding="utf-8")


def test_windows_1252_text_is_decoded(tmp_path):
    (article,) = read_file(write(tmp_path, "a.txt", "Title\n\x93Quoted\x94 text".encode("latin-1"))).articles
    assert "“Quoted”" in article.text


def test_html_keeps_main_text_and_drops_scripts_and_navigation(tmp_path):
    html = (
        "<html><head><title>Site | Story</title><script>alert(1)</script></head><body>"
        "<nav><a>Home</a><a>World</a></nav><header>Banner</header>"
        "<article><h1>Treaty row</h1><p>First   paragraph.</p><p>“A quote,” she said.</p></article>"
        "<footer>Copyright</footer></body></html>"
    )
    (article,) = read_file(write(tmp_path, "page.html", html)).articles
    assert article.title == "Treaty row"
    assert article.text == "Treaty row\nFirst paragraph.\n“A quote,” she said."
    for junk in ("alert", "Home", "Banner", "Copyright"):
        assert junk not in article.text


def test_csv_rows_become_articles_with_their_columns(tmp_path):
    content = 'title,text,outlet,date,issue\nOne,"Body one",Ledger,2025-03-04,Mines\nTwo,"Body two",,,\n'
    result = read_file(write(tmp_path, "batch.csv", content))
    assert [a.title for a in result.articles] == ["One", "Two"]
    first = result.articles[0]
    assert (first.outlet, first.published, first.issue) == ("Ledger", date(2025, 3, 4), "Mines")


def test_jsonl_reports_bad_lines_and_keeps_good_ones(tmp_path):
    lines = [json.dumps({"text": "Good body", "outlet": "Wire"}), "{not json", json.dumps({"text": ""})]
    result = read_file(write(tmp_path, "batch.jsonl", "\n".join(lines)))
    assert [a.outlet for a in result.articles] == ["Wire"]
    reasons = sorted(e.reason for e in result.errors)
    assert reasons[0].startswith("line 2 is not valid JSON")
    assert reasons[1] == "the text column is empty"


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("empty.txt", "", "the file is empty"),
        ("blank.txt", "  \n\n ", "the file is empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "this looks like a binary file, not text"),
        ("undecodable.txt", b"abc \x81\x8d\x8f\x90\x9d", "the text is neither UTF-8 nor Windows-1252; save it as UTF-8"),
        ("notext.csv", "title,outlet\nA,B\n", "the CSV has no text column (looked for: text, body, content, article)"),
        ("picture.png", "x", "unsupported file type .png; use one of"),
    ],
)
def test_bad_files_are_reported_by_name_with_the_reason(tmp_path, name, content, reason):
    path = write(tmp_path, name, content)
    result = read_file(path)
    assert not result.articles
    (err,) = result.errors
    assert err.path == str(path)
    assert err.reason.startswith(reason)


def test_huge_file_is_refused_without_reading_it(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 10)
    (err,) = read_file(write(tmp_path, "big.txt", "x" * 50)).errors
    assert "the limit is" in err.reason


def test_folder_is_read_recursively_with_sidecar_metadata(tmp_path):
    sub = tmp_path / "2025"
    sub.mkdir()
    write(sub, "a.txt", ARTICLE)
    write(sub, "_metadata.csv", "file,title,outlet,date,url,issue\na.txt,Headline,Harbor Times,2025-01-02,,Mines\n")
    write(sub, "a.gold.jsonl", '{"quote": "x"}\n')
    results = list(read_paths([tmp_path], ArticleMeta(issue="Override")))
    assert [p.name for p, _ in results] == ["a.txt"]
    (article,) = results[0][1].articles
    assert (article.title, article.outlet, article.issue) == ("Headline", "Harbor Times", "Override")


def test_missing_path_is_an_error_not_an_exception(tmp_path):
    ((path, result),) = list(read_paths([tmp_path / "nope.txt"]))
    assert result.errors[0].reason == "no such file or folder"


def test_same_text_gets_same_id_whatever_its_name():
    a = article_from_text("Same words.", doc_id="one")
    b = article_from_text("Same words.", doc_id="two")
    assert a.article_id == b.article_id
    assert article_from_text("Other words.").article_id != a.article_id


def test_pasted_empty_text_is_refused():
    with pytest.raises(Exception, match="the text is empty"):
        article_from_text("   ")
