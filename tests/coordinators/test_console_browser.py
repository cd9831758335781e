"""The console's registrations, announcements and evidence in headless Chromium, each step in
the browser, against the service with Telegram faked at HTTP level (this folder's hand-counted
province, coordinator CA of Xã An Bình):

- an official registers in the Telegram chat, the coordinator confirms it in the console, and
  the official's chat gets the message;
- the coordinator composes an announcement (live count, phone preview), sends it, and watches
  the delivery report count it as the dispatcher delivers;
- an official sends a certificate photo in the chat, it appears in the queue, and confirming it
  updates the official's standards status.

Screenshots at 1280 and 390 px wide go to test-artifacts/. Uses Debian's chromium through
Playwright, skipped (saying why) where there is none; never ``playwright install``.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import App
from rules.scales import PoliticalTheory
from storage import console
from storage.models import Official
from storage.types import utcnow
from tests.coordinators.conftest import CHATS, dispatch, soon
from tests.coordinators.test_evidence import JPEG
from tests.coordinators.test_registrations import register_in_chat
from tests.telegram.chat import Chat

playwright = pytest.importorskip("playwright.async_api")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
DESK = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no chromium: apt-get install chromium"),
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),  # one browser run
]


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    """The browser; a test fails on any script error or refusal (CSP included) its pages log."""
    async with playwright.async_playwright() as driver:
        launched = await driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        launched.errors = []
        yield launched
        await launched.close()
        assert launched.errors == []


async def signed_in(browser: Any, app: App, session: Any, code: str = "CA") -> Any:
    """A page of ``code``'s console session, opened by a sign-in link as a coordinator does."""
    official = await session.scalar(select(Official).where(Official.code == code))
    token = await console.issue_sign_in(session, official, "test", utcnow())
    await session.commit()
    context = await browser.new_context(viewport=DESK, locale="vi-VN")
    page = await context.new_page()
    page.on("pageerror", lambda error: browser.errors.append(str(error)))
    page.on("console", lambda message: _logged(browser.errors, message))
    await page.goto(console.sign_in_url(f"http://127.0.0.1:{app.http.port}", token))
    await page.click("#sign-in")
    await playwright.expect(page.locator(".brand")).to_be_visible()
    return page


def _logged(errors: list[str], message: Any) -> None:
    """An error the page logged; the browser's own favicon request is not the page's."""
    if message.type == "error" and "favicon" not in str(message.location.get("url", "")):
        errors.append(f"{message.text} ({message.location.get('url')})")


async def shots(page: Any, name: str) -> None:
    """The page at a desk and on a phone, where it must not scroll sideways."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width, size in (("1280", DESK), ("390", PHONE)):
        await page.set_viewport_size(size)
        await page.screenshot(path=str(ARTIFACTS / f"console-{name}-{width}.png"), full_page=True)
        scrolled = await page.evaluate("document.documentElement.scrollWidth")
        assert scrolled <= size["width"], f"{name} scrolls sideways at {width} px"
    await page.set_viewport_size(DESK)


async def test_a_registration_confirmed_in_the_browser_reaches_the_officials_chat(
    bot, fake, session, engine, browser
):
    await register_in_chat(fake, "A5")
    page = await signed_in(browser, bot, session)
    expect = playwright.expect

    await page.click("nav >> text=Đăng ký học")
    row = page.locator("#waiting tr", has_text="Hoàng Văn Em")
    await expect(row).to_contain_text("Trung cấp LLCT 2027")
    await shots(page, "registrations")
    await row.locator("button", has_text="Xác nhận").click()

    await expect(page.locator("p.ok")).to_have_text("Đã xác nhận: cán bộ được báo qua tin nhắn.")
    await expect(page.locator("#waiting")).to_have_count(0)
    await dispatch(engine, fake, soon())
    told = [m.text for m in fake.sent if m.chat_id == CHATS["A5"]]
    assert (
        "Ban Tổ chức đã xác nhận chỗ học của anh/chị tại lớp Trung cấp LLCT 2027, "
        "khai giảng 01/03/2027." in told
    )


async def test_an_announcement_sent_in_the_browser_is_counted_by_its_report(
    bot, fake, session, engine, browser
):
    page = await signed_in(browser, bot, session)
    expect = playwright.expect

    await page.click("nav >> text=Thông báo")
    await page.click("#new-announcement")
    await page.locator("summary", has_text="Chức danh hiện tại").click()
    await page.locator("label", has_text="Chủ tịch UBND").first.locator("input").check()
    await page.fill("#text", "Họp giao ban sáng thứ Hai lúc 8 giờ.")
    await expect(page.locator("#count")).to_have_text("1 người")  # A1, Chủ tịch UBND of A
    await page.locator("label", has_text="Đề nghị người nhận bấm").locator("input").check()
    await expect(page.locator("#preview")).to_contain_text("Họp giao ban sáng thứ Hai")
    await expect(page.locator("#preview .bubble-button")).to_contain_text("Đã nhận")
    await shots(page, "announcement-compose")
    await page.click("#send")

    sent = page.locator('[data-outcome="sent"] strong')
    await expect(sent).to_have_text("0")
    await dispatch(engine, fake, soon())
    await expect(sent).to_have_text("1", timeout=10_000)  # the page polls its report
    (message,) = [m for m in fake.sent if m.chat_id == CHATS["A1"]]
    await Chat(fake, CHATS["A1"]).press(message, "✅ Đã nhận")
    await expect(page.locator('[data-outcome="acknowledged"] strong')).to_have_text(
        "1", timeout=10_000
    )
    await shots(page, "announcement-report")
    async with page.expect_download() as download:
        await page.click("#export")
    assert (await download.value).suggested_filename.endswith(".xlsx")


async def test_a_certificate_photo_from_the_chat_is_confirmed_in_the_browser(
    bot, fake, session, engine, browser
):
    chat = Chat(fake, CHATS["A1"])
    (question,) = await chat.send_photo(JPEG)
    await chat.press(question, "📕 Chứng chỉ LLCT")
    page = await signed_in(browser, bot, session)
    expect = playwright.expect

    await page.click("nav >> text=Minh chứng")
    row = page.locator("#evidence tr", has_text="Nguyễn Văn An")
    await expect(row).to_contain_text("chứng chỉ lý luận chính trị (LLCT)")
    await shots(page, "evidence-queue")
    await row.locator("a").click()
    await expect(page.locator("#evidence-image")).to_be_visible()
    shown = await page.evaluate("document.querySelector('#evidence-image').naturalWidth")
    assert shown == 480  # the photo itself, served to this coordinator
    card = page.locator("#status-card")
    await expect(card).to_contain_text("Lý luận chính trị")
    before = await card.inner_text()
    await page.select_option("select[name=level]", "intermediate")
    await shots(page, "evidence-check")
    await page.click("#confirm")

    await expect(page.locator("p.ok")).to_contain_text("Đã xác nhận: hồ sơ đã cập nhật")
    await expect(card).not_to_have_text(before)
    await expect(page.locator("#decision")).to_contain_text(
        "console:CA: Lý luận chính trị: trung cấp"
    )
    await shots(page, "evidence-confirmed")
    session.expire_all()
    a1 = await session.scalar(select(Official).where(Official.code == "A1"))
    assert a1.political_theory is PoliticalTheory.INTERMEDIATE
    await dispatch(engine, fake, soon())
    await asyncio.sleep(0)
    assert any(
        "Ban Tổ chức đã kiểm tra tệp anh/chị gửi" in (m.text or "")
        for m in fake.sent
        if m.chat_id == CHATS["A1"]
    )
