"""The report conversation in the chat: /report (上报), typed answers, a location, the buttons of each step, /cancel.

Which step comes next is the draft's own rule (ReportDraft.next_step); this module says how each step is asked.
"""

from __future__ import annotations

from bot import screen, texts
from bot.chat import hazards, report_places
from bot.chat.actions import AddPhotos, ReportStep, ReportVerb, button
from bot.chat.commands import is_hazard_number
from bot.chat.flows import ActionFlow, Cancelled, Flow, ReportFlow, cancel, in_progress
from bot.chat.replies import (
    AskLocation,
    CloseButtons,
    NotificationsQueued,
    ReplaceButtons,
    Reply,
    Text,
    Toast,
    from_message,
    grid,
    stale,
)
from bot.domain import vocabulary
from bot.domain.conversation import current
from bot.domain.errors import (
    EmptyAnswer,
    InvalidTransition,
    NoDraft,
    NotAllowed,
    NotFound,
    StaleButton,
    TooLong,
    WrongInput,
)
from bot.domain.hazards import Severity
from bot.domain.notifications import Button
from bot.domain.people import Actor, Role
from bot.domain.policy import Action, can
from bot.domain.report import EDITABLE, ReportDraft, Step
from bot.domain.voice import VoiceNote
from bot.services.container import Services
from bot.services.photo_intake import Batch
from bot.services.report_places import Found

_CANCELLED = {
    Cancelled.ACTION: texts.ACTION_CANCELLED,
    Cancelled.REPORT: texts.REPORT_CANCELLED,
    Cancelled.NOTHING: texts.NOTHING_TO_CANCEL,
}


def _button(
    draft: ReportDraft,
    label: str,
    verb: ReportVerb,
    *,
    number: int | None = None,
    severity: Severity | None = None,
    step: Step | None = None,
    back: bool = False,
) -> Button:
    return button(label, ReportStep(draft.token, verb, number=number, severity=severity, step=step, back=back))


def follow_up_buttons(draft: ReportDraft) -> list[list[Button]]:
    """补充到 #N / 新的隐患, for photos that may be for a hazard already reported."""
    assert draft.follows is not None
    return [
        [
            _button(draft, texts.add_to_button(draft.follows), ReportVerb.ADD_TO, number=draft.follows),
            _button(draft, texts.BUTTON_NEW_HAZARD, ReportVerb.NEW),
        ]
    ]


def next_buttons(draft: ReportDraft) -> list[list[Button]]:
    """下一步, after photos."""
    return [[_button(draft, texts.BUTTON_NEXT, ReportVerb.NEXT)]]


def edit_buttons(draft: ReportDraft) -> list[list[Button]]:
    """修改: which step to answer again."""
    steps = [s for s in EDITABLE if s is not Step.VILLAGE or draft.chooses_village]
    buttons = [_button(draft, texts.STEP_NAMES[s], ReportVerb.EDIT, step=s) for s in steps]
    buttons.append(_button(draft, texts.BUTTON_BACK, ReportVerb.EDIT, back=True))
    return grid(buttons, 4)


def cancel_buttons(draft: ReportDraft) -> list[list[Button]]:
    """确定取消 / 继续上报: 取消 of a report that has something to lose."""
    return [
        [
            _button(draft, texts.BUTTON_CANCEL_SURE, ReportVerb.CANCEL_SURE),
            _button(draft, texts.BUTTON_KEEP_REPORTING, ReportVerb.RESUME),
        ]
    ]


def cancel_question(flow: Flow) -> Text | None:
    """取消 asks first when photos (or a description) would be lost; None: nothing to lose, cancel at once."""
    if isinstance(flow, ActionFlow) and flow.conversation.photos:
        photos = len(flow.conversation.photos)
        return Text(texts.confirm_cancel(photos, after=True), hazards.cancel_buttons(flow.conversation))
    if isinstance(flow, ReportFlow) and (flow.draft.photos or flow.draft.description is not None):
        draft = flow.draft
        photos = len(draft.photos) + len(draft.after_photos)
        return Text(texts.confirm_cancel(photos, after=False), cancel_buttons(draft))
    return None


