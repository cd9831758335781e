"""A roster sent to the bot by a coordinator: checked at once with "Nhập" / "Hủy" buttons,
imported within their units when they press "Nhập", refused when it names units outside them;
end to end through the fake Bot API (the bot fetches the file with getFile)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from sqlalchemy import func, select

from storage.models import AuditEntry, Official, RosterUpload
from tests.coordinators.conftest import CA, CHATS
from tests.fakes.telegram_api import SentMessage
from tests.telegram.chat import Chat

HEADER = ["STT", "Mã CB", "Họ tên", "Ngày sinh", "Giới tính", "Mã đơn vị", "Chức danh"]


def roster(*rows: list[str]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["DANH SÁCH CÁN BỘ XÃ AN BÌNH"])
    sheet.append([])
    sheet.append(HEADER)
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *row])
    sheet.append([None, "Tổng cộng: 2 người"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


NEW = ["A7", "Lý Văn Mới", "12/03/1991", "Nam", "A", "Phó Chủ tịch UBND"]
RENAMED = ["a3", "Lê Văn Cường Mới", "01/01/1985", "Nam", "A", "PCT UBND"]


def _text(message: SentMessage) -> str:
    assert message.text is not None
    return message.text


async def _count(session, *where) -> int:
    return int(await session.scalar(select(func.count()).select_from(Official).where(*where)))


async def test_a_coordinator_sends_a_roster_checks_it_and_imports_it(bot, fake, session, world):
    chat = Chat(fake, CA)

    (checked,) = await chat.send_file(roster(NEW, RENAMED), "danh_sach_an_binh.xlsx")

    assert _text(checked).splitlines()[:2] == [
        "danh_sach_an_binh.xlsx: đã kiểm tra cán bộ, chưa ghi gì (chạy thử): 1 sẽ thêm mới, "
        "1 sẽ cập nhật, 0 không đổi.",
        "Dòng tiêu đề cột: 3.",
    ]
    assert [b["text"] for row in checked.buttons for b in row] == ["Nhập", "Hủy"]
    assert await _count(session, Official.code == "A7") == 0

    (done,) = await chat.press(checked, "Nhập")

    assert _text(done).startswith(
        "danh_sach_an_binh.xlsx: đã nhập cán bộ: 1 thêm mới, 1 cập nhật, 0 không đổi."
    )
    session.expire_all()
    assert await _count(session, Official.code == "A7") == 1
    renamed = await session.scalar(select(Official).where(Official.code == "A3"))
    assert renamed.full_name == "Lê Văn Cường Mới"
    audit = (await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()
    assert [(a.actor, a.action, a.target, a.detail["outcome"]) for a in audit[-2:]] == [
        ("telegram:CA", "import.officials", "danh_sach_an_binh.xlsx", "dry_run"),
        ("telegram:CA", "import.officials", "danh_sach_an_binh.xlsx", "imported"),
    ]
    assert (await session.scalars(select(RosterUpload))).all() == []
    (again,) = await chat.press(checked, "Nhập")
    assert again.text == "Tệp này không còn chờ nhập; hãy gửi lại."


async def test_a_roster_naming_units_outside_the_scope_is_refused(bot, fake, session, world):
    outside = ["B9", "Trần Văn Ngoài", "01/01/1980", "Nam", "B", "CT UBND"]
    taken = ["B1", "Đỗ Văn Hải", "01/01/1980", "Nam", "A", "CT UBND"]  # B1 works in Xã Bình Minh

    (refused,) = await Chat(fake, CA).send_file(roster(NEW, outside, taken), "r.xlsx")

    lines = _text(refused).splitlines()
    assert lines[0] == "r.xlsx: bị từ chối, chưa nhập dữ liệu nào. Số lỗi: 2."
    assert lines[1:3] == [
        "r.xlsx, dòng 5, cột “Mã đơn vị”: Đơn vị B không thuộc phạm vi phụ trách của anh/chị.",
        "r.xlsx, dòng 6, cột “Mã CB”: B1 là mã của cán bộ thuộc đơn vị ngoài phạm vi phụ trách "
        "của anh/chị.",
    ]
    assert refused.buttons == []
    assert await _count(session, Official.code.in_(["A7", "B9"])) == 0
    assert (await session.scalars(select(RosterUpload))).all() == []


async def test_cancel_drops_the_file_and_others_may_not_send_rosters(bot, fake, session, world):
    chat = Chat(fake, CA)
    (checked,) = await chat.send_file(roster(NEW), "r.xlsx")
    (cancelled,) = await chat.press(checked, "Hủy")
    assert cancelled.text == "Đã hủy: không nhập gì từ r.xlsx."
    assert await _count(session, Official.code == "A7") == 0

    (refused,) = await Chat(fake, CHATS["A2"]).send_file(roster(NEW), "r.xlsx")
    assert (refused.text or "").startswith("Lệnh này dành cho cán bộ phụ trách")
    (picture,) = await chat.send_file(b"\x89PNG", "anh.png")  # not a spreadsheet: evidence
    assert (picture.text or "").startswith("Tôi nhận văn bằng, chứng chỉ dưới dạng ảnh")


async def test_a_report_names_its_unit_by_name_in_the_chat(bot, fake, world):
    replies = await Chat(fake, CA).say("/baocao Xã An Bình 01/11/2026", expect=2)
    assert _text(replies[0]).startswith("Trình độ cán bộ, công chức: Xã An Bình, ngày 01/11/2026")
