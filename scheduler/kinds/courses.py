"""Course reminders: a course starting for those enrolled, and the registration deadline of a
course that would close a gap, for those not enrolled in one."""

from __future__ import annotations

from collections.abc import Iterator

from rules.standards import closing_course_kinds
from scheduler.kinds import COURSE_START, ENROL_BY, Candidate, days_before
from scheduler.snapshot import ACTIVE, Case


def course_start(case: Case) -> Iterator[Candidate]:
    person = case.person
    for enrollment in person.enrollments:
        course = enrollment.course
        if enrollment.status not in ACTIVE or course.starts_on < case.today:
            continue
        payload = {"course": course.name, "starts_on": course.starts_on.isoformat()}
        yield from days_before(
            COURSE_START,
            case,
            f"course:{course.id}",
            course.starts_on,
            case.config.course_start_days,
            payload,
        )


def enrol_by(case: Case) -> Iterator[Candidate]:
    """For each gap no booked course closes: the open course closing it in time, for the
    official's group, whose registration closes first (rules.course_fit)."""
    person = case.person
    booked = person.booked_kinds
    taken = {e.course.id for e in person.enrollments}
    for result in case.evaluation.missing:
        kinds = closing_course_kinds(result)
        if not kinds or kinds & booked:
            continue
        course = case.world.course_to_enrol(result, person.titles)
        if course is None or course.enroll_by is None or course.id in taken:
            continue
        taken.add(course.id)
        payload = {
            "course": course.name,
            "starts_on": course.starts_on.isoformat(),
            "enroll_by": course.enroll_by.isoformat(),
            "requirement": result.key,
        }
        yield from days_before(
            ENROL_BY,
            case,
            f"course:{course.id}",
            course.enroll_by,
            case.config.enrol_by_days,
            payload,
        )
