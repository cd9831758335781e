"""The reminder planner: what is due today, derived again from the stored dates on every run.

Nothing is kept as a timer. Each run computes every official's candidates (scheduler.kinds),
queues those due today through the outbox (whose unique dedupe key makes a second run, a
restart or a second worker queue nothing twice) and cancels pending reminders whose candidate
is gone: course completed, enrollment cancelled, date moved (the milestone names its date, so
a moved date is a new reminder and the old one loses its candidate), chain answered.

Scale: a run reads the officials a chunk at a time and queues each chunk's due reminders in
bulk (on PostgreSQL while the next chunk is planned: scheduler/chunk_writer.py), so it holds
one chunk and, of the whole province, only the pending reminders (read first) that no
candidate has matched yet: what is left of them at the end is cancelled. Candidates that can
match nothing (not due yet, their target beyond the digest's window) are not made at all
(``Case.horizon``).

Late milestones: a run that finds a milestone up to ``grace_days`` old still queues it, once; an
older one is skipped, since the next milestone of its chain says the same, closer to the date.
When several milestones of one chain are due at once (the service was down), only the latest
is queued. A reminder the dispatcher could not deliver because the official had no chat yet
goes out when they link, if it is still due by that rule (``after_linking``).

Timing: a reminder is released at the day's working morning (the end of the quiet window) or
at the run's time if later; one that is not urgent waits past weekends and public holidays. A
reminder whose date would pass while waiting (a course starting Monday, reminded on Saturday)
is urgent and goes out that day, outside quiet hours.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from rules.standards import evaluate
from scheduler import kinds
from scheduler.chunk_writer import ChunkWriter
from scheduler.config import ReminderConfig
from scheduler.digest import DigestBook
from scheduler.kinds import Candidate
from scheduler.kinds.bonds import bond_milestones
from scheduler.kinds.courses import course_start, enrol_by
from scheduler.kinds.escalations import escalate_refresher, escalate_standards
from scheduler.kinds.programmes import programme_steps
from scheduler.kinds.refresher import refresher
from scheduler.kinds.standards import standards_deadline
from scheduler.ledger import NOT_LINKED
from scheduler.snapshot import (
    IN_LIST,
    Case,
    Chain,
    OfficialView,
    World,
    load_people,
    load_world,
    province,
)
from scheduler.timing import WorkCalendar
from storage.models import OutboxMessage, OutboxStatus
from storage.outbox import Notice, enqueue_by_kind

CHUNK = 2000  # officials loaded at a time

KINDS: tuple[Callable[[Case], Iterable[Candidate]], ...] = (
    course_start,
    enrol_by,
    refresher,
    standards_deadline,
    bond_milestones,
    programme_steps,
    escalate_standards,
    escalate_refresher,
)
# Reminders whose moment passes if they wait for a working day.
TIMELY = frozenset({kinds.COURSE_START, kinds.ENROL_BY, kinds.PROGRAMME_STEP})


class _Keyed(Protocol):
    """An outbox row, or the columns of one that say which reminder it is."""

    @property
    def id(self) -> int: ...
    @property
    def dedupe_key(self) -> str: ...
    @property
    def official_id(self) -> int | None: ...
    @property
    def kind(self) -> str: ...
    @property
    def subject(self) -> str: ...
    @property
    def milestone(self) -> str: ...
    @property
    def cycle(self) -> str: ...


@dataclass
class PlanResult:
    queued: dict[str, int] = field(default_factory=dict)  # new rows per kind
    cancelled: int = 0

    @property
    def total(self) -> int:
        return sum(self.queued.values())


async def plan(session: AsyncSession, now: datetime, config: ReminderConfig) -> PlanResult:
    """Queue what is due on ``now``'s local day and cancel what no longer applies. Commits."""
    with _collecting_young_only():
        return await _plan(session, now, config)


