"""Announcements: composed with the audience filters of /thongbao (storage.audience) and a live
count, previewed as a phone shows it, sent now or at a time, cancelled before they start; the
delivery report updates itself while it is open (sent, failed, blocked, not linked,
acknowledged) and exports to Excel. Everything goes through storage.broadcasts, as the chat
and the CLI do, so the queue, the scope checks and the audit log are the same."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from aiohttp import web
from multidict import MultiMapping

from bot.console.acts import attempt, number
from bot.console.app import ConsoleRoute
from bot.console.render import NavEntry, render
from bot.console.visit import Visit, not_found, page
from handlers.coordinator.delivery import STATUS_NAMES
from handlers.coordinator.figures import local_time
from handlers.coordinator.filters import FILTER_NAMES, GAP_NAMES, describe, title_label
from handlers.coordinator.outcomes import OUTCOMES
from handlers.coordinator.sheets import delivery_workbook
from handlers.coordinator.when import parse_moment
from locales import N_
from rules.titles import TitleKind
from storage import broadcasts
from storage.audience import (
    GAP_KEYS,
    Audience,
    Headcount,
    check,
    course_choices,
    programme_choices,
    resolve,
    unit_choices,
)
from storage.audit import record
from storage.models import Broadcast, Unit
from storage.reports.delivery import DeliveryReport, Outcome, delivery_report

NAV = (NavEntry("/console/announcements", N_("Announcements")),)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNITS_OFFERED = 60
SHOWN = 200  # recipients listed on the page; the file has them all
FILTERS = tuple(FILTER_NAMES)  # the Audience fields, in the order the form shows them


@dataclass(frozen=True)
class Composed:
    """What the compose form holds."""

    audience: Audience
    text: str
    ack: bool
    when: str  # "" for now, else "dd/mm/yyyy hh:mm"

    @classmethod
    def read(cls, posted: MultiMapping[Any]) -> Composed:
        values = {
            kind: tuple(dict.fromkeys(str(v)[:64] for v in posted.getall(kind, [])))
            for kind in FILTERS
        }
        return cls(
            audience=Audience(**values),
            text=str(posted.get("text", ""))[: broadcasts.TEXT_LIMIT * 2],
            ack=posted.get("ack") == "1",
            when=str(posted.get("when", "")).strip()[:40],
        )


async def listing(visit: Visit) -> web.StreamResponse:
    _ = visit._
    found = await broadcasts.listing(visit.db, visit.scope)
    zone = visit.config.zone
    rows = []
    for broadcast in found:
        await broadcasts.refresh(visit.db, broadcast, visit.now)
        moment = broadcast.scheduled_at or broadcast.queued_at or broadcast.created_at
        rows.append(
            {
                "id": broadcast.id,
                "when": local_time(_, moment, zone),
                "status": _(STATUS_NAMES[broadcast.status]),
                "recipients": broadcast.recipients,
                "text": broadcast.text[:80] + ("…" if len(broadcast.text) > 80 else ""),
            }
        )
    record(visit.db, visit.actor, "report.broadcasts", shown=len(rows), format="console")
    return render(visit, "announcements.html", rows=rows)


async def _choices(visit: Visit) -> dict[str, list[dict[str, str]]]:
    _ = visit._
    db, scope = visit.db, visit.scope
    titles = [{"value": kind.value, "name": title_label(_, kind.value)} for kind in TitleKind]
    return {
        "units": [
            {"value": c.code, "name": c.name} for c in await unit_choices(db, scope, UNITS_OFFERED)
        ],
        "titles": titles,
        "planned": titles,
        "gaps": [{"value": key, "name": _(GAP_NAMES[key])} for key in GAP_KEYS],
        "courses": [
            {"value": c.code, "name": f"{c.name} ({c.code})"}
            for c in await course_choices(db, scope)
        ],
        "programmes": [
            {"value": c.code, "name": f"{c.name} ({c.code})"}
            for c in await programme_choices(db, scope)
        ],
    }


async def compose(
    visit: Visit, composed: Composed | None = None, problem: str = "", status: int = 200
) -> web.StreamResponse:
    _ = visit._
    composed = composed or Composed(Audience(), "", False, "")
    names = {kind: _(label) for kind, label in FILTER_NAMES.items()}
    return render(
        visit,
        "announcement_new.html",
        status=status,
        choices=await _choices(visit),
        names=names,
        chosen={kind: set(getattr(composed.audience, kind)) for kind in FILTERS},
        composed=composed,
        problem=problem,
        limit=broadcasts.TEXT_LIMIT,
        **await _draft_view(visit, composed),
    )


async def _draft_view(visit: Visit, composed: Composed) -> dict[str, Any]:
    """The live count and the phone preview of what the form holds."""
    _ = visit._
    count_problem = await attempt(visit, check(visit.db, composed.audience, visit.scope))
    count: Headcount | None = None
    if not isinstance(count_problem, str):
        profile = visit.config.standards(visit.today)
        members = await resolve(visit.db, composed.audience, visit.scope, profile, visit.today)
        count = Headcount.of(members)
    unit = await visit.db.get(Unit, visit.official.unit_id)
    signature = f"{visit.official.full_name}, {unit.name}" if unit is not None else ""
    shown, buttons = broadcasts.render(
        {
            "broadcast": 1,  # a placeholder: the preview shows the buttons' labels, not data
            "text": composed.text.strip(),
            "signature": signature,
            "ack": composed.ack,
        },
        visit.session.language,
    )
    return {
        "count": count,
        "officials": _.plural("{n} official", "{n} officials", count.total) if count else "",
        "count_problem": count_problem if isinstance(count_problem, str) else "",
        "preview": shown,
        "preview_buttons": [label for row in buttons for label, _data in row],
    }


async def _composed(visit: Visit, given: MultiMapping[Any]) -> Composed:
    """The form as posted (or the query of a link), with ``unit`` (a unit's id, as every
    console page takes it: the dashboard links "announce to this unit" so) added to the units;
    a unit outside the scope is a 404."""
    composed = Composed.read(given)
    unit_id = str(given.get("unit", ""))
    if not unit_id:
        return composed
    if not unit_id.isascii() or not unit_id.isdigit() or len(unit_id) > 18:
        raise not_found()
    code = (await visit.unit(int(unit_id))).code
    if code in composed.audience.units:
        return composed
    audience = replace(composed.audience, units=(*composed.audience.units, code))
    return replace(composed, audience=audience)


async def draft(visit: Visit) -> web.StreamResponse:
    """The count and preview fragment, for htmx as the form changes."""
    composed = await _composed(visit, await visit.request.post())
    return render(visit, "announcement_draft.html", **await _draft_view(visit, composed))


async def send(visit: Visit) -> web.StreamResponse:
    _ = visit._
    composed = await _composed(visit, await visit.request.post())
    moment = None
    if composed.when:
        moment = parse_moment(composed.when, visit.config.zone, visit.today)
        if moment is None:
            problem = _("I could not read that time. Write it like 25/11/2026 08:00.")
            return await compose(visit, composed, problem, 400)
    queued = await attempt(visit, _queue(visit, composed, moment))
    if isinstance(queued, str):
        return await compose(visit, composed, queued, 409)
    raise web.HTTPSeeOther(f"/console/announcements/{queued.id}")


async def _queue(visit: Visit, composed: Composed, moment: Any) -> Broadcast:
    await visit.db.refresh(visit.official, ["unit"])
    draft = broadcasts.new_draft(visit.db, visit.actor, visit.official, visit.scope)
    await visit.db.flush()
    await check(visit.db, composed.audience, visit.scope)
    draft.audience = composed.audience.to_json()
    broadcasts.set_text(draft, composed.text)
    draft.ack = composed.ack
    if moment is not None:
        broadcasts.set_time(draft, moment, visit.now)
    profile = visit.config.standards(visit.today)
    await broadcasts.queue(visit.db, draft, profile, visit.now, visit.today)
    return draft


async def _found(visit: Visit) -> Broadcast:
    broadcast = await broadcasts.find(
        visit.db, number(visit, "broadcast"), visit.scope, visit.actor
    )
    if broadcast is None:
        raise not_found()  # the guard commits: a refusal on scope stays audited
    await broadcasts.refresh(visit.db, broadcast, visit.now)
    return broadcast


async def report(visit: Visit) -> web.StreamResponse:
    _ = visit._
    broadcast = await _found(visit)
    record(visit.db, visit.actor, "report.delivery", f"broadcast:{broadcast.id}", format="console")
    audience = await describe(_, visit.db, Audience.from_json(broadcast.audience))
    shown, buttons = broadcasts.render(broadcasts.payload(broadcast), visit.session.language)
    return render(
        visit,
        "announcement.html",
        broadcast=broadcast,
        audience=audience,
        preview=shown,
        preview_buttons=[label for row in buttons for label, _data in row],
        when=local_time(
            _, broadcast.scheduled_at or broadcast.queued_at or visit.now, visit.config.zone
        ),
        problem=(
            _("This announcement has already started; it can no longer be cancelled.")
            if visit.request.query.get("problem") == "started"
            else ""
        ),
        **await _live(visit, broadcast),
    )


async def live(visit: Visit) -> web.StreamResponse:
    """The report's figures and recipients, polled by the open page."""
    broadcast = await _found(visit)
    return render(
        visit, "announcement_live.html", broadcast=broadcast, **await _live(visit, broadcast)
    )


