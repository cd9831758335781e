"""`canbo db upgrade|downgrade`: apply or roll back the schema migrations."""

from __future__ import annotations

import argparse
from typing import Any

from bot.commands.running import add_actions
from bot.settings import Settings
from storage import migrate


def register(sub: argparse._SubParsersAction[Any]) -> None:
    actions = add_actions(sub, "db", "database migrations")
    up = actions.add_parser("upgrade", help="apply migrations up to REVISION (default: head)")
    up.add_argument("revision", nargs="?", default="head")
    up.set_defaults(run=_upgrade)
    down = actions.add_parser("downgrade", help="roll back to REVISION (base: empty schema)")
    down.add_argument("revision")
    down.set_defaults(run=_downgrade)


def _upgrade(args: argparse.Namespace, settings: Settings) -> int:
    migrate.upgrade(settings.database_url, args.revision)
    return 0


def _downgrade(args: argparse.Namespace, settings: Settings) -> int:
    migrate.downgrade(settings.database_url, args.revision)
    return 0
