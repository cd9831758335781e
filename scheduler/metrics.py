"""The dispatcher's and the planner's metrics, counted in this process (prometheus_client's
default registry; bot/metrics.py serves them).

Each worker counts only what it did itself, so Prometheus adds the workers up. Outcomes are
those of the messenger's answer: ``sent``; ``rate_limited`` (429); ``transient`` (5xx,
timeouts, network errors: retried); ``blocked`` (the user blocked the bot, or the chat is gone);
``rejected`` (a bad request, not retried).
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

from scheduler.delivery import DeliveryError, RetryAfter, Transient, Unreachable

LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
PLAN_BUCKETS = (1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 900.0)

SENDS = Counter(
    "canbo_sends", "Messages the dispatcher tried to send, by outcome.", ["channel", "outcome"]
)
SEND_SECONDS = Histogram(
    "canbo_send_seconds",
    "Time from asking the messenger to send until it answered.",
    ["channel"],
    buckets=LATENCY_BUCKETS,
)
PLAN_RUNS = Counter("canbo_planner_runs", "Planner runs, by outcome (ok, failed).", ["outcome"])
PLAN_SECONDS = Histogram(
    "canbo_planner_run_seconds", "How long a planner run took.", buckets=PLAN_BUCKETS
)
PLAN_QUEUED = Counter("canbo_planner_queued", "Reminders the planner queued, by kind.", ["kind"])
PLAN_CANCELLED = Counter(
    "canbo_planner_cancelled", "Queued reminders the planner cancelled as no longer due."
)
PLAN_LAST_SUCCESS = Gauge(
    "canbo_planner_last_success_timestamp_seconds", "When the last planner run succeeded."
)


def outcome(error: DeliveryError | None) -> str:
    """The ``outcome`` label of a send that ended with ``error`` (None: delivered)."""
    if error is None:
        return "sent"
    if isinstance(error, RetryAfter):
        return "rate_limited"
    if isinstance(error, Transient):
        return "transient"
    if isinstance(error, Unreachable):
        return "blocked"
    return "rejected"
