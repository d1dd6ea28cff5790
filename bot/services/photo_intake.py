"""Keeping a photo someone sent: checked as an image, stored by hash, added to a list of at most ten."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, Protocol, TypeVar

from bot.domain import limits
from bot.domain.people import Actor
from bot.domain.photos import Photo, image_extension
from bot.domain.voice import VoiceNote
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


async def discard_unused(media: MediaStore, use: PhotoUse, photos: Sequence[Photo | VoiceNote]) -> None:
    """Remove the files of photos (and voice notes) nothing refers to any more: what a cancelled report or action
    leaves."""
    for photo in photos:
        if not await use.photo_in_use(photo.sha256):
            media.discard(photo.sha256, photo.extension)


class Collecting(Protocol):
    """A flow collecting photos (a report, a rectification): what it has refused and confirmed so far."""

    refused_photos: int  # photos over the limit since the last batch confirmation
    confirmed_photos: int  # photos the person has been told about ("已收到 N 张照片")


Flow = TypeVar("Flow", bound=Collecting)


@dataclass(frozen=True)
class Batch(Generic[Flow]):
    """What to confirm after a batch of photos: the flow, how many photos it keeps, how many were refused."""

    flow: Flow
    count: int
    refused: int


class PhotoCollector:
    """The one photo collector of every flow: limits, refusals counted per batch, one confirmation per batch.

    Photos arriving close together (an album) are confirmed once, when the batch's timer runs out (the border keeps
    the timer); what was refused over the limit is said in that same confirmation.
    """

    def __init__(self, media: MediaStore) -> None:
        self._media = media

    @staticmethod
    def room(flow: Collecting, kept: list[Photo]) -> bool:
        """Whether one more photo would be kept; a refused one is counted for the batch's confirmation."""
        if len(kept) < limits.MAX_PHOTOS:
            return True
        flow.refused_photos += 1
        return False

    def keep(self, flow: Collecting, kept: list[Photo], upload: PhotoUpload) -> PhotoOutcome:
        """Store the photo and add it to `kept`, or count it as refused over the limit."""
        outcome = keep_photo(self._media, kept, upload)
        if outcome is PhotoOutcome.OVER_LIMIT:
            flow.refused_photos += 1
        return outcome

    @staticmethod
    def take_batch(flow: Flow, kept: list[Photo]) -> Batch[Flow]:
        """The batch's confirmation: everything kept so far is now confirmed, the refused count starts again."""
        refused, flow.refused_photos, flow.confirmed_photos = flow.refused_photos, 0, len(kept)
        return Batch(flow, len(kept), refused)

    @staticmethod
    def unconfirmed(flow: Collecting, kept: list[Photo]) -> bool:
        """Photos were kept but never confirmed (the process stopped before the batch's timer)."""
        return len(kept) > flow.confirmed_photos


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
