"""`canbo units load [--province CODE]` and `canbo units import FILE`: the unit catalogue."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from pathlib import Path
from typing import Any

from vietnam_provinces import ProvinceCode

from bot.settings import Settings
from locales import translator
from storage.audit import record
from storage.catalogue.historic import import_unit_file
from storage.catalogue.national import load_catalogue, parse_province, province_code
from storage.catalogue.tree import Changes
from storage.db import create_engine, session_factory
from storage.importers.report import ImportReport


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser("units", help="administrative and internal units")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
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
    historic.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    historic.add_argument(
        "--lang", choices=("vi", "en"), help="language of the report (default: CANBO_LOCALE)"
    )
    historic.set_defaults(run=_import)


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
    engine = create_engine(settings.database_url)
    try:
        async with session_factory(engine)() as session:
            changes = await load_catalogue(session, province)
            record(
                session,
                _actor(),
                "units.load",
                target=province_code(province) if province is not None else "",
                added=changes.added,
                updated=changes.updated,
            )
            await session.commit()
            return changes
    finally:
        await engine.dispose()


def _import(args: argparse.Namespace, settings: Settings) -> int:
    report = asyncio.run(_import_async(args, settings))
    print(report.render())
    return 1 if report.rejected else 0


async def _import_async(args: argparse.Namespace, settings: Settings) -> ImportReport:
    report = ImportReport("units", args.file.name, args.dry_run, args.lang or settings.locale)
    engine = create_engine(settings.database_url)
    try:
        async with session_factory(engine)() as session:
            await import_unit_file(session, args.file, report)
            if report.rejected or args.dry_run:
                await session.rollback()
                return report
            record(
                session,
                _actor(),
                "import.units",
                target=args.file.name,
                created=report.created,
                updated=report.updated,
                unchanged=report.unchanged,
                ignored_columns=report.ignored_columns,
            )
            await session.commit()
            return report
    finally:
        await engine.dispose()


def _actor() -> str:
    return f"cli:{getpass.getuser()}"
