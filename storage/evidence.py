"""Evidence from officials: a photo or PDF of a certificate, what it proves, and the board's
decision (storage.models.evidence).

An official sends the file (``receive``: checked by its bytes, not its name), says what it
proves (``describe``), and it waits in the queue of the coordinators whose scope covers their
unit. Confirming sets the fact the rules read: the professional level (and field) for a
diploma, the LLCT or state management level for a certificate, a completed refresher course
for a refresher; a level is never lowered this way. Declining needs a reason. Both are audited
and told to the official through the outbox; so is every opening of the file, which is
personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from locales import N_, Translator
from rules.scales import OrderedLevel, PoliticalTheory, ProfessionalLevel, StateManagement
from storage.access import Actor, Missing, OutOfScope, Refused, coordinators_of
from storage.audit import record
from storage.models import (
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
from storage.outbox import EVIDENCE_DECIDED, EVIDENCE_SENT, Notice, enqueue
from storage.registrations import stated

LIMIT = 10 * 2**20  # bytes: a phone photo or a scanned certificate is well under this
DRAFT_KEPT = timedelta(days=1)  # a file whose sender never said what it proves
# The types accepted, told by their first bytes (a name or a declared type can lie).
SIGNATURES = {
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
    b"%PDF-": ("application/pdf", ".pdf"),
}
NAMES = {
    EvidenceKind.DEGREE: N_("a diploma"),
    EvidenceKind.POLITICAL_THEORY: N_("a political theory (LLCT) certificate"),
    EvidenceKind.STATE_MANAGEMENT: N_("a state management (QLNN) certificate"),
    EvidenceKind.REFRESHER: N_("a refresher training completed"),
}
# The level a confirmation sets, by kind; the refresher sets a completed course instead.
LEVELS: dict[EvidenceKind, tuple[str, type[OrderedLevel]]] = {
    EvidenceKind.DEGREE: ("professional_level", ProfessionalLevel),
    EvidenceKind.POLITICAL_THEORY: ("political_theory", PoliticalTheory),
    EvidenceKind.STATE_MANAGEMENT: ("state_management", StateManagement),
}
NOT_FOUND = N_("There is no evidence {id} in your units.")


def name(_: Translator, kind: EvidenceKind | None) -> str:
    """What the file proves, in words ("a diploma")."""
    return _(NAMES[kind]) if kind is not None else "?"


def sniff(content: bytes) -> tuple[str, str] | None:
    """The (MIME type, suffix) ``content`` starts like, or None for a type not accepted."""
    return next((found for magic, found in SIGNATURES.items() if content.startswith(magic)), None)


def check_file(content: bytes) -> str:
    """The MIME type of an acceptable file; Refused, saying why, otherwise. Empty content is a
    file the messenger would not let the bot fetch: too big too."""
    if not content or len(content) > LIMIT:
        raise Refused(
            N_(
                "That file is too big: send a photo, or a PDF of at most {n} MB (scan it at a "
                "lower resolution)."
            ),
            n=LIMIT // 2**20,
        )
    found = sniff(content)
    if found is None:
        raise Refused(
            N_(
                "I can take a certificate as a photo (JPEG or PNG) or a PDF. Take a photo of "
                "it and send that."
            )
        )
    return found[0]


# JPEG segments kept: JFIF (APP0), the colour profile (APP2) and Adobe's colour transform (APP14)
# are needed to show the picture; the rest of APP1-APP15 (Exif with the phone's GPS position,
# XMP, maker notes) and comments (COM) go.
_JPEG_KEPT = frozenset({0xE0, 0xE2, 0xEE})
_JPEG_DROPPED = frozenset(range(0xE1, 0xF0)) - _JPEG_KEPT | {0xFE}


def without_metadata(content: bytes) -> bytes:
    """A JPEG without the metadata a phone writes into it (where and when it was taken, the
    device): the board needs the certificate, not the official's whereabouts. Anything that is
    not a JPEG laid out as expected is kept as it came."""
    if not content.startswith(b"\xff\xd8"):
        return content
    kept, at = bytearray(b"\xff\xd8"), 2
    while at + 4 <= len(content) and content[at] == 0xFF:
        marker = content[at + 1]
        if marker == 0xDA:  # start of scan: the picture itself, to the end
            return bytes(kept + content[at:])
        length = int.from_bytes(content[at + 2 : at + 4], "big")
        if length < 2 or at + 2 + length > len(content):
            return content
        if marker not in _JPEG_DROPPED:
            kept += content[at : at + 2 + length]
        at += 2 + length
    return content


async def receive(
    session: AsyncSession,
    official: Official,
    chat_account_id: int,
    filename: str,
    content: bytes,
    now: datetime,
) -> Evidence:
    """Keep the file as a draft until the official says what it proves; their drafts left
    unanswered for a day go. Refused (nothing kept) for a bad file. The caller commits."""
    mime = check_file(content)
    content = without_metadata(content)
    await session.execute(
        delete(Evidence).where(
            Evidence.official_id == official.id,
            Evidence.status == EvidenceStatus.DRAFT,
            Evidence.received_at < now - DRAFT_KEPT,
        )
    )
    evidence = Evidence(
        official_id=official.id,
        chat_account_id=chat_account_id,
        status=EvidenceStatus.DRAFT,
        filename=filename[:200],
        mime_type=mime,
        size=len(content),
        content=content,
        received_at=now,
        decision={},
    )
    session.add(evidence)
    await session.flush()
    return evidence


async def _draft(
    session: AsyncSession, evidence_id: int, official: Official, chat_account_id: int
) -> Evidence | None:
    """The official's draft from this chat, or None (gone, answered, or someone else's)."""
    found: Evidence | None = await session.scalar(
        select(Evidence).where(
            Evidence.id == evidence_id,
            Evidence.official_id == official.id,
            Evidence.chat_account_id == chat_account_id,
            Evidence.status == EvidenceStatus.DRAFT,
        )
    )
    return found


async def describe(
    session: AsyncSession,
    evidence_id: int,
    official: Official,
    chat_account_id: int,
    kind: EvidenceKind,
) -> Evidence | None:
    """Put the draft in the queue as proof of ``kind``, with a note to the coordinators of the
    official's unit; None when it no longer waits for that (a stale button)."""
    evidence = await _draft(session, evidence_id, official, chat_account_id)
    if evidence is None:
        return None
    evidence.kind = kind
    evidence.status = EvidenceStatus.PENDING
    payload = {
        "about": official.id,
        "official": official.full_name,
        "code": official.code,
        "unit": official.unit.name,
        "kind": kind.value,
    }
    await enqueue(
        session,
        [
            Notice(
                kind=EVIDENCE_SENT,
                payload=payload,
                not_before=evidence.received_at,
                official_id=coordinator,
                subject=f"evidence:{evidence.id}",
            )
            for coordinator in await coordinators_of(session, official)
        ],
    )
    return evidence


