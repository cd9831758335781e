"""The reminder buttons: "Đã đăng ký" stops the chain, "Nhắc lại sau 3 ngày" repeats it three
days later, "Không tham gia được" stops it and tells the coordinators."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.answers import AnswerResult, answer_reminder
from scheduler.config import ReminderConfig
from scheduler.messages import answer_reply
from scheduler.planner import plan
from storage.callback_data import AnswerReminder, decode, encode
from storage.models import (
    AnswerKind,
    CourseKind,
    OutboxMessage,
    OutboxStatus,
    Role,
    RoleKind,
    UnitKind,
)
from tests.factories import make_official, make_unit
from tests.scheduler.helpers import course, enrol, local, outbox

CONFIG = ReminderConfig()
START = date(2027, 10, 4)


async def _reminded(session: AsyncSession) -> tuple[int, int, OutboxMessage, datetime]:
    """An official with a course-start reminder pending, and a coordinator above them."""
    province = await make_unit(session, "P", "Tỉnh Demo", UnitKind.PROVINCE)
    commune = await make_unit(session, "X", "Xã Đông", UnitKind.COMMUNE, parent=province)
    official = await make_official(session, "CB1", unit=commune, full_name="Lê Thị Mai")
    coordinator = await make_official(session, "BTC", unit=province)
    session.add(Role(official_id=coordinator.id, kind=RoleKind.COORDINATOR, unit_id=province.id))
    row = await course(session, "C1", CourseKind.OTHER, START)
    await enrol(session, official.id, row.id)
    await session.commit()
    ids = official.id, coordinator.id
    now = local(START - timedelta(days=14))
    await plan(session, now, CONFIG)
    (reminder,) = await outbox(session, kind="course_start")
    return *ids, reminder, now


async def test_registered_stops_the_chain(session):
    official_id, _, reminder, now = await _reminded(session)
    result = await answer_reminder(session, reminder.id, official_id, AnswerKind.DONE, now, CONFIG)
    await session.commit()
    assert result is AnswerResult.DONE
    for days in (3, 1):
        await plan(session, local(START - timedelta(days=days)), CONFIG)
    assert [r.status for r in await outbox(session, kind="course_start")] == [
        OutboxStatus.CANCELLED
    ]


async def test_remind_me_later_repeats_three_days_later(session):
    official_id, _, reminder, now = await _reminded(session)
    result = await answer_reminder(
        session, reminder.id, official_id, AnswerKind.SNOOZE, now, CONFIG
    )
    await session.commit()
    assert result is AnswerResult.SNOOZED
    await plan(session, now + timedelta(days=1), CONFIG)  # the repeat still applies
    original, repeat = await outbox(session, kind="course_start")
    assert original.status is OutboxStatus.CANCELLED
    assert (repeat.status, repeat.not_before) == (OutboxStatus.PENDING, now + timedelta(days=3))
    assert repeat.payload == reminder.payload


async def test_cannot_attend_tells_the_coordinator(session):
    official_id, coordinator_id, reminder, now = await _reminded(session)
    result = await answer_reminder(
        session, reminder.id, official_id, AnswerKind.DECLINE, now, CONFIG
    )
    await session.commit()
    assert result is AnswerResult.DECLINED
    (escalation,) = await outbox(session, kind="escalate_declined")
    assert escalation.official_id == coordinator_id
    assert escalation.payload["official"] == "Lê Thị Mai"
    await plan(session, local(START - timedelta(days=3)), CONFIG)
    assert len(await outbox(session, kind="course_start")) == 1


async def test_a_second_press_or_someone_elses_reminder_changes_nothing(session):
    official_id, coordinator_id, reminder, now = await _reminded(session)
    await answer_reminder(session, reminder.id, official_id, AnswerKind.SNOOZE, now, CONFIG)
    again = await answer_reminder(session, reminder.id, official_id, AnswerKind.DONE, now, CONFIG)
    other = await answer_reminder(
        session, reminder.id, coordinator_id, AnswerKind.DONE, now, CONFIG
    )
    assert (again, other) == (AnswerResult.ALREADY_ANSWERED, AnswerResult.UNKNOWN)
    assert len(await outbox(session, kind="course_start")) == 2


def test_button_data_round_trips_and_fits_telegram():
    data = encode(AnswerReminder(2**63 - 1, AnswerKind.DECLINE))
    assert len(data.encode()) <= 64
    assert decode(data) == AnswerReminder(2**63 - 1, AnswerKind.DECLINE)
    assert decode("rem:12:done") == AnswerReminder(12, AnswerKind.DONE)  # sent before versions
    assert decode("rem:12:maybe") is None
    assert decode("rem:²:done") is None


def test_the_reply_to_an_answer_is_in_the_users_language():
    assert answer_reply("vi", AnswerResult.SNOOZED) == "Tôi sẽ nhắc lại anh/chị sau 3 ngày."
    assert answer_reply("en", AnswerResult.DONE).startswith("Thank you.")
    assert answer_reply("vi", AnswerResult.UNKNOWN) == "Lời nhắc này không còn hiệu lực."
