"""Voice messages kept where a text is asked for: the stored note, and what it stands for."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

VOICE_EXTENSION = "ogg"  # Telegram voice notes are OGG/Opus


class VoiceField(StrEnum):
    """The text a voice note replaces."""

    DESCRIPTION = "description"  # the hazard's description, at report time
    NOTE = "note"  # the note of a move: a reason (不属实, 不通过, 重新打开, 改派) or the rectification note


class VoiceNote(BaseModel):
    """A voice message kept on disk by its SHA-256, with the id Telegram gave it (to forward it without uploading)."""

    model_config = ConfigDict(frozen=True)

    sha256: str
    extension: str = VOICE_EXTENSION
    file_id: str
    seconds: int
    size: int

    @property
    def name(self) -> str:
        """The file's name in the media store (sha256.extension)."""
        return f"{self.sha256}.{self.extension}"


class Voice(BaseModel):
    """A voice note to send with a message: the stored file, its id at Telegram, its length and caption."""

    model_config = ConfigDict(frozen=True)

    name: str  # media-store name
    file_id: str | None = None
    seconds: int
    caption: str
