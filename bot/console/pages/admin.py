"""For admins: coordinator roles (grant, revoke), the audit log with filters, and the open
console sessions (revoke one). Everything here is audited, as the same changes are from the
CLI (storage/access.py). Coordinators get 404 for every page here (visit.page(admin=True))."""

from __future__ import annotations

from datetime import datetime, time

from aiohttp import web
from sqlalchemy import select

from bot.console.app import ConsoleRoute
from bot.console.render import NavEntry, render
from bot.console.tables import Table, requested
from bot.console.visit import Visit, not_found, page
from handlers.coordinator.when import parse_day
from handlers.records import official_by_code
from locales import N_
from storage import access, console
from storage.catalogue.codes import unit_named
from storage.models import AuditEntry, ConsoleSession, Role, RoleKind, Unit

NAV = (
    NavEntry("/console/admin/roles", N_("Roles"), admin=True),
    NavEntry("/console/admin/audit", N_("Audit log"), admin=True),
    NavEntry("/console/admin/sessions", N_("Sessions"), admin=True),
)
AUDIT_ROWS = 1000  # newest entries matching the filters


async def roles(visit: Visit, problem: str | None = None, done: str | None = None) -> web.Response:
    _ = visit._
    held = await access.roles(visit.db)
    return render(
        visit,
        "roles.html",
        status=400 if problem else 200,
        roles=held,
        kinds=[kind.value for kind in RoleKind],
        problem=problem,
        done=done,
        role_names={"coordinator": _("Coordinator"), "admin": _("Admin")},
    )


async def show_roles(visit: Visit) -> web.StreamResponse:
    return await roles(visit)


async def grant(visit: Visit) -> web.StreamResponse:
    """Grant a role: a coordinator of a unit (and everything under it), or an admin."""
    _ = visit._
    form = await visit.request.post()
    official = await official_by_code(visit.db, str(form.get("official", "")).strip())
    if official is None:
        return await roles(
            visit, problem=_("No official has the code {code}.", code=form.get("official", ""))
        )
    kind_value = str(form.get("kind", ""))
    if kind_value not in {kind.value for kind in RoleKind}:
        return await roles(visit, problem=_("Choose a role."))
    kind = RoleKind(kind_value)
    typed_unit = str(form.get("unit", "")).strip()
    unit = None
    if kind is RoleKind.COORDINATOR:
        match = await unit_named(visit.db, typed_unit) if typed_unit else None
        unit = match.unit if match is not None else None
        if unit is None:
            return await roles(
                visit, problem=_("A coordinator needs a unit: write the code of one unit.")
            )
    elif typed_unit:
        return await roles(visit, problem=_("An admin acts on everything; leave the unit empty."))
    granted = await access.grant(visit.db, visit.actor, official, kind, unit)
    who = {"name": official.full_name, "code": official.code}
    if not granted:
        done = _("{name} ({code}) already holds that role.", **who)
    elif unit is not None:
        done = _(
            "{name} ({code}) now coordinates {unit} and everything under it.", unit=unit.name, **who
        )
    else:
        done = _("{name} ({code}) is now an admin.", **who)
    return await roles(visit, done=done)


async def revoke(visit: Visit) -> web.StreamResponse:
    _ = visit._
    role_id = visit.request.match_info["role"]
    role = await visit.db.get(Role, int(role_id)) if role_id.isdigit() else None
    if role is None:
        raise not_found()
    await visit.db.refresh(role, ["official", "unit"])
    await access.revoke(visit.db, visit.actor, role.official, role.kind, role.unit)
    return await roles(
        visit,
        done=_.plural(
            "{n} role taken from {name} ({code}).",
            "{n} roles taken from {name} ({code}).",
            1,
            name=role.official.full_name,
            code=role.official.code,
        ),
    )


async def audit(visit: Visit) -> web.StreamResponse:
    """The audit log, newest first, filtered by who, what, on what and when."""
    _ = visit._
    query = visit.request.query
    chosen = {key: query.get(key, "").strip()[:100] for key in ("actor", "action", "target")}
    problems = []
    statement = select(AuditEntry)
    if chosen["actor"]:
        statement = statement.where(AuditEntry.actor.icontains(chosen["actor"], autoescape=True))
    if chosen["action"]:
        statement = statement.where(AuditEntry.action.startswith(chosen["action"], autoescape=True))
    if chosen["target"]:
        statement = statement.where(AuditEntry.target.icontains(chosen["target"], autoescape=True))
    zone = visit.config.zone
    for key, bound in (("since", time.min), ("until", time.max)):
        typed = query.get(key, "").strip()
        chosen[key] = typed
        if not typed:
            continue
        day = parse_day(typed)
        if day is None:
            problems.append(_("Write the date as dd/mm/yyyy, for example 31/12/2025."))
            continue
        moment = datetime.combine(day, bound, zone)
        statement = statement.where(
            AuditEntry.at >= moment if key == "since" else AuditEntry.at <= moment
        )
    entries = list(
        await visit.db.scalars(
            statement.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(AUDIT_ROWS)
        )
    )
    table = Table(
        "audit",
        _("Audit log"),
        [_("When"), _("Who"), _("Action"), _("On what"), _("Details")],
        [
            [
                _.datetime(entry.at.astimezone(zone)),
                entry.actor,
                entry.action,
                entry.target,
                ", ".join(f"{k}: {v}" for k, v in sorted(entry.detail.items())),
            ]
            for entry in entries
        ],
        empty=_("No entry matches."),
    )
    export = requested(visit, [table])
    if export is not None:
        return export
    actions = sorted(set(await visit.db.scalars(select(AuditEntry.action).distinct())))
    return render(
        visit, "audit.html", table_=table, chosen=chosen, actions=actions, problems=problems
    )


async def sessions(visit: Visit) -> web.StreamResponse:
    _ = visit._
    rows = await console.open_sessions(visit.db, visit.now)
    paths = {path for row in rows for path in row.scope}
    names = dict(
        (await visit.db.execute(select(Unit.path, Unit.name).where(Unit.path.in_(paths)))).all()
    )
    zone = visit.config.zone
    return render(
        visit,
        "sessions.html",
        rows=[
            {
                "id": row.id,
                "official": f"{row.official.full_name} ({row.official.code})",
                "role": row.role,
                "scope": ", ".join(names.get(path, path) for path in row.scope) or _("everything"),
                "since": _.datetime(row.created_at.astimezone(zone)),
                "seen": _.datetime(row.seen_at.astimezone(zone)),
                "address": row.address,
                "mine": row.id == visit.session.id,
            }
            for row in rows
        ],
    )


async def end_session(visit: Visit) -> web.StreamResponse:
    session_id = visit.request.match_info["session"]
    row = await visit.db.get(ConsoleSession, int(session_id)) if session_id.isdigit() else None
    if row is None or row.ended_at is not None:
        raise not_found()
    await visit.db.refresh(row, ["official"])
    console.end(visit.db, row, visit.actor, visit.now)
    raise web.HTTPSeeOther("/console/admin/sessions")


ROUTES = (
    ConsoleRoute("GET", "/admin/roles", page(show_roles, admin=True)),
    ConsoleRoute("POST", "/admin/roles", page(grant, admin=True)),
    ConsoleRoute("POST", "/admin/roles/{role}/revoke", page(revoke, admin=True)),
    ConsoleRoute("GET", "/admin/audit", page(audit, admin=True)),
    ConsoleRoute("GET", "/admin/sessions", page(sessions, admin=True)),
    ConsoleRoute("POST", "/admin/sessions/{session}/revoke", page(end_session, admin=True)),
)
