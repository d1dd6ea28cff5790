"""Chat flows shared by the end-to-end tests: what a person taps and types to get something done."""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any, Literal

from bot.domain.people import Role
from sandbox.simusers import EVENT_TIMEOUT, BotMessage, SimUser
from tests.rig import Rig, png

OFFICER_VILLAGE = "新龙村"  # in 青龙镇, whose supervisors are 肖浩 and 吕丽霞; its officer is 曾英海
NEIGHBOUR_VILLAGE = "牛冲村"  # also in 青龙镇
REPORTER = "曾英海"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


async def officer(rig: Rig, village: str = OFFICER_VILLAGE) -> SimUser:
    return await rig.join(Role.OFFICER, village=village)


async def new_report_photos(user: SimUser, confirmation: str) -> BotMessage:
    """The confirmation of photos that begin a report: right after the person's last 提交, they are asked whether the
    photos are for that hazard (补充到 #N) and answer 新的隐患."""
    received = await user.expect(confirmation)
    if "新的隐患" in received.buttons:
        await user.press("新的隐患", message=received)
        received = await user.expect(confirmation)
    return received


async def walk_to_summary(
    user: SimUser,
    *,
    photo: bytes | None = None,
    description: str = "超市后门消防通道堆放纸箱",
    category: str = "消防",
    severity: str = "一般隐患",
    place: str = "幸福超市",
    location: bool = True,
) -> BotMessage:
    """Drive a report from the first photo to the summary, as a person taps through it."""
    await user.send_photo(photo or png(1))
    await user.press("下一步", message=await new_report_photos(user, "已收到 1 张照片"))
    await user.expect("请简要描述")
    await user.send(description)
    await user.press(category, message=await user.expect("请选择隐患类别"))
    await user.press(severity, message=await user.expect("请选择隐患等级"))
    await user.expect("场所")
    await user.send(place)
    await user.expect("发送当前位置")
    if location:
        await user.send_location(28.22817, 112.93881)
        await user.expect("位置已记录")
    else:
        await user.send("跳过")
        await user.expect("已跳过位置")
    return await user.expect("请核对隐患信息")


async def submit(user: SimUser, summary: BotMessage) -> int:
    await user.press("提交", message=summary)
    registered = await user.expect("已登记")
    return int(registered.body.split("#")[1].split(" ")[0])


async def reported(user: SimUser, seed: int = 1, place: str = "幸福超市") -> int:
    """An officer's report, from the first photo to its number."""
    return await submit(user, await walk_to_summary(user, photo=png(seed), place=place))


async def supervisor(rig: Rig, name: str = "肖浩") -> SimUser:
    return await rig.join(Role.SUPERVISOR, town="青龙镇", name=name)


async def assign(
    boss: SimUser,
    number: int,
    owner: str,
    *,
    days: str = "7天",
    named: Literal["button", "typed", "new"] = "button",
    card: BotMessage | None = None,
) -> BotMessage:
    """交办: the supervisor presses 交办 on hazard #number's card, names the owner (their button, typed at the
    question, or 新责任人 then typed), presses a deadline and gets the confirmation."""
    await boss.press("交办", message=card or await boss.expect(f"#{number}"))
    question = await boss.expect("请选择责任人")
    if named == "button":
        await boss.press(owner, message=question)
    else:
        if named == "new":
            await boss.press("新责任人", message=question)
            await boss.expect("请输入责任人姓名")
        await boss.send(owner)
    await boss.press(days, message=await boss.expect("请选择整改期限"))
    return await boss.expect(f"已将隐患 #{number} 交办给")


async def rectify(
    user: SimUser, number: int, button: str = "提交整改", seed: int = 90, card: BotMessage | None = None
) -> None:
    """The owner (or the officer for them) presses the card's button, sends after-photos and a note."""
    await user.press(button, message=card or await user.expect(f"#{number}"))
    await user.expect("请发送整改后的照片")
    await user.send_photo(png(seed))
    await user.press("下一步", message=await user.expect("已收到 1 张整改后照片"))
    await user.expect("请简要说明整改情况")
    await user.send("纸箱已清走，通道畅通")
    await user.expect("整改已提交")


async def answer_to(user: SimUser, data: str, message: BotMessage) -> str | None:
    """Press a (possibly forged) button and return the answer to that press."""
    seen = len(user.callback_answers)
    await user.press_data(data, message)
    await user.wait_until(lambda: len(user.callback_answers) > seen, what="a callback answer")
    text = user.callback_answers[seen].get("text")
    return str(text) if text is not None else None


async def wait_for(rig: Rig, sql: str, expected: list[tuple[Any, ...]], timeout: float = EVENT_TIMEOUT) -> None:
    """Wait until a query of the bot's database gives the expected rows (the outbox drains asynchronously)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while (rows := await rig.rows(sql)) != expected:
        assert asyncio.get_running_loop().time() < deadline, f"{sql}: {rows} != {expected}"
        await asyncio.sleep(0.05)
