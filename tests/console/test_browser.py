"""The console in headless Chromium, at a desk (1280 px) and on a phone (390 px): sign in with a
one-time link and see the demo province's figures; upload a roster with one bad row and see
that row named; see who each channel reaches and go down to a commune; nothing overflows
sideways. Screenshots go to test-artifacts/.

Uses Debian's chromium (``apt-get install chromium``) through Playwright; skipped, saying why,
where there is no such browser. Never ``playwright install``: no internet here.
"""

from __future__ import annotations

import asyncio
import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from storage import console, reach
from tests.console.conftest import ADMIN, ARTIFACTS, COORDINATOR, own_console
from tests.console.reach_data import MESSENGERS, link_some

playwright = pytest.importorskip("playwright.async_api")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
SIZES: dict[str, dict[str, Any]] = {
    "desk": {"viewport": {"width": 1280, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="no chromium: apt-get install -y chromium"
)


@pytest.fixture(scope="module")
def served(served_on_sqlite):
    """The browser runs against SQLite only: what it checks is the page, not the database."""
    return served_on_sqlite


@pytest.fixture(params=list(SIZES))
async def page(request):
    async with playwright.async_playwright() as driver:
        browser = await driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = await browser.new_context(locale="vi-VN", **SIZES[request.param])
        page = await context.new_page()
        page.set_default_timeout(10_000)
        page.size = request.param
        errors: list[str] = []  # script errors and CSP refusals show up here
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page
        await browser.close()
        assert errors == []


async def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"console-{name}-{page.size}.png"), full_page=True)


async def _fits(page) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], "the page scrolls sideways"


async def _sign_in(page, served, code: str) -> None:
    await page.goto(await served.link(code))
    await page.get_by_role("button", name="Đăng nhập").click()
    await playwright.expect(page.locator("#overall")).to_be_visible()


async def test_sign_in_by_link_and_see_the_provinces_figures(page, served):
    expect = playwright.expect
    await page.goto(await served.link(ADMIN))
    await expect(page.get_by_role("heading", name="Đăng nhập bảng điều khiển")).to_be_visible()
    await _shot(page, "signin")
    await page.get_by_role("button", name="Đăng nhập").click()

    await expect(page.get_by_role("heading", level=1)).to_have_text("Bắc Ninh")
    await expect(page.locator("#overall")).to_have_text("101/140 (72,1%)")
    scales = page.locator("#scales tbody tr")
    await expect(scales.first).to_contain_text("Trình độ học vấn")
    await expect(scales.first).to_contain_text("73/80 (91,2%)")
    await expect(page.locator("#units")).to_contain_text("Xã Sơn Động")
    await _fits(page)
    await _shot(page, "dashboard")

    if page.size == "phone":
        await page.get_by_text("Danh mục").click()
    await page.get_by_role("link", name="Cán bộ", exact=True).click()
    await page.fill("input[name=q]", "nong minh huong")  # typed without diacritics
    await page.get_by_role("button", name="Lọc").click()
    await expect(page.locator("#officials tbody tr")).to_have_count(1)
    await page.get_by_role("link", name="Nông Minh Hương").click()
    await expect(page.locator("#card")).to_contain_text("Lý luận chính trị")
    await _fits(page)
    await _shot(page, "official")

    if page.size == "phone":
        await page.get_by_text("Danh mục").click()
    await page.get_by_role("link", name="Nhật ký thao tác").click()
    await expect(page.locator("#audit tbody tr").first).to_contain_text("console:DEMO-0001")
    await _fits(page)
    await _shot(page, "audit")


