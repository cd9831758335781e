"""The dashboard of one unit of the scope: the qualification figures ("78/109 (71,6%)" per
scale and per sub-unit, storage/reports/qualifications.py) on a day and, if asked, against an
earlier one, with bar charts; the gaps falling due in the next 90 days; who cannot be reached.
A sub-unit opens its own dashboard; its count opens its officials (pages/officials.py), and an
official their status card."""

from __future__ import annotations

from datetime import date
from typing import Any

from aiohttp import web
from sqlalchemy import select

from bot.console.app import ConsoleRoute
from bot.console.render import NavEntry, render
from bot.console.tables import XLSX, Link, Table, requested
from bot.console.visit import Visit, page
from handlers.coordinator.figures import level_label, reach_name, scale_name, share
from handlers.coordinator.sheets import qualification_workbook
from handlers.coordinator.when import parse_day
from handlers.labels import requirement_name
from locales import N_, Translator
from storage.access import top_units
from storage.audit import record
from storage.models import Official, Unit
from storage.reach import reach_of
from storage.reports.due import HORIZON, gaps_due
from storage.reports.qualifications import Figures, QualificationReport, qualification_report

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
    report = await qualification_report(visit.db, unit, visit.config.standards, on, compare)
    children = dict(
        (await visit.db.execute(select(Unit.code, Unit.id).where(Unit.parent_id == unit.id))).all()
    )
    if visit.request.query.get("export") == "report":  # the workbook /baocao sends
        return _workbook(visit, report)
    tables = [
        _scales_table(_, report),
        _levels_table(_, report),
        _parts_table(_, report, children),
        await _due_table(visit, unit),
        await _unreachable_table(visit, unit),
    ]
    export = requested(visit, tables)
    if export is not None:
        return export
    record(
        visit.db,
        visit.actor,
        "report.qualifications",
        unit.code,
        on=on.isoformat(),
        compare=compare.isoformat() if compare else None,
        format="console",
    )
    earlier = report.earlier
    return render(
        visit,
        "dashboard.html",
        **await around(visit, unit),
        report=report,
        overall=share(_, report.whole.meeting_all, report.whole.total),
        overall_before=(
            share(_, earlier.whole.meeting_all, earlier.whole.total) if earlier else ""
        ),
        scale_bars=_bars(_, report),
        part_bars=[_bar(_, part.name, part.meeting_all, part.total) for part in report.parts],
        tables=tables,
        report_url=str(visit.request.rel_url.update_query(export="report")),
        on=_.date(on),
        compare=_.date(compare) if compare else "",
        problem=problem,
    )


async def around(visit: Visit, unit: Unit) -> dict[str, Any]:
    """What a page of one unit shows around it: the unit, the one above to go back up to, and
    the scope's top units to choose from."""
    return {
        "unit": unit,
        "parent": await _parent_in_scope(visit, unit),
        "tops": await top_units(visit.db, visit.scope),
    }


async def _parent_in_scope(visit: Visit, unit: Unit) -> Unit | None:
    """The unit above, to go back up to, when the scope covers it."""
    if unit.parent_id is None:
        return None
    parent = await visit.db.get(Unit, unit.parent_id)
    return parent if parent is not None and visit.scope.covers(parent.path) else None


def _bar(_: Translator, name: str, part: int, whole: int) -> dict[str, object]:
    return {"name": name, "ratio": part / whole if whole else 0.0, "label": _.percent(part, whole)}


def _bars(_: Translator, report: QualificationReport) -> list[dict[str, object]]:
    return [
        _bar(_, scale_name(_, scale.key), scale.meeting, scale.required)
        for scale in report.whole.scales
        if scale.required
    ]


def _scales_table(_: Translator, report: QualificationReport) -> Table:
    earlier = report.earlier
    columns = [_("Scale"), _("Meeting the standard")]
    if earlier is not None:
        columns.append(_.date(earlier.on))
    rows = []
    for scale in report.whole.scales:
        if not scale.required:
            continue
        row: list[str | None] = [
            scale_name(_, scale.key),
            share(_, scale.meeting, scale.required),
        ]
        if earlier is not None:
            old = earlier.whole.scale(scale.key)
            row.append(share(_, old.meeting, old.required) if old.required else None)
        rows.append(row)
    return Table("scales", _("By scale"), columns, rows, frozenset({1, 2}))


