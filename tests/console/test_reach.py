"""The reach page (/console/reach): for the same unit it shows the figures `canbo report reach`
prints (per channel, who is reached by none and why, this month's paid ZNS messages), per unit
right under it too, each opening its own page; every table exports to Excel; a view is audited
as the command's report is; another commune's unit is not found."""

from __future__ import annotations

import asyncio
import html
import io
import re
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from sqlalchemy import select

from bot.cli import main
from storage import reach
from storage.access import REFUSED
from storage.db import create_engine, session_factory
from storage.models import AuditEntry
from storage.types import utcnow
from tests.console.conftest import ADMIN, AWAY, COORDINATOR, HOME, Served, csrf_in, own_console
from tests.console.reach_data import MESSENGERS, link_some

ENV = {  # the same channels for the command: both messengers and ZNS set up
    "CANBO_TELEGRAM_TOKEN": "123456:fake-telegram-token",
    "CANBO_ZALO_TOKEN": "654321:fake-zalo-token",
    "CANBO_ZNS_APP_ID": "4410559234537725871",
    "CANBO_ZNS_SECRET_KEY": "fake-oa-app-s3cret",
}


@pytest.fixture(scope="module")
def linked(served: Served) -> dict[str, object]:
    return asyncio.run(link_some(served))


@pytest.fixture
def zns_set_up() -> None:
    """ZNS set up, as the command's settings say (the autouse fixture puts it back)."""
    reach.configure(reach.Setup.of(zns=True, failing_days=3))


async def _signed_in(browser, origin, served: Served, code: str) -> str:
    """Sign in as ``code``; the session's CSRF token."""
    token = (await served.link(code)).split("token=", 1)[1]
    signed = await browser.post("/console/signin", data={"token": token}, headers=origin)
    return csrf_in(await signed.text())


async def _sheet(browser, query: dict[str, str]) -> list[list[Any]]:
    """The rows of an exported table, under its title and its headings."""
    response = await browser.get("/console/reach", params=query)
    assert response.status == 200
    assert response.content_type.endswith("spreadsheetml.sheet")
    sheet = openpyxl.load_workbook(io.BytesIO(await response.read())).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert all(cell.data_type == "s" for row in sheet.iter_rows(min_row=3) for cell in row)
    return rows[2:]


def _text_of(page: str, element: str) -> str:
    found = re.search(rf'id="{element}">(.*?)</p>', page, re.S)
    assert found is not None, element
    return html.unescape(found.group(1)).strip()


async def _audited(served: Served, action: str) -> list[AuditEntry]:
    engine = create_engine(served.database_url)
    async with session_factory(engine)() as session:
        found = list(await session.scalars(select(AuditEntry).where(AuditEntry.action == action)))
    await engine.dispose()
    return found


