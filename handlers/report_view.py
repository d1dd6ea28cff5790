"""Rendering a report in progress: the prompt and buttons of each step."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from bot import screen, texts
from bot.domain.hazards import Severity
from bot.domain.people import Actor
from bot.domain.report import EDITABLE, ReportDraft, Step
from handlers.context import GridContext

PREFIX = "rp"


def data(draft: ReportDraft, action: str, arg: str | int | None = None) -> str:
    """Callback data of a button of this draft: rp:<token>:<action>[:<arg>] (well under 64 bytes)."""
    return f"{PREFIX}:{draft.token}:{action}" + ("" if arg is None else f":{arg}")


def _grid(buttons: list[InlineKeyboardButton], width: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([buttons[i : i + width] for i in range(0, len(buttons), width)])


def next_button(draft: ReportDraft) -> InlineKeyboardMarkup:
    """下一步, after photos."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(texts.BUTTON_NEXT, callback_data=data(draft, "next"))]])


def location_keyboard() -> ReplyKeyboardMarkup:
    """The reply keyboard that asks Telegram for the location, or skips."""
    return ReplyKeyboardMarkup(
        [[KeyboardButton(texts.BUTTON_SEND_LOCATION, request_location=True)], [KeyboardButton(texts.SKIP)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


def edit_keyboard(draft: ReportDraft) -> InlineKeyboardMarkup:
    """修改: which step to answer again."""
    steps = [s for s in EDITABLE if s is not Step.VILLAGE or draft.chooses_village]
    buttons = [InlineKeyboardButton(texts.STEP_NAMES[s], callback_data=data(draft, "edit", s.value)) for s in steps]
    buttons.append(InlineKeyboardButton(texts.BUTTON_BACK, callback_data=data(draft, "edit", "back")))
    return _grid(buttons, 4)


async def prompt(context: GridContext, chat_id: int, actor: Actor, draft: ReportDraft) -> None:
    """Ask for whatever the draft's current step needs."""
    bot, reporting = context.bot, context.services.reporting
    step = draft.step
    if step is Step.PHOTOS:
        if draft.photos:
            text = texts.photos_received(
                len(draft.photos), 0, after=False, has_description=draft.description is not None
            )
            await bot.send_message(chat_id, text, reply_markup=next_button(draft))
        else:
            await bot.send_message(chat_id, texts.ASK_PHOTOS)
    elif step is Step.AFTER_PHOTOS:
        await bot.send_message(chat_id, texts.ASK_AFTER_PHOTOS)
    elif step is Step.DESCRIPTION:
        await bot.send_message(chat_id, texts.ASK_DESCRIPTION)
    elif step is Step.CATEGORY:
        buttons = [
            InlineKeyboardButton(screen.label(name), callback_data=data(draft, "cat", i))
            for i, name in enumerate(reporting.categories)
        ]
        await bot.send_message(chat_id, texts.ASK_CATEGORY, reply_markup=_grid(buttons, 3))
    elif step is Step.SEVERITY:
        buttons = [
            InlineKeyboardButton(texts.SEVERITY_NAMES[s], callback_data=data(draft, "sev", s.value)) for s in Severity
        ]
        await bot.send_message(chat_id, texts.ASK_SEVERITY, reply_markup=_grid(buttons, 2))
    elif step is Step.VILLAGE:
        villages = await reporting.village_options(actor)
        buttons = [
            InlineKeyboardButton(screen.label(name), callback_data=data(draft, "vil", vid)) for vid, name in villages
        ]
        await bot.send_message(chat_id, texts.ASK_VILLAGE, reply_markup=_grid(buttons, 3))
    elif step is Step.PLACE:
        draft = await reporting.place_options(actor)
        if draft.place_options:
            buttons = [
                InlineKeyboardButton(screen.label(place), callback_data=data(draft, "pl", i))
                for i, place in enumerate(draft.place_options)
            ]
            await bot.send_message(chat_id, texts.ASK_PLACE_WITH_OPTIONS, reply_markup=_grid(buttons, 2))
        else:
            await bot.send_message(chat_id, texts.ASK_PLACE)
    elif step is Step.LOCATION:
        await bot.send_message(chat_id, texts.ASK_LOCATION, reply_markup=location_keyboard())
    elif step is Step.SUMMARY:
        summary = await reporting.summary(actor)
        village = await reporting.village_name(summary.draft)
        rows = [
            [
                InlineKeyboardButton(texts.BUTTON_SUBMIT, callback_data=data(draft, "submit")),
                InlineKeyboardButton(texts.BUTTON_EDIT, callback_data=data(draft, "edit")),
                InlineKeyboardButton(texts.BUTTON_CANCEL, callback_data=data(draft, "cancel")),
            ]
        ]
        if draft.severity is Severity.GENERAL and not draft.fixed_on_spot:
            rows.append([InlineKeyboardButton(texts.BUTTON_FIX_ON_SPOT, callback_data=data(draft, "fix"))])
        await bot.send_message(
            chat_id,
            texts.report_summary(summary.draft, village, summary.lookalikes),
            reply_markup=InlineKeyboardMarkup(rows),
        )
