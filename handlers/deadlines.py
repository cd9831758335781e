"""/lichhoc: what the official has to do by when: courses they are enrolled in, the last days
to enrol in courses that close their gaps, this year's refresher and the standards deadlines."""

from __future__ import annotations

from decimal import Decimal

from handlers.context import Context
from handlers.courses import course_line
from handlers.formats import days_left
from handlers.labels import requirement_name
from handlers.messages import Reply
from handlers.records import record
from locales import N_
from rules.evaluation import Status
from rules.requirements import REFRESHER_KEY
from rules.standards import NOTE_HOURS
from storage.models import EnrollmentStatus, Official

ENROLLMENT_STATES = {
    EnrollmentStatus.REGISTERED: N_("registered"),
    EnrollmentStatus.STUDYING: N_("studying"),
}


async def reply(context: Context, official: Official) -> Reply:
    _ = context._
    today = context.today
    standing = await record(context.session, official, context.profile, today)
    result = standing.evaluation
    sections: list[list[str]] = []

    enrolled = [e for e in standing.enrollments if e.status.is_active and e.course.ends_on >= today]
    if enrolled:
        sections.append(
            [_("Your courses:")]
            + [f"• {course_line(_, e.course)} ({_(ENROLLMENT_STATES[e.status])})" for e in enrolled]
        )

    taken = {e.course_id for e in enrolled}
    closing = [c for c in standing.open_courses if standing.closed_by(c) and c.id not in taken]
    if closing:
        lines = [_("Courses that would close your gaps:")]
        for course in closing:
            line = f"• {course_line(_, course)}"
            if course.enroll_by is not None:
                line += f" ({days_left(_, course.enroll_by, today)})"
            lines.append(line)
        sections.append(lines)

    for requirement in result.results:
        if requirement.key != REFRESHER_KEY or requirement.deadline is None:
            continue
        assert isinstance(requirement.actual, int | Decimal)
        assert isinstance(requirement.required, int | Decimal)
        done, required = _.number(requirement.actual), _.number(requirement.required)
        template = (
            N_("Refresher {year}: {done} of {required} hours done, due {date} ({left})")
            if requirement.note == NOTE_HOURS
            else N_("Refresher {year}: {done} of {required} courses done, due {date} ({left})")
        )
        mark = "✅" if requirement.status is Status.MET else "⏳"
        sections.append(
            [
                f"{mark} "
                + _(
                    template,
                    year=today.year,
                    done=done,
                    required=required,
                    date=_.date(requirement.deadline),
                    left=days_left(_, requirement.deadline, today),
                )
            ]
        )

    standards = [
        r
        for r in result.results
        if r.key != REFRESHER_KEY and r.status is not Status.MET and r.deadline is not None
    ]
    if standards:
        sections.append(
            [_("Standards to meet:")]
            + [
                _(
                    "• {requirement}: by {date} ({left})",
                    requirement=requirement_name(_, r.key),
                    date=_.date(r.deadline),
                    left=days_left(_, r.deadline, today),
                )
                for r in standards
                if r.deadline is not None
            ]
        )

    if not sections:
        return Reply(_("You have no training deadlines ahead."))
    return Reply("\n\n".join([_("Your training deadlines:"), *("\n".join(s) for s in sections)]))
