"""Coordinators in Telegram, end to end through the fake Bot API: who may use the commands, what
a coordinator's scope keeps out, an announcement from the dialogue to the recipients' phones
and back as a delivery report, a scheduled one across a restart, and /baocao."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
from sqlalchemy import func, select

from storage.callback_data import BroadcastStep, decode
from storage.models import (
    AuditEntry,
    Broadcast,
    OutboxMessage,
    OutboxStatus,
)
from tests.coordinators.conftest import AD, CA, CHATS, dispatch, soon, start_bot
from tests.fakes.telegram_api import SentMessage
from tests.telegram.chat import Chat

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
TEXT = "Mời các đồng chí đăng ký lớp Trung cấp LLCT khóa 2027 trước ngày 15/12."
REFUSAL = (
    "Lệnh này dành cho cán bộ phụ trách của Ban Tổ chức. Nếu cần, anh/chị hãy liên hệ Ban Tổ chức."
)


def _labels(message: SentMessage) -> list[str]:
    return [button["text"] for row in message.buttons for button in row]


def _data(message: SentMessage, label: str) -> str:
    return next(
        str(b["callback_data"]) for row in message.buttons for b in row if b["text"] == label
    )


def _text(message: SentMessage) -> str:
    assert message.text is not None
    return message.text


def _file(message: SentMessage) -> bytes:
    assert message.file_bytes is not None
    return message.file_bytes


async def _compose(chat: Chat, text: str, when: str | None = None, gap: str | None = None):
    """Go through /thongbao; returns the preview and the summary under it."""
    (step,) = await chat.say("/thongbao")
    if gap is not None:
        (step,) = await chat.press(step, "Thiếu trình độ")
        (step,) = await chat.press(step, gap)
        (step,) = await chat.press(step, "◀ Quay lại")
    (step,) = await chat.press(step, "Tiếp: nội dung")
    (step,) = await chat.say(text)
    (step,) = await chat.press(step, "Có, thêm nút")
    if when is None:
        return await chat.press(step, "Gửi ngay", expect=2)
    (step,) = await chat.press(step, "Hẹn giờ")
    return await chat.say(when, expect=2)


async def _send(chat: Chat, summary: SentMessage) -> int:
    """Press "Gửi" under the summary; the announcement's number."""
    (queued,) = await chat.press(summary, "Gửi")
    found = re.match(r"Thông báo #(\d+) đã được xếp hàng", queued.text or "")
    assert found, queued.text
    return int(found.group(1))


async def _refusals(session) -> list[tuple[str, str, str]]:
    """Who was refused what on scope, and why, as the audit log has it."""
    entries = await session.scalars(
        select(AuditEntry).where(AuditEntry.action == "scope.refused").order_by(AuditEntry.id)
    )
    return [(entry.actor, entry.target, entry.detail["reason"]) for entry in entries]


async def _count(session, model, *where) -> int:
    return int(await session.scalar(select(func.count()).select_from(model).where(*where)))


async def test_an_official_without_a_role_cannot_use_coordinator_commands(
    bot, fake, session, world
):
    chat = Chat(fake, CHATS["A2"])
    for command in ("/thongbao", "/broadcast", "/thongbao_baocao", "/baocao P"):
        assert await chat.ask(command) == REFUSAL
    forged = fake.callback("bc:1:send", user_id=CHATS["A2"])
    assert [m.text for m in await chat.deliver(forged)] == [REFUSAL]
    stranger = Chat(fake, 777)
    assert "chưa được liên kết" in await stranger.ask("/thongbao")
    assert await _count(session, Broadcast) == 0
    assert await _count(session, AuditEntry, AuditEntry.action.startswith("report")) == 0
    assert await _refusals(session) == [
        ("telegram:A2", target, "no coordinator role")
        for target in ("/thongbao", "/broadcast", "/thongbao_baocao", "/baocao", "button:bc")
    ]


async def test_help_names_the_coordinator_commands_to_coordinators_only(bot, fake, world):
    coordinator_help = await Chat(fake, CA).ask("/help")
    assert "Dành cho cán bộ phụ trách: /thongbao gửi thông báo" in coordinator_help
    assert "/baocao" in coordinator_help
    official_help = await Chat(fake, CHATS["A2"]).ask("/help")
    assert official_help.startswith("Tôi trả lời các câu hỏi")
    assert "/thongbao" not in official_help


