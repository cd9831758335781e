"""The gaps falling due soon in a scope: each official missing a qualification requirement
whose deadline (rules.standards.evaluate) lies within the next days, soonest first. What the
board must act on first, on the console's dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from rules.profiles import Profile
from storage.access import Scope
from storage.facts import evaluated
from storage.models import Official, Unit

HORIZON = timedelta(days=90)


@dataclass(frozen=True)
class DueGap:
    official_id: int
    code: str
    name: str
    unit: str
    key: str  # the requirement (rules.requirements)
    deadline: date


async def gaps_due(
    session: AsyncSession,
    scope: Scope,
    under: Unit,
    profile: Profile,
    today: date,
    horizon: timedelta = HORIZON,
) -> list[DueGap]:
    """The missing requirements of officials under ``under`` (inside ``scope``) due from
    ``today`` to ``today + horizon``, by deadline, then name."""
    ids = list(
        await session.scalars(
            select(Official.id)
            .join(Unit, Official.unit_id == Unit.id)
            .where(scope.clause(Unit.path), Unit.path.startswith(under.path))
        )
    )
    last = today + horizon
    found = [
        DueGap(official.id, official.code, official.full_name, unit.name, r.key, r.deadline)
        async for official, unit, evaluation in evaluated(session, ids, profile, today)
        for r in evaluation.missing
        if r.deadline is not None and today <= r.deadline <= last
    ]
    return sorted(found, key=lambda gap: (gap.deadline, gap.name, gap.code, gap.key))
