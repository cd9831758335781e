"""A course offered to close a gap ends before the gap's deadline and is meant for the
official's group; otherwise the reply says that no open course fits."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncEngine

from rules.scales import GeneralEducation, PoliticalTheory, ProfessionalLevel
from rules.titles import TitleKind
from storage.db import session_factory
from storage.models import Course, CourseKind, Official
from tests.factories import make_official
from tests.handlers.conftest import World, linked_chat

KEY_REFRESHER = "Bồi dưỡng cập nhật kiến thức cho cán bộ chủ chốt cấp xã năm 2025"
NEXT_YEAR = "Bồi dưỡng cập nhật kiến thức năm 2026, đợt 1"
LATE_LLCT = "Trung cấp LLCT khóa 14"


def _course(code: str, name: str, starts_on: date, ends_on: date) -> Course:
    kind = CourseKind.LLCT_INTERMEDIATE if "LLCT" in code else CourseKind.REFRESHER
    return Course(code=code, name=name, kind=kind, starts_on=starts_on, ends_on=ends_on)


async def _courses_and_a_civil_servant(engine: AsyncEngine, world: World) -> Official:
    async with session_factory(engine)() as session:
        session.add_all(
            [
                _course("CNKT-CBCC-2025", KEY_REFRESHER, date(2025, 8, 4), date(2025, 8, 8)),
                _course("CNKT-2026-1", NEXT_YEAR, date(2026, 3, 2), date(2026, 3, 6)),
                # ends after the 01/08/2028 deadline
                _course("LLCT-K14", LATE_LLCT, date(2027, 9, 1), date(2028, 12, 30)),
            ]
        )
        clerk = await make_official(
            session,
            "CIV",
            unit=await session.get(type(world.official.unit), world.official.unit_id),
            title=TitleKind.CIVIL_SERVANT,
            title_field="Tư pháp - Hộ tịch",
            full_name="Ngô Tư Pháp",
            general_education=GeneralEducation.UPPER_SECONDARY,
            professional_level=ProfessionalLevel.UNIVERSITY,
            political_theory=PoliticalTheory.INTERMEDIATE,
            major="Luật",
        )
        await session.commit()
        return clerk


async def test_a_class_for_key_officials_is_not_offered_to_a_civil_servant(
    world, conversation, engine
):
    clerk = await _courses_and_a_civil_servant(engine, world)
    chat = await linked_chat(conversation, engine, clerk)

    courses = await chat.say("/khoahoc")
    key_line = next(line for line in courses.splitlines() if KEY_REFRESHER in line)
    after = courses.split(key_line)[1].splitlines()[1]
    assert not after.strip().startswith("Giúp đạt chuẩn")
    assert "Giúp đạt chuẩn" not in courses.split(NEXT_YEAR)[1].splitlines()[1]
    deadlines = await chat.say("/lichhoc")
    assert KEY_REFRESHER not in deadlines and NEXT_YEAR not in deadlines


async def test_a_course_ending_after_the_deadline_is_not_offered(world, conversation, engine):
    await _courses_and_a_civil_servant(engine, world)
    chat = await linked_chat(conversation, engine, world.official)

    status = await chat.say("/trangthai")
    deadlines = await chat.say("/lichhoc")

    assert "Trung cấp LLCT khóa 12" in status  # ends 30/06/2026, before 01/08/2028
    assert LATE_LLCT not in status and LATE_LLCT not in deadlines
    assert KEY_REFRESHER in deadlines  # the chair is a key official: this one fits
    assert NEXT_YEAR not in deadlines


async def test_when_no_open_course_fits_the_reply_says_so(world, conversation, engine):
    clerk = await _courses_and_a_civil_servant(engine, world)
    chat = await linked_chat(conversation, engine, clerk)
    async with session_factory(engine)() as session:
        refresher = await session.get(Course, world.refresher.id)
        assert refresher is not None
        refresher.name = "Bồi dưỡng công chức cấp xã năm 2026"
        refresher.starts_on, refresher.ends_on = date(2026, 1, 5), date(2026, 1, 9)
        await session.commit()

    courses = await chat.say("/khoahoc")

    assert "Chưa có lớp đang mở nào phù hợp để anh/chị đạt Bồi dưỡng" in courses
