"""The sandbox's web chat: the page, its JSON endpoints and the live event stream, in front of a World."""

from __future__ import annotations

import asyncio
import json
import mimetypes
from collections.abc import Awaitable, Callable
from datetime import datetime
from importlib import resources
from urllib.parse import quote

from aiohttp import BodyPartReader, web

from bot import texts
from bot.domain import limits
from bot.domain.people import Person, Role
from bot.domain.photos import image_extension
from sandbox.apirules import MAX_TEXT_LENGTH
from sandbox.clock import PRESETS, ClockBackwards, preset_moment
from sandbox.simusers import JsonDict, SimUser
from sandbox.transcript import callback_data_of, find_bot_message, sample_points, transcript
from sandbox.wecom_chat import add_wecom_routes
from sandbox.world import UnknownPerson, World

_MB = 1024 * 1024
_DRAIN_LIMIT = 64 * _MB  # an oversized upload is read to here (and dropped) so the browser gets the answer
_KEEP_ALIVE_SECONDS = 15.0
_ALBUM_SIZE = 10  # Telegram sends more photos than this as several albums
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Refused(Exception):
    """Bad input from the page: answered with a Chinese sentence and an HTTP status, nothing sent."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@web.middleware
async def _refusals(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except Refused as exc:
        return web.json_response({"error": exc.message}, status=exc.status)
    except UnknownPerson as exc:
        message = texts.sandbox_unknown_person(exc.args[0])
        return web.json_response({"error": message}, status=404)


def build_web_app(world: World) -> web.Application:
    """The aiohttp application serving the page and its API for this world."""
    app = web.Application(middlewares=[_refusals])
    routes = _Routes(world)
    app.router.add_get("/", routes.index)
    app.router.add_get("/static/{name}", routes.static)
    app.router.add_get("/api/roster", routes.roster)
    app.router.add_get("/api/people/{person_id}", routes.chat)
    app.router.add_post("/api/people/{person_id}/open", routes.open)
    app.router.add_post("/api/people/{person_id}/text", routes.text)
    app.router.add_post("/api/people/{person_id}/press", routes.press)
    app.router.add_post("/api/people/{person_id}/photos", routes.photos)
    app.router.add_post("/api/people/{person_id}/file", routes.file)
    app.router.add_post("/api/people/{person_id}/location", routes.location)
    app.router.add_get("/api/files/{file_id}", routes.download)
    app.router.add_get("/api/clock", routes.clock)
    app.router.add_post("/api/clock", routes.jump)
    app.router.add_post("/api/reset", routes.reset)
    app.router.add_get("/api/events", routes.events)
    add_wecom_routes(app, world)
    return app


def _asset(name: str) -> bytes:
    return resources.files("sandbox").joinpath("static", name).read_bytes()


class _Routes:
    """Request handlers; each reads the request, acts on the world, answers JSON."""

    def __init__(self, world: World) -> None:
        self.world = world

    # ---- the page ---------------------------------------------------------------------------

    async def index(self, request: web.Request) -> web.Response:
        """The single page, with its words and limits filled in."""
        config = {
            "ui": texts.SANDBOX_UI,
            "roles": {role.value: name for role, name in texts.ROLE_NAMES.items()},
            "actions": texts.SANDBOX_CHAT_ACTIONS,
            "errors": texts.SANDBOX_PAGE_ERRORS,
            "max_upload_mb": limits.MAX_DOWNLOAD_BYTES // _MB,
            "bot": self.world.server.bot_username,
        }
        script = json.dumps(config, ensure_ascii=False).replace("</", "<\\/")
        page = _asset("index.html").decode().replace("{{title}}", texts.SANDBOX_UI["title"])
        page = page.replace("{{config}}", script)
        return web.Response(text=page, content_type="text/html", headers={"Cache-Control": "no-store"})

    async def static(self, request: web.Request) -> web.Response:
        """The page's script and style sheet."""
        name = request.match_info["name"]
        if name not in ("app.js", "style.css"):
            raise web.HTTPNotFound()
        content_type = "text/javascript" if name.endswith(".js") else "text/css"
        return web.Response(body=_asset(name), content_type=content_type, charset="utf-8")

    # ---- people and chats -------------------------------------------------------------------

    async def roster(self, request: web.Request) -> web.Response:
        """Towns, their villages and everyone in them, city admins first."""
        city: list[JsonDict] = []
        towns: dict[str, JsonDict] = {}
        for person, user_id in await self.world.directory():
            entry = _person_json(person, user_id)
            if person.town_name is None:
                city.append(entry)
                continue
            town = towns.setdefault(person.town_name, {"name": person.town_name, "people": [], "villages": {}})
            if person.village_name is None:
                town["people"].append(entry)
            else:
                village = town["villages"].setdefault(person.village_name, {"name": person.village_name, "people": []})
                village["people"].append(entry)
        listing = [{**town, "villages": list(town["villages"].values())} for town in towns.values()]
        return web.json_response({"city": city, "towns": listing})

    async def chat(self, request: web.Request) -> web.Response:
        """A person and their chat (null while they have never been opened)."""
        person, _ = await self.world.person(_person_id(request))
        user = await self.world.user_of(person.id)
        return web.json_response(self._chat_json(person, user))

    async def open(self, request: web.Request) -> web.Response:
        """Open a person's chat, binding them with an invite the first time."""
        person_id = _person_id(request)
        user = await self.world.open(person_id)
        person, _ = await self.world.person(person_id)
        return web.json_response(self._chat_json(person, user))

    async def text(self, request: web.Request) -> web.Response:
        """Send a text message or a command."""
        body = await _json(request)
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            raise Refused(400, texts.SANDBOX_EMPTY_TEXT)
        if len(text) > MAX_TEXT_LENGTH:
            raise Refused(400, texts.sandbox_text_too_long(MAX_TEXT_LENGTH))
        user = await self.world.open(_person_id(request))
        self.world.record(user, await user.send(text))
        return web.json_response({"ok": True})

    async def press(self, request: web.Request) -> web.Response:
        """Press an inline button; only a button that is on that message can be pressed."""
        body = await _json(request)
        user = await self.world.open(_person_id(request))
        message_id, data = body.get("message_id"), body.get("data")
        message = find_bot_message(user, message_id) if isinstance(message_id, int) else None
        if message is None:
            raise Refused(404, texts.SANDBOX_UNKNOWN_MESSAGE)
        if not isinstance(data, str) or data not in callback_data_of(message):
            raise Refused(400, texts.SANDBOX_FORGED_BUTTON)
        await user.press_data(data, message)
        return web.json_response({"ok": True})

    async def photos(self, request: web.Request) -> web.Response:
        """Send one photo, or several as albums of up to ten; every file must be a JPG or PNG."""
        files, caption = await _uploads(request)
        if not files:
            raise Refused(400, texts.SANDBOX_NO_FILE)
        for name, _, data in files:
            if image_extension(data) is None:
                raise Refused(400, texts.sandbox_not_image(name))
        user = await self.world.open(_person_id(request))
        for start in range(0, len(files), _ALBUM_SIZE):
            batch = [data for _, _, data in files[start : start + _ALBUM_SIZE]]
            first_caption = caption if start == 0 else None
            if len(batch) == 1:
                self.world.record(user, await user.send_photo(batch[0], caption=first_caption))
            else:
                self.world.record(user, *await user.send_album(batch, caption=first_caption))
        return web.json_response({"ok": True, "photos": len(files)})

    async def file(self, request: web.Request) -> web.Response:
        """Send files as documents (as Telegram's "send as file")."""
        files, caption = await _uploads(request)
        if not files:
            raise Refused(400, texts.SANDBOX_NO_FILE)
        user = await self.world.open(_person_id(request))
        for index, (name, mime_type, data) in enumerate(files):
            sent = await user.send_document(
                data, file_name=name, mime_type=mime_type, caption=caption if index == 0 else None
            )
            self.world.record(user, sent)
        return web.json_response({"ok": True})

    async def location(self, request: web.Request) -> web.Response:
        """Send a location pin."""
        body = await _json(request)
        try:
            latitude, longitude = float(body["latitude"]), float(body["longitude"])
        except (KeyError, TypeError, ValueError):
            raise Refused(400, texts.SANDBOX_BAD_LOCATION) from None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise Refused(400, texts.SANDBOX_BAD_LOCATION)
        user = await self.world.open(_person_id(request))
        self.world.record(user, await user.send_location(latitude, longitude))
        return web.json_response({"ok": True})

    async def download(self, request: web.Request) -> web.Response:
        """A file from a chat: photos shown inline, documents downloaded under their name."""
        stored = self.world.server.files.by_id.get(request.match_info["file_id"])
        if stored is None:
            raise web.HTTPNotFound()
        if stored.kind == "photo":
            kind = image_extension(stored.data)
            content_type = f"image/{'png' if kind == 'png' else 'jpeg'}"
            return web.Response(body=stored.data, content_type=content_type)
        if stored.kind == "voice":  # played in the page's audio element
            return web.Response(body=stored.data, content_type="audio/ogg")
        name = stored.file_name or "file"
        content_type = stored.mime_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
        disposition = f"attachment; filename*=UTF-8''{quote(name)}"
        return web.Response(body=stored.data, content_type=content_type, headers={"Content-Disposition": disposition})

    def _chat_json(self, person: Person, user: SimUser | None) -> JsonDict:
        sent = self.world.sent.get(user.chat_id, []) if user is not None else []
        chat = transcript(self.world.server, user, sent) if user is not None else None
        if chat is not None and chat["action"] is not None:
            chat["action_label"] = texts.SANDBOX_CHAT_ACTIONS.get(chat["action"], "")
        return {
            "person": _person_json(person, user.id if user else None),
            "chat": chat,
            "samples": sample_points(person.village_name or person.town_name),
        }

    # ---- the clock and reset ----------------------------------------------------------------

    async def clock(self, request: web.Request) -> web.Response:
        """The sandbox clock, local time."""
        return web.json_response(self._clock_json())

    async def jump(self, request: web.Request) -> web.Response:
        """Move the clock forward (a preset or a typed local moment) and run the scheduler's pass there."""
        body = await _json(request)
        zone = self.world.settings.locale.zone
        now = self.world.clock.now()
        preset, typed = body.get("preset"), body.get("at")
        if preset in PRESETS:
            target = preset_moment(str(preset), now, zone)
        elif isinstance(typed, str):
            try:
                target = datetime.fromisoformat(typed.strip().replace(" ", "T"))
            except ValueError:
                raise Refused(400, texts.sandbox_bad_moment(typed)) from None
            target = target.replace(tzinfo=zone) if target.tzinfo is None else target
        else:
            raise Refused(400, texts.SANDBOX_BAD_REQUEST)
        try:
            count = await self.world.jump(target)
        except ClockBackwards as exc:
            label = texts.sandbox_clock_label
            raise Refused(
                400, texts.sandbox_clock_backwards(label(exc.now.astimezone(zone)), label(exc.target.astimezone(zone)))
            ) from None
        answer = self._clock_json()
        return web.json_response({**answer, "queued": count, "message": texts.sandbox_jumped(answer["label"], count)})

    def _clock_json(self) -> JsonDict:
        local = self.world.clock.now().astimezone(self.world.settings.locale.zone)
        return {"now": local.isoformat(timespec="minutes"), "label": texts.sandbox_clock_label(local)}

    async def reset(self, request: web.Request) -> web.Response:
        """Back to the example roster and empty history."""
        await self.world.reset()
        return web.json_response({"ok": True, "message": texts.SANDBOX_RESET_DONE})

    # ---- live updates -----------------------------------------------------------------------

    async def events(self, request: web.Request) -> web.StreamResponse:
        """Server-sent events: which chat changed, the clock moved, the sandbox was reset."""
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"})
        await response.prepare(request)
        queue = self.world.events.subscribe()
        try:
            await response.write(b"retry: 1000\n\n")
            while True:
                try:
                    event = await asyncio.wait_for(queue.get(), _KEEP_ALIVE_SECONDS)
                except TimeoutError:
                    await response.write(b": keep-alive\n\n")
                    continue
                await response.write(f"data: {json.dumps(event)}\n\n".encode())
        except ConnectionResetError:
            pass
        finally:
            self.world.events.unsubscribe(queue)
        return response


