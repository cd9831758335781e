"""`canbo roles`, `canbo broadcast`, `canbo report qualifications` and `canbo audit` as an
operator runs them (bot.cli.main, in a thread of its own since each command runs its own event
loop), on the hand-counted province."""

from __future__ import annotations

import asyncio
import getpass
import io

import openpyxl
import pytest
from matplotlib import image
from sqlalchemy import select

from bot.cli import main
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
    assert (status, err) == (1, "Không có đơn vị nào mã XB.\n")
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


async def test_qualification_reports_from_the_command_line(run, world, tmp_path):
    status, _out, err = await run(
        "report", "qualifications", "--as", "CA", "--unit", "B", "--on", "01/11/2026"
    )
    assert (status, err) == (1, "Đơn vị B không thuộc phạm vi của anh/chị.\n")
    for acting in ((), ("--as", "CA")):  # an operator, and a coordinator
        status, _out, err = await run("report", "qualifications", *acting, "--unit", "XA")
        assert (status, err) == (1, "Không có đơn vị nào mã XA.\n")

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
