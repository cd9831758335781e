"""The dispatcher through the real python-telegram-bot client against the fake Bot API over
HTTP, on a virtual clock both share: grouping, language, 429, 5xx, timeouts, blocked users and
Telegram's rate limits."""

from __future__ import annotations

import itertools
from datetime import date, time, timedelta
from typing import Any

import pytest
from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.channels.telegram_delivery import TelegramSender
from scheduler.clock import SystemClock
from scheduler.config import ReminderConfig
from scheduler.dispatcher import Dispatcher, DispatchSettings, Outlet
from scheduler.limits import Limits, Priority, send_budget
from scheduler.planner import plan
from storage.models import Bond, Channel, ChatAccount, CourseKind, DeliveryAttempt, OutboxStatus
from storage.outbox import COURSE_REGISTRATION, Notice, enqueue
from tests.factories import make_official
from tests.fakes.telegram_api import FakeTelegram
from tests.faults.support import busiest_second
from tests.scheduler.helpers import VirtualClock, course, enrol, link, local, outbox

CONFIG = ReminderConfig()
MONDAY = date(2026, 11, 30)
COURSES_START = MONDAY + timedelta(days=14)
CODES = itertools.count(1)


@pytest.fixture
def clock():
    return VirtualClock(local(MONDAY, time(9)))


@pytest.fixture
async def fake(clock):
    async with FakeTelegram(clock=clock.monotonic) as fake:
        yield fake


def _dispatcher(
    engine: AsyncEngine,
    fake: FakeTelegram,
    clock: VirtualClock,
    timeout: float = 5.0,
    **settings: Any,
) -> Dispatcher:
    sender = TelegramSender(fake.token, fake.base_url, timeout=timeout)
    outlet = Outlet(sender, send_budget(None, "test", Limits(), clock))
    return Dispatcher(
        engine,
        {Channel.TELEGRAM: outlet},
        CONFIG,
        settings=DispatchSettings(**settings),
        clock=clock,
    )


@pytest.fixture
async def dispatcher(engine, fake, clock):
    dispatcher = _dispatcher(engine, fake, clock)
    yield dispatcher
    await dispatcher.close()


async def _people(session: AsyncSession, count: int, **chat_fields: Any) -> list[int]:
    """``count`` linked officials; their Telegram chat ids are 101, 102, …"""
    ids = []
    for number in range(1, count + 1):
        official = await make_official(session, f"CB{number}", full_name=f"Cán bộ {number}")
        await link(session, official.id, str(100 + number), **chat_fields)
        ids.append(official.id)
    await session.commit()
    return ids


async def _remind(
    session: AsyncSession, clock: VirtualClock, *official_ids: int, courses: int = 1
) -> None:
    """Enrol each official in ``courses`` new courses starting in two weeks, and plan: a
    course-start reminder for each, due now."""
    rows = [
        await course(session, f"L{next(CODES)}", CourseKind.OTHER, COURSES_START)
        for _ in range(courses)
    ]
    for official_id in official_ids:
        for row in rows:
            await enrol(session, official_id, row.id)
    await session.commit()
    await plan(session, clock.now(), CONFIG)


async def _outcomes(session: AsyncSession) -> list[str]:
    session.expire_all()
    return list(await session.scalars(select(DeliveryAttempt.outcome).order_by(DeliveryAttempt.id)))


def _chats() -> Select[ChatAccount]:
    return select(ChatAccount).order_by(ChatAccount.id)


async def test_one_message_per_person_in_their_language(session, dispatcher, fake, clock):
    (vi_id,) = await _people(session, 1)
    en = await make_official(session, "EN1")
    await link(session, en.id, "201", language="en")
    session.add(Bond(official_id=vi_id, starts_on=date(2024, 11, 30), months=24))
    await _remind(session, clock, vi_id, en.id)

    report = await dispatcher.run_once()

    assert (report.sent, report.messages) == (3, 2)
    (vietnamese,) = fake.messages_to(101)
    lines = vietnamese.text.split("\n\n")
    assert lines[0] == "Anh/chị có 2 lời nhắc:"
    assert lines[1].startswith("1. Khóa học Lớp L")
    assert lines[1].endswith(" của anh/chị khai giảng ngày 14/12/2026.")
    assert (
        lines[2] == "2. Thời gian cam kết phục vụ của anh/chị kết thúc ngày 30/11/2026. "
        "Cảm ơn anh/chị đã cống hiến."
    )
    (buttons,) = vietnamese.buttons  # the bond needs no answer
    assert [b["text"] for b in buttons] == [
        "Đã đăng ký (1)",
        "Nhắc lại sau 3 ngày (1)",
        "Không tham gia được (1)",
    ]
    (english,) = fake.messages_to(201)
    assert english.text.startswith("Your course Lớp L") and english.text.endswith(
        " starts on 14/12/2026."
    )
    assert [b["text"] for b in english.buttons[0]] == [
        "Registered",
        "Remind me in 3 days",
        "Cannot attend",
    ]
    assert {r.status for r in await outbox(session)} == {OutboxStatus.SENT}
    assert await _outcomes(session) == ["sent"] * 3


