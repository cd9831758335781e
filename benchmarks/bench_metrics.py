"""What a /metrics scrape costs the database while a province-wide announcement waits.

The scrape reads the outbox per kind, channel and state, with each official's preferred chat
(storage.gauges.outbox), the inbox and the imports. Baseline in the same run: counting the
same unfinished outbox rows with one plain COUNT(*). 200,000 officials, each with a linked
chat and one announcement due (``--quick``: 20,000). SQLite, and PostgreSQL when reachable.
"""

from __future__ import annotations

import asyncio
import statistics
import time

import common
from sqlalchemy import func, select

from bot.metrics import Metrics, exposition
from storage.db import create_engine, session_factory
from storage.models import OutboxMessage, OutboxStatus

REPEAT = 5


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
    asyncio.run(common.queue_announcement(url, officials, "Họp giao ban"))
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
