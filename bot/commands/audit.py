"""`canbo audit [--action PREFIX] [--actor TEXT] [--since DATE] [--limit N]`: who did what and
when: imports, broadcasts, reports, role changes and chat links, newest first."""

from __future__ import annotations

import argparse
import json
from datetime import datetime, time
from typing import Any

from sqlalchemy import select

from bot.commands.acting import day
from bot.commands.database import open_session
from bot.commands.running import synchronous
from bot.settings import Settings
from locales import translator
from storage.models import AuditEntry

VALUE_WIDTH = 60  # a long detail (an announcement's text) is shortened to this


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser("audit", help="read the audit log, newest first")
    parser.add_argument("--action", help="actions starting with this, e.g. broadcast or role.grant")
    parser.add_argument("--actor", help="actors containing this, e.g. an official's code")
    parser.add_argument("--since", type=day, help="from this day on (dd/mm/yyyy)")
    parser.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    parser.set_defaults(run=_audit)


@synchronous
async def _audit(args: argparse.Namespace, settings: Settings) -> int:
    _ = translator(settings.locale)
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if args.action:
        query = query.where(AuditEntry.action.startswith(args.action, autoescape=True))
    if args.actor:
        query = query.where(AuditEntry.actor.contains(args.actor, autoescape=True))
    if args.since:
        query = query.where(AuditEntry.at >= datetime.combine(args.since, time(), settings.zone))
    async with open_session(settings) as session:
        entries = list(await session.scalars(query.limit(max(1, args.limit))))
    if not entries:
        print(_("Nothing in the audit log matches."))
    for entry in entries:
        when = _.datetime(entry.at.astimezone(settings.zone))
        print("  ".join(part for part in (when, entry.actor, entry.action, entry.target) if part))
        details = " ".join(f"{key}={_value(value)}" for key, value in entry.detail.items())
        if details:
            print(f"    {details}")
    return 0


def _value(value: object) -> str:
    shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    shown = " ".join(shown.split())
    return shown if len(shown) <= VALUE_WIDTH else shown[: VALUE_WIDTH - 1] + "…"
