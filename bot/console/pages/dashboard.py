"""The dashboard: the qualification figures of one unit of the scope ("78/109 (71,6%)" per
scale and per sub-unit, storage/reports/qualifications.py), on a day and, if asked, against an
earlier one, with bar charts."""

from __future__ import annotations

from datetime import date

from aiohttp import web

from bot.console.app import ConsoleRoute
from bot.console.render import NavEntry, render
from bot.console.visit import Visit, page
from handlers.coordinator.figures import scale_name, share
from handlers.coordinator.when import parse_day
from locales import N_, Translator
from storage.access import top_units
from storage.audit import record
from storage.models import Unit
from storage.reports.qualifications import Figures, qualification_report

NAV = (NavEntry("/console", N_("Dashboard")),)


async def chosen_unit(visit: Visit) -> Unit:
    """The unit named by ``?unit=ID`` (checked against the scope), else the first top unit."""
    given = visit.request.query.get("unit", "")
    if given.isdigit():
        return await visit.unit(int(given))
    tops = await top_units(visit.db, visit.scope)
    if not tops:
        raise web.HTTPNotFound(text="no units")
    return tops[0]


def day_from(visit: Visit, name: str) -> tuple[date | None, str | None]:
    """The dd/mm/yyyy date in the query parameter ``name`` and the problem with it, if any."""
    _ = visit._
    typed = visit.request.query.get(name, "").strip()
    if not typed:
        return None, None
    day = parse_day(typed)
    if day is None:
        return None, _("Write the date as dd/mm/yyyy, for example 31/12/2025.")
    if day > visit.today:
        return None, _("The report date cannot be in the future.")
    return day, None


async def show(visit: Visit) -> web.StreamResponse:
    _ = visit._
    unit = await chosen_unit(visit)
    on, problem = day_from(visit, "on")
    compare, compare_problem = day_from(visit, "compare")
    on = on or visit.today
    problem = problem or compare_problem
    if compare is not None and compare >= on:
        compare, problem = None, _("The date to compare with must be before the report date.")
    record(
        visit.db,
        visit.actor,
        "report.qualifications",
        unit.code,
        on=on.isoformat(),
        compare=compare.isoformat() if compare else None,
        format="console",
    )
    report = await qualification_report(visit.db, unit, visit.config.standards, on, compare)
    earlier = report.earlier
    before = {part.code: part for part in earlier.parts} if earlier is not None else {}
    scales = [
        {
            "name": scale_name(_, scale.key),
            "share": share(_, scale.meeting, scale.required),
            "ratio": scale.meeting / scale.required if scale.required else 0.0,
            "before": (
                share(_, old.meeting, old.required)
                if earlier is not None and (old := earlier.whole.scale(scale.key)).required
                else ""
            ),
        }
        for scale in report.whole.scales
        if scale.required
    ]
    parts = [_part(_, part, before.get(part.code)) for part in report.parts]
    tops = await top_units(visit.db, visit.scope)
    return render(
        visit,
        "dashboard.html",
        unit=unit,
        tops=tops,
        report=report,
        overall=share(_, report.whole.meeting_all, report.whole.total),
        overall_before=(
            share(_, earlier.whole.meeting_all, earlier.whole.total) if earlier else ""
        ),
        scales=scales,
        parts=parts,
        on=_.date(on),
        compare=_.date(compare) if compare else "",
        problem=problem,
    )


def _part(_: Translator, part: Figures, old: Figures | None) -> dict[str, object]:
    return {
        "code": part.code,
        "name": part.name,
        "share": share(_, part.meeting_all, part.total),
        "ratio": part.meeting_all / part.total if part.total else 0.0,
        "before": share(_, old.meeting_all, old.total) if old is not None else "",
    }


ROUTES = (ConsoleRoute("GET", "", page(show)),)
