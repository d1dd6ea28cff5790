"""Every input limit of bot/domain/limits.py, at its edge: the last value accepted, the next one refused in Chinese.

Each limit is listed in TESTED with the tests that hold it; a limit added without a test fails test_every_limit_is_tested.
"""

from __future__ import annotations

import asyncio
import re
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import Workbook, load_workbook

from bot import texts
from bot.cli import main
from bot.clock import FakeClock
from bot.domain import limits
from bot.domain.errors import PlaceFault, PlaceProblem, PlacesInvalid, RosterInvalid, RowFault, RowProblem
from bot.domain.flood import Arrival, FloodWatch, Screening
from bot.domain.people import Role
from bot.domain.place_rows import validate as validate_places
from bot.domain.roster import validate
from bot.places_file import read_places
from bot.roster_file import RosterFileError, read_roster
from bot.services import ledger
from bot.services.container import Services
from bot.table_file import TableFileError
from sandbox.simusers import BotMessage, SimUser
from tests.flows import assign, new_report_photos, officer, submit, supervisor, walk_to_summary
from tests.rig import ROOT, START, Rig, png
from tests.scenario import Cast, report

TESTED = {
    "MAX_PHOTOS": [
        "test_report_keeps_ten_photos_and_refuses_the_eleventh",
        "test_rectification_keeps_ten_after_photos",
    ],
    "MAX_DESCRIPTION": ["test_description_of_1000_characters_is_kept_1001_refused"],
    "FOLLOW_UP_MINUTES": ["test_a_photo_10_minutes_after_submitting_asks_whether_it_is_for_that_hazard_later_not"],
    "MAX_PLACE": ["test_place_of_60_characters_is_kept_61_refused"],
    "MAX_DOWNLOAD_BYTES": ["test_a_20_mb_image_is_kept_one_byte_more_is_refused_unread"],
    "PLACE_SUGGESTIONS": ["test_six_places_of_the_village_are_offered"],
    "IMAGE_MIME_TYPES": ["test_only_jpeg_and_png_files_are_taken"],
    "MAX_REASON": ["test_reason_of_500_characters_is_kept_501_refused"],
    "MAX_DEADLINE_DAYS": ["test_deadline_365_days_ahead_is_kept_366_refused"],
    "DEADLINE_CHOICES": ["test_deadline_buttons_are_the_configured_choices"],
    "MAX_OWNER_OPTIONS": ["test_at_most_eight_owners_are_offered"],
    "MAX_PLACES_CHECKED": ["test_check_of_10000_places_is_kept_10001_refused"],
    "MAX_NAME": [
        "test_roster_name_of_30_characters_is_kept_31_refused",
        "test_invite_name_of_30_characters_is_kept_31_refused_and_cleaned",
        "test_cli_invite_name_of_31_characters_is_refused",
        "test_owner_name_typed_at_assignment_is_cleaned_and_limited",
    ],
    "MAX_PLACE_NAME": ["test_roster_place_of_40_characters_is_kept_41_refused"],
    "MAX_ROSTER_FILE_BYTES": ["test_roster_file_at_the_size_limit_is_read_one_byte_more_refused"],
    "MAX_ROSTER_UNCOMPRESSED_BYTES": ["test_xlsx_unpacking_to_the_limit_is_read_one_byte_more_refused"],
    "MAX_ROSTER_ROWS": ["test_roster_of_20000_rows_is_read_20001_refused"],
    "MAX_PLACES_FILE_BYTES": ["test_places_file_at_the_size_limit_is_read_one_byte_more_refused"],
    "MAX_PLACES_UNCOMPRESSED_BYTES": ["test_places_xlsx_unpacking_to_the_limit_is_read_one_byte_more_refused"],
    "MAX_PLACES_ROWS": ["test_places_file_of_1048576_rows_is_read_one_more_refused"],
    "MAX_ADDRESS": ["test_place_address_of_100_characters_is_kept_101_refused"],
    "CHAT_FLOOD_BACKLOG": [
        "test_twenty_messages_at_once_are_all_answered_twenty_one_are_a_flood",
        "test_a_backlog_of_20_starts_a_flood_19_does_not",
    ],
    "MAX_CHAT_BACKLOG": ["test_a_chat_holds_50_updates_the_51st_is_dropped"],
    "FLOOD_QUIET_SECONDS": ["test_a_flood_ends_after_30_quiet_seconds_not_before"],
    "MAX_LEDGER_THUMBNAIL_ROWS": ["test_a_ledger_of_1000_hazards_has_thumbnails_1001_has_none"],
    "MAX_VOICE_SECONDS": ["test_voice_of_300_seconds_is_kept_301_refused"],
    "MAX_CHAT_PHOTO_ARCHIVE_BYTES": ["test_photo_archive_of_50_mb_holds_every_photo_one_byte_more_leaves_one_out"],
}


