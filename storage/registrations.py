"""Course registrations made in the chat, and what the organisation board does with them:
confirm the place or decline it (with a reason), mark a completion.

Every action is taken on one enrollment within the actor's scope (the official's unit lies
inside it); one outside is refused exactly like one that does not exist, and audited. Each
decision is on the audit log and queued to the official through the outbox, so it reaches
them on the chat they chose, rendered in their language when it is sent.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from locales import N_
from storage.access import Actor, Missing, OutOfScope, Refused, Scope
from storage.audit import record
from storage.models import Course, Enrollment, EnrollmentStatus, Official, Unit
from storage.outbox import REGISTRATION_DECIDED, Notice, enqueue

REASON_LIMIT = 300
CONFIRMED = "confirmed"
DECLINED = "declined"
COMPLETED = "completed"
NOT_FOUND = N_("There is no registration {id} in your units.")


def stated(reason: str, missing: str) -> str:
    """A decline's reason as the official will read it (one line); Refused with ``missing``
    when there is none, or when it is too long for a chat message's line."""
    reason = " ".join(reason.split())
    if not reason:
        raise Refused(missing)
    if len(reason) > REASON_LIMIT:
        raise Refused(N_("The reason is too long: at most {n} characters."), n=REASON_LIMIT)
    return reason


def _in_scope(scope: Scope) -> Select[Enrollment]:
    return (
        select(Enrollment)
        .join(Official, Enrollment.official_id == Official.id)
        .join(Unit, Official.unit_id == Unit.id)
        .join(Course, Enrollment.course_id == Course.id)
        .where(scope.clause())
        .options(
            joinedload(Enrollment.official).joinedload(Official.unit),
            joinedload(Enrollment.course),
        )
    )


def waiting() -> ColumnElement[bool]:
    """Registrations made in the chat that nobody has decided yet."""
    return (
        Enrollment.requested_at.is_not(None)
        & Enrollment.confirmed_at.is_(None)
        & Enrollment.declined_at.is_(None)
        & (Enrollment.status == EnrollmentStatus.REGISTERED)
    )


async def pending(session: AsyncSession, scope: Scope, limit: int = 200) -> list[Enrollment]:
    """The queue: registrations waiting for a decision, oldest first."""
    query = _in_scope(scope).where(waiting()).order_by(Enrollment.requested_at, Enrollment.id)
    return list(await session.scalars(query.limit(limit)))


async def active(session: AsyncSession, scope: Scope, limit: int = 500) -> list[Enrollment]:
    """Enrollments not yet finished (registered or studying) of courses that have started: the
    ones a completion can be marked on, earliest course first."""
    query = (
        _in_scope(scope)
        .where(Enrollment.status.in_([EnrollmentStatus.REGISTERED, EnrollmentStatus.STUDYING]))
        .where(Enrollment.declined_at.is_(None))
        .order_by(Course.starts_on, Course.code, Official.full_name, Enrollment.id)
    )
    return list(await session.scalars(query.limit(limit)))


async def courses(session: AsyncSession, limit: int = 500) -> list[Course]:
    """Every course, the latest first: the catalogue is the province's, not a unit's."""
    query = select(Course).order_by(Course.starts_on.desc(), Course.code).limit(limit)
    return list(await session.scalars(query))


async def find(session: AsyncSession, actor: Actor, enrollment_id: int) -> Enrollment:
    """The enrollment if ``actor`` may act on it; Refused otherwise, with the same words
    whether it is missing or outside the scope (OutOfScope, for the caller to audit once it
    has rolled back)."""
    found = await session.scalar(_in_scope(actor.scope).where(Enrollment.id == enrollment_id))
    if found is None:
        if await session.get(Enrollment, enrollment_id) is not None:
            raise OutOfScope(f"enrollment:{enrollment_id}", NOT_FOUND, id=enrollment_id)
        raise Missing(NOT_FOUND, id=enrollment_id)
    return found


def _undecided(enrollment: Enrollment) -> None:
    if enrollment.confirmed_at is not None:
        raise Refused(N_("This registration has already been confirmed."))
    if enrollment.declined_at is not None:
        raise Refused(N_("This registration has already been declined."))
    if enrollment.requested_at is None or enrollment.status is not EnrollmentStatus.REGISTERED:
        raise Refused(N_("This enrollment is not a registration waiting for a decision."))


async def confirm(
    session: AsyncSession, actor: Actor, enrollment_id: int, now: datetime
) -> Enrollment:
    """Confirm the place; the official is told. The caller commits."""
    enrollment = await find(session, actor, enrollment_id)
    _undecided(enrollment)
    enrollment.confirmed_at = now
    await _decided(session, actor, enrollment, CONFIRMED, now)
    return enrollment


async def decline(
    session: AsyncSession, actor: Actor, enrollment_id: int, reason: str, now: datetime
) -> Enrollment:
    """Decline the registration for ``reason`` (said to the official); it ends, so they may
    register for another class. The caller commits."""
    reason = stated(reason, N_("Say why the registration is declined: the official is told."))
    enrollment = await find(session, actor, enrollment_id)
    _undecided(enrollment)
    enrollment.declined_at = now
    enrollment.decline_reason = reason
    enrollment.status = EnrollmentStatus.DROPPED
    await _decided(session, actor, enrollment, DECLINED, now, reason=reason)
    return enrollment


async def complete(
    session: AsyncSession, actor: Actor, enrollment_id: int, on: date, today: date
) -> Enrollment:
    """Mark the course completed on ``on`` (not before it starts, not in the future). The
    caller commits."""
    enrollment = await find(session, actor, enrollment_id)
    if not enrollment.status.is_active or enrollment.declined_at is not None:
        raise Refused(N_("Only a registered or studying enrollment can be marked completed."))
    course = enrollment.course
    if on > today or on < course.starts_on:
        raise Refused(
            N_("The completion date must lie between {start} and today."),
            start=course.starts_on.strftime("%d/%m/%Y"),
        )
    enrollment.status = EnrollmentStatus.COMPLETED
    enrollment.completed_on = on
    record(
        session,
        actor.name,
        "enrollment.complete",
        f"enrollment:{enrollment.id}",
        official=enrollment.official.code,
        course=course.code,
        completed_on=on.isoformat(),
    )
    return enrollment


async def _decided(
    session: AsyncSession,
    actor: Actor,
    enrollment: Enrollment,
    decision: str,
    now: datetime,
    **detail: Any,
) -> None:
    official, course = enrollment.official, enrollment.course
    record(
        session,
        actor.name,
        f"registration.{'confirm' if decision == CONFIRMED else 'decline'}",
        f"enrollment:{enrollment.id}",
        official=official.code,
        course=course.code,
        **detail,
    )
    payload = {
        "decision": decision,
        "course": course.name,
        "course_code": course.code,
        "starts_on": course.starts_on.isoformat(),
        **detail,
    }
    await enqueue(
        session,
        [
            Notice(
                kind=REGISTRATION_DECIDED,
                payload=payload,
                not_before=now,
                official_id=official.id,
                subject=f"enrollment:{enrollment.id}",
                milestone=f"{decision}@{now.isoformat()}",
                urgent=True,
            )
        ],
    )
