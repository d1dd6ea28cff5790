"""The WeCom API client and its pacer against the loopback WeCom server (sandbox/wecom.py), on a shared fake clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from bot.clock import FakeClock
from bot.settings import load_settings
from handlers.wecom.client import SentCard, WeComApiError, WeComClient, split_text
from handlers.wecom.pacer import Pacer
from sandbox.wecom import WeComServer

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
async def server(clock: FakeClock) -> AsyncIterator[WeComServer]:
    async with WeComServer(clock=clock) as server:
        yield server


@pytest.fixture
async def client(server: WeComServer, clock: FakeClock) -> AsyncIterator[WeComClient]:
    async def sleep(seconds: float) -> None:  # waiting moves the shared fake clock: an hour takes no time
        clock.advance(timedelta(seconds=seconds))

    client = WeComClient(
        base_url=server.base_url,
        corp_id=server.corp_id,
        secret=server.secret,
        agent_id=server.agent_id,
        clock=clock,
        sleep=sleep,
    )
    yield client
    await client.close()


def _card(task_id: str, buttons: int = 3, key: str = "act") -> dict[str, object]:
    return {
        "card_type": "button_interaction",
        "task_id": task_id,
        "main_title": {"title": "隐患 #12"},
        "button_list": [{"text": f"按钮{n}", "key": f"{key}{n}"} for n in range(buttons)],
    }


async def _raw_send(server: WeComServer, token: str, body: dict[str, object]) -> dict[str, object]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{server.base_url}/cgi-bin/message/send", params={"access_token": token}, json=body) as response,
    ):
        answer: dict[str, object] = await response.json()
    return answer


async def test_the_token_is_fetched_once_and_renewed_before_it_expires(
    server: WeComServer, client: WeComClient, clock: FakeClock
) -> None:
    await client.send_text("zhangsan", "一")
    await client.send_text("zhangsan", "二")
    assert client.token_fetches == 1
    clock.advance(timedelta(seconds=7200))
    await client.send_text("zhangsan", "三")
    assert client.token_fetches == 2
    assert [call.errcode for call in server.calls_to("message/send")] == [0, 0, 0]


@pytest.mark.parametrize("errcode", [42001, 40014])
async def test_a_rejected_token_is_renewed_and_the_call_retried_once(
    server: WeComServer, client: WeComClient, errcode: int
) -> None:
    await client.send_text("zhangsan", "一")
    server.fail_next(errcode)
    await client.send_text("zhangsan", "二")
    assert [call.errcode for call in server.calls_to("message/send")] == [0, errcode, 0]
    assert client.token_fetches == 2
    assert [m.body["text"]["content"] for m in server.delivered_to("zhangsan")] == ["一", "二"]


async def test_a_token_rejected_twice_is_an_error_not_a_loop(server: WeComServer, client: WeComClient) -> None:
    server.fail_next(42001)
    server.fail_next(42001)
    with pytest.raises(WeComApiError) as caught:
        await client.send_text("zhangsan", "一")
    assert caught.value.errcode == 42001
    assert len(server.calls_to("message/send")) == 2


async def test_the_client_is_made_from_the_wecom_settings(server: WeComServer, clock: FakeClock) -> None:
    settings = load_settings(
        None,
        {
            "GRIDSAFE_WECOM__CORP_ID": server.corp_id,
            "GRIDSAFE_WECOM__AGENT_ID": str(server.agent_id),
            "GRIDSAFE_WECOM__SECRET": server.secret,
            "GRIDSAFE_WECOM__TOKEN": server.crypto.token,
            "GRIDSAFE_WECOM__ENCODING_AES_KEY": server.crypto.encoding_aes_key,
            "GRIDSAFE_WECOM__API_BASE_URL": server.base_url,
        },
    )
    client = WeComClient.from_settings(settings.wecom, clock)
    await client.send_text("zhangsan", "你好")
    await client.close()
    assert [m.body["text"]["content"] for m in server.delivered_to("zhangsan")] == ["你好"]


async def test_wrong_credentials_are_refused(server: WeComServer, clock: FakeClock) -> None:
    client = WeComClient(base_url=server.base_url, corp_id=server.corp_id, secret="wrong", agent_id=1, clock=clock)
    with pytest.raises(WeComApiError) as caught:
        await client.send_text("zhangsan", "一")
    await client.close()
    assert caught.value.errcode == 40001


def test_text_is_split_at_2048_bytes_between_characters_preferring_line_breaks() -> None:
    assert split_text("短") == ["短"]
    assert split_text("") == [""]
    solid = "安" * 1000  # 3,000 bytes, no line break: cut between characters
    assert split_text(solid) == ["安" * 682, "安" * 318]
    emoji = "😀" * 600  # 4-byte characters
    assert all(len(p.encode()) <= 2048 for p in split_text(emoji)) and "".join(split_text(emoji)) == emoji
    lines = "\n".join(f"第{n}行：消防通道堵塞，限期整改" for n in range(200))
    pieces = split_text(lines)
    assert all(len(p.encode()) <= 2048 for p in pieces)
    assert "\n".join(pieces) == lines  # every cut was at a line break


async def test_long_text_arrives_in_pieces_the_server_accepts(server: WeComServer, client: WeComClient) -> None:
    text = "\n".join(f"#{n} 消防通道堵塞 青龙镇新龙村" for n in range(300))
    msgids = await client.send_text("lisi", text)
    got = [m.body["text"]["content"] for m in server.delivered_to("lisi")]
    assert len(msgids) == len(got) > 1
    assert "\n".join(got) == text


async def test_the_server_refuses_what_wecom_refuses(server: WeComServer, client: WeComClient) -> None:
    token = await client.access_token()
    base = {"touser": "lisi", "agentid": server.agent_id}
    assert (await _raw_send(server, token, base | {"msgtype": "text", "text": {"content": "安" * 683}}))[
        "errcode"
    ] == 45002
    assert (await _raw_send(server, token, base | {"msgtype": "text", "text": {"content": "安" * 682}}))["errcode"] == 0
    seven = base | {"msgtype": "template_card", "template_card": _card("t7", buttons=7)}
    assert (await _raw_send(server, token, seven))["errcode"] == 40058
    long_key = base | {"msgtype": "template_card", "template_card": _card("tk", buttons=1, key="k" * 1024)}
    assert (await _raw_send(server, token, long_key))["errcode"] == 40058
    image = base | {"msgtype": "image", "image": {"media_id": "nonesuch"}}
    assert (await _raw_send(server, token, image))["errcode"] == 40007
    assert (await _raw_send(server, "forged", base | {"msgtype": "text", "text": {"content": "x"}}))["errcode"] == 40014
    assert (await _raw_send(server, token, base | {"agentid": 9, "msgtype": "text", "text": {"content": "x"}}))[
        "errcode"
    ] == 40056
    with pytest.raises(ValueError, match="6 buttons"):
        await client.send_card("lisi", _card("t8", buttons=7))


async def test_a_card_answers_a_response_code_that_updates_it_once(
    server: WeComServer, client: WeComClient, clock: FakeClock
) -> None:
    sent = await client.send_card("lisi", _card("hazard-12-1"))
    assert isinstance(sent, SentCard) and sent.response_code
    await client.update_card(["lisi"], sent.response_code, _card("hazard-12-1", buttons=1))
    with pytest.raises(WeComApiError) as caught:
        await client.update_card(["lisi"], sent.response_code, _card("hazard-12-1", buttons=1))
    assert caught.value.errcode == 40097
    later = await client.send_card("lisi", _card("hazard-12-2"))
    clock.advance(timedelta(hours=72, seconds=1))
    with pytest.raises(WeComApiError):
        await client.update_card(["lisi"], later.response_code, _card("hazard-12-2", buttons=1))


async def test_media_are_uploaded_once_and_again_when_they_near_three_days(
    server: WeComServer, client: WeComClient, clock: FakeClock
) -> None:
    chart = b"\x89PNG chart bytes"
    await client.send_image("lisi", chart, "rank.png")
    await client.send_image("wangwu", chart, "rank.png")
    assert len(server.calls_to("media/upload")) == 1
    clock.advance(timedelta(days=3) - timedelta(minutes=30))
    await client.send_image("lisi", chart, "rank.png")
    assert len(server.calls_to("media/upload")) == 2
    await client.send_file("lisi", b"PK xlsx", "台账.xlsx")
    assert [m.msgtype for m in server.delivered_to("lisi")] == ["image", "image", "file"]


async def test_a_members_image_downloads_until_it_expires(
    server: WeComServer, client: WeComClient, clock: FakeClock
) -> None:
    media_id = server.put_media(b"\xff\xd8 jpeg")
    data, content_type = await client.download(media_id)
    assert data == b"\xff\xd8 jpeg" and content_type == "image/jpeg"
    clock.advance(timedelta(days=3))
    with pytest.raises(WeComApiError) as caught:
        await client.download(media_id)
    assert caught.value.errcode == 40007


async def test_the_server_drops_silently_beyond_30_a_minute(server: WeComServer, client: WeComClient) -> None:
    token = await client.access_token()
    body = {"touser": "lisi", "agentid": server.agent_id, "msgtype": "text", "text": {"content": "x"}}
    answers = [await _raw_send(server, token, body) for _ in range(31)]
    assert all(answer["errcode"] == 0 for answer in answers)  # WeCom says ok ...
    assert len(server.delivered_to("lisi")) == 30 and len(server.dropped) == 1  # ... and drops


async def test_the_server_drops_beyond_1000_an_hour(server: WeComServer, client: WeComClient, clock: FakeClock) -> None:
    body = {"touser": "lisi", "agentid": server.agent_id, "msgtype": "text", "text": {"content": "x"}}
    for n in range(1001):
        if n and n % 30 == 0:
            clock.advance(timedelta(seconds=61))
        await _raw_send(server, await client.access_token(), body)
    assert len(server.delivered_to("lisi")) == 1000 and len(server.dropped) == 1


async def test_the_client_paces_100_messages_to_one_member_with_none_dropped(
    server: WeComServer, client: WeComClient, clock: FakeClock
) -> None:
    for n in range(100):
        await client.send_text("lisi", f"提醒 {n}")
    assert len(server.delivered_to("lisi")) == 100 and server.dropped == []
    span = server.delivered_to("lisi")[-1].at - server.delivered_to("lisi")[0].at
    assert span >= timedelta(minutes=3)  # 30 a minute: batches at 0, 60, 120, 180 s


async def test_the_pacer_keeps_to_1000_an_hour_by_construction(clock: FakeClock) -> None:
    async def sleep(seconds: float) -> None:
        clock.advance(timedelta(seconds=seconds))

    pacer = Pacer(clock, sleep)
    for _ in range(1000):
        async with pacer.slot("lisi"):
            pass
    assert clock.now() - START < timedelta(minutes=34)  # the minute rule alone: 33 full minutes
    async with pacer.slot("lisi"):
        assert clock.now() - START >= timedelta(hours=1)
        assert pacer.sent_within("lisi", timedelta(hours=1)) < 1000


async def test_one_busy_member_never_delays_another(clock: FakeClock) -> None:
    async def sleep(seconds: float) -> None:
        clock.advance(timedelta(seconds=seconds))

    pacer = Pacer(clock, sleep)
    for _ in range(30):
        async with pacer.slot("busy"):
            pass
    async with pacer.slot("quiet"):
        assert pacer.waited_seconds == 0
    async with pacer.slot("busy"):
        assert pacer.waited_seconds == 60
