"""One send budget per bot account, shared by the replies and the dispatcher, across processes
(DESIGN.md, "Intake semantics"; docs/SEND_BUDGET.md says why PostgreSQL).

Strict: the messenger counts messages in any one-second window (Telegram: 30 overall, 1 per
chat, 20 per minute in a group), measured when they arrive. So each send books a slot in a log
of the latest ones, free when the 30th slot before it lies more than a second back; and once
the messenger has answered, the slot moves to the moment the answer came (``done`` notes it
as it comes, however long the budget takes to tell the store), which is no earlier than its
arrival: however late a busy machine or network delivered it, the send booked 30 later goes a
full second after it arrived. (Moving it any less, say only for an answer that came late,
would bet on when the message arrived within its round trip: a strict server that counted it
at the end of it answers the 30th later send with a 429. So each window costs one round trip,
the least that is safe.) The account's slots are also a thirtieth of a second
apart: bursts would leave whole stretches of a second with no free slot, and a reply arriving
then would wait for it.

Each booking names its send's ``Priority``: replies may book the account's next slot up to two
seconds ahead, announcements 0.1 s, routine reminders 0.05 s; so while replies keep the
schedule full, the dispatcher waits, and it never holds more than a few slots a reply would
have to wait behind. (Announcements go before routine reminders in the
dispatcher's claim order too: scheduler.dispatcher.)

Where the slots are kept: ``PostgresSlots`` (a row per account, chat and group, booked by the
``canbo_book_sends`` function of migration 0014, one round trip for several sends) when the
database is PostgreSQL, so every process of the bot books from one schedule; ``MemorySlots``
on SQLite, which serves one process. In one process, one ``SendBudget`` per account serves the
reply sender and the dispatcher alike (``send_budget``), and hands out slots by priority.
"""

from __future__ import annotations

import asyncio
import enum
import itertools
import logging
import random
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from scheduler.clock import Clock, SystemClock
from storage.db import OutageLog, is_outage

MARGIN = 0.001  # seconds added to every window, for rounding (monotonic clocks count in ns)
TICK = 1e-4  # seconds: waits shorter than this are not worth a timer
BOOKING_SPAN = 0.05  # seconds of the account's schedule one round trip books at most
FORGET_AFTER = 120.0  # seconds after its last slot a chat's row may be dropped
_RETRY_FIRST, _RETRY_MOST = 0.2, 2.0  # seconds between bookings while the database is away

logger = logging.getLogger(__name__)


class Priority(enum.IntEnum):
    REPLY = 0
    URGENT = 1  # announcements
    ROUTINE = 2  # reminders, digests


# How far ahead of now each priority may book the account's next slot (seconds).
LOOKAHEAD: dict[Priority, float] = {
    Priority.REPLY: 2.0,
    Priority.URGENT: 0.1,
    Priority.ROUTINE: 0.05,
}


@dataclass(frozen=True)
class Limits:
    """A bot account's limits, as the messenger states them: at most ``per_second`` messages
    in any second, ``per_chat_second`` in one chat, ``per_group_minute`` in one group."""

    per_second: float = 30.0
    per_chat_second: float = 1.0
    per_group_minute: float = 20.0

    @property
    def account(self) -> Window:
        return Window.of(self.per_second, 1.0)

    @property
    def chat(self) -> Window:
        return Window.of(self.per_chat_second, 1.0)

    @property
    def group(self) -> Window:
        return Window.of(self.per_group_minute, 60.0)


@dataclass(frozen=True)
class Window:
    """At most ``count`` slots in any ``seconds`` (plus MARGIN)."""

    count: int
    seconds: float

    @classmethod
    def of(cls, rate: float, seconds: float) -> Window:
        """``rate`` per ``seconds``; below one, one per 1/rate of it."""
        return cls(int(rate), seconds) if rate >= 1 else cls(1, seconds / rate)

    @property
    def gap(self) -> float:
        """The least time between two slots: the window's share of one."""
        return self.seconds / self.count

    def free(self, log: Sequence[float]) -> float:
        """The earliest time one more slot fits after the slots ``log`` (oldest first)."""
        if len(log) < self.count:
            return float("-inf")
        return log[-self.count] + self.seconds + MARGIN

    def keep(self, log: list[float], slot: float) -> list[float]:
        return [*log, slot][-self.count :]


