"""`canbo roles grant|revoke|list`: who coordinates which units, and who administers all.

A coordinator acts on their unit and everything under it; an admin on everything. Every
change is written to the audit log."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bot.commands.database import open_session
from bot.commands.officials import official_or_complain
from bot.commands.running import add_actions, cli_actor, synchronous
from bot.commands.unit_choice import unit_or_complain
from bot.settings import Settings
from locales import translator
from storage import access
from storage.models import RoleKind


def register(sub: argparse._SubParsersAction[Any]) -> None:
    actions = add_actions(sub, "roles", "coordinator and admin roles")
    for name, text in (
        ("grant", "give an official a role"),
        ("revoke", "take a role away (on --unit, or on every unit)"),
    ):
        change = actions.add_parser(name, help=text)
        change.add_argument("--official", required=True, metavar="CODE")
        change.add_argument("--role", required=True, choices=[kind.value for kind in RoleKind])
        change.add_argument(
            "--unit", metavar="UNIT", help="unit code: a coordinator's scope, with all below it"
        )
        change.set_defaults(run=_change)
    listing = actions.add_parser("list", help="every role")
    listing.set_defaults(run=_list)


@synchronous
async def _change(args: argparse.Namespace, settings: Settings) -> int:
    _ = translator(settings.locale)
    kind = RoleKind(args.role)
    if args.action == "grant" and kind is RoleKind.COORDINATOR and not args.unit:
        print(_("A coordinator needs --unit: the unit they coordinate."), file=sys.stderr)
        return 1
    if kind is RoleKind.ADMIN and args.unit:
        print(_("An admin acts on everything; leave out --unit."), file=sys.stderr)
        return 1
    async with open_session(settings) as session:
        official = await official_or_complain(session, args.official, _)
        if official is None:
            return 1
        unit = None
        if args.unit:
            unit = await unit_or_complain(session, args.unit, _)
            if unit is None:
                return 1
        if args.action == "grant":
            changed = await access.grant(session, cli_actor(), official, kind, unit)
            who = {"name": official.full_name, "code": official.code}
            if not changed:
                message = _("{name} ({code}) already holds that role.", **who)
            elif unit is not None:
                message = _(
                    "{name} ({code}) now coordinates {unit} and everything under it.",
                    unit=unit.name,
                    **who,
                )
            else:
                message = _("{name} ({code}) is now an admin.", **who)
        else:
            removed = await access.revoke(session, cli_actor(), official, kind, unit)
            message = _.plural(
                "{n} role taken from {name} ({code}).",
                "{n} roles taken from {name} ({code}).",
                removed,
                name=official.full_name,
                code=official.code,
            )
        await session.commit()
    print(message)
    return 0


@synchronous
async def _list(args: argparse.Namespace, settings: Settings) -> int:
    _ = translator(settings.locale)
    async with open_session(settings) as session:
        roles = await access.roles(session)
    if not roles:
        print(_("No roles yet."))
    for role in roles:
        where = f"{role.unit.code} {role.unit.name}" if role.unit is not None else _("everything")
        print(f"{role.official.code}\t{role.official.full_name}\t{role.kind.value}\t{where}")
    return 0