async def _plan(session: AsyncSession, now: datetime, config: ReminderConfig) -> PlanResult:
    today = config.calendar.local(now).date()
    world = await load_world(session, today, config)
    digests = await DigestBook.open(session, world, config)
    pending = await _pending(session)
    await session.commit()  # the writer's connection sees what the caller added
    releases = _Releases(now, config.calendar)
    async with ChunkWriter(session) as writer:
        async for people in province(session, CHUNK):
            notices: list[Notice] = []
            for case in _cases(people, world, config, digests.horizon_read):
                found = list(candidates(case))
                pending.keep(found)
                digests.add(case, found)
                notices += [releases.notice(c) for c in due(found, today, config)]
            await writer.write(notices)
            await session.commit()  # short transactions: the dispatcher writes meanwhile
    result = PlanResult(queued=dict(writer.queued))
    await _enqueue(session, digests.notices(now), result)
    result.cancelled = await _mark_cancelled(session, pending.stale(), now)
    await session.commit()
    return result


@contextmanager
def _collecting_young_only() -> Iterator[None]:
    """Planning a province makes millions of short-lived objects, and each of the collector's
    full passes would walk the whole process's older objects too (a fifth of the planner's
    time): those are frozen, out of the collector's sight, until planning ends."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def candidates(case: Case) -> Iterator[Candidate]:
    """Every reminder that applies to ``case``, due or not, except answered chains and those
    the kinds leave out as out of sight (``Case.horizon``)."""
    stopping, stopped = case.world.stopping, case.world.stopped
    for kind in KINDS:
        for candidate in kind(case):
            if candidate.recipient not in stopping or candidate.chain not in stopped:
                yield candidate


def due(found: Iterable[Candidate], today: date, config: ReminderConfig) -> list[Candidate]:
    """The latest due milestone of each chain, if it is at most ``grace_days`` late."""
    oldest = today - timedelta(days=config.grace_days)
    latest: dict[Chain, Candidate] = {}
    for candidate in found:
        if not oldest <= candidate.due <= today:
            continue
        current = latest.get(candidate.chain)
        if current is None or candidate.due > current.due:
            latest[candidate.chain] = candidate
    return list(latest.values())


class _Releases:
    """When a run's reminders go out, worked out once per (due day, target): a province's
    reminders share a handful of them."""

    def __init__(self, now: datetime, calendar: WorkCalendar) -> None:
        self.now = now
        self.calendar = calendar
        self._known: dict[tuple[date, date | None], tuple[datetime, bool]] = {}

    def notice(self, candidate: Candidate) -> Notice:
        key = candidate.due, candidate.target if candidate.kind in TIMELY else None
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = self._release(*key)
        release, urgent = found
        return candidate.notice(release, urgent=urgent)

    def _release(self, due: date, timely: date | None) -> tuple[datetime, bool]:
        """When a reminder due on ``due`` goes out, and whether it is urgent: ``timely`` is
        the target of a reminder whose moment passes if it waits for a working day."""
        calendar = self.calendar
        start = max(self.now, calendar.morning(due))
        release = calendar.release(start, urgent=False)
        if timely is not None and calendar.local(release).date() >= timely:
            return calendar.release(start, urgent=True), True
        return release, False


def _cases(
    people: Iterable[OfficialView], world: World, config: ReminderConfig, horizon: date
) -> Iterator[Case]:
    for person in people:
        evaluation = evaluate(person.facts, world.profile, world.today, terms=False)
        yield Case(person, evaluation, world, config, horizon)


async def _enqueue(session: AsyncSession, notices: list[Notice], result: PlanResult) -> None:
    """Queue ``notices``, counting per kind only the rows this run inserted."""
    for kind, new in (await enqueue_by_kind(session, notices)).items():
        result.queued[kind] = result.queued.get(kind, 0) + new


async def _pending(session: AsyncSession) -> _Pending:
    """The reminders derived from officials' data that wait to be sent, read in slices."""
    rows = await session.stream(
        select(
            OutboxMessage.id,
            OutboxMessage.dedupe_key,
            OutboxMessage.official_id,
            OutboxMessage.kind,
            OutboxMessage.subject,
            OutboxMessage.milestone,
            OutboxMessage.cycle,
        ).where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.kind.in_(kinds.DERIVED),
        )
    )
    pending = _Pending()
    async for partition in rows.partitions(IN_LIST):
        pending.add(partition)
    return pending


