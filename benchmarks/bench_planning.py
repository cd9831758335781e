"""Planning at scale: one run of ``scheduler.planner.plan`` over synthetic provinces of 10,000,
100,000 and 250,000 officials (``--quick``: 2,000, 10,000 and 20,000), on SQLite and on
PostgreSQL (skipped with the reason when unreachable).

Each province is generated in one child process and planned in another, so the planning
process's peak resident memory is the planner's (plus the interpreter and libraries, shown as
the size-independent part). A province is planned ``--repeat`` times (3), each from an empty
outbox in a fresh process: this machine's speed drifts by a third from minute to minute, so
one run says little and the median is what is compared. Printed: the median seconds (and the
range) and peak MB per size, seconds per 1,000 officials (wall and CPU), and the growth ratio
time(10×)/time(1×) ÷ 10 of the medians against the smallest size measured in the same run
(1.0 is linear). ``--profile`` adds the top 10 cumulative functions
of our code (scheduler, storage, rules) in the 10,000 case on SQLite; ``--backends ""`` skips
the timings. Then the daily steady state: with the last run's outbox full, the province
planned again the next day, its time ÷ the first plan's median.
"""

from __future__ import annotations

import asyncio
import cProfile
import pstats
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import common
from sqlalchemy import delete

from scheduler.config import ReminderConfig
from scheduler.planner import plan
from storage.db import create_engine, session_factory
from storage.models import OutboxMessage

NOW = datetime(2026, 11, 23, 1, 30, tzinfo=UTC)  # a Monday, 08:30 in Vietnam
CONFIG = ReminderConfig()
TARGET_SECONDS = 60.0
TARGET_MB = 1024.0


# --- the child processes ---------------------------------------------------------------------


async def _populate(url: str, officials: int) -> dict[str, float]:
    engine = create_engine(url)
    with common.stopwatch() as took:
        province = await common.populate(engine, officials, CONFIG.calendar.local(NOW).date())
    await engine.dispose()
    return {"generated_s": took[0], "enrollments": province.enrollments, "chats": province.chats}


async def _plan(url: str, profile: bool, now: datetime = NOW) -> dict[str, Any]:
    engine = create_engine(url)
    async with session_factory(engine)() as session:
        before = common.maxrss_mb()
        profiler = cProfile.Profile() if profile else None
        with common.stopwatch() as took:
            if profiler is not None:
                profiler.enable()
            result = await plan(session, now, CONFIG)
            if profiler is not None:
                profiler.disable()
    await engine.dispose()
    if profiler is not None:
        stats = pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative")
        stats.print_stats(r"/(scheduler|storage|rules)/", 10)
    return {
        "plan_s": took[0],
        "cpu_s": took[1],
        "queued": result.total,
        "kinds": dict(sorted(result.queued.items())),
        "rss_before_mb": before,
    }


async def _empty_outbox(url: str) -> dict[str, Any]:
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.execute(delete(OutboxMessage))
    await engine.dispose()
    return {}


def child(step: str, url: str, argument: str) -> None:
    if step == "populate":
        common.report_to_parent(asyncio.run(_populate(url, int(argument))))
    elif step == "empty":
        common.report_to_parent(asyncio.run(_empty_outbox(url)))
    elif step == "next-day":
        common.report_to_parent(asyncio.run(_plan(url, False, NOW + timedelta(days=1))))
    else:
        common.report_to_parent(asyncio.run(_plan(url, argument == "profile")))


# --- the parent ------------------------------------------------------------------------------


