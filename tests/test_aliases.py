"""Chinese aliases of the commands: no alias is empty, and text that opens with spaces is never read as a command."""

from __future__ import annotations

import pytest

from bot import texts
from bot.chat.commands import ALIAS_ARGUMENTS, COMMANDS, alias_pattern
from bot.domain import vocabulary
from bot.domain.people import Role
from tests.flows import officer, submit, walk_to_summary
from tests.rig import Rig, png

PARAGRAPH = "　　村委会东侧民房外墙开裂，雨后有倒塌危险"  # two full-width spaces open a paragraph in Chinese writing


@pytest.mark.parametrize("words", [[], [""], [" "], ["　"], ["排查", ""]])
def test_an_empty_alias_is_refused(words: list[str]) -> None:
    with pytest.raises(ValueError, match="visible word"):
        alias_pattern(words)


def test_every_command_but_start_has_an_alias_and_none_matches_text_that_opens_with_spaces() -> None:
    aliased = set(vocabulary.COMMAND_ALIASES.values())
    assert {c.name for c in COMMANDS} <= aliased
    for command in aliased:
        words = [w for w, target in vocabulary.COMMAND_ALIASES.items() if target == command]
        pattern = alias_pattern(words, ALIAS_ARGUMENTS.get(command, r"(?:\s+.*)?"))
        for text in (PARAGRAPH, "  村委会东侧民房外墙开裂", " ", "　", "\n村委会"):
            assert not pattern.match(text), (command, text)


def test_the_hazard_alias_takes_a_number_only() -> None:
    pattern = alias_pattern(["隐患"], ALIAS_ARGUMENTS["hazard"])
    for text in ("隐患", "隐患 12", "隐患 #12", "　　隐患 12", " 隐患 12 "):
        assert pattern.match(text), text
    for text in ("隐患 村口电线老化", "隐患：村口电线老化", "隐患12号", PARAGRAPH):
        assert not pattern.match(text), text


async def test_text_opening_with_spaces_is_kept_as_typed_at_every_step(rig: Rig) -> None:
    boss = await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")
    user = await officer(rig)
    # Idle: a paragraph is not a command (the owner, who cannot report, is pointed to /help).
    await owner.send(PARAGRAPH)
    assert (await owner.next_message()).text == texts.UNKNOWN_MESSAGE
    await owner.send("  超市门口")
    assert (await owner.next_message()).text == texts.UNKNOWN_MESSAGE
    # Every typed step of a report: description, place, and skipping the location.
    summary = await walk_to_summary(user, photo=png(1), description=PARAGRAPH, place=" 　村委会东侧", location=False)
    assert "村委会东侧民房外墙开裂" in summary.body
    number = await submit(user, summary)
    stored = await rig.rows("SELECT description, place FROM hazards WHERE id = ?", (number,))
    assert stored == [("村委会东侧民房外墙开裂，雨后有倒塌危险", "村委会东侧")]
    # Assigning: a typed owner name and a typed date, each opening with spaces.
    await boss.press("交办", message=await boss.expect(f"#{number}"))
    await boss.expect("请选择责任人")
    await boss.send("　　张老板")
    await boss.expect("请选择整改期限")
    await boss.send("  12月5日")
    await boss.press("确认", message=await boss.expect("期限：12月5日（周六）"))
    await boss.expect(f"已将隐患 #{number} 交办给 张老板，期限 2026-12-05")
    # The rectification note.
    await owner.press("提交整改", message=await owner.expect("【整改通知】"))
    await owner.expect("请发送整改后的照片")
    await owner.send_photo(png(2))
    await owner.press("下一步", message=await owner.expect("已收到 1 张整改后照片"))
    await owner.expect("请简要说明整改情况")
    await owner.send("　　墙体已加固，设置警示带")
    await owner.expect("整改已提交")
    # The reason of a rejection.
    await boss.press("不通过", message=await boss.expect("【整改待复核】"))
    await boss.expect("请说明复核不通过的原因")
    await boss.send("　　警示带不全")
    await boss.press("3天", message=await boss.expect("请选择整改期限"))
    await boss.expect(f"隐患 #{number} 复核不通过")
    notes = await rig.rows("SELECT note FROM hazard_events WHERE hazard_id = ? AND note IS NOT NULL", (number,))
    assert ("墙体已加固，设置警示带",) in notes and ("警示带不全",) in notes
    # The hazard's number, as the alias and alone, opens its card (leading spaces or not).
    for said in (f"隐患 {number}", f"　　隐患 #{number}", f"#{number}", f"  #{number}"):
        await user.send(said)
        card = await user.expect("进展：")
        assert f"#{number}" in card.body, said
    await user.send("隐患")
    assert (await user.expect(texts.HAZARD_USAGE)).text == texts.HAZARD_USAGE  # after the news of the rejection