async def withdraw(
    session: AsyncSession, evidence_id: int, official: Official, chat_account_id: int
) -> bool:
    """Drop the draft (the official changed their mind); False when there is none."""
    evidence = await _draft(session, evidence_id, official, chat_account_id)
    if evidence is None:
        return False
    await session.delete(evidence)
    return True


def _in_scope(actor: Actor) -> Select[Evidence]:
    return (
        select(Evidence)
        .join(Official, Evidence.official_id == Official.id)
        .join(Unit, Official.unit_id == Unit.id)
        .where(actor.scope.clause(), Evidence.status != EvidenceStatus.DRAFT)
        .options(joinedload(Evidence.official).joinedload(Official.unit))
    )


async def pending(session: AsyncSession, actor: Actor, limit: int = 200) -> list[Evidence]:
    """The verification queue, oldest first."""
    query = _in_scope(actor).where(Evidence.status == EvidenceStatus.PENDING)
    return list(await session.scalars(query.order_by(Evidence.received_at).limit(limit)))


async def find(session: AsyncSession, actor: Actor, evidence_id: int) -> Evidence:
    """Evidence ``actor`` may see; Refused otherwise, with the same words whether missing or
    outside the scope (OutOfScope, for the caller to audit once it has rolled back)."""
    found = await session.scalar(_in_scope(actor).where(Evidence.id == evidence_id))
    if found is None:
        if await session.get(Evidence, evidence_id) is not None:
            raise OutOfScope(f"evidence:{evidence_id}", NOT_FOUND, id=evidence_id)
        raise Missing(NOT_FOUND, id=evidence_id)
    return found


async def open_file(session: AsyncSession, actor: Actor, evidence_id: int) -> Evidence:
    """The evidence with its file, the opening audited; Refused once the file is purged."""
    evidence = await find(session, actor, evidence_id)
    if evidence.content is None:
        raise Refused(N_("This file has been removed under the retention policy."))
    record(
        session,
        actor.name,
        "evidence.view",
        f"evidence:{evidence.id}",
        official=evidence.official.code,
    )
    return evidence


