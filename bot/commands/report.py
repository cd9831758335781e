"""`canbo report qualifications --unit U --format txt|xlsx|png [--on DATE] [--compare DATE]
[--output FILE]`: the qualification report /baocao sends, as text, an Excel file or a chart.
`canbo report reach --unit U`: how many officials each channel reaches, who none reaches, and
this month's paid ZNS messages (storage/reports/reach.py).

Run by an operator, it may report on any unit; with ``--as CODE`` only within that
coordinator's scope. Text goes to the terminal unless ``--output`` names a file; the Excel file
and the chart are written to ``--output`` or to bao-cao-<unit>-<yyyymmdd>.<format>.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands.acting import day, identity
from bot.commands.database import open_session
from bot.commands.running import add_actions, cli_actor, synchronous
from bot.conversation import conversation_config
from bot.settings import Settings
from handlers.coordinator.chart import qualification_chart
from handlers.coordinator.qualification_text import qualification_text
from handlers.coordinator.reach_text import reach_text
from handlers.coordinator.sheets import qualification_workbook
from locales import LANGUAGES, Translator, translator
from storage.access import Refused, Scope, unit_in_scope
from storage.audit import record
from storage.models import Unit
from storage.reports.qualifications import qualification_report
from storage.reports.reach import reach_report
from storage.types import utcnow

FORMATS = ("txt", "xlsx", "png")


def register(sub: argparse._SubParsersAction[Any]) -> None:
    kinds = add_actions(sub, "report", "reports for coordinators", dest="kind", metavar="REPORT")
    qualifications = kinds.add_parser(
        "qualifications",
        help="qualification statistics of a unit's officials, per scale and sub-unit",
    )
    qualifications.add_argument("--unit", required=True, metavar="UNIT", help="unit code")
    qualifications.add_argument("--format", choices=FORMATS, default="txt")
    qualifications.add_argument("--on", type=day, help="the report's day (default: today)")
    qualifications.add_argument("--compare", type=day, help="an earlier day to compare with")
    qualifications.add_argument("--output", type=Path, metavar="FILE")
    qualifications.add_argument("--as", dest="official", metavar="CODE", help="within a scope")
    qualifications.add_argument("--lang", choices=LANGUAGES, help="default: CANBO_LOCALE")
    qualifications.set_defaults(run=_qualifications, admin=False)
    reach = kinds.add_parser(
        "reach", help="how many officials each channel reaches, and who is reached by none"
    )
    reach.add_argument("--unit", required=True, metavar="UNIT", help="unit code")
    reach.add_argument("--as", dest="official", metavar="CODE", help="within a scope")
    reach.add_argument("--lang", choices=LANGUAGES, help="default: CANBO_LOCALE")
    reach.set_defaults(run=_reach, admin=False)


@synchronous
async def _reach(args: argparse.Namespace, settings: Settings) -> int:
    _ = translator(args.lang or settings.locale)
    async with open_session(settings) as session:
        unit = await _unit(session, args, _)
        if unit is None:
            return 1
        report = await reach_report(session, unit[0], settings.messengers, utcnow(), settings.zone)
        record(session, unit[1], "report.reach", unit[0].code)
        await session.commit()
    print(reach_text(_, report))
    return 0


async def _unit(
    session: AsyncSession, args: argparse.Namespace, _: Translator
) -> tuple[Unit, str] | None:
    """The unit asked for and who asks, within ``--as``'s scope; a refusal is printed and
    audited."""
    scope, actor = Scope.all(), cli_actor()
    if args.official:
        acting = await identity(session, args, _)
        if acting is None:
            return None
        scope, actor = acting.scope, acting.actor
    try:
        return await unit_in_scope(session, scope, args.unit, actor), actor
    except Refused as refusal:
        await session.commit()  # a refusal on scope is audited
        print(_(refusal.message, **refusal.params), file=sys.stderr)
        return None


@synchronous
async def _qualifications(args: argparse.Namespace, settings: Settings) -> int:
    _ = translator(args.lang or settings.locale)
    on = args.on or datetime.now(settings.zone).date()
    if args.compare is not None and args.compare >= on:
        print(_("The date to compare with must be before the report date."), file=sys.stderr)
        return 1
    standards = conversation_config(settings).standards
    async with open_session(settings) as session:
        chosen = await _unit(session, args, _)
        if chosen is None:
            return 1
        unit, actor = chosen
        report = await qualification_report(session, unit, standards.on, on, args.compare)
        record(
            session,
            actor,
            "report.qualifications",
            unit.code,
            on=on.isoformat(),
            compare=args.compare.isoformat() if args.compare else None,
            format=args.format,
        )
        await session.commit()
    if args.format == "txt":
        text = qualification_text(_, report)
        if args.output is None:
            print(text)
            return 0
        args.output.write_text(text + "\n", encoding="utf-8")
    else:
        content = (
            qualification_workbook(_, report)
            if args.format == "xlsx"
            else qualification_chart(_, report)
        )
        args.output = args.output or Path(f"bao-cao-{unit.code}-{on:%Y%m%d}.{args.format}")
        args.output.write_bytes(content)
    print(_("Written to {path}.", path=args.output))
    return 0
