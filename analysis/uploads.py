"""Files a person uploads in the browser (or pastes), ingested like files on disk.

In: (file name, bytes) pairs, where a .zip holds any of the supported files, and pasted text.
Out: `unpack_uploads` writes them into a folder the caller owns (an `IngestError` per upload that
cannot be unpacked); `ingest_uploads` runs them through `pipeline.ingest_paths`. Archive members
are checked for unsafe paths and for total size before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
import io
from pathlib import Path, PurePosixPath
import zipfile

from analysis.errors import IngestError
from analysis.ingest import MAX_FILE_BYTES, SUPPORTED
from analysis.records import text_sha256

MAX_ARCHIVE_BYTES = 200 * 1024 * 1024  # uncompressed; refuses zip bombs before writing


@dataclass
class Unpacked:
    paths: list[Path] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)


def _safe_name(name: str) -> str | None:
    """The file name without folders, or None for hidden files and unsafe names."""
    base = PurePosixPath(name.replace("\\", "/")).name
    if not base or base.startswith((".", "_")) or base in ("..",):
        return None
    return base


def _write(dest: Path, name: str, data: bytes, taken: set[str]) -> Path:
    stem, suffix = Path(name).stem, Path(name).suffix
    candidate, n = name, 1
    while candidate in taken:  # two uploads with one name must not overwrite each other
        n += 1
        candidate = f"{stem}-{n}{suffix}"
    taken.add(candidate)
    path = dest / candidate
    path.write_bytes(data)
    return path


def _unzip(name: str, data: bytes, dest: Path, taken: set[str], out: Unpacked) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        out.errors.append(IngestError(name, "not a readable .zip archive"))
        return
    members = [m for m in archive.infolist() if not m.is_dir() and not m.filename.startswith("__MACOSX/")]
    total = sum(m.file_size for m in members)
    if total > MAX_ARCHIVE_BYTES:
        out.errors.append(IngestError(name, f"unpacks to {total / 1e6:.0f} MB; the limit is "
                                      f"{MAX_ARCHIVE_BYTES / 1e6:.0f} MB"))
        return
    for member in members:
        label = f"{name}/{member.filename}"
        base = _safe_name(member.filename)
        if base is None:
            continue
        if Path(base).suffix.lower() not in SUPPORTED:
            out.errors.append(IngestError(label, f"unsupported file type {Path(base).suffix or '(none)'}"))
            continue
        if member.file_size > MAX_FILE_BYTES:
            out.errors.append(IngestError(label, f"the file is {member.file_size / 1e6:.0f} MB; the limit is "
                                          f"{MAX_FILE_BYTES / 1e6:.0f} MB"))
            continue
        out.paths.append(_write(dest, base, archive.read(member), taken))


def unpack_uploads(files: Iterable[tuple[str, bytes]], dest: Path) -> Unpacked:
    """Write uploads (and the members of uploaded .zip files) into `dest` for ingest."""
    out, taken = Unpacked(), set()
    for name, data in files:
        base = _safe_name(name)
        if base is None:
            out.errors.append(IngestError(name, "not a usable file name"))
        elif base.lower().endswith(".zip"):
            _unzip(base, data, dest, taken, out)
        else:
            # type, size and encoding are checked by the ingest stage, which names the file
            out.paths.append(_write(dest, base, data, taken))
    return out


def pasted_upload(text: str) -> tuple[str, bytes]:
    """Pasted text as an upload named after its content, so pasting it twice is one article."""
    return f"pasted-{text_sha256(text)[:8]}.txt", text.encode("utf-8")


def ingest_uploads(con, uploads: list[tuple[str, bytes]], nlp, **ingest_args):  # type: ignore[no-untyped-def]
    """Unpack uploads into a temporary folder and ingest them; unpacking errors join the summary.

    `ingest_args` are passed to `pipeline.ingest_paths` (defaults, gazetteer, scorer, progress...).
    """
    import tempfile

    from analysis.pipeline import ingest_paths

    with tempfile.TemporaryDirectory(prefix="stance-upload-") as tmp:
        unpacked = unpack_uploads(uploads, Path(tmp))
        summary = ingest_paths(con, unpacked.paths, nlp, **ingest_args)
        # report files by the name the person gave them, not the temporary path
        summary.per_file = {Path(k).name: v for k, v in summary.per_file.items()}
        for err in summary.errors:
            err.path = Path(err.path).name if err.path.startswith(tmp) else err.path
        summary.errors = unpacked.errors + summary.errors
    return summary
