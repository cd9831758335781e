"""What a /metrics scrape costs the database while a province-wide announcement waits.

The scrape reads the outbox per kind, channel and state, with each official's preferred chat
(storage.gauges.outbox), the inbox and the imports. Baseline in the same run: counting the
same unfinished outbox rows with one plain COUNT(*). 200,000 officials, each with a linked
chat and one announcement due (``--quick``: 20,000). SQLite, and PostgreSQL when reachable.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from datetime import timedelta

import common
from sqlalchemy import func, select

from bot.metrics import Metrics, exposition
from storage import broadcasts
from storage.db import create_engine, session_factory
from storage.models import ChatAccount, OutboxMessage, OutboxStatus
from storage.outbox import Notice, enqueue
from storage.types import utcnow

REPEAT = 5


async def _fill(url: str, officials: int) -> None:
    engine = create_engine(url)
    unit_ids = await common.insert_units(engine, max(1, officials // 25))
    await common.insert_people(engine, officials, unit_ids, random.Random(1))
    await common.bulk_insert(
        engine,
        ChatAccount.__table__,  # type: ignore[arg-type]
        common.linked_chats(range(1, officials + 1)),
    )
    payload = {"broadcast": 1, "text": "Họp giao ban", "signature": "", "ack": False}
    now = utcnow() - timedelta(minutes=5)
    async with session_factory(engine)() as session:
        for start in range(1, officials + 1, 5000):
            notices = [
                Notice(broadcasts.KIND, payload, now, official_id=n, subject="1", urgent=True)
                for n in range(start, min(start + 5000, officials + 1))
            ]
            await enqueue(session, notices)
        await session.commit()
    await engine.dispose()


async def _measure(url: str) -> tuple[float, float]:
    """Median seconds of (a scrape, the baseline count)."""
    engine = create_engine(url)
    sessions = session_factory(engine)
    metrics = Metrics()
    unfinished = OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.CLAIMED])
    scrapes, counts = [], []
    for _ in range(REPEAT):
        started = time.perf_counter()
        await exposition(metrics, sessions)
        scrapes.append(time.perf_counter() - started)
        started = time.perf_counter()
        async with sessions() as session:
            await session.scalar(select(func.count()).where(unfinished))
        counts.append(time.perf_counter() - started)
    await engine.dispose()
    return statistics.median(scrapes), statistics.median(counts)


def backend(name: str, url: str | None, officials: int) -> None:
    if url is None:
        print(f"{name}: not reachable, skipped")
        return
    asyncio.run(_fill(url, officials))
    scrape, count = asyncio.run(_measure(url))
    print(
        f"{name}: {officials:,} due: scrape {scrape * 1000:.0f} ms, COUNT(*) {count * 1000:.0f} ms,"
        f" ratio {common.ratio(scrape, count)} (median of {REPEAT})"
    )


def main() -> None:
    args = common.arguments(__doc__ or "").parse_args()
    officials = 20_000 if args.quick else 200_000
    print(common.machine())
    with common.sqlite_database() as url:
        backend("SQLite", url, officials)
    with common.postgres_database() as url:
        backend("PostgreSQL", url, officials)


if __name__ == "__main__":
    main()
