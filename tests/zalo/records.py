"""The linkable official of the Telegram tests, plus a second open course, so a Zalo user can
answer "2" to register for the second one."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Course, CourseKind
from tests.telegram.records import Record, make_record, new_code
from tests.zalo.chat import ZaloChat

SECOND_COURSE = "Quản lý nhà nước ngạch chuyên viên"


async def record_with_two_courses(session: AsyncSession) -> tuple[Record, Course]:
    record = await make_record(session)
    today = date.today()
    second = Course(
        code="QLNN-CV-03",
        name=SECOND_COURSE,
        kind=CourseKind.OTHER,
        starts_on=today + timedelta(days=60),
        ends_on=today + timedelta(days=90),
        enroll_by=today + timedelta(days=30),
    )
    session.add(second)
    await session.commit()
    return record, second


async def linked(fake, session, user_id: str) -> tuple[ZaloChat, Record, Course]:
    """A private Zalo chat linked by a typed code to the official with two open courses."""
    record, second = await record_with_two_courses(session)
    chat = ZaloChat(fake, user_id)
    await chat.say(await new_code(session, record.official))
    return chat, record, second
