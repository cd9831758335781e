"""`canbo registrations list|confirm|decline|complete`: the organisation board's answer to the
course registrations officials make in the chat, as a coordinator (``--as CODE``, within their
scope) or an operator (``--admin``); each decision is audited and told to the official."""

from __future__ import annotations

import argparse
from typing import Any

from bot.commands.acting import Call, add_identity, day, scoped
from bot.commands.running import add_actions
from locales import Translator
from storage import registrations
from storage.access import Actor
from storage.models import Enrollment
from storage.types import utcnow


def register(sub: argparse._SubParsersAction[Any]) -> None:
    actions = add_actions(sub, "registrations", "course registrations made in the chat")
    listing = actions.add_parser("list", help="registrations waiting for a decision")
    add_identity(listing)
    listing.set_defaults(run=scoped(_list))
    confirm = actions.add_parser("confirm", help="confirm a place; the official is told")
    add_identity(confirm)
    confirm.add_argument("id", type=int, metavar="ID")
    confirm.set_defaults(run=scoped(_confirm))
    decline = actions.add_parser("decline", help="decline a registration, saying why")
    add_identity(decline)
    decline.add_argument("id", type=int, metavar="ID")
    decline.add_argument("--reason", required=True, help="told to the official")
    decline.set_defaults(run=scoped(_decline))
    complete = actions.add_parser("complete", help="mark an enrollment completed")
    add_identity(complete)
    complete.add_argument("id", type=int, metavar="ID")
    complete.add_argument("--on", type=day, required=True, metavar="DD/MM/YYYY")
    complete.set_defaults(run=scoped(_complete))


def _actor(call: Call) -> Actor:
    return Actor(call.acting.actor, call.acting.scope)


def line(_: Translator, enrollment: Enrollment) -> str:
    """A registration as the list shows it."""
    official, course = enrollment.official, enrollment.course
    return _(
        "#{id} {name} ({code}, {unit}): {course} ({course_code}), starts {starts_on}",
        id=enrollment.id,
        name=official.full_name,
        code=official.code,
        unit=official.unit.name,
        course=course.name,
        course_code=course.code,
        starts_on=_.date(course.starts_on),
    )


async def _list(call: Call, _: Translator) -> int:
    found = await registrations.pending(call.session, call.acting.scope)
    for enrollment in found:
        print(line(_, enrollment))
    if not found:
        print(_("No registration is waiting for a decision."))
    return 0


async def _confirm(call: Call, _: Translator) -> int:
    enrollment = await registrations.confirm(call.session, _actor(call), call.args.id, utcnow())
    await call.session.commit()
    print(
        _("Confirmed; the official will be told: {registration}", registration=line(_, enrollment))
    )
    return 0


async def _decline(call: Call, _: Translator) -> int:
    enrollment = await registrations.decline(
        call.session, _actor(call), call.args.id, call.args.reason, utcnow()
    )
    await call.session.commit()
    print(
        _("Declined; the official will be told: {registration}", registration=line(_, enrollment))
    )
    return 0


async def _complete(call: Call, _: Translator) -> int:
    today = utcnow().astimezone(call.settings.zone).date()
    enrollment = await registrations.complete(
        call.session, _actor(call), call.args.id, call.args.on, today
    )
    await call.session.commit()
    print(
        _(
            "Marked completed on {date}: {registration}",
            date=_.date(call.args.on),
            registration=line(_, enrollment),
        )
    )
    return 0
