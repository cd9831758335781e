"""One send budget per bot account, shared by the replies and the dispatcher, across processes
(DESIGN.md, "Intake semantics"; docs/SEND_BUDGET.md says why PostgreSQL).

Strict: the messenger counts messages in any one-second window (Telegram: 30 overall, 1 per
chat, 20 per minute in a group), so sends are booked on an even schedule, one slot every
1/(0.97 × rate) seconds: 30 slots span 0.997 s, 31 span 1.03 s, so arrivals bunched by up to
30 ms of jitter still count at most 30 in any second. A chat's or group's next slot is kept
the same way. Each booking names its send's ``Priority``: replies may book the account's next
slot up to two seconds ahead, announcements 0.2 s, routine reminders 0.1 s; so while replies
keep the schedule full, the dispatcher waits, and it never holds more than a few slots a
reply would have to wait behind. (Announcements go before routine reminders in the
dispatcher's claim order too: scheduler.dispatcher.)

Where the slots are kept: ``PostgresSlots`` (a row per account, chat and group, booked by the
``canbo_book_sends`` function of migration 0010, one round trip for several sends) when the
database is PostgreSQL, so every process of the bot books from one schedule; ``MemorySlots``
on SQLite, which serves one process. In one process, one ``SendBudget`` per account serves the
reply sender and the dispatcher alike (``send_budget``), and hands out slots by priority.
"""

from __future__ import annotations

import asyncio
import enum
import itertools
import random
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from scheduler.clock import Clock, SystemClock

HEADROOM = 0.97  # of each nominal rate: the margin that absorbs arrival jitter
TICK = 1e-4  # seconds: waits shorter than this are not worth a timer
BOOKING_SPAN = 0.05  # seconds of the account's schedule one round trip books at most
FORGET_AFTER = 60.0  # seconds after its last slot a chat's row may be dropped


class Priority(enum.IntEnum):
    REPLY = 0
    URGENT = 1  # announcements
    ROUTINE = 2  # reminders, digests


# How far ahead of now each priority may book the account's next slot (seconds).
LOOKAHEAD: dict[Priority, float] = {
    Priority.REPLY: 2.0,
    Priority.URGENT: 0.2,
    Priority.ROUTINE: 0.1,
}


@dataclass(frozen=True)
class Limits:
    """A bot account's limits, as the messenger states them."""

    per_second: float = 30.0
    per_chat_second: float = 1.0
    per_group_minute: float = 20.0

    @property
    def gap(self) -> float:
        return 1 / (self.per_second * HEADROOM)

    @property
    def chat_gap(self) -> float:
        return 1 / (self.per_chat_second * HEADROOM)

    @property
    def group_gap(self) -> float:
        return 60 / (self.per_group_minute * HEADROOM)


@dataclass(frozen=True)
class Request:
    chat_id: str
    is_group: bool
    priority: Priority

    @property
    def key(self) -> str:
        return ("g:" if self.is_group else "c:") + self.chat_id


@dataclass(frozen=True)
class Booking:
    """A store's answer: the slot is ours ``delay`` seconds from now (``booked``), or the chat
    or the schedule is busy: ask again in ``delay`` seconds."""

    booked: bool
    delay: float


class Slots(Protocol):
    """Where an account's schedule is kept."""

    async def book(self, requests: Sequence[Request]) -> list[Booking]:
        """Book ``requests`` in order, each its own slot or a "come back later"."""

    async def pause(self, seconds: float) -> None:
        """Book nothing for ``seconds`` (the messenger said "retry after")."""


@dataclass
class MemorySlots:
    """The schedule in this process: enough on SQLite, which serves one process."""

    limits: Limits
    clock: Clock
    next_at: float = 0.0
    chats: dict[str, float] = field(default_factory=dict)

    async def book(self, requests: Sequence[Request]) -> list[Booking]:
        now = self.clock.monotonic()
        answers = []
        for request in requests:
            slot = max(now, self.next_at)
            busy = self.chats.get(request.key, 0.0)
            if busy > slot:
                answers.append(Booking(False, busy - now))
            elif slot - now > LOOKAHEAD[request.priority] + TICK:
                answers.append(Booking(False, slot - now - LOOKAHEAD[request.priority]))
            else:
                self.next_at = slot + self.limits.gap
                gap = self.limits.group_gap if request.is_group else self.limits.chat_gap
                self.chats[request.key] = slot + gap
                answers.append(Booking(True, slot - now))
        if len(self.chats) > 4096:
            self.chats = {k: t for k, t in self.chats.items() if t > now - FORGET_AFTER}
        return answers

    async def pause(self, seconds: float) -> None:
        self.next_at = max(self.next_at, self.clock.monotonic() + seconds)


