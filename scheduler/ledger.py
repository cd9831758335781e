"""Recording what became of each outbox row (DESIGN.md, "Delivery semantics").

A send's outcome is committed before its sender takes the next message, so a crash leaves at
most the messages in flight unconfirmed. SendResults that arrive while a commit is running share
the next one (group commit): at the Bot API's paid broadcast rates the dispatcher pays one
transaction per handful of messages instead of one per message, and at 30/s nothing waits.

While the database is unreachable the ledger keeps the results and writes them once it is back
(one line in the log for the outage): a message that went out is recorded as sent, not sent
again after the rows are taken back. Its senders wait meanwhile, so nothing more goes out
unrecorded.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduler.clock import Clock
from scheduler.delivery import DeliveryError, RetryAfter, Transient, Unreachable
from storage.db import OutageLog, is_outage
from storage.models import ChatAccount, DeliveryAttempt, OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

RETRY_FIRST = 0.2  # seconds before writing again while the database is unreachable
RETRY_CAP = 2.0  # so sending resumes within two seconds of the database's return


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


@dataclass(frozen=True)
class Retries:
    """How often and how far apart a failing row is tried again."""

    max_attempts: int
    backoff_base: float  # seconds before the first retry; doubles each time
    backoff_cap: float


NOT_LINKED = "not linked"  # the error of a row whose recipient had no chat to reach


class Adds(Protocol):
    """Where a delivery attempt goes: a session, or the ledger's list for one executemany."""

    def add(self, instance: DeliveryAttempt) -> None: ...


class _Attempts(list[dict[str, Any]]):
    def add(self, instance: DeliveryAttempt) -> None:
        self.append(
            {
                "outbox_id": instance.outbox_id,
                "at": instance.at,
                "outcome": instance.outcome,
                "detail": instance.detail,
            }
        )


@dataclass
class SendResult:
    """One send: the chat, the rows it carried, and the error (None: delivered)."""

    chat: ChatAccount
    rows: Sequence[OutboxMessage]
    error: DeliveryError | None
    message_id: str = ""
    report: DispatchReport = field(default_factory=DispatchReport)