@dataclass(frozen=True)
class Request:
    chat_id: str
    is_group: bool
    priority: Priority

    @property
    def chat_key(self) -> str:
        return "c:" + self.chat_id

    @property
    def group_key(self) -> str | None:
        return "g:" + self.chat_id if self.is_group else None


@dataclass(frozen=True)
class Booking:
    """A store's answer: the slot is ours ``delay`` seconds from now (``booked``), or the chat
    or the schedule is busy: ask again in ``delay`` seconds. ``at``: the slot on the store's
    clock."""

    booked: bool
    delay: float
    at: float = 0.0


@dataclass(frozen=True)
class Slot:
    """A booked send; ``SendBudget.done`` once the messenger has answered it."""

    request: Request
    at: float  # on the store's clock


@dataclass(frozen=True)
class Answered:
    """The messenger's answer to the send of ``slot`` came at ``at`` (this process's
    monotonic clock)."""

    slot: Slot
    at: float


class Slots(Protocol):
    """Where an account's schedule is kept."""

    async def book(self, requests: Sequence[Request]) -> list[Booking]:
        """Book ``requests`` in order, each its own slot or a "come back later"."""

    async def pause(self, seconds: float) -> None:
        """Book nothing for ``seconds`` (the messenger said "retry after")."""

    async def done(self, answers: Sequence[Answered]) -> None:
        """Move each answered slot in its logs to when its answer came: the messenger counted
        it somewhere in between, maybe late on a busy machine, and the slots booked after it
        must be a window past that."""


@dataclass
class MemorySlots:
    """The schedule in this process: enough on SQLite, which serves one process. The same
    rules as ``canbo_book_sends`` in migration 0014."""

    limits: Limits
    clock: Clock
    logs: dict[str, list[float]] = field(default_factory=dict)  # "" is the account's
    paused_until: float = float("-inf")
    pruned_at: float = 0.0

    async def book(self, requests: Sequence[Request]) -> list[Booking]:
        now = self.clock.monotonic()
        account = self.limits.account
        answers = []
        for request in requests:
            log = self.logs.get("", [])
            last = log[-1] + account.gap if log else float("-inf")
            slot = max(now, last, self.paused_until, account.free(log))
            held = [(request.chat_key, self.limits.chat)]
            if request.group_key is not None:
                held.append((request.group_key, self.limits.group))
            busy = max(window.free(self.logs.get(key, [])) for key, window in held)
            lookahead = LOOKAHEAD[request.priority]
            if busy > slot:
                answers.append(Booking(False, busy - now))
            elif slot - now > lookahead + TICK:
                answers.append(Booking(False, slot - now - lookahead))
            else:
                self.logs[""] = account.keep(log, slot)
                for key, window in held:
                    self.logs[key] = window.keep(self.logs.get(key, []), slot)
                answers.append(Booking(True, slot - now, slot))
        if now - self.pruned_at > FORGET_AFTER:  # chats' logs that can hold nothing back
            self.logs = {k: v for k, v in self.logs.items() if not k or v[-1] > now - FORGET_AFTER}
            self.pruned_at = now
        return answers

    async def pause(self, seconds: float) -> None:
        self.paused_until = max(self.paused_until, self.clock.monotonic() + seconds)

    async def done(self, answers: Sequence[Answered]) -> None:
        for answer in answers:
            slot = answer.slot
            for key in ("", slot.request.chat_key, slot.request.group_key):
                log = self.logs.get(key) if key is not None else None
                if log is not None and slot.at in log:
                    log[log.index(slot.at)] = max(slot.at, answer.at)
                    log.sort()