async def test_a_429_pauses_all_sending_for_retry_after(session, dispatcher, fake, clock):
    first, second = await _people(session, 2)
    await _remind(session, clock, first)
    fake.fail_next("sendMessage", status=429, description="Too Many Requests", retry_after=7)
    start = clock.monotonic()

    assert (await dispatcher.run_once()).retried == 1
    (row,) = await outbox(session)
    assert row.status is OutboxStatus.PENDING
    assert row.not_before == clock.now() + timedelta(seconds=7)
    await _remind(session, clock, second)
    assert (await dispatcher.run_once()).sent == 1  # waits out the pause, then sends
    clock.set(row.not_before)
    assert (await dispatcher.run_once()).sent == 1

    assert [m.chat_id for m in fake.sent] == [102, 101]
    assert all(m.at >= start + 7 for m in fake.sent)
    assert await _outcomes(session) == ["retry_after", "sent", "sent"]


async def test_server_errors_back_off_exponentially_then_succeed(session, dispatcher, fake, clock):
    (official_id,) = await _people(session, 1)
    await _remind(session, clock, official_id)
    fake.fail_next("sendMessage", status=502, description="Bad Gateway", count=3)
    waits = []
    while not fake.sent:
        await dispatcher.run_once()
        (row,) = await outbox(session)
        if row.status is OutboxStatus.PENDING:
            waits.append((row.not_before - clock.now()).total_seconds())
            clock.set(row.not_before)

    # base 5 s, doubling, with jitter between half and all of it
    assert len(waits) == 3
    assert 2.5 <= waits[0] <= 5 and 5 <= waits[1] <= 10 and 10 <= waits[2] <= 20
    assert row.attempts == 4
    assert await _outcomes(session) == ["transient"] * 3 + ["sent"]


async def test_after_max_attempts_a_message_fails(session, engine, fake, clock):
    (official_id,) = await _people(session, 1)
    await _remind(session, clock, official_id)
    fake.fail_next("sendMessage", status=500, count=10)
    dispatcher = _dispatcher(engine, fake, clock, max_attempts=3)
    try:
        for _ in range(3):
            await dispatcher.run_once()
            (row,) = await outbox(session)
            clock.set(row.not_before)
    finally:
        await dispatcher.close()
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, 3)
    assert fake.sent == []


async def test_a_timeout_is_retried(session, engine, fake, clock):
    (official_id,) = await _people(session, 1)
    await _remind(session, clock, official_id)
    fake.hang_rate, fake.hang_seconds = 1.0, 5.0
    dispatcher = _dispatcher(engine, fake, clock, timeout=0.2)
    try:
        assert (await dispatcher.run_once()).retried == 1
        fake.hang_rate = 0.0
        (row,) = await outbox(session)
        assert "Timed out" in (row.last_error or "")
        clock.set(row.not_before)
        assert (await dispatcher.run_once()).sent == 1
    finally:
        await dispatcher.close()
    assert len(fake.messages_to(101)) == 1


async def test_a_blocked_user_or_a_lost_chat_is_unreachable(session, dispatcher, fake, clock):
    blocked, gone, fine = await _people(session, 3)
    blocked_at = clock.now()
    fake.block(101)
    await _remind(session, clock, blocked)
    assert (await dispatcher.run_once()).unreachable == 1
    fake.fail_next("sendMessage", status=400, description="Bad Request: chat not found")
    await _remind(session, clock, gone)
    assert (await dispatcher.run_once()).unreachable == 1
    await _remind(session, clock, fine)
    assert (await dispatcher.run_once()).sent == 1

    statuses = {r.official_id: (r.status, r.last_error) for r in await outbox(session)}
    assert statuses[blocked] == (
        OutboxStatus.UNREACHABLE,
        "Forbidden: bot was blocked by the user",
    )
    assert statuses[gone][0] is OutboxStatus.UNREACHABLE
    assert statuses[fine][0] is OutboxStatus.SENT
    session.expire_all()
    chats = {c.external_id: c.unreachable_since for c in await session.scalars(_chats())}
    assert chats["101"] == blocked_at and chats["103"] is None
    assert [m.chat_id for m in fake.sent] == [103]


