"""Who can be reached, and through what: the one home of "can this official get a message".

``WAYS`` holds one entry per channel: how a message the official did not ask for gets to them
(``Delivery``) and what it is addressed to (``Address``). Telegram and Zalo push: the messenger
shows it at once. The web chat cannot write first, so a message for a web-chat-only official
waits in their chat and is shown on their next visit (bot/channels/web_delivery.py); such an
official counts as reached on visit, in the digest, the audience headcount, the dispatcher's
choice of chat and the delivery report alike. The terminal carries only answers to what was
typed. A channel addressed by the roster's phone number (Zalo ZNS) is one more entry with
``Address.PHONE``: no chat to link, the official's phone is the address.

The weekly digest (scheduler.snapshot), audiences (storage.audience), the dispatcher
(scheduler.dispatcher) and the delivery report (storage.reports.delivery) all read reach here.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import QueryableAttribute

from locales import N_
from storage.facts import CHUNK
from storage.models import Channel, ChatAccount, Official, ZnsOutcome, ZnsSend
from storage.phones import zns_number
from storage.types import utcnow

# what ZNS answered that says this number will not get ZNS messages
PHONE_REFUSED = (ZnsOutcome.INVALID_PHONE.value, ZnsOutcome.INACTIVE_USER.value)


class Delivery(enum.Enum):
    PUSH = "push"  # shown at once: the bot writes first
    IMPORTANT = "important"  # shown at once, but paid: only the important kinds (ZNS)
    ON_VISIT = "on_visit"  # kept in the chat and shown on the official's next visit
    NONE = "none"  # carries only answers to what the official typed


class Address(enum.Enum):
    CHAT = "chat"  # a chat the official linked (a ChatAccount)
    PHONE = "phone"  # the phone number on the roster (Official.phone)


@dataclass(frozen=True)
class Way:
    """How one channel carries a message the official did not ask for."""

    channel: Channel
    delivery: Delivery
    address: Address = Address.CHAT


WAYS: dict[Channel, Way] = {
    way.channel: way
    for way in (
        Way(Channel.TELEGRAM, Delivery.PUSH),
        Way(Channel.ZALO, Delivery.PUSH),
        Way(Channel.WEB, Delivery.ON_VISIT),
        Way(Channel.TERMINAL, Delivery.NONE),
        # docs/ZALO.md; what "important" is: scheduler.fallback.important
        Way(Channel.ZNS, Delivery.IMPORTANT, Address.PHONE),
    )
}


# what coordinators read for each way that carries messages (the digest, `canbo report reach`)
NAMES: dict[Channel, str] = {
    Channel.TELEGRAM: N_("Telegram"),
    Channel.ZALO: N_("Zalo"),
    Channel.WEB: N_("web chat (seen on their next visit)"),
    Channel.ZNS: N_("ZNS by phone (important messages only)"),
}


@dataclass(frozen=True)
class Setup:
    """What the deployment's settings make of the registry: the ways addressed by phone that
    are set up (ZNS needs an OA), and how many days of failed sends close a chat."""

    by_phone: frozenset[Channel] = frozenset()
    failing_days: int = 3

    @classmethod
    def of(cls, zns: bool, failing_days: int) -> Setup:
        return cls(frozenset({Channel.ZNS}) if zns else frozenset(), failing_days)


_setup = Setup()


def configure(setup: Setup) -> None:
    """Called once the settings are read (bot.cli, bot.app): ZNS reaches nobody until set up."""
    global _setup
    _setup = setup


def current() -> Setup:
    return _setup


class Reach(enum.Enum):
    """An official's reach, best first."""

    REACHABLE = "reachable"  # a push channel that takes messages
    ON_VISIT = "on_visit"  # only a web chat: messages wait for their next visit
    IMPORTANT_ONLY = "important_only"  # only ZNS by phone: the important messages reach them
    BLOCKED = "blocked"  # every push chat refused the bot, and no web chat
    NOT_LINKED = "not_linked"  # no channel that carries messages at all

    @property
    def reached(self) -> bool:
        """Whether a message for them goes somewhere they will read it."""
        return self in (Reach.REACHABLE, Reach.ON_VISIT, Reach.IMPORTANT_ONLY)


def carries(channel: Channel) -> bool:
    """Whether ``channel`` carries messages the official did not ask for (reminders,
    announcements), at once or on their next visit."""
    return WAYS[channel].delivery is not Delivery.NONE


def carrying(address: Address) -> list[Channel]:
    return [
        way.channel
        for way in WAYS.values()
        if way.address is address and way.delivery is not Delivery.NONE
    ]


@dataclass(frozen=True)
class Route:
    """One way an official can be reached, and whether it still takes messages."""

    channel: Channel
    open: bool

    @property
    def delivery(self) -> Delivery:
        return WAYS[self.channel].delivery


