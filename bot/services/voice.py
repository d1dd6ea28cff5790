"""Voice messages kept in place of a text: into the media store, and out again with the messages that carry the text."""

from __future__ import annotations

from dataclasses import dataclass

from bot import texts
from bot.domain.voice import VOICE_EXTENSION, Voice, VoiceNote
from storage.media import MediaStore


@dataclass(frozen=True)
class VoiceUpload:
    """A downloaded voice message: its bytes, the channel's id for it, its length."""

    data: bytes
    file_id: str
    seconds: int


def keep(media: MediaStore, upload: VoiceUpload) -> VoiceNote:
    """Store the audio (content-addressed, like photos) and return the note that refers to it."""
    sha256 = media.put(upload.data, VOICE_EXTENSION)
    return VoiceNote(sha256=sha256, file_id=upload.file_id, seconds=upload.seconds, size=len(upload.data))


def spoken(text: str | None, note: VoiceNote | None) -> VoiceNote | None:
    """The voice note a kept text stands for: only while the text is still the voice's placeholder (a text typed
    afterwards replaces the voice)."""
    return note if note is not None and text == texts.voice_note(note.seconds) else None


def forwarded(note: VoiceNote, hazard_id: int) -> Voice:
    """The voice note as sent with a message about the hazard."""
    return Voice(name=note.name, file_id=note.file_id, seconds=note.seconds, caption=texts.voice_caption(hazard_id))
