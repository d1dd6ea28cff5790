"""Voice messages: the placeholder a spoken text leaves, the caption of a forwarded voice, what is refused."""

from __future__ import annotations

VOICE_NOT_SUPPORTED = "暂不支持语音，请打字或按按钮"
AUDIO_FILE_REFUSED = "只接收直接录制的语音消息，音频文件没有收下。请按住麦克风录一段语音，或打字说明。"
VOICE_DOWNLOAD_FAILED = "语音下载失败，请重新发送这段语音。已收到的内容都还在。"


def voice_note(seconds: int) -> str:
    """The text kept where a voice message replaced it (description, reason, note): shown wherever the text shows."""
    return f"🎤 语音说明 {seconds} 秒"


def voice_too_long(seconds: int, limit: int) -> str:
    """A voice message over the limit: refused, nothing kept."""
    return f"这段语音有 {seconds} 秒，超过 {limit // 60} 分钟，没有收下。请分成几段短一些的语音，或打字说明。"


def voice_caption(number: int) -> str:
    """The caption of a voice note forwarded with a hazard's message or card."""
    return f"隐患 #{number} 的语音说明"
