"""Update handling: /status updates posted to the webhook of the real `canbo run` process, on
loopback, against two echo bots behind the same kind of webhook: a bare python-telegram-bot
one on canbo's transport (aiohttp), loop (uvloop) and updates in hand (2, as canbo on SQLite),
and an aiogram 3 one (its own aiohttp session and webhook handler, uvloop). The target compares
updates per CPU-second of the server with the faster echo bot's.

Both servers run as child processes on the same fake Bot API (tests.fakes.telegram_api, in a
process of its own, with limits far above the load so it never answers 429). The service uses
a temporary migrated database (SQLite, and PostgreSQL when reachable: ``--backends``) holding a
synthetic province (``common.populate``) whose
every official has a linked Telegram chat, so /status gets the real answer. Once each server is
idle after start-up, a light aiohttp client in this process posts pre-built updates after a
warm-up:

- latency: 100 updates/s on an open-loop schedule (never waiting for replies); latency is from
  the POST to our webhook until the fake receives the sendMessage for that chat;
- throughput: as fast as the server accepts them (``CONCURRENCY`` posts in flight); replies per
  second from the first POST to the last reply.

Printed: both servers' throughput and p50/p99 latency, the ratio of throughputs, and the
targets (p99 < 100 ms at 100 updates/s; throughput ≥ 0.5 of the echo bot). The service runs
with CANBO_TELEGRAM_RATE above the offered load (``--telegram-rate``), so its own sending limit
does not shape the figure, and inside quiet hours, so no reminder goes out during the runs.
``--quick``: 1,000 updates from 100 officials. ``--profile FILE`` runs the service under
cProfile and prints its hot spots.
"""

from __future__ import annotations

import asyncio
import hmac
import itertools
import json
import multiprocessing
import os
import pstats
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import common
from aiohttp import web
from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bot import event_loop
from bot.channels.chat_order import SQLITE_CONCURRENCY
from bot.channels.telegram import ALLOWED_UPDATES, SECRET_HEADER, WEBHOOK_PATH
from bot.channels.telegram_request import AiohttpRequest
from storage.db import create_engine
from tests.fakes.telegram_api import FakeTelegram

RATE = 100.0  # updates per second offered in the latency run
CONCURRENCY = 8  # posts in flight in the throughput run
WARM_UP = 50  # updates before the measured runs (imports, connections, caches)
SECRET = "bench-webhook-secret"
P99_TARGET_MS = 100.0
THROUGHPUT_TARGET = 0.5
REPLY_TIMEOUT = 120.0  # seconds without a new reply before giving up on the rest
ZONE = "Asia/Ho_Chi_Minh"
FIRST_CHAT = 1_000_000  # common.linked_chats: chat id = 1,000,000 + official id
STATUS = "/status"


# --- the fake Bot API, in a process of its own -------------------------------------------------


def _serve_fake(connection: Connection, strict: bool) -> None:
    asyncio.run(_serve_fake_async(connection, strict))


async def _serve_fake_async(connection: Connection, strict: bool) -> None:
    """Answer the parent's requests until told to stop: ``webhook`` (the URL set, or ""),
    ``count`` (messages received), ``sends`` (chat and arrival time of each message from an
    index), ``stop`` (sends refused)."""
    limitless = 1e9
    limits = (
        {} if strict else {"chat_rate": limitless, "chat_burst": 10**9, "global_rate": limitless}
    )
    loop = asyncio.get_running_loop()
    async with FakeTelegram(**limits) as fake:  # type: ignore[arg-type]
        connection.send((fake.token, fake.base_url))
        while True:
            request, argument = await loop.run_in_executor(None, connection.recv)
            if request == "webhook":
                connection.send(fake.webhook.url if fake.webhook else "")
            elif request == "count":
                connection.send(len(fake.sent))
            elif request == "sends":
                connection.send([(m.chat_id, m.at, m.text) for m in fake.sent[argument:]])
            else:
                attempts = sum(1 for call in fake.calls if call.method == "sendmessage")
                connection.send(attempts - len(fake.sent))
                return


class FakeProcess:
    """The fake in a process of its own: limitless, or with Telegram's strict limits."""

    def __init__(self, *, strict: bool = False) -> None:
        self._here, there = multiprocessing.Pipe()
        self._process = multiprocessing.Process(target=_serve_fake, args=(there, strict))
        self._process.start()
        self.token, self.base_url = self._here.recv()

    def ask(self, request: str, argument: int = 0) -> Any:
        self._here.send((request, argument))
        return self._here.recv()

    def finish(self) -> int:
        """Stop the fake; the number of sends it refused (429s and errors)."""
        refused: int = self.ask("stop")
        self._process.join()
        return refused


