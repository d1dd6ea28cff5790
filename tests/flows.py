"""Chat flows shared by the end-to-end tests: what a person taps and types to get something done."""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

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
    await user.press("下一步", message=await user.expect("已收到 1 张照片"))
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
    return int(registered.text.split("#")[1].split(" ")[0])


async def wait_for(rig: Rig, sql: str, expected: list[tuple[Any, ...]], timeout: float = EVENT_TIMEOUT) -> None:
    """Wait until a query of the bot's database gives the expected rows (the outbox drains asynchronously)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while (rows := await rig.rows(sql)) != expected:
        assert asyncio.get_running_loop().time() < deadline, f"{sql}: {rows} != {expected}"
        await asyncio.sleep(0.05)
