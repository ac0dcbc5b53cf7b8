"""Named errors a user can cause; the CLI and the pages turn them into a clear message."""

from __future__ import annotations


class StanceError(Exception):
    """Base class: anything the user can fix."""


class IngestError(StanceError):
    """A file that cannot be ingested; names the file and the problem."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class StoreError(StanceError):
    """The database cannot be opened, is from a newer version, or is busy."""


class ModelNotTrained(StanceError):
    """No stance model is available and it could not be built."""