class PostgresSlots:
    """The schedule in PostgreSQL, shared by every process sending for the account. Times are
    read on the database server's clock, so the processes need not agree on the time."""

    def __init__(self, engine: AsyncEngine, account: str, limits: Limits) -> None:
        self.engine = engine
        self.account = account
        self.limits = limits

    async def book(self, requests: Sequence[Request]) -> list[Booking]:
        windows = self.limits.account, self.limits.chat, self.limits.group
        async with self.engine.begin() as connection:
            rows = await connection.execute(
                text(
                    "SELECT booked, delay, slot FROM canbo_book_sends(:account, :chats, :groups, "
                    ":lookaheads, :windows, :margin, :forget)"
                ),
                {
                    "account": self.account,
                    "chats": [request.chat_key for request in requests],
                    "groups": [request.group_key for request in requests],
                    "lookaheads": [LOOKAHEAD[request.priority] for request in requests],
                    "windows": [[w.count, w.seconds] for w in windows],
                    "margin": MARGIN,
                    "forget": FORGET_AFTER if random.random() < 0.01 else None,
                },
            )
            return [Booking(booked, delay, at or 0.0) for booked, delay, at in rows]

    async def pause(self, seconds: float) -> None:
        async with self.engine.begin() as connection:
            await connection.execute(
                text(
                    "UPDATE send_budget SET paused_until = greatest(paused_until, "
                    "extract(epoch from clock_timestamp()) + :seconds) "
                    "WHERE account = :account AND key = ''"
                ),
                {"account": self.account, "seconds": seconds},
            )

    async def done(self, answers: Sequence[Answered]) -> None:
        """To the server's time of this call (``canbo_sends_done``): a round trip to the
        database later than the answers, so a little more than safe."""
        keys, times = [], []
        for slot in (answer.slot for answer in answers):
            for key in ("", slot.request.chat_key, slot.request.group_key):
                if key is not None:
                    keys.append(key)
                    times.append(slot.at)
        async with self.engine.begin() as connection:
            await connection.execute(
                text("SELECT canbo_sends_done(:account, :keys, :times)"),
                {"account": self.account, "keys": keys, "times": times},
            )


@dataclass(eq=False)
class _Waiter:
    request: Request
    order: int
    done: asyncio.Future[Slot]
    not_before: float = 0.0  # monotonic: its chat is busy until then


