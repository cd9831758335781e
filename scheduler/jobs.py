"""The reminder jobs inside `canbo run`: the planner every day at 07:30 local time and once at
start-up (APScheduler; a run missed while the service was down is made up once, not once per
missed day), and the dispatcher and the fallback (scheduler/fallback.py) as tasks that run until
the service stops."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, time, timedelta
from time import perf_counter

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.ext.asyncio import AsyncEngine

from scheduler import metrics
from scheduler.config import ReminderConfig
from scheduler.dispatcher import Dispatcher
from scheduler.fallback import Fallback
from scheduler.planner import plan
from storage.db import OutageLog, is_outage, session_factory
from storage.types import utcnow

log = logging.getLogger(__name__)

PLAN_AT = time(7, 30)
PLAN_RETRY = timedelta(minutes=1)  # after a run the database was unreachable for


class ReminderJobs:
    def __init__(
        self,
        engine: AsyncEngine,
        config: ReminderConfig,
        dispatcher: Dispatcher | None,
        fallback: Fallback | None = None,
    ) -> None:
        self.sessions = session_factory(engine)
        self.config = config
        self.dispatcher = dispatcher
        self.fallback = fallback
        self.scheduler = AsyncIOScheduler(
            timezone=config.zone,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._fallback_task: asyncio.Task[None] | None = None
        self._planning: asyncio.Task[object] | None = None
        self._outage = OutageLog(log, "planning reminders")

    async def start(self) -> None:
        self.scheduler.add_job(
            self.plan,
            CronTrigger(hour=PLAN_AT.hour, minute=PLAN_AT.minute, timezone=self.config.zone),
            id="plan-reminders",
            next_run_time=datetime.now(self.config.zone),
        )
        self.scheduler.start()
        if self.dispatcher is not None:
            self._task = asyncio.create_task(self.dispatcher.run(self._stop), name="dispatcher")
        if self.fallback is not None:
            self._fallback_task = asyncio.create_task(
                self.fallback.run(self._stop), name="fallback"
            )

    async def stop(self) -> None:
        self.scheduler.shutdown(wait=False)
        self._stop.set()
        if self._planning is not None:
            self._planning.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._planning
        for task in (self._task, self._fallback_task):
            if task is not None:
                await task
        if self.dispatcher is not None:
            await self.dispatcher.close()
        if self.fallback is not None:
            await self.fallback.close()

    async def plan(self) -> None:
        self._planning = asyncio.current_task()
        started = perf_counter()
        try:
            async with self.sessions() as session:
                result = await plan(session, utcnow(), self.config)
        except asyncio.CancelledError:  # the service is stopping; the run's transaction is undone
            log.info("planning reminders interrupted by shutdown")
            return
        except Exception as error:
            self._outage.failed(error)
            metrics.PLAN_RUNS.labels("failed").inc()
            if is_outage(error):  # planned again once the database is back, not tomorrow
                self.scheduler.add_job(
                    self.plan,
                    "date",
                    run_date=datetime.now(self.config.zone) + PLAN_RETRY,
                    id="plan-reminders-retry",
                    replace_existing=True,
                )
            return
        finally:
            self._planning = None
        self._outage.succeeded()
        metrics.PLAN_SECONDS.observe(perf_counter() - started)
        metrics.PLAN_RUNS.labels("ok").inc()
        metrics.PLAN_LAST_SUCCESS.set_to_current_time()
        for kind, count in result.queued.items():
            metrics.PLAN_QUEUED.labels(kind).inc(count)
        metrics.PLAN_CANCELLED.inc(result.cancelled)
        log.info("planned reminders: %d queued, %d cancelled", result.total, result.cancelled)
