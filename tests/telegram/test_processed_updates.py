"""storage.updates: an update id is claimed once per channel, and old claims are forgotten."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from storage import updates
from storage.models import Channel, ProcessedUpdate

NOW = datetime(2025, 3, 10, 8, 0, tzinfo=UTC)


async def test_an_update_id_is_first_only_once_per_channel(session):
    assert await updates.first_time(session, Channel.TELEGRAM, 42, NOW)
    assert not await updates.first_time(session, Channel.TELEGRAM, 42, NOW)
    assert await updates.first_time(session, Channel.ZALO, 42, NOW)
    await session.commit()

    assert not await updates.first_time(session, Channel.TELEGRAM, "42", NOW + timedelta(hours=1))
    assert await updates.first_time(session, Channel.TELEGRAM, 43, NOW)  # transaction still usable
    await session.commit()


async def test_claims_older_than_the_window_are_pruned(session):
    for days_ago, update_id in ((8, 1), (7, 2), (1, 3)):
        await updates.first_time(
            session, Channel.TELEGRAM, update_id, NOW - timedelta(days=days_ago)
        )
    await session.commit()

    assert await updates.prune(session, NOW, days=7) == 1
    await session.commit()

    kept = await session.scalars(select(ProcessedUpdate.update_id).order_by(ProcessedUpdate.id))
    assert list(kept) == ["2", "3"]
