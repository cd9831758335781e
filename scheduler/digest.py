"""The weekly digest for coordinators: in their units, who misses what, whose gap no open course
fits (so the board can open one), what falls due in the next days, how many each channel reaches
and who none reaches.
Built alongside the planner's pass over the officials, once a week (``digest_weekday``; a run
later in the week makes up for a missed one)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from rules.standards import closing_course_kinds
from scheduler import kinds
from scheduler.config import ReminderConfig
from scheduler.fallback import NOT_REACHABLE
from scheduler.kinds import Candidate
from scheduler.messages import LIST_LIMIT
from scheduler.snapshot import Case, Coverage, OfficialView, World
from storage.models import DeliveryAttempt, OutboxMessage
from storage.outbox import Notice

MISSED = "missed"  # the reason of an official a message of the week reached by no channel


class DigestBook:
    """Collects digest entries for the coordinators whose digest this week is not queued yet.

    A digest lists the first ``LIST_LIMIT`` entries of each section and counts the rest, so
    only those are kept: a province's coordinator costs no more memory than a commune's.
    """

    def __init__(
        self,
        world: World,
        config: ReminderConfig,
        day: date,
        coverage: list[Coverage],
        missed: frozenset[int] = frozenset(),
    ):
        self.world = world
        # officials a message reached by no channel this past week (scheduler.fallback)
        self.missed = missed
        self.config = config
        self.day = day
        self.cycle = _cycle(day)
        self.coverage = coverage
        self.waiting = frozenset(covered.official_id for covered in coverage)
        self.horizon = world.today + timedelta(days=config.digest_horizon_days)
        self.sections: defaultdict[int, dict[str, _Section]] = defaultdict(
            lambda: {key: _Section(order) for key, order in ORDERS.items()}
        )
        # per coordinator: officials covered, and how many each channel reaches (storage.reach)
        self.covered: Counter[int] = Counter()
        self.reached: defaultdict[int, Counter[str]] = defaultdict(Counter)

    @classmethod
    async def open(cls, session: AsyncSession, world: World, config: ReminderConfig) -> DigestBook:
        today = world.today
        day = today - timedelta(days=(today.weekday() - config.digest_weekday) % 7)
        coverage: list[Coverage] = []
        if today - day <= timedelta(days=config.grace_days):
            sent = set(
                await session.scalars(
                    select(OutboxMessage.official_id).where(
                        OutboxMessage.kind == kinds.DIGEST, OutboxMessage.cycle == _cycle(day)
                    )
                )
            )
            coverage = [c for c in world.coverage if c.official_id not in sent]
        missed: frozenset[int] = frozenset()
        if coverage:
            since = datetime.combine(day - timedelta(days=7), datetime.min.time(), config.zone)
            missed = frozenset(
                await session.scalars(
                    select(OutboxMessage.official_id)
                    .join(DeliveryAttempt, DeliveryAttempt.outbox_id == OutboxMessage.id)
                    .where(
                        DeliveryAttempt.outcome == NOT_REACHABLE,
                        DeliveryAttempt.at >= since,
                        OutboxMessage.official_id.is_not(None),
                    )
                    .distinct()
                )
            )
        return cls(world, config, day, coverage, missed)

    @property
    def horizon_read(self) -> date:
        """The last target day ``add`` lists: none beyond today when no digest is due."""
        return self.horizon if self.waiting else self.world.today

    def add(self, case: Case, found: list[Candidate]) -> None:
        if not self.waiting:
            return
        person = case.person
        mine = [c for c in self.world.covering(person.unit_path) if c in self.waiting]
        if not mine:
            return
        who = {"official": person.name, "unit": person.unit_name}
        missing = [r.key for r in case.evaluation.missing]
        no_course = [  # gaps a course would close, but no open one fits (rules.course_fit)
            r.key
            for r in case.evaluation.missing
            if closing_course_kinds(r) and not self.world.closing(r, person.titles)
        ]
        due: dict[tuple[str, str, date], dict[str, Any]] = {}
        for candidate in found:
            target = candidate.target
            if candidate.recipient != person.id or target is None:
                continue
            if self.world.today <= target <= self.horizon:
                due[(candidate.kind, candidate.subject, target)] = who | {
                    "date": target.isoformat(),
                    "kind": candidate.kind,
                    "payload": candidate.payload,
                }
        entries = {
            "missing": [who | {"requirements": missing}] if missing else [],
            "no_course": [who | {"requirements": no_course}] if no_course else [],
            "due": list(due.values()),
            "unreachable": self._unreachable(person, who),
        }
        for coordinator in mine:
            for key, section in self.sections[coordinator].items():
                section.extend(entries[key])
            self.covered[coordinator] += 1
            self.reached[coordinator].update(person.channels)

    def _unreachable(self, person: OfficialView, who: dict[str, str]) -> list[Entry]:
        """The official as the "cannot be reached" section lists them: no channel reaches
        them, or one of this week's messages reached them by none (a spent ZNS quota, say)."""
        if not person.reach.reached:
            return [who | {"reason": person.reach.value}]
        return [who | {"reason": MISSED}] if person.id in self.missed else []

    def notices(self, now: datetime) -> list[Notice]:
        calendar = self.config.calendar
        release = calendar.release(max(now, calendar.morning(self.day)), urgent=False)
        units: defaultdict[int, list[str]] = defaultdict(list)
        for covered in self.coverage:
            units[covered.official_id].append(covered.unit_name)
        return [
            Notice(
                kind=kinds.DIGEST,
                payload=self._payload(coordinator, names),
                not_before=release,
                official_id=coordinator,
                cycle=self.cycle,
            )
            for coordinator, names in sorted(units.items())
        ]

    def _payload(self, coordinator: int, units: list[str]) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "units": sorted(units),
            "horizon_days": self.config.digest_horizon_days,
        }
        for key, section in self.sections[coordinator].items():
            payload[key] = {"total": section.total, "items": section.first()}
        payload["reach"] = {
            "officials": self.covered[coordinator],
            "channels": dict(sorted(self.reached[coordinator].items())),
        }
        return payload


def _cycle(day: date) -> str:
    iso = day.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


Entry = dict[str, Any]
ORDERS: dict[str, Callable[[Entry], tuple[str, ...]]] = {
    "missing": lambda e: (e["unit"], e["official"]),
    "no_course": lambda e: (e["unit"], e["official"]),
    "due": lambda e: (e["date"], e["unit"], e["official"]),
    "unreachable": lambda e: (e["unit"], e["official"]),
}


class _Section:
    """One section of a digest: its first ``LIST_LIMIT`` entries in ``order`` (ties in the
    order added) and how many there are. Sorting a list that holds the first entries so far,
    in order, followed by newer ones keeps the first entries of all; so the list is cut back
    now and then."""

    def __init__(self, order: Callable[[Entry], tuple[str, ...]]) -> None:
        self.order = order
        self.entries: list[Entry] = []
        self.total = 0

    def extend(self, entries: list[Entry]) -> None:
        self.total += len(entries)
        self.entries += entries
        if len(self.entries) >= 2 * LIST_LIMIT:
            self.entries = self.first()

    def first(self) -> list[Entry]:
        return sorted(self.entries, key=self.order)[:LIST_LIMIT]
