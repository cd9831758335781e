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
import sys
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands.acting import Call, add_identity, scoped
from bot.commands.running import add_actions
from bot.conversation import conversation_config
from handlers.coordinator.delivery import delivery_text, listing_line
from handlers.coordinator.figures import headcount_text
from handlers.coordinator.sheets import delivery_workbook
from handlers.coordinator.when import parse_moment
from locales import Translator
from rules.titles import TitleKind
from storage import broadcasts
from storage.access import Scope, named_unit
from storage.audience import GAP_KEYS, Audience, check
from storage.audit import record
from storage.models import Broadcast
from storage.reports.delivery import delivery_report
from storage.types import utcnow


def register(sub: argparse._SubParsersAction[Any]) -> None:
    actions = add_actions(sub, "broadcast", "announcements to chosen officials")

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
    create.set_defaults(run=scoped(_create))

    listing = actions.add_parser("list", help="recent announcements")
    add_identity(listing)
    listing.set_defaults(run=scoped(_list))

    cancel = actions.add_parser("cancel", help="cancel an announcement that has not started")
    add_identity(cancel)
    cancel.add_argument("id", type=int, metavar="ID")
    cancel.set_defaults(run=scoped(_cancel))

    report = actions.add_parser("report", help="what became of an announcement")
    add_identity(report)
    report.add_argument("id", type=int, metavar="ID")
    report.add_argument("--xlsx", type=Path, metavar="FILE", help="also write it to FILE")
    report.set_defaults(run=scoped(_report))


async def _create(call: Call, _: Translator) -> int:
    session, args, settings, acting = call.session, call.args, call.settings, call.acting
    now = utcnow()
    today = now.astimezone(settings.zone).date()
    profile = conversation_config(settings).standards.on(today)
    draft = broadcasts.new_draft(session, acting.actor, acting.official, acting.scope)
    await session.flush()  # the message names the draft's id
    audience = Audience(
        units=tuple([await _unit_code(session, acting.scope, typed) for typed in args.unit]),
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
    else:
        count = await broadcasts.queue(session, draft, profile, now, today)
        await session.commit()
    print(message)
    print()
    if not args.dry_run:
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


async def _unit_code(session: AsyncSession, scope: Scope, typed: str) -> str:
    """The stored code of the unit typed as a code without its zeros or as its name (Refused
    when it names none, or several)."""
    return (await named_unit(session, scope, typed)).code


async def _list(call: Call, _: Translator) -> int:
    found = await broadcasts.listing(call.session, call.acting.scope)
    now = utcnow()
    for broadcast in found:
        await broadcasts.refresh(call.session, broadcast, now)
        print(listing_line(_, broadcast, call.settings.zone))
    record(call.session, call.acting.actor, "report.broadcasts", shown=len(found))
    await call.session.commit()
    if not found:
        print(_("No announcements yet."))
    return 0


async def _cancel(call: Call, _: Translator) -> int:
    broadcast = await _find(call, _)
    if broadcast is None:
        return 1
    rows = await broadcasts.cancel(call.session, broadcast, call.acting.actor, utcnow())
    await call.session.commit()
    print(
        _.plural(
            "Announcement #{id} is cancelled; {n} queued message will not be sent.",
            "Announcement #{id} is cancelled; {n} queued messages will not be sent.",
            rows,
            id=broadcast.id,
        )
    )
    return 0


async def _report(call: Call, _: Translator) -> int:
    broadcast = await _find(call, _)
    if broadcast is None:
        return 1
    session, xlsx, zone = call.session, call.args.xlsx, call.settings.zone
    await broadcasts.refresh(session, broadcast, utcnow())
    report = await delivery_report(session, broadcast)
    detail = {"format": "xlsx"} if xlsx else {}
    record(session, call.acting.actor, "report.delivery", f"broadcast:{broadcast.id}", **detail)
    await session.commit()
    print(await delivery_text(_, session, report, zone))
    if xlsx:
        xlsx.write_bytes(delivery_workbook(_, report, zone))
        print(_("Written to {path}.", path=xlsx))
    return 0


async def _find(call: Call, _: Translator) -> Broadcast | None:
    """The announcement ``ID`` names, or None once the actor has been told it is not theirs."""
    broadcast = await broadcasts.find(
        call.session, call.args.id, call.acting.scope, call.acting.actor
    )
    if broadcast is None:
        await call.session.commit()  # a refusal on scope is audited
        print(_("There is no announcement #{id} in your scope.", id=call.args.id), file=sys.stderr)
    return broadcast