# --- the baseline: a bare PTB echo bot behind an aiohttp webhook --------------------------------


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.message
    if message is not None and message.text is not None:
        await message.reply_text(message.text)


async def _echo_bot(port: int, token: str, base_url: str) -> None:
    """A bare PTB v22 echo bot on canbo's terms: its HTTP client (aiohttp,
    bot/channels/telegram_request.py), its loop (uvloop, bot/event_loop.py), as many updates
    in hand as canbo on SQLite (bot/channels/chat_order.py), fed by the same kind of webhook."""
    application = (
        Application.builder()
        .token(token)
        .base_url(base_url)
        .request(AiohttpRequest(connection_pool_size=256))
        .concurrent_updates(SQLITE_CONCURRENCY)
        .updater(None)
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, _echo))
    secret = SECRET.encode()

    async def webhook(request: web.Request) -> web.Response:
        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, "").encode(), secret):
            return web.json_response({"ok": False}, status=403)
        data = json.loads(await request.read())
        await application.update_queue.put(Update.de_json(data, application.bot))
        return web.json_response({"ok": True})

    http = web.Application()
    http.router.add_post(WEBHOOK_PATH, webhook)
    runner = web.AppRunner(http, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with application:
        await application.start()
        await application.bot.set_webhook(
            f"http://127.0.0.1:{port}{WEBHOOK_PATH}",
            secret_token=SECRET,
            allowed_updates=ALLOWED_UPDATES,
        )
        await stop.wait()
        await application.stop()
    await runner.cleanup()


async def _aiogram_bot(port: int, token: str, base_url: str) -> None:
    """An aiogram 3 echo bot with its own webhook handler and aiohttp session, on uvloop."""
    from aiogram import Bot, Dispatcher, F
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.types import Message
    from aiogram.webhook.aiohttp_server import SimpleRequestHandler

    server = base_url.removesuffix("/bot")
    session = AiohttpSession(api=TelegramAPIServer.from_base(server))
    bot = Bot(token, session=session)
    dispatcher = Dispatcher()

    @dispatcher.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    http = web.Application()
    SimpleRequestHandler(dispatcher, bot, secret_token=SECRET).register(http, path=WEBHOOK_PATH)
    runner = web.AppRunner(http, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await bot.set_webhook(
        f"http://127.0.0.1:{port}{WEBHOOK_PATH}",
        secret_token=SECRET,
        allowed_updates=list(ALLOWED_UPDATES),
    )
    await stop.wait()
    await runner.cleanup()
    await session.close()


# --- the servers under test ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


class Server:
    """A server under test in a child process, its output in ``log``."""

    def __init__(self, argv: Sequence[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        with log.open("w") as output:
            self.process = subprocess.Popen(
                argv, env=env, cwd=common.ROOT, stdout=output, stderr=subprocess.STDOUT
            )

    def cpu(self) -> float:
        """CPU seconds the child has used so far (user + system)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def wait_for_webhook(self, fake: FakeProcess, url: str) -> None:
        """Until the server has told the fake to post to ``url`` (it is then serving)."""
        while fake.ask("webhook") != url:
            if self.process.poll() is not None:  # stop() shows its log
                raise RuntimeError(f"{self.log.name}: exited with {self.process.returncode}")
            time.sleep(0.05)

    def settle(self, limit: float = 30.0) -> None:
        """Until the server is idle (under 5 % of a CPU for a second): start-up work, such as
        the service's reminder planning, is not measured."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            before = self.cpu()
            time.sleep(1.0)
            if self.cpu() - before < 0.05:
                return

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.returncode not in (0, -signal.SIGTERM):
            print(self.log.read_text()[-3000:])
            raise RuntimeError(f"{self.log.name} exited with {self.process.returncode}")


def service(
    fake: FakeProcess, url: str, port: int, rate: float, log: Path, profile: Path | None
) -> Server:
    """`canbo run` in webhook mode; under cProfile when ``profile`` names its output."""
    env = {
        **os.environ,
        "CANBO_DATABASE_URL": url,
        "CANBO_HTTP_HOST": "127.0.0.1",
        "CANBO_HTTP_PORT": str(port),
        "CANBO_TELEGRAM_TOKEN": fake.token,
        "CANBO_TELEGRAM_API_URL": fake.base_url,
        "CANBO_TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}{WEBHOOK_PATH}",
        "CANBO_TELEGRAM_WEBHOOK_SECRET": SECRET,
        "CANBO_TELEGRAM_RATE": str(rate),
        "CANBO_TIMEZONE": ZONE,
        "CANBO_QUIET_HOURS": quiet_now(),
    }
    profiling = ["-m", "cProfile", "-o", str(profile)] if profile else []
    argv = [sys.executable, *profiling, "-m", "bot.cli", "run"]
    return Server(argv, env, log)


def quiet_now() -> str:
    """Quiet hours from an hour ago to three hours ahead: the reminders the service plans at
    start stay queued, so every message the fake receives answers an update."""
    local = datetime.now(ZoneInfo(ZONE))
    return f"{local - timedelta(hours=1):%H:%M}-{local + timedelta(hours=3):%H:%M}"


def echo_bot(fake: FakeProcess, port: int, folder: Path, kind: str = "ptb") -> Server:
    argv = [sys.executable, __file__, common.CHILD_FLAG, kind, str(port), fake.token]
    return Server([*argv, fake.base_url], dict(os.environ), folder / f"echo-{kind}.log")


# --- load -------------------------------------------------------------------------------------


@dataclass
class Run:
    """One batch of updates and what came of it."""

    label: str
    posted: list[tuple[int, float]]  # (chat id, monotonic time of the POST), in order
    replies: list[tuple[int, float]]  # (chat id, monotonic time the fake received it)
    others: int  # messages that answer no /status (reminders, say)
    refused_posts: int
    server_cpu: float
    load_cpu: float

    def latencies(self) -> tuple[list[float], int]:
        """Seconds from each POST to its reply, the n-th reply to a chat answering its n-th
        update; and how many replies were unmatched (missing or extra)."""
        sent: dict[int, list[float]] = defaultdict(list)
        for chat, at in self.replies:
            sent[chat].append(at)
        asked: dict[int, list[float]] = defaultdict(list)
        for chat, at in self.posted:
            asked[chat].append(at)
        found = [
            reply - post
            for chat, posts in asked.items()
            for post, reply in zip(posts, sent.get(chat, []), strict=False)
        ]
        return found, abs(len(self.replies) - len(self.posted))

    @property
    def throughput(self) -> float:
        """Replies per second, from the first POST to the last reply."""
        if not self.replies:
            return 0.0
        return len(self.replies) / (max(at for _, at in self.replies) - self.posted[0][1])


def bodies(chats: Sequence[int], numbers: Iterator[int]) -> list[tuple[int, bytes]]:
    """One /status update per chat in ``chats``, as Telegram would post it."""
    maker = FakeTelegram()
    made = []
    for chat in chats:
        update = maker.message(STATUS, user_id=chat)
        update["update_id"] = next(numbers)
        made.append((chat, json.dumps(update).encode()))
    return made


async def _post(
    client: aiohttp.ClientSession, url: str, chat: int, body: bytes, posted: list[tuple[int, float]]
) -> bool:
    headers = {"Content-Type": "application/json", SECRET_HEADER: SECRET}
    posted.append((chat, time.monotonic()))
    async with client.post(url, data=body, headers=headers) as response:
        await response.read()
        return response.status == 200


async def _load(
    url: str, updates: list[tuple[int, bytes]], rate: float | None
) -> tuple[list[tuple[int, float]], int]:
    """Post ``updates``: at ``rate`` per second on a fixed schedule, or ``CONCURRENCY`` at a
    time as fast as they are accepted when ``rate`` is None. The posts made, and refusals."""
    posted: list[tuple[int, float]] = []
    async with aiohttp.ClientSession() as client:
        if rate is None:
            queue = iter(updates)

            async def worker() -> list[bool]:
                return [await _post(client, url, chat, body, posted) for chat, body in queue]

            done = [
                ok
                for oks in await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
                for ok in oks
            ]
        else:
            start, tasks = time.monotonic(), []
            for index, (chat, body) in enumerate(updates):
                delay = start + index / rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                tasks.append(asyncio.create_task(_post(client, url, chat, body, posted)))
            done = list(await asyncio.gather(*tasks))
    return posted, done.count(False)


def wait_for_replies(fake: FakeProcess, expected: int) -> None:
    """Until the fake has ``expected`` messages, or none came for ``REPLY_TIMEOUT``."""
    seen, last_change = fake.ask("count"), time.monotonic()
    while seen < expected and time.monotonic() - last_change < REPLY_TIMEOUT:
        time.sleep(0.05)
        now_seen = fake.ask("count")
        if now_seen != seen:
            seen, last_change = now_seen, time.monotonic()


def run(
    label: str,
    server: Server,
    fake: FakeProcess,
    url: str,
    updates: list[tuple[int, bytes]],
    rate: float | None,
) -> Run:
    before, cpu, load_cpu = fake.ask("count"), server.cpu(), time.process_time()
    posted, refused = asyncio.run(_load(url, updates, rate))
    wait_for_replies(fake, before + len(updates))
    load_cpu = time.process_time() - load_cpu
    sends = fake.ask("sends", before)
    # every message to a chat that asked answers it: reminders wait for the quiet hours' end
    asked = {chat for chat, _body in updates}
    replies = [(chat, at) for chat, at, _text in sends if chat in asked]
    others = len(sends) - len(replies)
    return Run(label, posted, replies, others, refused, server.cpu() - cpu, load_cpu)


def exercise(
    name: str,
    start: Callable[[int], Server],
    fake: FakeProcess,
    chats: Sequence[int],
    updates: int,
) -> tuple[Run, Run]:
    """Start a server on a free port and warm it up; then the latency and throughput runs."""
    port = free_port()
    server = start(port)
    url = f"http://127.0.0.1:{port}{WEBHOOK_PATH}"
    try:
        server.wait_for_webhook(fake, url)
        server.settle()
        numbers = itertools.count(1)
        schedule = [chats[i % len(chats)] for i in range(updates)]
        run("warm-up", server, fake, url, bodies(chats[:WARM_UP], numbers), RATE)
        steady = run(f"{name}, {RATE:.0f}/s", server, fake, url, bodies(schedule, numbers), RATE)
        flat_out = run(f"{name}, flat out", server, fake, url, bodies(schedule, numbers), None)
    finally:
        server.stop()
    return steady, flat_out


# --- the database ----------------------------------------------------------------------------


async def _prepare(url: str, officials: int) -> None:
    engine = create_engine(url)
    await common.populate(engine, officials, datetime.now(ZoneInfo(ZONE)).date())
    await common.link_everyone(engine)
    await engine.dispose()


def measure_service(
    backend: str,
    fake: FakeProcess,
    chats: Sequence[int],
    updates: int,
    args: Any,
    logs: Path,
) -> tuple[Run, Run] | None:
    """`canbo run` on a fresh ``backend`` database ("sqlite" or "postgres") holding the
    officials; None when PostgreSQL cannot be reached."""
    databases = {"sqlite": common.sqlite_database, "postgres": common.postgres_database}
    with databases[backend]() as url:
        if url is None:
            return None
        asyncio.run(_prepare(url, len(chats)))
        return exercise(
            f"canbo run ({backend})",
            lambda port: service(
                fake, url, port, args.telegram_rate, logs / f"service-{backend}.log", args.profile
            ),
            fake,
            chats,
            updates,
        )


# --- report -----------------------------------------------------------------------------------


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def show(outcome: Run) -> tuple[float, float]:
    """Print one run; its p99 latency in ms and its throughput."""
    latencies, unmatched = outcome.latencies()
    ms = [1000 * value for value in latencies] or [float("nan")]
    p50, p99 = percentile(ms, 0.50), percentile(ms, 0.99)
    span = outcome.posted[-1][1] - outcome.posted[0][1] if outcome.posted else 0.0
    offered = (len(outcome.posted) - 1) / span if span else 0.0
    replies = max(len(outcome.replies), 1)
    print(
        f"{outcome.label}: {len(outcome.posted)} posted ({offered:.0f}/s offered), "
        f"{len(outcome.replies)} replies → {outcome.throughput:.1f} updates/s; "
        f"latency p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {max(ms):.1f} ms; "
        f"server CPU {outcome.server_cpu / replies * 1000:.2f} ms/update, "
        f"load generator CPU {outcome.load_cpu / replies * 1000:.2f} ms/update; "
        f"unmatched replies {unmatched}, other messages {outcome.others}, "
        f"refused posts {outcome.refused_posts}",
        flush=True,
    )
    return p99, outcome.throughput


def _per_cpu(outcome: Run) -> float:
    """Replies per CPU-second of the server."""
    return len(outcome.replies) / outcome.server_cpu if outcome.server_cpu else 0.0


def print_profile(path: Path) -> None:
    stats = pstats.Stats(str(path), stream=sys.stdout)
    print("--- cProfile of `canbo run`: top 25 by own time")
    stats.sort_stats("tottime").print_stats(25)
    print("--- top 25 cumulative, our code")
    ours = re.escape(str(common.ROOT)) + "/(bot|handlers|storage|rules)/"
    stats.sort_stats("cumulative").print_stats(ours, 25)


def main() -> None:
    options = common.arguments(__doc__ or "")
    options.add_argument(
        "--telegram-rate",
        type=float,
        default=1000.0,
        help="CANBO_TELEGRAM_RATE for the service (default 1000; the service's default is 30)",
    )
    options.add_argument(
        "--backends",
        default="sqlite,postgres",
        help="databases for `canbo run`, comma-separated (default sqlite,postgres)",
    )
    options.add_argument(
        "--profile", type=Path, metavar="FILE", help="run the service under cProfile, into FILE"
    )
    args = options.parse_args()
    if args.child is not None:
        kind, port, token, base_url = args.child
        bots = {"ptb": _echo_bot, "aiogram": _aiogram_bot}
        event_loop.run(bots[kind](int(port), token, base_url))
        return
    officials, updates = (100, 1000) if args.quick else (500, 5000)
    print(common.machine())
    print(
        "note: 2 CPUs are shared by the server under test, the fake Bot API and this load "
        "generator (and by anyone else on the machine); the server's CPU per update, printed "
        "with each run, is steadier than wall-clock figures"
    )
    chats = [FIRST_CHAT + n for n in range(1, officials + 1)]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        logs = Path(folder)
        fake = FakeProcess()
        try:
            base = exercise(
                "echo bot (PTB)", lambda port: echo_bot(fake, port, logs), fake, chats, updates
            )
            other = exercise(
                "echo bot (aiogram 3)",
                lambda port: echo_bot(fake, port, logs, "aiogram"),
                fake,
                chats,
                updates,
            )
            ours = {
                backend: measure_service(backend, fake, chats, updates, args, logs)
                for backend in args.backends.split(",")
                if backend
            }
        finally:
            refused = fake.finish()
        print(
            f"{updates} /status updates from {officials} linked officials; fake refused {refused}"
        )
        show(base[0])
        _, base_rate = show(base[1])
        show(other[0])
        show(other[1])
        # the faster echo bot per CPU-second: updates answered per second of the server's CPU
        echo_per_cpu = max(_per_cpu(base[1]), _per_cpu(other[1]))
        for backend, outcome in ours.items():
            if outcome is None:
                continue
            print(f"--- canbo run on {backend}")
            for line in (logs / f"service-{backend}.log").read_text().splitlines():
                if "planned reminders" in line:  # at start; held back by the quiet hours
                    print("service:", line.split(": ", 1)[1])
            p99, _ = show(outcome[0])
            _, our_rate = show(outcome[1])
            met = base_rate and our_rate / base_rate >= THROUGHPUT_TARGET
            print(
                f"{backend}: throughput canbo run ÷ PTB echo bot = "
                f"{common.ratio(our_rate, base_rate)} "
                f"(target ≥ {THROUGHPUT_TARGET}: {'met' if met else 'MISSED'})"
            )
            ours_per_cpu = _per_cpu(outcome[1])
            met = ours_per_cpu / echo_per_cpu >= THROUGHPUT_TARGET
            print(
                f"{backend}: updates per CPU-second, canbo run ÷ the faster echo bot = "
                f"{common.ratio(ours_per_cpu, echo_per_cpu)} "
                f"(target ≥ {THROUGHPUT_TARGET}: {'met' if met else 'MISSED'})"
            )
            print(
                f"{backend}: p99 at {RATE:.0f} updates/s = {p99:.1f} ms "
                f"(target < {P99_TARGET_MS:.0f} ms: {'met' if p99 < P99_TARGET_MS else 'MISSED'})"
            )
        if args.profile is not None:
            print_profile(args.profile)
    print(f"load average {os.getloadavg()[0]:.1f}; total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