def _person_json(person: Person, user_id: int | None) -> JsonDict:
    return {
        "id": person.id,
        "name": person.name,
        "role": person.role.value,
        "role_name": texts.ROLE_NAMES[Role(person.role)],
        "town": person.town_name,
        "village": person.village_name,
        "bound": user_id is not None,
    }


def _person_id(request: web.Request) -> int:
    raw = request.match_info["person_id"]
    if not raw.isdigit():
        raise UnknownPerson(raw)
    return int(raw)


async def _json(request: web.Request) -> JsonDict:
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        raise Refused(400, texts.SANDBOX_BAD_REQUEST) from None
    if not isinstance(body, dict):
        raise Refused(400, texts.SANDBOX_BAD_REQUEST)
    return body


async def _uploads(request: web.Request) -> tuple[list[tuple[str, str, bytes]], str | None]:
    """The files of a multipart upload (name, MIME type, bytes) and its caption; refuses any over the size limit."""
    if not request.content_type.startswith("multipart/"):
        raise Refused(400, texts.SANDBOX_BAD_REQUEST)
    reader = await request.multipart()
    files: list[tuple[str, str, bytes]] = []
    caption: str | None = None
    too_large: str | None = None
    async for part in reader:
        if not isinstance(part, BodyPartReader):
            continue
        if part.filename is None:
            if part.name == "caption":
                caption = (await part.text()).strip() or None
            continue
        data = bytearray()
        while chunk := await part.read_chunk(256 * 1024):
            if len(data) + len(chunk) > limits.MAX_DOWNLOAD_BYTES:
                too_large = too_large or part.filename
                await _drain(part)
                break
            data += chunk
        mime_type = part.headers.get("Content-Type") or mimetypes.guess_type(part.filename)[0]
        files.append((part.filename, mime_type or "application/octet-stream", bytes(data)))
    if too_large is not None:
        raise Refused(413, texts.sandbox_too_large(too_large, limits.MAX_DOWNLOAD_BYTES // _MB))
    return files, caption


async def _drain(part: BodyPartReader) -> None:
    read = 0
    while read < _DRAIN_LIMIT and (chunk := await part.read_chunk(256 * 1024)):
        read += len(chunk)


LOOPBACK = ("127.0.0.1", "localhost", "::1")


class SandboxSite:
    """The world and its page, served on host:port until closed."""

    def __init__(self, world: World, runner: web.AppRunner, url: str) -> None:
        self.world, self.url, self._runner = world, url, runner

    @classmethod
    async def open(cls, world: World, host: str = "127.0.0.1", port: int = 8300) -> SandboxSite:
        """Start the world, then serve its page (port 0: any free port)."""
        await world.start()
        runner = web.AppRunner(build_web_app(world), access_log=None, shutdown_timeout=0.5)
        await runner.setup()
        try:
            await web.TCPSite(runner, host, port).start()
        except OSError:
            await runner.cleanup()
            await world.stop()
            raise
        bound = runner.addresses[0]
        shown = f"[{host}]" if ":" in host else host
        return cls(world, runner, f"http://{shown}:{bound[1]}")

    async def close(self) -> None:
        """Stop serving the page, then the world."""
        await self._runner.cleanup()
        await self.world.stop()