def test_every_limit_is_tested_and_documented() -> None:
    names = {name for name in vars(limits) if name.isupper()}
    assert names == set(TESTED)
    for tests in TESTED.values():
        for test in tests:
            assert callable(globals().get(test)), test
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Limits", 1)[1].split("\n## ", 1)[0]
    assert len(re.findall(r"^\| (?!limit|---)", table, flags=re.MULTILINE)) == len(TESTED)


async def at_place_step(user: SimUser) -> None:
    await user.send_photo(png(1))
    await user.press("下一步", message=await new_report_photos(user, "已收到 1 张照片"))
    await user.expect("请简要描述")
    await user.send("消防通道堆放纸箱")
    await user.press("消防", message=await user.expect("请选择隐患类别"))
    await user.press("一般隐患", message=await user.expect("请选择隐患等级"))


async def test_a_photo_10_minutes_after_submitting_asks_whether_it_is_for_that_hazard_later_not(rig: Rig) -> None:
    user = await officer(rig)
    number = await submit(user, await walk_to_summary(user))
    rig.clock.advance(timedelta(minutes=limits.FOLLOW_UP_MINUTES))
    await user.send_photo(png(2))
    asked = await user.expect("已收到 1 张照片")
    assert asked.buttons == [f"补充到 #{number}", "新的隐患"]
    await user.send("/cancel")
    await user.press("确定取消", message=await user.expect("确定取消吗"))
    await user.expect("已取消")
    rig.clock.advance(timedelta(seconds=1))
    await user.send_photo(png(3))
    assert (await user.expect("已收到 1 张照片")).buttons == ["下一步"]


async def test_report_keeps_ten_photos_and_refuses_the_eleventh(rig: Rig) -> None:
    user = await officer(rig)
    await user.send_album([png(100 + i) for i in range(limits.MAX_PHOTOS)])
    await user.expect(f"已收到 {limits.MAX_PHOTOS} 张照片")
    await user.send_photo(png(200))
    refused = await user.next_message()
    assert refused.text == texts.photos_received(limits.MAX_PHOTOS, 1, after=False, has_description=False)
    draft = await rig.draft_of(user)
    assert draft is not None and len(draft.photos) == limits.MAX_PHOTOS


async def test_rectification_keeps_ten_after_photos(rig: Rig) -> None:
    boss = await supervisor(rig)
    reporter = await officer(rig)
    number = await submit(reporter, await walk_to_summary(reporter, photo=png(2)))
    await assign(boss, number, "李师傅", named="typed")
    card = await reporter.expect("【请代为转告整改】")
    await reporter.press("代为提交整改", message=card)
    await reporter.expect("请发送整改后的照片")
    await reporter.send_album([png(300 + i) for i in range(limits.MAX_PHOTOS)])
    await reporter.expect(f"已收到 {limits.MAX_PHOTOS} 张整改后照片")
    await reporter.send_photo(png(400))
    refused = await reporter.next_message()
    assert refused.text == texts.photos_received(limits.MAX_PHOTOS, 1, after=True, has_description=False)
    await reporter.press("下一步", message=refused)
    await reporter.expect("请简要说明整改情况")
    await reporter.send("已清理")
    await reporter.expect(f"#{number}")
    assert await rig.rows("SELECT COUNT(*) FROM hazard_photos WHERE stage = 'after'") == [(limits.MAX_PHOTOS,)]


async def type_at_the_edge(user: SimUser, limit: int, next_prompt: str) -> str:
    """Type one character too many (refused, nothing lost), then exactly the limit (kept); the text kept."""
    await user.send("长" * (limit + 1))
    assert (await user.next_message()).text == texts.text_too_long(limit, limit + 1)
    await user.send("长" * limit)
    await user.expect(next_prompt)
    return "长" * limit


