"""Evidence from officials: the verification queue, one file with what it should prove and the
official's record beside it, and the decision (storage.evidence): confirm with what the file
shows (the record updates, audited, the official told) or decline with a reason.

The file is served only here, to a coordinator whose scope covers the official, each opening
audited; it is sent with its checked type, never sniffed, and sandboxed."""

from __future__ import annotations

from datetime import date

from aiohttp import web
from sqlalchemy import select

from bot.console.acts import attempt, form, number
from bot.console.app import ConsoleRoute
from bot.console.render import NavEntry, render
from bot.console.visit import Visit, not_found, page
from handlers.coordinator.when import parse_day
from handlers.labels import level_name, requirement_name
from handlers.status import status_text
from locales import N_
from storage import evidence
from storage.access import Actor
from storage.models import Course, CourseKind, Evidence, EvidenceKind

NAV = (NavEntry("/console/evidence", N_("Evidence")),)
DONE = {
    "confirmed": N_("Confirmed: the record is updated and the official is told."),
    "declined": N_("Declined: the official is told the reason in their chat."),
}


def _actor(visit: Visit) -> Actor:
    return Actor(visit.actor, visit.scope)


async def queue(visit: Visit) -> web.StreamResponse:
    _ = visit._
    waiting = await evidence.pending(visit.db, _actor(visit))
    rows = [
        {
            "id": item.id,
            "official": item.official.full_name,
            "code": item.official.code,
            "unit": item.official.unit.name,
            "kind": evidence.name(_, item.kind),
            "received": _.datetime(item.received_at.astimezone(visit.config.zone)),
            "file": item.filename,
        }
        for item in waiting
    ]
    done = DONE.get(visit.request.query.get("done", ""))
    return render(visit, "evidence.html", rows=rows, done=_(done) if done else "")


async def show(visit: Visit, problem: str = "", status: int = 200) -> web.StreamResponse:
    _ = visit._
    item = await attempt(visit, evidence.find(visit.db, _actor(visit), number(visit, "evidence")))
    if isinstance(item, str):
        raise not_found()
    official = item.official
    levels: list[dict[str, object]] = []
    if item.kind in evidence.LEVELS:
        field, scale = evidence.LEVELS[item.kind]
        current = getattr(official, field)
        levels = [
            {"value": level.value, "name": level_name(_, level), "current": level == current}
            for level in scale
            if level.value != "none"
        ]
    courses = []
    if item.kind is EvidenceKind.REFRESHER:
        found = await visit.db.scalars(
            select(Course)
            .where(Course.kind == CourseKind.REFRESHER, Course.starts_on <= visit.today)
            .order_by(Course.starts_on.desc())
            .limit(50)
        )
        courses = [{"id": c.id, "name": c.name, "ends": _.date(c.ends_on)} for c in found]
    profile = visit.config.standards(visit.today)
    card = await status_text(visit.db, official, profile, visit.today, _)
    return render(
        visit,
        "evidence_item.html",
        status=status,
        item=item,
        kind=evidence.name(_, item.kind),
        pending=item.status.value == "pending",
        decision=_decision(visit, item),
        levels=levels,
        major=official.major or "",
        is_degree=item.kind is EvidenceKind.DEGREE,
        courses=courses,
        today=_.date(visit.today),
        card=card,
        is_image=item.mime_type.startswith("image/"),
        received=_.datetime(item.received_at.astimezone(visit.config.zone)),
        problem=problem,
        done=_(DONE["confirmed"]) if visit.request.query.get("done") == "confirmed" else "",
    )


def _decision(visit: Visit, item: Evidence) -> str:
    """What was decided, in words: the level set, the course completed, or the reason."""
    _ = visit._
    detail = item.decision
    if not detail or item.decided_at is None:
        return ""
    when = _.date(item.decided_at.astimezone(visit.config.zone))
    if "reason" in detail:
        what = _("declined: {reason}", reason=detail["reason"])
    elif detail.get("field") == "enrollment":
        what = _(
            "completed {course} on {date}",
            course=detail["course"],
            date=_.date(date.fromisoformat(detail["completed_on"])),
        )
    else:
        assert item.kind is not None
        field, scale = evidence.LEVELS[item.kind]
        what = f"{requirement_name(_, field)}: {level_name(_, scale(detail['value']))}"
    return f"{when}, {item.decided_by}: {what}"


async def file(visit: Visit) -> web.StreamResponse:
    item = await attempt(
        visit, evidence.open_file(visit.db, _actor(visit), number(visit, "evidence"))
    )
    if isinstance(item, str):
        raise web.HTTPGone(text=item)
    assert item.content is not None
    disposition = "inline" if item.mime_type.startswith("image/") else "attachment"
    extension = {"image/jpeg": ".jpg", "image/png": ".png"}.get(item.mime_type, ".pdf")
    return web.Response(
        body=item.content,
        content_type=item.mime_type,
        headers={
            "Content-Disposition": f'{disposition}; filename="evidence-{item.id}{extension}"',
            "Content-Security-Policy": "sandbox; default-src 'none'",
        },
    )


async def confirm(visit: Visit) -> web.StreamResponse:
    _ = visit._
    fields = await form(visit)
    typed = fields.get("completed_on", "").strip()
    completed_on = parse_day(typed) if typed else None
    if typed and completed_on is None:
        return await show(visit, _("Write the date as dd/mm/yyyy, for example 31/12/2025."), 400)
    course = fields.get("course", "")
    finding = evidence.Finding(
        level=fields.get("level", ""),
        major=fields.get("major", ""),
        course_id=int(course)
        if course.isascii() and course.isdigit() and len(course) < 18
        else None,
        completed_on=completed_on,
    )
    item_id = number(visit, "evidence")
    done = await attempt(
        visit, evidence.confirm(visit.db, _actor(visit), item_id, finding, visit.now, visit.today)
    )
    if isinstance(done, str):
        return await show(visit, done, 409)
    raise web.HTTPSeeOther(f"/console/evidence/{item_id}?done=confirmed")


async def decline(visit: Visit) -> web.StreamResponse:
    reason = (await form(visit)).get("reason", "")
    item_id = number(visit, "evidence")
    done = await attempt(
        visit, evidence.decline(visit.db, _actor(visit), item_id, reason, visit.now)
    )
    if isinstance(done, str):
        return await show(visit, done, 409)
    raise web.HTTPSeeOther("/console/evidence?done=declined")


async def detail(visit: Visit) -> web.StreamResponse:
    return await show(visit)


ROUTES = (
    ConsoleRoute("GET", "/evidence", page(queue)),
    ConsoleRoute("GET", "/evidence/{evidence}", page(detail)),
    ConsoleRoute("GET", "/evidence/{evidence}/file", page(file)),
    ConsoleRoute("POST", "/evidence/{evidence}/confirm", page(confirm)),
    ConsoleRoute("POST", "/evidence/{evidence}/decline", page(decline)),
)