async def test_the_page_shows_what_the_command_prints(
    served, linked, zns_set_up, monkeypatch, capsys, tmp_path
):
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("CANBO_DATABASE_URL", served.database_url)
    monkeypatch.delenv("CANBO_LOCALE", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env
    args = ["report", "reach", "--unit", HOME, "--as", COORDINATOR]
    assert await asyncio.to_thread(main, args) == 0
    printed = capsys.readouterr().out.splitlines()

    async with own_console(served, messengers=MESSENGERS) as (browser, origin):
        await _signed_in(browser, origin, served, COORDINATOR)
        page = await (await browser.get("/console/reach")).text()  # their one commune
        query = {"unit": str(linked["home"])}
        channels = await _sheet(browser, {**query, "export": "channels"})
        unreached = await _sheet(browser, {**query, "export": "unreached"})
        units = await _sheet(browser, {**query, "export": "units"})
        by_channel = await _sheet(browser, {**query, "export": "unit_channels"})

    assert "<h1>Tiếp cận cán bộ: Xã Sơn Động</h1>" in page
    officials = int(printed[1].split()[0])
    assert [row[0] for row in channels] == [
        "Telegram",
        "Zalo",
        "trò chuyện trên web (thấy khi truy cập lần sau)",
        "ZNS qua số điện thoại (chỉ tin quan trọng)",
    ]
    assert channels[0][1].startswith(f"1/{officials} ")  # A
    assert channels[1][1].startswith(f"0/{officials} ")  # B's chat refuses the bot
    assert channels[2][1].startswith(f"1/{officials} ")  # C
    shown = [f"• {name}: {figure}" for name, figure in channels]
    assert printed[2 : 2 + len(shown)] == shown
    assert (
        printed[2 + len(shown)]
        == f"Liên lạc được qua ít nhất một kênh: {_text_of(page, 'reached')}"
    )

    listed = printed[printed.index(f"Không kênh nào liên lạc được ({len(unreached)}):") + 1 :]
    listed = listed[: listed.index("")]
    assert listed == [f"• {name} ({code}, {unit}): {why}" for name, code, unit, why in unreached]
    codes = linked["codes"]
    assert {row[1] for row in unreached} >= {codes[1], codes[4], codes[5]}  # B, E, F
    assert not {row[1] for row in unreached} & {codes[0], codes[2], codes[3]}  # A, C, D
    assert (
        printed[-1] == _text_of(page, "paid") == f"ZNS tháng {_month()}: đã gửi 1 tin (có tính phí)"
    )

    reached = _text_of(page, "reached")
    assert units == [["Xã Sơn Động", reached, "1"]]  # paid ZNS messages: 1
    assert by_channel == [["Xã Sơn Động", name, figure] for name, figure in channels]

    views = [e for e in await _audited(served, "report.reach") if e.target == HOME]
    assert {e.actor for e in views} >= {f"console:{COORDINATOR}"}
    assert any(e.actor.endswith(f"as {COORDINATOR}") for e in views)  # the command's
    exports = [e for e in await _audited(served, "console.export") if e.target == "/console/reach"]
    assert {e.detail["table"] for e in exports} >= {
        "channels",
        "units",
        "unit_channels",
        "unreached",
    }


async def test_the_province_drills_into_its_communes(served, linked, zns_set_up):
    async with own_console(served, messengers=MESSENGERS) as (browser, origin):
        csrf = await _signed_in(browser, origin, served, ADMIN)
        province = await (await browser.get("/console/reach")).text()
        units = await _sheet(browser, {"unit": str(linked["parent"]), "export": "units"})
        commune = await (
            await browser.get("/console/reach", params={"unit": str(linked["home"])})
        ).text()
        home_units = await _sheet(browser, {"unit": str(linked["home"]), "export": "units"})
        by_channel = await _sheet(
            browser, {"unit": str(linked["parent"]), "export": "unit_channels"}
        )
        home_channels = await _sheet(browser, {"unit": str(linked["home"]), "export": "channels"})
        back = f"/console/reach?unit={linked['home']}"
        switched = await browser.post(
            "/console/language", data={"csrf": csrf, "language": "en", "back": back}, headers=origin
        )
        english = await switched.text()

    assert "<h1>Tiếp cận cán bộ: Bắc Ninh</h1>" in province
    assert f'href="/console/reach?unit={linked["home"]}"' in province
    assert [row for row in units if row[0] == "Xã Sơn Động"] == home_units
    assert [row[1:] for row in by_channel if row[0] == "Xã Sơn Động"] == home_channels
    assert "<h1>Tiếp cận cán bộ: Xã Sơn Động</h1>" in commune
    assert f'href="/console/reach?unit={linked["parent"]}"' in commune  # back up

    assert "<h1>Reach: Xã Sơn Động</h1>" in english
    for heading in ("By channel", "By unit and channel", "Reached by no channel"):
        assert f"<h2>{heading}</h2>" in english
    assert "web chat (seen on their next visit)" in english
    assert "no linked chat, no mobile number in the roster" in english


async def test_another_communes_unit_is_not_found_and_the_refusal_audited(served, linked):
    async with own_console(served, messengers=MESSENGERS) as (browser, origin):
        await _signed_in(browser, origin, served, COORDINATOR)
        response = await browser.get("/console/reach", params={"unit": str(linked["away"])})
        assert response.status == 404
        assert "Xã Tây Yên Tử" not in await response.text()
    refusals = await _audited(served, REFUSED)
    assert any(e.target == f"unit:{AWAY}" and e.actor == f"console:{COORDINATOR}" for e in refusals)


def _month() -> str:
    return utcnow().astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%m/%Y")
