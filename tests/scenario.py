"""Building hazards in any state through the real services, as the people of the example roster would."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from bot import texts
from bot.domain.conversation import Ask, HazardConversation
from bot.domain.hazards import Hazard, Severity, Status
from bot.domain.lifecycle import Move
from bot.domain.people import Actor, Role
from bot.domain.report import ReportDraft, Step
from bot.services.container import Services
from bot.services.photo_intake import PhotoUpload
from bot.services.rectification import Done
from tests.rig import Rig, png

_ids = itertools.count(50_000)
_photos = itertools.count(1_000)


async def bind(
    services: Services, role: Role, *, town: str | None = None, village: str | None = None, name: str | None = None
) -> Actor:
    """A roster person bound to a fresh Telegram account."""
    created = await services.invites.create(role, town=town, village=village, name=name)
    telegram_id = next(_ids)
    return (await services.invites.redeem(created.code, telegram_id, telegram_id)).actor


def upload() -> PhotoUpload:
    """A photo as the handlers pass it on: distinct bytes each time."""
    n = next(_photos)
    return PhotoUpload(data=png(n), file_id=f"photo-{n}", file_unique_id=f"unique-{n}", width=4, height=4)


def served(rig: Rig) -> PhotoUpload:
    """A photo as the handlers pass it on, also stored in the loopback Bot API so notifications can show it."""
    n = next(_photos)
    data = png(n)
    size = rig.server.files.store_photo(data, 4, 4)[-1]
    return PhotoUpload(
        data=data, file_id=str(size["file_id"]), file_unique_id=str(size["file_unique_id"]), width=4, height=4
    )


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


async def draft_until(
    services: Services,
    reporter: Actor,
    stop: Step,
    *,
    description: str = "消防通道堆放杂物",
    place: str = "幸福超市",
    severity: Severity = Severity.GENERAL,
    category: int = 0,
    location: tuple[float, float] | None = None,
    village_id: int | None = None,
    photo: Callable[[], PhotoUpload] = upload,
) -> ReportDraft:
    """A report walked through the report service, answering each step as the chat asks it, until it asks `stop`
    (a supervisor picks `village_id`; stopping at the after-photos takes the summary's 即查即改)."""
    reporting = services.reporting
    draft = await reporting.start(reporter)
    while draft.step is not stop:
        token = draft.token
        if draft.step in (Step.PHOTOS, Step.AFTER_PHOTOS):
            kept = draft.after_photos if draft.step is Step.AFTER_PHOTOS else draft.photos
            if not kept:
                await reporting.add_photo(reporter, photo())
            draft = await reporting.next(reporter, token)
        elif draft.step is Step.DESCRIPTION:
            draft = await reporting.answer_text(reporter, description)
        elif draft.step is Step.CATEGORY:
            draft = await reporting.choose_category(reporter, token, category)
        elif draft.step is Step.SEVERITY:
            draft = await reporting.choose_severity(reporter, token, severity)
        elif draft.step is Step.VILLAGE:
            assert village_id is not None, "a supervisor's report needs a village"
            draft = await reporting.choose_village(reporter, token, village_id)
        elif draft.step is Step.PLACE:
            draft = await reporting.answer_text(reporter, place)
        elif draft.step is Step.LOCATION and location is None:
            draft = await reporting.answer_text(reporter, texts.SKIP)
        elif draft.step is Step.LOCATION and location is not None:
            draft = await reporting.set_location(reporter, *location)
        else:
            assert draft.step is Step.SUMMARY and stop is Step.AFTER_PHOTOS, (draft.step, stop)
            draft = await reporting.fix_on_spot(reporter, token)
    return draft


async def report(
    services: Services,
    reporter: Actor,
    *,
    description: str = "消防通道堆放杂物",
    place: str = "幸福超市",
    severity: Severity = Severity.GENERAL,
    fixed_on_spot: bool = False,
    category: int = 0,
    location: tuple[float, float] | None = None,
    village_id: int | None = None,
    photo: Callable[[], PhotoUpload] = upload,
) -> Hazard:
    """A report through every step of the report service, submitted (即查即改 with an after-photo if asked)."""
    draft = await draft_until(
        services,
        reporter,
        Step.AFTER_PHOTOS if fixed_on_spot else Step.SUMMARY,
        description=description,
        place=place,
        severity=severity,
        category=category,
        location=location,
        village_id=village_id,
        photo=photo,
    )
    if fixed_on_spot:
        await services.reporting.add_photo(reporter, photo())
        draft = await services.reporting.next(reporter, draft.token)
        draft = await services.reporting.skip_note(reporter, draft.token)  # no note (跳过)
    return await services.reporting.submit(reporter, draft.token)


async def assign(services: Services, supervisor: Actor, hazard_id: int, owner_id: int, days: int = 7) -> Hazard:
    """交办: the supervisor picks an owner of the roster and a term of so many days."""
    rectification = services.rectification
    conversation = await rectification.begin(supervisor, hazard_id, Move.ASSIGN)
    assert isinstance(conversation, HazardConversation)
    await rectification.choose_owner(supervisor, conversation.token, owner_id)
    return (await rectification.choose_days(supervisor, conversation.token, days)).hazard


async def rectify(
    services: Services,
    fixer: Actor,
    hazard_id: int,
    note: str = "已按要求处理",
    photo: Callable[[], PhotoUpload] = upload,
) -> Hazard:
    """提交整改: the owner (or the officer for them) sends an after-photo and a note."""
    rectification = services.rectification
    conversation = await rectification.begin(fixer, hazard_id, Move.SUBMIT)
    assert isinstance(conversation, HazardConversation)
    await rectification.add_photo(fixer, photo())
    await rectification.photos_done(fixer, conversation.token)
    done = await rectification.answer_text(fixer, note)
    assert isinstance(done, Done)
    return done.hazard


async def verify(services: Services, supervisor: Actor, hazard_id: int) -> Hazard:
    """复核通过: the hazard is closed."""
    done = await services.rectification.begin(supervisor, hazard_id, Move.VERIFY)
    assert isinstance(done, Done)
    return done.hazard


async def attempt(services: Services, actor: Actor, hazard_id: int, move: Move, *, original: int = 0) -> Done:
    """Make a move with every answer it needs; raises what the service raises."""
    rectification = services.rectification
    result = await rectification.begin(actor, hazard_id, move)
    while not isinstance(result, Done):
        conversation = result
        if move is Move.ASSIGN and conversation.owner_id is None:
            owners = await rectification.owner_options(await rectification.visible(actor, hazard_id))
            result = await rectification.choose_owner(actor, conversation.token, owners[0].id)
        elif conversation.ask is Ask.DEADLINE:
            result = await rectification.choose_days(actor, conversation.token, 7)
        elif conversation.ask is Ask.ORIGINAL:
            result = await rectification.answer_text(actor, f"#{original}")
        elif conversation.ask is Ask.PHOTOS:
            await rectification.add_photo(actor, upload())
            result = await rectification.photos_done(actor, conversation.token)
        else:
            result = await rectification.answer_text(actor, "已按要求处理")
    return result


async def hazard_in(services: Services, cast: Cast, status: Status) -> Hazard:
    """A fresh hazard of 新龙村 in the given state, owned by 张老板 once assigned."""
    hazard = await report(services, cast.officer)
    if status is not Status.REPORTED:
        hazard = await assign(services, cast.supervisor, hazard.id, cast.owner.id)
    if status in (Status.SUBMITTED, Status.CLOSED):
        hazard = await rectify(services, cast.owner, hazard.id)
    if status is Status.CLOSED:
        hazard = await verify(services, cast.supervisor, hazard.id)
    assert hazard.status is status
    return hazard
