"""The outbox's WeCom sender against the loopback WeCom server, with real storage for photos and media ids.

Each notification is rendered as WeCom messages and sent call by call, as the dispatcher does; waiting for the
pacer moves the shared fake clock, so a minute of WeCom's rule takes no time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot import texts
from bot.chat.actions import HazardPress, button, decode, move_buttons
from bot.chat.delivery import DeliveryError, Later, Passing, RateLimited, Refused, Unreachable
from bot.clock import FakeClock
from bot.domain.lifecycle import Move
from bot.domain.notifications import Button, Message
from bot.services.container import Services
from handlers.wecom.client import CARD_MAX_BUTTONS, WeComClient
from handlers.wecom.outbox_sender import WeComSender
from handlers.wecom.render import Renderer, button_groups, card_layout
from sandbox.wecom import WeComServer
from storage.database import Database
from storage.media import MediaStore
from storage.timestamps import from_db
from storage.wecom_media import WeComMediaRepository
from tests.rig import png

START = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
async def server(clock: FakeClock) -> AsyncIterator[WeComServer]:
    async with WeComServer(clock=clock) as server:
        yield server


@pytest.fixture
def db(services: Services) -> Database:
    return services.db


@pytest.fixture
async def client(server: WeComServer, clock: FakeClock, db: Database) -> AsyncIterator[WeComClient]:
    async def sleep(seconds: float) -> None:
        clock.advance(timedelta(seconds=seconds))

    client = WeComClient(
        base_url=server.base_url,
        corp_id=server.corp_id,
        secret=server.secret,
        agent_id=server.agent_id,
        clock=clock,
        sleep=sleep,
        media_ids=WeComMediaRepository(db),
    )
    yield client
    await client.close()


@pytest.fixture
def media(services: Services) -> MediaStore:
    return services.media


@pytest.fixture
def sender(client: WeComClient, services: Services) -> WeComSender:
    return WeComSender(client, services.media, Renderer(client, services, lambda: None))


async def deliver(sender: WeComSender, userid: str, message: Message) -> None:
    """Make the calls of one notification in order, as the dispatcher does."""
    for call in sender.calls(userid, message):
        await call()


async def test_a_text_notification_is_one_message_and_a_long_one_comes_in_pieces(
    server: WeComServer, sender: WeComSender
) -> None:
    await deliver(sender, "lisi", Message(text="【整改提醒】隐患 #12\n请尽快整改。"))
    long = "\n".join(f"#{n} 消防通道堵塞 青龙镇新龙村" for n in range(300))
    await deliver(sender, "lisi", Message(text=long))
    got = [m.body["text"]["content"] for m in server.delivered_to("lisi")]
    assert got[0] == "【整改提醒】隐患 #12\n请尽快整改。"
    assert len(got) > 2 and all(len(piece.encode()) <= 2048 for piece in got)
    assert "\n".join(got[1:]) == long


async def test_the_edit_of_a_telegram_card_sends_nothing_and_no_message_is_recorded(
    server: WeComServer, sender: WeComSender
) -> None:
    # An edit row copied here when Telegram could not reach the person: WeCom holds no such card to edit.
    edit = Message(hazard_id=12, text="【隐患】#12 已交办", buttons=move_buttons(12, [Move.SUBMIT]), edit="345")
    assert sender.calls("lisi", edit) == []
    await deliver(
        sender, "lisi", Message(hazard_id=12, text="【新隐患】隐患 #12", buttons=move_buttons(12, [Move.SUBMIT]))
    )
    assert len(server.delivered_to("lisi")) == 1
    assert sender.message_key([None]) is None  # WeCom cards are not recorded in card_messages


async def test_buttons_become_a_card_whose_keys_decode_to_the_actions(server: WeComServer, sender: WeComSender) -> None:
    buttons = move_buttons(12, [Move.ASSIGN, Move.INVALID, Move.DUPLICATE])
    await deliver(sender, "xiaohao", Message(text="【新隐患】隐患 #12\n新龙村 消防 一般隐患", buttons=buttons))
    (card,) = [m.body["template_card"] for m in server.delivered_to("xiaohao")]
    assert card["card_type"] == "button_interaction"
    assert card["main_title"] == {"title": "【新隐患】隐患 #12"} and card["sub_title_text"] == "新龙村 消防 一般隐患"
    assert [b["text"] for b in card["button_list"]] == [b.text for b in buttons[0]]
    assert [decode(b["key"]) for b in card["button_list"]] == [
        HazardPress(12, Move.ASSIGN),
        HazardPress(12, Move.INVALID),
        HazardPress(12, Move.DUPLICATE),
    ]


async def test_a_text_too_long_for_a_card_comes_first_and_the_card_carries_its_first_line(
    server: WeComServer, sender: WeComSender
) -> None:
    text = "【今天到期】隐患 #7\n" + "\n".join(f"第{n}项：消防通道堵塞，限期整改" for n in range(20))
    await deliver(sender, "lisi", Message(text=text, buttons=move_buttons(7, [Move.SUBMIT])))
    first, second = server.delivered_to("lisi")
    assert (first.msgtype, first.body["text"]["content"]) == ("text", text)
    card = second.body["template_card"]
    assert card["main_title"] == {"title": texts.WECOM_CHOOSE} and "sub_title_text" not in card
    assert decode(card["button_list"][0]["key"]) == HazardPress(7, Move.SUBMIT)


async def test_more_than_six_buttons_make_cards_of_whole_rows(server: WeComServer, sender: WeComSender) -> None:
    rows = [[button(f"查看 #{n}", HazardPress(n, None)) for n in range(start, start + 3)] for start in (1, 4, 7)]
    await deliver(sender, "xiaohao", Message(text="【待办】3 行按钮", buttons=rows))
    cards = [m.body["template_card"] for m in server.delivered_to("xiaohao")]
    assert [len(card["button_list"]) for card in cards] == [6, 3]
    assert [card["main_title"]["title"] for card in cards] == ["【待办】3 行按钮", texts.WECOM_MORE_BUTTONS]
    keys = [decode(b["key"]) for card in cards for b in card["button_list"]]
    assert keys == [HazardPress(n, None) for n in range(1, 10)]
    assert len({card["task_id"] for card in cards}) == 2


def test_button_groups_keep_rows_and_cut_a_row_longer_than_six() -> None:
    def row(n: int) -> list[Button]:
        return [Button(text=str(k), data=f"hz:{k}:view") for k in range(n)]

    assert [len(g) for g in button_groups([row(4), row(3)])] == [4, 3]
    assert [len(g) for g in button_groups([row(2), row(2), row(2), row(1)])] == [6, 1]
    assert [len(g) for g in button_groups([row(14)])] == [6, 6, 2]
    assert all(len(g) <= CARD_MAX_BUTTONS for g in button_groups([row(5), row(9), row(1)]))
    assert card_layout("一" * 27 + "\n" + "二" * 112) == (texts.WECOM_CHOOSE, "", True)  # goes before the card


async def test_photos_are_uploaded_once_and_their_media_ids_kept_in_the_database(
    server: WeComServer, sender: WeComSender, media: MediaStore, clock: FakeClock, db: Database
) -> None:
    names = [f"{media.put(png(n), 'png')}.png" for n in (1, 2)]
    message = Message(text="【新隐患】隐患 #3", photos=names)
    await deliver(sender, "lisi", message)
    await deliver(sender, "wangwu", message)
    assert len(server.calls_to("media/upload")) == 2  # each photo once, for both members
    assert [m.msgtype for m in server.delivered_to("wangwu")] == ["image", "image", "text"]
    received = [server.media_bytes(m.body["image"]["media_id"]) for m in server.delivered_to("wangwu")[:2]]
    assert received == [png(1), png(2)]
    rows = await db.fetch_all("SELECT kind, sha256, uploaded_at FROM wecom_media_ids ORDER BY sha256")
    assert {(row[0], row[1]) for row in rows} == {("image", name.split(".")[0]) for name in names}
    assert all(from_db(row[2]) == START for row in rows)
    clock.advance(timedelta(days=3) - timedelta(minutes=30))  # too close to WeCom's 3 days: uploaded again
    await deliver(sender, "lisi", message)
    assert len(server.calls_to("media/upload")) == 4
    server.forget_media()  # WeCom no longer knows the kept ids (40007): uploaded again, nothing lost
    await deliver(sender, "lisi", message)
    assert len(server.calls_to("media/upload")) == 6
    assert [m.msgtype for m in server.delivered_to("lisi")] == ["image", "image", "text"] * 3


async def _outcome(sender: WeComSender, userid: str, message: Message) -> DeliveryError:
    with pytest.raises(DeliveryError) as caught:
        await deliver(sender, userid, message)
    return caught.value


async def test_wecom_errors_become_the_outboxs_outcomes(server: WeComServer, sender: WeComSender) -> None:
    note = Message(text="提醒")
    server.members = {"lisi"}
    gone = await _outcome(sender, "zhaoliu", note)  # not in the app's visible range: 81013
    assert isinstance(gone, Unreachable) and gone.reason == texts.UNREACHABLE_NOT_IN_APP
    server.refuse_next(45009)
    limited = await _outcome(sender, "lisi", note)
    assert isinstance(limited, RateLimited) and limited.seconds == 60
    server.refuse_next(-1)
    assert isinstance(await _outcome(sender, "lisi", note), Passing)
    server.refuse_next(60020)  # GridSafe's address is not a trusted IP: the admins must fix it
    assert isinstance(await _outcome(sender, "lisi", note), Refused)
    server.refuse_next(50001)
    assert isinstance(await _outcome(sender, "lisi", note), Later)
    assert server.delivered_to("lisi") == []
    missing = Message(text="x", photos=["ab" * 32 + ".jpg"])  # the stored photo is gone from disk
    assert isinstance(await _outcome(sender, "lisi", missing), Refused)


async def test_a_hundred_notifications_to_one_member_are_paced_with_none_dropped(
    server: WeComServer, sender: WeComSender, clock: FakeClock
) -> None:
    for n in range(100):
        await deliver(
            sender, "lisi", Message(text=f"【整改提醒】隐患 #{n}", buttons=move_buttons(n + 1, [Move.SUBMIT]))
        )
    delivered = server.delivered_to("lisi")
    assert len(delivered) == 100 and server.dropped == []
    assert delivered[-1].at - delivered[0].at >= timedelta(minutes=3)  # 30 a minute
