"""Courses and registrations: the course list; the queue of registrations officials made in
the chat, each confirmed or declined with a reason (storage.registrations: audited, the
official told in their chat); completions marked on enrollments of courses that have begun;
and an enrollments file uploaded, checked first, imported on confirmation within the scope."""

from __future__ import annotations

import base64
import binascii
import tempfile
from pathlib import Path, PurePath

from aiohttp import web
from sqlalchemy import func, select

from bot.console.acts import attempt, form, number
from bot.console.app import ConsoleRoute
from bot.console.render import NavEntry, render
from bot.console.visit import Visit, page
from handlers.coordinator.when import parse_day
from handlers.labels import course_kind_name
from locales import N_
from storage import registrations
from storage.access import Actor
from storage.importers import ImportReport, Job, import_within
from storage.importers.tabular import SUFFIXES
from storage.models import Enrollment, EnrollmentStatus, Official, Unit

NAV = (
    NavEntry("/console/courses", N_("Courses")),
    NavEntry("/console/registrations", N_("Registrations")),
)
UPLOAD_LIMIT = 2 * 2**20  # an enrollments file is a few hundred rows
DONE = {
    "confirmed": N_("Confirmed: the official is told in their chat."),
    "declined": N_("Declined: the official is told the reason in their chat."),
    "completed": N_("Marked completed."),
}


def _actor(visit: Visit) -> Actor:
    return Actor(visit.actor, visit.scope)


async def course_list(visit: Visit) -> web.StreamResponse:
    _ = visit._
    courses = await registrations.courses(visit.db)
    counts = dict(
        (
            await visit.db.execute(
                select(Enrollment.course_id, func.count())
                .join(Official, Enrollment.official_id == Official.id)
                .join(Unit, Official.unit_id == Unit.id)
                .where(Enrollment.status.in_([s for s in EnrollmentStatus if s.is_active]))
                .where(visit.scope.clause())  # the catalogue is shared, the people are not
                .group_by(Enrollment.course_id)
            )
        ).all()
    )
    rows = [
        {
            "code": course.code,
            "name": course.name,
            "kind": course_kind_name(_, course.kind.value),
            "starts": _.date(course.starts_on),
            "ends": _.date(course.ends_on),
            "enroll_by": _.date(course.enroll_by) if course.enroll_by else "",
            "capacity": course.capacity if course.capacity is not None else "",
            "enrolled": counts.get(course.id, 0),
        }
        for course in courses
    ]
    return render(visit, "courses.html", rows=rows)


async def queue(
    visit: Visit, problem: str = "", status: int = 200, report: dict[str, object] | None = None
) -> web.StreamResponse:
    """The page: the registrations waiting, the enrollments to complete, and the upload (with
    the report of the file just checked or imported, if any)."""
    _ = visit._
    waiting = await registrations.pending(visit.db, visit.scope)
    active = await registrations.active(visit.db, visit.scope)
    done = DONE.get(visit.request.query.get("done", ""))
    started = [e for e in active if e.course.starts_on <= visit.today]
    return render(
        visit,
        "registrations.html",
        status=status,
        waiting=[_row(visit, e) for e in waiting],
        started=[_row(visit, e) for e in started],
        problem=problem,
        done=_(done) if done else "",
        today=_.date(visit.today),
        report=report,
    )


def _row(visit: Visit, enrollment: Enrollment) -> dict[str, object]:
    _ = visit._
    official, course = enrollment.official, enrollment.course
    return {
        "id": enrollment.id,
        "official": official.full_name,
        "code": official.code,
        "unit": official.unit.name,
        "course": course.name,
        "course_code": course.code,
        "starts": _.date(course.starts_on),
        "requested": _.date(enrollment.requested_at) if enrollment.requested_at else "",
        "status": enrollment.status.value,
    }


async def confirm(visit: Visit) -> web.StreamResponse:
    done = await attempt(
        visit,
        registrations.confirm(visit.db, _actor(visit), number(visit, "registration"), visit.now),
    )
    if isinstance(done, str):
        return await queue(visit, done, status=409)
    raise web.HTTPSeeOther("/console/registrations?done=confirmed")