async def test_a_coordinator_cannot_target_count_or_report_outside_their_scope(
    bot, fake, session, world
):
    coordinator = Chat(fake, CA)
    (start,) = await coordinator.say("/thongbao")
    assert "Người nhận: 6 người." in _text(start)  # Xã An Bình only; Xã Bình Minh has 2 more
    (units,) = await coordinator.press(start, "Đơn vị")
    assert _labels(units) == ["Xã An Bình", "◀ Quay lại"]
    step = decode(_data(start, "Tiếp: nội dung"))
    assert isinstance(step, BroadcastStep)
    draft = step.draft
    forged = fake.callback(f"bc:{draft}:t:u:{world.b.id}", user_id=CA, message=units)
    (answer,) = await coordinator.deliver(forged)
    assert answer.text == "Đơn vị B không thuộc phạm vi của anh/chị."
    assert await coordinator.ask("Bình Minh") == (
        "Không có đơn vị nào trong phạm vi của anh/chị khớp với “Bình Minh”."
    )
    audience = select(Broadcast.audience).where(Broadcast.id == int(draft))
    assert await session.scalar(audience) == {}

    for unit in ("B", "P"):
        assert await coordinator.ask(f"/baocao {unit}") == (
            f"Đơn vị {unit} không thuộc phạm vi của anh/chị."
        )
    assert await coordinator.ask("/baocao XB") == "Không có đơn vị nào có mã hoặc tên XB."
    report = fake.callback(f"bq:{world.b.id}:show:20261101:", user_id=CA)
    assert [m.text for m in await coordinator.deliver(report)] == [
        "Lựa chọn này không còn hiệu lực."
    ]

    admin = Chat(fake, AD)
    _preview, summary = await _compose(admin, "Họp giao ban toàn tỉnh.")
    theirs = await _send(admin, summary)
    assert await coordinator.ask(f"/thongbao_baocao {theirs}") == (
        f"Không có thông báo #{theirs} trong phạm vi của anh/chị."
    )
    assert await coordinator.ask("/thongbao_baocao") == (
        "Chưa có thông báo nào. Soạn thông báo bằng /thongbao."
    )
    assert await _refusals(session) == [
        ("telegram:CA", target, "out of scope")
        for target in ("unit:B", "unit:B", "unit:P", "unit:B", f"broadcast:{theirs}")
    ]
    assert await _count(session, AuditEntry, AuditEntry.action == "report.broadcasts") == 1


async def test_a_broadcast_reaches_exactly_its_audience_once_and_acknowledgements_count(
    bot, fake, engine, session, world
):
    coordinator = Chat(fake, CA)
    preview, summary = await _compose(coordinator, TEXT, gap="chưa có LLCT trung cấp")
    assert preview.text == f"📢 Thông báo\n\n{TEXT}\n\n— Đinh Văn Khoa, Ban Tổ chức Tỉnh ủy"
    assert _labels(preview) == ["✅ Đã nhận"]
    assert summary.text.splitlines()[:2] == [
        "Phía trên là thông báo đúng như người nhận sẽ thấy.",
        "Người nhận: 4 người. Trong đó 2 người không liên lạc được "
        "(1 chưa liên kết, 1 đã chặn bot).",
    ]
    (queued,) = await coordinator.press(summary, "Gửi")
    number = await session.scalar(select(Broadcast.id))
    assert _text(queued).splitlines() == [
        f"Thông báo #{number} đã được xếp hàng gửi tới 4 người.",
        "Trong đó 2 người không liên lạc được (1 chưa liên kết, 1 đã chặn bot).",
        f"Theo dõi kết quả gửi bằng lệnh /thongbao_baocao {number}.",
    ]

    before = {chat_id: len(fake.messages_to(chat_id)) for chat_id in (*CHATS.values(), CA, AD)}
    first = await dispatch(engine, fake, soon())
    again = await dispatch(engine, fake, soon() + timedelta(minutes=5))
    got = {chat_id: fake.messages_to(chat_id)[count:] for chat_id, count in before.items()}
    reached = {chat_id for chat_id, messages in got.items() if messages}
    assert reached == {CHATS["A1"], CHATS["A5"]}
    for chat_id in reached:
        (message,) = got[chat_id]
        assert (message.text, _labels(message)) == (preview.text, ["✅ Đã nhận"])
    assert (first.sent, first.unreachable, again.claimed) == (2, 2, 0)

    recipient = Chat(fake, CHATS["A1"])
    delivered = fake.messages_to(CHATS["A1"])[-1]
    (thanks,) = await recipient.press(delivered, "✅ Đã nhận")
    assert thanks.text == "Cảm ơn anh/chị. Ban Tổ chức đã ghi nhận anh/chị nhận được thông báo."
    (again_thanks,) = await recipient.press(delivered, "✅ Đã nhận")
    assert again_thanks.text == "Anh/chị đã xác nhận thông báo này rồi."

    (report,) = await coordinator.say(f"/thongbao_baocao {number}")
    lines = _text(report).splitlines()
    assert lines[0] == f"Thông báo #{number}: đã gửi xong"
    for line in ("• Đã gửi: 2", "• Đã chặn bot: 1", "• Chưa liên kết: 1", "• Đang chờ gửi: 0"):
        assert line in lines
    assert "Đã xác nhận “Đã nhận”: 1/2 (50,0%)" in lines
    assert lines[-2:] == ["Chưa xác nhận (1):", "• Hoàng Văn Em (Xã An Bình)"]
    assert _labels(report) == ["Tải file Excel"]  # it has started: no cancelling

    _caption, document = await coordinator.press(report, "Tải file Excel", expect=2)
    assert document.file_name == f"thong-bao-{number}.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(_file(document)))["Người nhận"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert set(rows) == {"A1", "A3", "A4", "A5"}
    assert rows["A1"][4] == "Đã gửi" and rows["A1"][6]
    assert (rows["A3"][4], rows["A4"][4], rows["A5"][6]) == ("Chưa liên kết", "Đã chặn bot", None)

    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "broadcast.queue"))
    assert (entry.actor, entry.target) == ("telegram:CA", f"broadcast:{number}")
    assert (entry.detail["recipients"], entry.detail["text"]) == (4, TEXT)


