"""The inbound callback server, driven by simulated WeCom members (sandbox/wecom.py) over real HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.domain import limits
from bot.domain.flood import Screening
from handlers.wecom.callback import CallbackServer
from handlers.wecom.client import WeComClient
from handlers.wecom.crypto import CallbackCrypto
from handlers.wecom.inbound import (
    CardPress,
    ImageMessage,
    Inbound,
    LocationMessage,
    MenuClick,
    OtherMessage,
    RecentKeys,
    TextMessage,
)
from sandbox.wecom import WeComServer, post_callback, verify_url
from storage.media import MediaStore

JPEG = b"\xff\xd8\xff\xe0 a photo of a blocked fire exit"


class Recorder:
    """The injected handler: records what the border would hand to the core."""

    def __init__(self) -> None:
        self.got: list[Inbound] = []
        self.gate: asyncio.Event | None = None

    async def __call__(self, message: Inbound) -> None:
        if self.gate is not None:
            await self.gate.wait()
        self.got.append(message)


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[tuple[WeComServer, CallbackServer, Recorder, MediaStore]]:
    clock = FakeClock(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    recorder = Recorder()
    media = MediaStore(tmp_path / "media")
    async with WeComServer(clock=clock) as wecom:
        client = WeComClient(
            base_url=wecom.base_url, corp_id=wecom.corp_id, secret=wecom.secret, agent_id=wecom.agent_id, clock=clock
        )
        async with CallbackServer(wecom.crypto, recorder, client=client, media=media) as callback:
            wecom.callback_url = callback.url
            yield wecom, callback, recorder, media
        await client.close()


async def test_the_url_check_answers_the_echostr(
    world: tuple[WeComServer, CallbackServer, Recorder, MediaStore],
) -> None:
    wecom, callback, _, _ = world
    answer = await verify_url(callback.url, wecom.crypto, "1616140317555161061")
    assert (answer.status, answer.body) == (200, "1616140317555161061")
    forged = CallbackCrypto("not-the-token", wecom.crypto.encoding_aes_key, wecom.corp_id)
    assert (await verify_url(callback.url, forged)).status == 403


async def test_each_kind_of_message_is_parsed_into_a_plain_value(
    world: tuple[WeComServer, CallbackServer, Recorder, MediaStore],
) -> None:
    wecom, callback, recorder, media = world
    member = wecom.member("zhangsan")
    for plaintext in (
        member.text("上报 消防通道堵塞 <紧急> & ]]"),
        member.image(JPEG),
        member.location(30.274, 120.155, "新龙村村委会"),
        member.menu_click("report"),
        member.card_press("assign:12:v3", "hazard-12-1", "code-1"),
        member._xml("voice", {"MediaId": "v1"}),
    ):
        answers = await member.deliver(plaintext)
        assert [(a.status, a.body) for a in answers] == [(200, "success")]
    await callback.idle()
    text, image, location, click, press, other = recorder.got
    assert (
        isinstance(text, TextMessage) and text.content == "上报 消防通道堵塞 <紧急> & ]]" and text.userid == "zhangsan"
    )
    assert isinstance(image, ImageMessage) and media.path(image.sha256, image.extension).read_bytes() == JPEG
    assert isinstance(location, LocationMessage)
    assert (location.latitude, location.longitude, location.label) == (30.274, 120.155, "新龙村村委会")
    assert isinstance(click, MenuClick) and click.key == "report"
    assert isinstance(press, CardPress) and (press.key, press.task_id, press.response_code) == (
        "assign:12:v3",
        "hazard-12-1",
        "code-1",
    )
    assert isinstance(other, OtherMessage) and other.msg_type == "voice"


async def test_an_image_is_kept_though_wecom_forgets_it_after_three_days(
    world: tuple[WeComServer, CallbackServer, Recorder, MediaStore],
) -> None:
    wecom, callback, recorder, media = world
    member = wecom.member("zhangsan")
    await member.deliver(member.image(JPEG))
    await callback.idle()
    assert isinstance(wecom.clock, FakeClock)
    wecom.clock.advance(timedelta(days=3))
    (image,) = recorder.got
    assert isinstance(image, ImageMessage)
    assert media.path(image.sha256, "jpg").read_bytes() == JPEG
    assert [call.errcode for call in wecom.calls_to("media/get")] == [0]


async def test_retries_and_duplicates_are_handled_once(
    world: tuple[WeComServer, CallbackServer, Recorder, MediaStore],
) -> None:
    wecom, callback, recorder, _ = world
    member = wecom.member("zhangsan")
    assert len(await member.deliver(member.text("排查 12"), times=3)) == 3  # WeCom's three tries
    press = member.card_press("close:12", "hazard-12-2")
    await member.deliver(press, times=2)
    query, body = member.sealed(press)  # the same event, sealed afresh (new nonce)
    await post_callback(wecom.callback_url, query, body)
    await member.deliver(member.card_press("reject:12", "hazard-12-2"))  # another button, same second
    await callback.idle()
    assert [type(m).__name__ for m in recorder.got] == ["TextMessage", "CardPress", "CardPress"]
    assert callback.duplicates == 4


def test_recent_keys_are_bounded() -> None:
    recent = RecentKeys(capacity=2)
    assert recent.first_time("a") and recent.first_time("b") and not recent.first_time("a")
    assert recent.first_time("c")  # forgets b, the least recent
    assert recent.first_time("b") and not recent.first_time("c")


async def test_the_answer_does_not_wait_for_the_processing(
    world: tuple[WeComServer, CallbackServer, Recorder, MediaStore],
) -> None:
    wecom, callback, recorder, _ = world
    recorder.gate = asyncio.Event()  # the handler is stuck until the test lets it go
    member = wecom.member("zhangsan")
    answers = await member.deliver(member.text("我的"))
    assert answers[0].body == "success" and recorder.got == []
    recorder.gate.set()
    await callback.idle()
    assert len(recorder.got) == 1


@pytest.mark.parametrize(
    "plaintext",
    [
        "<xml><FromUserName>zhangsan</FromUserName>",  # cut off
        "not xml at all",
        "<xml><MsgType>text</MsgType></xml>",  # no sender
        '<!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><xml><FromUserName>&b;</FromUserName>'
        "<CreateTime>1</CreateTime><MsgType>text</MsgType><Content>x</Content></xml>",  # entity expansion
        '<!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><FromUserName>&e;</FromUserName></xml>',
        "<xml><FromUserName>zhangsan</FromUserName><CreateTime>1</CreateTime><MsgType>location</MsgType>"
        "<Location_X>north</Location_X><Location_Y>1</Location_Y></xml>",
    ],
)
async def test_garbage_xml_is_refused_and_nothing_is_handled(
    world: tuple[WeComServer, CallbackServer, Recorder, MediaStore], plaintext: str
) -> None:
    wecom, callback, recorder, _ = world
    (answer,) = await wecom.member("zhangsan").deliver(plaintext)
    assert answer.status == 400
    await callback.idle()
    assert recorder.got == [] and callback.refused == 1


async def test_forged_or_broken_callbacks_are_refused(
    world: tuple[WeComServer, CallbackServer, Recorder, MediaStore],
) -> None:
    wecom, callback, recorder, _ = world
    member = wecom.member("zhangsan")
    query, body = member.sealed(member.text("上报"))
    assert (await post_callback(callback.url, query | {"timestamp": "1"}, body)).status == 403
    assert (
        await post_callback(callback.url, query, body.replace(b"<Encrypt><![CDATA[", b"<Encrypt><![CDATA[AAAA"))
    ).status == 403
    assert (await post_callback(callback.url, query, b"<xml><Encrypt>")).status == 400
    assert (await post_callback(callback.url, {}, b"")).status == 400
    other_corp = CallbackCrypto(wecom.crypto.token, wecom.crypto.encoding_aes_key, "wwSOMEONEELSE")
    encrypt, signature = other_corp.seal(member.text("上报").encode(), "5", "6")
    foreign = {"msg_signature": signature, "timestamp": "5", "nonce": "6"}
    assert (
        await post_callback(callback.url, foreign, f"<xml><Encrypt>{encrypt}</Encrypt></xml>".encode())
    ).status == 403
    await callback.idle()
    assert recorder.got == []


async def test_a_flooding_member_is_screened_and_a_full_backlog_dropped(tmp_path: Path) -> None:
    """A member's backlog makes a flood as a Telegram chat's does (bot/domain/flood.py); others are not held up."""
    clock = FakeClock(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    recorder = Recorder()
    recorder.gate = asyncio.Event()  # processing is stuck, so the member's messages pile up
    async with (
        WeComServer(clock=clock) as wecom,
        CallbackServer(wecom.crypto, recorder.__call__, clock=clock) as callback,
    ):
        wecom.callback_url = callback.url
        flooder, other = wecom.member("flooder"), wecom.member("other")
        for n in range(limits.CHAT_FLOOD_BACKLOG + 1):
            await flooder.deliver(flooder.text(f"刷屏 {n}"))
        assert callback.screen("flooder") is Screening.REFUSE_WITH_NOTICE  # told once
        assert callback.screen("flooder") is Screening.REFUSE
        assert callback.screen("other") is Screening.PASS
        for n in range(limits.MAX_CHAT_BACKLOG):
            await flooder.deliver(flooder.text(f"继续 {n}"))
        assert callback.dropped == limits.CHAT_FLOOD_BACKLOG + 1  # beyond 50 waiting: never read
        await other.deliver(other.text("我的"))
        recorder.gate.set()
        await callback.idle()
        assert sum(m.userid == "flooder" for m in recorder.got) == limits.MAX_CHAT_BACKLOG
        assert [m.userid for m in recorder.got].count("other") == 1
