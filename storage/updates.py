"""Processing each incoming messenger update once.

Messengers redeliver: Telegram repeats a webhook call it did not see answered, and a worker that
restarts mid-poll fetches the same batch again. The update id is claimed with an insert that skips
a conflict, so two workers racing on one update cannot both win and the transaction survives.
Claiming happens before handling: a reply lost to a crash is better than a repeated registration.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Channel, ProcessedUpdate

KEEP_DAYS = 7  # Telegram keeps undelivered updates for 24 hours; a week is ample


async def first_time(
    session: AsyncSession, channel: Channel, update_id: str | int, now: datetime
) -> bool:
    """Claim ``update_id`` on ``channel``; True the first time only. The caller commits."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(ProcessedUpdate)
        .values(channel=channel, update_id=str(update_id), at=now)
        .on_conflict_do_nothing(index_elements=["channel", "update_id"])
        .returning(ProcessedUpdate.id)
    )
    claimed = await session.execute(statement)
    return claimed.first() is not None


async def prune(session: AsyncSession, now: datetime, days: int = KEEP_DAYS) -> int:
    """Forget update ids claimed more than ``days`` ago; returns how many. The caller commits."""
    result = await session.execute(
        delete(ProcessedUpdate).where(ProcessedUpdate.at < now - timedelta(days=days))
    )
    return int(getattr(result, "rowcount", 0) or 0)