async def prompt(services: Services, actor: Actor, draft: ReportDraft) -> list[Reply]:
    """Ask for whatever the draft's current step needs."""
    reporting = services.reporting
    step = draft.step
    if step is Step.PHOTOS and draft.follows is not None:
        if not draft.photos:
            return [Text(texts.ask_photos_for(draft.follows))]
        return [Text(texts.photos_follow_up(len(draft.photos), draft.follows), follow_up_buttons(draft))]
    if step is Step.PHOTOS:
        if not draft.photos:
            return [Text(texts.ASK_PHOTOS)]
        text = texts.photos_received(len(draft.photos), 0, after=False, has_description=draft.description is not None)
        return [Text(text, next_buttons(draft))]
    if step is Step.AFTER_PHOTOS:
        if not draft.after_photos:
            return [Text(texts.ASK_AFTER_PHOTOS)]
        text = texts.photos_received(len(draft.after_photos), 0, after=True, has_description=False)
        return [Text(text, next_buttons(draft))]
    if step is Step.AFTER_NOTE:
        return [Text(texts.ASK_FIX_NOTE, [[_button(draft, texts.SKIP, ReportVerb.SKIP)]])]
    if step is Step.DESCRIPTION:
        return [Text(texts.ASK_DESCRIPTION)]
    if step is Step.CATEGORY:
        categories = [
            _button(draft, screen.label(name), ReportVerb.CATEGORY, number=i)
            for i, name in enumerate(reporting.categories)
        ]
        return [Text(texts.ASK_CATEGORY, grid(categories, 3))]
    if step is Step.SEVERITY:
        levels = [_button(draft, texts.SEVERITY_NAMES[s], ReportVerb.SEVERITY, severity=s) for s in Severity]
        return [Text(texts.ASK_SEVERITY, grid(levels, 2))]
    if step is Step.VILLAGE:
        villages = [
            _button(draft, screen.label(name), ReportVerb.VILLAGE, number=vid)
            for vid, name in await reporting.village_options(actor)
        ]
        return [Text(texts.ASK_VILLAGE, grid(villages, 3))]
    if step is Step.PLACE:
        return await report_places.ask(services, actor)
    if step is Step.LOCATION:
        return [AskLocation(texts.ASK_LOCATION, texts.BUTTON_SEND_LOCATION, texts.SKIP)]
    summary = await reporting.summary(actor)
    village = await reporting.village_name(summary.draft)
    rows = [
        [
            _button(draft, texts.BUTTON_SUBMIT, ReportVerb.SUBMIT),
            _button(draft, texts.BUTTON_EDIT, ReportVerb.EDIT),
            _button(draft, texts.BUTTON_CANCEL, ReportVerb.CANCEL),
        ]
    ]
    if draft.severity is Severity.GENERAL and not draft.fixed_on_spot:
        rows.append([_button(draft, texts.BUTTON_FIX_ON_SPOT, ReportVerb.FIX)])
    return [Text(texts.report_summary(summary.draft, village, summary.lookalikes), rows)]


async def ask_again(services: Services, actor: Actor, flow: Flow) -> list[Reply]:
    """The question of the flow in progress, asked again (after an input it cannot take now)."""
    if isinstance(flow, ActionFlow):
        return await hazards.ask(services, actor, flow.conversation)
    if isinstance(flow, ReportFlow):
        return await prompt(services, actor, flow.draft)
    return []


async def offered(services: Services, actor: Actor, flow: Flow) -> list[Button]:
    """Every button the flow's current question shows (at the summary, 修改's steps too): what typed words may name."""
    shown = [
        button
        for reply in await ask_again(services, actor, flow)
        if isinstance(reply, Text)
        for row in reply.buttons
        for button in row
    ]
    if isinstance(flow, ReportFlow) and flow.draft.step is Step.SUMMARY:
        shown += [button for row in edit_buttons(flow.draft) for button in row]
    # 确定取消 / 继续上报 answer 取消 at any step.
    if isinstance(flow, ReportFlow):
        shown += [button for row in cancel_buttons(flow.draft) for button in row]
    elif isinstance(flow, ActionFlow):
        shown += [button for row in hazards.cancel_buttons(flow.conversation) for button in row]
    return shown