@dataclass(frozen=True)
class Finding:
    """What the coordinator read on the file: a level (the enum value) for a diploma or a
    certificate, with the field of a diploma; the refresher course and its completion day."""

    level: str = ""
    major: str = ""
    course_id: int | None = None
    completed_on: date | None = None


async def confirm(
    session: AsyncSession,
    actor: Actor,
    evidence_id: int,
    finding: Finding,
    now: datetime,
    today: date,
) -> Evidence:
    """Update the official's record as ``finding`` says; audited, the official told. The caller
    commits (or rolls back on Refused: nothing changes)."""
    evidence = await find(session, actor, evidence_id)
    _undecided(evidence)
    assert evidence.kind is not None
    if evidence.kind is EvidenceKind.REFRESHER:
        applied = await _complete_refresher(session, evidence.official, finding, today)
    else:
        applied = _raise_level(evidence.official, evidence.kind, finding)
    evidence.status = EvidenceStatus.CONFIRMED
    await _decided(session, actor, evidence, now, applied)
    return evidence


async def decline(
    session: AsyncSession, actor: Actor, evidence_id: int, reason: str, now: datetime
) -> Evidence:
    """Decline it for ``reason``, told to the official; the record is unchanged."""
    reason = stated(reason, N_("Say why the evidence is declined: the official is told."))
    evidence = await find(session, actor, evidence_id)
    _undecided(evidence)
    evidence.status = EvidenceStatus.DECLINED
    await _decided(session, actor, evidence, now, {"reason": reason})
    return evidence


def _undecided(evidence: Evidence) -> None:
    if evidence.status is not EvidenceStatus.PENDING:
        raise Refused(N_("This evidence has already been decided."))


def _raise_level(official: Official, kind: EvidenceKind, finding: Finding) -> dict[str, Any]:
    field, scale = LEVELS[kind]
    try:
        level = scale(finding.level)
    except ValueError:
        raise Refused(N_("Choose the level the file shows.")) from None
    current = getattr(official, field)
    if current is not None and current > level:
        raise Refused(N_("The record already shows a higher level; nothing was changed."))
    applied: dict[str, Any] = {
        "field": field,
        "value": level.value,
        "previous": current.value if current is not None else None,
    }
    setattr(official, field, level)
    major = " ".join(finding.major.split())[:200]
    if kind is EvidenceKind.DEGREE and major:
        applied["major"], applied["previous_major"] = major, official.major
        official.major = major
    return applied


async def _complete_refresher(
    session: AsyncSession, official: Official, finding: Finding, today: date
) -> dict[str, Any]:
    course = await session.get(Course, finding.course_id) if finding.course_id else None
    if course is None or course.kind is not CourseKind.REFRESHER:
        raise Refused(N_("Choose the refresher course the file shows."))
    on = finding.completed_on
    if on is None or on > today or on < course.starts_on:
        raise Refused(
            N_("The completion date must lie between {start} and today."),
            start=course.starts_on.strftime("%d/%m/%Y"),
        )
    enrollment = await session.scalar(
        select(Enrollment).where(
            Enrollment.official_id == official.id, Enrollment.course_id == course.id
        )
    )
    if enrollment is None:
        enrollment = Enrollment(official_id=official.id, course_id=course.id)
        session.add(enrollment)
    enrollment.status = EnrollmentStatus.COMPLETED
    enrollment.completed_on = on
    return {"field": "enrollment", "course": course.code, "completed_on": on.isoformat()}


async def _decided(
    session: AsyncSession, actor: Actor, evidence: Evidence, now: datetime, detail: dict[str, Any]
) -> None:
    assert evidence.kind is not None
    evidence.decided_at = now
    evidence.decided_by = actor.name
    evidence.decision = detail
    confirmed = evidence.status is EvidenceStatus.CONFIRMED
    record(
        session,
        actor.name,
        "evidence.confirm" if confirmed else "evidence.decline",
        f"evidence:{evidence.id}",
        official=evidence.official.code,
        kind=evidence.kind.value,
        **detail,
    )
    payload = {
        "decision": evidence.status.value,
        "kind": evidence.kind.value,
        "reason": detail.get("reason", ""),
    }
    await enqueue(
        session,
        [
            Notice(
                kind=EVIDENCE_DECIDED,
                payload=payload,
                not_before=now,
                official_id=evidence.official_id,
                subject=f"evidence:{evidence.id}",
                urgent=True,
            )
        ],
    )