async def _live(visit: Visit, broadcast: Broadcast) -> dict[str, Any]:
    _ = visit._
    found: DeliveryReport = await delivery_report(visit.db, broadcast)
    counts = [
        {"key": outcome.value, "name": _(name), "n": found.count(outcome)}
        for outcome, name in OUTCOMES.items()
    ]
    if broadcast.ack:
        counts.append({"key": "acknowledged", "name": _("Received"), "n": found.acknowledged})
    zone = visit.config.zone
    people = [
        {
            "name": r.name,
            "code": r.code,
            "unit": r.unit,
            "outcome": _(OUTCOMES[r.outcome]),
            "sent": local_time(_, r.sent_at, zone) if r.sent_at else "",
            "acknowledged": local_time(_, r.acknowledged_at, zone) if r.acknowledged_at else "",
        }
        for r in found.recipients[:SHOWN]
    ]
    return {
        "state": _(STATUS_NAMES[broadcast.status]),
        "counts": counts,
        "people": people,
        "more": (
            _.plural(
                "… and {n} more: the Excel file lists everyone.",
                "… and {n} more: the Excel file lists everyone.",
                len(found.recipients) - SHOWN,
            )
            if len(found.recipients) > SHOWN
            else ""
        ),
        "total": _.plural("{n} recipient", "{n} recipients", len(found.recipients)),
        "cancellable": await broadcasts.cancellable(visit.db, broadcast),
        "finished": found.count(Outcome.QUEUED) == 0,
    }


