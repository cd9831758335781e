"""/metrics in the Prometheus text format (prometheus_client), on a port of its own.

What a scrape shows comes from three places:

- this app's updates and replies per channel (``Metrics``; one per app, so two apps in one
  process, as in the tests, keep their own counts), and how long an update took to answer;
- what this process did: sends by outcome and their latency, planner runs (scheduler.metrics),
  and prometheus_client's process and Python collectors;
- the database, read at each scrape (storage.gauges): outbox depth and the age of its oldest
  due row per kind and channel, inbox depth and age per channel, and roster imports.

Several workers: each serves its own CANBO_METRICS_PORT and Prometheus scrapes every one. Sum
the counters over the workers; the database's gauges are the same in each, so take their
``max``. The port is never the public one: bind it to localhost (the default), or set
CANBO_METRICS_TOKEN and have Prometheus send it as a bearer token.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Iterable
from datetime import datetime
from time import perf_counter

from aiohttp import web
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduler.metrics import LATENCY_BUCKETS
from storage import gauges
from storage.db import is_outage
from storage.importers.audit import IMPORTED
from storage.types import utcnow

logger = logging.getLogger(__name__)

COUNTERS = {
    "canbo_updates_received_total": "Messenger updates received.",
    "canbo_updates_processed_total": "Updates handled and answered.",
    "canbo_updates_duplicate_total": "Updates skipped because their id was already processed.",
    "canbo_replies_sent_total": "Messages sent in reply.",
    "canbo_webhook_rejected_total": "Webhook requests refused (wrong secret or malformed body).",
}


class Metrics:
    """One app's counters, kept in a registry of its own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self._counters = {
            name: Counter(name.removesuffix("_total"), text, ["channel"], registry=self.registry)
            for name, text in COUNTERS.items()
        }
        self._update_seconds = Histogram(
            "canbo_update_seconds",
            "Time from an update's arrival until its replies were sent.",
            ["channel"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )

    def inc(self, name: str, channel: str, amount: int = 1) -> None:
        if name not in COUNTERS:
            raise KeyError(f"unknown metric {name}")
        self._counters[name].labels(channel).inc(amount)

    def value(self, name: str, channel: str) -> int:
        value = self.registry.get_sample_value(name, {"channel": channel})
        return int(value or 0)

    def answered(self, channel: str, since: float) -> None:
        """An update that arrived at ``since`` (``perf_counter``) has been answered."""
        self._update_seconds.labels(channel).observe(perf_counter() - since)


class _Fixed(Collector):
    def __init__(self, families: list[Metric]) -> None:
        self._families = families

    def collect(self) -> Iterable[Metric]:
        return self._families


async def database_families(sessions: async_sessionmaker[AsyncSession]) -> list[Metric]:
    """The gauges read from the database now (storage.gauges)."""
    now = utcnow()
    async with sessions() as session:
        outbox = await gauges.outbox(session, now)
        inbox = await gauges.inbox(session)
        imports = await gauges.imports(session)
    return [*_outbox(outbox, now), *_inbox(inbox, now), *_imports(imports)]


def _outbox(groups: list[gauges.OutboxGroup], now: datetime) -> list[Metric]:
    depth = GaugeMetricFamily(
        "canbo_outbox_messages",
        "Outbox rows not yet finished, by kind, channel and state (due, scheduled, sending).",
        labels=["kind", "channel", "state"],
    )
    age = GaugeMetricFamily(
        "canbo_outbox_oldest_due_seconds",
        "How long the oldest due outbox row has been waiting, by kind and channel.",
        labels=["kind", "channel"],
    )
    for group in groups:
        depth.add_metric([group.kind, group.channel, group.state], group.rows)
        if group.oldest_due is not None:
            age.add_metric([group.kind, group.channel], _since(group.oldest_due, now))
    return [depth, age]


def _inbox(groups: list[gauges.InboxGroup], now: datetime) -> list[Metric]:
    depth = GaugeMetricFamily(
        "canbo_inbox_updates",
        "Updates stored and not yet answered, by channel.",
        labels=["channel"],
    )
    age = GaugeMetricFamily(
        "canbo_inbox_oldest_seconds",
        "How long the oldest update not yet answered has been waiting, by channel.",
        labels=["channel"],
    )
    for group in groups:
        depth.add_metric([group.channel], group.waiting)
        if group.oldest is not None:
            age.add_metric([group.channel], _since(group.oldest, now))
    return [depth, age]


def _imports(totals: list[gauges.ImportTotals]) -> list[Metric]:
    files = CounterMetricFamily(
        "canbo_imports",
        "Roster imports by kind and outcome (imported, rejected, dry_run, interrupted, started), "
        "from the audit log.",
        labels=["kind", "outcome"],
    )
    rows = CounterMetricFamily(
        "canbo_import_rows",
        "Rows created or updated by the imports kept, by kind (from the audit log).",
        labels=["kind", "result"],
    )
    kept: dict[str, tuple[int, int]] = {}
    for kind_totals in totals:
        files.add_metric([kind_totals.kind, kind_totals.outcome], kind_totals.files)
        if kind_totals.outcome == IMPORTED:
            kept[kind_totals.kind] = (kind_totals.created, kind_totals.updated)
    for kind in gauges.KINDS:
        created, updated = kept.get(kind, (0, 0))
        rows.add_metric([kind, "created"], created)
        rows.add_metric([kind, "updated"], updated)
    return [files, rows]


def _since(moment: datetime, now: datetime) -> float:
    return max(0.0, (now - moment).total_seconds())


async def exposition(metrics: Metrics, sessions: async_sessionmaker[AsyncSession]) -> bytes:
    """Everything a scrape shows, in the Prometheus text format. While the database is down
    the process's own counters are still shown, without the database's gauges."""
    database = CollectorRegistry()
    try:
        database.register(_Fixed(await database_families(sessions)))
    except Exception as error:
        if not is_outage(error):
            raise
        logger.warning(
            "metrics without the database's gauges: unreachable (%s)", type(error).__name__
        )
    return b"".join(
        generate_latest(registry) for registry in (metrics.registry, REGISTRY, database)
    )


def metrics_app(
    metrics: Metrics, sessions: async_sessionmaker[AsyncSession], token: str | None
) -> web.Application:
    """The metrics server's one page; with ``token``, only for "Authorization: Bearer TOKEN"."""
    expected = f"Bearer {token}".encode() if token else None

    async def page(request: web.Request) -> web.Response:
        given = request.headers.get("Authorization", "").encode()
        if expected is not None and not hmac.compare_digest(given, expected):
            return web.Response(status=401, headers={"WWW-Authenticate": "Bearer"})
        body = await exposition(metrics, sessions)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    app = web.Application()
    app.router.add_get("/metrics", page)
    return app
