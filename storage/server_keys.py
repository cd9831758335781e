"""Keys the service generates for itself when the operator set none, shared by all workers."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ServerKey
from storage.types import utcnow


async def server_key(session: AsyncSession, name: str) -> str:
    """The key called ``name``, generated (64 random hex characters) the first time. Two
    workers asking at once get the same key: the insert skips a conflict. The caller commits."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    await session.execute(
        dialect.insert(ServerKey)
        .values(name=name, value=secrets.token_hex(32), created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["name"])
    )
    value = await session.scalar(select(ServerKey.value).where(ServerKey.name == name))
    assert value is not None
    return value
