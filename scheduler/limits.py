"""Telegram's rate limits, kept on our side so the API rarely has to refuse us.

30 messages per second overall, 1 per second in one chat, 20 per minute in one group. Each is a
token bucket. Chat and group buckets refill a little slower than the nominal rate: the server
measures arrival times, not ours, and a few milliseconds of network jitter must not cost a 429.
The overall bucket paces evenly at 97 % of the nominal rate, so that arrivals bunched by jitter
still count at most the nominal number in any second. It holds a quarter of a message beyond the
next one, enough to make up a timer that wakes a millisecond late (else each late wake-up is
lost for good, ~3 % of the rate) and far from a burst.
"""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.clock import Clock

HEADROOM = 0.9  # fraction of a per-chat or per-group nominal rate we use
GLOBAL_HEADROOM = 0.97  # fraction of the overall rate: thousands of arrivals, little jitter each
# Waits shorter than this are rounding errors: a clock reading far from zero cannot advance by
# them, and waiting for them would never end.
TICK = 1e-6
CATCH_UP = 0.25  # tokens the overall bucket holds beyond one


@dataclass
class TokenBucket:
    rate: float  # tokens per second
    capacity: float
    tokens: float
    stamp: float

    @classmethod
    def full(cls, rate: float, capacity: float, now: float) -> TokenBucket:
        return cls(rate, capacity, capacity, now)

    def wait(self, now: float) -> float:
        """Refill up to ``now``; seconds until one token is available (0 when one is)."""
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        return max(0.0, (1 - self.tokens) / self.rate)

    def take(self) -> None:
        self.tokens -= 1


class RateLimits:
    """All buckets of one bot account, plus a pause for when the messenger says "retry after"."""

    def __init__(
        self,
        clock: Clock,
        *,
        global_rate: float = 30.0,
        chat_rate: float = 1.0,
        group_per_minute: float = 20.0,
    ) -> None:
        self.clock = clock
        self.global_rate = global_rate
        self.chat_rate = chat_rate * HEADROOM
        self.group_rate = group_per_minute / 60 * HEADROOM
        self.group_capacity = group_per_minute
        self._global = TokenBucket.full(
            global_rate * GLOBAL_HEADROOM, 1 + CATCH_UP, clock.monotonic()
        )
        self._chats: dict[str, TokenBucket] = {}
        self._groups: dict[str, TokenBucket] = {}
        self._paused_until = 0.0

    def pause(self, seconds: float) -> None:
        """Send nothing at all for ``seconds`` (a 429 from the messenger)."""
        self._paused_until = max(self._paused_until, self.clock.monotonic() + seconds)

    async def acquire(self, chat_id: str, is_group: bool) -> None:
        """Wait until a message to ``chat_id`` is within every limit, then count it."""
        while True:
            now = self.clock.monotonic()
            buckets = self._buckets(chat_id, is_group, now)
            wait = max(self._paused_until - now, *(bucket.wait(now) for bucket in buckets))
            if wait <= TICK:
                for bucket in buckets:
                    bucket.take()
                return
            await self.clock.sleep(wait)

    def _buckets(self, chat_id: str, is_group: bool, now: float) -> list[TokenBucket]:
        self._forget_idle(now)
        buckets = [self._global]
        if chat_id not in self._chats:
            self._chats[chat_id] = TokenBucket.full(self.chat_rate, 1, now)
        buckets.append(self._chats[chat_id])
        if is_group:
            if chat_id not in self._groups:
                self._groups[chat_id] = TokenBucket.full(self.group_rate, self.group_capacity, now)
            buckets.append(self._groups[chat_id])
        return buckets

    def _forget_idle(self, now: float) -> None:
        """Drop buckets that have refilled completely: they would behave as new ones."""
        if len(self._chats) + len(self._groups) < 1024:
            return
        for table in (self._chats, self._groups):
            for chat_id, bucket in list(table.items()):
                if bucket.tokens + (now - bucket.stamp) * bucket.rate >= bucket.capacity:
                    del table[chat_id]
