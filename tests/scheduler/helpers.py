"""Shared pieces of the scheduler tests: a virtual clock, a recording sender, records."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler import kinds
from scheduler.config import ReminderConfig
from scheduler.delivery import Outgoing
from scheduler.timing import QuietWindow
from storage.models import (
    Channel,
    ChatAccount,
    Course,
    CourseKind,
    Enrollment,
    EnrollmentStatus,
    OutboxMessage,
    OutboxStatus,
)
from storage.outbox import Notice, enqueue
from storage.types import utcnow
from tests.factories import make_official

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
# No quiet hours: what is due goes out whatever the hour the tests run at.
AWAKE = "00:00-00:00"
ALWAYS = ReminderConfig(quiet_hours=QuietWindow.parse(AWAKE))


def local(day: date, at: time = time(7, 30)) -> datetime:
    """``day`` at local ``at``, as an aware UTC datetime."""
    return datetime.combine(day, at, ZONE).astimezone(UTC)


class VirtualClock:
    """Time that passes only when told to; ``sleep`` returns at once, having advanced it."""

    def __init__(self, start: datetime) -> None:
        self._now = start
        self._monotonic = 1000.0
        self.slept: list[float] = []

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._monotonic

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.advance(seconds)
        await asyncio.sleep(0)

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)
        self._monotonic += seconds

    def set(self, moment: datetime) -> None:
        self.advance(max(0.0, (moment - self._now).total_seconds()))


class RecordingSender:
    """A messenger that accepts everything and remembers when, to whom and what."""

    channel = Channel.TELEGRAM
    identity = "telegram:1"

    def __init__(self, clock: VirtualClock) -> None:
        self.clock = clock
        self.sent: list[tuple[datetime, str, Outgoing]] = []

    async def send(self, chat_id: str, message: Outgoing) -> str:
        self.sent.append((self.clock.now(), chat_id, message))
        return str(len(self.sent))

    async def close(self) -> None:
        return None


async def link(session: AsyncSession, official_id: int, external_id: str, **fields) -> ChatAccount:
    chat = ChatAccount(
        channel=Channel.TELEGRAM, external_id=external_id, official_id=official_id, **fields
    )
    session.add(chat)
    await session.flush()
    return chat


async def course(
    session: AsyncSession,
    code: str,
    kind: CourseKind,
    starts_on: date,
    enroll_by: date | None = None,
    hours: Decimal | None = None,
) -> Course:
    row = Course(
        code=code,
        name=f"Lớp {code}",
        kind=kind,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=30),
        enroll_by=enroll_by,
        hours=hours,
    )
    session.add(row)
    await session.flush()
    return row


async def enrol(
    session: AsyncSession,
    official_id: int,
    course_id: int,
    status: EnrollmentStatus = EnrollmentStatus.REGISTERED,
    completed_on: date | None = None,
) -> Enrollment:
    row = Enrollment(
        official_id=official_id,
        course_id=course_id,
        status=status,
        completed_on=completed_on,
    )
    session.add(row)
    await session.flush()
    return row


async def outbox(session: AsyncSession, **where) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    for name, value in where.items():
        query = query.where(getattr(OutboxMessage, name) == value)
    session.expire_all()
    return list(await session.scalars(query))


async def next_due(session: AsyncSession) -> datetime | None:
    session.expire_all()
    return await session.scalar(
        select(func.min(OutboxMessage.not_before)).where(
            OutboxMessage.status == OutboxStatus.PENDING
        )
    )


async def refreshed_this_year(session: AsyncSession, official_ids: list[int], code: str) -> None:
    """Each of these officials completed a refresher course (coded ``code``) today, so the
    yearly refresher reminders (01/09, 01/11, 01/12) are not due for them on any date: a
    running service's planner then finds nothing to send them that a test did not queue."""
    today = datetime.now(ZONE).date()
    refresher = await course(session, f"{code}-REFRESHER", CourseKind.REFRESHER, today)
    for official_id in official_ids:
        await enrol(session, official_id, refresher.id, EnrollmentStatus.COMPLETED, today)


async def queue_linked(session: AsyncSession, count: int, prefix: str, first_chat: int) -> None:
    """``count`` officials coded ``prefix<n>``, linked to chats ``first_chat + n``, each with one
    urgent message due now (urgent, so a test does not depend on the day it runs), and nothing
    else to be reminded of (``refreshed_this_year``)."""
    officials = [await make_official(session, f"{prefix}{number}") for number in range(count)]
    await refreshed_this_year(session, [row.id for row in officials], prefix)
    notices = []
    for number, row in enumerate(officials):
        await link(session, row.id, str(first_chat + number))
        reminder = {"kind": kinds.BOND, "payload": {"step": "end", "ends_on": "2027-01-01"}}
        notices.append(
            Notice(
                kind=kinds.ESCALATE_DECLINED,
                payload={"official": f"Người {number}", "unit": "Xã", "reminder": reminder},
                not_before=utcnow(),
                official_id=row.id,
                subject=f"o{number}",
                urgent=True,
            )
        )
    await enqueue(session, notices)
    await session.commit()
