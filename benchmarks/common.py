"""What the benchmark scripts share: the machine line, temporary migrated databases, child
processes measured for peak memory, and synthetic provinces inserted in bulk.

Each script runs as ``python benchmarks/bench_x.py``; this module puts the repository root on
``sys.path`` so the test fakes (``tests.fakes``) import as they do under pytest.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Table, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from rules.scales import Gender, PoliticalTheory, ProfessionalLevel, StateManagement
from rules.titles import TitleKind
from storage import broadcasts
from storage.db import create_engine, session_factory
from storage.migrate import upgrade
from storage.models import (
    Bond,
    Channel,
    ChatAccount,
    Course,
    CourseKind,
    Enrollment,
    EnrollmentStatus,
    HeldTitle,
    Official,
    Title,
    Unit,
    UnitKind,
)
from storage.outbox import Notice, enqueue
from storage.titles import title_name
from storage.types import utcnow

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

POSTGRES_ADMIN = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
CHUNK = 5000  # rows per executemany
CHILD_FLAG = "--child"
CIVIL_SERVANT_FIELDS = ("Văn phòng - thống kê", "Tư pháp - hộ tịch", "Tài chính - kế toán")
# The title kinds a synthetic official holds besides civil servants: those of 2025 and before.
SINGLE_TITLES = tuple(k for k in TitleKind if k.is_key or k is TitleKind.SOURCE_TRAINEE)
CONCURRENT = 20  # one official in 20 holds two titles


# --- running ---------------------------------------------------------------------------------


def arguments(description: str) -> argparse.ArgumentParser:
    """A parser with ``--quick`` (also BENCH_QUICK=1) and the hidden child-process flag."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--quick",
        action="store_true",
        default=os.environ.get("BENCH_QUICK") == "1",
        help="smaller sizes (also BENCH_QUICK=1)",
    )
    parser.add_argument(CHILD_FLAG, nargs="*", help=argparse.SUPPRESS)
    return parser


def machine() -> str:
    """One line naming the machine, for RESULTS.md."""
    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return (
        f"{os.cpu_count()} CPUs, {pages / 2**30:.1f} GiB RAM, Python {platform.python_version()}, "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load average {os.getloadavg()[0]:.1f}"
    )


def maxrss_mb() -> float:
    """This process's peak resident memory so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report_to_parent(figures: dict[str, Any]) -> None:
    """A child's last stdout line: its figures as JSON, with its peak memory."""
    print(json.dumps({**figures, "maxrss_mb": maxrss_mb()}), flush=True)


