"""A place's file in the chat (/place, 场所): the card, its changes and their confirmation; 排查 by place.

The services re-check every press against the place as it is now: a button only says what was offered.
"""

from __future__ import annotations

from bot import screen, texts
from bot.chat.actions import CheckDone, PlaceDecision, PlacePress, PlaceVerb, button
from bot.chat.replies import CloseButtons, NotificationsQueued, ReplaceScreen, Reply, Rows, Text, Toast, grid, stale
from bot.domain import vocabulary
from bot.domain.errors import NotAllowed, NotFound, StaleButton, TooLong, WrongInput
from bot.domain.notifications import Button
from bot.domain.people import Actor, Role
from bot.domain.place_file import PlaceCard, PlaceField, PlaceMatch
from bot.domain.places import Grade, PlaceStatus
from bot.services.container import Services
from bot.services.photo_intake import PhotoUpload
from bot.services.place_files import Outcome

VISIT_BUTTONS = 12  # places due offered as buttons at once; the list updates as they are visited
_SET = {
    PlaceVerb.SET_GRADE: PlaceField.GRADE,
    PlaceVerb.SET_OWNER: PlaceField.OWNER,
    PlaceVerb.SET_STATUS: PlaceField.STATUS,
}
_CHOOSE = {PlaceVerb.GRADE: PlaceField.GRADE, PlaceVerb.OWNER: PlaceField.OWNER, PlaceVerb.STATUS: PlaceField.STATUS}
_OUTCOMES = {
    Outcome.DONE: texts.PLACE_CHANGED,
    Outcome.ASKED: texts.PLACE_ASKED,
    Outcome.SAME: texts.PLACE_UNCHANGED,
    Outcome.WAITING: texts.PLACE_WAITING,
}


def _card_buttons(services: Services, actor: Actor, card: PlaceCard) -> Rows:
    fields = services.place_files.fields(actor, card)
    labels = {**texts.FIELD_BUTTONS}
    if actor.role is Role.OFFICER:
        labels[PlaceField.GRADE] = texts.OFFICER_GRADE_BUTTON
    verbs = {PlaceField.GRADE: PlaceVerb.GRADE, PlaceField.OWNER: PlaceVerb.OWNER, PlaceField.STATUS: PlaceVerb.STATUS}
    return grid([button(labels[f], PlacePress(card.id, verbs[f])) for f in fields], 3)


def _card(services: Services, actor: Actor, card: PlaceCard) -> Text:
    return Text(texts.place_card(card, services.settings.locale.zone), _card_buttons(services, actor, card))


def _pick(match: PlaceMatch) -> Button:
    return button(texts.match_label(match), PlacePress(match.id, PlaceVerb.VIEW))


_PLACE_WORD = next(word for word, command in vocabulary.COMMAND_ALIASES.items() if command == "place")


async def place_command(services: Services, actor: Actor, args: list[str]) -> list[Reply]:
    """/place 名称或编号: the place's file; several matches give buttons; `… 责任人 姓名` changes its owner."""
    if not args:
        from bot.chat import router  # here: the router routes place buttons to this module

        pressed = await router.typed_label(services, actor, _PLACE_WORD)
        if pressed is not None:  # 场所 on 修改's menu (or the summary): the report's place step
            return pressed
    if not args:  # an officer's village or an owner's own places, to pick from; a town or a city is too many
        mine = await services.place_files.find(actor, "") if actor.role in (Role.OFFICER, Role.OWNER) else []
        return [Text(texts.PLACE_USAGE, grid([_pick(m) for m in mine], 2))]
    owner = None
    if len(args) >= 3 and args[-2] == vocabulary.PLACE_OWNER_WORD:
        owner, args = args[-1], args[:-2]
    query = " ".join(args)
    matches = await services.place_files.find(actor, query)
    exact = [m for m in matches if m.name == query or str(m.id) == query]
    chosen = exact if exact else matches
    if not chosen:
        return [Text(texts.place_not_found(query))]
    if len(chosen) > 1:
        return [Text(texts.place_file_matches(query, chosen), grid([_pick(m) for m in chosen], 1))]
    card = await services.place_files.card(actor, chosen[0].id)
    if owner is None:
        return [_card(services, actor, card)]
    person = await services.place_files.owner_named(card, owner)
    if person is None:
        return [Text(texts.owner_not_in_village(owner))]
    try:
        card, outcome = await services.place_files.change(actor, card.id, PlaceField.OWNER, str(person.id))
    except NotAllowed:
        return [Text(texts.NOT_ALLOWED)]
    except (StaleButton, WrongInput):
        return [Text(texts.owner_not_in_village(owner))]
    return [Text(_OUTCOMES[outcome]), _card(services, actor, card)]


