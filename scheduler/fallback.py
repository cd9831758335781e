"""Fallback for each recipient: what to do with a message no chat of theirs delivered.

The order (issue 22):
1. the preferred linked chat (the dispatcher picks it: storage.reach.rank);
2. if that is unreachable (blocked, or failing for CANBO_CHAT_FAILING_DAYS), another linked
   chat: storage.reach ranks open chats first, and a row a chat refused is queued again here,
   so the next pass sends it to the next chat;
3. for the kinds marked important (``important``: standards deadlines, the end of a service
   bond, urgent announcements), ZNS to the roster's phone number (bot/channels/zns.py);
4. last, "not reachable": the row stays UNREACHABLE, and the coordinators' digest lists the
   official.

Each step is a delivery attempt on the row (``FALLBACK``, ``BY_ZNS``, ``NOT_REACHABLE``), kept
with the dispatcher's own: the way a message went can be read back. Nothing goes out twice
across channels: a row is taken by setting ``fallback_at`` with a compare-and-swap, a chat that
refused it did not deliver it, and ZNS records each row once (``zns_sends.outbox_id`` is
unique). Only rows addressed to an official (not to one chat) that became unreachable within
``WINDOW`` are taken: a row left over from long ago stays as it is.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduler import kinds
from scheduler.clock import Clock, SystemClock
from scheduler.config import ReminderConfig
from scheduler.ledger import attempt
from storage import broadcasts, reach
from storage.db import OutageLog
from storage.models import (
    Channel,
    Official,
    OutboxMessage,
    OutboxStatus,
    ZnsOutcome,
    ZnsSend,
)

log = logging.getLogger(__name__)

FALLBACK = "fallback"  # attempt: queued again for the official's next chat
BY_ZNS = "zns"  # attempt: ZNS sent it, or said why not
NOT_REACHABLE = "not_reachable"  # attempt: no channel reaches the official; the digest says so
WINDOW = timedelta(days=2)
BATCH = 200
POLL = 30.0  # seconds between passes
BOND_END_STEPS = frozenset({"before_end", "end"})
# ZNS outcomes worth another try on the next pass (no message was paid for)
RETRY = frozenset({ZnsOutcome.TRANSIENT, ZnsOutcome.NO_TOKEN})


class PhoneSender(Protocol):
    """ZNS as the fallback uses it (bot/channels/zns.ZnsSender)."""

    def template_for(self, kind: str) -> str | None: ...

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    async def send(self, row: OutboxMessage, official: Official) -> ZnsSend:
        """What became of ``row`` sent to ``official``'s phone, to be stored by the caller."""


def important(row: OutboxMessage) -> bool:
    """Kinds worth a paid ZNS message when no chat reaches the official."""
    if row.kind == kinds.STANDARDS:
        return True
    if row.kind == kinds.BOND:
        return row.payload.get("step") in BOND_END_STEPS
    return row.kind == broadcasts.KIND and row.urgent


@dataclass
class FallbackReport:
    rerouted: int = 0
    zns_sent: int = 0
    not_reachable: int = 0
    later: int = 0  # given back: quiet hours, or ZNS worth another try


