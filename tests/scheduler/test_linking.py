"""A reminder due on the day an official links, found by the dispatcher before the link (so
marked "not linked"), is delivered once they link a chat that can receive it."""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.reminders import reminders_on_linking
from handlers.conversation import Conversation, ConversationConfig
from handlers.linking import issue_code
from handlers.messages import Incoming
from rules.profiles import Standards
from scheduler.config import ReminderConfig
from scheduler.dispatcher import Dispatcher, Outlet
from scheduler.limits import Limits, send_budget
from scheduler.planner import plan
from storage.db import session_factory
from storage.models import Channel, CourseKind, Official, OutboxStatus
from tests.factories import make_official
from tests.scheduler.helpers import RecordingSender, VirtualClock, course, enrol, local, outbox

CONFIG = ReminderConfig()
START = date(2027, 10, 4)  # a Monday; "3 days before" falls on Friday 01/10
FRIDAY = START - timedelta(days=3)


async def _unlinked_with_a_course(session: AsyncSession) -> int:
    official = await make_official(session, "CB1")
    row = await course(session, "C1", CourseKind.OTHER, START)
    await enrol(session, official.id, row.id)
    await session.commit()
    return official.id


def _conversation(engine: AsyncEngine) -> Conversation:
    config = ConversationConfig(
        standards=Standards(),
        zone=ZoneInfo("Asia/Ho_Chi_Minh"),
        on_link=(reminders_on_linking(CONFIG),),
    )
    return Conversation(session_factory(engine), config)


async def _link(engine: AsyncEngine, official_id: int, channel: Channel, at: time) -> None:
    async with session_factory(engine)() as session:
        official = await session.get(Official, official_id)
        assert official is not None
        code = await issue_code(session, official, local(FRIDAY), days=7)
        await session.commit()
    incoming = Incoming(channel=channel, chat_id="4242", sender_id="4242", text=code)
    [reply] = await _conversation(engine).handle(incoming, now=local(FRIDAY, at))
    assert reply.text.startswith("Liên kết thành công")


async def _dispatch(engine: AsyncEngine, clock: VirtualClock) -> RecordingSender:
    sender = RecordingSender(clock)
    dispatcher = Dispatcher(
        engine,
        {Channel.TELEGRAM: Outlet(sender, send_budget(None, "test", Limits(), clock))},
        CONFIG,
        clock=clock,
    )
    await dispatcher.run_once()
    return sender


async def test_a_reminder_missed_for_want_of_a_chat_goes_out_after_linking(session, engine):
    official_id = await _unlinked_with_a_course(session)
    clock = VirtualClock(local(FRIDAY, time(7, 30)))
    await plan(session, clock.now(), CONFIG)
    await _dispatch(engine, clock)
    [row] = await outbox(session, kind="course_start")
    assert (row.status, row.last_error) == (OutboxStatus.UNREACHABLE, "not linked")

    await _link(engine, official_id, Channel.TELEGRAM, time(9))
    clock.set(local(FRIDAY, time(9, 1)))
    sender = await _dispatch(engine, clock)

    [row] = await outbox(session, kind="course_start")
    assert row.status is OutboxStatus.SENT
    [(_at, chat_id, message)] = sender.sent
    assert chat_id == "4242" and "04/10/2027" in message.text


async def test_a_chat_that_cannot_receive_reminders_leaves_them_as_they_are(session, engine):
    official_id = await _unlinked_with_a_course(session)
    clock = VirtualClock(local(FRIDAY, time(7, 30)))
    await plan(session, clock.now(), CONFIG)
    await _dispatch(engine, clock)

    await _link(engine, official_id, Channel.TERMINAL, time(9))

    [row] = await outbox(session, kind="course_start")
    assert row.status is OutboxStatus.UNREACHABLE