async def test_description_of_1000_characters_is_kept_1001_refused(rig: Rig) -> None:
    user = await officer(rig)
    await user.send_photo(png(1))
    await user.press("下一步", message=await user.expect("已收到 1 张照片"))
    await user.expect("请简要描述")
    typed = await type_at_the_edge(user, limits.MAX_DESCRIPTION, "请选择隐患类别")
    draft = await rig.draft_of(user)
    assert draft is not None and draft.description == typed


async def test_voice_of_300_seconds_is_kept_301_refused(rig: Rig) -> None:
    user = await officer(rig)
    await user.send_photo(png(1))
    await user.press("下一步", message=await user.expect("已收到 1 张照片"))
    await user.expect("请简要描述")
    await user.send_voice(b"OggS one second too long", duration=limits.MAX_VOICE_SECONDS + 1)
    refusal = await user.next_message()
    assert refusal.text == texts.voice_too_long(limits.MAX_VOICE_SECONDS + 1, limits.MAX_VOICE_SECONDS)
    draft = await rig.draft_of(user)
    assert draft is not None and draft.voice is None
    await user.send_voice(b"OggS five minutes", duration=limits.MAX_VOICE_SECONDS)
    await user.expect("请选择隐患类别")
    draft = await rig.draft_of(user)
    assert draft is not None and draft.voice is not None and draft.voice.seconds == limits.MAX_VOICE_SECONDS


async def test_place_of_60_characters_is_kept_61_refused(rig: Rig) -> None:
    user = await officer(rig)
    await at_place_step(user)
    await user.expect("场所")
    typed = await type_at_the_edge(user, limits.MAX_PLACE, "发送当前位置")
    draft = await rig.draft_of(user)
    assert draft is not None and draft.place == typed


async def test_a_20_mb_image_is_kept_one_byte_more_is_refused_unread(rig: Rig) -> None:
    user = await officer(rig)
    image = png(5)
    largest = image + b"\0" * (limits.MAX_DOWNLOAD_BYTES - len(image))
    await user.send_document(largest + b"\0", file_name="大.png", mime_type="image/png")
    refused = await user.next_message()
    assert "20" in refused.body and "MB" in refused.body, refused.body
    assert rig.server.calls_to("getFile") == []
    await user.send_document(largest, file_name="正好.png", mime_type="image/png")
    await user.expect("已收到 1 张照片")
    draft = await rig.draft_of(user)
    assert draft is not None and len(draft.photos) == 1


async def test_only_jpeg_and_png_files_are_taken(rig: Rig) -> None:
    assert limits.IMAGE_MIME_TYPES == ("image/jpeg", "image/png")
    user = await officer(rig)
    await user.send_document(png(6), file_name="现场.png", mime_type="image/png")
    await user.expect("已收到 1 张照片")
    gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00"
    await user.send_document(gif, file_name="动图.gif", mime_type="image/gif")
    assert (await user.next_message()).text == texts.PHOTO_NOT_IMAGE_FILE
    await user.send_document(b"%PDF-1.4 not a photo", file_name="伪装.jpg", mime_type="image/jpeg")
    assert "JPG" in (await user.next_message()).body
    draft = await rig.draft_of(user)
    assert draft is not None and len(draft.photos) == 1


async def test_six_places_of_the_village_are_offered(rig: Rig) -> None:
    user = await officer(rig)
    reporter = await rig.services.access.actor(user.id)
    assert reporter is not None
    places = [f"场所{i}" for i in range(limits.PLACE_SUGGESTIONS + 1)]
    for place in places:  # earlier reports of the village, each at another place
        await report(rig.services, reporter, place=place)
    await at_place_step(user)
    prompt = await user.expect("场所")
    offered = [button for button in prompt.buttons if button.startswith("场所")]
    assert len(offered) == limits.PLACE_SUGGESTIONS and set(offered) < set(places)


async def test_reason_of_500_characters_is_kept_501_refused(rig: Rig) -> None:
    boss = await supervisor(rig)
    reporter = await officer(rig)
    number = await submit(reporter, await walk_to_summary(reporter, photo=png(7)))
    await boss.press("不属实", message=await boss.expect(f"#{number}"))
    await boss.expect("请说明不属实的原因")
    typed = await type_at_the_edge(boss, limits.MAX_REASON, "不属实")
    assert await rig.rows("SELECT closure FROM hazards WHERE id = ?", (number,)) == [("invalid",)]
    notes = await rig.rows("SELECT note FROM hazard_events WHERE hazard_id = ? AND kind = 'invalid'", (number,))
    assert notes == [(typed,)]


