"""Where outputs go: a local folder or an S3 prefix, behind the same small interface.

Writes are atomic for a reader: locally a temporary file is renamed into place; an S3 PUT is
atomic by itself. Callers write the manifest last, so a page with a manifest is complete.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Protocol


class Store(Protocol):
    def put(self, relpath: str, data: bytes, content_type: str = "application/octet-stream") -> None: ...

    def get(self, relpath: str) -> bytes | None:
        """The object's bytes, or None when there is none."""
        ...

    def delete(self, relpath: str) -> None:
        """Remove the object if it exists (a stale errors/ record after a successful retry)."""
        ...


class LocalStore:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def put(self, relpath: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        target = self.root / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, relpath: str) -> bytes | None:
        try:
            return (self.root / relpath).read_bytes()
        except FileNotFoundError:
            return None

    def delete(self, relpath: str) -> None:
        (self.root / relpath).unlink(missing_ok=True)
