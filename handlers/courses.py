"""Courses open for registration, and registering for one: press (or type the number of) a
class, confirm, and the enrollment is recorded as "Đăng ký".

The list and its options share one numbering: class 2 of the list is option 2, whether pressed
or typed. Each option names the class and its start date; a long name is shortened by whole
words, never cut mid-word. An official takes one class of a course at a time (one intermediate
political theory class, say), so a second is refused while the first is active. A registration
queues a note to the coordinators of the official's unit (a coordinator of a unit covers
everything under it), who confirm the place.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from handlers.context import Context
from handlers.labels import course_kind_name, requirement_name
from handlers.messages import CAPABILITIES, Button, Reply
from handlers.records import Record, open_course, record
from handlers.topics import Topic, command
from locales import Translator
from storage.access import coordinators_of
from storage.callback_data import ConfirmRegistration, Register
from storage.models import (
    Course,
    CourseKind,
    Enrollment,
    EnrollmentStatus,
    Official,
)
from storage.outbox import COURSE_REGISTRATION, Notice, enqueue

SHOWN = 10  # a chat message is not a catalogue; the rest are counted
NAME_IN_BUTTON = 30  # characters of a class's name on its button, before the start date
# Course names as boards write them, and how they are shortened on a button.
SHORTHANDS = (
    (re.compile(r"lý luận chính trị\s*-\s*hành chính", re.IGNORECASE), "LLCT-HC"),
    (re.compile(r"lý luận chính trị", re.IGNORECASE), "LLCT"),
    (re.compile(r"quản lý nhà nước", re.IGNORECASE), "QLNN"),
    (re.compile(r"cập nhật kiến thức", re.IGNORECASE), "CNKT"),
)
# Words that tell classes of one course apart ("khóa K2", "lớp 02", "đợt 2"): kept on a button.
_CLASS_PART = re.compile(r"(khóa|khoá|lớp|đợt|k\d)", re.IGNORECASE)


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


def short_name(name: str, limit: int = NAME_IN_BUTTON) -> str:
    """``name`` in at most ``limit`` characters without cutting a word: the usual shorthands
    first, then the middle parts left out, keeping the start and what tells the classes apart
    (the part naming the class, and numbers such as the year): "Trung cấp LLCT-HC, khóa K2",
    "Bồi dưỡng CNKT … 2025, đợt 1"."""
    name = " ".join(name.split())
    if len(name) <= limit:
        return name
    for pattern, shorthand in SHORTHANDS:
        name = pattern.sub(shorthand, name)
    if len(name) <= limit:
        return name
    parts = [part.strip() for part in name.split(",") if part.strip()]
    if len(parts) > 1 and _CLASS_PART.search(parts[-1]):
        head, tail = parts[0], parts[-1]
        if len(f"{head}, {tail}") <= limit:
            return f"{head}, {tail}"
    else:
        words = name.split()
        head, tail = " ".join(words[:-2]), " ".join(words[-2:])
    numbers = [word.strip(",") for word in head.split() if any(c.isdigit() for c in word)]
    ending = ", ".join([" ".join(numbers), tail]) if numbers and tail else tail
    kept: list[str] = []
    for word in head.split():
        if word.strip(",") in numbers or len(" ".join([*kept, word, "…", ending])) > limit:
            break
        kept.append(word)
    if not kept:
        return _last_words(ending, limit)
    return f"{' '.join(kept).rstrip(',-–:;')} … {ending}"


def _last_words(text: str, limit: int) -> str:
    words: list[str] = []
    for word in reversed(text.split()):
        if len(" ".join([word, *words])) > limit - 2 and words:
            break
        words.insert(0, word)
    return "… " + " ".join(words)


def class_label(_: Translator, number: int, course: Course) -> str:
    """A class's option: its number in the list, its name shortened, its start date."""
    return f"{number}. {short_name(course.name)} · {_.date(course.starts_on)}"


async def reply(context: Context, official: Official) -> Reply:
    _ = context._
    standing = await record(context.session, official, context.profile, context.today)
    courses = standing.open_courses
    if not courses:
        return Reply(_("No course is open for registration at the moment."))
    courses.sort(key=lambda course: not standing.closed_by(course))  # stable: soonest within
    registered = {e.course_id for e in standing.enrollments}
    lines = [_("Courses open for registration:")]
    buttons: list[tuple[Button, ...]] = []
    for number, course in enumerate(courses[:SHOWN], start=1):
        lines.append(f"{number}. {course_line(_, course)}")
        closes = standing.closed_by(course)
        if closes:
            names = ", ".join(requirement_name(_, r.key) for r in closes)
            lines.append("   " + _("Closes your gap: {requirements}", requirements=names))
        if course.id in registered:
            lines.append("   " + _("You are registered."))
        buttons.append((Button(class_label(_, number, course), Register(course.id)),))
    if len(courses) > SHOWN:
        more = len(courses) - SHOWN
        lines.append(_.plural("… and {n} more course.", "… and {n} more courses.", more))
    lines += _no_course_fits(_, standing)
    if CAPABILITIES[context.incoming.channel].buttons:  # else the numbers' hint says it
        lines.append(_("Press a class to register for it."))
    return Reply("\n".join(lines), buttons=tuple(buttons), options_listed=True)