async def deadline_prompt(rig: Rig) -> tuple[SimUser, int, BotMessage]:
    boss = await supervisor(rig)
    reporter = await officer(rig)
    number = await submit(reporter, await walk_to_summary(reporter, photo=png(9)))
    await boss.press("交办", message=await boss.expect(f"#{number}"))
    await boss.send("李师傅")
    return boss, number, await boss.expect("请选择整改期限")


async def test_deadline_365_days_ahead_is_kept_366_refused(rig: Rig) -> None:
    boss, number, _ = await deadline_prompt(rig)
    today = START.date()  # 10:00 in Shanghai is still the same date in UTC
    too_far = today + timedelta(days=limits.MAX_DEADLINE_DAYS + 1)
    await boss.send(too_far.isoformat())
    assert (await boss.next_message()).text == texts.DEADLINE_TOO_FAR
    furthest = today + timedelta(days=limits.MAX_DEADLINE_DAYS)
    await boss.send(furthest.isoformat())
    await boss.press(texts.BUTTON_CONFIRM_DEADLINE, message=await boss.expect("期限：2027年11月23日（周二）"))
    await boss.expect(f"期限 {furthest.isoformat()}")
    assert await rig.rows("SELECT deadline FROM hazards WHERE id = ?", (number,)) == [(furthest.isoformat(),)]


async def test_deadline_buttons_are_the_configured_choices(rig: Rig) -> None:
    _, _, prompt = await deadline_prompt(rig)
    offered = [int(match.group(1)) for button in prompt.buttons if (match := re.match(r"(\d+)天", button))]
    assert offered == list(limits.DEADLINE_CHOICES)  # the default (7 days for a general hazard) is one of them


async def test_at_most_eight_owners_are_offered(rig: Rig) -> None:
    for i in range(limits.MAX_OWNER_OPTIONS + 2):
        await rig.invite(Role.OWNER, village="新龙村", name=f"店主{i}")
    boss = await supervisor(rig)
    reporter = await officer(rig)
    number = await submit(reporter, await walk_to_summary(reporter, photo=png(10)))
    await boss.press("交办", message=await boss.expect(f"#{number}"))
    prompt = await boss.expect("请选择责任人")
    owners = [b for b in prompt.buttons if b.startswith("店主")]
    assert len(owners) == limits.MAX_OWNER_OPTIONS
    assert "新责任人" in prompt.buttons  # anyone else can still be named


async def test_check_of_10000_places_is_kept_10001_refused(rig: Rig) -> None:
    user = await officer(rig)
    await user.send(f"排查 {limits.MAX_PLACES_CHECKED + 1} 查了全村")
    assert (await user.next_message()).text == texts.CHECK_BAD_NUMBER
    assert await rig.rows("SELECT COUNT(*) FROM checks") == [(0,)]
    await user.send(f"排查 {limits.MAX_PLACES_CHECKED} 查了全村")
    await user.expect(str(limits.MAX_PLACES_CHECKED))
    assert await rig.rows("SELECT places_checked FROM checks") == [(limits.MAX_PLACES_CHECKED,)]


# ---- names and roster files (issue 13.6, 13.7) ----

ROSTER_HEADER = "town,village,name,role,phone,note\n"


def _roster_file(folder: Path, body: str, name: str = "roster.csv") -> Path:
    path = folder / name
    path.write_text(ROSTER_HEADER + body, encoding="utf-8")
    return path


def _validated(path: Path) -> list[str] | str:
    try:
        return [e.name for e in validate(read_roster(path))]
    except RosterInvalid as exc:
        return "; ".join(texts.row_problem(problem) for problem in exc.problems)
    except RosterFileError as exc:
        return str(exc)


def test_roster_name_of_30_characters_is_kept_31_refused(tmp_path: Path) -> None:
    kept = "王" * limits.MAX_NAME
    assert _validated(_roster_file(tmp_path, f"青龙镇,新龙村,{kept}\u200b,officer,,\n")) == [kept]
    too_long = _validated(_roster_file(tmp_path, f"青龙镇,新龙村,{kept}伟,officer,,\n"))
    assert too_long == texts.row_problem(RowProblem(1, RowFault.NAME_TOO_LONG, limit=limits.MAX_NAME))


