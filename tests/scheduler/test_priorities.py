"""An announcement does not wait behind routine reminders: queued while 4,000 of them are
being sent, it starts within seconds, and replies go before both (scheduler.limits)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from scheduler import kinds
from scheduler.dispatcher import Dispatcher, Outlet
from scheduler.limits import (
    Booking,
    Limits,
    MemorySlots,
    Priority,
    Request,
    SendBudget,
    send_budget,
)
from storage import broadcasts
from storage.db import session_factory
from storage.models import Channel, ChatAccount
from storage.outbox import Notice, enqueue
from tests.scheduler.helpers import ALWAYS, RecordingSender, VirtualClock

START = datetime(2027, 3, 1, 3, 0, tzinfo=UTC)
ROUTINE_CHATS = 4000
ANNOUNCED = 20
ANNOUNCEMENT = {"broadcast": 1, "text": "Họp giao ban lúc 14:00.", "signature": "", "ack": False}


def _routine(chat_id: int) -> Notice:
    reminder = {"kind": kinds.BOND, "payload": {"step": "end", "ends_on": "2027-06-01"}}
    return Notice(
        kind=kinds.ESCALATE_DECLINED,
        payload={"official": "Người", "unit": "Xã", "reminder": reminder},
        not_before=START - timedelta(hours=1),
        chat_account_id=chat_id,
    )


async def _chats(session, count: int, first: int) -> list[int]:
    chats = [
        ChatAccount(
            channel=Channel.TELEGRAM, external_id=str(first + n), muted_kinds=[], dialog_data={}
        )
        for n in range(count)
    ]
    session.add_all(chats)
    await session.flush()
    return [chat.id for chat in chats]


async def test_an_announcement_starts_within_seconds_behind_4000_routine_reminders(session, engine):
    routine = await _chats(session, ROUTINE_CHATS, 10_000)
    await enqueue(session, [_routine(chat_id) for chat_id in routine])
    announced = await _chats(session, ANNOUNCED, 90_000)
    await session.commit()

    clock = VirtualClock(START)
    sender = RecordingSender(clock)
    outlets = {Channel.TELEGRAM: Outlet(sender, send_budget(None, "test", Limits(), clock))}
    dispatcher = Dispatcher(engine, outlets, ALWAYS, clock=clock)
    stop = asyncio.Event()
    running = asyncio.create_task(dispatcher.run(stop))
    try:
        async with asyncio.timeout(60):
            while len(sender.sent) < 100:  # noqa: ASYNC110 (under way: 100 of 4,000 sent)
                await asyncio.sleep(0.01)
            queued_at = clock.now()
            async with session_factory(engine)() as writer:
                notices = [
                    Notice(
                        kind=broadcasts.KIND,
                        payload=ANNOUNCEMENT,
                        not_before=queued_at,
                        chat_account_id=chat_id,
                        subject="1",
                        urgent=True,
                    )
                    for chat_id in announced
                ]
                await enqueue(writer, notices)
                await writer.commit()
            while sum(m.text.startswith("📢") for _at, _c, m in sender.sent) < ANNOUNCED:  # noqa: ASYNC110
                await asyncio.sleep(0.01)
    finally:
        stop.set()
        await running
        await dispatcher.close()

    times = [at for at, _chat, m in sender.sent if m.text.startswith("📢")]
    assert min(times) - queued_at < timedelta(seconds=5)
    assert max(times) - queued_at < timedelta(seconds=7)
    routine_left = ROUTINE_CHATS - (len(sender.sent) - ANNOUNCED)
    assert routine_left > 3000  # it did not wait for the reminders to run out


async def test_replies_go_before_announcements_and_announcements_before_reminders():
    clock = VirtualClock(START)
    budget = send_budget(None, "test", Limits(per_second=1), clock)
    order: list[str] = []

    async def send(name: str, priority: Priority) -> None:
        await budget.acquire(name, False, priority)
        order.append(name)

    await budget.acquire("first", False, Priority.ROUTINE)  # the next slot is a second away
    await asyncio.gather(
        send("reminder", Priority.ROUTINE),
        send("announcement", Priority.URGENT),
        send("reply", Priority.REPLY),
    )
    await budget.close()
    assert order == ["reply", "announcement", "reminder"]


async def test_a_window_counts_from_the_answer_not_from_when_the_budget_heard_of_it():
    """The send after a full window goes one second after the answer to the send a window
    before it: not sooner (the messenger may have counted that one as late as its answer),
    and not later because the budget was busy when the answer came (time the limit allows)."""
    clock = VirtualClock(START)
    budget = send_budget(None, "test", Limits(per_second=2), clock)
    first = await budget.acquire("a", False, Priority.URGENT)
    clock.advance(0.01)  # the messenger answers after a round trip of 10 ms
    answered = clock.monotonic()
    budget.done(first)
    clock.advance(0.4)  # the budget hears of it with the next send
    await budget.acquire("b", False, Priority.URGENT)
    await budget.acquire("c", False, Priority.URGENT)  # the window of two is full until then
    await budget.close()
    assert answered + 1.0 <= clock.monotonic() < answered + 1.01


class _Unreachable(MemorySlots):
    """A schedule whose database is away for the first ``down`` bookings."""

    def __init__(self, limits: Limits, clock: VirtualClock, down: int) -> None:
        super().__init__(limits, clock)
        self.down = down

    async def book(self, requests: Sequence[Request]) -> list[Booking]:
        if self.down:
            self.down -= 1
            raise ConnectionRefusedError("the database is restarting")
        return await super().book(requests)


async def test_a_reply_waits_out_a_database_outage_and_goes():
    """The update it answers is already marked answered: failing it would lose the reply."""
    clock = VirtualClock(START)
    limits = Limits(per_second=30)
    budget = SendBudget(_Unreachable(limits, clock, down=2), limits, clock)
    slot = await asyncio.wait_for(budget.acquire("chat", False, Priority.REPLY), timeout=5)
    await budget.close()
    assert slot.request.chat_id == "chat"
