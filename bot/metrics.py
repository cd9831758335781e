"""Counters for /metrics, in the Prometheus text format. Small on purpose: enough to see that
updates arrive, get answered and are not processed twice."""

from __future__ import annotations

from collections import Counter

HELP = {
    "canbo_updates_received_total": "Messenger updates received.",
    "canbo_updates_processed_total": "Updates handled and answered.",
    "canbo_updates_duplicate_total": "Updates skipped because their id was already processed.",
    "canbo_replies_sent_total": "Messages sent in reply.",
    "canbo_webhook_rejected_total": "Webhook requests refused (wrong secret or malformed body).",
}


class Metrics:
    def __init__(self) -> None:
        self._counts: Counter[tuple[str, str]] = Counter()

    def inc(self, name: str, channel: str, amount: int = 1) -> None:
        if name not in HELP:
            raise KeyError(f"unknown metric {name}")
        self._counts[name, channel] += amount

    def value(self, name: str, channel: str) -> int:
        return self._counts[name, channel]

    def render(self) -> str:
        lines: list[str] = []
        for name, help_text in HELP.items():
            lines += [f"# HELP {name} {help_text}", f"# TYPE {name} counter"]
            for (metric, channel), count in sorted(self._counts.items()):
                if metric == name:
                    lines.append(f'{name}{{channel="{channel}"}} {count}')
        return "\n".join(lines) + "\n"
