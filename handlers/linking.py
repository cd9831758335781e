"""Linking a chat to an official's record, once, and unlinking it.

A chat proves who it is by a one-time code from ``canbo link-code issue`` (by deep link /start
CODE, or typed), or by sharing its own phone number when exactly one official has it. Codes are
short, from an alphabet without look-alikes (no 0/O, 1/I/L), stored only as SHA-256, single-use
and expiring. Wrong codes are counted in the database per chat and per client (the web visitor's
address, or the messenger account that sent them): five from a chat, or thirty from a client,
within an hour and it is refused until the oldest of them is an hour old. A new web session is
a new chat but not a new client, so opening sessions buys no extra guesses.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from handlers.context import Context
from handlers.help import menu_for, share_phone
from handlers.labels import titles_name
from handlers.messages import Reply
from locales import N_
from storage.audit import record
from storage.models import LinkCode, LinkFailure, Official

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_DIGITS = frozenset("23456789")
CODE_LENGTH = 8
MAX_FAILURES = 5  # per chat
# Per client: an office's computers or a mobile carrier's users can share one address.
MAX_CLIENT_FAILURES = 30
FAILURE_WINDOW = timedelta(hours=1)
_SEPARATORS = re.compile(r"[\s\-_.]+")
_CODE_SHAPE = re.compile(rf"[{ALPHABET}]{{{CODE_LENGTH}}}")
ISSUE_CHUNK = 500
# What someone copying a code may type: two groups of letters and digits, a digit among them
# ("K7QX-9PMO", "k7qx9pm"), but not a word or a number alone.
_LOOKS_LIKE_CODE = re.compile(r"[A-Za-z0-9]{3,6}[\s\-_.]?[A-Za-z0-9]{3,6}")


def new_code() -> str:
    """A random code like "K7QX-9PMA": always a digit in it, so a word is never mistaken for
    one."""
    while True:
        raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        if _DIGITS & set(raw) and set(raw) - _DIGITS:
            half = CODE_LENGTH // 2
            return f"{raw[:half]}-{raw[half:]}"


def normalise_code(text: str) -> str | None:
    """The code in what someone typed ("k7qx 9pma", "K7QX9PMA"), or None if it is not one."""
    raw = _SEPARATORS.sub("", text).upper()
    if _CODE_SHAPE.fullmatch(raw) and _DIGITS & set(raw):
        return raw
    return None


def looks_like_code(text: str) -> bool:
    """Text shaped like a link code, mistyped or not: it gets the answer about codes."""
    text = text.strip()
    return (
        _LOOKS_LIKE_CODE.fullmatch(text) is not None
        and any(c.isdigit() for c in text)
        and any(c.isalpha() for c in text)
    )


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


async def issue_code(session: AsyncSession, official: Official, now: datetime, days: int) -> str:
    """A new one-time code for ``official``, valid for ``days``; the caller commits."""
    return (await issue_codes(session, [official.id], now, days))[official.id]


async def issue_codes(
    session: AsyncSession, official_ids: Sequence[int], now: datetime, days: int
) -> dict[int, str]:
    """New one-time codes by official id, valid for ``days``. Issuing again replaces: an unused
    code of theirs stops working at once, so only the latest slip links. The caller commits."""
    codes: dict[int, str] = {}
    for start in range(0, len(official_ids), ISSUE_CHUNK):
        batch = official_ids[start : start + ISSUE_CHUNK]
        await session.execute(
            update(LinkCode)
            .where(
                LinkCode.official_id.in_(batch),
                LinkCode.used_at.is_(None),
                LinkCode.expires_at > now,
            )
            .values(expires_at=now)
        )
        rows = []
        for official_id in batch:
            codes[official_id] = code = new_code()
            raw = normalise_code(code)
            assert raw is not None
            rows.append(
                {
                    "code_hash": _hash(raw),
                    "official_id": official_id,
                    "created_at": now,
                    "expires_at": now + timedelta(days=days),
                }
            )
        await session.execute(insert(LinkCode), rows)
    return codes


def normalise_phone(text: str) -> str | None:
    """A Vietnamese number as officials' phones are stored (+84…), or None: "0912 345 678",
    "84912345678" and "+84 912 345 678" are all "+84912345678"."""
    digits = re.sub(r"\D", "", text)
    if digits.startswith("84"):
        national = digits[2:]
    elif digits.startswith("0") and not text.strip().startswith("+"):
        national = digits[1:]
    else:
        return None
    return f"+84{national}" if 9 <= len(national) <= 10 else None


async def link_by_code(context: Context, text: str) -> list[Reply]:
    _ = context._
    chat_until = await _refused_until(
        context, LinkFailure.chat_account_id == context.account.id, MAX_FAILURES
    )
    client_until = await _refused_until(
        context, LinkFailure.client == _client(context), MAX_CLIENT_FAILURES
    )
    if chat_until is not None or client_until is not None:
        message = (
            N_("Too many wrong codes from this chat. Please try again after {time}.")
            if client_until is None or (chat_until is not None and chat_until >= client_until)
            else N_("Too many wrong codes from your network. Please try again after {time}.")
        )
        until = max(t for t in (chat_until, client_until) if t is not None)
        return [Reply(_(message, time=_.datetime(until.astimezone(context.config.zone))))]
    code = normalise_code(text)
    link = (
        None
        if code is None
        else await context.session.scalar(select(LinkCode).where(LinkCode.code_hash == _hash(code)))
    )
    if link is None:
        return await _failed(
            context,
            _(
                "This code is not valid. Check it and try again, or ask your organisation "
                "board for a new one."
            ),
        )
    if link.used_at is not None:
        return await _failed(
            context,
            _("This code has already been used. Ask your organisation board for a new one."),
        )
    if link.expires_at <= context.now:
        return await _failed(
            context,
            _(
                "This code expired on {date}. Ask your organisation board for a new one.",
                date=_.date(link.expires_at.astimezone(context.config.zone)),
            ),
        )
    claimed = await context.session.scalar(
        update(LinkCode)
        .where(LinkCode.id == link.id, LinkCode.used_at.is_(None))
        .values(used_at=context.now, used_by_id=context.account.id)
        .returning(LinkCode.id)
    )
    if claimed is None:  # another chat took it a moment ago
        return await _failed(
            context,
            _("This code has already been used. Ask your organisation board for a new one."),
        )
    return [await _link(context, link.official_id, "code")]


async def link_by_contact(context: Context) -> list[Reply]:
    _ = context._
    contact = context.incoming.contact
    assert contact is not None
    if contact.user_id is None or contact.user_id != context.incoming.sender_id:
        return [
            Reply(
                _("Please share your own phone number, with the button below."),
                request_contact=share_phone(context),
            )
        ]
    phone = normalise_phone(contact.phone)
    matches = (
        []
        if phone is None
        else list(
            await context.session.scalars(
                select(Official.id).where(Official.phone == phone).limit(2)
            )
        )
    )
    if not matches:
        return [
            Reply(
                _("No record has this phone number. Ask your organisation board for a link code.")
            )
        ]
    if len(matches) > 1:
        return [
            Reply(
                _(
                    "This phone number is on more than one record, so it cannot tell who you "
                    "are. Ask your organisation board for a link code."
                )
            )
        ]
    return [await _link(context, matches[0], "contact")]


async def unlink(context: Context) -> list[Reply]:
    _ = context._
    official = context.official
    if official is None:
        return [Reply(_("This chat is not linked to any record."))]
    context.account.official = None
    context.account.dialog = None
    context.account.dialog_data = {}
    record(context.session, _actor(context), "chat.unlinked", official.code)
    return [
        Reply(
            _(
                "This chat is no longer linked to the record of {name}. To link it again, send "
                "a new code.",
                name=official.full_name,
            ),
            menu=None,
        )
    ]


def _actor(context: Context) -> str:
    return f"{context.account.channel.value}:{context.account.id}"


async def _link(context: Context, official_id: int, method: str) -> Reply:
    official = await context.session.scalar(
        select(Official).where(Official.id == official_id).options(selectinload(Official.unit))
    )
    assert official is not None
    context.account.official = official
    record(context.session, _actor(context), "chat.linked", official.code, method=method)
    for hook in context.config.on_link:
        await hook(context.session, context.account, context.now)
    _ = context._
    return Reply(
        _(
            "Linked. Hello {name}, {title}, {unit}. Choose a topic from the menu, or just ask me.",
            name=official.full_name,
            title=titles_name(_, official.posts),
            unit=official.unit.name,
        ),
        menu=await menu_for(context),
    )


def _client(context: Context) -> str:
    """Who is trying codes: the web visitor's address, or the messenger account (in a group,
    the sender rather than the group)."""
    incoming = context.incoming
    return incoming.address or f"{incoming.channel.value}:{incoming.sender_id}"


async def _failed(context: Context, message: str) -> list[Reply]:
    context.session.add(
        LinkFailure(chat_account_id=context.account.id, client=_client(context), at=context.now)
    )
    return [Reply(message)]


async def _refused_until(
    context: Context, whose: ColumnElement[bool], limit: int
) -> datetime | None:
    """When ``whose`` wrong codes allow trying again, if ``limit`` of them fall in the hour."""
    recent = list(
        await context.session.scalars(
            select(LinkFailure.at)
            .where(whose, LinkFailure.at > context.now - FAILURE_WINDOW)
            .order_by(LinkFailure.at.desc())
            .limit(limit)
        )
    )
    if len(recent) < limit:
        return None
    return recent[-1] + FAILURE_WINDOW
