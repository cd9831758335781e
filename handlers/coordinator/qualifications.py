"""/baocao [UNIT] [DATE] [EARLIER DATE] (/report): the qualification report of a unit in the
coordinator's scope (its code, leading zeros optional, or its name): the figures as text, the
bar chart as a picture, and a button for the Excel file. Dates are dd/mm/yyyy: the report's day
(today by default) and one to compare it with. Without a unit, the top of the scope, or a
choice when the scope has several tops.

Buttons carry the unit's id and both days (storage.callback_data.QualificationStep); the unit
is checked against the scope again when one is pressed.
"""

from __future__ import annotations

import asyncio
from datetime import date

from handlers.context import Context
from handlers.coordinator.access import actor
from handlers.coordinator.chart import qualification_chart
from handlers.coordinator.qualification_text import qualification_text
from handlers.coordinator.sheets import qualification_workbook
from handlers.coordinator.when import parse_day
from handlers.messages import Attachment, Button, Reply
from storage.access import Refused, Scope, in_scope, top_units, unit_in_scope
from storage.audit import record
from storage.callback_data import QualificationStep
from storage.models import Unit
from storage.reports.qualifications import QualificationReport, qualification_report

PNG = "image/png"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def on_command(context: Context, scope: Scope) -> list[Reply]:
    _ = context._
    days: list[date] = []
    words: list[str] = []
    for arg in context.incoming.args:
        day = parse_day(arg)
        if day is not None:
            days.append(day)
        else:
            words.append(arg)
    codes = [" ".join(words)] if words else []  # a unit's code, or its name ("Xã Tam Giang")
    if len(days) > 2:
        return [Reply(_("Write it like /baocao UNIT 31/12/2025 31/12/2024 (all optional)."))]
    on = days[0] if days else context.today
    compare = days[1] if len(days) == 2 else None
    problem = _check_days(context, on, compare)
    if problem is not None:
        return [problem]
    if codes:
        try:
            unit = await unit_in_scope(context.session, scope, codes[0], actor(context))
        except Refused as refusal:
            return [Reply(_(refusal.message, **refusal.params))]
        return [await _show(context, unit, on, compare)]
    tops = await top_units(context.session, scope)
    if len(tops) == 1:
        return [await _show(context, tops[0], on, compare)]
    buttons = tuple(
        (Button(unit.name, QualificationStep(unit.id, "show", on, compare)),) for unit in tops
    )
    return [Reply(_("Which unit?"), buttons=buttons)]


async def on_button(context: Context, scope: Scope, pressed: QualificationStep) -> list[Reply]:
    _ = context._
    found = await context.session.get(Unit, pressed.unit)
    unit = in_scope(context.session, scope, found, actor(context))
    if unit is None:
        return [Reply(_("That choice is no longer available."))]
    on, compare = pressed.on, pressed.compare
    problem = _check_days(context, on, compare)
    if problem is not None:
        return [problem]
    if pressed.action == "xlsx":
        return [await _workbook(context, unit, on, compare)]
    return [await _show(context, unit, on, compare)]


async def _show(context: Context, unit: Unit, on: date, compare: date | None) -> Reply:
    _ = context._
    report = await _report(context, unit, on, compare, "txt+png")
    chart = await asyncio.to_thread(qualification_chart, _, report)
    return Reply(
        qualification_text(_, report),
        picture=Attachment(f"bao-cao-{unit.code}-{on:%Y%m%d}.png", chart, PNG),
        buttons=((Button(_("Download Excel"), QualificationStep(unit.id, "xlsx", on, compare)),),),
    )


async def _workbook(context: Context, unit: Unit, on: date, compare: date | None) -> Reply:
    _ = context._
    report = await _report(context, unit, on, compare, "xlsx")
    return Reply(
        _("Qualifications of officials: {unit}, on {date}", unit=unit.name, date=_.date(on)),
        document=Attachment(
            f"bao-cao-{unit.code}-{on:%Y%m%d}.xlsx", qualification_workbook(_, report), XLSX
        ),
    )


async def _report(
    context: Context, unit: Unit, on: date, compare: date | None, kind: str
) -> QualificationReport:
    record(
        context.session,
        actor(context),
        "report.qualifications",
        unit.code,
        on=on.isoformat(),
        compare=compare.isoformat() if compare else None,
        format=kind,
    )
    return await qualification_report(
        context.session, unit, context.config.standards.on, on, compare
    )


def _check_days(context: Context, on: date, compare: date | None) -> Reply | None:
    _ = context._
    if on > context.today:
        return Reply(_("The report date cannot be in the future."))
    if compare is not None and compare >= on:
        return Reply(_("The date to compare with must be before the report date."))
    return None
