"""The planner derives reminders from the stored dates on every run: nothing twice, a moved
date moves its reminders, what no longer applies is cancelled, a short outage loses nothing."""

from __future__ import annotations

import asyncio
from datetime import date, time, timedelta
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.config import ReminderConfig
from scheduler.dispatcher import Dispatcher, Outlet
from scheduler.limits import Limits, send_budget
from scheduler.planner import PlanResult, plan
from storage.db import create_engine, session_factory
from storage.models import (
    Base,
    Channel,
    Course,
    CourseKind,
    Enrollment,
    EnrollmentStatus,
    OutboxStatus,
)
from tests.factories import make_official
from tests.scheduler.helpers import (
    RecordingSender,
    VirtualClock,
    course,
    enrol,
    link,
    local,
    outbox,
)

CONFIG = ReminderConfig()
START = date(2027, 10, 4)  # a Monday


async def _enrolled(session: AsyncSession) -> tuple[int, int]:
    official = await make_official(session, "CB1")
    row = await course(session, "C1", CourseKind.OTHER, START)
    await enrol(session, official.id, row.id)
    await session.commit()
    return official.id, row.id


async def _milestones(session: AsyncSession, **where: Any) -> list[tuple[str, OutboxStatus]]:
    return [(r.milestone, r.status) for r in await outbox(session, kind="course_start", **where)]


async def test_planning_twice_queues_nothing_twice(session):
    await _enrolled(session)
    now = local(START - timedelta(days=14))
    first = await plan(session, now, CONFIG)
    second = await plan(session, now + timedelta(hours=3), CONFIG)
    assert first.queued == {"course_start": 1}
    assert second.queued == {}
    assert await _milestones(session) == [("d14@2027-10-04", OutboxStatus.PENDING)]


@pytest.mark.postgres
async def test_two_workers_planning_at_once_queue_once(postgres_url):
    engine = create_engine(postgres_url)
    sessions = session_factory(engine)
    try:
        async with sessions() as session:
            await _enrolled(session)
        now = local(START - timedelta(days=3))

        async def one_worker() -> PlanResult:
            async with sessions() as session:
                return await plan(session, now, CONFIG)

        results = await asyncio.gather(*(one_worker() for _ in range(3)))
        assert sum(r.total for r in results) == 1
        async with sessions() as session:
            assert await _milestones(session) == [("d3@2027-10-04", OutboxStatus.PENDING)]
    finally:
        async with engine.begin() as connection:
            for table in reversed(Base.metadata.sorted_tables):
                await connection.execute(table.delete())
        await engine.dispose()


async def test_a_moved_date_moves_its_reminders(session):
    _, course_id = await _enrolled(session)
    await plan(session, local(START - timedelta(days=14)), CONFIG)
    moved = START + timedelta(days=7)
    await session.execute(update(Course).where(Course.id == course_id).values(starts_on=moved))
    await session.commit()
    await plan(session, local(START - timedelta(days=13)), CONFIG)
    assert await _milestones(session) == [("d14@2027-10-04", OutboxStatus.CANCELLED)]
    await plan(session, local(moved - timedelta(days=14)), CONFIG)
    assert (await _milestones(session))[-1] == ("d14@2027-10-11", OutboxStatus.PENDING)


async def test_a_dropped_enrollment_cancels_its_reminders(session):
    official_id, _ = await _enrolled(session)
    await plan(session, local(START - timedelta(days=3)), CONFIG)
    await session.execute(
        update(Enrollment)
        .where(Enrollment.official_id == official_id)
        .values(status=EnrollmentStatus.DROPPED)
    )
    await session.commit()
    result = await plan(session, local(START - timedelta(days=3), time(12)), CONFIG)
    assert result.cancelled == 1
    assert await _milestones(session) == [("d3@2027-10-04", OutboxStatus.CANCELLED)]


@pytest.mark.parametrize(
    ("back_on", "queued"),
    [
        (START - timedelta(days=10), ["d14@2027-10-04"]),  # 4 days late: still sent
        (START - timedelta(days=2), ["d3@2027-10-04"]),  # d14 is 12 days late: skipped
        (START - timedelta(days=1), ["d1@2027-10-04"]),  # d3 and d1 due: only the latest
    ],
)
async def test_after_an_outage_a_missed_milestone_is_sent_once_if_recent(session, back_on, queued):
    await _enrolled(session)
    await plan(session, local(back_on), CONFIG)
    await plan(session, local(back_on, time(18)), CONFIG)
    rows = await outbox(session, kind="course_start")
    assert [r.milestone for r in rows] == queued
    assert rows[0].not_before == local(back_on)


async def test_the_dispatcher_cancels_what_stopped_applying_since_planning(session, engine):
    official_id, _ = await _enrolled(session)
    await link(session, official_id=official_id, external_id="42")
    await session.commit()
    clock = VirtualClock(local(START - timedelta(days=3)))
    await plan(session, clock.now(), CONFIG)
    await session.execute(
        update(Enrollment)
        .where(Enrollment.official_id == official_id)
        .values(status=EnrollmentStatus.COMPLETED, completed_on=START - timedelta(days=3))
    )
    await session.commit()
    sender = RecordingSender(clock)
    dispatcher = Dispatcher(
        engine,
        {Channel.TELEGRAM: Outlet(sender, send_budget(None, "test", Limits(), clock))},
        CONFIG,
        clock=clock,
    )
    report = await dispatcher.run_once()
    assert (report.cancelled, report.sent, sender.sent) == (1, 0, [])
    assert await _milestones(session) == [("d3@2027-10-04", OutboxStatus.CANCELLED)]
