"""Pressing a reminder's button in Telegram is answered and recorded (issue 4, item 4)."""

from __future__ import annotations

from sqlalchemy import select

from storage.callback_data import AnswerReminder, encode
from storage.models import AnswerKind, OutboxMessage, OutboxStatus, ReminderAnswer
from tests.factories import make_official
from tests.telegram.chat import Chat
from tests.telegram.records import make_record, new_code, now


async def _sent_reminder(session, official_id: int) -> OutboxMessage:
    """A course-start reminder already delivered to the official."""
    row = OutboxMessage(
        dedupe_key=f"o{official_id}|course_start|LLCT-01|d14@2027-01-18|2027",
        official_id=official_id,
        kind="course_start",
        subject="LLCT-01",
        milestone="d14@2027-01-18",
        cycle="2027",
        payload={"course": "Trung cấp LLCT lớp 01", "starts_on": "2027-01-18"},
        status=OutboxStatus.SENT,
        not_before=now(),
    )
    session.add(row)
    await session.commit()
    return row


async def test_registered_stops_the_chain_and_thanks_the_official(bot, fake, session):
    record = await make_record(session)
    chat = Chat(fake, 2001)
    await chat.say(f"/start {await new_code(session, record.official)}")
    reminder = await _sent_reminder(session, record.official.id)

    (reply,) = await chat.deliver(
        fake.callback(encode(AnswerReminder(reminder.id, AnswerKind.DONE)), user_id=chat.user_id)
    )

    assert reply.text == "Cảm ơn anh/chị. Anh/chị sẽ không nhận thêm lời nhắc về việc này."
    answers = list(await session.scalars(select(ReminderAnswer)))
    assert [(a.outbox_id, a.answer) for a in answers] == [(reminder.id, AnswerKind.DONE)]


async def test_someone_elses_reminder_cannot_be_answered(bot, fake, session):
    record = await make_record(session)
    other = await make_official(session, "CB-OTHER")
    chat = Chat(fake, 2002)
    await chat.say(f"/start {await new_code(session, record.official)}")
    reminder = await _sent_reminder(session, other.id)

    await chat.deliver(
        fake.callback(encode(AnswerReminder(reminder.id, AnswerKind.DECLINE)), user_id=chat.user_id)
    )

    assert list(await session.scalars(select(ReminderAnswer))) == []
