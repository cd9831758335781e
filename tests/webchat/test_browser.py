"""The web chat in headless Chromium on a phone-sized screen: link with a code, ask for the
standards status, see the answer. Screenshots of the landing page and the
answer are kept in test-artifacts/.

Uses Debian's chromium (``apt-get install chromium``) through Playwright; the test is skipped,
saying why, where there is no such browser. Never ``playwright install``: no internet here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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
