"""Building hazards in any state through the real services, as the people of the example roster would."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from bot.domain.hazards import Hazard, Severity, Status
from bot.domain.lifecycle import Move
from bot.domain.people import Actor, Role
from bot.services.container import Services
from bot.services.photo_intake import PhotoUpload
from bot.services.rectification import Done
from tests.rig import png

_ids = itertools.count(50_000)
_photos = itertools.count(1_000)


async def bind(services: Services, role: Role, **where: str) -> Actor:
    """A roster person bound to a fresh Telegram account."""
    created = await services.invites.create(role, **where)
    telegram_id = next(_ids)
    return (await services.invites.redeem(created.code, telegram_id, telegram_id)).actor


def upload() -> PhotoUpload:
    """A photo as the handlers pass it on: distinct bytes each time."""
    n = next(_photos)
    return PhotoUpload(data=png(n), file_id=f"photo-{n}", file_unique_id=f"unique-{n}", width=4, height=4)


@dataclass
class Cast:
    """The people of 青龙镇新龙村 and a few outsiders."""

    officer: Actor  # 新龙村's officer, who reports
    neighbour: Actor  # the officer of 牛冲村, same town
    owner: Actor  # 张老板, owner in 新龙村, on Telegram
    supervisor: Actor  # 青龙镇
    outsider: Actor  # 白石镇's supervisor
    admin: Actor

    @classmethod
    async def assemble(cls, services: Services) -> Cast:
        """Bind everyone."""
        return cls(
            officer=await bind(services, Role.OFFICER, village="新龙村"),
            neighbour=await bind(services, Role.OFFICER, village="牛冲村"),
            owner=await bind(services, Role.OWNER, village="新龙村", name="张老板"),
            supervisor=await bind(services, Role.SUPERVISOR, town="青龙镇", name="肖浩"),
            outsider=await bind(services, Role.SUPERVISOR, town="白石镇"),
            admin=await bind(services, Role.ADMIN, name="市应急局"),
        )


async def report(
    services: Services,
    officer: Actor,
    *,
    place: str = "幸福超市",
    severity: Severity = Severity.GENERAL,
    fixed_on_spot: bool = False,
    category: int = 0,
    location: tuple[float, float] | None = None,
) -> Hazard:
    """An officer's report, through every step of the report service (即查即改 with an after-photo if asked)."""
    reporting = services.reporting
    await reporting.add_photo(officer, upload())
    draft = await reporting.answer_text(officer, "消防通道堆放杂物")
    draft = await reporting.choose_category(officer, draft.token, category)
    draft = await reporting.choose_severity(officer, draft.token, severity)
    await reporting.answer_text(officer, place)
    if location is None:
        await reporting.answer_text(officer, "跳过")
    else:
        await reporting.set_location(officer, *location)
    summary = await reporting.summary(officer)
    if fixed_on_spot:
        await reporting.fix_on_spot(officer, summary.draft.token)
        await reporting.add_photo(officer, upload())
        await reporting.next(officer, summary.draft.token)
    return await reporting.submit(officer, summary.draft.token)


async def attempt(services: Services, actor: Actor, hazard_id: int, move: Move, *, original: int = 0) -> Done:
    """Make a move with every answer it needs; raises what the service raises."""
    rectification = services.rectification
    result = await rectification.begin(actor, hazard_id, move)
    while not isinstance(result, Done):
        conversation = result
        if move is Move.ASSIGN and conversation.owner_id is None:
            owners = await rectification.owner_options(await rectification.visible(actor, hazard_id))
            result = await rectification.choose_owner(actor, conversation.token, owners[0].id)
        elif conversation.ask.value == "deadline":
            result = await rectification.choose_days(actor, conversation.token, 7)
        elif conversation.ask.value == "original":
            result = await rectification.answer_text(actor, f"#{original}")
        elif conversation.ask.value == "photos":
            await rectification.add_photo(actor, upload())
            result = await rectification.photos_done(actor, conversation.token)
        else:
            result = await rectification.answer_text(actor, "已按要求处理")
    return result


async def hazard_in(services: Services, cast: Cast, status: Status) -> Hazard:
    """A fresh hazard of 新龙村 in the given state, owned by 张老板 once assigned."""
    hazard = await report(services, cast.officer)
    steps = {
        Status.REPORTED: [],
        Status.ASSIGNED: [(cast.supervisor, Move.ASSIGN)],
        Status.SUBMITTED: [(cast.supervisor, Move.ASSIGN), (cast.owner, Move.SUBMIT)],
        Status.CLOSED: [(cast.supervisor, Move.ASSIGN), (cast.owner, Move.SUBMIT), (cast.supervisor, Move.VERIFY)],
    }
    for actor, move in steps[status]:
        hazard = (await attempt(services, actor, hazard.id, move)).hazard
    assert hazard.status is status
    return hazard