def run_child(script: str, *args: str) -> dict[str, Any]:
    """Run ``script --child args`` in a fresh interpreter, so its peak memory is its own;
    echo what it printed before its figures."""
    done = subprocess.run(
        [sys.executable, script, CHILD_FLAG, *args],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    *told, last = done.stdout.strip().splitlines()
    for line in told:
        print(line)
    result: dict[str, Any] = json.loads(last)
    return result


@contextlib.contextmanager
def stopwatch() -> Iterator[list[float]]:
    """``with stopwatch() as took:`` → ``took[0]`` wall seconds, ``took[1]`` CPU seconds."""
    took: list[float] = []
    wall, cpu = time.perf_counter(), time.process_time()
    yield took
    took += [time.perf_counter() - wall, time.process_time() - cpu]


# --- databases -------------------------------------------------------------------------------


@contextlib.contextmanager
def sqlite_database() -> Iterator[str]:
    """A migrated SQLite database in a temporary directory, deleted afterwards."""
    with tempfile.TemporaryDirectory(prefix="canbo_bench_") as folder:
        url = f"sqlite+aiosqlite:///{folder}/bench.db"
        upgrade(url)
        yield url


@contextlib.contextmanager
def postgres_database() -> Iterator[str | None]:
    """A migrated PostgreSQL database of our own, dropped afterwards; None (with the reason
    printed) when the server cannot be reached."""
    name = f"canbo_bench_{uuid.uuid4().hex[:10]}"
    try:
        asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    except OSError as error:
        print(f"PostgreSQL skipped: cannot reach {POSTGRES_ADMIN.split('@')[1]}: {error}")
        yield None
        return
    try:
        url = POSTGRES_ADMIN.rsplit("/", 1)[0] + f"/{name}"
        upgrade(url)
        yield url
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _admin(statement: str) -> None:
    engine = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


async def bulk_insert(engine: AsyncEngine, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Core INSERT … executemany, ``CHUNK`` rows per statement batch, one transaction."""
    async with engine.begin() as connection:
        for start in range(0, len(rows), CHUNK):
            await connection.execute(insert(table), list(rows[start : start + CHUNK]))


async def fix_sequences(engine: AsyncEngine, tables: Sequence[Table]) -> None:
    """Rows inserted with explicit ids leave PostgreSQL sequences behind; catch them up."""
    if engine.dialect.name != "postgresql":
        return
    async with engine.begin() as connection:
        for table in tables:
            await connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {table.name}))"
                )
            )


# --- synthetic data --------------------------------------------------------------------------


@dataclass(frozen=True)
class Province:
    officials: int
    units: int
    courses: int
    enrollments: int
    bonds: int
    chats: int


def unit_code(number: int) -> str:
    """Commune ``number``'s catalogue code: five digits, so it starts with 0 below 10,000."""
    return f"{number:05d}"


async def insert_units(engine: AsyncEngine, communes: int) -> list[int]:
    """A province (id 1) and ``communes`` communes under it; returns the communes' ids."""
    province = {"id": 1, "code": "01", "name": "Tỉnh Thử nghiệm", "kind": UnitKind.PROVINCE}
    rows = [{**province, "parent_id": None, "path": "/1/"}]
    ids = list(range(2, communes + 2))
    rows += [
        {
            "id": unit_id,
            "code": unit_code(unit_id - 1),
            "name": f"Xã Thử nghiệm {unit_id - 1}",
            "kind": UnitKind.COMMUNE,
            "parent_id": 1,
            "path": f"/1/{unit_id}/",
            "difficult_area": unit_id % 7 == 0,
        }
        for unit_id in ids
    ]
    await bulk_insert(engine, Unit.__table__, rows)  # type: ignore[arg-type]
    await fix_sequences(engine, [Unit.__table__])  # type: ignore[list-item]
    return ids


def _titles() -> list[dict[str, Any]]:
    kinds: list[tuple[TitleKind, str]] = [(kind, "") for kind in SINGLE_TITLES]
    kinds += [(TitleKind.CIVIL_SERVANT, field) for field in CIVIL_SERVANT_FIELDS]
    return [
        {"id": number, "kind": kind, "field": field, "name": title_name(kind, field)}
        for number, (kind, field) in enumerate(kinds, start=1)
    ]


def _official(number: int, unit_id: int, rng: random.Random) -> dict[str, Any]:
    born = date(1963, 1, 1) + timedelta(days=rng.randrange(36 * 365))
    return {
        "id": number,
        "code": f"CB{number:07d}",
        "full_name": f"Cán bộ Thử {number}",
        "birth_date": born,
        "gender": rng.choice((Gender.MALE, Gender.FEMALE)),
        "unit_id": unit_id,
        "appointed_on": date(2015, 1, 1) + timedelta(days=rng.randrange(11 * 365)),
        "professional_level": rng.choice(list(ProfessionalLevel)),
        "political_theory": rng.choice(list(PoliticalTheory)),
        "state_management": rng.choice(list(StateManagement)),
        "party_member": rng.random() < 0.8,
    }


def _course(number: int, today: date, rng: random.Random) -> dict[str, Any]:
    """Course ``number``. The first of each kind closes registration in 10 days (a reminder
    wave for everyone with a gap it closes, at every size); the others close before today or
    after it, so they never change which course that wave names."""
    kinds = list(CourseKind)
    if number <= len(kinds):
        starts, kind = today + timedelta(days=30), kinds[number - 1]
        closes: date | None = today + timedelta(days=10)
    else:
        starts, kind = today + timedelta(days=rng.randrange(-300, 150)), rng.choice(kinds)
        closes = starts - timedelta(days=7)
        if today <= closes <= today + timedelta(days=10) or rng.random() < 0.5:
            closes = None
    return {
        "id": number,
        "code": f"KH{number:06d}",
        "name": f"Lớp bồi dưỡng {number}",
        "kind": kind,
        "starts_on": starts,
        "ends_on": starts + timedelta(days=rng.randrange(5, 120)),
        "enroll_by": closes,
    }


def _enrollment(
    number: int, official_id: int, course: dict[str, Any], today: date, rng: random.Random
) -> dict[str, Any]:
    over = course["ends_on"] < today
    status = (
        rng.choice(
            (EnrollmentStatus.COMPLETED, EnrollmentStatus.COMPLETED, EnrollmentStatus.FAILED)
        )
        if over
        else rng.choice((EnrollmentStatus.REGISTERED, EnrollmentStatus.STUDYING))
    )
    done = course["ends_on"] if status is EnrollmentStatus.COMPLETED else None
    return {
        "id": number,
        "official_id": official_id,
        "course_id": course["id"],
        "status": status,
        "completed_on": done,
    }


async def populate(engine: AsyncEngine, officials: int, today: date, *, seed: int = 7) -> Province:
    """A synthetic province of ``officials`` people (ids 1…n): a commune per 25 of them,
    courses officials/50, enrollments 1.5 per official, bonds for 10%, a linked Telegram chat
    (external id ``1000000 + official id``) for 60%."""
    rng = random.Random(seed)
    unit_ids = await insert_units(engine, max(1, officials // 25))
    await insert_people(engine, officials, unit_ids, rng)
    courses = [_course(n, today, rng) for n in range(1, max(1, officials // 50) + 1)]
    enrollments: list[dict[str, Any]] = []
    for official_id in range(1, officials + 1):
        first = rng.randrange(len(courses))
        picks = [first]
        if official_id % 2 and len(courses) > 1:  # half take a second, different course
            picks.append((first + 1 + rng.randrange(len(courses) - 1)) % len(courses))
        for pick in picks:
            number = len(enrollments) + 1
            enrollments.append(_enrollment(number, official_id, courses[pick], today, rng))
    bonded = rng.sample(range(1, officials + 1), officials // 10)
    bonds = [
        {
            "id": number,
            "official_id": official_id,
            "course_id": rng.choice(courses)["id"],
            "starts_on": today - timedelta(days=rng.randrange(5 * 365)),
            "months": rng.choice((24, 36, 60)),
        }
        for number, official_id in enumerate(bonded, start=1)
    ]
    linked = rng.sample(range(1, officials + 1), officials * 6 // 10)
    tables: list[tuple[Any, list[dict[str, Any]]]] = [
        (Course.__table__, courses),
        (Enrollment.__table__, enrollments),
        (Bond.__table__, bonds),
        (ChatAccount.__table__, linked_chats(linked)),
    ]
    for table, rows in tables:
        await bulk_insert(engine, table, rows)
    await fix_sequences(engine, [table for table, _ in tables])
    return Province(
        officials, len(unit_ids), len(courses), len(enrollments), len(bonds), len(linked)
    )


async def insert_people(
    engine: AsyncEngine, officials: int, unit_ids: Sequence[int], rng: random.Random
) -> None:
    """The title catalogue and ``officials`` officials (ids 1…n) spread over ``unit_ids``; one
    in ``CONCURRENT`` also holds a second title (kiêm nhiệm), drawn apart so the rest of the
    province is the same with or without it."""
    titles = _titles()
    people, held = [], []
    for n in range(1, officials + 1):
        unit_id, title_id = rng.choice(unit_ids), rng.choice(titles)["id"]
        people.append(_official(n, unit_id, rng))
        held.append({"official_id": n, "title_id": title_id, "position": 0})
    second = random.Random(officials)
    for n in range(CONCURRENT, officials + 1, CONCURRENT):
        other = second.choice([t["id"] for t in titles if t["id"] != held[n - 1]["title_id"]])
        held.append({"official_id": n, "title_id": other, "position": 1})
    await bulk_insert(engine, Title.__table__, titles)  # type: ignore[arg-type]
    await bulk_insert(engine, Official.__table__, people)  # type: ignore[arg-type]
    await bulk_insert(engine, HeldTitle.__table__, held)  # type: ignore[arg-type]
    await fix_sequences(engine, [Title.__table__, Official.__table__])  # type: ignore[list-item]


def linked_chats(official_ids: Sequence[int]) -> list[dict[str, Any]]:
    """One private Telegram chat per official, chat id ``1000000 + official id``."""
    return [
        {
            "id": number,
            "channel": Channel.TELEGRAM,
            "external_id": str(1_000_000 + official_id),
            "official_id": official_id,
            "language": "vi",
            "muted_kinds": [],
            "dialog_data": {},
        }
        for number, official_id in enumerate(official_ids, start=1)
    ]


async def queue_announcement(url: str, recipients: int, text: str) -> None:
    """``recipients`` officials (ids 1…n) in ten communes, each with a linked Telegram chat and
    an announcement of ``text`` due now in the outbox."""
    engine = create_engine(url)
    unit_ids = await insert_units(engine, 10)
    await insert_people(engine, recipients, unit_ids, random.Random(1))
    await bulk_insert(engine, ChatAccount.__table__, linked_chats(range(1, recipients + 1)))  # type: ignore[arg-type]
    payload = {"broadcast": 1, "text": text, "signature": "", "ack": False}
    now = utcnow() - timedelta(seconds=1)
    async with session_factory(engine)() as session:
        for start in range(1, recipients + 1, 1000):
            notices = [
                Notice(broadcasts.KIND, payload, now, official_id=n, subject="1", urgent=True)
                for n in range(start, min(start + 1000, recipients + 1))
            ]
            await enqueue(session, notices)
        await session.commit()
    await engine.dispose()


def ratio(value: float, baseline: float) -> str:
    return f"{value / baseline:.3f}" if baseline else "n/a"


async def link_everyone(engine: AsyncEngine) -> int:
    """A linked Telegram chat (as ``linked_chats`` makes them) for every official without one;
    how many were added."""
    async with engine.connect() as connection:
        unlinked = await connection.scalars(
            select(Official.id)
            .where(
                ~Official.id.in_(
                    select(ChatAccount.official_id).where(ChatAccount.official_id.is_not(None))
                )
            )
            .order_by(Official.id)
        )
        official_ids = list(unlinked)
    rows = [{k: v for k, v in row.items() if k != "id"} for row in linked_chats(official_ids)]
    if rows:
        await bulk_insert(engine, ChatAccount.__table__, rows)  # type: ignore[arg-type]
    return len(rows)