async def decline(visit: Visit) -> web.StreamResponse:
    reason = (await form(visit)).get("reason", "")
    done = await attempt(
        visit,
        registrations.decline(
            visit.db, _actor(visit), number(visit, "registration"), reason, visit.now
        ),
    )
    if isinstance(done, str):
        return await queue(visit, done, status=409)
    raise web.HTTPSeeOther("/console/registrations?done=declined")


async def complete(visit: Visit) -> web.StreamResponse:
    _ = visit._
    typed = (await form(visit)).get("on", "")
    on = parse_day(typed)
    if on is None:
        return await queue(
            visit, _("Write the date as dd/mm/yyyy, for example 31/12/2025."), status=400
        )
    done = await attempt(
        visit,
        registrations.complete(
            visit.db, _actor(visit), number(visit, "registration"), on, visit.today
        ),
    )
    if isinstance(done, str):
        return await queue(visit, done, status=409)
    raise web.HTTPSeeOther("/console/registrations?done=completed")


async def upload(visit: Visit) -> web.StreamResponse:
    """An enrollments file: checked (``import`` absent) or imported (``import`` = 1, the file
    posted back from the check's page). Read from the stream: the form's size limit does not
    fit a file."""
    fields: dict[str, bytes | None] = {}
    filename = ""
    reader = visit.form_parts
    while reader is not None and (part := await reader.next()) is not None:
        name = getattr(part, "name", None)
        if name == "file" and getattr(part, "filename", None):
            filename = PurePath(str(part.filename)).name[:200]  # type: ignore[union-attr]
        if name is not None:
            fields[name] = await _read(
                part, 2 * UPLOAD_LIMIT if name == "content" else UPLOAD_LIMIT
            )
    content = fields.get("file", b"")
    if "content" in fields:  # the confirmation posts the checked file back
        filename = PurePath((fields.get("filename") or b"").decode(errors="replace")).name[:200]
        try:
            content = base64.b64decode(fields["content"] or b"!", validate=True)
        except (binascii.Error, ValueError):
            content = None
    problem = _upload_problem(visit, filename, content)
    if problem or content is None:
        return await queue(visit, problem, status=400)
    dry_run = fields.get("import") != b"1"
    report = await _import(visit, filename, content, dry_run)
    return await queue(
        visit,
        report={
            "text": report.render(visit.session.language),
            "rejected": report.rejected,
            "dry_run": dry_run,
            "filename": filename,
            "content": base64.b64encode(content).decode() if dry_run else "",
        },
    )


async def _read(part: object, limit: int) -> bytes | None:
    """A form part's bytes; None once it runs over ``limit`` (the rest is not read)."""
    content = bytearray()
    while chunk := await part.read_chunk(1 << 16):  # type: ignore[attr-defined]
        content += chunk
        if len(content) > limit:
            return None
    return bytes(content)


def _upload_problem(visit: Visit, filename: str, content: bytes | None) -> str:
    _ = visit._
    if not filename or PurePath(filename).suffix.lower() not in SUFFIXES:
        return _("Choose an enrollments file: Excel (.xlsx, .xls), LibreOffice (.ods) or CSV.")
    if not content or len(content) > UPLOAD_LIMIT:
        return _("The file is empty or larger than {n} MB.", n=UPLOAD_LIMIT // 2**20)
    return ""


async def _import(visit: Visit, filename: str, content: bytes, dry_run: bool) -> ImportReport:
    suffix = PurePath(filename).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="canbo-console-") as folder:
        path = Path(folder) / f"enrollments{suffix}"
        path.write_bytes(content)
        job = Job(
            kind="enrollments",
            path=path,
            name=filename,
            dry_run=dry_run,
            actor=visit.actor,
            lang=visit.session.language,
            today=visit.today,
            scope=visit.scope,
        )
        return await import_within(visit.db, job)


ROUTES = (
    ConsoleRoute("GET", "/courses", page(course_list)),
    ConsoleRoute("GET", "/registrations", page(queue)),
    ConsoleRoute("POST", "/registrations/{registration}/confirm", page(confirm)),
    ConsoleRoute("POST", "/registrations/{registration}/decline", page(decline)),
    ConsoleRoute("POST", "/registrations/{registration}/complete", page(complete)),
    ConsoleRoute("POST", "/registrations/upload", page(upload)),
)
