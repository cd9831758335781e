"""`canbo restore FILE`: put a backup of the SQLite database back (storage/backups.py), once
the service is stopped."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from bot.settings import Settings
from locales import N_, translator
from scheduler.lock import file_lock_holders
from storage import backups, migrate


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "restore",
        help="replace the SQLite database with the backup in FILE (stop the service first)",
        description="Check FILE and copy it over the SQLite database (CANBO_DATABASE_URL). "
        "Refuses while the service holds the database.",
    )
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.set_defaults(run=_restore)


def _restore(args: argparse.Namespace, settings: Settings) -> int:
    _ = translator(settings.locale)
    try:
        database = backups.database_file(settings.database_url, must_exist=False)
        holders = asyncio.run(file_lock_holders(database))
        if holders:
            raise backups.Refusal(
                N_(
                    "The service is using {database} (worker {worker} is sending): stop it "
                    "first, then restore."
                ),
                database=database,
                worker=holders[0],
            )
        revision = backups.restore(args.file, database)
    except backups.Refusal as refusal:
        print(_(refusal.message, **refusal.params), file=sys.stderr)
        return 1
    print(_("Restored {database} from {file}.", database=database, file=args.file))
    if revision not in migrate.heads():
        print(_("The backup is from an older version: run `canbo db upgrade` before starting."))
    return 0
