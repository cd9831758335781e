"""A roster uploaded in the web chat: the coordinator gets the check with its buttons and imports
it by pressing "Nhập"; an official without a coordinator role is refused."""

from __future__ import annotations

from typing import Any

import aiohttp
from sqlalchemy import select

from storage.models import Evidence, EvidenceKind, EvidenceStatus, Official
from tests.coordinators.test_evidence import JPEG
from tests.telegram.records import make_record, new_code
from tests.webchat.conftest import HEADERS

ROSTER = (
    "DANH SÁCH CÁN BỘ XÃ TÂN LẬP\n"
    "\n"
    "Mã CB;Họ tên;Ngày, tháng, năm sinh;Giới tính;Mã ĐV;Chức danh\n"
    "CB101;Phan Văn Mới;03/04/1990;Nam;1234;PCT UBND\n"
).encode("utf-8-sig")


async def _post(
    client: aiohttp.ClientSession, base_url: str, path: str, **kwargs: Any
) -> tuple[int, Any]:
    async with client.post(f"{base_url}{path}", headers=HEADERS, **kwargs) as response:
        return response.status, await response.json()


async def _link(client, base_url: str, session, official: Official) -> None:
    """Open a web chat session and link it by a code, as the official would."""
    await client.get(f"{base_url}/chat/api/session")
    await _post(
        client, base_url, "/chat/api/message", json={"text": await new_code(session, official)}
    )


async def _upload(client, base_url, content: bytes, name: str):
    form = aiohttp.FormData()
    form.add_field("file", content, filename=name, content_type="text/csv")
    return await _post(client, base_url, "/chat/api/upload", data=form)


async def test_a_coordinator_uploads_a_roster_and_imports_it(browser_client, base_url, session):
    record = await make_record(session)
    coordinator = await session.scalar(select(Official).where(Official.code == "CB900"))
    await _link(browser_client, base_url, session, coordinator)

    status, checked = await _upload(browser_client, base_url, ROSTER, "tan_lap.csv")

    assert status == 200
    (reply,) = checked["replies"]
    assert reply["text"].startswith(
        "tan_lap.csv: đã kiểm tra cán bộ, chưa ghi gì (chạy thử): 1 sẽ thêm mới"
    )
    assert "Dòng tiêu đề cột: 3." in reply["text"]
    (row,) = reply["buttons"]
    assert [button["label"] for button in row] == ["Nhập", "Hủy"]

    _status, done = await _post(
        browser_client, base_url, "/chat/api/message", json={"callback_data": row[0]["data"]}
    )

    assert done["replies"][0]["text"].startswith("tan_lap.csv: đã nhập cán bộ: 1 thêm mới")
    added = await session.scalar(select(Official).where(Official.code == "CB101"))
    assert added is not None and added.unit_id == record.official.unit_id


async def test_an_upload_from_an_official_without_a_role_is_refused(
    browser_client, base_url, session
):
    record = await make_record(session)
    await _link(browser_client, base_url, session, record.official)

    _status, refused = await _upload(browser_client, base_url, ROSTER, "r.csv")

    assert refused["replies"][0]["text"].startswith("Lệnh này dành cho cán bộ phụ trách")
    assert await session.scalar(select(Official).where(Official.code == "CB101")) is None


async def test_an_official_uploads_a_certificate_photo_as_evidence(
    browser_client, base_url, session
):
    record = await make_record(session)
    official_id = record.official.id
    await _link(browser_client, base_url, session, record.official)
    form = aiohttp.FormData()
    form.add_field("file", JPEG, filename="bang-dai-hoc.jpg", content_type="image/jpeg")
    _status, asked = await _post(browser_client, base_url, "/chat/api/upload", data=form)

    (reply,) = asked["replies"]
    assert reply["text"].startswith("Đã nhận bang-dai-hoc.jpg. Đây là minh chứng cho điều gì?")
    degree = reply["buttons"][0][0]
    assert degree["label"] == "🎓 Bằng tốt nghiệp"
    _status, done = await _post(
        browser_client, base_url, "/chat/api/message", json={"callback_data": degree["data"]}
    )

    assert done["replies"][0]["text"].startswith("Đã gửi Ban Tổ chức: bằng tốt nghiệp.")
    found = await session.scalar(select(Evidence))
    assert found is not None
    assert (found.official_id, found.kind, found.status) == (
        official_id,
        EvidenceKind.DEGREE,
        EvidenceStatus.PENDING,
    )
