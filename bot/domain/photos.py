"""Photos: what GridSafe accepts as an image, and the stored photo record."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

_SIGNATURES = {b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png"}
_MEDIA_NAME = re.compile(r"([0-9a-f]{64})\.([a-z0-9]{1,8})")


def image_extension(data: bytes) -> str | None:
    """'jpg' or 'png' when the bytes are a JPEG or PNG image, None otherwise."""
    for signature, extension in _SIGNATURES.items():
        if data.startswith(signature):
            return extension
    return None


def media_file(name: str) -> tuple[str, str] | None:
    """(sha256, extension) of a media-store file name such as `Photo.name`; None for anything else."""
    match = _MEDIA_NAME.fullmatch(name)
    return (match[1], match[2]) if match else None


class Photo(BaseModel):
    """A photo kept on disk by its SHA-256, with the ids Telegram gave it when it arrived.

    width and height are 0 for a photo sent "as a file": its file_id names a document, which Telegram refuses to
    show as a photo, so it is re-sent from the stored bytes (handlers' PhotoSender).
    """

    model_config = ConfigDict(frozen=True)

    sha256: str
    extension: str
    file_id: str
    file_unique_id: str
    width: int
    height: int
    size: int

    @property
    def name(self) -> str:
        """The file's name in the media store (sha256.extension): how notifications refer to the photo."""
        return f"{self.sha256}.{self.extension}"
