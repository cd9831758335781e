"""The web chat in headless Chromium on a phone-sized screen: link with a code, ask for the
standards status, see the answer; the conversation survives a reload, a coordinator's menu wraps
and a chart opens full size, a long paste is answered "too long". Screenshots of the landing
page, the answer and the chart are kept in test-artifacts/.

Uses Debian's chromium (``apt-get install chromium``) through Playwright; the test is skipped,
saying why, where there is no such browser. Never ``playwright install``: no internet here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from storage.models import Official
from tests.telegram.records import make_record, new_code

playwright = pytest.importorskip("playwright.async_api")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="no chromium: apt-get install -y chromium"
)


@pytest.fixture
async def page():
    async with playwright.async_playwright() as driver:
        browser = await driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = await browser.new_context(
            viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="vi-VN"
        )
        yield await context.new_page()
        await browser.close()


async def test_link_with_a_code_and_ask_for_status_on_a_phone(page, base_url, session, request):
    record = await make_record(session)
    code = await new_code(session, record.official)
    expect = playwright.expect

    await page.goto(base_url + "/")
    await expect(page.locator("#link .intro")).to_contain_text("Nhập mã liên kết")
    ARTIFACTS.mkdir(exist_ok=True)
    backend = request.node.callspec.params.get("database_url", "db")
    await page.screenshot(path=str(ARTIFACTS / f"webchat-phone-landing-{backend}.png"))
    await page.fill("#code", code.lower())
    await page.click("#link-form button")
    await expect(page.locator(".message.bot").last).to_contain_text(
        "Liên kết thành công. Xin chào Trần Thị Bình"
    )
    await page.get_by_role("button", name="Tình trạng chuẩn hóa").click()
    answer = page.locator(".message.bot").last
    await expect(answer).to_contain_text("❌ Lý luận chính trị: cần trung cấp trở lên")

    assert await page.locator("#link").is_hidden()
    assert await page.locator("#composer").is_visible()
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]  # nothing overflows sideways on the phone
    await page.screenshot(path=str(ARTIFACTS / f"webchat-phone-status-{backend}.png"))


async def _linked_page(page, base_url, session, code_of: str = "CB100"):
    """The page linked with a code for the official ``code_of`` of make_record's unit."""
    await make_record(session)
    official = await session.scalar(select(Official).where(Official.code == code_of))
    code = await new_code(session, official)
    await page.goto(base_url + "/")
    await page.fill("#code", code)
    await page.click("#link-form button")
    await playwright.expect(page.locator(".message.bot").last).to_contain_text(
        "Liên kết thành công"
    )


async def test_the_conversation_survives_a_reload(page, base_url, session):
    await _linked_page(page, base_url, session)
    await page.get_by_role("button", name="Cam kết").click()
    await playwright.expect(page.locator(".message.bot").last).to_contain_text("Đã phục vụ")

    await page.reload()

    await playwright.expect(page.locator(".message.me")).to_have_text(["••••-••••", "Cam kết"])
    await playwright.expect(page.locator(".message.bot").last).to_contain_text("Đã phục vụ")
    assert await page.locator("#composer").is_visible()


async def test_a_coordinators_menu_wraps_on_a_phone_and_a_chart_opens_full_size(
    page, base_url, session
):
    await _linked_page(page, base_url, session, code_of="CB900")
    menu = page.locator("#menu")
    await playwright.expect(menu.get_by_role("button", name="Gửi thông báo")).to_be_visible()
    for button in await menu.get_by_role("button").all():
        box = await button.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert await menu.evaluate("m => m.scrollWidth <= m.clientWidth")

    await menu.get_by_role("button", name="Báo cáo").click()
    chart = page.locator(".message.bot img").last
    await playwright.expect(chart).to_be_visible()
    await chart.click()

    viewer = page.locator("#viewer")
    await playwright.expect(viewer).to_be_visible()
    shown, natural = await viewer.locator("img").evaluate(
        "img => [img.getBoundingClientRect().width, img.naturalWidth]"
    )
    assert natural > PHONE["width"] and shown == natural  # full size, scrolled, not squeezed
    await page.screenshot(path=str(ARTIFACTS / "webchat-phone-chart.png"))
    await viewer.click(position={"x": 5, "y": 200})
    await playwright.expect(viewer).to_be_hidden()


@pytest.mark.parametrize(
    ("language", "answer"),
    [("VI", "Tin nhắn quá dài nên tôi không đọc được"), ("EN", "Your message is too long")],
)
async def test_a_long_paste_is_not_cut_but_answered_too_long(
    page, base_url, session, language, answer
):
    await _linked_page(page, base_url, session)
    await page.get_by_role("button", name=language, exact=True).click()

    await page.fill("#text", "tôi đã đạt chuẩn chưa " * 250)
    assert len(await page.input_value("#text")) == 5500  # nothing cut on the way
    await page.press("#text", "Enter")

    await playwright.expect(page.locator(".message.bot").last).to_contain_text(answer)