def _no_course_fits(_: Translator, standing: Record) -> list[str]:
    """The gaps no open course closes in time: said, so nobody waits for a course."""
    missing = standing.without_course()
    if not missing:
        return []
    names = ", ".join(requirement_name(_, r.key) for r in missing)
    return [
        _(
            "No open course fits your gap in {requirements} yet; your organisation board "
            "sees this in its weekly digest.",
            requirements=names,
        )
    ]


async def confirm(context: Context, official: Official, course_id: int) -> Reply:
    """The question before registering: which class, starting when; yes or no."""
    _ = context._
    course = await open_course(context.session, course_id, context.today)
    if course is None:
        return Reply(_("This course is no longer open for registration."))
    refusal = await _refusal(context, official, course)
    if refusal is not None:
        return refusal
    return Reply(
        _(
            "Register for {course}, starting {date}?",
            course=course.name,
            date=_.date(course.starts_on),
        ),
        buttons=(
            (
                Button(_("Yes, register"), ConfirmRegistration(course.id, "yes")),
                Button(_("No"), ConfirmRegistration(course.id, "no")),
            ),
        ),
    )


async def on_confirmation(
    context: Context, official: Official, pressed: ConfirmRegistration
) -> Reply:
    _ = context._
    if pressed.answer == "no":
        courses = command(context.account.language, Topic.COURSES)
        return Reply(_("Not registered. Type {courses} to see the courses again.", courses=courses))
    return await register(context, official, pressed.course)


async def register(context: Context, official: Official, course_id: int) -> Reply:
    """Record the registration, once, and tell the coordinators."""
    _ = context._
    session = context.session
    course = await open_course(session, course_id, context.today)
    if course is None:
        return Reply(_("This course is no longer open for registration."))
    refusal = await _refusal(context, official, course)
    if refusal is not None:
        return refusal
    enrollment = await session.scalar(
        select(Enrollment).where(
            Enrollment.official_id == official.id, Enrollment.course_id == course.id
        )
    )
    if enrollment is not None:  # an earlier registration, declined or dropped: asked again
        _reopen(enrollment, context)
    else:
        enrollment = Enrollment(
            official_id=official.id,
            course_id=course.id,
            status=EnrollmentStatus.REGISTERED,
            requested_at=context.now,
        )
        try:
            async with session.begin_nested():
                session.add(enrollment)
        except IntegrityError:  # the same press taken twice at once
            return _already(context, course)
    await _tell_coordinators(context, official, course, enrollment)
    return Reply(
        _(
            "You are registered for {course}. Your organisation board will confirm your place.",
            course=course_line(_, course),
        )
    )


def _reopen(enrollment: Enrollment, context: Context) -> None:
    """A registration asked for again waits for the board's decision again."""
    enrollment.status = EnrollmentStatus.REGISTERED
    enrollment.completed_on = None
    enrollment.requested_at = context.now
    enrollment.confirmed_at = enrollment.declined_at = enrollment.decline_reason = None


async def _refusal(context: Context, official: Official, course: Course) -> Reply | None:
    """Why the official cannot register for ``course``: already registered for it, or for
    another class of the same course that is still active."""
    _ = context._
    same_course = Course.id == course.id
    if course.kind is not CourseKind.OTHER:
        same_course = same_course | (Course.kind == course.kind)
    taken = await context.session.scalar(
        select(Course)
        .join(Enrollment, Enrollment.course_id == Course.id)
        .where(
            Enrollment.official_id == official.id,
            Enrollment.status.in_([EnrollmentStatus.REGISTERED, EnrollmentStatus.STUDYING]),
            Course.ends_on >= context.today,
            same_course,
        )
        .order_by(Course.id != course.id, Course.starts_on)
        .limit(1)
    )
    if taken is None:
        return None
    if taken.id == course.id:
        return _already(context, course)
    return Reply(
        _(
            "You are already registered for {course}, starting {date}: one class of a course "
            "at a time. To change class, ask your organisation board.",
            course=taken.name,
            date=_.date(taken.starts_on),
        )
    )


def _already(context: Context, course: Course) -> Reply:
    _ = context._
    return Reply(_("You are already registered for {course}.", course=course.name))


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