class Fallback:
    """Takes unreachable rows one step further; ``channels`` are those the dispatcher sends
    through, ``zns`` None when ZNS is not configured."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        config: ReminderConfig,
        channels: Collection[Channel],
        zns: PhoneSender | None,
        clock: Clock | None = None,
    ) -> None:
        self.sessions = sessions
        self.config = config
        self.channels = list(channels)
        self.zns = zns
        self.clock = clock or SystemClock()
        self._quota_spent_until: datetime | None = None

    async def run(self, stop: asyncio.Event) -> None:
        if self.zns is not None:
            await self.zns.start()
        outage = OutageLog(log, "the fallback pass")
        while not stop.is_set():
            try:
                await self.run_once()
            except Exception as error:
                outage.failed(error)
            else:
                outage.succeeded()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), POLL)

    async def close(self) -> None:
        if self.zns is not None:
            await self.zns.close()

    async def run_once(self) -> FallbackReport:
        report = FallbackReport()
        now = self.clock.now()
        rows = await self._take(now)
        if not rows:
            return report
        officials = await self._officials({row.official_id for row in rows if row.official_id})
        others = await self._reachable_chats(set(officials))
        zns_rows: list[OutboxMessage] = []
        async with self.sessions() as session:
            for row in rows:
                row = await session.merge(row, load=False)
                official = officials.get(row.official_id or 0)
                if official is None:
                    self._not_reachable(session, row, now, "no official", report)
                elif row.official_id in others:
                    self._reroute(session, row, now, others[row.official_id], report)
                elif self._zns_may_send(row):
                    if self.config.calendar.release(now, urgent=row.urgent) > now:
                        self._give_back(row, report)
                    else:
                        zns_rows.append(row)
                else:
                    self._not_reachable(session, row, now, self._why(row), report)
            await session.commit()
        for row in zns_rows:
            await self._by_zns(row, officials[row.official_id or 0], report)
        return report

    async def _take(self, now: datetime) -> list[OutboxMessage]:
        """Claim the rows to take a step further (the compare-and-swap on ``fallback_at``)."""
        async with self.sessions() as session:
            ids = list(
                await session.scalars(
                    select(OutboxMessage.id)
                    .where(
                        OutboxMessage.status == OutboxStatus.UNREACHABLE,
                        OutboxMessage.fallback_at.is_(None),
                        OutboxMessage.official_id.is_not(None),
                        OutboxMessage.chat_account_id.is_(None),
                        OutboxMessage.updated_at >= now - WINDOW,
                    )
                    .order_by(OutboxMessage.id)
                    .limit(BATCH)
                )
            )
            if not ids:
                return []
            taken = await session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.id.in_(ids),
                    OutboxMessage.status == OutboxStatus.UNREACHABLE,
                    OutboxMessage.fallback_at.is_(None),
                )
                .values(fallback_at=now)
                .returning(OutboxMessage.id)
                .execution_options(synchronize_session=False)
            )
            claimed = sorted(taken.scalars())
            await session.commit()
            if not claimed:
                return []
            return list(
                await session.scalars(
                    select(OutboxMessage)
                    .where(OutboxMessage.id.in_(claimed))
                    .order_by(OutboxMessage.id)
                )
            )

    async def _officials(self, ids: set[int]) -> dict[int, Official]:
        async with self.sessions() as session:
            found = await session.scalars(select(Official).where(Official.id.in_(ids)))
            return {official.id: official for official in found}

    async def _reachable_chats(self, officials: set[int]) -> dict[int, Channel]:
        """For each official with one, the channel of a linked chat that may still receive
        (storage.reach) on a channel the dispatcher sends through."""
        if not officials:
            return {}
        async with self.sessions() as session:
            routes = await reach.routes_of(session, sorted(officials))
        found: dict[int, Channel] = {}
        for official, mine in routes.items():
            usable = [r.channel for r in mine if r.open and r.channel in self.channels]
            if usable:
                found[official] = usable[0]
        return found

    def _zns_may_send(self, row: OutboxMessage) -> bool:
        return (
            self.zns is not None
            and important(row)
            and self.zns.template_for(row.kind) is not None
            and not self._quota_spent(self.clock.now())
        )

    def _quota_spent(self, now: datetime) -> bool:
        return self._quota_spent_until is not None and now < self._quota_spent_until

    def _why(self, row: OutboxMessage) -> str:
        if self.zns is not None and important(row) and self._quota_spent(self.clock.now()):
            return "ZNS quota spent"
        return row.last_error or "no chat"

    def _reroute(
        self,
        session: AsyncSession,
        row: OutboxMessage,
        now: datetime,
        channel: Channel,
        report: FallbackReport,
    ) -> None:
        attempt(
            session, row, now, FALLBACK, f"{row.last_error or 'unreachable'}; next: {channel.value}"
        )
        row.status = OutboxStatus.PENDING
        row.not_before = now
        row.fallback_at = None  # should the next chat refuse too, the fallback looks again
        report.rerouted += 1

    def _not_reachable(
        self,
        session: AsyncSession,
        row: OutboxMessage,
        now: datetime,
        why: str,
        report: FallbackReport,
    ) -> None:
        attempt(session, row, now, NOT_REACHABLE, why)
        report.not_reachable += 1

    @staticmethod
    def _give_back(row: OutboxMessage, report: FallbackReport) -> None:
        row.fallback_at = None
        report.later += 1

    async def _by_zns(self, row: OutboxMessage, official: Official, report: FallbackReport) -> None:
        """Send ``row`` by ZNS with no transaction open (the token store writes on its own),
        then record what happened."""
        assert self.zns is not None
        if self._quota_spent(self.clock.now()):  # found spent by an earlier row of this pass
            async with self.sessions() as session:
                row = await session.merge(row, load=False)
                self._not_reachable(session, row, self.clock.now(), self._why(row), report)
                await session.commit()
            return
        record = await self.zns.send(row, official)
        now = self.clock.now()
        async with self.sessions() as session:
            row = await session.merge(row, load=False)
            outcome = ZnsOutcome(record.outcome)
            if outcome in RETRY:
                attempt(session, row, now, BY_ZNS, outcome.value)
                self._give_back(row, report)
            else:
                session.add(record)
                if outcome is ZnsOutcome.SENT:
                    attempt(session, row, now, BY_ZNS, record.message_id or "sent")
                    row.status = OutboxStatus.SENT
                    row.sent_at = now
                    row.last_error = None
                    report.zns_sent += 1
                else:
                    if outcome is ZnsOutcome.QUOTA:
                        self._quota_spent_until = self._next_day(now)
                    self._not_reachable(session, row, now, f"ZNS: {outcome.value}", report)
            await session.commit()

    def _next_day(self, now: datetime) -> datetime:
        """Local midnight after ``now``: when the OA's daily quota starts again."""
        calendar = self.config.calendar
        tomorrow = calendar.local(now).date() + timedelta(days=1)
        return calendar.at(tomorrow, datetime.min.time())