def reach(routes: Iterable[Route]) -> Reach:
    """An official's reach from their routes."""
    found = list(routes)
    if any(r.open and r.delivery is Delivery.PUSH for r in found):
        return Reach.REACHABLE
    if any(r.open and r.delivery is Delivery.ON_VISIT for r in found):
        return Reach.ON_VISIT
    if any(r.open and r.delivery is Delivery.IMPORTANT for r in found):
        return Reach.IMPORTANT_ONLY
    if any(WAYS[r.channel].address is Address.CHAT for r in found):
        return Reach.BLOCKED
    return Reach.NOT_LINKED


Executes = AsyncSession | AsyncConnection


# Which officials' rows to read: a condition on a column holding an official id.
Officials = Callable[[QueryableAttribute[Any]], ColumnElement[bool]]


async def routes_where(db: Executes, officials: Officials) -> dict[int, list[Route]]:
    """Every route of the officials ``officials`` picks (a condition on a column holding an
    official id): their private chats on channels that carry messages (open unless refused,
    or failing ``failing_days``), and their phone where a way addressed by it is set up (open
    if ZNS takes the number and has not refused it)."""
    found: defaultdict[int, list[Route]] = defaultdict(list)
    chats = select(
        ChatAccount.official_id,
        ChatAccount.channel,
        ChatAccount.unreachable_since,
        ChatAccount.failing_since,
    ).where(
        officials(ChatAccount.official_id),
        ChatAccount.channel.in_(carrying(Address.CHAT)),
        ChatAccount.is_group.is_(False),
    )
    closing = _failing_before()
    for owner, channel, unreachable_since, failing_since in await db.execute(chats):
        if owner is not None:
            failing = failing_since is not None and failing_since <= closing
            found[owner].append(Route(channel, unreachable_since is None and not failing))
    by_phone = [channel for channel in carrying(Address.PHONE) if channel in _setup.by_phone]
    if by_phone:
        phones = select(Official.id, Official.phone).where(
            officials(Official.id), Official.phone.is_not(None)
        )
        numbers = {official_id: phone for official_id, phone in await db.execute(phones)}
        refused = await _phone_refused(db, officials)
        for official_id, phone in numbers.items():
            usable = zns_number(phone) is not None and official_id not in refused
            found[official_id] += [Route(channel, usable) for channel in by_phone]
    return found


async def _phone_refused(db: Executes, officials: Officials) -> set[int]:
    """Officials whose number ZNS refused at its last try (invalid, no Zalo, inactive)."""
    last = (
        select(ZnsSend.official_id, func.max(ZnsSend.id).label("last"))
        .where(officials(ZnsSend.official_id))
        .group_by(ZnsSend.official_id)
        .subquery()
    )
    rows = await db.execute(
        select(ZnsSend.official_id)
        .join(last, ZnsSend.id == last.c.last)
        .where(ZnsSend.outcome.in_(PHONE_REFUSED))
    )
    return {official_id for (official_id,) in rows if official_id is not None}


def _failing_before() -> datetime:
    """A chat failing since this moment or earlier counts as closed."""
    return utcnow() - timedelta(days=_setup.failing_days)


async def routes_of(db: Executes, ids: Sequence[int]) -> dict[int, list[Route]]:
    """Which channels can reach each of ``ids`` (an official without any is absent)."""
    found: dict[int, list[Route]] = {}
    for start in range(0, len(ids), CHUNK):
        found |= await routes_where(db, among(ids[start : start + CHUNK]))
    return found


def among(ids: Sequence[int]) -> Officials:
    """The officials whose id is one of ``ids``."""
    return lambda column: column.in_(ids)


async def reach_of(db: Executes, ids: Sequence[int]) -> dict[int, Reach]:
    """The reach of each of ``ids``."""
    routes = await routes_of(db, ids)
    return {official_id: reach(routes.get(official_id, ())) for official_id in ids}


async def unreached(db: Executes, ids: Sequence[int]) -> list[int]:
    """Those of ``ids`` no channel reaches (not linked, or blocked everywhere), in order."""
    reaches = await reach_of(db, ids)
    return [official_id for official_id in ids if not reaches[official_id].reached]


def rank(chat: ChatAccount) -> tuple[int, bool, float, int]:
    """Sort key of an official's chats, the one a message goes to first: an open push chat,
    then a web chat, then one that refused the bot or has failed for ``failing_days`` (it may
    take messages again); among equals the preferred one, then the most recently linked."""
    delivery = WAYS[chat.channel].delivery
    failing = chat.failing_since is not None and chat.failing_since <= _failing_before()
    closed = chat.unreachable_since is not None or failing
    order = 2 if closed else 0 if delivery is Delivery.PUSH else 1
    stamp = chat.updated_at.timestamp() if chat.updated_at is not None else 0.0
    return (order, not chat.preferred, -stamp, -chat.id)
