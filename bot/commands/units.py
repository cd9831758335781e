"""`canbo units load [--province CODE]`, `canbo units import FILE` and `canbo units find TEXT`:
the unit catalogue."""

from __future__ import annotations

import argparse
import asyncio
import sys
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import select
from vietnam_provinces import ProvinceCode

from bot.commands.database import open_session
from bot.commands.import_options import add_import_options, print_report
from bot.commands.running import add_actions, cli_actor, synchronous
from bot.settings import Settings
from locales import N_, translator
from storage.audit import record
from storage.catalogue.codes import search_units
from storage.catalogue.historic import import_unit_file
from storage.catalogue.national import load_catalogue, parse_province, province_code
from storage.catalogue.tree import Changes
from storage.importers.audit import audited_import
from storage.importers.report import ImportReport
from storage.models import Unit, UnitKind


def register(sub: argparse._SubParsersAction[Any]) -> None:
    actions = add_actions(sub, "units", "administrative and internal units")
    load = actions.add_parser(
        "load",
        help="load the official catalogue: 34 provinces, 3,321 communes (idempotent)",
    )
    load.add_argument("--province", metavar="CODE", help="only this province, e.g. 1 or 01")
    load.set_defaults(run=_load)
    historic = actions.add_parser(
        "import",
        help="import historic or internal units (XLSX or CSV); a file with a bad row is rejected",
        description="Columns: Mã đơn vị, Tên đơn vị, Loại, Mã đơn vị cấp trên, Vùng khó khăn. "
        "Rows are upserted on their code; exits 1 when the file is rejected.",
    )
    historic.add_argument("file", type=Path, metavar="FILE")
    add_import_options(historic)
    historic.set_defaults(run=_import)
    find = actions.add_parser(
        "find",
        help="units whose name or code contains TEXT, with or without diacritics",
        description="Prints each unit's code, kind, name and parent unit, best match first. "
        "Any command that takes a unit takes that code (leading zeros optional) or the exact name.",
    )
    find.add_argument("text", metavar="TEXT", help="e.g. “hoan kiem”, “Tam Giang” or 7615")
    find.add_argument("--limit", type=int, default=30, help="at most this many (default 30)")
    find.set_defaults(run=_find)


def _load(args: argparse.Namespace, settings: Settings) -> int:
    _ = translator(settings.locale)
    try:
        province = parse_province(args.province) if args.province is not None else None
    except ValueError:
        print(_("No province has the code {code}.", code=args.province), file=sys.stderr)
        return 1
    changes = asyncio.run(_load_async(settings, province))
    print(
        _(
            "Unit catalogue loaded: {added} new, {updated} updated, {unchanged} unchanged.",
            added=_.number(changes.added),
            updated=_.number(changes.updated),
            unchanged=_.number(changes.unchanged),
        )
    )
    return 0


async def _load_async(settings: Settings, province: ProvinceCode | None) -> Changes:
    async with open_session(settings) as session:
        changes = await load_catalogue(session, province)
        record(
            session,
            cli_actor(),
            "units.load",
            target=province_code(province) if province is not None else "",
            added=changes.added,
            updated=changes.updated,
        )
        await session.commit()
    return changes


@synchronous
async def _import(args: argparse.Namespace, settings: Settings) -> int:
    report = ImportReport("units", args.file.name, args.dry_run, args.lang or settings.locale)
    async with open_session(settings) as session:
        work = partial(import_unit_file, session, args.file, report)
        await audited_import(session, cli_actor(), args.file, report, work)
    return print_report(report)


KIND_NAMES = {
    UnitKind.PROVINCE: N_("province"),
    UnitKind.CITY: N_("city"),
    UnitKind.DISTRICT: N_("district"),
    UnitKind.COMMUNE: N_("commune"),
    UnitKind.WARD: N_("ward"),
    UnitKind.TOWNSHIP: N_("township"),
    UnitKind.SPECIAL_ZONE: N_("special zone"),
    UnitKind.OTHER: N_("other"),
}


@synchronous
async def _find(args: argparse.Namespace, settings: Settings) -> int:
    _ = translator(settings.locale)
    async with open_session(settings) as session:
        units, total = await search_units(session, args.text, max(1, args.limit))
        parents = {
            unit.id: unit
            for unit in await session.scalars(
                select(Unit).where(Unit.id.in_({u.parent_id for u in units} - {None}))
            )
        }
    if not units:
        print(_("No unit's name or code contains “{text}”.", text=args.text), file=sys.stderr)
        return 1
    rows = [(_("Code"), _("Kind"), _("Name"), _("Parent unit"))]
    for unit in units:
        parent = parents.get(unit.parent_id) if unit.parent_id is not None else None
        above = f"{parent.code} {parent.name}" if parent is not None else "—"
        rows.append((unit.code, _(KIND_NAMES[unit.kind]), unit.name, above))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
            + "  "
            + row[3]
        )
    if total > len(units):
        print(_("… and {n} more; write more of the name.", n=_.number(total - len(units))))
    return 0