def measure(url: str, officials: int, repeat: int, *, profile: bool = False) -> dict[str, Any]:
    """The province's figures, with the median plan of ``repeat`` and the range of them."""
    made = common.run_child(__file__, "populate", url, str(officials))
    runs: list[dict[str, Any]] = []
    for number in range(repeat):
        if number:
            common.run_child(__file__, "empty", url, "-")
        runs.append(common.run_child(__file__, "plan", url, "profile" if profile else "-"))
    # the daily steady state: yesterday's outbox full, planned again the next day
    next_day = common.run_child(__file__, "next-day", url, "-")
    runs.sort(key=lambda run: float(run["plan_s"]))
    walls = [float(run["plan_s"]) for run in runs]
    return {
        **made,
        **runs[len(runs) // 2],
        "next_day_s": float(next_day["plan_s"]),
        "next_day_cpu_s": float(next_day["cpu_s"]),
        "next_day_queued": next_day["queued"],
        "maxrss_mb": max(float(run["maxrss_mb"]) for run in runs),
        "range_s": (walls[0], walls[-1]),
    }


def backend(name: str, officials: int, repeat: int, *, profile: bool = False) -> dict[str, Any]:
    """Figures for one size in a fresh database; empty when the backend is unavailable."""
    if name == "sqlite":
        with common.sqlite_database() as url:
            return measure(url, officials, repeat, profile=profile)
    with common.postgres_database() as postgres_url:
        return measure(postgres_url, officials, repeat, profile=profile) if postgres_url else {}


def run_backend(name: str, sizes: tuple[int, ...], repeat: int) -> None:
    print(f"--- {name} (median of {repeat} runs per size)")
    timings: dict[int, tuple[float, float]] = {}
    for officials in sizes:
        figures = backend(name, officials, repeat)
        if not figures:
            return
        timings[officials] = figures["plan_s"], figures["cpu_s"]
        within = figures["plan_s"] < TARGET_SECONDS and figures["maxrss_mb"] < TARGET_MB
        over = "" if within else " (over the 60 s / 1 GB target)"
        fastest, slowest = figures["range_s"]
        print(
            f"{officials:>7,} officials: plan {figures['plan_s']:.1f} s "
            f"({fastest:.1f}–{slowest:.1f}; CPU {figures['cpu_s']:.1f} s), "
            f"{figures['plan_s'] / officials * 1000:.3f} s per 1,000 "
            f"(CPU {figures['cpu_s'] / officials * 1000:.3f} s); "
            f"peak RSS {figures['maxrss_mb']:.0f} MB (interpreter before planning "
            f"{figures['rss_before_mb']:.0f} MB); "
            f"queued {figures['queued']:.0f} {figures['kinds']}; "
            f"generated in {figures['generated_s']:.1f} s{over}",
            flush=True,
        )
        print(
            f"{officials:>7,} officials, the next day with that outbox full: plan "
            f"{figures['next_day_s']:.1f} s (CPU {figures['next_day_cpu_s']:.1f} s), queued "
            f"{figures['next_day_queued']:.0f}; ÷ the first plan (median) = "
            f"{common.ratio(figures['next_day_s'], figures['plan_s'])}",
            flush=True,
        )
    small = sizes[0]
    for officials in sizes[1:]:
        wall, cpu = (
            timings[officials][i] / timings[small][i] / (officials / small) for i in (0, 1)
        )
        print(
            f"growth {officials:,} vs {small:,}: time ratio ÷ size ratio = {wall:.2f} "
            f"(CPU time: {cpu:.2f})"
        )


def main() -> None:
    options = common.arguments(__doc__ or "")
    options.add_argument("--profile", action="store_true", help="cProfile the 10,000 case")
    options.add_argument("--backends", default="sqlite,postgres")
    options.add_argument("--sizes", help="comma-separated officials counts, smallest first")
    options.add_argument("--repeat", type=int, default=3, help="plans per size (median shown)")
    args = options.parse_args()
    if args.child is not None:
        child(*args.child)
        return
    print(common.machine())
    sizes: tuple[int, ...] = (2_000, 10_000, 20_000) if args.quick else (10_000, 100_000, 250_000)
    if args.sizes:
        sizes = tuple(int(size) for size in args.sizes.split(","))
    for name in filter(None, args.backends.split(",")):
        run_backend(name, sizes, max(1, args.repeat))
    if args.profile:
        print("--- cProfile, 10,000 officials on SQLite (top 10 cumulative of our code)")
        backend("sqlite", 10_000, 1, profile=True)


if __name__ == "__main__":
    main()