def test_roster_place_of_40_characters_is_kept_41_refused(tmp_path: Path) -> None:
    village = "村" * limits.MAX_PLACE_NAME
    assert _validated(_roster_file(tmp_path, f"青龙镇,{village},王伟,officer,,\n")) == ["王伟"]
    refused = _validated(_roster_file(tmp_path, f"青龙镇,{village}村,王伟,officer,,\n"))
    assert refused == texts.row_problem(RowProblem(1, RowFault.PLACE_TOO_LONG, limit=limits.MAX_PLACE_NAME))


def test_roster_file_at_the_size_limit_is_read_one_byte_more_refused(tmp_path: Path) -> None:
    row = "青龙镇,新龙村,王伟,officer,,"
    padding = limits.MAX_ROSTER_FILE_BYTES - len((ROSTER_HEADER + row + "\n").encode())
    rows = [f"{row}{'x' * 100_000}" for _ in range(padding // 100_000)]
    rows.append(row + "x" * (padding - 100_000 * len(rows) - len(rows) * (len(row.encode()) + 1)))
    path = _roster_file(tmp_path, "\n".join(rows) + "\n")
    assert path.stat().st_size == limits.MAX_ROSTER_FILE_BYTES
    assert len(read_roster(path)) == len(rows)
    with path.open("a", encoding="utf-8") as f:
        f.write("x")
    assert _validated(path) == texts.roster_file_too_large("5 MB")


def test_xlsx_unpacking_to_the_limit_is_read_one_byte_more_refused(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["town", "village", "name", "role"])
    sheet.append(["青龙镇", "新龙村", "王伟", "officer"])
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    with zipfile.ZipFile(plain) as archive:
        members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    used = sum(len(data) for _, data in members)

    def bomb(extra: int) -> Path:
        # A small zip bomb: megabytes of zeros that deflate to a few kilobytes, in a member Excel would ignore.
        path = tmp_path / f"bomb{extra}.xlsx"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in members:
                archive.writestr(name, data)
            archive.writestr("xl/padding.bin", bytes(limits.MAX_ROSTER_UNCOMPRESSED_BYTES - used + extra))
        return path

    at_limit = bomb(0)
    assert at_limit.stat().st_size < 200_000
    assert _validated(at_limit) == ["王伟"]
    assert _validated(bomb(1)) == texts.roster_unpacked_too_large("50 MB")


def test_roster_of_20000_rows_is_read_20001_refused(tmp_path: Path) -> None:
    blank = ",,,,,\n" * (limits.MAX_ROSTER_ROWS - 2)
    path = _roster_file(tmp_path, "青龙镇,新龙村,王伟,officer,,\n" + blank)
    assert _validated(path) == ["王伟"]
    path = _roster_file(tmp_path, "青龙镇,新龙村,王伟,officer,,\n" + blank + ",,,,,\n")
    assert _validated(path) == texts.roster_too_many_rows(limits.MAX_ROSTER_ROWS)


# ---- places files (issue 18): the roster's reader with the places' limits ----

PLACES_HEADER = "town,village,name,type,address,note\n"
PLACE_ROW = "T,V,shop 1,shop,,"
VILLAGES = {("T", "V"): (1, 1)}


def _places_file(folder: Path, body: str, name: str = "places.csv") -> Path:
    path = folder / name
    path.write_text(PLACES_HEADER + body, encoding="utf-8")
    return path


def _places(path: Path) -> list[str] | str:
    try:
        return [e.name for e in validate_places(read_places(path), ["shop"], VILLAGES)]
    except PlacesInvalid as exc:
        return "; ".join(texts.place_problem(problem) for problem in exc.problems)
    except TableFileError as exc:
        return str(exc)


def test_place_address_of_100_characters_is_kept_101_refused(tmp_path: Path) -> None:
    address = "路" * limits.MAX_ADDRESS
    assert _places(_places_file(tmp_path, f"T,V,shop 1,shop,{address}\u200b,\n")) == ["shop 1"]
    refused = _places(_places_file(tmp_path, f"T,V,shop 1,shop,{address}号,\n"))
    assert refused == texts.place_problem(PlaceProblem(2, PlaceFault.ADDRESS_TOO_LONG, limit=limits.MAX_ADDRESS))


def test_places_file_at_the_size_limit_is_read_one_byte_more_refused(tmp_path: Path) -> None:
    # ASCII only, so the decoded text takes a byte a character; each padding row is a place with a long note.
    path = _places_file(tmp_path, PLACE_ROW + "\n")
    padding = limits.MAX_PLACES_FILE_BYTES - path.stat().st_size
    width = len("T,V,s00000,shop,,\n") + 100_000
    lines, rest = divmod(padding, width)
    with path.open("a", encoding="utf-8") as f:
        for number in range(lines):
            f.write(f"T,V,s{number:05d},shop,,{'x' * 100_000}\n")
        f.write("," * (rest - 1) + "\n")
    assert path.stat().st_size == limits.MAX_PLACES_FILE_BYTES
    assert len(_places(path)) == lines + 1
    with path.open("a", encoding="utf-8") as f:
        f.write("x")
    assert _places(path) == texts.places_file_too_large("128 MB")


def test_places_xlsx_unpacking_to_the_limit_is_read_one_byte_more_refused(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["town", "village", "name", "type"])
    sheet.append(["T", "V", "shop 1", "shop"])
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    with zipfile.ZipFile(plain) as archive:
        members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    used = sum(len(data) for _, data in members)
    chunk = bytes(16 * 1024 * 1024)

    def bomb(extra: int) -> Path:
        path = tmp_path / f"bomb{extra}.xlsx"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for name, data in members:
                archive.writestr(name, data)
            left = limits.MAX_PLACES_UNCOMPRESSED_BYTES - used + extra
            with archive.open("xl/padding.bin", "w", force_zip64=True) as padding:
                while left:
                    left -= padding.write(chunk[: min(left, len(chunk))])
        return path

    at_limit = bomb(0)
    assert at_limit.stat().st_size < limits.MAX_PLACES_FILE_BYTES
    assert _places(at_limit) == ["shop 1"]
    assert _places(bomb(1)) == texts.places_unpacked_too_large("1024 MB")


def test_places_file_of_1048576_rows_is_read_one_more_refused(tmp_path: Path) -> None:
    blank = ",,,,,\n" * (limits.MAX_PLACES_ROWS - 2)
    path = _places_file(tmp_path, PLACE_ROW + "\n" + blank)
    assert _places(path) == ["shop 1"]
    path = _places_file(tmp_path, PLACE_ROW + "\n" + blank + ",,,,,\n")
    assert _places(path) == texts.places_too_many_rows(limits.MAX_PLACES_ROWS)


async def test_invite_name_of_30_characters_is_kept_31_refused_and_cleaned(rig: Rig) -> None:
    admin = await rig.join(Role.ADMIN, name="杜浩")
    kept = "张" * limits.MAX_NAME
    await admin.send(f"邀请 责任人 新龙村 {kept}")
    await admin.expect(f"已为 {kept}（青龙镇新龙村 · 责任人）")
    await admin.send(f"邀请 责任人 新龙村 {kept}张")
    assert (await admin.next_message()).text == texts.name_too_long(limits.MAX_NAME)
    # "肖浩" with a zero-width space looks exactly like the peer 肖浩: it is him, not a lookalike.
    await admin.send("邀请 安监员 青龙镇 肖浩\u200b")
    await admin.expect("已为 肖浩（青龙镇 · 镇安监员）")
    assert await rig.rows("SELECT COUNT(*) FROM people WHERE name LIKE '肖浩%'") == [(1,)]
    assert await rig.rows("SELECT COUNT(*) FROM people WHERE length(name) > ?", (limits.MAX_NAME,)) == [(0,)]


async def test_cli_invite_name_of_31_characters_is_refused(rig: Rig, tmp_path: Path) -> None:
    config = tmp_path / "cli.toml"
    telegram = rig.settings.telegram
    config.write_text(
        f'[storage]\ndatabase = "{rig.settings.storage.database}"\nmedia_dir = "{rig.settings.storage.media_dir}"\n'
        f'[telegram]\ntoken = "{telegram.token.get_secret_value()}"\nbase_url = "{telegram.base_url}"\n'
        f'base_file_url = "{telegram.base_file_url}"\n',
        encoding="utf-8",
    )
    argv = ["-c", str(config), "invite", "--role", "owner", "--village", "新龙村", "--name"]
    assert await asyncio.to_thread(main, [*argv, "李" * limits.MAX_NAME + "\u200b"]) == 0
    assert await asyncio.to_thread(main, [*argv, "李" * (limits.MAX_NAME + 1)]) == 2
    assert await rig.rows("SELECT name FROM people WHERE name LIKE '李李%'") == [("李" * limits.MAX_NAME,)]


async def test_owner_name_typed_at_assignment_is_cleaned_and_limited(rig: Rig) -> None:
    boss = await supervisor(rig)
    reporter = await officer(rig)
    number = await submit(reporter, await walk_to_summary(reporter, photo=png(11)))
    await boss.press("交办", message=await boss.expect(f"#{number}"))
    await boss.press("新责任人", message=await boss.expect("请选择责任人"))
    await boss.expect("责任人")
    await boss.send("赵" * (limits.MAX_NAME + 1))
    await boss.expect(str(limits.MAX_NAME))
    await boss.send("赵" * limits.MAX_NAME + "\u200b\x07")
    # The typed owner joins the roster when the move completes (issue 14: /取消 before that leaves nobody behind).
    await boss.press("7天", message=await boss.expect("期限"))
    await boss.expect("交办给")
    assert await rig.rows("SELECT name FROM people WHERE role = 'owner'") == [("赵" * limits.MAX_NAME,)]


async def test_twenty_messages_at_once_are_all_answered_twenty_one_are_a_flood(rig: Rig) -> None:
    patient, flooder = rig.stranger("甲"), rig.stranger("乙")
    for n in range(limits.CHAT_FLOOD_BACKLOG):
        patient.deliver(patient.text_message(f"消息 {n}"))
    for n in range(limits.CHAT_FLOOD_BACKLOG + 1):
        flooder.deliver(flooder.text_message(f"消息 {n}"))
    await patient.wait_until(lambda: len(patient.inbox) == limits.CHAT_FLOOD_BACKLOG, timeout=10)
    await flooder.wait_until(lambda: any(m.text == texts.FLOOD_REFUSED for m in flooder.inbox), timeout=10)
    assert {m.text for m in patient.inbox} == {texts.UNBOUND}
    served = [m.text for m in flooder.inbox if m.text == texts.UNBOUND]
    assert len(served) < limits.CHAT_FLOOD_BACKLOG  # the updates waiting when the flood began were refused


def test_a_backlog_of_20_starts_a_flood_19_does_not() -> None:
    watch = FloodWatch()
    watch.arrive(1, limits.CHAT_FLOOD_BACKLOG - 1, START)
    assert watch.screen(1) is Screening.PASS
    watch.arrive(1, limits.CHAT_FLOOD_BACKLOG, START)
    assert watch.screen(1) is Screening.REFUSE_WITH_NOTICE
    assert watch.screen(1) is Screening.REFUSE  # told once per flood
    assert watch.screen(2) is Screening.PASS  # other chats are not affected


def test_a_chat_holds_50_updates_the_51st_is_dropped() -> None:
    watch = FloodWatch()
    assert watch.arrive(1, limits.MAX_CHAT_BACKLOG - 1, START) is Arrival.QUEUE
    assert watch.arrive(1, limits.MAX_CHAT_BACKLOG, START) is Arrival.DROP


def test_a_flood_ends_after_30_quiet_seconds_not_before() -> None:
    watch = FloodWatch()
    watch.arrive(1, limits.CHAT_FLOOD_BACKLOG, START)
    quiet = timedelta(seconds=limits.FLOOD_QUIET_SECONDS)
    last = START + quiet - timedelta(milliseconds=1)
    watch.arrive(1, 0, last)  # 29.999 s: still flooding, and the quiet starts again from here
    assert watch.screen(1) is Screening.REFUSE_WITH_NOTICE
    watch.arrive(1, 0, last + quiet)  # 30 s after the last update: the flood is over
    assert watch.screen(1) is Screening.PASS


async def _clone_hazard(services: Services, hazard_id: int, copies: int) -> None:
    """`copies` more hazards like this one, with its photos (made in SQL: a thousand reports would take minutes)."""
    columns = [row[1] for row in await services.db.fetch_all("PRAGMA table_info(hazards)") if row[1] != "id"]
    photo_columns = [row[1] for row in await services.db.fetch_all("PRAGMA table_info(hazard_photos)")]
    photo_columns = [c for c in photo_columns if c not in ("id", "hazard_id")]
    async with services.db.transaction() as tx:
        for _ in range(copies):
            cursor = await tx.execute(
                f"INSERT INTO hazards ({', '.join(columns)}) SELECT {', '.join(columns)} FROM hazards WHERE id = ?",
                (hazard_id,),
            )
            await tx.execute(
                f"INSERT INTO hazard_photos (hazard_id, {', '.join(photo_columns)})"
                f" SELECT ?, {', '.join(photo_columns)} FROM hazard_photos WHERE hazard_id = ?",
                (cursor.lastrowid, hazard_id),
            )


async def test_a_ledger_of_1000_hazards_has_thumbnails_1001_has_none(
    services: Services, clock: FakeClock, tmp_path: Path
) -> None:
    cast = await Cast.assemble(services)
    clock.set(datetime(2026, 11, 3, 10, tzinfo=ZoneInfo("Asia/Shanghai")))
    first = await report(services, cast.officer)
    await _clone_hazard(services, first.id, limits.MAX_LEDGER_THUMBNAIL_ROWS)
    month = services.statistics.period(["2026-11"], weeks=False)
    over = await services.ledger.write_xlsx(None, month, tmp_path / "over.xlsx")
    assert (over.hazards, over.thumbnails) == (limits.MAX_LEDGER_THUMBNAIL_ROWS + 1, False)
    assert load_workbook(over.path)[texts.SHEET_HAZARDS]._images == []
    async with services.db.transaction() as tx:
        await tx.execute("DELETE FROM hazard_photos WHERE hazard_id = (SELECT MAX(id) FROM hazards)")
        await tx.execute("DELETE FROM hazards WHERE id = (SELECT MAX(id) FROM hazards)")
    edge = await services.ledger.write_xlsx(None, month, tmp_path / "edge.xlsx")
    assert (edge.hazards, edge.thumbnails) == (limits.MAX_LEDGER_THUMBNAIL_ROWS, True)
    assert len(load_workbook(edge.path)[texts.SHEET_HAZARDS]._images) == limits.MAX_LEDGER_THUMBNAIL_ROWS


async def test_photo_archive_of_50_mb_holds_every_photo_one_byte_more_leaves_one_out(
    services: Services, clock: FakeClock, tmp_path: Path
) -> None:
    cast = await Cast.assemble(services)
    clock.set(datetime(2026, 11, 3, 10, tzinfo=ZoneInfo("Asia/Shanghai")))
    first = await report(services, cast.officer)
    second = await report(services, cast.officer)
    month = services.statistics.period(["2026-11"], weeks=False)
    written = await services.ledger.write_xlsx(None, month, tmp_path / "ledger.xlsx")
    (sha, extension), *_ = await services.db.fetch_all(
        "SELECT sha256, extension FROM hazard_photos WHERE hazard_id = ?", (first.id,)
    )
    # The second photo is padded so that the archive's bound is met exactly, then passed by one byte.
    names = [texts.photo_file_name(h.id, "before", 1, extension) for h in (first, second)]
    overhead = sum(ledger.ZIP_ENTRY_OVERHEAD + 2 * len(name.encode()) for name in names)
    kept = services.media.path(sha, extension).stat().st_size
    padded = services.media.path("f" * 64, extension)
    padded.parent.mkdir(parents=True, exist_ok=True)
    for extra, (photos, left_out) in ((0, (2, 0)), (1, (1, 1))):
        padded.write_bytes(bytes(limits.MAX_CHAT_PHOTO_ARCHIVE_BYTES - overhead - kept + extra))
        async with services.db.transaction() as tx:
            await tx.execute("UPDATE hazard_photos SET sha256 = ? WHERE hazard_id = ?", ("f" * 64, second.id))
        archive = await services.ledger.write_photos(None, written, limits.MAX_CHAT_PHOTO_ARCHIVE_BYTES)
        assert (archive.photos, archive.left_out, archive.missing) == (photos, left_out, 0)
        assert archive.path.stat().st_size <= limits.MAX_CHAT_PHOTO_ARCHIVE_BYTES
        with zipfile.ZipFile(archive.path) as opened:
            assert len(opened.namelist()) == photos
    assert texts.photos_caption(None, month, 1, 1, 0).endswith(
        "另有 1 张未打包；完整的照片包请管理员用 gridsafe export 导出。"
    )
