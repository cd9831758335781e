"""Reminders through Zalo: the scheduler's Sender over the Bot API, its error mapping, numbered
answers, and the dispatcher choosing the chat the official prefers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.channels.telegram_delivery import build_dispatcher
from bot.channels.zalo import ZaloClient
from bot.channels.zalo_delivery import ZaloSender
from scheduler import kinds
from scheduler.delivery import Outgoing, Rejected, RetryAfter, Transient, Unreachable
from scheduler.messages import Item, render
from storage.db import session_factory
from storage.models import (
    AnswerKind,
    Channel,
    ChatAccount,
    OutboxMessage,
    OutboxStatus,
    ReminderAnswer,
)
from storage.outbox import Notice, enqueue
from storage.types import utcnow
from tests.telegram.conftest import free_port
from tests.zalo.conftest import zalo_settings
from tests.zalo.records import linked, record_with_two_courses

ANSWERS = (
    ("Đã đăng ký", "rem:7:done"),
    ("Nhắc lại sau 3 ngày", "rem:7:snooze"),
    ("Không tham gia được", "rem:7:decline"),
)


@pytest.fixture
async def sender(zalo_api, engine):
    sender = ZaloSender(
        ZaloClient(zalo_api.token, zalo_api.base_url), session_factory(engine), "vi"
    )
    yield sender
    await sender.close()


async def _account(session, external_id: str, official=None, **fields) -> ChatAccount:
    account = ChatAccount(
        channel=fields.pop("channel", Channel.ZALO),
        external_id=external_id,
        official_id=official.id if official else None,
        language="vi",
        muted_kinds=[],
        dialog_data={},
        **fields,
    )
    session.add(account)
    await session.commit()
    return account


async def test_a_message_is_delivered_and_its_id_returned(sender, zalo_api):
    message_id = await sender.send("zu-300", Outgoing("Nhắc nhở"))

    (sent,) = zalo_api.messages_to("zu-300")
    assert (sent.text, sent.message_id) == ("Nhắc nhở", message_id)
    assert sender.identity == "zalo:1234567890"


async def test_answers_are_numbered_and_typing_a_number_will_press_one(sender, zalo_api, session):
    account = await _account(session, "zu-301")

    await sender.send("zu-301", Outgoing("Khóa học sắp khai giảng.", (ANSWERS,)))

    (sent,) = zalo_api.messages_to("zu-301")
    assert sent.text == (
        "Khóa học sắp khai giảng.\n\n"
        "1. Đã đăng ký\n2. Nhắc lại sau 3 ngày\n3. Không tham gia được\n"
        "Gõ 1, 2 hoặc 3."
    )
    await session.refresh(account)
    assert account.dialog_data["options"] == [data for _label, data in ANSWERS]


async def test_a_long_reminder_goes_out_in_parts(sender, zalo_api):
    text = "\n".join(f"{n}. " + "nhắc nhở " * 30 for n in range(12))

    await sender.send("zu-302", Outgoing(text))

    parts = [m.text or "" for m in zalo_api.messages_to("zu-302")]
    assert len(parts) == 2 and all(len(part) <= 2000 for part in parts)


@pytest.mark.parametrize(
    ("status", "description", "error"),
    [
        (429, "Too Many Requests", RetryAfter),
        (500, "Internal Server Error", Transient),
        (502, "Bad Gateway", Transient),
        (400, "Bad Request: text is invalid", Rejected),
        (400, "Bad Request: chat not found", Unreachable),
    ],
)
async def test_api_errors_map_onto_the_dispatchers(sender, zalo_api, status, description, error):
    zalo_api.fail_next("sendMessage", status=status, description=description, retry_after=4)

    with pytest.raises(error) as raised:
        await sender.send("zu-303", Outgoing("Nhắc nhở"))

    if error is RetryAfter:
        assert raised.value.seconds == 4


async def test_a_blocked_chat_is_unreachable(sender, zalo_api):
    zalo_api.block("zu-304")

    with pytest.raises(Unreachable):
        await sender.send("zu-304", Outgoing("Nhắc nhở"))


async def test_the_codes_taken_for_blocked_are_a_setting(zalo_api, engine):
    """Zalo documents no code for a user who blocked the bot: 403 is assumed, others can be
    named (CANBO_ZALO_BLOCKED_CODES)."""
    client = ZaloClient(zalo_api.token, zalo_api.base_url)
    sender = ZaloSender(client, session_factory(engine), "vi", frozenset({403, 451}))
    zalo_api.fail_next("sendMessage", status=451, description="Unavailable For Legal Reasons")

    with pytest.raises(Unreachable):
        await sender.send("zu-305", Outgoing("Nhắc nhở"))
    await sender.close()


async def test_an_unreachable_api_is_transient(engine):
    client = ZaloClient("1:x", f"http://127.0.0.1:{free_port()}/bot")
    sender = ZaloSender(client, session_factory(engine), "vi")

    with pytest.raises(Transient):
        await sender.send("zu-305", Outgoing("Nhắc nhở"))
    await sender.close()


def _declined(official) -> Notice:
    return Notice(
        kind=kinds.ESCALATE_DECLINED,
        payload={
            "about": official.id,
            "official": official.full_name,
            "unit": "Xã Tân Lập",
            "reminder": {"kind": kinds.REFRESHER, "payload": {"year": 2025}},
        },
        not_before=utcnow() - timedelta(minutes=1),
        official_id=official.id,
        subject="test",
        urgent=True,
    )


async def test_the_dispatcher_reaches_the_chat_the_official_prefers(
    zalo_api, telegram_api, database_url, engine, session
):
    record, _second = await record_with_two_courses(session)
    official = record.official
    await _account(session, "4242", official, channel=Channel.TELEGRAM)
    await _account(session, "zu-306", official, preferred=True)
    await enqueue(session, [_declined(official)])
    await session.commit()
    settings = zalo_settings(
        zalo_api,
        database_url,
        telegram_token=telegram_api.token,
        telegram_api_url=telegram_api.base_url,
    )
    dispatcher = build_dispatcher(settings, engine)
    assert dispatcher is not None

    report = await dispatcher.drain()
    await dispatcher.close()

    assert report is not None and report.sent == 1
    (sent,) = zalo_api.messages_to("zu-306")
    assert "Trần Thị Bình (Xã Tân Lập) đã trả lời" in (sent.text or "")
    assert telegram_api.sent == []
    row = await session.scalar(select(OutboxMessage))
    await session.refresh(row)
    assert row.status is OutboxStatus.SENT


async def test_a_zalo_only_deployment_dispatches_too(zalo_api, database_url, engine, session):
    record, _second = await record_with_two_courses(session)
    await _account(session, "zu-307", record.official)
    await enqueue(session, [_declined(record.official)])
    await session.commit()

    dispatcher = build_dispatcher(zalo_settings(zalo_api, database_url), engine)
    assert dispatcher is not None
    report = await dispatcher.drain()
    await dispatcher.close()

    assert report is not None and report.sent == 1
    assert len(zalo_api.messages_to("zu-307")) == 1


async def test_typing_a_number_answers_a_reminder_sent_through_zalo(
    zalo_bot, zalo_api, engine, session
):
    chat, record, _second = await linked(zalo_api, session, "zu-308")
    reminder = Notice(
        kind=kinds.REFRESHER,
        payload={"about": record.official.id, "year": 2026},
        not_before=utcnow() + timedelta(days=30),  # the dispatcher leaves it alone
        official_id=record.official.id,
        subject="refresher:2026",
    )
    await enqueue(session, [reminder])
    await session.commit()
    row = await session.scalar(select(OutboxMessage))
    assert row is not None
    sender = ZaloSender(
        ZaloClient(zalo_api.token, zalo_api.base_url), session_factory(engine), "vi"
    )
    await sender.send("zu-308", render([Item(row.id, row.kind, row.payload)], "vi"))
    await sender.close()

    (shown,) = chat.received()[-1:]
    answer = await chat.ask("1")

    assert "1. Đã đăng ký" in (shown.text or "")
    assert answer == "Cảm ơn anh/chị. Anh/chị sẽ không nhận thêm lời nhắc về việc này."
    recorded = await session.scalar(select(ReminderAnswer))
    assert recorded is not None
    assert (recorded.outbox_id, recorded.answer) == (row.id, AnswerKind.DONE)


async def test_the_default_pace_draws_no_429_from_zalos_assumed_limit(
    database_url, engine, session
):
    """Zalo documents no rate limit; the fake assumes Telegram's 30 a second (any one-second
    window), and CANBO_ZALO_RATE's default stays under it: a burst of reminders gets no 429."""
    from bot.channels.zalo_delivery import zalo_outlet
    from scheduler.dispatcher import Dispatcher
    from tests.factories import make_official
    from tests.fakes.zalo_api import FakeZalo
    from tests.scheduler.helpers import ALWAYS, VirtualClock

    clock = VirtualClock(utcnow())
    async with FakeZalo(clock=clock.monotonic) as fake:
        officials = [await make_official(session, f"Z{n:03d}") for n in range(80)]
        for official in officials:
            await _account(session, f"zu-p{official.id}", official)
        await enqueue(session, [_declined(official) for official in officials])
        await session.commit()
        outlet = zalo_outlet(zalo_settings(fake, database_url), session_factory(engine), clock)
        assert outlet is not None
        dispatcher = Dispatcher(engine, {Channel.ZALO: outlet}, ALWAYS, clock=clock)

        report = await dispatcher.drain()
        await dispatcher.close()

    assert report is not None and report.sent == 80
    assert len([c for c in fake.calls if c.method == "sendmessage"]) == 80  # none refused