async def test_a_scheduled_broadcast_survives_a_restart_and_can_be_cancelled(
    fake, database_url, engine, session, world
):
    day = datetime.now(ZONE).date() + timedelta(days=3)
    at = datetime.combine(day, datetime.min.time(), ZONE).replace(hour=8).astimezone(UTC)
    typed = f"{day:%d/%m/%Y} 08:00"
    bot = await start_bot(fake, database_url)
    try:
        coordinator = Chat(fake, CA)
        _preview, summary = await _compose(coordinator, "Họp trực tuyến sáng thứ Hai.", typed)
        assert f"Thời điểm gửi: 08:00 {day:%d/%m/%Y}." in summary.text
        kept = await _send(coordinator, summary)
    finally:
        await bot.stop()

    bot = await start_bot(fake, database_url)  # a restart: nothing but the database carries over
    try:
        assert (await dispatch(engine, fake, at - timedelta(hours=1))).claimed == 0
        coordinator = Chat(fake, CA)
        (report,) = await coordinator.say(f"/thongbao_baocao {kept}")
        assert _text(report).startswith(f"Thông báo #{kept}: đã hẹn giờ")
        assert "Hủy thông báo" in _labels(report)

        _preview, summary = await _compose(coordinator, "Thông báo thứ hai, sẽ bị hủy.", typed)
        dropped = await _send(coordinator, summary)
        (report,) = await coordinator.say(f"/thongbao_baocao {dropped}")
        (cancelled,) = await coordinator.press(report, "Hủy thông báo")
        assert cancelled.text == f"Đã hủy thông báo #{dropped}; 6 tin đang chờ sẽ không được gửi."

        before = {chat_id: len(fake.messages_to(chat_id)) for chat_id in CHATS.values()}
        report_at = await dispatch(engine, fake, at + timedelta(minutes=1))
    finally:
        await bot.stop()
    texts = {
        chat_id: [m.text.splitlines()[2] for m in fake.messages_to(chat_id)[count:]]
        for chat_id, count in before.items()
    }
    reached = ("A1", "A2", "A5", "A6")
    assert texts == {
        chat_id: ["Họp trực tuyến sáng thứ Hai."] if code in reached else []
        for code, chat_id in CHATS.items()
    }
    assert report_at.sent == 4
    statuses = await session.scalars(
        select(OutboxMessage.status).where(OutboxMessage.subject == str(dropped))
    )
    assert set(statuses) == {OutboxStatus.CANCELLED}
    assert await _count(session, AuditEntry, AuditEntry.action == "broadcast.cancel") == 1


async def test_the_qualification_report_comes_with_a_chart_and_an_excel_file(
    bot, fake, session, world
):
    coordinator = Chat(fake, CA)
    text, picture = await coordinator.say("/baocao A 01/11/2026 01/06/2025", expect=2)
    lines = _text(text).splitlines()
    assert lines[0] == "Trình độ cán bộ, công chức: Xã An Bình, ngày 01/11/2026"
    assert "Đạt chuẩn trình độ: 2/5 (40,0%) (1/4 (25,0%))" in lines
    assert "Trình độ chuyên môn · đạt chuẩn: 4/5 (80,0%) (3/4 (75,0%))" in lines
    assert picture.method == "sendphoto"
    assert _file(picture).startswith(b"\x89PNG\r\n\x1a\n")
    _caption, document = await coordinator.press(picture, "Tải file Excel", expect=2)
    book = openpyxl.load_workbook(io.BytesIO(_file(document)))
    assert book.sheetnames[-1] == "Xã An Bình"
    entries = await session.scalars(
        select(AuditEntry.detail).where(AuditEntry.action == "report.qualifications")
    )
    assert [entry["format"] for entry in entries] == ["txt+png", "xlsx"]
