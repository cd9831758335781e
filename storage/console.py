"""Sign-in links and sessions of the browser console (bot/console/).

A sign-in link carries 256 random bits, works once, and only for ``SIGN_IN_LIFETIME``; a
session's cookie carries another 256 random bits. Only their SHA-256 is stored. A session ends
when it signs out, when an admin revokes it, after ``IDLE`` without a request, or after
``LONGEST`` whatever happens; and whenever its official no longer holds a coordinator or admin
role (checked on every request by the caller, through ``storage.access.scope_of``).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.access import Scope
from storage.audit import record
from storage.models import ConsoleSession, ConsoleSignIn, Official

SIGN_IN_LIFETIME = timedelta(minutes=15)
IDLE = timedelta(minutes=30)
LONGEST = timedelta(hours=12)
SIGN_IN_PATH = "/console/signin"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_sign_in(
    session: AsyncSession, official: Official, actor: str, now: datetime
) -> str:
    """A new one-time sign-in token for ``official`` (audited, never the token itself).
    The caller commits."""
    token = secrets.token_urlsafe(32)
    session.add(
        ConsoleSignIn(
            token_hash=token_hash(token),
            official_id=official.id,
            created_at=now,
            expires_at=now + SIGN_IN_LIFETIME,
        )
    )
    record(session, actor, "console.link", official.code)
    return token


def sign_in_url(base: str, token: str) -> str:
    return f"{base.rstrip('/')}{SIGN_IN_PATH}?token={token}"


async def pending_sign_in(session: AsyncSession, token: str, now: datetime) -> ConsoleSignIn | None:
    """The unused, unexpired sign-in link ``token`` names, if any."""
    found: ConsoleSignIn | None = await session.scalar(
        select(ConsoleSignIn).where(
            ConsoleSignIn.token_hash == token_hash(token),
            ConsoleSignIn.used_at.is_(None),
            ConsoleSignIn.expires_at > now,
        )
    )
    return found


@dataclass(frozen=True)
class Opened:
    row: ConsoleSession
    token: str  # for the cookie; never stored


async def redeem(
    session: AsyncSession,
    token: str,
    scope_now: Scope | None,
    official_id: int,
    *,
    language: str,
    address: str,
    now: datetime,
) -> Opened | None:
    """Use the sign-in link ``token`` once and open a session for its official; None when the
    link is unknown, used, expired, or its official holds no role any more. Two browsers racing
    with one link: the conditional update lets only one through. The caller commits."""
    marked = await session.execute(
        update(ConsoleSignIn)
        .where(
            ConsoleSignIn.token_hash == token_hash(token),
            ConsoleSignIn.official_id == official_id,
            ConsoleSignIn.used_at.is_(None),
            ConsoleSignIn.expires_at > now,
        )
        .values(used_at=now)
    )
    if marked.rowcount != 1 or scope_now is None:  # type: ignore[attr-defined]
        return None
    cookie = secrets.token_urlsafe(32)
    row = ConsoleSession(
        token_hash=token_hash(cookie),
        official_id=official_id,
        role="admin" if scope_now.everything else "coordinator",
        scope=scope_now.stored(),
        language=language,
        address=address[:64],
        created_at=now,
        seen_at=now,
    )
    session.add(row)
    await session.flush()
    official = await session.get(Official, official_id)
    record(
        session,
        actor_of(official.code if official else str(official_id)),
        "console.signin",
        f"session:{row.id}",
        role=row.role,
        scope=row.scope,
    )
    return Opened(row, cookie)


async def current(session: AsyncSession, cookie: str, now: datetime) -> ConsoleSession | None:
    """The open session ``cookie`` names, marked as seen now; None when there is none, or it
    ended, or it was idle too long (then it is ended, so it stays ended)."""
    row: ConsoleSession | None = await session.scalar(
        select(ConsoleSession)
        .where(ConsoleSession.token_hash == token_hash(cookie), ConsoleSession.ended_at.is_(None))
        .options(selectinload(ConsoleSession.official))
    )
    if row is None:
        return None
    if now - row.seen_at > IDLE or now - row.created_at > LONGEST:
        row.ended_at, row.ended_by = now, "timeout"
        return None
    row.seen_at = now
    return row


def end(session: AsyncSession, row: ConsoleSession, actor: str, now: datetime) -> None:
    """End a session: its owner signing out, or an admin revoking it (audited)."""
    row.ended_at, row.ended_by = now, actor
    action = "console.signout" if actor == actor_of(row.official.code) else "console.revoke"
    record(session, actor, action, f"session:{row.id}", official=row.official.code)


async def open_sessions(session: AsyncSession, now: datetime) -> list[ConsoleSession]:
    """Sessions not ended and not idle too long, newest first."""
    rows = await session.scalars(
        select(ConsoleSession)
        .where(
            ConsoleSession.ended_at.is_(None),
            ConsoleSession.seen_at > now - IDLE,
            ConsoleSession.created_at > now - LONGEST,
        )
        .options(selectinload(ConsoleSession.official))
        .order_by(ConsoleSession.seen_at.desc(), ConsoleSession.id.desc())
    )
    return list(rows)


def actor_of(official_code: str) -> str:
    """How the audit log names someone acting in the console."""
    return f"console:{official_code}"