def photos_confirmed(batch: Batch[ReportDraft]) -> list[Reply]:
    """The confirmation of a batch of photos, with 下一步."""
    draft = batch.flow
    if draft.follows is not None and draft.step is Step.PHOTOS:
        return [Text(texts.photos_follow_up(len(draft.photos), draft.follows), follow_up_buttons(draft))]
    after = draft.step is Step.AFTER_PHOTOS
    text = texts.photos_received(batch.count, batch.refused, after=after, has_description=draft.description is not None)
    return [Text(text, next_buttons(draft))]


async def report_command(services: Services, actor: Actor, flow: Flow) -> list[Reply]:
    """Start a report, or pick up the one in progress; an action in progress must be finished first."""
    if isinstance(flow, ActionFlow):
        return [Text(texts.FINISH_ACTION_FIRST), *await hazards.ask(services, actor, flow.conversation)]
    try:
        draft = await services.reporting.start(actor)
    except NotAllowed:
        return [Text(texts.REPORT_NOT_ALLOWED)]
    resumed: list[Reply] = [Text(texts.RESUMED)] if isinstance(flow, ReportFlow) else []
    return [*resumed, *await prompt(services, actor, draft)]


async def cancel_command(services: Services, actor: Actor) -> list[Reply]:
    """Leave the action or report in progress (nothing of it remains), asking first if photos would be lost."""
    question = cancel_question(await in_progress(services, actor))
    if question is not None:
        return [question]
    return [Text(_CANCELLED[await cancel(services, actor)], remove_keyboard=True)]


async def text(services: Services, actor: Actor, flow: Flow, typed: str, voice: VoiceNote | None = None) -> list[Reply]:
    """A typed answer to the report in progress (the caller routes an action's answers, and texts without a flow); a
    spoken description comes as its placeholder with its voice note."""
    assert isinstance(flow, ReportFlow)
    reporting = services.reporting
    draft = flow.draft
    was = draft.step
    if was is Step.PLACE:
        return await _typed_place(services, actor, draft, typed)
    try:
        draft = await reporting.answer_text(actor, typed, voice)
    except TooLong as exc:
        return [Text(texts.text_too_long(exc.limit, len(typed.strip())))]
    except EmptyAnswer:
        if draft.step is Step.PHOTOS and not draft.photos:
            return [Text(texts.ASK_PHOTOS)]
        if draft.step is Step.PLACE:
            return [Text(texts.EMPTY_PLACE), *await prompt(services, actor, draft)]
        if draft.step is Step.AFTER_NOTE:
            return [Text(texts.EMPTY_NOTE), *await prompt(services, actor, draft)]
        return [Text(texts.EMPTY_DESCRIPTION)]
    except WrongInput:
        if draft.step is Step.PHOTOS and not draft.photos:
            return [Text(texts.ASK_PHOTO_FIRST)]
        return await prompt(services, actor, draft)
    if draft.step is Step.PHOTOS and not draft.photos:
        return [Text(texts.DESCRIPTION_KEPT)]
    skipped: list[Reply] = [Text(texts.LOCATION_SKIPPED, remove_keyboard=True)] if was is Step.LOCATION else []
    return [*skipped, *await prompt(services, actor, draft)]


async def _typed_place(services: Services, actor: Actor, draft: ReportDraft, typed: str) -> list[Reply]:
    """A typed place: one of the village's places it names, their matches, or a new place (free text without any)."""
    try:
        found = await services.report_places.typed(actor, typed)
    except TooLong as exc:
        return [Text(texts.text_too_long(exc.limit, len(typed.strip())))]
    except EmptyAnswer:
        return [Text(texts.EMPTY_PLACE), *await prompt(services, actor, draft)]
    except WrongInput:
        return await prompt(services, actor, draft)
    if found.found in (Found.MATCHES, Found.NONE):
        return report_places.searched(found)
    return [*report_places.given(found), *await prompt(services, actor, found.draft)]


