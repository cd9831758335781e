"""Processing each incoming messenger update once.

Messengers redeliver: Telegram repeats a webhook call it did not see answered, and a worker that
restarts mid-poll fetches the same batch again. The update id is claimed with an insert that skips
a conflict, so two workers racing on one update cannot both win and the transaction survives.
Claiming happens before handling: a reply lost to a crash is better than a repeated registration.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Table, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Channel, ProcessedUpdate

KEEP_DAYS = 7  # Telegram keeps undelivered updates for 24 hours; a week is ample
_TABLE: Table = ProcessedUpdate.__table__  # type: ignore[assignment]
# Every update runs it: built once, on the table (the ORM's bulk-insert path costs more). The
# row count tells whether the row went in; RETURNING would cost a fetch on every update.
_CLAIM = {
    dialect.dialect.name: dialect.insert(_TABLE).on_conflict_do_nothing(
        index_elements=["channel", "update_id"]
    )
    for dialect in (postgresql, sqlite)
}


async def first_time(
    session: AsyncSession, channel: Channel, update_id: str | int, now: datetime
) -> bool:
    """Claim ``update_id`` on ``channel``; True the first time only. The caller commits."""
    values = {"channel": channel, "update_id": str(update_id), "at": now}
    claimed = await session.execute(_CLAIM[session.get_bind().dialect.name], values)
    return bool(getattr(claimed, "rowcount", 0))


async def prune(session: AsyncSession, now: datetime, days: int = KEEP_DAYS) -> int:
    """Forget update ids claimed more than ``days`` ago; returns how many. The caller commits."""
    result = await session.execute(
        delete(ProcessedUpdate).where(ProcessedUpdate.at < now - timedelta(days=days))
    )
    return int(getattr(result, "rowcount", 0) or 0)
