"""What the coordinator commands share: who acts (``--as CODE`` for a coordinator, within
their scope, or ``--admin`` for everything), how they are named in the audit log, and dates
typed as dd/mm/yyyy."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands.database import open_session
from bot.commands.officials import official_or_complain
from bot.commands.running import Command, cli_actor, synchronous
from bot.settings import Settings
from handlers.coordinator.when import parse_day
from locales import Translator, translator
from storage.access import OutOfScope, Refused, Scope, refuse, scope_of
from storage.models import Official


@dataclass(frozen=True)
class Acting:
    actor: str  # as the audit log names them
    scope: Scope
    official: Official | None  # None for --admin


def add_identity(parser: argparse.ArgumentParser) -> None:
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument(
        "--as", dest="official", metavar="CODE", help="act as this coordinator, within their scope"
    )
    who.add_argument("--admin", action="store_true", help="act on everything, as an operator")


async def identity(session: AsyncSession, args: argparse.Namespace, _: Translator) -> Acting | None:
    """Who acts, or None once they have been told why they may not."""
    if args.admin:
        return Acting(cli_actor(), Scope.all(), None)
    official = await official_or_complain(session, args.official, _)
    if official is None:
        return None
    scope = await scope_of(session, official.id)
    actor = f"{cli_actor()} as {official.code}"
    if scope is None:
        refuse(session, actor, f"canbo {args.command}", "no coordinator role")
        await session.commit()
        print(
            _(
                "{code} holds no coordinator or admin role; grant one with `canbo roles grant`.",
                code=official.code,
            ),
            file=sys.stderr,
        )
        return None
    return Acting(actor, scope, official)


def day(text: str) -> date:
    """An argparse type: a day written dd/mm/yyyy or yyyy-mm-dd."""
    parsed = parse_day(text)
    if parsed is None:
        raise argparse.ArgumentTypeError(f"expected a date like 31/12/2025: {text!r}")
    return parsed


@dataclass(frozen=True)
class Call:
    """What every coordinator action works with, once the actor is known."""

    session: AsyncSession
    args: argparse.Namespace
    settings: Settings
    acting: Acting


Action = Callable[[Call, Translator], Awaitable[int]]


def scoped(action: Action) -> Command:
    """The command running ``action`` as the actor ``--as``/``--admin`` names. A refusal is
    printed and rolls everything back; one on scope is then audited."""

    async def run(args: argparse.Namespace, settings: Settings) -> int:
        _ = translator(settings.locale)
        async with open_session(settings) as session:
            acting = await identity(session, args, _)
            if acting is None:
                return 1
            try:
                return await action(Call(session, args, settings, acting), _)
            except Refused as refused:
                await session.rollback()
                if isinstance(refused, OutOfScope):
                    refuse(session, acting.actor, refused.target, "out of scope")
                    await session.commit()
                print(_(refused.message, **refused.params), file=sys.stderr)
                return 1

    return synchronous(run)
