"""Every import is on the audit log with its file, counts, actor and outcome: imported,
rejected, dry run, interrupted, and one killed outright (still "started")."""

from __future__ import annotations

import asyncio
import hashlib

import pytest
from sqlalchemy import func, select

from storage.importers.importer import Importer
from storage.models import AuditEntry, Official
from tests.importers.files import OFFICIALS_HEADER, official_row, run_import, write_csv


async def _entries(session) -> list[AuditEntry]:
    session.expire_all()
    return list(await session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


async def test_an_import_is_audited_with_file_counts_and_actor(session, sessions, ward, tmp_path):
    path = write_csv(tmp_path / "roster.csv", [[*OFFICIALS_HEADER, "STT"], [*official_row(), 1]])

    await run_import(sessions, "officials", path)

    (entry,) = await _entries(session)
    assert (entry.actor, entry.action, entry.target) == (
        "cli:test",
        "import.officials",
        "roster.csv",
    )
    assert entry.detail == {
        "outcome": "imported",
        "dry_run": False,
        "bytes": path.stat().st_size,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "ignored_columns": ["STT"],
    }


async def test_a_rejected_import_is_audited_with_its_problems(session, sessions, ward, tmp_path):
    rows = [official_row("CB001", **{"Ngày sinh": "31/02/1980"}), official_row("CB001")]
    path = write_csv(tmp_path / "bad.csv", [OFFICIALS_HEADER, *rows])

    report = await run_import(sessions, "officials", path)

    assert report.rejected
    (entry,) = await _entries(session)
    assert (entry.action, entry.target) == ("import.officials", "bad.csv")
    assert {key: entry.detail[key] for key in ("outcome", "problems", "bad_rows")} == {
        "outcome": "rejected",
        "problems": 2,  # the bad date, and the same code again on the next row
        "bad_rows": 2,
    }
    assert "created" not in entry.detail  # nothing was
    assert await session.scalar(select(func.count()).select_from(Official)) == 0


async def test_a_file_that_cannot_be_read_is_audited(session, sessions, ward, tmp_path):
    await run_import(sessions, "officials", tmp_path / "missing.xlsx")

    (entry,) = await _entries(session)
    assert (entry.target, entry.detail["outcome"], entry.detail["problems"]) == (
        "missing.xlsx",
        "rejected",
        1,
    )


async def test_a_dry_run_is_audited_with_what_it_would_do(session, sessions, ward, tmp_path):
    path = write_csv(tmp_path / "r.csv", [OFFICIALS_HEADER, official_row("CB001")])

    await run_import(sessions, "officials", path, dry_run=True)

    (entry,) = await _entries(session)
    assert (entry.detail["outcome"], entry.detail["dry_run"], entry.detail["created"]) == (
        "dry_run",
        True,
        1,
    )


async def test_an_interrupted_import_is_audited_and_one_killed_says_started(
    session, sessions, ward, tmp_path, monkeypatch
):
    writing = asyncio.Event()

    async def hang(self, created, updated):  # the first chunk's write never ends
        writing.set()
        await asyncio.Event().wait()

    monkeypatch.setattr(Importer, "write", hang)
    path = write_csv(tmp_path / "big.csv", [OFFICIALS_HEADER, official_row("CB001")])
    task = asyncio.create_task(run_import(sessions, "officials", path))
    await writing.wait()

    (during,) = await _entries(session)  # what a SIGKILL now would leave
    assert during.detail["outcome"] == "started"
    await session.commit()
    task.cancel()  # what Ctrl-C does to `canbo import`
    with pytest.raises(asyncio.CancelledError):
        await task

    (after,) = await _entries(session)
    assert (after.target, after.detail["outcome"]) == ("big.csv", "interrupted")
    assert await session.scalar(select(func.count()).select_from(Official)) == 0
