"""The outbox dispatcher (DESIGN.md, "Delivery semantics").

Each pass claims due rows (PostgreSQL: ``FOR UPDATE SKIP LOCKED``; SQLite: an UPDATE that
re-checks the status, atomic because SQLite has one writer), groups them per recipient so one
person gets one message, re-checks that derived reminders still apply, and sends within the
messenger's limits. Every row's fate is committed right after its send, so a crash leaves at
most the messages in flight unconfirmed: their rows stay claimed, and the next dispatcher to
hold the account's lock puts them back in the queue. Such a message may arrive twice; no queued
message is lost.

Outcomes: sent; 429 → the whole account pauses for ``retry_after`` (we pace each chat ourselves,
so a 429 means the bot's shared budget is spent) and the rows wait as long; 5xx, timeouts and
network errors → retried with exponential backoff and jitter, FAILED after ``max_attempts``;
blocked, forbidden or unknown chat → the chat account is marked unreachable and the rows
UNREACHABLE (coordinators see it in their digest); no linked chat → UNREACHABLE "not linked".
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Update, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from scheduler import planner
from scheduler.clock import Clock, SystemClock
from scheduler.config import ReminderConfig
from scheduler.delivery import (
    DeliveryError,
    Outgoing,
    Rejected,
    RetryAfter,
    Sender,
    Transient,
    Unreachable,
)
from scheduler.limits import RateLimits
from scheduler.lock import DispatchLock, dispatch_lock, lock_key
from scheduler.messages import Item, render
from scheduler.timing import QuietWindow
from storage import broadcasts
from storage.db import session_factory
from storage.models import (
    Channel,
    ChatAccount,
    DeliveryAttempt,
    OutboxMessage,
    OutboxStatus,
)

log = logging.getLogger(__name__)

MESSAGE_ITEMS = 10  # reminders per message; a longer day is split so the text stays readable


@dataclass(frozen=True)
class Outlet:
    """A messenger the dispatcher can send through, with that account's limits."""

    sender: Sender
    limits: RateLimits


@dataclass(frozen=True)
class DispatchSettings:
    batch_size: int = 200
    concurrency: int = 4  # messages in flight at once (each may repeat once after a crash)
    max_attempts: int = 8
    backoff_base: float = 5.0  # seconds before the first retry; doubles each time
    backoff_cap: float = 3600.0
    lease: timedelta = timedelta(minutes=10)  # a claim older than this is taken back
    idle_poll: float = 5.0  # seconds between looks at the queue when nothing is due
    standby_poll: float = 15.0  # seconds between tries for the lock another dispatcher holds


@dataclass
class DispatchReport:
    """How many rows ended each way in one pass (or a whole run)."""

    claimed: int = 0
    sent: int = 0
    messages: int = 0
    deferred: int = 0
    retried: int = 0
    failed: int = 0
    unreachable: int = 0
    cancelled: int = 0

    def add(self, other: DispatchReport) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class _Recipient:
    chat: ChatAccount
    rows: list[OutboxMessage]


