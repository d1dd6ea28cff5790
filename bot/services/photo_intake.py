"""Keeping a photo someone sent: checked as an image, stored by hash, added to a list of at most ten."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from bot.domain import limits
from bot.domain.people import Actor
from bot.domain.photos import Photo, image_extension
from storage.media import MediaStore


@dataclass(frozen=True)
class PhotoUpload:
    """A downloaded photo with Telegram's ids."""

    data: bytes
    file_id: str
    file_unique_id: str
    width: int
    height: int
    caption: str | None = None


class PhotoOutcome(StrEnum):
    """What happened to a photo."""

    ADDED = "added"
    OVER_LIMIT = "over_limit"
    NOT_IMAGE = "not_image"


class PhotoSink(Protocol):
    """Where photos being sent go: a report in progress, or the after-photos of a rectification."""

    async def photo_room(self, actor: Actor) -> bool:
        """Whether one more photo would be kept."""
        ...

    async def add_photo(self, actor: Actor, upload: PhotoUpload) -> PhotoOutcome:
        """Keep the photo."""
        ...


class PhotoUse(Protocol):
    """Whether anything still refers to a stored photo."""

    async def photo_in_use(self, sha256: str) -> bool:
        """Any hazard, check, report in progress or hazard conversation."""
        ...


async def discard_unused(media: MediaStore, use: PhotoUse, photos: list[Photo]) -> None:
    """Remove the files of photos nothing refers to any more: what a cancelled report or action leaves."""
    for photo in photos:
        if not await use.photo_in_use(photo.sha256):
            media.discard(photo.sha256, photo.extension)


def keep_photo(media: MediaStore, kept: list[Photo], upload: PhotoUpload) -> PhotoOutcome:
    """Store the photo and append it to `kept`, unless it is no image or `kept` is full."""
    extension = image_extension(upload.data)
    if extension is None:
        return PhotoOutcome.NOT_IMAGE
    if len(kept) >= limits.MAX_PHOTOS:
        return PhotoOutcome.OVER_LIMIT
    kept.append(
        Photo(
            sha256=media.put(upload.data, extension),
            extension=extension,
            file_id=upload.file_id,
            file_unique_id=upload.file_unique_id,
            width=upload.width,
            height=upload.height,
            size=len(upload.data),
        )
    )
    return PhotoOutcome.ADDED
