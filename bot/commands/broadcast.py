"""`canbo broadcast create|list|cancel|report`: announcements from the command line, doing what
the /thongbao dialogue does, as a coordinator (``--as CODE``, within their scope) or an
operator (``--admin``).

Filters repeat and combine as in the chat: ``--unit`` (with everything under it), ``--title``
and ``--planned`` (title kinds such as committee_chair), ``--gap`` (llct_intermediate,
llct_advanced, university, upper_secondary, state_management or standard), ``--course`` and
``--programme`` (codes). ``--dry-run`` prints the message and the counts and queues nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands.acting import Acting, add_identity, identity
from bot.conversation import conversation_config
from bot.settings import Settings
from handlers.coordinator.delivery import delivery_text, listing_line
from handlers.coordinator.figures import headcount_text
from handlers.coordinator.sheets import delivery_workbook
from handlers.coordinator.when import parse_moment
from locales import Translator, translator
from rules.profiles import load_profile
from rules.titles import TitleKind
from storage import broadcasts
from storage.access import Refused
from storage.audience import GAP_KEYS, Audience, check
from storage.audit import record
from storage.db import create_engine, session_factory
from storage.reports.delivery import delivery_report
from storage.types import utcnow


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser("broadcast", help="announcements to chosen officials")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    create = actions.add_parser(
        "create",
        help="queue an announcement (see --help for filters)",
        description="Queue an announcement for the officials the filters name, within the "
        "actor's scope. Filters of different kinds narrow each other; repeating one widens it.",
    )
    add_identity(create)
    titles = [kind.value for kind in TitleKind]
    for flag, extra, text in (
        ("--unit", {"metavar": "UNIT"}, "a unit code, with everything under it"),
        ("--title", {"choices": titles}, "holding this title now"),
        ("--planned", {"choices": titles}, "planned for this title"),
        ("--gap", {"choices": GAP_KEYS}, "without this qualification (standard: of their title)"),
        ("--course", {"metavar": "CODE"}, "registered for or studying this course"),
        ("--programme", {"metavar": "CODE"}, "in this programme's cohort"),
    ):
        create.add_argument(flag, action="append", default=[], help=text, **extra)
    text = create.add_mutually_exclusive_group(required=True)
    text.add_argument("--text", help="the announcement")
    text.add_argument("--text-file", type=Path, metavar="FILE", help="the announcement, UTF-8")
    create.add_argument("--ack", action="store_true", help='add the "Received" button')
    create.add_argument("--at", metavar='"DD/MM/YYYY HH:MM"', help="send then (default: now)")
    create.add_argument("--dry-run", action="store_true", help="show it and the counts only")
    create.set_defaults(run=_run(_create))

    listing = actions.add_parser("list", help="recent announcements")
    add_identity(listing)
    listing.set_defaults(run=_run(_list))

    cancel = actions.add_parser("cancel", help="cancel an announcement that has not started")
    add_identity(cancel)
    cancel.add_argument("id", type=int, metavar="ID")
    cancel.set_defaults(run=_run(_cancel))

    report = actions.add_parser("report", help="what became of an announcement")
    add_identity(report)
    report.add_argument("id", type=int, metavar="ID")
    report.add_argument("--xlsx", type=Path, metavar="FILE", help="also write it to FILE")
    report.set_defaults(run=_run(_report))


Action = Callable[[AsyncSession, argparse.Namespace, Settings, Acting, Translator], Awaitable[int]]


def _run(action: Action) -> Callable[[argparse.Namespace, Settings], int]:
    def run(args: argparse.Namespace, settings: Settings) -> int:
        return asyncio.run(_with_session(action, args, settings))

    return run


async def _with_session(action: Action, args: argparse.Namespace, settings: Settings) -> int:
    _ = translator(settings.locale)
    engine = create_engine(settings.database_url)
    try:
        async with session_factory(engine)() as session:
            acting = await identity(session, args, _)
            if isinstance(acting, str):
                print(acting, file=sys.stderr)
                return 1
            try:
                return await action(session, args, settings, acting, _)
            except Refused as refused:
                print(_(refused.message, **refused.params), file=sys.stderr)
                return 1
    finally:
        await engine.dispose()


async def _create(
    session: AsyncSession,
    args: argparse.Namespace,
    settings: Settings,
    acting: Acting,
    _: Translator,
) -> int:
    now = utcnow()
    today = now.astimezone(settings.zone).date()
    config = conversation_config(settings)
    profile = load_profile(config.profile_name, config.profile_override)
    draft = broadcasts.new_draft(session, acting.actor, acting.official, acting.scope)
    await session.flush()  # the message names the draft's id
    audience = Audience(
        units=tuple(args.unit),
        titles=tuple(args.title),
        planned=tuple(args.planned),
        gaps=tuple(args.gap),
        courses=tuple(args.course),
        programmes=tuple(args.programme),
    )
    await check(session, audience, acting.scope)
    draft.audience = audience.to_json()
    text = args.text if args.text is not None else args.text_file.read_text(encoding="utf-8")
    broadcasts.set_text(draft, text)
    draft.ack = args.ack
    if args.at:
        moment = parse_moment(args.at, settings.zone, today)
        if moment is None:
            print(_("I could not read that time. Write it like 25/11/2026 08:00."), file=sys.stderr)
            return 1
        broadcasts.set_time(draft, moment, now)
    shown, buttons = broadcasts.render(broadcasts.payload(draft), settings.locale)
    message = "\n".join([shown, *(f"[{label}]" for row in buttons for label, _data in row)])
    if args.dry_run:
        count = await broadcasts.headcount(session, draft, profile, today)
        await session.rollback()
        print(message)
        print()
        print(headcount_text(_, count))
        return 0
    count = await broadcasts.queue(session, draft, profile, now, today)
    await session.commit()
    print(message)
    print()
    print(
        _.plural(
            "Announcement #{id} is queued for {n} official.",
            "Announcement #{id} is queued for {n} officials.",
            count.total,
            id=draft.id,
        )
    )
    print(headcount_text(_, count))
    return 0


async def _list(
    session: AsyncSession,
    args: argparse.Namespace,
    settings: Settings,
    acting: Acting,
    _: Translator,
) -> int:
    found = await broadcasts.listing(session, acting.scope)
    now = utcnow()
    for broadcast in found:
        await broadcasts.refresh(session, broadcast, now)
        print(listing_line(_, broadcast, settings.zone))
    await session.commit()
    if not found:
        print(_("No announcements yet."))
    return 0


async def _cancel(
    session: AsyncSession,
    args: argparse.Namespace,
    settings: Settings,
    acting: Acting,
    _: Translator,
) -> int:
    broadcast = await broadcasts.find(session, args.id, acting.scope)
    if broadcast is None:
        print(_("There is no announcement #{id} in your scope.", id=args.id), file=sys.stderr)
        return 1
    rows = await broadcasts.cancel(session, broadcast, acting.actor, utcnow())
    await session.commit()
    print(
        _.plural(
            "Announcement #{id} is cancelled; {n} queued message will not be sent.",
            "Announcement #{id} is cancelled; {n} queued messages will not be sent.",
            rows,
            id=broadcast.id,
        )
    )
    return 0


async def _report(
    session: AsyncSession,
    args: argparse.Namespace,
    settings: Settings,
    acting: Acting,
    _: Translator,
) -> int:
    broadcast = await broadcasts.find(session, args.id, acting.scope)
    if broadcast is None:
        print(_("There is no announcement #{id} in your scope.", id=args.id), file=sys.stderr)
        return 1
    await broadcasts.refresh(session, broadcast, utcnow())
    report = await delivery_report(session, broadcast)
    detail = {"format": "xlsx"} if args.xlsx else {}
    record(session, acting.actor, "report.delivery", f"broadcast:{broadcast.id}", **detail)
    await session.commit()
    print(await delivery_text(_, session, report, settings.zone))
    if args.xlsx:
        args.xlsx.write_bytes(delivery_workbook(_, report, settings.zone))
        print(_("Written to {path}.", path=args.xlsx))
    return 0
