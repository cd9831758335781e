"""`canbo link-code issue --unit`: a code for every official of a unit whose chat is not linked,
as a sheet and printable slips; issuing again replaces unused codes and leaves the linked alone.
End to end on a migrated SQLite file, as an operator runs it."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.cli import main
from storage.db import create_engine, session_factory
from storage.models import AuditEntry, Channel, ChatAccount, LinkCode, UnitKind
from tests.cli_database import cli_database
from tests.factories import make_official, make_unit

LINKED = {f"HN{n:04}" for n in range(1, 151, 10)}  # 15 of 150 already chat with the bot


async def _province(url: str) -> None:
    engine = create_engine(url)
    async with session_factory(engine)() as session:
        hanoi = await make_unit(session, code="01", name="Thành phố Hà Nội", kind=UnitKind.CITY)
        wards = [
            await make_unit(session, code=f"0007{n}", name=f"Phường Số {n}", parent=hanoi)
            for n in range(3)
        ]
        elsewhere = await make_unit(session, code="24", name="Bắc Ninh", kind=UnitKind.PROVINCE)
        await make_official(session, "BN0001", unit=elsewhere)
        for n in range(1, 151):
            official = await make_official(
                session, f"HN{n:04}", unit=wards[n % 3], full_name=f"=Nguyễn Văn {n}"
            )
            if official.code in LINKED:
                session.add(
                    ChatAccount(channel=Channel.TELEGRAM, external_id=str(n), official=official)
                )
        await session.commit()
    await engine.dispose()


async def _codes(url: str):
    engine = create_engine(url)
    async with session_factory(engine)() as session:
        rows = await session.execute(
            select(LinkCode.code_hash, LinkCode.official_id, LinkCode.expires_at, LinkCode.used_at)
        )
        found = [tuple(row) for row in rows]
        audit = list(await session.scalars(select(AuditEntry)))
    await engine.dispose()
    return found, audit


@pytest.fixture
def database(tmp_path, monkeypatch):
    monkeypatch.setenv("CANBO_TELEGRAM_BOT_USERNAME", "canbo_bot")
    return cli_database(tmp_path, monkeypatch, _province)


def _hash(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").encode()).hexdigest()


def test_a_sheet_and_slips_for_every_unlinked_official_of_a_unit(database, tmp_path, capsys):
    sheet, slips = tmp_path / "ma.xlsx", tmp_path / "phieu.pdf"

    assert (
        main(["link-code", "issue", "--unit", "1", "--xlsx", str(sheet), "--pdf", str(slips)]) == 0
    )

    out = capsys.readouterr().out
    assert "135 mã liên kết" in out or "135" in out
    workbook = load_workbook(sheet)
    rows = list(workbook.active.iter_rows(min_row=2, values_only=True))[:135]
    assert len(rows) == 135 and all(row[4] and row[4] not in LINKED for row in rows)
    assert len({row[4] for row in rows}) == 135
    assert rows[0][1].startswith("=Nguyễn")  # a name is text, never a formula
    assert workbook.active.cell(2, 2).data_type == "s"
    assert len(workbook.active._images) == 135
    codes = {row[4]: row[5] for row in rows}
    assert all(row[6] == f"https://t.me/canbo_bot?start={row[5]}" for row in rows)
    stored, audit = asyncio.run(_codes(database))
    valid = {code_hash for code_hash, _id, expires, used in stored if used is None}
    assert {_hash(code) for code in codes.values()} == valid
    assert all(expires > datetime.now(UTC) for _h, _i, expires, _u in stored)
    assert slips.read_bytes().startswith(b"%PDF") and slips.stat().st_size > 10_000
    assert [(a.action, a.target, a.detail["count"]) for a in audit] == [
        ("link_code.issue", "01", 135)
    ]
    assert all(code not in str(a.detail) for a in audit for code in codes.values())

    assert main(["link-code", "issue", "--unit", "Thành phố Hà Nội", "--xlsx", str(sheet)]) == 0

    again = {
        row[4]: row[5]
        for row in load_workbook(sheet).active.iter_rows(min_row=2, max_row=136, values_only=True)
    }
    assert set(again) == set(codes) and not set(again.values()) & set(codes.values())
    stored, _audit = asyncio.run(_codes(database))
    now = datetime.now(UTC)
    live = {code_hash for code_hash, _id, expires, used in stored if used is None and expires > now}
    assert live == {_hash(code) for code in again.values()}


def test_a_unit_that_names_nothing_is_refused_with_a_hint(database, capsys):
    assert main(["link-code", "issue", "--unit", "Phường Không Có"]) == 1
    assert "canbo units find" in capsys.readouterr().err
