"""`canbo backup FILE`: copy the SQLite database, consistent even while the service writes
(storage/backups.py). PostgreSQL is backed up with pg_dump (README, "Backups")."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.settings import Settings
from locales import translator
from storage import backups


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "backup",
        help="copy the SQLite database to FILE, consistent even while the service runs",
        description="Copy the SQLite database (CANBO_DATABASE_URL) to FILE with SQLite's "
        "online backup API. Safe while `canbo run` is writing. For PostgreSQL use pg_dump "
        "(README, Backups).",
    )
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.set_defaults(run=_backup)


def _backup(args: argparse.Namespace, settings: Settings) -> int:
    _ = translator(settings.locale)
    try:
        database = backups.database_file(settings.database_url, must_exist=True)
        revision = backups.backup(database, args.file)
    except backups.Refusal as refusal:
        print(_(refusal.message, **refusal.params), file=sys.stderr)
        return 1
    print(
        _(
            "Backup written to {file} (schema revision {revision}).",
            file=args.file,
            revision=revision,
        )
    )
    return 0