async def location(services: Services, actor: Actor, latitude: float, longitude: float) -> list[Reply]:
    """A shared location, for the location step."""
    try:
        draft = await services.reporting.set_location(actor, latitude, longitude)
    except (NoDraft, WrongInput):
        return [Text(texts.LOCATION_NOT_NOW)]
    return [Text(texts.LOCATION_RECORDED, remove_keyboard=True), *await prompt(services, actor, draft)]


async def press(services: Services, actor: Actor, press: ReportStep) -> list[Reply]:
    """A button of a report in progress: re-checked against the draft, so stale and forged ones change nothing."""
    reporting = services.reporting
    token, verb = press.token, press.verb
    try:
        if verb is ReportVerb.NEXT:
            draft = await reporting.next(actor, token)
        elif verb is ReportVerb.CATEGORY and press.number is not None:
            draft = await reporting.choose_category(actor, token, press.number)
        elif verb is ReportVerb.SEVERITY and press.severity is not None:
            draft = await reporting.choose_severity(actor, token, press.severity)
        elif verb is ReportVerb.VILLAGE and press.number is not None:
            draft = await reporting.choose_village(actor, token, press.number)
        elif verb is ReportVerb.PLACE and press.number is not None:
            draft = await reporting.choose_place(actor, token, press.number)
        elif verb is ReportVerb.ADD_TO and press.number is not None:
            return await _add_to(services, actor, token, press.number)
        elif verb is ReportVerb.NEW:
            draft = await reporting.as_new(actor, token)
        elif verb is ReportVerb.PLACE_ID and press.number is not None:
            draft = await services.report_places.choose(actor, token, press.number)
        elif verb is ReportVerb.PLACE_PAGE and press.number is not None:
            return await report_places.turn(services, actor, token, press.number)
        elif verb is ReportVerb.NEW_PLACE:
            await services.report_places.ask_name(actor, token)
            return [Toast(), CloseButtons(), Text(texts.ASK_NEW_PLACE_NAME)]
        elif verb is ReportVerb.ADD_PLACE and press.number is not None:
            draft = await services.report_places.add_searched(actor, token, press.number)
            assert draft.place is not None
            noted = Text(texts.new_place_noted(draft.place))
            return [Toast(), CloseButtons(), noted, *await prompt(services, actor, draft)]
        elif verb is ReportVerb.FIX:
            draft = await reporting.fix_on_spot(actor, token)
        elif verb is ReportVerb.SKIP:
            draft = await reporting.skip_note(actor, token)
        elif verb is ReportVerb.EDIT and press.step is None and not press.back:
            return [Toast(), ReplaceButtons(edit_buttons(await reporting.edit(actor, token, None)))]
        elif verb is ReportVerb.EDIT:
            draft = await reporting.edit(actor, token, press.step)
        elif verb is ReportVerb.CANCEL:  # on the summary: photos would be lost, so it asks first
            draft = current(await reporting.draft(actor), token, _step, tuple(Step))
            question = cancel_question(ReportFlow(draft))
            if question is None:  # nothing to lose (a press from before the photos): cancelled at once
                await reporting.cancel(actor)
                return [Toast(), CloseButtons(), Text(texts.REPORT_CANCELLED, remove_keyboard=True)]
            return [Toast(), question]
        elif verb is ReportVerb.CANCEL_SURE:
            current(await reporting.draft(actor), token, _step, tuple(Step))
            await reporting.cancel(actor)
            return [Toast(), CloseButtons(), Text(texts.REPORT_CANCELLED, remove_keyboard=True)]
        elif verb is ReportVerb.RESUME:
            draft = current(await reporting.draft(actor), token, _step, tuple(Step))
        elif verb is ReportVerb.SUBMIT:
            hazard = await reporting.submit(actor, token)
            registered = texts.report_registered(hazard.id, fixed_on_spot=hazard.fixed_on_spot)
            return [Toast(), CloseButtons(), Text(registered), NotificationsQueued()]
        else:
            raise StaleButton(press)
    except (StaleButton, NoDraft, WrongInput, ValueError):
        return [stale()]
    return [Toast(), CloseButtons(), *await prompt(services, actor, draft)]


