"""Courses open for registration, and registering for one with a button.

Registering records the enrollment as "Đăng ký" and queues a note to the coordinators of the
official's unit (a coordinator of a unit covers everything under it), who confirm the place.
"""

from __future__ import annotations

from sqlalchemy import literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.context import Context
from handlers.labels import course_kind_name, requirement_name
from handlers.messages import Button, Reply
from handlers.records import gap_kinds, open_course, record
from locales import Translator
from storage.models import Course, Enrollment, EnrollmentStatus, Official, Role, RoleKind, Unit
from storage.outbox import COURSE_REGISTRATION, Notice, enqueue

REGISTER_PREFIX = "reg:"
SHOWN = 10  # a chat message is not a catalogue; the rest are counted
NAME_IN_BUTTON = 40


def course_line(_: Translator, course: Course) -> str:
    """A course as every reply shows it: name, kind, start and the last day to enrol."""
    text = _(
        "{course} ({kind}), starts {starts_on}",
        course=course.name,
        kind=course_kind_name(_, course.kind.value),
        starts_on=_.date(course.starts_on),
    )
    if course.enroll_by is not None:
        text += _(", enrol by {date}", date=_.date(course.enroll_by))
    return text


async def reply(context: Context, official: Official) -> Reply:
    _ = context._
    standing = await record(context.session, official, context.profile, context.today)
    courses = standing.open_courses
    if not courses:
        return Reply(_("No course is open for registration at the moment."))
    gaps = gap_kinds(standing.evaluation)
    registered = {e.course_id for e in standing.enrollments}
    courses.sort(key=lambda course: course.kind.value not in gaps)  # stable: soonest within
    lines = [_("Courses open for registration:")]
    buttons: list[tuple[Button, ...]] = []
    for number, course in enumerate(courses[:SHOWN], start=1):
        lines.append(f"{number}. {course_line(_, course)}")
        closes = gaps.get(course.kind.value)
        if closes:
            names = ", ".join(requirement_name(_, key) for key in closes)
            lines.append("   " + _("Closes your gap: {requirements}", requirements=names))
        if course.id in registered:
            lines.append("   " + _("You are registered."))
        else:
            label = _("Register: {course}", course=_short(course.name))
            buttons.append((Button(label, f"{REGISTER_PREFIX}{course.id}"),))
    if len(courses) > SHOWN:
        more = len(courses) - SHOWN
        lines.append(_.plural("… and {n} more course.", "… and {n} more courses.", more))
    return Reply("\n".join(lines), buttons=tuple(buttons))


def _short(name: str) -> str:
    return name if len(name) <= NAME_IN_BUTTON else name[: NAME_IN_BUTTON - 1] + "…"


async def register(context: Context, official: Official, data: str) -> Reply:
    """Record the registration the button stands for, once, and tell the coordinators."""
    _ = context._
    session = context.session
    course_id = data.removeprefix(REGISTER_PREFIX)
    course = (
        await open_course(session, int(course_id), context.today) if course_id.isdigit() else None
    )
    if course is None:
        return Reply(_("This course is no longer open for registration."))
    enrollment = Enrollment(
        official_id=official.id, course_id=course.id, status=EnrollmentStatus.REGISTERED
    )
    try:
        async with session.begin_nested():
            session.add(enrollment)
    except IntegrityError:  # one enrollment per official and course, however often pressed
        return Reply(_("You are already registered for {course}.", course=course.name))
    await _tell_coordinators(context, official, course, enrollment)
    return Reply(
        _(
            "You are registered for {course}. Your organisation board will confirm your place.",
            course=course_line(_, course),
        )
    )


async def coordinators_of(session: AsyncSession, official: Official) -> list[int]:
    """Officials coordinating the official's unit or any unit above it, but not themself."""
    return list(
        await session.scalars(
            select(Role.official_id)
            .join(Unit, Role.unit_id == Unit.id)
            .where(
                Role.kind == RoleKind.COORDINATOR,
                Role.official_id != official.id,
                literal(official.unit.path).startswith(Unit.path),
            )
            .distinct()
        )
    )


async def _tell_coordinators(
    context: Context, official: Official, course: Course, enrollment: Enrollment
) -> None:
    """Queue the note. Like every outbox payload it holds data, not text: the dispatcher
    renders it in each coordinator's language when it is sent."""
    payload = {
        "about": official.id,
        "official": official.full_name,
        "code": official.code,
        "unit": official.unit.name,
        "course": course.name,
        "course_code": course.code,
        "starts_on": course.starts_on.isoformat(),
    }
    await enqueue(
        context.session,
        [
            Notice(
                kind=COURSE_REGISTRATION,
                payload=payload,
                not_before=context.now,
                official_id=coordinator,
                subject=f"enrollment:{enrollment.id}",
            )
            for coordinator in await coordinators_of(context.session, official)
        ],
    )