async def _choices(services: Services, actor: Actor, card: PlaceCard, field: PlaceField) -> list[Reply]:
    if field not in services.place_files.fields(actor, card):
        return [Toast(texts.NOT_ALLOWED, alert=True)]
    if field is PlaceField.GRADE:
        question = texts.ASK_GRADE_OFFICER if actor.role is Role.OFFICER else texts.ASK_GRADE
        options = [button(texts.GRADE_BUTTONS[g], PlacePress(card.id, PlaceVerb.SET_GRADE, g.value)) for g in Grade]
        return [Toast(), Text(question, grid(options, 4))]
    if field is PlaceField.STATUS:
        statuses = [
            button(texts.STATUS_BUTTONS[s], PlacePress(card.id, PlaceVerb.SET_STATUS, s.value)) for s in PlaceStatus
        ]
        return [Toast(), Text(texts.ASK_STATUS, grid(statuses, 3))]
    owners = await services.place_files.owner_choices(card)
    if not owners:
        return [Toast(), Text(texts.NO_OWNERS)]
    options = [button(screen.label(o.name), PlacePress(card.id, PlaceVerb.SET_OWNER, str(o.id))) for o in owners]
    return [Toast(), Text(texts.owner_question(len(owners)), grid(options, 3))]


async def press(services: Services, actor: Actor, action: PlacePress) -> list[Reply]:
    """A button of a place's file, or of 排查 (a visit)."""
    files = services.place_files
    try:
        if action.verb is PlaceVerb.VISIT:
            await files.visit(actor, action.place_id)
            return [Toast(texts.PLACE_VISITED), await _visits_screen(services, actor, replace=True)]
        card = await files.card(actor, action.place_id)
        if action.verb is PlaceVerb.VIEW:
            return [Toast(), _card(services, actor, card)]
        if action.verb in _CHOOSE:
            return await _choices(services, actor, card, _CHOOSE[action.verb])
        assert action.arg is not None  # the codec reads no SET_ verb without its value
        card, outcome = await files.change(actor, card.id, _SET[action.verb], action.arg)
    except NotFound:
        if action.verb is PlaceVerb.VISIT:
            return [Toast(texts.NOT_A_VILLAGE_PLACE, alert=True)]
        return [Toast(texts.place_not_found(str(action.place_id)), alert=True)]
    except NotAllowed:
        return [Toast(texts.NOT_ALLOWED, alert=True)]
    except (StaleButton, WrongInput, ValueError):
        return [stale()]
    text = texts.place_card(card, services.settings.locale.zone)
    replies: list[Reply] = [Toast(_OUTCOMES[outcome]), ReplaceScreen(text, _card_buttons(services, actor, card))]
    return [*replies, NotificationsQueued()] if outcome is Outcome.ASKED else replies


async def decide(services: Services, actor: Actor, action: PlaceDecision) -> list[Reply]:
    """同意 / 不同意 an officer's grade change (the town's supervisors); the officer is told."""
    try:
        decided = await services.place_files.decide(actor, action.request_id, action.approved)
    except NotAllowed:
        return [Toast(texts.NOT_ALLOWED, alert=True)]
    except StaleButton:
        return [stale()]
    toast = texts.decision_toast(decided.approved, decided.applied)
    return [Toast(toast), CloseButtons(), Text(toast), NotificationsQueued()]


# ---- 排查 by place ----


async def _visits_screen(services: Services, actor: Actor, *, replace: bool) -> Text | ReplaceScreen:
    files = services.place_files
    due = await files.due(actor)
    text = texts.due_places(actor.village_name or "", due, await files.visited_this_week(actor))
    buttons = [button(texts.visit_label(p), PlacePress(p.id, PlaceVerb.VISIT)) for p in due[:VISIT_BUTTONS]]
    rows = [*grid(buttons, 2), [button(texts.BUTTON_CHECK_DONE, CheckDone())]]
    return ReplaceScreen(text, rows) if replace else Text(text, rows)


async def visits(services: Services, actor: Actor) -> list[Reply]:
    """An officer's `排查`: the village's places due a visit as buttons, and 完成排查 (nothing without places)."""
    if actor.role is not Role.OFFICER or actor.village_id is None:
        return []
    if not await services.place_files.has_places(actor):
        return []
    return [await _visits_screen(services, actor, replace=False)]


async def check_done(services: Services, actor: Actor) -> list[Reply]:
    """完成排查: the week's village check, counting the places visited this week."""
    try:
        visited = await services.place_files.visited_this_week(actor)
        status = await services.checks.log(actor, visited, None)
    except NotAllowed:
        return [Toast(texts.NOT_ALLOWED, alert=True)]
    except (TooLong, ValueError, WrongInput):
        return [stale()]
    text = texts.check_logged(
        status.kind,
        status.place,
        status.first_day,
        status.last_day,
        status.record.places_checked if status.record else None,
        status.record.note if status.record else None,
        status.hazards_reported,
    )
    return [Toast(), CloseButtons(), Text(text)]


def visit_caption(caption: str | None) -> str | None:
    """The place a photo's caption names for a visit: the caption itself, or what follows `排查`."""
    words = (caption or "").split()
    if len(words) == 2 and vocabulary.COMMAND_ALIASES.get(words[0]) == "check":
        return words[1]
    return " ".join(words) if len(words) == 1 else None


async def photo_visit(services: Services, actor: Actor, upload: PhotoUpload) -> list[Reply]:
    """A photo captioned with a place of the officer's village: the visit is logged, the photo kept with it."""
    name = visit_caption(upload.caption) or ""
    place_id = await services.place_files.named_in_village(actor, name)
    try:
        if place_id is None:
            raise NotFound(name)
        card = await services.place_files.visit(actor, place_id, upload)
    except NotFound:
        return [Text(texts.NOT_A_VILLAGE_PLACE)]
    except WrongInput:
        return [Text(texts.PHOTO_BROKEN)]
    return [Text(texts.visited_photo(card.name))]
