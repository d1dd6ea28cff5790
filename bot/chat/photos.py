"""Photos and other media arriving in the chat: which flow takes them, what is refused, the batch confirmation.

The border says what arrived (a plain `Media`), downloads the file when told to (`Fetch`), hands the bytes back
(`fetched`), and keeps each chat's batch timer: when `Confirm` is answered it (re)starts the timer, and when the timer
runs out it asks for the `confirmation`. Photos sent close together (an album) are confirmed once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot import texts
from bot.chat import checks, hazards, reports
from bot.chat.commands import arguments, is_check_caption
from bot.chat.flows import ActionFlow, NoFlow, ReportFlow, in_progress
from bot.chat.replies import Reply, Text
from bot.domain import limits
from bot.domain.errors import NotAllowed, WrongInput
from bot.domain.people import Actor, Role
from bot.services.container import Services
from bot.services.photo_intake import PhotoOutcome, PhotoSink, PhotoUpload


class MediaKind(StrEnum):
    """What arrived."""

    PHOTO = "photo"
    IMAGE_FILE = "image_file"  # a photo sent as a file (a document with an image type)
    FILE = "file"  # any other document
    STICKER = "sticker"
    VIDEO = "video"  # a video, a round video note, an animation
    OTHER = "other"  # voice, audio, contact, poll...


@dataclass(frozen=True)
class Media:
    """Media from a person: its kind, its size if the channel says it, its caption."""

    kind: MediaKind
    size: int | None = None
    caption: str | None = None


class Target(StrEnum):
    """Where a downloaded photo goes."""

    CHECK = "check"  # a photo captioned `排查 12 …`
    REPORT = "report"  # the report in progress (one is started if none is)
    RECTIFICATION = "rectification"  # the after-photos of the rectification in progress


@dataclass(frozen=True)
class Fetch:
    """Download the file, then call `fetched` with it."""

    target: Target


@dataclass(frozen=True)
class Confirm:
    """Nothing to say now: (re)start the chat's batch timer; `confirmation` is due when it runs out."""


_REFUSALS = {
    MediaKind.FILE: texts.PHOTO_NOT_IMAGE_FILE,
    MediaKind.STICKER: texts.PHOTO_STICKER,
    MediaKind.VIDEO: texts.PHOTO_VIDEO,
    MediaKind.OTHER: texts.PHOTO_OTHER_MEDIA,
}


def _sink(services: Services, target: Target) -> PhotoSink:
    return services.rectification if target is Target.RECTIFICATION else services.reporting


async def arriving(services: Services, actor: Actor, media: Media) -> list[Reply] | Fetch | Confirm:
    """What to do with media that just arrived, before anything is downloaded."""
    flow = await in_progress(services, actor)
    if not flow.wants_photos and not (isinstance(flow, ReportFlow) and is_check_caption(media.caption)):
        # A photo in the middle of an action (交办, 不通过, the note...) must not start a report beside it, and a
        # voice message at the description step is no reason to ask for photos.
        not_now = Text(texts.PHOTO_NOT_NOW if media.kind is MediaKind.PHOTO else texts.MEDIA_NOT_NOW)
        return [not_now, *await reports.ask_again(services, actor, flow)]
    refusal = _REFUSALS.get(media.kind)
    if refusal is not None:
        return [Text(texts.UNKNOWN_MESSAGE if isinstance(flow, NoFlow) else refusal)]
    if media.size is not None and media.size > limits.MAX_DOWNLOAD_BYTES:
        return [Text(texts.PHOTO_TOO_LARGE)]
    if is_check_caption(media.caption):
        return Fetch(Target.CHECK)
    target = Target.RECTIFICATION if isinstance(flow, ActionFlow) else Target.REPORT
    try:
        room = await _sink(services, target).photo_room(actor)
    except NotAllowed:
        return [Text(texts.OWNER_PHOTO_HINT if actor.role is Role.OWNER else texts.REPORT_NOT_ALLOWED)]
    except WrongInput:
        return [Text(texts.PHOTO_NOT_NOW), *await reports.ask_again(services, actor, flow)]
    return Fetch(target) if room else Confirm()  # over the limit: not even downloaded, counted as refused


async def fetched(services: Services, actor: Actor, fetch: Fetch, upload: PhotoUpload) -> list[Reply] | Confirm:
    """The downloaded photo, kept where `arriving` said."""
    if fetch.target is Target.CHECK:
        return await checks.check(services, actor, arguments(upload.caption), upload)
    if await _sink(services, fetch.target).add_photo(actor, upload) is PhotoOutcome.NOT_IMAGE:
        return [Text(texts.PHOTO_BROKEN)]
    return Confirm()


def download_failed(*, too_big: bool) -> list[Reply]:
    """The channel could not give the file: that photo is asked for again; nothing kept so far is lost."""
    return [Text(texts.PHOTO_TOO_LARGE if too_big else texts.PHOTO_DOWNLOAD_FAILED)]


async def confirmation(services: Services, actor: Actor) -> list[Reply]:
    """The batch's confirmation ("已收到 N 张照片", what was refused over the limit, 下一步)."""
    rectifying = await services.rectification.take_batch(actor)
    if rectifying is not None:
        return hazards.photos_confirmed(rectifying.flow, rectifying.count, rectifying.refused)
    batch = await services.reporting.take_batch(actor)
    return [] if batch is None else reports.photos_confirmed(batch)


async def waiting(services: Services) -> list[int]:
    """People whose photos were kept but never confirmed (the process stopped before their batch timer ran out)."""
    return await services.reporting.unconfirmed() + await services.rectification.unconfirmed()
