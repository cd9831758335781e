"""`canbo backup` while an announcement is being sent, then `canbo restore`: every row the
backup saw committed is there, consistent across tables, and the restored database finishes
the announcement. Restore refuses what is not a canbo backup, a newer one, and a database the
service holds."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.cli import main
from rules.profiles import load_profile
from scheduler.delivery import Outgoing
from scheduler.dispatcher import Dispatcher, DispatchSettings, Outlet
from scheduler.limits import Limits, send_budget
from scheduler.lock import dispatch_lock
from storage import broadcasts
from storage.access import Scope
from storage.audience import Audience
from storage.db import create_engine, session_factory
from storage.models import Channel, OutboxMessage, OutboxStatus
from storage.types import utcnow
from tests.factories import make_official, make_unit
from tests.importers.files import snapshot
from tests.scheduler.helpers import ALWAYS, ZONE, VirtualClock, link

on_sqlite = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

RECIPIENTS = 60
PAUSE_AT = 20  # the send that waits until the backup is done


class GatedSender:
    """Accepts every message at once, except the ``pause_at``-th, which waits for ``resume``:
    the other sends go on (and are recorded) while the backup runs."""

    channel = Channel.TELEGRAM
    identity = "telegram:1"

    def __init__(self, pause_at: int | None = None) -> None:
        self.pause_at = pause_at
        self.count = 0
        self.paused = asyncio.Event()
        self.resume = asyncio.Event()

    async def send(self, chat_id: str, message: Outgoing) -> str:
        self.count += 1
        if self.count == self.pause_at:
            self.paused.set()
            await self.resume.wait()
        await asyncio.sleep(0)
        return str(self.count)

    async def close(self) -> None:
        return None


async def _announce(session) -> None:
    unit = await make_unit(session, code="BK", name="Xã Sao Lưu")
    for number in range(RECIPIENTS):
        official = await make_official(session, f"BK{number:03}", unit=unit)
        await link(session, official.id, str(8000 + number))
    draft = broadcasts.new_draft(session, "cli:test", None, Scope.all())
    draft.audience = Audience(units=("BK",)).to_json()
    broadcasts.set_text(draft, "Họp trực tuyến lúc 14:00 hôm nay.")
    now = utcnow()
    await broadcasts.queue(
        session, draft, load_profile("nd33-2023"), now, now.astimezone(ZONE).date()
    )
    await session.commit()


def _dispatcher(engine, sender) -> Dispatcher:
    outlets = {
        Channel.TELEGRAM: Outlet(
            sender, send_budget(None, "test", Limits(), VirtualClock(utcnow()))
        )
    }
    return Dispatcher(engine, outlets, ALWAYS, settings=DispatchSettings(concurrency=4))


async def _sent_ids(sessions) -> set[int]:
    async with sessions() as session:
        rows = await session.scalars(
            select(OutboxMessage.id).where(OutboxMessage.status == OutboxStatus.SENT)
        )
        return set(rows)


@on_sqlite
async def test_a_backup_taken_during_an_announcement_restores_every_row(
    session, engine, database_url, tmp_path, monkeypatch
):
    await _announce(session)
    sessions = session_factory(engine)
    sender = GatedSender(PAUSE_AT)
    sending = asyncio.create_task(_dispatcher(engine, sender).drain())
    await asyncio.wait_for(sender.paused.wait(), 30)
    committed = await _sent_ids(sessions)

    monkeypatch.setenv("CANBO_DATABASE_URL", database_url)
    backup = tmp_path / "canbo-backup.db"
    assert await asyncio.to_thread(main, ["backup", str(backup)]) == 0
    sender.resume.set()
    report = await asyncio.wait_for(sending, 30)
    assert report is not None and report.sent == RECIPIENTS

    restored_path = tmp_path / "restored.db"
    monkeypatch.setenv("CANBO_DATABASE_URL", f"sqlite+aiosqlite:///{restored_path}")
    assert await asyncio.to_thread(main, ["restore", str(backup)]) == 0
    restored = create_engine(f"sqlite+aiosqlite:///{restored_path}")
    try:
        async with session_factory(restored)() as check:
            saved = await snapshot(check)
        async with sessions() as now:
            current = await snapshot(now)
        rows = saved["outbox"]
        attempts = saved["delivery_attempts"]
        status = {row.id: row.status for row in (await _rows(restored, OutboxMessage))}
        # the restored database goes on where the backup left it
        finish = await _dispatcher(restored, GatedSender()).drain()
    finally:
        await restored.dispose()

    # every table the dispatcher does not write is exactly as it is now
    for table, content in current.items():
        if table not in ("outbox", "delivery_attempts"):
            assert saved[table] == content, table
    # every row of the announcement is there, each committed send with its attempt
    assert len(rows) == RECIPIENTS == len(current["outbox"])
    assert committed <= {i for i, s in status.items() if s is OutboxStatus.SENT}
    sent = {i for i, s in status.items() if s is OutboxStatus.SENT}
    assert PAUSE_AT - 1 <= len(sent) < RECIPIENTS
    assert set(status.values()) <= {OutboxStatus.SENT, OutboxStatus.CLAIMED, OutboxStatus.PENDING}
    assert sorted(row[1] for row in attempts) == sorted(sent)
    assert set(attempts) <= set(current["delivery_attempts"])
    assert finish is not None and finish.sent == RECIPIENTS - len(sent)
    assert sqlite3.connect(backup).execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert not backup.with_name(backup.name + "-wal").exists()


async def _rows(engine: AsyncEngine, model: type[OutboxMessage]) -> list[OutboxMessage]:
    async with session_factory(engine)() as session:
        return list(await session.scalars(select(model)))


@pytest.fixture
def saved(sqlite_url, tmp_path, monkeypatch):
    """A backup of the tests' SQLite database; CANBO_DATABASE_URL then names an empty file."""
    monkeypatch.setenv("CANBO_DATABASE_URL", sqlite_url)
    path = tmp_path / "saved.db"
    assert main(["backup", str(path)]) == 0
    monkeypatch.setenv("CANBO_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'target.db'}")
    return path


