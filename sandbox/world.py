"""The sandbox world: the real bot on the loopback Bot API, its own database, a jumpable clock and the roster's people."""

from __future__ import annotations

import asyncio
import secrets
import shutil
import socket
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bot.domain.people import Person
from bot.domain.roster import validate
from bot.roster_file import read_roster
from bot.services.container import Services
from bot.settings import Settings
from handlers.telegram.app import build_application
from handlers.telegram.context import GridApplication
from sandbox.botapi import BotApiServer
from sandbox.clock import JumpClock
from sandbox.simusers import JsonDict, SimChat, SimUser
from sandbox.wecom import Delivered, WeComMember, WeComServer

EXAMPLE_ROSTER = Path(__file__).resolve().parent.parent / "examples" / "roster.csv"
BOT_USERNAME = "gridsafe_sandbox_bot"
# A person's simulated Telegram account: this base plus their roster id, so it is the same after a restart.
USER_ID_BASE = 7_000_000_000
WECOM_USERID_PREFIX = "sandbox"  # a person's simulated WeCom account, when the roster gives them none: plus their id


def _free_port() -> int:
    """A TCP port free on 127.0.0.1 now (WeCom's callback URL needs a real one)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class UnknownPerson(Exception):
    """No roster entry has this id."""


class SandboxOverlap(Exception):
    """The sandbox's data folder would hold or sit inside the real deployment's database or photos."""


async def start_application(settings: Settings, clock: Any, *, poll_timeout: int = 1) -> GridApplication:
    """Start GridSafe in the order run_polling uses (initialize, post_init, polling, start)."""
    app = build_application(settings, clock)
    await app.initialize()
    assert app.post_init is not None and app.updater is not None
    await app.post_init(app)
    await app.updater.start_polling(poll_interval=0.0, timeout=poll_timeout)
    await app.start()
    return app


async def stop_application(app: GridApplication) -> None:
    """Stop what start_application started, in run_polling's order."""
    assert app.updater is not None and app.post_shutdown is not None
    await app.updater.stop()
    await app.stop()
    await app.shutdown()
    await app.post_shutdown(app)


def sandbox_paths(settings: Settings) -> tuple[Path, Path]:
    """The sandbox's database file and media folder, checked to be apart from storage.database and media_dir."""
    data_dir = settings.sandbox.data_dir.resolve()
    real = (settings.storage.database.resolve(), settings.storage.media_dir.resolve())
    for path in real:
        if path == data_dir or data_dir in path.parents:
            raise SandboxOverlap(str(path))
    return data_dir / "gridsafe.db", data_dir / "media"


