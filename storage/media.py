"""The content-addressed media store: each file kept once, named by its SHA-256, readable by the owner only."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


class MediaStore:
    """Files under root/ab/<sha256>.<ext>."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str, extension: str) -> Path:
        """Where a file with this hash lives."""
        return self.root / sha256[:2] / f"{sha256}.{extension}"

    def put(self, data: bytes, extension: str) -> str:
        """Store the bytes (once: the same content twice is one file) and return their SHA-256."""
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.path(sha256, extension)
        if target.exists():
            return sha256
        for folder in (self.root, target.parent):  # each folder GridSafe creates is the owner's only
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = target.with_suffix(f".{os.getpid()}.part")
        descriptor = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)  # atomic: a crash never leaves half a photo under its final name
        return sha256

    def remove_partial_files(self) -> int:
        """Delete files a killed process was writing (never under a final name); the count removed."""
        own = f".{os.getpid()}.part"
        partial = [path for path in self.root.glob("??/*.part") if not path.name.endswith(own)]
        for path in partial:
            path.unlink(missing_ok=True)
        return len(partial)

    def discard(self, sha256: str, extension: str) -> None:
        """Remove a file nothing refers to any more."""
        self.path(sha256, extension).unlink(missing_ok=True)