def _roster() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH CÁN BỘ XÃ SƠN ĐỘNG"])
    sheet.append(["STT", "Mã CB", "Họ tên", "Ngày sinh", "Giới tính", "Mã đơn vị", "Chức danh"])
    justice, culture = "Công chức Tư pháp - Hộ tịch", "Công chức Văn hóa - Xã hội"
    sheet.append([1, "SD-901", "Lý Văn Mới", "12/03/1991", "Nam", "07615", "Phó Chủ tịch UBND"])
    sheet.append([2, "SD-902", "Hà Thị Sai", "31/02/1990", "Nữ", "07615", justice])
    sheet.append([3, "SD-903", "Đinh Văn Đúng", "01/05/1988", "Nam", "07615", culture])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def test_upload_a_roster_with_one_bad_row_and_see_the_row_named(page, served, tmp_path):
    expect = playwright.expect
    await _sign_in(page, served, COORDINATOR)
    if page.size == "phone":
        await page.get_by_text("Danh mục").click()
    await page.get_by_role("link", name="Danh sách").click()
    roster = tmp_path / "danh_sach_son_dong.xlsx"
    roster.write_bytes(_roster())
    await page.set_input_files("#roster-file", str(roster))
    await page.get_by_role("button", name="Kiểm tra").click()

    await expect(page.locator("#summary")).to_contain_text("bị từ chối, chưa nhập dữ liệu nào")
    bad = page.locator("#errors tbody tr")
    await expect(bad).to_have_count(1)
    await expect(bad).to_contain_text("4")  # the row as the spreadsheet numbers it
    await expect(bad).to_contain_text("Ngày sinh")
    await expect(bad).to_contain_text("“31/02/1990” không phải là ngày hợp lệ")
    assert await page.locator("#import").count() == 0  # nothing to import from it
    await _fits(page)
    await _shot(page, "roster-rejected")


async def test_the_officials_list_narrows_as_one_types(page, served):
    expect = playwright.expect
    await _sign_in(page, served, ADMIN)
    await page.goto(served.base_url + "/console/officials")
    rows = page.locator("#officials tbody tr")
    await expect(rows).to_have_count(140 + 15)
    await page.locator("input[name=q]").press_sequentially("lương ", delay=20)
    await expect(rows.first).to_contain_text("Lường")  # "lương" finds "Lường" too
    assert "q=" in page.url  # the address keeps the search, for a reload or a bookmark
    await page.select_option("select[name=gap]", "standard")
    await expect(page.locator("#count")).not_to_contain_text("155")
    await _fits(page)
    await _shot(page, "officials")


@pytest.fixture(scope="module")
def linked(served):
    return asyncio.run(link_some(served))


async def test_reach_per_channel_and_down_to_a_commune(page, served, linked):
    """With every channel set up (a console of its own: this service has no messenger), so
    the widest tables are the ones checked."""
    expect = playwright.expect
    reach.configure(reach.Setup.of(zns=True, failing_days=3))
    async with own_console(served, messengers=MESSENGERS) as (_browser, origin):
        token = (await served.link(ADMIN)).split("token=", 1)[1]
        await page.goto(console.sign_in_url(origin["Origin"], token))
        await page.get_by_role("button", name="Đăng nhập").click()
        await expect(page.locator("#overall")).to_be_visible()
        if page.size == "phone":
            await page.get_by_text("Danh mục").click()
        await page.get_by_role("link", name="Tiếp cận").click()

        await expect(page.get_by_role("heading", level=1)).to_have_text("Tiếp cận cán bộ: Bắc Ninh")
        await expect(page.locator("#channels tbody tr")).to_have_count(4)
        await expect(page.locator("#units thead")).to_contain_text("ZNS tính phí")
        await expect(page.locator("#unit_channels tbody tr")).to_have_count(10 * 4)
        await expect(page.locator("#paid")).to_contain_text("đã gửi 1 tin (có tính phí)")
        await _fits(page)
        await _no_table_scrolls(page)
        await _shot(page, "reach")

        await page.locator("#units").get_by_role("link", name="Xã Sơn Động").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text(
            "Tiếp cận cán bộ: Xã Sơn Động"
        )
        await expect(page.locator("#channels tbody tr").first).to_contain_text("Telegram")
        await expect(page.locator("#unreached")).to_contain_text("ZNS từ chối số này")
        await _fits(page)
        await _no_table_scrolls(page)
        await _shot(page, "reach-commune")


async def _no_table_scrolls(page) -> None:
    wide = await page.evaluate(
        "[...document.querySelectorAll('.card')]"
        ".filter(card => card.scrollWidth > card.clientWidth).map(card => card.id)"
    )
    assert wide == [], "these tables scroll sideways"
