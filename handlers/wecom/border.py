"""The WeCom border: a parsed callback (handlers/wecom/inbound.py) to the chat core, and its replies back to WeCom.

Like the Telegram border it only translates: every message is authorized here first (the person is resolved from the
roster as it is now: a stranger learns how to bind, a deactivated person that they were taken off, a flooding member
is refused once), then handed to the core as plain values — a typed text (a command by its alias word or /name, else
an answer through bot/chat/router.text), a picture (downloaded at once, into the same photo intake and batch
confirmation as Telegram's), a location, a card press (the button's key is the encoded action, re-checked by the
core) or a menu click (the menu's keys are command names). `绑定 <code>` binds the WeCom account.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from bot import texts
from bot.chat import binding, checks, export, hazards, invites, lists, overview, people, photos, places, reports, router
from bot.chat.actions import Action, BindChoice, decode
from bot.chat.commands import COMMANDS, START, arguments, command_alias, start_words
from bot.chat.flows import in_progress
from bot.chat.photos import Confirm, Fetch, Media, MediaKind
from bot.chat.replies import CloseButtons, Reply, Text, stale
from bot.domain.errors import StaleButton
from bot.domain.flood import Screening
from bot.domain.people import Actor, Channel
from bot.domain.queries import ListKind
from bot.services.container import Services
from bot.services.invites import Binding, Redeemed
from bot.services.photo_intake import PhotoUpload
from handlers.wecom.client import WeComApiError, WeComClient
from handlers.wecom.inbound import (
    CardPress,
    ImageMessage,
    Inbound,
    LocationMessage,
    MenuClick,
    OtherMessage,
    TextMessage,
)
from handlers.wecom.render import Pressed, Renderer

log = logging.getLogger(__name__)

Command = Callable[[Services, Actor, str], Awaitable[list[Reply]]]
_MEDIA_KINDS = {"video": MediaKind.VIDEO, "shortvideo": MediaKind.VIDEO, "file": MediaKind.FILE}


async def _report(services: Services, actor: Actor, _: str) -> list[Reply]:
    return await reports.report_command(services, actor, await in_progress(services, actor))


async def _open(services: Services, actor: Actor, text: str) -> list[Reply]:
    return await lists.first_page(services, actor, ListKind.OPEN, arguments(text))


async def _overdue(services: Services, actor: Actor, text: str) -> list[Reply]:
    return await lists.first_page(services, actor, ListKind.OVERDUE, arguments(text))


async def _help(_: Services, actor: Actor, __: str) -> list[Reply]:
    return overview.help_text(actor)


async def _invite(services: Services, actor: Actor, text: str) -> list[Reply]:
    return await invites.invite(services, actor, text, texts.wecom_bind_hint)


# The WeCom handler of each command of the command table (bot/chat/commands.py); /start is binding, below.
COMMAND_HANDLERS: dict[str, Command] = {
    "report": _report,
    "check": lambda s, a, t: checks.check(s, a, arguments(t)),
    "open": _open,
    "overdue": _overdue,
    "mine": lambda s, a, _: overview.mine(s, a),
    "hazard": lambda s, a, t: hazards.hazard_command(s, a, arguments(t), t),
    "stats": lambda s, a, t: overview.stats(s, a, arguments(t)),
    "rank": lambda s, a, t: overview.rank(s, a, arguments(t)),
    "export": lambda s, a, t: export.export(s, a, arguments(t)),
    "invite": _invite,
    "person": lambda s, a, t: people.person(s, a, arguments(t)),
    "place": lambda s, a, t: places.place_command(s, a, arguments(t)),
    "cancel": lambda s, a, _: reports.cancel_command(s, a),
    "help": _help,
}
if set(COMMAND_HANDLERS) != {c.name for c in COMMANDS}:
    raise RuntimeError("every command of the table needs its WeCom handler, and no other")
_ALIASES = [(name, command_alias(name)) for name in COMMAND_HANDLERS]


def _press(message: Inbound) -> Action | StaleButton | None:
    """A card press's typed action, or StaleButton for a key the codec did not write (None: no press)."""
    if not isinstance(message, CardPress):
        return None
    try:
        return decode(message.key)
    except StaleButton as exc:
        return exc


def command_of(text: str) -> str | None:
    """The command a typed text calls, by `/name` or by its alias word; None for an answer or a description."""
    first = text.split()[0] if text.split() else ""
    if first.startswith("/"):
        name = first[1:].split("@")[0]
        return name if name in COMMAND_HANDLERS else None
    return next((name for name, pattern in _ALIASES if pattern.match(text)), None)


