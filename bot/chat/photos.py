"""Photos and other media arriving in the chat: which flow takes them, what is refused, the batch confirmation.

The border says what arrived (a plain `Media`), downloads the file when told to (`Fetch`), hands the bytes back
(`fetched`), and keeps each chat's batch timer: when `Confirm` is answered it (re)starts the timer, and when the timer
runs out it asks for the `confirmation`. Photos sent close together (an album) are confirmed once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot import texts
from bot.chat import checks, hazards, places, reports
from bot.chat.albums import answer_once
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
    OTHER = "other"  # a contact, a poll, a dice... (voice messages and audio files have their own handler)


@dataclass(frozen=True)
class Media:
    """Media from a person: its kind, its size if the channel says it, its caption."""

    kind: MediaKind
    size: int | None = None
    caption: str | None = None
    album: str | None = None  # the album (media group) it is an item of: a refusal is said once per album


class Target(StrEnum):
    """Where a downloaded photo goes."""

    CHECK = "check"  # a photo captioned `排查 12 …`
    VISIT = "visit"  # nothing in progress, captioned with a place of the officer's village (or `排查 名称`)
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
    """What to do with media that just arrived, before anything is downloaded; a refusal is said once per album."""
    decision = await _arriving(services, actor, media)
    if isinstance(decision, list):
        return answer_once(services, actor.id, media.album, decision)
    return decision


async def _arriving(services: Services, actor: Actor, media: Media) -> list[Reply] | Fetch | Confirm:
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
    if isinstance(flow, NoFlow) and not media.album and await _names_place(services, actor, media.caption):
        return Fetch(Target.VISIT)
    target = Target.RECTIFICATION if isinstance(flow, ActionFlow) else Target.REPORT
    try:
        room = await _sink(services, target).photo_room(actor)
    except NotAllowed:
        return [Text(texts.OWNER_PHOTO_HINT if actor.role is Role.OWNER else texts.REPORT_NOT_ALLOWED)]
    except WrongInput:
        return [Text(texts.PHOTO_NOT_NOW), *await reports.ask_again(services, actor, flow)]
    return Fetch(target) if room else Confirm()  # over the limit: not even downloaded, counted as refused


async def fetched(
    services: Services, actor: Actor, fetch: Fetch, upload: PhotoUpload, album: str | None = None
) -> list[Reply] | Confirm:
    """The downloaded photo, kept where `arriving` said; a broken image is said once per album."""
    if fetch.target is Target.CHECK:
        return await checks.check(services, actor, arguments(upload.caption), upload)
    if fetch.target is Target.VISIT:
        return await places.photo_visit(services, actor, upload)
    if await _sink(services, fetch.target).add_photo(actor, upload) is PhotoOutcome.NOT_IMAGE:
        return answer_once(services, actor.id, album, [Text(texts.PHOTO_BROKEN)])
    return Confirm()


async def _names_place(services: Services, actor: Actor, caption: str | None) -> bool:
    """A caption that is the name of a place of the officer's village (a visit, not a report)."""
    name = places.visit_caption(caption)
    return name is not None and await services.place_files.named_in_village(actor, name) is not None


def download_failed(services: Services, actor: Actor, album: str | None, *, too_big: bool) -> list[Reply]:
    """The channel could not give the file: that photo is asked for again (once per album); nothing kept so far is
    lost."""
    refusal: list[Reply] = [Text(texts.PHOTO_TOO_LARGE if too_big else texts.PHOTO_DOWNLOAD_FAILED)]
    return answer_once(services, actor.id, album, refusal)


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
