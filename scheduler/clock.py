"""Time as the scheduler sees it: injectable, so tests step through days and seconds instantly."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime
from typing import Protocol

from storage.types import utcnow


class Clock(Protocol):
    def now(self) -> datetime:
        """The current aware UTC datetime, for what is stored."""

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back, for pacing."""

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> datetime:
        return utcnow()

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
