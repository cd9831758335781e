"""What waits for the board in one commune, for the console's flows tests and its scope
crawler: a registration made in the chat, a certificate to check, an announcement not yet
started."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Broadcast,
    BroadcastStatus,
    Course,
    CourseKind,
    Enrollment,
    EnrollmentStatus,
    Evidence,
    EvidenceKind,
    EvidenceStatus,
    Official,
    Unit,
)
from storage.types import utcnow

JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4  # the start of a JPEG: what the check reads


@dataclass(frozen=True)
class Waiting:
    registration: int
    evidence: int
    broadcast: int


async def waiting_in(session: AsyncSession, official: Official, unit: Unit) -> Waiting:
    """``official``'s registration for a new course and LLCT certificate, and an announcement
    composed in ``unit``'s scope. The caller commits."""
    now = utcnow()
    course = Course(
        code=f"LLCT-T{uuid.uuid4().hex[:8]}",
        name="Trung cấp LLCT khóa thử",
        kind=CourseKind.LLCT_INTERMEDIATE,
        starts_on=now.date() + timedelta(days=60),
        ends_on=now.date() + timedelta(days=240),
    )
    session.add(course)
    await session.flush()
    registration = Enrollment(
        official_id=official.id,
        course_id=course.id,
        status=EnrollmentStatus.REGISTERED,
        requested_at=now,
    )
    evidence = Evidence(
        official_id=official.id,
        kind=EvidenceKind.POLITICAL_THEORY,
        status=EvidenceStatus.PENDING,
        filename="bang.jpg",
        mime_type="image/jpeg",
        size=len(JPEG),
        content=JPEG,
        received_at=now,
        decision={},
    )
    broadcast = Broadcast(
        actor="console:test",
        scope=[unit.path],
        audience={},
        text=f"Họp {unit.name}",
        status=BroadcastStatus.SCHEDULED,
    )
    session.add_all([registration, evidence, broadcast])
    await session.flush()
    return Waiting(registration.id, evidence.id, broadcast.id)