async def _add_to(services: Services, actor: Actor, token: str, hazard_id: int) -> list[Reply]:
    """补充到 #N: re-checked now (the hazard may have been closed meanwhile)."""
    try:
        hazard, count = await services.reporting.add_to(actor, token, hazard_id)
    except NotFound:
        return [Toast(texts.hazard_not_found(hazard_id), alert=True)]
    except NotAllowed:
        return [Toast(), Text(texts.PHOTOS_ADD_NOT_ALLOWED)]
    except InvalidTransition:  # closed meanwhile: the photos may still begin a report (or be cancelled)
        draft = await services.reporting.as_new(actor, token)
        return [
            Toast(),
            CloseButtons(),
            Text(texts.photos_add_closed(hazard_id)),
            *await prompt(services, actor, draft),
        ]
    return [Toast(), CloseButtons(), Text(texts.photos_added(hazard.id, count)), NotificationsQueued()]


async def add_photos(services: Services, actor: Actor, press: AddPhotos) -> list[Reply]:
    """补充照片 on a hazard's card: by its reporter (or a supervisor of its town), while it is open."""
    flow = await in_progress(services, actor)
    if isinstance(flow, ActionFlow):
        return [Toast(), Text(texts.FINISH_ACTION_FIRST), *await hazards.ask(services, actor, flow.conversation)]
    try:
        draft = await services.reporting.begin_adding(actor, press.hazard_id)
    except NotFound:
        return [Toast(texts.hazard_not_found(press.hazard_id), alert=True)]
    except NotAllowed:
        return [Toast(texts.PHOTOS_ADD_NOT_ALLOWED, alert=True)]
    except InvalidTransition:
        return [Toast(texts.photos_add_closed(press.hazard_id), alert=True)]
    except WrongInput:
        return [Toast(), Text(texts.PHOTOS_ADD_BUSY)]
    return [Toast(), *await prompt(services, actor, draft)]


async def edited(services: Services, actor: Actor | None) -> list[Reply]:
    """An edit of a message already sent is not acted on (it would act twice): the earlier version stands, and while a
    report is open its summary's 修改 changes it."""
    draft = None if actor is None else await services.reporting.draft(actor)
    return [Text(texts.EDIT_IGNORED if draft is None else texts.EDIT_IGNORED_REPORT)]


async def without_flow(services: Services, actor: Actor, typed: str) -> list[Reply]:
    """A text with nothing in progress: "#12" opens hazard 12; from someone who may report, other words are kept as
    the description of the report the next photos begin; anything else gets a pointer to /help."""
    if is_hazard_number(typed):
        return await hazards.hazard_command(services, actor, [], typed)
    if actor.role is not Role.OWNER and vocabulary.plain(typed) in _MOVE_WORDS:
        # 复核通过 typed with no card in front: which hazard is meant is not known; show the way, and what waits.
        waiting = [reply for message in await services.waiting.on_joining(actor) for reply in from_message(message)]
        return [Text(texts.MOVE_WORDS_HINT), *waiting]
    if can(actor, Action.REPORT) and not typed.lstrip().startswith("/"):
        try:
            await services.reporting.describe_first(actor, typed)
        except TooLong as exc:
            return [Text(texts.text_too_long(exc.limit, len(typed.strip())))]
        except WrongInput:  # nothing visible, or an empty phrase: not a description
            return [Text(texts.UNKNOWN_MESSAGE)]
        return [Text(texts.DESCRIPTION_KEPT)]
    if actor.role is Role.OWNER:  # an owner who does not know what to type is shown what to do, with buttons
        tasks = await services.waiting.owner_tasks(actor)
        if tasks.buttons:
            return [Text(texts.UNKNOWN_MESSAGE_OWNER), *from_message(tasks)]
    return [Text(texts.UNKNOWN_MESSAGE)]


# A move's button words (交办, 复核通过 …), typed when no question of an action is open.
_MOVE_WORDS = frozenset(
    vocabulary.plain(label)
    for label in (*texts.MOVE_BUTTONS.values(), texts.BUTTON_PROXY, texts.BUTTON_VERIFY_SHORT, texts.BUTTON_ADD_PHOTOS)
)


def _step(draft: ReportDraft) -> Step:
    return draft.step