class Dispatcher:
    def __init__(
        self,
        engine: AsyncEngine,
        outlets: Mapping[Channel, Outlet],
        config: ReminderConfig,
        *,
        settings: DispatchSettings | None = None,
        clock: Clock | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.sessions = session_factory(engine)
        self.outlets = outlets
        self.config = config
        self.settings = settings or DispatchSettings()
        self.clock = clock or SystemClock()
        self.rng = rng or random.Random()
        identity = "+".join(sorted(outlet.sender.identity for outlet in outlets.values()))
        self.lock: DispatchLock = dispatch_lock(engine, identity)
        # claims name the bot account first, so a dispatcher only takes back its own account's
        self.account = f"{lock_key(identity) & 0xFFFFFFFF:08x}/"
        host = socket.gethostname()[:30]
        self.worker = f"{self.account}{host}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    # --- running ---------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set, standing by while another dispatcher holds the lock.
        A failure (the database gone, say) is logged and retried; claimed rows come back."""
        standing_by = False
        while not stop.is_set():
            try:
                if await self.lock.acquire():
                    standing_by = False
                    try:
                        await self._serve(stop)
                    finally:
                        await self.lock.release()
                elif not standing_by:
                    log.info("another dispatcher is active for this bot; standing by")
                    standing_by = True
            except Exception:
                log.exception("dispatching failed; trying again shortly")
            await _wait(stop, self.settings.standby_poll)

    async def _serve(self, stop: asyncio.Event) -> None:
        await self.reclaim_orphans()
        while not stop.is_set() and await self.lock.held():
            report = await self.run_once()
            if not report.claimed:
                await _wait(stop, self.settings.idle_poll)

    async def drain(self) -> DispatchReport | None:
        """Deliver everything due now, then return; None if another dispatcher is active."""
        if not await self.lock.acquire():
            return None
        total = DispatchReport()
        try:
            await self.reclaim_orphans()
            while (report := await self.run_once()).claimed:
                total.add(report)
        finally:
            await self.lock.release()
        return total

    async def close(self) -> None:
        for outlet in self.outlets.values():
            await outlet.sender.close()

    async def reclaim_orphans(self) -> int:
        """Put back rows another worker of this bot account claimed. Called with the account's
        lock held, so that worker is dead: the message it had in flight may be sent once
        more. (Claims of other accounts' dispatchers come back only after the lease.)"""
        async with self.sessions() as session:
            result = await session.execute(
                _release()
                .where(
                    OutboxMessage.status == OutboxStatus.CLAIMED,
                    OutboxMessage.claimed_by.startswith(self.account, autoescape=True),
                    OutboxMessage.claimed_by != self.worker,
                )
                .returning(OutboxMessage.id)
            )
            count = len(result.all())
            await session.commit()
        if count:
            log.warning("took back %d messages claimed by a stopped dispatcher", count)
        return count

    async def run_once(self) -> DispatchReport:
        """Claim what is due now and deliver it."""
        now = self.clock.now()
        report = DispatchReport()
        async with self.sessions() as session:
            await self._reclaim_expired(session, now)
            ids = await self._claim(session, now)
            await session.commit()
        report.claimed = len(ids)
        if not ids:
            return report
        async with self.sessions() as session:
            recipients = await self._recipients(session, ids, now, report)
            await session.commit()
        gate = asyncio.Semaphore(self.settings.concurrency)

        async def deliver(recipient: _Recipient) -> DispatchReport:
            async with gate:
                return await self._deliver(recipient)

        for part in await asyncio.gather(*(deliver(r) for r in recipients)):
            report.add(part)
        return report

    # --- claiming --------------------------------------------------------------------------

    async def _reclaim_expired(self, session: AsyncSession, now: datetime) -> None:
        await session.execute(
            _release().where(
                OutboxMessage.status == OutboxStatus.CLAIMED,
                OutboxMessage.claimed_at < now - self.settings.lease,
            )
        )

    async def _claim(self, session: AsyncSession, now: datetime) -> list[int]:
        """Lock due rows (PostgreSQL skips rows another worker holds), then mark them ours;
        the UPDATE re-checks the status, so on SQLite a row someone else claimed between the
        two statements is left alone. Two statements, because PostgreSQL may run a LIMIT
        subquery inside an UPDATE more than once."""
        due = await session.scalars(
            select(OutboxMessage.id)
            .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.not_before <= now)
            .order_by(OutboxMessage.not_before, OutboxMessage.id)
            .limit(self.settings.batch_size)
            .with_for_update(skip_locked=True)
        )
        ids = list(due)
        if not ids:
            return []
        result = await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.status == OutboxStatus.PENDING)
            .values(
                status=OutboxStatus.CLAIMED, claimed_by=self.worker, claimed_at=now, updated_at=now
            )
            .returning(OutboxMessage.id)
            .execution_options(synchronize_session=False)
        )
        return sorted(result.scalars())

    async def _recipients(
        self, session: AsyncSession, ids: list[int], now: datetime, report: DispatchReport
    ) -> list[_Recipient]:
        """Claimed rows grouped per recipient; rows that no longer apply are cancelled and rows
        for someone without a linked chat marked unreachable, here, before any send."""
        rows = list(
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)
            )
        )
        stale = await planner.stale(session, rows, now, self.config)
        groups: dict[tuple[int | None, int | None], list[OutboxMessage]] = {}
        for row in rows:
            if row.id in stale:
                _finish(session, row, now, OutboxStatus.CANCELLED, "no longer applies", None)
                report.cancelled += 1
            else:
                groups.setdefault((row.official_id, row.chat_account_id), []).append(row)
        recipients: list[_Recipient] = []
        for (official_id, chat_id), members in groups.items():
            chat = await self._chat(session, official_id, chat_id)
            if chat is None:
                for row in members:
                    _finish(
                        session, row, now, OutboxStatus.UNREACHABLE, "not linked", "unreachable"
                    )
                report.unreachable += len(members)
                continue
            recipients.append(_Recipient(chat, members))
        return recipients

    async def _chat(
        self, session: AsyncSession, official_id: int | None, chat_id: int | None
    ) -> ChatAccount | None:
        """The chat to use: the given one, or the official's preferred linked chat on a channel
        we can send through, else their most recently linked one."""
        channels = list(self.outlets)
        if chat_id is not None:
            chat = await session.get(ChatAccount, chat_id)
            return chat if chat is not None and chat.channel in channels else None
        found: ChatAccount | None = await session.scalar(
            select(ChatAccount)
            .where(
                ChatAccount.official_id == official_id,
                ChatAccount.channel.in_(channels),
                ChatAccount.is_group.is_(False),
            )
            .order_by(
                ChatAccount.preferred.desc(), ChatAccount.updated_at.desc(), ChatAccount.id.desc()
            )
            .limit(1)
        )
        return found

    # --- delivering ------------------------------------------------------------------------

    async def _deliver(self, recipient: _Recipient) -> DispatchReport:
        report = DispatchReport()
        chat = recipient.chat
        muted = set(chat.muted_kinds or [])
        own = _own_window(chat)
        now = self.clock.now()
        ready: list[OutboxMessage] = []
        async with self.sessions() as session:
            for row in recipient.rows:
                row = await session.merge(row, load=False)
                if row.kind in muted:
                    _finish(
                        session, row, now, OutboxStatus.CANCELLED, "muted by the recipient", None
                    )
                    report.cancelled += 1
                    continue
                release = self.config.calendar.release(now, urgent=row.urgent, own=own)
                if release > now:
                    _requeue(row, release, None)
                    report.deferred += 1
                    continue
                ready.append(row)
            await session.commit()
        for batch in batches(ready):
            report.add(await self._send(chat, batch))
        return report

    async def _send(self, chat: ChatAccount, rows: Sequence[OutboxMessage]) -> DispatchReport:
        report = DispatchReport()
        outlet = self.outlets[chat.channel]
        try:
            message = render(
                [Item(row.id, row.kind, row.payload) for row in rows],
                chat.language,
                self.config.snooze_days,
            )
        except (KeyError, ValueError, TypeError) as error:
            return await self._record(chat, rows, Rejected(f"cannot render: {error!r}"), report)
        await outlet.limits.acquire(chat.external_id, chat.is_group)
        try:
            message_id = await outlet.sender.send(chat.external_id, message)
        except DeliveryError as error:
            if isinstance(error, RetryAfter):
                outlet.limits.pause(error.seconds)
            return await self._record(chat, rows, error, report)
        except Exception as error:  # an adapter bug must not stop the queue: retry later
            log.exception("unexpected error from the %s sender", chat.channel.value)
            return await self._record(chat, rows, Transient(repr(error)), report)
        return await self._record(chat, rows, None, report, message_id, message)

    async def _record(
        self,
        chat: ChatAccount,
        rows: Sequence[OutboxMessage],
        error: DeliveryError | None,
        report: DispatchReport,
        message_id: str = "",
        message: Outgoing | None = None,
    ) -> DispatchReport:
        now = self.clock.now()
        async with self.sessions() as session:
            account = await session.get(ChatAccount, chat.id)
            for row in rows:
                row = await session.merge(row, load=False)
                self._apply(session, row, now, error, message_id, report)
            if account is not None:
                if error is None:
                    account.unreachable_since = None
                elif isinstance(error, Unreachable) and account.unreachable_since is None:
                    account.unreachable_since = now
            await session.commit()
        if message is not None:
            report.messages += 1
        return report

    def _apply(
        self,
        session: AsyncSession,
        row: OutboxMessage,
        now: datetime,
        error: DeliveryError | None,
        message_id: str,
        report: DispatchReport,
    ) -> None:
        if error is None:
            row.attempts += 1
            row.sent_at = now
            _finish(session, row, now, OutboxStatus.SENT, None, "sent", message_id)
            report.sent += 1
        elif isinstance(error, RetryAfter):
            _attempt(session, row, now, "retry_after", str(error))
            _requeue(row, now + timedelta(seconds=error.seconds), str(error))
            report.retried += 1
        elif isinstance(error, Transient):
            row.attempts += 1
            if row.attempts >= self.settings.max_attempts:
                _finish(session, row, now, OutboxStatus.FAILED, str(error), "transient")
                report.failed += 1
            else:
                _attempt(session, row, now, "transient", str(error))
                _requeue(row, now + self._backoff(row.attempts), str(error))
                report.retried += 1
        elif isinstance(error, Unreachable):
            row.attempts += 1
            _finish(session, row, now, OutboxStatus.UNREACHABLE, str(error), "unreachable")
            report.unreachable += 1
        else:
            row.attempts += 1
            _finish(session, row, now, OutboxStatus.FAILED, str(error), "rejected")
            report.failed += 1

    def _backoff(self, attempts: int) -> timedelta:
        """Exponential, capped, with jitter so retries of one outage do not arrive together."""
        ceiling = min(self.settings.backoff_cap, self.settings.backoff_base * 2 ** (attempts - 1))
        return timedelta(seconds=ceiling * self.rng.uniform(0.5, 1.0))


