"""Reading one official's record for the replies: the facts the rules judge and their verdict,
enrollments, and the courses still open for registration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Date, and_, bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from rules import course_fit
from rules.evaluation import Evaluation, RequirementResult
from rules.facts import OfficialFacts, TrainingRecord
from rules.profiles import Profile
from rules.standards import closing_course_kinds, evaluate
from rules.titles import TitleKind
from storage.facts import official_facts
from storage.models import Course, Enrollment, EnrollmentStatus, Official
from storage.official_codes import code_key

# The statements every reply runs are built once: on SQLite, building and keying a statement
# costs about as much as running it.
_today = bindparam("today", type_=Date)
_OPEN_ON = and_(  # not started yet, and registration not closed
    Course.starts_on > _today,
    or_(Course.enroll_by.is_(None), Course.enroll_by >= _today),
)
_COURSES = (  # the official's courses and the open ones, earliest first, in one statement
    select(Course, Enrollment, _OPEN_ON.label("open"))
    .outerjoin(
        Enrollment,
        and_(Enrollment.course_id == Course.id, Enrollment.official_id == bindparam("official_id")),
    )
    .where(or_(Enrollment.id.is_not(None), _OPEN_ON))
    .order_by(Course.starts_on, Course.id)
)
_OPEN_COURSE = select(Course).where(Course.id == bindparam("course_id"), _OPEN_ON)


@dataclass(frozen=True)
class Record:
    """An official's standing on a day, as the replies show it."""

    enrollments: list[Enrollment]  # theirs, with their courses, earliest course first
    open_courses: list[Course]  # open for registration that day, soonest first
    evaluation: Evaluation  # the rules' verdict on their standards
    titles: tuple[TitleKind, ...]  # the titles they hold

    def closed_by(self, course: Course) -> list[RequirementResult]:
        """The missing requirements ``course`` would close for them in time
        (rules.course_fit)."""
        return [
            requirement
            for requirement in self.evaluation.missing
            if course_fit.closes(
                requirement,
                course.kind.value,
                course.name,
                course.ends_on,
                self.titles,
                self.evaluation.on,
            )
        ]

    def closing(self, requirement: RequirementResult) -> list[Course]:
        """The open courses that would close ``requirement`` in time, soonest first."""
        return [course for course in self.open_courses if requirement in self.closed_by(course)]

    def without_course(self) -> list[RequirementResult]:
        """Missing requirements a course could close, but no open course fits."""
        return [
            requirement
            for requirement in self.evaluation.missing
            if closing_course_kinds(requirement) and not self.closing(requirement)
        ]


async def official_by_code(session: AsyncSession, code: str) -> Official | None:
    return await session.scalar(
        select(Official)
        .where(Official.code_key == code_key(code))
        .options(joinedload(Official.unit))
    )


async def record(session: AsyncSession, official: Official, profile: Profile, on: date) -> Record:
    """``official``'s record on ``on`` (their ``unit`` and titles loaded): one statement
    reads their enrollments and the open courses together."""
    enrollments: list[Enrollment] = []
    open_courses: list[Course] = []
    for course, enrollment, is_open in await session.execute(
        _COURSES, {"official_id": official.id, "today": on}
    ):
        if enrollment is not None:
            # The row's course is the enrollment's. Set here, not by contains_eager(), whose
            # loader costs as much per reply as the rest of the statement.
            set_committed_value(enrollment, "course", course)
            enrollments.append(enrollment)
        if is_open:
            open_courses.append(course)
    known = facts(official, enrollments)
    verdict = evaluate(known, profile, on)
    return Record(enrollments, open_courses, verdict, tuple(post.kind for post in known.posts))


def facts(official: Official, enrollments: list[Enrollment]) -> OfficialFacts:
    """The official as the rules see them, with the courses they completed."""
    trainings = tuple(
        TrainingRecord(
            kind=enrollment.course.kind.value,
            completed_on=enrollment.completed_on,
            hours=enrollment.course.hours,
        )
        for enrollment in enrollments
        if enrollment.status is EnrollmentStatus.COMPLETED and enrollment.completed_on
    )
    return official_facts(official, official.unit, trainings)


async def open_course(session: AsyncSession, course_id: int, today: date) -> Course | None:
    return await session.scalar(_OPEN_COURSE, {"course_id": course_id, "today": today})
