"""End to end: an album (one update per item) sent where photos are refused gets one answer, not one per item.

Proving "exactly one" without waiting on time: the album is followed by a probe (/help) whose answer is awaited; the
chat's updates are handled in order, so every answer to the album came before the probe's answer.
"""

from __future__ import annotations

from bot import texts
from bot.domain.people import Role
from sandbox.simusers import SimUser
from tests.flows import officer
from tests.rig import Rig, png

PROBE_ANSWER = "可用功能："  # in every bound person's help
# Someone not on the roster gets the welcome for everything but an invite link: a wrong code is the probe.
INVITE_PROBE = {"probe": "/start nosuchcode", "probe_answer": texts.INVITE_UNKNOWN}


async def _answers_before_probe(user: SimUser, *, probe: str = "/help", probe_answer: str = PROBE_ANSWER) -> list[str]:
    """Send the probe and return the texts the bot sent after the last consumed message and before its answer."""
    start = len(user.inbox)
    await user.send(probe)
    message = await user.expect(probe_answer)
    index = user.inbox.index(message)
    return [m.body for m in user.inbox[start:index]]


async def _album_of_documents(user: SimUser, count: int) -> None:
    stored = [
        user.server.files.store(b"%%PDF-1.4 %d" % i, kind="document", file_name=f"{i}.pdf", mime_type="application/pdf")
        for i in range(count)
    ]
    for item in stored:
        user.deliver(user.build_message(document=item.document_json(), media_group_id="doc-album-1"))


async def test_album_at_the_category_step_is_answered_once(rig: Rig) -> None:
    user = await officer(rig)
    await user.send_photo(png(1))
    await user.press("下一步", message=await user.expect("已收到 1 张照片"))
    await user.expect("请简要描述")
    await user.send("超市后门消防通道堆放纸箱")
    await user.expect("请选择隐患类别")
    await user.send_album([png(40 + i) for i in range(4)])
    answers = await _answers_before_probe(user)
    # The same answer a single photo gets: not now, and the question again; not eight messages.
    assert len(answers) == 2 and answers[0] == texts.PHOTO_NOT_NOW and "请选择隐患类别" in answers[1]
    draft = await rig.draft_of(user)
    assert draft is not None and len(draft.photos) == 1


async def test_strangers_album_gets_one_welcome(rig: Rig) -> None:
    stranger = rig.stranger()
    await stranger.send_album([png(50 + i) for i in range(3)])
    assert await _answers_before_probe(stranger, **INVITE_PROBE) == [texts.UNBOUND]
    # A second album is a new album: answered again, once.
    await stranger.send_album([png(53), png(54)])
    assert await _answers_before_probe(stranger, **INVITE_PROBE) == [texts.UNBOUND]
    assert await rig.rows("SELECT COUNT(*) FROM report_drafts") == [(0,)]


async def test_deactivated_persons_album_gets_one_answer(rig: Rig) -> None:
    user = await rig.join(Role.OFFICER, village="新龙村", name="曾英海")
    await rig.services.roster.deactivate(await rig.services.roster.one("曾英海"))
    await user.send_album([png(60 + i) for i in range(4)])
    assert await _answers_before_probe(user, **INVITE_PROBE) == [texts.DEACTIVATED]
    assert await rig.rows("SELECT COUNT(*) FROM report_drafts") == [(0,)]


async def test_album_of_documents_is_refused_once(rig: Rig) -> None:
    user = await officer(rig)
    await user.send_photo(png(2))
    await user.expect("已收到 1 张照片")
    await _album_of_documents(user, 3)
    answers = await _answers_before_probe(user)
    assert answers == [texts.PHOTO_NOT_IMAGE_FILE]
    draft = await rig.draft_of(user)
    assert draft is not None and len(draft.photos) == 1


async def test_owners_album_outside_a_flow_gets_one_hint(rig: Rig) -> None:
    owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")
    await owner.send_album([png(70 + i) for i in range(3)])
    answers = await _answers_before_probe(owner)
    assert answers == [texts.OWNER_PHOTO_HINT]
