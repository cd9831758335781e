"""Reach per unit: how many officials each channel reaches, and who is reached by none.

A chat channel reaches an official through a private linked chat that may still receive (not
refused, not failing for ``failing_days``); ZNS reaches one whose roster phone is a Vietnamese
mobile number ZNS has not refused (invalid, no Zalo account, inactive) — for important messages
only (scheduler/fallback.py). Every ZNS message is paid: the report counts this month's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Channel, ChatAccount, Official, Unit, ZnsOutcome, ZnsSend
from storage.phones import zns_number

ZNS = "zns"
# what ZNS answered that says this phone will not get ZNS messages
PHONE_REFUSED = (ZnsOutcome.INVALID_PHONE.value, ZnsOutcome.INACTIVE_USER.value)
NO_CHAT = "no_chat"
BLOCKED = "blocked"
NO_PHONE = "no_phone"
ZNS_REFUSED = "zns_refused"


def chat_reachable(now: datetime, failing_days: int) -> ColumnElement[bool]:
    """A chat that may receive: not refused, and not failing for ``failing_days``."""
    return and_(
        ChatAccount.unreachable_since.is_(None),
        or_(
            ChatAccount.failing_since.is_(None),
            ChatAccount.failing_since > now - timedelta(days=failing_days),
        ),
    )


@dataclass(frozen=True)
class Unreached:
    official: str
    code: str
    unit: str
    why: str  # NO_CHAT, BLOCKED, NO_PHONE or ZNS_REFUSED (several joined by "+")


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
    chat_channels: Collection[Channel],
    zns: bool,
    now: datetime,
    zone: ZoneInfo,
    failing_days: int,
) -> ReachReport:
    """Reach in ``unit`` and everything under it, through ``chat_channels`` (those configured)
    and ZNS when ``zns`` is configured."""
    found = await session.execute(
        select(Official, Unit.name)
        .join(Unit, Official.unit_id == Unit.id)
        .where(Unit.path.startswith(unit.path))
    )
    people = sorted(found.all(), key=lambda row: (row[0].full_name, row[0].code))
    ids = [official.id for official, _name in people]
    chats = await _chats(session, ids, chat_channels, now, failing_days)
    refused = await _zns_refused(session, ids) if zns else set()
    month = now.astimezone(zone).strftime("%Y-%m")
    counts = {channel.value: 0 for channel in chat_channels}
    if zns:
        counts[ZNS] = 0
    unreached: list[Unreached] = []
    for official, unit_name in people:
        mine = chats.get(official.id, {})
        reaching = {channel for channel, open_ in mine.items() if open_}
        if zns and zns_number(official.phone) is not None and official.id not in refused:
            reaching.add(ZNS)
        for channel in reaching:
            counts[channel] += 1
        if not reaching:
            why = _why(bool(mine), zns, official.phone, official.id in refused)
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


async def _chats(
    session: AsyncSession,
    ids: list[int],
    channels: Collection[Channel],
    now: datetime,
    failing_days: int,
) -> dict[int, dict[str, bool]]:
    """For each official, their chat channels and whether one chat there may receive."""
    found: defaultdict[int, dict[str, bool]] = defaultdict(dict)
    if not ids or not channels:
        return found
    rows = await session.execute(
        select(
            ChatAccount.official_id, ChatAccount.channel, chat_reachable(now, failing_days)
        ).where(
            ChatAccount.official_id.in_(ids),
            ChatAccount.channel.in_(list(channels)),
            ChatAccount.is_group.is_(False),
        )
    )
    for official_id, channel, open_ in rows:
        if official_id is not None:
            mine = found[official_id]
            mine[channel.value] = mine.get(channel.value, False) or bool(open_)
    return found


async def _zns_refused(session: AsyncSession, ids: list[int]) -> set[int]:
    """Officials whose phone ZNS refused at its last try."""
    last = (
        select(ZnsSend.official_id, func.max(ZnsSend.id).label("last"))
        .where(ZnsSend.official_id.in_(ids))
        .group_by(ZnsSend.official_id)
        .subquery()
    )
    rows = await session.scalars(
        select(ZnsSend.official_id)
        .join(last, ZnsSend.id == last.c.last)
        .where(ZnsSend.outcome.in_(PHONE_REFUSED))
    )
    return {official_id for official_id in rows if official_id is not None}


def _why(has_chat: bool, zns: bool, phone: str | None, refused: bool) -> str:
    reasons = [BLOCKED if has_chat else NO_CHAT]
    if zns:
        if zns_number(phone) is None:
            reasons.append(NO_PHONE)
        elif refused:
            reasons.append(ZNS_REFUSED)
    return "+".join(reasons)
