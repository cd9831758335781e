"""Naming units and officials on the command line as people do: a unit by its code without the
leading zeros or by its exact name, `canbo units find` without diacritics; an official's code in
any case. And the migration that makes official codes case-insensitive refuses to merge two."""

from __future__ import annotations

import sqlite3

import pytest

from bot.cli import main
from storage import migrate
from storage.db import create_engine, session_factory
from storage.models import UnitKind
from tests.cli_database import cli_database
from tests.factories import make_official, make_unit


async def _units(url: str) -> None:
    engine = create_engine(url)
    async with session_factory(engine)() as session:
        hanoi = await make_unit(session, code="01", name="Thành phố Hà Nội", kind=UnitKind.CITY)
        await make_unit(session, code="00070", name="Phường Hoàn Kiếm", parent=hanoi)
        await make_unit(session, code="00001", name="Phường Ba Đình", parent=hanoi)
        bac_ninh = await make_unit(session, code="24", name="Tỉnh Bắc Ninh", kind=UnitKind.PROVINCE)
        tam_giang = await make_unit(
            session, code="07615", name="Xã Tam Giang", kind=UnitKind.COMMUNE, parent=bac_ninh
        )
        await make_unit(session, code="24352", name="Xã Tam Giang", kind=UnitKind.COMMUNE)
        await make_official(session, "CB-Đ01", unit=tam_giang, full_name="Đinh Văn Khoa")
        await session.commit()
    await engine.dispose()


@pytest.fixture
def database(tmp_path, monkeypatch):
    return cli_database(tmp_path, monkeypatch, _units)


def test_units_find_matches_without_diacritics_and_shows_kind_and_parent(database, capsys):
    assert main(["units", "find", "hoan kiem"]) == 0
    assert main(["units", "find", "7615"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["Mã", "Loại", "Tên", "Đơn", "vị", "cấp", "trên"]
    assert lines[1].split() == [
        "00070",
        "phường",
        "Phường",
        "Hoàn",
        "Kiếm",
        "01",
        "Thành",
        "phố",
        "Hà",
        "Nội",
    ]
    assert lines[3].split() == ["07615", "xã", "Xã", "Tam", "Giang", "24", "Tỉnh", "Bắc", "Ninh"]


def _grant(official: str, unit: str) -> int:
    return main(["roles", "grant", "--official", official, "--role", "coordinator", "--unit", unit])


def test_a_unit_is_named_by_code_without_zeros_or_by_name_and_ambiguity_is_asked(database, capsys):
    assert _grant("cb-đ01", "7615") == 0
    assert _grant("CB-Đ01", "Phường Hoàn Kiếm") == 0
    out = capsys.readouterr().out
    assert "Xã Tam Giang" in out and "Phường Hoàn Kiếm" in out
    assert _grant("CB-Đ01", "1") == 1
    assert "“1” có thể là 00001 Phường Ba Đình; 01 Thành phố Hà Nội" in capsys.readouterr().err
    assert _grant("CB-Đ01", "xã tam giang") == 1
    assert "07615 Xã Tam Giang; 24352 Xã Tam Giang" in capsys.readouterr().err


def test_the_migration_refuses_codes_that_differ_only_in_case(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    migrate.upgrade(url, "0005")
    with sqlite3.connect(tmp_path / "old.db") as db:
        db.execute(
            "insert into units (code, name, kind, path, difficult_area, active)"
            " values ('U', 'Xã', 'commune', '/1/', 0, 1)"
        )
        db.execute(
            "insert into titles (kind, field, name) values ('committee_chair', '', 'Chủ tịch UBND')"
        )
        for n, code in enumerate(("CB001", "cb001", "CB002"), start=1):
            db.execute(
                "insert into officials (id, code, full_name, birth_date, gender, unit_id, title_id,"
                " created_at, updated_at) values (?, ?, 'A', '1980-01-01', 'male', 1, 1,"
                " '2026-01-01', '2026-01-01')",
                (n, code),
            )
    with pytest.raises(RuntimeError, match="rename one of each before upgrading: CB001, cb001"):
        migrate.upgrade(url)
    with sqlite3.connect(tmp_path / "old.db") as db:
        db.execute("update officials set code = 'CB003' where id = 2")
    migrate.upgrade(url)
    with sqlite3.connect(tmp_path / "old.db") as db:
        keys = db.execute("select code_key from officials order by id").fetchall()
    assert keys == [("cb001",), ("cb003",), ("cb002",)]
