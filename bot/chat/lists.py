"""/open (未整改) and /overdue (逾期) in the chat: open hazards in the asker's scope, a page at a time."""

from __future__ import annotations

from bot import texts
from bot.chat.actions import HazardPress, PageTurn, button
from bot.chat.replies import ReplaceScreen, Reply, Rows, Text, Toast, grid, stale
from bot.domain.errors import AmbiguousPlace, NotAllowed, StaleButton, UnknownFilter
from bot.domain.people import Actor
from bot.domain.queries import HazardPage, ListKind
from bot.services.container import Services

NUMBERS_ROW = 5  # number buttons in a row: a page of ten is two rows


def screen(page: HazardPage) -> tuple[str, Rows]:
    """The page's text; a button per hazard listed that opens its card (as /hazard N does, re-checked when
    pressed), and ◀ ▶ for the pages before and after it."""
    if page.total == 0:
        return texts.list_empty(page.kind, page.scope_name, page.filter_labels), []
    numbers = [button(texts.list_button(h.id), HazardPress(h.id, None)) for h in page.hazards]
    buttons = []
    if page.page > 0:
        buttons.append(button(texts.BUTTON_PAGE_PREVIOUS, PageTurn(page.kind, page.filters, page.page - 1)))
    if page.page < page.pages - 1:
        buttons.append(button(texts.BUTTON_PAGE_NEXT, PageTurn(page.kind, page.filters, page.page + 1)))
    return texts.hazard_page(page), grid(numbers, NUMBERS_ROW) + ([buttons] if buttons else [])


async def first_page(services: Services, actor: Actor, kind: ListKind, args: list[str]) -> list[Reply]:
    """The list's first page, narrowed by the words after the command (村名, 类别, 重大)."""
    try:
        page = await services.queries.first_page(actor, kind, args)
    except NotAllowed:
        return [Text(texts.NOT_ALLOWED)]
    except UnknownFilter as exc:
        categories = services.settings.reporting.categories
        return [Text(texts.filters_not_understood(exc.understood, exc.unknown, categories))]
    except AmbiguousPlace as exc:
        return [Text(texts.ambiguous_village_filter(str(exc.args[0])))]
    text, buttons = screen(page)
    return [Text(text, buttons)]


async def turn(services: Services, actor: Actor, turn: PageTurn) -> list[Reply]:
    """◀ or ▶: the page asked for, re-checked against the presser's scope, in place of the pressed one."""
    try:
        page = await services.queries.page(actor, turn.kind, turn.filters, turn.page)
    except StaleButton:
        return [stale()]
    except NotAllowed:
        return [Toast(texts.NOT_ALLOWED, alert=True)]
    text, buttons = screen(page)
    return [Toast(), ReplaceScreen(text, buttons)]