def batches(rows: Sequence[OutboxMessage]) -> list[list[OutboxMessage]]:
    """The messages ``rows`` go out in: reminders together, MESSAGE_ITEMS to a message; each
    announcement alone, as its author previewed it."""
    alone = [[row] for row in rows if row.kind == broadcasts.KIND]
    together = [row for row in rows if row.kind != broadcasts.KIND]
    steps = range(0, len(together), MESSAGE_ITEMS)
    return alone + [together[start : start + MESSAGE_ITEMS] for start in steps]


def _release() -> Update:
    """The UPDATE that puts claimed rows back in the queue (add a WHERE)."""
    return (
        update(OutboxMessage)
        .values(status=OutboxStatus.PENDING, claimed_by=None, claimed_at=None)
        .execution_options(synchronize_session=False)
    )


def _requeue(row: OutboxMessage, not_before: datetime, error: str | None) -> None:
    row.status = OutboxStatus.PENDING
    row.not_before = not_before
    row.claimed_by = None
    row.claimed_at = None
    if error is not None:
        row.last_error = error


def _finish(
    session: AsyncSession,
    row: OutboxMessage,
    now: datetime,
    status: OutboxStatus,
    error: str | None,
    outcome: str | None,
    detail: str | None = None,
) -> None:
    """Give ``row`` its final status; ``outcome`` records the attempt that decided it."""
    row.status = status
    row.claimed_by = None
    row.claimed_at = None
    row.last_error = error
    if outcome is not None:
        _attempt(session, row, now, outcome, detail if detail is not None else error)


def _attempt(
    session: AsyncSession, row: OutboxMessage, now: datetime, outcome: str, detail: str | None
) -> None:
    session.add(DeliveryAttempt(outbox_id=row.id, at=now, outcome=outcome, detail=detail))


def _own_window(chat: ChatAccount) -> QuietWindow | None:
    if not chat.quiet_hours:
        return None
    try:
        return QuietWindow.parse(chat.quiet_hours)
    except ValueError:
        log.warning("chat account %d has unreadable quiet hours; using the default", chat.id)
        return None


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        return
