"""The place step of a report in the chat: the village's places as buttons, what a typed search found, a new place;
and a supervisor's 确认 / 驳回 of a new place.

Which step comes after the place is the report's rule (bot/chat/reports.py asks it).
"""

from __future__ import annotations

from bot import screen, texts
from bot.chat.actions import PlaceReview, ReportStep, ReportVerb, button
from bot.chat.replies import CloseButtons, ReplaceScreen, Reply, Rows, Text, Toast, grid
from bot.domain.errors import NotFound
from bot.domain.notifications import Button
from bot.domain.people import Actor
from bot.domain.place_choices import PlaceOption
from bot.domain.report import ReportDraft
from bot.services.container import Services
from bot.services.report_places import PAGE_SIZE, Found, PlaceScreen, TypedPlace

ROW = 2  # place buttons in a row: names are long


def _button(draft: ReportDraft, label: str, verb: ReportVerb, number: int | None = None) -> Button:
    return button(label, ReportStep(draft.token, verb, number=number))


def _places(draft: ReportDraft, places: list[PlaceOption]) -> Rows:
    labels = [texts.place_button(p.name, pending=p.pending) for p in places]
    return grid(
        [_button(draft, label, ReportVerb.PLACE_ID, p.id) for label, p in zip(labels, places, strict=True)], ROW
    )


def page_rows(found: PlaceScreen) -> Rows:
    """A page of the village's places, then 上一页/更多 and 新场所."""
    draft = found.draft
    last: list[Button] = []
    if found.page:
        last.append(_button(draft, texts.BUTTON_FIRST_PLACES, ReportVerb.PLACE_PAGE, 0))
    if found.more:
        last.append(_button(draft, texts.BUTTON_MORE_PLACES, ReportVerb.PLACE_PAGE, found.page + 1))
    last.append(_button(draft, texts.BUTTON_NEW_PLACE, ReportVerb.NEW_PLACE))
    return [*_places(draft, found.places), last]


async def ask(services: Services, actor: Actor) -> list[Reply]:
    """The place step's question: the village's places (free text when it has none), or the new place's name."""
    found = await services.report_places.screen(actor)
    draft = found.draft
    if draft.naming_place:
        return [Text(texts.ASK_NEW_PLACE_NAME)]
    if found.inventory:
        return [Text(texts.ask_place_from_list(found.page), page_rows(found))]
    if not draft.place_options:
        return [Text(texts.ASK_PLACE)]
    offered = [_button(draft, screen.label(place), ReportVerb.PLACE, i) for i, place in enumerate(draft.place_options)]
    return [Text(texts.ASK_PLACE_WITH_OPTIONS, grid(offered, ROW))]


async def turn(services: Services, actor: Actor, token: str, page: int) -> list[Reply]:
    """更多 / 返回第一页: another page of the village's places, in the same message."""
    found = await services.report_places.screen(actor, page, token)
    return [Toast(), ReplaceScreen(texts.ask_place_from_list(found.page), page_rows(found))]


def searched(typed: TypedPlace) -> list[Reply]:
    """What a typed text found when it chose nothing: the matches, or the offer of a new place."""
    draft, text = typed.draft, typed.text
    offer = [
        _button(draft, texts.add_place_button(text), ReportVerb.ADD_PLACE, draft.place_searches.index(text)),
        _button(draft, texts.BUTTON_LIST_PLACES, ReportVerb.PLACE_PAGE, 0),
    ]
    if typed.found is Found.MATCHES:
        shown = typed.matches[:PAGE_SIZE]
        more = len(typed.matches) > len(shown)
        return [Text(texts.place_matches(text, len(shown), more), [*_places(draft, shown), offer])]
    return [Text(texts.place_none(text), [offer])]


def given(typed: TypedPlace) -> list[Reply]:
    """The line that says which place a typed text gave, before the next question."""
    assert typed.draft.place is not None
    if typed.found is Found.CHOSEN:
        return [Text(texts.place_chosen(typed.draft.place))]
    if typed.found is Found.NEW:
        return [Text(texts.new_place_noted(typed.draft.place))]
    return []


async def review(services: Services, actor: Actor, press: PlaceReview) -> list[Reply]:
    """确认 / 驳回 of a new place: decided once, by a supervisor of its town; a second press says it is decided."""
    try:
        verdict = await services.place_reviews.decide(actor, press.place_id, confirm=press.confirm)
    except NotFound:
        return [Toast(texts.PLACE_NOT_FOUND, alert=True)]
    place = verdict.place
    if not verdict.decided:
        already = texts.PLACE_ALREADY_CONFIRMED if place.confirmed else texts.PLACE_ALREADY_REJECTED
        return [Toast(already, alert=True), CloseButtons()]
    decided = texts.place_confirmed if press.confirm else texts.place_rejected
    return [Toast(), CloseButtons(), Text(decided(place.name, verdict.village))]