class _Pending:
    """Queued reminders, each crossed off once a candidate still applies to it: a planned
    reminder while it has a candidate (same dedupe key), a snoozed repeat while its chain has
    one. What is left once every official has been seen no longer applies."""

    def __init__(self) -> None:
        self.planned: dict[str, int] = {}
        self.snoozed: defaultdict[Chain, list[int]] = defaultdict(list)

    def add(self, rows: Iterable[_Keyed]) -> None:
        for row in rows:
            if row.milestone.startswith(kinds.SNOOZE):
                assert row.official_id is not None
                self.snoozed[(row.official_id, row.kind, row.subject, row.cycle)].append(row.id)
            else:
                self.planned[row.dedupe_key] = row.id

    def keep(self, found: Iterable[Candidate]) -> None:
        if not (self.planned or self.snoozed):
            return
        for candidate in found:
            self.planned.pop(candidate.dedupe_key, None)
            self.snoozed.pop(candidate.chain, None)

    def stale(self) -> list[int]:
        return sorted([*self.planned.values(), *(i for ids in self.snoozed.values() for i in ids)])


async def _mark_cancelled(session: AsyncSession, ids: list[int], now: datetime) -> int:
    for start in range(0, len(ids), IN_LIST):
        await session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id.in_(ids[start : start + IN_LIST]),
                OutboxMessage.status == OutboxStatus.PENDING,
            )
            .values(status=OutboxStatus.CANCELLED, last_error="no longer applies", updated_at=now)
            .execution_options(synchronize_session=False)
        )
    return len(ids)


async def stale(
    session: AsyncSession, rows: Sequence[OutboxMessage], now: datetime, config: ReminderConfig
) -> set[int]:
    """The ids of ``rows`` (about to be sent) that no longer apply on ``now``."""
    derived = [row for row in rows if row.kind in kinds.DERIVED]
    if not derived:
        return set()
    today = config.calendar.local(now).date()
    world = await load_world(session, today, config)
    about = sorted({int(row.payload["about"]) for row in derived})
    pending = _Pending()
    pending.add(derived)
    for case in _cases(await load_people(session, about), world, config, today):
        pending.keep(candidates(case))
    return set(pending.stale())


async def after_linking(
    session: AsyncSession, official_id: int, now: datetime, config: ReminderConfig
) -> int:
    """Queue again the official's reminders that found no chat to reach them and are still
    due on ``now`` (the latest milestone of their chain, at most ``grace_days`` late): the
    official has just linked one. They go out as a planned reminder would from ``now``, past
    the quiet hours (and a weekend, unless urgent). Returns how many; the caller commits."""
    unreached = list(
        await session.execute(
            select(OutboxMessage.id, OutboxMessage.dedupe_key, OutboxMessage.urgent).where(
                OutboxMessage.official_id == official_id,
                OutboxMessage.status == OutboxStatus.UNREACHABLE,
                OutboxMessage.last_error == NOT_LINKED,
                OutboxMessage.kind.in_(kinds.DERIVED),
            )
        )
    )
    if not unreached:
        return 0
    today = config.calendar.local(now).date()
    world = await load_world(session, today, config)
    still_due = {
        candidate.dedupe_key
        for case in _cases(await load_people(session, [official_id]), world, config, today)
        for candidate in due(candidates(case), today, config)
    }
    again = [(row_id, urgent) for row_id, key, urgent in unreached if key in still_due]
    for urgent in (False, True):
        ids = [row_id for row_id, is_urgent in again if is_urgent is urgent]
        if not ids:
            continue
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.status == OutboxStatus.UNREACHABLE)
            .values(
                status=OutboxStatus.PENDING,
                not_before=config.calendar.release(now, urgent=urgent),
                last_error=None,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
    return len(again)
