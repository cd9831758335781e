"""`canbo import officials|courses|enrollments|bonds FILE`: load a roster from a spreadsheet
(.xlsx, .xls, .ods) or a text file (.csv, .txt)."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.commands.database import open_engine
from bot.commands.import_options import add_import_options, print_report
from bot.commands.running import cli_actor, synchronous
from bot.settings import Settings
from storage.db import session_factory
from storage.importers import KINDS, import_file


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "import",
        help="import a roster (XLSX, XLS, ODS, CSV); a file with any bad row is rejected whole",
        description="Import officials, courses, enrollments or bonds (IMPORT_FORMAT.md). "
        "Rows are upserted on their code; exits 1 when the file is rejected.",
    )
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("file", type=Path, metavar="FILE")
    add_import_options(parser)
    parser.set_defaults(run=_import)


@synchronous
async def _import(args: argparse.Namespace, settings: Settings) -> int:
    async with open_engine(settings) as engine:
        report = await import_file(
            session_factory(engine),
            args.kind,
            args.file,
            dry_run=args.dry_run,
            actor=cli_actor(),
            lang=args.lang or settings.locale,
            today=datetime.now(settings.zone).date(),
        )
    return print_report(report)
