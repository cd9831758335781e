"""Files behind unguessable, expiring links: a random token names each one, only its SHA-256
is stored, and expired files are removed whenever a new one is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import MediaFile

TOKEN_BYTES = 24  # 192 random bits: not guessable, 32 characters in a URL


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def store(
    session: AsyncSession,
    content: bytes,
    filename: str,
    mime_type: str,
    now: datetime,
    lifetime: timedelta,
) -> str:
    """Keep ``content`` until ``now + lifetime``; returns the token of its link. The caller
    commits."""
    await session.execute(delete(MediaFile).where(MediaFile.expires_at <= now))
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        MediaFile(
            token_hash=_hash(token),
            filename=filename[:200],
            mime_type=mime_type[:100],
            content=content,
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    await session.flush()
    return token


async def fetch(session: AsyncSession, token: str, now: datetime) -> MediaFile | None:
    """The file ``token`` names, unless it does not exist or has expired."""
    found: MediaFile | None = await session.scalar(
        select(MediaFile).where(MediaFile.token_hash == _hash(token), MediaFile.expires_at > now)
    )
    return found
