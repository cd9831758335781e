"""`canbo audit [--action PREFIX] [--actor TEXT] [--since DATE] [--limit N] [--export FILE]`:
who did what and when (imports, broadcasts, reports and exports, refusals on scope, role
changes, chat links, purges), newest first; or all of it as a CSV file, itself audited."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from datetime import datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select

from bot.commands.acting import day
from bot.commands.database import open_session
from bot.commands.running import cli_actor, synchronous
from bot.settings import Settings
from locales import Translator, translator
from storage.audit import record
from storage.exports import Value, write_csv
from storage.models import AuditEntry

VALUE_WIDTH = 60  # a long detail (an announcement's text) is shortened to this
SHOWN = 50  # entries printed when --limit is not given
CHUNK = 1000  # entries read at a time for an export


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser("audit", help="read the audit log, newest first, or export it")
    parser.add_argument("--action", help="actions starting with this, e.g. broadcast or role.grant")
    parser.add_argument("--actor", help="actors containing this, e.g. an official's code")
    parser.add_argument("--since", type=day, help="from this day on (dd/mm/yyyy)")
    parser.add_argument(
        "--limit", type=int, help=f"at most this many (default {SHOWN}; all for --export)"
    )
    parser.add_argument(
        "--export", type=Path, metavar="FILE", help="write the entries to FILE as CSV (UTF-8)"
    )
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
    if args.export is not None:
        if args.limit is not None:
            query = query.limit(max(1, args.limit))
        return await _export(query, args.export, settings, _)
    async with open_session(settings) as session:
        limit = SHOWN if args.limit is None else max(1, args.limit)
        entries = list(await session.scalars(query.limit(limit)))
    if not entries:
        print(_("Nothing in the audit log matches."))
    for entry in entries:
        when = _.datetime(entry.at.astimezone(settings.zone))
        print("  ".join(part for part in (when, entry.actor, entry.action, entry.target) if part))
        details = " ".join(f"{key}={_value(value)}" for key, value in entry.detail.items())
        if details:
            print(f"    {details}")
    return 0


async def _export(query: Select[AuditEntry], path: Path, settings: Settings, _: Translator) -> int:
    """Every matching entry, one CSV row each, the time in ISO 8601 with its offset; the export
    itself is then audited."""
    header: list[Value] = [_("Time"), _("Actor"), _("Action"), _("Target"), _("Details")]
    try:
        file = path.open("w", encoding="utf-8-sig", newline="")
    except OSError as error:
        print(_("Cannot write {path}: {reason}", path=path, reason=error.strerror), file=sys.stderr)
        return 1
    count = 0
    async with open_session(settings) as session:
        with file:
            write_csv(file, [header])
            result = await session.stream_scalars(query.execution_options(yield_per=CHUNK))
            async for entries in result.partitions(CHUNK):
                count += write_csv(file, _rows(entries, settings.zone))
        record(session, cli_actor(), "audit.export", path.name, rows=count)
        await session.commit()
    written = _.number(count)
    print(
        _.plural(
            "{count} entry written to {path}.",
            "{count} entries written to {path}.",
            count,
            count=written,
            path=path,
        )
    )
    return 0


def _rows(entries: Sequence[AuditEntry], zone: ZoneInfo) -> Iterator[list[Value]]:
    for entry in entries:
        detail = json.dumps(entry.detail, ensure_ascii=False, sort_keys=True)
        at = entry.at.astimezone(zone).isoformat(timespec="seconds")
        yield [at, entry.actor, entry.action, entry.target, detail]


def _value(value: object) -> str:
    shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    shown = " ".join(shown.split())
    return shown if len(shown) <= VALUE_WIDTH else shown[: VALUE_WIDTH - 1] + "…"
