"""Voice messages in the chat: kept where a text is asked for, refused with one clear sentence everywhere else.

A voice message stands for the text of the step it answers: a hazard's description (the report's description step,
or the photo step once photos are in), a reason (不属实, 不通过, 重新打开, 改派) or the rectification note. The audio
goes to the media store; the text becomes its placeholder ("🎤 语音说明 12 秒"), so every place that shows the text
shows that the voice note exists, and the messages that carry the text forward the audio.

The border says how long the voice is (`arriving`), downloads it when told (`FetchVoice`) and hands the bytes back
(`fetched`). Audio files (music, recordings shared from another app) are not voice messages: refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot import texts
from bot.chat import hazards, reports
from bot.chat.albums import answer_once
from bot.chat.flows import ActionFlow, Flow, ReportFlow, in_progress
from bot.chat.replies import Reply, Text
from bot.domain import limits
from bot.domain.conversation import Ask
from bot.domain.people import Actor
from bot.domain.report import Step
from bot.services.container import Services
from bot.services.voice import VoiceUpload, keep


@dataclass(frozen=True)
class FetchVoice:
    """Download the voice message, then call `fetched` with it."""


def takes_voice(flow: Flow) -> bool:
    """Whether the step in progress asks for a text a voice message may replace."""
    if isinstance(flow, ReportFlow):
        draft = flow.draft
        return draft.step is Step.DESCRIPTION or (draft.step is Step.PHOTOS and bool(draft.photos))
    if isinstance(flow, ActionFlow):
        conversation = flow.conversation
        return conversation.ask in (Ask.REASON, Ask.NOTE) or (
            conversation.ask is Ask.PHOTOS and bool(conversation.photos)
        )
    return False


async def _not_here(services: Services, actor: Actor, flow: Flow) -> list[Reply]:
    return [Text(texts.VOICE_NOT_SUPPORTED), *await reports.ask_again(services, actor, flow)]


async def arriving(services: Services, actor: Actor, seconds: int, size: int | None) -> list[Reply] | FetchVoice:
    """A voice message: fetched where a text may be spoken and it is not too long; refused otherwise."""
    flow = await in_progress(services, actor)
    if not takes_voice(flow):
        return await _not_here(services, actor, flow)
    if seconds > limits.MAX_VOICE_SECONDS or (size is not None and size > limits.MAX_DOWNLOAD_BYTES):
        return [Text(texts.voice_too_long(seconds, limits.MAX_VOICE_SECONDS))]
    return FetchVoice()


async def fetched(services: Services, actor: Actor, upload: VoiceUpload) -> list[Reply]:
    """The downloaded voice message, kept as the step's text: the flow moves on as if its placeholder were typed."""
    flow = await in_progress(services, actor)
    if not takes_voice(flow):  # the flow moved on while the file came (another update of the same chat cannot)
        return await _not_here(services, actor, flow)
    note = keep(services.media, upload)
    placeholder = texts.voice_note(note.seconds)
    if isinstance(flow, ActionFlow):
        return await hazards.answer(services, actor, flow.conversation, placeholder, note)
    return await reports.text(services, actor, flow, placeholder, note)


def download_failed() -> list[Reply]:
    """The channel could not give the voice file: asked for again; nothing kept so far is lost."""
    return [Text(texts.VOICE_DOWNLOAD_FAILED)]


async def audio_file(services: Services, actor: Actor, album: str | None) -> list[Reply]:
    """An audio file: not a voice message. Where a text may be spoken, say to record one; elsewhere, no voice here."""
    flow = await in_progress(services, actor)
    refusal: list[Reply] = [Text(texts.AUDIO_FILE_REFUSED)]
    if not takes_voice(flow):
        refusal = await _not_here(services, actor, flow)
    return answer_once(services, actor.id, album, refusal)
