"""The weekly digest for coordinators: in their units, who misses what, what falls due in the
next days, who cannot be reached. Built alongside the planner's pass over the officials, once
a week (``digest_weekday``; a run later in the week makes up for a missed one)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler import kinds
from scheduler.config import ReminderConfig
from scheduler.kinds import Candidate
from scheduler.messages import LIST_LIMIT
from scheduler.snapshot import Case, Scope, World
from storage.models import OutboxMessage
from storage.outbox import Notice


class DigestBook:
    """Collects digest entries for the coordinators whose digest this week is not queued yet."""

    def __init__(self, world: World, config: ReminderConfig, day: date, scopes: list[Scope]):
        self.world = world
        self.config = config
        self.day = day
        iso = day.isocalendar()
        self.cycle = f"{iso.year}-W{iso.week:02d}"
        self.scopes = scopes
        self.entries: defaultdict[int, dict[str, list[dict[str, Any]]]] = defaultdict(
            lambda: {"missing": [], "due": [], "unreachable": []}
        )

    @classmethod
    async def open(cls, session: AsyncSession, world: World, config: ReminderConfig) -> DigestBook:
        today = world.today
        day = today - timedelta(days=(today.weekday() - config.digest_weekday) % 7)
        book = cls(world, config, day, [])
        sent = set(
            await session.scalars(
                select(OutboxMessage.official_id).where(
                    OutboxMessage.kind == kinds.DIGEST, OutboxMessage.cycle == book.cycle
                )
            )
        )
        if today - day <= timedelta(days=config.grace_days):
            book.scopes = [s for s in world.scopes if s.official_id not in sent]
        return book

    def add(self, case: Case, found: list[Candidate]) -> None:
        person = case.person
        mine = [s.official_id for s in self.scopes if person.unit_path.startswith(s.path)]
        if not mine:
            return
        who = {"official": person.name, "unit": person.unit_name}
        missing = [r.key for r in case.evaluation.missing]
        horizon = self.world.today + timedelta(days=self.config.digest_horizon_days)
        due: dict[tuple[str, str, date], dict[str, Any]] = {}
        for candidate in found:
            target = candidate.target
            if candidate.recipient != person.id or target is None:
                continue
            if self.world.today <= target <= horizon:
                due[(candidate.kind, candidate.subject, target)] = who | {
                    "date": target.isoformat(),
                    "kind": candidate.kind,
                    "payload": candidate.payload,
                }
        for coordinator in set(mine):
            entries = self.entries[coordinator]
            if missing:
                entries["missing"].append(who | {"requirements": missing})
            entries["due"].extend(due.values())
            if person.reach is not None:
                entries["unreachable"].append(who | {"reason": person.reach})

    def notices(self, now: datetime) -> list[Notice]:
        calendar = self.config.calendar
        release = calendar.release(max(now, calendar.morning(self.day)), urgent=False)
        units: defaultdict[int, list[str]] = defaultdict(list)
        for scope in self.scopes:
            units[scope.official_id].append(scope.unit_name)
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
        entries = self.entries[coordinator]
        orders = {
            "missing": lambda e: (e["unit"], e["official"]),
            "due": lambda e: (e["date"], e["unit"], e["official"]),
            "unreachable": lambda e: (e["unit"], e["official"]),
        }
        payload: dict[str, Any] = {
            "units": sorted(units),
            "horizon_days": self.config.digest_horizon_days,
        }
        for key, order in orders.items():
            items = sorted(entries[key], key=order)
            payload[key] = {"total": len(items), "items": items[:LIST_LIMIT]}
        return payload