class SendBudget:
    """One bot account's budget in this process: ``acquire`` returns when a message may go.

    A single task books slots for the waiting sends, highest priority first, and lets each go
    at its slot; so the schedule, not the number of senders, sets the pace."""

    def __init__(self, slots: Slots, limits: Limits, clock: Clock | None = None) -> None:
        self.slots = slots
        self.limits = limits
        self.clock = clock or SystemClock()
        self._waiting: list[_Waiter] = []
        self._order = itertools.count()
        self._arrived = asyncio.Event()
        self._finished: list[Answered] = []
        self._pump: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def acquire(self, chat_id: str, is_group: bool, priority: Priority) -> Slot:
        """Wait until a message to ``chat_id`` fits every limit; it is counted as sent. Call
        ``done`` with the slot once the messenger has answered."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # a budget outlives its loop (tests, one command after another)
            self._loop, self._waiting, self._finished = loop, [], []
            self._arrived, self._pump = asyncio.Event(), None
        waiter = _Waiter(
            Request(chat_id, is_group, priority), next(self._order), loop.create_future()
        )
        self._waiting.append(waiter)
        self._arrived.set()
        if self._pump is None or self._pump.done():
            self._pump = asyncio.create_task(self._run(), name="send budget")
        try:
            return await waiter.done
        except asyncio.CancelledError:
            if waiter in self._waiting:
                self._waiting.remove(waiter)
            raise

    def done(self, slot: Slot) -> None:
        """The messenger answered the send of ``slot`` just now (the pump tells the store
        soon, with this moment)."""
        self._finished.append(Answered(slot, self.clock.monotonic()))
        self._arrived.set()

    async def pause(self, seconds: float) -> None:
        """Send nothing for ``seconds``, in every process (a 429 from the messenger)."""
        await self.slots.pause(seconds)

    async def close(self) -> None:
        if self._pump is not None:
            self._pump.cancel()
            await asyncio.gather(self._pump, return_exceptions=True)
            self._pump = None

    async def _run(self) -> None:
        """Book round after round. While the database is unreachable the senders wait, and
        booking is tried again, 0.2 s doubling to 2 s apart: a reply whose update is already
        marked answered must still go out once the database is back (docs/intake.md). Any
        other failure is the senders' to see."""
        outage = OutageLog(logger, "sending")
        retry = _RETRY_FIRST
        while True:
            try:
                await self._round()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                outage.failed(error)
                if is_outage(error):
                    await asyncio.sleep(retry)
                    retry = min(retry * 2, _RETRY_MOST)
                    continue
                for waiter in self._waiting:
                    if not waiter.done.done():
                        waiter.done.set_exception(error)
                self._waiting.clear()
            else:
                outage.succeeded()
                retry = _RETRY_FIRST

    async def _round(self) -> None:
        """Book for the waiting sends, best first, and let each go at its slot."""
        while not self._waiting and not self._finished:
            self._arrived.clear()
            await self._arrived.wait()
        if self._finished:
            finished, self._finished = self._finished, []
            try:
                await self.slots.done(finished)
            except Exception:
                self._finished[:0] = finished  # told again on the next round
                raise
        now = self.clock.monotonic()
        self._waiting = [w for w in self._waiting if not w.done.done()]
        ready = sorted(
            (w for w in self._waiting if w.not_before <= now + TICK),
            key=lambda w: (w.request.priority, w.order),
        )
        room = max(1, int(BOOKING_SPAN * self.limits.per_second))
        chosen = _one_per_chat(ready)[:room]
        answers = await self.slots.book([w.request for w in chosen]) if chosen else []
        booked_at = self.clock.monotonic()
        going: list[tuple[float, _Waiter, Slot]] = []
        for waiter, answer in zip(chosen, answers, strict=True):
            if answer.booked:
                self._waiting.remove(waiter)
                going.append((booked_at + answer.delay, waiter, Slot(waiter.request, answer.at)))
            else:
                waiter.not_before = booked_at + answer.delay
        for at, waiter, slot in going:
            wait = at - self.clock.monotonic()
            if wait > TICK:
                await self.clock.sleep(wait)
            if not waiter.done.done():
                waiter.done.set_result(slot)
        if not going and self._waiting:
            await self._idle(min(w.not_before for w in self._waiting) - self.clock.monotonic())

    async def _idle(self, seconds: float) -> None:
        """Wait ``seconds``, or less if another send arrives (it may be free to go)."""
        if seconds <= TICK:
            return
        self._arrived.clear()
        arrival = asyncio.ensure_future(self._arrived.wait())
        timer = asyncio.ensure_future(self.clock.sleep(seconds))
        try:
            await asyncio.wait((arrival, timer), return_when=asyncio.FIRST_COMPLETED)
        finally:
            arrival.cancel()
            timer.cancel()


def _one_per_chat(waiters: list[_Waiter]) -> list[_Waiter]:
    """The first waiter of each chat: a chat's second message cannot go in the same second."""
    seen: set[str] = set()
    first = []
    for waiter in waiters:
        if waiter.request.chat_key not in seen:
            seen.add(waiter.request.chat_key)
            first.append(waiter)
    return first


_BUDGETS: weakref.WeakKeyDictionary[AsyncEngine, dict[str, SendBudget]] = (
    weakref.WeakKeyDictionary()
)


def send_budget(
    engine: AsyncEngine | None, account: str, limits: Limits, clock: Clock | None = None
) -> SendBudget:
    """The budget of bot ``account`` (its identity, never its secret) in this process: the
    same object for the reply sender and the dispatcher; its schedule in PostgreSQL when
    ``engine`` is PostgreSQL, else in memory (no ``engine``: a budget of its own)."""
    if engine is None:
        return SendBudget(MemorySlots(limits, clock or SystemClock()), limits, clock)
    budgets = _BUDGETS.setdefault(engine, {})
    if account not in budgets:
        slots: Slots = (
            PostgresSlots(engine, account, limits)
            if engine.dialect.name == "postgresql"
            else MemorySlots(limits, clock or SystemClock())
        )
        budgets[account] = SendBudget(slots, limits, clock)
    return budgets[account]
