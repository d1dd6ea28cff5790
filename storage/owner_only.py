"""Files and folders readable by their owner only, whatever the umask (records hold names and phone numbers)."""

from __future__ import annotations

import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def create_file(path: Path) -> int:
    """Create (or truncate) a file for writing, owner-only even if it existed with wider rights; its descriptor."""
    descriptor = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(descriptor, FILE_MODE)  # O_CREAT's mode applies to new files only
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def make_dir(path: Path) -> None:
    """Create a folder (its parent must exist) readable by the owner only, whatever the umask."""
    path.mkdir(mode=DIR_MODE, parents=False, exist_ok=True)
    os.chmod(path, DIR_MODE)