async def cancel(visit: Visit) -> web.StreamResponse:
    broadcast = await _found(visit)
    done = await attempt(visit, broadcasts.cancel(visit.db, broadcast, visit.actor, visit.now))
    if isinstance(done, str):
        raise web.HTTPSeeOther(f"/console/announcements/{broadcast.id}?problem=started")
    raise web.HTTPSeeOther(f"/console/announcements/{broadcast.id}")


async def export(visit: Visit) -> web.StreamResponse:
    _ = visit._
    broadcast = await _found(visit)
    found = await delivery_report(visit.db, broadcast)
    record(visit.db, visit.actor, "report.delivery", f"broadcast:{broadcast.id}", format="xlsx")
    return web.Response(
        body=delivery_workbook(_, found, visit.config.zone),
        content_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="thong-bao-{broadcast.id}.xlsx"'},
    )


async def new(visit: Visit) -> web.StreamResponse:
    return await compose(visit, await _composed(visit, visit.request.query))


ROUTES = (
    ConsoleRoute("GET", "/announcements", page(listing)),
    ConsoleRoute("GET", "/announcements/new", page(new)),
    ConsoleRoute("POST", "/announcements/draft", page(draft)),
    ConsoleRoute("POST", "/announcements", page(send)),
    ConsoleRoute("GET", "/announcements/{broadcast}", page(report)),
    ConsoleRoute("GET", "/announcements/{broadcast}/live", page(live)),
    ConsoleRoute("POST", "/announcements/{broadcast}/cancel", page(cancel)),
    ConsoleRoute("GET", "/announcements/{broadcast}/xlsx", page(export)),
)
