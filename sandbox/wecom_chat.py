"""The sandbox page's WeCom view: a person's chat with the app as the loopback WeCom server delivered it (texts,
images, files and template cards, updated in place after a press), and typing or pressing a card's button as them."""

from __future__ import annotations

from aiohttp import web

from bot import texts
from sandbox.apirules import MAX_TEXT_LENGTH
from sandbox.simusers import JsonDict
from sandbox.wecom import Delivered
from sandbox.world import WECOM_USERID_PREFIX, UnknownPerson, World

CARD_ROW = 3  # buttons a row, as the page draws a card


def add_wecom_routes(app: web.Application, world: World) -> None:
    """The WeCom view's endpoints (errors answered by the page's own middleware)."""
    routes = _WeComRoutes(world)
    app.router.add_get("/api/people/{person_id}/wecom", routes.chat)
    app.router.add_post("/api/people/{person_id}/wecom/open", routes.open)
    app.router.add_post("/api/people/{person_id}/wecom/text", routes.text)
    app.router.add_post("/api/people/{person_id}/wecom/press", routes.press)
    app.router.add_get("/api/wecom/media/{media_id}", routes.media)


def wecom_transcript(inbox: list[Delivered], sent: list[tuple[int, JsonDict]]) -> list[JsonDict]:
    """What the person sees, in order: what they typed between what they received; a card updated in place shows its
    latest text and buttons (a buttons-only update leaves its new label and no buttons). A received message's id is
    its place in the inbox, the one a press names."""
    messages: list[JsonDict] = []
    cards: dict[str, JsonDict] = {}  # response_code -> the card's entry
    typed = iter(sent)
    upcoming = next(typed, None)
    for index, message in enumerate(inbox):
        while upcoming is not None and upcoming[0] <= index:
            messages.append(upcoming[1])
            upcoming = next(typed, None)
        if message.msgtype == "update_template_card" and message.response_code in cards:
            entry = cards[message.response_code]
            if message.card:
                entry.update(_card_json(message))
            else:
                entry.update({"text": f"{entry['text']}\n{message.text}".strip(), "buttons": []})
            continue
        entry = {"id": index, "from": "bot", "text": message.text, "buttons": []}
        if message.msgtype == "template_card":
            entry.update(_card_json(message))
            cards[message.response_code] = entry
        elif message.msgtype == "image":
            entry["photo_url"] = f"/api/wecom/media/{message.body['image']['media_id']}"
        elif message.msgtype == "file":
            entry["file_url"] = f"/api/wecom/media/{message.body['file']['media_id']}"
        messages.append(entry)
    while upcoming is not None:
        messages.append(upcoming[1])
        upcoming = next(typed, None)
    return messages


def _card_json(message: Delivered) -> JsonDict:
    labels = list(message.buttons)
    rows = [labels[i : i + CARD_ROW] for i in range(0, len(labels), CARD_ROW)]
    return {"text": message.text, "buttons": [[{"text": label, "data": label} for label in row] for row in rows]}


class _WeComRoutes:
    def __init__(self, world: World) -> None:
        self.world = world

    async def _json(self, person_id: int) -> JsonDict:
        person, _ = await self.world.person(person_id)
        userid = await self.world.wecom_userid(person_id)
        if userid is None and f"{WECOM_USERID_PREFIX}{person_id}" in self.world.wecom_sent:
            userid = f"{WECOM_USERID_PREFIX}{person_id}"  # being bound: their code is on its way
        chat = None
        if userid is not None:
            inbox = self.world.wecom.inbox(userid)
            chat = {"userid": userid, "messages": wecom_transcript(inbox, self.world.wecom_sent.get(userid, []))}
        return {"person": {"id": person.id, "name": person.name}, "chat": chat}

    async def chat(self, request: web.Request) -> web.Response:
        """A person's WeCom chat (null while they have no WeCom account)."""
        return web.json_response(await self._json(_person_id(request)))

    async def open(self, request: web.Request) -> web.Response:
        """Open a person's WeCom chat, binding a sandbox account by typing an invite code the first time."""
        person_id = _person_id(request)
        await self.world.open_wecom(person_id)
        return web.json_response(await self._json(person_id))

    async def text(self, request: web.Request) -> web.Response:
        """Type a message in WeCom."""
        body = await _body(request)
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            return _refused(400, texts.SANDBOX_EMPTY_TEXT)
        if len(text) > MAX_TEXT_LENGTH:
            return _refused(400, texts.sandbox_text_too_long(MAX_TEXT_LENGTH))
        member = await self.world.open_wecom(_person_id(request))
        await self.world.wecom_send(member, text)
        return web.json_response({"ok": True})

    async def press(self, request: web.Request) -> web.Response:
        """Press a button of a card the person has (as it is now, after any update in place)."""
        body = await _body(request)
        member = await self.world.open_wecom(_person_id(request))
        inbox = self.world.wecom.inbox(member.userid)
        index, label = body.get("message_id"), body.get("data")
        if not isinstance(index, int) or not 0 <= index < len(inbox) or not inbox[index].response_code:
            return _refused(404, texts.SANDBOX_UNKNOWN_MESSAGE)
        code = inbox[index].response_code
        current = [m for m in inbox if m.response_code == code][-1]  # the card as its latest update left it
        if not isinstance(label, str) or label not in current.buttons:
            return _refused(400, texts.SANDBOX_FORGED_BUTTON)
        await member.press(label, current)
        return web.json_response({"ok": True})

    async def media(self, request: web.Request) -> web.Response:
        """An image or file the app sent."""
        try:
            data = self.world.wecom.media_bytes(request.match_info["media_id"])
        except KeyError:
            raise web.HTTPNotFound() from None
        content_type = "image/png" if data.startswith(b"\x89PNG") else "application/octet-stream"
        if data.startswith(b"\xff\xd8"):
            content_type = "image/jpeg"
        return web.Response(body=data, content_type=content_type)


def _person_id(request: web.Request) -> int:
    raw = request.match_info["person_id"]
    if not raw.isdigit():
        raise UnknownPerson(raw)
    return int(raw)


async def _body(request: web.Request) -> JsonDict:
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        body = None
    return body if isinstance(body, dict) else {}


def _refused(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)
