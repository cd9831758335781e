"""`canbo import officials|courses|enrollments|bonds FILE`: load a roster from XLSX or CSV."""

from __future__ import annotations

import argparse
import asyncio
import getpass
from pathlib import Path
from typing import Any

from bot.settings import Settings
from storage.db import create_engine, session_factory
from storage.importers import KINDS, ImportReport, import_file


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "import",
        help="import a roster (XLSX or CSV); a file with any bad row is rejected whole",
        description="Import officials, courses, enrollments or bonds (IMPORT_FORMAT.md). "
        "Rows are upserted on their code; exits 1 when the file is rejected.",
    )
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    parser.add_argument(
        "--lang", choices=("vi", "en"), help="language of the report (default: CANBO_LOCALE)"
    )
    parser.set_defaults(run=_import)


def _import(args: argparse.Namespace, settings: Settings) -> int:
    report = asyncio.run(_run(args, settings))
    print(report.render())
    return 1 if report.rejected else 0


async def _run(args: argparse.Namespace, settings: Settings) -> ImportReport:
    engine = create_engine(settings.database_url)
    try:
        return await import_file(
            session_factory(engine),
            args.kind,
            args.file,
            dry_run=args.dry_run,
            actor=f"cli:{getpass.getuser()}",
            lang=args.lang or settings.locale,
        )
    finally:
        await engine.dispose()
