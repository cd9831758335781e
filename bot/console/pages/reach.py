"""Reach of one unit of the scope: how many officials each channel reaches (Telegram, Zalo, the
web chat on their next visit, ZNS by phone), who is reached by none and why, and this month's
paid ZNS messages; per unit right under it too, each opening its own page. The figures are
`canbo report reach`'s (storage/reports/reach.py), and so is the audit entry."""

from __future__ import annotations

from aiohttp import web

from bot.console.app import ConsoleRoute
from bot.console.pages.dashboard import chosen_unit, parent_in_scope
from bot.console.render import NavEntry, render
from bot.console.tables import Cell, Link, Table, requested
from bot.console.visit import Visit, page
from handlers.coordinator.figures import share
from handlers.coordinator.reach_text import paid_text, why_text
from locales import N_, Translator
from storage import reach
from storage.access import top_units
from storage.audit import record
from storage.models import Channel
from storage.reports.reach import ReachReport, reach_report

NAV = (NavEntry("/console/reach", N_("Reach")),)
SHOWN = 100  # officials reached by none listed on the page; the export holds them all


async def show(visit: Visit) -> web.StreamResponse:
    _ = visit._
    unit = await chosen_unit(visit)
    report = await reach_report(
        visit.db, unit, visit.config.messengers, visit.now, visit.config.zone
    )
    paid = paid_text(_, report)
    tables = [
        _channels_table(_, report),
        _units_table(_, report, bool(paid)),
        _unreached_table(_, report),
    ]
    export = requested(visit, tables)
    if export is not None:
        return export
    record(visit.db, visit.actor, "report.reach", unit.code, format="console")
    return render(
        visit,
        "reach.html",
        unit=unit,
        parent=await parent_in_scope(visit, unit),
        tops=await top_units(visit.db, visit.scope),
        report=report,
        reached=share(_, report.reached, report.officials),
        paid=paid,
        tables=tables,
        shown=SHOWN,
    )


def _name(_: Translator, channel: str) -> str:
    return _(reach.NAMES[Channel(channel)])


def _channels_table(_: Translator, report: ReachReport) -> Table:
    return Table(
        "channels",
        _("By channel"),
        [_("Channel"), _("Officials reached")],
        [
            [_name(_, channel), share(_, count, report.officials)]
            for channel, count in report.channels
        ],
        frozenset({1}),
    )


def _units_table(_: Translator, report: ReachReport, paid: bool) -> Table:
    """Each unit right under this one; its name opens its own reach page, its count its
    officials."""
    columns = [
        _("Unit"),
        _("Officials"),
        *(_name(_, channel) for channel, _count in report.channels),
        _("Reached by none"),
    ]
    if paid:
        columns.append(_("ZNS sent this month (paid)"))
    rows = []
    for part in report.parts:
        own = part.unit_id == report.unit_id  # officials of the unit itself, not of one below
        row: list[Cell] = [
            part.name if own else Link(part.name, f"/console/reach?unit={part.unit_id}"),
            Link(_.number(part.officials), f"/console/officials?unit={part.unit_id}"),
            *(_.number(count) for _channel, count in part.channels),
            _.number(part.officials - part.reached),
        ]
        if paid:
            row.append(_.number(part.zns_paid))
        rows.append(row)
    return Table(
        "units",
        _("By unit"),
        columns,
        rows,
        frozenset(range(1, len(columns))),
        _("No unit under this one holds officials."),
    )


def _unreached_table(_: Translator, report: ReachReport) -> Table:
    return Table(
        "unreached",
        _("Reached by no channel"),
        [_("Official"), _("Code"), _("Unit"), _("Why")],
        [
            [
                Link(person.official, f"/console/officials/{person.official_id}"),
                person.code,
                person.unit,
                why_text(_, person.why),
            ]
            for person in report.unreached
        ],
        empty=_("Every official here is reached by at least one channel."),
    )


ROUTES = (ConsoleRoute("GET", "/reach", page(show)),)
