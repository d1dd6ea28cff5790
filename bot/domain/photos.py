"""Photos: what GridSafe accepts as an image, and the stored photo record."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

_SIGNATURES = {b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png"}


def image_extension(data: bytes) -> str | None:
    """'jpg' or 'png' when the bytes are a JPEG or PNG image, None otherwise."""
    for signature, extension in _SIGNATURES.items():
        if data.startswith(signature):
            return extension
    return None


class Photo(BaseModel):
    """A photo kept on disk by its SHA-256, with Telegram's ids for re-sending."""

    model_config = ConfigDict(frozen=True)

    sha256: str
    extension: str
    file_id: str
    file_unique_id: str
    width: int
    height: int
    size: int