def _levels_table(_: Translator, report: QualificationReport) -> Table:
    """Each scale's levels, as boards print them: "Đại học: 78/109 (71,6%)"."""
    earlier = report.earlier
    columns = [_("Scale"), _("Level"), _("Officials")]
    if earlier is not None:
        columns.append(_.date(earlier.on))
    rows = []
    for scale in report.whole.scales:
        before = dict(earlier.whole.scale(scale.key).levels) if earlier is not None else {}
        for level, count in scale.levels:
            if not count and not before.get(level):
                continue
            row = [scale_name(_, scale.key), level_label(_, level), share(_, count, scale.total)]
            if earlier is not None:
                row.append(share(_, before.get(level, 0), earlier.whole.total))
            rows.append(row)
    return Table("levels", _("Levels, by scale"), columns, rows, frozenset({2, 3}))


def _workbook(visit: Visit, report: QualificationReport) -> web.Response:
    record(
        visit.db,
        visit.actor,
        "report.qualifications",
        report.code,
        on=report.on.isoformat(),
        compare=report.earlier.on.isoformat() if report.earlier else None,
        format="xlsx",
    )
    name = f"bao-cao-{report.code}-{report.on:%Y%m%d}.xlsx"
    return web.Response(
        body=qualification_workbook(visit._, report),
        content_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _parts_table(_: Translator, report: QualificationReport, children: dict[str, int]) -> Table:
    earlier = report.earlier
    before: dict[str, Figures] = {p.code: p for p in earlier.parts} if earlier else {}
    columns = [_("Unit"), _("Officials"), _("Meeting every standard")]
    if earlier is not None:
        columns.append(_.date(earlier.on))
    rows = []
    for part in report.parts:
        unit_id = children.get(part.code)
        name: str | Link = part.name
        count: int | Link = part.total
        if unit_id is not None:
            name = Link(part.name, f"/console?unit={unit_id}")
            count = Link(str(part.total), f"/console/officials?unit={unit_id}")
        row: list[str | int | Link | None] = [
            name,
            count,
            share(_, part.meeting_all, part.total),
        ]
        if earlier is not None:
            old = before.get(part.code)
            row.append(share(_, old.meeting_all, old.total) if old else None)
        rows.append(row)
    return Table(
        "units",
        _("By unit"),
        columns,
        rows,
        frozenset({1, 2, 3}),
        _("No unit under this one holds officials."),
    )


async def _due_table(visit: Visit, unit: Unit) -> Table:
    _ = visit._
    profile = visit.config.standards(visit.today)
    gaps = await gaps_due(visit.db, visit.scope, unit, profile, visit.today)
    return Table(
        "due",
        _("Gaps falling due in the next {n} days", n=HORIZON.days),
        [_("Deadline"), _("Official"), _("Unit"), _("Standard")],
        [
            [
                _.date(gap.deadline),
                Link(gap.name, f"/console/officials/{gap.official_id}"),
                gap.unit,
                requirement_name(_, gap.key),
            ]
            for gap in gaps
        ],
        empty=_("No gap falls due in the next {n} days.", n=HORIZON.days),
    )


async def _unreachable_table(visit: Visit, unit: Unit) -> Table:
    """Officials under ``unit`` whom no channel reaches (storage/reach.py): not linked, or
    blocked everywhere; those reached only in the web chat are reached."""
    _ = visit._
    rows = (
        await visit.db.execute(
            select(Official.id, Official.code, Official.full_name, Unit.name)
            .join(Unit, Official.unit_id == Unit.id)
            .where(Unit.path.startswith(unit.path), visit.scope.clause(Unit.path))
            .order_by(Unit.name, Official.full_name, Official.code)
        )
    ).all()
    reach = await reach_of(visit.db, [row[0] for row in rows])
    return Table(
        "unreachable",
        _("Who cannot be reached"),
        [_("Official"), _("Code"), _("Unit"), _("Why")],
        [
            [Link(name, f"/console/officials/{oid}"), code, unit_name, reach_name(_, reach[oid])]
            for oid, code, name, unit_name in rows
            if not reach[oid].reached
        ],
        empty=_("Everyone here can be reached in a chat."),
    )


ROUTES = (ConsoleRoute("GET", "", page(show)),)
