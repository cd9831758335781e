"""The reminder jobs inside `canbo run`: the planner at start-up and daily at 07:30 local time
(misfires coalesced), the dispatcher running until the service stops."""

from __future__ import annotations

import asyncio
from datetime import time, timedelta
from typing import Any

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger

from scheduler import kinds
from scheduler.clock import SystemClock
from scheduler.config import ReminderConfig
from scheduler.delivery import Outgoing
from scheduler.dispatcher import Dispatcher, DispatchSettings, Outlet
from scheduler.jobs import ReminderJobs
from scheduler.limits import Limits, send_budget
from storage.db import create_engine
from storage.models import Channel, CourseKind
from storage.outbox import Notice, enqueue
from storage.types import utcnow
from tests.factories import make_official
from tests.faults.support import free_port
from tests.scheduler.helpers import ALWAYS, RecordingSender, course, enrol, link, outbox


class _Jobs(ReminderJobs):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.planned = asyncio.Event()

    async def plan(self) -> None:
        await super().plan()
        self.planned.set()


class _Signalling(RecordingSender):
    def __init__(self, clock: Any) -> None:
        super().__init__(clock)
        self.arrived = asyncio.Event()

    async def send(self, chat_id: str, message: Outgoing) -> str:
        self.arrived.set()
        return await super().send(chat_id, message)


async def test_the_planner_runs_at_start_up_and_the_dispatcher_until_stopped(session, engine):
    official = await make_official(session, "CB1")
    await link(session, official.id, "42")
    today = ALWAYS.calendar.local(utcnow()).date()
    starting = await course(session, "C1", CourseKind.OTHER, today + timedelta(days=14))
    await enrol(session, official.id, starting.id)
    starts_on = starting.starts_on
    declined = {"kind": kinds.BOND, "payload": {"step": "end", "ends_on": "2027-01-01"}}
    await enqueue(
        session,
        [
            Notice(
                kind=kinds.ESCALATE_DECLINED,
                payload={"official": "Lê Văn Tám", "unit": "Xã", "reminder": declined},
                not_before=utcnow(),
                official_id=official.id,
                urgent=True,
            )
        ],
    )
    await session.commit()
    sender = _Signalling(SystemClock())
    dispatcher = Dispatcher(
        engine,
        {Channel.TELEGRAM: Outlet(sender, send_budget(None, "test", Limits(), SystemClock()))},
        ALWAYS,
        settings=DispatchSettings(idle_poll=0.05),
    )
    jobs = _Jobs(engine, ALWAYS, dispatcher)

    await jobs.start()
    try:
        async with asyncio.timeout(10):
            await sender.arrived.wait()
            await jobs.planned.wait()
    finally:
        await jobs.stop()

    assert "Lê Văn Tám" in sender.sent[0][2].text
    (reminder,) = await outbox(session, kind=kinds.COURSE_START)
    assert reminder.milestone == f"d14@{starts_on.isoformat()}"
    assert not jobs.scheduler.running and jobs._task is not None and jobs._task.done()


async def test_the_daily_run_is_at_0730_local_time_and_misfires_coalesce(engine):
    jobs = ReminderJobs(engine, ReminderConfig(), None)
    await jobs.start()
    try:
        job = jobs.scheduler.get_job("plan-reminders")
        assert isinstance(job.trigger, CronTrigger)
        assert str(job.trigger) == "cron[hour='7', minute='30']"
        assert str(job.trigger.timezone) == "Asia/Ho_Chi_Minh"
        assert (job.coalesce, job.misfire_grace_time, job.max_instances) == (True, None, 1)
        following = job.trigger.get_next_fire_time(None, job.next_run_time)
        assert following.timetz().replace(tzinfo=None) == time(7, 30)
    finally:
        await jobs.stop()


async def test_a_planner_run_the_database_was_down_for_is_one_line_and_runs_again(caplog):
    """Nothing listens where the database should be: one warning, no traceback, and the
    planner runs again a minute later instead of at 07:30 tomorrow."""
    engine = create_engine(f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/none")
    jobs = ReminderJobs(engine, ReminderConfig(), None)
    jobs.scheduler.start(paused=True)
    try:
        await jobs.plan()
        await jobs.plan()
        retry = jobs.scheduler.get_job("plan-reminders-retry")
    finally:
        jobs.scheduler.shutdown(wait=False)
        await engine.dispose()

    lines = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "scheduler.jobs"]
    assert lines == [
        ("WARNING", "database unreachable (ConnectionRefusedError): planning reminders waits "
         "until it is back"),
    ]  # fmt: skip
    assert not any(r.exc_info for r in caplog.records)
    assert retry is not None and isinstance(retry.trigger, DateTrigger)