class EventHub:
    """Fans events out to every open page (each subscriber has its own queue)."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[JsonDict]] = set()

    def subscribe(self) -> asyncio.Queue[JsonDict]:
        """A new queue that receives every event from now on."""
        queue: asyncio.Queue[JsonDict] = asyncio.Queue()
        self._queues.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[JsonDict]) -> None:
        """Stop delivering to this queue."""
        self._queues.discard(queue)

    def publish(self, event: JsonDict) -> None:
        """Deliver an event to every subscriber."""
        for queue in self._queues:
            queue.put_nowait(event)


class World:
    """Everything the sandbox runs: Bot API stand-in, the real Application, the clock, and who is who."""

    def __init__(self, settings: Settings, *, start: datetime | None = None, roster: Path = EXAMPLE_ROSTER) -> None:
        self.base_settings = settings
        self.database, self.media_dir = sandbox_paths(settings)
        self.roster_file = roster
        self.events = EventHub()
        self.sent: dict[int, list[JsonDict]] = {}  # chat id -> messages sent from the page
        # WeCom userid -> what the person typed from the page, each with how many messages they had received then
        self.wecom_sent: dict[str, list[tuple[int, JsonDict]]] = {}
        self._wecom: WeComServer | None = None
        self._start_at = start
        self._lock = asyncio.Lock()
        self._server: BotApiServer | None = None
        self._app: GridApplication | None = None
        self._clock: JumpClock | None = None
        self._settings: Settings | None = None

    # ---- lifecycle --------------------------------------------------------------------------

    async def start(self) -> None:
        """Start the Bot API stand-in and the bot; a new sandbox gets the example roster."""
        fresh = not self.database.exists()
        self._clock = JumpClock(self._start_at)
        server = BotApiServer(token=f"{secrets.randbelow(10**9)}:SANDBOX-{secrets.token_urlsafe(24)}")
        server.bot_username = BOT_USERNAME
        server.bot_user["username"] = BOT_USERNAME
        await server.start()
        self._server = server
        telegram = self.base_settings.telegram.model_copy(
            update={"token": SecretStr(server.token), "base_url": server.base_url, "proxy_url": ""}
            | {"base_file_url": server.base_file_url}
        )
        storage = self.base_settings.storage.model_copy(update={"database": self.database, "media_dir": self.media_dir})
        wecom = WeComServer(clock=self._clock)  # the loopback WeCom app, so a person can be shown on WeCom too
        wecom.watchers.append(self._wecom_changed)
        await wecom.start()
        self._wecom = wecom
        wecom_settings = self.base_settings.wecom.model_copy(
            update={
                "corp_id": wecom.corp_id,
                "agent_id": wecom.agent_id,
                "secret": SecretStr(wecom.secret),
                "token": SecretStr(wecom.crypto.token),
                "encoding_aes_key": SecretStr(wecom.crypto.encoding_aes_key),
                "callback_host": "127.0.0.1",
                "callback_port": _free_port(),
                "api_base_url": wecom.base_url,
                "proxy_url": "",
            }
        )
        self._settings = self.base_settings.model_copy(
            update={"telegram": telegram, "storage": storage, "wecom": wecom_settings}
        )
        self.database.parent.mkdir(parents=True, exist_ok=True)
        self._app = await start_application(self._settings, self._clock, poll_timeout=10)
        wecom.callback_url = f"http://127.0.0.1:{wecom_settings.callback_port}{wecom_settings.callback_path}"
        if fresh:
            await self.services.roster.import_entries(validate(read_roster(self.roster_file)))

    async def stop(self) -> None:
        """Stop the bot, then the Bot API stand-in."""
        if self._app is not None:
            await stop_application(self._app)
            self._app = None
        if self._server is not None:
            await self._server.stop()
            self._server = None
        if self._wecom is not None:
            await self._wecom.stop()
            self._wecom = None

    async def reset(self) -> None:
        """Back to the example roster, empty chats and history, and the clock at the start moment."""
        async with self._lock:
            await self.stop()
            self.wipe()
            await self.start()
        self.events.publish({"type": "reset"})

    def wipe(self) -> None:
        """Delete the sandbox's database and photos (while stopped); the next start is a fresh sandbox."""
        for suffix in ("", "-wal", "-shm"):
            self.database.with_name(self.database.name + suffix).unlink(missing_ok=True)
        shutil.rmtree(self.media_dir, ignore_errors=True)
        self.sent.clear()
        self.wecom_sent.clear()

    # ---- parts ------------------------------------------------------------------------------

    @property
    def server(self) -> BotApiServer:
        """The running Bot API stand-in."""
        assert self._server is not None, "the sandbox is not running"
        return self._server

    @property
    def wecom(self) -> WeComServer:
        """The running WeCom stand-in."""
        assert self._wecom is not None, "the sandbox is not running"
        return self._wecom

    @property
    def app(self) -> GridApplication:
        """The running Application."""
        assert self._app is not None, "the sandbox is not running"
        return self._app

    @property
    def services(self) -> Services:
        """The bot's services (the same objects its handlers use)."""
        services = self.app.bot_data.services
        assert services is not None
        return services

    @property
    def clock(self) -> JumpClock:
        """The clock the bot reads."""
        assert self._clock is not None, "the sandbox is not running"
        return self._clock

    @property
    def settings(self) -> Settings:
        """The settings the bot runs with (the sandbox's token, Bot API and data folder)."""
        assert self._settings is not None, "the sandbox is not running"
        return self._settings

    # ---- people -----------------------------------------------------------------------------

    async def directory(self) -> list[tuple[Person, int | None]]:
        """Everyone on the roster and the account they are bound to, if any."""
        return await self.services.roster.directory()

    async def person(self, person_id: int) -> tuple[Person, int | None]:
        """One roster entry and their account; UnknownPerson when there is none."""
        for person, user_id in await self.directory():
            if person.id == person_id:
                return person, user_id
        raise UnknownPerson(person_id)

    async def open(self, person_id: int) -> SimUser:
        """This person's simulated account; the first time, bound the way an invite does it (/start <code>)."""
        async with self._lock:
            person, user_id = await self.person(person_id)
            if user_id is not None:
                return self._user(user_id, person.name)
            if USER_ID_BASE + person.id in self.server.users:  # their /start is on its way: bind only once
                return self.server.users[USER_ID_BASE + person.id]
            user = self._user(USER_ID_BASE + person.id, person.name)
            invite = await self.services.invites.create_for(person.id, created_by=None)
            self.record(user, await user.send(f"/start {invite.code}"))
            return user

    async def user_of(self, person_id: int) -> SimUser | None:
        """The person's account if they are bound or being bound, None otherwise (nothing is created)."""
        person, user_id = await self.person(person_id)
        if user_id is None:
            return self.server.users.get(USER_ID_BASE + person.id)  # opened: their /start is on its way
        return self._user(user_id, person.name)

    async def wecom_userid(self, person_id: int) -> str | None:
        """The person's WeCom account if they have one (the roster's, or the sandbox's once opened), else None."""
        person, _ = await self.person(person_id)
        return person.wecom_userid

    async def open_wecom(self, person_id: int) -> WeComMember:
        """This person's simulated WeCom account; without one, bound the way a person does it: typing the code."""
        async with self._lock:
            userid = await self.wecom_userid(person_id)
            if userid is not None:
                return self.wecom.member(userid)
            member = self.wecom.member(f"{WECOM_USERID_PREFIX}{person_id}")
            if member.userid in self.wecom_sent:  # their code is on its way: bind only once
                return member
            invite = await self.services.invites.create_for(person_id, created_by=None)
            await self.wecom_send(member, f"/start {invite.code}")
            return member

    async def wecom_send(self, member: WeComMember, text: str) -> None:
        """Type a message as a WeCom member, remembered for their transcript."""
        received = len(self.wecom.inbox(member.userid))
        self.wecom_sent.setdefault(member.userid, []).append((received, {"from": "me", "text": text}))
        self.events.publish({"type": "wecom", "userid": member.userid})
        await member.send(text)

    def _wecom_changed(self, message: Delivered) -> None:
        self.events.publish({"type": "wecom", "userid": message.touser})

    def record(self, user: SimUser, *messages: JsonDict) -> None:
        """Remember messages a person sent from the page, for their transcript."""
        self.sent.setdefault(user.chat_id, []).extend(messages)
        self.events.publish({"type": "chat", "user_id": user.chat_id})

    def _user(self, user_id: int, name: str) -> SimUser:
        fresh = user_id not in self.server.users
        user = self.server.user(user_id, name)
        if fresh:
            user.watchers.append(self._chat_changed)
        return user

    def _chat_changed(self, chat: SimChat) -> None:
        self.events.publish({"type": "chat", "user_id": chat.chat_id})

    # ---- time -------------------------------------------------------------------------------

    async def jump(self, moment: datetime) -> int:
        """Move the clock forward to moment, run the scheduler pass there and send what it queued."""
        async with self._lock:
            self.clock.jump_to(moment)
            result = await self.services.reminders.run_pass()
            dispatcher = self.app.bot_data.dispatcher
            if dispatcher is not None:
                dispatcher.kick()
        self.events.publish({"type": "clock"})
        return len(result.notifications)
