"""Reach per unit: how many officials each channel reaches, and who is reached by none; for
the unit and for each unit right under it. `canbo report reach` prints it and the console's
reach page (bot/console/pages/reach.py) shows it: both read it here.

Which route is open is storage.reach's answer (the digest, audiences and the dispatcher read the
same): a chat channel through a private linked chat that may still receive, ZNS through a roster
phone it takes and has not refused, for important messages only (scheduler/fallback.py). Every
ZNS message is paid: the report counts this month's.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import reach
from storage.models import Channel, Official, Unit, ZnsOutcome, ZnsSend
from storage.phones import zns_number
from storage.reports.qualifications import part_of

ZNS = Channel.ZNS.value
NO_CHAT = "no_chat"
BLOCKED = "blocked"
NO_PHONE = "no_phone"
ZNS_REFUSED = "zns_refused"
MESSENGERS = (Channel.TELEGRAM, Channel.ZALO)  # the chats that need a token to push


@dataclass(frozen=True)
class Unreached:
    official_id: int
    official: str
    code: str
    unit: str
    why: str  # NO_CHAT or BLOCKED, and NO_PHONE or ZNS_REFUSED when ZNS is set up, joined by "+"


@dataclass(frozen=True)
class ReachFigures:
    """The figures of one unit, everything under it included."""

    unit_id: int
    code: str
    name: str
    officials: int
    channels: tuple[tuple[str, int], ...]  # (channel, officials it reaches), in sending order
    reached: int  # by one channel at least
    zns_paid: int  # ZNS messages sent this month for officials of the unit (paid)


@dataclass(frozen=True)
class ReachReport(ReachFigures):
    unreached: tuple[Unreached, ...]  # by name
    month: str  # yyyy-mm, local
    parts: tuple[ReachFigures, ...]  # the units right under it with officials or paid ZNS, by name


def counted(messengers: Collection[Channel]) -> tuple[Channel, ...]:
    """The channels the report counts, in the order a message tries them: the messengers set
    up (``messengers``, those given a token), the web chat (always served; read on the next
    visit), then the ways by phone set up (storage.reach.current)."""
    by_phone = sorted(reach.current().by_phone, key=lambda channel: channel.value)
    return (*(c for c in MESSENGERS if c in messengers), Channel.WEB, *by_phone)


async def reach_report(
    session: AsyncSession,
    unit: Unit,
    messengers: Collection[Channel],
    now: datetime,
    zone: ZoneInfo,
) -> ReachReport:
    """Reach in ``unit`` and everything under it through the channels ``counted`` names (a
    chat on a messenger not set up reaches nobody), as storage.reach tells it."""
    channels = counted(messengers)
    found = await session.execute(
        select(Official, Unit)
        .join(Unit, Official.unit_id == Unit.id)
        .where(Unit.path.startswith(unit.path))
    )
    # sorted here, not by the database, so every backend's collation gives the same order
    people = sorted(found.all(), key=lambda row: (row[0].full_name, row[0].code))
    routes = await reach.routes_of(session, [official.id for official, _unit in people])
    month = now.astimezone(zone).strftime("%Y-%m")
    paid = await _paid(session, unit, month)
    units = {u.id: u for _official, u in people} | {u.id: u for u in paid}
    missing = {part_of(unit, u) for u in units.values()} - set(units)
    if missing:
        units |= {u.id: u for u in await session.scalars(select(Unit).where(Unit.id.in_(missing)))}
    units[unit.id] = unit
    reaching: dict[int, set[str]] = {}  # each official's open channels
    unreached: list[Unreached] = []
    for official, home in people:
        mine = [route for route in routes.get(official.id, ()) if route.channel in channels]
        reaching[official.id] = {route.channel.value for route in mine if route.open}
        if not reaching[official.id]:
            why = _why(mine, official.phone, Channel.ZNS in channels)
            unreached.append(
                Unreached(official.id, official.full_name, official.code, home.name, why)
            )
    by_part: defaultdict[int, list[set[str]]] = defaultdict(list)
    for official, home in people:
        by_part[part_of(unit, home)].append(reaching[official.id])
    paid_by_part: Counter[int] = Counter()
    for paid_unit, count in paid.items():
        paid_by_part[part_of(unit, paid_unit)] += count
    whole = _figures(unit, channels, list(reaching.values()), sum(paid.values()))
    return ReachReport(
        **vars(whole),
        unreached=tuple(unreached),
        month=month,
        parts=tuple(
            _figures(units[i], channels, by_part[i], paid_by_part[i])
            for i in sorted(
                by_part.keys() | paid_by_part.keys(), key=lambda i: (units[i].name, units[i].code)
            )
        ),
    )


async def _paid(session: AsyncSession, unit: Unit, month: str) -> dict[Unit, int]:
    """This month's paid ZNS messages under ``unit``, by the unit of the official."""
    rows = await session.execute(
        select(ZnsSend.unit_id, func.count())
        .join(Unit, ZnsSend.unit_id == Unit.id)
        .where(
            Unit.path.startswith(unit.path),
            ZnsSend.month == month,
            ZnsSend.outcome == ZnsOutcome.SENT.value,
            ZnsSend.development.is_(False),
        )
        .group_by(ZnsSend.unit_id)
    )
    counts = {unit_id: count for unit_id, count in rows}
    if not counts:
        return {}
    found = await session.scalars(select(Unit).where(Unit.id.in_(counts)))
    return {u: counts[u.id] for u in found}


def _figures(
    unit: Unit, channels: Iterable[Channel], reaching: list[set[str]], paid: int
) -> ReachFigures:
    counts = {channel.value: 0 for channel in channels}
    for open_channels in reaching:
        for channel in open_channels:
            counts[channel] += 1
    return ReachFigures(
        unit_id=unit.id,
        code=unit.code,
        name=unit.name,
        officials=len(reaching),
        channels=tuple(counts.items()),
        reached=sum(1 for open_channels in reaching if open_channels),
        zns_paid=paid,
    )


def _why(routes: list[reach.Route], phone: str | None, zns: bool) -> str:
    chats = [r for r in routes if reach.WAYS[r.channel].address is reach.Address.CHAT]
    reasons = [BLOCKED if chats else NO_CHAT]
    if zns:
        reasons.append(NO_PHONE if zns_number(phone) is None else ZNS_REFUSED)
    return "+".join(reasons)
