"""The sandbox page in a real browser (Debian's Chromium driven by Playwright): the whole loop, as a visitor plays it.

Screenshots of every step land in tests/artifacts/sandbox/ (git-ignored). With GRIDSAFE_UPDATE_SCREENSHOT=1 the
README's docs/sandbox.png is made again from this run.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.rig import ROOT, png
from tests.sandboxsite import person_named, running_sandbox

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts" / "sandbox"
README_SHOT = ROOT / "docs" / "sandbox.png"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

try:
    from playwright.async_api import Browser, Locator, Page, async_playwright, expect
except ImportError:  # a plain install without the dev extras
    async_playwright = None  # type: ignore[assignment]

# .ci/run installs Chromium and sets REQUIRE_BROWSER_TEST=1, so in CI a missing browser fails the run.
_missing = async_playwright is None or not CHROMIUM.exists()
pytestmark = pytest.mark.skipif(
    _missing and os.environ.get("REQUIRE_BROWSER_TEST") != "1",
    reason="needs playwright (dev extras) and Debian's chromium (apt-get install chromium)",
)


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    assert async_playwright is not None
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


class Story:
    """Numbered screenshots of each step of the story."""

    def __init__(self) -> None:
        shutil.rmtree(ARTIFACTS, ignore_errors=True)
        ARTIFACTS.mkdir(parents=True)
        self.step = 0

    async def shot(self, page: Page, name: str) -> Path:
        self.step += 1
        path = ARTIFACTS / f"{self.step:02d}-{name}.png"
        await page.screenshot(path=str(path))
        return path


def bubble(page: Page, text: str) -> Locator:
    """The latest chat bubble containing text."""
    return page.locator("#messages .msg", has_text=text).last


async def press(page: Page, message: str, button: str) -> None:
    """Press an inline button (its label starts with button) on the latest bubble containing message."""
    target = bubble(page, message).locator("button.inline").filter(has_text=re.compile("^" + re.escape(button)))
    await target.first.click()


async def say(page: Page, text: str) -> None:
    """Type a message and press Enter."""
    await page.locator("#input").fill(text)
    await page.locator("#input").press("Enter")


async def open_person(page: Page, url: str, name: str) -> None:
    """Find a person with the search box and open their chat; wait until they are bound."""
    await page.goto(url)
    await page.locator("#search").fill(name)
    await page.locator(".person:not([hidden])", has_text=name).first.click()
    await expect(page.locator("#chat-name")).to_have_text(name)


@pytest.mark.timeout(300)
async def test_visitor_plays_the_whole_loop_in_the_browser(tmp_path: Path, browser: Browser) -> None:
    expect.set_options(timeout=60_000)  # a bound on waiting for the page, not a speed test: CI may be busy
    story = Story()
    photos = [tmp_path / f"before-{n}.png" for n in (1, 2)]
    for n, path in enumerate(photos):
        path.write_bytes(png(n + 3, size=48))
    after = tmp_path / "after.png"
    after.write_bytes(png(9, size=48))

    async with running_sandbox(tmp_path) as site:
        context = await browser.new_context(
            viewport={"width": 1280, "height": 820}, accept_downloads=True, locale="zh-CN", timezone_id="Asia/Shanghai"
        )
        boss = await context.new_page()  # the town's supervisor, bound first so new hazards reach him
        await open_person(boss, site.url, "肖浩")
        await expect(bubble(boss, "绑定成功")).to_be_visible()
        await expect(boss.locator("#menu button[data-command='export']")).to_have_count(1)

        officer = await context.new_page()
        await open_person(officer, site.url, "曾英海")
        await expect(bubble(officer, "绑定成功")).to_be_visible()
        await story.shot(officer, "officer-bound")

        # The officer reports with two photos chosen in the file input, then goes through the buttons.
        await officer.locator("#photo-input").set_input_files([str(p) for p in photos])
        await expect(bubble(officer, "已收到 2 张照片")).to_be_visible()
        await expect(officer.locator("#messages .msg.from-me .thumb")).to_have_count(2)
        await press(officer, "已收到 2 张照片", "下一步")
        await expect(bubble(officer, "请简要描述")).to_be_visible()
        await say(officer, "超市后门消防通道堆放纸箱\n晚上无人值守")
        await press(officer, "请选择隐患类别", "消防")
        await press(officer, "请选择隐患等级", "一般隐患")
        await expect(bubble(officer, "场所")).to_be_visible()
        await say(officer, "幸福超市")
        await expect(officer.locator("#keyboard button[data-location='true']")).to_be_visible()
        await officer.locator("#keyboard button[data-location='true']").click()
        await officer.locator("#samples button.sample").nth(1).click()
        await officer.locator("#location-send").click()
        await expect(bubble(officer, "位置已记录")).to_be_visible()
        await expect(officer.locator("#messages .msg.from-me .location")).to_have_count(1)
        await press(officer, "请核对隐患信息", "提交")
        registered = bubble(officer, "已登记")
        await expect(registered).to_be_visible()
        first = int(re.search(r"#(\d+)", await registered.inner_text()).group(1))  # type: ignore[union-attr]
        await story.shot(officer, "officer-reported")

        # The supervisor (the other tab, updated live) assigns it to a new owner.
        await boss.bring_to_front()
        await expect(bubble(boss, f"#{first}")).to_be_visible()
        await press(boss, f"#{first}", "交办")
        await press(boss, "请选择责任人", "新责任人")
        await expect(bubble(boss, "请输入责任人姓名")).to_be_visible()
        await say(boss, "王五金 13800001111")
        await press(boss, "请选择整改期限", "7天")
        await expect(bubble(boss, f"已将隐患 #{first} 交办给 王五金")).to_be_visible()
        await story.shot(boss, "supervisor-assigned")

        # The new owner appears in the roster; opening them binds them. The command menu is the owner's, and
        # /mine then /hazard N bring the hazard with its 提交整改 button.
        owner = await context.new_page()
        await open_person(owner, site.url, "王五金")
        await expect(bubble(owner, "绑定成功")).to_be_visible()
        await owner.locator("#menu-button").click()
        await expect(owner.locator("#menu button[data-command='export']")).to_have_count(0)
        await owner.locator("#menu button[data-command='mine']").click()
        await expect(bubble(owner, f"#{first} 幸福超市")).to_be_visible()
        await say(owner, f"/hazard {first}")
        card = owner.locator("#messages .msg").filter(has=owner.locator("button.inline", has_text="提交整改")).last
        await card.locator("button.inline", has_text="提交整改").click()
        await expect(bubble(owner, "请发送整改后的照片")).to_be_visible()
        await owner.locator("#photo-input").set_input_files(str(after))
        await press(owner, "已收到 1 张整改后照片", "下一步")
        await expect(bubble(owner, "请简要说明整改情况")).to_be_visible()
        await say(owner, "纸箱已清走，通道畅通")
        await expect(bubble(owner, "整改已提交")).to_be_visible()
        await story.shot(owner, "owner-rectified")

        # The supervisor verifies: the before and after photos come as an album, then the review card.
        await boss.bring_to_front()
        await expect(bubble(boss, "【整改待复核】")).to_be_visible()
        album = boss.locator("#messages .msg.from-bot:has(.photos)").last
        await expect(album.locator(".thumb")).to_have_count(3)  # two before, one after
        await press(boss, "【整改待复核】", "复核通过")
        await expect(bubble(boss, f"隐患 #{first} 复核通过，已销号")).to_be_visible()
        await boss.locator("#search").fill("青龙镇")
        readme_shot = await story.shot(boss, "supervisor-verified")
        await album.locator(".thumb").last.click()
        await expect(boss.locator("#lightbox")).to_be_visible()
        await story.shot(boss, "photo-enlarged")
        await boss.locator("#lightbox").click()

        # A second hazard with a 3-day term; the clock moves past its deadline and the yellow card arrives.
        await officer.bring_to_front()
        await officer.locator("#photo-input").set_input_files(str(photos[0]))
        await press(officer, "已收到 1 张照片", "下一步")
        await say(officer, "配电箱门损坏，线路裸露")
        await press(officer, "请选择隐患类别", "用电用气")
        await press(officer, "请选择隐患等级", "一般隐患")
        await expect(bubble(officer, "场所")).to_be_visible()
        await say(officer, "村委会配电房")
        await officer.locator("#keyboard button", has_text="跳过").click()
        await press(officer, "请核对隐患信息", "提交")
        await expect(officer.locator("#messages .msg", has_text="已登记")).to_have_count(2)
        second = first + 1
        await boss.bring_to_front()
        await press(boss, f"#{second}", "交办")
        # Each question waited for as its own bubble: the first hazard's question still shows its buttons, and a
        # click on them (before the new one arrives, on a busy machine) would be a stale press.
        await expect(boss.locator("#messages .msg", has_text="请选择责任人")).to_have_count(2)
        await press(boss, "请选择责任人", "王五金")
        await expect(boss.locator("#messages .msg", has_text="请选择整改期限")).to_have_count(2)
        await press(boss, "请选择整改期限", "3天")
        await expect(bubble(boss, f"已将隐患 #{second} 交办给 王五金")).to_be_visible()

        await boss.locator("button[data-preset='plus_7d']").click()
        await expect(bubble(boss, "【黄牌·已逾期】")).to_be_visible()
        await expect(bubble(boss, "【黄牌·已逾期】")).to_contain_text(f"#{second}")
        await expect(boss.locator("#clock-now")).to_contain_text("2026-11-30")
        await story.shot(boss, "yellow-card")

        # Moving the clock back is refused, and the clock stays where it is.
        await boss.locator("#clock-at").fill("2026-11-24T09:00")
        await boss.locator("#clock-jump").click()
        await expect(boss.locator(".toast.error")).to_contain_text("时钟只能向前拨")
        await expect(boss.locator("#clock-now")).to_contain_text("2026-11-30")

        # The supervisor exports the ledger, which downloads from the chat as an .xlsx, its photos as a zip after it.
        await say(boss, "/export")
        await expect(boss.locator("#messages a.document", has_text="_照片.zip").last).to_be_visible()
        document = boss.locator("#messages a.document", has_text=".xlsx").last
        await expect(document).to_contain_text(".xlsx")
        async with boss.expect_download() as download_info:
            await document.click()
        download = await download_info.value
        ledger = tmp_path / "ledger.xlsx"
        await download.save_as(str(ledger))
        await story.shot(boss, "ledger-exported")
        await context.close()

        rows = await site.world.services.db.fetch_all("SELECT id, status, closure FROM hazards ORDER BY id")
        assert [tuple(r) for r in rows] == [(first, "closed", "verified"), (second, "assigned", None)]
        boss_person = await person_named(site, "肖浩")
        assert boss_person.role.value == "supervisor"

    from openpyxl import load_workbook

    workbook = load_workbook(ledger, read_only=True)
    cells = [str(c) for row in workbook.worksheets[0].iter_rows(values_only=True) for c in row if c is not None]
    workbook.close()
    assert any("幸福超市" in c for c in cells) and any("村委会配电房" in c for c in cells)
    assert any("王五金" in c for c in cells)
    if os.environ.get("GRIDSAFE_UPDATE_SCREENSHOT"):
        README_SHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(readme_shot, README_SHOT)
