"""/metrics after a dispatch and an import: the sends by outcome, their latency, the outbox and
the imports are counted right, on the metrics port only, and behind the token when one is set."""

from __future__ import annotations

import json
import re
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import insert

from bot.channels.telegram_delivery import TelegramSender
from bot.http import HttpServer
from bot.metrics import Metrics, metrics_app
from scheduler.clock import SystemClock
from scheduler.dispatcher import Dispatcher, Outlet
from scheduler.jobs import ReminderJobs
from scheduler.limits import Limits, send_budget
from storage.db import create_engine, session_factory
from storage.models import Channel, InboxUpdate
from storage.types import utcnow
from tests.fakes.telegram_api import FakeTelegram
from tests.importers.files import OFFICIALS_HEADER, official_row, run_import, write_csv
from tests.scheduler.helpers import ALWAYS, queue_linked

ROOT = Path(__file__).resolve().parents[2]
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest.fixture
async def scrape(engine):
    """GET /metrics from a metrics server on this database; returns every sample by name and
    labels."""
    server = HttpServer(metrics_app(Metrics(), session_factory(engine), None), "127.0.0.1", 0)
    await server.start()

    async def get(raw: bool = False) -> Any:
        async with (
            aiohttp.ClientSession() as client,
            client.get(f"http://127.0.0.1:{server.port}/metrics") as response,
        ):
            assert response.status == 200
            text = await response.text()
        if raw:
            return text
        return {
            (sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text)
            for sample in family.samples
        }

    yield get
    await server.stop()


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def test_a_dispatch_is_counted_by_outcome(session, engine, scrape):
    await queue_linked(session, 4, "M", 7000)
    await session.commit()
    queued = await scrape()
    async with FakeTelegram() as fake:
        fake.block(7001)
        fake.fail_next("sendMessage", status=502, description="Bad Gateway")
        sender = TelegramSender(fake.token, fake.base_url)
        outlets = {
            Channel.TELEGRAM: Outlet(sender, send_budget(None, "test", Limits(), SystemClock()))
        }
        dispatcher = Dispatcher(engine, outlets, ALWAYS)
        await dispatcher.drain()
        await dispatcher.close()
    after = await scrape()

    due = {"kind": "escalate_declined", "channel": "telegram"}
    assert value(queued, "canbo_outbox_messages", state="due", **due) == 4
    assert value(queued, "canbo_outbox_oldest_due_seconds", **due) >= 0
    assert ("canbo_outbox_oldest_due_seconds", tuple(sorted(due.items()))) in queued
    # the 502 is retried later: one row waits, scheduled, and nothing is due any more
    assert value(after, "canbo_outbox_messages", state="scheduled", **due) == 1
    assert value(after, "canbo_outbox_messages", state="due", **due) == 0

    def sends(samples: Samples, outcome: str) -> float:
        return value(samples, "canbo_sends_total", channel="telegram", outcome=outcome)

    counted = {
        outcome: sends(after, outcome) - sends(queued, outcome)
        for outcome in ("sent", "blocked", "transient", "rate_limited", "rejected")
    }
    assert counted == {"sent": 2, "blocked": 1, "transient": 1, "rate_limited": 0, "rejected": 0}
    timed = value(after, "canbo_send_seconds_count", channel="telegram") - value(
        queued, "canbo_send_seconds_count", channel="telegram"
    )
    assert timed == 4


async def test_imports_are_counted_from_the_audit_log(session, engine, scrape, tmp_path):
    from tests.factories import make_unit

    await make_unit(session, code="70")
    await session.commit()
    rows = [OFFICIALS_HEADER, *(official_row(f"IM{n}") for n in range(5))]
    sessions = session_factory(engine)
    assert not (
        await run_import(sessions, "officials", write_csv(tmp_path / "a.csv", rows))
    ).rejected
    rows[1] = official_row("IM0", **{"Họ và tên": "Nguyễn Văn Bình"})
    assert not (
        await run_import(sessions, "officials", write_csv(tmp_path / "b.csv", rows))
    ).rejected
    await run_import(sessions, "officials", write_csv(tmp_path / "c.csv", rows), dry_run=True)
    rows[2] = official_row("IM1", **{"Ngày sinh": "31/02/1980"})
    assert (await run_import(sessions, "officials", write_csv(tmp_path / "d.csv", rows))).rejected

    samples = await scrape()

    def imports(outcome: str) -> float:
        return value(samples, "canbo_imports_total", kind="officials", outcome=outcome)

    assert (imports("imported"), imports("dry_run"), imports("rejected")) == (2, 1, 1)
    assert value(samples, "canbo_import_rows_total", kind="officials", result="created") == 5
    assert value(samples, "canbo_import_rows_total", kind="officials", result="updated") == 1
    assert value(samples, "canbo_import_rows_total", kind="bonds", result="created") == 0


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_the_token_guards_the_metrics(engine):
    server = HttpServer(metrics_app(Metrics(), session_factory(engine), "t0ken"), "127.0.0.1", 0)
    await server.start()
    url = f"http://127.0.0.1:{server.port}/metrics"
    try:
        async with aiohttp.ClientSession() as client:
            async with client.get(url) as response:
                without = response.status
            async with client.get(url, headers={"Authorization": "Bearer wrong"}) as response:
                wrong = response.status
            async with client.get(url, headers={"Authorization": "Bearer t0ken"}) as response:
                right = (response.status, await response.text())
    finally:
        await server.stop()

    assert (without, wrong, right[0]) == (401, 401, 200)
    assert "canbo_outbox_messages" in right[1]


