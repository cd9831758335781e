"""The reminder planner: what is due today, derived again from the stored dates on every run.

Nothing is kept as a timer. Each run computes every official's candidates (scheduler.kinds),
queues those due today through the outbox (whose unique dedupe key makes a second run, a
restart or a second worker queue nothing twice) and cancels pending reminders whose candidate
is gone: course completed, enrollment cancelled, date moved (the milestone names its date, so
a moved date is a new reminder and the old one loses its candidate), chain answered.

Late milestones: a run that finds a milestone up to ``grace_days`` old still queues it, once; an
older one is skipped, since the next milestone of its chain says the same, closer to the date.
When several milestones of one chain are due at once (the service was down), only the latest
is queued.

Timing: a reminder is released at the day's working morning (the end of the quiet window) or
at the run's time if later; one that is not urgent waits past weekends and public holidays. A
reminder whose date would pass while waiting (a course starting Monday, reminded on Saturday)
is urgent and goes out that day, outside quiet hours.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from rules.standards import evaluate
from scheduler import kinds
from scheduler.config import ReminderConfig
from scheduler.digest import DigestBook
from scheduler.kinds import Candidate
from scheduler.kinds.bonds import bond_milestones
from scheduler.kinds.courses import course_start, enrol_by
from scheduler.kinds.escalations import escalate_refresher, escalate_standards
from scheduler.kinds.programmes import programme_steps
from scheduler.kinds.refresher import refresher
from scheduler.kinds.standards import standards_deadline
from scheduler.snapshot import Case, Chain, World, load_people, load_world, official_ids
from storage.models import OutboxMessage, OutboxStatus
from storage.outbox import Notice, enqueue

CHUNK = 500  # officials loaded at a time

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
    today = config.calendar.local(now).date()
    world = await load_world(session, today, config)
    digests = await DigestBook.open(session, world, config)
    result = PlanResult()
    valid: set[str] = set()
    chains: set[Chain] = set()
    ids = await official_ids(session)
    for start in range(0, len(ids), CHUNK):
        notices: list[Notice] = []
        for case in await _cases(session, ids[start : start + CHUNK], world, config):
            found = list(candidates(case))
            valid.update(c.dedupe_key for c in found)
            chains.update(c.chain for c in found)
            digests.add(case, found)
            for candidate in due(found, today, config):
                notices.append(_notice(candidate, now, config))
        await _enqueue(session, notices, result)
        await session.commit()  # short transactions: the dispatcher writes meanwhile
    await _enqueue(session, digests.notices(now), result)
    result.cancelled = await _cancel_stale(session, valid, chains, now)
    await session.commit()
    return result


def candidates(case: Case) -> Iterator[Candidate]:
    """Every reminder that applies to ``case``, due or not, except answered chains."""
    for kind in KINDS:
        for candidate in kind(case):
            if candidate.chain not in case.world.stopped:
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


def _notice(candidate: Candidate, now: datetime, config: ReminderConfig) -> Notice:
    calendar = config.calendar
    start = max(now, calendar.morning(candidate.due))
    release = calendar.release(start, urgent=False)
    urgent = (
        candidate.kind in TIMELY
        and candidate.target is not None
        and calendar.local(release).date() >= candidate.target
    )
    if urgent:
        release = calendar.release(start, urgent=True)
    return candidate.notice(release, urgent=urgent)


async def _cases(
    session: AsyncSession, ids: Sequence[int], world: World, config: ReminderConfig
) -> list[Case]:
    return [
        Case(person, evaluate(person.facts, world.profile, world.today), world, config)
        for person in await load_people(session, ids)
    ]


async def _enqueue(session: AsyncSession, notices: list[Notice], result: PlanResult) -> None:
    """Queue ``notices``, counting per kind only the rows this run inserted."""
    by_kind: dict[str, list[Notice]] = {}
    for notice in notices:
        by_kind.setdefault(notice.kind, []).append(notice)
    for kind, group in by_kind.items():
        if new := await enqueue(session, group):
            result.queued[kind] = result.queued.get(kind, 0) + new


async def _cancel_stale(
    session: AsyncSession, valid: set[str], chains: set[Chain], now: datetime
) -> int:
    pending = await session.execute(
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
    stale = [row.id for row in pending if not _applies(row, valid, chains)]
    await _mark_cancelled(session, stale, now)
    return len(stale)


def _applies(row: _Keyed, valid: set[str], chains: set[Chain]) -> bool:
    """A planned reminder applies while it has a candidate; a snoozed repeat while its chain
    has one."""
    if row.milestone.startswith(kinds.SNOOZE):
        assert row.official_id is not None
        return (row.official_id, row.kind, row.subject, row.cycle) in chains
    return row.dedupe_key in valid


async def _mark_cancelled(session: AsyncSession, ids: list[int], now: datetime) -> None:
    for start in range(0, len(ids), CHUNK):
        await session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id.in_(ids[start : start + CHUNK]),
                OutboxMessage.status == OutboxStatus.PENDING,
            )
            .values(status=OutboxStatus.CANCELLED, last_error="no longer applies", updated_at=now)
            .execution_options(synchronize_session=False)
        )


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
    valid: set[str] = set()
    chains: set[Chain] = set()
    for case in await _cases(session, about, world, config):
        for candidate in candidates(case):
            valid.add(candidate.dedupe_key)
            chains.add(candidate.chain)
    return {row.id for row in derived if not _applies(row, valid, chains)}
