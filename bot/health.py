"""/healthz and /readyz, for systemd, the proxy and whoever watches the workers.

/healthz is liveness: the process and its event loop answer. It does not ask the database,
since restarting a worker does not bring a database back.

/readyz says whether this worker can serve: the database answers, its schema is at the head of
this code's migrations, and every configured channel has started (503 otherwise). It also names
the worker that holds the dispatcher lock, i.e. the one sending reminders and announcements.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.http import Route
from scheduler.lock import DispatchLock
from storage.migrate import schema_state

logger = logging.getLogger(__name__)

DATABASE_WAIT = 5.0  # seconds: a database slower than this to answer counts as unreachable


@dataclass(frozen=True)
class Readiness:
    engine: AsyncEngine
    channels: Callable[[], Mapping[str, bool]]  # each configured channel: started?
    worker: str | None = None  # this worker's dispatcher name, if it has a dispatcher
    lock: DispatchLock | None = None

    async def report(self) -> tuple[bool, dict[str, Any]]:
        """(ready, what was found)."""
        found: dict[str, Any] = {}
        ready = True
        try:
            async with asyncio.timeout(DATABASE_WAIT), self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
                state = await schema_state(connection)
        except (SQLAlchemyError, OSError, TimeoutError) as error:
            logger.warning("readiness: database unreachable (%s)", type(error).__name__)
            return False, {"database": "unreachable"}
        found["database"] = "ok"
        found["migrations"] = {
            "current": sorted(state.current),
            "head": sorted(state.head),
            "at_head": state.at_head,
        }
        ready &= state.at_head
        channels = dict(self.channels())
        found["channels"] = {name: "started" if up else "stopped" for name, up in channels.items()}
        ready &= all(channels.values())
        if self.lock is not None:
            holder = await self.lock.holder()
            found["dispatcher"] = {"holder": holder, "this_worker": holder == self.worker}
        return ready, found


def health_routes(readiness: Readiness) -> list[Route]:
    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(request: web.Request) -> web.Response:
        ready, found = await readiness.report()
        status = "ready" if ready else "not ready"
        return web.json_response({"status": status, **found}, status=200 if ready else 503)

    return [Route("GET", "/healthz", healthz), Route("GET", "/readyz", readyz)]