class PostgresSlots:
    """The schedule in PostgreSQL, shared by every process sending for the account. Delays are
    measured on the database server's clock, so the processes need not agree on the time."""

    def __init__(self, engine: AsyncEngine, account: str, limits: Limits) -> None:
        self.engine = engine
        self.account = account
        self.limits = limits

    async def book(self, requests: Sequence[Request]) -> list[Booking]:
        async with self.engine.begin() as connection:
            rows = await connection.execute(
                text(
                    "SELECT booked, delay FROM canbo_book_sends("
                    ":account, :keys, :lookaheads, :gap, :chat_gap, :group_gap, :forget)"
                ),
                {
                    "account": self.account,
                    "keys": [request.key for request in requests],
                    "lookaheads": [LOOKAHEAD[request.priority] for request in requests],
                    "gap": self.limits.gap,
                    "chat_gap": self.limits.chat_gap,
                    "group_gap": self.limits.group_gap,
                    "forget": FORGET_AFTER if random.random() < 0.01 else None,
                },
            )
            return [Booking(booked, delay) for booked, delay in rows]

    async def pause(self, seconds: float) -> None:
        async with self.engine.begin() as connection:
            await connection.execute(
                text(
                    "UPDATE send_budget SET next_at = greatest(next_at, "
                    "extract(epoch from clock_timestamp()) + :seconds) "
                    "WHERE account = :account AND key = ''"
                ),
                {"account": self.account, "seconds": seconds},
            )


@dataclass(eq=False)
class _Waiter:
    request: Request
    order: int
    done: asyncio.Future[None]
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
        self._pump: asyncio.Task[None] | None = None

    async def acquire(self, chat_id: str, is_group: bool, priority: Priority) -> None:
        """Wait until a message to ``chat_id`` fits every limit; it is counted as sent."""
        waiter = _Waiter(
            Request(chat_id, is_group, priority),
            next(self._order),
            asyncio.get_running_loop().create_future(),
        )
        self._waiting.append(waiter)
        self._arrived.set()
        if self._pump is None or self._pump.done():
            self._pump = asyncio.create_task(self._run(), name="send budget")
        try:
            await waiter.done
        except asyncio.CancelledError:
            if waiter in self._waiting:
                self._waiting.remove(waiter)
            raise

    async def pause(self, seconds: float) -> None:
        """Send nothing for ``seconds``, in every process (a 429 from the messenger)."""
        await self.slots.pause(seconds)

    async def close(self) -> None:
        if self._pump is not None:
            self._pump.cancel()
            await asyncio.gather(self._pump, return_exceptions=True)
            self._pump = None

    async def _run(self) -> None:
        while True:
            try:
                await self._round()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the database gone: the senders see why
                for waiter in self._waiting:
                    if not waiter.done.done():
                        waiter.done.set_exception(error)
                self._waiting.clear()

    async def _round(self) -> None:
        """Book for the waiting sends, best first, and let each go at its slot."""
        while not self._waiting:
            self._arrived.clear()
            await self._arrived.wait()
        now = self.clock.monotonic()
        self._waiting = [w for w in self._waiting if not w.done.done()]
        ready = sorted(
            (w for w in self._waiting if w.not_before <= now + TICK),
            key=lambda w: (w.request.priority, w.order),
        )
        room = max(1, int(BOOKING_SPAN / self.limits.gap))
        chosen = _one_per_chat(ready)[:room]
        answers = await self.slots.book([w.request for w in chosen]) if chosen else []
        booked_at = self.clock.monotonic()
        going: list[tuple[float, _Waiter]] = []
        for waiter, answer in zip(chosen, answers, strict=True):
            if answer.booked:
                self._waiting.remove(waiter)
                going.append((booked_at + answer.delay, waiter))
            else:
                waiter.not_before = booked_at + answer.delay
        for at, waiter in going:
            wait = at - self.clock.monotonic()
            if wait > TICK:
                await self.clock.sleep(wait)
            if not waiter.done.done():
                waiter.done.set_result(None)
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
        if waiter.request.key not in seen:
            seen.add(waiter.request.key)
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
