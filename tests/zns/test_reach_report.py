"""`canbo report reach`: per unit, how many officials each configured channel reaches, who is
reached by none and why, and the month's paid ZNS messages; within a coordinator's scope."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.cli import main
from storage.db import create_engine, session_factory
from storage.models import AuditEntry, Channel, ChatAccount, OutboxMessage, ZnsSend
from storage.types import utcnow
from tests.cli_database import cli_database
from tests.factories import make_official, make_unit

NOW = utcnow()
MONTH = NOW.strftime("%Y-%m")


async def _province(url: str) -> None:
    engine = create_engine(url)
    async with session_factory(engine)() as session:
        district = await make_unit(session, code="D01", name="Huyện Mỹ Đức")
        commune = await make_unit(session, code="C01", name="Xã Phúc Lâm", parent=district)
        people = {}
        for code, name, phone in [
            ("A", "Lê Văn An", None),
            ("B", "Phạm Thị Bình", "+84912000002"),
            ("C", "Đỗ Văn Cường", None),
            ("D", "Ngô Thị Dung", "+84912000004"),
            ("E", "Vũ Văn Em", "+84912000005"),
            ("F", "Hà Thị Phương", "+842438251234"),
            ("G", "Trịnh Văn Giang", None),  # only the web chat: reached on their next visit
        ]:
            people[code] = await make_official(
                session, code, unit=commune, full_name=name, phone=phone
            )
        chats = [
            ("A", Channel.TELEGRAM, "101", None),
            ("B", Channel.ZALO, "zu-2", None),
            ("C", Channel.TELEGRAM, "103", NOW - timedelta(days=1)),
            ("G", Channel.WEB, "web-session-7", None),
        ]
        for code, channel, external_id, unreachable in chats:
            session.add(
                ChatAccount(
                    channel=channel,
                    external_id=external_id,
                    official_id=people[code].id,
                    unreachable_since=unreachable,
                )
            )
        sends = [
            ("B", "sent", False, NOW),
            ("D", "sent", False, NOW),
            ("D", "sent", True, NOW),  # a free test send
            ("B", "sent", False, NOW - timedelta(days=40)),  # last month's bill
            ("E", "invalid_phone", False, NOW),
        ]
        for number, (code, outcome, development, at) in enumerate(sends):
            row = OutboxMessage(
                dedupe_key=f"r{number}",
                official_id=people[code].id,
                kind="broadcast",
                not_before=at,
            )
            session.add(row)
            await session.flush()
            session.add(
                ZnsSend(
                    outbox_id=row.id,
                    official_id=people[code].id,
                    unit_id=commune.id,
                    kind="broadcast",
                    template_id="312347",
                    tracking_id=f"canbo-{row.id}",
                    month=at.strftime("%Y-%m"),
                    outcome=outcome,
                    development=development,
                    at=at,
                )
            )
        await session.commit()
    await engine.dispose()


def _configure(monkeypatch) -> None:
    monkeypatch.setenv("CANBO_TELEGRAM_TOKEN", "123456:fake-telegram-token")
    monkeypatch.setenv("CANBO_ZALO_TOKEN", "654321:fake-zalo-token")
    monkeypatch.setenv("CANBO_ZNS_APP_ID", "4410559234537725871")
    monkeypatch.setenv("CANBO_ZNS_SECRET_KEY", "fake-oa-app-s3cret")
    monkeypatch.setenv("CANBO_TIMEZONE", "UTC")  # the month as the test computes it


def test_each_channel_and_those_reached_by_none(tmp_path, monkeypatch, capsys):
    cli_database(tmp_path, monkeypatch, _province)
    _configure(monkeypatch)

    assert main(["report", "reach", "--unit", "D01", "--lang", "en"]) == 0

    month = f"{MONTH[5:]}/{MONTH[:4]}"
    assert capsys.readouterr().out.splitlines() == [
        "Reach of officials: Huyện Mỹ Đức",
        "7 officials",
        "• Telegram: 1/7 (14.3%)",
        "• Zalo: 1/7 (14.3%)",
        "• web chat (seen on their next visit): 1/7 (14.3%)",
        "• ZNS by phone (important messages only): 2/7 (28.6%)",
        "Reached by at least one: 4/7 (57.1%)",
        "",
        "Reached by none (3):",
        "• Hà Thị Phương (F, Xã Phúc Lâm): no linked chat, no mobile number in the roster",
        "• Vũ Văn Em (E, Xã Phúc Lâm): no linked chat, ZNS refused the number",
        "• Đỗ Văn Cường (C, Xã Phúc Lâm): every linked chat refuses messages, "
        "no mobile number in the roster",
        "",
        f"ZNS in {month}: 2 messages sent (paid)",
    ]


def test_in_vietnamese_and_without_zns(tmp_path, monkeypatch, capsys):
    cli_database(tmp_path, monkeypatch, _province)
    monkeypatch.setenv("CANBO_TELEGRAM_TOKEN", "123456:fake-telegram-token")
    monkeypatch.setenv("CANBO_TIMEZONE", "UTC")

    assert main(["report", "reach", "--unit", "C01"]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines[:5] == [
        "Khả năng liên lạc với cán bộ: Xã Phúc Lâm",
        "7 người",
        "• Telegram: 1/7 (14,3%)",
        "• trò chuyện trên web (thấy khi truy cập lần sau): 1/7 (14,3%)",
        "Liên lạc được qua ít nhất một kênh: 2/7 (28,6%)",
    ]
    assert not any(line.startswith("• ZNS") for line in lines)  # ZNS is not set up
    assert lines[-1] == f"ZNS tháng {MONTH[5:]}/{MONTH[:4]}: đã gửi 2 tin (có tính phí)"


def test_the_report_is_audited(tmp_path, monkeypatch, capsys):
    url = cli_database(tmp_path, monkeypatch, _province)
    _configure(monkeypatch)

    assert main(["report", "reach", "--unit", "C01"]) == 0

    async def actions() -> list[str]:
        engine = create_engine(url)
        async with session_factory(engine)() as session:
            found = list(await session.scalars(select(AuditEntry.action)))
        await engine.dispose()
        return found

    import asyncio

    assert asyncio.run(actions()) == ["report.reach"]
