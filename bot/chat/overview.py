"""What a person asks to see: /mine (我的), /stats (统计), /rank (排名), /help (帮助)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot import texts
from bot.chart import chart_or_none
from bot.chat.actions import move_label
from bot.chat.commands import commands_for
from bot.chat.replies import Activity, ChatAction, Image, Later, Reply, Text, from_message
from bot.domain.errors import BadPeriod, NotAllowed
from bot.domain.people import Actor, Role
from bot.domain.policy import check_kind, role_moves
from bot.services.container import Services


async def mine(services: Services, actor: Actor) -> list[Reply]:
    """An officer's or supervisor's own reports, newest first; an owner's hazards to fix."""
    if actor.role is Role.OWNER:  # each with its button
        return from_message(await services.waiting.owner_tasks(actor))
    hazards = await services.reporting.mine(actor)
    zone = services.settings.locale.zone
    return [Text(texts.my_reports(hazards, zone) if hazards else texts.MINE_EMPTY_OFFICER)]


def help_text(actor: Actor) -> list[Reply]:
    """The help of the person's role: its commands, its check and its moves, all as the policy says."""
    moves = [move_label(move, actor.role) for move in role_moves(actor.role)]
    return [Text(texts.help_text(actor.role, actor.name, commands_for(actor.role), moves, check_kind(actor.role)))]


async def stats(services: Services, actor: Actor, args: list[str]) -> list[Reply]:
    """/stats [本周|本月|上月|YYYY-MM]: a supervisor's town by village, an admin's city by town."""
    try:
        figures = await services.statistics.stats(actor, args)
    except NotAllowed:
        return [Text(texts.NOT_ALLOWED)]
    except BadPeriod:
        return [Text(texts.BAD_PERIOD)]
    return [Text(texts.stats_text(figures, services.settings.locale.zone))]


async def rank(services: Services, actor: Actor, args: list[str]) -> list[Reply]:
    """/rank [本月|上月|YYYY-MM] (default last month): towns ranked, the chart, and a supervisor's villages."""
    zone = services.settings.locale.zone
    try:
        view = await services.statistics.ranking_view(actor, args)
    except NotAllowed:
        return [Text(texts.NOT_ALLOWED)]
    except BadPeriod:
        return [Text(texts.BAD_MONTH)]
    replies: list[Reply] = [Text(texts.ranking_text(view.ranking, zone, actor.town_id))]
    if view.ranking.towns:
        ranking, font = view.ranking, services.settings.ranking.chart_font

        @asynccontextmanager
        async def chart() -> AsyncIterator[list[Reply]]:
            drawn = await chart_or_none(ranking, font)
            yield [Text(texts.CHART_UNAVAILABLE) if drawn is None else Image(drawn, texts.chart_caption(ranking))]

        replies += [ChatAction(Activity.UPLOAD_PHOTO), Later(chart)]
    if view.own_town is not None:
        replies.append(Text(texts.town_place(view.ranking, view.own_town, zone)))
    return replies
