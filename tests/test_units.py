"""The unit catalogue: the official 34 provinces and 3,321 communes, and historic or internal
units imported from a file, all kept as one tree whose paths scope coordinators."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli import main
from storage import migrate
from storage.catalogue.historic import import_unit_file
from storage.catalogue.national import load_catalogue, parse_province
from storage.db import create_engine, session_factory
from storage.importers.report import ImportReport
from storage.models import Unit, UnitKind
from tests.factories import make_unit
from tests.importers.files import write_csv

HANOI = parse_province("1")
HISTORIC_HEADER = ["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên", "Vùng khó khăn"]


async def _units(session: AsyncSession) -> dict[str, Unit]:
    session.expunge_all()
    return {unit.code: unit for unit in await session.scalars(select(Unit))}


async def _snapshot(session: AsyncSession) -> list[tuple[object, ...]]:
    rows = await session.execute(
        select(
            Unit.id,
            Unit.code,
            Unit.name,
            Unit.kind,
            Unit.parent_id,
            Unit.path,
            Unit.difficult_area,
            Unit.active,
        ).order_by(Unit.id)
    )
    return [tuple(row) for row in rows]


def _assert_paths_follow_parents(units: dict[str, Unit]) -> None:
    by_id = {unit.id: unit for unit in units.values()}
    for unit in units.values():
        prefix = by_id[unit.parent_id].path if unit.parent_id else "/"
        assert unit.path == f"{prefix}{unit.id}/", unit.code


async def test_the_whole_catalogue_loads_with_parents_and_paths(session):
    changes = await load_catalogue(session)
    await session.commit()

    units = await _units(session)
    kinds = Counter(unit.kind for unit in units.values())
    assert changes.added == len(units) == 34 + 3321
    assert kinds[UnitKind.PROVINCE] + kinds[UnitKind.CITY] == 34
    assert kinds[UnitKind.CITY] == 6
    assert (kinds[UnitKind.COMMUNE], kinds[UnitKind.WARD], kinds[UnitKind.SPECIAL_ZONE]) == (
        2621,
        687,
        13,
    )
    hanoi, hoan_kiem = units["01"], units["00070"]
    assert (hanoi.name, hanoi.kind, hanoi.parent_id) == ("Thành phố Hà Nội", UnitKind.CITY, None)
    assert (hoan_kiem.name, hoan_kiem.parent_id) == ("Phường Hoàn Kiếm", hanoi.id)
    assert hoan_kiem.path == f"/{hanoi.id}/{hoan_kiem.id}/"
    # As integers these codes collide; padded, Cao Bằng and Phường Ba Đình stay apart.
    assert (units["04"].name, units["00004"].name) == ("Cao Bằng", "Phường Ba Đình")
    assert units["00004"].parent_id == hanoi.id
    assert all(u.parent_id is not None for u in units.values() if u.kind.is_commune_level)
    _assert_paths_follow_parents(units)


async def test_loading_twice_changes_nothing(session):
    await load_catalogue(session, HANOI)
    await session.commit()
    before = await _snapshot(session)

    changes = await load_catalogue(session, HANOI)
    await session.commit()

    assert (changes.added, changes.updated, changes.unchanged) == (0, 0, 127)
    assert await _snapshot(session) == before


async def test_a_renamed_or_moved_unit_is_brought_back_in_line(session):
    await load_catalogue(session, HANOI)
    await make_unit(session, code="99", name="Tỉnh cũ", kind=UnitKind.PROVINCE)
    await session.commit()
    units = await _units(session)
    await session.execute(
        update(Unit)
        .where(Unit.code == "00070")
        .values(name="Phường Hàng Bạc", parent_id=units["99"].id, path="/stale/")
    )
    await session.commit()

    changes = await load_catalogue(session, HANOI)
    await session.commit()

    assert (changes.added, changes.updated) == (0, 1)
    units = await _units(session)
    assert units["00070"].name == "Phường Hoàn Kiếm"
    assert units["00070"].path == f"/{units['01'].id}/{units['00070'].id}/"


async def test_one_province_loads_alone(session):
    changes = await load_catalogue(session, parse_province("01"))
    await session.commit()

    units = await _units(session)
    assert changes.added == len(units) == 1 + 126
    assert {unit.parent_id for unit in units.values()} == {None, units["01"].id}


def test_an_unknown_province_code_is_refused():
    with pytest.raises(ValueError):
        parse_province("2")
    with pytest.raises(ValueError):
        parse_province("Hà Nội")


async def _import(session: AsyncSession, path: Path, dry_run: bool = False) -> ImportReport:
    report = ImportReport("units", path.name, dry_run, "vi")
    await import_unit_file(session, path, report)
    if report.rejected or dry_run:
        await session.rollback()
    else:
        await session.commit()
    return report


@pytest.fixture
async def bac_ninh(session):
    """The province that absorbed Bắc Giang, as the catalogue stores it."""
    unit = await make_unit(session, code="24", name="Bắc Ninh", kind=UnitKind.PROVINCE)
    await session.commit()
    return unit


async def test_historic_units_form_a_tree_even_when_parents_come_later(session, bac_ninh, tmp_path):
    path = write_csv(
        tmp_path / "don_vi.csv",
        [
            ["ma don vi", "TEN DON VI", "loai", "Ma Don Vi Cap Tren", "vung kho khan", "Ghi chú"],
            ["X-DONGHUNG", "Xã Đông Hưng", "Xã", "H-LUCNAM", "x", "seed 004"],
            ["H-LUCNAM", "Huyện Lục Nam", "huyện", "24", "Có", ""],
            ["TP-BG", "Thành phố Bắc Giang", "thành phố", "24", "Không", ""],
            ["BTC", "Ban Tổ chức Tỉnh ủy", "khác", "", "", ""],
            ["BTC-CS", "Phòng Tổ chức cơ sở đảng", "Khác", "BTC", "", ""],
        ],
    )

    report = await _import(session, path)

    assert not report.rejected, report.render("en")
    assert (report.created, report.updated, report.unchanged) == (5, 0, 0)
    assert report.ignored_columns == ["Ghi chú"]
    units = await _units(session)
    assert units["X-DONGHUNG"].parent_id == units["H-LUCNAM"].id
    assert units["H-LUCNAM"].parent_id == bac_ninh.id
    assert (
        units["X-DONGHUNG"].path
        == f"/{bac_ninh.id}/{units['H-LUCNAM'].id}/{units['X-DONGHUNG'].id}/"
    )
    assert units["X-DONGHUNG"].difficult_area and not units["TP-BG"].difficult_area
    # A thành phố under a province is a provincial city: district level.
    assert units["TP-BG"].kind is UnitKind.DISTRICT
    assert (units["BTC"].kind, units["BTC"].parent_id) == (UnitKind.OTHER, None)
    _assert_paths_follow_parents(units)

    again = await _import(session, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)


async def test_moving_a_unit_moves_its_subtree(session, bac_ninh, tmp_path):
    header = HISTORIC_HEADER[:4]
    await _import(
        session,
        write_csv(
            tmp_path / "a.csv",
            [
                header,
                ["H-LUCNAM", "Huyện Lục Nam", "huyện", "24"],
                ["X-DONGHUNG", "Xã Đông Hưng", "xã", "H-LUCNAM"],
                ["T-DOI", "Thôn Đồi", "khác", "X-DONGHUNG"],
                ["BTC", "Ban Tổ chức", "khác", ""],
            ],
        ),
    )

    report = await _import(
        session,
        write_csv(tmp_path / "b.csv", [header, ["X-DONGHUNG", "Xã Đông Hưng", "xã", "BTC"]]),
    )

    assert (report.created, report.updated) == (0, 1)
    units = await _units(session)
    assert (
        units["T-DOI"].path == f"/{units['BTC'].id}/{units['X-DONGHUNG'].id}/{units['T-DOI'].id}/"
    )
    _assert_paths_follow_parents(units)


async def test_a_file_with_bad_rows_is_refused_whole_and_every_row_named(
    session, bac_ninh, tmp_path
):
    path = write_csv(
        tmp_path / "don_vi.csv",
        [
            HISTORIC_HEADER,
            ["H-LUCNAM", "Huyện Lục Nam", "huyện", "24", ""],
            ["X-1", "Xã Một", "làng", "H-LUCNAM", ""],
            ["X-2", "Xã Hai", "xã", "H-LUCNGAN", ""],
            ["X-3", "", "xã", "H-LUCNAM", "có lẽ"],
            ["H-LUCNAM", "Huyện Lục Nam", "huyện", "24", ""],
        ],
    )
    before = await _snapshot(session)

    report = await _import(session, path)

    assert report.rejected
    assert await _snapshot(session) == before
    assert report.render("vi").splitlines() == [
        "don_vi.csv: bị từ chối, chưa nhập dữ liệu nào. Số lỗi: 5.",
        "don_vi.csv, dòng 3, cột “Loại”: “làng” không phải là loại đơn vị; hãy ghi tỉnh, "
        "thành phố, huyện, quận, thị xã, xã, phường, thị trấn, đặc khu hoặc khác.",
        "don_vi.csv, dòng 4, cột “Mã đơn vị cấp trên”: Không có đơn vị nào mang mã H-LUCNGAN, "
        "trong tệp này cũng như trong dữ liệu đã có.",
        "don_vi.csv, dòng 5, cột “Tên đơn vị”: Ô này đang trống, nhưng cột này bắt buộc phải ghi.",
        "don_vi.csv, dòng 5, cột “Vùng khó khăn”: “có lẽ” không rõ là có hay không; hãy ghi Có, "
        "Không, x, hoặc để trống.",
        "don_vi.csv, dòng 6, cột “Mã đơn vị”: Mã H-LUCNAM đã có ở dòng 2.",
    ]


async def test_a_loop_of_parents_is_refused(session, bac_ninh, tmp_path):
    header = HISTORIC_HEADER[:4]
    province_id = bac_ninh.id
    await _import(
        session,
        write_csv(
            tmp_path / "a.csv",
            [header, ["H", "Huyện", "huyện", "24"], ["X", "Xã", "xã", "H"]],
        ),
    )

    report = await _import(
        session,
        write_csv(
            tmp_path / "b.csv", [header, ["H", "Huyện", "huyện", "X"], ["C", "Chi bộ", "khác", "C"]]
        ),
    )

    assert [(error.row, error.column) for error in report.row_errors] == [
        (2, "Mã đơn vị cấp trên"),
        (3, "Mã đơn vị cấp trên"),
    ]
    assert report.row_errors[0].reason.params == {"chain": "H → X → H"}
    units = await _units(session)
    assert units["H"].parent_id == province_id and "C" not in units


async def test_parent_codes_may_drop_leading_zeros_unless_ambiguous(session, tmp_path):
    await load_catalogue(session, HANOI)
    await make_unit(session, code="04", name="Cao Bằng", kind=UnitKind.PROVINCE)
    await session.commit()
    path = write_csv(
        tmp_path / "don_vi.csv",
        [
            HISTORIC_HEADER[:4],
            ["Q-HK", "Quận Hoàn Kiếm", "quận", "1"],
            ["T-1", "Tổ 1", "khác", "70"],
            ["T-2", "Tổ 2", "khác", "4"],
        ],
    )

    report = await _import(session, path)

    assert [(error.row, error.reason.params["codes"]) for error in report.row_errors] == [
        (4, "00004, 04")
    ]


async def test_an_xlsx_file_imports_like_a_csv(session, bac_ninh, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HISTORIC_HEADER)
    sheet.append(["H-LUCNAM", "Huyện Lục Nam", "Huyện", 24, True])
    workbook.save(tmp_path / "don_vi.xlsx")

    report = await _import(session, tmp_path / "don_vi.xlsx")

    assert report.created == 1, report.render("en")
    units = await _units(session)
    assert units["H-LUCNAM"].parent_id == bac_ninh.id and units["H-LUCNAM"].difficult_area


@pytest.fixture
def cli_database(tmp_path, monkeypatch):
    url = f"sqlite+aiosqlite:///{tmp_path / 'canbo.db'}"
    migrate.upgrade(url)
    monkeypatch.setenv("CANBO_DATABASE_URL", url)
    monkeypatch.delenv("CANBO_LOCALE", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env
    return url


async def _count_units(url: str) -> int:
    engine = create_engine(url)
    async with session_factory(engine)() as session:
        count = await session.scalar(select(func.count()).select_from(Unit))
    await engine.dispose()
    return count or 0


def test_the_load_command_takes_a_province_with_or_without_its_leading_zero(cli_database, capsys):
    assert main(["units", "load", "--province", "01"]) == 0
    assert main(["units", "load", "--province", "1"]) == 0
    assert main(["units", "load", "--province", "2"]) == 1

    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "Đã nạp danh mục đơn vị hành chính: 127 mới, 0 cập nhật, 0 không đổi.",
        "Đã nạp danh mục đơn vị hành chính: 0 mới, 0 cập nhật, 127 không đổi.",
    ]
    assert captured.err == "Không có tỉnh, thành phố nào mang mã 2.\n"
    assert asyncio.run(_count_units(cli_database)) == 127


def test_the_import_command_reports_and_exits_1_on_a_rejected_file(cli_database, tmp_path, capsys):
    good = write_csv(tmp_path / "tot.csv", [HISTORIC_HEADER[:3], ["BTC", "Ban Tổ chức", "khác"]])
    bad = write_csv(tmp_path / "loi.csv", [HISTORIC_HEADER[:4], ["X", "Xã", "xã", "ZZ"]])

    assert main(["units", "import", str(good), "--dry-run"]) == 0
    assert main(["units", "import", str(bad), "--lang", "en"]) == 1
    assert asyncio.run(_count_units(cli_database)) == 0
    assert main(["units", "import", str(good)]) == 0

    assert capsys.readouterr().out.splitlines() == [
        "tot.csv: đã kiểm tra bản ghi đơn vị, chưa ghi gì (chạy thử): 1 sẽ thêm mới, "
        "0 sẽ cập nhật, 0 không đổi.",
        "loi.csv: rejected, nothing was imported. Problems: 1.",
        "loi.csv, row 2, column “Mã đơn vị cấp trên”: No unit has the code ZZ, in this file or "
        "already stored.",
        "tot.csv: đã nhập bản ghi đơn vị: 1 thêm mới, 0 cập nhật, 0 không đổi.",
    ]
    assert asyncio.run(_count_units(cli_database)) == 1
    assert main(["audit", "--action", "import.units"]) == 0
    audit = capsys.readouterr().out.splitlines()
    assert [line.split("  ")[-1] for line in audit[0::2]] == ["tot.csv", "loi.csv", "tot.csv"]
    assert [line.split()[0] for line in audit[1::2]] == [
        "outcome=imported",
        "outcome=rejected",
        "outcome=dry_run",
    ]
