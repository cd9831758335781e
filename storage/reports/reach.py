"""Reach per unit: how many officials each channel reaches, and who is reached by none.

Which route is open is storage.reach's answer (the digest, audiences and the dispatcher read the
same): a chat channel through a private linked chat that may still receive, ZNS through a roster
phone it takes and has not refused, for important messages only (scheduler/fallback.py). Every
ZNS message is paid: the report counts this month's.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import reach
from storage.models import Channel, Official, Unit, ZnsOutcome, ZnsSend
from storage.phones import zns_number

ZNS = Channel.ZNS.value
NO_CHAT = "no_chat"
BLOCKED = "blocked"
NO_PHONE = "no_phone"
ZNS_REFUSED = "zns_refused"


@dataclass(frozen=True)
class Unreached:
    official: str
    code: str
    unit: str
    why: str  # NO_CHAT or BLOCKED, and NO_PHONE or ZNS_REFUSED when ZNS is set up, joined by "+"


@dataclass(frozen=True)
class ReachReport:
    code: str
    name: str
    officials: int
    channels: tuple[tuple[str, int], ...]  # (channel, officials it reaches), in sending order
    reached: int  # by one channel at least
    unreached: tuple[Unreached, ...]  # by name
    month: str  # yyyy-mm, local
    zns_paid: int  # ZNS messages sent this month for officials of the unit (paid)


async def reach_report(
    session: AsyncSession,
    unit: Unit,
    channels: Collection[Channel],
    now: datetime,
    zone: ZoneInfo,
) -> ReachReport:
    """Reach in ``unit`` and everything under it through ``channels``, those set up (a chat
    on another reaches nobody), as storage.reach tells it."""
    found = await session.execute(
        select(Official, Unit.name)
        .join(Unit, Official.unit_id == Unit.id)
        .where(Unit.path.startswith(unit.path))
    )
    people = sorted(found.all(), key=lambda row: (row[0].full_name, row[0].code))
    routes = await reach.routes_of(session, [official.id for official, _name in people])
    month = now.astimezone(zone).strftime("%Y-%m")
    counts = {channel.value: 0 for channel in channels}
    unreached: list[Unreached] = []
    for official, unit_name in people:
        mine = [route for route in routes.get(official.id, ()) if route.channel in channels]
        reaching = {route.channel.value for route in mine if route.open}
        for channel in reaching:
            counts[channel] += 1
        if not reaching:
            why = _why(mine, official.phone, Channel.ZNS in channels)
            unreached.append(Unreached(official.full_name, official.code, unit_name, why))
    paid = await session.scalar(
        select(func.count())
        .select_from(ZnsSend)
        .join(Unit, ZnsSend.unit_id == Unit.id)
        .where(
            Unit.path.startswith(unit.path),
            ZnsSend.month == month,
            ZnsSend.outcome == ZnsOutcome.SENT.value,
            ZnsSend.development.is_(False),
        )
    )
    return ReachReport(
        code=unit.code,
        name=unit.name,
        officials=len(people),
        channels=tuple(counts.items()),
        reached=len(people) - len(unreached),
        unreached=tuple(unreached),
        month=month,
        zns_paid=int(paid or 0),
    )


def _why(routes: list[reach.Route], phone: str | None, zns: bool) -> str:
    chats = [r for r in routes if reach.WAYS[r.channel].address is reach.Address.CHAT]
    reasons = [BLOCKED if chats else NO_CHAT]
    if zns:
        reasons.append(NO_PHONE if zns_number(phone) is None else ZNS_REFUSED)
    return "+".join(reasons)