def test_a_backup_never_overwrites_a_file(saved, sqlite_url, capsys, monkeypatch):
    monkeypatch.setenv("CANBO_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("CANBO_LOCALE", "en")
    capsys.readouterr()
    assert main(["backup", str(saved)]) == 1
    assert capsys.readouterr().err.endswith(
        "saved.db already exists: choose another name, or remove it first.\n"
    )


def test_restore_refuses_what_is_not_a_canbo_backup(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CANBO_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'target.db'}")
    stranger = tmp_path / "notes.db"
    with sqlite3.connect(stranger) as connection:
        connection.execute("CREATE TABLE notes (text)")
    (tmp_path / "junk.db").write_text("not a database")
    for path in (stranger, tmp_path / "junk.db"):
        assert main(["restore", str(path)]) == 1
        assert capsys.readouterr().err == f"{path} không phải bản sao lưu cơ sở dữ liệu canbo.\n"


def test_restore_refuses_a_backup_from_a_newer_version(saved, capsys):
    with sqlite3.connect(saved) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    assert main(["restore", str(saved)]) == 1
    assert "được tạo bởi phiên bản canbo mới hơn" in capsys.readouterr().err


async def test_restore_refuses_while_the_service_holds_the_database(saved, tmp_path, capsys):
    target = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'target.db'}")
    lock = dispatch_lock(target, "telegram:1", "abc/host:42:worker")
    assert await lock.acquire()
    try:
        assert await asyncio.to_thread(main, ["restore", str(saved)]) == 1
    finally:
        await lock.release()
        await target.dispose()
    assert "(tiến trình abc/host:42:worker đang gửi tin)" in capsys.readouterr().err
    assert not (tmp_path / "target.db").exists()


def test_backup_points_postgresql_to_pg_dump(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CANBO_DATABASE_URL", "postgresql+asyncpg://canbo@db.invalid/canbo")
    assert main(["backup", str(tmp_path / "x.db")]) == 1
    assert "pg_dump" in capsys.readouterr().err