async def test_updates_waiting_in_the_inbox_are_counted(session, scrape):
    arrived = utcnow() - timedelta(minutes=2)
    await session.execute(
        insert(InboxUpdate),
        [
            {"channel": Channel.TELEGRAM, "update_id": str(n), "payload": {}, "received_at": at}
            for n, at in enumerate([arrived, utcnow(), utcnow()])
        ],
    )
    await session.commit()
    samples = await scrape()
    assert value(samples, "canbo_inbox_updates", channel="telegram") == 3
    assert value(samples, "canbo_inbox_oldest_seconds", channel="telegram") >= 120


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_the_dashboard_shows_only_metrics_that_exist(scrape):
    """Every canbo_ series a panel of deploy/grafana/canbo.json asks for is one /metrics has."""
    dashboard = json.loads((ROOT / "deploy" / "grafana" / "canbo.json").read_text())
    asked = {
        name
        for panel in dashboard["panels"]
        for target in panel["targets"]
        for name in re.findall(r"\b(canbo_\w+)", target["expr"])
    }
    shown = set(re.findall(r"^# TYPE (\w+) ", await scrape(raw=True), re.MULTILINE))
    series = {re.sub(r"_(bucket|sum|count)$", "", name) for name in asked}
    assert series - shown == set()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_planner_runs_are_timed_and_counted(engine, tmp_path):
    def sample(name: str, **labels: str) -> float:
        return REGISTRY.get_sample_value(name, labels) or 0.0

    before = {
        "ok": sample("canbo_planner_runs_total", outcome="ok"),
        "failed": sample("canbo_planner_runs_total", outcome="failed"),
        "timed": sample("canbo_planner_run_seconds_count"),
    }
    await ReminderJobs(engine, ALWAYS, None).plan()
    empty = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'no-tables.db'}")
    try:
        await ReminderJobs(empty, ALWAYS, None).plan()  # fails: logged and counted
    finally:
        await empty.dispose()

    assert sample("canbo_planner_runs_total", outcome="ok") - before["ok"] == 1
    assert sample("canbo_planner_runs_total", outcome="failed") - before["failed"] == 1
    assert sample("canbo_planner_run_seconds_count") - before["timed"] == 1
    assert sample("canbo_planner_last_success_timestamp_seconds") > time.time() - 60


async def test_a_scrape_while_the_database_is_down_shows_the_process_counters(tmp_path, caplog):
    """Prometheus keeps the worker's own counters through a database outage (the database's
    gauges are left out), and the log gets one line, not a traceback."""
    metrics = Metrics()
    metrics.inc("canbo_updates_received_total", "telegram")
    gone = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'no-such-folder' / 'canbo.db'}")
    server = HttpServer(metrics_app(metrics, session_factory(gone), None), "127.0.0.1", 0)
    await server.start()
    try:
        async with (
            aiohttp.ClientSession() as client,
            client.get(f"http://127.0.0.1:{server.port}/metrics") as response,
        ):
            status, text = response.status, await response.text()
    finally:
        await server.stop()
        await gone.dispose()

    assert status == 200
    assert 'canbo_updates_received_total{channel="telegram"} 1.0' in text
    assert "canbo_outbox_messages" not in text
    assert [r.getMessage() for r in caplog.records if r.levelname == "WARNING"] == [
        "metrics without the database's gauges: unreachable (OperationalError)"
    ]
    assert not any(r.exc_info for r in caplog.records)
