"""Mixed load: users writing to the bot while an announcement goes out, one bot token, against
the strict fake Bot API (at most 30 messages in ANY one-second window, 1 per chat).

`canbo run` (webhook mode, SQLite, its own dispatcher) starts with an announcement to 600
officials queued; once it is sending, /status updates from those officials arrive at a fixed
rate (open loop) for ``DURATION`` seconds. Printed for each offered rate: 429s answered by the
fake, reply latency p50/p99 (POST to our webhook until the fake receives the answer), and the
announcement's messages per second meanwhile. Baseline in the same run: the limit, 30/s.

Replies go first, so below 30 updates/s every reply goes within a slot or two and the
announcement takes what is left; at 50 updates/s the replies alone ask more than the limit
allows, so their latency grows with the backlog (20 a second): no strict sender can answer 50
a second within 300 ms under a limit of 30. ``--quick``: 10 s per rate.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp
import bench_updates
import common

from bot.channels.telegram import SECRET_HEADER, WEBHOOK_PATH
from tests.fakes.telegram_api import FakeTelegram

LIMIT = 30
RECIPIENTS = 600
RATES = (20.0, 50.0)
FIRST_CHAT = 1_000_000  # common.linked_chats: chat id = 1,000,000 + official id
TEXT = "Họp giao ban toàn tỉnh lúc 14:00 thứ Hai tại hội trường UBND tỉnh."


async def _post(client: aiohttp.ClientSession, url: str, body: bytes) -> None:
    headers = {"Content-Type": "application/json", SECRET_HEADER: bench_updates.SECRET}
    async with client.post(url, data=body, headers=headers) as response:
        await response.read()


async def _offer(url: str, chats: list[int], rate: float, seconds: float) -> dict[int, float]:
    """/status from ``chats`` in turn at ``rate`` a second; when each chat asked (monotonic)."""
    asked: dict[int, float] = {}
    maker = FakeTelegram()
    numbers = itertools.count(int(time.time()))
    async with aiohttp.ClientSession() as client:
        start, tasks = time.monotonic(), []
        for index in range(int(rate * seconds)):
            delay = start + index / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            chat = chats[index]
            update = maker.message(bench_updates.STATUS, user_id=chat)
            update["update_id"] = next(numbers)
            asked[chat] = time.monotonic()
            tasks.append(asyncio.create_task(_post(client, url, json.dumps(update).encode())))
        await asyncio.gather(*tasks)
    return asked


def _service(
    fake: bench_updates.FakeProcess, url: str, port: int, log: Path
) -> bench_updates.Server:
    """`canbo run` in webhook mode at Telegram's own limit, outside quiet hours."""
    env = {
        **os.environ,
        "CANBO_DATABASE_URL": url,
        "CANBO_HTTP_PORT": str(port),
        "CANBO_TELEGRAM_TOKEN": fake.token,
        "CANBO_TELEGRAM_API_URL": fake.base_url,
        "CANBO_TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}{WEBHOOK_PATH}",
        "CANBO_TELEGRAM_WEBHOOK_SECRET": bench_updates.SECRET,
        "CANBO_TELEGRAM_RATE": str(LIMIT),
        "CANBO_QUIET_HOURS": "00:00-00:00",
    }
    return bench_updates.Server([sys.executable, "-m", "bot.cli", "run"], env, log)


def measure(rate: float, seconds: float, logs: Path) -> dict[str, Any]:
    with common.sqlite_database() as url:
        asyncio.run(common.queue_announcement(url, RECIPIENTS, TEXT))
        fake = bench_updates.FakeProcess(strict=True)
        port = bench_updates.free_port()
        server = _service(fake, url, port, logs / f"mixed-{rate:.0f}.log")
        try:
            server.wait_for_webhook(fake, f"http://127.0.0.1:{port}{WEBHOOK_PATH}")
            while fake.ask("count") < 30:  # the announcement is under way
                time.sleep(0.05)
            before = fake.ask("count")
            # ask from recipients the announcement has not reached yet, each once
            reached = {chat for chat, _at, _text in fake.ask("sends", 0)}
            waiting = [
                c for c in range(FIRST_CHAT + RECIPIENTS, FIRST_CHAT, -1) if c not in reached
            ]
            url_hook = f"http://127.0.0.1:{port}{WEBHOOK_PATH}"
            asked = asyncio.run(_offer(url_hook, waiting, rate, seconds))
            bench_updates.wait_for_replies(fake, before + len(asked) + 1)
            time.sleep(2.0)
            sends = fake.ask("sends", before)
        finally:
            server.stop()
            throttled = fake.finish()  # the strict fake refuses only with 429
    replies = {}
    announced = []
    for chat, at, text in sends:
        if not text.startswith("📢") and chat in asked and chat not in replies and at > asked[chat]:
            replies[chat] = at
        elif text.startswith("📢"):
            announced.append(at)
    latencies = sorted(replies[c] - asked[c] for c in replies)
    first, last = min(asked.values()), max(asked.values())
    during = [at for at in announced if first <= at <= last]
    answered_during = [at for at in replies.values() if first <= at <= last]
    return {
        "asked": len(asked),
        "answered": len(latencies),
        "p50": bench_updates.percentile(latencies, 0.5) if latencies else float("nan"),
        "p99": bench_updates.percentile(latencies, 0.99) if latencies else float("nan"),
        "announced_rate": len(during) / (last - first) if last > first else 0.0,
        "replied_rate": len(answered_during) / (last - first) if last > first else 0.0,
        "throttled": throttled,
    }


def main() -> None:
    options = common.arguments(__doc__ or "").parse_args()
    seconds = 10.0 if options.quick else 20.0
    print(common.machine())
    print(f"baseline: the limit, {LIMIT} messages/s in any one-second window")
    with tempfile.TemporaryDirectory() as folder:
        for rate in RATES:
            seen = measure(rate, seconds, Path(folder))
            print(
                f"{rate:.0f} updates/s for {seconds:.0f} s during a {RECIPIENTS}-recipient "
                f"announcement: 429s {seen['throttled']}; replies {seen['answered']}/"
                f"{seen['asked']}, p50 {seen['p50'] * 1000:.0f} ms, p99 "
                f"{seen['p99'] * 1000:.0f} ms; announcement meanwhile "
                f"{seen['announced_rate']:.1f} msg/s; replies + announcement ÷ limit = "
                f"{common.ratio(seen['replied_rate'] + seen['announced_rate'], LIMIT)}"
            )
    print(f"(processes: {os.cpu_count()} CPUs shared with the fake and this load generator)")


if __name__ == "__main__":
    main()
