"""Reading one official's record for the replies: the facts the rules judge and their verdict,
enrollments, and the courses still open for registration."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from rules.evaluation import Evaluation
from rules.facts import OfficialFacts, TrainingRecord
from rules.profiles import Profile
from rules.standards import closing_course_kinds, evaluate
from storage.facts import official_facts
from storage.models import Course, Enrollment, EnrollmentStatus, Official


async def official_by_code(session: AsyncSession, code: str) -> Official | None:
    return await session.scalar(
        select(Official)
        .where(Official.code == code.strip())
        .options(selectinload(Official.unit), selectinload(Official.title))
    )


async def enrollments(session: AsyncSession, official: Official) -> list[Enrollment]:
    """The official's enrollments, with their courses, earliest course first."""
    return list(
        await session.scalars(
            select(Enrollment)
            .join(Course)
            .where(Enrollment.official_id == official.id)
            .options(selectinload(Enrollment.course))
            .order_by(Course.starts_on, Course.id)
        )
    )


async def facts(session: AsyncSession, official: Official) -> OfficialFacts:
    """The official as the rules see them (``official.unit`` and ``.title`` loaded)."""
    trainings = tuple(
        TrainingRecord(
            kind=enrollment.course.kind.value,
            completed_on=enrollment.completed_on,
            hours=enrollment.course.hours,
        )
        for enrollment in await enrollments(session, official)
        if enrollment.status is EnrollmentStatus.COMPLETED and enrollment.completed_on
    )
    return official_facts(official, official.unit, official.title, trainings)


def _open_on(today: date) -> tuple[ColumnElement[bool], ...]:
    """Not started yet, and registration not closed."""
    return (Course.starts_on > today, or_(Course.enroll_by.is_(None), Course.enroll_by >= today))


async def open_courses(session: AsyncSession, today: date) -> list[Course]:
    """Courses open for registration on ``today``, soonest first."""
    return list(
        await session.scalars(
            select(Course).where(*_open_on(today)).order_by(Course.starts_on, Course.id)
        )
    )


async def open_course(session: AsyncSession, course_id: int, today: date) -> Course | None:
    return await session.scalar(select(Course).where(Course.id == course_id, *_open_on(today)))


async def evaluation(
    session: AsyncSession, official: Official, profile: Profile, on: date
) -> Evaluation:
    return evaluate(await facts(session, official), profile, on)


def gap_kinds(result: Evaluation) -> dict[str, list[str]]:
    """For each course kind, the missing requirements a course of that kind would close."""
    gaps: dict[str, list[str]] = {}
    for requirement in result.missing:
        for kind in sorted(closing_course_kinds(requirement)):
            gaps.setdefault(kind, []).append(requirement.key)
    return gaps