class WeComBorder:
    """Handles each new callback of one member at a time (the callback server keeps each member's order)."""

    def __init__(
        self,
        services: Services,
        client: WeComClient,
        renderer: Renderer,
        *,
        screen: Callable[[str], Screening] = lambda _: Screening.PASS,
    ) -> None:
        self._services = services
        self._client = client
        self._renderer = renderer
        self._screen = screen
        self._locks: dict[str, asyncio.Lock] = {}
        self._timers: dict[str, asyncio.Task[None]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def _beside(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(self._run(work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def use_screen(self, screen: Callable[[str], Screening]) -> None:
        """Take the flood screening of the callback server, which sees each member's backlog."""
        self._screen = screen

    def _lock(self, userid: str) -> asyncio.Lock:
        return self._locks.setdefault(userid.lower(), asyncio.Lock())

    async def handle(self, message: Inbound) -> None:
        """One callback, in the member's order with their batch confirmations; a failure is told, never raised."""
        async with self._lock(message.userid):
            try:
                await self._handle(message)
            except Exception:
                log.exception("wecom: handling a %s failed", type(message).__name__)
                try:
                    await self._client.send_text(message.userid, texts.INTERNAL_ERROR)
                except (WeComApiError, OSError):
                    log.warning("wecom: could not tell the member that handling failed")

    async def _handle(self, message: Inbound) -> None:
        """The gate (flood, binding, who the member is), then the member's input to the chat core."""
        userid = message.userid
        screening = self._screen(userid)
        if screening is not Screening.PASS:
            if screening is Screening.REFUSE_WITH_NOTICE:
                await self._client.send_text(userid, texts.FLOOD_REFUSED)
            return
        if isinstance(message, OtherMessage) and message.msg_type == "event":
            return  # entering the app, subscribing...: nothing was said
        services = self._services
        actor = await services.access.wecom_actor(userid)
        text = message.content if isinstance(message, TextMessage) else ""
        bind = start_words(text) or (["/start"] if isinstance(message, MenuClick) and message.key == START else [])
        press = _press(message)
        if bind:
            await self._bind(userid, actor, bind[1:])
        elif isinstance(message, CardPress) and isinstance(press, BindChoice):
            await self._bind_choice(userid, message, press)
        elif actor is None:
            # Every input resolves the member from the roster as it is now: strangers and people taken off it are
            # told so, and nothing else.
            deactivated = await services.access.wecom_deactivated(userid)
            if isinstance(message, CardPress):
                said = texts.DEACTIVATED_BUTTON if deactivated else texts.WECOM_UNBOUND_BUTTON
            else:
                said = texts.DEACTIVATED if deactivated else texts.WECOM_UNBOUND
            await self._client.send_text(userid, said)
        else:
            if actor.last_channel is not Channel.WECOM:  # written beside the input, never delaying it
                self._beside(services.access.used(actor))
            await self._dispatch(actor, userid, message, press)

    async def _dispatch(self, actor: Actor, userid: str, message: Inbound, press: Action | StaleButton | None) -> None:
        services = self._services
        if isinstance(message, TextMessage):
            await self._text(actor, userid, message.content)
        elif isinstance(message, ImageMessage):
            await self._media(actor, userid, Media(MediaKind.PHOTO), message.media_id)
        elif isinstance(message, LocationMessage):
            replies = await reports.location(services, actor, message.latitude, message.longitude)
            await self._renderer.render(userid, replies)
        elif isinstance(message, CardPress):
            pressed = Pressed(message.task_id, message.response_code)
            if press is None or isinstance(press, StaleButton | BindChoice):
                await self._renderer.render(userid, [stale()], pressed)
            else:
                await self._renderer.render(userid, await router.route(services, actor, press), pressed)
        elif isinstance(message, MenuClick):
            handler = COMMAND_HANDLERS.get(message.key)
            replies = [Text(texts.UNKNOWN_MESSAGE)] if handler is None else await handler(services, actor, "")
            await self._renderer.render(userid, replies)
        elif isinstance(message, OtherMessage):
            await self._media(actor, userid, Media(_MEDIA_KINDS.get(message.msg_type, MediaKind.OTHER)), None)

    async def _text(self, actor: Actor, userid: str, content: str) -> None:
        services = self._services
        command = command_of(content)
        if command is None:
            replies = await router.text(services, actor, content)
        else:
            replies = await COMMAND_HANDLERS[command](services, actor, content)
        await self._renderer.render(userid, replies)

    async def _bind(self, userid: str, actor: Actor | None, words: list[str]) -> None:
        """绑定 <code>: bind this WeCom account; without a code, who the member is or how to bind."""
        services = self._services
        if not words:
            if actor is None and await services.access.wecom_deactivated(userid):
                await self._client.send_text(userid, texts.DEACTIVATED)
                return
            await self._renderer.render(userid, binding.greeting(actor, Channel.WECOM))
            return
        try:
            redeemed = await services.invites.redeem_wecom(words[0], userid)
        except binding.REFUSED as refused:
            await self._client.send_text(userid, binding.refusal(refused))
            return
        if redeemed.binding is Binding.CONFIRM:
            await self._renderer.render(userid, binding.confirm(redeemed, words[0]))
            return
        await self._bound(userid, redeemed)

    async def _bind_choice(self, userid: str, message: CardPress, choice: BindChoice) -> None:
        pressed = Pressed(message.task_id, message.response_code)
        if choice.code is None:
            await self._renderer.render(userid, [CloseButtons(), Text(texts.SWITCH_KEPT)], pressed)
            return
        try:
            redeemed = await self._services.invites.redeem_wecom(choice.code, userid, confirmed=True)
        except binding.REFUSED as refused:
            await self._client.send_text(userid, binding.refusal(refused))
            return
        await self._renderer.render(userid, [CloseButtons()], pressed)
        await self._bound(userid, redeemed)

    async def _bound(self, userid: str, redeemed: Redeemed) -> None:
        if redeemed.binding is not Binding.ALREADY and redeemed.displaced_wecom:
            try:
                await self._client.send_text(redeemed.displaced_wecom, binding.moved_away(redeemed))
            except WeComApiError:  # the admins are told all the same
                log.warning("wecom: could not tell the account that lost its binding")
        await self._renderer.render(userid, await binding.bound(self._services, redeemed))

    async def _media(self, actor: Actor, userid: str, media: Media, media_id: str | None) -> None:
        """The chat core says whether to keep the picture; it is downloaded at once (WeCom forgets it in 3 days)."""
        services = self._services
        decision = await photos.arriving(services, actor, media)
        if isinstance(decision, Fetch):
            if media_id is None:
                return
            try:
                data, _ = await self._client.download(media_id)
            except (WeComApiError, OSError) as exc:
                log.warning("wecom: image could not be fetched: %s", exc)
                await self._renderer.render(userid, photos.download_failed(services, actor, None, too_big=False))
                return
            # No Telegram ids: width 0 makes Telegram upload the stored bytes when it shows the picture.
            upload = PhotoUpload(data=data, file_id=f"wecom:{media_id}", file_unique_id=media_id, width=0, height=0)
            decision = await photos.fetched(services, actor, decision, upload)
        if isinstance(decision, Confirm):
            self._start_timer(userid)
        else:
            await self._renderer.render(userid, decision)

    def _start_timer(self, userid: str) -> None:
        """(Re)start the member's batch timer: pictures arriving close together get one confirmation."""
        key = userid.lower()
        earlier = self._timers.pop(key, None)
        if earlier is not None:
            earlier.cancel()
        self._timers[key] = asyncio.create_task(self._confirm_later(userid, key))

    async def _confirm_later(self, userid: str, key: str) -> None:
        await asyncio.sleep(self._services.settings.reporting.photo_batch_seconds)
        async with self._lock(userid):
            if self._timers.get(key) is asyncio.current_task():
                del self._timers[key]
            await self._run(self._confirm(userid))

    async def _confirm(self, userid: str) -> None:
        actor = await self._services.access.wecom_actor(userid)
        if actor is not None:
            await self._renderer.render(userid, await photos.confirmation(self._services, actor))

    async def _run(self, work: Coroutine[Any, Any, None]) -> None:
        try:
            await work
        except Exception:
            log.exception("wecom: work beside the member's input failed")

    async def resume(self) -> int:
        """At start-up: confirm the pictures kept just before the process stopped, for members who used WeCom last."""
        waiting = await self._services.access.wecom_userids(await photos.waiting(self._services))
        resumed = 0
        for person_id, userid in waiting.items():
            person = await self._services.access.person(person_id)
            if person is not None and person.last_channel is Channel.WECOM:
                self._start_timer(userid)
                resumed += 1
        return resumed

    async def idle(self) -> None:
        """Wait until every batch confirmation due has been sent (tests; shutting down)."""
        while self._timers or self._tasks:
            await asyncio.gather(*self._timers.values(), *self._tasks, return_exceptions=True)

    async def close(self) -> None:
        """Stop the batch timers."""
        for task in [*self._tasks, *self._timers.values()]:  # a channel being recorded is a hint: it may go
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for task in list(self._timers.values()):
            task.cancel()
        await asyncio.gather(*self._timers.values(), return_exceptions=True)
        self._timers.clear()
