"""Reach of one unit of the scope: how many officials each channel reaches (Telegram, Zalo, the
web chat on their next visit, ZNS by phone), who is reached by none and why, and this month's
paid ZNS messages; per unit right under it too, each opening its own page. The figures are
`canbo report reach`'s (storage/reports/reach.py), and so is the audit entry."""

from __future__ import annotations

from aiohttp import web

from bot.console.app import ConsoleRoute
from bot.console.pages.dashboard import around, chosen_unit
from bot.console.render import NavEntry, render
from bot.console.tables import Cell, Link, Table, requested
from bot.console.visit import Visit, page
from handlers.coordinator.figures import share
from handlers.coordinator.reach_text import paid_text, why_text
from locales import N_, Translator
from storage import reach
from storage.audit import record
from storage.models import Channel
from storage.reports.reach import ReachFigures, ReachReport, reach_report

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
        _unit_channels_table(_, report),
        _unreached_table(_, report),
    ]
    export = requested(visit, tables)
    if export is not None:
        return export
    record(visit.db, visit.actor, "report.reach", unit.code, format="console")
    return render(
        visit,
        "reach.html",
        **await around(visit, unit),
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
    """Each unit right under this one: its name opens its own reach page, its figure its
    officials. Narrow enough for a phone; the channels of each are the next table."""
    columns = [_("Unit"), _("Reached")]
    if paid:
        columns.append(_("Paid ZNS"))  # this month's, as the headline says
    rows = []
    for part in report.parts:
        row: list[Cell] = [
            _unit_cell(report, part),
            Link(
                share(_, part.reached, part.officials),
                f"/console/officials?unit={part.unit_id}",
            ),
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


def _unit_channels_table(_: Translator, report: ReachReport) -> Table:
    """How many officials each channel reaches in each unit right under this one: one row a
    unit and channel, so that it fits a phone and filters in Excel."""
    return Table(
        "unit_channels",
        _("By unit and channel"),
        [_("Unit"), _("Channel"), _("Officials reached")],
        [
            [_unit_cell(report, part), _name(_, channel), share(_, count, part.officials)]
            for part in report.parts
            for channel, count in part.channels
        ],
        frozenset({2}),
        _("No unit under this one holds officials."),
    )


def _unit_cell(report: ReachReport, part: ReachFigures) -> Cell:
    """A unit below by its name, opening its own reach page; the unit itself (its own
    officials, not those of a unit below) by its name alone."""
    if part.unit_id == report.unit_id:
        return part.name
    return Link(part.name, f"/console/reach?unit={part.unit_id}")


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