class Ledger:
    """Commits send results in groups; ``record`` returns once its result is committed."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        retries: Retries,
        rng: random.Random,
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.retries = retries
        self.rng = rng
        self._waiting: list[tuple[SendResult, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None
        self.outage = OutageLog(log, "recording sends")
        # set: stop retrying through an outage (the service is stopping); the rows stay
        # claimed and come back in the queue, as after a crash
        self.stopping = asyncio.Event()

    async def record(self, result: SendResult) -> DispatchReport:
        done = asyncio.get_running_loop().create_future()
        self._waiting.append((result, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_all())
        await done
        return result.report

    async def settled(self) -> None:
        """Return once every result handed in so far is written (or given up on)."""
        while self._writer is not None and not self._writer.done():
            await asyncio.shield(self._writer)

    async def _write_all(self) -> None:
        """Write the waiting results, a group at a time, each until it is written; tell each
        recorder still waiting (one whose task was cancelled no longer is)."""
        while self._waiting:
            group, self._waiting = self._waiting, []
            try:
                error = await self._write([result for result, _ in group])
            except Exception as failure:  # a bug computing the rows' state: their senders see it
                error = failure
            for _, done in group:
                if done.done():
                    continue
                if error is None:
                    done.set_result(None)
                else:
                    done.set_exception(error)

    async def _through_outage(self, commit: Callable[[], Awaitable[None]]) -> Exception | None:
        """Run ``commit``, again and again while the database is unreachable; the error that
        ended the attempts, None once it went through."""
        pause = RETRY_FIRST
        while True:
            try:
                await commit()
            except Exception as error:
                if not is_outage(error) or self.stopping.is_set():
                    return error
                self.outage.failed(error)
            else:
                self.outage.succeeded()
                return None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), pause)
            pause = min(RETRY_CAP, pause * 2)

    async def _write(self, results: list[SendResult]) -> Exception | None:
        """The rows' new state and their attempts in two executemany statements (bulk by
        primary key, not the ORM's merge and flush: at paid broadcast rates that was most of
        the CPU a send cost), computed once and committed through an outage; the error that
        stopped it, None once written."""
        now = self.clock.now()
        reached: set[int] = set()
        lost: set[int] = set()
        failing: set[int] = set()
        attempts = _Attempts()
        for result in results:
            for row in result.rows:  # detached: their new state is computed here
                self._apply(attempts, row, now, result)
            if result.error is None:
                reached.add(result.chat.id)
                result.report.messages += 1
            elif isinstance(result.error, Unreachable):
                lost.add(result.chat.id)
            elif isinstance(result.error, Transient):
                failing.add(result.chat.id)
        rows = [
            {
                "id": row.id,
                "status": row.status,
                "attempts": row.attempts,
                "not_before": row.not_before,
                "sent_at": row.sent_at,
                "last_error": row.last_error,
                "claimed_by": None,
                "claimed_at": None,
                "updated_at": now,
            }
            for result in results
            for row in result.rows
        ]

        async def commit() -> None:
            async with self.sessions() as session:
                await session.execute(update(OutboxMessage), rows)  # by primary key, executemany
                if attempts:
                    await session.execute(insert(DeliveryAttempt), attempts)
                await _mark_chats(session, reached, lost, failing, now)
                await session.commit()

        return await self._through_outage(commit)

    def _apply(self, session: Adds, row: OutboxMessage, now: datetime, result: SendResult) -> None:
        error, report = result.error, result.report
        if error is None:
            row.attempts += 1
            row.sent_at = now
            finish(session, row, now, OutboxStatus.SENT, None, "sent", result.message_id)
            report.sent += 1
        elif isinstance(error, RetryAfter):
            attempt(session, row, now, "retry_after", str(error))
            requeue(row, now + timedelta(seconds=error.seconds), str(error))
            report.retried += 1
        elif isinstance(error, Transient):
            row.attempts += 1
            if row.attempts >= self.retries.max_attempts:
                finish(session, row, now, OutboxStatus.FAILED, str(error), "transient")
                report.failed += 1
            else:
                attempt(session, row, now, "transient", str(error))
                requeue(row, now + self._backoff(row.attempts), str(error))
                report.retried += 1
        elif isinstance(error, Unreachable):
            row.attempts += 1
            finish(session, row, now, OutboxStatus.UNREACHABLE, str(error), "unreachable")
            report.unreachable += 1
        else:
            row.attempts += 1
            finish(session, row, now, OutboxStatus.FAILED, str(error), "rejected")
            report.failed += 1

    def _backoff(self, attempts: int) -> timedelta:
        """Exponential, capped, with jitter so retries of one outage do not arrive together."""
        retries = self.retries
        ceiling = min(retries.backoff_cap, retries.backoff_base * 2 ** (attempts - 1))
        return timedelta(seconds=ceiling * self.rng.uniform(0.5, 1.0))


async def _mark_chats(
    session: AsyncSession, reached: set[int], lost: set[int], failing: set[int], now: datetime
) -> None:
    """A delivery clears a chat's "unreachable since" and "failing since"; a refusal sets the
    first, a failure (a timeout, a 5xx) the second, each once."""
    since, failed = ChatAccount.unreachable_since, ChatAccount.failing_since
    marks = (
        (
            reached,
            {"unreachable_since": None, "failing_since": None},
            (since.is_not(None)) | (failed.is_not(None)),
        ),
        (lost, {"unreachable_since": now}, since.is_(None)),
        (failing, {"failing_since": now}, failed.is_(None)),
    )
    for ids, values, changes in marks:
        if ids:
            await session.execute(
                update(ChatAccount)
                .where(ChatAccount.id.in_(ids), changes)
                .values(**values)
                .execution_options(synchronize_session=False)
            )


def requeue(row: OutboxMessage, not_before: datetime, error: str | None) -> None:
    row.status = OutboxStatus.PENDING
    row.not_before = not_before
    row.claimed_by = None
    row.claimed_at = None
    if error is not None:
        row.last_error = error


def finish(
    session: Adds,
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
        attempt(session, row, now, outcome, detail if detail is not None else error)


def attempt(
    session: Adds, row: OutboxMessage, now: datetime, outcome: str, detail: str | None
) -> None:
    session.add(DeliveryAttempt(outbox_id=row.id, at=now, outcome=outcome, detail=detail))
