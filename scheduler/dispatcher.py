"""The outbox dispatcher (DESIGN.md, "Delivery semantics").

Each pass claims due rows (PostgreSQL: ``FOR UPDATE SKIP LOCKED``; SQLite: an UPDATE that
re-checks the status, atomic because SQLite has one writer), groups them per recipient so one
person gets one message, re-checks that derived reminders still apply, and sends within the
messenger's limits. The next batch is claimed while the current one is sending, so the queue
never pauses the messenger's budget. Every send's fate is committed before its sender takes the
next message (scheduler.ledger), so a crash leaves at most the messages in flight unconfirmed:
their rows stay claimed, and the next dispatcher to hold the account's lock puts them back in
the queue. Such a message may arrive twice; no queued message is lost.

Outcomes: sent; 429 → the whole account pauses for ``retry_after`` (we pace each chat ourselves,
so a 429 means the bot's shared budget is spent) and the rows wait as long; 5xx, timeouts and
network errors → retried with exponential backoff and jitter, FAILED after ``max_attempts``;
blocked, forbidden or unknown chat → the chat account is marked unreachable and the rows
UNREACHABLE (coordinators see it in their digest); no linked chat → UNREACHABLE "not linked"
(a reminder still due when the official links is sent then: planner.after_linking).
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from time import perf_counter

from sqlalchemy import Update, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from scheduler import metrics, planner
from scheduler.clock import Clock, SystemClock
from scheduler.config import ReminderConfig
from scheduler.delivery import DeliveryError, Rejected, RetryAfter, Sender, Transient
from scheduler.ledger import (
    NOT_LINKED,
    DispatchReport,
    Ledger,
    Retries,
    SendResult,
    finish,
    requeue,
)
from scheduler.limits import Priority, SendBudget
from scheduler.lock import DispatchLock, dispatch_lock, lock_key
from scheduler.messages import Item, render
from scheduler.timing import QuietWindow
from storage import broadcasts, reach
from storage.db import OutageLog, session_factory
from storage.models import Channel, ChatAccount, OutboxMessage, OutboxStatus

__all__ = ["DispatchReport", "DispatchSettings", "Dispatcher", "Outlet", "batches"]

log = logging.getLogger(__name__)

TAKEOVER_PAUSE = 1.5  # seconds: longer than the messengers' one-message-per-chat window
BATCH_SECONDS = 1.5
MESSAGE_ITEMS = 10  # reminders per message; a longer day is split so the text stays readable


@dataclass(frozen=True)
class Outlet:
    """A channel the dispatcher can send through, with that account's send budget (None: a
    database write, no limit)."""

    sender: Sender
    budget: SendBudget | None


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
class _Recipient:
    chat: ChatAccount
    rows: list[OutboxMessage]


@dataclass
class _Batch:
    """Claimed rows ready to send, and what became of the others before any send."""

    report: DispatchReport = field(default_factory=DispatchReport)
    recipients: list[_Recipient] = field(default_factory=list)


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
        retries = Retries(
            self.settings.max_attempts, self.settings.backoff_base, self.settings.backoff_cap
        )
        self.ledger = Ledger(self.sessions, self.clock, retries, rng or random.Random())
        accounts = sorted(o.sender.identity for o in outlets.values() if o.sender.identity)
        identity = "+".join(accounts) or "web"
        # claims name the bot account first, so a dispatcher only takes back its own account's
        self.account = f"{lock_key(identity) & 0xFFFFFFFF:08x}/"
        host = socket.gethostname()[:30]
        self.worker = f"{self.account}{host}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.lock: DispatchLock = dispatch_lock(engine, identity, self.worker)
        # a batch lasts about BATCH_SECONDS at the fastest outlet's rate: an announcement queued
        # meanwhile is claimed with the next one, at most two batches away
        rates = [o.budget.limits.per_second for o in outlets.values() if o.budget is not None]
        fastest = max(rates, default=self.settings.batch_size / BATCH_SECONDS)
        self.batch_size = max(10, min(self.settings.batch_size, int(fastest * BATCH_SECONDS)))
        self._gate: asyncio.Semaphore | None = None  # sends in flight, across batches

    # --- running ---------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set, standing by while another dispatcher holds the lock.
        A failure is retried; while the database is unreachable, one line says so, the
        outcomes of sends already made wait in the ledger, and claimed rows come back."""
        standing_by = False
        outage = OutageLog(log, "dispatching")
        self.ledger.stopping.clear()
        stopping = asyncio.create_task(stop.wait())
        stopping.add_done_callback(lambda _: self.ledger.stopping.set())
        try:
            while not stop.is_set():
                try:
                    if await self.lock.acquire():
                        outage.succeeded()
                        standing_by = False
                        try:
                            await self._serve(stop)
                        finally:
                            await self.lock.release()
                    elif not standing_by:
                        outage.succeeded()
                        log.info("another dispatcher is active for this bot; standing by")
                        standing_by = True
                except Exception as error:
                    outage.failed(error)
                await _wait(stop, self.settings.standby_poll)
        finally:
            stopping.cancel()

    async def _serve(self, stop: asyncio.Event) -> None:
        await self._take_over()
        while not stop.is_set() and await self.lock.held():
            report = await self._pump(stop)
            if not report.claimed:
                await _wait(stop, self.settings.idle_poll)

    async def drain(self) -> DispatchReport | None:
        """Deliver everything due now, then return; None if another dispatcher is active."""
        if not await self.lock.acquire():
            return None
        try:
            await self._take_over()
            return await self._pump()
        finally:
            await self.lock.release()

    async def run_once(self) -> DispatchReport:
        """Claim one batch of what is due now and deliver it."""
        return await self._deliver_batch(await self._prepare())

    async def close(self) -> None:
        for outlet in self.outlets.values():
            await outlet.sender.close()

    async def _take_over(self) -> None:
        """Take back what a stopped worker left; if it left anything, it may have sent a
        moment ago, so let every chat's window pass before sending (else the same chat could
        get a second message within a second, and a 429). This worker's own outcomes still
        waiting for the database are written first, so their rows are not taken back."""
        await self.ledger.settled()
        if await self.reclaim_orphans():
            await self.clock.sleep(TAKEOVER_PAUSE)

    async def reclaim_orphans(self) -> int:
        """Put back rows a worker of this bot account claimed and did not finish. Called with
        the account's lock held and nothing in flight, so that worker is dead or was this one
        before a failure: the message it had in flight may be sent once more. (Claims of other
        accounts' dispatchers come back only after the lease.)"""
        async with self.sessions() as session:
            result = await session.execute(
                _release()
                .where(
                    OutboxMessage.status == OutboxStatus.CLAIMED,
                    OutboxMessage.claimed_by.startswith(self.account, autoescape=True),
                )
                .returning(OutboxMessage.id)
            )
            count = len(result.all())
            await session.commit()
        if count:
            log.warning("took back %d messages claimed by a stopped dispatcher", count)
        return count

    async def _pump(self, stop: asyncio.Event | None = None) -> DispatchReport:
        """Deliver batch after batch until nothing is due; with ``stop``, also until it is set
        or the lock is lost. The next batch is claimed while one sends and starts as soon as it
        is ready, its sends queued behind the first's (``concurrency`` in flight in all), so
        the budget never idles between batches; at most two batches are held at a time."""
        total = DispatchReport()
        sending: list[asyncio.Task[DispatchReport]] = []
        try:
            batch = await self._prepare()
            while batch.report.claimed:
                sending.append(asyncio.create_task(self._deliver_batch(batch)))
                if len(sending) > 1:
                    total.add(await sending.pop(0))
                more = stop is None or (not stop.is_set() and await self.lock.held())
                batch = await self._prepare() if more else _Batch()
        finally:
            for task in sending:
                total.add(await task)
        return total

    # --- claiming --------------------------------------------------------------------------

    async def _prepare(self) -> _Batch:
        """Claim the next batch and settle, before any send, the rows that will not go out."""
        now = self.clock.now()
        batch = _Batch()
        async with self.sessions() as session:
            await self._reclaim_expired(session, now)
            ids = await self._claim(session, now)
            await session.commit()
            batch.report.claimed = len(ids)
            if ids:
                batch.recipients = await self._recipients(session, ids, now, batch.report)
                await session.commit()
        return batch

    async def _reclaim_expired(self, session: AsyncSession, now: datetime) -> None:
        await session.execute(
            _release().where(
                OutboxMessage.status == OutboxStatus.CLAIMED,
                OutboxMessage.claimed_at < now - self.settings.lease,
            )
        )

    async def _claim(self, session: AsyncSession, now: datetime) -> list[int]:
        """Lock due rows, urgent ones (announcements) first, so a long queue of routine
        reminders never holds an announcement back (PostgreSQL skips rows another worker
        holds); then mark them ours. The UPDATE re-checks the status, so on SQLite a row someone
        else claimed between the statements is left alone. Separate statements, because
        PostgreSQL may run a LIMIT subquery inside an UPDATE more than once."""
        ids: list[int] = []
        for urgent in (True, False):
            due = await session.scalars(
                select(OutboxMessage.id)
                .where(
                    OutboxMessage.status == OutboxStatus.PENDING,
                    OutboxMessage.urgent.is_(urgent),
                    OutboxMessage.not_before <= now,
                )
                .order_by(OutboxMessage.not_before, OutboxMessage.id)
                .limit(self.batch_size - len(ids))
                .with_for_update(skip_locked=True)
            )
            ids += due
            if len(ids) >= self.batch_size:
                break
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
        """Claimed rows grouped per recipient, each with only the rows to send now. Rows that
        no longer apply or that the recipient muted are cancelled, rows for someone without a
        linked chat marked unreachable, rows inside the recipient's quiet hours put back."""
        rows = list(
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)
            )
        )
        stale = await planner.stale(session, rows, now, self.config)
        groups: dict[tuple[int | None, int | None], list[OutboxMessage]] = {}
        for row in rows:
            if row.id in stale:
                finish(session, row, now, OutboxStatus.CANCELLED, "no longer applies", None)
                report.cancelled += 1
            else:
                groups.setdefault((row.official_id, row.chat_account_id), []).append(row)
        chats = await self._chats(session, list(groups))
        recipients: list[_Recipient] = []
        for key, members in groups.items():
            chat = chats.get(key)
            if chat is None:
                for row in members:
                    finish(session, row, now, OutboxStatus.UNREACHABLE, NOT_LINKED, "unreachable")
                report.unreachable += len(members)
                continue
            ready = self._ready(session, chat, members, now, report)
            if ready:
                recipients.append(_Recipient(chat, ready))
        return sorted(recipients, key=lambda recipient: _priority(recipient.rows))

    async def _chats(
        self, session: AsyncSession, keys: Sequence[tuple[int | None, int | None]]
    ) -> dict[tuple[int | None, int | None], ChatAccount]:
        """The chat for each (official, chat) key: the given chat, or the official's chat on a
        channel we can send through that storage.reach ranks first."""
        channels = list(self.outlets)
        given = {chat_id for _, chat_id in keys if chat_id is not None}
        officials = {official for official, chat_id in keys if chat_id is None}
        by_id: dict[int, ChatAccount] = {}
        if given:
            found = await session.scalars(
                select(ChatAccount).where(
                    ChatAccount.id.in_(given), ChatAccount.channel.in_(channels)
                )
            )
            by_id = {chat.id: chat for chat in found}
        best: dict[int, ChatAccount] = {}
        if officials:
            candidates = await session.scalars(
                select(ChatAccount).where(
                    ChatAccount.official_id.in_(officials),
                    ChatAccount.channel.in_(channels),
                    ChatAccount.is_group.is_(False),
                )
            )
            for candidate in sorted(candidates, key=reach.rank):
                if candidate.official_id is not None:
                    best.setdefault(candidate.official_id, candidate)
        chats: dict[tuple[int | None, int | None], ChatAccount] = {}
        for official, chat_id in keys:
            chat = by_id.get(chat_id) if chat_id is not None else best.get(official or 0)
            if chat is not None:
                chats[official, chat_id] = chat
        return chats

    def _ready(
        self,
        session: AsyncSession,
        chat: ChatAccount,
        rows: list[OutboxMessage],
        now: datetime,
        report: DispatchReport,
    ) -> list[OutboxMessage]:
        """The rows to send ``chat`` now; muted kinds are cancelled, the rest put back until
        the recipient's quiet hours end."""
        muted = set(chat.muted_kinds or [])
        own = _own_window(chat)
        ready: list[OutboxMessage] = []
        for row in rows:
            if row.kind in muted:
                finish(session, row, now, OutboxStatus.CANCELLED, "muted by the recipient", None)
                report.cancelled += 1
                continue
            release = self.config.calendar.release(now, urgent=row.urgent, own=own)
            if release > now:
                requeue(row, release, None)
                report.deferred += 1
                continue
            ready.append(row)
        return ready

    # --- delivering ------------------------------------------------------------------------

    async def _deliver_batch(self, batch: _Batch) -> DispatchReport:
        """Send to every recipient, ``concurrency`` at a time. If an outcome cannot be recorded
        (the database is gone), every other send stops at once: sending on unrecorded would
        repeat all of it once the rows are taken back."""
        report = batch.report
        if self._gate is None:
            self._gate = asyncio.Semaphore(self.settings.concurrency)
        gate = self._gate

        async def deliver(recipient: _Recipient) -> None:
            async with gate:
                for rows in batches(recipient.rows):
                    report.add(await self._send(recipient.chat, rows))

        try:
            async with asyncio.TaskGroup() as group:
                for recipient in batch.recipients:
                    group.create_task(deliver(recipient))
        except ExceptionGroup as failure:
            raise failure.exceptions[0] from failure
        return report

    async def _send(self, chat: ChatAccount, rows: Sequence[OutboxMessage]) -> DispatchReport:
        outlet = self.outlets[chat.channel]
        try:
            message = render(
                [Item(row.id, row.kind, row.payload) for row in rows],
                chat.language,
                self.config.snooze_days,
            )
        except (KeyError, ValueError, TypeError) as error:
            return await self._record(chat, rows, Rejected(f"cannot render: {error!r}"))
        budget = outlet.budget
        slot = (
            await budget.acquire(chat.external_id, chat.is_group, _priority(rows))
            if budget
            else None
        )
        started = perf_counter()
        try:
            try:
                message_id = await outlet.sender.send(chat.external_id, message)
            finally:
                if budget is not None and slot is not None:
                    budget.done(slot)
        except DeliveryError as error:
            if isinstance(error, RetryAfter) and budget is not None:
                await budget.pause(error.seconds)
            return await self._record(chat, rows, error, started=started)
        except Exception as error:  # an adapter bug must not stop the queue: retry later
            log.exception("unexpected error from the %s sender", chat.channel.value)
            return await self._record(chat, rows, Transient(repr(error)), started=started)
        return await self._record(chat, rows, None, message_id, started=started)

    async def _record(
        self,
        chat: ChatAccount,
        rows: Sequence[OutboxMessage],
        error: DeliveryError | None,
        message_id: str = "",
        *,
        started: float | None = None,
    ) -> DispatchReport:
        """Count the send (when one was made, at ``started``) and commit its outcome."""
        channel = chat.channel.value
        if started is not None:
            metrics.SEND_SECONDS.labels(channel).observe(perf_counter() - started)
            metrics.SENDS.labels(channel, metrics.outcome(error)).inc()
        return await self.ledger.record(SendResult(chat, rows, error, message_id))


def batches(rows: Sequence[OutboxMessage]) -> list[list[OutboxMessage]]:
    """The messages ``rows`` go out in: reminders together, MESSAGE_ITEMS to a message; each
    announcement alone, as its author previewed it."""
    alone = [[row] for row in rows if row.kind == broadcasts.KIND]
    together = [row for row in rows if row.kind != broadcasts.KIND]
    steps = range(0, len(together), MESSAGE_ITEMS)
    return alone + [together[start : start + MESSAGE_ITEMS] for start in steps]


def _priority(rows: Sequence[OutboxMessage]) -> Priority:
    """Announcements (and reminders that cannot wait for the next working day) before
    routine reminders."""
    return Priority.URGENT if any(row.urgent for row in rows) else Priority.ROUTINE


def _release() -> Update:
    """The UPDATE that puts claimed rows back in the queue (add a WHERE)."""
    return (
        update(OutboxMessage)
        .values(status=OutboxStatus.PENDING, claimed_by=None, claimed_at=None)
        .execution_options(synchronize_session=False)
    )


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
