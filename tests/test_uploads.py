"""Uploads: plain files, zip archives, unsafe member paths, name clashes, zip bombs."""

from __future__ import annotations

import io
import zipfile

from analysis import uploads
from analysis.uploads import unpack_uploads


def make_zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_plain_files_and_zip_members_are_written(tmp_path):
    archive = make_zip({"folder/b.txt": b"B", "c.html": b"<p>C</p>", "folder/": b""})
    out = unpack_uploads([("a.txt", b"A"), ("batch.zip", archive)], tmp_path)
    assert sorted(p.name for p in out.paths) == ["a.txt", "b.txt", "c.html"]
    assert out.errors == []


def test_unsafe_member_paths_cannot_escape_the_folder(tmp_path):
    archive = make_zip({"../../evil.txt": b"x", "/abs/path.txt": b"y"})
    out = unpack_uploads([("a.zip", archive)], tmp_path)
    assert sorted(p.name for p in out.paths) == ["evil.txt", "path.txt"]
    assert all(p.parent == tmp_path for p in out.paths)


def test_same_name_twice_does_not_overwrite(tmp_path):
    out = unpack_uploads([("a.txt", b"one"), ("a.txt", b"two")], tmp_path)
    assert [p.read_bytes() for p in out.paths] == [b"one", b"two"]


def test_unsupported_members_and_bad_archives_are_reported(tmp_path):
    out = unpack_uploads([("x.zip", make_zip({"pic.png": b"x"})), ("y.zip", b"not a zip")], tmp_path)
    assert [(e.path, e.reason) for e in out.errors] == [
        ("x.zip/pic.png", "unsupported file type .png"),
        ("y.zip", "not a readable .zip archive"),
    ]


def test_archive_that_unpacks_too_large_is_refused_before_writing(tmp_path, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ARCHIVE_BYTES", 100)
    out = unpack_uploads([("big.zip", make_zip({"a.txt": b"x" * 500}))], tmp_path)
    assert out.paths == [] and "the limit is" in out.errors[0].reason
    assert list(tmp_path.iterdir()) == []
