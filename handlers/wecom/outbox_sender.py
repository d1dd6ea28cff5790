"""The WeCom half of the outbox: a notification as WeCom messages, paced per member, WeCom's errors in plain terms.

A notification becomes, in order: each photo as an image message (WeCom has no albums; each image is uploaded once
and its media_id reused within its 3 days), the ranking chart likewise, then the text, split at 2,048 bytes, and its
buttons as `button_interaction` cards laid out as the chat's replies are (handlers/wecom/render.py: at most six
buttons a card, whole rows kept together, the renderer remembering each card's text for a later press). Every message
goes through the client's pacer, so a
member never gets more than WeCom takes (30 a minute, 1,000 an hour): beyond that WeCom drops messages silently,
so keeping under it by construction is the only way not to lose any. Each message is its own call: a call that
failed is tried again, the ones WeCom confirmed are not sent twice.
"""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path
from typing import Protocol

import aiohttp

from bot import texts
from bot.chat.delivery import Later, Passing, RateLimited, Refused, SendCall, Unreachable
from bot.domain.notifications import Message
from bot.domain.photos import media_file
from handlers.wecom.client import WeComApiError, WeComClient, split_text
from handlers.wecom.render import Renderer, button_groups, card_layout

log = logging.getLogger(__name__)

# WeCom's errcodes (developer.work.weixin.qq.com, 全局错误码) the outbox acts on; the token errors never get here.
RATE_LIMITED = {45009: 60.0, 45033: 1.0}  # API calls beyond the frequency / concurrency limit: seconds to wait
NOT_A_MEMBER = frozenset({60111, 81013})  # userid unknown; every receiver outside the app's visible range
PASSING = frozenset({-1})  # system busy
# GridSafe's own faults (configuration, a message WeCom cannot take): sending again cannot help.
REFUSED = frozenset({40001, 40007, 40013, 40056, 40058, 41001, 44004, 45002, 48002, 60020})


class MediaFiles(Protocol):
    """The media store, as far as sending needs it."""

    def path(self, sha256: str, extension: str) -> Path:
        """Where a stored file's bytes are."""
        ...


def translate(exc: WeComApiError) -> Exception:
    """WeCom's errcode as the outbox's outcome."""
    error = str(exc)
    if exc.errcode in RATE_LIMITED:
        return RateLimited(error, RATE_LIMITED[exc.errcode])
    if exc.errcode in NOT_A_MEMBER:
        return Unreachable(error, texts.UNREACHABLE_NOT_IN_APP)
    if exc.errcode in PASSING:
        return Passing(error)
    if exc.errcode in REFUSED:
        return Refused(error)
    return Later(error)


async def _translated(call: SendCall) -> object:
    """Make one WeCom call, its failures as delivery errors."""
    try:
        return await call()
    except WeComApiError as exc:
        raise translate(exc) from exc
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:  # lost connection, time-out, a 5xx page
        raise Passing(f"{type(exc).__name__}: {exc}") from exc


class WeComSender:
    """Sends a notification to a WeCom member (the address is their userid)."""

    def __init__(self, client: WeComClient, media: MediaFiles, renderer: Renderer) -> None:
        self._client = client
        self._media = media
        self._renderer = renderer

    def calls(self, address: int | str, message: Message) -> list[SendCall]:
        """The WeCom messages of one notification, in order, each paced for the member. The edit of a Telegram
        card (copied here when Telegram could not reach the person) has nothing to edit on WeCom: no calls."""
        if message.edit is not None:
            return []
        userid = str(address)
        names = [*message.photos, *([message.image] if message.image is not None else [])]
        calls: list[SendCall] = []
        for name in names:
            stored = media_file(name)
            if stored is None:  # a Telegram file_id from before photos were stored: WeCom cannot show it
                log.warning("photo %s is not in the media store; left out of a WeCom notification", name)
                continue
            calls.append(partial(self._image, userid, *stored))
        groups = button_groups(message.buttons)
        title, body, separate = card_layout(message.text) if groups else ("", "", True)
        if separate:
            calls += [partial(self._client.send_text, userid, piece) for piece in split_text(message.text) if piece]
        for number, group in enumerate(groups):
            if number:
                title, body = texts.WECOM_MORE_BUTTONS, ""
            calls.append(partial(self._renderer.send_card, userid, title, body, group))
        return [partial(_translated, call) for call in calls]

    def message_key(self, results: list[object]) -> str | None:
        """WeCom cards are not recorded (they are not edited, and a WeCom reply names no message): no key."""
        return None

    async def _image(self, userid: str, sha256: str, extension: str) -> str:
        try:
            data = self._media.path(sha256, extension).read_bytes()
        except FileNotFoundError as exc:
            raise Refused(f"stored photo missing: {sha256}.{extension}") from exc
        return await self._client.send_image(userid, data, f"{sha256[:16]}.{extension}")