async def test_a_user_who_unblocks_the_bot_is_reachable_again(session, dispatcher, fake, clock):
    (official_id,) = await _people(session, 1, unreachable_since=clock.now())
    await _remind(session, clock, official_id)
    assert (await dispatcher.run_once()).sent == 1
    session.expire_all()
    (chat,) = await session.scalars(_chats())
    assert chat.unreachable_since is None  # coordinators' digests stop listing them


async def test_someone_without_a_linked_chat_is_unreachable_without_a_call(
    session, dispatcher, fake, clock
):
    official = await make_official(session, "LONE")
    await _remind(session, clock, official.id)
    assert (await dispatcher.run_once()).unreachable == 1
    (row,) = await outbox(session)
    assert (row.status, row.last_error) == (OutboxStatus.UNREACHABLE, "not linked")
    assert fake.calls == []


async def test_muted_reminders_and_own_quiet_hours_are_respected(session, dispatcher, fake, clock):
    muted, night_owl = await _people(session, 2)
    session.expire_all()
    chats = {c.external_id: c for c in await session.scalars(_chats())}
    chats["101"].muted_kinds = ["course_start"]
    chats["102"].quiet_hours = "08:00-10:30"
    await _remind(session, clock, muted, night_owl)

    report = await dispatcher.run_once()

    assert (report.cancelled, report.deferred, report.sent) == (1, 1, 0)
    later = {r.official_id: r for r in await outbox(session)}[night_owl]
    assert later.not_before == local(MONDAY, time(10, 30))
    clock.set(later.not_before)
    assert (await dispatcher.run_once()).sent == 1


async def test_sending_stays_within_telegrams_limits(session, engine, clock):
    """45 people, one of them with 25 reminders (three messages): no 429 from the strict fake
    (30 in any second overall, 1 in any second per chat), both pacing in real time: a virtual
    clock would move on while a request is in flight."""
    people = await _people(session, 45)
    await _remind(session, clock, *people)
    await _remind(session, clock, people[0], courses=24)

    async with FakeTelegram() as fake:
        sender = TelegramSender(fake.token, fake.base_url)
        budget = send_budget(None, "test", Limits(), SystemClock())
        outlets = {Channel.TELEGRAM: Outlet(sender, budget)}
        dispatcher = Dispatcher(engine, outlets, CONFIG, clock=clock)
        report = await dispatcher.drain()
        await dispatcher.close()

    assert report is not None
    assert (report.sent, report.retried, fake.throttled) == (69, 0, 0)
    sends = [c for c in fake.calls if c.method == "sendmessage"]
    assert len(sends) == len(fake.sent) == report.messages
    assert busiest_second(fake) <= 30
    busy = [m.at for m in fake.messages_to(101)]
    assert len(busy) >= 3 and all(b - a >= 1 for a, b in itertools.pairwise(busy))


async def test_a_group_gets_at_most_20_messages_a_minute(clock):
    budget = send_budget(None, "test", Limits(), clock)
    times = []
    for _ in range(25):
        await budget.acquire("-100", True, Priority.ROUTINE)
        times.append(clock.monotonic())
    assert all(later - first >= 60 for first, later in zip(times, times[20:], strict=False))


async def test_a_course_registration_note_reaches_the_coordinator(session, dispatcher, fake, clock):
    """The note the chat queues when an official registers (handlers/courses.py) is sendable."""
    (coordinator_id,) = await _people(session, 1)
    payload = {
        "about": coordinator_id,
        "official": "Nguyễn Văn An",
        "code": "CB9",
        "unit": "Xã Sơn Động",
        "course": "Trung cấp LLCT lớp 01",
        "course_code": "LLCT-01",
        "starts_on": "2026-12-07",
    }
    await enqueue(
        session,
        [
            Notice(
                kind=COURSE_REGISTRATION,
                payload=payload,
                not_before=clock.now(),
                official_id=coordinator_id,
                subject="enrollment:1",
            )
        ],
    )
    await session.commit()

    report = await dispatcher.run_once()

    assert report.sent == 1
    (note,) = fake.messages_to(101)
    assert "Nguyễn Văn An (CB9, Xã Sơn Động)" in note.text
    assert "Trung cấp LLCT lớp 01 (LLCT-01)" in note.text
    assert "07/12/2026" in note.text
    assert "đăng ký" in note.text  # in the coordinator's language, Vietnamese
